package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"carebook/assets"
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
// (see crm.PlanInput): the customers that can have an item on d — read from plan_state, whose
// rows are right as of today; a customer with anything dated after d is summed up again as of d —,
// the purchases of the routine window, the routine, greeting and recall records of the record
// window, the snoozes still running, the service appointments and complaints open on d with the
// working-day calendar of their deadlines (the book's: the official one, assets.CNWorkdays, with
// the user's own days), and the events whose invite window is open on d with what their
// audiences look at (tags; stage and segment from the book's classification of d). A
// customer's Birthday and Dates are those of the card that may occur in the lead window (the
// others cannot make an item on d).
func (s *Store) PlanInput(ctx context.Context, d crm.Date, ps crm.PlanSettings) (*crm.PlanInput, error) {
	if d.IsZero() {
		return nil, fmt.Errorf("plan: no day")
	}
	// One connection, whose transaction the rows read through its driver (rawQuery) are read in.
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("plan: %w", err)
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("plan: %w", err)
	}
	defer tx.Rollback()
	in, needs, err := loadPlanInput(ctx, conn, d, ps)
	if err != nil {
		return nil, fmt.Errorf("plan %s: %w", d, err)
	}
	if needs.class {
		if err := s.classifyAudience(ctx, d, in); err != nil {
			return nil, fmt.Errorf("plan %s: audience: %w", d, err)
		}
	}
	return in, nil
}

func loadPlanInput(ctx context.Context, conn *sql.Conn, d crm.Date, ps crm.PlanSettings) (*crm.PlanInput, inviteNeeds, error) {
	in := &crm.PlanInput{}
	var needs inviteNeeds
	var most int64 // the greatest customer ID
	err := rawQuery(ctx, conn, `SELECT coalesce(max(customer_id), 0) FROM plan_state`, nil, func(v []driver.Value) error {
		most = rawInt(v[0])
		return nil
	})
	if err != nil {
		return nil, needs, err
	}
	f := newPlanFilter(d, ps, most)
	next := d.AddDays(1).String()

	// Purchases of the routine window (all dated on or before d): their customers may have a
	// routine item.
	pf, pt := ps.PurchaseWindow(d)
	if pf <= pt {
		err := rawQuery(ctx, conn, `SELECT id, customer_id, date FROM purchases WHERE date BETWEEN ? AND ?`,
			[]any{pf.String(), pt.String()}, func(v []driver.Value) error {
				day, err := storedDay(v[2])
				if err != nil {
					return err
				}
				p := crm.PlanPurchase{ID: rawInt(v[0]), CustomerID: rawInt(v[1]), Date: day}
				in.Purchases = append(in.Purchases, p)
				f.addExtra(p.CustomerID).buying = true
				return nil
			})
		if err != nil {
			return nil, needs, fmt.Errorf("purchases: %w", err)
		}
	}

	// The routine, greeting and recall records of the record window: through the sheet's index,
	// which holds what is read (through records_kind_at each costs a lookup in the table).
	rf, _ := ps.RecordWindow(d)
	kinds := [...]crm.RecordKind{crm.KindRoutine, crm.KindGreeting, crm.KindRecall}
	err = rawQuery(ctx, conn, `SELECT customer_id, CASE kind WHEN 'routine' THEN 0 WHEN 'greeting' THEN 1 ELSE 2 END, at
		FROM records INDEXED BY records_sheet WHERE kind IN ('routine', 'greeting', 'recall') AND at >= ? AND at < ?`,
		[]any{rf.String(), next}, func(v []driver.Value) error {
			day, err := storedDay(v[2])
			if err != nil {
				return err
			}
			in.Records = append(in.Records, crm.PlanRecord{CustomerID: rawInt(v[0]), Kind: kinds[rawInt(v[1])], Date: day})
			return nil
		})
	if err != nil {
		return nil, needs, fmt.Errorf("records: %w", err)
	}

	// The important dates that may occur in the lead window.
	if err := loadWindowKeyDates(ctx, conn, f); err != nil {
		return nil, needs, fmt.Errorf("important dates: %w", err)
	}

	// The Serve question: the service appointments and complaints open on d; their customers
	// have an item.
	if err := loadServe(ctx, conn, d, in, f); err != nil {
		return nil, needs, err
	}

	// The Invite question: the events whose invite window is open on d.
	if needs, err = loadInvite(ctx, conn, d, in, f); err != nil {
		return nil, needs, fmt.Errorf("events: %w", err)
	}

	// The customers.
	if in.Customers, err = loadPlanCustomers(ctx, conn, f, most); err != nil {
		return nil, needs, fmt.Errorf("customers: %w", err)
	}
	if err := loadAudienceTags(ctx, conn, needs.tags, in); err != nil {
		return nil, needs, fmt.Errorf("tags: %w", err)
	}

	// Snoozes still running on d.
	err = rawQuery(ctx, conn, `SELECT customer_id, reason, ref, until FROM snoozes WHERE until > ?`,
		[]any{d.String()}, func(v []driver.Value) error {
			until, err := storedDay(v[3])
			if err != nil {
				return err
			}
			reason, _ := v[1].(string)
			ref, _ := v[2].(string)
			in.Snoozes = append(in.Snoozes, crm.Snooze{CustomerID: rawInt(v[0]), Reason: crm.Reason(reason), Ref: ref, Until: until})
			return nil
		})
	if err != nil {
		return nil, needs, fmt.Errorf("snoozes: %w", err)
	}
	return in, needs, nil
}

