package store

import (
	"context"
	"database/sql"
	"fmt"

	"carebook/crm"
)

const purchaseColumns = `id, customer_id, date, amount_fen, items, channel, created_at, updated_at`

const (
	insertPurchaseSQL = `INSERT INTO purchases (customer_id, date, amount_fen, items, channel, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`
	updatePurchaseSQL = `UPDATE purchases SET customer_id = ?, date = ?, amount_fen = ?, items = ?, channel = ?,
		updated_at = ? WHERE id = ? RETURNING created_at`
)

// purchaseValues returns the values of the written columns of p, customer_id to channel.
func purchaseValues(p *crm.Purchase) []any {
	return []any{p.CustomerID, p.Date.String(), int64(p.Amount), p.Items, string(p.Channel)}
}

// preparePurchase tidies and validates a purchase the way every write path does.
func preparePurchase(p *crm.Purchase) crm.Errors {
	crm.NormalizePurchase(p)
	return crm.ValidatePurchase(p)
}

// missingCustomer is the field error of a purchase or record whose customer is not in the book.
func missingCustomer() crm.Errors {
	return crm.Errors{{Field: "customer", Key: "err.required"}}
}

// SavePurchase writes purchase p: a new one when p.ID is 0 (p.ID is then assigned), else an
// update of that purchase (ErrNotFound when there is none). p is normalised
// (crm.NormalizePurchase) in place; an invalid purchase, or one whose customer is not in the
// book (field "customer"), is refused with a crm.Errors (use errors.As) and nothing is written.
func (s *Store) SavePurchase(ctx context.Context, p *crm.Purchase) error {
	if errs := preparePurchase(p); len(errs) > 0 {
		return fmt.Errorf("save purchase: %w", errs)
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("save purchase: %w", err)
	}
	defer tx.Rollback()

	if _, err := customerArchived(ctx, tx, p.CustomerID); isNoRows(err) {
		return fmt.Errorf("save purchase: %w", missingCustomer())
	} else if err != nil {
		return fmt.Errorf("save purchase: %w", err)
	}
	ts := stamp(s.now())
	id, createdAt := p.ID, ts
	s.writeMu.touch(p.CustomerID)
	if id == 0 {
		res, err := tx.ExecContext(ctx, insertPurchaseSQL, append(purchaseValues(p), ts, ts)...)
		if err != nil {
			return fmt.Errorf("save purchase: %w", err)
		}
		if id, err = res.LastInsertId(); err != nil {
			return fmt.Errorf("save purchase: %w", err)
		}
	} else {
		// The customer it had changes too when the purchase moves to another.
		var was int64
		err := tx.QueryRowContext(ctx, `SELECT customer_id FROM purchases WHERE id = ?`, id).Scan(&was)
		if isNoRows(err) {
			return fmt.Errorf("save purchase: %w", notFound("purchase", id))
		}
		if err != nil {
			return fmt.Errorf("save purchase: %w", err)
		}
		s.writeMu.touch(was)
		if err := tx.QueryRowContext(ctx, updatePurchaseSQL, append(purchaseValues(p), ts, id)...).Scan(&createdAt); err != nil {
			return fmt.Errorf("save purchase: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("save purchase: %w", err)
	}
	p.ID, p.CreatedAt, p.UpdatedAt = id, parseStamp(createdAt), parseStamp(ts)
	return nil
}

// DeletePurchase deletes purchase id; ErrNotFound when there is none.
func (s *Store) DeletePurchase(ctx context.Context, id int64) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("delete purchase: %w", err)
	}
	defer tx.Rollback()
	var customerID int64
	err = tx.QueryRowContext(ctx, `DELETE FROM purchases WHERE id = ? RETURNING customer_id`, id).Scan(&customerID)
	if isNoRows(err) {
		return fmt.Errorf("delete purchase: %w", notFound("purchase", id))
	}
	if err != nil {
		return fmt.Errorf("delete purchase: %w", err)
	}
	s.writeMu.touch(customerID)
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("delete purchase: %w", err)
	}
	return nil
}

