package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"carebook/crm"
)

// customerWriteColumns are the columns SaveCustomer and InsertCustomers write, in the order of
// customerArgs.
var customerWriteColumns = []string{
	"code", "name", "remark", "gender", "wechat", "email", "address", "company", "title", "source",
	"needs", "latent_needs", "preferences", "interests", "notes",
	"tier", "dnd", "knowing", "closeness", "loyalty", "created", "search_key", "name_sort",
}

var (
	insertCustomerSQL = "INSERT INTO customers (" + strings.Join(customerWriteColumns, ", ") +
		", created_at, updated_at) VALUES (" +
		strings.TrimSuffix(strings.Repeat("?, ", len(customerWriteColumns)+2), ", ") + ")"
	updateCustomerSQL = "UPDATE customers SET " + strings.Join(customerWriteColumns, " = ?, ") +
		" = ?, updated_at = ? WHERE id = ?"
)

// customerArgs returns the values of customerWriteColumns for c.
func customerArgs(c *crm.Customer, searchKey, nameSort string) []any {
	return []any{
		c.Code, c.Name, c.Remark, string(c.Gender), c.WeChat, c.Email, c.Address, c.Company, c.Title,
		c.Source, c.Needs, c.LatentNeeds, c.Preferences, c.Interests, c.Notes,
		string(c.Tier), boolInt(c.DoNotDisturb), c.Knowing, c.Closeness, c.Loyalty, c.Created.String(),
		searchKey, nameSort,
	}
}

// nameSortKey orders the customer list: the pinyin of the display name (Latin letters and digits
// as they are, lower-case), so that 张三 sorts under z beside "Zoe".
func nameSortKey(c *crm.Customer) string {
	full, _ := crm.Pinyin(c.DisplayName())
	return full
}

// nationalDigits is the number without its country code for Chinese numbers (+86), else the
// E.164 digits; stored beside e164 for look-ups by what people type.
func nationalDigits(e164 string) string {
	if n, ok := strings.CutPrefix(e164, "+86"); ok && n != "" {
		return n
	}
	return strings.TrimPrefix(e164, "+")
}

// prepare tidies and validates a card the way every write path does.
func prepare(c *crm.Customer) crm.Errors {
	crm.NormalizeCustomer(c)
	return crm.ValidateCustomer(c)
}

// codeTakenError is the field error of a code another customer already has.
func codeTakenError(code string) crm.Errors {
	return crm.Errors{{Field: "code", Key: "err.code_taken", Args: map[string]any{"code": code}}}
}

