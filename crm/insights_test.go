package crm

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

var insightDay = MustDate("2026-11-22")

// buyer is a customer whose last purchase was r days before insightDay, with n purchases in
// all, the first first days before insightDay, and f purchases worth m yuan in the last year.
func buyer(code string, r, n, first, f int, m Money) CustomerStats {
	return CustomerStats{Code: code, Tier: TierOrdinary, Purchases: n, FirstPurchase: insightDay.AddDays(-first),
		LastPurchase: insightDay.AddDays(-r), YearPurchases: f, YearAmount: m * 100}
}

// "Churn state by days since last purchase R: active (R ≤ 90), dormant (90 < R ≤ 180),
// half-lost (180 < R ≤ 365), lost (R > 365)"; "Lifecycle stage, first match wins: prospect (no
// purchase); lost / half_lost / dormant (churn state); long_term (≥ 4 purchases and first
// purchase ≥ 365 days before D); repeat (≥ 2 purchases); new (1 purchase)."
func TestStageAndChurn(t *testing.T) {
	for _, c := range []struct {
		name  string
		st    CustomerStats
		stage Stage
		churn Churn
	}{
		{"no purchase: prospect", CustomerStats{Code: "A"}, StageProspect, ""},
		{"R = 0, one purchase: new", buyer("A", 0, 1, 0, 1, 10), StageNew, ChurnActive},
		{"R = 90: active", buyer("A", 90, 1, 90, 1, 10), StageNew, ChurnActive},
		{"R = 91: dormant", buyer("A", 91, 1, 91, 1, 10), StageDormant, ChurnDormant},
		{"R = 180: dormant", buyer("A", 180, 1, 180, 1, 10), StageDormant, ChurnDormant},
		{"R = 181: half-lost", buyer("A", 181, 5, 900, 1, 10), StageHalfLost, ChurnHalfLost},
		{"R = 365: half-lost", buyer("A", 365, 5, 900, 1, 10), StageHalfLost, ChurnHalfLost},
		{"R = 366: lost", buyer("A", 366, 5, 900, 0, 0), StageLost, ChurnLost},
		{"2 purchases: repeat", buyer("A", 10, 2, 40, 2, 10), StageRepeat, ChurnActive},
		{"4 purchases, first 365 days ago: long-term", buyer("A", 10, 4, 365, 3, 10), StageLongTerm, ChurnActive},
		{"4 purchases, first 364 days ago: repeat", buyer("A", 10, 4, 364, 4, 10), StageRepeat, ChurnActive},
		{"3 purchases, first 3 years ago: repeat", buyer("A", 10, 3, 1000, 1, 10), StageRepeat, ChurnActive},
		{"churn wins over long-term", buyer("A", 100, 10, 1000, 1, 10), StageDormant, ChurnDormant},
	} {
		t.Run(c.name, func(t *testing.T) {
			cl := Classify(insightDay, DefaultPlanSettings(), []CustomerStats{c.st})
			in := cl.Insights[0]
			if in.Stage != c.stage || in.Churn != c.churn {
				t.Fatalf("stage %s churn %q, want %s %q", in.Stage, in.Churn, c.stage, c.churn)
			}
		})
	}
}

// The churn thresholds are settings.
func TestChurnThresholdsFromSettings(t *testing.T) {
	s := DefaultPlanSettings()
	s.Dormant, s.HalfLost, s.Lost = 30, 60, 90
	cl := Classify(insightDay, s, []CustomerStats{buyer("A", 31, 1, 31, 1, 1), buyer("B", 91, 1, 91, 1, 1)})
	if cl.Insights[0].Churn != ChurnDormant || cl.Insights[1].Stage != StageLost {
		t.Fatalf("%+v", cl.Insights)
	}
}

