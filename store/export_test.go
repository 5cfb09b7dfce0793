package store

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"

	"carebook/crm"
)

// exportBook holds four customers (c archived; b without phones, tags or dates) with purchases
// and records, some on the bounds of February 2026 and at equal dates and date-times.
type exportBook struct {
	s          *Store
	a, b, c, d *crm.Customer
	ps         []crm.Purchase
	rs         []crm.Record
}

func newExportBook(t *testing.T) *exportBook {
	t.Helper()
	ctx := context.Background()
	s := openTest(t)
	eb := &exportBook{s: s}
	// Saved in an order other than their codes'.
	eb.d = mustSave(t, s, &crm.Customer{Code: "C000009", Name: "赵六", Phones: []string{"13600002222"}, Tags: []string{"新客"}})
	eb.a = mustSave(t, s, func() *crm.Customer { c := card(); c.Code = "C000001"; return c }())
	eb.b = mustSave(t, s, &crm.Customer{Code: "C000002", Name: "李四"})
	eb.c = mustSave(t, s, &crm.Customer{Code: "C000003", Name: "王五", Phones: []string{"13700001111"}})
	eb.ps = []crm.Purchase{
		{CustomerID: eb.a.ID, Date: crm.MustDate("2026-02-01"), Amount: 100, Items: "=SUM(A1)"},
		{CustomerID: eb.d.ID, Date: crm.MustDate("2026-01-31"), Amount: 200},
		{CustomerID: eb.c.ID, Date: crm.MustDate("2026-02-10"), Amount: 300},
		{CustomerID: eb.b.ID, Date: crm.MustDate("2026-02-28"), Amount: 400},
		{CustomerID: eb.d.ID, Date: crm.MustDate("2026-02-10"), Amount: 500},
		{CustomerID: eb.a.ID, Date: crm.MustDate("2026-03-01"), Amount: 600},
		{CustomerID: eb.a.ID, Date: crm.MustDate("2026-02-10"), Amount: 700},
	}
	eb.rs = []crm.Record{
		{CustomerID: eb.a.ID, At: at("2026-02-01 00:00:00"), Kind: crm.KindRoutine, Channel: crm.ChannelPhone},
		{CustomerID: eb.d.ID, At: at("2026-01-31 23:59:59"), Kind: crm.KindGreeting, Channel: crm.ChannelSMS},
		{CustomerID: eb.c.ID, At: at("2026-02-10 10:00:00"), Kind: crm.KindRoutine, Channel: crm.ChannelPhone},
		{CustomerID: eb.b.ID, At: at("2026-02-28 23:59:59"), Kind: crm.KindService, Channel: crm.ChannelVisit},
		{CustomerID: eb.d.ID, At: at("2026-02-10 10:00:00"), Kind: crm.KindRecall, Channel: crm.ChannelWeChat,
			NextStep: "再约", NextDate: crm.MustDate("2026-02-20")},
		{CustomerID: eb.a.ID, At: at("2026-03-01 00:00:00"), Kind: crm.KindOther, Channel: crm.ChannelEmail},
		{CustomerID: eb.a.ID, At: at("2026-02-10 10:00:00"), Kind: crm.KindComplaint, Channel: crm.ChannelOther},
	}
	if err := errors.Join(s.InsertPurchases(ctx, eb.ps), s.InsertRecords(ctx, eb.rs)); err != nil {
		t.Fatal(err)
	}
	if err := s.ArchiveCustomer(ctx, eb.c.ID); err != nil {
		t.Fatal(err)
	}
	return eb
}

var (
	feb1  = crm.MustDate("2026-02-01")
	feb28 = crm.MustDate("2026-02-28")
)

func TestExportCounts(t *testing.T) {
	eb := newExportBook(t)
	ctx := context.Background()
	for _, tc := range []struct {
		from, to      crm.Date
		cust, ps, rcs int
	}{
		{0, 0, 3, 6, 6},
		{feb1, feb28, 3, 4, 4},
		{feb1, 0, 3, 5, 5},
		{0, feb1, 3, 2, 2},
		{feb28, feb1, 3, 0, 0},
	} {
		c, p, r, err := eb.s.ExportCounts(ctx, tc.from, tc.to)
		if err != nil || c != tc.cust || p != tc.ps || r != tc.rcs {
			t.Errorf("ExportCounts(%v, %v) = %d, %d, %d, %v; want %d, %d, %d", tc.from, tc.to, c, p, r, err,
				tc.cust, tc.ps, tc.rcs)
		}
	}
}

