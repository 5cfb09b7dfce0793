package crm

import (
	"slices"
	"testing"
)

func dates(ss ...string) []Date {
	out := make([]Date, len(ss))
	for i, s := range ss {
		out[i] = MustDate(s)
	}
	return out
}

func TestMonthEnds(t *testing.T) {
	for _, tc := range []struct {
		d    string
		n    int
		want []Date
	}{
		{"2026-11-22", 4, dates("2026-08-31", "2026-09-30", "2026-10-31", "2026-11-22")},
		{"2026-03-31", 3, dates("2026-01-31", "2026-02-28", "2026-03-31")},
		{"2024-03-01", 2, dates("2024-02-29", "2024-03-01")},
		{"2026-02-10", 3, dates("2025-12-31", "2026-01-31", "2026-02-10")},
		{"2026-02-10", 1, dates("2026-02-10")},
		{"2026-02-10", 0, nil},
	} {
		if got := MonthEnds(MustDate(tc.d), tc.n); !slices.Equal(got, tc.want) {
			t.Errorf("MonthEnds(%s, %d) = %v, want %v", tc.d, tc.n, got, tc.want)
		}
	}
	if got := MonthEnds(MustDate("2026-11-22"), HoldingMonths); len(got) != 12 || got[0] != MustDate("2025-12-31") {
		t.Errorf("12 month ends = %v", got)
	}
}

func TestWeekStart(t *testing.T) {
	for _, tc := range []struct{ d, want string }{
		{"2026-11-22", "2026-11-16"}, // Sunday
		{"2026-11-16", "2026-11-16"}, // Monday
		{"2026-11-17", "2026-11-16"},
		{"2026-11-21", "2026-11-16"}, // Saturday
		{"2027-01-01", "2026-12-28"}, // across a year
	} {
		if got := WeekStart(MustDate(tc.d)); got != MustDate(tc.want) {
			t.Errorf("WeekStart(%s) = %s, want %s", tc.d, got, tc.want)
		}
	}
}

