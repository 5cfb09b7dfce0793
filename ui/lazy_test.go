package ui

import (
	"context"
	"testing"
	"time"

	"carebook/assets/i18n"
	"carebook/crm"
)

// TestHiddenScreensLoadWhenShown: the window starts on Today without reading the customer list
// or counting the record sheet (at 100,000 customers that slowed the first frame); each loads
// the first time it is shown, and from then on follows the book.
func TestHiddenScreensLoadWhenShown(t *testing.T) {
	w, st := newTestWindow(t, i18n.ZhHans)
	ctx := context.Background()
	a := saveCustomer(t, st, &crm.Customer{Name: "张三"})
	saveCustomer(t, st, &crm.Customer{Name: "李四"})
	if err := st.SaveRecord(ctx, &crm.Record{CustomerID: a.ID, At: time.Date(2026, 11, 20, 9, 0, 0, 0, time.Local),
		Kind: crm.KindRoutine, Channel: crm.ChannelPhone, Content: "回访"}); err != nil {
		t.Fatal(err)
	}
	w2 := reopen(t, w) // a start on this book
	if w2.screens[w2.current] != w2.todayView {
		t.Fatalf("the window starts on %s", w2.screens[w2.current].title())
	}
	cs, rs := w2.customers, w2.records
	if cs.opened || rs.opened || cs.results.Len() != 0 || rs.total != 0 {
		t.Fatalf("hidden screens loaded at start: customers %d, records %d", cs.results.Len(), rs.total)
	}
	cs.reload() // what a write elsewhere asks of a screen never shown
	rs.reload()
	w2.Wait()
	if cs.results.Len() != 0 || rs.total != 0 {
		t.Fatalf("a reload of a screen never shown read the book")
	}

	w2.show(cs)
	w2.Wait()
	if got := resultNames(cs); got != "李四,张三" {
		t.Errorf("customers shown: %q", got)
	}
	w2.show(rs)
	w2.Wait()
	if rs.total != 1 {
		t.Errorf("records shown: %d", rs.total)
	}

	// Once shown, they follow the book while hidden.
	w2.show(w2.todayView)
	saveCustomer(t, st, &crm.Customer{Name: "王五"})
	cs.reload()
	w2.Wait()
	if cs.results.Len() != 3 {
		t.Errorf("the list hidden after a first show did not follow: %q", resultNames(cs))
	}
}
