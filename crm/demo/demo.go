// Package demo generates realistic, deterministic sample customer cards (顾客信息卡) for the
// `carebook demo` command: common Chinese names, unique mobile numbers, WeChat IDs, addresses in
// real cities, solar and lunar birthdays, needs, tags and tiers. It is pure: no clock, no files,
// no database; the same Options give the same cards on every machine.
package demo

import (
	"strconv"
	"sync"

	"carebook/crm"

	"github.com/mozillazg/go-pinyin"
)

// Options of Customers.
type Options struct {
	Customers int      // number of cards
	Seed      uint64   // the same seed (and Today) gives the same cards
	Today     crm.Date // the book's today: every date lies on or before it; required
}

// Customers returns o.Customers cards coded C000001, C000002…, deterministic for (Seed, Today):
// the same options give identical output on every machine (only integer arithmetic on a PCG
// stream; no clock, no time zone, no map iteration), and a longer book starts with the shorter
// one. Every phone (first or second) is unique across the book. Created lies in
// [Today − 3 years, Today]; CreatedAt and UpdatedAt are left zero for the store to set. Every
// card passes crm.ValidateCustomer and is left unchanged by crm.NormalizeCustomer. It panics
// when Today is unset.
func Customers(o Options) []crm.Customer {
	if o.Customers <= 0 {
		return nil
	}
	if o.Today.IsZero() {
		panic("demo: Options.Today is required")
	}
	g := newGen(o)
	out := make([]crm.Customer, o.Customers)
	for i := range out {
		g.customer(&out[i], i)
	}
	return out
}

// tables holds the weighted pools, built once.
type tables struct {
	surnames weighted[wstr]
	mobiles  weighted[wint]
	sources  weighted[wstr]
	cities   weighted[int] // index into cities
	titles   weighted[wtitle]
	tags     weighted[wstr]
	tiers    weighted[tierW]
	genders  weighted[genderW]
	ages     weighted[ageBand]
	py       map[string]string // pinyin of every surname and given-name character
}

type tierW struct {
	t crm.Tier
	w int
}

type genderW struct {
	g crm.Gender
	w int
}

type ageBand struct{ lo, hi, w int }

var (
	tablesOnce sync.Once
	tbl        *tables
)

func getTables() *tables {
	tablesOnce.Do(func() {
		t := &tables{
			surnames: newWeighted(surnames, func(x wstr) int { return x.w }),
			mobiles:  newWeighted(mobilePrefixes, func(x wint) int { return x.w }),
			sources:  newWeighted(sources, func(x wstr) int { return x.w }),
			titles:   newWeighted(titles, func(x wtitle) int { return x.w }),
			tags:     newWeighted(randomTags, func(x wstr) int { return x.w }),
			tiers: newWeighted([]tierW{
				{crm.TierVIP, 5}, {crm.TierMajor, 15}, {crm.TierOrdinary, 60}, {crm.TierSmall, 20},
			}, func(x tierW) int { return x.w }),
			genders: newWeighted([]genderW{
				{crm.GenderMale, 45}, {crm.GenderFemale, 50}, {crm.GenderUnknown, 5},
			}, func(x genderW) int { return x.w }),
			ages: newWeighted([]ageBand{
				{18, 24, 8}, {25, 34, 28}, {35, 44, 27}, {45, 54, 20}, {55, 64, 12}, {65, 78, 5},
			}, func(x ageBand) int { return x.w }),
			py: map[string]string{},
		}
		idx := make([]int, len(cities))
		for i := range idx {
			idx[i] = i
		}
		t.cities = newWeighted(idx, func(i int) int { return cities[i].weight })
		for _, s := range surnames {
			full, _ := crm.Pinyin(s.s) // surname readings: 曾 zeng, 单 shan
			t.py[s.s] = full
		}
		args := pinyin.NewArgs()
		for _, pools := range [][3]namePool{maleNames, femaleNames} {
			for _, p := range pools {
				for _, n := range append(append([]string{}, p.single...), p.double...) {
					for _, r := range n {
						if _, ok := t.py[string(r)]; !ok {
							if ps := pinyin.SinglePinyin(r, args); len(ps) > 0 {
								t.py[string(r)] = ps[0]
							}
						}
					}
				}
			}
		}
		tbl = t
	})
	return tbl
}

