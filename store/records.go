package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"carebook/crm"
)

const recordColumns = `id, customer_id, at, kind, channel, content, feedback, next_step, next_date, created_at, updated_at`

const (
	insertRecordSQL = `INSERT INTO records (customer_id, at, kind, channel, content, feedback, next_step, next_date,
		created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	updateRecordSQL = `UPDATE records SET customer_id = ?, at = ?, kind = ?, channel = ?, content = ?, feedback = ?,
		next_step = ?, next_date = ?, updated_at = ? WHERE id = ? RETURNING created_at`
)

// prepareRecord tidies and validates a record the way every write path does.
func prepareRecord(r *crm.Record) crm.Errors {
	crm.NormalizeRecord(r)
	return crm.ValidateRecord(r)
}

// recordValues returns the values of the written columns of r, customer_id to next_date.
func recordValues(r *crm.Record) []any {
	var next any
	if !r.NextDate.IsZero() {
		next = r.NextDate.String()
	}
	return []any{r.CustomerID, formatAt(r.At), string(r.Kind), string(r.Channel), r.Content, r.Feedback,
		r.NextStep, next}
}

// SaveRecord writes maintenance record r: a new one when r.ID is 0 (r.ID is then assigned), else
// an update of that record (ErrNotFound when there is none). r is normalised
// (crm.NormalizeRecord) in place and r.At becomes the date-time as stored: its wall clock, to the
// second, in time.UTC. An invalid record, or one whose customer is not in the book (field
// "customer"), is refused with a crm.Errors (use errors.As) and nothing is written.
func (s *Store) SaveRecord(ctx context.Context, r *crm.Record) error {
	if errs := prepareRecord(r); len(errs) > 0 {
		return fmt.Errorf("save record: %w", errs)
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	s.writeMu.keepInsights() // records change no classification
	base := s.changeRecords()
	deltas, err := s.saveRecord(ctx, r)
	s.changedRecords(base, deltas)
	if err != nil {
		return fmt.Errorf("save record: %w", err)
	}
	return nil
}

// noChange are the deltas of a write that failed before its commit: it changed nothing.
var noChange = []countDelta{}

// saveRecord is SaveRecord's transaction; it returns how it changed the record counts (see
// changedRecords).
func (s *Store) saveRecord(ctx context.Context, r *crm.Record) ([]countDelta, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return noChange, err
	}
	defer tx.Rollback()

	archived, err := customerArchived(ctx, tx, r.CustomerID)
	if isNoRows(err) {
		return noChange, missingCustomer()
	} else if err != nil {
		return noChange, err
	}
	var deltas []countDelta
	if r.ID != 0 {
		old, err := recordDelta(ctx, tx, r.ID, -1)
		if err != nil {
			return noChange, err
		}
		deltas = append(deltas, old)
	}
	vals := recordValues(r)
	ts := stamp(s.now())
	id, createdAt := r.ID, ts
	if id == 0 {
		res, err := tx.ExecContext(ctx, insertRecordSQL, append(vals, ts, ts)...)
		if err != nil {
			return noChange, err
		}
		if id, err = res.LastInsertId(); err != nil {
			return noChange, err
		}
	} else {
		if err := tx.QueryRowContext(ctx, updateRecordSQL, append(vals, ts, id)...).Scan(&createdAt); err != nil {
			return noChange, err
		}
	}
	day, cell, err := recordCell(vals[1].(string), r.Kind, r.Channel)
	if err != nil {
		return noChange, err
	}
	deltas = append(deltas, countDelta{date: day, cell: cell, archived: archived, n: 1})
	if err := tx.Commit(); err != nil {
		return nil, err // unknown outcome
	}
	r.ID, r.At = id, wallClock(r.At)
	r.CreatedAt, r.UpdatedAt = parseStamp(createdAt), parseStamp(ts)
	return deltas, nil
}

// customerArchived reports whether customer id is archived; sql.ErrNoRows when it is not in the
// book.
func customerArchived(ctx context.Context, q querier, id int64) (bool, error) {
	var archived bool
	err := q.QueryRowContext(ctx, `SELECT archived_at IS NOT NULL FROM customers WHERE id = ?`, id).Scan(&archived)
	return archived, err
}

// recordDelta returns the count change of adding n records like record id (ErrNotFound when
// there is none).
func recordDelta(ctx context.Context, q querier, id int64, n int32) (countDelta, error) {
	var at, kind, ch string
	var archived bool
	err := q.QueryRowContext(ctx, `SELECT r.at, r.kind, r.channel, c.archived_at IS NOT NULL
		FROM records r JOIN customers c ON c.id = r.customer_id WHERE r.id = ?`, id).Scan(&at, &kind, &ch, &archived)
	if isNoRows(err) {
		return countDelta{}, notFound("record", id)
	}
	if err != nil {
		return countDelta{}, err
	}
	day, cell, err := recordCell(at, crm.RecordKind(kind), crm.Channel(ch))
	if err != nil {
		return countDelta{}, fmt.Errorf("record %d: %w", id, err)
	}
	return countDelta{date: day, cell: cell, archived: archived, n: n}, nil
}

// DeleteRecord deletes maintenance record id; ErrNotFound when there is none.
func (s *Store) DeleteRecord(ctx context.Context, id int64) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	s.writeMu.keepInsights() // records change no classification
	base := s.changeRecords()
	deltas, err := s.deleteRecord(ctx, id)
	s.changedRecords(base, deltas)
	if err != nil {
		return fmt.Errorf("delete record: %w", err)
	}
	return nil
}

func (s *Store) deleteRecord(ctx context.Context, id int64) ([]countDelta, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return noChange, err
	}
	defer tx.Rollback()
	d, err := recordDelta(ctx, tx, id, -1)
	if err != nil {
		return noChange, err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM records WHERE id = ?`, id); err != nil {
		return noChange, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err // unknown outcome
	}
	return []countDelta{d}, nil
}

