package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"carebook/crm"
)

// The days the incremental classification is checked on: the fixture's today, a day before some
// of the purchases, and a day in the future (some purchases out of the RFM window).
var insightDeltaDays = []crm.Date{insightDay, insightDay.AddDays(-100), insightDay.AddDays(400)}

// writeLock's log: what each Unlock records, and what changedSince makes of it.
func TestInsightDeltaLog(t *testing.T) {
	var l writeLock
	unlocked := func(f func()) uint64 {
		l.Lock()
		f()
		l.Unlock()
		return l.gen.Load()
	}
	g0 := l.gen.Load()
	g1 := unlocked(func() { l.touch(7, 3) })
	g2 := unlocked(func() { l.keepInsights(); l.touch(3, 5) }) // touching outweighs keeping
	if g1 != g0+1 || g2 != g0+2 {
		t.Fatalf("touching writes moved the generation %d → %d → %d", g0, g1, g2)
	}
	if ids, ok := l.changedSince(g0, g2); !ok || !slices.Equal(ids, []int64{3, 5, 7}) {
		t.Errorf("changed since %d: %v %v", g0, ids, ok)
	}
	if ids, ok := l.changedSince(g1, g2); !ok || !slices.Equal(ids, []int64{3, 5}) {
		t.Errorf("changed since %d: %v %v", g1, ids, ok)
	}
	if g := unlocked(l.keepInsights); g != g2 {
		t.Errorf("a keeping write moved the generation")
	}
	if ids, ok := l.changedSince(g2, g2); !ok || len(ids) != 0 {
		t.Errorf("nothing changed: %v %v", ids, ok)
	}

	for _, tc := range []struct {
		name  string
		write func()
	}{
		{"unconverted", func() {}},
		{"touching no one", func() { l.touch() }},
		{"touching too many", func() {
			for i := range insightDeltaMax + 1 {
				l.touch(int64(i + 1))
			}
		}},
	} {
		g := unlocked(func() { l.touch(9) })
		unlocked(tc.write)
		g3 := unlocked(func() { l.touch(9) })
		if _, ok := l.changedSince(g, g3); ok {
			t.Errorf("%s: a write that may change anything is taken for a few customers", tc.name)
		}
		if _, ok := l.changedSince(g3-1, g3); !ok {
			t.Errorf("%s: the generations after it are not known", tc.name)
		}
	}

	// insightsChanged is a full invalidation.
	g := l.gen.Load()
	var s Store
	s.writeMu.gen.Store(g)
	s.insightsChanged()
	s.writeMu.Lock()
	s.writeMu.touch(1)
	s.writeMu.Unlock()
	if _, ok := s.writeMu.changedSince(g, s.writeMu.gen.Load()); ok {
		t.Errorf("insightsChanged is taken for a few customers")
	}

	// The log reaches back insightLogGens generations; the union of the touched customers is
	// bounded.
	g = l.gen.Load()
	for i := range insightLogGens {
		unlocked(func() { l.touch(int64(i + 1)) })
	}
	if ids, ok := l.changedSince(g, l.gen.Load()); !ok || len(ids) != insightLogGens {
		t.Errorf("%d generations back: %d customers, %v", insightLogGens, len(ids), ok)
	}
	unlocked(func() { l.touch(1) })
	if _, ok := l.changedSince(g, l.gen.Load()); ok {
		t.Errorf("a generation older than the log is known")
	}
	g = l.gen.Load()
	for i := range 2 {
		unlocked(func() {
			for j := range insightDeltaMax/2 + 1 {
				l.touch(int64(i*insightDeltaMax + j + 1))
			}
		})
	}
	if _, ok := l.changedSince(g, l.gen.Load()); ok {
		t.Errorf("more than %d customers re-read", insightDeltaMax)
	}
}

// insightDeltaBook is the fixture book with a few more customers, and a second, read-only
// Store on the same file whose classifications are read from scratch to compare with.
type insightDeltaBook struct {
	*insightFixture
	ro        *Store
	customers []int64 // not purged
	purchases map[int64]crm.Purchase
	rng       *rand.Rand
	codes     int
}

