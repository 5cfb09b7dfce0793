package ui

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"carebook/assets/i18n"
	"carebook/crm"
	"carebook/store"
	"carebook/store/ics"
	"carebook/store/imports"
	"carebook/store/xlsx"
)

var testNow = time.Date(2026, 11, 22, 9, 30, 0, 0, time.UTC)

// newTestWindow opens a real book in a temporary directory and builds the window on Fyne's test
// driver, in language l.
func newTestWindow(t *testing.T, l i18n.Lang) (*Window, *store.Store) {
	t.Helper()
	a, st := newTestBook(t, l)
	lang := xlsx.Lang("zh")
	if l == i18n.English {
		lang = "en"
	}
	w := NewWindow(a, Options{Book: st, Version: "test", Now: func() time.Time { return testNow }, manual: true,
		Importer: imports.Importer{Lang: lang}, Import: testImport, Calendar: testCalendar})
	w.Window().Resize(fyne.NewSize(1180, 760))
	w.Wait()
	return w, st
}

// newTestBook starts the test app in language l with an empty book: what a window is opened on.
// Both end with the test.
func newTestBook(t *testing.T, l i18n.Lang) (fyne.App, *store.Store) {
	t.Helper()
	a := test.NewApp()
	t.Cleanup(func() { a.Quit() })
	i18n.Set(l)
	t.Cleanup(func() { i18n.Set(i18n.English) })
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "carebook.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	return a, st
}

// testCalendar is the window's CalendarFunc as main wires it: store/ics.
func testCalendar(path, name string, alarm time.Duration, now time.Time, entries []crm.CalendarEntry) error {
	return ics.WriteFile(path, entries, ics.Options{Name: name, Stamp: now, Alarm: alarm})
}

// testImport is the window's ImportFunc as main wires it: store.Import on the open book.
func testImport(ctx context.Context, b Book, batch *crm.ImportBatch, dryRun bool, progress func(done, total int)) error {
	return b.(*store.Store).Import(ctx, batch, store.ImportOptions{DryRun: dryRun, Progress: progress})
}

func summaryNames(rs []crm.Summary) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Name)
	}
	return out
}

func TestNewCustomerSavedAndFoundByPinyinInitials(t *testing.T) {
	w, st := newTestWindow(t, i18n.ZhHans)
	cs := w.customers
	w.show(cs)
	w.Wait()
	if !cs.empty.Visible() || !strings.Contains(cs.empty.Text, "还没有顾客") {
		t.Fatalf("an empty book should say what to do, got %q", cs.empty.Text)
	}

	cs.onNew()
	card := cs.card
	test.Type(card.name, "张三")
	test.Type(card.phones, "138 1234 5678")
	test.Type(card.tags, "老客户; 团购")
	card.tier.SetSelected(tierLabel(crm.TierVIP))
	test.Tap(card.save)
	w.Wait()
	if card.status.Text != "已保存「张三」。" {
		t.Fatalf("status = %q", card.status.Text)
	}
	if card.code.Text != "C000001" {
		t.Errorf("code = %q, want C000001", card.code.Text)
	}

	cs.search.SetText("zs")
	w.Wait()
	if got := summaryNames(cs.results.All()); len(got) != 1 || got[0] != "张三" {
		t.Fatalf("search zs = %v", got)
	}
	if cs.count.Text != "共 1 位顾客" {
		t.Errorf("count = %q", cs.count.Text)
	}
	c, err := st.Customer(context.Background(), cs.results.ID(0))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Phones) != 1 || c.Phones[0] != "+8613812345678" || c.Tier != crm.TierVIP ||
		strings.Join(c.Tags, ",") != "老客户,团购" {
		t.Errorf("stored card = %+v", c)
	}

	cs.search.SetText("lisi")
	w.Wait()
	if cs.results.Len() != 0 || !strings.Contains(cs.empty.Text, "lisi") {
		t.Errorf("no match should say so: results %v, empty %q", summaryNames(cs.results.All()), cs.empty.Text)
	}
}

