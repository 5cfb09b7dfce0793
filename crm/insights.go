package crm

import (
	"cmp"
	"math"
	"math/bits"
	"slices"
	"strings"
	"sync"
	"time"
)

// Insights (PRODUCT.md §2: lifecycle stage, churn, RFM, suggested tier; §1: the derived fields
// of the card): classification of the whole book on a day D, in one pass over plain data that
// the store sums up as of the end of D. Nothing here reads a clock.

// Stage is a customer's lifecycle stage.
type Stage string

// Lifecycle stages, in the order of a customer's life.
const (
	StageProspect Stage = "prospect"  // 潜在: no purchase
	StageNew      Stage = "new"       // 新顾客: one purchase
	StageRepeat   Stage = "repeat"    // 回购: two purchases or more
	StageLongTerm Stage = "long_term" // 长期: LongTermPurchases or more, the first LongTermDays before D
	StageDormant  Stage = "dormant"   // 休眠 (churn state)
	StageHalfLost Stage = "half_lost" // 半流失 (churn state)
	StageLost     Stage = "lost"      // 完全流失 (churn state)
)

// Stages lists the lifecycle stages in display order.
var Stages = []Stage{StageProspect, StageNew, StageRepeat, StageLongTerm, StageDormant, StageHalfLost, StageLost}

// Segment is a customer's RFM segment.
type Segment string

// The eight RFM segments: "important" when M is high, then by R and F.
const (
	SegmentImportantValue   Segment = "important_value"   // 重要价值: R high, F high, M high
	SegmentImportantDevelop Segment = "important_develop" // 重要发展: R high, F low, M high
	SegmentImportantRetain  Segment = "important_retain"  // 重要保持: R low, F high, M high
	SegmentImportantWinback Segment = "important_winback" // 重要挽留: R low, F low, M high
	SegmentGeneralValue     Segment = "general_value"     // 一般价值: R high, F high, M low
	SegmentGeneralDevelop   Segment = "general_develop"   // 一般发展: R high, F low, M low
	SegmentGeneralRetain    Segment = "general_retain"    // 一般保持: R low, F high, M low
	SegmentGeneralWinback   Segment = "general_winback"   // 一般挽留: R low, F low, M low
)

// Segments lists the RFM segments in display order.
var Segments = []Segment{SegmentImportantValue, SegmentImportantDevelop, SegmentImportantRetain, SegmentImportantWinback,
	SegmentGeneralValue, SegmentGeneralDevelop, SegmentGeneralRetain, SegmentGeneralWinback}

// SegmentOf is the segment of R, F and M highs.
func SegmentOf(rHigh, fHigh, mHigh bool) Segment {
	i := 0
	if !mHigh {
		i += 4
	}
	if !rHigh {
		i += 2
	}
	if !fHigh {
		i++
	}
	return Segments[i]
}

// The fixed numbers of the classification (PRODUCT.md §2).
const (
	// LongTermPurchases and LongTermDays make a long-term customer: that many purchases, the
	// first at least that many days before D.
	LongTermPurchases = 4
	LongTermDays      = 365
	// RFMDays is the window of F and M: purchases dated in (D − RFMDays, D].
	RFMDays = 365
	// ParetoMajorPercent of the total M is held by the major customers' prefix; VIPPercent of
	// that prefix (rounded up) are the vip customers.
	ParetoMajorPercent = 80
	ParetoVIPPercent   = 20
)

// CustomerStats is one customer's purchase history summed up as of the end of day D: only
// purchases dated on or before D count.
type CustomerStats struct {
	ID   int64
	Code string // orders ties of the Pareto ranking
	Tier Tier   // the user's own tier

	Purchases     int   // purchases dated on or before D
	FirstPurchase Date  // zero when none
	LastPurchase  Date  // zero when none
	YearPurchases int   // F: purchases dated in (D − RFMDays, D]
	YearAmount    Money // M: their amount
}

