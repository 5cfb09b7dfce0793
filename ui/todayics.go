package ui

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"carebook/assets/i18n"
	"carebook/crm"
)

// The plan of the coming days as an iCalendar file (导出到日历): one all-day event per item, on
// the first day it is in the plan, so that birthdays, follow-ups, invitations and services show
// in the user's calendar. store/ics writes the file; this file words the items.

// CalendarDays is how many days a calendar export covers by default: the first and the next 7.
const CalendarDays = 8

// MaxCalendarDays bounds the days of one calendar export (each is planned on its own).
const MaxCalendarDays = 31

// CalendarPerDay is how many events each question (maintain, invite, serve) gets on a day, in
// the plan's order (overdue first, then tier…), as many as `carebook today` lists: the rest is
// one "N more" event pointing to the Today screen, and a calendar stays readable on a big book.
const CalendarPerDay = planListLimit

// calendarAlarm is when the events remind: 09:00 on their day.
const calendarAlarm = 9 * time.Hour

// calendarMoreKey is the title of the entry standing for a question's items beyond
// CalendarPerDay on a day.
var calendarMoreKey = map[string]string{
	"maintain": "ics.more_maintain",
	"invite":   "ics.more_invite",
	"serve":    "ics.more_serve",
}

// calendarGroupList bounds the customers a holiday group's event lists in its notes.
const calendarGroupList = 100

// ICSBook is what the calendar export needs from the book: the plan of a day, and the cards of
// the customers in it (for their phones). store.Store and every Book satisfy it.
type ICSBook interface {
	Plan(ctx context.Context, d crm.Date) (crm.Plan, error)
	Customer(ctx context.Context, id int64) (*crm.Customer, error)
}

// CalendarEntries plans the days [from, from+days) and words their items as calendar entries in
// the UI language. An item in the plan of several days (one not done, planned as of each day)
// is one entry, on the first of them (a birthday or another important date: on the date, see
// calendarDay); its UID depends on its customer, reason, ref and due day only, so the same item
// exported another day keeps it. The holiday greetings of one holiday are one entry listing the
// customers. Each question gets at most CalendarPerDay entries a day, and one more for the rest.
// progress, when not nil, is told after each day planned.
func CalendarEntries(ctx context.Context, b ICSBook, from crm.Date, days int, progress func(done, total int)) ([]crm.CalendarEntry, error) {
	if days < 1 || days > MaxCalendarDays {
		return nil, fmt.Errorf("calendar: %d days", days)
	}
	var cb calendarBuilder
	for i := range days {
		p, err := b.Plan(ctx, from.AddDays(i))
		if err != nil {
			return nil, fmt.Errorf("calendar: %w", err)
		}
		cb.add(&p)
		if progress != nil {
			progress(i+1, days)
		}
	}
	// The phones of the customers named, from their cards: at most a few hundred a day.
	phones := map[int64]string{}
	for _, id := range cb.customers {
		if _, ok := phones[id]; ok {
			continue
		}
		phones[id] = ""
		c, err := b.Customer(ctx, id)
		if err != nil {
			if ctx.Err() != nil {
				return nil, fmt.Errorf("calendar: %w", err)
			}
			continue // purged since it was planned: the entry goes without a phone
		}
		if len(c.Phones) > 0 {
			phones[id] = crm.FormatPhone(c.Phones[0])
		}
	}
	return cb.entries(phones), nil
}

// calendarKey tells plan items apart across the plans of several days.
type calendarKey struct {
	customer int64
	reason   crm.Reason
	ref      string
	due      crm.Date
}

// calendarGroup is the holiday items of one holiday and day, one entry.
type calendarGroup struct {
	holiday string
	due     crm.Date
	day     crm.Date // the first day it is in the plan
	items   []crm.PlanItem
	count   int // all its items; the first calendarGroupList are kept
}

// calendarPending is an entry to word once the phones are known: an item, a holiday group, or
// the rest of a question on a day.
type calendarPending struct {
	item     crm.PlanItem
	day      crm.Date
	group    *calendarGroup
	question string // the rest: maintain, invite or serve
	more     int
}

// calendarBuilder takes the plans of the days in order and keeps what goes in the calendar.
type calendarBuilder struct {
	pending   []calendarPending
	seen      map[calendarKey]bool
	groups    map[[2]string]*calendarGroup
	customers []int64 // whose phones the entries show
}

