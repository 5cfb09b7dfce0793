package crm

import (
	"strings"
	"testing"
)

func TestAudienceMatches(t *testing.T) {
	tags := []string{"护肤", "老客"}
	for _, tc := range []struct {
		name string
		a    Audience
		want bool
	}{
		{"everyone", Audience{}, true},
		{"any tag", Audience{Tags: []string{"彩妆", "老客"}}, true},
		{"no tag", Audience{Tags: []string{"彩妆"}}, false},
		{"tier in", Audience{Tiers: []Tier{TierVIP, TierMajor}}, true},
		{"tier out", Audience{Tiers: []Tier{TierSmall}}, false},
		{"stage in", Audience{Stages: []Stage{StageRepeat}}, true},
		{"stage out", Audience{Stages: []Stage{StageLost}}, false},
		{"segment in", Audience{Segments: []Segment{SegmentImportantValue}}, true},
		{"segment out", Audience{Segments: []Segment{SegmentGeneralWinback}}, false},
		{"all lists must match", Audience{Tags: []string{"护肤"}, Tiers: []Tier{TierSmall}}, false},
		{"all lists match", Audience{Tags: []string{"护肤"}, Tiers: []Tier{TierMajor}, Stages: []Stage{StageRepeat},
			Segments: []Segment{SegmentImportantValue}}, true},
	} {
		if got := tc.a.Matches(tags, TierMajor, StageRepeat, SegmentImportantValue); got != tc.want {
			t.Errorf("%s: Matches = %v, want %v", tc.name, got, tc.want)
		}
	}
	if (Audience{Segments: []Segment{SegmentGeneralValue}}).Matches(nil, TierVIP, StageProspect, "") {
		t.Error("a customer without a segment matched a segment list")
	}
	if !(Audience{}).IsEveryone() || (Audience{Tags: []string{"x"}}).IsEveryone() {
		t.Error("IsEveryone")
	}
}

func TestInviteWindowOpen(t *testing.T) {
	e := Event{Date: MustDate("2026-05-10"), WindowDays: 7}
	for _, tc := range []struct {
		d    string
		want bool
	}{
		{"2026-05-02", false}, // before the window
		{"2026-05-03", true},  // date − window
		{"2026-05-09", true},  // the day before
		{"2026-05-10", false}, // the event day itself
		{"2026-05-11", false}, // after
	} {
		if got := InviteWindowOpen(e, MustDate(tc.d)); got != tc.want {
			t.Errorf("InviteWindowOpen(%s) = %v, want %v", tc.d, got, tc.want)
		}
	}
	if InviteWindowOpen(Event{Date: MustDate("2026-05-10")}, MustDate("2026-05-09")) {
		t.Error("a zero window is open")
	}
}

// wantOneFieldErr checks that es holds exactly one error, for field with key.
func wantOneFieldErr(t *testing.T, name string, es Errors, field, key string) {
	t.Helper()
	if field == "" {
		if len(es) != 0 {
			t.Errorf("%s: errors %v, want none", name, es)
		}
		return
	}
	if len(es) != 1 || es[0].Field != field || es[0].Key != key {
		t.Errorf("%s: errors %v, want one %s %s", name, es, field, key)
	}
}

