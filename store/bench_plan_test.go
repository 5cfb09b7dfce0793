package store

import (
	"context"
	"testing"

	"carebook/crm"
)

// BenchmarkPlanToday plans one day on the big book (100,000 customers, 1,000,000 purchases,
// 2,000,000 records; see recordsBook), warm, and reports the items of Maintain and the customers
// handed to the planner: the day after its history ends ("day": most customers have an item, as
// in the demo book), a holiday then ("holiday": the lantern festival, every customer gets a
// greeting), the spring festival inside the history ("holiday_past": a quarter of the customers
// have something dated later and are summed up again) and a day in the middle of the history
// ("past": almost every customer is). Goal (PRODUCT.md §8): `carebook today` under 300 ms end
// to end, so Plan well under 200 ms for today.
func BenchmarkPlanToday(b *testing.B) {
	s := recordsBook(b)
	ctx := context.Background()
	ps, err := s.PlanSettings(ctx)
	if err != nil {
		b.Fatal(err)
	}
	for _, day := range []struct{ name, date string }{
		{"day", "2026-03-02"}, {"holiday", "2026-03-03"}, {"holiday_past", "2026-02-17"}, {"past", "2025-06-15"},
	} {
		b.Run(day.name, func(b *testing.B) {
			d := crm.MustDate(day.date)
			in, err := s.PlanInput(ctx, d, ps)
			if err != nil {
				b.Fatal(err)
			}
			var items int
			for b.Loop() {
				p, err := s.Plan(ctx, d)
				if err != nil {
					b.Fatal(err)
				}
				items = len(p.Maintain)
			}
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/op")
			b.ReportMetric(float64(items), "items")
			b.ReportMetric(float64(len(in.Customers)), "customers")
		})
	}
}

// BenchmarkPlanInput is BenchmarkPlanToday without the planner: the store's part alone.
func BenchmarkPlanInput(b *testing.B) {
	s := recordsBook(b)
	ctx := context.Background()
	ps, err := s.PlanSettings(ctx)
	if err != nil {
		b.Fatal(err)
	}
	for _, day := range []struct{ name, date string }{
		{"day", "2026-03-02"}, {"holiday", "2026-03-03"}, {"holiday_past", "2026-02-17"}, {"past", "2025-06-15"},
	} {
		b.Run(day.name, func(b *testing.B) {
			d := crm.MustDate(day.date)
			var n int
			for b.Loop() {
				in, err := s.PlanInput(ctx, d, ps)
				if err != nil {
					b.Fatal(err)
				}
				n = len(in.Customers)
			}
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/op")
			b.ReportMetric(float64(n), "customers")
		})
	}
}
