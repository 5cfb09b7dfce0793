package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"carebook/store"
	"carebook/store/benchbook"
)

// benchBook returns the benchmark book of n customers, 10n purchases and 20n records
// (store/benchbook), building it when missing (minutes for 100,000 customers; the MB-rss of
// that first run includes the build's memory).
func benchBook(b *testing.B, n int) string {
	b.Helper()
	path := benchbook.Path(store.SchemaVersion(), n, n*10, n*20)
	if _, err := os.Stat(path); err == nil {
		// Not opened here when present: on Linux a child's peak RSS (rusage) is at least this
		// process's at the fork, and an open book with its search index would inflate it.
		return path
	}
	open := func(ctx context.Context, path string) (benchbook.Book, error) { return store.Open(ctx, path) }
	if err := benchbook.Ensure(context.Background(), path, n, n*10, n*20, open); err != nil {
		b.Fatal(err)
	}
	return path
}

// BenchmarkTodayCommand times `carebook today --json` as a whole process (start, open the book,
// plan, print) on the benchmark books of 10,000 and 100,000 customers (sub-benchmarks
// customers=N), for the day after its history ends and for a holiday then (the lantern
// festival: every customer gets a greeting), and reports the peak RSS. Goal (PRODUCT.md §8):
// under 300 ms and 300 MB.
func BenchmarkTodayCommand(b *testing.B) {
	bin := filepath.Join(b.TempDir(), "carebook")
	goBin, err := exec.LookPath("go")
	if err != nil {
		b.Skip("no go command on PATH")
	}
	build := exec.Command(goBin, "build", "-o", bin, ".")
	build.Stderr = os.Stderr
	if err = build.Run(); err != nil {
		b.Fatalf("build: %v", err)
	}
	for _, n := range []int{10_000, 100_000} {
		book := benchBook(b, n)
		// Open once so that a migration of the cached book is not timed.
		if out, err := exec.Command(bin, "today", "--db", book, "--json").CombinedOutput(); err != nil {
			b.Fatalf("today: %v\n%s", err, out)
		}
		for _, day := range []struct{ name, date string }{{"day", "2026-03-02"}, {"holiday", "2026-03-03"}} {
			b.Run(fmt.Sprintf("customers=%d/%s", n, day.name), func(b *testing.B) {
				var rss int64
				start := time.Now()
				for range b.N {
					cmd := exec.Command(bin, "today", "--db", book, "--json", "--date", day.date)
					cmd.Stdout = nil
					if err := cmd.Run(); err != nil {
						b.Fatalf("today: %v", err)
					}
					if u, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
						rss = max(rss, u.Maxrss) // KiB on Linux
					}
				}
				b.ReportMetric(float64(time.Since(start).Milliseconds())/float64(b.N), "ms/today")
				b.ReportMetric(float64(rss)/1024, "MB-rss")
			})
		}
	}
}