func TestEachCustomer(t *testing.T) {
	eb := newExportBook(t)
	ctx := context.Background()
	var got []crm.CustomerRow
	err := eb.s.EachCustomer(ctx, func(row *crm.CustomerRow) error {
		c := *row
		c.Phones, c.Tags, c.Dates = slices.Clone(c.Phones), slices.Clone(c.Tags), slices.Clone(c.Dates)
		if c.Birthday != nil {
			b := *c.Birthday
			c.Birthday = &b
		}
		got = append(got, c)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// By code; the archived customer left out.
	var codes []string
	for _, r := range got {
		codes = append(codes, r.Code)
	}
	if want := []string{"C000001", "C000002", "C000009"}; !slices.Equal(codes, want) {
		t.Fatalf("codes %v, want %v", codes, want)
	}
	for _, r := range got {
		card := mustLoad(t, eb.s, r.ID)
		if !reflect.DeepEqual(r.Customer, *card) {
			t.Errorf("%s: exported\n%+v\nloaded\n%+v", r.Code, r.Customer, *card)
		}
		act, err := eb.s.Activity(ctx, r.ID)
		if err != nil || r.LastContact != act.LastContact || r.LastPurchase != act.LastPurchase {
			t.Errorf("%s: last contact %v, purchase %v; activity %+v, %v", r.Code, r.LastContact, r.LastPurchase, act, err)
		}
	}
	if a := got[0]; a.LastContact != at("2026-03-01 00:00:00") || a.LastPurchase != crm.MustDate("2026-03-01") ||
		len(a.Phones) != 3 || a.Birthday == nil || len(a.Dates) != 2 || len(a.Tags) != 2 {
		t.Errorf("a: %+v", a)
	}
}

func TestEachPurchase(t *testing.T) {
	eb := newExportBook(t)
	ctx := context.Background()
	collect := func(from, to crm.Date) []crm.Money {
		var out []crm.Money
		err := eb.s.EachPurchase(ctx, from, to, func(p *crm.PurchaseRow) error {
			var want *crm.Customer
			for _, c := range []*crm.Customer{eb.a, eb.b, eb.d} {
				if c.ID == p.CustomerID {
					want = c
				}
			}
			if want == nil || p.CustomerCode != want.Code || p.CustomerName != want.Name {
				t.Errorf("purchase %d: customer %q %q", p.ID, p.CustomerCode, p.CustomerName)
			}
			out = append(out, p.Amount)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	// By date, then id; archived customer's left out; bounds inclusive.
	if got, want := collect(0, 0), []crm.Money{200, 100, 500, 700, 400, 600}; !slices.Equal(got, want) {
		t.Errorf("all: %v, want %v", got, want)
	}
	if got, want := collect(feb1, feb28), []crm.Money{100, 500, 700, 400}; !slices.Equal(got, want) {
		t.Errorf("February: %v, want %v", got, want)
	}
	var first crm.Purchase
	eb.s.EachPurchase(ctx, 0, 0, func(p *crm.PurchaseRow) error { first = p.Purchase; return errStop })
	if first != eb.ps[1] {
		t.Errorf("first purchase %+v, want %+v", first, eb.ps[1])
	}
}

var errStop = errors.New("stop")

func TestEachRecord(t *testing.T) {
	eb := newExportBook(t)
	ctx := context.Background()
	collect := func(from, to crm.Date) []crm.RecordKind {
		var out []crm.RecordKind
		err := eb.s.EachRecord(ctx, from, to, func(r *crm.RecordRow) error {
			want := map[int64][3]string{eb.a.ID: {"C000001", "张三", "+8613812345678"}, eb.b.ID: {"C000002", "李四", ""},
				eb.d.ID: {"C000009", "赵六", "+8613600002222"}}[r.CustomerID]
			if got := [3]string{r.CustomerCode, r.CustomerName, r.Phone}; got != want {
				t.Errorf("record %d: customer %q, want %q", r.ID, got, want)
			}
			out = append(out, r.Kind)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	all := []crm.RecordKind{crm.KindGreeting, crm.KindRoutine, crm.KindRecall, crm.KindComplaint, crm.KindService, crm.KindOther}
	if got := collect(0, 0); !slices.Equal(got, all) {
		t.Errorf("all: %v, want %v", got, all)
	}
	if got := collect(feb1, feb28); !slices.Equal(got, all[1:5]) {
		t.Errorf("February: %v, want %v", got, all[1:5])
	}
	if got := collect(crm.MustDate("2026-03-01"), 0); !slices.Equal(got, all[5:]) {
		t.Errorf("from March: %v, want %v", got, all[5:])
	}
	var rec crm.Record
	eb.s.EachRecord(ctx, crm.MustDate("2026-02-10"), crm.MustDate("2026-02-10"), func(r *crm.RecordRow) error {
		rec = r.Record
		return errStop
	})
	if !reflect.DeepEqual(rec, eb.rs[4]) {
		t.Errorf("record %+v, want %+v", rec, eb.rs[4])
	}
}

// TestEachStops: fn's error, and a cancelled context, end each export at once.
func TestEachStops(t *testing.T) {
	eb := newExportBook(t)
	each := map[string]func(ctx context.Context, fn func() error) error{
		"customers": func(ctx context.Context, fn func() error) error {
			return eb.s.EachCustomer(ctx, func(*crm.CustomerRow) error { return fn() })
		},
		"purchases": func(ctx context.Context, fn func() error) error {
			return eb.s.EachPurchase(ctx, 0, 0, func(*crm.PurchaseRow) error { return fn() })
		},
		"records": func(ctx context.Context, fn func() error) error {
			return eb.s.EachRecord(ctx, 0, 0, func(*crm.RecordRow) error { return fn() })
		},
	}
	for name, run := range each {
		calls := 0
		if err := run(context.Background(), func() error { calls++; return errStop }); err != errStop || calls != 1 {
			t.Errorf("%s: fn's error: %v after %d calls", name, err, calls)
		}
		ctx, cancel := context.WithCancel(context.Background())
		calls = 0
		if err := run(ctx, func() error { calls++; cancel(); return nil }); !errors.Is(err, context.Canceled) || calls != 1 {
			t.Errorf("%s: cancelled: %v after %d calls", name, err, calls)
		}
		if err := run(ctx, func() error { t.Errorf("%s: called with a cancelled context", name); return nil }); !errors.Is(err, context.Canceled) {
			t.Errorf("%s: cancelled before: %v", name, err)
		}
	}
}

// TestEachIsASnapshot: what is written while an export runs is not in it.
func TestEachIsASnapshot(t *testing.T) {
	eb := newExportBook(t)
	ctx := context.Background()
	n := 0
	err := eb.s.EachRecord(ctx, 0, 0, func(r *crm.RecordRow) error {
		if n++; n == 1 {
			return eb.s.SaveRecord(ctx, &crm.Record{CustomerID: eb.a.ID, At: at("2026-12-31 10:00:00"), Kind: crm.KindRoutine})
		}
		return nil
	})
	if err != nil || n != 6 {
		t.Errorf("%d records exported, %v; want the 6 of the snapshot", n, err)
	}
	n = 0
	err = eb.s.EachCustomer(ctx, func(*crm.CustomerRow) error {
		if n++; n == 1 {
			return eb.s.SaveCustomer(ctx, &crm.Customer{Name: "新人", Code: "C000005", Phones: []string{"13500000000"}})
		}
		return nil
	})
	if err != nil || n != 3 {
		t.Errorf("%d customers exported, %v; want the 3 of the snapshot", n, err)
	}
}

// TestEachCustomerMany checks the merge over more customers than a handful, with a mix of
// phones, tags and dates, against Customer.
func TestEachCustomerMany(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	cs := syntheticCustomers(300, 5)
	for i := range cs {
		if i%7 == 0 {
			cs[i].Phones, cs[i].Tags, cs[i].Birthday, cs[i].Dates = nil, nil, nil, nil
		}
	}
	if err := s.InsertCustomers(ctx, cs); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < len(cs); i += 10 {
		if err := s.ArchiveCustomer(ctx, cs[i].ID); err != nil {
			t.Fatal(err)
		}
	}
	start := time.Now()
	n := 0
	last := ""
	err := s.EachCustomer(ctx, func(row *crm.CustomerRow) error {
		n++
		if row.Code <= last {
			t.Errorf("%s after %s", row.Code, last)
		}
		last = row.Code
		if card := mustLoad(t, s, row.ID); !reflect.DeepEqual(row.Customer, *card) {
			t.Errorf("%s: exported\n%+v\nloaded\n%+v", row.Code, row.Customer, *card)
		}
		return nil
	})
	if err != nil || n != 270 {
		t.Errorf("%d customers, %v", n, err)
	}
	t.Logf("%v", time.Since(start))
}