// Insight is what the classification derives for one customer on day D.
type Insight struct {
	Stage   Stage
	Churn   Churn   // "" without purchases
	Segment Segment // "" without purchases
	// SuggestedTier is the Pareto tier (二八法则); Tier.Rank tells whether it is above the
	// user's own.
	SuggestedTier Tier
	// R is the days since the last purchase (−1 without purchases); F and M as in CustomerStats.
	R int
	F int
	M Money
	// RHigh, FHigh and MHigh compare R, F and M with the means (R ≤ mean, F ≥ mean, M ≥ mean).
	RHigh, FHigh, MHigh bool
}

// HasPurchases reports whether the customer had bought anything by D.
func (in *Insight) HasPurchases() bool { return in.R >= 0 }

// RFMMeans are the means R, F and M are compared with: over the customers with at least one
// purchase on or before D (Customers of them; the means are 0 when there are none).
type RFMMeans struct {
	Customers int
	R, F      float64 // days, purchases
	M         Money   // rounded to the fen, for display; comparisons are exact
	// The sums behind the means, for exact comparisons.
	SumR, SumF int64
	SumM       Money
}

// Classification is the whole book classified on day D: an insight per customer, in the order
// of the stats it was given, and the means and totals behind them.
type Classification struct {
	Date     Date
	Means    RFMMeans
	Insights []Insight
	// TotalM is the sum of every customer's M; MajorCount and VIPCount are how many customers
	// the Pareto rule suggests as major or above, and as vip.
	TotalM               Money
	MajorCount, VIPCount int

	// ranked are the positions of the ranked customers (a purchase, M > 0) by M, descending
	// (equal amounts in any order but at the two cuts): what Reclassify walks the major prefix
	// along.
	ranked []int32
}

// Classify classifies every customer of stats on day d (s gives the churn thresholds): lifecycle
// stage, churn state, RFM values and segment against the means, and the suggested tier.
//
// Lifecycle stage, first match wins: prospect (no purchase); lost, half_lost, dormant (churn
// state); long_term (≥ LongTermPurchases purchases and the first ≥ LongTermDays before d);
// repeat (≥ 2 purchases); new (1 purchase).
//
// RFM, over customers with ≥ 1 purchase: R = d − last purchase in days, F and M from the stats;
// each is high when R ≤ mean R, F ≥ mean F, M ≥ mean M.
//
// Suggested tier: the purchasing customers sorted by M, descending (ties by code, then id);
// the shortest prefix holding ≥ ParetoMajorPercent of the total M is major, the first
// ceil(ParetoVIPPercent% of that prefix) vip; other customers with M > 0 ordinary; the rest
// (M = 0, or no purchase) small.
func Classify(d Date, s PlanSettings, stats []CustomerStats) Classification {
	cl := Classification{Date: d, Insights: make([]Insight, len(stats))}
	m := &cl.Means
	for i := range stats {
		m.add(d, &stats[i], 1)
	}
	m.finish()

	// Pareto ranking of the purchasing customers with M > 0.
	var ranked []int32
	for i := range stats {
		if ranks(&stats[i]) {
			ranked = append(ranked, int32(i))
			cl.TotalM += stats[i].YearAmount
		}
	}
	// The ranking and the customers' own classification do not depend on each other: a big book
	// has them done at once, on two cores.
	var ranking sync.WaitGroup
	if len(ranked) >= classifyApart {
		ranking.Go(func() { rankByAmount(ranked, stats) })
	} else {
		rankByAmount(ranked, stats)
	}
	for i := range stats {
		classifyOne(&cl.Insights[i], d, s, &stats[i], m)
	}
	ranking.Wait()
	var held Money
	major := 0
	for major < len(ranked) && !atLeastPercent(held, cl.TotalM, ParetoMajorPercent) {
		held += stats[ranked[major]].YearAmount
		major++
	}
	vip := vipOf(major)
	cl.MajorCount, cl.VIPCount = major, vip
	orderTies(ranked, stats, major)
	orderTies(ranked, stats, vip)
	for k, i := range ranked[:major] {
		if k < vip {
			cl.Insights[i].SuggestedTier = TierVIP
		} else {
			cl.Insights[i].SuggestedTier = TierMajor
		}
	}
	cl.ranked = ranked
	return cl
}

