package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"slices"

	"carebook/crm"
)

// The book statistics of the Insights screen and the 统计 sheet (PRODUCT.md §5, §6).
//
// Besides the classification of the day (Insights), one read transaction and two passes:
//   - the active customers created on or before D (plan_state: narrow rows), each with the dates
//     of its purchases from the earliest day a holding or a routine item looks at up to D, folded
//     into one text by group_concat through purchases_customer_date, and whether it bought
//     before that;
//   - the records of the contact weeks and of the plan window, in date-time order, through the
//     record sheet's index (which holds kind and customer).
// The holdings of every month end and the routine items are worked out from those dates in
// memory: the book is not classified twelve times.

// InsightStats returns what the Insights screen charts for day d (crm.BookStats): the active
// customers created on or before d by lifecycle stage, churn state, RFM segment, own and
// suggested tier; the holdings (顾客保有量, crm.HeldOn) at the last crm.HoldingMonths month ends;
// the maintenance records of the last crm.ContactWeeks weeks; and how the routine 1-3-7 items due
// in the last crm.PlanCompletionDays days went. Every bar carries its customers' ids.
//
// The classification (Insights) and the passes over the history run at once, each in its own
// read transaction: a write committed between the two may show in one and not the other.
func (s *Store) InsightStats(ctx context.Context, d crm.Date) (*crm.BookStats, error) {
	if d.IsZero() {
		return nil, fmt.Errorf("insight stats: no day")
	}
	ps, err := s.PlanSettings(ctx)
	if err != nil {
		return nil, fmt.Errorf("insight stats: %w", err)
	}
	var bi *BookInsights
	var biErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		bi, biErr = s.Insights(ctx, d)
	}()
	st := &crm.BookStats{Date: d}
	err = s.insightHistory(ctx, st, ps, true)
	<-done
	if biErr != nil {
		return nil, biErr
	}
	if err != nil {
		return nil, err
	}
	addClassification(st, bi, true)
	return st, nil
}

// InsightStatsOf is InsightStats on a classification already made (bi.Date is the day), for a
// caller that needs both (the export).
func (s *Store) InsightStatsOf(ctx context.Context, bi *BookInsights) (*crm.BookStats, error) {
	return s.insightStatsOf(ctx, bi, true)
}

func (s *Store) insightStatsOf(ctx context.Context, bi *BookInsights, withIDs bool) (*crm.BookStats, error) {
	if bi.Date.IsZero() {
		return nil, fmt.Errorf("insight stats: no day")
	}
	ps, err := s.PlanSettings(ctx)
	if err != nil {
		return nil, fmt.Errorf("insight stats: %w", err)
	}
	st := &crm.BookStats{Date: bi.Date}
	if err := s.insightHistory(ctx, st, ps, withIDs); err != nil {
		return nil, err
	}
	addClassification(st, bi, withIDs)
	return st, nil
}

// InsightCounts is InsightStatsOf without the customers' ids (every Bar.IDs is nil; the counts
// and Bar.Customers are all there): what the export's 统计 needs, in a fraction of the memory.
func (s *Store) InsightCounts(ctx context.Context, bi *BookInsights) (*crm.BookStats, error) {
	return s.insightStatsOf(ctx, bi, false)
}

func addClassification(st *crm.BookStats, bi *BookInsights, withIDs bool) {
	st.Customers = len(bi.IDs)
	ids := bi.IDs
	if !withIDs {
		ids = nil
	}
	st.Stages, st.Churn, st.Segments, st.Tiers, st.SuggestedTiers = crm.ClassificationBars(ids, bi.Stats, &bi.Classification)
}

// insightHistory fills the holdings, contacts and plan completion of st (st.Date is the day), in
// one read transaction; their customers' ids too when withIDs.
func (s *Store) insightHistory(ctx context.Context, st *crm.BookStats, ps crm.PlanSettings, withIDs bool) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("insight stats: %w", err)
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("insight stats: %w", err)
	}
	defer tx.Rollback()
	if err := readInsightHistory(ctx, conn, st, ps, withIDs); err != nil {
		return fmt.Errorf("insight stats %s: %w", st.Date, err)
	}
	return nil
}

