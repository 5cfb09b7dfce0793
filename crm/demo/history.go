package demo

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"carebook/crm"
)

// historyBatch is the number of customers whose rows History hands to fn at a time.
const historyBatch = 50_000

// History returns the purchases and maintenance records of customers[i], i being its index in
// Customers' output; CustomerID is set to ids[i] (the store's ids, passed by the caller).
//
// fn is called once per batch of about 50,000 customers, in customer order; within a batch the
// rows are in customer order, a customer's purchases by date and its records by date-time. The
// slices are reused by the next call: fn must copy what it keeps past its return. An error of
// fn stops History, which returns it. A batch holds about 550,000 purchases and 1.1 million
// records (some 270 MB); 100,000 customers take about a second.
//
// The history covers the three years before o.Today (o.Customers is ignored: customers says
// who). It is deterministic for (o.Seed, o.Today): each customer draws from its own stream,
// seeded by o.Seed and its index, and reads nothing but its own card, so its history does not
// change when customers are added after it, nor with the machine or the time zone. Nothing is dated before the customer's Created day or after o.Today (a next date,
// being a plan, may lie after o.Today). Every purchase and record passes crm.Validate* and is
// left unchanged by crm.Normalize*. ID, CreatedAt and UpdatedAt are left zero for the store.
//
// What it looks like: about 10 purchases per customer (VIP and major customers buy more often
// and more; about 8% never bought; a good share stopped buying months or years ago, so every
// churn state occurs), about 30% online; about 20 records per customer: 1-3-7 routine
// follow-ups after purchases (mostly on time, sometimes late, sometimes missed), birthday,
// important-date and holiday greetings, event invitations, after-sales service, a few
// complaints, recalls of customers who stopped buying, and follow-ups of the next steps that
// about 30% of records set.
func History(o Options, customers []crm.Customer, ids []int64, fn func(ps []crm.Purchase, rs []crm.Record) error) error {
	if len(ids) != len(customers) {
		return fmt.Errorf("demo history: %d ids for %d customers", len(ids), len(customers))
	}
	if len(customers) == 0 {
		return nil
	}
	if o.Today.IsZero() {
		return errors.New("demo history: Options.Today is required")
	}
	h := newHist(o)
	w := h.newWorker()
	for start := 0; start < len(customers); start += historyBatch {
		end := min(start+historyBatch, len(customers))
		if w.ps == nil { // room for a batch of average customers, so that the slices rarely grow
			n := end - start
			w.ps = make([]crm.Purchase, 0, n*11+1024)
			w.rs = make([]crm.Record, 0, n*23+1024)
		}
		w.ps, w.rs = w.ps[:0], w.rs[:0]
		for i := start; i < end; i++ {
			w.customer(&customers[i], i, ids[i])
		}
		if err := fn(w.ps, w.rs); err != nil {
			return err
		}
	}
	return nil
}

// Rates by tier rank (vip, major, ordinary, small); per mille unless said otherwise.
var (
	prospectPer  = [4]int{10, 35, 80, 140}    // never bought
	stopPer      = [4]int{250, 350, 500, 600} // stopped buying at some point before today
	buyInterval  = [4]int{16, 24, 41, 80}     // mean days between purchases
	routinePer   = [4]int{650, 460, 310, 160} // the salesperson does the 1-3-7 after a purchase
	touchDays    = [4]int{60, 110, 240, 500}  // mean days between upkeep contacts
	greetPer     = [4]int{600, 420, 150, 50}  // a holiday greeting
	birthdayPer  = [4]int{950, 850, 550, 250} // a birthday greeting
	invitePer    = [4]int{500, 330, 110, 40}  // an invitation to an event
	recallPer    = [4]int{850, 750, 450, 0}   // a recall when due
	maxRecalls   = [4]int{4, 3, 1, 0}         // recalls in one dormant stretch
	linesPer     = [4][2]int{{300, 120}, {250, 80}, {170, 40}, {80, 10}}
	onlineLevels = []wint{{50, 25}, {150, 25}, {300, 20}, {550, 18}, {850, 12}} // per-customer online share
	discounts    = []int{95, 90, 90, 88, 85, 80}
)

// Step days of the routine follow-ups and how often each is done (when the 1-3-7 is done at all).
var (
	routineSteps   = [3]int{1, 3, 7}
	routineStepPer = [3]int{850, 650, 500}
)

// Next steps, per mille: a feedback that calls for one sets it; other records sometimes do; a
// next step is followed up on its date (or a little later) unless forgotten.
const (
	fbPlanPer    = 800
	extraPlanPer = 90
	followPer    = 500
)

// htext is a content with the contact channel it names, if any ("电话回访…" is a phone call).
type htext struct {
	s    string
	hint hint
}

// hint is the channel a text implies.
type hint int8

const (
	hintNone    hint = iota
	hintPhone        // 电话…, 没接通
	hintWeChat       // 微信…
	hintSMS          // 短信…
	hintVisit        // 到店, 上门: face to face
	hintMessage      // 回复, 表情, 发送…: WeChat or SMS, not a call
)

