package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"carebook/crm"
)

// multiRow buffers the rows of an INSERT and writes them with multi-row statements (INSERT …
// VALUES (…), (…), …) of batch rows: one statement for batch rows costs a fraction of batch
// statements (the driver's work for each call, the statement's start and reset).
type multiRow struct {
	tx          *sql.Tx
	head, tail  string // the statement before and after the values
	cols, batch int
	full        *sql.Stmt // the statement of batch rows, prepared when first needed
	args        []any     // the rows buffered, cols values each
}

func newMultiRow(tx *sql.Tx, head, tail string, cols, batch int) *multiRow {
	return &multiRow{tx: tx, head: head, tail: tail, cols: cols, batch: batch}
}

// add buffers a row of m.cols values.
func (m *multiRow) add(values ...any) { m.args = append(m.args, values...) }

// rows is the number of rows buffered.
func (m *multiRow) rows() int { return len(m.args) / m.cols }

// statementSQL is the statement of n rows.
func (m *multiRow) statementSQL(n int) string {
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", m.cols), ", ") + ")"
	return m.head + " VALUES " + strings.TrimSuffix(strings.Repeat(row+", ", n), ", ") + m.tail
}

// flushFull writes the buffered rows batch at a time, and keeps the rest.
func (m *multiRow) flushFull(ctx context.Context) error {
	k := m.batch * m.cols
	done := 0
	for len(m.args)-done >= k {
		if m.full == nil {
			st, err := m.tx.PrepareContext(ctx, m.statementSQL(m.batch))
			if err != nil {
				return err
			}
			m.full = st
		}
		if _, err := m.full.ExecContext(ctx, m.args[done:done+k]...); err != nil {
			return err
		}
		done += k
	}
	if done > 0 {
		n := copy(m.args, m.args[done:])
		clear(m.args[n:])
		m.args = m.args[:n]
	}
	return nil
}

// flush writes every buffered row.
func (m *multiRow) flush(ctx context.Context) error {
	if err := m.flushFull(ctx); err != nil {
		return err
	}
	if len(m.args) == 0 {
		return nil
	}
	_, err := m.tx.ExecContext(ctx, m.statementSQL(m.rows()), m.args...)
	clear(m.args)
	m.args = m.args[:0]
	return err
}

func (m *multiRow) close() {
	if m.full != nil {
		m.full.Close()
	}
}

// newCardBatch is how many new customers newCardWriter writes with one statement; their phones,
// tags and dates go twice as many rows at a time.
const newCardBatch = 32

// newCardWriter inserts the new customers of an import, with their phones, tags and dates, in
// multi-row statements. It chooses their ids itself, as SQLite would (one more than the largest
// in the table, in the order of the inserts), so that the rows need not be written one by one
// to learn them; the customers are written before their phones, tags and dates (foreign keys).
// Nothing else may insert into customers or important_dates while rows are buffered: flush
// first (sync).
type newCardWriter struct {
	ts                             string
	customers, phones, tags, dates *multiRow
	nextID, nextDateID             int64
	known                          bool   // nextID and nextDateID are up to date
	first, last                    string // codes of the customers buffered, for errors
}

func newNewCardWriter(tx *sql.Tx, ts string) *newCardWriter {
	cols := append(append([]string{"id"}, customerWriteColumns...), "created_at", "updated_at")
	return &newCardWriter{
		ts:        ts,
		customers: newMultiRow(tx, "INSERT INTO customers ("+strings.Join(cols, ", ")+")", "", len(cols), newCardBatch),
		phones: newMultiRow(tx, "INSERT INTO customer_phones (customer_id, pos, e164, national, created_at, updated_at)", "",
			6, 2*newCardBatch),
		tags: newMultiRow(tx, "INSERT INTO customer_tags (customer_id, tag, pos, created_at, updated_at)",
			" ON CONFLICT (customer_id, tag) DO NOTHING", 5, 2*newCardBatch),
		dates: newMultiRow(tx, `INSERT INTO important_dates (id, customer_id, kind, pos, label, calendar, year, month, day,
			leap, created_at, updated_at)`, "", 12, 2*newCardBatch),
	}
}

// add buffers the new customer c (code and created date set; key and sortKey computed) and
// returns the id it gets.
func (w *newCardWriter) add(ctx context.Context, q querier, c *crm.Customer, key, sortKey string) (int64, error) {
	if !w.known {
		for _, m := range []struct {
			next  *int64
			table string
		}{{&w.nextID, "customers"}, {&w.nextDateID, "important_dates"}} {
			var last int64
			if err := q.QueryRowContext(ctx, "SELECT coalesce(max(id), 0) FROM "+m.table).Scan(&last); err != nil {
				return 0, err
			}
			if last >= 1<<62 {
				return 0, fmt.Errorf("%s: ids exhausted", m.table) // SQLite would pick one at random
			}
			*m.next = last + 1
		}
		w.known = true
	}
	id := w.nextID
	w.nextID++
	w.customers.add(id)
	w.customers.add(customerArgs(c, key, sortKey)...)
	w.customers.add(w.ts, w.ts)
	for i, p := range c.Phones {
		w.phones.add(id, i, p, nationalDigits(p), w.ts, w.ts)
	}
	for i, t := range c.Tags {
		w.tags.add(id, t, i, w.ts, w.ts)
	}
	if c.Birthday != nil {
		w.dates.add(dateArgs(w.nextDateID, id, "birthday", 0, c.Birthday, w.ts, w.ts)...)
		w.nextDateID++
	}
	for j := range c.Dates {
		w.dates.add(dateArgs(w.nextDateID, id, "other", j, &c.Dates[j], w.ts, w.ts)...)
		w.nextDateID++
	}
	if w.first == "" {
		w.first = c.Code
	}
	w.last = c.Code
	if w.customers.rows() < newCardBatch {
		return id, nil
	}
	return id, w.write(ctx, false)
}

// write writes the full batches buffered (all the rows with all), customers first.
func (w *newCardWriter) write(ctx context.Context, all bool) error {
	for _, m := range []*multiRow{w.customers, w.phones, w.tags, w.dates} {
		var err error
		if all {
			err = m.flush(ctx)
		} else {
			err = m.flushFull(ctx)
		}
		if err != nil {
			return fmt.Errorf("customers %s…%s: %w", w.first, w.last, err)
		}
	}
	if w.customers.rows() == 0 {
		w.first = ""
	}
	return nil
}

// sync writes every row buffered; the next add looks up the largest ids again (other writes may
// have added dates).
func (w *newCardWriter) sync(ctx context.Context) error {
	w.known = false
	return w.write(ctx, true)
}

func (w *newCardWriter) close() {
	for _, m := range []*multiRow{w.customers, w.phones, w.tags, w.dates} {
		m.close()
	}
}
