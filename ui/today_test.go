package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"carebook/assets/i18n"
	"carebook/crm"
	"carebook/store"
)

// buyer saves a customer who bought on day.
func buyer(t *testing.T, st *store.Store, name string, day crm.Date) *crm.Customer {
	t.Helper()
	c := saveCustomer(t, st, &crm.Customer{Name: name, Tier: crm.TierSmall, Created: crm.MustDate("2026-01-01")})
	if err := st.SavePurchase(context.Background(), &crm.Purchase{CustomerID: c.ID, Date: day, Amount: 12800}); err != nil {
		t.Fatal(err)
	}
	return c
}

func maintainRows(s *todayScreen) []planRow { return s.columns[0].rows }

func TestTodayDoneLogsRecordAndLeavesList(t *testing.T) {
	w, st := newTestWindow(t, i18n.ZhHans)
	today := crm.DateOf(testNow)
	c := buyer(t, st, "张三", today.AddDays(-1))
	if err := st.SetTemplate(context.Background(), string(i18n.ZhHans), crm.TemplateThanks, "{name}，谢谢您的支持！"); err != nil {
		t.Fatal(err)
	}
	s := w.todayView
	s.reload()
	w.Wait()
	if w.screens[w.current] != s {
		t.Fatal("the window does not open on Today")
	}
	rows := maintainRows(s)
	if len(rows) != 1 || rows[0].item == nil || rows[0].item.Reason != crm.ReasonRoutine || rows[0].item.Step != 1 {
		t.Fatalf("maintain rows %+v", rows)
	}
	if got := itemWhy(rows[0].item, today); !strings.Contains(got, "第1天回访") || !strings.Contains(got, "11月21日") {
		t.Errorf("why = %q", got)
	}
	if got := s.columns[0].title.Text; got != "维护（1）" {
		t.Errorf("title %q", got)
	}
	// The row's Done button, in a real row of the list, marks it done.
	row := s.columns[0].newRow()
	s.columns[0].updateRow(0, row)
	test.Tap(row.(*rowHolder).view.done)
	w.Wait()
	rs, err := st.CustomerRecords(context.Background(), c.ID)
	if err != nil || len(rs) != 1 || rs[0].Kind != crm.KindRoutine || rs[0].Content != "张三，谢谢您的支持！" {
		t.Fatalf("records after done: %+v %v", rs, err)
	}
	if got := w.app.Clipboard().Content(); got != "张三，谢谢您的支持！" {
		t.Errorf("clipboard %q", got)
	}
	if len(maintainRows(s)) != 0 {
		t.Errorf("the item is still listed: %+v", maintainRows(s))
	}
	if !strings.Contains(s.columns[0].empty.Text, "没有要维护") {
		t.Errorf("empty state %q", s.columns[0].empty.Text)
	}
}

func TestTodaySnoozeHidesUntilTheDay(t *testing.T) {
	w, st := newTestWindow(t, i18n.English)
	today := crm.DateOf(testNow)
	buyer(t, st, "Li Si", today.AddDays(-1))
	s := w.todayView
	s.reload()
	w.Wait()
	it := maintainRows(s)[0].item
	s.snooze(it, today.AddDays(2))
	w.Wait()
	if n := len(maintainRows(s)); n != 0 {
		t.Fatalf("%d rows after snoozing", n)
	}
	test.Tap(s.nextDay)
	w.Wait()
	if n := len(maintainRows(s)); n != 0 || s.day != today.AddDays(1) {
		t.Fatalf("tomorrow: %d rows (day %s)", n, s.day)
	}
	test.Tap(s.nextDay)
	w.Wait()
	if rows := maintainRows(s); len(rows) != 2 { // step 1 back, and step 3 due
		t.Fatalf("on the snooze day: %+v", rows)
	}
	// Another day: Done and Snooze are off, and the note says why.
	row := s.columns[0].newRow()
	s.columns[0].updateRow(0, row)
	if v := row.(*rowHolder).view; !v.done.Disabled() || !v.snooze.Disabled() {
		t.Error("done/snooze enabled on another day")
	}
	if !s.note.Visible() || !strings.Contains(s.note.Text, "another day") {
		t.Errorf("note %q", s.note.Text)
	}
	s.onDone(maintainRows(s)[0].item)
	w.Wait()
	if n, _ := st.CountRecords(context.Background(), crm.RecordQuery{}); n != 0 {
		t.Errorf("done on another day logged %d records", n)
	}
	test.Tap(s.todayBtn)
	w.Wait()
	if s.day != today || s.note.Visible() {
		t.Errorf("back to today: %s, note %q", s.day, s.note.Text)
	}
}