// gen is the state of one run.
type gen struct {
	r      rng
	t      *tables
	today  crm.Date
	year   int // today's year
	start  crm.Date
	home   int // the salesperson's city: most customers live there
	phones map[uint64]struct{}
	lunar  lunarInfo
}

func newGen(o Options) *gen {
	g := &gen{r: newRNG(o.Seed), t: getTables(), today: o.Today, phones: make(map[uint64]struct{}, o.Customers*5/4)}
	y, m, d := o.Today.YMD()
	g.year = y
	g.start = crm.NewDate(y-3, m, d)
	g.home = g.t.cities.pick(g.r)
	return g
}

// person is what the generator knows of a customer beyond the card.
type person struct {
	age, birthYear int
	gender         crm.Gender // the real one, even when the card says unknown
	surname        string
	given          string
	surPY, givenPY string
	city           int
	company        bool
	title          wtitle
	industry       industry
	theme          *theme
}

func (g *gen) customer(c *crm.Customer, i int) {
	r, t := g.r, g.t
	c.Code = code(i + 1)
	c.Tier = t.tiers.pick(r).t
	c.Gender = t.genders.pick(r).g

	var p person
	band := t.ages.pick(r)
	p.age = r.between(band.lo, band.hi)
	p.birthYear = g.year - p.age
	p.gender = c.Gender
	if p.gender == crm.GenderUnknown {
		p.gender = crm.GenderMale
		if r.intn(2) == 0 {
			p.gender = crm.GenderFemale
		}
	}
	p.surname = t.surnames.pick(r).s
	p.given = g.givenName(p.gender, p.birthYear)
	c.Name = p.surname + p.given
	p.surPY = t.py[p.surname]
	for _, ch := range p.given {
		p.givenPY += t.py[string(ch)]
	}
	p.city = g.home
	if r.per(250) {
		p.city = t.cities.pick(r)
	}

	c.Created = g.created(c.Tier)

	// B2B: more likely among the bigger customers.
	if p.age >= 24 && r.per([]int{300, 220, 140, 100}[c.Tier.Rank()]) {
		p.company = true
		p.title = t.titles.pick(r)
		p.industry = of(r, industries)
		cy := &cities[p.city]
		c.Company = cy.name + of(r, brands) + p.industry.name + "有限公司"
		if r.per(300) {
			c.Company = cy.short + of(r, brands) + p.industry.name + "有限公司"
		}
		c.Title = p.title.name
	}
	p.theme = g.pickTheme(&p)

	c.Phones = append(make([]string, 0, 2), g.mobile())
	if r.per(150) {
		if r.per(350) {
			c.Phones = append(c.Phones, g.landline(cities[p.city].area))
		} else {
			c.Phones = append(c.Phones, g.mobile())
		}
	}
	if r.per(200) {
		c.Remark = g.remark(&p, c)
	}
	wechatPer := 620
	switch {
	case p.age >= 60:
		wechatPer = 150
	case p.age >= 45:
		wechatPer = 300
	case p.age >= 35:
		wechatPer = 400
	}
	if r.per(wechatPer) {
		c.WeChat = g.wechat(&p)
	}
	if r.per(150) {
		c.Email = g.email(&p)
	}
	if r.per(580) {
		c.Address = g.address(p.city)
	}
	c.Source = t.sources.pick(r).s

	if r.per(750) {
		c.Birthday = g.birthday(&p)
	}
	if r.per(150) {
		c.Dates = g.otherDates(&p)
	}

	f := []int{16, 13, 10, 6}[c.Tier.Rank()] // better-known customers have fuller cards
	th := p.theme
	if r.per(40 * f) {
		c.Needs = of(r, th.needs)
	}
	if r.per(22 * f) {
		c.LatentNeeds = of(r, th.latent)
	}
	if r.per(30 * f) {
		c.Preferences = of(r, th.prefs)
	}
	if r.per(25 * f) {
		c.Interests = of(r, th.interests)
	}
	if r.per(12 * f) {
		c.Notes = of(r, notes)
	}

	c.Tags = g.tags(&p, c)
	c.DoNotDisturb = r.per(30)
	g.intimacy(c)
}

// code formats n as C000001.
func code(n int) string {
	s := strconv.Itoa(n)
	if len(s) < 6 {
		s = "000000"[len(s):] + s
	}
	return "C" + s
}