func (cb *calendarBuilder) add(p *crm.Plan) {
	if cb.seen == nil {
		cb.seen, cb.groups = map[calendarKey]bool{}, map[[2]string]*calendarGroup{}
	}
	questions := [...]struct {
		key   string
		items []crm.PlanItem
	}{{"maintain", p.Maintain}, {"invite", p.Invite}, {"serve", p.Serve}}
	for _, q := range questions {
		rows, more := 0, 0
		for i := range q.items {
			it := &q.items[i]
			k := calendarKey{it.Customer.ID, it.Reason, it.Ref, it.Due}
			if cb.seen[k] {
				continue
			}
			if it.Reason == crm.ReasonHoliday {
				gk := [2]string{it.Holiday, it.Due.String()}
				g := cb.groups[gk]
				if g == nil {
					if rows == CalendarPerDay {
						more++
						continue
					}
					rows++
					g = &calendarGroup{holiday: it.Holiday, due: it.Due, day: p.Date}
					cb.groups[gk] = g
					cb.pending = append(cb.pending, calendarPending{group: g})
				}
				cb.seen[k] = true
				if g.count < calendarGroupList {
					g.items = append(g.items, *it)
					cb.customers = append(cb.customers, it.Customer.ID)
				}
				g.count++
				continue
			}
			if rows == CalendarPerDay {
				more++ // not seen: it may have room on a later day
				continue
			}
			rows++
			cb.seen[k] = true
			cb.pending = append(cb.pending, calendarPending{item: *it, day: calendarDay(it, p.Date)})
			cb.customers = append(cb.customers, it.Customer.ID)
		}
		if more > 0 {
			cb.pending = append(cb.pending, calendarPending{day: p.Date, question: q.key, more: more})
		}
	}
}

func (cb *calendarBuilder) entries(phones map[int64]string) []crm.CalendarEntry {
	out := make([]crm.CalendarEntry, 0, len(cb.pending))
	for i := range cb.pending {
		pe := &cb.pending[i]
		switch {
		case pe.group != nil:
			out = append(out, calendarGroupEntry(pe.group, phones))
		case pe.question != "":
			out = append(out, crm.CalendarEntry{
				UID:         crm.CalendarGroupUID("more", pe.question, pe.day),
				Day:         pe.day,
				Summary:     i18n.T(calendarMoreKey[pe.question], "Count", pe.more),
				Description: i18n.T("ics.more_hint"),
			})
		default:
			out = append(out, calendarEntry(&pe.item, pe.day, phones[pe.item.Customer.ID]))
		}
	}
	return out
}

// calendarDay is the day of the event of an item first planned on day d: a birthday or another
// important date on the date itself (the plan shows it some days ahead), anything else on d.
func calendarDay(it *crm.PlanItem, d crm.Date) crm.Date {
	if (it.Reason == crm.ReasonBirthday || it.Reason == crm.ReasonImportantDate) && it.Occurs > d {
		return it.Occurs
	}
	return d
}

// calendarEntry words an item of the plan of day d: "生日：张三", why and when, phone, code.
func calendarEntry(it *crm.PlanItem, d crm.Date, phone string) crm.CalendarEntry {
	reason := i18n.T("reason." + string(it.Reason))
	name := it.Customer.DisplayName()
	summary := i18n.T("ics.summary", "Reason", reason, "Name", name)
	if detail := calendarDetail(it); detail != "" {
		summary = i18n.T("ics.summary_detail", "Reason", reason, "Name", name, "Detail", detail)
	}
	why := itemWhy(it, d)
	if it.Event != nil || it.Overdue > 0 || it.Due > d { // "due today" goes without saying
		why += " · " + itemWhen(it, d)
	}
	lines := []string{why}
	if phone != "" {
		lines = append(lines, i18n.T("ics.phone", "Phone", phone))
	}
	lines = append(lines, i18n.T("ics.customer", "Code", it.Customer.Code, "Tier", tierLabel(it.Customer.Tier)))
	if it.Reason == crm.ReasonInvitation && strings.TrimSpace(it.Script) != "" {
		lines = append(lines, i18n.T("ics.script", "Script", strings.TrimSpace(it.Script)))
	}
	return crm.CalendarEntry{
		UID:         crm.CalendarUID(it.Customer.ID, it.Reason, it.Ref, it.Due),
		Day:         d,
		Summary:     summary,
		Description: strings.Join(lines, "\n"),
	}
}

// calendarDetail is the short what of an item's title: the routine step, the agreed next step,
// the date's label, the event, the service or complaint; "" when the reason says it all.
func calendarDetail(it *crm.PlanItem) string {
	switch it.Reason {
	case crm.ReasonRoutine:
		return i18n.T("ics.routine_detail", "Step", it.Step)
	case crm.ReasonFollowUp:
		return cutRunes(firstLine(it.NextStep), 40)
	case crm.ReasonImportantDate:
		return it.Label
	case crm.ReasonInvitation:
		if it.Event != nil {
			return it.Event.Name
		}
	case crm.ReasonOnline, crm.ReasonOffline, crm.ReasonAfterSales, crm.ReasonComplaint:
		return cutRunes(firstLine(it.Title), 40)
	}
	return ""
}

func cutRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

