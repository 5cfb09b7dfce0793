package crm

import "slices"

// Complaint deadlines and analysis (PRODUCT.md §2 complaint deadlines; the training's
// "投诉记录与定期分析"). Every rule takes the day it is worked out on.

// ComplaintStatus filters complaints by whether they are closed.
type ComplaintStatus string

// Complaint statuses of a ComplaintQuery ("" = all).
const (
	ComplaintOpen   ComplaintStatus = "open"
	ComplaintClosed ComplaintStatus = "closed"
)

// ComplaintQuery filters the complaints list. Zero fields do not filter.
type ComplaintQuery struct {
	Status   ComplaintStatus // open (no closed date), closed, or "" for all
	From, To Date            // received in [From, To]
	Category ComplaintCategory
	Severity Severity
}

// Matches reports whether c passes every filter of q (the store's ComplaintRows filters alike).
func (q ComplaintQuery) Matches(c *Complaint) bool {
	switch {
	case q.Status == ComplaintOpen && !c.Closed.IsZero(), q.Status == ComplaintClosed && c.Closed.IsZero(),
		q.From != 0 && c.Received < q.From, q.To != 0 && c.Received > q.To,
		q.Category != "" && c.Category != q.Category, q.Severity != "" && c.Severity != q.Severity:
		return false
	}
	return true
}

// ComplaintRow is a complaint as the complaints list shows it: with its customer's code and
// display name (remark name when there is one).
type ComplaintRow struct {
	Complaint
	CustomerCode string
	CustomerName string
	Archived     bool
}

// ComplaintOpenOn reports whether c is still open at the end of day d: received on or before
// d and not closed on or before d.
func ComplaintOpenOn(c *Complaint, d Date) bool {
	return c.Received <= d && (c.Closed.IsZero() || c.Closed > d)
}

// latestStepBy is the date of c's latest step dated on or before d (0 when none).
func latestStepBy(c *Complaint, d Date) Date {
	var latest Date
	for _, s := range c.Steps {
		if s.Date <= d {
			latest = max(latest, s.Date)
		}
	}
	return latest
}

// ComplaintDeadline is where a complaint stands against its deadline on a day.
type ComplaintDeadline struct {
	Open bool // open on that day; the other fields are zero when it is not
	Due  Date // the next deadline (crm.ComplaintDue with the steps dated up to that day)
	// OverdueDays is the calendar days past Due (day − Due), 0 when not past it;
	// OverdueWorkdays the working days in (Due, day].
	OverdueDays     int
	OverdueWorkdays int
}

// Overdue reports whether the deadline has passed.
func (x ComplaintDeadline) Overdue() bool { return x.OverdueDays > 0 }

// ComplaintDeadlineOn is c's deadline state on day d. A complaint closed on or before d has
// none (Open false). For a complex complaint only steps dated on or before d count.
func ComplaintDeadlineOn(c *Complaint, cal WorkCalendar, d Date) ComplaintDeadline {
	if !ComplaintOpenOn(c, d) {
		return ComplaintDeadline{}
	}
	x := ComplaintDeadline{Open: true, Due: ComplaintDue(c.Severity, c.Received, latestStepBy(c, d), cal)}
	if d > x.Due {
		x.OverdueDays = d.Sub(x.Due)
		x.OverdueWorkdays = cal.WorkdaysBetween(x.Due, d)
	}
	return x
}

// ComplaintHandledOnTime reports whether a closed complaint was handled on time; known is false
// while it is open (no closed date). The rule:
//   - simple and general: closed on or before ComplaintDue(received), i.e. within 1 (simple) or
//     3 (general) working days of receipt;
//   - complex ("a follow-up every 3 working days until closed"): take the received date, then
//     the dates of its steps dated up to the closed date (in date order), then the closed date;
//     every next date in that chain must be at most ComplexFollowUpDays working days after the
//     previous one (b ≤ AddWorkdays(a, 3)). Steps dated after closing (a later courtesy call)
//     do not count either way.
func ComplaintHandledOnTime(c *Complaint, cal WorkCalendar) (onTime, known bool) {
	if c.Closed.IsZero() {
		return false, false
	}
	if c.Severity != SeverityComplex {
		return c.Closed <= ComplaintDue(c.Severity, c.Received, 0, cal), true
	}
	chain := []Date{c.Received}
	for _, s := range c.Steps {
		if s.Date <= c.Closed {
			chain = append(chain, max(s.Date, c.Received))
		}
	}
	slices.Sort(chain)
	chain = append(chain, c.Closed)
	for i := 1; i < len(chain); i++ {
		if chain[i] > cal.AddWorkdays(chain[i-1], ComplexFollowUpDays) {
			return false, true
		}
	}
	return true, true
}