func newInsightDeltaBook(t *testing.T, seed uint64) *insightDeltaBook {
	t.Helper()
	ctx := context.Background()
	f := newInsightBook(t)
	b := &insightDeltaBook{insightFixture: f, purchases: map[int64]crm.Purchase{}, rng: rand.New(rand.NewPCG(seed, 11))}
	b.customers = []int64{f.a.ID, f.b.ID, f.c.ID}
	for _, p := range []*crm.Purchase{f.aLast, f.bPu} {
		b.purchases[p.ID] = *p
	}
	ps, err := f.s.Purchases(ctx, f.a.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		b.purchases[p.ID] = p
	}
	for range 6 {
		b.newCustomer(t)
	}
	for range 25 {
		b.newPurchase(t)
	}
	ro, err := OpenReadOnly(ctx, f.s.Path())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := ro.Close(); err != nil {
			t.Error(err)
		}
	})
	b.ro = ro
	return b
}

// day returns a random day around the checked ones.
func (b *insightDeltaBook) day() crm.Date { return insightDay.AddDays(b.rng.IntN(900) - 550) }

func (b *insightDeltaBook) customer() int64 { return b.customers[b.rng.IntN(len(b.customers))] }

// purchase returns a random purchase, false when there is none.
func (b *insightDeltaBook) purchase() (crm.Purchase, bool) {
	if len(b.purchases) == 0 {
		return crm.Purchase{}, false
	}
	ids := slices.Sorted(func(yield func(int64) bool) {
		for id := range b.purchases {
			if !yield(id) {
				return
			}
		}
	})
	return b.purchases[ids[b.rng.IntN(len(ids))]], true
}

