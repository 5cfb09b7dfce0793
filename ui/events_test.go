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

func saveTestEvent(t *testing.T, st *store.Store, e *crm.Event) *crm.Event {
	t.Helper()
	if err := st.SaveEvent(context.Background(), e); err != nil {
		t.Fatal(err)
	}
	return e
}

func TestEventsCreateWithAudience(t *testing.T) {
	w, st := newTestWindow(t, i18n.ZhHans)
	s := w.events
	w.show(s) // loaded when shown
	w.Wait()
	if !s.emptyBox.Visible() || !strings.Contains(s.empty.Text, "还没有活动") {
		t.Fatalf("empty state visible %v, %q", s.emptyBox.Visible(), s.empty.Text)
	}
	saveCustomer(t, st, &crm.Customer{Name: "王芳", Tags: []string{"护肤"}, Created: crm.MustDate("2026-01-01")})

	test.Tap(s.newButton)
	ed := s.editor
	w.Wait() // the book's tags
	if ed == nil || w.editor != ed {
		t.Fatal("the editor did not open")
	}
	if ed.window.Text != "7" || ed.date.Text != "2026-11-29" {
		t.Errorf("defaults: window %q, date %q", ed.window.Text, ed.date.Text)
	}
	if !strings.Contains(ed.everyone.Text, "所有顾客") {
		t.Errorf("nothing checked should say everyone: %q", ed.everyone.Text)
	}
	i := slices.Index(ed.tagNames, "护肤")
	if i < 0 {
		t.Fatalf("tags offered %v", ed.tagNames)
	}
	test.Type(ed.name, "春季沙龙")
	ed.date.SetText("2026-11-28")
	test.Type(ed.purpose, "新品体验")
	test.Type(ed.script, "{remark}您好，{date}有{event}")
	test.Tap(ed.tags[i])
	test.Tap(ed.tiers[slices.Index(crm.Tiers, crm.TierVIP)])
	test.Tap(ed.stages[slices.Index(crm.Stages, crm.StageRepeat)])
	if strings.Contains(ed.everyone.Text, "所有顾客") {
		t.Errorf("an audience is checked: %q", ed.everyone.Text)
	}
	test.Tap(ed.save)
	w.Wait()
	if w.editor != nil {
		t.Fatalf("dialog still open: %q", ed.status.Text)
	}
	es, err := st.Events(context.Background(), 0, 0)
	if err != nil || len(es) != 1 {
		t.Fatalf("events %+v, %v", es, err)
	}
	e := es[0]
	want := crm.Audience{Tags: []string{"护肤"}, Tiers: []crm.Tier{crm.TierVIP}, Stages: []crm.Stage{crm.StageRepeat}}
	if e.Name != "春季沙龙" || e.Date != crm.MustDate("2026-11-28") || e.WindowDays != 7 || e.Purpose != "新品体验" ||
		e.Script != "{remark}您好，{date}有{event}" || !slices.Equal(e.Audience.Tags, want.Tags) ||
		!slices.Equal(e.Audience.Tiers, want.Tiers) || !slices.Equal(e.Audience.Stages, want.Stages) ||
		len(e.Audience.Segments) != 0 {
		t.Errorf("stored %+v", e)
	}

	// The list shows it, selected, beside its detail.
	if len(s.events) != 1 || s.emptyBox.Visible() || s.selected != e.ID {
		t.Fatalf("list %+v, empty %v, selected %d", s.events, s.emptyBox.Visible(), s.selected)
	}
	row := s.newEventRow()
	s.updateEventRow(0, row)
	texts := labelTexts(row)
	if texts[0] != "春季沙龙" || !strings.Contains(texts[1], "6 天后") || !strings.Contains(texts[1], "邀约中") ||
		texts[2] != "已邀约 0 · 已接受 0 · 已到场 0" {
		t.Errorf("row %q", texts)
	}
	d := s.detail
	if d.name.Text != "春季沙龙" || !strings.Contains(d.when.Text, "星期六") {
		t.Errorf("detail name %q, when %q", d.name.Text, d.when.Text)
	}
	if got := d.audience.Text; got != "标签（任一）：护肤\n等级：VIP\n阶段：回购" {
		t.Errorf("audience %q", got)
	}
	test.Tap(d.copyScript)
	if got := w.app.Clipboard().Content(); got != e.Script {
		t.Errorf("clipboard %q", got)
	}

	// Editing keeps the audience checked.
	test.Tap(d.edit)
	ed = s.editor
	w.Wait()
	if !ed.tags[slices.Index(ed.tagNames, "护肤")].Checked || !ed.tiers[0].Checked || ed.tiers[1].Checked {
		t.Errorf("edit checks: tags %v", ed.checkedTags())
	}
	ed.close()
}

