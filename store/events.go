package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"carebook/crm"
)

const eventColumns = `id, name, date, purpose, script, audience, window_days, notes, created_at, updated_at`

const (
	insertEventSQL = `INSERT INTO events (name, date, purpose, script, audience, window_days, notes,
		created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`
	updateEventSQL = `UPDATE events SET name = ?, date = ?, purpose = ?, script = ?, audience = ?,
		window_days = ?, notes = ?, updated_at = ? WHERE id = ? RETURNING created_at`
)

// eventValues returns the values of the written columns of e, name to notes.
func eventValues(e *crm.Event) ([]any, error) {
	audience, err := json.Marshal(e.Audience)
	if err != nil {
		return nil, err
	}
	return []any{e.Name, e.Date.String(), e.Purpose, e.Script, string(audience), e.WindowDays, e.Notes}, nil
}

// SaveEvent writes event e: a new one when e.ID is 0 (e.ID is then assigned), else an update
// of that event (ErrNotFound when there is none). e is normalised (crm.NormalizeEvent) in place;
// an invalid event is refused with a crm.Errors (use errors.As) and nothing is written.
func (s *Store) SaveEvent(ctx context.Context, e *crm.Event) error {
	crm.NormalizeEvent(e)
	if errs := crm.ValidateEvent(e); len(errs) > 0 {
		return fmt.Errorf("save event: %w", errs)
	}
	vals, err := eventValues(e)
	if err != nil {
		return fmt.Errorf("save event: %w", err)
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	s.writeMu.keepInsights() // events change no classification
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("save event: %w", err)
	}
	defer tx.Rollback()
	ts := stamp(s.now())
	id, createdAt := e.ID, ts
	if id == 0 {
		res, err := tx.ExecContext(ctx, insertEventSQL, append(vals, ts, ts)...)
		if err != nil {
			return fmt.Errorf("save event: %w", err)
		}
		if id, err = res.LastInsertId(); err != nil {
			return fmt.Errorf("save event: %w", err)
		}
	} else {
		err := tx.QueryRowContext(ctx, updateEventSQL, append(vals, ts, id)...).Scan(&createdAt)
		if isNoRows(err) {
			return fmt.Errorf("save event: %w", notFound("event", id))
		}
		if err != nil {
			return fmt.Errorf("save event: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("save event: %w", err)
	}
	e.ID, e.CreatedAt, e.UpdatedAt = id, parseStamp(createdAt), parseStamp(ts)
	return nil
}

// DeleteEvent deletes event id and its invitations; ErrNotFound when there is none.
func (s *Store) DeleteEvent(ctx context.Context, id int64) error {
	if err := s.deleteRow(ctx, "events", "event", id); err != nil {
		return fmt.Errorf("delete event: %w", err)
	}
	return nil
}

// deleteRow deletes row id of table (what names it in ErrNotFound) in a transaction of its own,
// keeping the cached classifications: for tables no classification reads. The schema's
// cascades delete what hangs on the row.
func (s *Store) deleteRow(ctx context.Context, table, what string, id int64) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	s.writeMu.keepInsights() // events, invitations, services, complaints change no classification
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE id = ?`, id)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return notFound(what, id)
	}
	return tx.Commit()
}

// Event returns event id; ErrNotFound when there is none.
func (s *Store) Event(ctx context.Context, id int64) (*crm.Event, error) {
	es, err := s.loadEvents(ctx, `SELECT `+eventColumns+` FROM events WHERE id = ?`, id)
	if err != nil {
		return nil, fmt.Errorf("load event: %w", err)
	}
	if len(es) == 0 {
		return nil, fmt.Errorf("load event: %w", notFound("event", id))
	}
	return &es[0], nil
}

// Events returns the events dated from `from` to `to` (inclusive; a zero bound does not
// limit), by date then id.
func (s *Store) Events(ctx context.Context, from, to crm.Date) ([]crm.Event, error) {
	q := `SELECT ` + eventColumns + ` FROM events WHERE 1`
	var args []any
	if from != 0 {
		q += ` AND date >= ?`
		args = append(args, from.String())
	}
	if to != 0 {
		q += ` AND date <= ?`
		args = append(args, to.String())
	}
	es, err := s.loadEvents(ctx, q+` ORDER BY date, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("load events: %w", err)
	}
	return es, nil
}

func (s *Store) loadEvents(ctx context.Context, query string, args ...any) ([]crm.Event, error) {
	return readAll(ctx, s, query, args, scanEvent)
}

// scanEvent decodes a row of the event columns.
func scanEvent(rows *sql.Rows, e *crm.Event) error {
	var date, audience, createdAt, updatedAt string
	if err := rows.Scan(&e.ID, &e.Name, &date, &e.Purpose, &e.Script, &audience, &e.WindowDays, &e.Notes,
		&createdAt, &updatedAt); err != nil {
		return err
	}
	var err error
	if e.Date, err = parseDay([]byte(date)); err != nil {
		return fmt.Errorf("event %d: %w", e.ID, err)
	}
	if err := json.Unmarshal([]byte(audience), &e.Audience); err != nil {
		return fmt.Errorf("event %d: audience: %w", e.ID, err)
	}
	e.CreatedAt, e.UpdatedAt = parseStamp(createdAt), parseStamp(updatedAt)
	return nil
}