// ComplaintStepsDone counts the distinct kinds among the five steps that c has (0–5).
func ComplaintStepsDone(c *Complaint) int {
	n := 0
	for _, k := range ComplaintSteps {
		if slices.ContainsFunc(c.Steps, func(s ComplaintStep) bool { return s.Step == k }) {
			n++
		}
	}
	return n
}

// ComplaintAnalysis is the periodic analysis of complaints (投诉分析).
type ComplaintAnalysis struct {
	Total, Open, Closed int
	ByCategory          map[ComplaintCategory]int // every category present, 0 when none
	BySeverity          map[Severity]int          // every severity present
	// ByStep counts the complaints that have reached each of the five steps (hold a step of
	// that kind dated on or before the day).
	ByStep map[ComplaintStepKind]int
	// Overdue counts the open complaints past their deadline on the day.
	Overdue int
	// Known counts the complaints whose outcome is known: the closed ones, and the open ones
	// already past their deadline (late). OnTime counts those handled on time.
	Known, OnTime int
	// AvgDaysToClose is the mean of closed − received in calendar days over the closed ones.
	AvgDaysToClose float64
	// Rated counts the closed complaints with a satisfaction rating; AvgSatisfaction is their
	// mean (0 when none).
	Rated           int
	AvgSatisfaction float64
}

// OnTimeRate is OnTime / Known, in [0, 1]; ok is false when no outcome is known.
func (a ComplaintAnalysis) OnTimeRate() (rate float64, ok bool) {
	if a.Known == 0 {
		return 0, false
	}
	return float64(a.OnTime) / float64(a.Known), true
}

// AnalyseComplaints analyses the complaints received in [from, to] (a zero bound does not
// limit) as they stand at the end of day d: only complaints received on or before d count, a
// complaint counts as closed when closed on or before d, and only steps dated on or before d
// count. See ComplaintAnalysis for the figures and ComplaintHandledOnTime for "on time".
func AnalyseComplaints(cs []Complaint, cal WorkCalendar, from, to, d Date) ComplaintAnalysis {
	a := ComplaintAnalysis{
		ByCategory: map[ComplaintCategory]int{},
		BySeverity: map[Severity]int{},
		ByStep:     map[ComplaintStepKind]int{},
	}
	for _, k := range ComplaintCategories {
		a.ByCategory[k] = 0
	}
	for _, v := range Severities {
		a.BySeverity[v] = 0
	}
	for _, s := range ComplaintSteps {
		a.ByStep[s] = 0
	}
	days, rating := 0, 0
	for i := range cs {
		c := cs[i]
		if c.Received > d || (from != 0 && c.Received < from) || (to != 0 && c.Received > to) {
			continue
		}
		// The complaint as it stood on d.
		if c.Closed > d {
			c.Closed = 0
		}
		var steps []ComplaintStep
		for _, s := range c.Steps {
			if s.Date <= d {
				steps = append(steps, s)
			}
		}
		c.Steps = steps

		a.Total++
		a.ByCategory[c.Category]++
		a.BySeverity[c.Severity]++
		for _, k := range ComplaintSteps {
			if slices.ContainsFunc(c.Steps, func(s ComplaintStep) bool { return s.Step == k }) {
				a.ByStep[k]++
			}
		}
		if c.Closed.IsZero() {
			a.Open++
			if ComplaintDeadlineOn(&c, cal, d).Overdue() {
				a.Overdue++
				a.Known++
			}
			continue
		}
		a.Closed++
		days += c.Closed.Sub(c.Received)
		if c.Satisfaction >= MinSatisfaction && c.Satisfaction <= MaxSatisfaction {
			a.Rated++
			rating += c.Satisfaction
		}
		a.Known++
		if ok, _ := ComplaintHandledOnTime(&c, cal); ok {
			a.OnTime++
		}
	}
	if a.Closed > 0 {
		a.AvgDaysToClose = float64(days) / float64(a.Closed)
	}
	if a.Rated > 0 {
		a.AvgSatisfaction = float64(rating) / float64(a.Rated)
	}
	return a
}
