package ui

import (
	"context"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"carebook/assets/i18n"
	"carebook/crm"
	"carebook/store"
)

// openCard shows customer c's card on the Customers screen.
func openCard(t *testing.T, w *Window, c *crm.Customer) *cardEditor {
	t.Helper()
	w.show(w.customers)
	w.customers.open(c.ID)
	w.Wait()
	card := w.customers.card
	if card.customer == nil || card.customer.ID != c.ID {
		t.Fatalf("card shows %+v, want customer %d", card.customer, c.ID)
	}
	return card
}

// serviceRow renders row i of the card's service list.
func serviceRow(s *cardServe, i int) *cardServeRow {
	r := s.newRow().(*cardServeRow)
	s.updateServiceRow(i, r)
	return r
}

func storedServices(t *testing.T, st *store.Store, customerID int64) []crm.Service {
	t.Helper()
	vs, err := st.Services(context.Background(), customerID)
	if err != nil {
		t.Fatal(err)
	}
	return vs
}

func serveRows(w *Window) []planRow {
	w.todayView.reload()
	w.Wait()
	return w.todayView.columns[2].rows
}

func TestScheduleServiceFromCardShowsInCardAndToday(t *testing.T) {
	w, st := newTestWindow(t, i18n.ZhHans)
	c := saveCustomer(t, st, &crm.Customer{Name: "王五", Tier: crm.TierVIP, Created: crm.MustDate("2026-01-01")})
	card := openCard(t, w, c)
	serve := card.serve
	if card.scheduleBtn.Disabled() || card.complaintBtn.Disabled() {
		t.Fatal("quick actions disabled on a saved card")
	}
	if !serve.svcEmpty.Visible() || !strings.Contains(serve.svcEmpty.Text, "还没有服务预约") {
		t.Errorf("services empty state %q (visible %v)", serve.svcEmpty.Text, serve.svcEmpty.Visible())
	}
	if got := card.tabs.Items[3].Text; got != "服务与客诉" {
		t.Errorf("tab = %q", got)
	}

	test.Tap(card.scheduleBtn)
	w.Wait()
	e, ok := w.editor.(*serviceEditor)
	if !ok {
		t.Fatal("安排服务 did not open the service editor")
	}
	if e.date.Text != "2026-11-22" || e.done.Checked || !e.doneDate.Disabled() || e.del.Visible() {
		t.Errorf("new service: date %q, done %v, done date disabled %v, delete visible %v",
			e.date.Text, e.done.Checked, e.doneDate.Disabled(), e.del.Visible())
	}
	if e.customer.Text != "王五  "+c.Code {
		t.Errorf("customer = %q", e.customer.Text)
	}
	test.Type(e.title, "上门安装空调")
	e.kind.SetSelected(serviceKindLabel(crm.ServiceAfterSales))
	test.Type(e.notes, "带好工具")
	menuAction(w, fyne.KeyS) // Ctrl+S saves the open dialog
	w.Wait()
	if w.editor != nil {
		t.Fatalf("editor still open: %q", e.status.Text)
	}
	vs := storedServices(t, st, c.ID)
	if len(vs) != 1 {
		t.Fatalf("stored %+v", vs)
	}
	v := vs[0]
	if v.Date != crm.DateOf(testNow) || v.Kind != crm.ServiceAfterSales || v.Title != "上门安装空调" ||
		v.Notes != "带好工具" || v.Status != crm.ServiceOpen || !v.DoneDate.IsZero() {
		t.Errorf("stored service %+v", v)
	}

	// On the card.
	if len(serve.services) != 1 || serve.svcEmpty.Visible() {
		t.Fatalf("card services %+v, empty visible %v", serve.services, serve.svcEmpty.Visible())
	}
	if got := serve.svcHead.Text; got != "服务预约（待办 1 / 共 1）" {
		t.Errorf("head = %q", got)
	}
	row := serviceRow(serve, 0)
	if got := row.head.Text; got != "2026-11-22 · 售后 · 上门安装空调" {
		t.Errorf("row head = %q", got)
	}
	if row.when.Text != "今天" || !row.done.Visible() {
		t.Errorf("row when %q, done visible %v", row.when.Text, row.done.Visible())
	}

	// In Today's Serve column.
	rows := serveRows(w)
	if len(rows) != 1 || rows[0].item == nil || rows[0].item.Reason != crm.ReasonAfterSales || rows[0].item.Customer.ID != c.ID {
		t.Fatalf("serve rows %+v", rows)
	}

	// Done marks it done today and takes it off Serve.
	test.Tap(row.done)
	w.Wait()
	vs = storedServices(t, st, c.ID)
	if len(vs) != 1 || vs[0].Status != crm.ServiceDone || vs[0].DoneDate != crm.DateOf(testNow) {
		t.Fatalf("after done: %+v", vs)
	}
	if rows := w.todayView.columns[2].rows; len(rows) != 0 {
		t.Errorf("serve rows after done: %+v", rows)
	}
	row = serviceRow(serve, 0)
	if row.when.Text != "2026-11-22 已完成" || row.done.Visible() {
		t.Errorf("done row: when %q, done visible %v", row.when.Text, row.done.Visible())
	}
	if got := serve.svcHead.Text; got != "服务预约（待办 0 / 共 1）" {
		t.Errorf("head = %q", got)
	}
}