// insightWindows are the days the statistics of D look at.
type insightWindows struct {
	ends       []crm.Date // month ends of the holdings, the last D
	weeks      []crm.Date // Mondays of the contact weeks
	planFrom   crm.Date   // routine items due in [planFrom, D]
	buyFrom    crm.Date   // purchases dated from here on are read one by one
	recordFrom crm.Date   // records dated from here on are read
}

func newInsightWindows(d crm.Date, ps crm.PlanSettings) insightWindows {
	w := insightWindows{ends: crm.MonthEnds(d, crm.HoldingMonths), planFrom: d.AddDays(-(crm.PlanCompletionDays - 1))}
	first := crm.WeekStart(d).AddDays(-7 * (crm.ContactWeeks - 1))
	for k := range crm.ContactWeeks {
		w.weeks = append(w.weeks, first.AddDays(7*k))
	}
	// A holding at e looks at purchases in [e − Lost, e]; a routine item due in the plan window
	// comes from a purchase at most the last step before it.
	w.buyFrom = w.ends[0].AddDays(-ps.Lost)
	if len(ps.Steps) > 0 {
		w.buyFrom = min(w.buyFrom, w.planFrom.AddDays(-ps.Steps[len(ps.Steps)-1]))
	}
	w.recordFrom = min(first, w.planFrom)
	return w
}

