package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"carebook/crm"
)

// Plan answers the daily 3 questions for day d with the book's plan settings.
func (s *Store) Plan(ctx context.Context, d crm.Date) (crm.Plan, error) {
	ps, err := s.PlanSettings(ctx)
	if err != nil {
		return crm.Plan{}, err
	}
	in, err := s.PlanInput(ctx, d, ps)
	if err != nil {
		return crm.Plan{}, err
	}
	return crm.PlanDay(d, ps, in), nil
}

// PlanInput loads, in one read transaction and a few set-based queries, what the plan of d needs
// (see crm.PlanInput): the customers that can have an item on d — from plan_state, whose rows
// are right as of today; a customer with anything dated after d is summed up again as of d —,
// the purchases of the routine window, the routine, greeting and recall records of the record
// window, the important dates of the lead window and the snoozes still running.
func (s *Store) PlanInput(ctx context.Context, d crm.Date, ps crm.PlanSettings) (*crm.PlanInput, error) {
	if d.IsZero() {
		return nil, fmt.Errorf("plan: no day")
	}
	tx, err := s.readTx(ctx)
	if err != nil {
		return nil, fmt.Errorf("plan: %w", err)
	}
	defer tx.Rollback()
	in, err := loadPlanInput(ctx, tx, d, ps)
	if err != nil {
		return nil, fmt.Errorf("plan %s: %w", d, err)
	}
	return in, nil
}