func TestTodayHolidayGroupedAndGreetedInBulk(t *testing.T) {
	w, st := newTestWindow(t, i18n.ZhHans)
	national := time.Date(2026, 10, 1, 10, 0, 0, 0, time.UTC)
	w.opts.Now = func() time.Time { return national }
	var ids []int64
	for _, n := range []string{"甲", "乙", "丙"} {
		ids = append(ids, saveCustomer(t, st, &crm.Customer{Name: n, Tier: crm.TierSmall, Created: crm.MustDate("2026-01-01")}).ID)
	}
	saveCustomer(t, st, &crm.Customer{Name: "丁", Tier: crm.TierSmall, DoNotDisturb: true, Created: crm.MustDate("2026-01-01")})
	s := w.todayView
	s.setDay(crm.DateOf(national))
	w.Wait()
	rows := maintainRows(s)
	if len(rows) != 1 || rows[0].group == nil || len(rows[0].group.items) != 3 {
		t.Fatalf("rows %+v", rows)
	}
	if got := i18n.T("today.holiday_group", "Holiday", holidayName(rows[0].group.key), "Count", 3); got != "国庆节：3 位顾客" {
		t.Errorf("group label %q", got)
	}
	s.greetGroup(rows[0].group)
	w.Wait()
	for _, id := range ids {
		rs, _ := st.CustomerRecords(context.Background(), id)
		if len(rs) != 1 || rs[0].Kind != crm.KindGreeting || !strings.Contains(rs[0].Content, "国庆节快乐") {
			t.Errorf("customer %d records %+v", id, rs)
		}
	}
	if len(maintainRows(s)) != 0 {
		t.Errorf("still listed after greeting: %+v", maintainRows(s))
	}
}

func TestTodayWhyTexts(t *testing.T) {
	i18n.Set(i18n.ZhHans)
	defer i18n.Set(i18n.English)
	d := crm.MustDate("2026-11-22")
	for _, tc := range []struct {
		it        crm.PlanItem
		why, when string
	}{
		{crm.PlanItem{Reason: crm.ReasonRoutine, Step: 3, PurchaseDate: crm.MustDate("2026-11-19"), Due: d}, "1-3-7 第3天回访，购买于 11月19日", "今天"},
		{crm.PlanItem{Reason: crm.ReasonBirthday, Occurs: crm.MustDate("2026-11-25"), Due: crm.MustDate("2026-11-25"),
			KeyDate: &crm.KeyDate{Calendar: crm.Lunar, Month: 10, Day: 7}}, "农历生日 11月25日（农历十月初七）", "还有 3 天"},
		{crm.PlanItem{Reason: crm.ReasonHoliday, Holiday: "mid_autumn", Due: d}, "中秋节问候", "今天"},
		{crm.PlanItem{Reason: crm.ReasonCadence, Customer: crm.CustomerRef{Tier: crm.TierVIP}, LastContact: crm.MustDate("2026-11-13"), Due: crm.MustDate("2026-11-20"), Overdue: 2}, "VIP 已 9 天未联系", "逾期 2 天"},
		{crm.PlanItem{Reason: crm.ReasonRecall, Churn: crm.ChurnDormant, LastPurchase: d.AddDays(-120), Due: d}, "休眠 120 天，召回", "今天"},
	} {
		if got := itemWhy(&tc.it, d); got != tc.why {
			t.Errorf("why %q, want %q", got, tc.why)
		}
		if got := itemWhen(&tc.it, d); got != tc.when {
			t.Errorf("when %q, want %q", got, tc.when)
		}
	}
}

func TestPlanSettingsFormValidatesAndSaves(t *testing.T) {
	w, st := newTestWindow(t, i18n.English)
	w.show(w.settings)
	p := w.settings.plan
	w.Wait()
	if p.steps.Text != "1, 3, 7" || p.cadence[crm.TierVIP].Text != "7" || !p.holidays["mid_autumn"].Checked || p.holidays["christmas"].Checked {
		t.Fatalf("defaults not shown: %q %q", p.steps.Text, p.cadence[crm.TierVIP].Text)
	}
	test.Type(p.grace, "x")
	p.lost.SetText("100")
	test.Tap(p.save)
	w.Wait()
	if !p.errs["grace"].Visible() || !strings.Contains(p.errs["grace"].Text, "whole number") {
		t.Errorf("grace error %q", p.errs["grace"].Text)
	}
	got, _ := st.PlanSettings(context.Background())
	if got.Lost != 365 {
		t.Fatalf("invalid form saved: %+v", got)
	}
	p.grace.SetText("5")
	test.Tap(p.save)
	w.Wait()
	if !p.errs["lost"].Visible() {
		t.Error("lost before half-lost not refused")
	}
	p.lost.SetText("400")
	p.steps.SetText("2，5")
	p.holidays["christmas"].SetChecked(true)
	test.Tap(p.save)
	w.Wait()
	got, _ = st.PlanSettings(context.Background())
	if got.Grace != 5 || got.Lost != 400 || len(got.Steps) != 2 || got.Steps[1] != 5 || !got.Holidays["christmas"] {
		t.Fatalf("saved %+v", got)
	}
	// Templates: edit, save, and the default comes back.
	p.template.SetSelectedIndex(0)
	p.body.SetText("Thanks {name}!")
	test.Tap(p.saveTemplate)
	w.Wait()
	if m, _ := st.Templates(context.Background(), "en"); m[crm.TemplateThanks] != "Thanks {name}!" {
		t.Fatalf("template not saved: %v", m)
	}
	test.Tap(p.defaultTemplate)
	w.Wait()
	if m, _ := st.Templates(context.Background(), "en"); len(m) != 0 || p.body.Text != i18n.T("tpl.thanks") {
		t.Fatalf("default not restored: %v %q", m, p.body.Text)
	}
}
