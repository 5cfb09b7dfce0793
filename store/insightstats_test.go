package store

import (
	"context"
	"slices"
	"testing"
	"time"

	"carebook/crm"
)

// statsBook is a small book with known dates around D = 2026-11-22 (a Sunday): its customers by
// letter.
type statsBook struct {
	s  *Store
	id map[string]int64
}

func newStatsBook(t *testing.T) *statsBook {
	t.Helper()
	s := openTest(t)
	ctx := context.Background()
	b := &statsBook{s: s, id: map[string]int64{}}
	customer := func(key, created string) {
		t.Helper()
		c := &crm.Customer{Name: "顾客" + key, Created: crm.MustDate(created)}
		if err := s.SaveCustomer(ctx, c); err != nil {
			t.Fatal(err)
		}
		b.id[key] = c.ID
	}
	buy := func(key, date string) {
		t.Helper()
		if err := s.SavePurchase(ctx, &crm.Purchase{CustomerID: b.id[key], Date: crm.MustDate(date), Amount: 10000, Channel: crm.Offline}); err != nil {
			t.Fatal(err)
		}
	}
	record := func(key, at string, kind crm.RecordKind) {
		t.Helper()
		when, err := time.Parse("2006-01-02 15:04", at)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.SaveRecord(ctx, &crm.Record{CustomerID: b.id[key], At: when, Kind: kind, Channel: crm.ChannelPhone}); err != nil {
			t.Fatal(err)
		}
	}
	// A: bought early 2025, lost through most of 2026, back in August.
	customer("A", "2024-01-01")
	buy("A", "2025-01-10")
	buy("A", "2026-08-20")
	buy("A", "2026-09-01")
	record("A", "2026-08-23 23:00", crm.KindOther) // the day before the first contact week
	record("A", "2026-08-24 08:00", crm.KindOther)
	record("A", "2026-09-03 10:00", crm.KindRoutine)
	record("A", "2026-11-16 09:00", crm.KindOther)
	record("A", "2026-11-22 20:00", crm.KindOther)
	record("A", "2026-11-23 09:00", crm.KindRoutine) // after D
	// B: a prospect since March.
	customer("B", "2026-03-15")
	record("B", "2026-11-22 10:00", crm.KindGreeting)
	// C: a card made in October for a customer who first bought in February.
	customer("C", "2026-10-01")
	buy("C", "2026-02-14")
	buy("C", "2026-11-20")
	record("C", "2026-11-21 11:00", crm.KindRoutine)
	// F: last bought in 2023: lost all year.
	customer("F", "2020-01-01")
	buy("F", "2023-05-01")
	// G: new in November, a greeting does not answer the routine items.
	customer("G", "2026-11-01")
	buy("G", "2026-11-19")
	record("G", "2026-11-20 15:00", crm.KindGreeting)
	// Not counted anywhere: created after D, and archived.
	customer("late", "2026-11-23")
	buy("late", "2026-11-10")
	customer("gone", "2025-01-01")
	buy("gone", "2026-11-10")
	record("gone", "2026-11-20 10:00", crm.KindOther)
	if err := s.ArchiveCustomer(ctx, b.id["gone"]); err != nil {
		t.Fatal(err)
	}
	return b
}

// ids maps customer letters to their ids, ascending.
func (b *statsBook) ids(keys ...string) []int64 {
	out := []int64{}
	for _, k := range keys {
		out = append(out, b.id[k])
	}
	slices.Sort(out)
	return out
}

