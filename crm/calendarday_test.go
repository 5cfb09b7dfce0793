package crm

import "testing"

func TestWorkCalendarWithDays(t *testing.T) {
	official := WorkCalendar{
		Off:   map[Date]bool{MustDate("2026-10-01"): true, MustDate("2026-10-02"): true},
		Work:  map[Date]bool{MustDate("2026-10-10"): true},
		Years: map[int]bool{2026: true},
	}
	c := official.WithDays([]CalendarDay{
		{Date: MustDate("2026-10-02"), Off: false}, // worked after all
		{Date: MustDate("2026-10-10"), Off: true},  // no make-up day
		{Date: MustDate("2027-01-01"), Off: true},  // a year beyond the official one
		{Date: MustDate("2027-01-09"), Off: false}, // a Saturday worked
	})
	for _, tc := range []struct {
		day  string
		work bool
	}{
		{"2026-10-01", false}, {"2026-10-02", true}, {"2026-10-10", false}, {"2026-10-09", true},
		{"2027-01-01", false}, {"2027-01-08", true}, {"2027-01-09", true}, {"2027-01-10", false},
	} {
		if got := c.IsWorkday(MustDate(tc.day)); got != tc.work {
			t.Errorf("%s: workday %v, want %v", tc.day, got, tc.work)
		}
	}
	if c.Covers(2027) || !c.Covers(2026) {
		t.Error("the user's days changed the years covered")
	}
	if !official.IsWorkday(MustDate("2026-10-10")) || official.IsWorkday(MustDate("2026-10-02")) {
		t.Error("WithDays changed the official calendar")
	}
	// Complaint deadline: general, received Dec 31, 2026: 3 working days of 2027 → Jan 6
	// (Jan 1 off), Jan 5 when Saturday Jan 2 is worked.
	if got := ComplaintDue(SeverityGeneral, MustDate("2026-12-31"), 0, c); got != MustDate("2027-01-06") {
		t.Errorf("due %s", got)
	}
	c2 := c.WithDays([]CalendarDay{{Date: MustDate("2027-01-02")}})
	if got := ComplaintDue(SeverityGeneral, MustDate("2026-12-31"), 0, c2); got != MustDate("2027-01-05") {
		t.Errorf("due with Jan 2 worked %s", got)
	}
	if (WorkCalendar{}).WithDays([]CalendarDay{{Date: MustDate("2027-01-01"), Off: true}}).IsWorkday(MustDate("2027-01-01")) {
		t.Error("an empty calendar ignores the user's days")
	}
}

func TestValidateCalendarDay(t *testing.T) {
	for _, tc := range []struct {
		d     CalendarDay
		field string
	}{
		{CalendarDay{Date: MustDate("2027-01-01"), Name: "元旦"}, ""},
		{CalendarDay{}, "date"},
		{CalendarDay{Date: NewDate(1800, 1, 1)}, "date"},
		{CalendarDay{Date: MustDate("2027-01-01"), Name: "a\nb"}, "name"},
	} {
		es := ValidateCalendarDay(&tc.d)
		if (tc.field == "") != (len(es) == 0) || len(es) > 0 && es[0].Field != tc.field {
			t.Errorf("%+v: %v, want an error on %q", tc.d, es, tc.field)
		}
	}
}
