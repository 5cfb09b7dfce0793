package crm

import (
	"slices"
	"testing"
)

// TestPlanServe checks the Serve question: open services and complaints of the day, complaint
// deadlines in working days across the 2026 National Day holiday (Oct 1–7 off, Sat Oct 10 a
// make-up working day), and the order of PRODUCT.md §3.
func TestPlanServe(t *testing.T) {
	var b book
	c1 := b.customer("C1")
	c2 := b.customer("C2", tier(TierVIP))
	c3 := b.customer("C3", tier(TierMajor))
	c4 := b.customer("C4", tier(TierVIP))
	c5 := b.customer("C5", tier(TierOrdinary))
	c6 := b.customer("C6")
	gone := b.customer("C7", tier(TierVIP), archived)
	late := b.customer("C8", created("2026-10-10"))
	d := MustDate("2026-10-09")
	in := PlanInputAsOf(d, DefaultPlanSettings(), &b.h)
	in.Workdays = cnCalendar(t)
	in.Services = []PlanService{
		{ID: 1, CustomerID: c3.ID, Date: MustDate("2026-10-05"), Kind: ServiceOffline, Title: "上门安装"},
		{ID: 2, CustomerID: c4.ID, Date: d, Kind: ServiceOnline, Title: "视频指导"},
		{ID: 3, CustomerID: c1.ID, Date: MustDate("2026-10-10"), Kind: ServiceOnline, Title: "future"},
		{ID: 4, CustomerID: c1.ID, Date: MustDate("2026-10-01"), Kind: ServiceAfterSales, Title: "done", Done: MustDate("2026-10-08")},
		{ID: 5, CustomerID: gone.ID, Date: MustDate("2026-10-01"), Kind: ServiceAfterSales, Title: "archived"},
		{ID: 6, CustomerID: late.ID, Date: MustDate("2026-10-01"), Kind: ServiceAfterSales, Title: "created later"},
	}
	in.Complaints = []PlanComplaint{
		// Received the day before the holiday: general, 3 working days → Oct 8, 9, 10.
		{ID: 1, CustomerID: c1.ID, Received: MustDate("2026-09-30"), Severity: SeverityGeneral, Title: "物流延误"},
		// Simple, 1 working day → Oct 8: overdue 1 day.
		{ID: 2, CustomerID: c2.ID, Received: MustDate("2026-09-30"), Severity: SeveritySimple, Title: "少发配件"},
		// Complex: 3 working days after the latest step (Sep 30) → Oct 10.
		{ID: 3, CustomerID: c5.ID, Received: MustDate("2026-09-29"), Severity: SeverityComplex, LatestStep: MustDate("2026-09-30"), Title: "质量问题"},
		// Closed after the day: still open on it. Oct 8 + 3 working days → Oct 9, 10, 12.
		{ID: 4, CustomerID: c6.ID, Received: MustDate("2026-10-08"), Severity: SeverityGeneral, Closed: MustDate("2026-10-10"), Title: "态度"},
		// Closed on the day, received later, archived customer: left out.
		{ID: 5, CustomerID: c1.ID, Received: MustDate("2026-09-01"), Severity: SeverityGeneral, Closed: d, Title: "closed"},
		{ID: 6, CustomerID: c1.ID, Received: MustDate("2026-10-10"), Severity: SeveritySimple, Title: "received later"},
		{ID: 7, CustomerID: gone.ID, Received: MustDate("2026-09-01"), Severity: SeveritySimple, Title: "archived"},
	}
	p := PlanDay(d, DefaultPlanSettings(), in)
	var got []string
	for _, it := range p.Serve {
		got = append(got, describe(it)+" "+it.Title)
	}
	want := []string{
		"C2 complaint due=2026-10-08 +1 少发配件",
		"C3 offline due=2026-10-05 +4 上门安装",
		"C4 online due=2026-10-09 +0 视频指导",
		"C5 complaint due=2026-10-10 +0 质量问题",
		"C1 complaint due=2026-10-10 +0 物流延误",
		"C6 complaint due=2026-10-12 +0 态度",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("serve:\n got %q\nwant %q", got, want)
	}
	if it := p.Serve[1]; it.SourceID != 1 || it.Ref != "service:1" || it.Customer.ID != c3.ID {
		t.Errorf("service item: %+v", it)
	}

	// A serve item snoozes like the others.
	in.Snoozes = []Snooze{{CustomerID: c2.ID, Reason: ReasonComplaint, Ref: p.Serve[0].Ref, Until: d.AddDays(1)}}
	if p := PlanDay(d, DefaultPlanSettings(), in); len(p.Serve) != len(want)-1 || p.Serve[0].Customer.ID != c3.ID {
		t.Errorf("snoozed: %v", describeAll(p.Serve))
	}
	// Without services and complaints, no Serve list.
	if p := PlanDay(d, DefaultPlanSettings(), PlanInputAsOf(d, DefaultPlanSettings(), &b.h)); p.Serve != nil {
		t.Errorf("serve without input: %v", p.Serve)
	}
}

func TestComplaintTitle(t *testing.T) {
	long := ""
	for range 70 {
		long += "长"
	}
	for _, x := range [][2]string{
		{"", ""},
		{"  物流延误\n三天未到 ", "物流延误"},
		{long, long[:len("长")*(MaxComplaintTitle-1)] + "…"},
	} {
		if got := ComplaintTitle(x[0]); got != x[1] {
			t.Errorf("ComplaintTitle(%q) = %q, want %q", x[0], got, x[1])
		}
	}
}
