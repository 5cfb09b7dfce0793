package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"carebook/assets/i18n"
	"carebook/crm"
)

// Every screen of an empty book says what to do next.

// startButtons are the first steps Today offers on an empty book.
func startButtons(c *planColumn) []*widget.Button {
	var out []*widget.Button
	walkObjects(c.start, func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok {
			out = append(out, b)
		}
	})
	return out
}

func TestEmptyTodaySaysHowToBegin(t *testing.T) {
	w, st := newTestWindow(t, i18n.ZhHans)
	s := w.todayView
	maintain := s.columns[0]
	if !strings.Contains(maintain.empty.Text, "还没有顾客") || !strings.Contains(maintain.empty.Text, "Ctrl+N") ||
		!maintain.start.Visible() || maintain.stack.Objects[0] != maintain.emptyBox {
		t.Fatalf("empty book, Today says %q (first steps shown %v)", maintain.empty.Text, maintain.start.Visible())
	}
	if s.columns[1].empty.Text != i18n.T("today.invite_empty") || s.columns[2].empty.Text != i18n.T("today.serve_none") ||
		s.columns[1].start.Visible() {
		t.Errorf("invite %q, serve %q", s.columns[1].empty.Text, s.columns[2].empty.Text)
	}
	buttons := startButtons(maintain)
	if len(buttons) != 2 || buttons[0].Text != "新建顾客" || buttons[1].Text != "从 Excel 导入…" {
		t.Fatalf("first steps = %d buttons", len(buttons))
	}
	test.Tap(buttons[0])
	if w.screens[w.current] != w.customers || w.customers.card.customer == nil || w.customers.card.customer.ID != 0 {
		t.Errorf("新建顾客 did not open a new card")
	}
	// With a customer (and nothing due), Today says why no one is listed instead.
	saveCustomer(t, st, &crm.Customer{Name: "张三"})
	w.show(w.todayView)
	w.Wait()
	if maintain.start.Visible() || maintain.empty.Text != i18n.T("today.maintain_empty") {
		t.Errorf("with a customer, Today says %q (first steps shown %v)", maintain.empty.Text, maintain.start.Visible())
	}
}

func TestEmptyCustomersSaysHowToBegin(t *testing.T) {
	w, _ := newTestWindow(t, i18n.ZhHans)
	w.show(w.customers)
	w.Wait()
	cs := w.customers
	if !cs.empty.Visible() || !strings.Contains(cs.empty.Text, "还没有顾客") || !strings.Contains(cs.empty.Text, "Ctrl+N") ||
		!strings.Contains(cs.empty.Text, "Excel") || !cs.newBtn.Visible() || !cs.importB.Visible() {
		t.Errorf("empty customers: %q", cs.empty.Text)
	}
	if got := rowTexts(cs.right); !strings.Contains(got, "新建顾客") {
		t.Errorf("the card side says %q", got)
	}
}

func TestEmptyRecordsSaysHowToBegin(t *testing.T) {
	w, _ := newTestWindow(t, i18n.ZhHans)
	w.show(w.records)
	w.Wait()
	rs := w.records
	if !rs.empty.Visible() || !strings.Contains(rs.empty.Text, "Ctrl+L") {
		t.Errorf("empty records: %q", rs.empty.Text)
	}
	// The message is laid out above the sheet, not over its header.
	d := fyne.CurrentApp().Driver()
	msg, sheet := d.AbsolutePositionForObject(rs.empty), d.AbsolutePositionForObject(rs.table)
	if rs.empty.Size().Height <= 0 || msg.Y+rs.empty.Size().Height > sheet.Y {
		t.Errorf("the message (y %v, height %v) runs into the sheet (y %v)", msg.Y, rs.empty.Size().Height, sheet.Y)
	}
	// A filter that leaves nothing says how to see more.
	rs.kind.SetSelected(kindLabel(crm.KindGreeting))
	w.Wait()
	if !rs.empty.Visible() || !strings.Contains(rs.empty.Text, "全部") {
		t.Errorf("filtered records: %q", rs.empty.Text)
	}
}

func TestEmptyEventsSaysHowToBegin(t *testing.T) {
	w, st := newTestWindow(t, i18n.ZhHans)
	w.show(w.events)
	w.Wait()
	s := w.events
	if !s.emptyBox.Visible() || !strings.Contains(s.empty.Text, "新建活动") || !s.newButton.Visible() {
		t.Errorf("empty events: %q", s.empty.Text)
	}
	if got := rowTexts(s.right); !strings.Contains(got, "选择一个活动") {
		t.Errorf("the detail side says %q", got)
	}
	// An event with no invitation says where the customers to invite are.
	e := saveTestEvent(t, st, &crm.Event{Name: "春季沙龙", Date: crm.MustDate("2026-11-28"), WindowDays: 7})
	s.reload()
	w.Wait()
	s.selectEvent(e.ID)
	w.Wait()
	if d := s.detail; !d.invEmpty.Visible() || !strings.Contains(d.invEmpty.Text, "还没有邀约") {
		t.Errorf("event without invitations: %q", d.invEmpty.Text)
	}
}

func TestEmptyComplaintsSaysHowToBegin(t *testing.T) {
	w, _ := newTestWindow(t, i18n.ZhHans)
	s := openComplaints(t, w)
	if len(s.listBody.Objects) != 1 || !strings.Contains(rowTexts(s.listBody), "新建客诉") || !s.newBtn.Visible() {
		t.Errorf("empty complaints: %q", rowTexts(s.listBody))
	}
	s.tabs.SelectIndex(1)
	w.Wait()
	if got := rowTexts(s.analysisBody); !strings.Contains(got, "没有客诉") {
		t.Errorf("empty analysis: %q", got)
	}
}

func TestEmptyInsightsSaysHowToBegin(t *testing.T) {
	w, _ := newTestWindow(t, i18n.ZhHans)
	s := insightsOf(t, w)
	w.show(s)
	w.Wait()
	if len(s.body.Objects) != 1 || s.body.Objects[0] != s.empty {
		t.Fatalf("empty insights show something else")
	}
	if got := rowTexts(s.empty); !strings.Contains(got, "先新建或导入顾客") || !strings.Contains(got, "新建顾客") {
		t.Errorf("empty insights: %q", got)
	}
}

func TestEmptyCardTimelineSaysWhatToDo(t *testing.T) {
	w, st := newTestWindow(t, i18n.ZhHans)
	c := saveCustomer(t, st, &crm.Customer{Name: "张三"})
	card := openCard(t, w, c)
	w.Wait()
	if h := card.history; !h.empty.Visible() || h.empty.Text != i18n.T("timeline.none") {
		t.Errorf("a card without history: %q", h.empty.Text)
	}
	// A new card, not saved yet, says to save it first.
	w.customers.onNew()
	w.Wait()
	if h := w.customers.card.history; !strings.Contains(h.empty.Text, "保存") {
		t.Errorf("a new card: %q", h.empty.Text)
	}
}
