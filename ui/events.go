package ui

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"carebook/assets/i18n"
	"carebook/crm"
)

// eventsScreen lists the events (活动) customers are invited to, coming ones first, and shows
// the selected one beside the list: its script, audience, funnel, invitations and the customers
// still to invite.
type eventsScreen struct {
	w    *Window
	root fyne.CanvasObject

	newButton *widget.Button
	count     *widget.Label
	list      *widget.List
	events    []crm.EventSummary
	empty     *widget.Label
	emptyBox  fyne.CanvasObject
	status    *widget.Label // load errors
	seq       int

	selected int64 // the event shown beside the list, 0 = none
	detail   *eventDetail
	right    *fyne.Container
	editor   *eventEditor // the open editor, for tests
}

func newEventsScreen(w *Window) *eventsScreen {
	s := &eventsScreen{w: w}
	s.buildUI() // loaded when shown (content)
	return s
}

func (s *eventsScreen) title() string       { return i18n.T("nav.events") }
func (s *eventsScreen) icon() fyne.Resource { return theme.CalendarIcon() }

// content is asked for each time the screen is shown: invitations made on the Today screen and
// customers changed elsewhere show up then.
func (s *eventsScreen) content() fyne.CanvasObject {
	s.reload()
	return s.root
}

func (s *eventsScreen) buildUI() {
	s.newButton = widget.NewButtonWithIcon(i18n.T("events.new"), theme.ContentAddIcon(), s.onNew)
	s.newButton.Importance = widget.HighImportance
	s.count = widget.NewLabel("")
	s.status = errorLabel()
	s.list = widget.NewList(func() int { return len(s.events) }, s.newEventRow, s.updateEventRow)
	s.list.OnSelected = s.onSelect
	s.empty = widget.NewLabel(i18n.T("events.empty"))
	s.empty.Alignment = fyne.TextAlignCenter
	s.empty.Wrapping = fyne.TextWrapWord
	s.emptyBox = container.New(layout.NewCenterLayout(), container.NewGridWrap(fyne.NewSize(320, 140), s.empty))
	s.emptyBox.Hide()
	head := container.NewBorder(nil, nil, s.count, s.newButton)
	left := container.NewBorder(container.NewVBox(head, s.status), nil, nil, nil, container.NewStack(s.list, s.emptyBox))

	s.detail = newEventDetail(s)
	s.right = container.NewStack(s.detail.root)
	split := container.NewHSplit(left, s.right)
	split.SetOffset(0.36)
	s.root = split
}

