package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"carebook/crm"
)

// RowError says which customer of a batch made InsertCustomers fail. Err is often a crm.Errors
// (use errors.As).
type RowError struct {
	Row int // index in the batch, from 0
	Err error
}

func (e *RowError) Error() string { return fmt.Sprintf("row %d: %v", e.Row, e.Err) }

func (e *RowError) Unwrap() error { return e.Err }

// InsertCustomers adds new customers in bulk (the demo generator, imports): one transaction, all
// or nothing. Each card is normalised in place and validated; the first invalid card, a card
// with an ID, or a code already taken (in the book or earlier in the batch) fails the whole
// batch with a *RowError. Cards without a code get the next C-numbers, after every C-number in
// the book and in the batch; cards without a creation date get today. On success cs[i].ID,
// Code, Created and the dates' IDs are set.
func (s *Store) InsertCustomers(ctx context.Context, cs []crm.Customer) error {
	for i := range cs {
		if cs[i].ID != 0 {
			return fmt.Errorf("insert customers: %w",
				&RowError{Row: i, Err: fmt.Errorf("customer %d is already in a book", cs[i].ID)})
		}
	}
	// Normalising and validating (phone parsing above all) costs as much as the inserts: it
	// runs on every core.
	invalid := make([]crm.Errors, len(cs))
	parallel(len(cs), func(i int) { invalid[i] = prepareFast(&cs[i]) })
	var maxCode int64
	codes := make(map[string]int, len(cs))
	for i := range cs {
		if len(invalid[i]) > 0 {
			return fmt.Errorf("insert customers: %w", &RowError{Row: i, Err: invalid[i]})
		}
		if code := cs[i].Code; code != "" {
			if _, dup := codes[code]; dup {
				return fmt.Errorf("insert customers: %w", &RowError{Row: i, Err: codeTakenError(code)})
			}
			codes[code] = i
			maxCode = max(maxCode, codeNumber(code))
		}
	}
	if len(cs) == 0 {
		return nil
	}

	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	// The search index is rebuilt on the next search, whatever happens here.
	defer s.indexDrop()

	// One connection for the whole batch, with a page cache large enough to hold the indexes
	// being filled (the default 2 MB makes every phone insert a cache miss).
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("insert customers: %w", err)
	}
	defer conn.Close()
	var cacheSize int
	if err := conn.QueryRowContext(ctx, "PRAGMA cache_size").Scan(&cacheSize); err != nil {
		return fmt.Errorf("insert customers: %w", err)
	}
	if _, err := conn.ExecContext(ctx, "PRAGMA cache_size = -65536"); err != nil {
		return fmt.Errorf("insert customers: %w", err)
	}
	defer conn.ExecContext(context.Background(), fmt.Sprintf("PRAGMA cache_size = %d", cacheSize))

	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("insert customers: %w", err)
	}
	defer tx.Rollback()

	inBook, err := s.lastCode(ctx, tx)
	if err != nil {
		return fmt.Errorf("insert customers: %w", err)
	}
	next := max(maxCode, inBook) + 1
	now := s.now()
	ts, today := stamp(now), crm.DateOf(now)

	// The rows as written: codes and creation dates filled in; cs changes only after the commit.
	rows := make([]crm.Customer, len(cs))
	for i := range cs {
		rows[i] = cs[i]
		if rows[i].Code == "" {
			rows[i].Code = formatCode(next)
			next++
		}
		if rows[i].Created.IsZero() {
			rows[i].Created = today
		}
	}
	keys, sorts := make([]string, len(rows)), make([]string, len(rows))
	parallel(len(rows), func(i int) { keys[i], sorts[i] = crm.SearchKey(&rows[i]), nameSortKey(&rows[i]) })

	stmts, err := prepareBulk(ctx, tx)
	if err != nil {
		return fmt.Errorf("insert customers: %w", err)
	}
	defer stmts.close()

	done := make([]bulkIDs, len(cs))
	for i := range rows {
		if i%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("insert customers: %w", err)
			}
		}
		if cs[i].Code != "" {
			var id int64
			err := stmts.codeTaken.QueryRowContext(ctx, rows[i].Code).Scan(&id)
			if err == nil {
				return fmt.Errorf("insert customers: %w", &RowError{Row: i, Err: codeTakenError(rows[i].Code)})
			} else if !isNoRows(err) {
				return fmt.Errorf("insert customers: %w", err)
			}
		}
		if done[i], err = stmts.insert(ctx, &rows[i], keys[i], sorts[i], ts); err != nil {
			return fmt.Errorf("insert customers: %w", &RowError{Row: i, Err: err})
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("insert customers: %w", err)
	}
	s.codeUsed(next - 1)
	s.codeUsed(maxCode)

	at := parseStamp(ts)
	for i := range cs {
		c, a := &cs[i], done[i]
		c.ID, c.Code, c.Created, c.Archived = a.id, rows[i].Code, rows[i].Created, false
		c.CreatedAt, c.UpdatedAt = at, at
		if c.Birthday != nil {
			c.Birthday.ID = a.birthday
		}
		for j := range c.Dates {
			c.Dates[j].ID = a.dates[j]
		}
	}
	return nil
}

