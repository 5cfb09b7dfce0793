package store

import (
	"context"
	"testing"

	"carebook/crm"
)

// BenchmarkPlan plans one day on the big book (100,000 customers, 1,000,000 purchases,
// 2,000,000 records; see recordsBook): the day after its history ends, a holiday (every customer
// gets a greeting item) and a day in the middle of the history (the book as of then: every
// customer is summed up again). Goal (PRODUCT.md §8): `carebook today` under 300 ms end to end.
func BenchmarkPlan(b *testing.B) {
	s := recordsBook(b)
	ctx := context.Background()
	for _, day := range []struct{ name, date string }{
		{"day", "2026-03-02"}, {"holiday", "2026-02-17"}, {"past", "2025-06-15"},
	} {
		b.Run(day.name, func(b *testing.B) {
			d := crm.MustDate(day.date)
			var items int
			for range b.N {
				p, err := s.Plan(ctx, d)
				if err != nil {
					b.Fatal(err)
				}
				items = len(p.Maintain)
			}
			b.ReportMetric(float64(items), "items")
		})
	}
}
