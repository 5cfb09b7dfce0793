package store

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"testing"
	"time"

	"carebook/crm"
)

// insightBook is a small book on day insightDay: 甲 bought twice (the last 30 days ago), 乙 once
// 200 days ago, 丙 never.
var insightDay = crm.MustDate("2026-03-15") // fixedNow's day

type insightFixture struct {
	s          *Store
	a, b, c    *crm.Customer
	aLast, bPu *crm.Purchase
}

func newInsightBook(t *testing.T) *insightFixture {
	t.Helper()
	s := openTest(t)
	ctx := context.Background()
	f := &insightFixture{s: s}
	save := func(c *crm.Customer) *crm.Customer {
		t.Helper()
		if err := s.SaveCustomer(ctx, c); err != nil {
			t.Fatal(err)
		}
		return c
	}
	buy := func(c *crm.Customer, date string, yuan crm.Money) *crm.Purchase {
		t.Helper()
		p := &crm.Purchase{CustomerID: c.ID, Date: crm.MustDate(date), Amount: yuan * 100, Channel: crm.Offline}
		if err := s.SavePurchase(ctx, p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	f.a = save(&crm.Customer{Name: "甲", Phones: []string{"13800000001"}, Created: crm.MustDate("2025-01-01")})
	buy(f.a, "2025-12-01", 100)
	f.aLast = buy(f.a, "2026-02-13", 300)
	f.b = save(&crm.Customer{Name: "乙", Phones: []string{"13800000002"}, Created: crm.MustDate("2025-01-01")})
	f.bPu = buy(f.b, "2025-08-27", 50)
	f.c = save(&crm.Customer{Name: "丙", Created: crm.MustDate("2026-01-01")})
	return f
}

func mustInsights(t *testing.T, s *Store) *BookInsights {
	t.Helper()
	bi, err := s.Insights(context.Background(), insightDay)
	if err != nil {
		t.Fatal(err)
	}
	return bi
}

func stageOf(t *testing.T, bi *BookInsights, id int64) crm.Stage {
	t.Helper()
	in, ok := bi.Insight(id)
	if !ok {
		return ""
	}
	return in.Stage
}

// searchIDs returns the ids Search finds for q on insightDay.
func searchIDs(t *testing.T, s *Store, q Query) []int64 {
	t.Helper()
	q.Day = insightDay
	res, err := s.Search(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, r := range res {
		ids = append(ids, r.ID)
	}
	return ids
}

// Every write that changes what the classification reads drops the cached one: the next
// Insights, and the next Search filtering by it, show the change.
func TestInsightsCacheFollowsEveryWrite(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		write func(t *testing.T, f *insightFixture)
		check func(t *testing.T, f *insightFixture, bi *BookInsights)
	}{
		{"SaveCustomer new", func(t *testing.T, f *insightFixture) {
			if err := f.s.SaveCustomer(ctx, &crm.Customer{Name: "丁"}); err != nil {
				t.Fatal(err)
			}
		}, func(t *testing.T, f *insightFixture, bi *BookInsights) {
			if len(bi.IDs) != 4 || len(searchIDs(t, f.s, Query{Stage: crm.StageProspect})) != 2 {
				t.Errorf("the new customer is not a prospect: %v", bi.IDs)
			}
		}},
		{"SaveCustomer tier", func(t *testing.T, f *insightFixture) {
			c, _ := f.s.Customer(ctx, f.b.ID)
			c.Tier = crm.TierVIP
			if err := f.s.SaveCustomer(ctx, c); err != nil {
				t.Fatal(err)
			}
		}, func(t *testing.T, f *insightFixture, bi *BookInsights) {
			if st, _ := bi.Stat(f.b.ID); st.Tier != crm.TierVIP {
				t.Errorf("tier %q", st.Tier)
			}
		}},
		{"SaveCustomer code", func(t *testing.T, f *insightFixture) {
			c, _ := f.s.Customer(ctx, f.b.ID)
			c.Code = "B-1"
			if err := f.s.SaveCustomer(ctx, c); err != nil {
				t.Fatal(err)
			}
		}, func(t *testing.T, f *insightFixture, bi *BookInsights) {
			if st, _ := bi.Stat(f.b.ID); st.Code != "B-1" {
				t.Errorf("code %q", st.Code)
			}
		}},
		{"SaveCustomer created after the day", func(t *testing.T, f *insightFixture) {
			c, _ := f.s.Customer(ctx, f.c.ID)
			c.Created = insightDay.AddDays(1)
			if err := f.s.SaveCustomer(ctx, c); err != nil {
				t.Fatal(err)
			}
		}, func(t *testing.T, f *insightFixture, bi *BookInsights) {
			if _, ok := bi.Insight(f.c.ID); ok {
				t.Errorf("a customer created after the day is classified")
			}
		}},
		{"ArchiveCustomer", func(t *testing.T, f *insightFixture) {
			if err := f.s.ArchiveCustomer(ctx, f.a.ID); err != nil {
				t.Fatal(err)
			}
		}, func(t *testing.T, f *insightFixture, bi *BookInsights) {
			if _, ok := bi.Insight(f.a.ID); ok || len(searchIDs(t, f.s, Query{Stage: crm.StageRepeat})) != 0 {
				t.Errorf("an archived customer is classified")
			}
		}},
		{"RestoreCustomer", func(t *testing.T, f *insightFixture) {
			if err := f.s.ArchiveCustomer(ctx, f.a.ID); err != nil {
				t.Fatal(err)
			}
			mustInsights(t, f.s) // cached without 甲
			if err := f.s.RestoreCustomer(ctx, f.a.ID); err != nil {
				t.Fatal(err)
			}
		}, func(t *testing.T, f *insightFixture, bi *BookInsights) {
			if stageOf(t, bi, f.a.ID) != crm.StageRepeat {
				t.Errorf("a restored customer is not classified")
			}
		}},
		{"PurgeCustomer", func(t *testing.T, f *insightFixture) {
			if err := f.s.ArchiveCustomer(ctx, f.b.ID); err != nil {
				t.Fatal(err)
			}
			if err := f.s.RestoreCustomer(ctx, f.b.ID); err != nil {
				t.Fatal(err)
			}
			mustInsights(t, f.s)
			if err := f.s.PurgeCustomer(ctx, f.b.ID); err != nil {
				t.Fatal(err)
			}
		}, func(t *testing.T, f *insightFixture, bi *BookInsights) {
			if _, ok := bi.Insight(f.b.ID); ok || bi.Classification.Means.Customers != 1 {
				t.Errorf("a purged customer is classified: %+v", bi.Classification.Means)
			}
		}},
		{"SavePurchase new", func(t *testing.T, f *insightFixture) {
			if err := f.s.SavePurchase(ctx, &crm.Purchase{CustomerID: f.c.ID, Date: insightDay, Amount: 100, Channel: crm.Online}); err != nil {
				t.Fatal(err)
			}
		}, func(t *testing.T, f *insightFixture, bi *BookInsights) {
			if stageOf(t, bi, f.c.ID) != crm.StageNew || !slices.Equal(searchIDs(t, f.s, Query{Stage: crm.StageNew}), []int64{f.c.ID}) {
				t.Errorf("丙 is %q", stageOf(t, bi, f.c.ID))
			}
		}},
		{"SavePurchase update", func(t *testing.T, f *insightFixture) {
			p := *f.bPu
			p.Date = insightDay.AddDays(-10)
			if err := f.s.SavePurchase(ctx, &p); err != nil {
				t.Fatal(err)
			}
		}, func(t *testing.T, f *insightFixture, bi *BookInsights) {
			if in, _ := bi.Insight(f.b.ID); in.R != 10 || in.Stage != crm.StageNew {
				t.Errorf("乙 %+v", in)
			}
		}},
		{"DeletePurchase", func(t *testing.T, f *insightFixture) {
			if err := f.s.DeletePurchase(ctx, f.bPu.ID); err != nil {
				t.Fatal(err)
			}
		}, func(t *testing.T, f *insightFixture, bi *BookInsights) {
			if stageOf(t, bi, f.b.ID) != crm.StageProspect {
				t.Errorf("乙 is %q", stageOf(t, bi, f.b.ID))
			}
		}},
		{"InsertCustomers", func(t *testing.T, f *insightFixture) {
			if err := f.s.InsertCustomers(ctx, []crm.Customer{{Name: "戊"}, {Name: "己"}}); err != nil {
				t.Fatal(err)
			}
		}, func(t *testing.T, f *insightFixture, bi *BookInsights) {
			if len(bi.IDs) != 5 {
				t.Errorf("ids %v", bi.IDs)
			}
		}},
		{"InsertPurchases", func(t *testing.T, f *insightFixture) {
			if err := f.s.InsertPurchases(ctx, []crm.Purchase{{CustomerID: f.c.ID, Date: insightDay.AddDays(-1), Amount: 1, Channel: crm.Offline}}); err != nil {
				t.Fatal(err)
			}
		}, func(t *testing.T, f *insightFixture, bi *BookInsights) {
			if stageOf(t, bi, f.c.ID) != crm.StageNew {
				t.Errorf("丙 is %q", stageOf(t, bi, f.c.ID))
			}
		}},
		{"Import customers", func(t *testing.T, f *insightFixture) {
			bb := newBatch()
			bb.customer(crm.Customer{Name: "庚", Phones: []string{"13900009999"}})
			mustImport(t, f.s, &bb.b)
		}, func(t *testing.T, f *insightFixture, bi *BookInsights) {
			if len(bi.IDs) != 4 {
				t.Errorf("ids %v", bi.IDs)
			}
		}},
		{"Import purchases only", func(t *testing.T, f *insightFixture) {
			bb := newBatch()
			bb.purchase(f.c.Code, "", crm.Purchase{Date: insightDay.AddDays(-2), Amount: 5000, Channel: crm.Offline})
			mustImport(t, f.s, &bb.b)
		}, func(t *testing.T, f *insightFixture, bi *BookInsights) {
			if stageOf(t, bi, f.c.ID) != crm.StageNew {
				t.Errorf("丙 is %q", stageOf(t, bi, f.c.ID))
			}
		}},
		{"SetPlanSettings churn", func(t *testing.T, f *insightFixture) {
			ps, _ := f.s.PlanSettings(ctx)
			ps.Dormant = 20
			if err := f.s.SetPlanSettings(ctx, ps); err != nil {
				t.Fatal(err)
			}
		}, func(t *testing.T, f *insightFixture, bi *BookInsights) {
			if in, _ := bi.Insight(f.a.ID); in.Churn != crm.ChurnDormant || in.Stage != crm.StageDormant {
				t.Errorf("甲 %+v", in)
			}
		}},
		{"SetSetting churn", func(t *testing.T, f *insightFixture) {
			if err := f.s.SetSetting(ctx, crm.SettingLost, "190"); err != nil {
				t.Fatal(err)
			}
		}, func(t *testing.T, f *insightFixture, bi *BookInsights) {
			if in, _ := bi.Insight(f.b.ID); in.Churn != crm.ChurnLost {
				t.Errorf("乙 %+v", in)
			}
		}},
		{"SetTiers", func(t *testing.T, f *insightFixture) {
			if _, err := f.s.SetTiers(ctx, map[int64]crm.Tier{f.a.ID: crm.TierSmall}); err != nil {
				t.Fatal(err)
			}
		}, func(t *testing.T, f *insightFixture, bi *BookInsights) {
			if st, _ := bi.Stat(f.a.ID); st.Tier != crm.TierSmall {
				t.Errorf("tier %q", st.Tier)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newInsightBook(t)
			before := mustInsights(t, f.s)
			if got := searchIDs(t, f.s, Query{Stage: crm.StageRepeat}); !slices.Equal(got, []int64{f.a.ID}) {
				t.Fatalf("repeat customers before %v", got)
			}
			if again := mustInsights(t, f.s); again != before {
				t.Fatalf("not cached")
			}
			tc.write(t, f)
			after := mustInsights(t, f.s)
			if after == before {
				t.Fatalf("still the classification from before the write")
			}
			tc.check(t, f, after)
			// What is cached now is what a fresh read gives.
			f.s.insightsChanged()
			fresh := mustInsights(t, f.s)
			if !slices.Equal(fresh.IDs, after.IDs) || !slices.Equal(fresh.Stats, after.Stats) ||
				!slices.Equal(fresh.Classification.Insights, after.Classification.Insights) {
				t.Errorf("cached %+v\nfresh %+v", after.Stats, fresh.Stats)
			}
		})
	}
}

// Writes that cannot change a classification keep the cached one.
func TestInsightsCacheKeptByNeutralWrites(t *testing.T) {
	ctx := context.Background()
	f := newInsightBook(t)
	s := f.s
	before := mustInsights(t, s)
	c, _ := s.Customer(ctx, f.a.ID)
	c.Notes, c.Needs = "喜欢红色", "面霜"
	if err := s.SaveCustomer(ctx, c); err != nil {
		t.Fatal(err)
	}
	r := &crm.Record{CustomerID: f.a.ID, At: time.Date(2026, 3, 14, 10, 0, 0, 0, time.UTC), Kind: crm.KindRoutine, Channel: crm.ChannelPhone}
	if err := s.SaveRecord(ctx, r); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteRecord(ctx, r.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.Snooze(ctx, crm.Snooze{CustomerID: f.a.ID, Reason: crm.ReasonRoutine, Ref: "x", Until: insightDay.AddDays(3)}); err != nil {
		t.Fatal(err)
	}
	s.indexDrop()
	if _, err := s.Search(ctx, Query{Text: "jia"}); err != nil { // loads the index under writeMu
		t.Fatal(err)
	}
	if mustInsights(t, s) != before {
		t.Errorf("a write that changes no classification dropped the cache")
	}
	// A day is cached beside another.
	other, err := s.Insights(ctx, insightDay.AddDays(-100))
	if err != nil {
		t.Fatal(err)
	}
	if mustInsights(t, s) != before || other.Date != insightDay.AddDays(-100) {
		t.Errorf("the other day replaced today's classification")
	}
}

// Concurrent readers and writers: what is cached always describes a book at rest (run with
// -race).
func TestInsightsCacheConcurrentWrites(t *testing.T) {
	ctx := context.Background()
	f := newInsightBook(t)
	s := f.s
	done := make(chan error)
	go func() {
		for i := range 20 {
			if err := s.SavePurchase(ctx, &crm.Purchase{CustomerID: f.c.ID, Date: insightDay.AddDays(-i), Amount: 100, Channel: crm.Offline}); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	for range 20 {
		if _, err := s.Insights(ctx, insightDay); err != nil {
			t.Fatal(err)
		}
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	st, _ := mustInsights(t, s).Stat(f.c.ID)
	if st.Purchases != 20 {
		t.Errorf("丙 has %d purchases after the writes, want 20", st.Purchases)
	}
}

// The customer list filters by stage, churn state, segment and suggested tier, and sorts by
// last purchase, M and R; the text and the other filters still apply.
func TestSearchByInsights(t *testing.T) {
	f := newInsightBook(t)
	s := f.s
	ids := func(cs ...*crm.Customer) []int64 {
		var out []int64
		for _, c := range cs {
			out = append(out, c.ID)
		}
		return out
	}
	for _, tc := range []struct {
		name string
		q    Query
		want []int64
	}{
		{"all, by name", Query{}, ids(f.c, f.a, f.b)}, // bing, jia, yi
		{"stage prospect", Query{Stage: crm.StageProspect}, ids(f.c)},
		{"stage repeat", Query{Stage: crm.StageRepeat}, ids(f.a)},
		{"stage half-lost", Query{Stage: crm.StageHalfLost}, ids(f.b)},
		{"churn active", Query{Churn: crm.ChurnActive}, ids(f.a)},
		{"churn half-lost", Query{Churn: crm.ChurnHalfLost}, ids(f.b)},
		{"segment", Query{Segment: crm.SegmentImportantValue}, ids(f.a)},
		{"segment general winback", Query{Segment: crm.SegmentGeneralWinback}, ids(f.b)},
		{"suggested vip", Query{Suggested: crm.TierVIP}, ids(f.a)},
		{"suggested small", Query{Suggested: crm.TierSmall}, ids(f.c)},
		{"suggested ordinary", Query{Suggested: crm.TierOrdinary}, ids(f.b)},
		{"text and stage", Query{Text: "yi", Stage: crm.StageHalfLost}, ids(f.b)},
		{"text and other stage", Query{Text: "yi", Stage: crm.StageRepeat}, nil},
		{"tier and stage", Query{Tier: crm.TierVIP, Stage: crm.StageRepeat}, nil},
		{"sort last purchase", Query{Sort: crm.SortLastPurchase}, ids(f.a, f.b, f.c)},
		{"sort amount", Query{Sort: crm.SortAmount}, ids(f.a, f.b, f.c)},
		{"sort recency", Query{Sort: crm.SortRecency}, ids(f.b, f.a, f.c)},
		{"sort with text", Query{Text: "138", Sort: crm.SortRecency}, ids(f.b, f.a)},
		{"archived and stage", Query{Archived: true, Stage: crm.StageRepeat}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := searchIDs(t, s, tc.q); !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}

	// The results carry their insights; a plain search does not read the classification.
	res, err := s.Search(context.Background(), Query{Day: insightDay, Sort: crm.SortAmount})
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Insight == nil || res[0].Insight.M != 40000 || res[0].Insight.R != 30 {
		t.Errorf("甲's insight %+v", res[0].Insight)
	}
	res, _ = s.Search(context.Background(), Query{})
	for _, r := range res {
		if r.Insight != nil {
			t.Errorf("a plain search gave %s an insight", r.Name)
		}
	}
	// A zero day is today by the store's clock.
	res, _ = s.Search(context.Background(), Query{Stage: crm.StageRepeat})
	if len(res) != 1 || res[0].ID != f.a.ID {
		t.Errorf("today's repeat customers %v", res)
	}
}

// SetTiers writes every tier in one transaction: a missing customer, an invalid tier or a
// cancelled context leave the book as it was.
func TestSetTiers(t *testing.T) {
	ctx := context.Background()
	f := newInsightBook(t)
	s := f.s
	if _, err := s.Search(ctx, Query{}); err != nil { // the index loaded, to see it follow
		t.Fatal(err)
	}
	tierOf := func(id int64) crm.Tier {
		t.Helper()
		c, err := s.Customer(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return c.Tier
	}
	unchanged := func(what string) {
		t.Helper()
		for _, c := range []*crm.Customer{f.a, f.b, f.c} {
			if got := tierOf(c.ID); got != crm.TierOrdinary {
				t.Errorf("%s: %s is %s", what, c.Name, got)
			}
		}
		if res := searchIDs(t, s, Query{Tier: crm.TierOrdinary}); len(res) != 3 {
			t.Errorf("%s: the list has %d ordinary customers", what, len(res))
		}
	}

	_, err := s.SetTiers(ctx, map[int64]crm.Tier{f.a.ID: crm.TierVIP, f.b.ID: crm.TierSmall, 999: crm.TierMajor})
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("missing customer: %v", err)
	}
	unchanged("missing customer")
	var ferrs crm.Errors
	if _, err := s.SetTiers(ctx, map[int64]crm.Tier{f.a.ID: crm.TierVIP, f.b.ID: "gold"}); !errors.As(err, &ferrs) || ferrs[0].Field != "tier" {
		t.Errorf("invalid tier: %v", err)
	}
	unchanged("invalid tier")
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := s.SetTiers(cancelled, map[int64]crm.Tier{f.a.ID: crm.TierVIP, f.b.ID: crm.TierSmall}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
	unchanged("cancelled")

	n, err := s.SetTiers(ctx, map[int64]crm.Tier{f.a.ID: crm.TierVIP, f.b.ID: crm.TierSmall, f.c.ID: crm.TierOrdinary})
	if err != nil || n != 2 {
		t.Fatalf("set tiers: %d, %v", n, err)
	}
	if tierOf(f.a.ID) != crm.TierVIP || tierOf(f.b.ID) != crm.TierSmall || tierOf(f.c.ID) != crm.TierOrdinary {
		t.Errorf("tiers not written")
	}
	if got := searchIDs(t, s, Query{Tier: crm.TierVIP}); !slices.Equal(got, []int64{f.a.ID}) {
		t.Errorf("the list's vip customers %v", got)
	}
	// The planner's summary follows (plan_state, by trigger).
	var rank int
	if err := s.db.QueryRowContext(ctx, `SELECT tier FROM plan_state WHERE customer_id = ?`, f.b.ID).Scan(&rank); err != nil || rank != 3 {
		t.Errorf("plan_state tier %d, %v", rank, err)
	}
}

// The suggested changes are those whose Pareto tier differs from their own, by change.
func TestSuggestedTierChanges(t *testing.T) {
	ctx := context.Background()
	f := newInsightBook(t)
	s := f.s
	if _, err := s.SetTiers(ctx, map[int64]crm.Tier{f.b.ID: crm.TierSmall}); err != nil {
		t.Fatal(err)
	}
	// A few more ordinary buyers: 甲 is vip, 乙 major.
	for i := range 6 {
		c := &crm.Customer{Name: "客" + strconv.Itoa(i)}
		if err := s.SaveCustomer(ctx, c); err != nil {
			t.Fatal(err)
		}
		if err := s.SavePurchase(ctx, &crm.Purchase{CustomerID: c.ID, Date: insightDay.AddDays(-5), Amount: 1000, Channel: crm.Offline}); err != nil {
			t.Fatal(err)
		}
	}
	changes, err := s.SuggestedTierChanges(ctx, insightDay)
	if err != nil {
		t.Fatal(err)
	}
	type ch struct {
		name     string
		from, to crm.Tier
	}
	var got []ch
	for _, c := range changes {
		got = append(got, ch{c.Name, c.From, c.To})
	}
	want := []ch{{"甲", crm.TierOrdinary, crm.TierVIP}, {"丙", crm.TierOrdinary, crm.TierSmall}, {"乙", crm.TierSmall, crm.TierMajor}}
	if !slices.Equal(got, want) {
		t.Errorf("changes %v\nwant %v", got, want)
	}
	tiers := map[int64]crm.Tier{}
	for _, c := range changes {
		tiers[c.ID] = c.To
	}
	if n, err := s.SetTiers(ctx, tiers); err != nil || n != 3 {
		t.Fatalf("apply: %d %v", n, err)
	}
	if changes, _ := s.SuggestedTierChanges(ctx, insightDay); len(changes) != 0 {
		t.Errorf("after applying: %v", changes)
	}
}