// purchasing reports whether st counts in the RFM means (a purchase on or before D).
func purchasing(st *CustomerStats) bool { return st.Purchases > 0 && !st.LastPurchase.IsZero() }

// ranks reports whether st is in the Pareto ranking (a purchase, and M > 0).
func ranks(st *CustomerStats) bool { return st.Purchases > 0 && st.YearAmount > 0 }

// add adds (sign 1) or takes out (sign −1) st's R, F and M to the sums of m, when st counts.
func (m *RFMMeans) add(d Date, st *CustomerStats, sign int64) {
	if !purchasing(st) {
		return
	}
	m.Customers += int(sign)
	m.SumR += sign * int64(d.Sub(st.LastPurchase))
	m.SumF += sign * int64(st.YearPurchases)
	m.SumM += Money(sign) * st.YearAmount
}

// finish sets the means from the sums.
func (m *RFMMeans) finish() {
	m.R, m.F, m.M = 0, 0, 0
	if n := m.Customers; n > 0 {
		m.R = float64(m.SumR) / float64(n)
		m.F = float64(m.SumF) / float64(n)
		m.M = Money(math.Round(float64(m.SumM) / float64(n)))
	}
}

// vipOf is the number of vip customers of a major prefix of that many: ParetoVIPPercent of it,
// rounded up.
func vipOf(major int) int { return (major*ParetoVIPPercent + 99) / 100 }

// classifyOne sets in to what Classify derives for the customer of st from its own stats and the
// book's means m; its suggested tier is small, or ordinary with M > 0 (the Pareto ranking, the
// caller's, raises it to major or vip).
func classifyOne(in *Insight, d Date, s PlanSettings, st *CustomerStats, m *RFMMeans) {
	in.SuggestedTier = TierSmall
	if !purchasing(st) {
		in.Stage, in.R = StageProspect, -1
		return
	}
	in.R, in.F, in.M = d.Sub(st.LastPurchase), st.YearPurchases, st.YearAmount
	in.Churn = s.ChurnOf(st.LastPurchase, d)
	switch {
	case in.Churn == ChurnLost:
		in.Stage = StageLost
	case in.Churn == ChurnHalfLost:
		in.Stage = StageHalfLost
	case in.Churn == ChurnDormant:
		in.Stage = StageDormant
	case st.Purchases >= LongTermPurchases && d.Sub(st.FirstPurchase) >= LongTermDays:
		in.Stage = StageLongTerm
	case st.Purchases >= 2:
		in.Stage = StageRepeat
	default:
		in.Stage = StageNew
	}
	// x ≤ mean ⇔ x·n ≤ sum, exactly (values and sums are not negative).
	n := uint64(m.Customers)
	in.RHigh = cmpMul(uint64(max(in.R, 0)), n, uint64(max(m.SumR, 0)), 1) <= 0
	in.FHigh = cmpMul(uint64(in.F), n, uint64(m.SumF), 1) >= 0
	in.MHigh = cmpMul(uint64(max(in.M, 0)), n, uint64(max(m.SumM, 0)), 1) >= 0
	in.Segment = SegmentOf(in.RHigh, in.FHigh, in.MHigh)
	if st.YearAmount > 0 {
		in.SuggestedTier = TierOrdinary
	}
}

// rankedBefore reports whether a comes before b in the Pareto ranking: M descending, then code,
// then id.
func rankedBefore(a, b *CustomerStats) bool {
	if a.YearAmount != b.YearAmount {
		return a.YearAmount > b.YearAmount
	}
	if c := strings.Compare(a.Code, b.Code); c != 0 {
		return c < 0
	}
	return a.ID < b.ID
}

