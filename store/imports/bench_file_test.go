package imports

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"carebook/crm"
	"carebook/store"
	"carebook/store/benchbook/benchfile"
	"carebook/store/xlsx"
)

// The import goal of PRODUCT.md §8: 100,000 customer rows imported within 1.5× the time
// excelize's own Rows() iterator takes to read the same file.

// benchFileCustomers is the number of customer rows of the benchmark workbook.
const benchFileCustomers = 100_000

// benchFileToday is the demo book's today, and the import's.
var benchFileToday = benchfile.Today

// benchFile returns the benchmark workbook of benchFileCustomers customer rows (see benchFileOf).
func benchFile(b *testing.B) string {
	b.Helper()
	return benchFileOf(b, benchFileCustomers)
}

// benchFileOf returns the benchmark workbook of n customer rows (benchfile.Workbook: the demo
// generator's customers exported by Carebook, every other sheet empty), built once under
// os.TempDir() and reused by later runs.
func benchFileOf(b *testing.B, n int) string {
	b.Helper()
	path, err := benchfile.Workbook(context.Background(), n)
	if err != nil {
		b.Fatal(err)
	}
	return path
}

// readRowsOptions are the options of the bare Rows() read: those of xlsx.Read — raw cell values
// (numbers and dates as stored, not formatted through their styles) and its zip bomb limit —
// so that the baseline does the same reading work, and nothing more.
var readRowsOptions = excelize.Options{RawCellValue: true, UnzipSizeLimit: 2 << 30}

// readRows reads every sheet of the workbook at path with nothing but excelize: OpenFile, then
// Rows() and Columns() over every row (o: the options of both). It returns the number of cells.
func readRows(path string, o excelize.Options) (int, error) {
	f, err := excelize.OpenFile(path, o)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	cells := 0
	for _, sheet := range f.GetSheetList() {
		rows, err := f.Rows(sheet)
		if err != nil {
			return 0, err
		}
		for rows.Next() {
			cols, err := rows.Columns(o)
			if err != nil {
				rows.Close()
				return 0, err
			}
			cells += len(cols)
		}
		err = rows.Error()
		if cerr := rows.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return 0, err
		}
	}
	return cells, nil
}

// importFile does what a user's import of the file does, end to end: it reads the workbook,
// guesses every sheet's mapping, converts the rows and imports the batch into s (with dryRun,
// resolves it only). It checks that every customer row was created.
func importFile(ctx context.Context, s *store.Store, path string, dryRun bool) error {
	return importFileOf(ctx, s, path, benchFileCustomers, dryRun)
}

// importFileOf is importFile of a workbook of n customer rows.
func importFileOf(ctx context.Context, s *store.Store, path string, n int, dryRun bool) error {
	im := Importer{Lang: xlsx.LangZh}
	tables, err := im.Read(ctx, []string{path}, nil)
	if err != nil {
		return err
	}
	mappings := make([]crm.ImportMapping, len(tables))
	for i := range tables {
		mappings[i] = im.Guess(&tables[i])
	}
	batch := im.Convert(tables, mappings, benchFileToday)
	if err := im.Apply(ctx, s, batch, dryRun, nil); err != nil {
		return err
	}
	if c := batch.Counts(); c.Created != n || c.Skipped != 0 || c.Updated != 0 {
		return fmt.Errorf("import: counts %+v, want %d created", c, n)
	}
	return nil
}

// userContext is the context of an import as the import window runs it: one that can be
// cancelled (the database driver watches such a context while a statement runs).
func userContext() (context.Context, context.CancelFunc) {
	return context.WithCancel(context.Background())
}

