package crm

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Reason says why a customer is in the plan of a day (PRODUCT.md §2–§4).
type Reason string

// Reasons of the Maintain question.
const (
	ReasonRoutine       Reason = "routine"        // 常规维护137: a step after a purchase
	ReasonFollowUp      Reason = "follow_up"      // the latest record's next date
	ReasonBirthday      Reason = "birthday"       // 生日
	ReasonImportantDate Reason = "important_date" // 纪念日
	ReasonHoliday       Reason = "holiday"        // 节假日问候
	ReasonCadence       Reason = "cadence"        // 跟进频率 by tier
	ReasonRecall        Reason = "recall"         // 召回
)

// Reason of the Invite question.
const ReasonInvitation Reason = "invitation"

// Reasons of the Serve question: a service appointment's kind, or a complaint.
const (
	ReasonOnline     Reason = "online"
	ReasonOffline    Reason = "offline"
	ReasonAfterSales Reason = "after_sales"
	ReasonComplaint  Reason = "complaint"
)

// MaintainReasons lists the reasons of the Maintain question in display order.
var MaintainReasons = []Reason{ReasonRoutine, ReasonFollowUp, ReasonBirthday, ReasonImportantDate,
	ReasonHoliday, ReasonCadence, ReasonRecall}

// RecordKind is the kind of the maintenance record that marks an item of this reason done.
func (r Reason) RecordKind() RecordKind {
	switch r {
	case ReasonRoutine, ReasonFollowUp, ReasonCadence:
		return KindRoutine
	case ReasonBirthday, ReasonImportantDate, ReasonHoliday:
		return KindGreeting
	case ReasonRecall:
		return KindRecall
	case ReasonInvitation:
		return KindInvitation
	case ReasonOnline, ReasonOffline, ReasonAfterSales:
		return KindService
	case ReasonComplaint:
		return KindComplaint
	}
	return KindOther
}

// Churn is a purchasing customer's churn state by days since the last purchase.
type Churn string

// Churn states; a customer without purchases has none ("").
const (
	ChurnActive   Churn = "active"    // R ≤ 90
	ChurnDormant  Churn = "dormant"   // 休眠: 90 < R ≤ 180
	ChurnHalfLost Churn = "half_lost" // 半流失: 180 < R ≤ 365
	ChurnLost     Churn = "lost"      // 完全流失: R > 365
)

// ChurnStates lists the churn states, active first.
var ChurnStates = []Churn{ChurnActive, ChurnDormant, ChurnHalfLost, ChurnLost}

// PlanCustomer is what the planner knows of one customer as of the day D being planned: the card
// fields it needs and the customer's history summed up as of the end of D (nothing dated after D).
type PlanCustomer struct {
	ID           int64
	Code         string
	Name         string
	Remark       string
	Gender       Gender
	Tier         Tier
	DoNotDisturb bool
	Created      Date

	// Latest record dated on or before D (latest date-time, then highest id); zero when none.
	LastRecordAt time.Time
	LastRecordID int64
	NextDate     Date   // that record's next date (下次日期), 0 = none
	NextStep     string // that record's next step (下次计划)
	LastRecall   Date   // day of the latest record of kind recall, 0 = none
	LastPurchase Date   // latest purchase date, 0 = none

	Birthday *KeyDate  // nil when unknown
	Dates    []KeyDate // other important dates

	// What an event's audience looks at (the Invite question), for the events whose invite
	// window is open on D: the customer's tags that some of their audiences name (in the card's
	// order), and, when some audience looks at them (Audience.NeedsClass), the stage and
	// segment. Empty otherwise.
	Tags    []string
	Stage   Stage   // lifecycle stage as of D
	Segment Segment // RFM segment as of D ("" without purchases)
}

// PlanEvent is an event as the Invite question needs it: the event, and the customers who have
// an invitation to it as of the end of D (dated on or before D, or undated).
type PlanEvent struct {
	Event
	Invited []int64
}

// PlanPurchase is a purchase as the routine 1-3-7 rule needs it.
type PlanPurchase struct {
	ID         int64
	CustomerID int64
	Date       Date
}

// PlanRecord is a maintenance record as the routine, greeting and recall rules need it.
type PlanRecord struct {
	CustomerID int64
	Kind       RecordKind
	Date       Date
}

