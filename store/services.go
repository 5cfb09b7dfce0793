package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"carebook/crm"
)

const serviceColumns = `id, customer_id, date, kind, title, status, done_date, notes, created_at, updated_at`

const (
	insertServiceSQL = `INSERT INTO services (customer_id, date, kind, title, status, done_date, notes,
		created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`
	updateServiceSQL = `UPDATE services SET customer_id = ?, date = ?, kind = ?, title = ?, status = ?,
		done_date = ?, notes = ?, updated_at = ? WHERE id = ? RETURNING created_at`
)

func serviceValues(v *crm.Service) []any {
	return []any{v.CustomerID, v.Date.String(), string(v.Kind), v.Title, string(v.Status), nullDay(v.DoneDate), v.Notes}
}

// SaveService writes service appointment v: a new one when v.ID is 0 (v.ID is then assigned),
// else an update of that appointment (ErrNotFound when there is none). v is normalised
// (crm.NormalizeService) in place; an invalid appointment, or one whose customer is not in the
// book (field "customer"), is refused with a crm.Errors (use errors.As) and nothing is written.
func (s *Store) SaveService(ctx context.Context, v *crm.Service) error {
	crm.NormalizeService(v)
	if errs := crm.ValidateService(v); len(errs) > 0 {
		return fmt.Errorf("save service: %w", errs)
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	s.writeMu.keepInsights() // services change no classification
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("save service: %w", err)
	}
	defer tx.Rollback()
	if _, err := customerArchived(ctx, tx, v.CustomerID); isNoRows(err) {
		return fmt.Errorf("save service: %w", missingCustomer())
	} else if err != nil {
		return fmt.Errorf("save service: %w", err)
	}
	ts := stamp(s.now())
	id, createdAt := v.ID, ts
	if id == 0 {
		res, err := tx.ExecContext(ctx, insertServiceSQL, append(serviceValues(v), ts, ts)...)
		if err != nil {
			return fmt.Errorf("save service: %w", err)
		}
		if id, err = res.LastInsertId(); err != nil {
			return fmt.Errorf("save service: %w", err)
		}
	} else {
		err := tx.QueryRowContext(ctx, updateServiceSQL, append(serviceValues(v), ts, id)...).Scan(&createdAt)
		if isNoRows(err) {
			return fmt.Errorf("save service: %w", notFound("service", id))
		}
		if err != nil {
			return fmt.Errorf("save service: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("save service: %w", err)
	}
	v.ID, v.CreatedAt, v.UpdatedAt = id, parseStamp(createdAt), parseStamp(ts)
	return nil
}

// DeleteService deletes service appointment id; ErrNotFound when there is none.
func (s *Store) DeleteService(ctx context.Context, id int64) error {
	if err := s.deleteRow(ctx, "services", "service", id); err != nil {
		return fmt.Errorf("delete service: %w", err)
	}
	return nil
}

// Service returns service appointment id; ErrNotFound when there is none.
func (s *Store) Service(ctx context.Context, id int64) (*crm.Service, error) {
	vs, err := s.loadServices(ctx, `SELECT `+serviceColumns+` FROM services WHERE id = ?`, id)
	if err != nil {
		return nil, fmt.Errorf("load service: %w", err)
	}
	if len(vs) == 0 {
		return nil, fmt.Errorf("load service: %w", notFound("service", id))
	}
	return &vs[0], nil
}

// Services returns the service appointments of customer id, newest first (by date, then the
// latest entered); none when the customer has none or is not in the book.
func (s *Store) Services(ctx context.Context, customerID int64) ([]crm.Service, error) {
	vs, err := s.loadServices(ctx, `SELECT `+serviceColumns+` FROM services
		WHERE customer_id = ? ORDER BY date DESC, id DESC`, customerID)
	if err != nil {
		return nil, fmt.Errorf("load services: %w", err)
	}
	return vs, nil
}

// OpenServices returns the open service appointments dated on or before d of the customers in
// the book (archived ones left out): the overdue first, oldest first (by date, then id).
func (s *Store) OpenServices(ctx context.Context, d crm.Date) ([]crm.Service, error) {
	vs, err := s.loadServices(ctx, `SELECT `+prefixed("v.", serviceColumns)+` FROM services v
		JOIN customers c ON c.id = v.customer_id
		WHERE v.status = 'open' AND v.date <= ? AND c.archived_at IS NULL ORDER BY v.date, v.id`, d.String())
	if err != nil {
		return nil, fmt.Errorf("load open services: %w", err)
	}
	return vs, nil
}

func (s *Store) loadServices(ctx context.Context, query string, args ...any) ([]crm.Service, error) {
	return readAll(ctx, s, query, args, scanService)
}

// scanService decodes a row of serviceColumns.
func scanService(rows *sql.Rows, v *crm.Service) error { return scanServiceWith(rows, v) }

// scanServiceWith decodes a row of serviceColumns followed by the columns of extra.
func scanServiceWith(rows *sql.Rows, v *crm.Service, extra ...any) error {
	var date, kind, status, createdAt, updatedAt string
	var done sql.NullString
	dest := append([]any{&v.ID, &v.CustomerID, &date, &kind, &v.Title, &status, &done, &v.Notes,
		&createdAt, &updatedAt}, extra...)
	if err := rows.Scan(dest...); err != nil {
		return err
	}
	var err error
	if v.Date, err = parseDay([]byte(date)); err != nil {
		return fmt.Errorf("service %d: %w", v.ID, err)
	}
	if v.DoneDate, err = parseDate(done); err != nil {
		return fmt.Errorf("service %d: %w", v.ID, err)
	}
	v.Kind, v.Status = crm.ServiceKind(kind), crm.ServiceStatus(status)
	v.CreatedAt, v.UpdatedAt = parseStamp(createdAt), parseStamp(updatedAt)
	return nil
}

// prefixed qualifies each column of a ", "-separated list with prefix ("v.").
func prefixed(prefix, columns string) string {
	parts := strings.Split(columns, ", ")
	for i := range parts {
		parts[i] = prefix + parts[i]
	}
	return strings.Join(parts, ", ")
}
