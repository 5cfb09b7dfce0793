package crm

import (
	"slices"
	"time"
)

// Book statistics (PRODUCT.md §6 Insights, §5 the 统计 sheet): what the charts of a day D show,
// each bar with the customers behind it. The store gathers the data; the rules are here.

// Bar is one bar of a chart: a count, and the customers it stands for.
type Bar struct {
	// Key is the stage, churn state, RFM segment or tier of the bar; for a time series the day
	// of Date as YYYY-MM-DD; for the plan completion "on_time", "missed" or "open".
	Key string
	// Date is the day a bar of a time series stands for (a month end, the Monday of a week);
	// zero otherwise.
	Date  Date
	Count int
	// Customers is how many customers the bar stands for: Count, but for the contacts (records)
	// and the plan completion (items).
	Customers int
	// IDs are the customers of the bar, ascending, each once; nil when they were not asked for
	// (store.InsightCounts).
	IDs []int64
}

// Time series and windows of the book statistics.
const (
	HoldingMonths      = 12 // holdings at the last 12 month ends
	ContactWeeks       = 13 // contacts per week over the last 13 weeks
	PlanCompletionDays = 91 // routine items due in the last 91 days
)

// Keys of the plan completion bars.
const (
	OutcomeOnTime = "on_time"
	OutcomeMissed = "missed"
	OutcomeOpen   = "open"
)

// PlanCompletion is how the routine 1-3-7 items due in [From, To] went, as of the end of To:
// done on time, missed, or still open (PRODUCT.md §2). The counts are items; the IDs their
// customers.
type PlanCompletion struct {
	From, To             Date
	OnTime, Missed, Open Bar
}

// OnTimePercent is the share of the decided items (on time + missed) done on time, in percent
// rounded half up; ok is false when none is decided yet.
func (p *PlanCompletion) OnTimePercent() (pct int, ok bool) {
	n := p.OnTime.Count + p.Missed.Count
	if n == 0 {
		return 0, false
	}
	return (p.OnTime.Count*200 + n) / (2 * n), true
}

// BookStats is what the Insights screen charts for a day D. Every count is over the active (not
// archived) customers created on or before D, the population of the book's classification.
type BookStats struct {
	Date      Date
	Customers int
	// By lifecycle stage (Stages order), churn state (ChurnStates order; customers without a
	// purchase have none and are in no bar), RFM segment (Segments order; the same), the user's
	// own tier and the suggested tier (Tiers order).
	Stages, Churn, Segments, Tiers, SuggestedTiers []Bar
	// Holdings (顾客保有量) at the ends of the last HoldingMonths months, oldest first; the
	// current month's point is D itself (see HeldOn).
	Holdings []Bar
	// Contacts are the maintenance records of each of the last ContactWeeks weeks (Monday to
	// Sunday; the last one is D's week, up to D), oldest first: Count is the records, IDs the
	// customers contacted.
	Contacts []Bar
	// Plan is the completion of the routine items due in the last PlanCompletionDays days.
	Plan PlanCompletion
}

// HeldAt returns the holdings bar ending on day d (the last is D), and whether there is one.
func (b *BookStats) HeldAt(d Date) (Bar, bool) {
	for _, x := range b.Holdings {
		if x.Date == d {
			return x, true
		}
	}
	return Bar{}, false
}

