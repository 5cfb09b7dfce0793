package store

import (
	"bytes"
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

// readAll runs query in a read transaction and returns every row, decoded by scan.
func readAll[T any](ctx context.Context, s *Store, query string, args []any, scan func(*sql.Rows, *T) error) ([]T, error) {
	tx, err := s.readTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return queryAll(ctx, tx, query, args, scan)
}

// queryAll reads every row of query through q with scan.
func queryAll[T any](ctx context.Context, q querier, query string, args []any, scan func(*sql.Rows, *T) error) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var v T
		if err := scan(rows, &v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
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

// atLayout is the layout of records.at: a local wall-clock date-time, to the second.
const atLayout = "2006-01-02 15:04:05"

// formatAt formats the wall clock of t for records.at, whatever t's location.
func formatAt(t time.Time) string { return t.Format(atLayout) }

// wallClock returns the wall clock of t, to the second, in time.UTC: a record's date-time as the
// book keeps it, so that crm.DateOf gives its day on every machine.
func wallClock(t time.Time) time.Time {
	y, mo, d := t.Date()
	h, mi, s := t.Clock()
	return time.Date(y, mo, d, h, mi, s, 0, time.UTC)
}

// digits reads the decimal number b[i:j]; ok is false when it holds anything but digits.
func digits(b []byte, i, j int) (n int, ok bool) {
	for _, c := range b[i:j] {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// ymd reads the 'YYYY-MM-DD' at the start of b; ok is false unless it is a real date.
func ymd(b []byte) (y, m, d int, ok bool) {
	if len(b) < 10 || b[4] != '-' || b[7] != '-' {
		return 0, 0, 0, false
	}
	y, ok1 := digits(b, 0, 4)
	m, ok2 := digits(b, 5, 7)
	d, ok3 := digits(b, 8, 10)
	return y, m, d, ok1 && ok2 && ok3 && y >= 1 && m >= 1 && m <= 12 && d >= 1 && d <= daysIn(y, m)
}

// clock reads the 'HH:MM:SS' at b[i:]; ok is false unless it is a real time of day.
func clock(b []byte, i int) (h, mi, s int, ok bool) {
	if len(b) < i+8 || b[i+2] != ':' || b[i+5] != ':' {
		return 0, 0, 0, false
	}
	h, ok1 := digits(b, i, i+2)
	mi, ok2 := digits(b, i+3, i+5)
	s, ok3 := digits(b, i+6, i+8)
	return h, mi, s, ok1 && ok2 && ok3 && h < 24 && mi < 60 && s < 60
}

// daysIn returns the number of days of month m of year y (Gregorian).
func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// unixDay is 1970-01-01 as a crm.Date.
var unixDay = crm.NewDate(1970, time.January, 1)

// civilDate returns y-m-d (a real date) as a crm.Date without going through package time: days
// from 1970-01-01 by Howard Hinnant's days_from_civil.
func civilDate(y, m, d int) crm.Date {
	if m <= 2 {
		y--
	}
	era := y / 400 // y ≥ 0
	yoe := y - era*400
	doy := (153*((m+9)%12)+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return unixDay + crm.Date(era*146097+doe-719468)
}

// parseDay reads a stored 'YYYY-MM-DD' date without going through time.Parse (the export reads
// millions); empty is the zero date.
func parseDay(b []byte) (crm.Date, error) {
	if len(b) == 0 {
		return 0, nil
	}
	if y, m, d, ok := ymd(b); ok && len(b) == 10 {
		return civilDate(y, m, d), nil
	}
	return crm.ParseDate(string(b))
}

// parseAt reads a stored 'YYYY-MM-DD HH:MM:SS' date-time as its wall clock in time.UTC.
func parseAt(b []byte) (time.Time, error) {
	y, m, d, ok := ymd(b)
	h, mi, s, ok2 := clock(b, 11)
	if ok && ok2 && len(b) == 19 && b[10] == ' ' {
		return time.Date(y, time.Month(m), d, h, mi, s, 0, time.UTC), nil
	}
	t, err := time.Parse(atLayout, string(b))
	if err != nil {
		return time.Time{}, fmt.Errorf("parse date-time %q: %w", b, err)
	}
	return t, nil
}

// parseStampBytes is parseStamp for a value read as bytes, without time.Parse in the usual case.
func parseStampBytes(b []byte) time.Time {
	y, m, d, ok := ymd(b)
	h, mi, s, ok2 := clock(b, 11)
	if ok && ok2 && len(b) == 24 && b[10] == 'T' && b[19] == '.' && b[23] == 'Z' {
		if ms, ok := digits(b, 20, 23); ok {
			return time.Date(y, time.Month(m), d, h, mi, s, ms*int(time.Millisecond), time.UTC)
		}
	}
	return parseStamp(string(b))
}

// stampCache parses the created_at or updated_at values of rows read one after the other,
// reusing a recent result when a value repeats (a bulk insert gives thousands of rows the same
// stamps, and an export in date order goes back and forth between a few such batches).
type stampCache struct {
	raw  [8][]byte
	t    [8]time.Time
	next int // slot replaced next
}

func (c *stampCache) parse(b []byte) time.Time {
	for i := range c.raw {
		if c.raw[i] != nil && bytes.Equal(b, c.raw[i]) {
			return c.t[i]
		}
	}
	i := c.next
	c.next = (c.next + 1) % len(c.raw)
	c.raw[i], c.t[i] = append(c.raw[i][:0], b...), parseStampBytes(b)
	return c.t[i]
}
