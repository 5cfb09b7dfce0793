package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"carebook/crm"
)

// The export's 服务, 客诉 and 活动 sheets (xlsx.ServeSource): like the purchases and records, each
// is read in one read transaction by a few ordered queries streamed through pipeline, never one
// query per customer or per row.

// EachService calls fn with every service appointment of a customer not archived dated in
// [from, to] (zero = open), by date then id, with its customer's code and name. fn runs on the
// caller's goroutine while the book is read ahead (see pipeline); the row is reused.
func (s *Store) EachService(ctx context.Context, from, to crm.Date, fn func(*crm.ServiceSheetRow) error) error {
	return pipeline(ctx, func(ctx context.Context, out *ring[crm.ServiceSheetRow]) error {
		return s.readServiceRows(ctx, from, to, out)
	}, fn)
}

func (s *Store) readServiceRows(ctx context.Context, from, to crm.Date, out *ring[crm.ServiceSheetRow]) error {
	tx, err := s.readTx(ctx)
	if err != nil {
		return s.exportErr(ctx, "export services", err)
	}
	defer tx.Rollback()
	where, args := dayRange("v.date", false, from, to)
	rows, err := tx.QueryContext(ctx, `SELECT `+prefixed("v.", serviceColumns)+`, c.code, c.name
		FROM services v JOIN customers c ON c.id = v.customer_id
		WHERE c.archived_at IS NULL AND `+where+` ORDER BY v.date, v.id`, args...)
	if err != nil {
		return s.exportErr(ctx, "export services", err)
	}
	defer rows.Close()
	for rows.Next() {
		row := out.slot()
		*row = crm.ServiceSheetRow{}
		if err := scanServiceRow(rows, row); err != nil {
			return s.exportErr(ctx, "export services", err)
		}
		if err := out.push(); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return s.exportErr(ctx, "export services", err)
	}
	return nil
}

func scanServiceRow(rows *sql.Rows, r *crm.ServiceSheetRow) error {
	return scanServiceWith(rows, &r.Service, &r.CustomerCode, &r.CustomerName)
}

// EachComplaint calls fn with every complaint of a customer not archived received in [from, to]
// (zero = open), by received date then id, with its steps (by date, then id) and its customer's
// code and name. fn runs on the caller's goroutine while the book is read ahead; the row and
// its Steps are reused.
func (s *Store) EachComplaint(ctx context.Context, from, to crm.Date, fn func(*crm.ComplaintSheetRow) error) error {
	return pipeline(ctx, func(ctx context.Context, out *ring[crm.ComplaintSheetRow]) error {
		return s.readComplaintRows(ctx, from, to, out)
	}, fn)
}

func (s *Store) readComplaintRows(ctx context.Context, from, to crm.Date, out *ring[crm.ComplaintSheetRow]) error {
	tx, err := s.readTx(ctx)
	if err != nil {
		return s.exportErr(ctx, "export complaints", err)
	}
	defer tx.Rollback()
	where, args := dayRange("k.received", false, from, to)
	filter := ` FROM complaints k JOIN customers c ON c.id = k.customer_id WHERE c.archived_at IS NULL AND ` + where
	main, err := tx.QueryContext(ctx, `SELECT `+prefixed("k.", complaintColumns)+`, c.code, c.name`+filter+`
		ORDER BY k.received, k.id`, args...)
	if err != nil {
		return s.exportErr(ctx, "export complaints", err)
	}
	defer main.Close()
	// The steps in the same order: taken while they belong to the current complaint.
	steps, err := tx.QueryContext(ctx, `SELECT s.complaint_id, s.id, s.step, s.date, s.note`+
		` FROM complaint_steps s JOIN complaints k ON k.id = s.complaint_id JOIN customers c ON c.id = k.customer_id
		WHERE c.archived_at IS NULL AND `+where+` ORDER BY k.received, k.id, s.date, s.id`, args...)
	if err != nil {
		return s.exportErr(ctx, "export complaints", err)
	}
	defer steps.Close()
	var (
		stepOK     bool
		stepOf     int64
		st         crm.ComplaintStep
		kind, date string
	)
	nextStep := func() error {
		if stepOK = steps.Next(); !stepOK {
			return steps.Err()
		}
		if err := steps.Scan(&stepOf, &st.ID, &kind, &date, &st.Note); err != nil {
			return err
		}
		st.Step = crm.ComplaintStepKind(kind)
		var err error
		if st.Date, err = parseDay([]byte(date)); err != nil {
			return fmt.Errorf("complaint step %d: %w", st.ID, err)
		}
		return nil
	}
	if err := nextStep(); err != nil {
		return s.exportErr(ctx, "export complaints", err)
	}
	for main.Next() {
		row := out.slot()
		buf := row.Steps[:0]
		*row = crm.ComplaintSheetRow{}
		c := &row.Complaint
		var received, channel, category, severity, createdAt, updatedAt string
		var closed sql.NullString
		if err := main.Scan(&c.ID, &c.CustomerID, &received, &channel, &category, &severity, &c.Description,
			&c.Resolution, &c.Satisfaction, &closed, &createdAt, &updatedAt, &row.CustomerCode, &row.CustomerName); err != nil {
			return s.exportErr(ctx, "export complaints", err)
		}
		if c.Received, err = parseDay([]byte(received)); err != nil {
			return fmt.Errorf("export complaints: complaint %d: %w", c.ID, err)
		}
		if c.Closed, err = parseDate(closed); err != nil {
			return fmt.Errorf("export complaints: complaint %d: %w", c.ID, err)
		}
		c.Channel, c.Category, c.Severity = crm.Channel(channel), crm.ComplaintCategory(category), crm.Severity(severity)
		c.CreatedAt, c.UpdatedAt = parseStamp(createdAt), parseStamp(updatedAt)
		for stepOK && stepOf == c.ID {
			buf = append(buf, st)
			if err := nextStep(); err != nil {
				return s.exportErr(ctx, "export complaints", err)
			}
		}
		c.Steps = nilIfEmpty(buf)
		if err := out.push(); err != nil {
			return err
		}
	}
	if err := main.Err(); err != nil {
		return s.exportErr(ctx, "export complaints", err)
	}
	return nil
}

