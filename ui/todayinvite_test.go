package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"carebook/assets/i18n"
	"carebook/crm"
)

// TestTodayInviteDone: an event's open window lists its audience in the Invite column with the
// event, its purpose and how long until it; "已邀约" logs the invitation record, records the
// customer invited, copies the event's script filled in, and the customer leaves the column.
func TestTodayInviteDone(t *testing.T) {
	w, st := newTestWindow(t, i18n.ZhHans)
	ctx := context.Background()
	s := w.todayView
	s.reload()
	w.Wait()
	if got := s.columns[1].empty.Text; !strings.Contains(got, "在「活动」中创建活动") {
		t.Errorf("invite empty state %q", got)
	}
	c := saveCustomer(t, st, &crm.Customer{Name: "周九", Remark: "周姐", Tier: crm.TierVIP, Created: crm.MustDate("2026-01-01"), Tags: []string{"茶友"}})
	saveCustomer(t, st, &crm.Customer{Name: "吴十", Tier: crm.TierVIP, Created: crm.MustDate("2026-01-01")})
	e := &crm.Event{Name: "品茶会", Date: crm.MustDate("2026-11-26"), WindowDays: 7, Purpose: "新茶上市\n第二行",
		Script: "{remark}您好，{date}的{event}给您留了座位。", Audience: crm.Audience{Tags: []string{"茶友"}}}
	if err := st.SaveEvent(ctx, e); err != nil {
		t.Fatal(err)
	}
	s.reload()
	w.Wait()
	col := s.columns[1]
	if len(col.rows) != 1 || col.rows[0].item == nil || col.rows[0].item.Customer.ID != c.ID {
		t.Fatalf("invite rows %+v", col.rows)
	}
	if got := col.title.Text; got != "邀约（1）" {
		t.Errorf("title %q", got)
	}
	row := col.newRow()
	col.updateRow(0, row)
	view := row.(*rowHolder).view
	if got := view.why.Text; got != "11月26日 品茶会：新茶上市…" {
		t.Errorf("why = %q", got)
	}
	if got := view.when.Text; got != "4 天后活动" {
		t.Errorf("when = %q", got)
	}
	if got := view.done.Text; got != "已邀约" || !view.done.Visible() {
		t.Errorf("done %q visible %v", got, view.done.Visible())
	}
	test.Tap(view.done)
	w.Wait()
	if got := w.app.Clipboard().Content(); got != "周姐您好，11月26日的品茶会给您留了座位。" {
		t.Errorf("clipboard %q", got)
	}
	vs, err := st.Invitations(ctx, e.ID)
	if err != nil || len(vs) != 1 || vs[0].CustomerID != c.ID || vs[0].Status != crm.InvitationInvited || vs[0].Date != crm.DateOf(testNow) {
		t.Fatalf("invitations %+v, %v", vs, err)
	}
	rs, err := st.CustomerRecords(ctx, c.ID)
	if err != nil || len(rs) != 1 || rs[0].Kind != crm.KindInvitation || !strings.Contains(rs[0].Content, "品茶会") {
		t.Fatalf("records %+v, %v", rs, err)
	}
	if len(s.columns[1].rows) != 0 {
		t.Errorf("still to invite: %+v", s.columns[1].rows)
	}
	if got := s.note.Text; !strings.Contains(got, "已邀约周姐参加品茶会") {
		t.Errorf("note %q", got)
	}
}

// TestTodayServiceDone: "完成" on a service's Serve item logs a service record and marks the
// service done today; a complaint's item offers "处理" instead.
func TestTodayServiceDone(t *testing.T) {
	w, st := newTestWindow(t, i18n.ZhHans)
	ctx := context.Background()
	today := crm.DateOf(testNow)
	c := saveCustomer(t, st, &crm.Customer{Name: "孙八", Tier: crm.TierSmall, Created: crm.MustDate("2026-01-01")})
	v := &crm.Service{CustomerID: c.ID, Date: today.AddDays(-1), Kind: crm.ServiceAfterSales, Title: "更换滤芯", Status: crm.ServiceOpen}
	if err := st.SaveService(ctx, v); err != nil {
		t.Fatal(err)
	}
	cp := &crm.Complaint{CustomerID: c.ID, Received: today.AddDays(-3), Category: crm.ComplaintUrgent, Severity: crm.SeveritySimple, Description: "漏水"}
	if err := st.SaveComplaint(ctx, cp); err != nil {
		t.Fatal(err)
	}
	s := w.todayView
	s.reload()
	w.Wait()
	col := s.columns[2]
	if len(col.rows) != 2 {
		t.Fatalf("serve rows %+v", col.rows)
	}
	var service, complaint *planRowView
	for i := range col.rows {
		row := col.newRow()
		col.updateRow(i, row)
		view := row.(*rowHolder).view
		switch col.rows[i].item.Reason {
		case crm.ReasonAfterSales:
			service = view
		case crm.ReasonComplaint:
			complaint = view
		}
	}
	if service == nil || complaint == nil {
		t.Fatalf("rows %+v", col.rows)
	}
	if complaint.done.Text != "处理" || service.done.Text != "完成" {
		t.Errorf("buttons %q %q", complaint.done.Text, service.done.Text)
	}
	test.Tap(service.done)
	w.Wait()
	got, err := st.Service(ctx, v.ID)
	if err != nil || got.Status != crm.ServiceDone || got.DoneDate != today {
		t.Fatalf("service %+v, %v", got, err)
	}
	rs, _ := st.CustomerRecords(ctx, c.ID)
	if len(rs) != 1 || rs[0].Kind != crm.KindService {
		t.Errorf("records %+v", rs)
	}
	if len(s.columns[2].rows) != 1 || s.columns[2].rows[0].item.Reason != crm.ReasonComplaint {
		t.Errorf("serve rows after done %+v", s.columns[2].rows)
	}
}