// SaveCustomer writes the card c: a new customer when c.ID is 0 (c.ID is then assigned, c.Code
// when empty becomes the next C-number, C000001-style, and a zero c.Created becomes today), else
// an update of that customer, whose phones, tags and dates become those of c (an empty code or
// zero creation date keeps the stored one; dates keep their IDs). The card is normalised (crm.NormalizeCustomer) in place; an
// invalid card, or a code another customer has, is refused with a crm.Errors (use errors.As)
// and nothing is written. An update of a missing customer returns ErrNotFound. Saving never
// archives or restores.
func (s *Store) SaveCustomer(ctx context.Context, c *crm.Customer) error {
	if errs := prepare(c); len(errs) > 0 {
		return fmt.Errorf("save customer: %w", errs)
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()

	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("save customer: %w", err)
	}
	defer tx.Rollback()

	now := s.now()
	ts := stamp(now)
	row := *c // what is written; c itself changes only once it is committed
	var createdAt time.Time
	if row.ID == 0 {
		row.Archived = false
		if row.Created.IsZero() {
			row.Created = crm.DateOf(now)
		}
		if row.Code == "" {
			n, err := s.lastCode(ctx, tx)
			if err != nil {
				return fmt.Errorf("save customer: %w", err)
			}
			row.Code = formatCode(n + 1)
		}
		createdAt = parseStamp(ts)
	} else {
		old, err := findCustomerRow(ctx, tx, row.ID)
		if err != nil {
			return fmt.Errorf("save customer: %w", err)
		}
		if row.Code == "" {
			row.Code = old.Code
		}
		if row.Created.IsZero() {
			row.Created = old.Created
		}
		row.Archived = old.Archived
		createdAt = old.CreatedAt
		if row.Tier == old.Tier && row.Code == old.Code && row.Created == old.Created {
			s.writeMu.keepInsights() // what the classification reads of the card stays
		} else {
			s.writeMu.touch(row.ID) // it changes for this customer only
		}
	}
	if taken, err := codeTaken(ctx, tx, row.Code, row.ID); err != nil {
		return fmt.Errorf("save customer: %w", err)
	} else if taken {
		return fmt.Errorf("save customer: %w", codeTakenError(row.Code))
	}

	key, sortKey := crm.SearchKey(&row), nameSortKey(&row)
	args := customerArgs(&row, key, sortKey)
	if row.ID == 0 {
		res, err := tx.ExecContext(ctx, insertCustomerSQL, append(args, ts, ts)...)
		if err != nil {
			return fmt.Errorf("save customer: %w", err)
		}
		if row.ID, err = res.LastInsertId(); err != nil {
			return fmt.Errorf("save customer: %w", err)
		}
		s.writeMu.touch(row.ID) // a new customer is classified from its creation day
	} else {
		if _, err := tx.ExecContext(ctx, updateCustomerSQL, append(args, ts, row.ID)...); err != nil {
			return fmt.Errorf("save customer: %w", err)
		}
	}
	if err := replacePhones(ctx, tx, row.ID, row.Phones, ts); err != nil {
		return fmt.Errorf("save customer: %w", err)
	}
	if err := replaceTags(ctx, tx, row.ID, row.Tags, ts); err != nil {
		return fmt.Errorf("save customer: %w", err)
	}
	birthdayID, dateIDs, err := replaceDates(ctx, tx, row.ID, row.Birthday, row.Dates, ts)
	if err != nil {
		return fmt.Errorf("save customer: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("save customer: %w", err)
	}

	s.codeUsed(codeNumber(row.Code))
	c.ID, c.Code, c.Created, c.Archived = row.ID, row.Code, row.Created, row.Archived
	c.CreatedAt, c.UpdatedAt = createdAt, parseStamp(ts)
	if c.Birthday != nil {
		c.Birthday.ID = birthdayID
	}
	for i := range c.Dates {
		c.Dates[i].ID = dateIDs[i]
	}
	s.indexPut(newEntry(c, key, sortKey))
	return nil
}

// Customer returns the whole card of customer id (archived or not); ErrNotFound when there is
// none.
func (s *Store) Customer(ctx context.Context, id int64) (*crm.Customer, error) {
	tx, err := s.readTx(ctx)
	if err != nil {
		return nil, fmt.Errorf("load customer: %w", err)
	}
	defer tx.Rollback()
	c, err := findCustomer(ctx, tx, id)
	if err != nil {
		return nil, fmt.Errorf("load customer: %w", err)
	}
	return c, nil
}

// ArchiveCustomer archives customer id (the product's "delete"): it leaves the active list and
// the plans, and RestoreCustomer brings it back. Archiving an archived customer does nothing.
func (s *Store) ArchiveCustomer(ctx context.Context, id int64) error {
	if err := s.setArchived(ctx, id, true); err != nil {
		return fmt.Errorf("archive customer: %w", err)
	}
	return nil
}

// RestoreCustomer undoes ArchiveCustomer.
func (s *Store) RestoreCustomer(ctx context.Context, id int64) error {
	if err := s.setArchived(ctx, id, false); err != nil {
		return fmt.Errorf("restore customer: %w", err)
	}
	return nil
}

func (s *Store) setArchived(ctx context.Context, id int64, archived bool) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	defer s.recordsChanged() // the record sheet leaves archived customers out
	s.writeMu.touch(id)      // the classification leaves archived customers out
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()

	ts := stamp(s.now())
	var res sql.Result
	if archived {
		res, err = tx.ExecContext(ctx,
			`UPDATE customers SET archived_at = ?, updated_at = ? WHERE id = ? AND archived_at IS NULL`, ts, ts, id)
	} else {
		res, err = tx.ExecContext(ctx,
			`UPDATE customers SET archived_at = NULL, updated_at = ? WHERE id = ? AND archived_at IS NOT NULL`, ts, id)
	}
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		if _, err := findCustomerRow(ctx, tx, id); err != nil {
			return err
		}
		return nil // already in that state
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	s.indexSetArchived(id, archived)
	return nil
}

