package crm

import (
	"slices"
	"strconv"
	"testing"
)

// inviteCodes plans day d and returns the codes of the Invite items, in order, each with its
// event id.
func inviteCodes(t *testing.T, b *book, d string) []string {
	t.Helper()
	s := DefaultPlanSettings()
	noHolidays(&s)
	var got []string
	for _, it := range PlanFromHistory(MustDate(d), s, &b.h).Invite {
		if it.Reason != ReasonInvitation || it.Event == nil || it.Ref != "event:"+itoa(it.Event.ID) {
			t.Fatalf("item %+v", it)
		}
		got = append(got, it.Customer.Code+"@"+itoa(it.Event.ID))
	}
	return got
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestPlanInviteWindow checks PRODUCT.md §3 question 2, one case per clause: "for every event
// with event date − window ≤ D < event date", "each audience customer", "(not archived, not
// do-not-disturb)", "without an invitation for it", "with the event's purpose and script".
func TestPlanInviteWindow(t *testing.T) {
	b := &book{}
	b.customer("C1", tier(TierVIP))
	b.customer("C2")
	b.customer("C3", dnd)
	b.customer("C4", archived)
	b.customer("C5", created("2026-11-20"))
	invited := b.customer("C6")
	b.h.Events = []Event{{ID: 100, Name: "会员日", Date: MustDate("2026-11-25"), Purpose: "回馈", Script: "{remark}您好", WindowDays: 7}}
	b.h.Invitations = []Invitation{{EventID: 100, CustomerID: invited.ID, Status: InvitationDeclined, Date: MustDate("2026-11-19")}}
	for _, tc := range []struct {
		day  string
		want []string
	}{
		{"2026-11-17", nil}, // the day before the window (Nov 25 − 7 = Nov 18)
		// The first day of the window; C6's invitation is dated later (Nov 19): not yet invited.
		// C5 was created on Nov 20.
		{"2026-11-18", []string{"C1@100", "C2@100", "C6@100"}},
		{"2026-11-19", []string{"C1@100", "C2@100"}},
		{"2026-11-20", []string{"C1@100", "C2@100", "C5@100"}},
		{"2026-11-24", []string{"C1@100", "C2@100", "C5@100"}}, // the last day before the event
		{"2026-11-25", nil}, // the event's day: D < event date fails
	} {
		if got := inviteCodes(t, b, tc.day); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.day, got, tc.want)
		}
	}
	// Purpose, script, due (the window's first day) and how long it has been open.
	p := PlanFromHistory(MustDate("2026-11-21"), DefaultPlanSettings(), &b.h)
	it := p.Invite[0]
	if it.Purpose != "回馈" || it.Script != "{remark}您好" || it.Event.Name != "会员日" ||
		it.Event.Date != MustDate("2026-11-25") || it.Due != MustDate("2026-11-18") || it.Overdue != 3 || it.SourceID != 100 {
		t.Errorf("item %+v", it)
	}
	// An undated invitation counts whatever the day.
	b.h.Invitations = append(b.h.Invitations, Invitation{EventID: 100, CustomerID: 2, Status: InvitationInvited})
	if got := inviteCodes(t, b, "2026-11-18"); !slices.Equal(got, []string{"C1@100", "C6@100"}) {
		t.Errorf("undated invitation: %v", got)
	}
	// A window of 0 days is never open.
	b.h.Events[0].WindowDays = 0
	if got := inviteCodes(t, b, "2026-11-24"); got != nil {
		t.Errorf("window 0: %v", got)
	}
}

