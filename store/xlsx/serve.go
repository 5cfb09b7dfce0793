package xlsx

import (
	"context"
	"strings"

	"carebook/crm"
)

// The 服务 (services), 客诉 (complaints) and 活动 (events and invitations) sheets (PRODUCT.md §5).

// ServeSource is what the export reads of the services, complaints and events. A Source that
// also implements it (*store.Store does) gets those sheets filled; else they hold their header
// only. Each method calls fn with the rows of the customers not archived (events: every event,
// with the invitations of such customers) whose date (service), received date (complaint) or
// event date lies in [from, to] (zero = open), in date order; the row passed to fn is reused.
type ServeSource interface {
	EachService(ctx context.Context, from, to crm.Date, fn func(*crm.ServiceSheetRow) error) error
	EachComplaint(ctx context.Context, from, to crm.Date, fn func(*crm.ComplaintSheetRow) error) error
	EachEventRow(ctx context.Context, from, to crm.Date, fn func(*crm.EventSheetRow) error) error
}

// Value tables of the service, complaint and event sheets. In English a value is its key.
var (
	ComplaintCategoryValues = []Value{
		{"urgent", "紧急", "urgent"}, {"batch", "批量", "batch"}, {"difficult", "疑难", "difficult"},
		{"malicious", "恶意", "malicious"},
	}
	SeverityValues = []Value{
		{"simple", "简单", "simple"}, {"general", "一般", "general"}, {"complex", "复杂", "complex"},
	}
	InvitationStatusValues = []Value{
		{"invited", "已邀约", "invited"}, {"accepted", "已接受", "accepted"}, {"declined", "已拒绝", "declined"},
		{"attended", "已到场", "attended"}, {"no_show", "未到场", "no_show"},
	}
	// AudienceParts name the lists of an event's audience in the 对象 cell.
	AudienceParts = []Value{
		{"tags", "标签", "tags"}, {"tiers", "等级", "tiers"}, {"stages", "阶段", "stages"}, {"segments", "分群", "segments"},
	}
	// AudienceEveryone is the 对象 cell of an event for everyone (an empty cell means it too).
	AudienceEveryone = Value{"everyone", "所有顾客", "everyone"}
)

// StepDateKey is the key of the date column of complaint step s ("listen_date").
func StepDateKey(s crm.ComplaintStepKind) string { return string(s) + "_date" }

// StepNoteKey is the key of the note column of complaint step s ("listen_note").
func StepNoteKey(s crm.ComplaintStepKind) string { return string(s) + "_note" }

// AudienceSeparator separates the lists of the 对象 cell; AudienceValueSeparator the values of a
// list: "标签:老客,新客; 等级:VIP,重要; 阶段:回购; 分群:重要价值".
const (
	AudienceSeparator      = "; "
	AudienceValueSeparator = ","
)

// AudienceText shows an audience in l as the 对象 cell holds it: the lists it filters by, each as
// name:values, or AudienceEveryone.
func AudienceText(a crm.Audience, l Lang) string {
	if a.IsEveryone() {
		if l.en() {
			return AudienceEveryone.En
		}
		return AudienceEveryone.Zh
	}
	var b strings.Builder
	part := func(key string, values []string, table []Value) {
		if len(values) == 0 {
			return
		}
		if b.Len() > 0 {
			b.WriteString(AudienceSeparator)
		}
		b.WriteString(valueText(AudienceParts, key, l))
		b.WriteByte(':')
		for i, v := range values {
			if i > 0 {
				b.WriteString(AudienceValueSeparator)
			}
			if table != nil {
				v = valueText(table, v, l)
			}
			b.WriteString(v)
		}
	}
	part("tags", a.Tags, nil)
	part("tiers", strs(a.Tiers), TierValues)
	part("stages", strs(a.Stages), StageValues)
	part("segments", strs(a.Segments), SegmentValues)
	return b.String()
}

func strs[T ~string](xs []T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}