// Reclassify answers, for one customer, what Classify would on cl's day with s for the book of
// stats changed: the customers at the positions gone (ascending, distinct) taken out, those of
// added (distinct ids, none of them left in stats) put in. cl must be Classify(cl.Date, ·,
// stats) (the settings do not matter to the means and the ranking, only to x's churn). x is the
// customer asked about, a pointer into added or to a position of stats that is not gone; nil
// asks for the means only. It returns the insight of x and the book's means.
//
// A purchase saved changes one customer's sums; the card opened next wants that customer's
// insight, which Classify would have for the whole book again (12 ms and 20 MB at 100,000
// customers, a garbage collection every few saves). The means follow from cl's sums; x's rank
// is counted in one pass over the book, and the major prefix walked along cl's ranking: no
// sort, no allocation but added's amounts.
func (cl *Classification) Reclassify(s PlanSettings, stats []CustomerStats, gone []int, added []CustomerStats, x *CustomerStats) (Insight, RFMMeans) {
	d := cl.Date
	m := cl.Means
	total := cl.TotalM
	isGone := func(i int) bool {
		_, found := slices.BinarySearch(gone, i)
		return found
	}
	for _, i := range gone {
		m.add(d, &stats[i], -1)
		if ranks(&stats[i]) {
			total -= stats[i].YearAmount
		}
	}
	var amounts []Money // of added's ranked customers, descending
	for i := range added {
		m.add(d, &added[i], 1)
		if ranks(&added[i]) {
			total += added[i].YearAmount
			amounts = append(amounts, added[i].YearAmount)
		}
	}
	m.finish()
	if x == nil {
		return Insight{}, m
	}
	var in Insight
	classifyOne(&in, d, s, x, &m)
	if !ranks(x) {
		return in, m
	}
	// The major prefix: the amounts of the new book in descending order (cl's ranking without
	// the customers gone, merged with added's) until they hold the share.
	slices.SortFunc(amounts, func(a, b Money) int { return cmp.Compare(b, a) })
	var held Money
	major, k, j := 0, 0, 0 // the prefix's length; the next of cl.ranked, of amounts
	for !atLeastPercent(held, total, ParetoMajorPercent) {
		for k < len(cl.ranked) && isGone(int(cl.ranked[k])) {
			k++
		}
		if k < len(cl.ranked) && (j == len(amounts) || stats[cl.ranked[k]].YearAmount >= amounts[j]) {
			held += stats[cl.ranked[k]].YearAmount
			k++
		} else if j < len(amounts) {
			held += amounts[j]
			j++
		} else {
			break
		}
		major++
	}
	// x's place in the ranking: how many ranked customers come before it.
	pos := 0
	g := 0 // the next of gone
	for i := range stats {
		if g < len(gone) && gone[g] == i {
			g++
			continue
		}
		if st := &stats[i]; st.ID != x.ID && ranks(st) && rankedBefore(st, x) {
			pos++
		}
	}
	for i := range added {
		if st := &added[i]; st.ID != x.ID && ranks(st) && rankedBefore(st, x) {
			pos++
		}
	}
	switch {
	case pos < vipOf(major):
		in.SuggestedTier = TierVIP
	case pos < major:
		in.SuggestedTier = TierMajor
	}
	return in, m
}

// classifyApart is the number of ranked customers from which Classify ranks them beside the
// rest of its work (a variable for the test that compares both ways).
var classifyApart = 20000