// readInsightHistory reads the holdings, contacts and plan completion of st.
func readInsightHistory(ctx context.Context, conn *sql.Conn, st *crm.BookStats, ps crm.PlanSettings, withIDs bool) error {
	d := st.Date
	w := newInsightWindows(d, ps)

	// The population: active customers created on or before D, by id; idx finds their place.
	idx := newIDIndex()
	holdings := make([]crm.Bar, len(w.ends))
	for k, e := range w.ends {
		holdings[k] = crm.Bar{Key: e.String(), Date: e}
	}
	type purchase struct {
		customer int32 // index in ids
		date     crm.Date
	}
	var planBuys []purchase // purchases whose routine steps may fall due in the plan window
	var lo, hi crm.Date
	if len(ps.Steps) > 0 {
		lo, hi = w.planFrom.AddDays(-ps.Steps[len(ps.Steps)-1]), d.AddDays(-ps.Steps[0])
	}
	// The population's size first, so that each month's ids are allocated once.
	var n int64
	err := rawQuery(ctx, conn, `SELECT count(*) FROM plan_state WHERE archived = 0 AND created <= ?`,
		[]any{unixDayOf(d)}, func(v []driver.Value) error {
			n = rawInt(v[0])
			return nil
		})
	if err != nil {
		return fmt.Errorf("customers: %w", err)
	}
	if withIDs {
		for k := range holdings {
			holdings[k].IDs = make([]int64, 0, n)
		}
	}
	ids := make([]int64, 0, n)
	var buys []crm.Date // one customer's dates, reused
	err = rawQuery(ctx, conn, `
		SELECT customer_id, created,
		       EXISTS (SELECT 1 FROM purchases p WHERE p.customer_id = c.customer_id AND p.date < ?1),
		       (SELECT group_concat(date, '') FROM purchases p
		        WHERE p.customer_id = c.customer_id AND p.date >= ?1 AND p.date <= ?2)
		FROM plan_state c
		WHERE archived = 0 AND created <= ?3
		ORDER BY customer_id`,
		[]any{w.buyFrom.String(), d.String(), unixDayOf(d)}, func(v []driver.Value) error {
			id, created := rawInt(v[0]), unixDay+crm.Date(rawInt(v[1]))
			earlier := rawInt(v[2]) != 0
			buys = buys[:0]
			if text, ok := v[3].(string); ok {
				if len(text)%10 != 0 {
					return fmt.Errorf("customer %d: purchase dates %q", id, text)
				}
				for i := 0; i < len(text); i += 10 {
					day, err := parseDay([]byte(text[i : i+10]))
					if err != nil {
						return fmt.Errorf("customer %d: %w", id, err)
					}
					buys = append(buys, day)
				}
			}
			at := int32(len(ids))
			ids = append(ids, id)
			idx.put(id, at)
			for k, e := range w.ends {
				if crm.HeldOn(e, created, buys, earlier, ps.Lost) {
					h := &holdings[k]
					h.Count++
					h.Customers++
					if withIDs {
						h.IDs = append(h.IDs, id)
					}
				}
			}
			for _, p := range buys {
				if p >= lo && p <= hi {
					planBuys = append(planBuys, purchase{at, p})
				}
			}
			return nil
		})
	if err != nil {
		return fmt.Errorf("customers: %w", err)
	}
	st.Holdings = holdings

	// The records, in date-time order: contacts per week, and the routine ones of the plan
	// window by customer.
	contacts := make([]crm.Bar, len(w.weeks))
	for k, m := range w.weeks {
		contacts[k] = crm.Bar{Key: m.String(), Date: m}
	}
	lastWeek := make([]int8, len(ids)) // 1 + the last week a customer was counted in
	routine := map[int32][]crm.Date{}
	err = rawQuery(ctx, conn, `
		SELECT customer_id, at, kind = 'routine' FROM records INDEXED BY records_sheet
		WHERE at >= ? AND at < ? ORDER BY at, id`,
		[]any{w.recordFrom.String(), d.AddDays(1).String()}, func(v []driver.Value) error {
			i, ok := idx.get(rawInt(v[0]))
			if !ok {
				return nil // archived, or created after D
			}
			day, err := storedDay(v[1])
			if err != nil {
				return err
			}
			if k := day.Sub(w.weeks[0]); k >= 0 {
				wk := k / 7
				c := &contacts[wk]
				c.Count++
				if lastWeek[i] != int8(wk+1) {
					lastWeek[i] = int8(wk + 1)
					c.Customers++
					if withIDs {
						c.IDs = append(c.IDs, ids[i])
					}
				}
			}
			if rawInt(v[2]) != 0 && day >= w.planFrom {
				routine[i] = append(routine[i], day)
			}
			return nil
		})
	if err != nil {
		return fmt.Errorf("records: %w", err)
	}
	for k := range contacts {
		slices.Sort(contacts[k].IDs)
	}
	st.Contacts = contacts

	// The routine items due in the plan window. planBuys are in customer order: each outcome's
	// customers come out ascending, and seen (a bit per outcome) tells the first item of each.
	p := &st.Plan
	p.From, p.To = w.planFrom, d
	p.OnTime.Key, p.Missed.Key, p.Open.Key = crm.OutcomeOnTime, crm.OutcomeMissed, crm.OutcomeOpen
	seen := make([]uint8, len(ids))
	for _, pu := range planBuys {
		for _, step := range ps.Steps {
			due := pu.date.AddDays(step)
			if due < w.planFrom || due > d {
				continue
			}
			var bar *crm.Bar
			var bit uint8
			switch crm.RoutineOutcomeOf(due, ps.Grace, d, routine[pu.customer]) {
			case crm.RoutineOnTime:
				bar, bit = &p.OnTime, 1
			case crm.RoutineMissed:
				bar, bit = &p.Missed, 2
			case crm.RoutineOpen:
				bar, bit = &p.Open, 4
			default:
				continue
			}
			bar.Count++
			if seen[pu.customer]&bit == 0 {
				seen[pu.customer] |= bit
				bar.Customers++
				if withIDs {
					bar.IDs = append(bar.IDs, ids[pu.customer])
				}
			}
		}
	}
	return nil
}

// idIndex finds the place of a customer id: a slice by id while ids are dense (rowids), a map
// beyond.
type idIndex struct {
	dense  []int32 // place + 1; 0 = absent
	sparse map[int64]int32
}

func newIDIndex() *idIndex { return &idIndex{} }

// denseIDs is the greatest id kept in the slice.
const denseIDs = 1 << 24

func (x *idIndex) put(id int64, at int32) {
	if id > 0 && id < denseIDs {
		if int(id) >= len(x.dense) {
			x.dense = slices.Grow(x.dense, int(id)+1-len(x.dense))[:id+1]
		}
		x.dense[id] = at + 1
		return
	}
	if x.sparse == nil {
		x.sparse = map[int64]int32{}
	}
	x.sparse[id] = at
}

func (x *idIndex) get(id int64) (int32, bool) {
	if id > 0 && id < denseIDs {
		if int(id) < len(x.dense) && x.dense[id] != 0 {
			return x.dense[id] - 1, true
		}
		return 0, false
	}
	at, ok := x.sparse[id]
	return at, ok
}