// newEventRow is the template of a row of the list: name, then when, then the funnel.
func (s *eventsScreen) newEventRow() fyne.CanvasObject {
	name := widget.NewLabelWithStyle("event", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	name.Truncation = fyne.TextTruncateEllipsis
	when := widget.NewLabel("when")
	when.Truncation = fyne.TextTruncateEllipsis
	funnel := widget.NewLabel("funnel")
	funnel.Truncation = fyne.TextTruncateEllipsis
	return container.New(layout.NewCustomPaddedVBoxLayout(0), name, when, funnel)
}

func (s *eventsScreen) updateEventRow(id widget.ListItemID, o fyne.CanvasObject) {
	if id >= len(s.events) {
		return
	}
	box := o.(*fyne.Container)
	e := s.events[id]
	today := s.w.today()
	box.Objects[0].(*widget.Label).SetText(e.Name)
	when := box.Objects[1].(*widget.Label)
	when.SetText(e.Date.String() + "  " + eventWhen(e.Event, today) + "  " + eventWindowState(e.Event, today))
	when.Importance = widget.MediumImportance
	if crm.InviteWindowOpen(e.Event, today) {
		when.Importance = widget.HighImportance
	}
	when.Refresh()
	box.Objects[2].(*widget.Label).SetText(funnelLine(crm.FunnelOf(e.Counts)))
}

// eventWhen says when e is as of today: today, tomorrow, in N days, or past.
func eventWhen(e crm.Event, today crm.Date) string {
	switch n := int(e.Date - today); {
	case n == 0:
		return i18n.T("events.today")
	case n == 1:
		return i18n.T("events.tomorrow")
	case n > 1:
		return i18n.T("events.in_days", "Days", n)
	}
	return i18n.T("events.past")
}

// eventWindowState says where today stands against e's invite window.
func eventWindowState(e crm.Event, today crm.Date) string {
	from := e.Date.AddDays(-e.WindowDays)
	switch {
	case crm.InviteWindowOpen(e, today):
		return i18n.T("events.inviting", "Until", e.Date.AddDays(-1).String())
	case today < from:
		return i18n.T("events.invite_from", "From", from.String())
	}
	return ""
}

// funnelLine is the short funnel of the list: invited · accepted · attended.
func funnelLine(f crm.Funnel) string {
	return i18n.T("events.funnel_line", "Invited", f.Invited, "Accepted", f.Accepted, "Attended", f.Attended)
}

// reload reads the events again, keeps the selection and reloads the one shown.
func (s *eventsScreen) reload() {
	s.seq++
	seq := s.seq
	views := s.w.book
	s.w.async(func() func() {
		es, err := views.EventSummaries(context.Background())
		return func() {
			if seq != s.seq {
				return
			}
			if err != nil {
				setError(s.status, i18n.T("events.load_failed", "Error", err))
				return
			}
			setError(s.status, "")
			crm.SortEventsForList(es, s.w.today())
			s.events = es
			s.count.SetText(i18n.T("events.count", "Count", len(es)))
			if len(es) == 0 {
				s.emptyBox.Show()
			} else {
				s.emptyBox.Hide()
			}
			s.list.Refresh()
			s.syncSelection()
		}
	})
}

// syncSelection selects the shown event in the list again after a reload, and shows it again
// (or nothing when it was deleted).
func (s *eventsScreen) syncSelection() {
	for i, e := range s.events {
		if e.ID == s.selected {
			s.list.OnSelected = nil
			s.list.Select(i)
			s.list.OnSelected = s.onSelect
			s.detail.show(e.Event)
			return
		}
	}
	s.selected = 0
	s.list.UnselectAll()
	s.detail.clear()
}

func (s *eventsScreen) onSelect(id widget.ListItemID) {
	if id >= len(s.events) {
		return
	}
	s.selected = s.events[id].ID
	s.detail.show(s.events[id].Event)
}

// selectEvent shows event id (after a save).
func (s *eventsScreen) selectEvent(id int64) {
	s.selected = id
	s.reload()
}

func (s *eventsScreen) onNew() {
	s.editor = s.w.editEvent(crm.Event{}, s.afterEdit)
}

func (s *eventsScreen) onEdit() {
	if s.detail.event == nil {
		return
	}
	s.editor = s.w.editEvent(*s.detail.event, s.afterEdit)
}

// afterEdit shows the saved event (id), or the list without the deleted one (id 0).
func (s *eventsScreen) afterEdit(id int64) {
	s.selectEvent(id)
	if s.w.todayView != nil {
		s.w.todayView.reload() // the Invite question follows the events
	}
}

// eventDetail shows one event beside the list.
type eventDetail struct {
	s     *eventsScreen
	root  *fyne.Container
	event *crm.Event
	seq   int

	placeholder fyne.CanvasObject
	body        fyne.CanvasObject

	name       *widget.Label
	when       *widget.Label
	window     *widget.Label
	purpose    *widget.Label
	script     *widget.Label
	copyScript *widget.Button
	audience   *widget.Label
	notes      *widget.Label
	edit       *widget.Button
	del        *widget.Button
	status     *widget.Label

	funnel     crm.Funnel
	bars       []*widget.ProgressBar // invited, accepted, attended, declined, no-show
	barLabels  []*widget.Label
	rates      *widget.Label
	rows       []crm.InvitationRow
	invList    *widget.List
	invEmpty   *widget.Label
	toInvite   []crm.PlanItem
	toList     *widget.List
	toEmpty    *widget.Label
	tabs       *container.AppTabs
	invTab     *container.TabItem
	toInviteTb *container.TabItem
}

func newEventDetail(s *eventsScreen) *eventDetail {
	d := &eventDetail{s: s}
	d.placeholder = emptyState(i18n.T("events.pick"))
	d.name = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	d.name.Wrapping = fyne.TextWrapWord
	d.name.SizeName = theme.SizeNameSubHeadingText
	d.when = widget.NewLabel("")
	d.window = widget.NewLabel("")
	d.window.Wrapping = fyne.TextWrapWord
	d.purpose = widget.NewLabel("")
	d.purpose.Wrapping = fyne.TextWrapWord
	d.script = widget.NewLabel("")
	d.script.Wrapping = fyne.TextWrapWord
	d.copyScript = widget.NewButtonWithIcon(i18n.T("events.copy"), theme.ContentCopyIcon(), d.onCopyScript)
	d.audience = widget.NewLabel("")
	d.audience.Wrapping = fyne.TextWrapWord
	d.notes = widget.NewLabel("")
	d.notes.Wrapping = fyne.TextWrapWord
	d.edit = widget.NewButtonWithIcon(i18n.T("events.edit"), theme.DocumentCreateIcon(), s.onEdit)
	d.del = widget.NewButtonWithIcon(i18n.T("common.delete"), theme.DeleteIcon(), d.onDelete)
	d.del.Importance = widget.DangerImportance
	d.status = errorLabel()

	funnelRows := []fyne.CanvasObject{}
	for _, key := range funnelKeys {
		l := widget.NewLabel(i18n.T(key))
		bar := widget.NewProgressBar()
		d.barLabels = append(d.barLabels, l)
		d.bars = append(d.bars, bar)
		funnelRows = append(funnelRows, l, bar)
	}
	d.rates = widget.NewLabel("")
	d.rates.Wrapping = fyne.TextWrapWord
	funnelBox := container.NewVBox(container.New(layout.NewFormLayout(), funnelRows...), d.rates)

	field := func(key string) *widget.Label {
		return widget.NewLabelWithStyle(i18n.T(key), fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
	}
	fields := container.New(layout.NewFormLayout(),
		field("event.purpose"), d.purpose,
		field("event.script"), container.NewBorder(nil, nil, nil, container.NewVBox(d.copyScript), d.script),
		field("event.audience"), d.audience,
		field("event.notes"), d.notes,
	)
	info := container.NewVBox(
		container.NewBorder(nil, nil, nil, container.NewHBox(d.edit, d.del), d.name),
		d.when, d.window, d.status,
		widget.NewSeparator(),
		container.NewGridWithColumns(2, fields, container.NewVBox(
			widget.NewLabelWithStyle(i18n.T("events.funnel"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), funnelBox)),
	)

	d.invList = widget.NewList(func() int { return len(d.rows) }, d.newInvRow, d.updateInvRow)
	d.invEmpty = widget.NewLabel(i18n.T("events.no_invitations"))
	d.invEmpty.Wrapping = fyne.TextWrapWord
	d.toList = widget.NewList(func() int { return len(d.toInvite) }, d.newToRow, d.updateToRow)
	d.toEmpty = widget.NewLabel("")
	d.toEmpty.Wrapping = fyne.TextWrapWord
	d.invTab = container.NewTabItem("", container.NewStack(d.invList, container.NewVBox(d.invEmpty)))
	d.toInviteTb = container.NewTabItem("", container.NewStack(d.toList, container.NewVBox(d.toEmpty)))
	d.tabs = container.NewAppTabs(d.invTab, d.toInviteTb)
	split := container.NewVSplit(container.NewVScroll(container.NewPadded(info)), d.tabs)
	split.SetOffset(0.55)
	d.body = split
	d.root = container.NewStack(d.placeholder)
	return d
}

// funnelKeys label the funnel's bars, in d.bars' order.
var funnelKeys = []string{"events.stage_invited", "events.stage_accepted", "events.stage_attended",
	"invitation.declined", "invitation.no_show"}

// clear shows the hint to pick an event.
func (d *eventDetail) clear() {
	d.event = nil
	d.seq++
	d.root.Objects = []fyne.CanvasObject{d.placeholder}
	d.root.Refresh()
}

// show fills the detail with e and loads its invitations and the customers to invite.
func (d *eventDetail) show(e crm.Event) {
	d.event = &e
	today := d.s.w.today()
	d.name.SetText(e.Name)
	d.when.SetText(i18n.T("events.when", "Date", e.Date.String(), "Weekday", weekdayText(e.Date.Weekday()), "When", eventWhen(e, today)))
	from := e.Date.AddDays(-e.WindowDays)
	window := i18n.T("events.window", "From", from.String(), "Days", e.WindowDays)
	if st := eventWindowState(e, today); st != "" {
		window += "  " + st
	}
	d.window.SetText(window)
	d.purpose.SetText(orDash(e.Purpose))
	d.script.SetText(orDash(e.Script))
	if e.Script == "" {
		d.copyScript.Disable()
	} else {
		d.copyScript.Enable()
	}
	d.audience.SetText(audienceText(e.Audience))
	d.notes.SetText(orDash(e.Notes))
	setError(d.status, "")
	if d.root.Objects[0] != d.body {
		d.root.Objects = []fyne.CanvasObject{d.body}
		d.root.Refresh()
	}
	d.load()
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return s
}

// audienceText describes an audience in words, one line per kind of filter.
func audienceText(a crm.Audience) string {
	if a.IsEveryone() {
		return i18n.T("events.audience_everyone")
	}
	var lines []string
	if len(a.Tags) > 0 {
		lines = append(lines, i18n.T("events.audience_tags", "List", strings.Join(a.Tags, " · ")))
	}
	if len(a.Tiers) > 0 {
		lines = append(lines, i18n.T("events.audience_tiers", "List", strings.Join(labelsOf(a.Tiers, tierLabel), " · ")))
	}
	if len(a.Stages) > 0 {
		lines = append(lines, i18n.T("events.audience_stages", "List", strings.Join(labelsOf(a.Stages, stageText), " · ")))
	}
	if len(a.Segments) > 0 {
		lines = append(lines, i18n.T("events.audience_segments", "List", strings.Join(labelsOf(a.Segments, segmentText), " · ")))
	}
	return strings.Join(lines, "\n")
}

// load reads the invitations of the shown event and today's plan off the UI goroutine.
func (d *eventDetail) load() {
	if d.event == nil {
		return
	}
	d.seq++
	seq := d.seq
	id := d.event.ID
	book := d.s.w.book
	views := book
	today := d.s.w.today()
	d.s.w.async(func() func() {
		ctx := context.Background()
		rows, err := views.InvitationRows(ctx, id)
		var items []crm.PlanItem
		if err == nil {
			var plan crm.Plan
			if plan, err = book.Plan(ctx, today); err == nil {
				for _, it := range plan.Invite {
					if it.Event != nil && it.Event.ID == id {
						items = append(items, it)
					}
				}
			}
		}
		return func() {
			if seq != d.seq {
				return
			}
			if err != nil {
				setError(d.status, i18n.T("events.load_failed", "Error", err))
				return
			}
			d.rows, d.toInvite = rows, items
			d.refreshLists()
		}
	})
}

// refreshLists shows the funnel, the invitations and the customers to invite.
func (d *eventDetail) refreshLists() {
	counts := map[crm.InvitationStatus]int{}
	for _, r := range d.rows {
		counts[r.Status]++
	}
	d.funnel = crm.FunnelOf(counts)
	f := d.funnel
	values := []int{f.Invited, f.Accepted, f.Attended, f.Declined, f.NoShow}
	for i, bar := range d.bars {
		n := values[i]
		bar.Max = float64(max(f.Invited, 1))
		bar.TextFormatter = func() string {
			if f.Invited == 0 {
				return "0"
			}
			return fmt.Sprintf("%d  (%.0f%%)", n, 100*float64(n)/float64(f.Invited))
		}
		bar.SetValue(float64(n))
	}
	d.rates.SetText(i18n.T("events.rates", "Accept", percent(f.AcceptRate()), "Attend", percent(f.AttendRate())))

	d.invTab.Text = i18n.T("events.invitations_tab", "Count", len(d.rows))
	d.toInviteTb.Text = i18n.T("events.to_invite_tab", "Count", len(d.toInvite))
	d.tabs.Refresh()
	d.invEmpty.Hidden = len(d.rows) > 0
	d.invEmpty.Refresh()
	d.invList.Refresh()

	today := d.s.w.today()
	switch e := d.event; {
	case len(d.toInvite) > 0:
		d.toEmpty.Hide()
	case today >= e.Date:
		d.toEmpty.SetText(i18n.T("events.to_invite_over"))
		d.toEmpty.Show()
	case !crm.InviteWindowOpen(*e, today):
		d.toEmpty.SetText(i18n.T("events.to_invite_later", "From", e.Date.AddDays(-e.WindowDays).String()))
		d.toEmpty.Show()
	default:
		d.toEmpty.SetText(i18n.T("events.to_invite_none"))
		d.toEmpty.Show()
	}
	d.toList.Refresh()
}

func percent(r float64) string { return fmt.Sprintf("%.0f%%", 100*r) }

// invRow is a row of the invitations list.
type invRow struct {
	widget.BaseWidget
	box    *fyne.Container
	who    *widget.Label
	status *widget.Select
	open   *widget.Button
	remove *widget.Button
}

func (r *invRow) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(r.box) }

func (d *eventDetail) newInvRow() fyne.CanvasObject {
	r := &invRow{who: widget.NewLabel("customer")}
	r.who.Truncation = fyne.TextTruncateEllipsis
	r.status = widget.NewSelect(labelsOf(crm.InvitationStatuses, invitationLabel), nil)
	r.open = widget.NewButtonWithIcon("", theme.AccountIcon(), nil)
	r.remove = widget.NewButtonWithIcon("", theme.DeleteIcon(), nil)
	r.box = container.NewBorder(nil, nil, nil, container.NewHBox(r.status, r.open, r.remove), r.who)
	r.ExtendBaseWidget(r)
	return r
}

func (d *eventDetail) updateInvRow(id widget.ListItemID, o fyne.CanvasObject) {
	r := o.(*invRow)
	if id >= len(d.rows) {
		return
	}
	row := d.rows[id]
	r.who.SetText(invitationWho(row))
	r.status.OnChanged = nil
	r.status.SetSelected(invitationLabel(row.Status))
	r.status.OnChanged = func(string) {
		if i := r.status.SelectedIndex(); i >= 0 {
			d.onStatus(row, crm.InvitationStatuses[i])
		}
	}
	r.open.OnTapped = func() { d.onOpenCard(row.CustomerID) }
	r.remove.OnTapped = func() { d.onRemove(row) }
}

// invitationWho names the customer of an invitation: name (remark), code, phone, day invited.
func invitationWho(r crm.InvitationRow) string {
	parts := []string{r.Name}
	if r.Remark != "" && r.Remark != r.Name {
		parts[0] += "（" + r.Remark + "）"
	}
	parts = append(parts, r.Code)
	if r.Phone != "" {
		parts = append(parts, crm.FormatPhone(r.Phone))
	}
	if !r.Date.IsZero() {
		parts = append(parts, i18n.T("events.invited_on", "Date", r.Date.String()))
	}
	if r.Archived {
		parts = append(parts, i18n.T("events.archived"))
	}
	return strings.Join(parts, "  ")
}

// onStatus moves an invitation to status st, keeping its date and note.
func (d *eventDetail) onStatus(r crm.InvitationRow, st crm.InvitationStatus) {
	if st == r.Status {
		return
	}
	book := d.s.w.book
	d.s.w.async(func() func() {
		_, err := book.SetInvitation(context.Background(), r.EventID, r.CustomerID, st, r.Date, r.Note)
		return func() { d.afterChange(err) }
	})
}

// afterChange shows why a change failed, or the funnel and the list as they now are.
func (d *eventDetail) afterChange(err error) {
	if err != nil {
		setError(d.status, i18n.T("card.save_failed", "Error", err))
	}
	d.s.reload()
	if d.s.w.todayView != nil {
		d.s.w.todayView.reload()
	}
}

func (d *eventDetail) onRemove(r crm.InvitationRow) {
	dialog.ShowConfirm(i18n.T("events.remove_title"), i18n.T("events.remove_question", "Name", r.Name),
		func(ok bool) {
			if ok {
				d.removeConfirmed(r.ID)
			}
		}, d.s.w.win)
}

func (d *eventDetail) removeConfirmed(id int64) {
	book := d.s.w.book
	d.s.w.async(func() func() {
		err := book.DeleteInvitation(context.Background(), id)
		return func() { d.afterChange(err) }
	})
}

func (d *eventDetail) onOpenCard(customerID int64) {
	d.s.w.show(d.s.w.customers)
	d.s.w.customers.open(customerID)
}

// toRow is a row of the customers still to invite.
type toRow struct {
	widget.BaseWidget
	box     *fyne.Container
	who     *widget.Label
	copy    *widget.Button
	invited *widget.Button
}

func (r *toRow) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(r.box) }

func (d *eventDetail) newToRow() fyne.CanvasObject {
	r := &toRow{who: widget.NewLabel("customer")}
	r.who.Truncation = fyne.TextTruncateEllipsis
	r.copy = widget.NewButtonWithIcon(i18n.T("events.copy"), theme.ContentCopyIcon(), nil)
	r.invited = widget.NewButtonWithIcon(i18n.T("events.mark_invited"), theme.ConfirmIcon(), nil)
	r.box = container.NewBorder(nil, nil, nil, container.NewHBox(r.copy, r.invited), r.who)
	r.ExtendBaseWidget(r)
	return r
}

func (d *eventDetail) updateToRow(id widget.ListItemID, o fyne.CanvasObject) {
	r := o.(*toRow)
	if id >= len(d.toInvite) {
		return
	}
	it := d.toInvite[id]
	who := it.Customer.Name
	if it.Customer.Remark != "" && it.Customer.Remark != it.Customer.Name {
		who += "（" + it.Customer.Remark + "）"
	}
	r.who.SetText(who + "  " + it.Customer.Code + "  " + tierLabel(it.Customer.Tier))
	r.copy.OnTapped = func() { d.onCopyFor(it) }
	r.invited.OnTapped = func() { d.onInvited(it) }
}

// onInvited records that the customer was invited today, as the Today screen's 已邀约 does (the
// same message and record): an invitation record holding the message, and the invitation, in
// one transaction; the message is copied.
func (d *eventDetail) onInvited(it crm.PlanItem) {
	if d.event == nil {
		return
	}
	eventID := d.event.ID
	msg := d.s.w.todayView.message(&it)
	r := d.s.w.todayView.record(&it, msg)
	book := d.s.w.book
	d.s.w.async(func() func() {
		err := book.InviteDone(context.Background(), eventID, &r)
		return func() {
			if err == nil {
				d.s.w.app.Clipboard().SetContent(msg)
				d.s.w.afterRecordChange()
			}
			d.afterChange(err)
		}
	})
}

// onCopyScript copies the script as written (placeholders and all).
func (d *eventDetail) onCopyScript() {
	if d.event == nil {
		return
	}
	d.s.w.app.Clipboard().SetContent(d.event.Script)
}

// onCopyFor copies the script filled in for the customer of it.
func (d *eventDetail) onCopyFor(it crm.PlanItem) {
	if d.event == nil {
		return
	}
	d.s.w.app.Clipboard().SetContent(d.s.w.todayView.message(&it))
}

func (d *eventDetail) onDelete() {
	if d.event == nil {
		return
	}
	e := *d.event
	dialog.ShowConfirm(i18n.T("events.delete_title"), i18n.T("events.delete_question", "Name", e.Name,
		"Count", d.funnel.Invited), func(ok bool) {
		if ok {
			d.deleteConfirmed(e.ID)
		}
	}, d.s.w.win)
}

func (d *eventDetail) deleteConfirmed(id int64) {
	book := d.s.w.book
	d.s.w.async(func() func() {
		err := book.DeleteEvent(context.Background(), id)
		return func() {
			if err != nil {
				setError(d.status, i18n.T("events.delete_failed", "Error", err))
				return
			}
			d.s.afterEdit(0)
		}
	})
}
