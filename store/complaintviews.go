package store

import (
	"context"
	"database/sql"
	"fmt"

	"carebook/crm"
)

// ComplaintRows lists the complaints matching q for the complaints screen, newest first (by
// received date, then the latest entered), each with its customer's code and display name
// (remark name when there is one) and its steps (by date, then id). Complaints of archived
// customers are included (Archived tells). It reads in one transaction: one query for the
// complaints joined with their customers, one set-based query for all their steps.
func (s *Store) ComplaintRows(ctx context.Context, q crm.ComplaintQuery) ([]crm.ComplaintRow, error) {
	where, args := complaintWhere(q)
	tx, err := s.readTx(ctx)
	if err != nil {
		return nil, fmt.Errorf("list complaints: %w", err)
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT `+prefixed("c.", complaintColumns)+`,
		u.code, CASE WHEN u.remark <> '' THEN u.remark ELSE u.name END, u.archived_at IS NOT NULL
		FROM complaints c JOIN customers u ON u.id = c.customer_id
		WHERE `+where+` ORDER BY c.received DESC, c.id DESC`, args...)
	if err != nil {
		return nil, fmt.Errorf("list complaints: %w", err)
	}
	defer rows.Close()
	var out []crm.ComplaintRow
	at := map[int64]int{}
	for rows.Next() {
		var r crm.ComplaintRow
		c := &r.Complaint
		var received, channel, category, severity, createdAt, updatedAt string
		var closed sql.NullString
		if err := rows.Scan(&c.ID, &c.CustomerID, &received, &channel, &category, &severity, &c.Description,
			&c.Resolution, &c.Satisfaction, &closed, &createdAt, &updatedAt,
			&r.CustomerCode, &r.CustomerName, &r.Archived); err != nil {
			return nil, fmt.Errorf("list complaints: %w", err)
		}
		if c.Received, err = parseDay([]byte(received)); err != nil {
			return nil, fmt.Errorf("list complaints: complaint %d: %w", c.ID, err)
		}
		if c.Closed, err = parseDate(closed); err != nil {
			return nil, fmt.Errorf("list complaints: complaint %d: %w", c.ID, err)
		}
		c.Channel, c.Category, c.Severity = crm.Channel(channel), crm.ComplaintCategory(category), crm.Severity(severity)
		c.CreatedAt, c.UpdatedAt = parseStamp(createdAt), parseStamp(updatedAt)
		at[c.ID] = len(out)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list complaints: %w", err)
	}
	rows.Close()
	if len(out) == 0 {
		return out, nil
	}
	steps, err := tx.QueryContext(ctx, `SELECT s.complaint_id, s.id, s.step, s.date, s.note
		FROM complaint_steps s JOIN complaints c ON c.id = s.complaint_id
		WHERE `+where+` ORDER BY s.date, s.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("list complaints: steps: %w", err)
	}
	defer steps.Close()
	for steps.Next() {
		var cid int64
		var st crm.ComplaintStep
		var kind, date string
		if err := steps.Scan(&cid, &st.ID, &kind, &date, &st.Note); err != nil {
			return nil, fmt.Errorf("list complaints: steps: %w", err)
		}
		if st.Date, err = parseDay([]byte(date)); err != nil {
			return nil, fmt.Errorf("list complaints: step %d: %w", st.ID, err)
		}
		st.Step = crm.ComplaintStepKind(kind)
		if i, ok := at[cid]; ok {
			out[i].Steps = append(out[i].Steps, st)
		}
	}
	if err := steps.Err(); err != nil {
		return nil, fmt.Errorf("list complaints: steps: %w", err)
	}
	return out, nil
}

// complaintWhere is the WHERE clause (on complaints c) and arguments of q.
func complaintWhere(q crm.ComplaintQuery) (string, []any) {
	where := "1"
	var args []any
	switch q.Status {
	case crm.ComplaintOpen:
		where += " AND c.closed IS NULL"
	case crm.ComplaintClosed:
		where += " AND c.closed IS NOT NULL"
	}
	if q.From != 0 {
		where += " AND c.received >= ?"
		args = append(args, q.From.String())
	}
	if q.To != 0 {
		where += " AND c.received <= ?"
		args = append(args, q.To.String())
	}
	if q.Category != "" {
		where += " AND c.category = ?"
		args = append(args, string(q.Category))
	}
	if q.Severity != "" {
		where += " AND c.severity = ?"
		args = append(args, string(q.Severity))
	}
	return where, args
}