// EachEventRow calls fn with every event dated in [from, to] (zero = open), by date then id: once
// per invitation of a customer not archived (in the order they were made), with that customer's
// code and name, or once alone when there is none. fn runs on the caller's goroutine while the
// book is read ahead; the row is reused.
func (s *Store) EachEventRow(ctx context.Context, from, to crm.Date, fn func(*crm.EventSheetRow) error) error {
	return pipeline(ctx, func(ctx context.Context, out *ring[crm.EventSheetRow]) error {
		return s.readEventRows(ctx, from, to, out)
	}, fn)
}

func (s *Store) readEventRows(ctx context.Context, from, to crm.Date, out *ring[crm.EventSheetRow]) error {
	tx, err := s.readTx(ctx)
	if err != nil {
		return s.exportErr(ctx, "export events", err)
	}
	defer tx.Rollback()
	where, args := dayRange("e.date", false, from, to)
	rows, err := tx.QueryContext(ctx, `SELECT `+prefixed("e.", eventColumns)+`,
			v.id, v.customer_id, v.status, v.date, coalesce(v.note, ''), coalesce(c.code, ''), coalesce(c.name, '')
		FROM events e
		LEFT JOIN (invitations v JOIN customers c ON c.id = v.customer_id AND c.archived_at IS NULL)
			ON v.event_id = e.id
		WHERE `+where+` ORDER BY e.date, e.id, v.id`, args...)
	if err != nil {
		return s.exportErr(ctx, "export events", err)
	}
	defer rows.Close()
	// The event's columns repeat on each of its rows: decoded once.
	var last crm.Event
	for rows.Next() {
		row := out.slot()
		var (
			e                                    crm.Event
			date, audience, createdAt, updatedAt string
			vID, vCustomer                       sql.NullInt64
			vStatus, vDate                       sql.NullString
			note, code, name                     string
		)
		if err := rows.Scan(&e.ID, &e.Name, &date, &e.Purpose, &e.Script, &audience, &e.WindowDays, &e.Notes,
			&createdAt, &updatedAt, &vID, &vCustomer, &vStatus, &vDate, &note, &code, &name); err != nil {
			return s.exportErr(ctx, "export events", err)
		}
		if e.ID != last.ID || last.ID == 0 {
			if e.Date, err = parseDay([]byte(date)); err != nil {
				return fmt.Errorf("export events: event %d: %w", e.ID, err)
			}
			if err := json.Unmarshal([]byte(audience), &e.Audience); err != nil {
				return fmt.Errorf("export events: event %d: audience: %w", e.ID, err)
			}
			e.CreatedAt, e.UpdatedAt = parseStamp(createdAt), parseStamp(updatedAt)
			last = e
		}
		*row = crm.EventSheetRow{Event: last}
		if vID.Valid {
			row.Invited = true
			row.Invitation = crm.Invitation{ID: vID.Int64, EventID: last.ID, CustomerID: vCustomer.Int64,
				Status: crm.InvitationStatus(vStatus.String), Note: note}
			if row.Invitation.Date, err = parseDate(vDate); err != nil {
				return fmt.Errorf("export events: invitation %d: %w", vID.Int64, err)
			}
			row.CustomerCode, row.CustomerName = code, name
		}
		if err := out.push(); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return s.exportErr(ctx, "export events", err)
	}
	return nil
}
