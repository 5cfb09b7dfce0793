package store

import (
	"context"
	"slices"
	"testing"

	"carebook/crm"
)

func TestComplaintRows(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	a := mustSave(t, s, card()) // remark 老张
	b := mustSave(t, s, &crm.Customer{Name: "李四"})
	d := crm.MustDate
	save := func(c *crm.Complaint) *crm.Complaint {
		t.Helper()
		if err := s.SaveComplaint(ctx, c); err != nil {
			t.Fatal(err)
		}
		return c
	}
	c1 := save(&crm.Complaint{CustomerID: a.ID, Received: d("2026-11-02"), Category: crm.ComplaintUrgent,
		Severity: crm.SeveritySimple, Description: "尺码不对", Closed: d("2026-11-03"), Satisfaction: 5,
		Steps: []crm.ComplaintStep{{Step: crm.StepListen, Date: d("2026-11-02")}, {Step: crm.StepAgree, Date: d("2026-11-03"), Note: "换货"}}})
	c2 := save(&crm.Complaint{CustomerID: b.ID, Received: d("2026-11-10"), Category: crm.ComplaintBatch,
		Severity: crm.SeverityComplex, Description: "批量质量问题",
		Steps: []crm.ComplaintStep{{Step: crm.StepFollowUp, Date: d("2026-11-14")}, {Step: crm.StepListen, Date: d("2026-11-10")}}})
	c3 := save(&crm.Complaint{CustomerID: a.ID, Received: d("2026-11-10"), Category: crm.ComplaintUrgent,
		Severity: crm.SeverityGeneral, Description: "物流太慢"})
	c4 := save(&crm.Complaint{CustomerID: b.ID, Received: d("2026-10-01"), Category: crm.ComplaintMalicious,
		Severity: crm.SeveritySimple, Closed: d("2026-10-01")})
	if err := s.ArchiveCustomer(ctx, b.ID); err != nil {
		t.Fatal(err)
	}

	ids := func(q crm.ComplaintQuery) []int64 {
		t.Helper()
		rows, err := s.ComplaintRows(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		var out []int64
		for _, r := range rows {
			out = append(out, r.ID)
		}
		return out
	}
	for _, x := range []struct {
		name string
		q    crm.ComplaintQuery
		want []int64
	}{
		{"all, newest first (same day: latest entered first)", crm.ComplaintQuery{}, []int64{c3.ID, c2.ID, c1.ID, c4.ID}},
		{"open", crm.ComplaintQuery{Status: crm.ComplaintOpen}, []int64{c3.ID, c2.ID}},
		{"closed", crm.ComplaintQuery{Status: crm.ComplaintClosed}, []int64{c1.ID, c4.ID}},
		{"received in November", crm.ComplaintQuery{From: d("2026-11-01"), To: d("2026-11-30")}, []int64{c3.ID, c2.ID, c1.ID}},
		{"bounds are inclusive", crm.ComplaintQuery{From: d("2026-11-02"), To: d("2026-11-10")}, []int64{c3.ID, c2.ID, c1.ID}},
		{"up to a day", crm.ComplaintQuery{To: d("2026-11-02")}, []int64{c1.ID, c4.ID}},
		{"category", crm.ComplaintQuery{Category: crm.ComplaintUrgent}, []int64{c3.ID, c1.ID}},
		{"severity", crm.ComplaintQuery{Severity: crm.SeveritySimple}, []int64{c1.ID, c4.ID}},
		{"all filters", crm.ComplaintQuery{Status: crm.ComplaintOpen, Category: crm.ComplaintUrgent,
			Severity: crm.SeverityGeneral, From: d("2026-11-01")}, []int64{c3.ID}},
		{"nothing matches", crm.ComplaintQuery{Category: crm.ComplaintDifficult}, nil},
	} {
		t.Run(x.name, func(t *testing.T) {
			if got := ids(x.q); !slices.Equal(got, x.want) {
				t.Errorf("got %v, want %v", got, x.want)
			}
			// crm's Matches (the screen filters the period's rows with it) agrees.
			all, err := s.ComplaintRows(ctx, crm.ComplaintQuery{})
			if err != nil {
				t.Fatal(err)
			}
			var matched []int64
			for i := range all {
				if x.q.Matches(&all[i].Complaint) {
					matched = append(matched, all[i].ID)
				}
			}
			if !slices.Equal(matched, x.want) {
				t.Errorf("Matches: %v, want %v", matched, x.want)
			}
		})
	}

	rows, err := s.ComplaintRows(ctx, crm.ComplaintQuery{})
	if err != nil {
		t.Fatal(err)
	}
	byID := map[int64]crm.ComplaintRow{}
	for _, r := range rows {
		byID[r.ID] = r
	}
	r1, r2 := byID[c1.ID], byID[c2.ID]
	if r1.CustomerCode != a.Code || r1.CustomerName != "老张" || r1.Archived {
		t.Errorf("row 1 customer %q %q archived %v", r1.CustomerCode, r1.CustomerName, r1.Archived)
	}
	if r2.CustomerName != "李四" || !r2.Archived {
		t.Errorf("row 2 customer %q archived %v", r2.CustomerName, r2.Archived)
	}
	if r1.Closed != d("2026-11-03") || r1.Satisfaction != 5 || r1.Description != "尺码不对" ||
		len(r1.Steps) != 2 || r1.Steps[1].Note != "换货" || r1.Steps[1].Step != crm.StepAgree {
		t.Errorf("row 1 = %+v", r1.Complaint)
	}
	// Steps come by date, each with its own complaint.
	if len(r2.Steps) != 2 || r2.Steps[0].Step != crm.StepListen || r2.Steps[1].Step != crm.StepFollowUp {
		t.Errorf("row 2 steps %+v", r2.Steps)
	}
	if len(byID[c3.ID].Steps) != 0 || len(byID[c4.ID].Steps) != 0 {
		t.Errorf("steps leaked to complaints without any")
	}
	// Same as the per-complaint read.
	one, err := s.Complaint(ctx, c2.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(one.Steps, r2.Steps) {
		t.Errorf("steps %+v, Complaint gives %+v", r2.Steps, one.Steps)
	}
}