// labelTexts returns the texts of the labels of a list row (a container of labels).
func labelTexts(o fyne.CanvasObject) []string {
	var out []string
	for _, x := range o.(*fyne.Container).Objects {
		out = append(out, x.(*widget.Label).Text)
	}
	return out
}

func TestEventsValidationSavesNothing(t *testing.T) {
	w, st := newTestWindow(t, i18n.ZhHans)
	s := w.events
	test.Tap(s.newButton)
	ed := s.editor
	w.Wait()
	ed.window.SetText("abc")
	ed.date.SetText("2026-13-01")
	test.Tap(ed.save)
	w.Wait()
	if w.editor != ed {
		t.Fatal("the dialog closed on invalid input")
	}
	if l := ed.errs["name"]; !l.Visible() || l.Text != "此项必填。" {
		t.Errorf("name error %v %q", l.Visible(), l.Text)
	}
	if l := ed.errs["window_days"]; !l.Visible() || !strings.Contains(l.Text, "abc") {
		t.Errorf("window error %q", l.Text)
	}
	if l := ed.errs["date"]; !l.Visible() || !strings.Contains(l.Text, "2026-13-01") {
		t.Errorf("date error %q", l.Text)
	}
	if !ed.status.Visible() || !strings.Contains(ed.status.Text, "3") {
		t.Errorf("status %q", ed.status.Text)
	}
	if es, err := st.Events(context.Background(), 0, 0); err != nil || len(es) != 0 {
		t.Errorf("saved %+v, %v", es, err)
	}

	// Fixed, it saves; the errors go away.
	test.Type(ed.name, "答谢会")
	ed.date.SetText("2026-12-20")
	ed.window.SetText("400")
	test.Tap(ed.save)
	w.Wait()
	if l := ed.errs["window_days"]; !l.Visible() || !strings.Contains(l.Text, "366") {
		t.Errorf("window range error %q", l.Text)
	}
	if ed.errs["name"].Visible() {
		t.Errorf("name error still shown")
	}
	ed.window.SetText("10")
	test.Tap(ed.save)
	w.Wait()
	if es, _ := st.Events(context.Background(), 0, 0); len(es) != 1 || es[0].WindowDays != 10 || !es[0].Audience.IsEveryone() {
		t.Errorf("saved %+v", es)
	}
}