// TestPlanInviteAudience checks the audience filters: tags (any), tiers, lifecycle stages and
// RFM segments, each list a condition, all empty = everyone.
func TestPlanInviteAudience(t *testing.T) {
	b := &book{}
	vip := b.customer("V", tier(TierVIP), func(c *Customer) { c.Tags = []string{"老客", "茶"} })
	major := b.customer("M", tier(TierMajor), func(c *Customer) { c.Tags = []string{"茶"} })
	b.customer("P", tier(TierOrdinary)) // a prospect: no purchase, no segment
	lost := b.customer("L", tier(TierMajor))
	// V: 3 recent purchases (repeat, high F and R); M: one recent purchase (new); L: one
	// purchase two years ago (lost).
	for _, d := range []string{"2026-09-01", "2026-10-01", "2026-11-01"} {
		b.purchase(vip.ID, d)
	}
	b.purchase(major.ID, "2026-11-10")
	b.purchase(lost.ID, "2024-10-01")
	ev := func(a Audience) {
		b.h.Events = []Event{{ID: 7, Name: "品鉴会", Date: MustDate("2026-11-28"), WindowDays: 10, Audience: a}}
	}
	for _, tc := range []struct {
		name string
		a    Audience
		want []string
	}{
		{"everyone", Audience{}, []string{"V@7", "L@7", "M@7", "P@7"}},
		{"any tag", Audience{Tags: []string{"老客", "咖啡"}}, []string{"V@7"}},
		{"a tag two have", Audience{Tags: []string{"茶"}}, []string{"V@7", "M@7"}},
		{"tiers", Audience{Tiers: []Tier{TierMajor, TierOrdinary}}, []string{"L@7", "M@7", "P@7"}},
		{"stage prospect", Audience{Stages: []Stage{StageProspect}}, []string{"P@7"}},
		{"stage new or lost", Audience{Stages: []Stage{StageNew, StageLost}}, []string{"L@7", "M@7"}},
		{"stage repeat", Audience{Stages: []Stage{StageRepeat}}, []string{"V@7"}},
		// V: R high, F high (3 ≥ 5/3), M high (300 ≥ 500/3/… ): important value; L: R low.
		{"segment", Audience{Segments: []Segment{SegmentImportantValue}}, []string{"V@7"}},
		{"a prospect has no segment", Audience{Segments: []Segment{SegmentGeneralWinback, SegmentImportantWinback, SegmentGeneralDevelop, SegmentImportantDevelop}}, []string{"L@7", "M@7"}},
		{"every list must match", Audience{Tags: []string{"茶"}, Tiers: []Tier{TierMajor}}, []string{"M@7"}},
		{"nobody", Audience{Tags: []string{"茶"}, Stages: []Stage{StageLost}}, nil},
	} {
		ev(tc.a)
		if got := inviteCodes(t, b, "2026-11-22"); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestPlanInviteSnoozeAndOrder: an invite item snoozes like any other (reason invitation, ref
// event:ID), and items are ordered as §3 says (overdue first, then tier, due, name), across
// events; an item is overdue from the day after its window opened.
func TestPlanInviteSnoozeAndOrder(t *testing.T) {
	b := &book{}
	a := b.customer("A", tier(TierSmall))
	b.customer("B", tier(TierVIP))
	b.h.Events = []Event{
		{ID: 1, Name: "later", Date: MustDate("2026-11-30"), WindowDays: 3},   // opens Nov 27
		{ID: 2, Name: "sooner", Date: MustDate("2026-11-29"), WindowDays: 14}, // opened Nov 15
	}
	if got, want := inviteCodes(t, b, "2026-11-27"), []string{"B@2", "A@2", "B@1", "A@1"}; !slices.Equal(got, want) {
		t.Errorf("order %v, want %v", got, want)
	}
	b.h.Snoozes = []Snooze{{CustomerID: a.ID, Reason: ReasonInvitation, Ref: "event:2", Until: MustDate("2026-11-28")}}
	if got, want := inviteCodes(t, b, "2026-11-27"), []string{"B@2", "B@1", "A@1"}; !slices.Equal(got, want) {
		t.Errorf("snoozed %v, want %v", got, want)
	}
	// On Nov 28 both are overdue: tier, then due.
	if got, want := inviteCodes(t, b, "2026-11-28"), []string{"B@2", "B@1", "A@2", "A@1"}; !slices.Equal(got, want) {
		t.Errorf("after the snooze %v, want %v", got, want)
	}
}
