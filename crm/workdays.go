package crm

import (
	"encoding/json"
	"fmt"
	"strconv"
)

// Severity is how hard a complaint is (PRODUCT.md §1 Complaint; §2 Complaint deadlines).
type Severity string

// Complaint severities.
const (
	SeveritySimple  Severity = "simple"  // 简单: answered within 1 working day
	SeverityGeneral Severity = "general" // 一般: within 3 working days
	SeverityComplex Severity = "complex" // 复杂: a follow-up every 3 working days until closed
)

// Severities lists the severities in display order.
var Severities = []Severity{SeveritySimple, SeverityGeneral, SeverityComplex}

// Working days of the complaint deadlines, per severity.
const (
	SimpleDeadlineDays  = 1
	GeneralDeadlineDays = 3
	ComplexFollowUpDays = 3
)

// WorkCalendar says which days are working days: Monday to Friday, minus the public holidays
// (Off), plus the make-up working days on weekends (Work, 调休上班). Years lists the years the
// arrangement covers; a year beyond them falls back to Monday–Friday (Covers tells).
type WorkCalendar struct {
	Off   map[Date]bool
	Work  map[Date]bool
	Years map[int]bool
}

// workFile is the JSON form of a calendar: {"years": {"2026": {"off": [...], "work": [...]}}}
// (the shipped cn-workdays.json; other keys are ignored).
type workFile struct {
	Years map[string]struct {
		Off  []string `json:"off"`
		Work []string `json:"work"`
	} `json:"years"`
}

// ParseWorkCalendar reads a calendar in the JSON form of cn-workdays.json. A date that is not
// a date, or that lies outside the year it is listed under, or is both off and a working day,
// is an error.
func ParseWorkCalendar(data []byte) (WorkCalendar, error) {
	var f workFile
	if err := json.Unmarshal(data, &f); err != nil {
		return WorkCalendar{}, fmt.Errorf("work calendar: %w", err)
	}
	c := WorkCalendar{Off: map[Date]bool{}, Work: map[Date]bool{}, Years: map[int]bool{}}
	for ys, y := range f.Years {
		year, err := strconv.Atoi(ys)
		if err != nil || year < 1900 || year > 2200 {
			return WorkCalendar{}, fmt.Errorf("work calendar: year %q", ys)
		}
		c.Years[year] = true
		for _, l := range []struct {
			days []string
			into map[Date]bool
		}{{y.Off, c.Off}, {y.Work, c.Work}} {
			for _, s := range l.days {
				d, err := ParseDate(s)
				if err != nil || d.Year() != year {
					return WorkCalendar{}, fmt.Errorf("work calendar: %d: day %q", year, s)
				}
				l.into[d] = true
			}
		}
	}
	for d := range c.Off {
		if c.Work[d] {
			return WorkCalendar{}, fmt.Errorf("work calendar: %v is both off and a working day", d)
		}
	}
	return c, nil
}

// Covers reports whether the calendar holds the official arrangement of year.
func (c WorkCalendar) Covers(year int) bool { return c.Years[year] }

// IsWorkday reports whether d is a working day.
func (c WorkCalendar) IsWorkday(d Date) bool {
	if c.Off[d] {
		return false
	}
	if c.Work[d] {
		return true
	}
	wd := d.Weekday()
	return wd != 0 && wd != 6 // Sunday, Saturday
}

// AddWorkdays returns the n-th working day after d (d itself is not counted; n ≥ 1), or d when
// n ≤ 0.
func (c WorkCalendar) AddWorkdays(d Date, n int) Date {
	for n > 0 {
		d++
		if c.IsWorkday(d) {
			n--
		}
	}
	return d
}

// WorkdaysBetween counts the working days in (from, to]; 0 when to ≤ from.
func (c WorkCalendar) WorkdaysBetween(from, to Date) int {
	n := 0
	for d := from + 1; d <= to; d++ {
		if c.IsWorkday(d) {
			n++
		}
	}
	return n
}

// ComplaintDue is the deadline of an open complaint (PRODUCT.md §2, §3 question 3): simple,
// SimpleDeadlineDays working day after it was received; general, GeneralDeadlineDays; complex,
// ComplexFollowUpDays working days after its latest step (or after it was received when it has
// none, or when the latest step is older).
func ComplaintDue(sev Severity, received, latestStep Date, c WorkCalendar) Date {
	switch sev {
	case SeveritySimple:
		return c.AddWorkdays(received, SimpleDeadlineDays)
	case SeverityComplex:
		return c.AddWorkdays(max(received, latestStep), ComplexFollowUpDays)
	}
	return c.AddWorkdays(received, GeneralDeadlineDays)
}