func (g *gen) givenName(gender crm.Gender, birthYear int) string {
	pools := &maleNames
	if gender == crm.GenderFemale {
		pools = &femaleNames
	}
	era := 1
	switch {
	case birthYear < 1970:
		era = 0
	case birthYear >= 1995:
		era = 2
	}
	p := &pools[era]
	// Neighbouring generations overlap a little.
	if x := g.r.intn(10); x == 0 && era > 0 {
		p = &pools[era-1]
	} else if x == 1 && era < 2 {
		p = &pools[era+1]
	}
	switch x := g.r.intn(100); {
	case x < 25:
		return of(g.r, p.single)
	case x < 75:
		return of(g.r, p.double)
	default: // cross two names of the pool: 晓 + 婷 → 晓婷
		a, b := []rune(of(g.r, p.double)), []rune(of(g.r, p.double))
		return string(a[0]) + string(b[1])
	}
}

// created is the card's creation date, within the three years before today; the bigger
// customers tend to be older relationships.
func (g *gen) created(tier crm.Tier) crm.Date {
	span := g.today.Sub(g.start) + 1
	d := g.r.intn(span)
	if tier == crm.TierVIP || tier == crm.TierMajor {
		d = min(d, g.r.intn(span))
	}
	return g.start.AddDays(d)
}

func (g *gen) pickTheme(p *person) *theme {
	if p.company && g.r.intn(2) == 0 {
		return &bizTheme
	}
	var ws [16]int
	total := 0
	for i := range themes {
		th := &themes[i]
		w := th.female
		if p.gender == crm.GenderMale {
			w = th.male
		}
		if p.age < th.minAge || p.age > th.maxAge {
			w = 0
		}
		if th.name == "保健养生" && p.age >= 55 {
			w *= 3
		}
		total += w
		ws[i] = total
	}
	x := g.r.intn(total)
	for i := range themes {
		if ws[i] > x {
			return &themes[i]
		}
	}
	return &themes[len(themes)-1]
}

// mobile returns a new, unused mobile number in E.164.
func (g *gen) mobile() string {
	for {
		n := g.t.mobiles.pick(g.r).v*100_000_000 + uint64(g.r.intn(100_000_000))
		if s, ok := g.claim(n); ok {
			return s
		}
	}
}

// landline returns a new, unused fixed-line number of the area code, e.g. +861066667777: an
// 8-digit subscriber number starting with 2–7 (Beijing and Shanghai have no valid 80…
// numbers), or a 7-digit one in Xiamen (0592).
func (g *gen) landline(area uint64) string {
	for {
		var n uint64
		if area == 592 {
			n = area*10_000_000 + 2_000_000 + uint64(g.r.intn(6_000_000))
		} else {
			n = area*100_000_000 + 20_000_000 + uint64(g.r.intn(60_000_000))
		}
		if s, ok := g.claim(n); ok {
			return s
		}
	}
}

// claim marks the national number n as used; false when it already was. Mobile numbers (11
// digits, leading 1) and landlines (2-digit area code + 8 digits: 10 digits starting 10 or 2x;
// 3-digit area code + 8 digits: 11 digits starting 3–9; 592 + 7 digits: 10 digits starting 59)
// never share a value.
func (g *gen) claim(n uint64) (string, bool) {
	if _, dup := g.phones[n]; dup {
		return "", false
	}
	g.phones[n] = struct{}{}
	b := make([]byte, 0, 16)
	b = append(b, "+86"...)
	return string(strconv.AppendUint(b, n, 10)), true
}

