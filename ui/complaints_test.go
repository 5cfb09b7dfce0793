package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"carebook/assets/i18n"
	"carebook/crm"
	"carebook/store"
)

// openComplaints shows the complaints screen and waits for its load.
func openComplaints(t *testing.T, w *Window) *complaintsScreen {
	t.Helper()
	w.show(w.complaints)
	w.Wait()
	return w.complaints
}

func openedComplaintEditor(t *testing.T, w *Window) *complaintEditor {
	t.Helper()
	w.Wait()
	e, ok := w.editor.(*complaintEditor)
	if !ok {
		t.Fatalf("no complaint editor open (%T)", w.editor)
	}
	return e
}

// complaintRow renders row i of the list as the list does.
func complaintRow(t *testing.T, s *complaintsScreen, i int) *complaintRowView {
	t.Helper()
	if i >= len(s.rows) {
		t.Fatalf("no row %d of %d", i, len(s.rows))
	}
	o := s.newRow()
	s.updateRow(i, o)
	return o.(*complaintRowView)
}

func saveComplaint(t *testing.T, st *store.Store, c *crm.Complaint) *crm.Complaint {
	t.Helper()
	if err := st.SaveComplaint(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestComplaintNewSavedWithStepsAndDeadline(t *testing.T) {
	w, st := newTestWindow(t, i18n.ZhHans)
	c := saveCustomer(t, st, &crm.Customer{Name: "孙八", Created: crm.MustDate("2026-01-01")})
	s := openComplaints(t, w)
	if len(s.listBody.Objects) != 1 || s.listBody.Objects[0] == s.list || !strings.Contains(s.empty.Text, "新建客诉") {
		t.Fatalf("empty state %q", s.empty.Text)
	}
	if !strings.Contains(s.analysisEmpty.Text, "这段时间没有客诉") || s.analysisBody.Objects[0] == s.charts {
		t.Errorf("analysis empty state not shown")
	}

	test.Tap(s.newBtn)
	e := openedComplaintEditor(t, w)
	if e.received.Text != "2026-11-22" {
		t.Errorf("received defaults to %q", e.received.Text)
	}
	test.Type(e.pick, "孙")
	w.Wait()
	if len(e.found) != 1 {
		t.Fatalf("found %v", summaryNames(e.found))
	}
	e.matches.Select(0)
	if !strings.Contains(e.customer.Text, "孙八") {
		t.Errorf("customer %q", e.customer.Text)
	}

	// The deadline follows the received date and the severity, live.
	e.received.SetText("2026-11-20") // Friday
	if !strings.Contains(e.deadline.Text, "2026-11-25") || !strings.Contains(e.deadline.Text, "星期三") {
		t.Errorf("general from Friday: %q", e.deadline.Text)
	}
	e.severity.SetSelected(severityLabel(crm.SeveritySimple))
	if !strings.Contains(e.deadline.Text, "2026-11-23") || e.deadline.Importance == widget.DangerImportance {
		t.Errorf("simple from Friday: %q", e.deadline.Text)
	}
	e.received.SetText("2026-11-18")
	if !strings.Contains(e.deadline.Text, "已逾期 3 天（1 个工作日）") || e.deadline.Importance != widget.DangerImportance {
		t.Errorf("overdue: %q (importance %v)", e.deadline.Text, e.deadline.Importance)
	}
	e.severity.SetSelected(severityLabel(crm.SeverityComplex))
	e.received.SetText("2026-11-20")
	test.Tap(e.steps[0].today)
	if e.steps[0].date.Text != "2026-11-22" {
		t.Errorf("today button: %q", e.steps[0].date.Text)
	}
	// complex: 3 working days after the latest step (Sunday 11-22 → Wednesday 11-25)
	if !strings.Contains(e.deadline.Text, "2026-11-25") {
		t.Errorf("complex: %q", e.deadline.Text)
	}
	e.steps[1].date.SetText("2026-11-21")
	test.Type(e.steps[1].note, "表示理解顾客的心情")
	test.Type(e.description, "收到的外套有破损\n要求退换")
	e.category.SetSelected(categoryLabel(crm.ComplaintDifficult))
	test.Tap(e.addFollowUp)
	if len(e.steps) != 6 {
		t.Fatalf("%d step rows after adding a follow-up", len(e.steps))
	}
	test.Tap(e.save)
	w.Wait()
	if w.editor != nil {
		t.Fatalf("editor still open: %q", e.status.Text)
	}

	cs, err := st.Complaints(context.Background(), c.ID)
	if err != nil || len(cs) != 1 {
		t.Fatalf("stored %v %v", cs, err)
	}
	got := cs[0]
	if got.Received != crm.MustDate("2026-11-20") || got.Severity != crm.SeverityComplex || got.Category != crm.ComplaintDifficult ||
		got.Description != "收到的外套有破损\n要求退换" || !got.Closed.IsZero() || len(got.Steps) != 2 ||
		got.Steps[0].Step != crm.StepEmpathise || got.Steps[0].Note != "表示理解顾客的心情" || got.Steps[1].Step != crm.StepListen {
		t.Fatalf("stored complaint %+v", got)
	}

	// The list shows it with its steps and deadline.
	if len(s.rows) != 1 {
		t.Fatalf("list rows %d", len(s.rows))
	}
	v := complaintRow(t, s, 0)
	if v.received.Text != "2026-11-20" || v.customer.Text != "孙八" || v.category.Text != "疑难" || v.severity.Text != "复杂" ||
		v.title.Text != "收到的外套有破损" || v.steps.Text != "步骤 2/5" || v.due.Text != "2026-11-25 前处理" ||
		v.due.Importance == widget.DangerImportance {
		t.Errorf("row %s", v)
	}

	// Opening the row shows the saved steps in their rows; the editor is an edit now.
	s.list.Select(0)
	e = openedComplaintEditor(t, w)
	if e.steps[0].date.Text != "2026-11-22" || e.steps[1].note.Text != "表示理解顾客的心情" || e.steps[2].date.Text != "" ||
		!e.del.Visible() || !e.closeBtn.Visible() || e.reopen.Visible() {
		t.Errorf("editor rows: %q %q %q", e.steps[0].date.Text, e.steps[1].note.Text, e.steps[2].date.Text)
	}
	// Delete (after the confirmation).
	e.deleteConfirmed()
	w.Wait()
	if cs, _ := st.Complaints(context.Background(), c.ID); len(cs) != 0 {
		t.Errorf("not deleted: %v", cs)
	}
	if len(s.rows) != 0 || !strings.Contains(s.empty.Text, "还没有客诉") {
		t.Errorf("list after delete: %d rows, %q", len(s.rows), s.empty.Text)
	}
}

func TestComplaintOverdueRowAndCardEditor(t *testing.T) {
	w, st := newTestWindow(t, i18n.ZhHans)
	c := saveCustomer(t, st, &crm.Customer{Name: "周九", Remark: "周姐", Created: crm.MustDate("2026-01-01")})
	saveComplaint(t, st, &crm.Complaint{CustomerID: c.ID, Received: crm.MustDate("2026-11-18"), Category: crm.ComplaintUrgent,
		Severity: crm.SeveritySimple, Description: "发货太慢"})
	s := openComplaints(t, w)
	v := complaintRow(t, s, 0)
	if v.customer.Text != "周姐" || v.due.Text != "已逾期 3 天" || v.due.Importance != widget.DangerImportance || v.steps.Text != "步骤 0/5" {
		t.Errorf("overdue row %s (importance %v)", v, v.due.Importance)
	}

	// From a customer card: a new complaint of that customer, no picker.
	saved := false
	w.editComplaint(c.ID, nil, func() { saved = true })
	e := openedComplaintEditor(t, w)
	if e.c.CustomerID != c.ID || !strings.Contains(e.customer.Text, "周姐") {
		t.Errorf("customer %d %q", e.c.CustomerID, e.customer.Text)
	}
	test.Type(e.description, "尺码不合适")
	test.Tap(e.save)
	w.Wait()
	if !saved {
		t.Fatalf("not saved: %q", e.status.Text)
	}
	if cs, _ := st.Complaints(context.Background(), c.ID); len(cs) != 2 {
		t.Errorf("%d complaints", len(cs))
	}
}

func TestComplaintCloseAndReopen(t *testing.T) {
	w, st := newTestWindow(t, i18n.ZhHans)
	c := saveCustomer(t, st, &crm.Customer{Name: "吴十", Created: crm.MustDate("2026-01-01")})
	saved := saveComplaint(t, st, &crm.Complaint{CustomerID: c.ID, Received: crm.MustDate("2026-11-20"), Category: crm.ComplaintBatch,
		Severity: crm.SeverityGeneral, Description: "一批货颜色不对",
		Steps: []crm.ComplaintStep{{Step: crm.StepListen, Date: crm.MustDate("2026-11-20")}}})
	s := openComplaints(t, w)
	s.list.Select(0)
	e := openedComplaintEditor(t, w)

	// Closing needs the resolution; nothing is saved without it.
	test.Tap(e.closeBtn)
	w.Wait()
	if !e.errs["resolution"].Visible() || e.errs["resolution"].Text != "结案前请填写处理结果。" {
		t.Fatalf("resolution error %q", e.errs["resolution"].Text)
	}
	if e.closed.Text != "" {
		t.Errorf("closed date left filled in: %q", e.closed.Text)
	}
	if got, _ := st.Complaint(context.Background(), saved.ID); !got.Closed.IsZero() {
		t.Fatalf("closed despite the error")
	}

	test.Type(e.resolution, "整批换货，另送小礼品")
	e.satisfaction.SetSelectedIndex(5)
	e.steps[3].date.SetText("2026-11-21")
	test.Tap(e.closeBtn)
	w.Wait()
	if w.editor != nil {
		t.Fatalf("editor still open: %q", e.status.Text)
	}
	got, err := st.Complaint(context.Background(), saved.ID)
	if err != nil || got.Closed != crm.MustDate("2026-11-22") || got.Satisfaction != 5 || got.Resolution != "整批换货，另送小礼品" ||
		len(got.Steps) != 2 {
		t.Fatalf("closed complaint %+v %v", got, err)
	}

	// Open is the default filter: it is gone from there, and under Closed.
	if len(s.rows) != 0 || !strings.Contains(s.empty.Text, "没有符合筛选条件") {
		t.Errorf("open list: %d rows, %q", len(s.rows), s.empty.Text)
	}
	s.status.SetSelected(complaintStatusLabel(crm.ComplaintClosed))
	w.Wait()
	if len(s.rows) != 1 {
		t.Fatalf("closed list %d rows", len(s.rows))
	}
	if v := complaintRow(t, s, 0); v.due.Text != "2026-11-22 已结案" {
		t.Errorf("closed row %s", v)
	}

	s.list.Select(0)
	e = openedComplaintEditor(t, w)
	if !e.reopen.Visible() || e.closeBtn.Visible() || !strings.Contains(e.state.Text, "2026-11-22") ||
		e.deadline.Text != "已按时结案。 一般投诉：收到后 3 个工作日内处理" {
		t.Errorf("closed editor: state %q deadline %q", e.state.Text, e.deadline.Text)
	}
	test.Tap(e.reopen)
	w.Wait()
	if got, _ := st.Complaint(context.Background(), saved.ID); !got.Closed.IsZero() || got.Resolution == "" {
		t.Fatalf("reopened %+v", got)
	}
	if len(s.rows) != 0 {
		t.Errorf("closed list after reopening: %d rows", len(s.rows))
	}
	s.status.SetSelected(complaintStatusLabel(""))
	w.Wait()
	if len(s.rows) != 1 {
		t.Errorf("all: %d rows", len(s.rows))
	}
}

func TestComplaintInvalidShowsMessagesSavesNothing(t *testing.T) {
	w, st := newTestWindow(t, i18n.ZhHans)
	c := saveCustomer(t, st, &crm.Customer{Name: "郑一", Created: crm.MustDate("2026-01-01")})
	s := openComplaints(t, w)

	// No customer picked.
	test.Tap(s.newBtn)
	e := openedComplaintEditor(t, w)
	test.Tap(e.save)
	w.Wait()
	if !e.errs["customer"].Visible() || e.errs["customer"].Text != "此项必填。" {
		t.Errorf("customer error %q", e.errs["customer"].Text)
	}
	e.close()

	w.editComplaint(c.ID, nil, nil)
	e = openedComplaintEditor(t, w)
	e.received.SetText("2026-11-20")
	e.steps[2].date.SetText("2026-11-10") // clarify before the complaint came in
	e.steps[4].date.SetText("2026-13-01") // follow-up: not a date
	test.Type(e.steps[1].note, "note without a day")
	e.closed.SetText("2026-11-19")
	test.Type(e.resolution, "已处理")
	test.Tap(e.save)
	w.Wait()
	if got := e.steps[2].err.Text; !e.steps[2].err.Visible() || got != "不能早于收到投诉的日期（2026-11-20）。" {
		t.Errorf("step before received: %q", got)
	}
	if got := e.steps[4].err.Text; !strings.Contains(got, "2026-13-01") {
		t.Errorf("bad step date: %q", got)
	}
	if got := e.steps[1].err.Text; got != "此项必填。" {
		t.Errorf("note without a day: %q", got)
	}
	if e.steps[0].err.Visible() || e.steps[3].err.Visible() {
		t.Errorf("errors on the wrong rows")
	}
	if !e.errs["closed"].Visible() || !e.status.Visible() || w.editor != e {
		t.Errorf("closed error %q, status %q", e.errs["closed"].Text, e.status.Text)
	}
	e.received.SetText("20.11.2026")
	test.Tap(e.save)
	w.Wait()
	if !strings.Contains(e.errs["received"].Text, "20.11.2026") {
		t.Errorf("received error %q", e.errs["received"].Text)
	}
	if cs, _ := st.Complaints(context.Background(), c.ID); len(cs) != 0 {
		t.Fatalf("saved despite the errors: %+v", cs)
	}

	// Fixed: the messages go and it saves.
	e.received.SetText("2026-11-09")
	e.steps[4].date.SetText("2026-11-12")
	e.steps[1].date.SetText("2026-11-09")
	test.Tap(e.save)
	w.Wait()
	if w.editor != nil {
		t.Fatalf("not saved: %q", e.status.Text)
	}
	cs, _ := st.Complaints(context.Background(), c.ID)
	if len(cs) != 1 || len(cs[0].Steps) != 3 || cs[0].Closed != crm.MustDate("2026-11-19") {
		t.Fatalf("stored %+v", cs)
	}
}

func TestComplaintAnalysisAndFilters(t *testing.T) {
	w, st := newTestWindow(t, i18n.ZhHans)
	a := saveCustomer(t, st, &crm.Customer{Name: "冯二", Created: crm.MustDate("2025-01-01")})
	b := saveCustomer(t, st, &crm.Customer{Name: "陈三", Created: crm.MustDate("2025-01-01")})
	d := crm.MustDate
	steps := func(kv ...string) []crm.ComplaintStep {
		var out []crm.ComplaintStep
		for i := 0; i < len(kv); i += 2 {
			out = append(out, crm.ComplaintStep{Step: crm.ComplaintStepKind(kv[i]), Date: d(kv[i+1])})
		}
		return out
	}
	// On time (closed the next working day), 1 day, rated 5.
	saveComplaint(t, st, &crm.Complaint{CustomerID: a.ID, Received: d("2026-11-02"), Closed: d("2026-11-03"), Satisfaction: 5,
		Category: crm.ComplaintUrgent, Severity: crm.SeveritySimple, Description: "少发一件",
		Steps: steps("listen", "2026-11-02", "agree", "2026-11-03")})
	// Late (due 11-12), 7 days, rated 2.
	saveComplaint(t, st, &crm.Complaint{CustomerID: b.ID, Received: d("2026-11-09"), Closed: d("2026-11-16"), Satisfaction: 2,
		Category: crm.ComplaintBatch, Severity: crm.SeverityGeneral, Description: "团购订单延误",
		Steps: steps("listen", "2026-11-09", "empathise", "2026-11-09")})
	// Open and overdue (due 11-19): late.
	saveComplaint(t, st, &crm.Complaint{CustomerID: a.ID, Received: d("2026-11-18"), Category: crm.ComplaintUrgent,
		Severity: crm.SeveritySimple, Description: "退款未到账"})
	// Open, not due yet (complex, last step 11-20 → 11-25): not counted in the rate.
	saveComplaint(t, st, &crm.Complaint{CustomerID: b.ID, Received: d("2026-11-16"), Category: crm.ComplaintDifficult,
		Severity: crm.SeverityComplex, Description: "质量问题需要鉴定", Steps: steps("listen", "2026-11-16", "follow_up", "2026-11-20")})
	// Last year: outside the shorter periods.
	saveComplaint(t, st, &crm.Complaint{CustomerID: b.ID, Received: d("2025-06-02"), Closed: d("2025-06-03"),
		Category: crm.ComplaintMalicious, Severity: crm.SeveritySimple, Description: "恶意差评"})

	s := openComplaints(t, w)
	if len(s.rows) != 2 { // open, all time
		t.Fatalf("open rows %d", len(s.rows))
	}
	if v := complaintRow(t, s, 0); v.title.Text != "退款未到账" || v.due.Importance != widget.DangerImportance {
		t.Errorf("newest first: %s", v)
	}
	if s.count.Text != "共 2 件客诉" {
		t.Errorf("count %q", s.count.Text)
	}

	s.status.SetSelected(complaintStatusLabel(""))
	s.period.SetSelected(i18n.T("complaints.period_month"))
	w.Wait()
	if len(s.rows) != 4 {
		t.Errorf("this month: %d rows", len(s.rows))
	}
	an := s.analysis
	if an.Total != 4 || an.Open != 2 || an.Closed != 2 || an.Overdue != 1 || an.Known != 3 || an.OnTime != 1 {
		t.Errorf("analysis %+v", an)
	}
	if s.totals.Text != "共 4 件 · 处理中 2 · 已结案 2 · 逾期 1" {
		t.Errorf("totals %q", s.totals.Text)
	}
	if s.onTime.Text != "33%（3 件中 1 件按时）" {
		t.Errorf("on time %q", s.onTime.Text)
	}
	if s.avgClose.Text != "4.0 天" {
		t.Errorf("avg close %q", s.avgClose.Text)
	}
	if s.avgSat.Text != "3.5 / 5（2 件有评分）" {
		t.Errorf("avg satisfaction %q", s.avgSat.Text)
	}
	bars := func(c *barChart) map[string]int {
		out := map[string]int{}
		for _, it := range c.items {
			out[it.key] = it.values[0]
		}
		return out
	}
	if got := bars(s.byCategory); got["urgent"] != 2 || got["batch"] != 1 || got["difficult"] != 1 || got["malicious"] != 0 || len(got) != 4 {
		t.Errorf("by category %v", got)
	}
	if got := bars(s.bySeverity); got["simple"] != 2 || got["general"] != 1 || got["complex"] != 1 {
		t.Errorf("by severity %v", got)
	}
	if got := bars(s.bySteps); got["listen"] != 3 || got["empathise"] != 1 || got["agree"] != 1 || got["follow_up"] != 1 || got["clarify"] != 0 {
		t.Errorf("by step %v", got)
	}
	if s.analysisBody.Objects[0] != s.charts {
		t.Errorf("charts not shown")
	}

	// All time takes last year's in.
	s.period.SetSelected(i18n.T("complaints.period_all"))
	w.Wait()
	if s.analysis.Total != 5 || s.analysis.ByCategory[crm.ComplaintMalicious] != 1 || len(s.rows) != 5 {
		t.Errorf("all time: %d analysed, %d rows", s.analysis.Total, len(s.rows))
	}

	// Category and severity narrow the list (not the analysis).
	s.category.SetSelected(categoryLabel(crm.ComplaintUrgent))
	w.Wait()
	if len(s.rows) != 2 || s.analysis.Total != 5 {
		t.Errorf("urgent: %d rows, %d analysed", len(s.rows), s.analysis.Total)
	}
	s.severity.SetSelected(severityLabel(crm.SeverityComplex))
	w.Wait()
	if len(s.rows) != 0 || !strings.Contains(s.empty.Text, "没有符合筛选条件") {
		t.Errorf("urgent and complex: %d rows, %q", len(s.rows), s.empty.Text)
	}

	// A period without complaints: the analysis says what to do.
	s.category.SetSelectedIndex(0)
	s.severity.SetSelectedIndex(0)
	s.period.SetSelected(i18n.T("complaints.period_30"))
	w.Wait()
	if s.analysis.Total != 4 {
		t.Errorf("30 days: %d", s.analysis.Total)
	}
}
