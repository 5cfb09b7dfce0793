package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"carebook/store"
)

// benchBookPath is the book of 100,000 customers, 1,000,000 purchases and 2,000,000 records that
// the store benchmarks build and keep under os.TempDir() (go test -bench . ./store/).
func benchBookPath() string {
	return filepath.Join(os.TempDir(), fmt.Sprintf("carebook-bench-%d-%d-%d-s%d.db", 100_000, 1_000_000, 2_000_000, store.SchemaVersion()))
}

// BenchmarkTodayCommand times `carebook today --json` as a whole process (start, open the book,
// plan, print) on the benchmark book, for the day after its history ends and for a holiday then
// (the lantern festival: every customer gets a greeting), and
// reports the peak RSS. Goal (PRODUCT.md §8): under 300 ms and 300 MB.
func BenchmarkTodayCommand(b *testing.B) {
	book := benchBookPath()
	if _, err := os.Stat(book); err != nil {
		b.Skipf("no benchmark book at %s: run go test -run '^$' -bench PlanToday ./store/ first", book)
	}
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
	// Open once so that a migration of the cached book is not timed.
	if out, err := exec.Command(bin, "today", "--db", book, "--json").CombinedOutput(); err != nil {
		b.Fatalf("today: %v\n%s", err, out)
	}
	for _, day := range []struct{ name, date string }{{"day", "2026-03-02"}, {"holiday", "2026-03-03"}} {
		b.Run(day.name, func(b *testing.B) {
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
