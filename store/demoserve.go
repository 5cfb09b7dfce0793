package store

import (
	"context"
	"fmt"

	"carebook/crm"
)

// InsertServe adds invitations, service appointments and complaints (with their steps) in bulk
// (the demo generator): one transaction, all or nothing. Each row is normalised in place and
// validated; the first invalid one, one with an ID, or one whose event or customer is not in
// the book fails the whole batch with a *RowError (Row counts the invitations, then the
// services, then the complaints) and nothing is written. Two invitations of one customer to one
// event: the later wins. On success the IDs of the services, complaints and steps are set (not
// those of the invitations, written many at a time).
func (s *Store) InsertServe(ctx context.Context, invs []crm.Invitation, svcs []crm.Service, cmps []crm.Complaint) error {
	for i := range invs {
		v := &invs[i]
		crm.NormalizeInvitation(v)
		if errs := crm.ValidateInvitation(v); len(errs) > 0 || v.ID != 0 {
			return fmt.Errorf("insert serve: %w", &RowError{Row: i, Err: rowErr(errs, v.ID)})
		}
	}
	for i := range svcs {
		v := &svcs[i]
		crm.NormalizeService(v)
		if errs := crm.ValidateService(v); len(errs) > 0 || v.ID != 0 {
			return fmt.Errorf("insert serve: %w", &RowError{Row: len(invs) + i, Err: rowErr(errs, v.ID)})
		}
	}
	for i := range cmps {
		c := &cmps[i]
		crm.NormalizeComplaint(c)
		if errs := crm.ValidateComplaint(c); len(errs) > 0 || c.ID != 0 {
			return fmt.Errorf("insert serve: %w", &RowError{Row: len(invs) + len(svcs) + i, Err: rowErr(errs, c.ID)})
		}
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	s.writeMu.keepInsights() // none of these changes a classification
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("insert serve: %w", err)
	}
	defer tx.Rollback()
	ts := stamp(s.now())
	// Invitations are the most rows (some 180,000 at 100,000 customers): multi-row statements.
	inv := newMultiRow(tx, `INSERT INTO invitations (event_id, customer_id, status, date, note, created_at, updated_at)`,
		` ON CONFLICT (event_id, customer_id) DO UPDATE SET status = excluded.status, date = excluded.date,
			note = excluded.note, updated_at = excluded.updated_at`, 7, 128)
	defer inv.close()
	for i := range invs {
		v := &invs[i]
		inv.add(v.EventID, v.CustomerID, string(v.Status), nullDay(v.Date), v.Note, ts, ts)
		if inv.rows() >= 1024 {
			if err := inv.flushFull(ctx); err != nil {
				return fmt.Errorf("insert serve: invitations: %w", err)
			}
		}
	}
	if err := inv.flush(ctx); err != nil {
		return fmt.Errorf("insert serve: invitations: %w", err)
	}
	svc, err := tx.PrepareContext(ctx, insertServiceSQL)
	if err != nil {
		return fmt.Errorf("insert serve: %w", err)
	}
	defer svc.Close()
	for i := range svcs {
		res, err := svc.ExecContext(ctx, append(serviceValues(&svcs[i]), ts, ts)...)
		if err == nil {
			svcs[i].ID, err = res.LastInsertId()
		}
		if err != nil {
			return fmt.Errorf("insert serve: %w", &RowError{Row: len(invs) + i, Err: err})
		}
	}
	cmp, err := tx.PrepareContext(ctx, insertComplaintSQL)
	if err != nil {
		return fmt.Errorf("insert serve: %w", err)
	}
	defer cmp.Close()
	step, err := tx.PrepareContext(ctx, insertComplaintStepSQL)
	if err != nil {
		return fmt.Errorf("insert serve: %w", err)
	}
	defer step.Close()
	for i := range cmps {
		c := &cmps[i]
		row := len(invs) + len(svcs) + i
		res, err := cmp.ExecContext(ctx, append(complaintValues(c), ts, ts)...)
		if err == nil {
			c.ID, err = res.LastInsertId()
		}
		if err != nil {
			return fmt.Errorf("insert serve: %w", &RowError{Row: row, Err: err})
		}
		for k := range c.Steps {
			st := &c.Steps[k]
			res, err := step.ExecContext(ctx, c.ID, string(st.Step), st.Date.String(), st.Note, ts, ts)
			if err == nil {
				st.ID, err = res.LastInsertId()
			}
			if err != nil {
				return fmt.Errorf("insert serve: %w", &RowError{Row: row, Err: err})
			}
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("insert serve: %w", err)
	}
	created := parseStamp(ts)
	for i := range svcs {
		svcs[i].CreatedAt, svcs[i].UpdatedAt = created, created
	}
	for i := range cmps {
		cmps[i].CreatedAt, cmps[i].UpdatedAt = created, created
	}
	return nil
}

// rowErr is the error of an invalid row: its field errors, or that it is already in a book.
func rowErr(errs crm.Errors, id int64) error {
	if len(errs) > 0 {
		return errs
	}
	return fmt.Errorf("row %d is already in a book", id)
}
