package crm

import (
	"math"
	"testing"
)

func steps(kv ...string) []ComplaintStep {
	var out []ComplaintStep
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, ComplaintStep{Step: ComplaintStepKind(kv[i]), Date: MustDate(kv[i+1])})
	}
	return out
}

func optDate(s string) Date {
	if s == "" {
		return 0
	}
	return MustDate(s)
}

// Deadlines on a day, across the 2026 Spring Festival (off 02-15…02-23, make-up 02-14, 02-28)
// and National Day (off 10-01…10-07, make-up 09-20, 10-10).
func TestComplaintDeadlineOn(t *testing.T) {
	cal := cnCalendar(t)
	for _, x := range []struct {
		name                 string
		sev                  Severity
		received, closed, d  string
		steps                []ComplaintStep
		open                 bool
		due                  string
		overdue, overdueWork int
	}{
		{"simple on the Friday before the festival: the make-up Saturday", SeveritySimple, "2026-02-13", "", "2026-02-13", nil, true, "2026-02-14", 0, 0},
		{"simple, on its deadline: not overdue yet", SeveritySimple, "2026-02-13", "", "2026-02-14", nil, true, "2026-02-14", 0, 0},
		{"simple, after the festival: 10 days but 1 working day late", SeveritySimple, "2026-02-13", "", "2026-02-24", nil, true, "2026-02-14", 10, 1},
		{"general before National Day: due the make-up Saturday", SeverityGeneral, "2026-09-30", "", "2026-10-05", nil, true, "2026-10-10", 0, 0},
		{"general, overdue over a Sunday", SeverityGeneral, "2026-09-30", "", "2026-10-12", nil, true, "2026-10-10", 2, 1},
		{"complex, from the latest step", SeverityComplex, "2026-09-01", "", "2026-10-13",
			steps("listen", "2026-09-01", "follow_up", "2026-10-09"), true, "2026-10-13", 0, 0},
		{"complex, a step after the day does not count", SeverityComplex, "2026-09-01", "", "2026-10-14",
			steps("listen", "2026-09-01", "follow_up", "2026-10-09", "follow_up", "2026-10-20"), true, "2026-10-13", 1, 1},
		{"complex, no step: from received", SeverityComplex, "2026-11-16", "", "2026-11-22", nil, true, "2026-11-19", 3, 1},
		{"closed before the day: no deadline", SeverityGeneral, "2026-11-16", "2026-11-18", "2026-11-22", nil, false, "", 0, 0},
		{"closed after the day: still open on it", SeverityGeneral, "2026-11-16", "2026-11-25", "2026-11-22", nil, true, "2026-11-19", 3, 1},
		{"received after the day: not open", SeveritySimple, "2026-11-23", "", "2026-11-22", nil, false, "", 0, 0},
	} {
		t.Run(x.name, func(t *testing.T) {
			c := Complaint{Severity: x.sev, Received: MustDate(x.received), Closed: optDate(x.closed), Steps: x.steps}
			got := ComplaintDeadlineOn(&c, cal, MustDate(x.d))
			want := ComplaintDeadline{Open: x.open, Due: optDate(x.due), OverdueDays: x.overdue, OverdueWorkdays: x.overdueWork}
			if got != want {
				t.Errorf("got %+v (due %v), want %+v (due %v)", got, got.Due, want, want.Due)
			}
			if got.Overdue() != (x.overdue > 0) {
				t.Errorf("Overdue() = %v", got.Overdue())
			}
		})
	}
}

func TestComplaintHandledOnTime(t *testing.T) {
	cal := cnCalendar(t)
	for _, x := range []struct {
		name             string
		sev              Severity
		received, closed string
		steps            []ComplaintStep
		onTime, known    bool
	}{
		{"open: not known", SeveritySimple, "2026-02-13", "", nil, false, false},
		{"simple, closed on the make-up Saturday", SeveritySimple, "2026-02-13", "2026-02-14", nil, true, true},
		{"simple, closed after the festival", SeveritySimple, "2026-02-13", "2026-02-24", nil, false, true},
		{"general, closed on the 3rd working day across the festival", SeverityGeneral, "2026-02-13", "2026-02-25", nil, true, true},
		{"general, a day late", SeverityGeneral, "2026-02-13", "2026-02-26", nil, false, true},
		{"complex across National Day, every gap ≤ 3 working days", SeverityComplex, "2026-09-28", "2026-10-15",
			steps("listen", "2026-09-28", "clarify", "2026-10-08", "agree", "2026-10-12"), true, true},
		{"complex, one gap of 4 working days", SeverityComplex, "2026-09-28", "2026-10-14",
			steps("listen", "2026-09-28", "clarify", "2026-10-08", "agree", "2026-10-13"), false, true},
		{"complex, closing too long after the last step", SeverityComplex, "2026-09-28", "2026-10-16",
			steps("listen", "2026-09-28", "clarify", "2026-10-08", "agree", "2026-10-12"), false, true},
		{"complex, no steps, closed on the 3rd working day", SeverityComplex, "2026-11-16", "2026-11-19", nil, true, true},
		{"complex, no steps, closed on the 4th working day", SeverityComplex, "2026-11-16", "2026-11-20", nil, false, true},
		{"complex, a follow-up call after closing does not count", SeverityComplex, "2026-11-16", "2026-11-18",
			steps("listen", "2026-11-16", "follow_up", "2026-12-30"), true, true},
	} {
		t.Run(x.name, func(t *testing.T) {
			c := Complaint{Severity: x.sev, Received: MustDate(x.received), Closed: optDate(x.closed), Steps: x.steps}
			onTime, known := ComplaintHandledOnTime(&c, cal)
			if onTime != x.onTime || known != x.known {
				t.Errorf("on time %v known %v, want %v %v", onTime, known, x.onTime, x.known)
			}
		})
	}
}