// parallel calls f(0) … f(n-1) on every core; f must be safe for concurrent use.
func parallel(n int, f func(i int)) {
	const chunk = 256
	workers := min(runtime.GOMAXPROCS(0), (n+chunk-1)/chunk)
	if workers <= 1 {
		for i := range n {
			f(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				start := int(next.Add(chunk)) - chunk
				if start >= n {
					return
				}
				for i := start; i < min(start+chunk, n); i++ {
					f(i)
				}
			}
		}()
	}
	wg.Wait()
}

// bulkStmts are the prepared statements of InsertCustomers.
type bulkStmts struct {
	codeTaken, customer, phone, tag, date *sql.Stmt
}

func prepareBulk(ctx context.Context, tx *sql.Tx) (*bulkStmts, error) {
	var b bulkStmts
	for _, p := range []struct {
		stmt **sql.Stmt
		sql  string
	}{
		{&b.codeTaken, `SELECT id FROM customers WHERE code = ?`},
		{&b.customer, insertCustomerSQL},
		{&b.phone, `INSERT INTO customer_phones (customer_id, pos, e164, national, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?)`},
		{&b.tag, `INSERT INTO customer_tags (customer_id, tag, pos, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (customer_id, tag) DO NOTHING`},
		{&b.date, insertDateSQL},
	} {
		st, err := tx.PrepareContext(ctx, p.sql)
		if err != nil {
			b.close()
			return nil, err
		}
		*p.stmt = st
	}
	return &b, nil
}

func (b *bulkStmts) close() {
	for _, st := range []*sql.Stmt{b.codeTaken, b.customer, b.phone, b.tag, b.date} {
		if st != nil {
			st.Close()
		}
	}
}

// bulkIDs is what InsertCustomers assigned to one card.
type bulkIDs struct {
	id, birthday int64
	dates        []int64
}

// insert writes one new customer c (code and created already set, key and sortKey computed)
// with its phones, tags and dates.
func (b *bulkStmts) insert(ctx context.Context, c *crm.Customer, key, sortKey, ts string) (bulkIDs, error) {
	var out bulkIDs
	args := append(customerArgs(c, key, sortKey), ts, ts)
	res, err := b.customer.ExecContext(ctx, args...)
	if err != nil {
		return out, err
	}
	if out.id, err = res.LastInsertId(); err != nil {
		return out, err
	}
	for i, p := range c.Phones {
		if _, err := b.phone.ExecContext(ctx, out.id, i, p, nationalDigits(p), ts, ts); err != nil {
			return out, fmt.Errorf("phone %d: %w", i+1, err)
		}
	}
	for i, t := range c.Tags {
		if _, err := b.tag.ExecContext(ctx, out.id, t, i, ts, ts); err != nil {
			return out, fmt.Errorf("tag %q: %w", t, err)
		}
	}
	if c.Birthday != nil {
		res, err := b.date.ExecContext(ctx, dateArgs(nil, out.id, "birthday", 0, c.Birthday, ts, ts)...)
		if err != nil {
			return out, fmt.Errorf("birthday: %w", err)
		}
		if out.birthday, err = res.LastInsertId(); err != nil {
			return out, err
		}
	}
	if len(c.Dates) > 0 {
		out.dates = make([]int64, len(c.Dates))
	}
	for j := range c.Dates {
		res, err := b.date.ExecContext(ctx, dateArgs(nil, out.id, "other", j, &c.Dates[j], ts, ts)...)
		if err != nil {
			return out, fmt.Errorf("date %d: %w", j+1, err)
		}
		if out.dates[j], err = res.LastInsertId(); err != nil {
			return out, err
		}
	}
	return out, nil
}

