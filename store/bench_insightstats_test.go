package store

import (
	"context"
	"testing"

	"carebook/crm"
)

// BenchmarkInsightStats gathers the Insights screen's statistics of the big book (100,000
// customers, 1,000,000 purchases, 2,000,000 records; see recordsBook) on the last day of its
// history (a Sunday: the last contact week is full): "history" is the holdings, contacts and
// plan completion alone (the passes of insightstats.go); "cold" is the whole of InsightStats
// after a write (the classification, not cached, runs beside the history passes); "warm" finds
// the classification of the day cached.
func BenchmarkInsightStats(b *testing.B) {
	s := recordsBook(b)
	ctx := context.Background()
	d := crm.MustDate("2026-03-01")
	bi, err := s.Insights(ctx, d)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("history", func(b *testing.B) {
		var st *crm.BookStats
		for b.Loop() {
			if st, err = s.InsightStatsOf(ctx, bi); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/op")
		b.ReportMetric(float64(st.Holdings[len(st.Holdings)-1].Count), "held")
		b.ReportMetric(float64(st.Contacts[len(st.Contacts)-1].Count), "contacts-last-week")
		b.ReportMetric(float64(st.Plan.OnTime.Count+st.Plan.Missed.Count+st.Plan.Open.Count), "plan-items")
	})
	for _, run := range []struct {
		name string
		cold bool
	}{{"cold", true}, {"warm", false}} {
		b.Run(run.name, func(b *testing.B) {
			for b.Loop() {
				if run.cold {
					s.insightsChanged()
				}
				if _, err := s.InsightStats(ctx, d); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/op")
		})
	}
}