func TestValidateEvent(t *testing.T) {
	ok := func() Event {
		return Event{Name: " 春季沙龙 ", Date: MustDate("2026-04-18"), Purpose: "新品", WindowDays: 7}
	}
	for _, tc := range []struct {
		name       string
		edit       func(*Event)
		field, key string
	}{
		{"valid", func(*Event) {}, "", ""},
		{"name required", func(e *Event) { e.Name = "  " }, "name", "err.required"},
		{"name too long", func(e *Event) { e.Name = strings.Repeat("名", MaxEventName+1) }, "name", "err.too_long"},
		{"date required", func(e *Event) { e.Date = 0 }, "date", "err.required"},
		{"date year", func(e *Event) { e.Date = NewDate(1800, 1, 1) }, "date", "err.year_range"},
		{"purpose too long", func(e *Event) { e.Purpose = strings.Repeat("x", MaxPurpose+1) }, "purpose", "err.too_long"},
		{"script too long", func(e *Event) { e.Script = strings.Repeat("x", MaxScript+1) }, "script", "err.too_long"},
		{"notes too long", func(e *Event) { e.Notes = strings.Repeat("x", MaxEventNotes+1) }, "notes", "err.too_long"},
		{"window negative", func(e *Event) { e.WindowDays = -1 }, "window_days", "err.range"},
		{"window too long", func(e *Event) { e.WindowDays = MaxInviteWindow + 1 }, "window_days", "err.range"},
		{"window zero", func(e *Event) { e.WindowDays = 0 }, "", ""},
		{"tag too long", func(e *Event) { e.Audience.Tags = []string{strings.Repeat("x", MaxTag+1)} }, "tags[0]", "err.too_long"},
		{"tier", func(e *Event) { e.Audience.Tiers = []Tier{TierVIP, "gold"} }, "tiers[1]", "err.tier"},
		{"stage", func(e *Event) { e.Audience.Stages = []Stage{"old"} }, "stages[0]", keyChoice},
		{"segment", func(e *Event) { e.Audience.Segments = []Segment{"best"} }, "segments[0]", keyChoice},
	} {
		e := ok()
		tc.edit(&e)
		NormalizeEvent(&e)
		wantOneFieldErr(t, tc.name, ValidateEvent(&e), tc.field, tc.key)
	}
}

func TestNormalizeEvent(t *testing.T) {
	e := Event{Name: " 沙龙 ", Script: " 您好\r\n", Audience: Audience{Tags: []string{" a ", "", "a", "b"},
		Tiers: []Tier{TierVIP, TierVIP}}}
	NormalizeEvent(&e)
	if e.Name != "沙龙" || e.Script != "您好" || strings.Join(e.Audience.Tags, ",") != "a,b" || len(e.Audience.Tiers) != 1 {
		t.Errorf("NormalizeEvent = %+v", e)
	}
}

func TestValidateInvitation(t *testing.T) {
	for _, tc := range []struct {
		name       string
		edit       func(*Invitation)
		field, key string
	}{
		{"valid", func(*Invitation) {}, "", ""},
		{"status defaults", func(v *Invitation) { v.Status = "" }, "", ""},
		{"event", func(v *Invitation) { v.EventID = 0 }, "event", "err.required"},
		{"customer", func(v *Invitation) { v.CustomerID = 0 }, "customer", "err.required"},
		{"status", func(v *Invitation) { v.Status = "maybe" }, "status", keyChoice},
		{"date year", func(v *Invitation) { v.Date = NewDate(3000, 1, 1) }, "date", "err.year_range"},
		{"note too long", func(v *Invitation) { v.Note = strings.Repeat("x", MaxInviteNote+1) }, "note", "err.too_long"},
	} {
		v := Invitation{EventID: 1, CustomerID: 2, Status: InvitationAccepted, Date: MustDate("2026-04-01")}
		tc.edit(&v)
		NormalizeInvitation(&v)
		wantOneFieldErr(t, tc.name, ValidateInvitation(&v), tc.field, tc.key)
	}
}

func TestValidateService(t *testing.T) {
	for _, tc := range []struct {
		name       string
		edit       func(*Service)
		field, key string
	}{
		{"valid", func(*Service) {}, "", ""},
		{"customer", func(v *Service) { v.CustomerID = 0 }, "customer", "err.required"},
		{"date", func(v *Service) { v.Date = 0 }, "date", "err.required"},
		{"kind", func(v *Service) { v.Kind = "home" }, "kind", keyChoice},
		{"title required", func(v *Service) { v.Title = " " }, "title", "err.required"},
		{"title too long", func(v *Service) { v.Title = strings.Repeat("x", MaxServiceTitle+1) }, "title", "err.too_long"},
		{"status", func(v *Service) { v.Status = "later" }, "status", keyChoice},
		{"done needs date", func(v *Service) { v.Status = ServiceDone }, "done_date", "err.required"},
		{"done", func(v *Service) { v.Status, v.DoneDate = ServiceDone, MustDate("2026-04-02") }, "", ""},
		{"done date year", func(v *Service) { v.Status, v.DoneDate = ServiceDone, NewDate(1000, 1, 1) }, "done_date", "err.year_range"},
		{"notes too long", func(v *Service) { v.Notes = strings.Repeat("x", MaxServiceNotes+1) }, "notes", "err.too_long"},
	} {
		v := Service{CustomerID: 1, Date: MustDate("2026-04-01"), Kind: ServiceAfterSales, Title: "换货"}
		tc.edit(&v)
		NormalizeService(&v)
		wantOneFieldErr(t, tc.name, ValidateService(&v), tc.field, tc.key)
	}
	v := Service{Status: ServiceOpen, DoneDate: MustDate("2026-04-02")}
	NormalizeService(&v)
	if v.DoneDate != 0 {
		t.Error("an open service kept its done date")
	}
}

