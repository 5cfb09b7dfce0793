package crm

import (
	"os"
	"testing"
)

// cnCalendar is the shipped calendar (assets/data/cn-workdays.json, embedded by package assets).
func cnCalendar(t *testing.T) WorkCalendar {
	t.Helper()
	data, err := os.ReadFile("../assets/data/cn-workdays.json")
	if err != nil {
		t.Fatal(err)
	}
	c, err := ParseWorkCalendar(data)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestIsWorkday(t *testing.T) {
	c := cnCalendar(t)
	for _, x := range []struct {
		day  string
		want bool
	}{
		{"2026-02-13", true},  // Friday before the Spring Festival
		{"2026-02-14", true},  // Saturday, make-up working day
		{"2026-02-15", false}, // Sunday, holiday
		{"2026-02-16", false}, // Monday, holiday
		{"2026-02-23", false}, // Monday, last day of the holiday
		{"2026-02-24", true},  // Tuesday, back at work
		{"2026-02-28", true},  // Saturday, make-up working day
		{"2026-03-01", false}, // an ordinary Sunday
		{"2026-09-20", true},  // Sunday, make-up working day
		{"2026-10-01", false}, // National Day
		{"2026-10-07", false},
		{"2026-10-08", true},
		{"2026-10-10", true}, // Saturday, make-up working day
		{"2026-11-21", false},
		{"2027-01-01", true}, // beyond the file: Monday–Friday
		{"2027-01-02", false},
	} {
		if got := c.IsWorkday(MustDate(x.day)); got != x.want {
			t.Errorf("%s (%v): working day %v, want %v", x.day, MustDate(x.day).Weekday(), got, x.want)
		}
	}
	if !c.Covers(2025) || !c.Covers(2026) || c.Covers(2027) {
		t.Errorf("covers %v", c.Years)
	}
}

// "simple: 1 working day after received; general: 3 working days; complex: a follow-up every 3
// working days until closed", across the 2026 Spring Festival and National Day.
func TestComplaintDue(t *testing.T) {
	c := cnCalendar(t)
	for _, x := range []struct {
		name             string
		sev              Severity
		received, latest string
		want             string
	}{
		{"simple, Friday: the make-up Saturday", SeveritySimple, "2026-02-13", "", "2026-02-14"},
		{"simple, make-up Saturday: after the holiday", SeveritySimple, "2026-02-14", "", "2026-02-24"},
		{"simple, received on a holiday", SeveritySimple, "2026-02-18", "", "2026-02-24"},
		{"general, across the Spring Festival", SeverityGeneral, "2026-02-13", "", "2026-02-25"},
		{"general, with the make-up Saturday 02-28", SeverityGeneral, "2026-02-26", "", "2026-03-02"},
		{"simple, before National Day", SeveritySimple, "2026-09-30", "", "2026-10-08"},
		{"general, before National Day: the make-up Saturday 10-10", SeverityGeneral, "2026-09-30", "", "2026-10-10"},
		{"simple, Saturday before the make-up Sunday", SeveritySimple, "2026-09-19", "", "2026-09-20"},
		{"simple, an ordinary weekend", SeveritySimple, "2026-11-20", "", "2026-11-23"},
		{"complex, no step yet: from received", SeverityComplex, "2026-11-16", "", "2026-11-19"},
		{"complex, from the latest step", SeverityComplex, "2026-09-01", "2026-10-09", "2026-10-13"},
		{"complex, a step older than received counts from received", SeverityComplex, "2026-11-16", "2026-11-01", "2026-11-19"},
		{"beyond the file: Monday to Friday", SeverityGeneral, "2027-01-01", "", "2027-01-06"},
		{"unknown severity: as general", Severity("x"), "2026-11-16", "", "2026-11-19"},
	} {
		t.Run(x.name, func(t *testing.T) {
			var latest Date
			if x.latest != "" {
				latest = MustDate(x.latest)
			}
			if got := ComplaintDue(x.sev, MustDate(x.received), latest, c); got != MustDate(x.want) {
				t.Fatalf("due %v, want %s", got, x.want)
			}
		})
	}
}

func TestWorkdaysBetween(t *testing.T) {
	c := cnCalendar(t)
	if n := c.WorkdaysBetween(MustDate("2026-02-13"), MustDate("2026-02-28")); n != 6 { // 14, 24, 25, 26, 27, 28
		t.Fatalf("working days %d", n)
	}
	if n := c.WorkdaysBetween(MustDate("2026-03-01"), MustDate("2026-02-01")); n != 0 {
		t.Fatalf("backwards %d", n)
	}
	if d := c.AddWorkdays(MustDate("2026-02-13"), 0); d != MustDate("2026-02-13") {
		t.Fatalf("0 days: %v", d)
	}
}

func TestParseWorkCalendarRefuses(t *testing.T) {
	for _, s := range []string{
		`not json`,
		`{"years": {"20x6": {"off": []}}}`,
		`{"years": {"2026": {"off": ["2025-12-31"]}}}`,
		`{"years": {"2026": {"off": ["2026-02-30"]}}}`,
		`{"years": {"2026": {"off": ["2026-02-14"], "work": ["2026-02-14"]}}}`,
	} {
		if _, err := ParseWorkCalendar([]byte(s)); err == nil {
			t.Errorf("%s: no error", s)
		}
	}
	c, err := ParseWorkCalendar([]byte(`{"years": {}}`))
	if err != nil || !c.IsWorkday(MustDate("2026-11-20")) || c.IsWorkday(MustDate("2026-11-21")) {
		t.Fatalf("an empty calendar is Monday–Friday: %v", err)
	}
}