func TestServiceEditorRefusesBadInputAndSavesNothing(t *testing.T) {
	w, st := newTestWindow(t, i18n.ZhHans)
	c := saveCustomer(t, st, &crm.Customer{Name: "赵六"})
	card := openCard(t, w, c)
	test.Tap(card.scheduleBtn)
	e := w.editor.(*serviceEditor)

	test.Tap(e.save) // no title
	w.Wait()
	if l := e.errs["title"]; !l.Visible() || l.Text != "此项必填。" {
		t.Errorf("title error %q (visible %v)", l.Text, l.Visible())
	}
	if !e.status.Visible() || e.status.Text == "" {
		t.Error("no summary at the foot")
	}
	if w.editor != e {
		t.Fatal("the editor closed on invalid input")
	}

	e.date.SetText("2026-13-45")
	test.Type(e.title, "保养")
	e.done.SetChecked(true)
	if e.doneDate.Text != "2026-11-22" || e.doneDate.Disabled() {
		t.Errorf("done date %q, disabled %v", e.doneDate.Text, e.doneDate.Disabled())
	}
	e.doneDate.SetText("昨天")
	test.Tap(e.save)
	w.Wait()
	if l := e.errs["date"]; !l.Visible() || !strings.Contains(l.Text, "2026-13-45") {
		t.Errorf("date error %q", l.Text)
	}
	if l := e.errs["done_date"]; !l.Visible() || !strings.Contains(l.Text, "昨天") {
		t.Errorf("done date error %q", l.Text)
	}
	if e.errs["title"].Visible() {
		t.Errorf("title error still shown: %q", e.errs["title"].Text)
	}
	if vs := storedServices(t, st, c.ID); len(vs) != 0 {
		t.Fatalf("saved despite errors: %+v", vs)
	}

	// Corrected, it saves as done on the day typed.
	e.date.SetText("2026-11-20")
	e.doneDate.SetText("2026-11-21")
	test.Tap(e.save)
	w.Wait()
	vs := storedServices(t, st, c.ID)
	if len(vs) != 1 || vs[0].Status != crm.ServiceDone || vs[0].DoneDate != crm.MustDate("2026-11-21") ||
		vs[0].Date != crm.MustDate("2026-11-20") || vs[0].Kind != crm.ServiceOffline {
		t.Fatalf("stored %+v", vs)
	}
	if w.editor != nil {
		t.Error("editor still open after a good save")
	}
}

