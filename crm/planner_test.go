package crm

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"
)

// book builds a History for planner tests: customers C1, C2… created long before the tests' days.
type book struct {
	h      History
	nextID int64
}

func (b *book) id() int64 { b.nextID++; return b.nextID }

// customer adds a customer; opts change it.
func (b *book) customer(code string, opts ...func(*Customer)) *Customer {
	c := Customer{ID: b.id(), Code: code, Name: "name " + code, Gender: GenderUnknown, Tier: TierSmall,
		Created: MustDate("2020-01-01")}
	for _, o := range opts {
		o(&c)
	}
	b.h.Customers = append(b.h.Customers, c)
	return &b.h.Customers[len(b.h.Customers)-1]
}

func (b *book) purchase(c int64, day string) int64 {
	id := b.id()
	b.h.Purchases = append(b.h.Purchases, Purchase{ID: id, CustomerID: c, Date: MustDate(day), Amount: 100})
	return id
}

// record adds a record at "YYYY-MM-DD HH:MM" (or a bare day, at 10:00).
func (b *book) record(c int64, at string, kind RecordKind, next ...string) int64 {
	if len(at) == 10 {
		at += " 10:00"
	}
	t, err := time.Parse("2006-01-02 15:04", at)
	if err != nil {
		panic(err)
	}
	r := Record{ID: b.id(), CustomerID: c, At: t, Kind: kind, Channel: ChannelPhone, NextStep: "call back"}
	if len(next) > 0 {
		r.NextDate = MustDate(next[0])
	}
	b.h.Records = append(b.h.Records, r)
	return r.ID
}

func tier(t Tier) func(*Customer)      { return func(c *Customer) { c.Tier = t } }
func female(c *Customer)               { c.Gender = GenderFemale }
func dnd(c *Customer)                  { c.DoNotDisturb = true }
func archived(c *Customer)             { c.Archived = true }
func created(d string) func(*Customer) { return func(c *Customer) { c.Created = MustDate(d) } }
func birthday(k KeyDate) func(*Customer) {
	return func(c *Customer) { c.Birthday = &k }
}
func solar(m, d int) KeyDate { return KeyDate{Calendar: Solar, Month: m, Day: d} }
func lunarKD(m, d int, leap bool) KeyDate {
	return KeyDate{Calendar: Lunar, Month: m, Day: d, Leap: leap}
}

// describe writes an item as "C1 routine due=2026-11-11 +0 step=1" for comparisons.
func describe(it PlanItem) string {
	s := fmt.Sprintf("%s %s due=%s +%d", it.Customer.Code, it.Reason, it.Due, it.Overdue)
	switch it.Reason {
	case ReasonRoutine:
		s += fmt.Sprintf(" step=%d", it.Step)
	case ReasonBirthday, ReasonImportantDate:
		s += " occurs=" + it.Occurs.String()
	case ReasonHoliday:
		s += " " + it.Holiday
	case ReasonRecall:
		s += " " + string(it.Churn)
	}
	return s
}

func describeAll(items []PlanItem) []string {
	out := []string{}
	for _, it := range items {
		out = append(out, describe(it))
	}
	return out
}

func noHolidays(s *PlanSettings) {
	for k := range s.Holidays {
		s.Holidays[k] = false
	}
}

// planCase is one sentence of PRODUCT.md §2/§3 with the day it is checked on.
type planCase struct {
	name     string
	build    func(b *book)
	day      string
	settings func(*PlanSettings)
	want     []string // the Maintain list, in order
	expired  int
}

func runPlanCases(t *testing.T, cases []planCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := &book{}
			tc.build(b)
			s := DefaultPlanSettings()
			noHolidays(&s)
			s.Cadence = map[Tier]int{TierVIP: 0, TierMajor: 0, TierOrdinary: 0, TierSmall: 0}
			if tc.settings != nil {
				tc.settings(&s)
			}
			p := PlanFromHistory(MustDate(tc.day), s, &b.h)
			got := describeAll(p.Maintain)
			want := tc.want
			if want == nil {
				want = []string{}
			}
			if !slices.Equal(got, want) {
				t.Errorf("plan of %s:\n got  %q\n want %q", tc.day, got, want)
			}
			if p.Expired != tc.expired {
				t.Errorf("expired = %d, want %d", p.Expired, tc.expired)
			}
		})
	}
}