func (g *gen) remark(p *person, c *crm.Customer) string {
	r := g.r
	s := p.surname
	switch {
	case p.company && r.intn(2) == 0:
		var out string
		switch p.title.name {
		case "店长":
			out = s + "店长"
		case "办公室主任":
			out = s + "主任"
		case "行政主管":
			out = s + "主管"
		default:
			if p.title.isBig {
				out = s + "总"
			} else {
				out = s + "经理"
			}
		}
		if r.intn(2) == 0 {
			out += "(" + p.industry.short + ")"
		}
		return out
	case p.gender == crm.GenderFemale && p.theme.name == "母婴" && r.intn(2) == 0:
		if r.intn(2) == 0 {
			return of(r, babyNames) + "妈妈"
		}
		return of(r, babyNames) + "妈"
	case p.age >= 28 && r.per(80):
		return s + of(r, remarkOther)
	}
	var out string
	switch {
	case p.age >= 40 && r.per(300):
		out = "老" + s
	case p.age < 35 && r.per(300):
		out = "小" + s
	case p.gender == crm.GenderFemale:
		out = s + of(r, pickByAge(p.age, remarkFemaleYoung, remarkFemaleMid, remarkFemaleOld))
	default:
		out = s + of(r, pickByAge(p.age, remarkMaleYoung, remarkMaleMid, remarkMaleOld))
	}
	if r.per(120) && c.Source != "" { // who brought them: 李姐(美团)
		out += "(" + c.Source + ")"
	} else if r.per(80) {
		out += "-" + []string{"朋友介绍", "楼上邻居", "老同学", "前同事"}[r.intn(4)]
	}
	return out
}

func pickByAge(age int, young, mid, old []string) []string {
	switch {
	case age < 30:
		return young
	case age < 55:
		return mid
	}
	return old
}

var (
	maleNicks   = split("kevin jack leo tony eric jason mike david peter alex frank steven allen")
	femaleNicks = split("sunny lily tina amy coco vivian cindy grace helen linda anna emma momo echo candy kiki")
)

// wechat returns a WeChat ID: 6–20 characters, a letter first, then letters, digits, _ or -.
func (g *gen) wechat(p *person) string {
	r := g.r
	full := p.surPY + p.givenPY
	var id string
	switch x := r.intn(100); {
	case x < 15: // never changed the default ID
		b := make([]byte, 0, 19)
		b = append(b, "wxid_"...)
		for range 14 {
			b = append(b, "abcdefghijklmnopqrstuvwxyz0123456789"[r.intn(36)])
		}
		return string(b)
	case x < 50:
		switch r.intn(4) {
		case 0:
			id = full + strconv.Itoa(p.birthYear)
		case 1:
			id = full + strconv.Itoa(p.birthYear%100 + 100)[1:]
		case 2:
			id = full + strconv.Itoa(r.between(100, 9999))
		default:
			id = full + of(r, []string{"888", "520", "666", "168", "1314"})
		}
	case x < 65:
		id = g.initials(p) + "_" + strconv.Itoa(r.between(1000, 999999))
	case x < 80:
		nick := of(r, maleNicks)
		if p.gender == crm.GenderFemale {
			nick = of(r, femaleNicks)
		}
		if p.age < 45 {
			id = nick + "_" + p.surPY
		} else {
			id = nick + strconv.Itoa(r.between(10, 9999))
		}
	case x < 90:
		id = p.givenPY + p.surPY + strconv.Itoa(r.between(1, 99))
	default:
		id = p.surPY + "_" + p.givenPY
	}
	if len(id) > 20 {
		id = id[:20]
	}
	for len(id) < 6 {
		id += strconv.Itoa(r.intn(10))
	}
	return id
}

func (g *gen) initials(p *person) string {
	b := make([]byte, 0, 4)
	b = append(b, p.surPY[0])
	for _, ch := range p.given {
		if py := g.t.py[string(ch)]; py != "" {
			b = append(b, py[0])
		}
	}
	return string(b)
}

// email returns a pinyin-based or QQ-number address.
func (g *gen) email(p *person) string {
	r := g.r
	full := p.surPY + p.givenPY
	if r.per(350) { // a QQ number
		return strconv.Itoa(r.between(10_000, 3_999_999_999)) + "@qq.com"
	}
	var local string
	switch r.intn(6) {
	case 0:
		local = full
	case 1:
		local = full + strconv.Itoa(p.birthYear%100 + 100)[1:]
	case 2:
		local = full + strconv.Itoa(r.between(1, 9999))
	case 3:
		local = g.initials(p) + strconv.Itoa(r.between(100, 999999))
	case 4:
		local = p.surPY + "." + p.givenPY
	default:
		local = p.givenPY + p.surPY + strconv.Itoa(p.birthYear)
	}
	switch x := r.intn(100); {
	case x < 25:
		return local + "@qq.com"
	case x < 70:
		return local + "@163.com"
	default:
		return local + "@126.com"
	}
}