func TestValidationNextToFieldsAndNothingSaved(t *testing.T) {
	w, st := newTestWindow(t, i18n.English)
	cs := w.customers
	w.show(cs)
	w.Wait()
	cs.onNew()
	card := cs.card
	test.Type(card.phones, "abc123")
	test.Type(card.email, "not-an-email")
	test.Tap(card.save)
	w.Wait()
	if !card.errs["name"].Visible() || card.errs["name"].Text == "" {
		t.Errorf("name error not shown")
	}
	if !card.errs["phones"].Visible() || !strings.Contains(card.errs["phones"].Text, "abc123") {
		t.Errorf("phone error = %q", card.errs["phones"].Text)
	}
	if !card.errs["email"].Visible() {
		t.Errorf("email error not shown")
	}
	if strings.Contains(card.errs["name"].Text, "err.") {
		t.Errorf("untranslated error %q", card.errs["name"].Text)
	}
	res, err := st.Search(context.Background(), crm.CustomerQuery{})
	if err != nil || len(res) != 0 {
		t.Fatalf("an invalid card was stored: %v %v", res, err)
	}

	// Fixing the fields clears the messages and saves.
	test.Type(card.name, "Li Lei")
	card.phones.SetText("13900001111")
	card.email.SetText("lilei@example.com")
	test.Tap(card.save)
	w.Wait()
	if card.errs["name"].Visible() || card.errs["phones"].Visible() {
		t.Errorf("errors still shown after fixing")
	}
	res, _ = st.Search(context.Background(), crm.CustomerQuery{})
	if len(res) != 1 {
		t.Fatalf("want 1 stored customer, have %d", len(res))
	}
}

func TestImpossibleDatesRefused(t *testing.T) {
	w, st := newTestWindow(t, i18n.ZhHans)
	cs := w.customers
	w.show(cs)
	w.Wait()
	cs.onNew()
	card := cs.card
	test.Type(card.name, "王五")
	// Feb 30 as a solar birthday.
	card.birthday.month.SetSelectedIndex(2)
	card.birthday.day.SetSelectedIndex(30)
	test.Tap(card.save)
	w.Wait()
	if !card.birthday.err.Visible() {
		t.Fatalf("Feb 30 was not refused")
	}
	if card.tabs.SelectedIndex() != 1 {
		t.Errorf("the key tab holding the error should be shown")
	}
	// A lunar day 30 in a month of 29 days: find one in 2026.
	month := 0
	for m := 1; m <= 12; m++ {
		if n, err := crm.LunarMonthDays(2026, m, false); err == nil && n == 29 {
			month = m
			break
		}
	}
	if month == 0 {
		t.Fatal("no 29-day lunar month in 2026?")
	}
	card.birthday.calendar.SetSelected(i18n.T("date.lunar"))
	card.birthday.year.SetText("2026")
	card.birthday.month.SetSelectedIndex(month)
	card.birthday.day.SetSelectedIndex(30)
	test.Tap(card.save)
	w.Wait()
	if !card.birthday.err.Visible() {
		t.Fatalf("lunar 2026-%d-30 was not refused", month)
	}
	if res, _ := st.Search(context.Background(), crm.CustomerQuery{}); len(res) != 0 {
		t.Fatalf("stored despite the bad date")
	}
	// Lunar 8-15 is accepted and shown in both calendars.
	card.birthday.month.SetSelectedIndex(8)
	card.birthday.day.SetSelectedIndex(15)
	if !strings.Contains(card.birthday.info.Text, "农历八月十五") || !strings.Contains(card.birthday.info.Text, "2026-09-25") {
		t.Errorf("info = %q", card.birthday.info.Text)
	}
	test.Tap(card.save)
	w.Wait()
	if card.birthday.err.Visible() {
		t.Fatalf("valid lunar birthday refused: %s", card.birthday.err.Text)
	}
}

func TestArchiveAndUndo(t *testing.T) {
	w, st := newTestWindow(t, i18n.English)
	ctx := context.Background()
	c := &crm.Customer{Name: "赵六", Phones: []string{"13700000000"}}
	if err := st.SaveCustomer(ctx, c); err != nil {
		t.Fatal(err)
	}
	cs := w.customers
	w.show(cs)
	w.Wait()
	cs.reload()
	w.Wait()
	cs.list.Select(0)
	w.Wait()
	if cs.card.customer == nil || cs.card.customer.ID != c.ID {
		t.Fatalf("card not opened")
	}
	test.Tap(cs.card.archive)
	w.Wait()
	if !cs.undoBar.Visible() || cs.results.Len() != 0 {
		t.Fatalf("after archive: undo bar %v, results %v", cs.undoBar.Visible(), summaryNames(cs.results.All()))
	}
	test.Tap(cs.undo)
	w.Wait()
	if cs.undoBar.Visible() || cs.results.Len() != 1 {
		t.Fatalf("after undo: undo bar %v, results %v", cs.undoBar.Visible(), summaryNames(cs.results.All()))
	}
}

