package crm

import (
	"maps"
	"strings"
)

// CalendarDay is the user's own entry in the working-day calendar (PRODUCT.md §2 Complaint
// deadlines: an editable calendar): a day off (a holiday the official arrangement lacks, a year
// beyond it) or a working day (a make-up working day, 调休上班), with an optional name.
type CalendarDay struct {
	Date Date
	Off  bool   // true: a day off; false: a working day
	Name string // 春节, 调休上班…
}

// MaxCalendarDayName is the longest name of a calendar day, in runes.
const MaxCalendarDayName = 50

// NormalizeCalendarDay trims the name.
func NormalizeCalendarDay(c *CalendarDay) { c.Name = strings.TrimSpace(c.Name) }

// ValidateCalendarDay returns every field error of a calendar day (nil when valid). Fields:
// "date", "name".
func ValidateCalendarDay(c *CalendarDay) Errors {
	var es Errors
	es = addDay(es, "date", c.Date, true)
	es = addText(es, "name", c.Name, MaxCalendarDayName, false, false)
	return es
}

// WithDays returns the calendar c with the user's days overriding it: a day off is off, a
// working day is a working day, whatever the official arrangement says. Years is unchanged
// (the user's days do not make a year covered). c is not modified.
func (c WorkCalendar) WithDays(days []CalendarDay) WorkCalendar {
	out := WorkCalendar{Off: maps.Clone(c.Off), Work: maps.Clone(c.Work), Years: maps.Clone(c.Years)}
	if out.Off == nil {
		out.Off = map[Date]bool{}
	}
	if out.Work == nil {
		out.Work = map[Date]bool{}
	}
	for _, d := range days {
		if d.Off {
			out.Off[d.Date] = true
			delete(out.Work, d.Date)
		} else {
			out.Work[d.Date] = true
			delete(out.Off, d.Date)
		}
	}
	return out
}
