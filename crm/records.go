package crm

import (
	"strings"
	"time"
)

// SaleChannel says where a purchase was made.
type SaleChannel string

// Sale channels.
const (
	Offline SaleChannel = "offline"
	Online  SaleChannel = "online"
)

// SaleChannels lists every sale channel in display order.
var SaleChannels = []SaleChannel{Offline, Online}

// Purchase is a line of the purchase history (消费记录).
type Purchase struct {
	ID         int64
	CustomerID int64
	Date       Date
	Amount     Money
	Items      string // free text: what was bought
	Channel    SaleChannel
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// RecordKind is the kind of a maintenance record (类型).
type RecordKind string

// Record kinds.
const (
	KindRoutine    RecordKind = "routine"    // 常规维护
	KindGreeting   RecordKind = "greeting"   // 问候
	KindInvitation RecordKind = "invitation" // 邀约
	KindService    RecordKind = "service"    // 服务
	KindComplaint  RecordKind = "complaint"  // 客诉
	KindRecall     RecordKind = "recall"     // 召回
	KindOther      RecordKind = "other"      // 其他
)

// RecordKinds lists every kind in display order.
var RecordKinds = []RecordKind{KindRoutine, KindGreeting, KindInvitation, KindService, KindComplaint, KindRecall, KindOther}

// Channel is how a contact was made (方式).
type Channel string

// Contact channels.
const (
	ChannelPhone  Channel = "phone"
	ChannelSMS    Channel = "sms"
	ChannelWeChat Channel = "wechat"
	ChannelVisit  Channel = "visit"
	ChannelEmail  Channel = "email"
	ChannelOther  Channel = "other"
)

// Channels lists every contact channel in display order.
var Channels = []Channel{ChannelPhone, ChannelSMS, ChannelWeChat, ChannelVisit, ChannelEmail, ChannelOther}

// Record is one line of the maintenance record sheet (顾客维护记录表). At is a local date-time:
// its wall clock is what counts, whatever its location (the store keeps it as text).
type Record struct {
	ID         int64
	CustomerID int64
	At         time.Time
	Kind       RecordKind
	Channel    Channel
	Content    string // 维护内容
	Feedback   string // 顾客反馈
	NextStep   string // 下次计划
	NextDate   Date   // 下次日期, 0 = none
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// Date is the day of the record.
func (r *Record) Date() Date { return DateOf(r.At) }

// RecordRow is a record with the customer it belongs to, as the record sheet and the export show
// it.
type RecordRow struct {
	Record
	CustomerCode string
	CustomerName string
	Phone        string // the customer's first phone, E.164
}

// PurchaseRow is a purchase with its customer, for the export.
type PurchaseRow struct {
	Purchase
	CustomerCode string
	CustomerName string
}

// CustomerRow is a whole card with what the book derives from its history, for the export.
type CustomerRow struct {
	Customer
	LastContact  time.Time // latest record's date-time; zero when never contacted
	LastPurchase Date      // 0 when never bought
}

// RecordQuery selects records for the record sheet. Zero fields do not filter.
type RecordQuery struct {
	From       Date // first day, inclusive
	To         Date // last day, inclusive
	Kind       RecordKind
	Channel    Channel
	CustomerID int64
}

// Activity sums up a customer's history for the card.
type Activity struct {
	LastContact   time.Time // zero when never contacted
	LastPurchase  Date      // 0 when never bought
	Purchases     int
	PurchaseTotal Money
	Records       int
}

// Field bounds of purchases and records, in runes.
const (
	MaxItems    = 500
	MaxContent  = 2000
	MaxFeedback = 2000
	MaxNextStep = 500
)

// NormalizePurchase trims the text and defaults the channel to offline.
func NormalizePurchase(p *Purchase) {
	p.Items = trimText(p.Items)
	if p.Channel == "" {
		p.Channel = Offline
	}
}

// ValidatePurchase returns every field error of a purchase (nil when valid). Fields: "date",
// "amount", "items", "channel", "customer".
func ValidatePurchase(p *Purchase) Errors {
	var es Errors
	if p.CustomerID <= 0 {
		es = append(es, FieldError{Field: "customer", Key: "err.required"})
	}
	if p.Date.IsZero() {
		es = append(es, FieldError{Field: "date", Key: "err.required"})
	}
	switch {
	case p.Amount < 0:
		es = append(es, FieldError{Field: "amount", Key: "err.amount_negative"})
	case p.Amount > MaxMoney:
		es = append(es, FieldError{Field: "amount", Key: "err.amount_too_large", Args: map[string]any{"Max": MaxMoney.String()}})
	}
	if e := checkText("items", p.Items, MaxItems, true); e != nil {
		es = append(es, *e)
	}
	if p.Channel != Offline && p.Channel != Online {
		es = append(es, FieldError{Field: "channel", Key: "err.channel", Args: map[string]any{"Value": string(p.Channel)}})
	}
	return es
}

// NormalizeRecord trims the texts.
func NormalizeRecord(r *Record) {
	r.Content = trimText(r.Content)
	r.Feedback = trimText(r.Feedback)
	r.NextStep = trimText(r.NextStep)
	if r.Channel == "" {
		r.Channel = ChannelOther
	}
}

// ValidateRecord returns every field error of a maintenance record (nil when valid). Fields:
// "customer", "at", "kind", "channel", "content", "feedback", "next_step", "next_date". The next
// date may not lie before the record's own day.
func ValidateRecord(r *Record) Errors {
	var es Errors
	if r.CustomerID <= 0 {
		es = append(es, FieldError{Field: "customer", Key: "err.required"})
	}
	if r.At.IsZero() {
		es = append(es, FieldError{Field: "at", Key: "err.required"})
	} else if y := r.At.Year(); y < MinKeyDateYear || y > MaxKeyDateYear {
		es = append(es, FieldError{Field: "at", Key: "err.year_range", Args: map[string]any{"Min": MinKeyDateYear, "Max": MaxKeyDateYear}})
	}
	if !validKind(r.Kind) {
		es = append(es, FieldError{Field: "kind", Key: "err.kind", Args: map[string]any{"Value": string(r.Kind)}})
	}
	if !validChannel(r.Channel) {
		es = append(es, FieldError{Field: "channel", Key: "err.channel", Args: map[string]any{"Value": string(r.Channel)}})
	}
	for _, t := range []struct {
		field, text string
		max         int
	}{{"content", r.Content, MaxContent}, {"feedback", r.Feedback, MaxFeedback}, {"next_step", r.NextStep, MaxNextStep}} {
		if e := checkText(t.field, t.text, t.max, true); e != nil {
			es = append(es, *e)
		}
	}
	if !r.NextDate.IsZero() && !r.At.IsZero() && r.NextDate < r.Date() {
		es = append(es, FieldError{Field: "next_date", Key: "err.next_date_before"})
	}
	return es
}

func validKind(k RecordKind) bool {
	for _, x := range RecordKinds {
		if x == k {
			return true
		}
	}
	return false
}

func validChannel(c Channel) bool {
	for _, x := range Channels {
		if x == c {
			return true
		}
	}
	return false
}

// trimText trims a multi-line text and turns CRLF/CR into LF.
func trimText(s string) string { return strings.TrimSpace(normalizeNewlines(s)) }
