package store

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"carebook/store/benchbook"
)

// The figures of PRODUCT.md §8 that are the store's, each on the book of 10,000 and of 100,000
// customers (recordsBookOf: 10 purchases and 20 records a customer), as sub-benchmarks
// customers=N, so that benchstat shows how they grow.

// BenchmarkSearchKeystroke types the queries of benchbook.Typings one keystroke after the
// other, as the customer list's search box asks the store on each (Search with the box's
// text), after the list was shown once (the index is loaded: the screen lists everyone when it
// opens). It reports the 95th percentile and the slowest keystroke over all iterations, and the
// mean per keystroke. Goal: under 20 ms a keystroke.
func BenchmarkSearchKeystroke(b *testing.B) {
	keys := benchbook.Keystrokes()
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("customers=%d", n), func(b *testing.B) {
			s := recordsBookOf(b, n)
			ctx := context.Background()
			if _, err := s.Search(ctx, Query{}); err != nil {
				b.Fatal(err)
			}
			var times []time.Duration
			var total time.Duration
			found := 0
			for b.Loop() {
				for _, k := range keys {
					start := time.Now()
					n, err := benchbook.Keystroke(ctx, s, k)
					d := time.Since(start)
					if err != nil {
						b.Fatal(err)
					}
					times, total = append(times, d), total+d
					if k == benchbook.CardName {
						found = n
					}
				}
			}
			if found == 0 {
				b.Fatalf("typing %s found nobody", benchbook.CardName)
			}
			slices.Sort(times)
			b.ReportMetric(float64(times[len(times)*95/100])/1e6, "p95-ms")
			b.ReportMetric(float64(times[len(times)-1])/1e6, "max-ms")
			b.ReportMetric(float64(total)/1e6/float64(len(times)), "ms/key")
		})
	}
}

// BenchmarkOpenCard makes every call of the store that opening a customer card makes
// (benchbook.OpenCard: the customer, purchases, records, activity, insight, services,
// complaints, work calendar) for the card customer (50 purchases, 200 records), on the day
// after the history ends. The book's classification is cached as the Today screen leaves it
// ("warm"); "cold" drops the cache first (the whole book read again, as after an import);
// "after_purchase" saves a change to one of the card customer's purchases first, and puts it
// back after (benchbook.OpenCardAfterPurchase: the cached classification is updated with that
// customer). Goal: under 50 ms.
func BenchmarkOpenCard(b *testing.B) {
	for _, n := range benchSizes {
		for _, mode := range []string{"warm", "cold", "after_purchase"} {
			b.Run(fmt.Sprintf("customers=%d/%s", n, mode), func(b *testing.B) {
				s := recordsBookOf(b, n)
				ctx := context.Background()
				id, err := benchbook.FindCard(ctx, s)
				if err != nil || id == 0 {
					b.Fatalf("no card customer (%v)", err)
				}
				if err := benchbook.OpenCard(ctx, s, id, benchbook.Today); err != nil {
					b.Fatal(err)
				}
				var times []time.Duration
				for b.Loop() {
					if mode == "after_purchase" {
						d, err := benchbook.OpenCardAfterPurchase(ctx, s, id, benchbook.Today)
						if err != nil {
							b.Fatal(err)
						}
						times = append(times, d)
						continue
					}
					if mode == "cold" {
						s.insightsChanged()
					}
					start := time.Now()
					if err := benchbook.OpenCard(ctx, s, id, benchbook.Today); err != nil {
						b.Fatal(err)
					}
					times = append(times, time.Since(start))
				}
				slices.Sort(times)
				b.ReportMetric(float64(times[len(times)*95/100])/1e6, "p95-ms")
				b.ReportMetric(float64(times[len(times)-1])/1e6, "max-ms")
			})
		}
	}
}