// hintOf tells the channel s implies.
func hintOf(s string) hint {
	has := func(subs ...string) bool {
		for _, x := range subs {
			if strings.Contains(s, x) {
				return true
			}
		}
		return false
	}
	switch {
	case has("微信"):
		return hintWeChat
	case has("短信"):
		return hintSMS
	case has("电话", "没接通", "打一次", "来电"):
		return hintPhone
	case has("预约", "安排", "邀请", "邀约", "提醒"):
		return hintNone
	case has("顾客到店", "初次到店", "已到店", "到店给", "到店帮", "上门", "帮顾客", "建档", "送上小礼品", "送月饼", "送粽子", "送了"):
		return hintVisit
	case has("回复", "表情", "红包", "发了", "发送", "附上", "分享"):
		return hintMessage
	}
	return hintNone
}

func texts(pool []string) []htext {
	out := make([]htext, len(pool))
	for i, s := range pool {
		out[i] = htext{s, hintOf(s)}
	}
	return out
}

// hfb is a feedback with the plan (index into hist.plans, -1 for none) it calls for.
type hfb struct {
	text string
	plan int
	hint hint
}

type hplan struct {
	steps   []string
	lo, hi  int
	kind    crm.RecordKind // "" = the record's own kind
	content []htext
	fb      []hfb
}

type hitem struct {
	name     string
	short    string
	price    int64      // fen
	qty      [4]string  // "name×1" … "name×3"
	steps    [3][]htext // routine contents of the 1-, 3- and 7-day follow-ups
	feedback []hfb      // to the 3- and 7-day follow-ups
	service  []htext
	servLate []bool // of service: months after the purchase
	plaint   []htext
}

type hcat struct {
	items   []hitem // by price, cheapest first
	pick    weighted[int]
	durable bool
	bulk    bool
	gap     int
	touch   []htext // upkeep contents, with the care topic
	servPer int
}

// htables are the static tables, built once.
type htables struct {
	cats    []hcat
	plans   []hplan
	planIdx map[string]int
	themeOf map[string][2]int // a card's needs/latent/preferences/interests sentence → categories
	byMale  weighted[[2]int]  // categories of a card without a known theme
	byFem   weighted[[2]int]
	online  weighted[wint]

	fbRoutineAny, fbStep1, fbStep1Durable, fbTouch, fbInvite, fbOther, fbFirst []hfb
	fbBirthday, fbDate, fbHoliday, fbRecallBack, fbRecall, fbComplaint, fbServ []hfb
	fbEventYes, fbEventNo, fbEventMaybe                                        []hfb
	touchInvite, touchOther, firstContact, greetBirthday, recalls              []htext
	dateGreet                                                                  map[string][]htext
	extra                                                                      map[crm.RecordKind][]int // plans a record may set without its feedback asking
	chans                                                                      map[crm.RecordKind]*[2]weighted[crm.Channel]
	planResult, planRemind                                                     int
	holidays                                                                   []hholiday
}

type hholiday struct {
	def     *holidayDef
	content []htext
}

var (
	htOnce sync.Once
	htTbl  *htables
)