// Routine 1-3-7: "for every purchase on date P and every step s in {1, 3, 7}, due = P + s days.
// The item is open on D when due ≤ D < due + 7 (grace) and there is no record of kind routine
// dated in [due, D]. Past the grace it expires (counted as missed)."
func TestPlanRoutine137(t *testing.T) {
	buy := func(b *book) { c := b.customer("C1"); b.purchase(c.ID, "2026-11-10") }
	runPlanCases(t, []planCase{
		{name: "the purchase day itself has nothing", build: buy, day: "2026-11-10"},
		{name: "due day of step 1", build: buy, day: "2026-11-11",
			want: []string{"C1 routine due=2026-11-11 +0 step=1"}},
		{name: "step 1 then step 3 open together", build: buy, day: "2026-11-13",
			want: []string{"C1 routine due=2026-11-11 +2 step=1", "C1 routine due=2026-11-13 +0 step=3"}},
		{name: "last grace day of step 1 (due + 6)", build: buy, day: "2026-11-17",
			want: []string{"C1 routine due=2026-11-11 +6 step=1", "C1 routine due=2026-11-13 +4 step=3",
				"C1 routine due=2026-11-17 +0 step=7"}},
		{name: "past the grace step 1 expires, counted as missed", build: buy, day: "2026-11-18",
			want: []string{"C1 routine due=2026-11-13 +5 step=3", "C1 routine due=2026-11-17 +1 step=7"}, expired: 1},
		{name: "last grace day of step 7", build: buy, day: "2026-11-23",
			want: []string{"C1 routine due=2026-11-17 +6 step=7"}},
		{name: "all expired after step 7's grace", build: buy, day: "2026-11-24", expired: 1},
		{name: "a routine record dated in [due, D] closes the step", day: "2026-11-12",
			build: func(b *book) {
				c := b.customer("C1")
				b.purchase(c.ID, "2026-11-10")
				b.record(c.ID, "2026-11-11 18:00", KindRoutine)
			}},
		{name: "a routine record before the due day does not close it", day: "2026-11-13",
			build: func(b *book) {
				c := b.customer("C1")
				b.purchase(c.ID, "2026-11-10")
				b.record(c.ID, "2026-11-12", KindRoutine) // closes step 1, not step 3
			},
			want: []string{"C1 routine due=2026-11-13 +0 step=3"}},
		{name: "a record of another kind does not close it", day: "2026-11-11",
			build: func(b *book) {
				c := b.customer("C1")
				b.purchase(c.ID, "2026-11-10")
				b.record(c.ID, "2026-11-11", KindGreeting)
			},
			want: []string{"C1 routine due=2026-11-11 +0 step=1"}},
		{name: "a record closed on time is not missed", day: "2026-11-18",
			build: func(b *book) {
				c := b.customer("C1")
				b.purchase(c.ID, "2026-11-10")
				b.record(c.ID, "2026-11-17", KindRoutine)
			}},
		{name: "every purchase has its own steps", day: "2026-11-11",
			build: func(b *book) {
				c := b.customer("C1")
				b.purchase(c.ID, "2026-11-10")
				b.purchase(c.ID, "2026-11-08")
			},
			want: []string{"C1 routine due=2026-11-09 +2 step=1", "C1 routine due=2026-11-11 +0 step=1",
				"C1 routine due=2026-11-11 +0 step=3"}},
		{name: "as of D: a purchase after D does not count", day: "2026-11-11",
			build: func(b *book) { c := b.customer("C1"); b.purchase(c.ID, "2026-11-12") }},
		{name: "as of D: a routine record after D does not close", day: "2026-11-11",
			build: func(b *book) {
				c := b.customer("C1")
				b.purchase(c.ID, "2026-11-10")
				b.record(c.ID, "2026-11-12", KindRoutine)
			},
			want: []string{"C1 routine due=2026-11-11 +0 step=1"}},
		{name: "steps and grace are settings", day: "2026-11-12",
			settings: func(s *PlanSettings) { s.Steps = []int{2}; s.Grace = 1 },
			build:    buy, want: []string{"C1 routine due=2026-11-12 +0 step=2"}},
		{name: "grace 1: the day after due it has expired", day: "2026-11-13",
			settings: func(s *PlanSettings) { s.Steps = []int{2}; s.Grace = 1 },
			build:    buy, expired: 1},
		{name: "do-not-disturb customers are still maintained", day: "2026-11-11",
			build: func(b *book) { c := b.customer("C1", dnd); b.purchase(c.ID, "2026-11-10") },
			want:  []string{"C1 routine due=2026-11-11 +0 step=1"}},
		{name: "archived customers have no items", day: "2026-11-11",
			build: func(b *book) { c := b.customer("C1", archived); b.purchase(c.ID, "2026-11-10") }},
	})
}

