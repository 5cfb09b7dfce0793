package store

import (
	"context"
	"slices"
	"testing"
	"time"

	"carebook/crm"
)

// BenchmarkInsights classifies the big book (100,000 customers, 1,000,000 purchases; see
// recordsBook) on the day after its history ends: "cold" is the SQL pass and crm.Classify (the
// first call after a write), "cached" a call that finds the classification of the day in the
// cache (every keystroke of a filtered list).
func BenchmarkInsights(b *testing.B) {
	s := recordsBook(b)
	ctx := context.Background()
	d := crm.MustDate("2026-03-02")
	b.Run("cold", func(b *testing.B) {
		var n int
		for b.Loop() {
			s.insightsChanged()
			bi, err := s.Insights(ctx, d)
			if err != nil {
				b.Fatal(err)
			}
			n = len(bi.IDs)
		}
		b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/op")
		b.ReportMetric(float64(n), "customers")
	})
	b.Run("cached", func(b *testing.B) {
		if _, err := s.Insights(ctx, d); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if _, err := s.Insights(ctx, d); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkCustomerStats is the SQL pass of BenchmarkInsights alone.
func BenchmarkCustomerStats(b *testing.B) {
	s := recordsBook(b)
	ctx := context.Background()
	d := crm.MustDate("2026-03-02")
	for b.Loop() {
		if _, _, err := s.CustomerStats(ctx, d); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/op")
}

// BenchmarkSearchInsights is a keystroke of the customer list of the big book filtered or
// sorted by the derived fields (the classification cached, as after the first one), beside the
// same search without them; p95-ms as BenchmarkSearch.
func BenchmarkSearchInsights(b *testing.B) {
	s := recordsBook(b)
	ctx := context.Background()
	d := crm.MustDate("2026-03-02")
	if _, err := s.Search(ctx, Query{Day: d, Stage: crm.StageRepeat}); err != nil { // index and classification
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name string
		q    Query
	}{
		{"plain_all", Query{}},
		{"plain_zs", Query{Text: "zs"}},
		{"stage_repeat", Query{Stage: crm.StageRepeat}},
		{"segment_w", Query{Text: "w", Segment: crm.SegmentImportantValue}},
		{"churn_suggested", Query{Churn: crm.ChurnActive, Suggested: crm.TierVIP}},
		{"sort_amount_all", Query{Sort: crm.SortAmount}},
		{"sort_recency_zs", Query{Text: "zs", Sort: crm.SortRecency}},
		{"sort_last_dormant", Query{Stage: crm.StageDormant, Sort: crm.SortLastPurchase}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			q := bc.q
			q.Day = d
			var times []time.Duration
			n := 0
			for b.Loop() {
				start := time.Now()
				res, err := s.Search(ctx, q)
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
