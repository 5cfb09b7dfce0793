package store

import (
	"context"
	"errors"
	"testing"

	"carebook/crm"
)

// TestInsertServe writes invitations, services and complaints in bulk, and refuses a batch with
// one bad row whole.
func TestInsertServe(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	a := mustSave(t, s, &crm.Customer{Name: "张三", Created: crm.MustDate("2026-01-01")})
	b := mustSave(t, s, &crm.Customer{Name: "李四", Created: crm.MustDate("2026-01-01")})
	ev := &crm.Event{Name: "会员日", Date: crm.MustDate("2026-11-28"), WindowDays: 10}
	if err := s.SaveEvent(ctx, ev); err != nil {
		t.Fatal(err)
	}
	d := crm.MustDate("2026-11-20")
	batch := func() ([]crm.Invitation, []crm.Service, []crm.Complaint) {
		return []crm.Invitation{
				{EventID: ev.ID, CustomerID: a.ID, Status: crm.InvitationAccepted, Date: d, Note: " 一定来 "},
				{EventID: ev.ID, CustomerID: b.ID, Date: d},
			}, []crm.Service{
				{CustomerID: a.ID, Date: d, Kind: crm.ServiceAfterSales, Title: "上门安装", Status: crm.ServiceOpen},
			}, []crm.Complaint{
				{CustomerID: b.ID, Received: d, Category: crm.ComplaintUrgent, Severity: crm.SeverityComplex, Description: "漏液",
					Steps: []crm.ComplaintStep{{Step: crm.StepEmpathise, Date: d.AddDays(1)}, {Step: crm.StepListen, Date: d}}},
			}
	}

	// One bad row anywhere: nothing written.
	for name, spoil := range map[string]func([]crm.Invitation, []crm.Service, []crm.Complaint){
		"status":   func(v []crm.Invitation, _ []crm.Service, _ []crm.Complaint) { v[1].Status = "maybe" },
		"event":    func(v []crm.Invitation, _ []crm.Service, _ []crm.Complaint) { v[1].EventID = ev.ID + 9 },
		"title":    func(_ []crm.Invitation, v []crm.Service, _ []crm.Complaint) { v[0].Title = "" },
		"step day": func(_ []crm.Invitation, _ []crm.Service, c []crm.Complaint) { c[0].Steps[0].Date = d.AddDays(-1) },
		"customer": func(_ []crm.Invitation, _ []crm.Service, c []crm.Complaint) { c[0].CustomerID = b.ID + 9 },
	} {
		invs, svcs, cmps := batch()
		spoil(invs, svcs, cmps)
		err := s.InsertServe(ctx, invs, svcs, cmps)
		var re *RowError
		var es crm.Errors
		switch {
		case err == nil:
			t.Errorf("%s: no error", name)
		case name == "status" && (!errors.As(err, &re) || re.Row != 1 || !errors.As(err, &es)):
			t.Errorf("%s: %v, want the field errors of row 1", name, err)
		}
		if vs, _ := s.Invitations(ctx, ev.ID); len(vs) != 0 {
			t.Fatalf("%s: invitations written: %+v", name, vs)
		}
	}

	invs, svcs, cmps := batch()
	if err := s.InsertServe(ctx, invs, svcs, cmps); err != nil {
		t.Fatal(err)
	}
	vs, err := s.Invitations(ctx, ev.ID)
	if err != nil || len(vs) != 2 || vs[0].Status != crm.InvitationAccepted || vs[0].Note != "一定来" || vs[1].Status != crm.InvitationInvited {
		t.Fatalf("invitations %+v, %v", vs, err)
	}
	got, err := s.Services(ctx, a.ID)
	if err != nil || len(got) != 1 || got[0].ID != svcs[0].ID || got[0].Title != "上门安装" {
		t.Fatalf("services %+v, %v", got, err)
	}
	c, err := s.Complaint(ctx, cmps[0].ID)
	if err != nil || len(c.Steps) != 2 || c.Steps[0].Step != crm.StepListen || c.Steps[1].ID != cmps[0].Steps[1].ID {
		t.Fatalf("complaint %+v, %v", c, err)
	}
}