func TestValidateComplaint(t *testing.T) {
	received := MustDate("2026-04-01")
	for _, tc := range []struct {
		name       string
		edit       func(*Complaint)
		field, key string
	}{
		{"valid", func(*Complaint) {}, "", ""},
		{"channel defaults", func(c *Complaint) { c.Channel = "" }, "", ""},
		{"customer", func(c *Complaint) { c.CustomerID = 0 }, "customer", "err.required"},
		{"received", func(c *Complaint) { c.Received, c.Steps = 0, nil }, "received", "err.required"},
		{"channel", func(c *Complaint) { c.Channel = "fax" }, "channel", "err.channel"},
		{"category", func(c *Complaint) { c.Category = "angry" }, "category", keyChoice},
		{"severity", func(c *Complaint) { c.Severity = "huge" }, "severity", keyChoice},
		{"description too long", func(c *Complaint) { c.Description = strings.Repeat("x", MaxDescription+1) }, "description", "err.too_long"},
		{"resolution too long", func(c *Complaint) { c.Resolution = strings.Repeat("x", MaxResolution+1) }, "resolution", "err.too_long"},
		{"satisfaction 5", func(c *Complaint) { c.Satisfaction = 5 }, "", ""},
		{"satisfaction 6", func(c *Complaint) { c.Satisfaction = 6 }, "satisfaction", "err.scale"},
		{"satisfaction negative", func(c *Complaint) { c.Satisfaction = -1 }, "satisfaction", "err.scale"},
		{"closed same day", func(c *Complaint) { c.Closed = received }, "", ""},
		{"closed before received", func(c *Complaint) { c.Closed = received - 1 }, "closed", "err.before_received"},
		{"closed year", func(c *Complaint) { c.Closed = NewDate(2500, 1, 1) }, "closed", "err.year_range"},
		{"too many steps", func(c *Complaint) {
			c.Steps = make([]ComplaintStep, MaxComplaintStep+1)
			for i := range c.Steps {
				c.Steps[i] = ComplaintStep{Step: StepFollowUp, Date: received}
			}
		}, "steps", "err.too_many"},
		{"step kind", func(c *Complaint) { c.Steps[0].Step = "shout" }, "steps[0].step", keyChoice},
		{"step date", func(c *Complaint) { c.Steps[0].Date = 0 }, "steps[0].date", "err.required"},
		{"step before received", func(c *Complaint) { c.Steps[1].Date = received - 1 }, "steps[0].date", "err.before_received"},
		{"step note too long", func(c *Complaint) { c.Steps[1].Note = strings.Repeat("x", MaxStepNote+1) }, "steps[1].note", "err.too_long"},
	} {
		c := Complaint{CustomerID: 1, Received: received, Channel: ChannelPhone, Category: ComplaintUrgent,
			Severity: SeverityGeneral, Steps: []ComplaintStep{{Step: StepListen, Date: received},
				{Step: StepEmpathise, Date: received + 1}}}
		tc.edit(&c)
		NormalizeComplaint(&c)
		wantOneFieldErr(t, tc.name, ValidateComplaint(&c), tc.field, tc.key)
	}
}

func TestNormalizeComplaint(t *testing.T) {
	d := MustDate("2026-04-01")
	c := Complaint{Description: " 过敏\r\n", Steps: []ComplaintStep{{Step: StepClarify, Date: d + 2},
		{Step: StepListen, Date: d, Note: " 安抚 "}, {Step: StepEmpathise, Date: d}}}
	NormalizeComplaint(&c)
	if c.Channel != ChannelOther || c.Description != "过敏" || c.Steps[0].Step != StepListen ||
		c.Steps[0].Note != "安抚" || c.Steps[1].Step != StepEmpathise || c.Steps[2].Step != StepClarify {
		t.Errorf("NormalizeComplaint = %+v", c)
	}
	if c.LatestStep() != d+2 || (&Complaint{}).LatestStep() != 0 {
		t.Error("LatestStep")
	}
}
