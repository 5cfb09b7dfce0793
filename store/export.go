package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"carebook/crm"
)

// The export reads the book in one read transaction per sheet (a consistent snapshot; writers
// are not blocked) and streams it to a callback. It runs a handful of ordered queries and merges
// them in Go: never one query per row.

// dayRange returns the condition selecting column col (a date, or a date-time when dateTime) in
// [from, to], zero bounds open, and its arguments.
func dayRange(col string, dateTime bool, from, to crm.Date) (string, []any) {
	var conds []string
	var args []any
	if from != 0 {
		conds, args = append(conds, col+" >= ?"), append(args, from.String())
	}
	if to != 0 {
		if dateTime { // 'YYYY-MM-DD' of the next day sorts after every date-time of to
			conds, args = append(conds, col+" < ?"), append(args, (to+1).String())
		} else {
			conds, args = append(conds, col+" <= ?"), append(args, to.String())
		}
	}
	if len(conds) == 0 {
		return "1", nil
	}
	return strings.Join(conds, " AND "), args
}

// ExportCounts returns how many rows each sheet will get, for the progress bar.
func (s *Store) ExportCounts(ctx context.Context, from, to crm.Date) (customers, purchases, records int, err error) {
	tx, err := s.readTx(ctx)
	if err != nil {
		return 0, 0, 0, fmt.Errorf("count export: %w", err)
	}
	defer tx.Rollback()
	pWhere, pArgs := dayRange("p.date", false, from, to)
	dWhere, dArgs := dayRange("date", false, from, to)
	rWhere, rArgs := dayRange("r.date", false, from, to)
	for _, q := range []struct {
		n     *int
		query string
		args  []any
	}{
		{&customers, `SELECT count(*) FROM customers WHERE archived_at IS NULL`, nil},
		// Everything in the range, less what archived customers have in it (few: an index).
		{&purchases, `SELECT (SELECT count(*) FROM purchases p WHERE ` + pWhere + `) -
			(SELECT count(*) FROM customers c JOIN purchases p ON p.customer_id = c.id
			WHERE c.archived_at IS NOT NULL AND ` + pWhere + `)`, append(append([]any{}, pArgs...), pArgs...)},
		{&records, `SELECT (SELECT coalesce(sum(n), 0) FROM record_counts WHERE ` + dWhere + `) -
			(SELECT count(*) FROM customers c JOIN records r ON r.customer_id = c.id
			WHERE c.archived_at IS NOT NULL AND ` + rWhere + `)`, append(append([]any{}, dArgs...), rArgs...)},
	} {
		if err := tx.QueryRowContext(ctx, q.query, q.args...).Scan(q.n); err != nil {
			return 0, 0, 0, fmt.Errorf("count export: %w", err)
		}
	}
	return customers, purchases, records, nil
}

// merged is a query ordered like the customers of EachCustomer (by code) whose first columns
// are the customer's id and code: its rows are taken while they belong to the current customer.
type merged struct {
	rows *sql.Rows
	id   int64        // customer of the current row
	code sql.RawBytes // and its code
	ok   bool         // there is a current row
	dest []any        // &id, &code, then the rest
}

func (m *merged) next() error {
	if m.ok = m.rows.Next(); m.ok {
		return m.rows.Scan(m.dest...)
	}
	return m.rows.Err()
}

// take skips the rows of customers before code (archived ones), then calls f for each row of
// customer id.
func (m *merged) take(id int64, code string, f func()) error {
	for m.ok && string(m.code) < code {
		if err := m.next(); err != nil {
			return err
		}
	}
	for m.ok && m.id == id {
		f()
		if err := m.next(); err != nil {
			return err
		}
	}
	return nil
}

