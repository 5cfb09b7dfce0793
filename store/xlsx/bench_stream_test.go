package xlsx_test

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"carebook/store"
	"carebook/store/benchbook"
	"carebook/store/benchbook/benchfile"
	"carebook/store/xlsx"
)

// benchStore opens the benchmark book of n customers (10 purchases and 20 records a customer,
// built by benchbook when missing: minutes for 100,000 customers).
func benchStore(b *testing.B, n int) *store.Store {
	b.Helper()
	ctx := context.Background()
	path := benchbook.Path(store.SchemaVersion(), n, n*10, n*20)
	open := func(ctx context.Context, path string) (benchbook.Book, error) { return store.Open(ctx, path) }
	if err := benchbook.Ensure(ctx, path, n, n*10, n*20, open); err != nil {
		b.Fatal(err)
	}
	s, err := store.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// BenchmarkExportVsStream is the export goal of PRODUCT.md §8 on the benchmark books (10,000
// and 100,000 customers, with 10 purchases and 20 records each): every iteration exports the
// whole book with xlsx.Export (Chinese, as `carebook export` without the derived columns) and
// writes the same cells with benchfile.BareExport (nothing but excelize StreamWriters, reading
// the same store), in alternating order, after a garbage collection each, and reports both
// times and their ratio (goal: at most 1.3). One iteration of the 100,000 book takes a minute
// or more: run it with -benchtime 1x. The peak memory of each is the report's
// (scripts/benchreport, a process each).
func BenchmarkExportVsStream(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(fmt.Sprintf("customers=%d", n), func(b *testing.B) {
			s := benchStore(b, n)
			ctx := context.Background()
			dir := b.TempDir()
			var bare, ours time.Duration
			run := func(total *time.Duration, f func() error) {
				b.StopTimer()
				runtime.GC()
				b.StartTimer()
				start := time.Now()
				if err := f(); err != nil {
					b.Fatal(err)
				}
				*total += time.Since(start)
			}
			runOurs := func() {
				run(&ours, func() error {
					return xlsx.Export(ctx, s, filepath.Join(dir, "export.xlsx"), xlsx.Options{Lang: xlsx.LangZh})
				})
			}
			runBare := func() {
				run(&bare, func() error { return benchfile.BareExport(ctx, s, filepath.Join(dir, "bare.xlsx")) })
			}
			i := 0
			for b.Loop() {
				if i%2 == 0 {
					runOurs()
					runBare()
				} else {
					runBare()
					runOurs()
				}
				i++
			}
			k := float64(i)
			b.ReportMetric(bare.Seconds()/k, "bare-s")
			b.ReportMetric(ours.Seconds()/k, "export-s")
			b.ReportMetric(ours.Seconds()/bare.Seconds(), "ratio")
		})
	}
}
