package store

import (
	"context"
	"database/sql"
	"fmt"

	"carebook/crm"
)

// InviteDone marks an Invite item done in one transaction: it logs r (the invitation record of
// the customer) and records the customer as invited to event eventID on r's day, unless an
// invitation is there already (its status is kept). Nothing is written when either fails.
func (s *Store) InviteDone(ctx context.Context, eventID int64, r *crm.Record) error {
	rs := []crm.Record{*r}
	err := s.saveRecordsAnd(ctx, rs, func(ctx context.Context, tx *sql.Tx, ts string) error {
		var one int
		if err := tx.QueryRowContext(ctx, `SELECT 1 FROM events WHERE id = ?`, eventID).Scan(&one); isNoRows(err) {
			return fmt.Errorf("event %d: %w", eventID, ErrNotFound)
		} else if err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO invitations (event_id, customer_id, status, date, created_at, updated_at)
			VALUES (?, ?, 'invited', ?, ?, ?) ON CONFLICT (event_id, customer_id) DO NOTHING`,
			eventID, rs[0].CustomerID, rs[0].Date().String(), ts, ts)
		return err
	})
	if err != nil {
		return fmt.Errorf("invite done: %w", err)
	}
	*r = rs[0]
	return nil
}

// ServiceDone marks a Serve item of a service appointment done in one transaction: it logs r
// (the service record of the customer) and marks service serviceID of that customer done on
// r's day. ErrNotFound when the customer has no such service; nothing is written then.
func (s *Store) ServiceDone(ctx context.Context, serviceID int64, r *crm.Record) error {
	rs := []crm.Record{*r}
	err := s.saveRecordsAnd(ctx, rs, func(ctx context.Context, tx *sql.Tx, ts string) error {
		res, err := tx.ExecContext(ctx, `UPDATE services SET status = 'done', done_date = ?, updated_at = ?
			WHERE id = ? AND customer_id = ?`, rs[0].Date().String(), ts, serviceID, rs[0].CustomerID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return fmt.Errorf("service %d: %w", serviceID, ErrNotFound)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("service done: %w", err)
	}
	*r = rs[0]
	return nil
}
