package store

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"carebook/crm"
)

// The export's readers of services, complaints and events: bounded by date, ordered, archived
// customers left out, every complaint with its own steps, events without invitations once.
func TestEachServeRows(t *testing.T) {
	ctx := context.Background()
	eb := newExportBook(t) // c is archived
	s := eb.s
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, v := range []crm.Service{
		{CustomerID: eb.a.ID, Date: feb28, Kind: crm.ServiceOnline, Title: "s3"},
		{CustomerID: eb.b.ID, Date: feb1, Kind: crm.ServiceOffline, Title: "s1"},
		{CustomerID: eb.c.ID, Date: feb1, Kind: crm.ServiceOffline, Title: "archived"},
		{CustomerID: eb.d.ID, Date: feb1 - 1, Kind: crm.ServiceAfterSales, Title: "before"},
		{CustomerID: eb.d.ID, Date: feb1, Kind: crm.ServiceAfterSales, Title: "s2", Status: crm.ServiceDone, DoneDate: feb28},
	} {
		must(s.SaveService(ctx, &v))
	}
	step := func(k crm.ComplaintStepKind, d crm.Date, note string) crm.ComplaintStep {
		return crm.ComplaintStep{Step: k, Date: d, Note: note}
	}
	for _, c := range []crm.Complaint{
		{CustomerID: eb.a.ID, Received: feb28, Category: crm.ComplaintUrgent, Severity: crm.SeveritySimple, Description: "k2",
			Steps: []crm.ComplaintStep{step(crm.StepFollowUp, feb28+3, "b"), step(crm.StepListen, feb28, "a")}},
		{CustomerID: eb.c.ID, Received: feb1, Category: crm.ComplaintUrgent, Severity: crm.SeveritySimple, Description: "archived",
			Steps: []crm.ComplaintStep{step(crm.StepListen, feb1, "x")}},
		{CustomerID: eb.b.ID, Received: feb1, Category: crm.ComplaintBatch, Severity: crm.SeverityComplex, Description: "k1"},
		{CustomerID: eb.d.ID, Received: feb1, Category: crm.ComplaintBatch, Severity: crm.SeverityComplex, Description: "k1b",
			Steps: []crm.ComplaintStep{step(crm.StepAgree, feb1+1, "c")}},
		{CustomerID: eb.d.ID, Received: feb28 + 1, Category: crm.ComplaintBatch, Severity: crm.SeverityComplex, Description: "after"},
	} {
		must(s.SaveComplaint(ctx, &c))
	}
	e1 := crm.Event{Name: "e1", Date: feb1, Audience: crm.Audience{Tags: []string{"新客"}}, WindowDays: 3}
	e2 := crm.Event{Name: "e2", Date: feb28}
	e0 := crm.Event{Name: "e0", Date: feb1 - 1}
	for _, e := range []*crm.Event{&e2, &e1, &e0} {
		must(s.SaveEvent(ctx, e))
	}
	for _, who := range []int64{eb.d.ID, eb.c.ID, eb.a.ID} {
		_, err := s.SetInvitation(ctx, e1.ID, who, crm.InvitationAccepted, feb1-2, "")
		must(err)
	}

	var got []string
	must(s.EachService(ctx, feb1, feb28, func(r *crm.ServiceSheetRow) error {
		got = append(got, fmt.Sprintf("%s %s %s %s %s", r.CustomerCode, r.Date, r.Title, r.Status, r.DoneDate))
		return nil
	}))
	want := []string{"C000002 2026-02-01 s1 open ", "C000009 2026-02-01 s2 done 2026-02-28", "C000001 2026-02-28 s3 open "}
	if !slices.Equal(got, want) {
		t.Errorf("services %q\nwant %q", got, want)
	}

	got = nil
	must(s.EachComplaint(ctx, feb1, feb28, func(r *crm.ComplaintSheetRow) error {
		line := fmt.Sprintf("%s %s %s", r.CustomerCode, r.Received, r.Description)
		for _, st := range r.Steps {
			line += fmt.Sprintf(" %s/%s/%s", st.Step, st.Date, st.Note)
		}
		got = append(got, line)
		return nil
	}))
	want = []string{"C000002 2026-02-01 k1", "C000009 2026-02-01 k1b agree/2026-02-02/c",
		"C000001 2026-02-28 k2 listen/2026-02-28/a follow_up/2026-03-03/b"}
	if !slices.Equal(got, want) {
		t.Errorf("complaints %q\nwant %q", got, want)
	}

	got = nil
	must(s.EachEventRow(ctx, feb1, 0, func(r *crm.EventSheetRow) error {
		line := fmt.Sprintf("%s %s %v %d", r.Name, r.Date, r.Audience.Tags, r.WindowDays)
		if r.Invited {
			line += fmt.Sprintf(" → %s %s %s", r.CustomerCode, r.Invitation.Status, r.Invitation.Date)
		}
		got = append(got, line)
		return nil
	}))
	want = []string{"e1 2026-02-01 [新客] 3 → C000009 accepted 2026-01-30", "e1 2026-02-01 [新客] 3 → C000001 accepted 2026-01-30",
		"e2 2026-02-28 [] 0"}
	if !slices.Equal(got, want) {
		t.Errorf("events %q\nwant %q", got, want)
	}
}