// "RFM: over customers with ≥ 1 purchase: R = D − last purchase date in days, F = purchases dated
// in (D − 365, D], M = their amount. Each is high when R ≤ mean R, F ≥ mean F, M ≥ mean M."
func TestRFMMeansAndTies(t *testing.T) {
	stats := []CustomerStats{
		buyer("A", 10, 3, 300, 3, 300), // R 10, F 3, M 300
		buyer("B", 30, 1, 30, 1, 100),  // R 30, F 1, M 100
		buyer("C", 20, 2, 200, 2, 200), // R 20 = mean, F 2 = mean, M 200 = mean: all high
		{Code: "P"},                    // a prospect: not in the means
	}
	cl := Classify(insightDay, DefaultPlanSettings(), stats)
	m := cl.Means
	if m.Customers != 3 || m.R != 20 || m.F != 2 || m.M != 20000 {
		t.Fatalf("means %+v", m)
	}
	want := []struct {
		r, f, mm bool
		seg      Segment
	}{
		{true, true, true, SegmentImportantValue},
		{false, false, false, SegmentGeneralWinback},
		{true, true, true, SegmentImportantValue}, // ties are high
		{false, false, false, ""},
	}
	for i, w := range want {
		in := cl.Insights[i]
		if in.RHigh != w.r || in.FHigh != w.f || in.MHigh != w.mm || in.Segment != w.seg {
			t.Errorf("%s: %+v, want %+v", stats[i].Code, in, w)
		}
	}
	if p := cl.Insights[3]; p.R != -1 || p.HasPurchases() || p.SuggestedTier != TierSmall {
		t.Errorf("prospect %+v", p)
	}
}

// A mean that is not a whole number is compared exactly: R = 2 against a mean of 2.0000…1/3.
func TestRFMExactMeans(t *testing.T) {
	stats := []CustomerStats{buyer("A", 2, 1, 2, 1, 1), buyer("B", 2, 1, 2, 1, 1), buyer("C", 3, 1, 3, 2, 2)}
	cl := Classify(insightDay, DefaultPlanSettings(), stats) // mean R 7/3, F 4/3, M 4/3
	if !cl.Insights[0].RHigh || cl.Insights[2].RHigh || cl.Insights[0].FHigh || !cl.Insights[2].FHigh ||
		cl.Insights[0].MHigh || !cl.Insights[2].MHigh {
		t.Fatalf("%+v", cl.Insights)
	}
}

// The eight segments: 重要价值 (H H H), 重要发展 (R high, F low, M high), 重要保持 (R low, F high,
// M high), 重要挽留 (R low, F low, M high), and 一般… likewise with M low.
func TestSegmentOf(t *testing.T) {
	for _, c := range []struct {
		r, f, m bool
		want    Segment
	}{
		{true, true, true, SegmentImportantValue},
		{true, false, true, SegmentImportantDevelop},
		{false, true, true, SegmentImportantRetain},
		{false, false, true, SegmentImportantWinback},
		{true, true, false, SegmentGeneralValue},
		{true, false, false, SegmentGeneralDevelop},
		{false, true, false, SegmentGeneralRetain},
		{false, false, false, SegmentGeneralWinback},
	} {
		if got := SegmentOf(c.r, c.f, c.m); got != c.want {
			t.Errorf("SegmentOf(%v, %v, %v) = %s, want %s", c.r, c.f, c.m, got, c.want)
		}
	}
}