// Follow-up: "when the customer's latest record has a next date N ≤ D, a follow_up item is open
// (due N); any newer record closes it."
func TestPlanFollowUp(t *testing.T) {
	runPlanCases(t, []planCase{
		{name: "next date today", day: "2026-11-20",
			build: func(b *book) { c := b.customer("C1"); b.record(c.ID, "2026-11-10", KindOther, "2026-11-20") },
			want:  []string{"C1 follow_up due=2026-11-20 +0"}},
		{name: "next date passed: overdue", day: "2026-11-22",
			build: func(b *book) { c := b.customer("C1"); b.record(c.ID, "2026-11-10", KindOther, "2026-11-20") },
			want:  []string{"C1 follow_up due=2026-11-20 +2"}},
		{name: "next date tomorrow: nothing yet", day: "2026-11-19",
			build: func(b *book) { c := b.customer("C1"); b.record(c.ID, "2026-11-10", KindOther, "2026-11-20") }},
		{name: "a newer record closes it", day: "2026-11-22",
			build: func(b *book) {
				c := b.customer("C1")
				b.record(c.ID, "2026-11-10", KindOther, "2026-11-20")
				b.record(c.ID, "2026-11-21", KindRoutine)
			}},
		{name: "a newer record with its own next date replaces it", day: "2026-11-22",
			build: func(b *book) {
				c := b.customer("C1")
				b.record(c.ID, "2026-11-10", KindOther, "2026-11-20")
				b.record(c.ID, "2026-11-21", KindRoutine, "2026-11-22")
			},
			want: []string{"C1 follow_up due=2026-11-22 +0"}},
		{name: "latest by date-time, not by entry order", day: "2026-11-22",
			build: func(b *book) {
				c := b.customer("C1")
				b.record(c.ID, "2026-11-15 09:00", KindOther, "2026-11-20")
				b.record(c.ID, "2026-11-12 09:00", KindOther) // entered later, happened earlier
			},
			want: []string{"C1 follow_up due=2026-11-20 +2"}},
		{name: "same date-time: the highest id is the latest", day: "2026-11-22",
			build: func(b *book) {
				c := b.customer("C1")
				b.record(c.ID, "2026-11-15 09:00", KindOther)
				b.record(c.ID, "2026-11-15 09:00", KindOther, "2026-11-21")
			},
			want: []string{"C1 follow_up due=2026-11-21 +1"}},
		{name: "as of D: a record after D does not close it", day: "2026-11-20",
			build: func(b *book) {
				c := b.customer("C1")
				b.record(c.ID, "2026-11-10", KindOther, "2026-11-20")
				b.record(c.ID, "2026-11-21", KindOther)
			},
			want: []string{"C1 follow_up due=2026-11-20 +0"}},
	})
}

// Important dates: "The item is open on D when an occurrence O falls in [D, D + 3] (3 = lead
// days) and there is no record of kind greeting dated in [O − 3, D]. Reason birthday for the
// birthday, important_date for the others. Not for do-not-disturb customers."
func TestPlanImportantDates(t *testing.T) {
	bday := func(k KeyDate, opts ...func(*Customer)) func(b *book) {
		return func(b *book) { b.customer("C1", append([]func(*Customer){birthday(k)}, opts...)...) }
	}
	// A lunar month of 29 days in 2026, for "a missing lunar day 30 → day 29".
	m29 := 0
	for m := 1; m <= 12; m++ {
		if n, _ := LunarMonthDays(2026, m, false); n == 29 {
			m29 = m
			break
		}
	}
	day29, _ := LunarToSolar(LunarDate{Year: 2026, Month: m29, Day: 29})
	leapOrdinary, _ := LunarToSolar(LunarDate{Year: 2025, Month: 6, Day: 10})
	leapItself, _ := LunarToSolar(LunarDate{Year: 2025, Month: 6, Day: 10, Leap: true})
	runPlanCases(t, []planCase{
		{name: "occurrence on D", day: "2026-11-22", build: bday(solar(11, 22)),
			want: []string{"C1 birthday due=2026-11-22 +0 occurs=2026-11-22"}},
		{name: "occurrence on D + 3 (window's far edge)", day: "2026-11-22", build: bday(solar(11, 25)),
			want: []string{"C1 birthday due=2026-11-25 +0 occurs=2026-11-25"}},
		{name: "occurrence on D + 4: not yet", day: "2026-11-22", build: bday(solar(11, 26))},
		{name: "occurrence yesterday: gone", day: "2026-11-22", build: bday(solar(11, 21))},
		{name: "year of the date is ignored", day: "2026-11-22",
			build: bday(KeyDate{Calendar: Solar, Year: 1990, Month: 11, Day: 23}),
			want:  []string{"C1 birthday due=2026-11-23 +0 occurs=2026-11-23"}},
		{name: "a greeting on O − 3 closes it", day: "2026-11-23",
			build: func(b *book) {
				c := b.customer("C1", birthday(solar(11, 25)))
				b.record(c.ID, "2026-11-22", KindGreeting)
			}},
		{name: "a greeting on O − 4 does not", day: "2026-11-22",
			build: func(b *book) {
				c := b.customer("C1", birthday(solar(11, 25)))
				b.record(c.ID, "2026-11-21", KindGreeting)
			},
			want: []string{"C1 birthday due=2026-11-25 +0 occurs=2026-11-25"}},
		{name: "a routine record does not close it", day: "2026-11-23",
			build: func(b *book) {
				c := b.customer("C1", birthday(solar(11, 25)))
				b.record(c.ID, "2026-11-23", KindRoutine)
			},
			want: []string{"C1 birthday due=2026-11-25 +0 occurs=2026-11-25"}},
		{name: "other dates are important_date", day: "2026-11-22",
			build: func(b *book) {
				b.customer("C1", func(c *Customer) {
					c.Dates = []KeyDate{{ID: 7, Label: "结婚纪念日", Calendar: Solar, Month: 11, Day: 24}}
				})
			},
			want: []string{"C1 important_date due=2026-11-24 +0 occurs=2026-11-24"}},
		{name: "not for do-not-disturb customers", day: "2026-11-22", build: bday(solar(11, 22), dnd)},
		{name: "lead days is a setting", day: "2026-11-22", build: bday(solar(11, 29)),
			settings: func(s *PlanSettings) { s.LeadDays = 7 },
			want:     []string{"C1 birthday due=2026-11-29 +0 occurs=2026-11-29"}},
		{name: "Feb 29 occurs on Feb 28 in 2026", day: "2026-02-25", build: bday(solar(2, 29)),
			want: []string{"C1 birthday due=2026-02-28 +0 occurs=2026-02-28"}},
		{name: "Feb 29 is not on Mar 1 in 2026", day: "2026-03-01", build: bday(solar(2, 29))},
		{name: "Feb 29 occurs on Feb 29 in 2028", day: "2028-02-27", build: bday(solar(2, 29)),
			want: []string{"C1 birthday due=2028-02-29 +0 occurs=2028-02-29"}},
		{name: "Feb 28 in 2028 is not Feb 29's day", day: "2028-02-28",
			build:    func(b *book) { b.customer("C1", birthday(solar(2, 29))) },
			settings: func(s *PlanSettings) { s.LeadDays = 0 }},
		{name: "lunar 八月十五 in 2026 is 2026-09-25", day: "2026-09-22", build: bday(lunarKD(8, 15, false)),
			want: []string{"C1 birthday due=2026-09-25 +0 occurs=2026-09-25"}},
		{name: "lunar 正月初一 in 2027 is 2027-02-06", day: "2027-02-06", build: bday(lunarKD(1, 1, false)),
			want: []string{"C1 birthday due=2027-02-06 +0 occurs=2027-02-06"}},
		{name: "a missing lunar day 30 occurs on day 29", day: day29.String(), build: bday(lunarKD(m29, 30, false)),
			want: []string{fmt.Sprintf("C1 birthday due=%s +0 occurs=%s", day29, day29)}},
		{name: "a leap-month date occurs in the ordinary month (2025 闰六月)", day: leapOrdinary.String(),
			build: bday(lunarKD(6, 10, true)),
			want:  []string{fmt.Sprintf("C1 birthday due=%s +0 occurs=%s", leapOrdinary, leapOrdinary)}},
		{name: "…and not in the leap month itself", day: leapItself.AddDays(-1).String(),
			build: bday(lunarKD(6, 10, true))},
		{name: "an ordinary-month date is not in the leap month either", day: leapItself.String(),
			build: bday(lunarKD(6, 10, false))},
	})
}