// StepCells returns the date and note cells of steps of kind k: the first one's date, and its
// note followed by each further one as a line "[YYYY-MM-DD] note" (so that repeated follow-ups
// come back as they were). Both are empty when no step is of kind k.
func StepCells(steps []crm.ComplaintStep, k crm.ComplaintStepKind) (date crm.Date, note string) {
	var b strings.Builder
	first := true
	for _, s := range steps {
		if s.Step != k {
			continue
		}
		if first {
			date, first = s.Date, false
			b.WriteString(s.Note)
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(StepEntryPrefix(s.Date))
		if s.Note != "" {
			b.WriteByte(' ')
			b.WriteString(s.Note)
		}
	}
	return date, b.String()
}

// StepEntryPrefix is how a further entry of a step begins in its note cell: "[2026-11-25]".
func StepEntryPrefix(d crm.Date) string { return "[" + d.String() + "]" }

func (e *exporter) service(w *sheetWriter, r *crm.ServiceSheetRow) error {
	l := e.lang()
	e.row = append(e.row[:0],
		textCell(r.CustomerCode),
		textCell(r.CustomerName),
		dateCell(r.Date),
		textCell(valueText(ServiceKindValues, string(r.Kind), l)),
		textCell(r.Title),
		textCell(valueText(ServiceStatusValues, string(r.Status), l)),
		dateCell(r.DoneDate),
		textCell(r.Notes),
	)
	e.services++
	return w.write(e.row)
}

func (e *exporter) complaint(w *sheetWriter, r *crm.ComplaintSheetRow) error {
	l := e.lang()
	e.row = append(e.row[:0],
		textCell(r.CustomerCode),
		textCell(r.CustomerName),
		dateCell(r.Received),
		textCell(valueText(RecordChannelValues, string(r.Channel), l)),
		textCell(valueText(ComplaintCategoryValues, string(r.Category), l)),
		textCell(valueText(SeverityValues, string(r.Severity), l)),
		textCell(r.Description),
	)
	for _, k := range crm.ComplaintSteps {
		d, note := StepCells(r.Steps, k)
		e.row = append(e.row, dateCell(d), textCell(note))
	}
	e.row = append(e.row,
		textCell(r.Resolution),
		intCell(r.Satisfaction),
		dateCell(r.Closed),
	)
	e.complaints++
	return w.write(e.row)
}

func (e *exporter) eventRow(w *sheetWriter, r *crm.EventSheetRow) error {
	l := e.lang()
	e.row = append(e.row[:0],
		textCell(r.Name),
		dateCell(r.Date),
		textCell(r.Purpose),
		textCell(r.Script),
		textCell(AudienceText(r.Audience, l)),
		r.WindowDays,
		textCell(r.Notes),
	)
	if r.Invited {
		v := &r.Invitation
		e.row = append(e.row,
			textCell(r.CustomerCode),
			textCell(r.CustomerName),
			textCell(valueText(InvitationStatusValues, string(v.Status), l)),
			dateCell(v.Date),
			textCell(v.Note),
		)
		e.invitations++
	} else {
		e.row = append(e.row, nil, nil, nil, nil, nil)
	}
	if r.ID != e.lastEvent {
		e.lastEvent = r.ID
		e.events++
	}
	return w.write(e.row)
}

// serveSteps are the export's steps of the 服务, 客诉 and 活动 sheets: rows from src when it is a
// ServeSource, else none.
func (e *exporter) serveSteps(src Source) (services, complaints, events func(*sheetWriter) error) {
	ss, ok := src.(ServeSource)
	if !ok {
		return nil, nil, nil
	}
	ctx, from, to := e.ctx, e.o.From, e.o.To
	return func(w *sheetWriter) error {
			return ss.EachService(ctx, from, to, func(r *crm.ServiceSheetRow) error { return e.service(w, r) })
		}, func(w *sheetWriter) error {
			return ss.EachComplaint(ctx, from, to, func(r *crm.ComplaintSheetRow) error { return e.complaint(w, r) })
		}, func(w *sheetWriter) error {
			return ss.EachEventRow(ctx, from, to, func(r *crm.EventSheetRow) error { return e.eventRow(w, r) })
		}
}
