package store

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"carebook/crm"
)

// TestPlanInviteAndDone: an event's open window puts its audience in the Invite question; "done"
// logs the invitation record and records the customer invited in one transaction, after which
// the customer leaves the question; an accepted invitation keeps its status; a missing event
// writes nothing.
func TestPlanInviteAndDone(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	created := crm.MustDate("2026-01-01")
	a := mustSave(t, s, &crm.Customer{Name: "张三", Tier: crm.TierVIP, Created: created, Tags: []string{"茶友"}})
	b := mustSave(t, s, &crm.Customer{Name: "李四", Tier: crm.TierSmall, Created: created})
	mustSave(t, s, &crm.Customer{Name: "王五", Tier: crm.TierVIP, Created: created, DoNotDisturb: true, Tags: []string{"茶友"}})
	d := crm.MustDate("2026-11-22")
	all := &crm.Event{Name: "会员日", Date: crm.MustDate("2026-11-25"), Purpose: "回馈", Script: "{remark}您好", WindowDays: 7}
	tea := &crm.Event{Name: "品茶会", Date: crm.MustDate("2026-11-28"), WindowDays: 10, Audience: crm.Audience{Tags: []string{"茶友"}}}
	later := &crm.Event{Name: "年会", Date: crm.MustDate("2026-12-31"), WindowDays: 7}
	for _, e := range []*crm.Event{all, tea, later} {
		if err := s.SaveEvent(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	codes := func() []string {
		t.Helper()
		p, err := s.Plan(ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, it := range p.Invite {
			out = append(out, it.Customer.Name+"@"+it.Event.Name)
		}
		return out
	}
	if got, want := codes(), []string{"张三@会员日", "张三@品茶会", "李四@会员日"}; !slices.Equal(got, want) {
		t.Fatalf("invite %v, want %v", got, want)
	}

	at := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	r := &crm.Record{CustomerID: a.ID, At: at, Kind: crm.KindInvitation, Channel: crm.ChannelWeChat, Content: "张三您好"}
	if err := s.InviteDone(ctx, tea.ID, r); err != nil {
		t.Fatal(err)
	}
	if r.ID == 0 {
		t.Error("record id not set")
	}
	vs, err := s.Invitations(ctx, tea.ID)
	if err != nil || len(vs) != 1 || vs[0].CustomerID != a.ID || vs[0].Status != crm.InvitationInvited || vs[0].Date != d {
		t.Fatalf("invitations %+v, %v", vs, err)
	}
	if got, want := codes(), []string{"张三@会员日", "李四@会员日"}; !slices.Equal(got, want) {
		t.Fatalf("after done %v, want %v", got, want)
	}
	// An accepted invitation stays accepted.
	if _, err := s.SetInvitation(ctx, all.ID, b.ID, crm.InvitationAccepted, 0, ""); err != nil {
		t.Fatal(err)
	}
	r2 := &crm.Record{CustomerID: b.ID, At: at, Kind: crm.KindInvitation, Channel: crm.ChannelPhone}
	if err := s.InviteDone(ctx, all.ID, r2); err != nil {
		t.Fatal(err)
	}
	if f, _ := s.EventFunnel(ctx, all.ID); f[crm.InvitationAccepted] != 1 || f[crm.InvitationInvited] != 0 {
		t.Errorf("funnel %v", f)
	}
	// A missing event: nothing written.
	records := countRows(t, s, "records")
	err = s.InviteDone(ctx, 999, &crm.Record{CustomerID: a.ID, At: at, Kind: crm.KindInvitation, Channel: crm.ChannelPhone})
	if !errors.Is(err, ErrNotFound) || countRows(t, s, "records") != records {
		t.Errorf("missing event: %v, records %d → %d", err, records, countRows(t, s, "records"))
	}
	// An invalid record: nothing written.
	err = s.InviteDone(ctx, later.ID, &crm.Record{CustomerID: a.ID, Kind: crm.KindInvitation, Channel: crm.ChannelPhone})
	var es crm.Errors
	if !errors.As(err, &es) || countRows(t, s, "invitations") != 2 {
		t.Errorf("invalid record: %v, %d invitations", err, countRows(t, s, "invitations"))
	}
}

// TestServiceDone: "done" on a service's Serve item logs the record and marks the service done
// that day, in one transaction; another customer's service is not found and nothing is written.
func TestServiceDone(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	created := crm.MustDate("2026-01-01")
	a := mustSave(t, s, &crm.Customer{Name: "张三", Created: created})
	b := mustSave(t, s, &crm.Customer{Name: "李四", Created: created})
	v := &crm.Service{CustomerID: a.ID, Date: crm.MustDate("2026-11-20"), Kind: crm.ServiceAfterSales, Title: "更换配件", Status: crm.ServiceOpen}
	if err := s.SaveService(ctx, v); err != nil {
		t.Fatal(err)
	}
	d := crm.MustDate("2026-11-22")
	at := time.Date(2026, 11, 22, 15, 0, 0, 0, time.UTC)
	err := s.ServiceDone(ctx, v.ID, &crm.Record{CustomerID: b.ID, At: at, Kind: crm.KindService, Channel: crm.ChannelVisit})
	if !errors.Is(err, ErrNotFound) || countRows(t, s, "records") != 0 {
		t.Fatalf("other customer: %v, %d records", err, countRows(t, s, "records"))
	}
	if err := s.ServiceDone(ctx, v.ID, &crm.Record{CustomerID: a.ID, At: at, Kind: crm.KindService, Channel: crm.ChannelVisit, Content: "已更换"}); err != nil {
		t.Fatal(err)
	}
	got, err := s.Service(ctx, v.ID)
	if err != nil || got.Status != crm.ServiceDone || got.DoneDate != d {
		t.Fatalf("service %+v, %v", got, err)
	}
	p, err := s.Plan(ctx, d)
	if err != nil || len(p.Serve) != 0 {
		t.Fatalf("serve %+v, %v", p.Serve, err)
	}
	// The day before, it was still open.
	if p, _ := s.Plan(ctx, d.AddDays(-1)); len(p.Serve) != 1 {
		t.Errorf("the day before: %+v", p.Serve)
	}
	if countRows(t, s, "records") != 1 {
		t.Errorf("records %d", countRows(t, s, "records"))
	}
}