func (g *gen) address(ci int) string {
	r := g.r
	cy := &cities[ci]
	district := of(r, cy.districts)
	building := func() string {
		floor := r.between(1, 33)
		return of(r, estates) + strconv.Itoa(r.between(1, 28)) + "栋" +
			strconv.Itoa(floor*100+r.between(1, 6))
	}
	switch x := r.intn(100); {
	case x < 55:
		return cy.province + cy.name + district + of(r, streets) + strconv.Itoa(r.between(1, 999)) + "号" + building()
	case x < 85: // how a salesperson jots it down
		return district + building()
	default:
		return cy.province + cy.name + district + of(r, streets) + strconv.Itoa(r.between(1, 999)) + "号"
	}
}

// birthday: older customers more often keep their lunar birthday.
func (g *gen) birthday(p *person) *crm.KeyDate {
	r := g.r
	lunarPer := 130
	switch {
	case p.age >= 60:
		lunarPer = 720
	case p.age >= 45:
		lunarPer = 520
	case p.age >= 30:
		lunarPer = 300
	}
	year := 0
	if r.per(700) && p.birthYear >= crm.MinKeyDateYear && p.birthYear <= crm.MaxKeyDateYear {
		year = p.birthYear
	}
	var kd crm.KeyDate
	if r.per(lunarPer) {
		kd = g.lunarDate(year, 40)
	} else {
		kd = g.solarDate(year)
	}
	return &kd
}

var cumDays = [13]int{0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365}

// solarDate draws a day of year y uniformly (Feb 29 only in leap years; never without a year).
func (g *gen) solarDate(y int) crm.KeyDate {
	leap := y != 0 && (y%4 == 0 && y%100 != 0 || y%400 == 0)
	n := 365
	if leap {
		n = 366
	}
	doy := g.r.intn(n)
	m, d := 0, 0
	if leap && doy >= 59 {
		if doy == 59 {
			m, d = 2, 29
		} else {
			doy--
		}
	}
	if m == 0 {
		for m = 1; cumDays[m] <= doy; m++ {
		}
		d = doy - cumDays[m-1] + 1
	}
	return crm.KeyDate{Calendar: crm.Solar, Year: y, Month: m, Day: d}
}

// lunarDate draws a lunar date of lunar year y (0: unknown). With a year, the day never passes
// the month's length, and the leap month is taken, when y has one, with probability
// leapPerMille/1000. Without a year, day 30 comes half as often as the others (about half the
// lunar months have 30 days).
func (g *gen) lunarDate(y, leapPerMille int) crm.KeyDate {
	r := g.r
	kd := crm.KeyDate{Calendar: crm.Lunar, Year: y, Month: r.between(1, 12)}
	if y == 0 {
		kd.Day = r.intn(59)/2 + 1
		return kd
	}
	if lm := g.leapMonth(y); lm != 0 && r.per(leapPerMille) {
		kd.Month, kd.Leap = lm, true
	}
	kd.Day = r.between(1, g.lunarMonthDays(y, kd.Month, kd.Leap))
	return kd
}

// lunarInfo caches crm.LeapMonthOf and crm.LunarMonthDays (slow: they walk carbon's table) for
// the lunar years 1900–2100; 0 means "not computed yet".
type lunarInfo struct {
	leap [crm.LunarMaxYear - crm.LunarMinYear + 1]int8 // leap month, or -1 when none
	days [crm.LunarMaxYear - crm.LunarMinYear + 1][2][13]int8
}

func (g *gen) leapMonth(y int) int {
	if y < crm.LunarMinYear || y > crm.LunarMaxYear {
		return 0
	}
	p := &g.lunar.leap[y-crm.LunarMinYear]
	if *p == 0 {
		*p = -1
		if lm := crm.LeapMonthOf(y); lm != 0 {
			*p = int8(lm)
		}
	}
	return max(int(*p), 0)
}

// lunarMonthDays is crm.LunarMonthDays, or 29 (always safe) outside the supported years.
func (g *gen) lunarMonthDays(y, m int, leap bool) int {
	if y < crm.LunarMinYear || y > crm.LunarMaxYear || m < 1 || m > 12 {
		return 29
	}
	l := 0
	if leap {
		l = 1
	}
	p := &g.lunar.days[y-crm.LunarMinYear][l][m]
	if *p == 0 {
		n, err := crm.LunarMonthDays(y, m, leap)
		if err != nil {
			n = 29
		}
		*p = int8(n)
	}
	return int(*p)
}

