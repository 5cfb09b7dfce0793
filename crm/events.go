package crm

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// Event is an event (活动) customers are invited to (PRODUCT.md §1 Event; §3 question 2).
type Event struct {
	ID         int64
	Name       string
	Date       Date
	Purpose    string // 邀约目的
	Script     string // 邀约话术
	Audience   Audience
	WindowDays int // invitations are planned from Date − WindowDays
	Notes      string
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// DefaultInviteWindow is the invite window of a new event, in days.
const DefaultInviteWindow = 7

// MaxInviteWindow is the longest invite window, in days (the schema's bound).
const MaxInviteWindow = 366

// Audience says whom an event is for. Each non-empty list must match; all empty means everyone.
type Audience struct {
	Tags     []string  `json:"tags,omitempty"`     // any of them
	Tiers    []Tier    `json:"tiers,omitempty"`    // the user's own tier
	Stages   []Stage   `json:"stages,omitempty"`   // lifecycle stage (or churn state)
	Segments []Segment `json:"segments,omitempty"` // RFM segment
}

// IsEveryone reports whether the audience is everyone (no list filters).
func (a Audience) IsEveryone() bool {
	return len(a.Tags) == 0 && len(a.Tiers) == 0 && len(a.Stages) == 0 && len(a.Segments) == 0
}

// Matches reports whether a customer with these tags, tier, stage and segment is in the
// audience: every non-empty list must hold the customer's value (for Tags: any of its tags). A
// customer without purchases has no segment (""), so it never matches a segment list.
func (a Audience) Matches(tags []string, tier Tier, stage Stage, segment Segment) bool {
	if len(a.Tags) > 0 && !slices.ContainsFunc(tags, func(t string) bool { return slices.Contains(a.Tags, t) }) {
		return false
	}
	if len(a.Tiers) > 0 && !slices.Contains(a.Tiers, tier) {
		return false
	}
	if len(a.Stages) > 0 && !slices.Contains(a.Stages, stage) {
		return false
	}
	if len(a.Segments) > 0 && !slices.Contains(a.Segments, segment) {
		return false
	}
	return true
}

// NeedsTags reports whether matching the audience looks at a customer's tags.
func (a Audience) NeedsTags() bool { return len(a.Tags) > 0 }

// NeedsClass reports whether matching the audience looks at a customer's lifecycle stage or
// RFM segment (the classification of the day).
func (a Audience) NeedsClass() bool { return len(a.Stages) > 0 || len(a.Segments) > 0 }

// InviteWindowStart is the first day of e's invite window: e.Date − e.WindowDays.
func InviteWindowStart(e Event) Date { return e.Date.AddDays(-e.WindowDays) }

// InviteWindowOpen reports whether d is in e's invite window: e.Date − e.WindowDays ≤ d < e.Date.
func InviteWindowOpen(e Event, d Date) bool {
	return !e.Date.IsZero() && e.Date.AddDays(-e.WindowDays) <= d && d < e.Date
}

// InvitationStatus is where an invitation stands.
type InvitationStatus string

// Invitation statuses.
const (
	InvitationInvited  InvitationStatus = "invited"  // 已邀约
	InvitationAccepted InvitationStatus = "accepted" // 已接受
	InvitationDeclined InvitationStatus = "declined" // 已拒绝
	InvitationAttended InvitationStatus = "attended" // 已到场
	InvitationNoShow   InvitationStatus = "no_show"  // 未到场
)

// InvitationStatuses lists the statuses in funnel order.
var InvitationStatuses = []InvitationStatus{InvitationInvited, InvitationAccepted, InvitationDeclined,
	InvitationAttended, InvitationNoShow}

// Invitation is a customer's invitation to an event: one per event and customer.
type Invitation struct {
	ID         int64
	EventID    int64
	CustomerID int64
	Status     InvitationStatus
	Date       Date // the day invited; 0 = unknown
	Note       string
}

// ServiceKind is the kind of a service appointment.
type ServiceKind string

// Service kinds.
const (
	ServiceOnline     ServiceKind = "online"      // 线上服务
	ServiceOffline    ServiceKind = "offline"     // 线下服务
	ServiceAfterSales ServiceKind = "after_sales" // 售后服务
)

// ServiceKinds lists the service kinds in display order.
var ServiceKinds = []ServiceKind{ServiceOnline, ServiceOffline, ServiceAfterSales}

// ServiceStatus says whether a service appointment is still to do.
type ServiceStatus string

// Service statuses.
const (
	ServiceOpen ServiceStatus = "open"
	ServiceDone ServiceStatus = "done"
)

// ServiceStatuses lists the service statuses.
var ServiceStatuses = []ServiceStatus{ServiceOpen, ServiceDone}

// Service is a service appointment (服务) (PRODUCT.md §1; §3 question 3).
type Service struct {
	ID         int64
	CustomerID int64
	Date       Date
	Kind       ServiceKind
	Title      string
	Status     ServiceStatus
	DoneDate   Date // 0 while open
	Notes      string
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// ComplaintCategory is the category of a complaint.
type ComplaintCategory string

// Complaint categories.
const (
	ComplaintUrgent    ComplaintCategory = "urgent"    // 紧急
	ComplaintBatch     ComplaintCategory = "batch"     // 批量
	ComplaintDifficult ComplaintCategory = "difficult" // 疑难
	ComplaintMalicious ComplaintCategory = "malicious" // 恶意
)

// ComplaintCategories lists the categories in display order.
var ComplaintCategories = []ComplaintCategory{ComplaintUrgent, ComplaintBatch, ComplaintDifficult, ComplaintMalicious}

// ComplaintStepKind is one of the five steps of complaint handling.
type ComplaintStepKind string

// The five steps, in order; follow_up may repeat.
const (
	StepListen    ComplaintStepKind = "listen"    // 安抚倾听
	StepEmpathise ComplaintStepKind = "empathise" // 表示理解
	StepClarify   ComplaintStepKind = "clarify"   // 澄清解释
	StepAgree     ComplaintStepKind = "agree"     // 解决共识
	StepFollowUp  ComplaintStepKind = "follow_up" // 跟进回访
)

// ComplaintSteps lists the five steps in order.
var ComplaintSteps = []ComplaintStepKind{StepListen, StepEmpathise, StepClarify, StepAgree, StepFollowUp}

// Complaint is a customer complaint (客诉) with the steps taken on it.
type Complaint struct {
	ID           int64
	CustomerID   int64
	Received     Date
	Channel      Channel
	Category     ComplaintCategory
	Severity     Severity
	Description  string
	Resolution   string
	Satisfaction int  // 1–5; 0 = not asked yet
	Closed       Date // 0 while open
	Steps        []ComplaintStep
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// ComplaintStep is one step taken on a complaint, on a day, with a note.
type ComplaintStep struct {
	ID   int64
	Step ComplaintStepKind
	Date Date
	Note string
}

// LatestStep returns the date of c's latest step, or 0 when it has none.
func (c *Complaint) LatestStep() Date {
	var d Date
	for _, s := range c.Steps {
		d = max(d, s.Date)
	}
	return d
}

// ComplaintSummary sums up complaints.
type ComplaintSummary struct {
	Total      int
	Open       int
	Closed     int
	ByCategory map[ComplaintCategory]int
	BySeverity map[Severity]int
	// AvgDaysToClose is the mean of closed − received over the closed complaints (0 when none).
	AvgDaysToClose float64
}

// Field bounds of events, invitations, services and complaints, in runes (steps: entries).
const (
	MaxEventName     = 100
	MaxPurpose       = 500
	MaxScript        = 2000
	MaxEventNotes    = 2000
	MaxInviteNote    = 500
	MaxServiceTitle  = 200
	MaxServiceNotes  = 2000
	MaxDescription   = 2000
	MaxResolution    = 2000
	MaxStepNote      = 2000
	MaxComplaintStep = 100
	MinSatisfaction  = 1
	MaxSatisfaction  = 5
)

// keyChoice is the key of an enum field holding an unknown value ("{{.Value}} is not one of the
// choices."). The UI offers only valid choices, so mostly imports meet it.
const keyChoice = "err.choice"

func choiceError(field, value string) FieldError {
	return FieldError{Field: field, Key: keyChoice, Args: map[string]any{"Value": value}}
}

// checkDay returns the error of a required (or optional) date field: unset, or out of the years
// the book handles.
func checkDay(field string, d Date, required bool) *FieldError {
	if d.IsZero() {
		if required {
			return &FieldError{Field: field, Key: "err.required"}
		}
		return nil
	}
	if y := d.Year(); y < MinKeyDateYear || y > MaxKeyDateYear {
		return &FieldError{Field: field, Key: "err.year_range", Args: map[string]any{"Min": MinKeyDateYear, "Max": MaxKeyDateYear}}
	}
	return nil
}

// notBefore is the error of a date that may not lie before first (the day the complaint was
// received): "err.before_received" {Date}.
func notBefore(field string, first Date) FieldError {
	return FieldError{Field: field, Key: "err.before_received", Args: map[string]any{"Date": first.String()}}
}

func addText(es Errors, field, s string, max int, multiLine, required bool) Errors {
	if required && s == "" {
		return append(es, FieldError{Field: field, Key: "err.required"})
	}
	if e := checkText(field, s, max, multiLine); e != nil {
		es = append(es, *e)
	}
	return es
}

func addDay(es Errors, field string, d Date, required bool) Errors {
	if e := checkDay(field, d, required); e != nil {
		es = append(es, *e)
	}
	return es
}

// dedupe returns xs without repeats (first kept), in order; nil when empty.
func dedupe[T comparable](xs []T) []T {
	var out []T
	for _, x := range xs {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

// NormalizeEvent trims the texts and the audience's tags and drops empty tags and repeats. It
// leaves the window alone: 0 is a valid window, so defaulting a new event's window to
// DefaultInviteWindow is the form's job.
func NormalizeEvent(e *Event) {
	e.Name = strings.TrimSpace(e.Name)
	e.Purpose = trimText(e.Purpose)
	e.Script = trimText(e.Script)
	e.Notes = trimText(e.Notes)
	var tags []string
	for _, t := range e.Audience.Tags {
		if t = strings.TrimSpace(t); t != "" {
			tags = append(tags, t)
		}
	}
	e.Audience.Tags = dedupe(tags)
	e.Audience.Tiers = dedupe(e.Audience.Tiers)
	e.Audience.Stages = dedupe(e.Audience.Stages)
	e.Audience.Segments = dedupe(e.Audience.Segments)
}

// ValidateEvent returns every field error of an event (nil when valid). Fields: "name", "date",
// "purpose", "script", "notes", "window_days", "tags[i]", "tiers[i]", "stages[i]",
// "segments[i]".
func ValidateEvent(e *Event) Errors {
	var es Errors
	es = addText(es, "name", e.Name, MaxEventName, false, true)
	es = addDay(es, "date", e.Date, true)
	es = addText(es, "purpose", e.Purpose, MaxPurpose, true, false)
	es = addText(es, "script", e.Script, MaxScript, true, false)
	es = addText(es, "notes", e.Notes, MaxEventNotes, true, false)
	if e.WindowDays < 0 || e.WindowDays > MaxInviteWindow {
		es = append(es, FieldError{Field: "window_days", Key: "err.range", Args: map[string]any{"Min": 0, "Max": MaxInviteWindow}})
	}
	for i, t := range e.Audience.Tags {
		field := "tags[" + strconv.Itoa(i) + "]"
		switch {
		case t == "":
			es = append(es, FieldError{Field: field, Key: "err.required"})
		case checkText(field, t, MaxTag, false) != nil:
			es = append(es, *checkText(field, t, MaxTag, false))
		}
	}
	for i, t := range e.Audience.Tiers {
		if !slices.Contains(Tiers, t) {
			es = append(es, FieldError{Field: "tiers[" + strconv.Itoa(i) + "]", Key: "err.tier", Args: map[string]any{"Value": string(t)}})
		}
	}
	for i, s := range e.Audience.Stages {
		if !slices.Contains(Stages, s) {
			es = append(es, choiceError("stages["+strconv.Itoa(i)+"]", string(s)))
		}
	}
	for i, s := range e.Audience.Segments {
		if !slices.Contains(Segments, s) {
			es = append(es, choiceError("segments["+strconv.Itoa(i)+"]", string(s)))
		}
	}
	return es
}

// NormalizeInvitation trims the note and defaults the status to invited.
func NormalizeInvitation(v *Invitation) {
	v.Note = trimText(v.Note)
	if v.Status == "" {
		v.Status = InvitationInvited
	}
}

// ValidateInvitation returns every field error of an invitation (nil when valid). Fields:
// "event", "customer", "status", "date", "note".
func ValidateInvitation(v *Invitation) Errors {
	var es Errors
	if v.EventID <= 0 {
		es = append(es, FieldError{Field: "event", Key: "err.required"})
	}
	if v.CustomerID <= 0 {
		es = append(es, FieldError{Field: "customer", Key: "err.required"})
	}
	if !slices.Contains(InvitationStatuses, v.Status) {
		es = append(es, choiceError("status", string(v.Status)))
	}
	es = addDay(es, "date", v.Date, false)
	es = addText(es, "note", v.Note, MaxInviteNote, true, false)
	return es
}

// NormalizeService trims the texts, defaults the status to open and clears the done date of an
// open appointment.
func NormalizeService(v *Service) {
	v.Title = strings.TrimSpace(v.Title)
	v.Notes = trimText(v.Notes)
	if v.Status == "" {
		v.Status = ServiceOpen
	}
	if v.Status == ServiceOpen {
		v.DoneDate = 0
	}
}

// ValidateService returns every field error of a service appointment (nil when valid). Fields:
// "customer", "date", "kind", "title", "status", "done_date", "notes". A done appointment needs
// its done date.
func ValidateService(v *Service) Errors {
	var es Errors
	if v.CustomerID <= 0 {
		es = append(es, FieldError{Field: "customer", Key: "err.required"})
	}
	es = addDay(es, "date", v.Date, true)
	if !slices.Contains(ServiceKinds, v.Kind) {
		es = append(es, choiceError("kind", string(v.Kind)))
	}
	es = addText(es, "title", v.Title, MaxServiceTitle, false, true)
	if !slices.Contains(ServiceStatuses, v.Status) {
		es = append(es, choiceError("status", string(v.Status)))
	}
	es = addDay(es, "done_date", v.DoneDate, v.Status == ServiceDone)
	es = addText(es, "notes", v.Notes, MaxServiceNotes, true, false)
	return es
}

// NormalizeComplaint trims the texts, defaults the channel to other and sorts the steps by date
// (steps of one day keep their order).
func NormalizeComplaint(c *Complaint) {
	c.Description = trimText(c.Description)
	c.Resolution = trimText(c.Resolution)
	if c.Channel == "" {
		c.Channel = ChannelOther
	}
	for i := range c.Steps {
		c.Steps[i].Note = trimText(c.Steps[i].Note)
	}
	slices.SortStableFunc(c.Steps, func(a, b ComplaintStep) int { return int(a.Date) - int(b.Date) })
}

// ValidateComplaint returns every field error of a complaint (nil when valid). Fields:
// "customer", "received", "channel", "category", "severity", "description", "resolution",
// "satisfaction", "closed", "steps", "steps[i].step", "steps[i].date", "steps[i].note". The
// closed date and the steps' dates may not lie before the received date.
func ValidateComplaint(c *Complaint) Errors {
	var es Errors
	if c.CustomerID <= 0 {
		es = append(es, FieldError{Field: "customer", Key: "err.required"})
	}
	es = addDay(es, "received", c.Received, true)
	if !validChannel(c.Channel) {
		es = append(es, FieldError{Field: "channel", Key: "err.channel", Args: map[string]any{"Value": string(c.Channel)}})
	}
	if !slices.Contains(ComplaintCategories, c.Category) {
		es = append(es, choiceError("category", string(c.Category)))
	}
	if !slices.Contains(Severities, c.Severity) {
		es = append(es, choiceError("severity", string(c.Severity)))
	}
	es = addText(es, "description", c.Description, MaxDescription, true, false)
	es = addText(es, "resolution", c.Resolution, MaxResolution, true, false)
	if c.Satisfaction != 0 && (c.Satisfaction < MinSatisfaction || c.Satisfaction > MaxSatisfaction) {
		es = append(es, FieldError{Field: "satisfaction", Key: "err.scale", Args: map[string]any{"Min": MinSatisfaction, "Max": MaxSatisfaction}})
	}
	if e := checkDay("closed", c.Closed, false); e != nil {
		es = append(es, *e)
	} else if !c.Closed.IsZero() && !c.Received.IsZero() && c.Closed < c.Received {
		es = append(es, notBefore("closed", c.Received))
	}
	if len(c.Steps) > MaxComplaintStep {
		es = append(es, FieldError{Field: "steps", Key: "err.too_many", Args: map[string]any{"Max": MaxComplaintStep}})
	}
	for i, s := range c.Steps {
		p := "steps[" + strconv.Itoa(i) + "]."
		if !slices.Contains(ComplaintSteps, s.Step) {
			es = append(es, choiceError(p+"step", string(s.Step)))
		}
		if e := checkDay(p+"date", s.Date, true); e != nil {
			es = append(es, *e)
		} else if !c.Received.IsZero() && s.Date < c.Received {
			es = append(es, notBefore(p+"date", c.Received))
		}
		es = addText(es, p+"note", s.Note, MaxStepNote, true, false)
	}
	return es
}