func TestEventsStatusChangeUpdatesFunnel(t *testing.T) {
	w, st := newTestWindow(t, i18n.ZhHans)
	ctx := context.Background()
	a := saveCustomer(t, st, &crm.Customer{Name: "王芳", Remark: "王姐", Phones: []string{"13812345678"}, Created: crm.MustDate("2026-01-01")})
	b := saveCustomer(t, st, &crm.Customer{Name: "李四", Created: crm.MustDate("2026-01-01")})
	past := saveTestEvent(t, st, &crm.Event{Name: "秋季沙龙", Date: crm.MustDate("2026-10-01"), WindowDays: 7})
	e := saveTestEvent(t, st, &crm.Event{Name: "年终答谢", Date: crm.MustDate("2026-11-28"), WindowDays: 7,
		Script: "{remark}您好，{date}的{event}诚邀您参加"})
	if _, err := st.SetInvitation(ctx, e.ID, a.ID, crm.InvitationInvited, crm.MustDate("2026-11-21"), "微信已发"); err != nil {
		t.Fatal(err)
	}
	s := w.events
	s.reload()
	w.Wait()
	if len(s.events) != 2 || s.events[0].ID != e.ID || s.events[1].ID != past.ID {
		t.Fatalf("coming events first: %+v", s.events)
	}
	s.list.Select(0)
	w.Wait()
	d := s.detail
	if len(d.rows) != 1 || d.funnel.Invited != 1 || d.invTab.Text != "已邀约（1）" {
		t.Fatalf("rows %+v, funnel %+v, tab %q", d.rows, d.funnel, d.invTab.Text)
	}
	o := d.newInvRow()
	d.updateInvRow(0, o)
	r := o.(*invRow)
	if got := r.who.Text; !strings.Contains(got, "王芳（王姐）") || !strings.Contains(got, a.Code) ||
		!strings.Contains(got, "138 1234 5678") {
		t.Errorf("who %q", got)
	}
	if r.status.Selected != "已邀约" {
		t.Errorf("status shown %q", r.status.Selected)
	}
	r.status.SetSelected("已接受")
	w.Wait()
	vs, err := st.Invitations(ctx, e.ID)
	if err != nil || len(vs) != 1 || vs[0].Status != crm.InvitationAccepted || vs[0].Date != crm.MustDate("2026-11-21") ||
		vs[0].Note != "微信已发" {
		t.Fatalf("stored %+v, %v", vs, err)
	}
	if d.funnel.Accepted != 1 || d.funnel.Invited != 1 || d.bars[1].Value != 1 || !strings.Contains(d.rates.Text, "接受率 100%") {
		t.Errorf("funnel %+v, bar %v, rates %q", d.funnel, d.bars[1].Value, d.rates.Text)
	}
	if got := crm.FunnelOf(s.events[0].Counts); got.Accepted != 1 {
		t.Errorf("list funnel %+v", got)
	}
	d.updateInvRow(0, o)
	r.status.SetSelected("已到场")
	w.Wait()
	if d.funnel.Attended != 1 || d.funnel.Accepted != 1 || !strings.Contains(d.rates.Text, "到场率 100%") {
		t.Errorf("after attended: %+v, %q", d.funnel, d.rates.Text)
	}

	// The customer not invited yet is to invite today; "Invited" invites them.
	if len(d.toInvite) != 1 || d.toInvite[0].Customer.ID != b.ID || d.toInviteTb.Text != "待邀约（1）" {
		t.Fatalf("to invite %+v, tab %q", d.toInvite, d.toInviteTb.Text)
	}
	to := d.newToRow().(*toRow)
	d.updateToRow(0, to)
	test.Tap(to.copy)
	if got := w.app.Clipboard().Content(); got != "李四您好，11月28日的年终答谢诚邀您参加" {
		t.Errorf("copied %q", got)
	}
	w.app.Clipboard().SetContent("")
	test.Tap(to.invited)
	w.Wait()
	// As on the Today screen: the invitation record with the message, which is copied.
	if got := w.app.Clipboard().Content(); got != "李四您好，11月28日的年终答谢诚邀您参加" {
		t.Errorf("copied on invited %q", got)
	}
	if rs, err := st.CustomerRecords(ctx, b.ID); err != nil || len(rs) != 1 || rs[0].Kind != crm.KindInvitation ||
		rs[0].Content != "李四您好，11月28日的年终答谢诚邀您参加" {
		t.Errorf("records %+v, %v", rs, err)
	}
	v, err := st.Invitations(ctx, e.ID)
	if err != nil || len(v) != 2 || v[1].CustomerID != b.ID || v[1].Status != crm.InvitationInvited || v[1].Date != crm.DateOf(testNow) {
		t.Fatalf("invitations %+v, %v", v, err)
	}
	if len(d.toInvite) != 0 || d.funnel.Invited != 2 || !d.toEmpty.Visible() || !strings.Contains(d.toEmpty.Text, "都已邀约") {
		t.Errorf("after inviting: to invite %d, funnel %+v, %q", len(d.toInvite), d.funnel, d.toEmpty.Text)
	}

	// Removing an invitation puts the customer back.
	d.removeConfirmed(v[1].ID)
	w.Wait()
	if len(d.rows) != 1 || len(d.toInvite) != 1 {
		t.Errorf("after remove: rows %d, to invite %d", len(d.rows), len(d.toInvite))
	}

	// A past event has nobody to invite, and says why.
	s.list.Select(1)
	w.Wait()
	if d.event.ID != past.ID || len(d.toInvite) != 0 || !strings.Contains(d.toEmpty.Text, "已结束") {
		t.Errorf("past event: %+v, %q", d.event, d.toEmpty.Text)
	}
}

