package ui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"github.com/emersion/go-ical"

	"carebook/assets/i18n"
	"carebook/crm"
	"carebook/store"
)

// The store gives the calendar export what it needs.
var _ ICSBook = (*store.Store)(nil)

// calendarEvent is a decoded event: its day, title and notes.
type calendarEvent struct {
	uid, summary, desc string
	day                crm.Date
}

func readCalendar(t *testing.T, path string) []calendarEvent {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cal, err := ical.NewDecoder(f).Decode()
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	var out []calendarEvent
	for _, ev := range cal.Events() {
		var e calendarEvent
		e.uid, _ = ev.Props.Text(ical.PropUID)
		e.summary, _ = ev.Props.Text(ical.PropSummary)
		e.desc, _ = ev.Props.Text(ical.PropDescription)
		start, err := ev.DateTimeStart(time.UTC)
		if err != nil {
			t.Fatal(err)
		}
		e.day = crm.DateOf(start)
		out = append(out, e)
	}
	return out
}

func findEvent(events []calendarEvent, summary string) *calendarEvent {
	for i := range events {
		if events[i].summary == summary {
			return &events[i]
		}
	}
	return nil
}

// The Today screen's 导出到日历 asks for a file and writes the plan of the day shown and the
// next 7 days: a birthday on the day itself, each 1-3-7 step on its day, once, with the phone.
func TestTodayICSExportsThePlan(t *testing.T) {
	w, st := newTestWindow(t, i18n.ZhHans)
	today := crm.DateOf(testNow)
	saveCustomer(t, st, &crm.Customer{Name: "张三", Phones: []string{"13812345678"}, Tier: crm.TierSmall,
		Created: crm.MustDate("2026-01-01"), Birthday: &crm.KeyDate{Calendar: crm.Solar, Month: 11, Day: 24}})
	buyer(t, st, "李四", today.AddDays(-1))
	s := w.todayView
	s.reload()
	w.Wait()
	if s.ics == nil || s.ics.button.Text != "导出到日历…" {
		t.Fatalf("no calendar button: %+v", s.ics)
	}
	dir := t.TempDir()
	var suggested string
	s.ics.pickPath = func(name string, save func(string)) { suggested = name; save(filepath.Join(dir, "计划")) }
	test.Tap(s.ics.button)
	if suggested != "carebook-2026-11-22.ics" {
		t.Errorf("suggested file name %q", suggested)
	}
	if !s.ics.button.Disabled() || s.ics.button.Text != "正在导出…" {
		t.Errorf("while exporting the button is %q, disabled %v", s.ics.button.Text, s.ics.button.Disabled())
	}
	test.Tap(s.ics.button) // a second tap while it runs does nothing
	if len(w.pending) != 1 {
		t.Fatalf("%d exports running, want 1", len(w.pending))
	}
	w.Wait()
	if s.ics.button.Disabled() || s.ics.button.Text != "导出到日历…" {
		t.Errorf("after the export the button is %q, disabled %v", s.ics.button.Text, s.ics.button.Disabled())
	}
	path := filepath.Join(dir, "计划.ics")
	if s.ics.err != nil || !strings.HasPrefix(s.ics.message, "已将 11月22日 至 11月29日 的 ") || !strings.Contains(s.ics.message, path) {
		t.Fatalf("message %q, error %v", s.ics.message, s.ics.err)
	}
	events := readCalendar(t, path)
	birthday := findEvent(events, "生日：张三")
	if birthday == nil || birthday.day != crm.MustDate("2026-11-24") ||
		birthday.desc != "生日 11月24日\n电话：138 1234 5678\n顾客编号 C000001 · 小" {
		t.Fatalf("birthday event %+v in %+v", birthday, events)
	}
	steps := map[int]crm.Date{1: today, 3: crm.MustDate("2026-11-24"), 7: crm.MustDate("2026-11-28")}
	for step, day := range steps {
		summary := "常规维护137：李四 — 购买后第" + strconv.Itoa(step) + "天"
		var found []calendarEvent
		for _, e := range events {
			if e.summary == summary {
				found = append(found, e)
			}
		}
		if len(found) != 1 || found[0].day != day || !strings.Contains(found[0].desc, "第"+strconv.Itoa(step)+"天回访") {
			t.Errorf("step %d: events %+v, want one on %v", step, found, day)
		}
	}
	if !strings.Contains(s.ics.message, " 的 "+strconv.Itoa(len(events))+" 条提醒") {
		t.Errorf("message %q for %d events", s.ics.message, len(events))
	}

	// Exporting again (another day, the same items): the same UIDs, so a calendar updates them.
	s.ics.pickPath = func(_ string, save func(string)) { save(filepath.Join(dir, "again.ics")) }
	test.Tap(s.ics.button)
	w.Wait()
	again := readCalendar(t, filepath.Join(dir, "again.ics"))
	if len(again) != len(events) {
		t.Fatalf("%d events then %d", len(events), len(again))
	}
	for i := range again {
		if again[i].uid != events[i].uid {
			t.Errorf("UID %q became %q", events[i].uid, again[i].uid)
		}
	}
}

