package store

import (
	"context"
	"testing"

	"carebook/crm"
)

// TestPlanServe checks that Plan answers the Serve question from the book: open service
// appointments and open complaints (deadline in working days of the official calendar), of
// customers not archived; done services and closed complaints left out.
func TestPlanServe(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	created := crm.MustDate("2026-01-01")
	a := mustSave(t, s, &crm.Customer{Name: "张三", Tier: crm.TierSmall, Created: created})
	b := mustSave(t, s, &crm.Customer{Name: "李四", Tier: crm.TierVIP, Created: created})
	gone := mustSave(t, s, &crm.Customer{Name: "王五", Tier: crm.TierVIP, Created: created})
	d := crm.MustDate("2026-10-09")
	for _, v := range []*crm.Service{
		{CustomerID: a.ID, Date: crm.MustDate("2026-10-05"), Kind: crm.ServiceAfterSales, Title: "更换配件", Status: crm.ServiceOpen},
		{CustomerID: b.ID, Date: d, Kind: crm.ServiceOnline, Title: "视频指导", Status: crm.ServiceOpen},
		{CustomerID: b.ID, Date: crm.MustDate("2026-10-01"), Kind: crm.ServiceOffline, Title: "已完成", Status: crm.ServiceDone, DoneDate: crm.MustDate("2026-10-02")},
		{CustomerID: b.ID, Date: crm.MustDate("2026-10-12"), Kind: crm.ServiceOffline, Title: "以后", Status: crm.ServiceOpen},
		{CustomerID: gone.ID, Date: d, Kind: crm.ServiceOnline, Title: "归档", Status: crm.ServiceOpen},
	} {
		if err := s.SaveService(ctx, v); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []*crm.Complaint{
		// General, received the day before the National Day holiday: due Oct 10 (a make-up
		// working day).
		{CustomerID: a.ID, Received: crm.MustDate("2026-09-30"), Category: crm.ComplaintUrgent, Severity: crm.SeverityGeneral, Description: "物流延误\n三天未到"},
		// Complex: 3 working days after its latest step (Oct 8) → Oct 12; the step after the
		// day does not count.
		{CustomerID: b.ID, Received: crm.MustDate("2026-09-28"), Category: crm.ComplaintDifficult, Severity: crm.SeverityComplex, Description: "质量问题",
			Steps: []crm.ComplaintStep{{Step: crm.StepListen, Date: crm.MustDate("2026-10-08")}, {Step: crm.StepClarify, Date: crm.MustDate("2026-10-20")}}},
		{CustomerID: b.ID, Received: crm.MustDate("2026-09-01"), Category: crm.ComplaintBatch, Severity: crm.SeveritySimple, Description: "已结案", Closed: crm.MustDate("2026-09-02")},
		{CustomerID: gone.ID, Received: crm.MustDate("2026-09-01"), Category: crm.ComplaintBatch, Severity: crm.SeveritySimple, Description: "归档"},
	} {
		if err := s.SaveComplaint(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.ArchiveCustomer(ctx, gone.ID); err != nil {
		t.Fatal(err)
	}
	p, err := s.Plan(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		name   string
		reason crm.Reason
		due    string
		late   int
		title  string
	}
	var got []row
	for _, it := range p.Serve {
		got = append(got, row{it.Customer.Name, it.Reason, it.Due.String(), it.Overdue, it.Title})
	}
	want := []row{
		{"张三", crm.ReasonAfterSales, "2026-10-05", 4, "更换配件"},
		{"李四", crm.ReasonOnline, "2026-10-09", 0, "视频指导"},
		{"李四", crm.ReasonComplaint, "2026-10-12", 0, "质量问题"},
		{"张三", crm.ReasonComplaint, "2026-10-10", 0, "物流延误"},
	}
	if len(got) != len(want) {
		t.Fatalf("serve = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("serve[%d] = %+v, want %+v", i, got[i], want[i])
		}
	}
	// The day before the services, nothing; a day after the service was done, it is gone.
	if p, err := s.Plan(ctx, crm.MustDate("2026-08-01")); err != nil || p.Serve != nil {
		t.Errorf("serve of 2026-08-01 = %+v, %v", p.Serve, err)
	}
}