func getHTables() *htables {
	htOnce.Do(func() {
		t := &htables{planIdx: map[string]int{}, themeOf: map[string][2]int{}}
		for i, p := range planDefs {
			t.planIdx[p.key] = i
		}
		fbs := func(pool []string) []hfb {
			out := make([]hfb, len(pool))
			for i, s := range pool {
				text, key, ok := strings.Cut(s, "#")
				out[i] = hfb{text: text, plan: -1, hint: hintOf(text)}
				if ok {
					j, found := t.planIdx[key]
					if !found {
						panic("demo: unknown plan " + key)
					}
					out[i].plan = j
				}
			}
			return out
		}
		for _, p := range planDefs {
			t.plans = append(t.plans, hplan{steps: split(p.steps), lo: p.lo, hi: p.hi, kind: crm.RecordKind(p.kind),
				content: texts(split(p.content)), fb: fbs(split(p.fb))})
		}
		for _, d := range catDefs {
			r := strings.NewReplacer("{c}", d.care, "{h}", d.howto, "{f}", d.feel)
			fill := func(tpl []string, short string) []htext {
				out := make([]string, len(tpl))
				for i, s := range tpl {
					out[i] = strings.ReplaceAll(r.Replace(s), "{i}", short)
				}
				return texts(out)
			}
			c := hcat{durable: d.durable, bulk: d.bulk, gap: d.gap, servPer: d.servPer, touch: fill(touchRoutine, "")}
			shorts := map[string]bool{}
			for _, spec := range split(d.items) {
				shorts[strings.Split(spec, ":")[1]] = true
			}
			// forItem keeps the entries of pool that apply to the item short; late tells those
			// marked "~".
			forItem := func(pool, short string) (out []string, late []bool) {
				for _, e := range split(pool) {
					l := strings.HasPrefix(e, "~")
					e = strings.TrimPrefix(e, "~")
					if names, text, ok := strings.Cut(e, ">"); ok {
						for _, n := range strings.Split(names, ",") {
							if !shorts[n] {
								panic("demo: " + d.name + ": no item " + n)
							}
						}
						if !slices.Contains(strings.Split(names, ","), short) {
							continue
						}
						e = text
					}
					out, late = append(out, e), append(late, l)
				}
				return out, late
			}
			var ws []int
			for _, spec := range split(d.items) {
				f := strings.Split(spec, ":")
				if len(f) < 3 || len(f) > 4 {
					panic("demo: item " + spec)
				}
				price, err := strconv.Atoi(f[2])
				wt := 10
				if err == nil && len(f) == 4 {
					wt, err = strconv.Atoi(f[3])
				}
				if err != nil {
					panic("demo: item " + spec)
				}
				it := hitem{name: f[0], short: f[1], price: int64(price) * 100}
				for q := 1; q <= 3; q++ {
					it.qty[q] = it.name + "×" + strconv.Itoa(q)
				}
				s1 := step1
				switch {
				case d.bulk:
					s1 = step1Bulk
				case d.durable:
					s1 = step1Durable
				}
				s3, s7 := step3, step7
				if d.bulk {
					s3, s7 = step3Bulk, step7Bulk
				}
				it.steps = [3][]htext{fill(s1, it.short), fill(s3, it.short), fill(s7, it.short)}
				fb, _ := forItem(d.feedback, it.short)
				it.feedback = fbs(fb)
				serv, late := forItem(d.service, it.short)
				it.service, it.servLate = fill(serv, it.short), late
				plaint, _ := forItem(d.plaint, it.short)
				it.plaint = fill(plaint, it.short)
				c.items = append(c.items, it)
				ws = append(ws, wt)
			}
			idx := make([]int, len(c.items))
			for i := range idx {
				idx[i] = i
			}
			slices.SortStableFunc(idx, func(a, b int) int { return int(c.items[a].price - c.items[b].price) })
			sorted := make([]hitem, len(idx))
			sortedW := make([]int, len(idx))
			for i, j := range idx {
				sorted[i], sortedW[i] = c.items[j], ws[j]
			}
			c.items = sorted
			for i := range idx {
				idx[i] = i
			}
			c.pick = newWeighted(idx, func(i int) int { return sortedW[i] })
			t.cats = append(t.cats, c)
		}
		var male, female []wcats
		for _, th := range append(slices.Clone(themes), bizTheme) {
			cs, ok := themeCats[th.name]
			if !ok {
				panic("demo: no categories for theme " + th.name)
			}
			for _, pool := range [][]string{th.needs, th.latent, th.prefs, th.interests} {
				for _, s := range pool {
					if _, dup := t.themeOf[s]; !dup {
						t.themeOf[s] = cs
					}
				}
			}
			male = append(male, wcats{cs, th.male})
			female = append(female, wcats{cs, th.female})
		}
		wf := func(x wcats) int { return x.w }
		byW := func(ws []wcats) weighted[[2]int] {
			var w weighted[[2]int]
			total := 0
			for _, x := range ws {
				if x.w > 0 {
					total += wf(x)
					w.items = append(w.items, x.cats)
					w.cum = append(w.cum, total)
				}
			}
			return w
		}
		t.byMale, t.byFem = byW(male), byW(female)
		t.online = newWeighted(onlineLevels, func(x wint) int { return x.w })

		t.fbRoutineAny, t.fbStep1, t.fbStep1Durable = fbs(fbRoutineAny), fbs(fbStep1), fbs(fbStep1Durable)
		t.fbTouch, t.fbInvite, t.fbOther, t.fbFirst = fbs(fbTouch), fbs(fbInvite), fbs(fbOther), fbs(fbFirst)
		t.fbBirthday, t.fbDate, t.fbHoliday = fbs(fbBirthday), fbs(fbDate), fbs(fbHoliday)
		t.fbRecallBack, t.fbRecall, t.fbComplaint, t.fbServ = fbs(fbRecallBack), fbs(fbRecall), fbs(fbComplaint), fbs(fbServ)
		t.fbEventYes, t.fbEventNo, t.fbEventMaybe = fbs(fbEventYes), fbs(fbEventNo), fbs(fbEventMaybe)
		t.touchInvite, t.touchOther, t.firstContact = texts(touchInvite), texts(touchOther), texts(firstContact)
		t.greetBirthday, t.recalls = texts(greetBirthday), texts(recalls)
		t.dateGreet = map[string][]htext{
			labelWedding: texts(split("结婚纪念日问候，送上祝福|祝顾客结婚纪念日快乐，百年好合|结婚纪念日，送上鲜花券")),
			labelOpening: texts(split("开业纪念日，祝生意兴隆|祝贺顾客公司开业周年|开业纪念日问候，祝事业蒸蒸日上")),
			labelChild:   texts(split("孩子生日，送上祝福|祝顾客孩子生日快乐|孩子生日，送了一份小礼物")),
			labelJob:     texts(split("入职纪念日问候|祝贺顾客入职周年")),
			labelMother:  texts(split("顾客母亲生日，送上祝福|祝顾客母亲生日快乐、健康长寿")),
			labelFather:  texts(split("顾客父亲生日，送上祝福|祝顾客父亲生日快乐、身体健康")),
		}
		p := t.planIdx
		t.planResult, t.planRemind = p["result"], p["remind"]
		t.extra = map[crm.RecordKind][]int{
			crm.KindRoutine:    {p["restock"], p["notify"], p["later"], p["visit"]},
			crm.KindGreeting:   {p["notify"], p["gift"]},
			crm.KindInvitation: {p["visit"], p["later"], p["retry"]},
			crm.KindService:    {p["service"], p["retry"]},
			crm.KindComplaint:  {p["result"]},
			crm.KindRecall:     {p["recall"], p["later"]},
			crm.KindOther:      {p["notify"]},
		}
		ch := func(ws ...int) weighted[crm.Channel] {
			cs := []crm.Channel{crm.ChannelPhone, crm.ChannelSMS, crm.ChannelWeChat, crm.ChannelVisit, crm.ChannelEmail}
			return newWeighted(cs, func(c crm.Channel) int { return ws[slices.Index(cs, c)] })
		}
		// Weights: phone, sms, wechat, visit, email; with a WeChat ID on the card, then without.
		t.chans = map[crm.RecordKind]*[2]weighted[crm.Channel]{
			crm.KindRoutine:    {ch(30, 8, 55, 6, 1), ch(52, 15, 22, 10, 1)},
			crm.KindGreeting:   {ch(8, 30, 62, 0, 0), ch(20, 55, 25, 0, 0)},
			crm.KindInvitation: {ch(38, 10, 50, 2, 0), ch(60, 20, 18, 2, 0)},
			crm.KindService:    {ch(35, 0, 20, 45, 0), ch(45, 0, 5, 50, 0)},
			crm.KindComplaint:  {ch(55, 0, 15, 30, 0), ch(65, 0, 5, 30, 0)},
			crm.KindRecall:     {ch(55, 10, 35, 0, 0), ch(70, 20, 10, 0, 0)},
			crm.KindOther:      {ch(30, 0, 40, 25, 5), ch(45, 0, 10, 40, 5)},
		}
		for i := range holidayDefs {
			t.holidays = append(t.holidays, hholiday{def: &holidayDefs[i], content: texts(split(holidayDefs[i].content))})
		}
		htTbl = t
	})
	return htTbl
}

