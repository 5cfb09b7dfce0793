package benchbook_test

import (
	"context"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"carebook/crm"
	"carebook/store"
	"carebook/store/benchbook"
)

func open(ctx context.Context, path string) (benchbook.Book, error) { return store.Open(ctx, path) }

// TestBuildSmallBook builds a small benchmark book through the store and checks its size, the
// card customer's exact history and the card's store calls.
func TestBuildSmallBook(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "bench.db")
	if err := benchbook.Build(ctx, path, 40, 400, 800, open); err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	all, err := s.Search(ctx, crm.CustomerQuery{})
	if err != nil {
		t.Fatal(err)
	}
	// 40 and the card customer, less customer 17, archived (4242 and 77777 are beyond 40).
	if len(all) != 40 {
		t.Errorf("%d customers listed, want 40", len(all))
	}
	id, err := benchbook.FindCard(ctx, s)
	if err != nil || id == 0 {
		t.Fatalf("card customer: id %d, %v", id, err)
	}
	ps, err := s.Purchases(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	rs, err := s.CustomerRecords(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != benchbook.CardPurchases || len(rs) != benchbook.CardRecords {
		t.Errorf("card customer has %d purchases and %d records, want %d and %d", len(ps), len(rs), benchbook.CardPurchases, benchbook.CardRecords)
	}
	if err := benchbook.OpenCard(ctx, s, id, benchbook.Today); err != nil {
		t.Error(err)
	}
	// Opening the card after a purchase is changed leaves the purchases as they were.
	if _, err := benchbook.OpenCardAfterPurchase(ctx, s, id, benchbook.Today); err != nil {
		t.Error(err)
	}
	after, err := s.Purchases(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	for i := range after {
		after[i].UpdatedAt = ps[i].UpdatedAt // saved again, as it was
	}
	if !reflect.DeepEqual(after, ps) {
		t.Errorf("the purchases changed")
	}
	// Each search keystroke finds the card customer when the box holds the name.
	if n, err := benchbook.Keystroke(ctx, s, benchbook.CardName); err != nil || n != 1 {
		t.Errorf("typing the card name found %d (%v)", n, err)
	}
	_, purchases, records, err := s.ExportCounts(ctx, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	// 10 and 20 a customer on average (between half and one and a half times), plus the card's.
	if purchases < 200 || purchases > 600+50 || records < 400 || records > 1200+200 {
		t.Errorf("%d purchases and %d records, want about 400 and 800", purchases, records)
	}
	for _, k := range benchbook.Keystrokes() {
		if _, err := s.Search(ctx, crm.CustomerQuery{Text: k}); err != nil {
			t.Errorf("search %q: %v", k, err)
		}
	}
}

// TestEnsureAddsCardOnce: a book built before there was a card customer gets one, once.
func TestEnsureAddsCardOnce(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	s, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.InsertCustomers(ctx, benchbook.Customers(50, 1)); err != nil {
		t.Fatal(err)
	}
	if id, err := benchbook.FindCard(ctx, s); err != nil || id != 0 {
		t.Fatalf("card customer %d (%v) before Ensure", id, err)
	}
	s.Close()
	for range 2 {
		if err := benchbook.Ensure(ctx, path, 50, 500, 1000, open); err != nil {
			t.Fatal(err)
		}
	}
	s, err = store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	res, err := s.Search(ctx, crm.CustomerQuery{Text: benchbook.CardName})
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 {
		t.Fatalf("%d card customers after two Ensure, want 1", len(res))
	}
	if err := benchbook.OpenCard(ctx, s, res[0].ID, benchbook.Today); err != nil {
		t.Error(err)
	}
}

func TestPathIsKeyedBySizeAndSchema(t *testing.T) {
	a, b := benchbook.Path(4, 10_000, 100_000, 200_000), benchbook.Path(5, 10_000, 100_000, 200_000)
	if a == b || !strings.Contains(a, "carebook-bench-10000-100000-200000-s4.db") {
		t.Errorf("paths %q and %q", a, b)
	}
}
