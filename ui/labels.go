package ui

import (
	"strings"
	"time"

	"carebook/assets/i18n"
	"carebook/crm"
)

// Labels of the domain's enumerations in the UI language.

func kindLabel(k crm.RecordKind) string             { return i18n.T("kind." + string(k)) }
func channelLabel(c crm.Channel) string             { return i18n.T("channel." + string(c)) }
func saleChannelLabel(c crm.SaleChannel) string     { return i18n.T("sale." + string(c)) }
func serviceKindLabel(k crm.ServiceKind) string     { return i18n.T("svckind." + string(k)) }
func serviceStatusLabel(s crm.ServiceStatus) string { return i18n.T("svcstatus." + string(s)) }
func categoryLabel(c crm.ComplaintCategory) string  { return i18n.T("category." + string(c)) }
func severityLabel(s crm.Severity) string           { return i18n.T("severity." + string(s)) }
func stepLabel(s crm.ComplaintStepKind) string      { return i18n.T("step." + string(s)) }
func invitationLabel(s crm.InvitationStatus) string { return i18n.T("invitation." + string(s)) }

// weekdayText names a weekday in the UI language ("星期一").
func weekdayText(wd time.Weekday) string {
	return i18n.T("weekday." + [...]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}[wd])
}

// labelsOf returns the labels of values, in order.
func labelsOf[T any](values []T, label func(T) string) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = label(v)
	}
	return out
}

func kindLabels() []string {
	var out []string
	for _, k := range crm.RecordKinds {
		out = append(out, kindLabel(k))
	}
	return out
}

func channelLabels() []string {
	var out []string
	for _, c := range crm.Channels {
		out = append(out, channelLabel(c))
	}
	return out
}

func saleChannelLabels() []string {
	var out []string
	for _, c := range crm.SaleChannels {
		out = append(out, saleChannelLabel(c))
	}
	return out
}

// dateTimeLayout is how record times are typed and shown.
const dateTimeLayout = "2006-01-02 15:04"

// parseDateTime reads "2026-11-22 15:04" (or a bare date, meaning midnight) as a wall-clock
// time in UTC, the way records keep it.
func parseDateTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{dateTimeLayout, "2006-01-02 15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// parseOptionalDate reads "2026-11-22" or "" (no date).
func parseOptionalDate(s string) (crm.Date, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, true
	}
	d, err := crm.ParseDate(s)
	return d, err == nil
}

// wallClock returns the wall clock of t as a UTC time, as records keep it.
func wallClock(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, t.Hour(), t.Minute(), 0, 0, time.UTC)
}