// "Sort purchasing customers by that M, descending (ties by code); the shortest prefix holding
// ≥ 80% of the total is major; the first ceil(20%) of that prefix is vip; other customers with
// M > 0 are ordinary; the rest small."
func TestSuggestedTier(t *testing.T) {
	tiers := func(stats []CustomerStats) string {
		cl := Classify(insightDay, DefaultPlanSettings(), stats)
		out := ""
		for i, in := range cl.Insights {
			out += fmt.Sprintf("%s:%s ", stats[i].Code, in.SuggestedTier)
		}
		return out
	}
	for _, c := range []struct {
		name  string
		stats []CustomerStats
		want  string
	}{
		{"80% exactly is enough",
			[]CustomerStats{buyer("A", 1, 1, 1, 1, 80), buyer("B", 1, 1, 1, 1, 10), buyer("C", 1, 1, 1, 1, 10)},
			"A:vip B:ordinary C:ordinary "},
		{"just under 80% needs the next",
			[]CustomerStats{buyer("A", 1, 1, 1, 1, 79), buyer("B", 1, 1, 1, 1, 11), buyer("C", 1, 1, 1, 1, 10)},
			"A:vip B:major C:ordinary "},
		{"ties by code decide who is in the prefix",
			[]CustomerStats{buyer("B", 1, 1, 1, 1, 40), buyer("A", 1, 1, 1, 1, 40), buyer("C", 1, 1, 1, 1, 20)},
			// A (40) then B (40): 80 of 100; A is the ceil(20% of 2) = 1 vip.
			"B:major A:vip C:ordinary "},
		{"ceil(20%) of 6 is 2",
			[]CustomerStats{buyer("A", 1, 1, 1, 1, 20), buyer("B", 1, 1, 1, 1, 18), buyer("C", 1, 1, 1, 1, 16),
				buyer("D", 1, 1, 1, 1, 14), buyer("E", 1, 1, 1, 1, 12), buyer("F", 1, 1, 1, 1, 10), buyer("G", 1, 1, 1, 1, 10)},
			// total 100; A..E hold 80: prefix of 5, ceil(1) = 1 vip. (Checked again below with 6.)
			"A:vip B:major C:major D:major E:major F:ordinary G:ordinary "},
		{"ceil(20%) of a prefix of 6 is 2",
			[]CustomerStats{buyer("A", 1, 1, 1, 1, 15), buyer("B", 1, 1, 1, 1, 15), buyer("C", 1, 1, 1, 1, 15),
				buyer("D", 1, 1, 1, 1, 15), buyer("E", 1, 1, 1, 1, 15), buyer("F", 1, 1, 1, 1, 10), buyer("G", 1, 1, 1, 1, 10),
				buyer("H", 1, 1, 1, 1, 5)},
			// total 100; A..E hold 75, F brings 85: prefix of 6, ceil(1.2) = 2 vip.
			"A:vip B:vip C:major D:major E:major F:major G:ordinary H:ordinary "},
		{"M = 0 (no purchase this year) and prospects are small",
			[]CustomerStats{buyer("A", 1, 1, 1, 1, 100), buyer("B", 400, 3, 900, 0, 0), {Code: "C"}},
			"A:vip B:small C:small "},
		{"nobody bought anything this year: all small",
			[]CustomerStats{buyer("A", 400, 1, 400, 0, 0), {Code: "B"}},
			"A:small B:small "},
		{"an empty book", nil, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := tiers(c.stats); got != c.want {
				t.Fatalf("got  %s\nwant %s", got, c.want)
			}
		})
	}
}

// The user's own tier never changes the suggestion.
func TestSuggestedTierIgnoresOwnTier(t *testing.T) {
	a, b := buyer("A", 1, 1, 1, 1, 90), buyer("B", 1, 1, 1, 1, 10)
	a.Tier, b.Tier = TierSmall, TierVIP
	cl := Classify(insightDay, DefaultPlanSettings(), []CustomerStats{a, b})
	if cl.Insights[0].SuggestedTier != TierVIP || cl.Insights[1].SuggestedTier != TierOrdinary || cl.VIPCount != 1 || cl.MajorCount != 1 {
		t.Fatalf("%+v", cl)
	}
}

// Sums beyond 64 bits compare exactly.
func TestClassifyLargeAmounts(t *testing.T) {
	var stats []CustomerStats
	for i := range 50 {
		stats = append(stats, CustomerStats{Code: fmt.Sprintf("C%02d", i), Purchases: 1, FirstPurchase: insightDay,
			LastPurchase: insightDay, YearPurchases: 1, YearAmount: MaxMoney * 1000})
	}
	cl := Classify(insightDay, DefaultPlanSettings(), stats)
	if cl.MajorCount != 40 || cl.VIPCount != 8 || !cl.Insights[49].MHigh {
		t.Fatalf("major %d vip %d", cl.MajorCount, cl.VIPCount)
	}
}

