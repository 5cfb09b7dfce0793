package demo

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"carebook/crm"
)

// histOf collects the whole history of cs (ids 1, 2…), copying each batch.
func histOf(t testing.TB, o Options, cs []crm.Customer) ([]crm.Purchase, []crm.Record) {
	t.Helper()
	ids := make([]int64, len(cs))
	for i := range ids {
		ids[i] = int64(i + 1)
	}
	var ps []crm.Purchase
	var rs []crm.Record
	if err := History(o, cs, ids, func(p []crm.Purchase, r []crm.Record) error {
		ps = append(ps, p...)
		rs = append(rs, r...)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return ps, rs
}

var (
	hist20kOnce sync.Once
	hist20kP    []crm.Purchase
	hist20kR    []crm.Record
)

// hist20k returns the history of the first 20,000 cards of book (seed 1), generated once.
func hist20k(t testing.TB) ([]crm.Customer, []crm.Purchase, []crm.Record) {
	t.Helper()
	cs := book(t)[:20_000]
	hist20kOnce.Do(func() {
		hist20kP, hist20kR = histOf(t, Options{Seed: 1, Today: today}, cs)
	})
	return cs, hist20kP, hist20kR
}

func TestHistoryDeterministic(t *testing.T) {
	o := Options{Customers: 3000, Seed: 7, Today: today}
	cs := Customers(o)
	p1, r1 := histOf(t, o, cs)
	p2, r2 := histOf(t, o, cs)
	if !reflect.DeepEqual(p1, p2) || !reflect.DeepEqual(r1, r2) {
		t.Fatal("same input gave different histories")
	}
	// A customer's history does not depend on the customers after it.
	p3, r3 := histOf(t, o, cs[:1000])
	n, m := 0, 0
	for n < len(p1) && p1[n].CustomerID <= 1000 {
		n++
	}
	for m < len(r1) && r1[m].CustomerID <= 1000 {
		m++
	}
	if !reflect.DeepEqual(p1[:n], p3) || !reflect.DeepEqual(r1[:m], r3) {
		t.Error("the history of the first 1000 customers changes with the customers that follow")
	}
	// Another seed, another history.
	o.Seed = 8
	p4, _ := histOf(t, o, cs)
	if reflect.DeepEqual(p1, p4) {
		t.Error("seeds 7 and 8 gave the same purchases")
	}
}

// TestHistoryFingerprint pins the output (see TestFingerprint); run it with TZ=UTC and
// TZ=America/Los_Angeles too.
func TestHistoryFingerprint(t *testing.T) {
	o := Options{Customers: 500, Seed: 42, Today: today}
	ps, rs := histOf(t, o, Customers(o))
	h := sha256.New()
	for _, p := range ps {
		fmt.Fprintf(h, "%d|%s|%d|%s|%s\n", p.CustomerID, p.Date, p.Amount, p.Items, p.Channel)
	}
	for _, r := range rs {
		fmt.Fprintf(h, "%d|%s|%s|%s|%s|%s|%s|%s\n", r.CustomerID, r.At.Format("2006-01-02 15:04:05 MST"),
			r.Kind, r.Channel, r.Content, r.Feedback, r.NextStep, r.NextDate)
	}
	got := hex.EncodeToString(h.Sum(nil)[:8])
	const want = "03342d1a9f81b360"
	if got != want {
		t.Errorf("history fingerprint = %s, want %s (TZ=%s)", got, want, time.Local)
	}
}

func TestHistoryBatches(t *testing.T) {
	o := Options{Seed: 3, Today: today}
	cs := book(t)[:historyBatch+1234]
	ids := make([]int64, len(cs))
	for i := range ids {
		ids[i] = int64(1000 + i)
	}
	calls := 0
	last := int64(0)
	err := History(o, cs, ids, func(ps []crm.Purchase, rs []crm.Record) error {
		calls++
		for _, p := range ps {
			if p.CustomerID < last {
				t.Fatalf("purchases out of customer order: %d after %d", p.CustomerID, last)
			}
			last = p.CustomerID
		}
		return nil
	})
	if err != nil || calls != 2 {
		t.Errorf("History: %d calls, %v", calls, err)
	}
	if last < ids[historyBatch] {
		t.Errorf("last customer id %d: the second batch is missing", last)
	}
	stop := errors.New("stop")
	calls = 0
	err = History(o, cs, ids, func([]crm.Purchase, []crm.Record) error { calls++; return stop })
	if !errors.Is(err, stop) || calls != 1 {
		t.Errorf("fn's error: %d calls, %v", calls, err)
	}
	if err := History(o, cs, ids[:10], func([]crm.Purchase, []crm.Record) error { return nil }); err == nil {
		t.Error("no error for too few ids")
	}
	if err := History(Options{}, cs[:1], ids[:1], func([]crm.Purchase, []crm.Record) error { return nil }); err == nil {
		t.Error("no error without Today")
	}
	if err := History(o, nil, nil, func([]crm.Purchase, []crm.Record) error { t.Error("fn called"); return nil }); err != nil {
		t.Error(err)
	}
}

// TestHistoryValid: every row of 5,000 customers passes Normalize (unchanged) and Validate.
func TestHistoryValid(t *testing.T) {
	o := Options{Customers: 5000, Seed: 11, Today: today}
	ps, rs := histOf(t, o, Customers(o))
	for _, p := range ps {
		n := p
		crm.NormalizePurchase(&n)
		if es := crm.ValidatePurchase(&n); es != nil {
			t.Fatalf("%+v: %v", p, es)
		}
		if n != p {
			t.Fatalf("NormalizePurchase changed %+v", p)
		}
		if p.Amount <= 0 {
			t.Fatalf("amount %v: %+v", p.Amount, p)
		}
	}
	for _, r := range rs {
		n := r
		crm.NormalizeRecord(&n)
		if es := crm.ValidateRecord(&n); es != nil {
			t.Fatalf("%+v: %v", r, es)
		}
		if n != r {
			t.Fatalf("NormalizeRecord changed %+v", r)
		}
		if r.At.Location() != time.UTC {
			t.Fatalf("At in %v", r.At.Location())
		}
		if h := r.At.Hour(); h < 9 || h >= 21 {
			t.Fatalf("at %v: outside working hours", r.At)
		}
		if r.Content == "" || (r.NextStep == "") != (r.NextDate == 0) {
			t.Fatalf("record %+v", r)
		}
	}
}

// TestHistoryDates: nothing before the card's Created day or after today; purchases by date
// and records by date-time within a customer; next dates not before the record's day.
func TestHistoryDates(t *testing.T) {
	cs, ps, rs := hist20k(t)
	for i, p := range ps {
		c := &cs[p.CustomerID-1]
		if p.Date < c.Created || p.Date > today {
			t.Fatalf("%s: purchase on %v (created %v)", c.Code, p.Date, c.Created)
		}
		if i > 0 && ps[i-1].CustomerID == p.CustomerID && ps[i-1].Date > p.Date {
			t.Fatalf("%s: purchases out of order", c.Code)
		}
		if i > 0 && ps[i-1].CustomerID > p.CustomerID {
			t.Fatalf("purchases out of customer order")
		}
	}
	for i, r := range rs {
		c := &cs[r.CustomerID-1]
		if d := r.Date(); d < c.Created || d > today {
			t.Fatalf("%s: record on %v (created %v)", c.Code, d, c.Created)
		}
		if r.NextDate != 0 && r.NextDate < r.Date() {
			t.Fatalf("%s: next date %v before %v", c.Code, r.NextDate, r.Date())
		}
		if i > 0 && rs[i-1].CustomerID == r.CustomerID && rs[i-1].At.After(r.At) {
			t.Fatalf("%s: records out of order", c.Code)
		}
		if i > 0 && rs[i-1].CustomerID > r.CustomerID {
			t.Fatalf("records out of customer order")
		}
		if c.DoNotDisturb && (r.Kind == crm.KindGreeting || r.Kind == crm.KindInvitation) {
			t.Fatalf("%s: %s record for a do-not-disturb customer", c.Code, r.Kind)
		}
	}
}

// TestHistoryFigures checks the averages and the variety on 20,000 customers.
func TestHistoryFigures(t *testing.T) {
	cs, ps, rs := hist20k(t)
	n := float64(len(cs))
	type agg struct {
		purchases, records int
		last, first        crm.Date
	}
	per := make([]agg, len(cs))
	var online int
	var total crm.Money
	for _, p := range ps {
		a := &per[p.CustomerID-1]
		a.purchases++
		a.last = max(a.last, p.Date)
		if a.first == 0 {
			a.first = p.Date
		}
		total += p.Amount
		if p.Channel == crm.Online {
			online++
		}
	}
	kinds := map[crm.RecordKind]int{}
	chans := map[crm.Channel]int{}
	var next, recent int
	for _, r := range rs {
		per[r.CustomerID-1].records++
		kinds[r.Kind]++
		chans[r.Channel]++
		if r.NextDate != 0 {
			next++
		}
		if r.Date() > today.AddDays(-7) {
			recent++
		}
	}
	pc, rc := float64(len(ps))/n, float64(len(rs))/n
	t.Logf("per customer: %.2f purchases, %.2f records; average ticket %v; online %.1f%%; next step %.1f%%; records in the last week %d",
		pc, rc, total/crm.Money(len(ps)), 100*float64(online)/float64(len(ps)), 100*float64(next)/float64(len(rs)), recent)
	if pc < 8 || pc > 12 {
		t.Errorf("%.2f purchases per customer, want 8–12", pc)
	}
	if rc < 16 || rc > 24 {
		t.Errorf("%.2f records per customer, want 16–24", rc)
	}
	if o := 100 * float64(online) / float64(len(ps)); o < 22 || o > 38 {
		t.Errorf("online %.1f%%, want about 30%%", o)
	}
	if x := 100 * float64(next) / float64(len(rs)); x < 22 || x > 38 {
		t.Errorf("next step on %.1f%% of records, want about 30%%", x)
	}
	for _, k := range crm.RecordKinds {
		t.Logf("kind %-10s %5.1f%%", k, 100*float64(kinds[k])/float64(len(rs)))
		if kinds[k] == 0 {
			t.Errorf("no %s record", k)
		}
	}
	for _, c := range crm.Channels {
		t.Logf("channel %-7s %5.1f%%", c, 100*float64(chans[c])/float64(len(rs)))
	}
	if chans[crm.ChannelWeChat]+chans[crm.ChannelPhone] < len(rs)*6/10 {
		t.Error("wechat and phone are not most of the channels")
	}

	// Churn states, prospects, purchases by tier.
	var prospects, active, dormant, half, lost int
	var tierP, tierN [4]int
	var tierM [4]crm.Money
	for _, p := range ps {
		tierM[cs[p.CustomerID-1].Tier.Rank()] += p.Amount
	}
	for i, a := range per {
		rank := cs[i].Tier.Rank()
		tierP[rank] += a.purchases
		tierN[rank]++
		if a.purchases == 0 {
			prospects++
			continue
		}
		switch r := today.Sub(a.last); {
		case r <= 90:
			active++
		case r <= 180:
			dormant++
		case r <= 365:
			half++
		default:
			lost++
		}
	}
	pct := func(x int) float64 { return 100 * float64(x) / n }
	t.Logf("prospects %.1f%%, active %.1f%%, dormant %.1f%%, half-lost %.1f%%, lost %.1f%%",
		pct(prospects), pct(active), pct(dormant), pct(half), pct(lost))
	if p := pct(prospects); p < 5 || p > 12 {
		t.Errorf("prospects %.1f%%, want about 8%%", p)
	}
	for _, x := range []int{dormant, half, lost} {
		if pct(x) < 3 {
			t.Errorf("churn states: dormant %d, half-lost %d, lost %d of %d", dormant, half, lost, len(cs))
			break
		}
	}
	prev, prevTicket := 1e9, crm.Money(1e12)
	for r := range 4 {
		avg := float64(tierP[r]) / float64(tierN[r])
		ticket := tierM[r] / crm.Money(tierP[r])
		t.Logf("tier %-8s %.1f purchases, average ticket %v", crm.Tiers[r], avg, ticket)
		if avg >= prev || ticket >= prevTicket {
			t.Errorf("tier %s buys %.1f times for %v, not less than the tier above (%.1f, %v)",
				crm.Tiers[r], avg, ticket, prev, prevTicket)
		}
		prev, prevTicket = avg, ticket
	}

	// Routine follow-ups land mostly on day 1, 3 or 7 after a purchase.
	buys := map[int64][]crm.Date{}
	for _, p := range ps {
		buys[p.CustomerID] = append(buys[p.CustomerID], p.Date)
	}
	var routine, onStep int
	for _, r := range rs {
		if r.Kind != crm.KindRoutine {
			continue
		}
		routine++
		for _, d := range buys[r.CustomerID] {
			if s := r.Date().Sub(d); s == 1 || s == 3 || s == 7 {
				onStep++
				break
			}
		}
	}
	t.Logf("routine records on day 1, 3 or 7 of a purchase: %.1f%%", 100*float64(onStep)/float64(routine))
	if onStep < routine/3 {
		t.Errorf("only %d of %d routine records on day 1, 3 or 7 of a purchase", onStep, routine)
	}
	if recent == 0 {
		t.Error("no record in the last week")
	}
	// Multi-item purchases exist.
	if !slices.ContainsFunc(ps, func(p crm.Purchase) bool { return len([]rune(p.Items)) > 8 && containsRune(p.Items, '、') }) {
		t.Error("no multi-item purchase")
	}
}

func containsRune(s string, r rune) bool {
	for _, x := range s {
		if x == r {
			return true
		}
	}
	return false
}

// TestHistorySample logs a few customers' histories, to read.
func TestHistorySample(t *testing.T) {
	if !testing.Verbose() {
		t.Skip("run with -v to read a sample")
	}
	cs, ps, rs := hist20k(t)
	for _, id := range []int64{1, 2, 3} {
		c := &cs[id-1]
		t.Logf("== %s %s (%s, created %v)", c.Code, c.Name, c.Tier, c.Created)
		for _, p := range ps {
			if p.CustomerID == id {
				t.Logf("  %v  %10s  %-7s %s", p.Date, p.Amount, p.Channel, p.Items)
			}
		}
		for _, r := range rs {
			if r.CustomerID == id {
				t.Logf("  %s %-10s %-6s %s / %s / %s %v", r.At.Format("2006-01-02 15:04"), r.Kind, r.Channel,
					r.Content, r.Feedback, r.NextStep, r.NextDate)
			}
		}
	}
}

func BenchmarkHistory100k(b *testing.B) {
	cs := book(b)
	ids := make([]int64, len(cs))
	for i := range ids {
		ids[i] = int64(i + 1)
	}
	o := Options{Seed: 1, Today: today}
	for b.Loop() {
		var np, nr int
		if err := History(o, cs, ids, func(ps []crm.Purchase, rs []crm.Record) error {
			np += len(ps)
			nr += len(rs)
			return nil
		}); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(np), "purchases")
		b.ReportMetric(float64(nr), "records")
	}
}
