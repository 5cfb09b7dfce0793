package store

import (
	"context"
	"reflect"
	"testing"

	"carebook/crm"
)

func TestEventSummaries(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	if got, err := s.EventSummaries(ctx); err != nil || len(got) != 0 {
		t.Fatalf("empty book: %v, %v", got, err)
	}
	var cs []*crm.Customer
	for _, n := range []string{"甲", "乙", "丙", "丁"} {
		cs = append(cs, mustSave(t, s, &crm.Customer{Name: n}))
	}
	late := &crm.Event{Name: "年终答谢", Date: crm.MustDate("2026-12-20"), WindowDays: 10,
		Audience: crm.Audience{Tiers: []crm.Tier{crm.TierVIP}}}
	early := &crm.Event{Name: "秋季沙龙", Date: crm.MustDate("2026-10-01"), WindowDays: 7}
	for _, e := range []*crm.Event{late, early} {
		if err := s.SaveEvent(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	for i, st := range []crm.InvitationStatus{crm.InvitationInvited, crm.InvitationAccepted, crm.InvitationAttended, crm.InvitationAttended} {
		if _, err := s.SetInvitation(ctx, late.ID, cs[i].ID, st, crm.MustDate("2026-12-12"), ""); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.ArchiveCustomer(ctx, cs[3].ID); err != nil {
		t.Fatal(err)
	}
	got, err := s.EventSummaries(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID != early.ID || got[1].ID != late.ID {
		t.Fatalf("summaries %+v", got)
	}
	if !reflect.DeepEqual(got[1].Event, *late) {
		t.Errorf("event %+v, want %+v", got[1].Event, *late)
	}
	wantLate := map[crm.InvitationStatus]int{crm.InvitationInvited: 1, crm.InvitationAccepted: 1,
		crm.InvitationDeclined: 0, crm.InvitationAttended: 2, crm.InvitationNoShow: 0}
	if !reflect.DeepEqual(got[1].Counts, wantLate) {
		t.Errorf("late counts %v, want %v", got[1].Counts, wantLate)
	}
	for _, st := range crm.InvitationStatuses {
		if n, ok := got[0].Counts[st]; !ok || n != 0 {
			t.Errorf("early event count of %s = %d, %v", st, n, ok)
		}
	}
	// The one query agrees with EventFunnel.
	funnel, err := s.EventFunnel(ctx, late.ID)
	if err != nil || !reflect.DeepEqual(funnel, got[1].Counts) {
		t.Errorf("EventFunnel %v, %v", funnel, err)
	}
}

func TestInvitationRows(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	a := mustSave(t, s, &crm.Customer{Name: "王芳", Remark: "王姐", Phones: []string{"13812345678", "13900001111"}})
	b := mustSave(t, s, &crm.Customer{Name: "李四"})
	e := &crm.Event{Name: "沙龙", Date: crm.MustDate("2026-04-18"), WindowDays: 7}
	other := &crm.Event{Name: "别的", Date: crm.MustDate("2026-05-18")}
	for _, ev := range []*crm.Event{e, other} {
		if err := s.SaveEvent(ctx, ev); err != nil {
			t.Fatal(err)
		}
	}
	if got, err := s.InvitationRows(ctx, e.ID); err != nil || len(got) != 0 {
		t.Fatalf("no invitations: %v, %v", got, err)
	}
	vb, err := s.SetInvitation(ctx, e.ID, b.ID, crm.InvitationDeclined, 0, "")
	if err != nil {
		t.Fatal(err)
	}
	va, err := s.SetInvitation(ctx, e.ID, a.ID, crm.InvitationAccepted, crm.MustDate("2026-04-12"), "带朋友来")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetInvitation(ctx, other.ID, a.ID, crm.InvitationInvited, 0, ""); err != nil {
		t.Fatal(err)
	}
	if err := s.ArchiveCustomer(ctx, b.ID); err != nil {
		t.Fatal(err)
	}
	got, err := s.InvitationRows(ctx, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := []crm.InvitationRow{
		{Invitation: *vb, Code: b.Code, Name: "李四", Archived: true},
		{Invitation: *va, Code: a.Code, Name: "王芳", Remark: "王姐", Phone: "+8613812345678"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("rows\n%+v\nwant\n%+v", got, want)
	}
	if got, err := s.InvitationRows(ctx, 999); err != nil || len(got) != 0 {
		t.Errorf("no such event: %v, %v", got, err)
	}
}