// Nothing planned, or a file that cannot be written: a clear message, and no file.
func TestTodayICSNothingOrFailure(t *testing.T) {
	w, st := newTestWindow(t, i18n.ZhHans)
	buyer(t, st, "李四", crm.DateOf(testNow).AddDays(-1))
	s := w.todayView
	dir := t.TempDir()
	s.setDay(crm.MustDate("2025-06-01")) // before the customer was on the book
	w.Wait()
	s.ics.pickPath = func(_ string, save func(string)) { save(filepath.Join(dir, "plan.ics")) }
	test.Tap(s.ics.button)
	w.Wait()
	if s.ics.message != "6月1日 至 6月8日 没有要做的事，未生成日历文件。" {
		t.Errorf("message %q", s.ics.message)
	}
	if _, err := os.Stat(filepath.Join(dir, "plan.ics")); err == nil {
		t.Error("a file was written with nothing to do")
	}

	s.setDay(crm.DateOf(testNow))
	w.Wait()
	s.ics.pickPath = func(_ string, save func(string)) { save(filepath.Join(dir, "missing", "plan.ics")) }
	test.Tap(s.ics.button)
	w.Wait()
	if s.ics.err == nil || !strings.HasPrefix(s.ics.message, "无法导出日历：") {
		t.Errorf("message %q, error %v", s.ics.message, s.ics.err)
	}
	if files, _ := os.ReadDir(dir); len(files) != 0 {
		t.Errorf("files left: %v", files)
	}
}

// A holiday's greetings are one event listing its customers (not the do-not-disturb one), in
// English when the UI is.
func TestCalendarEntriesGroupHolidays(t *testing.T) {
	_, st := newTestWindow(t, i18n.English)
	for _, n := range []string{"Amy", "Bob", "Cat"} {
		saveCustomer(t, st, &crm.Customer{Name: n, Tier: crm.TierSmall, Created: crm.MustDate("2026-01-01"), Phones: []string{"13912345678"}})
	}
	saveCustomer(t, st, &crm.Customer{Name: "Dan", Tier: crm.TierSmall, DoNotDisturb: true, Created: crm.MustDate("2026-01-01")})
	var planned []int
	entries, err := CalendarEntries(context.Background(), st, crm.MustDate("2026-09-29"), 3, func(done, total int) { planned = append(planned, done, total) })
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(planned) != "[1 3 2 3 3 3]" {
		t.Errorf("progress %v", planned)
	}
	national := crm.MustDate("2026-10-01")
	var group *crm.CalendarEntry
	for i := range entries {
		if entries[i].UID == crm.CalendarGroupUID("holiday", "national_day", national) {
			if group != nil {
				t.Fatal("two national day events")
			}
			group = &entries[i]
		}
	}
	if group == nil {
		t.Fatalf("no national day event in %+v", entries)
	}
	if want := holidayName("national_day") + " greetings: 3 customers"; group.Summary != want || group.Day != national {
		t.Errorf("group %q on %v, want %q on %v", group.Summary, group.Day, want, national)
	}
	for _, n := range []string{"Amy", "Bob", "Cat"} {
		if !strings.Contains(group.Description, n+" C0") || !strings.Contains(group.Description, "139 1234 5678") {
			t.Errorf("description lacks %s: %q", n, group.Description)
		}
	}
	if strings.Contains(group.Description, "Dan") {
		t.Errorf("the do-not-disturb customer is listed: %q", group.Description)
	}
	if _, err := CalendarEntries(context.Background(), st, national, MaxCalendarDays+1, nil); err == nil {
		t.Error("more than MaxCalendarDays days planned")
	}
}

// Each question gets CalendarPerDay events a day in the plan's order and one "N more" event; an
// item left out has its event on a later day it has room; one planned again is not repeated.
func TestCalendarEntriesPerDayLimit(t *testing.T) {
	i18n.Set(i18n.ZhHans)
	t.Cleanup(func() { i18n.Set(i18n.English) })
	day1 := crm.MustDate("2026-11-22")
	items := func(n int) []crm.PlanItem {
		var out []crm.PlanItem
		for i := range n {
			id := int64(i + 1)
			out = append(out, crm.PlanItem{Customer: crm.CustomerRef{ID: id, Code: fmt.Sprintf("C%06d", id), Name: fmt.Sprintf("顾客%d", id)},
				Reason: crm.ReasonCadence, Due: day1, Ref: day1.String()})
		}
		return out
	}
	serve := items(2)
	for i := range serve {
		serve[i].Reason, serve[i].Title, serve[i].Ref = crm.ReasonOffline, "上门安装", fmt.Sprintf("service:%d", i)
	}
	var cb calendarBuilder
	cb.add(&crm.Plan{Date: day1, Maintain: items(CalendarPerDay + 5), Serve: serve})
	cb.add(&crm.Plan{Date: day1.AddDays(1), Maintain: items(CalendarPerDay + 5)})
	entries := cb.entries(map[int64]string{1: "138 1234 5678"})
	perDay := map[crm.Date]int{}
	uids := map[string]bool{}
	var more []crm.CalendarEntry
	for _, e := range entries {
		if uids[e.UID] {
			t.Errorf("UID %q twice", e.UID)
		}
		uids[e.UID] = true
		if strings.HasPrefix(e.UID, "group-more-") {
			more = append(more, e)
			continue
		}
		perDay[e.Day]++
	}
	if perDay[day1] != CalendarPerDay+2 || perDay[day1.AddDays(1)] != 5 {
		t.Errorf("events per day %v, want %d then 5", perDay, CalendarPerDay+2)
	}
	if len(more) != 1 || more[0].Day != day1 || more[0].Summary != "维护：另有 5 位顾客" {
		t.Errorf("more events %+v", more)
	}
	if entries[0].Summary != "定期联系：顾客1" || !strings.Contains(entries[0].Description, "电话：138 1234 5678") {
		t.Errorf("first entry %+v", entries[0])
	}
	last := entries[len(entries)-1]
	if last.Summary != fmt.Sprintf("定期联系：顾客%d", CalendarPerDay+5) || last.Day != day1.AddDays(1) {
		t.Errorf("last entry %+v", last)
	}
}