func TestCompleteness(t *testing.T) {
	c := &Customer{Name: "张三"}
	p, missing := Completeness(c)
	if p != 0 || !reflect.DeepEqual(missing, ProfileFields) {
		t.Fatalf("empty card: %d %v", p, missing)
	}
	c.Phones, c.Gender, c.Birthday = []string{"+8613812345678"}, GenderFemale, &KeyDate{Calendar: Solar, Month: 5, Day: 3}
	c.WeChat, c.Tags, c.Knowing = "zs", []string{"VIP"}, 3
	p, missing = Completeness(c)
	if p != 6*100/13 || len(missing) != 7 || missing[0] != "address" {
		t.Fatalf("half card: %d %v", p, missing)
	}
	c.Address, c.Needs, c.LatentNeeds, c.Preferences, c.Interests, c.Closeness, c.Loyalty = "a", "b", "c", "d", "e", 1, 5
	if p, missing = Completeness(c); p != 100 || missing != nil {
		t.Fatalf("full card: %d %v", p, missing)
	}
	c.Gender = GenderUnknown // "unknown" is not filled in
	if p, missing = Completeness(c); p == 100 || missing[0] != "gender" {
		t.Fatalf("unknown gender: %d %v", p, missing)
	}
}

func TestPortrait(t *testing.T) {
	d := MustDate("2026-11-22") // a Sunday
	ps := []Purchase{
		{Date: MustDate("2026-11-21"), Amount: 30000, Items: "面霜、精华", Channel: Online},     // Saturday
		{Date: MustDate("2025-11-01"), Amount: 10000, Items: "面霜", Channel: Offline},       // Saturday
		{Date: MustDate("2026-05-02"), Amount: 20001, Items: "防晒, 精华；口红", Channel: Online}, // Saturday
		{Date: MustDate("2026-11-23"), Amount: 99900, Items: "未来", Channel: Online},        // after D: left out
		{Date: MustDate("2026-01-05"), Amount: 5000, Items: "口红", Channel: Offline},        // Monday
	}
	p := PortraitOf(ps, d)
	want := Portrait{Purchases: 4, Total: 65001, IntervalDays: float64(d.AddDays(-1).Sub(MustDate("2025-11-01"))) / 3,
		// Two online, two offline: a tie goes to offline. 面霜, 口红 and 精华 twice each, in the order
		// they were first bought.
		PerYear: 3, AverageTicket: 16250, UsualWeekday: time.Saturday, HasWeekday: true, Channel: Offline,
		TopItems: []string{"面霜", "口红", "精华"}}
	if !reflect.DeepEqual(p, want) {
		t.Fatalf("portrait\n %+v\nwant\n %+v", p, want)
	}
	if p := PortraitOf(nil, d); p.Purchases != 0 || p.HasWeekday || p.Channel != "" || p.TopItems != nil {
		t.Fatalf("no purchases: %+v", p)
	}
	one := PortraitOf(ps[1:2], d)
	if one.IntervalDays != 0 || one.AverageTicket != 10000 || one.Channel != Offline || one.PerYear != 0 {
		t.Fatalf("one purchase: %+v", one)
	}
	// Ties: channels → offline; weekdays → the earliest from Monday.
	tie := PortraitOf([]Purchase{{Date: MustDate("2026-11-17"), Channel: Online}, {Date: MustDate("2026-11-16"), Channel: Offline}}, d)
	if tie.Channel != Offline || tie.UsualWeekday != time.Monday {
		t.Fatalf("ties: %+v", tie)
	}
}