func loadPlanInput(ctx context.Context, tx *sql.Tx, d crm.Date, ps crm.PlanSettings) (*crm.PlanInput, error) {
	in := &crm.PlanInput{}
	day, next := d.String(), d.AddDays(1).String()

	// Purchases of the routine window.
	pf, pt := ps.PurchaseWindow(d)
	if pf <= pt {
		rows, err := tx.QueryContext(ctx, `SELECT id, customer_id, date FROM purchases WHERE date BETWEEN ? AND ?`,
			pf.String(), pt.String())
		if err != nil {
			return nil, err
		}
		err = eachRow(rows, func() error {
			var p crm.PlanPurchase
			var date sql.RawBytes
			if err := rows.Scan(&p.ID, &p.CustomerID, &date); err != nil {
				return err
			}
			if p.Date, err = parseDay(date); err != nil {
				return err
			}
			in.Purchases = append(in.Purchases, p)
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("purchases: %w", err)
		}
	}

	// Routine records that can close a routine step, greeting records that can close a greeting:
	// the day as a Unix day number, so that no text is read.
	rf, _ := ps.RecordWindow(d)
	for _, w := range []struct {
		kind crm.RecordKind
		from crm.Date
	}{{crm.KindRoutine, rf}, {crm.KindGreeting, d.AddDays(-ps.LeadDays)}} {
		rows, err := tx.QueryContext(ctx, `SELECT customer_id, unixepoch(substr(at, 1, 10)) / 86400 FROM records
			WHERE kind = ? AND at >= ? AND at < ?`, string(w.kind), w.from.String(), next)
		if err != nil {
			return nil, err
		}
		err = eachRow(rows, func() error {
			r := crm.PlanRecord{Kind: w.kind}
			var day int64
			if err := rows.Scan(&r.CustomerID, &day); err != nil {
				return err
			}
			r.Date = unixDay + crm.Date(day)
			in.Records = append(in.Records, r)
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("records: %w", err)
		}
	}

	// Important dates whose month the lead window touches, in either calendar.
	keyDates, err := loadWindowKeyDates(ctx, tx, ps, d)
	if err != nil {
		return nil, fmt.Errorf("important dates: %w", err)
	}

	// The customers: every one that may have an item.
	customers, err := loadPlanCustomers(ctx, tx, d, ps)
	if err != nil {
		return nil, fmt.Errorf("customers: %w", err)
	}
	for i := range customers {
		c := &customers[i]
		for _, k := range keyDates[c.ID] {
			if k.Label == "" && k.ID < 0 { // the birthday (see loadWindowKeyDates)
				b := k
				b.ID = -b.ID
				c.Birthday = &b
			} else {
				c.Dates = append(c.Dates, k)
			}
		}
	}
	in.Customers = customers

	// Snoozes still running on d.
	rows, err := tx.QueryContext(ctx, `SELECT customer_id, reason, ref, until FROM snoozes WHERE until > ?`, day)
	if err != nil {
		return nil, err
	}
	err = eachRow(rows, func() error {
		var z crm.Snooze
		var reason, until string
		if err := rows.Scan(&z.CustomerID, &reason, &z.Ref, &until); err != nil {
			return err
		}
		z.Reason = crm.Reason(reason)
		var err error
		z.Until, err = crm.ParseDate(until)
		in.Snoozes = append(in.Snoozes, z)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("snoozes: %w", err)
	}
	return in, nil
}

// eachRow calls fn for every row and closes rows.
func eachRow(rows *sql.Rows, fn func() error) error {
	defer rows.Close()
	for rows.Next() {
		if err := fn(); err != nil {
			return err
		}
	}
	return rows.Err()
}

// loadWindowKeyDates returns, by customer, the important dates that may occur in the lead window
// of d: solar ones of the solar months the window touches, lunar ones of the lunar month numbers
// its days fall in (crm decides exactly). A birthday comes back with its ID negated (and no
// label), so that it can be told from the other dates.
func loadWindowKeyDates(ctx context.Context, tx *sql.Tx, ps crm.PlanSettings, d crm.Date) (map[int64][]crm.KeyDate, error) {
	solar, lunar := windowMonths(ps, d)
	rows, err := tx.QueryContext(ctx, `SELECT id, customer_id, kind, label, calendar, coalesce(year, 0), month, day, leap
		FROM important_dates WHERE calendar = 'solar' AND month IN (`+solar+`)
		UNION ALL
		SELECT id, customer_id, kind, label, calendar, coalesce(year, 0), month, day, leap
		FROM important_dates WHERE calendar = 'lunar' AND month IN (`+lunar+`)`)
	if err != nil {
		return nil, err
	}
	out := map[int64][]crm.KeyDate{}
	err = eachRow(rows, func() error {
		var k crm.KeyDate
		var cust int64
		var kind, cal string
		if err := rows.Scan(&k.ID, &cust, &kind, &k.Label, &cal, &k.Year, &k.Month, &k.Day, &k.Leap); err != nil {
			return err
		}
		k.Calendar = crm.Calendar(cal)
		if kind == "birthday" {
			k.ID, k.Label = -k.ID, ""
		}
		out[cust] = append(out[cust], k)
		return nil
	})
	return out, err
}

// windowMonths lists, as SQL lists, the solar months and the lunar month numbers that the lead
// window of d touches: the important dates that may occur in it are among those of these months.
func windowMonths(ps crm.PlanSettings, d crm.Date) (solar, lunar string) {
	from, to := ps.KeyDateWindow(d)
	sm, lm := map[int]bool{}, map[int]bool{}
	for x := from; x <= to; x++ {
		_, m, _ := x.YMD()
		sm[int(m)] = true
		if l, err := crm.SolarToLunar(x); err == nil {
			lm[l.Month] = true
		}
	}
	list := func(m map[int]bool) string {
		var parts []string
		for _, k := range slices.Sorted(maps.Keys(m)) {
			parts = append(parts, strconv.Itoa(k))
		}
		if len(parts) == 0 {
			return "0"
		}
		return strings.Join(parts, ",")
	}
	return list(sm), list(lm)
}

// planCustomerColumns are read for every customer of the plan; the last six are its history as
// kept in plan_state (right as of today). Days are Unix day numbers, last_at Unix seconds.
const planCustomerColumns = `p.customer_id, p.code, p.name, p.remark, p.gender, p.tier, p.dnd, p.created,
	p.last_at, p.last_id, p.last_next, p.last_next_step, p.last_recall, p.last_purchase`

// unixDayOf returns d as a Unix day number, as plan_state keeps days.
func unixDayOf(d crm.Date) int64 { return int64(d - unixDay) }

// loadPlanCustomers reads the customers (not archived, created on or before d) that may have an
// item on d: a follow-up, cadence or recall falling due by plan_state, a purchase in the routine
// window or an important date in a month of the lead window, everyone
// on a holiday, and every customer with something dated after d, whose history is then summed
// up again as of d.
func loadPlanCustomers(ctx context.Context, tx *sql.Tx, d crm.Date, ps crm.PlanSettings) ([]crm.PlanCustomer, error) {
	day := unixDayOf(d)
	pf, pt := ps.PurchaseWindow(d)
	args := []any{sql.Named("day", day), sql.Named("nextSec", (day+1)*86400),
		sql.Named("pf", pf.String()), sql.Named("pt", pt.String())}
	var conds []string
	if len(crm.HolidaysOn(d, ps.Holidays)) > 0 {
		conds = append(conds, "1") // a holiday: everyone
	} else {
		// Follow-up.
		conds = append(conds, "p.last_next <= :day")
		// Cadence, tier by tier: (latest record's day, else created) + cadence ≤ d.
		for i, t := range crm.Tiers {
			if cad := ps.Cadence[t]; cad > 0 {
				n := fmt.Sprintf("cad%d", i)
				conds = append(conds, fmt.Sprintf("(p.tier = %d AND coalesce(p.last_at / 86400, p.created) <= :%s)", t.Rank(), n))
				args = append(args, sql.Named(n, day-int64(cad)))
			}
		}
		// Recall: dormant or worse, and the last recall long enough ago.
		conds = append(conds, `(p.last_purchase <= :recallBuy AND p.tier <= 2
			AND (p.last_recall IS NULL OR p.last_recall <= :recallAgain))`)
		args = append(args, sql.Named("recallBuy", day-int64(ps.RecallAfter())),
			sql.Named("recallAgain", day-int64(ps.RecallRepeat)))
		// A purchase or an important date in the windows.
		solar, lunar := windowMonths(ps, d)
		conds = append(conds, `p.customer_id IN (SELECT customer_id FROM purchases WHERE date BETWEEN :pf AND :pt)`,
			`p.customer_id IN (SELECT customer_id FROM important_dates WHERE calendar = 'solar' AND month IN (`+solar+`)
				UNION ALL SELECT customer_id FROM important_dates WHERE calendar = 'lunar' AND month IN (`+lunar+`))`)
	}
	// Anything dated after d: summed up again below.
	stale := "(p.last_at >= :nextSec OR p.last_purchase > :day OR p.last_recall > :day)"
	conds = append(conds, stale)
	q := `SELECT ` + planCustomerColumns + `, coalesce(` + stale + `, 0)
		FROM plan_state p
		WHERE p.archived = 0 AND p.created <= :day AND (` + strings.Join(conds, " OR ") + `)`
	// Room for every customer up front: growing a slice of 90,000 cards costs more than this.
	var most int64
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(customer_id), 0) FROM plan_state`).Scan(&most); err != nil {
		return nil, err
	}
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	out := make([]crm.PlanCustomer, 0, min(most, 1<<22))
	var staleIDs []int64
	err = eachRow(rows, func() error {
		var c crm.PlanCustomer
		var isStale bool
		if err := scanPlanCustomer(rows, &c, &isStale); err != nil {
			return err
		}
		if isStale {
			staleIDs = append(staleIDs, c.ID)
		}
		out = append(out, c)
		return nil
	})
	if err != nil || len(staleIDs) == 0 {
		return out, err
	}
	asOf, err := historyAsOf(ctx, tx, d, staleIDs)
	if err != nil {
		return nil, err
	}
	for i := range out {
		if h, ok := asOf[out[i].ID]; ok {
			c := &out[i]
			c.LastRecordAt, c.LastRecordID, c.NextDate, c.NextStep = h.LastRecordAt, h.LastRecordID, h.NextDate, h.NextStep
			c.LastRecall, c.LastPurchase = h.LastRecall, h.LastPurchase
		}
	}
	return out, nil
}

type scanner interface{ Scan(dest ...any) error }

// planTiers and planGenders decode plan_state's tier rank and gender code.
var (
	planTiers   = [...]crm.Tier{crm.TierVIP, crm.TierMajor, crm.TierOrdinary, crm.TierSmall}
	planGenders = [...]crm.Gender{crm.GenderUnknown, crm.GenderMale, crm.GenderFemale}
)

// scanPlanCustomer reads planCustomerColumns (and, when more is given, what follows).
func scanPlanCustomer(r scanner, c *crm.PlanCustomer, more ...any) error {
	var gender, tier, created int64
	var h planHistory
	dest := append([]any{&c.ID, &c.Code, &c.Name, &c.Remark, &gender, &tier, &c.DoNotDisturb, &created,
		&h.at, &h.id, &h.next, &h.step, &h.recall, &h.purchase}, more...)
	if err := r.Scan(dest...); err != nil {
		return err
	}
	if tier < 0 || tier >= int64(len(planTiers)) || gender < 0 || gender >= int64(len(planGenders)) {
		return fmt.Errorf("customer %d: tier %d, gender %d in plan_state", c.ID, tier, gender)
	}
	c.Tier, c.Gender = planTiers[tier], planGenders[gender]
	c.Created = unixDay + crm.Date(created)
	h.set(c)
	return nil
}

// planHistory is a customer's history as plan_state keeps it.
type planHistory struct {
	at, id, next, recall, purchase sql.NullInt64
	step                           sql.NullString
}

// set fills the history fields of c.
func (h *planHistory) set(c *crm.PlanCustomer) {
	day := func(v sql.NullInt64) crm.Date {
		if !v.Valid {
			return 0
		}
		return unixDay + crm.Date(v.Int64)
	}
	c.LastRecordAt, c.LastRecordID, c.NextStep = time.Time{}, h.id.Int64, h.step.String
	if h.at.Valid {
		c.LastRecordAt = time.Unix(h.at.Int64, 0).UTC()
	}
	c.NextDate, c.LastRecall, c.LastPurchase = day(h.next), day(h.recall), day(h.purchase)
}

// historyAsOf sums up the history of customers ids as of the end of d, in one statement, encoded
// as plan_state encodes it.
func historyAsOf(ctx context.Context, tx *sql.Tx, d crm.Date, ids []int64) (map[int64]crm.PlanCustomer, error) {
	idsJSON, err := json.Marshal(ids)
	if err != nil {
		return nil, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT j.value, unixepoch(r.at), r.id, unixepoch(r.next_date) / 86400, r.next_step,
		(SELECT unixepoch(substr(max(at), 1, 10)) / 86400 FROM records WHERE customer_id = j.value AND kind = 'recall' AND at < :next),
		(SELECT unixepoch(max(date)) / 86400 FROM purchases WHERE customer_id = j.value AND date <= :day)
		FROM json_each(:ids) j
		LEFT JOIN records r ON r.id = (SELECT id FROM records WHERE customer_id = j.value AND at < :next
			ORDER BY at DESC, id DESC LIMIT 1)`,
		sql.Named("ids", string(idsJSON)), sql.Named("day", d.String()), sql.Named("next", d.AddDays(1).String()))
	if err != nil {
		return nil, err
	}
	out := make(map[int64]crm.PlanCustomer, len(ids))
	err = eachRow(rows, func() error {
		var c crm.PlanCustomer
		var h planHistory
		if err := rows.Scan(&c.ID, &h.at, &h.id, &h.next, &h.step, &h.recall, &h.purchase); err != nil {
			return err
		}
		h.set(&c)
		out[c.ID] = c
		return nil
	})
	return out, err
}

// refreshPlanState sums up again the history of customers ids in plan_state (after a bulk
// insert that suspended the triggers): their latest record and recall when records, their
// latest purchase when purchases.
func refreshPlanState(ctx context.Context, tx *sql.Tx, ids []int64, records, purchases bool) error {
	if len(ids) == 0 {
		return nil
	}
	idsJSON, err := json.Marshal(ids)
	if err != nil {
		return err
	}
	var sets []string
	if records {
		sets = append(sets, `(last_at, last_id, last_next, last_next_step) = (SELECT unixepoch(at), id,
			unixepoch(next_date) / 86400, next_step
			FROM records WHERE customer_id = plan_state.customer_id ORDER BY at DESC, id DESC LIMIT 1)`,
			`last_recall = (SELECT unixepoch(substr(max(at), 1, 10)) / 86400 FROM records
			WHERE customer_id = plan_state.customer_id AND kind = 'recall')`)
	}
	if purchases {
		sets = append(sets, `last_purchase = (SELECT unixepoch(max(date)) / 86400 FROM purchases
			WHERE customer_id = plan_state.customer_id)`)
	}
	_, err = tx.ExecContext(ctx, `UPDATE plan_state SET `+strings.Join(sets, ", ")+`
		WHERE customer_id IN (SELECT value FROM json_each(?))`, string(idsJSON))
	if err != nil {
		return fmt.Errorf("refresh plan state: %w", err)
	}
	return nil
}

// distinctCustomers returns the distinct values of id(i) for i < n.
func distinctCustomers(n int, id func(int) int64) []int64 {
	seen := make(map[int64]bool)
	var out []int64
	for i := range n {
		if c := id(i); !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	return out
}

// PlanSettings returns the planner's settings (defaults where unset or unreadable).
func (s *Store) PlanSettings(ctx context.Context) (crm.PlanSettings, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT key, value FROM settings WHERE key LIKE 'plan.%'`)
	if err != nil {
		return crm.PlanSettings{}, fmt.Errorf("read plan settings: %w", err)
	}
	v := map[string]string{}
	err = eachRow(rows, func() error {
		var k, val string
		if err := rows.Scan(&k, &val); err != nil {
			return err
		}
		v[k] = val
		return nil
	})
	if err != nil {
		return crm.PlanSettings{}, fmt.Errorf("read plan settings: %w", err)
	}
	return crm.ParsePlanSettings(v), nil
}

// SetPlanSettings validates and stores the planner's settings in one transaction. Invalid
// settings are refused with their crm.Errors and nothing is written.
func (s *Store) SetPlanSettings(ctx context.Context, ps crm.PlanSettings) error {
	if es := ps.Validate(); len(es) > 0 {
		return fmt.Errorf("save plan settings: %w", es)
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("save plan settings: %w", err)
	}
	defer tx.Rollback()
	ts := stamp(s.now())
	for k, v := range ps.Values() {
		if _, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value, created_at, updated_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
			WHERE value <> excluded.value`, k, v, ts, ts); err != nil {
			return fmt.Errorf("save plan settings: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("save plan settings: %w", err)
	}
	return nil
}

// Snooze puts a plan item off until a later day (replacing an earlier snooze of the same item).
func (s *Store) Snooze(ctx context.Context, z crm.Snooze) error {
	if z.Until.IsZero() || z.Reason == "" {
		return fmt.Errorf("snooze: %w", crm.Errors{{Field: "until", Key: "err.required"}})
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("snooze: %w", err)
	}
	defer tx.Rollback()
	if _, err := customerArchived(ctx, tx, z.CustomerID); isNoRows(err) {
		return fmt.Errorf("snooze: %w", missingCustomer())
	} else if err != nil {
		return fmt.Errorf("snooze: %w", err)
	}
	ts := stamp(s.now())
	if _, err := tx.ExecContext(ctx, `INSERT INTO snoozes (customer_id, reason, ref, until, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (customer_id, reason, ref) DO UPDATE SET until = excluded.until,
		updated_at = excluded.updated_at`, z.CustomerID, string(z.Reason), z.Ref, z.Until.String(), ts, ts); err != nil {
		return fmt.Errorf("snooze: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("snooze: %w", err)
	}
	return nil
}

// SaveRecords saves several new records in one transaction, all or none (a holiday's bulk
// "greeted"). Each is normalised and validated first; the first invalid one is refused with its
// crm.Errors and nothing is written. On success their IDs and timestamps are set.
func (s *Store) SaveRecords(ctx context.Context, rs []crm.Record) error {
	for i := range rs {
		if rs[i].ID != 0 {
			return fmt.Errorf("save records: record %d is already in the book", rs[i].ID)
		}
		if errs := prepareRecord(&rs[i]); len(errs) > 0 {
			return fmt.Errorf("save records: %w", errs)
		}
	}
	if len(rs) == 0 {
		return nil
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	base := s.changeRecords()
	deltas, err := s.saveRecords(ctx, rs)
	s.changedRecords(base, deltas)
	if err != nil {
		return fmt.Errorf("save records: %w", err)
	}
	return nil
}

func (s *Store) saveRecords(ctx context.Context, rs []crm.Record) ([]countDelta, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return noChange, err
	}
	defer tx.Rollback()
	ins, err := tx.PrepareContext(ctx, insertRecordSQL)
	if err != nil {
		return noChange, err
	}
	defer ins.Close()
	ts := stamp(s.now())
	ids := make([]int64, len(rs))
	deltas := make([]countDelta, 0, len(rs))
	for i := range rs {
		archived, err := customerArchived(ctx, tx, rs[i].CustomerID)
		if isNoRows(err) {
			return noChange, missingCustomer()
		} else if err != nil {
			return noChange, err
		}
		vals := recordValues(&rs[i])
		res, err := ins.ExecContext(ctx, append(vals, ts, ts)...)
		if err != nil {
			return noChange, err
		}
		if ids[i], err = res.LastInsertId(); err != nil {
			return noChange, err
		}
		day, cell, err := recordCell(vals[1].(string), rs[i].Kind, rs[i].Channel)
		if err != nil {
			return noChange, err
		}
		deltas = append(deltas, countDelta{date: day, cell: cell, archived: archived, n: 1})
	}
	if err := tx.Commit(); err != nil {
		return nil, err // unknown outcome
	}
	at := parseStamp(ts)
	for i := range rs {
		rs[i].ID, rs[i].At, rs[i].CreatedAt, rs[i].UpdatedAt = ids[i], wallClock(rs[i].At), at, at
	}
	return deltas, nil
}

// Templates returns the message templates the user changed, by key, for language lang.
func (s *Store) Templates(ctx context.Context, lang string) (map[string]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT reason, body FROM templates WHERE lang = ? AND name = ''`, lang)
	if err != nil {
		return nil, fmt.Errorf("read templates: %w", err)
	}
	out := map[string]string{}
	err = eachRow(rows, func() error {
		var k, b string
		if err := rows.Scan(&k, &b); err != nil {
			return err
		}
		out[k] = b
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read templates: %w", err)
	}
	return out, nil
}

// MaxTemplate is the longest message template, in runes.
const MaxTemplate = 2000

// SetTemplate stores the user's template for key in language lang; an empty body restores the
// default (deletes the row).
func (s *Store) SetTemplate(ctx context.Context, lang, key, body string) error {
	if !slices.Contains(crm.TemplateKeys, key) || lang == "" {
		return fmt.Errorf("save template: unknown template %q (%q)", key, lang)
	}
	body = strings.TrimSpace(strings.ReplaceAll(body, "\r\n", "\n"))
	if n := len([]rune(body)); n > MaxTemplate {
		return fmt.Errorf("save template: %w", crm.Errors{{Field: "template", Key: "err.too_long", Args: map[string]any{"Max": MaxTemplate}}})
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("save template: %w", err)
	}
	defer tx.Rollback()
	if body == "" {
		_, err = tx.ExecContext(ctx, `DELETE FROM templates WHERE reason = ? AND lang = ? AND name = ''`, key, lang)
	} else {
		ts := stamp(s.now())
		_, err = tx.ExecContext(ctx, `INSERT INTO templates (reason, lang, name, body, created_at, updated_at)
			VALUES (?, ?, '', ?, ?, ?) ON CONFLICT (reason, lang, name) DO UPDATE SET body = excluded.body,
			updated_at = excluded.updated_at`, key, lang, body, ts, ts)
	}
	if err != nil {
		return fmt.Errorf("save template: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("save template: %w", err)
	}
	return nil
}
