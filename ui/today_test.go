package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
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

// openSnooze opens, on Today of a window in language l, the snooze dialog of the first item of
// a customer named name who bought yesterday; it returns the window, its book, Today and the
// number of rows before.
func openSnooze(t *testing.T, l i18n.Lang, name string) (*Window, *store.Store, *todayScreen, int) {
	t.Helper()
	w, st := newTestWindow(t, l)
	buyer(t, st, name, crm.DateOf(testNow).AddDays(-1))
	s := w.todayView
	s.reload()
	w.Wait()
	before := len(maintainRows(s))
	row := s.columns[0].newRow()
	s.columns[0].updateRow(0, row)
	test.Tap(row.(*rowHolder).view.snooze)
	return w, st, s, before
}

func TestTodaySnoozeHidesUntilTheDay(t *testing.T) {
	// The row's Snooze asks until when: tomorrow, in 3 days (Nov 25), in 7 days, or a day.
	w, st, s, _ := openSnooze(t, i18n.English, "Li Si")
	today := crm.DateOf(testNow)
	if s.snoozeDialog == nil || len(s.snoozeChoices) != 3 || s.snoozeChoices[1].Text != "In 3 days (Nov 25)" {
		t.Fatalf("snooze dialog %v %v", s.snoozeDialog, s.snoozeChoices)
	}
	test.Tap(s.snoozeChoices[1])
	w.Wait()
	if n := len(maintainRows(s)); n != 0 {
		t.Fatalf("%d rows after snoozing", n)
	}
	if !strings.Contains(s.note.Text, "Nov 25") {
		t.Errorf("note %q", s.note.Text)
	}
	test.Tap(s.nextDay)
	w.Wait()
	if n := len(maintainRows(s)); n != 0 || s.day != today.AddDays(1) {
		t.Fatalf("tomorrow: %d rows (day %s)", n, s.day)
	}
	test.Tap(s.nextDay)
	w.Wait()
	if rows := maintainRows(s); len(rows) != 1 || rows[0].item.Step != 3 { // step 3 due, step 1 still put off
		t.Fatalf("Nov 24: %+v", rows)
	}
	test.Tap(s.nextDay)
	w.Wait()
	if rows := maintainRows(s); len(rows) != 2 { // step 1 back on the snooze day
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
	// The group's copy button copies the holiday message.
	row := s.columns[0].newRow()
	s.columns[0].updateRow(0, row)
	v := row.(*rowHolder).view
	test.Tap(v.snooze)
	if got := w.app.Clipboard().Content(); got != "亲爱的顾客，国庆节快乐！感谢您一直以来的支持，祝您和家人节日愉快、幸福安康！" {
		t.Errorf("copied %q", got)
	}
	// All greeted asks first; cancelling logs nothing.
	count := &countingBook{Book: st}
	w.book = count
	test.Tap(v.done)
	if s.greetDialog == nil {
		t.Fatal("no confirmation")
	}
	s.greetDialog.Dismiss()
	w.Wait()
	if n, _ := st.CountRecords(context.Background(), crm.RecordQuery{}); n != 0 {
		t.Fatalf("cancelled greeting logged %d records", n)
	}
	test.Tap(v.done)
	s.greetDialog.Confirm()
	w.Wait()
	if count.saveRecords != 1 {
		t.Errorf("%d SaveRecords calls, want one for the group", count.saveRecords)
	}
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
		{crm.PlanItem{Reason: crm.ReasonRoutine, Step: 3, PurchaseDate: crm.MustDate("2026-11-19"), Due: d}, "1-3-7 第3天回访，购买于 11月19日", "今天到期"},
		{crm.PlanItem{Reason: crm.ReasonBirthday, Occurs: crm.MustDate("2026-11-25"), Due: crm.MustDate("2026-11-25"),
			KeyDate: &crm.KeyDate{Calendar: crm.Lunar, Month: 10, Day: 7}}, "农历生日 11月25日（农历十月初七）", "还有 3 天"},
		{crm.PlanItem{Reason: crm.ReasonHoliday, Holiday: "mid_autumn", Due: d}, "中秋节问候", "今天到期"},
		{crm.PlanItem{Reason: crm.ReasonCadence, Customer: crm.CustomerRef{Tier: crm.TierVIP}, LastContact: crm.MustDate("2026-11-13"), Due: crm.MustDate("2026-11-20"), Overdue: 2}, "VIP 已 9 天未联系", "逾期 2 天"},
		{crm.PlanItem{Reason: crm.ReasonRecall, Churn: crm.ChurnDormant, LastPurchase: d.AddDays(-120), Due: d}, "休眠 120 天，召回", "今天到期"},
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
	p.grace.SetText("7")
	p.cadence[crm.TierVIP].SetText("400")
	test.Tap(p.save)
	w.Wait()
	if got := p.errs["cadence.vip"].Text; !p.errs["cadence.vip"].Visible() || got != "Between 0 and 365." {
		t.Errorf("cadence error %q", got)
	}
	if !p.status.Visible() || p.errs["grace"].Visible() {
		t.Errorf("status %q, grace error %q", p.status.Text, p.errs["grace"].Text)
	}
	p.cadence[crm.TierVIP].SetText("7")
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
	if p.errs["lost"].Visible() || p.status.Text != i18n.T("rules.saved") {
		t.Errorf("after saving: lost error %q, status %q", p.errs["lost"].Text, p.status.Text)
	}
	// Defaults fills the form; Save keeps them.
	test.Tap(p.reset)
	if p.steps.Text != "1, 3, 7" || p.grace.Text != "7" || p.holidays["christmas"].Checked {
		t.Fatalf("reset shows %q %q", p.steps.Text, p.grace.Text)
	}
	test.Tap(p.save)
	w.Wait()
	if got, _ = st.PlanSettings(context.Background()); got.Grace != 7 || len(got.Steps) != 3 || got.Holidays["christmas"] {
		t.Fatalf("defaults saved as %+v", got)
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

// countingBook counts the SaveRecords calls that reach the book.
type countingBook struct {
	Book
	saveRecords int
}

func (b *countingBook) SaveRecords(ctx context.Context, rs []crm.Record) error {
	b.saveRecords++
	return b.Book.SaveRecords(ctx, rs)
}

func TestTodayDoneTwiceLogsOnce(t *testing.T) {
	w, st := newTestWindow(t, i18n.English)
	c := buyer(t, st, "Wang Wu", crm.DateOf(testNow).AddDays(-1))
	s := w.todayView
	s.reload()
	w.Wait()
	row := s.columns[0].newRow()
	s.columns[0].updateRow(0, row)
	done := row.(*rowHolder).view.done
	test.Tap(done)
	test.Tap(done) // before the save and the reload
	w.Wait()
	if rs, _ := st.CustomerRecords(context.Background(), c.ID); len(rs) != 1 {
		t.Fatalf("%d records after a double tap", len(rs))
	}
	if !strings.Contains(s.note.Text, "Wang Wu") {
		t.Errorf("note %q", s.note.Text)
	}
}

func TestTodayOpensTheCard(t *testing.T) {
	w, st := newTestWindow(t, i18n.ZhHans)
	c := buyer(t, st, "赵六", crm.DateOf(testNow).AddDays(-1))
	s := w.todayView
	s.reload()
	w.Wait()
	row := s.columns[0].newRow()
	s.columns[0].updateRow(0, row)
	test.Tap(row.(*rowHolder).view.open)
	w.Wait()
	if w.screens[w.current] != w.customers {
		t.Fatal("open does not show the Customers screen")
	}
	if got := w.customers.card.customer; got == nil || got.ID != c.ID {
		t.Fatalf("card shows %+v", got)
	}
}

func TestTodayReloadsWhenARecordIsSavedElsewhere(t *testing.T) {
	w, st := newTestWindow(t, i18n.ZhHans)
	c := buyer(t, st, "钱七", crm.DateOf(testNow).AddDays(-1))
	s := w.todayView
	s.reload()
	w.Wait()
	if len(maintainRows(s)) != 1 {
		t.Fatalf("rows %+v", maintainRows(s))
	}
	// Logged from the card or the sheet (Ctrl+L): the plan follows.
	r := &crm.Record{CustomerID: c.ID, At: testNow, Kind: crm.KindRoutine, Channel: crm.ChannelPhone, Content: "回访"}
	if err := st.SaveRecord(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	w.afterRecordChange()
	w.Wait()
	if len(maintainRows(s)) != 0 {
		t.Fatalf("still listed: %+v", maintainRows(s))
	}
	// A customer saved on the Customers screen shows when coming back to Today.
	w.show(w.customers)
	buyer(t, st, "孙八", crm.DateOf(testNow).AddDays(-1))
	w.show(s)
	w.Wait()
	if rows := maintainRows(s); len(rows) != 1 || rows[0].item.Customer.Name != "孙八" {
		t.Fatalf("after coming back: %+v", rows)
	}
}

func TestTodayNarrowWindowShowsTabs(t *testing.T) {
	w, st := newTestWindow(t, i18n.ZhHans)
	buyer(t, st, "周九", crm.DateOf(testNow).AddDays(-1))
	s := w.todayView
	s.reload()
	w.Wait()
	if s.layout.narrow {
		t.Fatal("tabs on the default window")
	}
	// Maintain on half the width, Invite and Serve on a quarter each.
	if lead, inv := s.layout.split.Leading.Size().Width, s.layout.splitSlot[1].Size().Width; lead < 480 || inv < 230 || inv > lead/2+10 {
		t.Errorf("Maintain is %v wide and Invite %v on the default window", lead, inv)
	}
	w.win.Resize(fyne.NewSize(700, 600))
	if !s.layout.narrow || s.columns[0].title.Visible() {
		t.Fatal("no tabs in a narrow window")
	}
	if got := s.layout.tabs.Items[0].Text; got != "维护（1）" {
		t.Errorf("tab %q", got)
	}
	w.win.Resize(fyne.NewSize(1180, 760))
	if s.layout.narrow || !s.columns[0].title.Visible() {
		t.Fatal("still tabs in a wide window")
	}
}

func TestTodayNotifiesOnceAtStart(t *testing.T) {
	a, st := newTestBook(t, i18n.ZhHans)
	buyer(t, st, "吴十", crm.DateOf(testNow).AddDays(-1))
	var w *Window
	test.AssertNotificationSent(t, fyne.NewNotification("顾客维护本：今日计划", "维护 1 · 邀约 0 · 服务 0"), func() {
		w = NewWindow(a, Options{Book: st, Version: "test", Now: func() time.Time { return testNow }, manual: true})
		w.Wait()
	})
	// Not again: other days, reloads, another language.
	test.AssertNotificationSent(t, nil, func() {
		w.todayView.setDay(crm.DateOf(testNow).AddDays(1))
		w.Wait()
		w.todayView.setDay(crm.DateOf(testNow))
		w.Wait()
		w.setLanguage(i18n.English)
		w.Wait()
	})
}

func TestTodayShowsMissedFollowUps(t *testing.T) {
	w, st := newTestWindow(t, i18n.ZhHans)
	// Bought 8 days ago: step 1 (due 7 days ago) runs out of its 7 days of grace today.
	buyer(t, st, "郑一", crm.DateOf(testNow).AddDays(-8))
	s := w.todayView
	s.reload()
	w.Wait()
	if s.plan.Expired != 1 || s.expired.Text != "当天错过 1 个1-3-7回访（已过宽限期）" {
		t.Fatalf("expired %d, label %q", s.plan.Expired, s.expired.Text)
	}
	test.Tap(s.nextDay)
	w.Wait()
	if s.expired.Text != "" {
		t.Errorf("tomorrow: %q", s.expired.Text)
	}
}

// Returning to Today plans the day again only when the book changed since its plan was read (a
// write made anywhere, here straight to the store), not at every visit: at 100,000 customers a
// plan takes a quarter of a second and some 60 MB.
func TestTodayPlansAgainOnlyAfterAWrite(t *testing.T) {
	w, st := newTestWindow(t, i18n.ZhHans)
	// Small, so that no cadence item is due yet.
	c := saveCustomer(t, st, &crm.Customer{Name: "张三", Tier: crm.TierSmall, Created: crm.DateOf(testNow).AddDays(-5)})
	visit := func() {
		w.show(w.customers)
		w.Wait()
		w.show(w.todayView)
		w.Wait()
	}
	followUps := func() int {
		n := 0
		for _, it := range w.todayView.plan.Maintain {
			if it.Reason == crm.ReasonFollowUp && it.Customer.ID == c.ID {
				n++
			}
		}
		return n
	}
	visit() // the card saved after the window opened: planned again
	loads := w.todayView.loading
	visit()
	if w.todayView.loading != loads {
		t.Fatalf("Today planned again without a write (%d loads)", w.todayView.loading-loads)
	}
	if followUps() != 0 {
		t.Fatalf("a follow-up before any record")
	}
	today := crm.DateOf(testNow)
	r := crm.Record{CustomerID: c.ID, At: testNow.AddDate(0, 0, -3), Kind: crm.KindRoutine, Channel: crm.ChannelPhone,
		Content: "回访", NextDate: today, NextStep: "回电话"}
	if err := st.SaveRecord(context.Background(), &r); err != nil {
		t.Fatal(err)
	}
	visit()
	if w.todayView.loading != loads+1 || followUps() != 1 {
		t.Fatalf("after a record: %d loads, %d follow-ups; want 1 and 1", w.todayView.loading-loads, followUps())
	}
	visit()
	if w.todayView.loading != loads+1 {
		t.Fatalf("planned again after the write was read (%d loads)", w.todayView.loading-loads)
	}
}

// Options.Started is called once, when Today has shown its first plan: main keeps the process's
// tighter start-up memory limit until then.
func TestStartedOnceTodayShowsItsPlan(t *testing.T) {
	a, st := newTestBook(t, i18n.ZhHans)
	saveCustomer(t, st, &crm.Customer{Name: "张三", Created: crm.DateOf(testNow).AddDays(-400)})
	calls := 0
	w := NewWindow(a, Options{Book: st, Version: "test", Now: func() time.Time { return testNow }, manual: true,
		Started: func() { calls++ }})
	if calls != 0 {
		t.Fatalf("Started called %d times before the plan was read", calls)
	}
	w.Wait()
	if calls != 1 || len(w.todayView.plan.Maintain) == 0 {
		t.Fatalf("Started called %d times once the plan (%d items) is shown, want 1", calls, len(w.todayView.plan.Maintain))
	}
	w.todayView.reload()
	w.Wait()
	if calls != 1 {
		t.Fatalf("Started called %d times after a second plan, want 1", calls)
	}
}

// Today's day field shows the planned day as every other date of the app (2026-11-22, not the
// locale's 11/22/2026), and a day typed in it is planned.
func TestTodayDayField(t *testing.T) {
	w, _ := newTestWindow(t, i18n.ZhHans)
	s := w.todayView
	if got := s.dateEntry.entry.Text; got != crm.DateOf(testNow).String() {
		t.Fatalf("the day field shows %q", got)
	}
	s.dateEntry.entry.SetText("")
	test.Type(s.dateEntry.entry, "2026-12-01")
	w.Wait()
	if s.day != crm.MustDate("2026-12-01") || s.plan.Date != s.day || s.todayBtn.Disabled() {
		t.Fatalf("typed 2026-12-01: planned %v (plan of %v)", s.day, s.plan.Date)
	}
	test.Tap(s.todayBtn)
	w.Wait()
	if got := s.dateEntry.entry.Text; got != crm.DateOf(testNow).String() || s.day != crm.DateOf(testNow) {
		t.Fatalf("back to today: the field shows %q, planned %v", got, s.day)
	}
}

// The snooze dialog's own day is typed as 2026-11-30: a day not after the planned one, or text
// that is not a day, is refused with a message and changes nothing; a later day snoozes.
func TestTodaySnoozeToATypedDay(t *testing.T) {
	w, _, s, before := openSnooze(t, i18n.ZhHans, "李四")
	today := crm.DateOf(testNow)
	test.Type(s.snoozeDate.entry, today.String())
	if !s.snoozeBad.Visible() || s.snoozeBad.Text != i18n.T("today.snooze_after", "Date", shortDate(today)) {
		t.Fatalf("today typed: message %q (shown %v)", s.snoozeBad.Text, s.snoozeBad.Visible())
	}
	s.snoozeDate.entry.SetText("")
	test.Type(s.snoozeDate.entry, "2026-02-30")
	s.snoozeDate.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if s.snoozeBad.Text != i18n.T("err.date", "Value", "2026-02-30") {
		t.Fatalf("Feb 30 submitted: message %q", s.snoozeBad.Text)
	}
	w.Wait()
	if n := len(maintainRows(s)); n != before {
		t.Fatalf("%d rows after refused days, want %d", n, before)
	}
	s.snoozeDate.entry.SetText("")
	test.Type(s.snoozeDate.entry, today.AddDays(10).String())
	w.Wait()
	if n := len(maintainRows(s)); n != before-1 || !strings.Contains(s.note.Text, shortDate(today.AddDays(10))) {
		t.Fatalf("snoozed 10 days: %d rows (want %d), note %q", n, before-1, s.note.Text)
	}
}
