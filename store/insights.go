package store

import (
	"context"
	"database/sql"
	"fmt"

	"carebook/crm"
)

// BookInsights is the whole book classified on a day (PRODUCT.md §2): every active customer
// created on or before the day, its purchase history summed up as of the end of the day, and
// what crm.Classify derives from it. IDs, Stats and Classification.Insights are parallel, in
// customer id order.
type BookInsights struct {
	Date           crm.Date
	IDs            []int64
	Stats          []crm.CustomerStats
	Classification crm.Classification
	byID           map[int64]int
}

// Insight returns the insight of customer id, and whether the customer is in the book's
// classification (an archived customer, or one created after the day, is not).
func (b *BookInsights) Insight(id int64) (crm.Insight, bool) {
	i, ok := b.byID[id]
	if !ok {
		return crm.Insight{}, false
	}
	return b.Classification.Insights[i], true
}

// CustomerStats sums up, for every active customer created on or before d, the purchases dated
// on or before d: their number, first and last date, and the number and amount of those dated
// in (d − crm.RFMDays, d]. One pass over the purchases, in customer id order.
func (s *Store) CustomerStats(ctx context.Context, d crm.Date) ([]int64, []crm.CustomerStats, error) {
	tx, err := s.readTx(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("customer stats: %w", err)
	}
	defer tx.Rollback()
	ids, stats, err := customerStats(ctx, tx, d)
	if err != nil {
		return nil, nil, fmt.Errorf("customer stats: %w", err)
	}
	return ids, stats, nil
}

func customerStats(ctx context.Context, q querier, d crm.Date) ([]int64, []crm.CustomerStats, error) {
	day, yearAgo := d.String(), d.AddDays(-crm.RFMDays).String()
	rows, err := q.QueryContext(ctx, `
		SELECT c.id, c.code, c.tier,
		       (SELECT count(*) FROM purchases p WHERE p.customer_id = c.id AND p.date <= ?1),
		       (SELECT min(date) FROM purchases p WHERE p.customer_id = c.id AND p.date <= ?1),
		       (SELECT max(date) FROM purchases p WHERE p.customer_id = c.id AND p.date <= ?1),
		       (SELECT count(*) FROM purchases p WHERE p.customer_id = c.id AND p.date > ?2 AND p.date <= ?1),
		       (SELECT coalesce(sum(amount_fen), 0) FROM purchases p WHERE p.customer_id = c.id AND p.date > ?2 AND p.date <= ?1)
		FROM customers c
		WHERE c.archived_at IS NULL AND c.created <= ?1
		ORDER BY c.id`, day, yearAgo)
	if err != nil {
		return nil, nil, err
	}
	var ids []int64
	var stats []crm.CustomerStats
	err = eachRow(rows, func() error {
		var st crm.CustomerStats
		var tier string
		var first, last sql.NullString
		var amount int64
		if err := rows.Scan(&st.ID, &st.Code, &tier, &st.Purchases, &first, &last, &st.YearPurchases, &amount); err != nil {
			return err
		}
		st.Tier, st.YearAmount = crm.Tier(tier), crm.Money(amount)
		var err error
		if st.FirstPurchase, err = parseDate(first); err != nil {
			return fmt.Errorf("customer %d: first purchase: %w", st.ID, err)
		}
		if st.LastPurchase, err = parseDate(last); err != nil {
			return fmt.Errorf("customer %d: last purchase: %w", st.ID, err)
		}
		ids = append(ids, st.ID)
		stats = append(stats, st)
		return nil
	})
	return ids, stats, err
}

// Insights classifies the whole book on day d (crm.Classify with the book's churn settings).
func (s *Store) Insights(ctx context.Context, d crm.Date) (*BookInsights, error) {
	ps, err := s.PlanSettings(ctx)
	if err != nil {
		return nil, fmt.Errorf("insights: %w", err)
	}
	ids, stats, err := s.CustomerStats(ctx, d)
	if err != nil {
		return nil, fmt.Errorf("insights: %w", err)
	}
	b := &BookInsights{Date: d, IDs: ids, Stats: stats, Classification: crm.Classify(d, ps, stats),
		byID: make(map[int64]int, len(ids))}
	for i, id := range ids {
		b.byID[id] = i
	}
	return b, nil
}