// PurgeCustomer deletes customer id for good, with everything recorded about them (purchases,
// records, invitations, services, complaints, snoozes). The UI asks for confirmation first.
func (s *Store) PurgeCustomer(ctx context.Context, id int64) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	defer s.recordsChanged() // the customer's records go with it
	s.writeMu.touch(id)      // and its purchases
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("purge customer: %w", err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `DELETE FROM customers WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("purge customer: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("purge customer: %w", err)
	} else if n == 0 {
		return fmt.Errorf("purge customer: %w", notFound("customer", id))
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("purge customer: %w", err)
	}
	s.indexRemove(id)
	return nil
}

// CountCustomers returns the number of active (not archived) customers.
func (s *Store) CountCustomers(ctx context.Context) (int, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM customers WHERE archived_at IS NULL`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count customers: %w", err)
	}
	return n, nil
}

// formatCode formats customer number n as C000001.
func formatCode(n int64) string { return fmt.Sprintf("C%06d", n) }

// lastCode returns the highest n of the codes C<n> given so far: read from the book the first
// time (a scan of every code), then kept by the write methods (under writeMu). A number given
// once is not given again in this session, even when its customer is purged or renumbered.
func (s *Store) lastCode(ctx context.Context, q querier) (int64, error) {
	if !s.codeKnown {
		n, err := maxCodeNumber(ctx, q)
		if err != nil {
			return 0, err
		}
		s.maxCode, s.codeKnown = max(s.maxCode, n), true
	}
	return s.maxCode, nil
}

// codeUsed records that C<n> is taken (after a commit, under writeMu).
func (s *Store) codeUsed(n int64) { s.maxCode = max(s.maxCode, n) }

// maxCodeNumber returns the highest n of the codes C<n> (digits only), 0 when there is none.
func maxCodeNumber(ctx context.Context, q querier) (int64, error) {
	var n int64
	err := q.QueryRowContext(ctx, `SELECT coalesce(max(CAST(substr(code, 2) AS INTEGER)), 0) FROM customers
		WHERE code GLOB 'C[0-9]*' AND substr(code, 2) NOT GLOB '*[^0-9]*' AND length(code) <= 16`).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("next customer code: %w", err)
	}
	return n, nil
}

// codeNumber returns n for a code C<n> (digits only), else 0.
func codeNumber(code string) int64 {
	digits, ok := strings.CutPrefix(code, "C")
	if !ok || digits == "" || len(digits) > 15 {
		return 0
	}
	var n int64
	for _, r := range digits {
		if r < '0' || r > '9' {
			return 0
		}
		n = n*10 + int64(r-'0')
	}
	return n
}

// codeTaken reports whether a customer other than exceptID has code.
func codeTaken(ctx context.Context, q querier, code string, exceptID int64) (bool, error) {
	var id int64
	err := q.QueryRowContext(ctx, `SELECT id FROM customers WHERE code = ? AND id <> ?`, code, exceptID).Scan(&id)
	if isNoRows(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("check customer code: %w", err)
	}
	return true, nil
}

const customerColumns = `id, code, name, remark, gender, wechat, email, address, company, title, source,
	needs, latent_needs, preferences, interests, notes, tier, dnd, knowing, closeness, loyalty,
	created, archived_at IS NOT NULL, created_at, updated_at`

// findCustomerRow reads the customers row of id, without phones, tags and dates.
func findCustomerRow(ctx context.Context, q querier, id int64) (*crm.Customer, error) {
	c, err := scanCustomerRow(q.QueryRowContext(ctx, `SELECT `+customerColumns+` FROM customers WHERE id = ?`, id).Scan)
	if isNoRows(err) {
		return nil, notFound("customer", id)
	}
	if err != nil {
		return nil, err
	}
	return c, nil
}