// EachCustomer calls fn with every customer not archived, by code, with phones, tags, birthday
// and dates, LastContact and LastPurchase filled. Set-based: a handful of ordered queries merged
// in Go, never one query per customer. fn is called on the caller's goroutine, one customer after
// the other, while the book is read ahead on another (see pipeline); the *CustomerRow, its slices
// and its Birthday are reused: fn must copy what it keeps. It returns fn's error, or ctx.Err(),
// as soon as there is one.
func (s *Store) EachCustomer(ctx context.Context, fn func(*crm.CustomerRow) error) error {
	return pipeline(ctx, s.readCustomers, fn)
}

func (s *Store) readCustomers(ctx context.Context, out *ring[crm.CustomerRow]) error {
	tx, err := s.readTx(ctx)
	if err != nil {
		return s.exportErr(ctx, "export customers", err)
	}
	defer tx.Rollback()

	// The latest record and purchase: one index seek each per customer, inside the one query.
	main, err := tx.QueryContext(ctx, `SELECT `+customerColumns+`,
			(SELECT at FROM records WHERE customer_id = c.id ORDER BY at DESC LIMIT 1),
			(SELECT date FROM purchases WHERE customer_id = c.id ORDER BY date DESC LIMIT 1)
		FROM customers c WHERE archived_at IS NULL ORDER BY code`)
	if err != nil {
		return s.exportErr(ctx, "export customers", err)
	}
	defer main.Close()

	// Phones, tags and dates in the same order (customers by code), taken while they belong to
	// the current customer. They go through the code index only (archived customers' rows are
	// skipped by code), not through every card three more times.
	var (
		phone, tag string
		d          crm.KeyDate
		dKind, cal sql.RawBytes
	)
	var phones, tags, dates merged
	for _, m := range []struct {
		m     *merged
		query string
		dest  []any
	}{
		{&phones, `SELECT c.id, c.code, p.e164 FROM customers c CROSS JOIN customer_phones p ON p.customer_id = c.id
			ORDER BY c.code, p.pos`, []any{&phone}},
		{&tags, `SELECT c.id, c.code, t.tag FROM customers c CROSS JOIN customer_tags t ON t.customer_id = c.id
			ORDER BY c.code, t.pos`, []any{&tag}},
		{&dates, `SELECT c.id, c.code, d.id, d.kind, d.label, d.calendar, coalesce(d.year, 0), d.month, d.day, d.leap
			FROM customers c CROSS JOIN important_dates d ON d.customer_id = c.id
			ORDER BY c.code, d.kind, d.pos, d.id`,
			[]any{&d.ID, &dKind, &d.Label, &cal, &d.Year, &d.Month, &d.Day, &d.Leap}},
	} {
		if m.m.rows, err = tx.QueryContext(ctx, m.query); err != nil {
			return s.exportErr(ctx, "export customers", err)
		}
		defer m.m.rows.Close()
		m.m.dest = append([]any{&m.m.id, &m.m.code}, m.dest...)
		if err := m.m.next(); err != nil {
			return s.exportErr(ctx, "export customers", err)
		}
	}

	var sc customerScanner
	var lastContact, lastPurchase sql.RawBytes
	for main.Next() {
		row := out.slot()
		c := &row.Customer
		phonesBuf, tagsBuf, datesBuf := c.Phones[:0], c.Tags[:0], c.Dates[:0]
		*c = crm.Customer{}
		if err := sc.scan(main, c, &lastContact, &lastPurchase); err != nil {
			return s.exportErr(ctx, "export customers", err)
		}
		row.LastContact = time.Time{}
		if len(lastContact) > 0 {
			if row.LastContact, err = parseAt(lastContact); err != nil {
				return fmt.Errorf("export customers: customer %d: %w", c.ID, err)
			}
		}
		if row.LastPurchase, err = parseDay(lastPurchase); err != nil {
			return fmt.Errorf("export customers: customer %d: %w", c.ID, err)
		}
		err := errors.Join(
			phones.take(c.ID, c.Code, func() { phonesBuf = append(phonesBuf, phone) }),
			tags.take(c.ID, c.Code, func() { tagsBuf = append(tagsBuf, tag) }),
			dates.take(c.ID, c.Code, func() {
				d.Calendar = calendar(cal)
				if string(dKind) == "birthday" {
					b := d
					c.Birthday = &b
				} else {
					datesBuf = append(datesBuf, d)
				}
			}))
		if err != nil {
			return s.exportErr(ctx, "export customers", err)
		}
		c.Phones, c.Tags, c.Dates = nilIfEmpty(phonesBuf), nilIfEmpty(tagsBuf), nilIfEmpty(datesBuf)
		if err := out.push(); err != nil {
			return err
		}
	}
	if err := main.Err(); err != nil {
		return s.exportErr(ctx, "export customers", err)
	}
	return nil
}