type wcats struct {
	cats [2]int
	w    int
}

// hist is the state of one History call shared (read-only) by its workers.
type hist struct {
	*htables
	seed         uint64
	today, start crm.Date
	holidays     []hday
	events       []hevent
	lunarBase    int // lunar year of lunar[0]
	lunar        []lunarYear
}

type hday struct {
	day     crm.Date
	female  bool
	w       int
	content []htext
}

type hevent struct {
	day    crm.Date
	name   string
	invite []htext
}

// lunarYear holds the solar day of the first of each ordinary month (0 when unknown) and the
// month's length.
type lunarYear struct {
	first [13]crm.Date
	days  [13]int
}

func newHist(o Options) *hist {
	h := &hist{htables: getHTables(), seed: o.Seed, today: o.Today}
	y, m, d := o.Today.YMD()
	h.start = crm.NewDate(y-3, m, d)
	y0 := h.start.Year()

	h.lunarBase = y0 - 1
	for ly := y0 - 1; ly <= y+1; ly++ {
		var l lunarYear
		for mo := 1; mo <= 12; mo++ {
			if f, err := crm.LunarToSolar(crm.LunarDate{Year: ly, Month: mo, Day: 1}); err == nil {
				n, _ := crm.LunarMonthDays(ly, mo, false)
				l.first[mo], l.days[mo] = f, n
			}
		}
		h.lunar = append(h.lunar, l)
	}

	for _, hd := range h.htables.holidays {
		for yy := y0 - 1; yy <= y; yy++ {
			var day crm.Date
			if hd.def.lunar {
				day = h.lunarDay(yy, hd.def.month, hd.def.day)
			} else {
				day = crm.NewDate(yy, time.Month(hd.def.month), hd.def.day)
			}
			if day != 0 && day >= h.start && day <= h.today {
				h.holidays = append(h.holidays, hday{day: day, female: hd.def.female, w: hd.def.w, content: hd.content})
			}
		}
	}
	slices.SortStableFunc(h.holidays, func(a, b hday) int { return int(a.day - b.day) })

	// Events: one every four to seven weeks, up to three weeks after today (their invitations
	// are under way).
	r := newRNG(o.Seed ^ 0x6a09e667f3bcc908)
	for day := h.start.AddDays(r.between(10, 30)); day <= h.today.AddDays(21); day = day.AddDays(r.between(28, 49)) {
		_, mo, dd := day.YMD()
		names := split(eventsByMonth[mo])
		if r.per(350) {
			names = split(eventsByMonth[0])
		}
		name := of(r, names)
		ds := strconv.Itoa(int(mo)) + "月" + strconv.Itoa(dd) + "日"
		ev := hevent{day: day, name: name}
		for _, tpl := range eventInvite {
			s := strings.ReplaceAll(strings.ReplaceAll(tpl, "{d}", ds), "{e}", name)
			ev.invite = append(ev.invite, htext{s, hintOf(s)})
		}
		h.events = append(h.events, ev)
	}
	return h
}

