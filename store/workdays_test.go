package store

import (
	"context"
	"errors"
	"strings"
	"testing"

	"carebook/crm"
)

// TestCalendarDaysRoundTrip sets, replaces, lists and deletes the user's calendar days, checks
// that they override the official arrangement in WorkCalendar, and that bad days are refused.
func TestCalendarDaysRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	nationalDay := crm.MustDate("2026-10-01") // official day off
	makeUp := crm.MustDate("2026-10-10")      // official make-up working day (Saturday)
	newYear27 := crm.MustDate("2027-01-01")   // beyond the official years: a Friday
	cal, err := s.WorkCalendar(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if cal.IsWorkday(nationalDay) || !cal.IsWorkday(makeUp) || !cal.IsWorkday(newYear27) {
		t.Fatalf("official calendar: %v %v %v", cal.IsWorkday(nationalDay), cal.IsWorkday(makeUp), cal.IsWorkday(newYear27))
	}
	if !cal.Covers(2026) || cal.Covers(2027) {
		t.Errorf("covers 2026 %v, 2027 %v", cal.Covers(2026), cal.Covers(2027))
	}

	for _, d := range []crm.CalendarDay{
		{Date: newYear27, Off: true, Name: " 元旦 "},
		{Date: makeUp, Off: false, Name: "x"},
		{Date: makeUp, Off: true, Name: "不调休"}, // replaces the one before
		{Date: nationalDay, Off: false, Name: "值班"},
	} {
		if err := s.SetCalendarDay(ctx, d.Date, d.Off, d.Name); err != nil {
			t.Fatal(err)
		}
	}
	days, err := s.CalendarDays(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []crm.CalendarDay{{Date: nationalDay, Name: "值班"}, {Date: makeUp, Off: true, Name: "不调休"}, {Date: newYear27, Off: true, Name: "元旦"}}
	if len(days) != len(want) {
		t.Fatalf("days = %+v, want %+v", days, want)
	}
	for i := range want {
		if days[i] != want[i] {
			t.Errorf("days[%d] = %+v, want %+v", i, days[i], want[i])
		}
	}
	cal, err = s.WorkCalendar(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !cal.IsWorkday(nationalDay) || cal.IsWorkday(makeUp) || cal.IsWorkday(newYear27) {
		t.Errorf("edited calendar: %v %v %v", cal.IsWorkday(nationalDay), cal.IsWorkday(makeUp), cal.IsWorkday(newYear27))
	}
	if cal.Covers(2027) {
		t.Error("a user's day made 2027 covered")
	}

	if err := s.DeleteCalendarDay(ctx, nationalDay); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteCalendarDay(ctx, nationalDay); !errors.Is(err, ErrNotFound) {
		t.Errorf("deleting again: %v, want ErrNotFound", err)
	}
	if cal, err = s.WorkCalendar(ctx); err != nil || cal.IsWorkday(nationalDay) {
		t.Errorf("after delete: workday %v, %v", cal.IsWorkday(nationalDay), err)
	}

	// Bad days change nothing.
	for _, bad := range []struct {
		d     crm.Date
		name  string
		field string
	}{
		{0, "", "date"},
		{crm.NewDate(1800, 1, 1), "", "date"},
		{newYear27, "a\nb", "name"},
		{newYear27, strings.Repeat("节", crm.MaxCalendarDayName+1), "name"},
	} {
		err := s.SetCalendarDay(ctx, bad.d, false, bad.name)
		var es crm.Errors
		if !errors.As(err, &es) || es[0].Field != bad.field {
			t.Errorf("SetCalendarDay(%v, %q) = %v, want an error on %s", bad.d, bad.name, err, bad.field)
		}
	}
	if days, _ := s.CalendarDays(ctx); len(days) != 2 || days[1].Name != "元旦" {
		t.Errorf("after bad input: %+v", days)
	}
}

// TestCalendarDayMovesComplaintDeadline checks that the user's days move the deadline of a
// complaint in the Serve question of Plan.
func TestCalendarDayMovesComplaintDeadline(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	a := mustSave(t, s, &crm.Customer{Name: "张三", Created: crm.MustDate("2026-01-01")})
	// General, received the day before the National Day holiday: due Oct 10, the make-up
	// working day, by the official calendar.
	c := &crm.Complaint{CustomerID: a.ID, Received: crm.MustDate("2026-09-30"), Category: crm.ComplaintUrgent,
		Severity: crm.SeverityGeneral, Description: "物流延误"}
	if err := s.SaveComplaint(ctx, c); err != nil {
		t.Fatal(err)
	}
	due := func() string {
		t.Helper()
		p, err := s.Plan(ctx, crm.MustDate("2026-10-09"))
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Serve) != 1 {
			t.Fatalf("serve = %+v", p.Serve)
		}
		return p.Serve[0].Due.String()
	}
	if got := due(); got != "2026-10-10" {
		t.Fatalf("official due = %s, want 2026-10-10", got)
	}
	// The shop does not work the make-up Saturday: due the Monday after.
	if err := s.SetCalendarDay(ctx, crm.MustDate("2026-10-10"), true, "门店休息"); err != nil {
		t.Fatal(err)
	}
	if got := due(); got != "2026-10-12" {
		t.Errorf("due with Oct 10 off = %s, want 2026-10-12", got)
	}
	// The shop also opens on Oct 5, a holiday: Oct 5, 8 and 9 are the three working days.
	if err := s.SetCalendarDay(ctx, crm.MustDate("2026-10-05"), false, "值班"); err != nil {
		t.Fatal(err)
	}
	if got := due(); got != "2026-10-09" {
		t.Errorf("due with Oct 5 worked = %s, want 2026-10-09", got)
	}
	if err := s.DeleteCalendarDay(ctx, crm.MustDate("2026-10-10")); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteCalendarDay(ctx, crm.MustDate("2026-10-05")); err != nil {
		t.Fatal(err)
	}
	if got := due(); got != "2026-10-10" {
		t.Errorf("due after removing the days = %s, want 2026-10-10", got)
	}
}