func TestEditAndDeleteServiceFromCard(t *testing.T) {
	w, st := newTestWindow(t, i18n.ZhHans)
	c := saveCustomer(t, st, &crm.Customer{Name: "钱七", Created: crm.MustDate("2026-01-01")})
	v := &crm.Service{CustomerID: c.ID, Date: crm.MustDate("2026-11-19"), Kind: crm.ServiceOnline, Title: "视频讲解用法",
		Status: crm.ServiceOpen}
	if err := st.SaveService(context.Background(), v); err != nil {
		t.Fatal(err)
	}
	card := openCard(t, w, c)
	serve := card.serve
	row := serviceRow(serve, 0)
	if row.when.Text != "逾期 3 天" || row.when.Importance != widget.DangerImportance {
		t.Errorf("overdue row: %q, importance %v", row.when.Text, row.when.Importance)
	}

	serve.svcList.Select(0)
	e, ok := w.editor.(*serviceEditor)
	if !ok {
		t.Fatal("clicking the row did not open the editor")
	}
	if e.title.Text != "视频讲解用法" || e.date.Text != "2026-11-19" || e.kind.Selected != "线上" || !e.del.Visible() {
		t.Errorf("editor shows title %q date %q kind %q, delete visible %v", e.title.Text, e.date.Text, e.kind.Selected, e.del.Visible())
	}
	e.title.SetText("视频讲解用法（第二次）")
	test.Tap(e.save)
	w.Wait()
	if vs := storedServices(t, st, c.ID); len(vs) != 1 || vs[0].ID != v.ID || vs[0].Title != "视频讲解用法（第二次）" {
		t.Fatalf("after edit: %+v", vs)
	}
	if serve.services[0].Title != "视频讲解用法（第二次）" {
		t.Errorf("card not refreshed: %+v", serve.services)
	}

	serve.svcList.Select(0)
	e = w.editor.(*serviceEditor)
	test.Tap(e.del)
	if e.confirm == nil {
		t.Fatal("delete did not ask first")
	}
	if vs := storedServices(t, st, c.ID); len(vs) != 1 {
		t.Fatal("deleted before the user confirmed")
	}
	e.confirm.Hide()
	e.deleteConfirmed()
	w.Wait()
	if vs := storedServices(t, st, c.ID); len(vs) != 0 {
		t.Fatalf("after delete: %+v", vs)
	}
	if len(serve.services) != 0 || !serve.svcEmpty.Visible() || w.editor != nil {
		t.Errorf("card services %+v, empty visible %v, editor %v", serve.services, serve.svcEmpty.Visible(), w.editor)
	}
	if rows := serveRows(w); len(rows) != 0 {
		t.Errorf("serve rows: %+v", rows)
	}
}