// lunarDay returns the solar day of lunar month m, day d of lunar year ly (ordinary month; a
// missing 30th → the 29th), or 0 when unknown.
func (h *hist) lunarDay(ly, m, d int) crm.Date {
	i := ly - h.lunarBase
	if i < 0 || i >= len(h.lunar) || m < 1 || m > 12 {
		return 0
	}
	l := &h.lunar[i]
	if l.first[m] == 0 {
		return 0
	}
	return l.first[m].AddDays(min(d, l.days[m]) - 1)
}

// hworker generates customers' histories into its own slices.
type hworker struct {
	h    *hist
	pcg  *rand.PCG
	r    rng
	ps   []crm.Purchase
	rs   []crm.Record
	buys []hbuy
	recs []crm.Record // the current customer's records, in the order made
	meta []hmeta      // of recs
	keys []uint64
	buf  []byte

	// the current customer
	c        *crm.Customer
	id       int64
	rank     int
	lo, stop crm.Date
	wechat   int // 0 with a WeChat ID on the card, 1 without
	online   int
	cats     [2]int
}

type hbuy struct {
	day   crm.Date
	cat   *hcat
	item  *hitem
	event bool
}

type hmeta struct {
	plan  int8
	depth int8
}

func (h *hist) newWorker() *hworker {
	pcg := rand.NewPCG(0, 0)
	return &hworker{h: h, pcg: pcg, r: rng{pcg}}
}

// splitmix64 scrambles x (Steele, Lea, Flood: SplittableRandom's mixer).
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

func (w *hworker) customer(c *crm.Customer, i int, id int64) {
	h, r := w.h, w.r
	s := splitmix64(h.seed ^ 0xd1b54a32d192ed03 + uint64(i)*0x9e3779b97f4a7c15)
	w.pcg.Seed(s, splitmix64(s))
	w.c, w.id = c, id
	w.rank = min(c.Tier.Rank(), 3)
	w.lo = max(c.Created, h.start)
	if w.lo > h.today {
		return
	}
	w.wechat = 1
	if c.WeChat != "" {
		w.wechat = 0
	}
	w.online = int(h.online.pick(r).v)
	if slices.Contains(c.Tags, "线上下单") {
		w.online = 850
	}
	w.cats = w.categories()
	w.recs, w.meta = w.recs[:0], w.meta[:0]
	rank := w.rank

	// Purchases: a renewal process from the first purchase, until today or the day the
	// customer stopped buying.
	w.buys = w.buys[:0]
	w.stop = h.today
	prospect := r.per(prospectPer[rank])
	if !prospect {
		first := w.lo
		if !r.per(620) {
			first = first.AddDays(1 + r.intn(14) + r.intn(2)*r.intn(60))
		}
		if r.per(stopPer[rank]) && first <= h.today {
			w.stop = first.AddDays(r.intn(h.today.Sub(first) + 1))
		}
		mean := buyInterval[rank] * h.cats[w.cats[0]].gap / 1000 * r.between(60, 160) / 100
		mean = max(mean, 6)
		weekday := -1
		if r.per(400) {
			weekday = []int{6, 6, 0, 0, 5, 3}[r.intn(6)] // weekend shoppers, mostly
		}
		for d := first; d <= w.stop && d <= h.today; {
			w.buys = append(w.buys, hbuy{day: d})
			gap := mean/3 + r.intn(mean*4/3+1)
			if r.per(30) {
				gap += r.between(100, 300) // a long pause, then back
			}
			d = d.AddDays(max(gap, 1))
			if weekday >= 0 && r.per(600) {
				d = d.AddDays((weekday - int(d.Weekday()) + 7) % 7)
			}
		}
	}

	// The day the card was made.
	if prospect && r.per(800) {
		w.add(w.lo, crm.KindOther, of(r, h.firstContact), h.fbFirst, 0)
	} else if !prospect && r.per(350) {
		w.add(w.lo, crm.KindOther, of(r, h.firstContact), h.fbOther, 0)
	}

	// Event invitations (and, when the customer comes, a purchase that day).
	if !c.DoNotDisturb {
		w.invitations(prospect)
	}
	slices.SortStableFunc(w.buys, func(a, b hbuy) int { return int(a.day - b.day) })
	for k := range w.buys {
		w.purchase(&w.buys[k])
	}
	for k := range w.buys {
		w.afterPurchase(&w.buys[k])
	}
	w.recalls()
	if !c.DoNotDisturb {
		w.greetings()
	}
	w.touches(prospect)
	w.followUps()

	// Records by date-time (then in the order made): sort keys, not the big records.
	keys := w.keys[:0]
	for j := range w.recs {
		keys = append(keys, uint64(w.recs[j].At.Unix()/60)<<20|uint64(j))
	}
	slices.Sort(keys)
	for _, k := range keys {
		w.rs = append(w.rs, w.recs[k&(1<<20-1)])
	}
	w.keys = keys
}