// Snooze puts a plan item off: the item (customer, reason, ref) is hidden on the days before
// Until.
type Snooze struct {
	CustomerID int64
	Reason     Reason
	Ref        string
	Until      Date
}

// PlanInput is the book as of the end of the day D, as much of it as the plan of D needs. A
// store may leave out customers, purchases and records that cannot make or close an item on D
// (see PlanSettings.PurchaseWindow, RecordWindow and KeyDateWindow); PlanFromHistory builds it
// from the whole history.
type PlanInput struct {
	Customers []PlanCustomer // not archived, created on or before D
	Purchases []PlanPurchase // at least those dated in PurchaseWindow(D)
	Records   []PlanRecord   // at least the routine and greeting records dated in RecordWindow(D)
	Snoozes   []Snooze

	// The Serve question: at least the service appointments and complaints open on D of the
	// customers above, and the working-day calendar of the complaint deadlines (the zero
	// calendar: Monday–Friday).
	Services   []PlanService
	Complaints []PlanComplaint
	Workdays   WorkCalendar

	// The Invite question: at least the events whose invite window is open on D, each with the
	// customers already invited.
	Events []PlanEvent
}

// PlanService is a service appointment as the Serve question needs it. It is open on D when
// it is dated on or before D and not done on or before D (Done 0: not done).
type PlanService struct {
	ID         int64
	CustomerID int64
	Date       Date
	Kind       ServiceKind
	Title      string
	Done       Date
}

// PlanComplaint is a complaint as the Serve question needs it. It is open on D when it was
// received on or before D and not closed on or before D (Closed 0: still open). LatestStep is
// the day of its latest step dated on or before D (0 = none).
type PlanComplaint struct {
	ID         int64
	CustomerID int64
	Received   Date
	Severity   Severity
	LatestStep Date
	Closed     Date
	Title      string
}

// ComplaintTitle is the title of a complaint's Serve item: the first line of its description,
// cut to MaxComplaintTitle runes.
func ComplaintTitle(description string) string {
	s := strings.TrimSpace(description)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = strings.TrimSpace(s[:i])
	}
	if utf8.RuneCountInString(s) > MaxComplaintTitle {
		r := []rune(s)
		s = string(r[:MaxComplaintTitle-1]) + "…"
	}
	return s
}

// MaxComplaintTitle bounds the title of a complaint's Serve item, in runes.
const MaxComplaintTitle = 60

// CustomerRef names the customer of a plan item.
type CustomerRef struct {
	ID     int64  `json:"id"`
	Code   string `json:"code"`
	Name   string `json:"name"`
	Remark string `json:"-"`
	Tier   Tier   `json:"-"`
}

// DisplayName is the remark name when there is one, else the name.
func (c CustomerRef) DisplayName() string {
	if c.Remark != "" {
		return c.Remark
	}
	return c.Name
}

// EventRef names the event of an invite item.
type EventRef struct {
	ID   int64
	Name string
	Date Date
}

// PlanItem is one thing to do on the planned day: whom, why, since when.
type PlanItem struct {
	Customer CustomerRef
	Reason   Reason
	Due      Date
	Overdue  int    // days past due on the planned day, ≥ 0
	Ref      string // tells apart items of one reason of one customer (the snooze key)

	// routine
	Step         int
	PurchaseID   int64
	PurchaseDate Date
	// follow_up: the record that set the next date
	RecordID int64
	NextStep string
	// birthday, important_date
	Occurs  Date
	Label   string
	KeyDate *KeyDate // the customer's date (shared, not a copy)
	// holiday: its key (PRODUCT.md §2)
	Holiday string
	// cadence: the latest contact's day, 0 = never contacted (due counts from the created date)
	LastContact Date
	Cadence     int
	// recall
	Churn        Churn
	LastPurchase Date
	// invitation
	Event   *EventRef
	Purpose string
	Script  string
	// serve
	Title    string
	SourceID int64 // service or complaint id
}

// Plan answers the daily 3 questions for one day.
type Plan struct {
	Date     Date
	Maintain []PlanItem
	Invite   []PlanItem
	Serve    []PlanItem
	// Expired counts the routine steps whose grace ran out on the planned day without a record
	// (missed).
	Expired int
}