// otherDates returns one or two labelled important dates, each in the past when its year is
// known.
func (g *gen) otherDates(p *person) []crm.KeyDate {
	r := g.r
	last := g.year - 1
	var cands [6]string
	n := 0
	add := func(ok bool, label string) {
		if ok {
			cands[n] = label
			n++
		}
	}
	add(p.age >= 25, labelWedding)
	add(p.age >= 25 && p.age <= 62, labelChild)
	add(p.company || r.per(150), labelOpening)
	add(p.age <= 55 && (p.company || r.per(300)), labelJob)
	add(p.age <= 50, labelMother)
	add(p.age <= 50 && r.intn(2) == 0, labelFather)
	if n == 0 {
		return nil
	}
	k := 1
	if n > 1 && r.per(200) {
		k = 2
	}
	out := make([]crm.KeyDate, 0, k)
	for len(out) < k {
		i := r.intn(n)
		label := cands[i]
		cands[i] = cands[n-1]
		n--
		var kd crm.KeyDate
		switch label {
		case labelWedding:
			kd = g.keyDateIn(p.birthYear+22, min(p.birthYear+40, last), 850, 30)
		case labelChild:
			kd = g.keyDateIn(p.birthYear+22, min(p.birthYear+42, last), 900, 100)
		case labelOpening:
			kd = g.keyDateIn(g.year-20, last, 900, 0)
		case labelJob:
			kd = g.keyDateIn(max(p.birthYear+20, g.year-25), last, 950, 0)
		default: // a parent's birthday: often lunar, year rarely noted
			kd = g.keyDateIn(p.birthYear-35, p.birthYear-20, 200, 600)
		}
		kd.Label = label
		out = append(out, kd)
	}
	return out
}

// keyDateIn draws a date whose year (known with probability knownPer/1000) lies in [lo, hi],
// lunar with probability lunarPer/1000.
func (g *gen) keyDateIn(lo, hi, knownPer, lunarPer int) crm.KeyDate {
	r := g.r
	lo, hi = max(lo, crm.MinKeyDateYear), min(hi, crm.MaxKeyDateYear)
	y := 0
	if lo <= hi && r.per(knownPer) {
		y = r.between(lo, hi)
	}
	if r.per(lunarPer) {
		return g.lunarDate(y, 0)
	}
	return g.solarDate(y)
}

// tags returns up to three tags, those that follow from the card first.
func (g *gen) tags(p *person, c *crm.Customer) []string {
	r := g.r
	var out []string
	add := func(tag string) {
		if len(out) == 3 {
			return
		}
		for _, x := range out {
			if x == tag {
				return
			}
		}
		out = append(out, tag)
	}
	rank := c.Tier.Rank()
	age := g.today.Sub(c.Created)
	if p.company && r.per(850) {
		add(tagCompany)
	}
	if c.Source == "老客户转介绍" && r.per(600) {
		add(tagReferral)
	}
	if c.Source == "社区活动" && r.per(600) {
		add(tagCommunity)
	}
	if age > 365 && r.per(350) {
		add(tagOld)
	} else if age < 90 && r.per(500) {
		add(tagNew)
	}
	if r.per([]int{700, 500, 200, 50}[rank]) {
		add(tagMember)
	}
	if r.per([]int{0, 30, 100, 250}[rank]) {
		add(tagPrice)
	}
	if p.theme.name == "母婴" && p.gender == crm.GenderFemale && r.per(500) {
		add(tagMom)
	}
	switch x := r.intn(100); {
	case x < 15:
		add(g.t.tags.pick(r).s)
		add(g.t.tags.pick(r).s)
	case x < 45:
		add(g.t.tags.pick(r).s)
	}
	return out
}

// intimacy fills 了解/亲密/忠诚 (1–5) around a level set by the tier; some cards are not assessed
// (all 0).
func (g *gen) intimacy(c *crm.Customer) {
	r := g.r
	rank := c.Tier.Rank()
	if r.per([]int{0, 50, 200, 300}[rank]) {
		return
	}
	base := 4 - rank
	level := func(bonus int) int {
		v := base + bonus
		switch x := r.intn(100); {
		case x < 25:
			v--
		case x >= 75:
			v++
		}
		return max(1, min(5, v))
	}
	c.Knowing = level(1)
	c.Closeness = level(0)
	c.Loyalty = level(0)
}