// Record returns maintenance record id; ErrNotFound when there is none.
func (s *Store) Record(ctx context.Context, id int64) (*crm.Record, error) {
	rs, err := s.loadRecords(ctx, `SELECT `+recordColumns+` FROM records WHERE id = ?`, id)
	if err != nil {
		return nil, fmt.Errorf("load record: %w", err)
	}
	if len(rs) == 0 {
		return nil, fmt.Errorf("load record: %w", notFound("record", id))
	}
	return &rs[0], nil
}

// CustomerRecords returns the maintenance records of customer id, newest first (by date-time,
// then the latest entered); none when the customer has none or is not in the book.
func (s *Store) CustomerRecords(ctx context.Context, customerID int64) ([]crm.Record, error) {
	rs, err := s.loadRecords(ctx, `SELECT `+recordColumns+` FROM records
		WHERE customer_id = ? ORDER BY at DESC, id DESC`, customerID)
	if err != nil {
		return nil, fmt.Errorf("load records: %w", err)
	}
	return rs, nil
}

func (s *Store) loadRecords(ctx context.Context, query string, args ...any) ([]crm.Record, error) {
	var sc recordScanner
	return readAll(ctx, s, query, args, func(rows *sql.Rows, r *crm.Record) error { return sc.scan(rows, r) })
}

// rawRecord is a row of recordColumns as read, before it is decoded; its buffers are reused.
type rawRecord struct {
	id, customerID              int64
	content, feedback, nextStep string
	// at, kind, channel, next_date, created_at, updated_at: copies owned by the rawRecord, as
	// sql.RawBytes point into a buffer of the rows that the next row overwrites.
	text [6][]byte
	raw  [6]sql.RawBytes
	dest []any
}

// scan reads the current row of rows, and the columns after recordColumns into extra.
func (raw *rawRecord) scan(rows *sql.Rows, extra ...any) error {
	if raw.dest == nil {
		raw.dest = []any{&raw.id, &raw.customerID, &raw.raw[0], &raw.raw[1], &raw.raw[2], &raw.content,
			&raw.feedback, &raw.nextStep, &raw.raw[3], &raw.raw[4], &raw.raw[5]}
	}
	var err error
	if len(extra) == 0 {
		err = rows.Scan(raw.dest...)
	} else {
		err = rows.Scan(append(raw.dest[:len(raw.dest):len(raw.dest)], extra...)...)
	}
	for i, b := range raw.raw {
		raw.text[i] = append(raw.text[i][:0], b...)
	}
	return err
}