// Holidays: "On the holiday itself only, every customer in the book (not archived) who is not
// do-not-disturb gets a holiday item, unless they have a greeting record dated that day."
func TestPlanHolidays(t *testing.T) {
	four := func(b *book) {
		b.customer("C1")
		b.customer("C2", female)
		b.customer("C3", dnd)
		b.customer("C4", archived)
		c5 := b.customer("C5")
		b.record(c5.ID, "2026-10-01 08:00", KindGreeting)
		b.customer("C6", created("2026-10-02"))
		c7 := b.customer("C7")
		b.record(c7.ID, "2026-09-30", KindGreeting)
	}
	on := func(keys ...string) func(*PlanSettings) {
		return func(s *PlanSettings) {
			for _, k := range keys {
				s.Holidays[k] = true
			}
		}
	}
	runPlanCases(t, []planCase{
		{name: "national day: everyone but dnd, archived, greeted that day, not yet created",
			day: "2026-10-01", build: four, settings: on("national_day"),
			want: []string{"C1 holiday due=2026-10-01 +0 national_day", "C2 holiday due=2026-10-01 +0 national_day",
				"C7 holiday due=2026-10-01 +0 national_day"}},
		{name: "the day before: nothing", day: "2026-09-30", build: four, settings: on("national_day")},
		{name: "the day after: nothing (the holiday itself only)", day: "2026-10-02", build: four, settings: on("national_day")},
		{name: "a holiday turned off gives nothing", day: "2026-10-01", build: four},
		{name: "women's day: female customers only", day: "2026-03-08", build: four, settings: on("womens_day"),
			want: []string{"C2 holiday due=2026-03-08 +0 womens_day"}},
	})
}