// nilIfEmpty returns s, or nil when it is empty: a card without phones has nil Phones, as
// Customer returns it. (The buffer is lost then; it is small.)
func nilIfEmpty[T any](s []T) []T {
	if len(s) == 0 {
		return nil
	}
	return s
}

// exportErr returns ctx's error when it was cancelled (the query failed because of it), else
// err wrapped with what.
func (s *Store) exportErr(ctx context.Context, what string, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return ctxErr
	}
	return fmt.Errorf("%s: %w", what, err)
}

// customerScanner reads rows of customerColumns (then extra columns) reusing its buffers.
type customerScanner struct {
	gender, tier, created, createdAt, updatedAt sql.RawBytes
	dest                                        []any
	createdStamp, updatedStamp                  stampCache
}

func (sc *customerScanner) scan(rows *sql.Rows, c *crm.Customer, extra ...any) error {
	sc.dest = append(sc.dest[:0], &c.ID, &c.Code, &c.Name, &c.Remark, &sc.gender, &c.WeChat, &c.Email, &c.Address,
		&c.Company, &c.Title, &c.Source, &c.Needs, &c.LatentNeeds, &c.Preferences, &c.Interests, &c.Notes,
		&sc.tier, &c.DoNotDisturb, &c.Knowing, &c.Closeness, &c.Loyalty, &sc.created, &c.Archived,
		&sc.createdAt, &sc.updatedAt)
	if err := rows.Scan(append(sc.dest, extra...)...); err != nil {
		return err
	}
	var err error
	if c.Created, err = parseDay(sc.created); err != nil {
		return fmt.Errorf("customer %d: %w", c.ID, err)
	}
	c.Gender, c.Tier = gender(sc.gender), tier(sc.tier)
	c.CreatedAt, c.UpdatedAt = sc.createdStamp.parse(sc.createdAt), sc.updatedStamp.parse(sc.updatedAt)
	return nil
}

func gender(b []byte) crm.Gender {
	for _, g := range crm.Genders {
		if string(g) == string(b) {
			return g
		}
	}
	return crm.Gender(b)
}

func tier(b []byte) crm.Tier {
	for _, t := range crm.Tiers {
		if string(t) == string(b) {
			return t
		}
	}
	return crm.Tier(b)
}

func calendar(b []byte) crm.Calendar {
	for _, c := range []crm.Calendar{crm.Solar, crm.Lunar} {
		if string(c) == string(b) {
			return c
		}
	}
	return crm.Calendar(b)
}

// exportCustomer is what the purchase and record sheets show of a customer.
type exportCustomer struct {
	code, name, phone string
}

// customerTable finds the export's customers by id: in a slice indexed by id, as SQLite gives
// ids densely (a map lookup per row costs a tenth of reading the row), a map for the rest.
type customerTable struct {
	byID  []exportCustomer // a customer not in the table has code ""
	other map[int64]exportCustomer
}

// maxDenseID bounds the ids kept in customerTable.byID.
const maxDenseID = 1 << 24

