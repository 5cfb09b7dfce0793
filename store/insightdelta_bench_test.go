package store

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"carebook/store/benchbook"
)

// BenchmarkOpenCardAfterPurchase times opening the card customer's card (benchbook.OpenCard, on
// the day after the history ends) right after a purchase of theirs was saved: the write moves
// the book's generation on, and the classification the card shows is updated from the cached
// one (PRODUCT.md §8: under 50 ms; BenchmarkOpenCard's "cold" is the whole book read again).
//
// The saved purchase is one of the card customer's, its amount and date changed, and it is put
// back after each iteration (benchbook.OpenCardAfterPurchase): the cached bench book stays as
// it was built.
func BenchmarkOpenCardAfterPurchase(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("customers=%d", n), func(b *testing.B) {
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
				d, err := benchbook.OpenCardAfterPurchase(ctx, s, id, benchbook.Today)
				if err != nil {
					b.Fatal(err)
				}
				times = append(times, d)
			}
			slices.Sort(times)
			b.ReportMetric(float64(times[len(times)*95/100])/1e6, "p95-ms")
			b.ReportMetric(float64(times[len(times)-1])/1e6, "max-ms")
		})
	}
}