// benchStats is a book of n customers, 90% of them with purchases.
func benchStats(n int) []CustomerStats {
	r := rand.New(rand.NewPCG(1, 2))
	stats := make([]CustomerStats, n)
	for i := range stats {
		stats[i] = CustomerStats{ID: int64(i + 1), Code: fmt.Sprintf("C%06d", i+1), Tier: Tiers[r.IntN(4)]}
		if r.IntN(10) == 0 {
			continue
		}
		k := 1 + r.IntN(20)
		stats[i].Purchases, stats[i].FirstPurchase, stats[i].LastPurchase = k, insightDay.AddDays(-r.IntN(1000)-400), insightDay.AddDays(-r.IntN(700))
		stats[i].YearPurchases = r.IntN(k + 1)
		stats[i].YearAmount = Money(stats[i].YearPurchases) * Money(r.IntN(200000))
	}
	return stats
}

// BenchmarkClassify: the whole book of 100,000 customers (goal: the classification well under
// 300 ms; the store's summing up of 1,000,000 purchases is measured in store).
func BenchmarkClassify(b *testing.B) {
	stats := benchStats(100_000)
	s := DefaultPlanSettings()
	b.ReportAllocs()
	for b.Loop() {
		cl := Classify(insightDay, s, stats)
		if len(cl.Insights) != len(stats) {
			b.Fatal(len(cl.Insights))
		}
	}
}

// TestRankByAmount: after the packed sort and orderTies at a cut, the customers before the cut
// are those of the full ranking it replaces (amount descending, then code, then id), with many
// equal amounts, and when amounts are too big to pack.
func TestRankByAmount(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, c := range []struct {
		name   string
		amount func() Money
	}{
		{"distinct", func() Money { return Money(1 + r.Int64N(1<<40)) }},
		{"many equal", func() Money { return Money(1+r.IntN(5)) * 100 }},
		{"too big to pack", func() Money { return Money(1<<42 + r.Int64N(3)) }},
		{"mixed", func() Money {
			if r.IntN(2) == 0 {
				return 1 << 50
			}
			return Money(1 + r.IntN(3))
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			stats := make([]CustomerStats, 3000)
			var ranked []int32
			for i := range stats {
				// Codes repeat now and then (ties by id), and do not follow the ids.
				stats[i] = CustomerStats{ID: int64(i + 1), Code: fmt.Sprintf("C%04d", r.IntN(2500)), YearAmount: c.amount()}
				ranked = append(ranked, int32(i))
			}
			want := slices.Clone(ranked)
			slices.SortFunc(want, func(a, b int32) int {
				x, y := stats[a], stats[b]
				switch {
				case x.YearAmount != y.YearAmount:
					return cmp.Compare(y.YearAmount, x.YearAmount)
				case x.Code != y.Code:
					return strings.Compare(x.Code, y.Code)
				}
				return cmp.Compare(x.ID, y.ID)
			})
			for _, cut := range []int{0, 1, 7, 600, 1499, 1500, 2999, 3000} {
				got := slices.Clone(ranked)
				rankByAmount(got, stats)
				for k := 1; k < len(got); k++ {
					if stats[got[k-1]].YearAmount < stats[got[k]].YearAmount {
						t.Fatalf("not by amount at %d", k)
					}
				}
				orderTies(got, stats, cut)
				before, wantBefore := slices.Clone(got[:cut]), slices.Clone(want[:cut])
				slices.Sort(before)
				slices.Sort(wantBefore)
				if !slices.Equal(before, wantBefore) {
					t.Fatalf("cut %d: other customers before it than in the full ranking", cut)
				}
			}
		})
	}
}

// TestClassifyApartSame: a big book classified with the ranking beside the rest of the work
// gives what it gives with the ranking first.
func TestClassifyApartSame(t *testing.T) {
	stats := benchStats(3 * classifyApart)
	s := DefaultPlanSettings()
	apart := Classify(insightDay, s, stats)
	defer func(n int) { classifyApart = n }(classifyApart)
	classifyApart = len(stats) + 1
	inOrder := Classify(insightDay, s, stats)
	if !reflect.DeepEqual(apart, inOrder) {
		t.Fatalf("the classifications differ")
	}
	if apart.MajorCount == 0 || apart.VIPCount == 0 {
		t.Fatalf("no Pareto tiers: %d major, %d vip", apart.MajorCount, apart.VIPCount)
	}
}