// rankByAmount sorts positions in stats by YearAmount, descending; equal amounts in any order
// (orderTies then orders those at a cut as the Pareto ranking wants them). At 100,000
// customers comparing through the positions into stats, codes included, took half of Classify:
// when amounts and positions fit together in 64 bits (amounts under 2^42 fen, fewer than 2^22
// customers), the positions are sorted as plain numbers (amount high, position low).
func rankByAmount(ranked []int32, stats []CustomerStats) {
	const posBits = 22
	packed := len(stats) < 1<<posBits
	for _, i := range ranked {
		packed = packed && stats[i].YearAmount < 1<<(64-posBits)
	}
	if !packed {
		slices.SortFunc(ranked, func(a, b int32) int { return cmp.Compare(stats[b].YearAmount, stats[a].YearAmount) })
		return
	}
	keys := make([]uint64, len(ranked))
	for k, i := range ranked {
		// Descending amounts: the complement of the amount, in the high bits.
		keys[k] = (1<<(64-posBits)-1-uint64(stats[i].YearAmount))<<posBits | uint64(i)
	}
	slices.Sort(keys)
	for k, key := range keys {
		ranked[k] = int32(key & (1<<posBits - 1))
	}
}

// orderTies orders by code, then id, the customers of ranked (sorted by rankByAmount) whose
// amount is that of both sides of the cut before position cut: which of them fall before the
// cut is then that of the full ranking (amount, code, id). Who is before a cut is all the
// ranking is for, and amounts are often equal (whole yuan): ordering every tie cost more than
// the sort.
func orderTies(ranked []int32, stats []CustomerStats, cut int) {
	if cut <= 0 || cut >= len(ranked) {
		return
	}
	m := stats[ranked[cut]].YearAmount
	if stats[ranked[cut-1]].YearAmount != m {
		return
	}
	lo, hi := cut-1, cut+1
	for lo > 0 && stats[ranked[lo-1]].YearAmount == m {
		lo--
	}
	for hi < len(ranked) && stats[ranked[hi]].YearAmount == m {
		hi++
	}
	slices.SortFunc(ranked[lo:hi], func(a, b int32) int {
		x, y := &stats[a], &stats[b]
		if c := strings.Compare(x.Code, y.Code); c != 0 {
			return c
		}
		return cmp.Compare(x.ID, y.ID)
	})
}

// atLeastPercent reports whether part ≥ pct% of total, exactly.
func atLeastPercent(part, total Money, pct int) bool {
	return cmpMul(uint64(max(part, 0)), 100, uint64(max(total, 0)), uint64(pct)) >= 0
}

// cmpMul compares a·b with c·d, exactly: −1, 0 or +1.
func cmpMul(a, b, c, d uint64) int {
	h1, l1 := bits.Mul64(a, b)
	h2, l2 := bits.Mul64(c, d)
	switch {
	case h1 != h2:
		if h1 < h2 {
			return -1
		}
		return 1
	case l1 < l2:
		return -1
	case l1 > l2:
		return 1
	}
	return 0
}

// ProfileFields are the key fields of a card whose filling the profile completeness counts
// (档案一小步，关系一大步), by the field names of the card's form.
var ProfileFields = []string{"phones", "gender", "birthday", "wechat", "address", "needs", "latent_needs",
	"preferences", "interests", "tags", "knowing", "closeness", "loyalty"}

// Completeness returns the share of ProfileFields that card c fills, in percent (rounded
// down), and the ones still empty, in ProfileFields order.
func Completeness(c *Customer) (percent int, missing []string) {
	filled := 0
	for _, f := range ProfileFields {
		if profileFieldFilled(c, f) {
			filled++
		} else {
			missing = append(missing, f)
		}
	}
	return filled * 100 / len(ProfileFields), missing
}

func profileFieldFilled(c *Customer, f string) bool {
	switch f {
	case "phones":
		return len(c.Phones) > 0
	case "gender":
		return c.Gender == GenderMale || c.Gender == GenderFemale
	case "birthday":
		return c.Birthday != nil
	case "wechat":
		return strings.TrimSpace(c.WeChat) != ""
	case "address":
		return strings.TrimSpace(c.Address) != ""
	case "needs":
		return strings.TrimSpace(c.Needs) != ""
	case "latent_needs":
		return strings.TrimSpace(c.LatentNeeds) != ""
	case "preferences":
		return strings.TrimSpace(c.Preferences) != ""
	case "interests":
		return strings.TrimSpace(c.Interests) != ""
	case "tags":
		return len(c.Tags) > 0
	case "knowing":
		return c.Knowing > 0
	case "closeness":
		return c.Closeness > 0
	case "loyalty":
		return c.Loyalty > 0
	}
	return false
}