// decode fills r with the row; stamps parse its created_at and updated_at.
func (raw *rawRecord) decode(r *crm.Record, stamps *[2]stampCache) error {
	at, kind, ch, next, createdAt, updatedAt := raw.text[0], raw.text[1], raw.text[2], raw.text[3], raw.text[4],
		raw.text[5]
	var err error
	if r.At, err = parseAt(at); err != nil {
		return fmt.Errorf("record %d: %w", raw.id, err)
	}
	if r.NextDate, err = parseDay(next); err != nil {
		return fmt.Errorf("record %d: %w", raw.id, err)
	}
	r.ID, r.CustomerID = raw.id, raw.customerID
	r.Kind, r.Channel = recordKind(kind), channel(ch)
	r.Content, r.Feedback, r.NextStep = raw.content, raw.feedback, raw.nextStep
	r.CreatedAt, r.UpdatedAt = stamps[0].parse(createdAt), stamps[1].parse(updatedAt)
	return nil
}

// recordScanner reads and decodes rows of recordColumns (then extra columns).
type recordScanner struct {
	raw    rawRecord
	stamps [2]stampCache
}

// scan reads the current row of rows into r, and the columns after recordColumns into extra.
func (sc *recordScanner) scan(rows *sql.Rows, r *crm.Record, extra ...any) error {
	if err := sc.raw.scan(rows, extra...); err != nil {
		return err
	}
	return sc.raw.decode(r, &sc.stamps)
}

// recordKind returns the crm constant spelt b (without allocating for the known ones).
func recordKind(b []byte) crm.RecordKind {
	if i := kindIndex(string(b)); i >= 0 {
		return crm.RecordKinds[i]
	}
	return crm.RecordKind(b)
}

// channel returns the crm constant spelt b (without allocating for the known ones).
func channel(b []byte) crm.Channel {
	if i := channelIndex(string(b)); i >= 0 {
		return crm.Channels[i]
	}
	return crm.Channel(b)
}

func kindIndex(k string) int {
	for i, x := range crm.RecordKinds {
		if string(x) == k {
			return i
		}
	}
	return -1
}

func channelIndex(c string) int {
	for i, x := range crm.Channels {
		if string(x) == c {
			return i
		}
	}
	return -1
}

// Activity sums up customer id's history: the latest record's date-time, the latest purchase's
// date, how many purchases and records there are and what the purchases add up to. A customer
// without history (or not in the book) gets the zero Activity.
func (s *Store) Activity(ctx context.Context, customerID int64) (crm.Activity, error) {
	var a crm.Activity
	tx, err := s.readTx(ctx)
	if err != nil {
		return a, fmt.Errorf("load activity: %w", err)
	}
	defer tx.Rollback()
	var last, at sql.NullString
	var total int64
	if err := tx.QueryRowContext(ctx, `SELECT count(*), coalesce(sum(amount_fen), 0), max(date)
		FROM purchases WHERE customer_id = ?`, customerID).Scan(&a.Purchases, &total, &last); err != nil {
		return a, fmt.Errorf("load activity: %w", err)
	}
	if err := tx.QueryRowContext(ctx, `SELECT count(*), max(at) FROM records WHERE customer_id = ?`,
		customerID).Scan(&a.Records, &at); err != nil {
		return a, fmt.Errorf("load activity: %w", err)
	}
	a.PurchaseTotal = crm.Money(total)
	if a.LastPurchase, err = parseDate(last); err != nil {
		return a, fmt.Errorf("load activity: %w", err)
	}
	if at.Valid {
		if a.LastContact, err = parseAt([]byte(at.String)); err != nil {
			return a, fmt.Errorf("load activity: %w", err)
		}
	}
	return a, nil
}