// calendarGroupEntry words a holiday's greetings: "中秋节问候：312 位顾客", the customers listed.
func calendarGroupEntry(g *calendarGroup, phones map[int64]string) crm.CalendarEntry {
	lines := make([]string, 0, len(g.items)+2)
	for i := range g.items {
		c := &g.items[i].Customer
		line := c.DisplayName() + " " + c.Code
		if p := phones[c.ID]; p != "" {
			line += " " + p
		}
		lines = append(lines, line)
	}
	if g.count > len(g.items) {
		lines = append(lines, i18n.T("ics.more", "Count", g.count-len(g.items)))
	}
	lines = append(lines, i18n.T("ics.holiday_hint"))
	return crm.CalendarEntry{
		UID:         crm.CalendarGroupUID(string(crm.ReasonHoliday), g.holiday, g.due),
		Day:         g.day,
		Summary:     i18n.T("ics.holiday_summary", "Holiday", holidayName(g.holiday), "Count", g.count),
		Description: strings.Join(lines, "\n"),
	}
}

// ErrNoCalendarEntries is WriteCalendar's error when the days hold nothing to do: no file is
// written (an iCalendar file must hold an event).
var ErrNoCalendarEntries = errors.New("no calendar entries")

// CalendarFunc writes entries as an iCalendar file at path, whole or not at all: a calendar
// named name, each event reminding alarm after the start of its day, stamped now. main wires
// store/ics.WriteFile.
type CalendarFunc func(path, name string, alarm time.Duration, now time.Time, entries []crm.CalendarEntry) error

// WriteCalendar writes the plan of the days [from, from+days) to the iCalendar file at path with
// write, in the UI language, and returns how many events it holds. With nothing to do on those
// days it writes nothing and returns ErrNoCalendarEntries. progress is CalendarEntries'.
func WriteCalendar(ctx context.Context, b ICSBook, write CalendarFunc, path string, from crm.Date, days int, now time.Time, progress func(done, total int)) (int, error) {
	entries, err := CalendarEntries(ctx, b, from, days, progress)
	if err != nil {
		return 0, err
	}
	if len(entries) == 0 {
		return 0, ErrNoCalendarEntries
	}
	if err := write(path, i18n.T("app.name"), calendarAlarm, now, entries); err != nil {
		return 0, err
	}
	return len(entries), nil
}

// todayICS is the Today screen's 导出到日历 button: it asks for a file and writes the plan of
// the day shown and the next days to it.
type todayICS struct {
	s      *todayScreen
	button *widget.Button
	// pickPath asks where to save, suggesting name, and calls save with the path chosen; tests
	// replace the file dialog with a path.
	pickPath func(name string, save func(path string))
	running  bool
	message  string // the outcome's message, once done
	err      error  // the outcome's error
}

// newICSButton makes the screen's calendar export and returns its button for the toolbar.
func (s *todayScreen) newICSButton() fyne.CanvasObject {
	x := &todayICS{s: s}
	x.pickPath = x.fileDialog
	x.button = widget.NewButtonWithIcon(i18n.T("ics.button"), theme.CalendarIcon(), x.onExport)
	s.ics = x
	if s.w.opts.Calendar == nil {
		x.button.Hide()
	}
	return x.button
}

func (x *todayICS) fileDialog(name string, save func(path string)) {
	d := dialog.NewFileSave(func(wc fyne.URIWriteCloser, err error) {
		if err != nil || wc == nil {
			return
		}
		path := wc.URI().Path()
		_ = wc.Close()
		save(path)
	}, x.s.w.win)
	d.SetFileName(name)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".ics"}))
	d.SetConfirmText(i18n.T("ics.confirm"))
	d.SetDismissText(i18n.T("common.cancel"))
	d.Show()
}

// onExport asks for the file, suggesting carebook-YYYY-MM-DD.ics for the day shown.
func (x *todayICS) onExport() {
	if x.running {
		return
	}
	x.pickPath(i18n.T("ics.file_name", "Date", x.s.day.String())+".ics", x.run)
}

// run writes the plan of the day shown and the next CalendarDays-1 days to path off the UI
// goroutine, then says how it went.
func (x *todayICS) run(path string) {
	if !strings.EqualFold(filepath.Ext(path), ".ics") {
		path += ".ics"
	}
	x.running = true
	x.button.Disable()
	x.button.SetText(i18n.T("ics.busy"))
	book, from, now := x.s.w.book, x.s.day, x.s.w.opts.Now()
	x.s.w.async(func() func() {
		n, err := WriteCalendar(context.Background(), book, x.s.w.opts.Calendar, path, from, CalendarDays, now, func(done, total int) {
			fyne.Do(func() {
				if x.running {
					x.button.SetText(i18n.T("ics.progress", "Done", done, "Total", total))
				}
			})
		})
		return func() {
			x.running = false
			x.button.SetText(i18n.T("ics.button"))
			x.button.Enable()
			to := from.AddDays(CalendarDays - 1)
			x.err = err
			switch {
			case errors.Is(err, ErrNoCalendarEntries):
				x.message = i18n.T("ics.empty", "From", shortDate(from), "To", shortDate(to))
			case err != nil:
				x.message = i18n.T("ics.failed", "Error", err)
			default:
				x.message = i18n.T("ics.done", "Count", n, "From", shortDate(from), "To", shortDate(to), "Path", path)
			}
			dialog.ShowInformation(i18n.T("ics.title"), x.message, x.s.w.win)
		}
	})
}
