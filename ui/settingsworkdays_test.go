package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"carebook/assets/i18n"
	"carebook/crm"
)

// TestWorkdaysAddAndRemove adds a make-up working day through the Settings section (after a bad
// date is refused next to its field), sees it listed and in the book's calendar, and removes it.
func TestWorkdaysAddAndRemove(t *testing.T) {
	w, st := newTestWindow(t, i18n.ZhHans)
	ctx := context.Background()
	s := newWorkdaysSection(w)
	w.Wait()
	if got := s.coverage.Text; !strings.Contains(got, "2025、2026") || !strings.Contains(got, "2026年以后默认周一至周五") {
		t.Errorf("coverage %q", got)
	}
	if s.warning.Visible() {
		t.Errorf("warning shown for a covered year: %q", s.warning.Text)
	}
	if !s.empty.Visible() || len(s.rows) != 0 {
		t.Fatalf("empty %v, rows %d", s.empty.Visible(), len(s.rows))
	}

	// A bad date: a message next to the field, nothing saved.
	test.Type(s.date, "2027-02-30")
	test.Tap(s.add)
	w.Wait()
	if l := s.errs["date"]; !l.Visible() || !strings.Contains(l.Text, "不是有效日期") {
		t.Errorf("date error %q (visible %v)", l.Text, l.Visible())
	}
	if days, err := st.CalendarDays(ctx); err != nil || len(days) != 0 {
		t.Fatalf("after a bad date: %+v, %v", days, err)
	}

	// 2027-02-06, a Saturday, is a make-up working day.
	s.date.SetText("")
	test.Type(s.date, "2027-02-06")
	s.kind.SetSelected("上班")
	test.Type(s.name, "调休上班")
	test.Tap(s.add)
	w.Wait()
	if s.errs["date"].Visible() || s.status.Visible() {
		t.Errorf("errors left: %q %q", s.errs["date"].Text, s.status.Text)
	}
	if len(s.rows) != 1 || s.empty.Visible() {
		t.Fatalf("rows %d, empty %v", len(s.rows), s.empty.Visible())
	}
	if got := s.rows[0].label.Text; got != "2027-02-06 星期六 · 上班 · 调休上班" {
		t.Errorf("row %q", got)
	}
	if s.date.Text != "" || s.name.Text != "" {
		t.Errorf("form not cleared: %q %q", s.date.Text, s.name.Text)
	}
	cal, err := st.WorkCalendar(ctx)
	if err != nil || !cal.IsWorkday(crm.MustDate("2027-02-06")) {
		t.Fatalf("calendar: workday %v, %v", cal.IsWorkday(crm.MustDate("2027-02-06")), err)
	}

	// A day off, listed by date before it.
	test.Type(s.date, "2027-01-01")
	s.kind.SetSelected("放假")
	test.Tap(s.add)
	w.Wait()
	if len(s.rows) != 2 || s.rows[0].label.Text != "2027-01-01 星期五 · 放假" {
		t.Fatalf("rows %d, first %q", len(s.rows), s.rows[0].label.Text)
	}

	test.Tap(s.rows[1].remove)
	w.Wait()
	days, err := st.CalendarDays(ctx)
	if err != nil || len(days) != 1 || days[0].Date != crm.MustDate("2027-01-01") || !days[0].Off {
		t.Fatalf("after remove: %+v, %v", days, err)
	}
	if len(s.rows) != 1 {
		t.Errorf("rows after remove: %d", len(s.rows))
	}
	if cal, _ := st.WorkCalendar(ctx); cal.IsWorkday(crm.MustDate("2027-02-06")) {
		t.Error("removed working day still a working day")
	}
}

// TestWorkdaysWarnsOfUncoveredYear shows the warning when today's year has no official
// arrangement nor days of the user's.
func TestWorkdaysWarnsOfUncoveredYear(t *testing.T) {
	w, _ := newTestWindow(t, i18n.English)
	cal := crm.WorkCalendar{Years: map[int]bool{2025: true}}
	s := newWorkdaysSection(w)
	w.Wait()
	s.show(cal, nil)
	if !s.warning.Visible() || !strings.Contains(s.warning.Text, "2026") {
		t.Errorf("warning %q visible %v", s.warning.Text, s.warning.Visible())
	}
	s.show(cal, []crm.CalendarDay{{Date: crm.MustDate("2026-10-01"), Off: true}})
	if s.warning.Visible() {
		t.Error("warning shown though the user added days of this year")
	}
	if got := s.coverage.Text; !strings.Contains(got, "built in for 2025. After 2025") {
		t.Errorf("coverage %q", got)
	}
}