func (t *customerTable) put(id int64, c exportCustomer) {
	if id < 0 || id >= maxDenseID {
		if t.other == nil {
			t.other = make(map[int64]exportCustomer)
		}
		t.other[id] = c
		return
	}
	if int(id) >= len(t.byID) {
		t.byID = append(t.byID, make([]exportCustomer, int(id)+1-len(t.byID))...)
	}
	t.byID[id] = c
}

func (t *customerTable) get(id int64) (exportCustomer, bool) {
	if id >= 0 && id < int64(len(t.byID)) {
		c := t.byID[id]
		return c, c.code != ""
	}
	c, ok := t.other[id]
	return c, ok
}

// activeCustomers reads the code, name and first phone of every customer not archived.
func activeCustomers(ctx context.Context, tx *sql.Tx) (*customerTable, error) {
	rows, err := tx.QueryContext(ctx, `SELECT c.id, c.code, c.name, coalesce(p.e164, '')
		FROM customers c LEFT JOIN customer_phones p ON p.customer_id = c.id AND p.pos = 0
		WHERE c.archived_at IS NULL`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	t := &customerTable{}
	for rows.Next() {
		var id int64
		var c exportCustomer
		if err := rows.Scan(&id, &c.code, &c.name, &c.phone); err != nil {
			return nil, err
		}
		t.put(id, c)
	}
	return t, rows.Err()
}

// EachPurchase calls fn with every purchase of a non-archived customer dated in [from, to]
// (zero = open), ordered by date, id. fn is called on the caller's goroutine while the book is
// read ahead on another (see pipeline); the *PurchaseRow is reused. It returns fn's error, or
// ctx.Err(), as soon as there is one.
func (s *Store) EachPurchase(ctx context.Context, from, to crm.Date, fn func(*crm.PurchaseRow) error) error {
	return pipeline(ctx, func(ctx context.Context, out *ring[crm.PurchaseRow]) error {
		return s.readPurchases(ctx, from, to, out)
	}, fn)
}

func (s *Store) readPurchases(ctx context.Context, from, to crm.Date, out *ring[crm.PurchaseRow]) error {
	tx, err := s.readTx(ctx)
	if err != nil {
		return s.exportErr(ctx, "export purchases", err)
	}
	defer tx.Rollback()
	custs, err := activeCustomers(ctx, tx)
	if err != nil {
		return s.exportErr(ctx, "export purchases", err)
	}
	where, args := dayRange("date", false, from, to)
	rows, err := tx.QueryContext(ctx, `SELECT `+purchaseColumns+` FROM purchases INDEXED BY purchases_date
		WHERE `+where+` ORDER BY date, id`, args...)
	if err != nil {
		return s.exportErr(ctx, "export purchases", err)
	}
	defer rows.Close()
	var sc purchaseScanner
	for rows.Next() {
		row := out.slot()
		if err := sc.scan(rows, &row.Purchase); err != nil {
			return s.exportErr(ctx, "export purchases", err)
		}
		c, ok := custs.get(row.CustomerID)
		if !ok {
			continue // archived
		}
		row.CustomerCode, row.CustomerName = c.code, c.name
		if err := out.push(); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return s.exportErr(ctx, "export purchases", err)
	}
	return nil
}

// EachRecord calls fn with every maintenance record of a non-archived customer dated in
// [from, to] (zero = open), ordered by date-time, id, with the customer's code, name and first
// phone. fn is called on the caller's goroutine while the book is read ahead on another (see
// pipeline); the *RecordRow is reused. It returns fn's error, or ctx.Err(), as soon as there is
// one.
func (s *Store) EachRecord(ctx context.Context, from, to crm.Date, fn func(*crm.RecordRow) error) error {
	return pipeline(ctx, func(ctx context.Context, out *ring[crm.RecordRow]) error {
		return s.readRecordRows(ctx, from, to, out)
	}, fn)
}

func (s *Store) readRecordRows(ctx context.Context, from, to crm.Date, out *ring[crm.RecordRow]) error {
	tx, err := s.readTx(ctx)
	if err != nil {
		return s.exportErr(ctx, "export records", err)
	}
	defer tx.Rollback()
	custs, err := activeCustomers(ctx, tx)
	if err != nil {
		return s.exportErr(ctx, "export records", err)
	}
	where, args := dayRange("at", true, from, to)
	rows, err := tx.QueryContext(ctx, `SELECT `+recordColumns+` FROM records INDEXED BY records_sheet
		WHERE `+where+` ORDER BY at, id`, args...)
	if err != nil {
		return s.exportErr(ctx, "export records", err)
	}
	defer rows.Close()
	var sc recordScanner
	for rows.Next() {
		if err := sc.raw.scan(rows); err != nil {
			return s.exportErr(ctx, "export records", err)
		}
		c, ok := custs.get(sc.raw.customerID)
		if !ok {
			continue // archived
		}
		row := out.slot()
		if err := sc.raw.decode(&row.Record, &sc.stamps); err != nil {
			return fmt.Errorf("export records: %w", err)
		}
		row.CustomerCode, row.CustomerName, row.Phone = c.code, c.name, c.phone
		if err := out.push(); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return s.exportErr(ctx, "export records", err)
	}
	return nil
}

// pipeline calls fn, on the caller's goroutine, with every value that produce, running on
// another goroutine, fills in out, in order: reading the book (SQLite and the decoding of its
// rows) overlaps with what fn does, writing a workbook. Values travel in a few batches that go
// back and forth, so memory does not grow with the number of rows. When fn fails, or ctx ends,
// produce is stopped and waited for; pipeline returns fn's error or ctx.Err() as they are, else
// produce's error.
func pipeline[T any](ctx context.Context, produce func(context.Context, *ring[T]) error, fn func(*T) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	inner, cancel := context.WithCancel(ctx)
	defer cancel()
	out := &ring[T]{ctx: inner, free: make(chan []T, ringBatches), full: make(chan []T, ringBatches),
		batch: make([]T, ringBatchRows)}
	for range ringBatches - 1 {
		out.free <- make([]T, ringBatchRows)
	}
	done := make(chan error, 1)
	go func() {
		err := produce(inner, out)
		if err == nil {
			err = out.flush()
		}
		close(out.full)
		done <- err
	}()
	var stop error // fn's error or ctx's
	for batch := range out.full {
		for i := 0; i < len(batch) && stop == nil; i++ {
			if stop = ctx.Err(); stop == nil {
				stop = fn(&batch[i])
			}
		}
		if stop != nil {
			cancel() // produce stops; its batches are drained
		}
		out.free <- batch
	}
	err := <-done
	switch {
	case stop != nil:
		return stop
	case ctx.Err() != nil:
		return ctx.Err()
	}
	return err
}

// Batches of pipeline: ringBatches of ringBatchRows values.
const (
	ringBatches   = 4
	ringBatchRows = 256
)

// ring is where pipeline's producer puts values: it fills slot(), then push()es it.
type ring[T any] struct {
	ctx   context.Context
	free  chan []T
	full  chan []T
	batch []T // being filled
	n     int // values filled in batch
}

// slot returns the value to fill next. Its fields hold what an earlier value held: the
// producer sets them all (or reuses its slices on purpose).
func (r *ring[T]) slot() *T { return &r.batch[r.n] }

// push hands the filled slot over; it fails when the consumer stopped.
func (r *ring[T]) push() error {
	if r.n++; r.n == len(r.batch) {
		return r.flush()
	}
	return nil
}

// flush hands the filled part of the batch over and takes an empty batch.
func (r *ring[T]) flush() error {
	if r.n == 0 {
		return nil
	}
	select {
	case r.full <- r.batch[:r.n]:
	case <-r.ctx.Done():
		return r.ctx.Err()
	}
	select {
	case b := <-r.free:
		r.batch, r.n = b[:cap(b)], 0
	case <-r.ctx.Done():
		return r.ctx.Err()
	}
	return nil
}