// loadServe reads into in the service appointments and complaints open on d (dated or received
// on or before d, not done or closed on or before d), each complaint with the day of its latest
// step on or before d, and the working-day calendar of the deadlines; it marks their customers
// in f.
func loadServe(ctx context.Context, conn *sql.Conn, d crm.Date, in *crm.PlanInput, f *planFilter) error {
	day := d.String()
	optDay := func(v driver.Value) (crm.Date, error) {
		if v == nil {
			return 0, nil
		}
		return storedDay(v)
	}
	err := rawQuery(ctx, conn, `SELECT id, customer_id, date, kind, title, done_date FROM services
		WHERE date <= ? AND (status = 'open' OR done_date > ?)`, []any{day, day}, func(v []driver.Value) error {
		date, err := storedDay(v[2])
		if err != nil {
			return err
		}
		done, err := optDay(v[5])
		if err != nil {
			return err
		}
		kind, _ := v[3].(string)
		title, _ := v[4].(string)
		sv := crm.PlanService{ID: rawInt(v[0]), CustomerID: rawInt(v[1]), Date: date, Kind: crm.ServiceKind(kind),
			Title: title, Done: done}
		in.Services = append(in.Services, sv)
		f.addExtra(sv.CustomerID)
		return nil
	})
	if err != nil {
		return fmt.Errorf("services: %w", err)
	}
	err = rawQuery(ctx, conn, `SELECT c.id, c.customer_id, c.received, c.severity, c.description, c.closed,
		(SELECT max(date) FROM complaint_steps WHERE complaint_id = c.id AND date <= ?)
		FROM complaints c WHERE c.received <= ? AND (c.closed IS NULL OR c.closed > ?)`,
		[]any{day, day, day}, func(v []driver.Value) error {
			received, err := storedDay(v[2])
			if err != nil {
				return err
			}
			closed, err := optDay(v[5])
			if err != nil {
				return err
			}
			latest, err := optDay(v[6])
			if err != nil {
				return err
			}
			sev, _ := v[3].(string)
			desc, _ := v[4].(string)
			c := crm.PlanComplaint{ID: rawInt(v[0]), CustomerID: rawInt(v[1]), Received: received,
				Severity: crm.Severity(sev), LatestStep: latest, Closed: closed, Title: crm.ComplaintTitle(desc)}
			in.Complaints = append(in.Complaints, c)
			f.addExtra(c.CustomerID)
			return nil
		})
	if err != nil {
		return fmt.Errorf("complaints: %w", err)
	}
	if len(in.Complaints) > 0 {
		cal, err := bookCalendar(ctx, conn)
		if err != nil {
			return err
		}
		in.Workdays = cal
	}
	return nil
}