func (b *insightDeltaBook) newCustomer(t *testing.T) {
	t.Helper()
	c := &crm.Customer{Name: fmt.Sprintf("客%d", len(b.customers)), Tier: crm.Tiers[b.rng.IntN(len(crm.Tiers))]}
	if b.rng.IntN(4) > 0 {
		c.Created = b.day()
	}
	if err := b.s.SaveCustomer(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	b.customers = append(b.customers, c.ID)
}

func (b *insightDeltaBook) newPurchase(t *testing.T) {
	t.Helper()
	p := crm.Purchase{CustomerID: b.customer(), Date: b.day(), Amount: crm.Money(100 * (1 + b.rng.IntN(500))), Channel: crm.Offline}
	if err := b.s.SavePurchase(context.Background(), &p); err != nil {
		t.Fatal(err)
	}
	b.purchases[p.ID] = p
}

func (b *insightDeltaBook) editCustomer(t *testing.T, edit func(c *crm.Customer)) {
	t.Helper()
	ctx := context.Background()
	c, err := b.s.Customer(ctx, b.customer())
	if err != nil {
		t.Fatal(err)
	}
	edit(c)
	if err := b.s.SaveCustomer(ctx, c); err != nil {
		t.Fatal(err)
	}
}

// editPurchase saves a random purchase changed by edit (a new purchase when there is none).
func (b *insightDeltaBook) editPurchase(t *testing.T, edit func(p *crm.Purchase)) {
	t.Helper()
	p, ok := b.purchase()
	if !ok {
		b.newPurchase(t)
		return
	}
	edit(&p)
	if err := b.s.SavePurchase(context.Background(), &p); err != nil {
		t.Fatal(err)
	}
	b.purchases[p.ID] = p
}

// insightDeltaWrite is a kind of write the property test makes; converted ones update the
// cached classifications, the others make them read again.
type insightDeltaWrite struct {
	name      string
	converted bool
	neutral   bool // changes no classification
	write     func(t *testing.T, b *insightDeltaBook)
}

var insightDeltaWrites = []insightDeltaWrite{
	{"new purchase", true, false, func(t *testing.T, b *insightDeltaBook) { b.newPurchase(t) }},
	{"purchase amount and date", true, false, func(t *testing.T, b *insightDeltaBook) {
		b.editPurchase(t, func(p *crm.Purchase) { p.Amount, p.Date = crm.Money(100*(1+b.rng.IntN(900))), b.day() })
	}},
	{"purchase moved", true, false, func(t *testing.T, b *insightDeltaBook) {
		b.editPurchase(t, func(p *crm.Purchase) { p.CustomerID = b.customer() })
	}},
	{"purchase deleted", true, false, func(t *testing.T, b *insightDeltaBook) {
		p, ok := b.purchase()
		if !ok {
			b.newPurchase(t)
			return
		}
		if err := b.s.DeletePurchase(context.Background(), p.ID); err != nil {
			t.Fatal(err)
		}
		delete(b.purchases, p.ID)
	}},
	{"new customer", true, false, func(t *testing.T, b *insightDeltaBook) { b.newCustomer(t) }},
	{"archived", true, false, func(t *testing.T, b *insightDeltaBook) {
		if err := b.s.ArchiveCustomer(context.Background(), b.customer()); err != nil {
			t.Fatal(err)
		}
	}},
	{"restored", true, false, func(t *testing.T, b *insightDeltaBook) {
		if err := b.s.RestoreCustomer(context.Background(), b.customer()); err != nil {
			t.Fatal(err)
		}
	}},
	{"purged", true, false, func(t *testing.T, b *insightDeltaBook) {
		if len(b.customers) < 4 {
			b.newCustomer(t)
			return
		}
		i := b.rng.IntN(len(b.customers))
		id := b.customers[i]
		if err := b.s.PurgeCustomer(context.Background(), id); err != nil {
			t.Fatal(err)
		}
		b.customers = slices.Delete(b.customers, i, i+1)
		for pid, p := range b.purchases {
			if p.CustomerID == id {
				delete(b.purchases, pid)
			}
		}
	}},
	{"tier", true, false, func(t *testing.T, b *insightDeltaBook) {
		b.editCustomer(t, func(c *crm.Customer) {
			c.Tier = crm.Tiers[(slices.Index(crm.Tiers, c.Tier)+1)%len(crm.Tiers)]
		})
	}},
	{"code", true, false, func(t *testing.T, b *insightDeltaBook) {
		b.codes++
		code := fmt.Sprintf("X%03d", 900-b.codes) // reorders the Pareto ties
		b.editCustomer(t, func(c *crm.Customer) { c.Code = code })
	}},
	{"created", true, false, func(t *testing.T, b *insightDeltaBook) {
		day := b.day()
		b.editCustomer(t, func(c *crm.Customer) { c.Created = day })
	}},
	{"notes", true, true, func(t *testing.T, b *insightDeltaBook) {
		b.editCustomer(t, func(c *crm.Customer) { c.Notes += "。" })
	}},
	{"tiers (unconverted)", false, false, func(t *testing.T, b *insightDeltaBook) {
		ctx := context.Background()
		c, err := b.s.Customer(ctx, b.customer())
		if err != nil {
			t.Fatal(err)
		}
		next := crm.Tiers[(slices.Index(crm.Tiers, c.Tier)+1)%len(crm.Tiers)]
		if _, err := b.s.SetTiers(ctx, map[int64]crm.Tier{c.ID: next}); err != nil {
			t.Fatal(err)
		}
	}},
	{"bulk purchases (unconverted)", false, false, func(t *testing.T, b *insightDeltaBook) {
		ps := []crm.Purchase{{CustomerID: b.customer(), Date: b.day(), Amount: 700, Channel: crm.Online}}
		if err := b.s.InsertPurchases(context.Background(), ps); err != nil {
			t.Fatal(err)
		}
		b.purchases[ps[0].ID] = ps[0]
	}},
	{"churn settings (unconverted)", false, false, func(t *testing.T, b *insightDeltaBook) {
		ctx := context.Background()
		ps, err := b.s.PlanSettings(ctx)
		if err != nil {
			t.Fatal(err)
		}
		ps.Dormant = 20 + b.rng.IntN(60)
		if err := b.s.SetPlanSettings(ctx, ps); err != nil {
			t.Fatal(err)
		}
	}},
}

// fresh returns the classification of day d read from scratch, by the read-only Store.
func (b *insightDeltaBook) fresh(t *testing.T, d crm.Date) *BookInsights {
	t.Helper()
	b.ro.insightsChanged()
	bi, err := b.ro.Insights(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	return bi
}

// sameInsights reports how got differs from want, field by field ("" when it does not).
func sameInsights(got, want *BookInsights) string {
	switch {
	case got.Date != want.Date:
		return fmt.Sprintf("date %v, want %v", got.Date, want.Date)
	case !slices.Equal(got.IDs, want.IDs):
		return fmt.Sprintf("ids %v\nwant %v", got.IDs, want.IDs)
	case !slices.Equal(got.Stats, want.Stats):
		return fmt.Sprintf("stats %+v\nwant %+v", got.Stats, want.Stats)
	case got.Classification.Means != want.Classification.Means:
		return fmt.Sprintf("means %+v, want %+v", got.Classification.Means, want.Classification.Means)
	case !slices.Equal(got.Classification.Insights, want.Classification.Insights):
		return fmt.Sprintf("insights %+v\nwant %+v", got.Classification.Insights, want.Classification.Insights)
	case !reflect.DeepEqual(got.Classification, want.Classification):
		return fmt.Sprintf("classification %+v\nwant %+v", got.Classification, want.Classification)
	}
	top := int64(0)
	if n := len(want.IDs); n > 0 {
		top = want.IDs[n-1]
	}
	for id := range top + 3 {
		g, gok := got.Insight(id)
		w, wok := want.Insight(id)
		if g != w || gok != wok {
			return fmt.Sprintf("Insight(%d) %+v %v, want %+v %v", id, g, gok, w, wok)
		}
	}
	return ""
}

// After every write of a random sequence, the classification Insights gives on each day is the
// one read from scratch; the converted writes update it without reading the whole book, the
// others read it again.
func TestInsightDeltaMatchesFullRead(t *testing.T) {
	ctx := context.Background()
	for seed := range uint64(3) {
		t.Run(fmt.Sprint("seed=", seed), func(t *testing.T) {
			b := newInsightDeltaBook(t, seed)
			prev := map[crm.Date]*BookInsights{}
			for _, d := range insightDeltaDays {
				bi, err := b.s.Insights(ctx, d)
				if err != nil {
					t.Fatal(err)
				}
				prev[d] = bi
			}
			counts := map[string]int{}
			for step := range 150 {
				w := insightDeltaWrites[b.rng.IntN(len(insightDeltaWrites))]
				counts[w.name]++
				w.write(t, b)
				reads := b.s.ic.fullReads
				for _, d := range insightDeltaDays {
					got, err := b.s.Insights(ctx, d)
					if err != nil {
						t.Fatal(err)
					}
					if diff := sameInsights(got, b.fresh(t, d)); diff != "" {
						t.Fatalf("step %d, %s, day %v: %s", step, w.name, d, diff)
					}
					if w.neutral != (got == prev[d]) {
						t.Errorf("step %d, %s, day %v: the cached classification kept: %v", step, w.name, d, got == prev[d])
					}
					prev[d] = got
				}
				want := 0
				if !w.converted {
					want = len(insightDeltaDays)
				}
				if n := b.s.ic.fullReads - reads; n != want {
					t.Errorf("step %d, %s: %d full reads, want %d", step, w.name, n, want)
				}
			}
			for _, w := range insightDeltaWrites {
				if counts[w.name] == 0 {
					t.Errorf("no %s write in the sequence", w.name)
				}
			}
		})
	}
}

// The first card opened after a purchase is saved reads just its customer again: the
// classification changes, and nothing else is read.
func TestInsightDeltaTaken(t *testing.T) {
	ctx := context.Background()
	f := newInsightBook(t)
	before := mustInsights(t, f.s)
	reads := f.s.ic.fullReads
	if err := f.s.SavePurchase(ctx, &crm.Purchase{CustomerID: f.c.ID, Date: insightDay, Amount: 100, Channel: crm.Online}); err != nil {
		t.Fatal(err)
	}
	in, _, ok, err := f.s.CustomerInsight(ctx, insightDay, f.c.ID)
	if err != nil || !ok || in.Stage != crm.StageNew {
		t.Errorf("丙 after the purchase: %+v %v %v", in, ok, err)
	}
	after := mustInsights(t, f.s)
	if after == before || f.s.ic.fullReads != reads {
		t.Errorf("not updated in place of a read: new %v, %d full reads", after != before, f.s.ic.fullReads-reads)
	}

	// Several writes between two reads are taken together; more than the log holds are not.
	for i := range 3 {
		if err := f.s.SavePurchase(ctx, &crm.Purchase{CustomerID: f.b.ID, Date: insightDay.AddDays(-i), Amount: 100, Channel: crm.Online}); err != nil {
			t.Fatal(err)
		}
	}
	if st, _ := mustInsights(t, f.s).Stat(f.b.ID); st.Purchases != 4 || f.s.ic.fullReads != reads {
		t.Errorf("乙 %+v after 3 purchases, %d full reads", st, f.s.ic.fullReads-reads)
	}
	var last crm.Purchase
	for i := range insightLogGens + 1 {
		last = crm.Purchase{CustomerID: f.a.ID, Date: insightDay.AddDays(-i), Amount: 100, Channel: crm.Online}
		if err := f.s.SavePurchase(ctx, &last); err != nil {
			t.Fatal(err)
		}
	}
	if st, _ := mustInsights(t, f.s).Stat(f.a.ID); st.Purchases != 2+insightLogGens+1 || f.s.ic.fullReads != reads+1 {
		t.Errorf("甲 %+v after %d purchases, %d full reads", st, insightLogGens+1, f.s.ic.fullReads-reads)
	}

	// The cold card of the benchmarks stays a full read.
	f.s.insightsChanged()
	mustInsights(t, f.s)
	if f.s.ic.fullReads != reads+2 {
		t.Errorf("insightsChanged: %d full reads", f.s.ic.fullReads-reads)
	}
	if err := f.s.DeletePurchase(ctx, last.ID); err != nil {
		t.Fatal(err)
	}
	if st, _ := mustInsights(t, f.s).Stat(f.a.ID); st.Purchases != 2+insightLogGens || f.s.ic.fullReads != reads+2 {
		t.Errorf("甲 %+v after a deletion, %d full reads", st, f.s.ic.fullReads-reads)
	}
}

// cloneInsights copies b deeply.
func cloneInsights(b *BookInsights) *BookInsights {
	c := *b
	c.IDs, c.Stats, c.pos = slices.Clone(b.IDs), slices.Clone(b.Stats), slices.Clone(b.pos)
	c.Classification.Insights = slices.Clone(b.Classification.Insights)
	return &c
}

// A classification handed out before a write stays as it was: the update works on a copy.
func TestInsightDeltaLeavesOldUnchanged(t *testing.T) {
	ctx := context.Background()
	f := newInsightBook(t)
	before := mustInsights(t, f.s)
	kept := cloneInsights(before)
	reads := f.s.ic.fullReads
	p := *f.aLast
	p.Amount, p.Date = 99900, insightDay.AddDays(-1)
	if err := f.s.SavePurchase(ctx, &p); err != nil {
		t.Fatal(err)
	}
	if err := f.s.ArchiveCustomer(ctx, f.b.ID); err != nil {
		t.Fatal(err)
	}
	if err := f.s.SaveCustomer(ctx, &crm.Customer{Name: "丁", Created: insightDay.AddDays(-3)}); err != nil {
		t.Fatal(err)
	}
	after := mustInsights(t, f.s)
	if f.s.ic.fullReads != reads || after == before {
		t.Fatalf("not updated: %d full reads", f.s.ic.fullReads-reads)
	}
	if len(after.IDs) != 3 || slices.Contains(after.IDs, f.b.ID) {
		t.Errorf("after: %v", after.IDs)
	}
	if !reflect.DeepEqual(before, kept) {
		t.Errorf("the classification handed out before changed:\n%+v\nwas %+v", before, kept)
	}
}

// After every write of a random sequence, CustomerInsight gives each customer (and ids that are
// no customer) on each day the insight and the means of the classification read from scratch.
// The book's classification is brought up to date only now and then (as the customer list
// does), so the answers come from cached classifications several writes old; the converted
// writes are answered without reading the whole book.
func TestCustomerInsightAfterWrites(t *testing.T) {
	ctx := context.Background()
	for seed := range uint64(3) {
		t.Run(fmt.Sprint("seed=", seed), func(t *testing.T) {
			b := newInsightDeltaBook(t, 100+seed)
			for _, d := range insightDeltaDays {
				if _, err := b.s.Insights(ctx, d); err != nil {
					t.Fatal(err)
				}
			}
			before := b.s.ic.reclassified.Load()
			for step := range 120 {
				w := insightDeltaWrites[b.rng.IntN(len(insightDeltaWrites))]
				w.write(t, b)
				reads := b.s.ic.fullReads
				for _, d := range insightDeltaDays {
					want := b.fresh(t, d)
					for _, id := range append([]int64{0, 1 << 40}, b.customers...) {
						in, m, ok, err := b.s.CustomerInsight(ctx, d, id)
						if err != nil {
							t.Fatal(err)
						}
						win, wok := want.Insight(id)
						if in != win || ok != wok || m != want.Classification.Means {
							t.Fatalf("step %d, %s, day %v, customer %d: %+v %v %+v\nwant %+v %v %+v", step, w.name, d, id, in, ok, m, win, wok, want.Classification.Means)
						}
					}
					if b.rng.IntN(4) == 0 {
						if _, err := b.s.Insights(ctx, d); err != nil {
							t.Fatal(err)
						}
					}
				}
				if w.converted && b.s.ic.fullReads != reads {
					t.Errorf("step %d, %s: %d full reads", step, w.name, b.s.ic.fullReads-reads)
				}
			}
			if n := b.s.ic.reclassified.Load() - before; n < 1000 {
				t.Errorf("%d answers reclassified: the cached classifications were not used", n)
			}
		})
	}
}

// Changes moves on with every write, whatever it changes, and not with reads, even those that
// hold the write lock (the classification, the search index).
func TestChangesCountsWrites(t *testing.T) {
	ctx := context.Background()
	f := newInsightBook(t)
	for _, c := range []struct {
		name  string
		write bool
		do    func() error
	}{
		{"insights", false, func() error { _, err := f.s.Insights(ctx, insightDay); return err }},
		{"search", false, func() error { _, err := f.s.SearchList(ctx, crm.CustomerQuery{Text: "甲"}); return err }},
		{"customer insight", false, func() error { _, _, _, err := f.s.CustomerInsight(ctx, insightDay, f.a.ID); return err }},
		{"plan", false, func() error { _, err := f.s.Plan(ctx, insightDay); return err }},
		{"record", true, func() error {
			return f.s.SaveRecord(ctx, &crm.Record{CustomerID: f.a.ID, At: time.Now(), Kind: crm.KindRoutine, Channel: crm.ChannelPhone, Content: "x"})
		}},
		{"purchase", true, func() error {
			return f.s.SavePurchase(ctx, &crm.Purchase{CustomerID: f.b.ID, Date: insightDay, Amount: 100, Channel: crm.Online})
		}},
		{"customer insight after the purchase", false, func() error { _, _, _, err := f.s.CustomerInsight(ctx, insightDay, f.b.ID); return err }},
		{"setting", true, func() error { return f.s.SetSetting(ctx, "ui.test", fmt.Sprint(time.Now().UnixNano())) }},
		{"snooze", true, func() error {
			return f.s.Snooze(ctx, crm.Snooze{CustomerID: f.a.ID, Reason: crm.ReasonCadence, Ref: "x", Until: insightDay.AddDays(3)})
		}},
	} {
		before := f.s.Changes()
		if err := c.do(); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if moved := f.s.Changes() != before; moved != c.write {
			t.Errorf("%s: Changes moved %v, want %v", c.name, moved, c.write)
		}
	}
}
