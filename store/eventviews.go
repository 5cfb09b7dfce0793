package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"carebook/crm"
)

// EventSummaries returns every event with its invitations counted by status (archived
// customers' included; every status of crm.InvitationStatuses is present), by date then id, in
// one query.
func (s *Store) EventSummaries(ctx context.Context) ([]crm.EventSummary, error) {
	const q = `SELECT e.id, e.name, e.date, e.purpose, e.script, e.audience, e.window_days, e.notes,
		e.created_at, e.updated_at,
		coalesce(sum(v.status = 'invited'), 0), coalesce(sum(v.status = 'accepted'), 0),
		coalesce(sum(v.status = 'declined'), 0), coalesce(sum(v.status = 'attended'), 0),
		coalesce(sum(v.status = 'no_show'), 0)
		FROM events e LEFT JOIN invitations v ON v.event_id = e.id
		GROUP BY e.id ORDER BY e.date, e.id`
	out, err := readAll(ctx, s, q, nil, scanEventSummary)
	if err != nil {
		return nil, fmt.Errorf("load event summaries: %w", err)
	}
	return out, nil
}

// scanEventSummary decodes a row of EventSummaries.
func scanEventSummary(rows *sql.Rows, es *crm.EventSummary) error {
	e := &es.Event
	var date, audience, createdAt, updatedAt string
	n := make([]int, len(summaryStatuses))
	dest := []any{&e.ID, &e.Name, &date, &e.Purpose, &e.Script, &audience, &e.WindowDays, &e.Notes,
		&createdAt, &updatedAt}
	for i := range n {
		dest = append(dest, &n[i])
	}
	if err := rows.Scan(dest...); err != nil {
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
	es.Counts = make(map[crm.InvitationStatus]int, len(summaryStatuses))
	for i, st := range summaryStatuses {
		es.Counts[st] = n[i]
	}
	return nil
}

// summaryStatuses are the statuses counted by EventSummaries, in its columns' order.
var summaryStatuses = []crm.InvitationStatus{crm.InvitationInvited, crm.InvitationAccepted,
	crm.InvitationDeclined, crm.InvitationAttended, crm.InvitationNoShow}

// InvitationRows returns the invitations to event eventID with their customers' code, name,
// remark name, main phone and archived flag, in the order they were first made (by id);
// archived customers' included. None when there are none or no such event.
func (s *Store) InvitationRows(ctx context.Context, eventID int64) ([]crm.InvitationRow, error) {
	const q = `SELECT v.id, v.event_id, v.customer_id, v.status, v.date, v.note,
		c.code, c.name, c.remark, c.archived_at IS NOT NULL,
		coalesce((SELECT p.e164 FROM customer_phones p WHERE p.customer_id = c.id ORDER BY p.pos LIMIT 1), '')
		FROM invitations v JOIN customers c ON c.id = v.customer_id
		WHERE v.event_id = ? ORDER BY v.id`
	out, err := readAll(ctx, s, q, []any{eventID}, scanInvitationRow)
	if err != nil {
		return nil, fmt.Errorf("load invitation rows: %w", err)
	}
	return out, nil
}

func scanInvitationRow(rows *sql.Rows, r *crm.InvitationRow) error {
	var status string
	var date sql.NullString
	if err := rows.Scan(&r.ID, &r.EventID, &r.CustomerID, &status, &date, &r.Note,
		&r.Code, &r.Name, &r.Remark, &r.Archived, &r.Phone); err != nil {
		return err
	}
	r.Status = crm.InvitationStatus(status)
	var err error
	if r.Date, err = parseDate(date); err != nil {
		return fmt.Errorf("invitation %d: %w", r.ID, err)
	}
	return nil
}