// openBenchBook opens a new empty book in a new temporary directory.
func openBenchBook(b *testing.B) *store.Store {
	b.Helper()
	s, err := store.Open(context.Background(), filepath.Join(b.TempDir(), "book.db"))
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkImportFile times, each on its own, on the benchmark workbook (benchFile: 100,000
// customer rows):
//
//   - excelize-rows: excelize alone, OpenFile + Rows() + Columns() over every row of every
//     sheet, with the reader's options (readRowsOptions: RawCellValue): the yardstick of §8;
//   - excelize-rows-default: the same with excelize's default options (cells formatted through
//     their number formats), for information;
//   - read: xlsx.Read alone (the import's reader);
//   - import: the user's import, end to end (read, guess, convert, store.Import) into a new
//     empty book, every row a new customer; opening the book is not timed;
//   - import-dry-run: the same with a dry run (the preview), for information.
//
// BenchmarkImportVsRows gives the ratio of the goal.
func BenchmarkImportFile(b *testing.B) {
	path := benchFile(b)
	ctx, cancel := userContext()
	defer cancel()
	for _, bc := range []struct {
		name string
		run  func(b *testing.B) time.Duration
	}{
		{"excelize-rows", func(b *testing.B) time.Duration {
			return timed(b, func() error { _, err := readRows(path, readRowsOptions); return err })
		}},
		{"excelize-rows-default", func(b *testing.B) time.Duration {
			return timed(b, func() error { _, err := readRows(path, excelize.Options{}); return err })
		}},
		{"read", func(b *testing.B) time.Duration {
			return timed(b, func() error { _, err := xlsx.Read(ctx, path, nil); return err })
		}},
		{"import", func(b *testing.B) time.Duration {
			b.StopTimer()
			s := openBenchBook(b)
			defer s.Close()
			b.StartTimer()
			return timed(b, func() error { return importFile(ctx, s, path, false) })
		}},
		{"import-dry-run", func(b *testing.B) time.Duration {
			b.StopTimer()
			s := openBenchBook(b)
			defer s.Close()
			b.StartTimer()
			return timed(b, func() error { return importFile(ctx, s, path, true) })
		}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var total time.Duration
			n := 0
			for b.Loop() {
				total += bc.run(b)
				n++
			}
			b.ReportMetric(float64(total.Milliseconds())/float64(n), "ms/op")
		})
	}
}

// timed runs f after a garbage collection (untimed: what an earlier run left behind is not
// counted) and returns how long it took; it fails b on an error.
func timed(b *testing.B, f func() error) time.Duration {
	b.Helper()
	b.StopTimer()
	runtime.GC()
	b.StartTimer()
	start := time.Now()
	err := f()
	d := time.Since(start)
	if err != nil {
		b.Fatal(err)
	}
	return d
}

// BenchmarkImportVsRows is the import goal of PRODUCT.md §8, on workbooks of 10,000 and
// 100,000 customer rows (sub-benchmarks customers=N; benchFileOf): each iteration imports the
// workbook into a new empty book, end to end (importFileOf), and reads it with excelize's Rows()
// alone (readRows with the reader's options), in alternating order, and reports both times and
// their ratio, import / rows (goal: at most 1.5).
func BenchmarkImportVsRows(b *testing.B) {
	for _, size := range []int{10_000, benchFileCustomers} {
		b.Run(fmt.Sprintf("customers=%d", size), func(b *testing.B) { importVsRows(b, size) })
	}
}

func importVsRows(b *testing.B, size int) {
	path := benchFileOf(b, size)
	ctx, cancel := userContext()
	defer cancel()
	var rows, imp time.Duration
	i := 0
	for b.Loop() {
		b.StopTimer()
		s := openBenchBook(b)
		b.StartTimer()
		runRows := func() {
			rows += timed(b, func() error { _, err := readRows(path, readRowsOptions); return err })
		}
		runImport := func() {
			imp += timed(b, func() error { return importFileOf(ctx, s, path, size, false) })
		}
		if i%2 == 0 {
			runRows()
			runImport()
		} else {
			runImport()
			runRows()
		}
		i++
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
	n := float64(i)
	b.ReportMetric(float64(rows.Milliseconds())/n, "rows-ms")
	b.ReportMetric(float64(imp.Milliseconds())/n, "import-ms")
	b.ReportMetric(imp.Seconds()/rows.Seconds(), "ratio")
}
