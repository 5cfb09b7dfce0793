package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"carebook/assets/i18n"
	"carebook/crm"
)

func TestTodayServeShowsServices(t *testing.T) {
	w, st := newTestWindow(t, i18n.ZhHans)
	today := crm.DateOf(testNow)
	s := w.todayView
	s.reload()
	w.Wait()
	if got := s.columns[2].empty.Text; !strings.Contains(got, "今天没有要服务的顾客") {
		t.Errorf("serve empty state %q", got)
	}

	c := saveCustomer(t, st, &crm.Customer{Name: "孙八", Tier: crm.TierSmall, Created: crm.MustDate("2026-01-01")})
	v := &crm.Service{CustomerID: c.ID, Date: today.AddDays(-2), Kind: crm.ServiceOffline, Title: "上门安装",
		Status: crm.ServiceOpen}
	if err := st.SaveService(context.Background(), v); err != nil {
		t.Fatal(err)
	}
	s.reload()
	w.Wait()
	rows := s.columns[2].rows
	if len(rows) != 1 || rows[0].item == nil || rows[0].item.Reason != crm.ReasonOffline || rows[0].item.Customer.ID != c.ID {
		t.Fatalf("serve rows %+v", rows)
	}
	if got := s.columns[2].title.Text; got != "服务（1）" {
		t.Errorf("title %q", got)
	}
	row := s.columns[2].newRow()
	s.columns[2].updateRow(0, row)
	view := row.(*rowHolder).view
	if got := view.why.Text; got != "线下服务：上门安装" {
		t.Errorf("why = %q", got)
	}
	if got := view.when.Text; !strings.Contains(got, "2") {
		t.Errorf("when = %q", got)
	}
	if !view.done.Visible() || view.done.Text != "完成" || !view.open.Visible() {
		t.Errorf("done %q visible %v, open visible %v", view.done.Text, view.done.Visible(), view.open.Visible())
	}
	test.Tap(view.open)
	w.Wait()
	if got := w.customers.card.customer; got == nil || got.ID != c.ID {
		t.Fatalf("card shows %+v", got)
	}
}