// The holiday list with its lunar festivals on their real 2025–2027 dates.
func TestHolidayDates(t *testing.T) {
	want := map[string][3]string{
		"new_year":        {"2025-01-01", "2026-01-01", "2027-01-01"},
		"new_years_eve":   {"2025-01-28", "2026-02-16", "2027-02-05"},
		"spring_festival": {"2025-01-29", "2026-02-17", "2027-02-06"},
		"lantern":         {"2025-02-12", "2026-03-03", "2027-02-20"},
		"womens_day":      {"2025-03-08", "2026-03-08", "2027-03-08"},
		"labour_day":      {"2025-05-01", "2026-05-01", "2027-05-01"},
		"dragon_boat":     {"2025-05-31", "2026-06-19", "2027-06-09"},
		"qixi":            {"2025-08-29", "2026-08-19", "2027-08-08"},
		"mid_autumn":      {"2025-10-06", "2026-09-25", "2027-09-15"},
		"double_ninth":    {"2025-10-29", "2026-10-18", "2027-10-08"},
		"national_day":    {"2025-10-01", "2026-10-01", "2027-10-01"},
		"christmas":       {"2025-12-25", "2026-12-25", "2027-12-25"},
	}
	all := map[string]bool{}
	for _, h := range Holidays {
		all[h.Key] = true
	}
	for _, h := range Holidays {
		for i, y := range []int{2025, 2026, 2027} {
			d, ok := HolidayDate(h, y)
			if !ok || d.String() != want[h.Key][i] {
				t.Errorf("%s in %d = %v, want %s", h.Key, y, d, want[h.Key][i])
			}
			on := HolidaysOn(MustDate(want[h.Key][i]), all)
			if !slices.ContainsFunc(on, func(x Holiday) bool { return x.Key == h.Key }) {
				t.Errorf("HolidaysOn(%s) = %v, want %s among them", want[h.Key][i], on, h.Key)
			}
			if before := HolidaysOn(MustDate(want[h.Key][i]).AddDays(-1), all); slices.ContainsFunc(before, func(x Holiday) bool { return x.Key == h.Key }) {
				t.Errorf("%s also on the day before %s", h.Key, want[h.Key][i])
			}
		}
	}
	// Defaults: the eight of the spec on, the four others off.
	d := DefaultPlanSettings()
	for _, k := range []string{"new_year", "spring_festival", "lantern", "womens_day", "labour_day", "dragon_boat", "mid_autumn", "national_day"} {
		if !d.Holidays[k] {
			t.Errorf("%s off by default", k)
		}
	}
	for _, k := range []string{"new_years_eve", "qixi", "double_ninth", "christmas"} {
		if d.Holidays[k] {
			t.Errorf("%s on by default", k)
		}
	}
	// 2020-10-01 was both national day and mid-autumn.
	if got := HolidaysOn(MustDate("2020-10-01"), all); len(got) != 2 {
		t.Errorf("2020-10-01: %v", got)
	}
}

// Keep-in-touch cadence: "vip 7, major 14, ordinary 30, small 0 (off) days. due = latest
// record's date + cadence (no record: the customer's creation date + cadence). Open when due ≤
// D. Any new record closes it. Not shown for customers eligible for recall."
func TestPlanCadence(t *testing.T) {
	def := func(s *PlanSettings) { *s = DefaultPlanSettings(); noHolidays(s) }
	contacted := func(tr Tier, day string) func(b *book) {
		return func(b *book) { c := b.customer("C1", tier(tr)); b.record(c.ID, day+" 15:00", KindOther) }
	}
	runPlanCases(t, []planCase{
		{name: "vip 7 days after the last record", day: "2026-11-22", settings: def,
			build: contacted(TierVIP, "2026-11-15"), want: []string{"C1 cadence due=2026-11-22 +0"}},
		{name: "vip 6 days after: not yet", day: "2026-11-21", settings: def, build: contacted(TierVIP, "2026-11-15")},
		{name: "major 14", day: "2026-11-29", settings: def, build: contacted(TierMajor, "2026-11-15"),
			want: []string{"C1 cadence due=2026-11-29 +0"}},
		{name: "major 13: not yet", day: "2026-11-28", settings: def, build: contacted(TierMajor, "2026-11-15")},
		{name: "ordinary 30", day: "2026-12-15", settings: def, build: contacted(TierOrdinary, "2026-11-15"),
			want: []string{"C1 cadence due=2026-12-15 +0"}},
		{name: "ordinary 29: not yet", day: "2026-12-14", settings: def, build: contacted(TierOrdinary, "2026-11-15")},
		{name: "small: off", day: "2027-11-15", settings: def, build: contacted(TierSmall, "2026-11-15")},
		{name: "overdue counts from due", day: "2026-11-25", settings: def, build: contacted(TierVIP, "2026-11-15"),
			want: []string{"C1 cadence due=2026-11-22 +3"}},
		{name: "no record: from the created date", day: "2026-11-22", settings: def,
			build: func(b *book) { b.customer("C1", tier(TierVIP), created("2026-11-15")) },
			want:  []string{"C1 cadence due=2026-11-22 +0"}},
		{name: "a new record closes it", day: "2026-11-22", settings: def,
			build: func(b *book) {
				c := b.customer("C1", tier(TierVIP))
				b.record(c.ID, "2026-11-10", KindOther)
				b.record(c.ID, "2026-11-20", KindGreeting)
			}},
		{name: "cadence is a setting", day: "2026-11-18", settings: func(s *PlanSettings) { def(s); s.Cadence[TierVIP] = 3 },
			build: contacted(TierVIP, "2026-11-15"), want: []string{"C1 cadence due=2026-11-18 +0"}},
		{name: "not for a customer eligible for recall", day: "2026-11-22", settings: def,
			build: func(b *book) {
				c := b.customer("C1", tier(TierVIP))
				b.purchase(c.ID, "2026-07-01")
				b.record(c.ID, "2026-11-01", KindRecall)
			}},
		{name: "do-not-disturb customers keep their cadence", day: "2026-11-22", settings: def,
			build: contacted(TierVIP, "2026-11-15"), want: []string{"C1 cadence due=2026-11-22 +0"}},
	})
}