// chronological returns 0 … len(keys)-1 ordered by keys, equal keys in their order: the order in
// which a bulk insert writes its rows. Then ids follow dates, and the table is laid out nearly in
// date order even when a generator or an importer gives the rows customer by customer, so that
// reading it in date order (the export) reads it almost sequentially instead of one random page
// per row.
func chronological[K cmp.Ordered](keys []K) []int {
	order := make([]int, len(keys))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(keys[a], keys[b]) })
	return order
}

// bulkStmt is the prepared insert of InsertPurchases or InsertRecords, with the check that each
// row's customer is in the book.
type bulkStmt struct {
	tx          *sql.Tx
	ins, exists *sql.Stmt
	known       map[int64]bool // customers checked
	n           int            // rows inserted
}

// customer returns missingCustomer() when customer id is not in the book.
func (b *bulkStmt) customer(ctx context.Context, id int64) error {
	ok, seen := b.known[id]
	if !seen {
		var one int
		err := b.exists.QueryRowContext(ctx, id).Scan(&one)
		if err != nil && !isNoRows(err) {
			return err
		}
		ok = err == nil
		b.known[id] = ok
	}
	if !ok {
		return missingCustomer()
	}
	return nil
}

// insert runs the insert with args and returns the new row's id; it looks at ctx every 1024 rows.
func (b *bulkStmt) insert(ctx context.Context, args ...any) (int64, error) {
	if b.n++; b.n%1024 == 0 {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
	}
	res, err := b.ins.ExecContext(ctx, args...)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// bulk runs fill with the prepared insertSQL in one write transaction (see bulkTx). The caller
// holds writeMu.
func (s *Store) bulk(ctx context.Context, insertSQL string, fill func(context.Context, *bulkStmt) error) error {
	return s.bulkTx(ctx, false, func(ctx context.Context, tx *sql.Tx) error {
		b := &bulkStmt{tx: tx, known: make(map[int64]bool)}
		var err error
		if b.ins, err = tx.PrepareContext(ctx, insertSQL); err != nil {
			return err
		}
		defer b.ins.Close()
		if b.exists, err = tx.PrepareContext(ctx, `SELECT 1 FROM customers WHERE id = ?`); err != nil {
			return err
		}
		defer b.exists.Close()
		return fill(ctx, b)
	})
}

// bulkTx runs fn in one write transaction on one connection whose page cache is enlarged
// meanwhile (the default 2 MB makes every index insert a cache miss once the tables hold
// millions of rows), and commits when fn succeeds; else it rolls back. With readOnly, the
// transaction is a read-only one, never committed. The caller holds writeMu.
func (s *Store) bulkTx(ctx context.Context, readOnly bool, fn func(context.Context, *sql.Tx) error) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	var cacheSize int
	if err := conn.QueryRowContext(ctx, "PRAGMA cache_size").Scan(&cacheSize); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("PRAGMA cache_size = %d", bulkCacheKiB)); err != nil {
		return err
	}
	defer conn.ExecContext(context.Background(), fmt.Sprintf("PRAGMA cache_size = %d", cacheSize))
	if _, err := conn.ExecContext(ctx, "PRAGMA temp_store = MEMORY"); err != nil {
		return err
	}
	defer conn.ExecContext(context.Background(), "PRAGMA temp_store = DEFAULT")

	tx, err := conn.BeginTx(ctx, &sql.TxOptions{ReadOnly: readOnly})
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(ctx, tx); err != nil || readOnly {
		return err
	}
	return tx.Commit()
}

// bulkCacheKiB is the page cache of a bulk insert's connection (negative: KiB, SQLite's
// convention).
const bulkCacheKiB = -65536