func TestInsightStats(t *testing.T) {
	b := newStatsBook(t)
	ctx := context.Background()
	d := crm.MustDate("2026-11-22")
	ends := []string{"2025-12-31", "2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30", "2026-05-31",
		"2026-06-30", "2026-07-31", "2026-08-31", "2026-09-30", "2026-10-31", "2026-11-22"}
	for _, tc := range []struct {
		name     string
		settings func(*crm.PlanSettings)
		// held[k] are the customers held at ends[k].
		held                 [12][]string
		onTime, missed, open int
		onTimeIDs, missedIDs []string
		openIDs              []string
	}{
		{
			name: "defaults",
			held: [12][]string{{"A"}, {}, {"C"}, {"B", "C"}, {"B", "C"}, {"B", "C"}, {"B", "C"}, {"B", "C"},
				{"A", "B", "C"}, {"A", "B", "C"}, {"A", "B", "C"}, {"A", "B", "C", "G"}},
			// A: due 08-27 missed (the record of 09-03 is past its grace), 09-02 on time, 09-04
			// and 09-08 missed; C: 11-21 on time; G: 11-20 and 11-22 open.
			onTime: 2, missed: 3, open: 2,
			onTimeIDs: []string{"A", "C"}, missedIDs: []string{"A"}, openIDs: []string{"G"},
		},
		{
			name: "custom rules",
			settings: func(ps *crm.PlanSettings) {
				ps.Steps, ps.Grace = []int{2}, 3
				ps.Dormant, ps.HalfLost, ps.Lost = 60, 120, 200
			},
			held: [12][]string{{}, {}, {"C"}, {"B", "C"}, {"B", "C"}, {"B", "C"}, {"B", "C"}, {"B", "C"},
				{"A", "B", "C"}, {"A", "B"}, {"A", "B"}, {"A", "B", "C", "G"}},
			// A: 09-03 on time; C: 11-22 open (its record is the day before); G: 11-21 open.
			onTime: 1, missed: 0, open: 2,
			onTimeIDs: []string{"A"}, missedIDs: []string{}, openIDs: []string{"C", "G"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ps := crm.DefaultPlanSettings()
			if tc.settings != nil {
				tc.settings(&ps)
			}
			if err := b.s.SetPlanSettings(ctx, ps); err != nil {
				t.Fatal(err)
			}
			st, err := b.s.InsightStats(ctx, d)
			if err != nil {
				t.Fatal(err)
			}
			if st.Date != d || st.Customers != 5 {
				t.Errorf("date %s, customers %d", st.Date, st.Customers)
			}
			if len(st.Holdings) != len(ends) {
				t.Fatalf("holdings %+v", st.Holdings)
			}
			for k, e := range ends {
				h := st.Holdings[k]
				if h.Key != e || h.Date != crm.MustDate(e) || h.Count != len(tc.held[k]) || !slices.Equal(h.IDs, b.ids(tc.held[k]...)) {
					t.Errorf("held at %s: %s %d %v, want %v", e, h.Key, h.Count, h.IDs, tc.held[k])
				}
			}
			// The counts alone (the export's): the same numbers, no ids.
			bi, err := b.s.Insights(ctx, d)
			if err != nil {
				t.Fatal(err)
			}
			counts, err := b.s.InsightCounts(ctx, bi)
			if err != nil {
				t.Fatal(err)
			}
			sameCounts(t, st, counts)
			p := st.Plan
			if p.From != crm.MustDate("2026-08-24") || p.To != d {
				t.Errorf("plan window %s – %s", p.From, p.To)
			}
			for _, c := range []struct {
				bar  crm.Bar
				key  string
				n    int
				want []string
			}{
				{p.OnTime, crm.OutcomeOnTime, tc.onTime, tc.onTimeIDs},
				{p.Missed, crm.OutcomeMissed, tc.missed, tc.missedIDs},
				{p.Open, crm.OutcomeOpen, tc.open, tc.openIDs},
			} {
				if c.bar.Key != c.key || c.bar.Count != c.n || !slices.Equal(c.bar.IDs, b.ids(c.want...)) {
					t.Errorf("%s: %d %v, want %d %v", c.key, c.bar.Count, c.bar.IDs, c.n, c.want)
				}
			}
		})
	}
}