// Churn state by days since the last purchase R: active (R ≤ 90), dormant (90 < R ≤ 180),
// half-lost (180 < R ≤ 365), lost (R > 365); no purchases, no churn state.
func TestChurnOf(t *testing.T) {
	s := DefaultPlanSettings()
	d := MustDate("2026-11-22")
	for _, tc := range []struct {
		r    int
		want Churn
	}{{0, ChurnActive}, {90, ChurnActive}, {91, ChurnDormant}, {180, ChurnDormant}, {181, ChurnHalfLost},
		{365, ChurnHalfLost}, {366, ChurnLost}, {3000, ChurnLost}} {
		if got := s.ChurnOf(d.AddDays(-tc.r), d); got != tc.want {
			t.Errorf("R=%d: %q, want %q", tc.r, got, tc.want)
		}
	}
	if got := s.ChurnOf(0, d); got != "" {
		t.Errorf("no purchase: %q", got)
	}
}

// Recall: "vip and major customers in dormant, half-lost or lost state, and ordinary customers in
// dormant state, are eligible and get a recall item (small customers are let go). due =
// max(last purchase + 91, last recall record + 30). Open when due ≤ D."
func TestPlanRecall(t *testing.T) {
	def := func(s *PlanSettings) { *s = DefaultPlanSettings(); noHolidays(s) }
	bought := func(tr Tier, daysAgo int, recalled ...int) func(b *book) {
		return func(b *book) {
			c := b.customer("C1", tier(tr))
			b.purchase(c.ID, MustDate("2026-11-22").AddDays(-daysAgo).String())
			// a recent contact so that cadence stays quiet
			b.record(c.ID, "2026-11-21", KindOther)
			for _, r := range recalled {
				b.record(c.ID, MustDate("2026-11-22").AddDays(-r).String(), KindRecall)
			}
		}
	}
	runPlanCases(t, []planCase{
		{name: "vip at R = 90 is active: no recall", day: "2026-11-22", settings: def, build: bought(TierVIP, 90)},
		{name: "vip at R = 91 (dormant): due today", day: "2026-11-22", settings: def, build: bought(TierVIP, 91),
			want: []string{"C1 recall due=2026-11-22 +0 dormant"}},
		{name: "vip half-lost, overdue from last purchase + 91", day: "2026-11-22", settings: def, build: bought(TierVIP, 200),
			want: []string{"C1 recall due=2026-08-05 +109 half_lost"}},
		{name: "major lost", day: "2026-11-22", settings: def, build: bought(TierMajor, 400),
			want: []string{"C1 recall due=2026-01-17 +309 lost"}},
		{name: "ordinary dormant", day: "2026-11-22", settings: def, build: bought(TierOrdinary, 180),
			want: []string{"C1 recall due=2026-08-25 +89 dormant"}},
		{name: "ordinary half-lost: let go", day: "2026-11-22", settings: def, build: bought(TierOrdinary, 181)},
		{name: "small dormant: let go", day: "2026-11-22", settings: def, build: bought(TierSmall, 100)},
		{name: "a recall 29 days ago: not yet again", day: "2026-11-22", settings: def, build: bought(TierVIP, 200, 29)},
		{name: "a recall 30 days ago: due again today", day: "2026-11-22", settings: def, build: bought(TierVIP, 200, 30),
			want: []string{"C1 recall due=2026-11-22 +0 half_lost"}},
		{name: "the latest recall counts", day: "2026-11-22", settings: def, build: bought(TierVIP, 200, 60, 10)},
		{name: "no purchase: no churn, no recall", day: "2026-11-22", settings: def,
			build: func(b *book) { c := b.customer("C1", tier(TierVIP)); b.record(c.ID, "2026-11-21", KindOther) }},
		{name: "ordinary past dormancy falls back to cadence", day: "2026-11-22", settings: def,
			build: func(b *book) {
				c := b.customer("C1", tier(TierOrdinary))
				b.purchase(c.ID, "2026-01-01")
				b.record(c.ID, "2026-10-01", KindOther)
			},
			want: []string{"C1 cadence due=2026-10-31 +22"}},
		{name: "as of D: a purchase after D does not make them active", day: "2026-11-22", settings: def,
			build: func(b *book) {
				c := b.customer("C1", tier(TierVIP))
				b.purchase(c.ID, "2026-07-01")
				b.purchase(c.ID, "2026-11-30")
				b.record(c.ID, "2026-11-21", KindOther)
			},
			want: []string{"C1 recall due=2026-09-30 +53 dormant"}},
	})
}

