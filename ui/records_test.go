package ui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"carebook/assets/i18n"
	"carebook/crm"
	"carebook/store"
	"carebook/store/xlsx"
)

func saveCustomer(t *testing.T, st *store.Store, c *crm.Customer) *crm.Customer {
	t.Helper()
	if err := st.SaveCustomer(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestLogContactFromTheCard(t *testing.T) {
	w, st := newTestWindow(t, i18n.ZhHans)
	c := saveCustomer(t, st, &crm.Customer{Name: "张三", Phones: []string{"13812345678"}})
	w.show(w.records) // the sheet, once open, follows what is logged elsewhere
	w.Wait()
	w.show(w.customers)
	cs := w.customers
	cs.reload()
	w.Wait()
	cs.list.Select(0)
	w.Wait()

	w.onLogContact() // Ctrl+L
	e, ok := w.editor.(*recordEditor)
	if !ok {
		t.Fatal("Ctrl+L did not open the record editor")
	}
	if e.record.CustomerID != c.ID || !strings.Contains(e.customer.Text, "张三") {
		t.Fatalf("the card's customer is not preselected: %+v", e.record)
	}
	if w.win.Canvas().Focused() != e.content {
		t.Errorf("the cursor should wait in the content")
	}
	if e.at.Text != "2026-11-22 09:30" || e.kind.Selected != kindLabel(crm.KindRoutine) {
		t.Errorf("defaults: at %q kind %q", e.at.Text, e.kind.Selected)
	}
	test.Type(e.content, "回访面霜使用感受")
	test.Type(e.feedback, "保湿效果不错")
	test.Tap(e.quick[1]) // next date in 3 days
	if e.nextDate.Text != "2026-11-25" {
		t.Errorf("+3 days = %q", e.nextDate.Text)
	}
	menuAction(w, fyne.KeyS) // Ctrl+S saves the open dialog
	w.Wait()
	if w.editor != nil {
		t.Fatalf("editor still open: %q", e.status.Text)
	}
	rs, err := st.CustomerRecords(context.Background(), c.ID)
	if err != nil || len(rs) != 1 {
		t.Fatalf("records = %v, %v", rs, err)
	}
	r := rs[0]
	if r.Content != "回访面霜使用感受" || r.Feedback != "保湿效果不错" || r.NextDate != crm.MustDate("2026-11-25") ||
		r.At.Format(dateTimeLayout) != "2026-11-22 09:30" || r.Channel != crm.ChannelWeChat {
		t.Errorf("stored %+v", r)
	}
	tl := cs.card.history
	if len(tl.items) != 1 || !strings.Contains(tl.summary.Text, "2026-11-22 09:30") {
		t.Errorf("timeline: %d items, summary %q", len(tl.items), tl.summary.Text)
	}
	if !strings.Contains(cs.card.sub.Text, "最近联系 2026-11-22") {
		t.Errorf("card header %q", cs.card.sub.Text)
	}
	if w.records.total != 1 {
		t.Errorf("record sheet shows %d records", w.records.total)
	}
}

func TestLogContactPicksTheCustomerAndValidates(t *testing.T) {
	w, st := newTestWindow(t, i18n.English)
	saveCustomer(t, st, &crm.Customer{Name: "李四"})
	c := saveCustomer(t, st, &crm.Customer{Name: "张三"})
	w.show(w.records)
	w.onLogContact()
	e := w.editor.(*recordEditor)
	test.Tap(e.save)
	w.Wait()
	if !e.errs["customer"].Visible() {
		t.Fatalf("saving without a customer should say so")
	}
	e.pick.SetText("zs")
	w.Wait()
	if len(e.found) != 1 || e.found[0].Name != "张三" {
		t.Fatalf("pick zs = %v", summaryNames(e.found))
	}
	e.matches.Select(0)
	e.nextDate.SetText("2026-11-20") // before the contact
	test.Tap(e.save)
	w.Wait()
	if !e.errs["next_date"].Visible() {
		t.Fatalf("a next date before the contact should be refused")
	}
	e.at.SetText("2026-13-01 10:00")
	test.Tap(e.save)
	w.Wait()
	if !e.errs["at"].Visible() || strings.Contains(e.errs["at"].Text, "err.") {
		t.Fatalf("bad date-time: %q", e.errs["at"].Text)
	}
	if n, _ := st.CountRecords(context.Background(), crm.RecordQuery{}); n != 0 {
		t.Fatalf("invalid records were stored: %d", n)
	}
	e.at.SetText("2026-11-21 18:05")
	e.nextDate.SetText("")
	test.Tap(e.save)
	w.Wait()
	rs, _ := st.CustomerRecords(context.Background(), c.ID)
	if len(rs) != 1 || rs[0].At.Format(dateTimeLayout) != "2026-11-21 18:05" {
		t.Fatalf("records of 张三 = %+v", rs)
	}
}

func TestPurchasesOnTheCard(t *testing.T) {
	w, st := newTestWindow(t, i18n.English)
	c := saveCustomer(t, st, &crm.Customer{Name: "王五"})
	cs := w.customers
	w.show(cs)
	cs.reload()
	w.Wait()
	cs.list.Select(0)
	w.Wait()
	test.Tap(cs.card.history.buyBtn)
	e := w.editor.(*purchaseEditor)
	if e.date.Text != "2026-11-22" {
		t.Errorf("date defaults to today, got %q", e.date.Text)
	}
	e.amount.SetText("12.345")
	test.Tap(e.save)
	w.Wait()
	if !e.errs["amount"].Visible() {
		t.Fatal("three decimals accepted")
	}
	e.amount.SetText("1,280.5")
	e.items.SetText("精华液×1、面霜×2")
	e.channel.SetSelected(saleChannelLabel(crm.Online))
	test.Tap(e.save)
	w.Wait()
	ps, _ := st.Purchases(context.Background(), c.ID)
	if len(ps) != 1 || ps[0].Amount != 128050 || ps[0].Channel != crm.Online || ps[0].Items != "精华液×1、面霜×2" {
		t.Fatalf("purchases = %+v", ps)
	}
	tl := cs.card.history
	if len(tl.items) != 1 || tl.items[0].purchase == nil || !strings.Contains(tl.summary.Text, "1280.50") {
		t.Fatalf("timeline %d items, summary %q", len(tl.items), tl.summary.Text)
	}
	// Edit it from the timeline, then delete it.
	tl.onSelect(0)
	e = w.editor.(*purchaseEditor)
	if e.amount.Text != "1280.50" || !e.del.Visible() {
		t.Fatalf("editing: amount %q", e.amount.Text)
	}
	e.deleteConfirmed()
	w.Wait()
	if ps, _ := st.Purchases(context.Background(), c.ID); len(ps) != 0 {
		t.Fatalf("purchase not deleted")
	}
	if len(tl.items) != 0 {
		t.Errorf("timeline still shows %d items", len(tl.items))
	}
}

func TestRecordSheetPagesAndFilters(t *testing.T) {
	w, st := newTestWindow(t, i18n.English)
	ctx := context.Background()
	a := saveCustomer(t, st, &crm.Customer{Name: "张三"})
	b := saveCustomer(t, st, &crm.Customer{Name: "李四"})
	var rs []crm.Record
	start := time.Date(2026, 1, 1, 10, 0, 0, 0, time.UTC)
	for i := 0; i < 250; i++ {
		r := crm.Record{CustomerID: a.ID, At: start.Add(time.Duration(i) * time.Hour), Kind: crm.KindRoutine,
			Channel: crm.ChannelPhone, Content: "第" + string(rune('0'+i%10)) + "次"}
		if i%5 == 0 {
			r.CustomerID, r.Kind = b.ID, crm.KindGreeting
		}
		rs = append(rs, r)
	}
	if err := st.InsertRecords(ctx, rs); err != nil {
		t.Fatal(err)
	}
	s := w.records
	w.show(s)
	s.reload()
	w.Wait()
	if s.total != 250 || s.count.Text != "250 records" {
		t.Fatalf("total %d, count %q", s.total, s.count.Text)
	}
	s.row(0) // the table asks for the rows it shows; the page is read off the UI goroutine
	w.Wait()
	first, ok := s.row(0)
	if !ok || first.At != start.Add(249*time.Hour) {
		t.Fatalf("first row %+v, want the newest", first)
	}
	s.row(249)
	w.Wait()
	last, ok := s.row(249)
	if !ok || last.At != start {
		t.Fatalf("last row %+v, want the oldest", last)
	}
	if got := recordCell(last, 2); got != "李四" {
		t.Errorf("customer column = %q", got)
	}
	s.kind.SetSelected(kindLabel(crm.KindGreeting))
	w.Wait()
	if s.total != 50 {
		t.Errorf("greetings = %d, want 50", s.total)
	}
	s.kind.SetSelectedIndex(0)
	s.filterCustomer(&crm.Summary{ID: a.ID, Code: a.Code, Name: a.Name})
	w.Wait()
	if s.total != 200 || !s.clear.Visible() {
		t.Errorf("records of 张三 = %d", s.total)
	}
	s.from.SetText("2026-01-05")
	w.Wait()
	s.to.SetText("2026-13-40")
	w.Wait()
	if !s.filterErr.Visible() {
		t.Errorf("a bad date should be reported")
	}
	s.to.SetText("2026-01-05")
	w.Wait()
	// 2026-01-05 00:00 … 23:00 are hours 86..109: 24 records, minus the 4 of 李四 (every 5th).
	if s.total != 20 {
		t.Errorf("one day of 张三 = %d, want 20", s.total)
	}
}

func TestExportFromTheWindow(t *testing.T) {
	w, st := newTestWindow(t, i18n.ZhHans)
	c := saveCustomer(t, st, &crm.Customer{Name: "张三"})
	if err := st.SaveRecord(context.Background(), &crm.Record{CustomerID: c.ID, At: testNow, Kind: crm.KindRoutine,
		Channel: crm.ChannelWeChat, Content: "=1+1"}); err != nil {
		t.Fatal(err)
	}
	var progressed bool
	w.opts.Export = func(ctx context.Context, b Book, path string, from, to crm.Date, progress func(int, int)) error {
		return xlsx.Export(ctx, b.(*store.Store), path, xlsx.Options{Lang: "zh", From: from, To: to,
			Progress: func(done, total int) { progressed = true; progress(done, total) }})
	}
	path := filepath.Join(t.TempDir(), "导出")
	run := w.runExport(path)
	w.Wait()
	if !run.done || run.err != nil {
		t.Fatalf("export: done %v, err %v", run.done, run.err)
	}
	if _, err := os.Stat(path + ".xlsx"); err != nil || !progressed {
		t.Fatalf("no workbook written (progress %v): %v", progressed, err)
	}
}

// TestHiddenSheetStaysSmall: the records sheet loads while another screen is shown (a book's
// record count at start, a record logged from Today). Fyne's Table, refreshed before it has ever
// been laid out, took every row for visible and made a divider for each: 2,000,000 records
// cost 800 MB at start. The hidden sheet must keep a handful of objects, and show every row
// once it is shown.
func TestHiddenSheetStaysSmall(t *testing.T) {
	w, st := newTestWindow(t, i18n.ZhHans)
	c := saveCustomer(t, st, &crm.Customer{Name: "张三"})
	const n = 5000
	rs := make([]crm.Record, n)
	for i := range rs {
		rs[i] = crm.Record{CustomerID: c.ID, At: time.Date(2025, 1, 1, 9, 0, 0, 0, time.Local).Add(time.Duration(i) * time.Hour),
			Kind: crm.KindRoutine, Channel: crm.ChannelPhone, Content: "回访"}
	}
	if err := st.InsertRecords(context.Background(), rs); err != nil {
		t.Fatal(err)
	}
	w.show(w.todayView)
	w.records.reload() // never shown: the sheet reads nothing until it is
	w.Wait()
	if w.records.total != 0 {
		t.Fatalf("the never shown sheet counted %d records", w.records.total)
	}
	// Shown, the sheet counts before it is laid out (content, then layout): the count may come
	// first.
	w.records.opened = true
	w.records.reload()
	w.Wait()
	if w.records.total != n {
		t.Fatalf("the sheet counted %d records, want %d", w.records.total, n)
	}
	test.WidgetRenderer(w.records.table).Refresh() // what a hidden widget's refresh does
	if got := len(test.LaidOutObjects(w.records.table)); got > 500 {
		t.Errorf("the hidden sheet holds %d objects for %d records", got, n)
	}

	w.show(w.records)
	w.Wait()
	if rows, _ := w.records.table.Length(); rows != n {
		t.Errorf("the shown sheet has %d rows, want %d", rows, n)
	}
	if got := len(test.LaidOutObjects(w.records.table)); got > 2000 {
		t.Errorf("the shown sheet holds %d objects", got)
	}
}