// scanCustomerRow reads the columns customerColumns of a row with scan (a *sql.Row's or a
// *sql.Rows' Scan).
func scanCustomerRow(scan func(dest ...any) error) (*crm.Customer, error) {
	var (
		c                           crm.Customer
		gender, tier                string
		created                     sql.NullString
		createdAt, updatedAt        string
		dnd, archived               bool
		knowing, closeness, loyalty int
	)
	err := scan(&c.ID, &c.Code, &c.Name, &c.Remark, &gender, &c.WeChat, &c.Email, &c.Address, &c.Company,
		&c.Title, &c.Source, &c.Needs, &c.LatentNeeds, &c.Preferences, &c.Interests, &c.Notes,
		&tier, &dnd, &knowing, &closeness, &loyalty, &created, &archived, &createdAt, &updatedAt)
	if err != nil {
		return nil, err
	}
	if c.Created, err = parseDate(created); err != nil {
		return nil, fmt.Errorf("customer %d: %w", c.ID, err)
	}
	c.Gender, c.Tier = crm.Gender(gender), crm.Tier(tier)
	c.DoNotDisturb, c.Archived = dnd, archived
	c.Knowing, c.Closeness, c.Loyalty = knowing, closeness, loyalty
	c.CreatedAt, c.UpdatedAt = parseStamp(createdAt), parseStamp(updatedAt)
	return &c, nil
}

// findCustomer reads the whole card of id.
func findCustomer(ctx context.Context, q querier, id int64) (*crm.Customer, error) {
	c, err := findCustomerRow(ctx, q, id)
	if err != nil {
		return nil, err
	}
	if c.Phones, err = queryStrings(ctx, q,
		`SELECT e164 FROM customer_phones WHERE customer_id = ? ORDER BY pos`, id); err != nil {
		return nil, fmt.Errorf("customer %d phones: %w", id, err)
	}
	if c.Tags, err = queryStrings(ctx, q,
		`SELECT tag FROM customer_tags WHERE customer_id = ? ORDER BY pos`, id); err != nil {
		return nil, fmt.Errorf("customer %d tags: %w", id, err)
	}
	dates, err := findDates(ctx, q, id)
	if err != nil {
		return nil, fmt.Errorf("customer %d dates: %w", id, err)
	}
	for _, d := range dates {
		if d.kind == "birthday" {
			kd := d.KeyDate
			c.Birthday = &kd
		} else {
			c.Dates = append(c.Dates, d.KeyDate)
		}
	}
	return c, nil
}