// categories returns the customer's main and second product category: from the theme its card
// reveals, else drawn by gender.
func (w *hworker) categories() [2]int {
	h, c, r := w.h, w.c, w.r
	for _, s := range [4]string{c.Needs, c.LatentNeeds, c.Preferences, c.Interests} {
		if s != "" {
			if cs, ok := h.themeOf[s]; ok {
				return cs
			}
		}
	}
	if c.Company != "" && r.per(400) {
		return themeCats[bizTheme.name]
	}
	if c.Gender == crm.GenderMale || c.Gender == crm.GenderUnknown && r.intn(2) == 0 {
		return h.byMale.pick(r)
	}
	return h.byFem.pick(r)
}

// purchase draws what b bought and appends it.
func (w *hworker) purchase(b *hbuy) {
	h, r := w.h, w.r
	cat := w.cats[0]
	if r.per(200) {
		cat = w.cats[1]
	}
	b.cat = &h.cats[cat]
	lines := 1
	switch x := r.intn(1000); {
	case b.cat.bulk:
	case x < linesPer[w.rank][1]:
		lines = 3
	case x < linesPer[w.rank][0]:
		lines = 2
	}
	var picked [3]*hitem
	var qty [3]int
	n := 0
	var amount int64
	for range lines {
		it := w.item(b.cat)
		if slices.Contains(picked[:n], it) {
			continue
		}
		q := 1
		switch x := r.intn(100); {
		case b.cat.bulk:
			q = r.between(1, []int{30, 20, 10, 5}[w.rank]) * 10
		case x < 3:
			q = 3
		case x < 15:
			q = 2
		}
		picked[n], qty[n] = it, q
		n++
		amount += it.price * int64(q)
	}
	b.item = picked[0]
	if r.per(280) {
		amount = amount * int64(of(r, discounts)) / 100
		amount -= amount % 100
	} else if amount >= 100_000 && r.per(150) { // 满1000减100
		amount -= amount / 100_000 * 10_000
	}
	var items string
	if n == 1 && qty[0] == 1 {
		items = picked[0].name
	} else {
		buf := w.buf[:0]
		for j := range n {
			if j > 0 {
				buf = append(buf, "、"...)
			}
			if qty[j] <= 3 {
				buf = append(buf, picked[j].qty[qty[j]]...)
			} else {
				buf = append(buf, picked[j].name...)
				buf = append(buf, "×"...)
				buf = strconv.AppendInt(buf, int64(qty[j]), 10)
			}
		}
		items = string(buf)
		w.buf = buf
	}
	ch := crm.Offline
	if !b.event && !b.cat.bulk && r.per(w.online) {
		ch = crm.Online
	}
	w.ps = append(w.ps, crm.Purchase{CustomerID: w.id, Date: b.day, Amount: crm.Money(amount), Items: items, Channel: ch})
}

// item draws an item of cat: bigger customers lean to the dearer ones.
func (w *hworker) item(cat *hcat) *hitem {
	r := w.r
	i := cat.pick.pick(r)
	switch w.rank {
	case 0:
		i = max(i, cat.pick.pick(r))
	case 1:
		if r.intn(2) == 0 {
			i = max(i, cat.pick.pick(r))
		}
	case 3:
		i = min(i, cat.pick.pick(r))
	}
	return &cat.items[i]
}

// afterPurchase adds the 1-3-7 follow-ups, after-sales service and complaints of b.
func (w *hworker) afterPurchase(b *hbuy) {
	h, r := w.h, w.r
	it := b.item
	if r.per(routinePer[w.rank]) {
		for s, step := range routineSteps {
			if !r.per(routineStepPer[s]) {
				continue
			}
			day := b.day.AddDays(step)
			if r.intn(100) >= 78 { // late
				day = day.AddDays(1 + r.intn(2) + r.intn(2)*r.intn(4))
			}
			fbs := h.fbRoutineAny
			switch {
			case s == 0 && r.per(700):
				fbs = h.fbStep1
				if b.cat.durable {
					fbs = h.fbStep1Durable
				}
			case s == 0 && b.cat.bulk, s > 0 && r.per(550) && len(it.feedback) > 0:
				fbs = it.feedback
			}
			w.add(day, crm.KindRoutine, of(r, it.steps[s]), fbs, 0)
		}
	}
	if len(it.service) > 0 && r.per(b.cat.servPer) {
		k := r.intn(len(it.service))
		day := b.day.AddDays(r.intn(4))
		if it.servLate[k] {
			day = b.day.AddDays(r.between(20, 200))
		}
		if t := it.service[k]; strings.HasPrefix(t.s, "邀请") { // a tasting, a lecture…
			w.add(day, crm.KindInvitation, t, h.fbInvite, 0)
		} else {
			w.add(day, crm.KindService, t, h.fbServ, 0)
		}
	}
	if len(it.plaint) > 0 && r.per(22) {
		day := b.day.AddDays(r.between(1, 20))
		if j := w.add(day, crm.KindComplaint, of(r, it.plaint), h.fbComplaint, 0); j >= 0 {
			w.setPlan(j, h.planResult, day.AddDays(r.between(1, 3)))
		}
	}
}