func TestCardListsComplaintsWithDeadline(t *testing.T) {
	w, st := newTestWindow(t, i18n.ZhHans)
	c := saveCustomer(t, st, &crm.Customer{Name: "孙八"})
	for _, x := range []*crm.Complaint{
		{CustomerID: c.ID, Received: crm.MustDate("2026-11-16"), Channel: crm.ChannelPhone, Category: crm.ComplaintUrgent,
			Severity: crm.SeveritySimple, Description: "收到的外套有破损\n要求换货"},
		{CustomerID: c.ID, Received: crm.MustDate("2026-10-08"), Category: crm.ComplaintDifficult,
			Severity: crm.SeverityGeneral, Description: "尺码不合适", Closed: crm.MustDate("2026-10-10")},
	} {
		if err := st.SaveComplaint(context.Background(), x); err != nil {
			t.Fatal(err)
		}
	}
	card := openCard(t, w, c)
	serve := card.serve
	if len(serve.complaints) != 2 || serve.cmpEmpty.Visible() {
		t.Fatalf("complaints %+v", serve.complaints)
	}
	if got := serve.cmpHead.Text; got != "客诉（处理中 1 / 共 2）" {
		t.Errorf("head = %q", got)
	}
	byReceived := map[string]*cardServeRow{}
	for i := range serve.complaints {
		r := serve.newRow().(*cardServeRow)
		serve.updateComplaintRow(i, r)
		byReceived[serve.complaints[i].Received.String()] = r
		if r.done.Visible() {
			t.Errorf("complaint row %d has a Done button", i)
		}
	}
	open := byReceived["2026-11-16"]
	if open.head.Text != "2026-11-16 · 简单 · 紧急" || open.body.Text != "收到的外套有破损…" {
		t.Errorf("open complaint row: %q / %q", open.head.Text, open.body.Text)
	}
	// Simple: due one working day after it was received (Tuesday 17th), 5 days ago.
	if open.when.Text != "已逾期 5 天" || open.when.Importance != widget.DangerImportance {
		t.Errorf("open complaint when %q (%v)", open.when.Text, open.when.Importance)
	}
	if got := byReceived["2026-10-08"].when.Text; got != "2026-10-10 已结案" {
		t.Errorf("closed complaint when %q", got)
	}
	// Clicking a complaint or "new complaint" hands over to the complaint editor; neither may
	// fail while that editor is elsewhere.
	serve.cmpList.Select(0)
	test.Tap(card.complaintBtn)
	w.Wait()
}

func TestNewCardHasNoServeActions(t *testing.T) {
	w, _ := newTestWindow(t, i18n.English)
	w.show(w.customers)
	w.customers.onNew()
	w.Wait()
	card := w.customers.card
	if !card.scheduleBtn.Disabled() || !card.complaintBtn.Disabled() {
		t.Error("quick actions enabled on an unsaved card")
	}
	if !card.serve.svcEmpty.Visible() || !strings.Contains(card.serve.svcEmpty.Text, "Save the card first") {
		t.Errorf("empty state %q", card.serve.svcEmpty.Text)
	}
	test.Tap(card.scheduleBtn)
	if w.editor != nil {
		t.Error("a disabled quick action opened an editor")
	}
}

func TestServiceWhen(t *testing.T) {
	i18n.Set(i18n.English)
	today := crm.MustDate("2026-11-22")
	for _, tc := range []struct {
		v    crm.Service
		text string
		imp  widget.Importance
	}{
		{crm.Service{Date: today.AddDays(-2), Status: crm.ServiceOpen}, "2 days overdue", widget.DangerImportance},
		{crm.Service{Date: today, Status: crm.ServiceOpen}, "Today", widget.WarningImportance},
		{crm.Service{Date: today.AddDays(4), Status: crm.ServiceOpen}, "In 4 days", widget.MediumImportance},
		{crm.Service{Date: today.AddDays(-9), Status: crm.ServiceDone, DoneDate: today.AddDays(-8)}, "Done 2026-11-14", widget.SuccessImportance},
	} {
		text, imp := serviceWhen(tc.v, today)
		if text != tc.text || imp != tc.imp {
			t.Errorf("serviceWhen(%v %v) = %q, %v; want %q, %v", tc.v.Date, tc.v.Status, text, imp, tc.text, tc.imp)
		}
	}
}

func TestSortServicesOpenFirst(t *testing.T) {
	d := crm.MustDate
	vs := []crm.Service{
		{ID: 1, Date: d("2026-11-25"), Status: crm.ServiceOpen},
		{ID: 2, Date: d("2026-10-01"), Status: crm.ServiceDone},
		{ID: 3, Date: d("2026-11-01"), Status: crm.ServiceOpen},
		{ID: 4, Date: d("2026-11-10"), Status: crm.ServiceDone},
		{ID: 5, Date: d("2026-11-01"), Status: crm.ServiceOpen},
	}
	var got []int64
	for _, v := range sortServices(vs) {
		got = append(got, v.ID)
	}
	if want := []int64{3, 5, 1, 4, 2}; !slices.Equal(got, want) {
		t.Errorf("order %v, want %v", got, want)
	}
}