// Order within a question: overdue first, then tier (vip → small), then due date, then name.
func TestPlanOrder(t *testing.T) {
	b := &book{}
	mk := func(code, name string, tr Tier, next string) {
		c := b.customer(code, tier(tr), func(c *Customer) { c.Name = name })
		b.record(c.ID, "2026-11-01", KindOther, next)
	}
	mk("C1", "b", TierSmall, "2026-11-22")    // due today, small
	mk("C2", "a", TierSmall, "2026-11-22")    // due today, small, name a
	mk("C3", "z", TierVIP, "2026-11-22")      // due today, vip
	mk("C4", "y", TierSmall, "2026-11-20")    // overdue 2, small
	mk("C5", "x", TierMajor, "2026-11-21")    // overdue 1, major
	mk("C6", "w", TierMajor, "2026-11-15")    // overdue 7, major
	mk("C7", "v", TierOrdinary, "2026-11-22") // due today, ordinary
	s := DefaultPlanSettings()
	noHolidays(&s)
	s.Cadence = map[Tier]int{}
	p := PlanFromHistory(MustDate("2026-11-22"), s, &b.h)
	var got []string
	for _, it := range p.Maintain {
		got = append(got, it.Customer.Code)
	}
	want := []string{"C6", "C5", "C4", "C3", "C7", "C2", "C1"}
	if !slices.Equal(got, want) {
		t.Errorf("order %v, want %v", got, want)
	}
}

// Snoozes hide an item on the days before their Until.
func TestPlanSnooze(t *testing.T) {
	b := &book{}
	c := b.customer("C1")
	pid := b.purchase(c.ID, "2026-11-10")
	b.h.Snoozes = []Snooze{{CustomerID: c.ID, Reason: ReasonRoutine, Ref: fmt.Sprintf("%d:1", pid), Until: MustDate("2026-11-13")}}
	s := DefaultPlanSettings()
	noHolidays(&s)
	for day, want := range map[string][]string{
		"2026-11-11": {},
		"2026-11-12": {},
		"2026-11-13": {"C1 routine due=2026-11-11 +2 step=1", "C1 routine due=2026-11-13 +0 step=3"},
	} {
		got := describeAll(PlanFromHistory(MustDate(day), s, &b.h).Maintain)
		if !slices.Equal(got, want) {
			t.Errorf("%s: %q, want %q", day, got, want)
		}
	}
}

// The occurrence window agrees with KeyDate.NextOccurrence for every kind of date on every day
// of 2025–2028.
func TestOccurrenceWindowMatchesNextOccurrence(t *testing.T) {
	var keys []KeyDate
	for m := 1; m <= 12; m++ {
		for _, d := range []int{1, 15, 28, 29, 30, 31} {
			if ValidSolar(0, m, d) {
				keys = append(keys, solar(m, d))
			}
			if d <= 30 {
				keys = append(keys, lunarKD(m, d, false), lunarKD(m, d, true))
			}
		}
	}
	for d := MustDate("2025-01-01"); d <= MustDate("2028-12-31"); d += 3 {
		w := newOccurrenceWindow(d, d.AddDays(3))
		for i := range keys {
			k := &keys[i]
			got, ok := w.occurs(k)
			next, err := k.NextOccurrence(d)
			want := err == nil && next <= d.AddDays(3)
			if ok != want || (ok && got != next) {
				t.Fatalf("%v on %v: window %v %v, NextOccurrence %v %v", k, d, got, ok, next, err)
			}
		}
	}
}

func TestPlanSettingsValuesRoundTrip(t *testing.T) {
	s := DefaultPlanSettings()
	s.Steps = []int{2, 5}
	s.Cadence[TierSmall] = 60
	s.Holidays["qixi"] = true
	s.RecallRepeat = 45
	got := ParsePlanSettings(s.Values())
	if fmt.Sprint(got) != fmt.Sprint(s) {
		t.Errorf("round trip:\n got %v\nwant %v", got, s)
	}
	// Damaged values fall back to the defaults field by field.
	v := s.Values()
	v[SettingSteps] = "7,3"
	v[SettingGrace] = "abc"
	v[SettingLost] = "100" // below half-lost
	got = ParsePlanSettings(v)
	d := DefaultPlanSettings()
	if !slices.Equal(got.Steps, d.Steps) || got.Grace != d.Grace || got.Lost != d.Lost || got.RecallRepeat != 45 {
		t.Errorf("damaged: %+v", got)
	}
}