// recalls adds recall contacts in the stretches of more than 90 days without a purchase.
func (w *hworker) recalls() {
	h, r := w.h, w.r
	if recallPer[w.rank] == 0 {
		return
	}
	for k, b := range w.buys {
		next := h.today.AddDays(10_000)
		if k+1 < len(w.buys) {
			next = w.buys[k+1].day
		}
		if next.Sub(b.day) <= 91 {
			continue
		}
		d := b.day.AddDays(91 + r.intn(25))
		for n := 0; n < maxRecalls[w.rank] && d < next && d <= h.today; n++ {
			if w.rank == 2 && d.Sub(b.day) > 180 { // ordinary customers: only while dormant
				break
			}
			if r.per(recallPer[w.rank]) {
				fbs := h.fbRecall
				if next.Sub(d) <= 30 && next <= h.today {
					fbs = h.fbRecallBack
				}
				w.add(d, crm.KindRecall, of(r, h.recalls), fbs, 0)
			}
			d = d.AddDays(r.between(30, 75))
		}
	}
}

// greetings adds holiday, birthday and important-date greetings.
func (w *hworker) greetings() {
	h, r, c := w.h, w.r, w.c
	for i := range h.holidays {
		hd := &h.holidays[i]
		if hd.day < w.lo {
			continue
		}
		if hd.female && c.Gender != crm.GenderFemale {
			continue
		}
		per := greetPer[w.rank] * hd.w / 1000
		if hd.day > w.stop.AddDays(365) {
			per /= 2
		}
		if !r.per(per) {
			continue
		}
		day := hd.day
		if r.per(100) {
			day = day.AddDays(-1)
		}
		fbs := h.fbHoliday
		if r.per(280) {
			fbs = nil // no answer
		}
		w.add(day, crm.KindGreeting, of(r, hd.content), fbs, 0)
	}
	if b := c.Birthday; b != nil {
		w.keyDate(b, birthdayPer[w.rank], h.greetBirthday, h.fbBirthday)
	}
	for i := range c.Dates {
		k := &c.Dates[i]
		pool, ok := h.dateGreet[k.Label]
		if !ok {
			pool = texts([]string{k.Label + "问候，送上祝福"})
		}
		w.keyDate(k, birthdayPer[w.rank]/2, pool, h.fbDate)
	}
}

// keyDate greets k on (or up to three days before) its occurrences between the customer's
// first day and today.
func (w *hworker) keyDate(k *crm.KeyDate, per int, contents []htext, fbs []hfb) {
	h, r := w.h, w.r
	y0, y1 := w.lo.Year(), h.today.Year()
	if k.Calendar == crm.Lunar {
		y0--
	}
	for y := y0; y <= y1; y++ {
		var o crm.Date
		if k.Calendar == crm.Lunar {
			o = h.lunarDay(y, k.Month, k.Day)
		} else if crm.ValidSolar(0, k.Month, k.Day) {
			o = crm.NewDate(y, time.Month(k.Month), min(k.Day, crm.DaysInSolarMonth(y, time.Month(k.Month))))
		}
		if o == 0 || o < w.lo || o > h.today || !r.per(per) {
			continue
		}
		day := o
		if r.per(300) {
			day = max(o.AddDays(-r.between(1, 3)), w.lo)
		}
		w.add(day, crm.KindGreeting, of(r, contents), fbs, 0)
	}
}

// invitations invites the customer to some events; when they come, they may buy that day.
func (w *hworker) invitations(prospect bool) {
	h, r := w.h, w.r
	for i := range h.events {
		ev := &h.events[i]
		inv := ev.day.AddDays(-r.between(1, 7))
		if inv < w.lo || inv > h.today {
			continue
		}
		per := invitePer[w.rank]
		lapsed := inv > w.stop.AddDays(90)
		if lapsed {
			per /= 3
		}
		if !r.per(per) {
			continue
		}
		x := r.intn(100)
		switch {
		case x < 35 && !lapsed:
			j := w.add(inv, crm.KindInvitation, of(r, ev.invite), h.fbEventYes, 0)
			if j >= 0 && ev.day.Sub(inv) >= 2 && r.per(700) {
				w.setPlan(j, h.planRemind, ev.day.AddDays(-1))
			}
			if !prospect && ev.day <= h.today && ev.day <= w.stop && r.per(550) {
				w.buys = append(w.buys, hbuy{day: ev.day, event: true})
			}
		case x < 70:
			w.add(inv, crm.KindInvitation, of(r, ev.invite), h.fbEventNo, 0)
		default:
			w.add(inv, crm.KindInvitation, of(r, ev.invite), h.fbEventMaybe, 0)
		}
	}
}

