package main

import (
	"context"
	"fmt"
	"slices"
	"time"

	"carebook/crm"
	"carebook/store"
	"carebook/store/xlsx"
)

// exportWithInsights exports book s to path as xlsx.Export does, with the derived columns of 顾客
// (stage, churn state, RFM segment, suggested tier, in o.Lang) and the tables and charts of 统计
// from the book's classification on day, the export day.
//
// The classification is made first, not beside the streaming sheets, and only what the export
// writes is kept of it (four small numbers per customer, and the counts), not the cached
// classification: the export's memory stays what it was (PRODUCT.md §8: under 300 MB at
// 100,000 customers). It costs well under a second of a big export's tens.
func exportWithInsights(ctx context.Context, s *store.Store, path string, day crm.Date, o xlsx.Options) error {
	derived, st, err := exportClassification(ctx, s, day)
	if err != nil {
		return fmt.Errorf("classify the book: %w", err)
	}
	lang := o.Lang
	o.Derive = func(c *crm.CustomerRow) (string, string, string, string) {
		in, ok := derived.insight(c.ID)
		if !ok { // archived, or created after the day
			return "", "", "", ""
		}
		return xlsx.DerivedCells(lang, in)
	}
	o.Insights = func() (*crm.BookStats, error) { return st, nil }
	return xlsx.Export(ctx, s, path, o)
}

// exportClassification classifies the book on day (as store.Insights does, without its cache)
// and returns the derived fields of every customer and the counts of 统计.
func exportClassification(ctx context.Context, s *store.Store, day crm.Date) (*derivedFields, *crm.BookStats, error) {
	ps, err := s.PlanSettings(ctx)
	if err != nil {
		return nil, nil, err
	}
	ids, stats, err := s.CustomerStats(ctx, day)
	if err != nil {
		return nil, nil, err
	}
	bi := &store.BookInsights{Date: day, IDs: ids, Stats: stats, Classification: crm.Classify(day, ps, stats)}
	st, err := s.InsightCounts(ctx, bi)
	if err != nil {
		return nil, nil, err
	}
	return newDerivedFields(ids, bi.Classification.Insights), st, nil
}

// derivedFields are the derived fields of the classified customers: by customer (ids
// ascending), the positions in crm.Stages, crm.ChurnStates, crm.Segments and crm.Tiers of the
// stage, churn state, segment and suggested tier (churn and segment + 1: 0 is none).
type derivedFields struct {
	ids    []int64
	fields [][4]uint8
}

func newDerivedFields(ids []int64, ins []crm.Insight) *derivedFields {
	d := &derivedFields{ids: ids, fields: make([][4]uint8, len(ids))}
	for i := range ins {
		in := &ins[i]
		d.fields[i] = [4]uint8{
			uint8(slices.Index(crm.Stages, in.Stage)),
			uint8(slices.Index(crm.ChurnStates, in.Churn) + 1),
			uint8(slices.Index(crm.Segments, in.Segment) + 1),
			uint8(slices.Index(crm.Tiers, in.SuggestedTier)),
		}
	}
	return d
}

// insight returns the derived fields of customer id as an Insight (the rest zero), and whether
// the customer was classified.
func (d *derivedFields) insight(id int64) (crm.Insight, bool) {
	i, ok := slices.BinarySearch(d.ids, id)
	if !ok {
		return crm.Insight{}, false
	}
	f := d.fields[i]
	in := crm.Insight{Stage: crm.Stages[f[0]], SuggestedTier: crm.Tiers[f[3]]}
	if f[1] > 0 {
		in.Churn = crm.ChurnStates[f[1]-1]
	}
	if f[2] > 0 {
		in.Segment = crm.Segments[f[2]-1]
	}
	return in, true
}

// exportDay is the day an export classifies the book on: today.
func exportDay() crm.Date { return crm.DateOf(time.Now()) }