func TestPlanSettingsValidate(t *testing.T) {
	for _, tc := range []struct {
		field string
		edit  func(*PlanSettings)
	}{
		{"steps", func(s *PlanSettings) { s.Steps = nil }},
		{"steps", func(s *PlanSettings) { s.Steps = []int{3, 1} }},
		{"steps", func(s *PlanSettings) { s.Steps = []int{0, 1} }},
		{"grace", func(s *PlanSettings) { s.Grace = 0 }},
		{"lead_days", func(s *PlanSettings) { s.LeadDays = -1 }},
		{"cadence.vip", func(s *PlanSettings) { s.Cadence[TierVIP] = 366 }},
		{"half_lost", func(s *PlanSettings) { s.HalfLost = 90 }},
		{"lost", func(s *PlanSettings) { s.Lost = 180 }},
		{"recall_repeat", func(s *PlanSettings) { s.RecallRepeat = 0 }},
	} {
		s := DefaultPlanSettings()
		tc.edit(&s)
		if es := s.Validate(); es.For(tc.field) == nil {
			t.Errorf("%s: no error in %v", tc.field, es)
		}
	}
	if es := DefaultPlanSettings().Validate(); es != nil {
		t.Errorf("defaults invalid: %v", es)
	}
	if st, ok := ParseSteps("1，3、 7"); !ok || !slices.Equal(st, []int{1, 3, 7}) {
		t.Errorf("ParseSteps: %v %v", st, ok)
	}
}

func TestFillTemplate(t *testing.T) {
	got := FillTemplate("{remark}您好，{holiday}快乐！{event} {date} {other}", TemplateVars{Name: "张三", Holiday: "中秋节", Event: "会员日", Date: "11月25日"})
	if want := "张三您好，中秋节快乐！会员日 11月25日 {other}"; got != want {
		t.Errorf("%q, want %q", got, want)
	}
	it := PlanItem{Reason: ReasonRoutine, Step: 3}
	if it.TemplateKey() != TemplateUsage {
		t.Error(it.TemplateKey())
	}
	for _, r := range []Reason{ReasonRoutine, ReasonFollowUp, ReasonCadence} {
		if r.RecordKind() != KindRoutine {
			t.Error(r)
		}
	}
	if ReasonBirthday.RecordKind() != KindGreeting || ReasonHoliday.RecordKind() != KindGreeting || ReasonRecall.RecordKind() != KindRecall {
		t.Error("record kinds")
	}
}

// A book planned in two halves at once gives the plan of the whole book planned at once, in the
// order of §3, on an ordinary day, a holiday and women's day (names drawn from a few so that
// the order often comes down to code, customer and reason).
func TestPlanHalvesMatchWhole(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	b := &book{}
	names := []string{"王芳", "李娜", "张伟", "王芳芳", "a", "A", ""}
	for i := range 3000 {
		c := b.customer(fmt.Sprintf("C%05d", r.IntN(100000)), tier(Tiers[r.IntN(len(Tiers))]), func(c *Customer) {
			c.Name = names[r.IntN(len(names))] + names[r.IntN(len(names))]
			if r.IntN(2) == 0 {
				c.Gender = GenderFemale
			}
			c.DoNotDisturb = r.IntN(20) == 0
			c.Created = MustDate("2024-01-01").AddDays(r.IntN(1000))
			if r.IntN(3) == 0 {
				k := solar(1+r.IntN(12), 1+r.IntN(28))
				c.Birthday = &k
			}
		})
		id := c.ID
		for range r.IntN(4) {
			b.purchase(id, MustDate("2026-01-01").AddDays(r.IntN(300)).String())
		}
		for range r.IntN(4) {
			day := MustDate("2026-01-01").AddDays(r.IntN(300)).String()
			kinds := []RecordKind{KindRoutine, KindGreeting, KindRecall, KindOther}
			if r.IntN(2) == 0 {
				b.record(id, day, kinds[r.IntN(len(kinds))], MustDate(day).AddDays(r.IntN(30)).String())
			} else {
				b.record(id, day, kinds[r.IntN(len(kinds))])
			}
		}
		if i%500 == 0 {
			b.h.Snoozes = append(b.h.Snoozes, Snooze{CustomerID: id, Reason: ReasonCadence, Until: MustDate("2026-12-31")})
		}
	}
	defer func(f func(int) int) { planParts = f }(planParts)
	for _, day := range []string{"2026-10-20", "2026-10-01", "2026-03-08"} {
		d := MustDate(day)
		planParts = func(int) int { return 1 }
		whole := PlanFromHistory(d, DefaultPlanSettings(), &b.h)
		planParts = func(int) int { return 2 }
		halves := PlanFromHistory(d, DefaultPlanSettings(), &b.h)
		if len(whole.Maintain) < 1000 {
			t.Fatalf("%s: only %d items: the book tests too little", day, len(whole.Maintain))
		}
		if !reflect.DeepEqual(whole, halves) {
			t.Errorf("%s: planned in halves, the plan differs (%d items, %d expired; whole %d, %d)",
				day, len(halves.Maintain), halves.Expired, len(whole.Maintain), whole.Expired)
		}
		for i := 1; i < len(halves.Maintain); i++ {
			if compareItems(&halves.Maintain[i-1], &halves.Maintain[i]) >= 0 {
				t.Fatalf("%s: items %d and %d out of order: %s, %s", day, i-1, i,
					describe(halves.Maintain[i-1]), describe(halves.Maintain[i]))
			}
		}
	}
}
