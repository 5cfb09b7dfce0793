package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"carebook/crm"
	"carebook/store/benchbook"
)

// benchCustomers is the size of the book of the benchmarks (PRODUCT.md §8).
const benchCustomers = 100_000

// syntheticCustomers returns n deterministic cards like the demo generator's (benchbook.Customers).
func syntheticCustomers(n int, seed uint64) []crm.Customer { return benchbook.Customers(n, seed) }

var bench struct {
	once sync.Once
	dir  string
	s    *Store
	err  error
}

// benchBook returns a book of benchCustomers synthetic customers, built once per test binary in
// a temporary directory that TestMain removes.
func benchBook(b *testing.B) *Store {
	b.Helper()
	bench.once.Do(func() {
		bench.dir, bench.err = os.MkdirTemp("", "carebook-bench-")
		if bench.err != nil {
			return
		}
		ctx := context.Background()
		bench.s, bench.err = Open(ctx, filepath.Join(bench.dir, "bench.db"))
		if bench.err != nil {
			return
		}
		bench.err = bench.s.InsertCustomers(ctx, syntheticCustomers(benchCustomers, 1))
	})
	if bench.err != nil {
		b.Fatal(bench.err)
	}
	return bench.s
}

func TestMain(m *testing.M) {
	code := m.Run()
	closeRecordsBooks()
	if bench.s != nil {
		bench.s.Close()
	}
	if bench.dir != "" {
		os.RemoveAll(bench.dir)
	}
	os.Exit(code)
}

// BenchmarkInsertCustomers inserts benchCustomers customers into a new book per iteration.
func BenchmarkInsertCustomers(b *testing.B) {
	ctx := context.Background()
	var total time.Duration
	for b.Loop() {
		b.StopTimer()
		cs := syntheticCustomers(benchCustomers, 2)
		s, err := Open(ctx, filepath.Join(b.TempDir(), "book.db"))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		if err := s.InsertCustomers(ctx, cs); err != nil {
			b.Fatal(err)
		}
		total += time.Since(start)
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(benchCustomers)*float64(b.N)/total.Seconds(), "customers/s")
}

// BenchmarkSearch measures a search-as-you-type keystroke over benchCustomers customers
// (target: under 20 ms at the 95th percentile), reported as ns/op and p95-ms.
func BenchmarkSearch(b *testing.B) {
	s := benchBook(b)
	ctx := context.Background()
	if _, err := s.Search(ctx, Query{}); err != nil { // load the index
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name string
		q    Query
	}{
		{"zs", Query{Text: "zs"}},
		{"zhangwei", Query{Text: "zhangwei"}},
		{"张", Query{Text: "张"}},
		{"138", Query{Text: "138"}},
		{"13812", Query{Text: "13812"}},
		{"vip_tag", Query{Tag: "VIP"}},
		{"tier_vip_w", Query{Text: "w", Tier: crm.TierVIP}},
		{"nomatch", Query{Text: "xyzzy"}},
		{"all", Query{}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var times []time.Duration
			n := 0
			for b.Loop() {
				start := time.Now()
				res, err := s.Search(ctx, bc.q)
				times = append(times, time.Since(start))
				if err != nil {
					b.Fatal(err)
				}
				n = len(res)
			}
			slices.Sort(times)
			b.ReportMetric(float64(times[len(times)*95/100])/1e6, "p95-ms")
			b.ReportMetric(float64(n), "results")
		})
	}
}

// BenchmarkSearchIndexLoad measures the first search: loading the index of benchCustomers.
func BenchmarkSearchIndexLoad(b *testing.B) {
	s := benchBook(b)
	ctx := context.Background()
	for b.Loop() {
		s.indexDrop()
		if _, err := s.Search(ctx, Query{Text: "zs"}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSaveCustomer measures one edit of a card in the full book, index update included.
func BenchmarkSaveCustomer(b *testing.B) {
	s := benchBook(b)
	ctx := context.Background()
	if _, err := s.Search(ctx, Query{}); err != nil {
		b.Fatal(err)
	}
	c, err := s.Customer(ctx, 1)
	if err != nil {
		b.Fatal(err)
	}
	i := 0
	for b.Loop() {
		i++
		c.Notes = fmt.Sprint("edit ", i)
		if err := s.SaveCustomer(ctx, c); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNewCustomer measures saving a new card (code assignment included) in the full book.
func BenchmarkNewCustomer(b *testing.B) {
	s := benchBook(b)
	ctx := context.Background()
	if _, err := s.Search(ctx, Query{}); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if err := s.SaveCustomer(ctx, &crm.Customer{Name: "新顾客", Phones: []string{"13800001234"}}); err != nil {
			b.Fatal(err)
		}
	}
}