// queryStrings returns the single text column of a query's rows; nil when there are none.
func queryStrings(ctx context.Context, q querier, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// storedDate is an important_dates row.
type storedDate struct {
	crm.KeyDate
	kind      string // birthday | other
	pos       int
	createdAt string
	updatedAt string
}

// findDates reads customer id's important dates, the birthday first, then the others in order.
func findDates(ctx context.Context, q querier, id int64) ([]storedDate, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, kind, pos, label, calendar, coalesce(year, 0), month, day, leap,
		created_at, updated_at FROM important_dates WHERE customer_id = ? ORDER BY kind, pos, id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []storedDate
	for rows.Next() {
		var d storedDate
		var cal string
		if err := rows.Scan(&d.ID, &d.kind, &d.pos, &d.Label, &cal, &d.Year, &d.Month, &d.Day, &d.Leap,
			&d.createdAt, &d.updatedAt); err != nil {
			return nil, err
		}
		d.Calendar = crm.Calendar(cal)
		out = append(out, d)
	}
	return out, rows.Err()
}

// replacePhones makes phones the phones of customer id, in order.
func replacePhones(ctx context.Context, tx *sql.Tx, id int64, phones []string, ts string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM customer_phones WHERE customer_id = ? AND pos >= ?`,
		id, len(phones)); err != nil {
		return fmt.Errorf("phones: %w", err)
	}
	for i, p := range phones {
		_, err := tx.ExecContext(ctx, `INSERT INTO customer_phones (customer_id, pos, e164, national, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (customer_id, pos) DO UPDATE SET e164 = excluded.e164, national = excluded.national,
				updated_at = excluded.updated_at
			WHERE e164 <> excluded.e164`, id, i, p, nationalDigits(p), ts, ts)
		if err != nil {
			return fmt.Errorf("phone %d: %w", i+1, err)
		}
	}
	return nil
}

// replaceTags makes tags the tags of customer id, in order; a tag kept keeps its created_at.
func replaceTags(ctx context.Context, tx *sql.Tx, id int64, tags []string, ts string) error {
	list, err := json.Marshal(tagsOrEmpty(tags))
	if err != nil {
		return fmt.Errorf("tags: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM customer_tags
		WHERE customer_id = ? AND tag NOT IN (SELECT value FROM json_each(?))`, id, string(list)); err != nil {
		return fmt.Errorf("tags: %w", err)
	}
	for i, t := range tags {
		_, err := tx.ExecContext(ctx, `INSERT INTO customer_tags (customer_id, tag, pos, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (customer_id, tag) DO UPDATE SET pos = excluded.pos, updated_at = excluded.updated_at
			WHERE pos <> excluded.pos`, id, t, i, ts, ts)
		if err != nil {
			return fmt.Errorf("tag %q: %w", t, err)
		}
	}
	return nil
}

func tagsOrEmpty(tags []string) []string {
	if tags == nil {
		return []string{}
	}
	return tags
}

const insertDateSQL = `INSERT INTO important_dates (id, customer_id, kind, pos, label, calendar, year, month, day, leap,
	created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

// dateArgs returns the values of insertDateSQL; id nil lets SQLite choose it.
func dateArgs(id any, customerID int64, kind string, pos int, d *crm.KeyDate, createdAt, updatedAt string) []any {
	var year any
	if d.Year != 0 {
		year = d.Year
	}
	return []any{id, customerID, kind, pos, d.Label, string(d.Calendar), year, d.Month, d.Day, boolInt(d.Leap),
		createdAt, updatedAt}
}

// replaceDates makes birthday and dates the important dates of customer id. A date whose ID is
// one of the customer's keeps that id (and its created_at); it returns the ids of the birthday
// (0 when nil) and of dates, in order.
func replaceDates(ctx context.Context, tx *sql.Tx, id int64, birthday *crm.KeyDate, dates []crm.KeyDate,
	ts string) (int64, []int64, error) {
	old, err := findDates(ctx, tx, id)
	if err != nil {
		return 0, nil, fmt.Errorf("dates: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM important_dates WHERE customer_id = ?`, id); err != nil {
		return 0, nil, fmt.Errorf("dates: %w", err)
	}
	existing := make(map[int64]storedDate, len(old))
	for _, d := range old {
		existing[d.ID] = d
	}
	write := func(d *crm.KeyDate, kind string, pos int) (int64, error) {
		var keep any
		createdAt, updatedAt := ts, ts
		if o, ok := existing[d.ID]; ok && d.ID != 0 {
			delete(existing, d.ID) // an id is kept once
			keep, createdAt = d.ID, o.createdAt
			if o.KeyDate == *d && o.kind == kind && o.pos == pos {
				updatedAt = o.updatedAt
			}
		}
		res, err := tx.ExecContext(ctx, insertDateSQL, dateArgs(keep, id, kind, pos, d, createdAt, updatedAt)...)
		if err != nil {
			return 0, err
		}
		return res.LastInsertId()
	}
	var birthdayID int64
	if birthday != nil {
		if birthdayID, err = write(birthday, "birthday", 0); err != nil {
			return 0, nil, fmt.Errorf("birthday: %w", err)
		}
	}
	ids := make([]int64, len(dates))
	for i := range dates {
		if ids[i], err = write(&dates[i], "other", i); err != nil {
			return 0, nil, fmt.Errorf("date %d: %w", i+1, err)
		}
	}
	return birthdayID, ids, nil
}
