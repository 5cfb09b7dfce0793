package store

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"carebook/crm"
)

func TestComplaints(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	a := mustSave(t, s, card())
	b := mustSave(t, s, &crm.Customer{Name: "李四"})
	r := crm.MustDate("2026-03-02")
	c := &crm.Complaint{CustomerID: a.ID, Received: r, Channel: crm.ChannelWeChat, Category: crm.ComplaintUrgent,
		Severity: crm.SeverityGeneral, Description: " 过敏 ", Steps: []crm.ComplaintStep{
			{Step: crm.StepEmpathise, Date: r + 1}, {Step: crm.StepListen, Date: r, Note: "安抚"}}}
	sameGen(t, s, "save complaint", func() error { return s.SaveComplaint(ctx, c) })
	if c.ID == 0 || c.Description != "过敏" || c.Steps[0].Step != crm.StepListen || c.Steps[0].ID == 0 ||
		!c.CreatedAt.Equal(fixedNow) {
		t.Errorf("after insert: %+v", c)
	}
	got, err := s.Complaint(ctx, c.ID)
	if err != nil || !reflect.DeepEqual(*got, *c) {
		t.Fatalf("Complaint = %+v, %v; want %+v", got, err, *c)
	}

	// Update: steps replaced, closed.
	c.Steps = append(c.Steps, crm.ComplaintStep{Step: crm.StepAgree, Date: r + 3})
	c.Steps = c.Steps[1:]
	c.Closed, c.Satisfaction, c.Resolution = r+4, 5, "退款"
	if err := s.SaveComplaint(ctx, c); err != nil {
		t.Fatal(err)
	}
	got, _ = s.Complaint(ctx, c.ID)
	if !reflect.DeepEqual(*got, *c) || len(got.Steps) != 2 || countRows(t, s, "complaint_steps") != 2 {
		t.Errorf("after update: %+v, want %+v", got, *c)
	}

	o1 := &crm.Complaint{CustomerID: a.ID, Received: r + 5, Category: crm.ComplaintBatch, Severity: crm.SeverityComplex}
	o2 := &crm.Complaint{CustomerID: b.ID, Received: r + 1, Category: crm.ComplaintBatch, Severity: crm.SeveritySimple,
		Steps: []crm.ComplaintStep{{Step: crm.StepListen, Date: r + 1}}}
	o3 := &crm.Complaint{CustomerID: b.ID, Received: r + 20, Category: crm.ComplaintMalicious, Severity: crm.SeveritySimple}
	for _, x := range []*crm.Complaint{o1, o2, o3} {
		if err := s.SaveComplaint(ctx, x); err != nil {
			t.Fatal(err)
		}
	}
	ids := func(cs []crm.Complaint, err error) []int64 {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		var out []int64
		for _, c := range cs {
			out = append(out, c.ID)
		}
		return out
	}
	if got := ids(s.Complaints(ctx, a.ID)); !reflect.DeepEqual(got, []int64{o1.ID, c.ID}) {
		t.Errorf("Complaints(a) = %v", got)
	}
	open, err := s.OpenComplaints(ctx, r+10)
	if got := ids(open, err); !reflect.DeepEqual(got, []int64{o2.ID, o1.ID}) {
		t.Errorf("OpenComplaints = %v", got)
	}
	if len(open[0].Steps) != 1 || open[0].LatestStep() != r+1 || len(open[1].Steps) != 0 {
		t.Errorf("open complaints' steps: %+v", open)
	}

	sum, err := s.ComplaintSummary(ctx, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := crm.ComplaintSummary{Total: 4, Open: 3, Closed: 1, AvgDaysToClose: 4,
		ByCategory: map[crm.ComplaintCategory]int{crm.ComplaintUrgent: 1, crm.ComplaintBatch: 2,
			crm.ComplaintDifficult: 0, crm.ComplaintMalicious: 1},
		BySeverity: map[crm.Severity]int{crm.SeveritySimple: 2, crm.SeverityGeneral: 1, crm.SeverityComplex: 1}}
	if !reflect.DeepEqual(sum, want) {
		t.Errorf("ComplaintSummary = %+v, want %+v", sum, want)
	}
	if sum, _ := s.ComplaintSummary(ctx, r+1, r+5); sum.Total != 2 || sum.Closed != 0 {
		t.Errorf("ComplaintSummary(range) = %+v", sum)
	}

	// Refused: nothing written.
	before, _ := s.Complaint(ctx, c.ID)
	for _, tc := range []struct {
		field string
		edit  func(*crm.Complaint)
	}{
		{"closed", func(x *crm.Complaint) { x.Closed = x.Received - 1 }},
		{"satisfaction", func(x *crm.Complaint) { x.Satisfaction = 9 }},
		{"steps[0].date", func(x *crm.Complaint) { x.Steps = []crm.ComplaintStep{{Step: crm.StepListen, Date: r - 1}} }},
		{"severity", func(x *crm.Complaint) { x.Severity = "" }},
		{"customer", func(x *crm.Complaint) { x.CustomerID = 999 }},
	} {
		bad := *before
		bad.Steps = nil
		tc.edit(&bad)
		fieldErr(t, s.SaveComplaint(ctx, &bad), tc.field)
	}
	if got, _ := s.Complaint(ctx, c.ID); !reflect.DeepEqual(got, before) || countRows(t, s, "complaints") != 4 {
		t.Errorf("refused complaint written: %+v", got)
	}
	missing := *o3
	missing.ID = 999
	if err := s.SaveComplaint(ctx, &missing); !errors.Is(err, ErrNotFound) {
		t.Errorf("update of a missing complaint: %v", err)
	}

	if err := s.ArchiveCustomer(ctx, b.ID); err != nil {
		t.Fatal(err)
	}
	if got := ids(s.OpenComplaints(ctx, r+30)); !reflect.DeepEqual(got, []int64{o1.ID}) {
		t.Errorf("OpenComplaints with b archived = %v", got)
	}
	sameGen(t, s, "delete complaint", func() error { return s.DeleteComplaint(ctx, c.ID) })
	if n := countRows(t, s, "complaint_steps"); n != 1 {
		t.Errorf("%d steps left after deleting the complaint, want 1", n)
	}
	if err := s.DeleteComplaint(ctx, c.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("second delete: %v", err)
	}
}
