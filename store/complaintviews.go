package store

import (
	"context"
	"fmt"

	"carebook/crm"
)

// ComplaintRows lists the complaints matching q for the complaints screen, newest first (by
// received date, then the latest entered), each with its customer's code and display name
// (remark name when there is one) and its steps (by date, then id). Complaints of archived
// customers are included (Archived tells). It reads in one transaction: one query for the
// complaints joined with their customers, one set-based query for all their steps.
func (s *Store) ComplaintRows(ctx context.Context, q crm.ComplaintQuery) ([]crm.ComplaintRow, error) {
	where, args := complaintWhere(q)
	tx, err := s.readTx(ctx)
	if err != nil {
		return nil, fmt.Errorf("list complaints: %w", err)
	}
	defer tx.Rollback()
	out, err := readComplaints(ctx, tx, `SELECT `+prefixed("c.", complaintColumns)+`,
		u.code, CASE WHEN u.remark <> '' THEN u.remark ELSE u.name END, u.archived_at IS NOT NULL
		FROM complaints c JOIN customers u ON u.id = c.customer_id
		WHERE `+where+` ORDER BY c.received DESC, c.id DESC`, where, args,
		func(r *crm.ComplaintRow) (*crm.Complaint, []any) {
			return &r.Complaint, []any{&r.CustomerCode, &r.CustomerName, &r.Archived}
		})
	if err != nil {
		return nil, fmt.Errorf("list complaints: %w", err)
	}
	return out, nil
}

// complaintWhere is the WHERE clause (on complaints c) and arguments of q.
func complaintWhere(q crm.ComplaintQuery) (string, []any) {
	where := "1"
	var args []any
	switch q.Status {
	case crm.ComplaintOpen:
		where += " AND c.closed IS NULL"
	case crm.ComplaintClosed:
		where += " AND c.closed IS NOT NULL"
	}
	if q.From != 0 {
		where += " AND c.received >= ?"
		args = append(args, q.From.String())
	}
	if q.To != 0 {
		where += " AND c.received <= ?"
		args = append(args, q.To.String())
	}
	if q.Category != "" {
		where += " AND c.category = ?"
		args = append(args, string(q.Category))
	}
	if q.Severity != "" {
		where += " AND c.severity = ?"
		args = append(args, string(q.Severity))
	}
	return where, args
}