// ClassificationBars counts the classified customers (stats and cl.Insights parallel, as
// store.BookInsights holds them, and ids too unless nil) by stage, churn state, segment, own tier
// and suggested tier. With ids nil the bars have counts but no IDs.
func ClassificationBars(ids []int64, stats []CustomerStats, cl *Classification) (stages, churn, segments, tiers, suggested []Bar) {
	stages = barsOf(Stages)
	churn = barsOf(ChurnStates)
	segments = barsOf(Segments)
	tiers = barsOf(Tiers)
	suggested = barsOf(Tiers)
	all := [][]Bar{stages, churn, segments, tiers, suggested}
	keys := func(i int) [5]string {
		in := &cl.Insights[i]
		return [5]string{string(in.Stage), string(in.Churn), string(in.Segment), string(stats[i].Tier), string(in.SuggestedTier)}
	}
	// Count first, so that every bar's ids are allocated once.
	for i := range stats {
		for k, key := range keys(i) {
			if b := barByKey(all[k], key); b != nil {
				b.Count++
				b.Customers++
			}
		}
	}
	if ids == nil {
		return stages, churn, segments, tiers, suggested
	}
	for _, bars := range all {
		for i := range bars {
			bars[i].IDs = make([]int64, 0, bars[i].Count)
		}
	}
	for i, id := range ids {
		for k, key := range keys(i) {
			if b := barByKey(all[k], key); b != nil {
				b.IDs = append(b.IDs, id)
			}
		}
	}
	for _, bars := range all {
		for i := range bars {
			if !slices.IsSorted(bars[i].IDs) {
				slices.Sort(bars[i].IDs)
			}
		}
	}
	return stages, churn, segments, tiers, suggested
}

// barByKey returns the bar of bars with key, nil when there is none (an empty churn state or
// segment: no purchase).
func barByKey(bars []Bar, key string) *Bar {
	for i := range bars {
		if bars[i].Key == key {
			return &bars[i]
		}
	}
	return nil
}

func barsOf[K ~string](keys []K) []Bar {
	out := make([]Bar, len(keys))
	for i, k := range keys {
		out[i].Key = string(k)
	}
	return out
}

// MonthEnds returns the last days of the n months up to d's month, oldest first; the last is d
// itself (the current month counts as of d).
func MonthEnds(d Date, n int) []Date {
	if n <= 0 || d.IsZero() {
		return nil
	}
	y, m, _ := d.YMD()
	out := make([]Date, n)
	out[n-1] = d
	for k := n - 2; k >= 0; k-- {
		// Day 0 of month m − (n−2−k) is the last day of the month before it.
		out[k] = NewDate(y, m-time.Month(n-2-k), 0)
	}
	return out
}

// WeekStart returns the Monday on or before d.
func WeekStart(d Date) Date {
	return d.AddDays(-((int(d.Weekday()) + 6) % 7))
}

// HeldOn reports whether a customer is held (顾客保有量) on day e: on the books by then — created
// on or before e, or with a purchase dated on or before e (a card imported later still counts
// from the first purchase) — and not lost as of e: no purchase on or before e at all (a
// prospect), or one dated in [e − lost, e] (lost is PlanSettings.Lost: beyond it the churn state
// is lost). purchases are the customer's purchase dates in any order; they may leave out those
// before some day, as long as earlier says whether there was one (then it is before e and
// before e − lost).
func HeldOn(e, created Date, purchases []Date, earlier bool, lost int) bool {
	bought, recent := earlier, false
	for _, p := range purchases {
		if p <= e {
			bought = true
			if p >= e.AddDays(-lost) {
				recent = true
				break
			}
		}
	}
	if created > e && !bought {
		return false
	}
	return !bought || recent
}

// RoutineOutcome is how a routine 1-3-7 item went.
type RoutineOutcome int

// Routine outcomes.
const (
	RoutineNotDue RoutineOutcome = iota // due after the day
	RoutineOpen                         // due ≤ D < due + grace, no routine record in [due, D]
	RoutineOnTime                       // a routine record dated in [due, due + grace), on or before D
	RoutineMissed                       // none by due + grace ≤ D: it expired
)

// RoutineOutcomeOf tells how the routine item due on due went as of the end of day d (grace as
// in PlanSettings), given the days of the customer's routine records (any order; those after d
// are ignored). It follows crm.PlanDay: the item is open on the days [due, due + grace) until a
// routine record dated in [due, that day] closes it, and expires unanswered on due + grace.
func RoutineOutcomeOf(due Date, grace int, d Date, routine []Date) RoutineOutcome {
	if due > d {
		return RoutineNotDue
	}
	last := min(due.AddDays(grace-1), d)
	for _, r := range routine {
		if r >= due && r <= last {
			return RoutineOnTime
		}
	}
	if d < due.AddDays(grace) {
		return RoutineOpen
	}
	return RoutineMissed
}