// InsertRecords adds new maintenance records in bulk (the demo generator, imports): one
// transaction, all or nothing. Each record is normalised in place and validated; the first
// invalid one, one with an ID, or one whose customer is not in the book fails the whole batch
// with a *RowError. On success rs[i].ID, the timestamps and At (as SaveRecord stores it) are set.
// The rows are written by date-time (equal ones in the order given), so the IDs follow the
// date-times: see chronological.
func (s *Store) InsertRecords(ctx context.Context, rs []crm.Record) error {
	for i := range rs {
		if rs[i].ID != 0 {
			return fmt.Errorf("insert records: %w",
				&RowError{Row: i, Err: fmt.Errorf("record %d is already in a book", rs[i].ID)})
		}
		if errs := prepareRecord(&rs[i]); len(errs) > 0 {
			return fmt.Errorf("insert records: %w", &RowError{Row: i, Err: errs})
		}
	}
	if len(rs) == 0 {
		return nil
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	s.writeMu.keepInsights() // records change no classification
	defer s.recordsChanged()
	ids := make([]int64, len(rs))
	ats := make([]string, len(rs))
	for i := range rs {
		ats[i] = formatAt(rs[i].At)
	}
	ts := stamp(s.now())
	err := s.bulk(ctx, insertRecordSQL, func(ctx context.Context, st *bulkStmt) error {
		// The trigger that counts records costs a fifth of a bulk insert (and a statement
		// journal): it is dropped for the batch, whose counts are then added at once, and
		// created again, all in this transaction (no other connection sees the book without it).
		resume, err := suspendTrigger(ctx, st.tx, "records_count_insert")
		if err != nil {
			return err
		}
		// The planner's summary likewise: refreshed once per customer at the end.
		resumePlan, err := suspendTrigger(ctx, st.tx, "plan_record_insert")
		if err != nil {
			return err
		}
		for i := range rs {
			if err := st.customer(ctx, rs[i].CustomerID); err != nil {
				return &RowError{Row: i, Err: err}
			}
		}
		type key struct{ date, kind, channel string }
		counts := make(map[key]int)
		for _, i := range chronological(ats) {
			vals := append(recordValues(&rs[i]), ts, ts)
			if ids[i], err = st.insert(ctx, vals...); err != nil {
				return &RowError{Row: i, Err: err}
			}
			counts[key{ats[i][:10], string(rs[i].Kind), string(rs[i].Channel)}]++
		}
		if resumePlan != "" {
			ids := distinctCustomers(len(rs), func(i int) int64 { return rs[i].CustomerID })
			if err := refreshPlanState(ctx, st.tx, ids, true, false); err != nil {
				return err
			}
			if _, err := st.tx.ExecContext(ctx, resumePlan); err != nil {
				return err
			}
		}
		if resume == "" {
			return nil
		}
		add, err := st.tx.PrepareContext(ctx, `INSERT INTO record_counts (date, kind, channel, n) VALUES (?, ?, ?, ?)
			ON CONFLICT (date, kind, channel) DO UPDATE SET n = n + excluded.n`)
		if err != nil {
			return err
		}
		defer add.Close()
		for k, n := range counts {
			if _, err := add.ExecContext(ctx, k.date, k.kind, k.channel, n); err != nil {
				return err
			}
		}
		_, err = st.tx.ExecContext(ctx, resume)
		return err
	})
	if err != nil {
		return fmt.Errorf("insert records: %w", err)
	}
	at := parseStamp(ts)
	for i := range rs {
		r := &rs[i]
		r.ID, r.At, r.CreatedAt, r.UpdatedAt = ids[i], wallClock(r.At), at, at
	}
	return nil
}

// suspendTrigger drops trigger name in tx and returns the statement that creates it again; ""
// when there is no such trigger.
func suspendTrigger(ctx context.Context, tx *sql.Tx, name string) (string, error) {
	var create string
	err := tx.QueryRowContext(ctx, `SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = ?`, name).Scan(&create)
	if isNoRows(err) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	if _, err := tx.ExecContext(ctx, `DROP TRIGGER "`+name+`"`); err != nil {
		return "", err
	}
	return create, nil
}

// emptyRange reports whether the query's dates select nothing.
func emptyRange(q crm.RecordQuery) bool { return q.From != 0 && q.To != 0 && q.From > q.To }

// CountRecords returns how many records the record sheet shows for q: those of customers not
// archived (of any customer when q names one) within the query's days, kind and channel. See
// recordstats.go for how it stays instant at millions of records.
func (s *Store) CountRecords(ctx context.Context, q crm.RecordQuery) (int, error) {
	if emptyRange(q) {
		return 0, nil
	}
	tx, err := s.readTx(ctx)
	if err != nil {
		return 0, fmt.Errorf("count records: %w", err)
	}
	defer tx.Rollback()
	if q.CustomerID != 0 {
		where, args := recordWhere(q, "")
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM records WHERE `+where, args...).Scan(&n); err != nil {
			return 0, fmt.Errorf("count records: %w", err)
		}
		return n, nil
	}
	st, err := s.recordStats(ctx, tx)
	if err != nil {
		return 0, fmt.Errorf("count records: %w", err)
	}
	return st.count(q), nil
}

// recordWhere returns the WHERE condition of records selecting q, and its arguments. A non-empty
// before ('YYYY-MM-DD') replaces the bound of q.To: records dated before that day.
func recordWhere(q crm.RecordQuery, before string) (string, []any) {
	var conds []string
	var args []any
	if q.CustomerID != 0 {
		conds, args = append(conds, "customer_id = ?"), append(args, q.CustomerID)
	}
	if q.From != 0 {
		conds, args = append(conds, "at >= ?"), append(args, q.From.String())
	}
	if before != "" {
		conds, args = append(conds, "at < ?"), append(args, before)
	} else if q.To != 0 {
		conds, args = append(conds, "at < ?"), append(args, (q.To+1).String())
	}
	if q.Kind != "" {
		conds, args = append(conds, "kind = ?"), append(args, string(q.Kind))
	}
	if q.Channel != "" {
		conds, args = append(conds, "channel = ?"), append(args, string(q.Channel))
	}
	if len(conds) == 0 {
		return "1", nil
	}
	return strings.Join(conds, " AND "), args
}

// RecordRows returns up to limit rows of the record sheet for q (see CountRecords) from offset
// on: newest first (by date-time, then id), each with its customer's code, name and first
// phone. Any offset costs about the same: the page's day is found in the cached counts.
func (s *Store) RecordRows(ctx context.Context, q crm.RecordQuery, offset, limit int) ([]crm.RecordRow, error) {
	if limit <= 0 || offset < 0 || emptyRange(q) {
		return nil, nil
	}
	tx, err := s.readTx(ctx)
	if err != nil {
		return nil, fmt.Errorf("load record rows: %w", err)
	}
	defer tx.Rollback()
	var where, index string
	var args []any
	skip := offset
	if q.CustomerID != 0 {
		where, args = recordWhere(q, "")
	} else {
		// The offset skips entries of records_sheet only: it holds what the filters test.
		index = "INDEXED BY records_sheet"
		st, err := s.recordStats(ctx, tx)
		if err != nil {
			return nil, fmt.Errorf("load record rows: %w", err)
		}
		day, n, ok := st.locate(q, offset)
		if !ok {
			return nil, nil
		}
		skip = n
		where, args = recordWhere(q, (day + 1).String())
		if st.hasArchived() {
			where += " AND customer_id NOT IN (SELECT id FROM customers WHERE archived_at IS NOT NULL)"
		}
	}
	// The inner query finds the page's ids in an index (the offset skips index entries only);
	// the outer one reads those rows and their customers.
	rows, err := tx.QueryContext(ctx, `SELECT r.id, r.customer_id, r.at, r.kind, r.channel, r.content, r.feedback,
			r.next_step, r.next_date, r.created_at, r.updated_at, c.code, c.name, coalesce(p.e164, '')
		FROM (SELECT id FROM records `+index+` WHERE `+where+` ORDER BY at DESC, id DESC LIMIT ? OFFSET ?) AS page
		JOIN records r ON r.id = page.id
		JOIN customers c ON c.id = r.customer_id
		LEFT JOIN customer_phones p ON p.customer_id = r.customer_id AND p.pos = 0
		ORDER BY r.at DESC, r.id DESC`, append(args, limit, skip)...)
	if err != nil {
		return nil, fmt.Errorf("load record rows: %w", err)
	}
	defer rows.Close()
	out := make([]crm.RecordRow, 0, min(limit, 256))
	var sc recordScanner
	for rows.Next() {
		var row crm.RecordRow
		if err := sc.scan(rows, &row.Record, &row.CustomerCode, &row.CustomerName, &row.Phone); err != nil {
			return nil, fmt.Errorf("load record rows: %w", err)
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load record rows: %w", err)
	}
	return out, nil
}
