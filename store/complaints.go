package store

import (
	"context"
	"database/sql"
	"fmt"

	"carebook/crm"
)

const complaintColumns = `id, customer_id, received, channel, category, severity, description, resolution, satisfaction, closed, created_at, updated_at`

const (
	insertComplaintSQL = `INSERT INTO complaints (customer_id, received, channel, category, severity, description,
		resolution, satisfaction, closed, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	updateComplaintSQL = `UPDATE complaints SET customer_id = ?, received = ?, channel = ?, category = ?,
		severity = ?, description = ?, resolution = ?, satisfaction = ?, closed = ?, updated_at = ?
		WHERE id = ? RETURNING created_at`
	insertComplaintStepSQL = `INSERT INTO complaint_steps (complaint_id, step, date, note, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?)`
)

func complaintValues(c *crm.Complaint) []any {
	return []any{c.CustomerID, c.Received.String(), string(c.Channel), string(c.Category), string(c.Severity),
		c.Description, c.Resolution, c.Satisfaction, nullDay(c.Closed)}
}

// SaveComplaint writes complaint c with its steps: a new one when c.ID is 0 (c.ID is then
// assigned), else an update of that complaint (ErrNotFound when there is none) whose steps are
// replaced by c.Steps, in the same transaction (the steps get new IDs). c is normalised
// (crm.NormalizeComplaint: steps by date) in place; an invalid complaint, or one whose customer
// is not in the book (field "customer"), is refused with a crm.Errors (use errors.As) and
// nothing is written.
func (s *Store) SaveComplaint(ctx context.Context, c *crm.Complaint) error {
	crm.NormalizeComplaint(c)
	if errs := crm.ValidateComplaint(c); len(errs) > 0 {
		return fmt.Errorf("save complaint: %w", errs)
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	s.writeMu.keepInsights() // complaints change no classification
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("save complaint: %w", err)
	}
	defer tx.Rollback()
	if _, err := customerArchived(ctx, tx, c.CustomerID); isNoRows(err) {
		return fmt.Errorf("save complaint: %w", missingCustomer())
	} else if err != nil {
		return fmt.Errorf("save complaint: %w", err)
	}
	ts := stamp(s.now())
	id, createdAt := c.ID, ts
	if id == 0 {
		res, err := tx.ExecContext(ctx, insertComplaintSQL, append(complaintValues(c), ts, ts)...)
		if err != nil {
			return fmt.Errorf("save complaint: %w", err)
		}
		if id, err = res.LastInsertId(); err != nil {
			return fmt.Errorf("save complaint: %w", err)
		}
	} else {
		err := tx.QueryRowContext(ctx, updateComplaintSQL, append(complaintValues(c), ts, id)...).Scan(&createdAt)
		if isNoRows(err) {
			return fmt.Errorf("save complaint: %w", notFound("complaint", id))
		}
		if err != nil {
			return fmt.Errorf("save complaint: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM complaint_steps WHERE complaint_id = ?`, id); err != nil {
			return fmt.Errorf("save complaint: %w", err)
		}
	}
	stepIDs := make([]int64, len(c.Steps))
	for i, st := range c.Steps {
		res, err := tx.ExecContext(ctx, insertComplaintStepSQL, id, string(st.Step), st.Date.String(), st.Note, ts, ts)
		if err != nil {
			return fmt.Errorf("save complaint: step %d: %w", i, err)
		}
		if stepIDs[i], err = res.LastInsertId(); err != nil {
			return fmt.Errorf("save complaint: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("save complaint: %w", err)
	}
	c.ID, c.CreatedAt, c.UpdatedAt = id, parseStamp(createdAt), parseStamp(ts)
	for i := range c.Steps {
		c.Steps[i].ID = stepIDs[i]
	}
	return nil
}

// DeleteComplaint deletes complaint id and its steps; ErrNotFound when there is none.
func (s *Store) DeleteComplaint(ctx context.Context, id int64) error {
	if err := s.deleteRow(ctx, "complaints", "complaint", id); err != nil {
		return fmt.Errorf("delete complaint: %w", err)
	}
	return nil
}

// Complaint returns complaint id with its steps; ErrNotFound when there is none.
func (s *Store) Complaint(ctx context.Context, id int64) (*crm.Complaint, error) {
	cs, err := s.loadComplaints(ctx, `c.id = ?`, `c.id`, id)
	if err != nil {
		return nil, fmt.Errorf("load complaint: %w", err)
	}
	if len(cs) == 0 {
		return nil, fmt.Errorf("load complaint: %w", notFound("complaint", id))
	}
	return &cs[0], nil
}

// Complaints returns the complaints of customer id with their steps, newest first (by received
// date, then the latest entered); none when the customer has none or is not in the book.
func (s *Store) Complaints(ctx context.Context, customerID int64) ([]crm.Complaint, error) {
	cs, err := s.loadComplaints(ctx, `c.customer_id = ?`, `c.received DESC, c.id DESC`, customerID)
	if err != nil {
		return nil, fmt.Errorf("load complaints: %w", err)
	}
	return cs, nil
}

// OpenComplaints returns the complaints still open (no closed date) received on or before d,
// with their steps, of the customers in the book (archived ones left out): oldest first (by
// received date, then id). Their deadlines are crm.ComplaintDue's to work out.
func (s *Store) OpenComplaints(ctx context.Context, d crm.Date) ([]crm.Complaint, error) {
	cs, err := s.loadComplaints(ctx, `c.closed IS NULL AND c.received <= ?
		AND (SELECT archived_at IS NULL FROM customers WHERE id = c.customer_id)`, `c.received, c.id`, d.String())
	if err != nil {
		return nil, fmt.Errorf("load open complaints: %w", err)
	}
	return cs, nil
}

// loadComplaints reads the complaints c matching where (args) in order, each with its steps by
// date then id, in one read transaction.
func (s *Store) loadComplaints(ctx context.Context, where, order string, args ...any) ([]crm.Complaint, error) {
	tx, err := s.readTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return readComplaints(ctx, tx, `SELECT `+prefixed("c.", complaintColumns)+` FROM complaints c
		WHERE `+where+` ORDER BY `+order, where, args,
		func(c *crm.Complaint) (*crm.Complaint, []any) { return c, nil })
}

// readComplaints reads, in tx, the rows of query, whose first columns are complaintColumns of
// complaints c, into Ts (one per row: row gives its complaint and the destinations of the
// columns after them), then the steps of every complaint matching where (on c; args are the
// arguments of both) in one query, by date then id.
func readComplaints[T any](ctx context.Context, tx *sql.Tx, query, where string, args []any,
	row func(*T) (*crm.Complaint, []any)) ([]T, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	at := map[int64]int{}
	for rows.Next() {
		var t T
		c, extra := row(&t)
		var received, channel, category, severity, createdAt, updatedAt string
		var closed sql.NullString
		dest := append([]any{&c.ID, &c.CustomerID, &received, &channel, &category, &severity, &c.Description,
			&c.Resolution, &c.Satisfaction, &closed, &createdAt, &updatedAt}, extra...)
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		if c.Received, err = parseDay([]byte(received)); err != nil {
			return nil, fmt.Errorf("complaint %d: %w", c.ID, err)
		}
		if c.Closed, err = parseDate(closed); err != nil {
			return nil, fmt.Errorf("complaint %d: %w", c.ID, err)
		}
		c.Channel, c.Category, c.Severity = crm.Channel(channel), crm.ComplaintCategory(category), crm.Severity(severity)
		c.CreatedAt, c.UpdatedAt = parseStamp(createdAt), parseStamp(updatedAt)
		at[c.ID] = len(out)
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	if len(out) == 0 {
		return out, nil
	}
	steps, err := tx.QueryContext(ctx, `SELECT s.complaint_id, s.id, s.step, s.date, s.note
		FROM complaint_steps s JOIN complaints c ON c.id = s.complaint_id
		WHERE `+where+` ORDER BY s.date, s.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("steps: %w", err)
	}
	defer steps.Close()
	for steps.Next() {
		var cid int64
		var st crm.ComplaintStep
		var kind, date string
		if err := steps.Scan(&cid, &st.ID, &kind, &date, &st.Note); err != nil {
			return nil, fmt.Errorf("steps: %w", err)
		}
		if st.Date, err = parseDay([]byte(date)); err != nil {
			return nil, fmt.Errorf("complaint step %d: %w", st.ID, err)
		}
		st.Step = crm.ComplaintStepKind(kind)
		if i, ok := at[cid]; ok {
			c, _ := row(&out[i])
			c.Steps = append(c.Steps, st)
		}
	}
	if err := steps.Err(); err != nil {
		return nil, fmt.Errorf("steps: %w", err)
	}
	return out, nil
}

// ComplaintSummary sums up the complaints received from `from` to `to` (inclusive; a zero
// bound does not limit), archived customers' included: counts by category and severity (every
// one present, 0 when none), open and closed counts, and the mean days from received to closed.
func (s *Store) ComplaintSummary(ctx context.Context, from, to crm.Date) (crm.ComplaintSummary, error) {
	sum := crm.ComplaintSummary{ByCategory: map[crm.ComplaintCategory]int{}, BySeverity: map[crm.Severity]int{}}
	for _, c := range crm.ComplaintCategories {
		sum.ByCategory[c] = 0
	}
	for _, v := range crm.Severities {
		sum.BySeverity[v] = 0
	}
	q := `SELECT category, severity, count(*), count(closed),
		coalesce(sum(julianday(closed) - julianday(received)), 0) FROM complaints WHERE 1`
	var args []any
	if from != 0 {
		q += ` AND received >= ?`
		args = append(args, from.String())
	}
	if to != 0 {
		q += ` AND received <= ?`
		args = append(args, to.String())
	}
	tx, err := s.readTx(ctx)
	if err != nil {
		return sum, fmt.Errorf("complaint summary: %w", err)
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, q+` GROUP BY category, severity`, args...)
	if err != nil {
		return sum, fmt.Errorf("complaint summary: %w", err)
	}
	defer rows.Close()
	var days float64
	for rows.Next() {
		var category, severity string
		var n, closed int
		var d float64
		if err := rows.Scan(&category, &severity, &n, &closed, &d); err != nil {
			return sum, fmt.Errorf("complaint summary: %w", err)
		}
		sum.ByCategory[crm.ComplaintCategory(category)] += n
		sum.BySeverity[crm.Severity(severity)] += n
		sum.Total += n
		sum.Closed += closed
		days += d
	}
	if err := rows.Err(); err != nil {
		return sum, fmt.Errorf("complaint summary: %w", err)
	}
	sum.Open = sum.Total - sum.Closed
	if sum.Closed > 0 {
		sum.AvgDaysToClose = days / float64(sum.Closed)
	}
	return sum, nil
}
