package main

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-ical"

	"carebook/assets/i18n"
	"carebook/crm"
	"carebook/store"
	"carebook/store/ics"
	"carebook/ui"
)

// icsEvents decodes the calendar file at path: its events by UID, each with its day and summary.
type icsEvent struct {
	day     crm.Date
	summary string
	desc    string
}

func readICS(t *testing.T, path string) map[string]icsEvent {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cal, err := ical.NewDecoder(f).Decode()
	if err != nil {
		t.Fatalf("decode %s: %v", path, err)
	}
	if p, _ := cal.Props.Text(ical.PropProductID); p != ics.ProductID {
		t.Errorf("PRODID = %q", p)
	}
	out := map[string]icsEvent{}
	for _, ev := range cal.Events() {
		uid, _ := ev.Props.Text(ical.PropUID)
		if _, dup := out[uid]; dup {
			t.Errorf("UID %q twice", uid)
		}
		start, err := ev.DateTimeStart(time.UTC)
		if err != nil {
			t.Fatal(err)
		}
		summary, _ := ev.Props.Text(ical.PropSummary)
		desc, _ := ev.Props.Text(ical.PropDescription)
		out[uid] = icsEvent{crm.DateOf(start), summary, desc}
	}
	return out
}

// carebook ics on a demo book: every item of the days asked is one event, on the first day it is
// planned, worded in the UI language; an item planned on several days is one event; exporting
// again gives the same UIDs.
func TestICSCommand(t *testing.T) {
	i18n.Set(i18n.ZhHans)
	t.Cleanup(func() { i18n.Set(i18n.English) })
	dir := t.TempDir()
	db := filepath.Join(dir, "demo.db")
	if _, _, err := runCLI(t, "demo", "--db", db, "--customers", "60", "--today", "2026-11-22"); err != nil {
		t.Fatal(err)
	}
	from := crm.MustDate("2026-11-22")
	const days = 3
	out := filepath.Join(dir, "plan") // .ics is added
	stdout, _, err := runCLI(t, "ics", "--db", db, "-o", out, "--from", "2026-11-22", "--days", "3")
	if err != nil {
		t.Fatal(err)
	}
	events := readICS(t, out+".ics")
	if !strings.Contains(stdout, "2026-11-22 至 2026-11-24") || !strings.Contains(stdout, out+".ics") {
		t.Errorf("stdout %q", stdout)
	}

	// What the plans of those days hold, straight from the store.
	s, err := store.OpenReadOnly(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	want := map[string]crm.Date{} // UID → its day: the first day planned with room (ui.CalendarPerDay)
	planned, holidays, more := 0, 0, 0
	for i := range days {
		p, err := s.Plan(context.Background(), from.AddDays(i))
		if err != nil {
			t.Fatal(err)
		}
		questions := map[string][]crm.PlanItem{"maintain": p.Maintain, "invite": p.Invite, "serve": p.Serve}
		for q, items := range questions {
			rows, left := 0, 0
			for _, it := range items {
				planned++
				uid := crm.CalendarUID(it.Customer.ID, it.Reason, it.Ref, it.Due)
				if it.Reason == crm.ReasonHoliday {
					holidays++
					uid = crm.CalendarGroupUID("holiday", it.Holiday, it.Due)
				}
				if _, ok := want[uid]; ok {
					continue
				}
				if rows == ui.CalendarPerDay {
					left++
					continue
				}
				rows++
				want[uid] = p.Date
				if (it.Reason == crm.ReasonBirthday || it.Reason == crm.ReasonImportantDate) && it.Occurs > p.Date {
					want[uid] = it.Occurs // on the date itself, not the days ahead the plan shows it
				}
				if it.Reason == crm.ReasonHoliday {
					continue
				}
				ev, ok := events[uid]
				if !ok {
					t.Fatalf("no event for %s %s of %s (%s)", it.Customer.Name, it.Reason, p.Date, uid)
				}
				if !strings.Contains(ev.summary, it.Customer.DisplayName()) ||
					!strings.HasPrefix(ev.summary, i18n.T("reason."+string(it.Reason))+"：") {
					t.Errorf("%s: summary %q", uid, ev.summary)
				}
				if !strings.Contains(ev.desc, it.Customer.Code) {
					t.Errorf("%s: description %q lacks the code", uid, ev.desc)
				}
			}
			if left > 0 {
				more++
				uid := crm.CalendarGroupUID("more", q, p.Date)
				want[uid] = p.Date
				if ev := events[uid]; !strings.HasSuffix(ev.summary, "另有 "+strconv.Itoa(left)+" 位顾客") {
					t.Errorf("%s: summary %q, want %d more", uid, ev.summary, left)
				}
			}
		}
	}
	if len(events) != len(want) {
		t.Errorf("%d events, want %d", len(events), len(want))
	}
	for uid, day := range want {
		if events[uid].day != day {
			t.Errorf("%s on %v, want %v", uid, events[uid].day, day)
		}
	}
	if planned <= len(want) {
		t.Errorf("the demo book should plan some items on several days (planned %d, distinct %d)", planned, len(want))
	}
	t.Logf("%d items planned over %d days (%d holiday greetings), %d events (%d \"more\")", planned, days, holidays, len(events), more)
	// Some phones are in the notes.
	phones := 0
	for _, ev := range events {
		if strings.Contains(ev.desc, "电话：") {
			phones++
		}
	}
	if phones == 0 {
		t.Error("no event has a phone")
	}

	// Again, from the next day: the items still planned keep their UIDs.
	out2 := filepath.Join(dir, "again.ics")
	if _, _, err := runCLI(t, "ics", "--db", db, "-o", out2, "--from", "2026-11-23", "--days", "2"); err != nil {
		t.Fatal(err)
	}
	again := readICS(t, out2)
	kept := 0
	for uid := range again {
		if _, ok := events[uid]; ok {
			kept++
		}
	}
	if kept == 0 || len(again) == 0 {
		t.Errorf("no UID kept between the exports (%d of %d)", kept, len(again))
	}
}

// Bad input is refused with one translated line, and writes no file.
func TestICSCommandRefusesBadInput(t *testing.T) {
	i18n.Set(i18n.ZhHans)
	t.Cleanup(func() { i18n.Set(i18n.English) })
	dir := t.TempDir()
	db := filepath.Join(dir, "book.db")
	addCustomer(t, db, "张三") // created today: nothing due on 2026-11-22
	out := filepath.Join(dir, "plan.ics")
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"ics", "--db", db}, "请指定要写入的文件"},
		{[]string{"ics", "--db", db, "-o", out, "--days", "0"}, "--days 必须是 1 到 31 之间的数字，而不是 0。"},
		{[]string{"ics", "--db", db, "-o", out, "--days", "32"}, "而不是 32"},
		{[]string{"ics", "--db", db, "-o", out, "--days", "三"}, "而不是 三"},
		{[]string{"ics", "--db", db, "-o", out, "--from", "2026-02-30"}, "2026-02-30"},
		{[]string{"ics", "--db", filepath.Join(dir, "none.db"), "-o", out}, filepath.Join(dir, "none.db")},
		{[]string{"ics", "--db", db, "-o", out, "--from", "2026-11-22", "--days", "1"}, "2026-11-22 至 2026-11-22 没有要做的事，未生成日历文件。"},
	}
	for _, tt := range tests {
		_, _, err := runCLI(t, tt.args...)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: %v, want %q", tt.args, err, tt.want)
		}
		if _, serr := os.Stat(out); serr == nil {
			t.Fatalf("%v wrote %s", tt.args, out)
		}
	}
	help, _, err := runCLI(t, "help")
	if err != nil || !strings.Contains(help, "ics        把接下来几天的计划导出为日历文件") {
		t.Errorf("help: %v %q", err, help)
	}
}
