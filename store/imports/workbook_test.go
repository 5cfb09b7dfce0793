package imports

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"github.com/xuri/excelize/v2"

	"carebook/crm"
	"carebook/crm/demo"
	"carebook/store"
	"carebook/store/xlsx"
)

// demoBook opens a new book in dir filled with n demo customers and their history.
func demoBook(t *testing.T, dir string, n int) *store.Store {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, filepath.Join(dir, "demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	o := demo.Options{Customers: n, Seed: 5, Today: crm.MustDate("2026-11-22")}
	cards := demo.Customers(o)
	if err := s.InsertCustomers(ctx, cards); err != nil {
		t.Fatal(err)
	}
	ids := make([]int64, len(cards))
	for i := range cards {
		ids[i] = cards[i].ID
	}
	err = demo.History(o, cards, ids, func(ps []crm.Purchase, rs []crm.Record) error {
		if err := s.InsertPurchases(ctx, ps); err != nil {
			return err
		}
		return s.InsertRecords(ctx, rs)
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// sheets reads every sheet of a workbook but the summary, as the user sees the cells.
func workbookSheets(t *testing.T, path string) map[string][][]string {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string][][]string{}
	for _, name := range f.GetSheetList() {
		if name == "统计" || name == "Summary" {
			continue
		}
		rows, err := f.GetRows(name)
		if err != nil {
			t.Fatal(err)
		}
		out[name] = rows
	}
	return out
}

// Export → import into an empty book → export gives the same workbook, cell for cell, every
// sheet but the summary, in both languages.
func TestWorkbookRoundTrip(t *testing.T) {
	for _, lang := range []xlsx.Lang{xlsx.LangZh, xlsx.LangEn} {
		t.Run(string(lang), func(t *testing.T) {
			ctx := context.Background()
			dir := t.TempDir()
			src := demoBook(t, dir, 150)
			first := filepath.Join(dir, "first.xlsx")
			if err := xlsx.Export(ctx, src, first, xlsx.Options{Lang: lang}); err != nil {
				t.Fatal(err)
			}

			dst, err := store.Open(ctx, filepath.Join(dir, "empty.db"))
			if err != nil {
				t.Fatal(err)
			}
			defer dst.Close()
			im := Importer{Lang: lang}
			b, err := im.Prepare(ctx, []string{first}, crm.MustDate("2026-11-23"))
			if err != nil {
				t.Fatal(err)
			}
			if err := im.Apply(ctx, dst, b, false, nil); err != nil {
				t.Fatal(err)
			}
			n := b.Counts()
			if n.Skipped != 0 || n.Updated != 0 || n.Created == 0 {
				for _, r := range b.Results {
					if r.Action == crm.ImportSkipRow {
						t.Errorf("%s row %d skipped: %v", b.Tables[r.Table].Sheet, r.Line, r.Problems)
						break
					}
				}
				t.Fatalf("counts %+v: want every row created", n)
			}

			second := filepath.Join(dir, "second.xlsx")
			if err := xlsx.Export(ctx, dst, second, xlsx.Options{Lang: lang}); err != nil {
				t.Fatal(err)
			}
			a, c := workbookSheets(t, first), workbookSheets(t, second)
			if len(a) != len(c) {
				t.Fatalf("%d sheets, then %d", len(a), len(c))
			}
			for name, rows := range a {
				again := c[name]
				if len(rows) != len(again) {
					t.Errorf("%s: %d rows, then %d", name, len(rows), len(again))
					continue
				}
				for i := range rows {
					if !slices.Equal(rows[i], again[i]) {
						t.Errorf("%s row %d:\n  %q\nthen\n  %q", name, i+1, rows[i], again[i])
						break
					}
				}
			}
		})
	}
}
