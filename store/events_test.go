package store

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"carebook/crm"
)

// sameGen fails the test when write moved the book's generation on (dropping the cached
// classifications).
func sameGen(t *testing.T, s *Store, what string, write func() error) {
	t.Helper()
	gen := s.writeMu.gen.Load()
	if err := write(); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if s.writeMu.gen.Load() != gen {
		t.Errorf("%s dropped the cached classifications", what)
	}
}

func TestSaveEvent(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	e := &crm.Event{Name: " 春季沙龙 ", Date: crm.MustDate("2026-04-18"), Purpose: "新品体验", Script: "您好，{name}",
		WindowDays: 7, Audience: crm.Audience{Tags: []string{"护肤", " 护肤"}, Tiers: []crm.Tier{crm.TierVIP},
			Stages: []crm.Stage{crm.StageRepeat}, Segments: []crm.Segment{crm.SegmentImportantValue}}}
	sameGen(t, s, "save event", func() error { return s.SaveEvent(ctx, e) })
	if e.ID == 0 || e.Name != "春季沙龙" || len(e.Audience.Tags) != 1 || !e.CreatedAt.Equal(fixedNow) {
		t.Errorf("after insert: %+v", e)
	}
	got, err := s.Event(ctx, e.ID)
	if err != nil || !reflect.DeepEqual(*got, *e) {
		t.Fatalf("Event = %+v, %v; want %+v", got, err, *e)
	}

	later := fixedNow.Add(time.Hour)
	s.now = func() time.Time { return later }
	e.Audience = crm.Audience{}
	e.WindowDays = 0
	if err := s.SaveEvent(ctx, e); err != nil {
		t.Fatal(err)
	}
	got, _ = s.Event(ctx, e.ID)
	if !got.CreatedAt.Equal(fixedNow) || !got.UpdatedAt.Equal(later) || !got.Audience.IsEveryone() || got.WindowDays != 0 {
		t.Errorf("after update: %+v", got)
	}

	missing := *e
	missing.ID = 999
	if err := s.SaveEvent(ctx, &missing); !errors.Is(err, ErrNotFound) {
		t.Errorf("update of a missing event: %v", err)
	}
	if _, err := s.Event(ctx, 999); !errors.Is(err, ErrNotFound) {
		t.Errorf("Event(999): %v", err)
	}
}

func TestSaveEventRefusesInvalid(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	for _, tc := range []struct {
		field string
		edit  func(e *crm.Event)
	}{
		{"name", func(e *crm.Event) { e.Name = "" }},
		{"date", func(e *crm.Event) { e.Date = 0 }},
		{"window_days", func(e *crm.Event) { e.WindowDays = 400 }},
		{"tiers[0]", func(e *crm.Event) { e.Audience.Tiers = []crm.Tier{"gold"} }},
	} {
		e := crm.Event{Name: "沙龙", Date: crm.MustDate("2026-04-18"), WindowDays: 7}
		tc.edit(&e)
		fieldErr(t, s.SaveEvent(ctx, &e), tc.field)
		if e.ID != 0 {
			t.Errorf("%s: ID assigned", tc.field)
		}
	}
	if n := countRows(t, s, "events"); n != 0 {
		t.Errorf("%d events written", n)
	}
}

func TestEventsRange(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	for _, d := range []string{"2026-05-01", "2026-03-01", "2026-04-01"} {
		if err := s.SaveEvent(ctx, &crm.Event{Name: d, Date: crm.MustDate(d)}); err != nil {
			t.Fatal(err)
		}
	}
	names := func(from, to string) []string {
		var f, tt crm.Date
		if from != "" {
			f = crm.MustDate(from)
		}
		if to != "" {
			tt = crm.MustDate(to)
		}
		es, err := s.Events(ctx, f, tt)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, e := range es {
			out = append(out, e.Name)
		}
		return out
	}
	if got := names("", ""); !reflect.DeepEqual(got, []string{"2026-03-01", "2026-04-01", "2026-05-01"}) {
		t.Errorf("all events: %v", got)
	}
	if got := names("2026-04-01", "2026-04-30"); !reflect.DeepEqual(got, []string{"2026-04-01"}) {
		t.Errorf("April: %v", got)
	}
	if got := names("2026-04-02", ""); !reflect.DeepEqual(got, []string{"2026-05-01"}) {
		t.Errorf("from April 2: %v", got)
	}
}

