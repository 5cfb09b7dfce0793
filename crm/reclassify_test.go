package crm

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestReclassifyMatchesClassify: for random books (amounts often equal, codes repeating, some
// customers without purchases or without M) changed at random (customers taken out, changed,
// added), Reclassify gives every customer of the changed book the insight, and the means, that
// Classify of the whole changed book gives it.
func TestReclassifyMatchesClassify(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	s := DefaultPlanSettings()
	d := insightDay
	randomStats := func(id int64) CustomerStats {
		st := CustomerStats{ID: id, Code: fmt.Sprintf("C%02d", r.IntN(40)), Tier: Tiers[r.IntN(4)]}
		switch r.IntN(6) {
		case 0: // no purchase
			return st
		case 1: // purchases, none in the year
			st.Purchases = 1 + r.IntN(3)
			st.FirstPurchase = d.AddDays(-400 - r.IntN(400))
			st.LastPurchase = st.FirstPurchase.AddDays(r.IntN(30))
			return st
		}
		st.Purchases = 1 + r.IntN(8)
		st.FirstPurchase = d.AddDays(-r.IntN(900))
		st.LastPurchase = d.AddDays(-r.IntN(300))
		if st.LastPurchase < st.FirstPurchase {
			st.FirstPurchase, st.LastPurchase = st.LastPurchase, st.FirstPurchase
		}
		st.YearPurchases = 1 + r.IntN(st.Purchases)
		st.YearAmount = Money(1+r.IntN(6)) * 10000 // many equal amounts
		if r.IntN(8) == 0 {
			st.YearAmount = 0
		}
		return st
	}
	checked := 0
	for round := range 300 {
		n := 1 + r.IntN(60)
		if round%50 == 0 {
			n = 400 + r.IntN(400)
		}
		stats := make([]CustomerStats, n)
		for i := range stats {
			stats[i] = randomStats(int64(i+1) * 2)
		}
		cl := Classify(d, s, stats)

		// The change: some customers out (archived, or changed and read again), some changed,
		// some new.
		var gone []int
		var added []CustomerStats
		for i := range stats {
			switch r.IntN(12) {
			case 0:
				gone = append(gone, i)
			case 1:
				gone = append(gone, i)
				st := randomStats(stats[i].ID)
				if r.IntN(2) == 0 {
					st.Code = stats[i].Code
				}
				added = append(added, st)
			}
		}
		for k := range r.IntN(4) {
			added = append(added, randomStats(int64(2*n+2*k+1)))
		}
		r.Shuffle(len(added), func(i, j int) { added[i], added[j] = added[j], added[i] })

		var after []CustomerStats
		for i := range stats {
			if !slices.Contains(gone, i) {
				after = append(after, stats[i])
			}
		}
		after = append(after, added...)
		want := Classify(d, s, after)

		_, means := cl.Reclassify(s, stats, gone, added, nil)
		if means != want.Means {
			t.Fatalf("round %d: means %+v, want %+v", round, means, want.Means)
		}
		for i := range after {
			x := &after[i]
			if k := slices.IndexFunc(added, func(a CustomerStats) bool { return a.ID == x.ID }); k >= 0 {
				x = &added[k]
			} else {
				x = &stats[slices.IndexFunc(stats, func(a CustomerStats) bool { return a.ID == x.ID })]
			}
			in, m := cl.Reclassify(s, stats, gone, added, x)
			if in != want.Insights[i] || m != want.Means {
				t.Fatalf("round %d, customer %d (%+v):\n got %+v\nwant %+v", round, x.ID, *x, in, want.Insights[i])
			}
			checked++
		}
	}
	t.Logf("%d insights checked", checked)
}

// TestReclassifyTiers: one sentence each of PRODUCT.md's Pareto rule, after a change.
func TestReclassifyTiers(t *testing.T) {
	d := insightDay
	s := DefaultPlanSettings()
	buyer := func(id int64, code string, m Money) CustomerStats {
		return CustomerStats{ID: id, Code: code, Purchases: 1, FirstPurchase: d.AddDays(-10), LastPurchase: d.AddDays(-10),
			YearPurchases: 1, YearAmount: m}
	}
	// Ten customers of 100 each: the major prefix is the first eight (80%), vip the first two.
	var stats []CustomerStats
	for i := range 10 {
		stats = append(stats, buyer(int64(i+1), fmt.Sprintf("C%02d", i+1), 100))
	}
	cl := Classify(d, s, stats)
	for _, c := range []struct {
		name  string
		gone  []int
		added []CustomerStats
		x     int64 // the customer asked about
		want  Tier
	}{
		{"unchanged, ties by code: the first two are vip", nil, nil, 2, TierVIP},
		{"unchanged: the third is major", nil, nil, 3, TierMajor},
		{"unchanged: the ninth is ordinary", nil, nil, 9, TierOrdinary},
		{"a purchase raises the last to the top: vip", []int{9}, []CustomerStats{buyer(10, "C10", 1000)}, 10, TierVIP},
		{"one big customer holds 80% alone: the others are ordinary", []int{9}, []CustomerStats{buyer(10, "C10", 4000)}, 1, TierOrdinary},
		{"its purchase deleted, M = 0: small", []int{0}, []CustomerStats{{ID: 1, Code: "C01"}}, 1, TierSmall},
		{"a new customer with the same amount and a lower code goes first", nil, []CustomerStats{buyer(11, "C00", 100)}, 11, TierVIP},
	} {
		t.Run(c.name, func(t *testing.T) {
			var x *CustomerStats
			for k := range c.added {
				if c.added[k].ID == c.x {
					x = &c.added[k]
				}
			}
			if x == nil {
				x = &stats[c.x-1]
			}
			in, _ := cl.Reclassify(s, stats, c.gone, c.added, x)
			if in.SuggestedTier != c.want {
				t.Fatalf("suggested %s, want %s", in.SuggestedTier, c.want)
			}
		})
	}
}