// Purchases returns the purchases of customer id, newest first (by date, then the latest
// entered); none when the customer has none or is not in the book.
func (s *Store) Purchases(ctx context.Context, customerID int64) ([]crm.Purchase, error) {
	tx, err := s.readTx(ctx)
	if err != nil {
		return nil, fmt.Errorf("load purchases: %w", err)
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT `+purchaseColumns+` FROM purchases
		WHERE customer_id = ? ORDER BY date DESC, id DESC`, customerID)
	if err != nil {
		return nil, fmt.Errorf("load purchases: %w", err)
	}
	defer rows.Close()
	var out []crm.Purchase
	var sc purchaseScanner
	for rows.Next() {
		var p crm.Purchase
		if err := sc.scan(rows, &p); err != nil {
			return nil, fmt.Errorf("load purchases: %w", err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load purchases: %w", err)
	}
	return out, nil
}

// purchaseScanner reads rows of purchaseColumns (then extra columns) reusing its buffers.
type purchaseScanner struct {
	date, channel, createdAt, updatedAt sql.RawBytes
	amount                              int64
	dest                                []any
	createdStamp, updatedStamp          stampCache
}

// scan reads the current row of rows into p, and the columns after purchaseColumns into extra.
func (sc *purchaseScanner) scan(rows *sql.Rows, p *crm.Purchase, extra ...any) error {
	sc.dest = append(sc.dest[:0], &p.ID, &p.CustomerID, &sc.date, &sc.amount, &p.Items, &sc.channel,
		&sc.createdAt, &sc.updatedAt)
	if err := rows.Scan(append(sc.dest, extra...)...); err != nil {
		return err
	}
	var err error
	if p.Date, err = parseDay(sc.date); err != nil {
		return fmt.Errorf("purchase %d: %w", p.ID, err)
	}
	p.Amount = crm.Money(sc.amount)
	p.Channel = saleChannel(sc.channel)
	p.CreatedAt, p.UpdatedAt = sc.createdStamp.parse(sc.createdAt), sc.updatedStamp.parse(sc.updatedAt)
	return nil
}

// saleChannel returns the crm constant spelt b (without allocating for the known ones).
func saleChannel(b []byte) crm.SaleChannel {
	for _, c := range crm.SaleChannels {
		if string(c) == string(b) {
			return c
		}
	}
	return crm.SaleChannel(b)
}

// InsertPurchases adds new purchases in bulk (the demo generator, imports): one transaction,
// all or nothing. Each purchase is normalised in place and validated; the first invalid one, one
// with an ID, or one whose customer is not in the book fails the whole batch with a *RowError.
// On success ps[i].ID and the timestamps are set. The rows are written by date (equal dates in
// the order given), so the IDs follow the dates: see chronological.
func (s *Store) InsertPurchases(ctx context.Context, ps []crm.Purchase) error {
	for i := range ps {
		if ps[i].ID != 0 {
			return fmt.Errorf("insert purchases: %w",
				&RowError{Row: i, Err: fmt.Errorf("purchase %d is already in a book", ps[i].ID)})
		}
		if errs := preparePurchase(&ps[i]); len(errs) > 0 {
			return fmt.Errorf("insert purchases: %w", &RowError{Row: i, Err: errs})
		}
	}
	if len(ps) == 0 {
		return nil
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	ids := make([]int64, len(ps))
	ts := stamp(s.now())
	dates := make([]crm.Date, len(ps))
	for i := range ps {
		dates[i] = ps[i].Date
	}
	err := s.bulk(ctx, insertPurchaseSQL, func(ctx context.Context, st *bulkStmt) error {
		for i := range ps {
			if err := st.customer(ctx, ps[i].CustomerID); err != nil {
				return &RowError{Row: i, Err: err}
			}
		}
		// The planner's summary is refreshed once per customer at the end, not per row.
		resume, err := suspendTrigger(ctx, st.tx, "plan_purchase_insert")
		if err != nil {
			return err
		}
		for _, i := range chronological(dates) {
			if ids[i], err = st.insert(ctx, append(purchaseValues(&ps[i]), ts, ts)...); err != nil {
				return &RowError{Row: i, Err: err}
			}
		}
		if resume == "" {
			return nil
		}
		cs := distinctCustomers(len(ps), func(i int) int64 { return ps[i].CustomerID })
		if err := refreshPlanState(ctx, st.tx, cs, false, true); err != nil {
			return err
		}
		_, err = st.tx.ExecContext(ctx, resume)
		return err
	})
	if err != nil {
		return fmt.Errorf("insert purchases: %w", err)
	}
	at := parseStamp(ts)
	for i := range ps {
		ps[i].ID, ps[i].CreatedAt, ps[i].UpdatedAt = ids[i], at, at
	}
	return nil
}