// SetInvitation records the invitation of customer customerID to event eventID: it adds one, or
// updates the status, date (0 = unknown) and note of the one there is, and returns it. An
// invalid invitation (crm.ValidateInvitation), or one whose event (field "event") or customer
// (field "customer") is not in the book, is refused with a crm.Errors and nothing is written.
func (s *Store) SetInvitation(ctx context.Context, eventID, customerID int64, status crm.InvitationStatus,
	date crm.Date, note string) (*crm.Invitation, error) {
	v := &crm.Invitation{EventID: eventID, CustomerID: customerID, Status: status, Date: date, Note: note}
	crm.NormalizeInvitation(v)
	if errs := crm.ValidateInvitation(v); len(errs) > 0 {
		return nil, fmt.Errorf("set invitation: %w", errs)
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	s.writeMu.keepInsights() // invitations change no classification
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("set invitation: %w", err)
	}
	defer tx.Rollback()
	var errs crm.Errors
	var one int
	if err := tx.QueryRowContext(ctx, `SELECT 1 FROM events WHERE id = ?`, eventID).Scan(&one); isNoRows(err) {
		errs = append(errs, crm.FieldError{Field: "event", Key: "err.required"})
	} else if err != nil {
		return nil, fmt.Errorf("set invitation: %w", err)
	}
	if _, err := customerArchived(ctx, tx, customerID); isNoRows(err) {
		errs = append(errs, missingCustomer()...)
	} else if err != nil {
		return nil, fmt.Errorf("set invitation: %w", err)
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("set invitation: %w", errs)
	}
	ts := stamp(s.now())
	err = tx.QueryRowContext(ctx, `INSERT INTO invitations (event_id, customer_id, status, date, note, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (event_id, customer_id) DO UPDATE SET status = excluded.status, date = excluded.date,
			note = excluded.note, updated_at = excluded.updated_at
		RETURNING id`, eventID, customerID, string(v.Status), nullDay(v.Date), v.Note, ts, ts).Scan(&v.ID)
	if err != nil {
		return nil, fmt.Errorf("set invitation: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("set invitation: %w", err)
	}
	return v, nil
}

// DeleteInvitation deletes invitation id (the customer becomes "to invite" again while the
// window is open); ErrNotFound when there is none.
func (s *Store) DeleteInvitation(ctx context.Context, id int64) error {
	if err := s.deleteRow(ctx, "invitations", "invitation", id); err != nil {
		return fmt.Errorf("delete invitation: %w", err)
	}
	return nil
}

// nullDay is d for a nullable date column: NULL when unset.
func nullDay(d crm.Date) any {
	if d.IsZero() {
		return nil
	}
	return d.String()
}

// Invitations returns the invitations to event eventID, in the order they were first made (by
// id), archived customers' included; none when there are none or no such event.
func (s *Store) Invitations(ctx context.Context, eventID int64) ([]crm.Invitation, error) {
	out, err := readAll(ctx, s, `SELECT `+invitationColumns+` FROM invitations
		WHERE event_id = ? ORDER BY id`, []any{eventID}, scanInvitation)
	if err != nil {
		return nil, fmt.Errorf("load invitations: %w", err)
	}
	return out, nil
}

// invitationColumns are the columns scanInvitation decodes.
const invitationColumns = "id, event_id, customer_id, status, date, note"

// scanInvitation decodes a row of invitationColumns.
func scanInvitation(rows *sql.Rows, v *crm.Invitation) error {
	var status string
	var date sql.NullString
	if err := rows.Scan(&v.ID, &v.EventID, &v.CustomerID, &status, &date, &v.Note); err != nil {
		return err
	}
	v.Status = crm.InvitationStatus(status)
	var err error
	if v.Date, err = parseDate(date); err != nil {
		return fmt.Errorf("invitation %d: %w", v.ID, err)
	}
	return nil
}

// EventFunnel counts the invitations to event eventID by status (archived customers' included);
// every status of crm.InvitationStatuses is present, 0 when none.
func (s *Store) EventFunnel(ctx context.Context, eventID int64) (map[crm.InvitationStatus]int, error) {
	tx, err := s.readTx(ctx)
	if err != nil {
		return nil, fmt.Errorf("event funnel: %w", err)
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT status, count(*) FROM invitations WHERE event_id = ? GROUP BY status`, eventID)
	if err != nil {
		return nil, fmt.Errorf("event funnel: %w", err)
	}
	defer rows.Close()
	out := make(map[crm.InvitationStatus]int, len(crm.InvitationStatuses))
	for _, st := range crm.InvitationStatuses {
		out[st] = 0
	}
	for rows.Next() {
		var status string
		var n int
		if err := rows.Scan(&status, &n); err != nil {
			return nil, fmt.Errorf("event funnel: %w", err)
		}
		out[crm.InvitationStatus(status)] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("event funnel: %w", err)
	}
	return out, nil
}