// touches adds the upkeep contacts between purchases: news, care, small services.
func (w *hworker) touches(prospect bool) {
	h, r := w.h, w.r
	mean := touchDays[w.rank]
	end := h.today
	switch {
	case prospect && w.rank >= 2:
		end = min(end, w.lo.AddDays(120)) // a prospect who never came is let go
	case w.stop < h.today:
		end = min(end, w.stop.AddDays(60)) // afterwards, recalls
	}
	cat := &h.cats[w.cats[0]]
	for d := w.lo.AddDays(r.between(3, mean)); d <= end; d = d.AddDays(r.between(mean/2, mean*3/2)) {
		switch x := r.intn(100); {
		case x < 65:
			w.add(d, crm.KindRoutine, of(r, cat.touch), h.fbTouch, 0)
		case x < 85 && !w.c.DoNotDisturb:
			w.add(d, crm.KindInvitation, of(r, h.touchInvite), h.fbInvite, 0)
		default:
			w.add(d, crm.KindOther, of(r, h.touchOther), h.fbOther, 0)
		}
	}
}

// followUps follows up most next steps on (or a little after) their date.
func (w *hworker) followUps() {
	h, r := w.h, w.r
	for j := 0; j < len(w.meta); j++ {
		m := w.meta[j]
		if m.plan < 0 || m.depth >= 2 {
			continue
		}
		rec := &w.recs[j]
		nd := rec.NextDate
		if nd > h.today || !r.per(followPer) {
			continue
		}
		day := nd
		if r.per(200) {
			day = day.AddDays(r.between(1, 3))
		}
		pl := &h.plans[m.plan]
		kind := pl.kind
		if kind == "" || rec.Kind == crm.KindComplaint {
			kind = rec.Kind
		}
		w.add(day, kind, of(r, pl.content), pl.fb, m.depth+1)
	}
}

// conflicts reports whether a content and a feedback name contact channels that cannot go
// together (a call answered by an emoji).
func conflicts(content, fb hint) bool {
	switch content {
	case hintPhone, hintVisit:
		return fb == hintMessage || fb == hintWeChat || fb == hintSMS
	case hintWeChat, hintSMS, hintMessage:
		return fb == hintPhone
	}
	return false
}

// add appends a record on day (dropped when outside the customer's days) with a feedback drawn
// from fbs (none when nil) and returns its index in w.recs, or -1. The channel follows the
// content or the feedback when they name one.
func (w *hworker) add(day crm.Date, kind crm.RecordKind, content htext, fbs []hfb, depth int8) int {
	h, r := w.h, w.r
	if day < w.lo || day > h.today {
		return -1
	}
	if w.c.DoNotDisturb && (kind == crm.KindInvitation || kind == crm.KindGreeting) {
		kind = crm.KindRoutine
	}
	fb := hfb{plan: -1}
	if len(fbs) > 0 {
		fb = fbs[r.intn(len(fbs))]
		for try := 0; try < 4 && conflicts(content.hint, fb.hint); try++ {
			fb = fbs[r.intn(len(fbs))]
		}
		if conflicts(content.hint, fb.hint) {
			fb = hfb{plan: -1}
		}
	}
	hn := content.hint
	if hn == hintNone {
		hn = fb.hint
	}
	var ch crm.Channel
	switch hn {
	case hintPhone:
		ch = crm.ChannelPhone
	case hintWeChat:
		ch = crm.ChannelWeChat
	case hintSMS:
		ch = crm.ChannelSMS
	case hintVisit:
		ch = crm.ChannelVisit
	case hintMessage:
		ch = crm.ChannelWeChat
		if r.per([2]int{150, 550}[w.wechat]) {
			ch = crm.ChannelSMS
		}
	default:
		ch = h.chans[kind][w.wechat].pick(r)
	}
	var hour int
	switch {
	case kind == crm.KindGreeting && r.per(700):
		hour = 9 + r.intn(2)
	case ch == crm.ChannelVisit:
		hour = 10 + r.intn(11)
	default:
		hour = 9 + r.intn(12)
	}
	at := day.Time().Add(time.Duration(hour*60+r.intn(60)) * time.Minute)
	w.recs = append(w.recs, crm.Record{CustomerID: w.id, At: at, Kind: kind, Channel: ch, Content: content.s, Feedback: fb.text})
	w.meta = append(w.meta, hmeta{plan: -1, depth: depth})
	j := len(w.recs) - 1
	plan := fb.plan
	if plan >= 0 && !r.per(fbPlanPer) {
		plan = -1
	}
	if plan < 0 {
		if ex := h.extra[kind]; len(ex) > 0 && fb.text != "" && r.per(extraPlanPer) {
			plan = ex[r.intn(len(ex))]
		}
	}
	if plan >= 0 {
		pl := &h.plans[plan]
		w.setPlan(j, plan, day.AddDays(r.between(pl.lo, pl.hi)))
	}
	return j
}

// setPlan sets the next step of plan on w.recs[j], due on next.
func (w *hworker) setPlan(j, plan int, next crm.Date) {
	rec := &w.recs[j]
	rec.NextStep = of(w.r, w.h.plans[plan].steps)
	rec.NextDate = max(next, rec.Date())
	w.meta[j].plan = int8(plan)
}