// workCalendar is the working-day calendar of the complaint deadlines: the official one
// shipped with Carebook (assets.CNWorkdays), parsed once.
var workCalendar = sync.OnceValues(func() (crm.WorkCalendar, error) {
	return crm.ParseWorkCalendar(assets.CNWorkdays)
})

// rawQuery runs q on the driver connection of conn, in the transaction open on conn, and calls
// fn with the values of each row (int64, float64, string, []byte or nil), which fn must not keep
// beyond the call except strings. Reading rows this way, without database/sql's Rows.Scan, costs
// half as much: it matters for the 100,000 customers of a plan.
func rawQuery(ctx context.Context, conn *sql.Conn, q string, args []any, fn func(v []driver.Value) error) error {
	named := make([]driver.NamedValue, len(args))
	for i, a := range args {
		named[i] = driver.NamedValue{Ordinal: i + 1, Value: a}
		if n, ok := a.(sql.NamedArg); ok {
			named[i].Name, named[i].Value = n.Name, n.Value
		}
	}
	return conn.Raw(func(dc any) error {
		qc, ok := dc.(driver.QueryerContext)
		if !ok {
			return fmt.Errorf("the %T driver cannot query", dc)
		}
		rows, err := qc.QueryContext(ctx, q, named)
		if err != nil {
			return err
		}
		defer rows.Close()
		v := make([]driver.Value, len(rows.Columns()))
		for {
			if err := rows.Next(v); errors.Is(err, io.EOF) {
				return nil
			} else if err != nil {
				return err
			}
			if err := fn(v); err != nil {
				return err
			}
		}
	})
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

// rawInt returns an integer value read by rawQuery; 0 for NULL.
func rawInt(v driver.Value) int64 {
	n, _ := v.(int64)
	return n
}

// storedDay reads the day of a stored 'YYYY-MM-DD' date or 'YYYY-MM-DD HH:MM:SS' date-time.
func storedDay(v driver.Value) (crm.Date, error) {
	s, ok := v.(string)
	if !ok || len(s) < 10 {
		return 0, fmt.Errorf("stored date %v", v)
	}
	return parseDay([]byte(s[:10]))
}

// unixDayOf returns d as a Unix day number, as plan_state keeps days.
func unixDayOf(d crm.Date) int64 { return int64(d - unixDay) }

// planFilter decides which customers PlanInput hands to the planner: those who may have an item
// on its day, by the rules of crm.PlanDay taken loosely (a superset: the planner decides).
type planFilter struct {
	d       crm.Date
	ps      crm.PlanSettings
	cadence [4]int // by tier rank
	// On a holiday every customer who is not do-not-disturb (only the female ones when every
	// holiday of the day is for women).
	holiday, femaleOnly bool
	// While an event's invite window is open, every customer who is not do-not-disturb (of
	// inviteTiers when not nil).
	invite      bool
	inviteTiers map[crm.Tier]bool
	// By customer: a purchase in the routine window, important dates that may occur in the
	// lead window. Customer IDs are rowids, dense: a slice indexed by ID unless there are too
	// many, and a map for the others.
	dense  []*planExtra
	sparse map[int64]*planExtra
}

// maxDense bounds planFilter.dense.
const maxDense = 1 << 22

type planExtra struct {
	buying   bool
	birthday *crm.KeyDate
	dates    []crm.KeyDate
}

// newPlanFilter returns the filter of day d for a book whose greatest customer ID is most.
func newPlanFilter(d crm.Date, ps crm.PlanSettings, most int64) *planFilter {
	f := &planFilter{d: d, ps: ps, dense: make([]*planExtra, min(most, maxDense)+1), sparse: map[int64]*planExtra{}}
	for _, t := range crm.Tiers {
		if r := t.Rank(); r >= 0 && r < len(f.cadence) {
			f.cadence[r] = ps.Cadence[t]
		}
	}
	hs := crm.HolidaysOn(d, ps.Holidays)
	f.holiday, f.femaleOnly = len(hs) > 0, len(hs) > 0
	for _, h := range hs {
		f.femaleOnly = f.femaleOnly && h.FemaleOnly
	}
	return f
}

// extra returns what the filter knows of customer id beyond plan_state, nil when nothing.
func (f *planFilter) extra(id int64) *planExtra {
	if id >= 0 && id < int64(len(f.dense)) {
		return f.dense[id]
	}
	return f.sparse[id]
}

// addExtra returns extra(id), made when there is none.
func (f *planFilter) addExtra(id int64) *planExtra {
	if e := f.extra(id); e != nil {
		return e
	}
	e := &planExtra{}
	if id >= 0 && id < int64(len(f.dense)) {
		f.dense[id] = e
	} else {
		f.sparse[id] = e
	}
	return e
}

// keep reports whether customer c (with its history as of the filter's day) may have an item:
// a holiday greeting, a routine step or an important date (e not nil), a follow-up, a recall or a
// keep-in-touch contact falling due.
func (f *planFilter) keep(c *crm.PlanCustomer, e *planExtra) bool {
	d := f.d
	switch {
	case e != nil:
		return true
	case f.holiday && !c.DoNotDisturb && (!f.femaleOnly || c.Gender == crm.GenderFemale):
		return true
	case f.invite && !c.DoNotDisturb && (f.inviteTiers == nil || f.inviteTiers[c.Tier]):
		return true
	case c.LastRecordID != 0 && !c.NextDate.IsZero() && c.NextDate <= d:
		return true
	}
	if crm.RecallEligible(c.Tier, f.ps.ChurnOf(c.LastPurchase, d)) {
		due := c.LastPurchase.AddDays(f.ps.RecallAfter())
		if !c.LastRecall.IsZero() {
			due = max(due, c.LastRecall.AddDays(f.ps.RecallRepeat))
		}
		if due <= d {
			return true
		}
	}
	r := c.Tier.Rank()
	if r < 0 || r >= len(f.cadence) {
		return true // an unknown tier: the planner decides
	}
	if cad := f.cadence[r]; cad > 0 {
		base := c.Created
		if !c.LastRecordAt.IsZero() {
			base = crm.DateOf(c.LastRecordAt)
		}
		return base.AddDays(cad) <= d
	}
	return false
}

// loadWindowKeyDates adds to f the important dates that may occur in the lead window of its day:
// solar ones on the solar month and day of a day of the window, lunar ones on its lunar month
// and day, through important_dates_month (crm decides exactly).
func loadWindowKeyDates(ctx context.Context, conn *sql.Conn, f *planFilter) error {
	var parts []string
	for _, cal := range []crm.Calendar{crm.Solar, crm.Lunar} {
		days := windowKeyDays(f.ps, f.d, cal)
		for _, m := range slices.Sorted(maps.Keys(days)) {
			list := make([]string, 0, len(days[m]))
			for _, day := range slices.Sorted(maps.Keys(days[m])) {
				list = append(list, strconv.Itoa(day))
			}
			parts = append(parts, fmt.Sprintf(`SELECT id, customer_id, kind, label, calendar, coalesce(year, 0), month, day, leap, pos
				FROM important_dates WHERE calendar = '%s' AND month = %d AND day IN (%s)`, cal, m, strings.Join(list, ",")))
		}
	}
	if len(parts) == 0 {
		return nil
	}
	return rawQuery(ctx, conn, strings.Join(parts, " UNION ALL ")+" ORDER BY customer_id, pos, id", nil,
		func(v []driver.Value) error {
			kind, _ := v[2].(string)
			label, _ := v[3].(string)
			cal, _ := v[4].(string)
			k := crm.KeyDate{ID: rawInt(v[0]), Label: label, Calendar: crm.Calendar(cal), Year: int(rawInt(v[5])),
				Month: int(rawInt(v[6])), Day: int(rawInt(v[7])), Leap: rawInt(v[8]) != 0}
			e := f.addExtra(rawInt(v[1]))
			if kind == "birthday" {
				e.birthday = &k
			} else {
				e.dates = append(e.dates, k)
			}
			return nil
		})
}

// windowKeyDays returns, by month, the days of calendar cal on which an important date may occur
// in the lead window of d: the solar (or lunar) month and day of each day of the window, Feb 29
// beside every Feb 28 (it occurs then in common years) and lunar day 30 beside every lunar day
// 29 (it occurs then in months of 29 days).
func windowKeyDays(ps crm.PlanSettings, d crm.Date, cal crm.Calendar) map[int]map[int]bool {
	out := map[int]map[int]bool{}
	add := func(m, day int) {
		if out[m] == nil {
			out[m] = map[int]bool{}
		}
		out[m][day] = true
	}
	from, to := ps.KeyDateWindow(d)
	for x := from; x <= to; x++ {
		if cal == crm.Solar {
			_, m, day := x.YMD()
			add(int(m), day)
			if m == time.February && day == 28 {
				add(2, 29)
			}
			continue
		}
		l, err := crm.SolarToLunar(x)
		if err != nil {
			continue // outside the lunar calendar: no lunar date occurs then
		}
		add(l.Month, l.Day)
		if l.Day == 29 {
			add(l.Month, 30)
		}
	}
	return out
}

// loadPlanCustomers reads the customers (not archived, created on or before the filter's day)
// that may have an item then. Each plan_state row is one line of text (see
// migrations/0003_plan.sql), right as of today; the customers with something dated after the day
// are summed up again as of then (historyAsOf) before they are filtered. The lines are parsed
// and filtered on another goroutine while SQLite reads the next ones.
func loadPlanCustomers(ctx context.Context, conn *sql.Conn, f *planFilter, most int64) ([]crm.PlanCustomer, error) {
	day := unixDayOf(f.d)
	nextSec := (day + 1) * 86400
	var out []crm.PlanCustomer
	var stale []int64         // id<<3 | what to sum up again (see historyAsOf)
	var staleAt map[int64]int // index in out by id
	take := func(line string) error {
		var c crm.PlanCustomer
		lastAt, err := parsePlanLine(line, &c)
		if err != nil {
			return err
		}
		var again int64
		if c.LastRecordID != 0 && lastAt >= nextSec {
			again |= againRecord
		}
		if c.LastRecall > f.d {
			again |= againRecall
		}
		if c.LastPurchase > f.d {
			again |= againPurchase
		}
		e := f.extra(c.ID)
		if again == 0 && !f.keep(&c, e) {
			return nil
		}
		if again != 0 {
			stale = append(stale, c.ID<<3|again)
			staleAt[c.ID] = len(out)
		}
		if e != nil {
			c.Birthday, c.Dates = e.birthday, e.dates
		}
		out = append(out, c)
		return nil
	}

	const batch = 512
	lines := make(chan []string, 8)
	taken := make(chan error, 1)
	go func() {
		// Room for every customer up front: growing a slice of 90,000 of them costs more.
		out = make([]crm.PlanCustomer, 0, min(most, maxDense))
		staleAt = map[int64]int{}
		var err error
		for b := range lines {
			for _, line := range b {
				if err == nil {
					err = take(line)
				}
			}
		}
		taken <- err
	}()
	err := func() error {
		defer close(lines)
		b := make([]string, 0, batch)
		defer func() { lines <- b }()
		return rawQuery(ctx, conn, `SELECT line FROM plan_state WHERE archived = 0 AND created <= ?`, []any{day},
			func(v []driver.Value) error {
				line, _ := v[0].(string)
				if b = append(b, line); len(b) == batch {
					lines <- b
					b = make([]string, 0, batch)
				}
				return nil
			})
	}()
	if err := errors.Join(err, <-taken); err != nil || len(stale) == 0 {
		return out, err
	}

	// The customers with something dated after the day: their history as of then, and the
	// filter again.
	if err := historyAsOf(ctx, conn, f.d, stale, func(id int64) *crm.PlanCustomer { return &out[staleAt[id]] }); err != nil {
		return nil, err
	}
	n := 0
	for i := range out {
		c := &out[i]
		if _, again := staleAt[c.ID]; !again || f.keep(c, f.extra(c.ID)) {
			out[n] = *c
			n++
		}
	}
	clear(out[n:])
	return out[:n], nil
}

// What historyAsOf sums up again: the latest record, the latest recall, the latest purchase.
const (
	againRecord   = 1
	againRecall   = 2
	againPurchase = 4
)

// historyAsOf sums up again, as of the end of d, the history of the customers keys name
// (id<<3 | againRecord, againRecall, againPurchase: the parts to sum up, those of plan_state
// dated after d), in one statement of a few index lookups per customer, and sets it in the
// customer that get returns.
func historyAsOf(ctx context.Context, conn *sql.Conn, d crm.Date, keys []int64, get func(id int64) *crm.PlanCustomer) error {
	keysJSON, err := json.Marshal(keys)
	if err != nil {
		return err
	}
	return rawQuery(ctx, conn, `SELECT j.value >> 3, j.value & 7, unixepoch(r.at), r.id, unixepoch(r.next_date) / 86400, r.next_step,
			CASE WHEN j.value & 2 THEN (SELECT unixepoch(substr(max(at), 1, 10)) / 86400 FROM records
				WHERE customer_id = j.value >> 3 AND kind = 'recall' AND at < :next) END,
			CASE WHEN j.value & 4 THEN (SELECT unixepoch(max(date)) / 86400 FROM purchases
				WHERE customer_id = j.value >> 3 AND date <= :day) END
		FROM json_each(:keys) j
		LEFT JOIN records r ON j.value & 1 AND r.id = (SELECT id FROM records
			WHERE customer_id = j.value >> 3 AND at < :next ORDER BY at DESC, id DESC LIMIT 1)`,
		[]any{sql.Named("keys", string(keysJSON)), sql.Named("day", d.String()), sql.Named("next", d.AddDays(1).String())},
		func(v []driver.Value) error {
			c, again := get(rawInt(v[0])), rawInt(v[1])
			day := func(v driver.Value) crm.Date {
				if v == nil {
					return 0
				}
				return unixDay + crm.Date(rawInt(v))
			}
			if again&againRecord != 0 {
				c.LastRecordAt, c.LastRecordID, c.NextDate, c.NextStep = time.Time{}, 0, 0, ""
				if v[3] != nil {
					c.LastRecordAt, c.LastRecordID = time.Unix(rawInt(v[2]), 0).UTC(), rawInt(v[3])
					c.NextDate = day(v[4])
					c.NextStep, _ = v[5].(string)
				}
			}
			if again&againRecall != 0 {
				c.LastRecall = day(v[6])
			}
			if again&againPurchase != 0 {
				c.LastPurchase = day(v[7])
			}
			return nil
		})
}

// planTiers and planGenders decode plan_state's tier rank and gender code.
var (
	planTiers   = [...]crm.Tier{crm.TierVIP, crm.TierMajor, crm.TierOrdinary, crm.TierSmall}
	planGenders = [...]crm.Gender{crm.GenderUnknown, crm.GenderMale, crm.GenderFemale}
)

// hexDigits maps a byte to its value as a lower-case hex digit, -1 when it is not one.
var hexDigits = func() (t [256]int8) {
	for i := range t {
		t[i] = -1
	}
	for i, c := range "0123456789abcdef" {
		t[c] = int8(i)
	}
	return t
}()

// planLineFields is the number of hex fields that start a plan_state line.
const planLineFields = 14

// parsePlanLine reads a plan_state line (see migrations/0003_plan.sql) into c, its texts as
// parts of line. It returns the latest record's Unix seconds (0 when none).
func parsePlanLine(line string, c *crm.PlanCustomer) (int64, error) {
	var f [planLineFields]int64
	i := 0
	for k := range f {
		var v uint64
		j := i
		for ; j < len(line) && j-i < 16; j++ {
			h := hexDigits[line[j]]
			if h < 0 {
				break
			}
			v = v<<4 | uint64(h)
		}
		sep := byte(' ')
		if k == len(f)-1 {
			sep = '|'
		}
		if j == i || j >= len(line) || line[j] != sep {
			return 0, fmt.Errorf("plan_state line %q", line)
		}
		f[k], i = int64(v), j+1
	}
	texts := line[i:]
	code, name, remark := f[11], f[12], f[13]
	tier, gender, mask := f[1], f[2], f[5]
	if code < 0 || name < 0 || remark < 0 || code+name+remark > int64(len(texts)) ||
		tier < 0 || tier >= int64(len(planTiers)) || gender < 0 || gender >= int64(len(planGenders)) {
		return 0, fmt.Errorf("plan_state line %q", line)
	}
	c.ID, c.Tier, c.Gender, c.DoNotDisturb, c.Created = f[0], planTiers[tier], planGenders[gender], f[3] != 0, unixDay+crm.Date(f[4])
	c.Code, c.Name, c.Remark = texts[:code], texts[code:code+name], texts[code+name:code+name+remark]
	var lastAt int64
	if mask&1 != 0 {
		lastAt = f[6]
		c.LastRecordAt, c.LastRecordID, c.NextStep = time.Unix(lastAt, 0).UTC(), f[7], texts[code+name+remark:]
	}
	if mask&2 != 0 {
		c.NextDate = unixDay + crm.Date(f[8])
	}
	if mask&4 != 0 {
		c.LastRecall = unixDay + crm.Date(f[9])
	}
	if mask&8 != 0 {
		c.LastPurchase = unixDay + crm.Date(f[10])
	}
	return lastAt, nil
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
	if err := ps.Validate().Err(); err != nil {
		return err // the crm.Errors as they are, for the form
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
	s.writeMu.keepInsights() // snoozes change no classification
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
	if err := s.saveRecordsAnd(ctx, rs, nil); err != nil {
		return fmt.Errorf("save records: %w", err)
	}
	return nil
}

// saveRecordsAnd saves the new records rs and, in the same transaction before it commits,
// runs also (when not nil): all or nothing.
func (s *Store) saveRecordsAnd(ctx context.Context, rs []crm.Record, also func(ctx context.Context, tx *sql.Tx, ts string) error) error {
	for i := range rs {
		if rs[i].ID != 0 {
			return fmt.Errorf("record %d is already in the book", rs[i].ID)
		}
		if errs := prepareRecord(&rs[i]); len(errs) > 0 {
			return errs
		}
	}
	if len(rs) == 0 {
		return nil
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	s.writeMu.keepInsights() // records change no classification
	base := s.changeRecords()
	deltas, err := s.saveRecords(ctx, rs, also)
	s.changedRecords(base, deltas)
	return err
}

func (s *Store) saveRecords(ctx context.Context, rs []crm.Record, also func(ctx context.Context, tx *sql.Tx, ts string) error) ([]countDelta, error) {
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
	if also != nil {
		if err := also(ctx, tx, ts); err != nil {
			return noChange, err
		}
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
	s.writeMu.keepInsights() // templates change no classification
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