func TestInvitations(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	a := mustSave(t, s, card())
	b := mustSave(t, s, &crm.Customer{Name: "李四"})
	e := &crm.Event{Name: "沙龙", Date: crm.MustDate("2026-04-18"), WindowDays: 7}
	if err := s.SaveEvent(ctx, e); err != nil {
		t.Fatal(err)
	}
	var first *crm.Invitation
	sameGen(t, s, "set invitation", func() (err error) {
		first, err = s.SetInvitation(ctx, e.ID, a.ID, "", crm.MustDate("2026-04-12"), " 已发微信 ")
		return err
	})
	if first.ID == 0 || first.Status != crm.InvitationInvited || first.Note != "已发微信" {
		t.Errorf("first invitation: %+v", first)
	}
	again, err := s.SetInvitation(ctx, e.ID, a.ID, crm.InvitationAccepted, 0, "")
	if err != nil {
		t.Fatal(err)
	}
	if again.ID != first.ID {
		t.Errorf("upsert made a new invitation: %d, was %d", again.ID, first.ID)
	}
	if _, err := s.SetInvitation(ctx, e.ID, b.ID, crm.InvitationDeclined, crm.MustDate("2026-04-13"), ""); err != nil {
		t.Fatal(err)
	}
	vs, err := s.Invitations(ctx, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := []crm.Invitation{
		{ID: first.ID, EventID: e.ID, CustomerID: a.ID, Status: crm.InvitationAccepted},
		{ID: vs[1].ID, EventID: e.ID, CustomerID: b.ID, Status: crm.InvitationDeclined, Date: crm.MustDate("2026-04-13")},
	}
	if !reflect.DeepEqual(vs, want) {
		t.Errorf("Invitations = %+v, want %+v", vs, want)
	}
	funnel, err := s.EventFunnel(ctx, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	wantFunnel := map[crm.InvitationStatus]int{crm.InvitationInvited: 0, crm.InvitationAccepted: 1,
		crm.InvitationDeclined: 1, crm.InvitationAttended: 0, crm.InvitationNoShow: 0}
	if !reflect.DeepEqual(funnel, wantFunnel) {
		t.Errorf("EventFunnel = %v", funnel)
	}

	// Refused: nothing written.
	fieldErr(t, errOnly(s.SetInvitation(ctx, e.ID, a.ID, "maybe", 0, "")), "status")
	fieldErr(t, errOnly(s.SetInvitation(ctx, 999, a.ID, crm.InvitationAttended, 0, "")), "event")
	fieldErr(t, errOnly(s.SetInvitation(ctx, e.ID, 999, crm.InvitationAttended, 0, "")), "customer")
	if vs2, _ := s.Invitations(ctx, e.ID); !reflect.DeepEqual(vs2, vs) || countRows(t, s, "invitations") != 2 {
		t.Errorf("refused invitations written: %+v", vs2)
	}

	if err := s.DeleteInvitation(ctx, vs[1].ID); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteInvitation(ctx, vs[1].ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("second delete: %v", err)
	}
	sameGen(t, s, "delete event", func() error { return s.DeleteEvent(ctx, e.ID) })
	if n := countRows(t, s, "invitations"); n != 0 {
		t.Errorf("deleting the event left %d invitations", n)
	}
	if err := s.DeleteEvent(ctx, e.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("second delete: %v", err)
	}
}

func errOnly[T any](_ T, err error) error { return err }

// TestPurgeCascades: archiving keeps a customer's invitations, services and complaints;
// purging deletes them (and the complaints' steps), leaving the event and the others' rows.
func TestPurgeCascades(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	a := mustSave(t, s, card())
	b := mustSave(t, s, &crm.Customer{Name: "李四"})
	e := &crm.Event{Name: "沙龙", Date: crm.MustDate("2026-04-18")}
	if err := s.SaveEvent(ctx, e); err != nil {
		t.Fatal(err)
	}
	d := crm.MustDate("2026-03-02")
	for _, id := range []int64{a.ID, b.ID} {
		if _, err := s.SetInvitation(ctx, e.ID, id, crm.InvitationInvited, d, ""); err != nil {
			t.Fatal(err)
		}
		if err := s.SaveService(ctx, &crm.Service{CustomerID: id, Date: d, Kind: crm.ServiceOnline, Title: "x"}); err != nil {
			t.Fatal(err)
		}
		if err := s.SaveComplaint(ctx, &crm.Complaint{CustomerID: id, Received: d, Category: crm.ComplaintUrgent,
			Severity: crm.SeveritySimple, Steps: []crm.ComplaintStep{{Step: crm.StepListen, Date: d}}}); err != nil {
			t.Fatal(err)
		}
	}
	counts := func() [4]int {
		return [4]int{countRows(t, s, "invitations"), countRows(t, s, "services"), countRows(t, s, "complaints"),
			countRows(t, s, "complaint_steps")}
	}
	if err := s.ArchiveCustomer(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if got := counts(); got != [4]int{2, 2, 2, 2} {
		t.Errorf("after archiving: %v", got)
	}
	if err := s.PurgeCustomer(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if got := counts(); got != [4]int{1, 1, 1, 1} {
		t.Errorf("after purging: %v", got)
	}
	if vs, _ := s.Invitations(ctx, e.ID); len(vs) != 1 || vs[0].CustomerID != b.ID {
		t.Errorf("invitations left: %+v", vs)
	}
	if _, err := s.Event(ctx, e.ID); err != nil {
		t.Errorf("purging a customer touched the event: %v", err)
	}
}