func TestInsightStatsContactsAndClasses(t *testing.T) {
	b := newStatsBook(t)
	ctx := context.Background()
	st, err := b.s.InsightStats(ctx, crm.MustDate("2026-11-22"))
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Contacts) != crm.ContactWeeks || st.Contacts[0].Date != crm.MustDate("2026-08-24") ||
		st.Contacts[12].Key != "2026-11-16" {
		t.Fatalf("weeks %+v", st.Contacts)
	}
	for k, c := range st.Contacts {
		var n int
		var who []string
		switch k {
		case 0: // A on Monday 08-24 (not the Sunday before)
			n, who = 1, []string{"A"}
		case 1: // A's routine call of 09-03
			n, who = 1, []string{"A"}
		case 12: // A twice, B, C and G; not the archived customer, not A the day after
			n, who = 5, []string{"A", "B", "C", "G"}
		}
		if c.Count != n || !slices.Equal(c.IDs, b.ids(who...)) {
			t.Errorf("week of %s: %d %v, want %d %v", c.Key, c.Count, c.IDs, n, who)
		}
	}
	want := map[string][]string{"prospect": {"B"}, "new": {"G"}, "repeat": {"A", "C"}, "lost": {"F"}}
	if len(st.Stages) != len(crm.Stages) {
		t.Fatalf("stages %+v", st.Stages)
	}
	for i, bar := range st.Stages {
		if bar.Key != string(crm.Stages[i]) || bar.Count != len(want[bar.Key]) || !slices.Equal(bar.IDs, b.ids(want[bar.Key]...)) {
			t.Errorf("stage %s: %d %v, want %v", bar.Key, bar.Count, bar.IDs, want[bar.Key])
		}
	}
	total := 0
	for _, bar := range st.Tiers {
		total += bar.Count
	}
	if total != 5 || st.Tiers[2].Key != "ordinary" || st.Tiers[2].Count != 5 {
		t.Errorf("tiers %+v", st.Tiers)
	}
	if churn := st.Churn; churn[0].Count != 3 || churn[3].Count != 1 { // A, C, G active; F lost
		t.Errorf("churn %+v", churn)
	}
}

// An empty book has every bar, all zero.
func TestInsightStatsEmptyBook(t *testing.T) {
	s := openTest(t)
	st, err := s.InsightStats(context.Background(), crm.MustDate("2026-11-22"))
	if err != nil {
		t.Fatal(err)
	}
	if st.Customers != 0 || len(st.Holdings) != 12 || len(st.Contacts) != 13 || len(st.Stages) != 7 || len(st.Segments) != 8 {
		t.Fatalf("%+v", st)
	}
	for _, bars := range [][]crm.Bar{st.Holdings, st.Contacts, st.Stages, st.Churn, st.Segments, st.Tiers, st.SuggestedTiers} {
		for _, bar := range bars {
			if bar.Count != 0 || len(bar.IDs) != 0 {
				t.Errorf("%+v", bar)
			}
		}
	}
	if _, ok := st.Plan.OnTimePercent(); ok {
		t.Errorf("a percentage of nothing")
	}
}

// sameCounts checks that counts has the bars of st, with their counts and numbers of customers
// but no ids, and that st's bars count their ids.
func sameCounts(t *testing.T, st, counts *crm.BookStats) {
	t.Helper()
	all := func(x *crm.BookStats) [][]crm.Bar {
		return [][]crm.Bar{x.Stages, x.Churn, x.Segments, x.Tiers, x.SuggestedTiers, x.Holdings, x.Contacts,
			{x.Plan.OnTime, x.Plan.Missed, x.Plan.Open}}
	}
	a, b := all(st), all(counts)
	for i := range a {
		if len(a[i]) != len(b[i]) {
			t.Fatalf("chart %d: %d bars, counted %d", i, len(a[i]), len(b[i]))
		}
		for j, x := range a[i] {
			y := b[i][j]
			if x.Key != y.Key || x.Count != y.Count || x.Customers != y.Customers || y.IDs != nil {
				t.Errorf("chart %d bar %s: %d/%d, counted %s %d/%d %v", i, x.Key, x.Count, x.Customers, y.Key, y.Count, y.Customers, y.IDs)
			}
			if x.Customers != len(x.IDs) {
				t.Errorf("chart %d bar %s: %d customers, ids %v", i, x.Key, x.Customers, x.IDs)
			}
		}
	}
	if st.Customers != counts.Customers {
		t.Errorf("customers %d, counted %d", st.Customers, counts.Customers)
	}
}
