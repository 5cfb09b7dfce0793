package benchfile_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/xuri/excelize/v2"

	"carebook/store"
	"carebook/store/benchbook"
	"carebook/store/benchbook/benchfile"
	"carebook/store/xlsx"
)

// sheets returns the raw cell values of every sheet of the workbook at path, in order.
func sheets(t *testing.T, path string) [][][]string {
	t.Helper()
	f, err := excelize.OpenFile(path, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out [][][]string
	for _, name := range f.GetSheetList() {
		rows, err := f.GetRows(name, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, rows)
	}
	return out
}

// TestBareExportWritesTheSameCells: the yardstick of the export figure writes the cells of
// xlsx.Export (Chinese, no derived columns) for the records, customers and purchases of a small
// benchmark book, in the same order.
func TestBareExportWritesTheSameCells(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	book := filepath.Join(dir, "bench.db")
	open := func(ctx context.Context, path string) (benchbook.Book, error) { return store.Open(ctx, path) }
	if err := benchbook.Build(ctx, book, 30, 300, 600, open); err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(ctx, book)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ours, bare := filepath.Join(dir, "export.xlsx"), filepath.Join(dir, "bare.xlsx")
	if err := xlsx.Export(ctx, s, ours, xlsx.Options{Lang: xlsx.LangZh}); err != nil {
		t.Fatal(err)
	}
	if err := benchfile.BareExport(ctx, s, bare); err != nil {
		t.Fatal(err)
	}
	want, got := sheets(t, ours), sheets(t, bare)
	if len(got) < 3 || len(want) < 3 {
		t.Fatalf("%d and %d sheets", len(want), len(got))
	}
	for i, name := range []string{"records", "customers", "purchases"} {
		w, g := want[i], got[i]
		if len(w) != len(g) || len(w) < 2 {
			t.Errorf("%s: %d rows exported, %d written bare", name, len(w), len(g))
			continue
		}
		diffs := 0
		for r := range w {
			for c := range max(len(w[r]), len(g[r])) {
				var wc, gc string
				if c < len(w[r]) {
					wc = w[r][c]
				}
				if c < len(g[r]) {
					gc = g[r][c]
				}
				if wc != gc && diffs < 5 {
					diffs++
					t.Errorf("%s row %d column %d: exported %q, bare %q", name, r+1, c+1, wc, gc)
				}
			}
		}
	}
}
