package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"carebook/crm"
)

// stampLayout is the layout of created_at/updated_at/archived_at: UTC, milliseconds.
const stampLayout = "2006-01-02T15:04:05.000Z"

// stamp formats t for created_at/updated_at.
func stamp(t time.Time) string { return t.UTC().Format(stampLayout) }

// parseStamp reads a created_at/updated_at value; a malformed one gives the zero time.
func parseStamp(s string) time.Time {
	t, err := time.Parse(stampLayout, s)
	if err != nil {
		return time.Time{}
	}
	return t
}

// parseDate reads a stored YYYY-MM-DD date; NULL or "" is the zero date.
func parseDate(s sql.NullString) (crm.Date, error) {
	if !s.Valid || s.String == "" {
		return 0, nil
	}
	return crm.ParseDate(s.String)
}

// querier is what the read helpers need: a *sql.Tx (or *sql.DB).
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// readTx begins a read-only (deferred) transaction: a consistent snapshot that does not take the
// write lock.
func (s *Store) readTx(ctx context.Context) (*sql.Tx, error) {
	return s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
}

// notFound wraps ErrNotFound with what was missing.
func notFound(what string, id int64) error {
	return fmt.Errorf("%s %d: %w", what, id, ErrNotFound)
}

// isNoRows reports whether err is sql.ErrNoRows.
func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
