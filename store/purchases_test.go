package store

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"carebook/crm"
)

// fieldErr returns the crm field error for field in err, or fails the test.
func fieldErr(t *testing.T, err error, field string) *crm.FieldError {
	t.Helper()
	var es crm.Errors
	if !errors.As(err, &es) {
		t.Fatalf("error %v is not a crm.Errors", err)
	}
	fe := es.For(field)
	if fe == nil {
		t.Fatalf("error %v has nothing for %s", err, field)
	}
	return fe
}

func TestSavePurchase(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	c := mustSave(t, s, card())

	p := &crm.Purchase{CustomerID: c.ID, Date: crm.MustDate("2026-03-01"), Amount: 128_50, Items: "  面霜\r\n精华 "}
	if err := s.SavePurchase(ctx, p); err != nil {
		t.Fatal(err)
	}
	if p.ID == 0 || p.Items != "面霜\n精华" || p.Channel != crm.Offline || !p.CreatedAt.Equal(fixedNow) ||
		!p.UpdatedAt.Equal(fixedNow) {
		t.Errorf("after insert: %+v", p)
	}
	got, err := s.Purchases(ctx, c.ID)
	if err != nil || len(got) != 1 || got[0] != *p {
		t.Fatalf("Purchases = %+v, %v; want %+v", got, err, *p)
	}

	later := fixedNow.Add(3600e9)
	s.now = func() time.Time { return later }
	p.Amount, p.Channel, p.Date = 99_00, crm.Online, crm.MustDate("2026-03-02")
	if err := s.SavePurchase(ctx, p); err != nil {
		t.Fatal(err)
	}
	if !p.CreatedAt.Equal(fixedNow) || !p.UpdatedAt.Equal(later) {
		t.Errorf("after update: created %v updated %v", p.CreatedAt, p.UpdatedAt)
	}
	if got, _ := s.Purchases(ctx, c.ID); len(got) != 1 || got[0] != *p {
		t.Errorf("after update: %+v, want %+v", got, *p)
	}

	missing := *p
	missing.ID = 9999
	if err := s.SavePurchase(ctx, &missing); !errors.Is(err, ErrNotFound) {
		t.Errorf("update of a missing purchase: %v", err)
	}
}

func TestSavePurchaseRefusesInvalid(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	c := mustSave(t, s, card())
	ok := crm.Purchase{CustomerID: c.ID, Date: crm.MustDate("2026-03-01"), Amount: 100}
	for _, tc := range []struct {
		field string
		edit  func(p *crm.Purchase)
	}{
		{"amount", func(p *crm.Purchase) { p.Amount = -1 }},
		{"date", func(p *crm.Purchase) { p.Date = 0 }},
		{"channel", func(p *crm.Purchase) { p.Channel = "mail" }},
		{"customer", func(p *crm.Purchase) { p.CustomerID = 0 }},
		{"customer", func(p *crm.Purchase) { p.CustomerID = c.ID + 100 }}, // not in the book
	} {
		p := ok
		tc.edit(&p)
		err := s.SavePurchase(ctx, &p)
		if fe := fieldErr(t, err, tc.field); tc.field == "customer" && fe.Key != "err.required" {
			t.Errorf("customer error %+v", fe)
		}
		if p.ID != 0 {
			t.Errorf("%s: ID %d assigned to a refused purchase", tc.field, p.ID)
		}
	}
	// Neither may an update make a purchase invalid.
	p := ok
	if err := s.SavePurchase(ctx, &p); err != nil {
		t.Fatal(err)
	}
	bad := p
	bad.CustomerID = 12345
	fieldErr(t, s.SavePurchase(ctx, &bad), "customer")
	if got, _ := s.Purchases(ctx, c.ID); len(got) != 1 || got[0].Amount != 100 {
		t.Errorf("after refusals: %+v", got)
	}
	if n := countRows(t, s, "purchases"); n != 1 {
		t.Errorf("%d purchases written", n)
	}
}

func TestDeletePurchase(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	c := mustSave(t, s, card())
	p := &crm.Purchase{CustomerID: c.ID, Date: crm.MustDate("2026-03-01"), Amount: 100}
	if err := s.SavePurchase(ctx, p); err != nil {
		t.Fatal(err)
	}
	if err := s.DeletePurchase(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Purchases(ctx, c.ID); err != nil || len(got) != 0 {
		t.Errorf("after delete: %v, %v", got, err)
	}
	if err := s.DeletePurchase(ctx, p.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("second delete: %v", err)
	}
}

func TestPurchasesNewestFirst(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	a := mustSave(t, s, card())
	b := mustSave(t, s, &crm.Customer{Name: "李四"})
	var ps []crm.Purchase
	for i, d := range []string{"2026-01-05", "2026-02-01", "2026-01-05", "2025-12-31", "2026-02-01"} {
		ps = append(ps, crm.Purchase{CustomerID: a.ID, Date: crm.MustDate(d), Amount: crm.Money(i)})
	}
	ps = append(ps, crm.Purchase{CustomerID: b.ID, Date: crm.MustDate("2026-01-10"), Amount: 7})
	if err := s.InsertPurchases(ctx, ps); err != nil {
		t.Fatal(err)
	}
	got, err := s.Purchases(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	var amounts []crm.Money
	for _, p := range got {
		amounts = append(amounts, p.Amount)
	}
	// By date, newest first; the same date: the latest entered first.
	if want := []crm.Money{4, 1, 2, 0, 3}; !slices.Equal(amounts, want) {
		t.Errorf("order %v, want %v", amounts, want)
	}
	if got, _ := s.Purchases(ctx, 9999); len(got) != 0 {
		t.Errorf("purchases of nobody: %v", got)
	}
}

func TestInsertPurchases(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	c := mustSave(t, s, card())
	batch := func() []crm.Purchase {
		ps := make([]crm.Purchase, 10)
		for i := range ps {
			ps[i] = crm.Purchase{CustomerID: c.ID, Date: crm.MustDate("2026-01-01").AddDays(i), Amount: 100, Items: " x "}
		}
		return ps
	}
	for _, tc := range []struct {
		name  string
		edit  func(p *crm.Purchase)
		field string
	}{
		{"invalid", func(p *crm.Purchase) { p.Amount = -5 }, "amount"},
		{"no customer", func(p *crm.Purchase) { p.CustomerID = c.ID + 1 }, "customer"},
		{"has an id", func(p *crm.Purchase) { p.ID = 3 }, ""},
	} {
		ps := batch()
		tc.edit(&ps[5])
		err := s.InsertPurchases(ctx, ps)
		var re *RowError
		if !errors.As(err, &re) || re.Row != 5 {
			t.Fatalf("%s: %v, want a RowError for row 5", tc.name, err)
		}
		if tc.field != "" {
			fieldErr(t, err, tc.field)
		}
		if n := countRows(t, s, "purchases"); n != 0 {
			t.Fatalf("%s: %d purchases written", tc.name, n)
		}
	}
	ps := batch()
	if err := s.InsertPurchases(ctx, ps); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Purchases(ctx, c.ID)
	if len(got) != len(ps) {
		t.Fatalf("%d purchases", len(got))
	}
	for i, p := range ps {
		if g := got[len(got)-1-i]; g != p || p.ID == 0 || p.Items != "x" {
			t.Errorf("purchase %d: stored %+v, given back %+v", i, g, p)
		}
	}
	if err := s.InsertPurchases(ctx, nil); err != nil {
		t.Errorf("empty batch: %v", err)
	}
}
