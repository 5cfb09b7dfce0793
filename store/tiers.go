package store

import (
	"context"
	"fmt"
	"slices"

	"carebook/crm"
)

// SuggestedTierChanges returns the active customers whose suggested tier on day d differs from
// their own, ordered by the change (from the highest own tier, then to the highest suggested),
// then in list order.
func (s *Store) SuggestedTierChanges(ctx context.Context, d crm.Date) ([]crm.TierChange, error) {
	bi, err := s.Insights(ctx, d)
	if err != nil {
		return nil, fmt.Errorf("suggested tiers: %w", err)
	}
	var out []crm.TierChange
	err = s.withIndex(ctx, func(x *index) error {
		x.all(func(sum *crm.Summary) {
			if sum.Archived {
				return
			}
			in := bi.insight(sum.ID)
			if in == nil || in.SuggestedTier == sum.Tier || in.SuggestedTier == "" {
				return
			}
			out = append(out, crm.TierChange{ID: sum.ID, Code: sum.Code, Name: sum.Name, Remark: sum.Remark,
				From: sum.Tier, To: in.SuggestedTier, M: in.M})
		})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("suggested tiers: %w", err)
	}
	slices.SortStableFunc(out, func(a, b crm.TierChange) int {
		if a.From != b.From {
			return a.From.Rank() - b.From.Rank()
		}
		return a.To.Rank() - b.To.Rank()
	})
	return out, nil
}

// SetTiers gives each customer of tiers (by id) its tier, in one transaction: all or nothing. A
// tier that is not one of crm.Tiers is refused with a crm.Errors (field "tier"), a customer not
// in the book with ErrNotFound, and a cancelled ctx leaves the book as it was. It returns the
// number of customers whose tier changed.
func (s *Store) SetTiers(ctx context.Context, tiers map[int64]crm.Tier) (int, error) {
	ids := make([]int64, 0, len(tiers))
	for id, t := range tiers {
		if !slices.Contains(crm.Tiers, t) {
			return 0, fmt.Errorf("set tiers: %w", crm.Errors{{Field: "tier", Key: "err.tier", Args: map[string]any{"Value": string(t)}}})
		}
		ids = append(ids, id)
	}
	if len(ids) == 0 {
		return 0, nil
	}
	slices.Sort(ids) // the rows in file order
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("set tiers: %w", err)
	}
	defer tx.Rollback()
	update, err := tx.PrepareContext(ctx, `UPDATE customers SET tier = ?1, updated_at = ?2 WHERE id = ?3 AND tier <> ?1`)
	if err != nil {
		return 0, fmt.Errorf("set tiers: %w", err)
	}
	defer update.Close()
	exists, err := tx.PrepareContext(ctx, `SELECT 1 FROM customers WHERE id = ?`)
	if err != nil {
		return 0, fmt.Errorf("set tiers: %w", err)
	}
	defer exists.Close()
	ts := stamp(s.now())
	var changed []int64
	for k, id := range ids {
		if k%256 == 0 {
			if err := ctx.Err(); err != nil {
				return 0, fmt.Errorf("set tiers: %w", err)
			}
		}
		res, err := update.ExecContext(ctx, string(tiers[id]), ts, id)
		if err != nil {
			return 0, fmt.Errorf("set tiers: customer %d: %w", id, err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return 0, fmt.Errorf("set tiers: customer %d: %w", id, err)
		}
		if n > 0 {
			changed = append(changed, id)
			continue
		}
		var one int
		if err := exists.QueryRowContext(ctx, id).Scan(&one); isNoRows(err) {
			return 0, fmt.Errorf("set tiers: %w", notFound("customer", id))
		} else if err != nil {
			return 0, fmt.Errorf("set tiers: customer %d: %w", id, err)
		}
	}
	if err := ctx.Err(); err != nil {
		return 0, fmt.Errorf("set tiers: %w", err)
	}
	if err := tx.Commit(); err != nil {
		s.indexDrop() // an unknown outcome
		return 0, fmt.Errorf("set tiers: %w", err)
	}
	if len(changed) == 0 {
		s.writeMu.keepInsights()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.idx != nil {
		s.idx.update(changed, func(sum *crm.Summary) { sum.Tier = tiers[sum.ID] })
	}
	return len(changed), nil
}
