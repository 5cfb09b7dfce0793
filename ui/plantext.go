package ui

import (
	"fmt"
	"io"
	"strings"
	"time"

	"carebook/assets/i18n"
	"carebook/crm"
)

// The words of the plan: why an item is there and how overdue it is, for the Today screen and
// `carebook today`.

// shortDate writes a day of the plan as the UI language does: "11月19日", "Nov 19".
func shortDate(d crm.Date) string {
	if d.IsZero() {
		return ""
	}
	_, m, day := d.YMD()
	return i18n.T("date.short", "Month", int(m), "MonthName", time.Month(m).String()[:3], "Day", day)
}

func holidayName(key string) string { return i18n.T("holiday." + key) }

// itemWhy says why the item is in the plan: "1-3-7 第3天回访，购买于 11月19日".
func itemWhy(it *crm.PlanItem, d crm.Date) string {
	switch it.Reason {
	case crm.ReasonRoutine:
		return i18n.T("why.routine", "Step", it.Step, "Date", shortDate(it.PurchaseDate))
	case crm.ReasonFollowUp:
		if it.NextStep == "" {
			return i18n.T("why.follow_up_date")
		}
		return i18n.T("why.follow_up", "Step", firstLine(it.NextStep))
	case crm.ReasonBirthday:
		if it.KeyDate != nil && it.KeyDate.Calendar == crm.Lunar {
			return i18n.T("why.birthday_lunar", "Date", shortDate(it.Occurs), "Lunar", it.KeyDate.AsLunar().String())
		}
		return i18n.T("why.birthday", "Date", shortDate(it.Occurs))
	case crm.ReasonImportantDate:
		if it.KeyDate != nil && it.KeyDate.Calendar == crm.Lunar {
			return i18n.T("why.date_lunar", "Label", it.Label, "Date", shortDate(it.Occurs), "Lunar", it.KeyDate.AsLunar().String())
		}
		return i18n.T("why.date", "Label", it.Label, "Date", shortDate(it.Occurs))
	case crm.ReasonHoliday:
		return i18n.T("why.holiday", "Holiday", holidayName(it.Holiday))
	case crm.ReasonCadence:
		if it.LastContact.IsZero() {
			return i18n.T("why.cadence_never", "Tier", tierLabel(it.Customer.Tier), "Days", d.Sub(it.Due)+it.Cadence)
		}
		return i18n.T("why.cadence", "Tier", tierLabel(it.Customer.Tier), "Days", d.Sub(it.LastContact))
	case crm.ReasonRecall:
		return i18n.T("why.recall", "Churn", i18n.T("churn."+string(it.Churn)), "Days", d.Sub(it.LastPurchase))
	case crm.ReasonInvitation:
		if it.Event != nil {
			if p := firstLine(it.Purpose); p != "" {
				return i18n.T("why.invite_purpose", "Event", it.Event.Name, "Date", shortDate(it.Event.Date), "Purpose", p)
			}
			return i18n.T("why.invite", "Event", it.Event.Name, "Date", shortDate(it.Event.Date))
		}
	case crm.ReasonOnline, crm.ReasonOffline, crm.ReasonAfterSales, crm.ReasonComplaint:
		if it.Title != "" {
			return i18n.T("why.serve", "Reason", i18n.T("reason."+string(it.Reason)), "Title", firstLine(it.Title))
		}
	}
	if it.Title != "" {
		return it.Title
	}
	return i18n.T("reason." + string(it.Reason))
}

// itemWhen says how overdue the item is: "逾期 2 天", "今天", "还有 3 天".
func itemWhen(it *crm.PlanItem, d crm.Date) string {
	switch {
	case it.Event != nil:
		// An invitation: how long until the event (its window closes then).
		return i18n.T("when.event_in", "Days", it.Event.Date.Sub(d))
	case it.Overdue > 0:
		return i18n.T("when.overdue", "Days", it.Overdue)
	case it.Due > d:
		return i18n.T("when.ahead", "Days", it.Due.Sub(d))
	}
	return i18n.T("when.today")
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + "…"
	}
	return s
}

// holidayGroup is the holiday items of one holiday, shown as one row with a bulk "greeted".
type holidayGroup struct {
	key   string
	items []crm.PlanItem
}

// groupHolidays takes the holiday items out of items, one group per holiday in order of first
// appearance.
func groupHolidays(items []crm.PlanItem) (rest []crm.PlanItem, groups []*holidayGroup) {
	holidays := 0
	for i := range items {
		if items[i].Reason == crm.ReasonHoliday {
			holidays++
		}
	}
	if holidays == 0 {
		return items, nil // most days: no copy of a list of up to every customer
	}
	rest = make([]crm.PlanItem, 0, len(items)-holidays)
	byKey := map[string]*holidayGroup{}
	for _, it := range items {
		if it.Reason != crm.ReasonHoliday {
			rest = append(rest, it)
			continue
		}
		g := byKey[it.Holiday]
		if g == nil {
			g = &holidayGroup{key: it.Holiday}
			byKey[it.Holiday] = g
			groups = append(groups, g)
		}
		g.items = append(g.items, it)
	}
	return rest, groups
}

// planListLimit is how many items of each question `carebook today` lists without --all.
const planListLimit = 50

// WritePlan writes the plan for a terminal: each question with its items (holiday items grouped),
// the first planListLimit unless all.
func WritePlan(w io.Writer, p *crm.Plan, all bool) {
	d := p.Date
	fmt.Fprintln(w, i18n.T("today.title", "Date", d.String(), "Weekday", weekdayText(d.Weekday())))
	questions := []struct {
		key   string
		items []crm.PlanItem
	}{{"maintain", p.Maintain}, {"invite", p.Invite}, {"serve", p.Serve}}
	for _, q := range questions {
		fmt.Fprintln(w)
		fmt.Fprintln(w, i18n.T("today."+q.key+"_count", "Count", len(q.items)))
		rest, groups := groupHolidays(q.items)
		for _, g := range groups {
			fmt.Fprintln(w, "  "+i18n.T("today.holiday_group", "Holiday", holidayName(g.key), "Count", len(g.items)))
		}
		if len(q.items) == 0 {
			fmt.Fprintln(w, "  "+strings.ReplaceAll(i18n.T(emptyKey(q.key)), "\n", "\n  "))
		}
		for i := range rest {
			if !all && i == planListLimit {
				fmt.Fprintln(w, "  "+i18n.T("today.more", "Count", len(rest)-planListLimit))
				break
			}
			it := &rest[i]
			fmt.Fprintf(w, "  %-8s %-10s %-4s %s · %s\n", it.Customer.Code, it.Customer.DisplayName(),
				tierLabel(it.Customer.Tier), itemWhy(it, d), itemWhen(it, d))
		}
	}
	if p.Expired > 0 {
		fmt.Fprintln(w)
		fmt.Fprintln(w, i18n.T("today.expired", "Count", p.Expired))
	}
}