func TestHeldOn(t *testing.T) {
	e := MustDate("2026-06-30")
	for _, tc := range []struct {
		name      string
		created   string
		purchases []Date
		earlier   bool
		want      bool
	}{
		{"prospect created before", "2026-01-01", nil, false, true},
		{"prospect created on the day", "2026-06-30", nil, false, true},
		{"prospect created after", "2026-07-01", nil, false, false},
		{"bought within lost days", "2024-01-01", dates("2025-07-01"), false, true},
		{"bought exactly lost days before", "2024-01-01", dates("2025-06-30"), false, true},
		{"bought one day too early: lost", "2024-01-01", dates("2025-06-29"), false, false},
		{"only an earlier purchase: lost", "2020-01-01", nil, true, false},
		{"earlier and recent", "2020-01-01", dates("2026-06-01"), true, true},
		{"later purchases do not count", "2024-01-01", dates("2025-01-01", "2026-07-01"), false, false},
		{"only a later purchase: still a prospect", "2026-01-01", dates("2026-07-01"), false, true},
		{"created later but bought before: counts", "2026-08-01", dates("2026-05-01"), false, true},
		{"created later, bought later: not yet", "2026-08-01", dates("2026-07-05"), false, false},
		{"unordered purchases", "2024-01-01", dates("2026-08-01", "2025-01-01", "2026-02-01"), false, true},
	} {
		if got := HeldOn(e, MustDate(tc.created), tc.purchases, tc.earlier, 365); got != tc.want {
			t.Errorf("%s: HeldOn = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestRoutineOutcomeOf(t *testing.T) {
	due := MustDate("2026-11-01")
	for _, tc := range []struct {
		name    string
		d       string
		routine []Date
		want    RoutineOutcome
	}{
		{"not due yet", "2026-10-31", nil, RoutineNotDue},
		{"due today, nothing yet", "2026-11-01", nil, RoutineOpen},
		{"last day of grace, nothing yet", "2026-11-07", nil, RoutineOpen},
		{"grace ran out", "2026-11-08", nil, RoutineMissed},
		{"done on the due day", "2026-11-20", dates("2026-11-01"), RoutineOnTime},
		{"done on the last day of grace", "2026-11-20", dates("2026-11-07"), RoutineOnTime},
		{"done a day late: missed", "2026-11-20", dates("2026-11-08"), RoutineMissed},
		{"done before it was due: missed", "2026-11-20", dates("2026-10-31"), RoutineMissed},
		{"done after the day: still open", "2026-11-03", dates("2026-11-05"), RoutineOpen},
		{"done within grace, seen later", "2026-11-05", dates("2026-10-01", "2026-11-04"), RoutineOnTime},
	} {
		if got := RoutineOutcomeOf(due, 7, MustDate(tc.d), tc.routine); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestClassificationBars(t *testing.T) {
	d := MustDate("2026-11-22")
	stats := []CustomerStats{
		{ID: 3, Code: "C3", Tier: TierVIP},
		{ID: 5, Code: "C5", Tier: TierOrdinary, Purchases: 1, FirstPurchase: d.AddDays(-10), LastPurchase: d.AddDays(-10), YearPurchases: 1, YearAmount: 1000},
		{ID: 9, Code: "C9", Tier: TierOrdinary, Purchases: 2, FirstPurchase: d.AddDays(-400), LastPurchase: d.AddDays(-200), YearPurchases: 1, YearAmount: 100},
	}
	ids := []int64{3, 5, 9}
	cl := Classify(d, DefaultPlanSettings(), stats)
	stages, churn, segments, tiers, suggested := ClassificationBars(ids, stats, &cl)
	count := func(bars []Bar) map[string][]int64 {
		m := map[string][]int64{}
		for _, b := range bars {
			if b.Count != len(b.IDs) {
				t.Errorf("%s: count %d, ids %v", b.Key, b.Count, b.IDs)
			}
			if b.Count > 0 {
				m[b.Key] = b.IDs
			}
		}
		return m
	}
	if len(stages) != len(Stages) || len(churn) != len(ChurnStates) || len(segments) != len(Segments) || len(tiers) != 4 {
		t.Fatalf("bars %d %d %d %d", len(stages), len(churn), len(segments), len(tiers))
	}
	check := func(name string, got map[string][]int64, want map[string][]int64) {
		t.Helper()
		if len(got) != len(want) {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
		for k, v := range want {
			if !slices.Equal(got[k], v) {
				t.Errorf("%s[%s] = %v, want %v", name, k, got[k], v)
			}
		}
	}
	check("stages", count(stages), map[string][]int64{"prospect": {3}, "new": {5}, "half_lost": {9}})
	check("churn", count(churn), map[string][]int64{"active": {5}, "half_lost": {9}})
	check("segments", count(segments), map[string][]int64{"important_value": {5}, "general_retain": {9}})
	check("tiers", count(tiers), map[string][]int64{"vip": {3}, "ordinary": {5, 9}})
	check("suggested", count(suggested), map[string][]int64{"vip": {5}, "ordinary": {9}, "small": {3}})
}

func TestOnTimePercent(t *testing.T) {
	for _, tc := range []struct {
		on, missed, want int
		ok               bool
	}{{0, 0, 0, false}, {1, 0, 100, true}, {0, 3, 0, true}, {2, 1, 67, true}, {1, 7, 13, true}, {1, 1, 50, true}} {
		p := PlanCompletion{OnTime: Bar{Count: tc.on}, Missed: Bar{Count: tc.missed}, Open: Bar{Count: 5}}
		if got, ok := p.OnTimePercent(); got != tc.want || ok != tc.ok {
			t.Errorf("%d/%d: %d %v, want %d %v", tc.on, tc.missed, got, ok, tc.want, tc.ok)
		}
	}
}