// Portrait is the customer portrait (顾客画像) drawn from the purchases on or before D.
type Portrait struct {
	Purchases int
	Total     Money
	// IntervalDays is the average number of days between two purchases (first to last, over
	// the purchases minus one); 0 with fewer than two purchases.
	IntervalDays float64
	// PerYear is the number of purchases in (D − RFMDays, D].
	PerYear       int
	AverageTicket Money // Total / Purchases, rounded half up; 0 without purchases
	// UsualWeekday is the weekday most purchases fell on (ties: the earliest from Monday);
	// HasWeekday is false without purchases.
	UsualWeekday time.Weekday
	HasWeekday   bool
	// Channel is the channel of most purchases (ties: offline); "" without purchases.
	Channel SaleChannel
	// TopItems are the items bought most often (at most PortraitTopItems; ties by first
	// appearance in date order). An item is a part of Purchase.Items between separators
	// (、,，;；/ and new lines).
	TopItems []string
}

// PortraitTopItems is how many items a portrait lists.
const PortraitTopItems = 3

// PortraitOf draws the portrait of a customer from their purchases (in any order) on day d:
// purchases dated after d are left out.
func PortraitOf(ps []Purchase, d Date) Portrait {
	var p Portrait
	var first, last Date
	var weekdays [7]int
	channels := map[SaleChannel]int{}
	type item struct {
		n     int
		first Date
		order int
	}
	items := map[string]*item{}
	sorted := slices.Clone(ps)
	slices.SortStableFunc(sorted, func(a, b Purchase) int { return int(a.Date - b.Date) })
	order := 0
	for i := range sorted {
		pu := &sorted[i]
		if pu.Date > d || pu.Date.IsZero() {
			continue
		}
		p.Purchases++
		p.Total += pu.Amount
		if first.IsZero() {
			first = pu.Date
		}
		last = pu.Date
		if d.Sub(pu.Date) < RFMDays {
			p.PerYear++
		}
		weekdays[pu.Date.Weekday()]++
		channels[pu.Channel]++
		for _, it := range splitItems(pu.Items) {
			if x := items[it]; x != nil {
				x.n++
			} else {
				items[it] = &item{n: 1, first: pu.Date, order: order}
				order++
			}
		}
	}
	if p.Purchases == 0 {
		return p
	}
	if p.Purchases > 1 {
		p.IntervalDays = float64(last.Sub(first)) / float64(p.Purchases-1)
	}
	p.AverageTicket = Money((int64(p.Total)*2 + int64(p.Purchases)) / (int64(p.Purchases) * 2))
	best := -1
	for _, wd := range []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday} {
		if weekdays[wd] > best {
			best, p.UsualWeekday = weekdays[wd], wd
		}
	}
	p.HasWeekday = true
	p.Channel = Offline
	if channels[Online] > channels[Offline] {
		p.Channel = Online
	}
	names := make([]string, 0, len(items))
	for k := range items {
		names = append(names, k)
	}
	slices.SortFunc(names, func(a, b string) int {
		x, y := items[a], items[b]
		if x.n != y.n {
			return y.n - x.n
		}
		return x.order - y.order
	})
	if len(names) > PortraitTopItems {
		names = names[:PortraitTopItems]
	}
	p.TopItems = names
	return p
}

// splitItems splits a purchase's items text into items.
func splitItems(s string) []string {
	f := strings.FieldsFunc(s, func(r rune) bool {
		switch r {
		case '、', ',', '，', ';', '；', '/', '\n', '\r', '|':
			return true
		}
		return false
	})
	out := f[:0]
	for _, x := range f {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}