func TestFiltersByTierAndTag(t *testing.T) {
	w, st := newTestWindow(t, i18n.English)
	ctx := context.Background()
	for _, c := range []*crm.Customer{
		{Name: "张三", Tier: crm.TierVIP, Tags: []string{"团购"}},
		{Name: "李四", Tier: crm.TierSmall, Tags: []string{"团购"}},
		{Name: "王五", Tier: crm.TierVIP},
	} {
		if err := st.SaveCustomer(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	cs := w.customers
	w.show(cs)
	w.Wait()
	cs.loadTags()
	w.Wait()
	cs.tier.SetSelected(tierLabel(crm.TierVIP))
	w.Wait()
	if got := strings.Join(summaryNames(cs.results.All()), ","); got != "王五,张三" {
		t.Errorf("vip = %q", got)
	}
	cs.tag.SetSelected("团购")
	w.Wait()
	if got := strings.Join(summaryNames(cs.results.All()), ","); got != "张三" {
		t.Errorf("vip + 团购 = %q", got)
	}
}

func TestLanguageSwitch(t *testing.T) {
	w, _ := newTestWindow(t, i18n.English)
	if got := w.screens[0].title(); got != "Today" {
		t.Fatalf("the first screen is %q, want Today", got)
	}
	if got := w.customers.title(); got != "Customers" {
		t.Fatalf("title = %q", got)
	}
	w.show(w.settings)
	w.settings.language.SetSelected(i18n.ZhHant.Name())
	w.Wait()
	if got := w.customers.title(); got != "顧客" {
		t.Errorf("after switching: %q", got)
	}
	if got := w.app.Preferences().String(prefLanguage); got != string(i18n.ZhHant) {
		t.Errorf("language not remembered: %q", got)
	}
	if w.screens[w.current] != w.settings {
		t.Errorf("switching language should stay on Settings")
	}
}

func TestShortcuts(t *testing.T) {
	w, _ := newTestWindow(t, i18n.English)
	w.show(w.settings)
	typeShortcut(w, fyne.KeyN)
	if w.screens[w.current] != w.customers || w.customers.card.customer == nil || w.customers.card.customer.ID != 0 {
		t.Fatalf("Ctrl+N did not open a new card")
	}
	if w.win.Canvas().Focused() != w.customers.card.name {
		t.Errorf("Ctrl+N should focus the name")
	}
	typeShortcut(w, fyne.KeyF)
	if w.win.Canvas().Focused() != w.customers.search {
		t.Errorf("Ctrl+F should focus the search")
	}
}

// typeShortcut presses Ctrl (Cmd on macOS) + key on the window.
func typeShortcut(w *Window, key fyne.KeyName) {
	w.win.Canvas().(interface{ TypedShortcut(fyne.Shortcut) }).TypedShortcut(&desktop.CustomShortcut{KeyName: key, Modifier: fyne.KeyModifierShortcutDefault})
}

func TestMenuShortcutsWhileTyping(t *testing.T) {
	w, _ := newTestWindow(t, i18n.English)
	menuAction(w, fyne.KeyN)
	test.Type(w.customers.card.name, "Han Meimei")
	menuAction(w, fyne.KeyS) // with the name field focused
	w.Wait()
	if w.customers.card.customer.ID == 0 {
		t.Fatalf("Ctrl+S from the menu did not save: %q", w.customers.card.status.Text)
	}
}

func TestPurgeArchivedCustomerAfterConfirmation(t *testing.T) {
	w, st := newTestWindow(t, i18n.English)
	ctx := context.Background()
	c := &crm.Customer{Name: "钱七"}
	if err := st.SaveCustomer(ctx, c); err != nil {
		t.Fatal(err)
	}
	if err := st.ArchiveCustomer(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	cs := w.customers
	w.show(cs)
	w.Wait()
	if cs.card.purge.Visible() {
		t.Errorf("purge shown on an empty card")
	}
	cs.archived.SetChecked(true)
	w.Wait()
	cs.list.Select(0)
	w.Wait()
	if !cs.card.purge.Visible() || cs.card.archive.Visible() {
		t.Fatalf("an archived card should offer restore and purge, not archive")
	}
	test.Tap(cs.card.purge)
	if cs.card.purgeDialog == nil {
		t.Fatal("no confirmation asked")
	}
	cs.card.purgeDialog.Dismiss() // cancel: nothing happens
	w.Wait()
	if _, err := st.Customer(ctx, c.ID); err != nil {
		t.Fatalf("cancelled purge deleted the customer: %v", err)
	}
	test.Tap(cs.card.purge)
	cs.card.purgeDialog.Confirm()
	w.Wait()
	if _, err := st.Customer(ctx, c.ID); err == nil {
		t.Fatal("confirmed purge kept the customer")
	}
	if cs.results.Len() != 0 {
		t.Errorf("purged customer still listed")
	}
}

// menuAction runs the main-menu item whose shortcut is Ctrl+key, as the window does when the key
// is pressed, whatever has the focus.
func menuAction(w *Window, key fyne.KeyName) {
	for _, it := range w.menuItems {
		if sc, ok := it.Shortcut.(*desktop.CustomShortcut); ok && sc.KeyName == key {
			it.Action()
			return
		}
	}
	panic("no menu item for Ctrl+" + string(key))
}