func TestComplaintStepsDone(t *testing.T) {
	c := Complaint{Steps: steps("listen", "2026-11-02", "empathise", "2026-11-02", "follow_up", "2026-11-05", "follow_up", "2026-11-09")}
	if n := ComplaintStepsDone(&c); n != 3 {
		t.Errorf("steps done %d, want 3 (follow-ups count once)", n)
	}
	if n := ComplaintStepsDone(&Complaint{}); n != 0 {
		t.Errorf("no steps: %d", n)
	}
}

func TestAnalyseComplaints(t *testing.T) {
	cal := cnCalendar(t)
	mk := func(cat ComplaintCategory, sev Severity, received, closed string, sat int, st []ComplaintStep) Complaint {
		return Complaint{Category: cat, Severity: sev, Received: MustDate(received), Closed: optDate(closed), Satisfaction: sat, Steps: st}
	}
	cs := []Complaint{
		// closed the next working day: on time, 1 day
		mk(ComplaintUrgent, SeveritySimple, "2026-11-02", "2026-11-03", 5,
			steps("listen", "2026-11-02", "empathise", "2026-11-02", "agree", "2026-11-03")),
		// general due 11-12, closed 11-16: late, 7 days
		mk(ComplaintBatch, SeverityGeneral, "2026-11-09", "2026-11-16", 3, nil),
		// complex, open, due 11-25: outcome not known yet
		mk(ComplaintDifficult, SeverityComplex, "2026-11-16", "", 0,
			steps("listen", "2026-11-16", "follow_up", "2026-11-20")),
		// simple, open, due 11-19: late
		mk(ComplaintMalicious, SeveritySimple, "2026-11-18", "", 0, nil),
		// closed after the day (with a rating): open on it, not overdue (due 11-25)
		mk(ComplaintUrgent, SeverityGeneral, "2026-11-20", "2026-11-25", 4, steps("listen", "2026-11-23")),
		// before the period, and after the day
		mk(ComplaintUrgent, SeveritySimple, "2026-10-01", "2026-10-02", 1, nil),
		mk(ComplaintUrgent, SeveritySimple, "2026-11-23", "", 0, nil),
	}
	a := AnalyseComplaints(cs, cal, MustDate("2026-11-01"), MustDate("2026-11-30"), MustDate("2026-11-22"))
	if a.Total != 5 || a.Open != 3 || a.Closed != 2 || a.Overdue != 1 {
		t.Errorf("total %d open %d closed %d overdue %d, want 5 3 2 1", a.Total, a.Open, a.Closed, a.Overdue)
	}
	wantCat := map[ComplaintCategory]int{ComplaintUrgent: 2, ComplaintBatch: 1, ComplaintDifficult: 1, ComplaintMalicious: 1}
	for k, v := range wantCat {
		if a.ByCategory[k] != v {
			t.Errorf("category %s: %d, want %d", k, a.ByCategory[k], v)
		}
	}
	wantSev := map[Severity]int{SeveritySimple: 2, SeverityGeneral: 2, SeverityComplex: 1}
	for k, v := range wantSev {
		if a.BySeverity[k] != v {
			t.Errorf("severity %s: %d, want %d", k, a.BySeverity[k], v)
		}
	}
	wantStep := map[ComplaintStepKind]int{StepListen: 2, StepEmpathise: 1, StepClarify: 0, StepAgree: 1, StepFollowUp: 1}
	for k, v := range wantStep {
		if n, ok := a.ByStep[k]; !ok || n != v {
			t.Errorf("step %s: %d (%v), want %d", k, n, ok, v)
		}
	}
	if a.Known != 3 || a.OnTime != 1 {
		t.Errorf("known %d on time %d, want 3 1", a.Known, a.OnTime)
	}
	if r, ok := a.OnTimeRate(); !ok || math.Abs(r-1.0/3) > 1e-9 {
		t.Errorf("on-time rate %v %v", r, ok)
	}
	if a.AvgDaysToClose != 4 {
		t.Errorf("avg days to close %v, want 4", a.AvgDaysToClose)
	}
	if a.Rated != 2 || a.AvgSatisfaction != 4 {
		t.Errorf("rated %d avg %v, want 2 4", a.Rated, a.AvgSatisfaction)
	}

	// Nothing in the period: zeros everywhere, every key present, no rate.
	e := AnalyseComplaints(cs, cal, MustDate("2025-01-01"), MustDate("2025-12-31"), MustDate("2026-11-22"))
	if e.Total != 0 || len(e.ByCategory) != 4 || len(e.BySeverity) != 3 || len(e.ByStep) != 5 {
		t.Errorf("empty analysis %+v", e)
	}
	if _, ok := e.OnTimeRate(); ok {
		t.Errorf("a rate without outcomes")
	}
	// Open bounds take everything up to the day.
	if all := AnalyseComplaints(cs, cal, 0, 0, MustDate("2026-11-22")); all.Total != 6 {
		t.Errorf("open bounds: total %d, want 6", all.Total)
	}
}