func TestEventsDelete(t *testing.T) {
	w, st := newTestWindow(t, i18n.English)
	ctx := context.Background()
	a := saveCustomer(t, st, &crm.Customer{Name: "Wang", Created: crm.MustDate("2026-01-01")})
	e := saveTestEvent(t, st, &crm.Event{Name: "Salon", Date: crm.MustDate("2026-12-05"), WindowDays: 7})
	if _, err := st.SetInvitation(ctx, e.ID, a.ID, crm.InvitationAccepted, 0, ""); err != nil {
		t.Fatal(err)
	}
	s := w.events
	s.reload()
	w.Wait()
	s.list.Select(0)
	w.Wait()
	if !strings.Contains(s.detail.window.Text, "2026-11-28") || !strings.Contains(s.detail.toEmpty.Text, "2026-11-28") {
		t.Errorf("window %q, to invite %q", s.detail.window.Text, s.detail.toEmpty.Text)
	}
	s.detail.deleteConfirmed(e.ID)
	w.Wait()
	if _, err := st.Event(ctx, e.ID); err == nil {
		t.Fatal("event still there")
	}
	if vs, err := st.Invitations(ctx, e.ID); err != nil || len(vs) != 0 {
		t.Errorf("invitations left %+v, %v", vs, err)
	}
	if len(s.events) != 0 || !s.emptyBox.Visible() || s.selected != 0 || s.detail.event != nil {
		t.Errorf("after delete: %+v, empty %v, selected %d", s.events, s.emptyBox.Visible(), s.selected)
	}
	if !strings.Contains(s.empty.Text, "No events yet") {
		t.Errorf("empty state %q", s.empty.Text)
	}

	// Deleting from the editor works too.
	e2 := saveTestEvent(t, st, &crm.Event{Name: "Fair", Date: crm.MustDate("2026-12-06"), WindowDays: 3})
	s.selectEvent(e2.ID)
	w.Wait()
	test.Tap(s.detail.edit)
	ed := s.editor
	w.Wait()
	if !ed.del.Visible() {
		t.Fatal("no delete button when editing")
	}
	ed.deleteConfirmed()
	w.Wait()
	if es, _ := st.Events(ctx, 0, 0); len(es) != 0 || len(s.events) != 0 || w.editor != nil {
		t.Errorf("after editor delete: %+v", es)
	}
}

func TestEventsReloadWhenShownAndSlowViews(t *testing.T) {
	w, st := newTestWindow(t, i18n.ZhHans)
	ctx := context.Background()
	a := saveCustomer(t, st, &crm.Customer{Name: "王芳", Phones: []string{"13812345678"}, Created: crm.MustDate("2026-01-01")})
	e := saveTestEvent(t, st, &crm.Event{Name: "答谢会", Date: crm.MustDate("2026-11-25"), WindowDays: 7})
	w.show(w.events)
	w.Wait()
	if len(w.events.events) != 1 || crm.FunnelOf(w.events.events[0].Counts).Invited != 0 {
		t.Fatalf("events %+v", w.events.events)
	}
	// Invited elsewhere (the Today screen): showing the screen again shows it.
	if _, err := st.SetInvitation(ctx, e.ID, a.ID, crm.InvitationAccepted, crm.DateOf(testNow), "好"); err != nil {
		t.Fatal(err)
	}
	w.show(w.todayView)
	w.show(w.events)
	w.Wait()
	if got := crm.FunnelOf(w.events.events[0].Counts); got.Invited != 1 || got.Accepted != 1 {
		t.Errorf("after showing again: %+v", got)
	}
}
