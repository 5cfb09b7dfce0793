package ui

import (
	"context"
	"errors"
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

// todayScreen answers the daily 3 questions (每日3问) for a day: whom to maintain, invite and
// serve, each item with why, how overdue, and one-click done, snooze and open.
type todayScreen struct {
	w *Window

	day       crm.Date
	plan      crm.Plan
	templates map[string]string
	loading   int // generation of the latest load
	// shown says which book, at which count of its writes (PlanBook.Changes), on which day, the
	// plan on screen was read: returning to the screen plans again only when one of them moved.
	shown struct {
		book    PlanBook
		changes uint64
		day     crm.Date
	}
	// noCustomers is set when the book has no customer yet (the empty state says how to begin).
	noCustomers bool
	// busy holds the items (and holiday groups) whose done is being saved: a second tap
	// before the reload logs nothing more.
	busy map[string]bool

	dayLabel  *widget.Label
	expired   *widget.Label // routine follow-ups missed on the day
	dateEntry *dateField
	prevDay   *widget.Button
	nextDay   *widget.Button
	todayBtn  *widget.Button
	note      *widget.Label // "planning another day" and messages
	columns   [3]*planColumn
	layout    *planColumns
	root      fyne.CanvasObject
	// the open dialogs (tests answer them)
	greetDialog   *dialog.ConfirmDialog
	snoozeDialog  dialog.Dialog
	snoozeChoices []*widget.Button // tomorrow, +3, +7 days
	snoozeDate    *dateField
	snoozeBad     *widget.Label // why the day typed cannot be taken
	ics           *todayICS     // 导出到日历 (todayics.go)
}

// planColumn is one question: its title, its rows and the list showing them.
type planColumn struct {
	key      string // maintain, invite, serve
	title    *widget.Label
	rows     []planRow
	list     *widget.List
	empty    *widget.Label
	emptyBox *fyne.Container // the empty state, centred in the column's width
	// start holds the first steps (new customer, import) shown while the book has no customer.
	start  *fyne.Container
	stack  *fyne.Container
	screen *todayScreen
}

// planRow is an item, or a group of holiday items.
type planRow struct {
	item  *crm.PlanItem
	group *holidayGroup
}

func newTodayScreen(w *Window) *todayScreen {
	s := &todayScreen{w: w, day: w.today()}
	s.buildUI()
	s.reload()
	return s
}

func (s *todayScreen) title() string              { return i18n.T("nav.today") }
func (s *todayScreen) icon() fyne.Resource        { return theme.HomeIcon() }
func (s *todayScreen) content() fyne.CanvasObject { return s.root }

func (s *todayScreen) buildUI() {
	s.dayLabel = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.expired = widget.NewLabel("")
	s.expired.Importance = widget.WarningImportance
	s.expired.Truncation = fyne.TextTruncateEllipsis
	s.dateEntry = newDateField(s.w.today)
	s.dateEntry.OnChanged = s.setDay
	s.dateEntry.OnInvalid = s.setNote
	s.prevDay = widget.NewButtonWithIcon("", theme.NavigateBackIcon(), func() { s.setDay(s.day.AddDays(-1)) })
	s.nextDay = widget.NewButtonWithIcon("", theme.NavigateNextIcon(), func() { s.setDay(s.day.AddDays(1)) })
	s.todayBtn = widget.NewButton(i18n.T("today.today"), func() { s.setDay(s.w.today()) })
	s.note = widget.NewLabel("")
	s.note.Wrapping = fyne.TextWrapWord
	s.note.Hide()
	header := container.NewBorder(nil, nil,
		container.NewHBox(s.prevDay, s.todayBtn, s.nextDay, container.NewGridWrap(fyne.NewSize(170, s.dateEntry.MinSize().Height), s.dateEntry)),
		s.newICSButton(), container.NewBorder(nil, nil, s.dayLabel, nil, s.expired))
	var cols [3]fyne.CanvasObject
	for i, key := range []string{"maintain", "invite", "serve"} {
		c := &planColumn{key: key, screen: s}
		c.build()
		s.columns[i] = c
		cols[i] = c.root()
	}
	s.layout = newPlanColumns(cols)
	s.layout.onNarrow = func(narrow bool) {
		for _, c := range s.columns { // the tabs carry the titles
			if narrow {
				c.title.Hide()
			} else {
				c.title.Show()
			}
		}
	}
	s.root = container.NewBorder(container.NewVBox(header, s.note, widget.NewSeparator()), nil, nil, nil, s.layout)
	s.showDay()
}

// narrowWidth is the width under which the three questions show as tabs rather than columns.
const narrowWidth = 760

// planColumns shows the three questions side by side, Maintain (the longest list) on half of the
// width and the dividers draggable, or as tabs when there is no room for columns.
type planColumns struct {
	widget.BaseWidget
	cols      [3]fyne.CanvasObject
	splitSlot [3]*fyne.Container // a column lives in its split slot or in its tab slot
	tabSlot   [3]*fyne.Container
	split     *container.Split
	tabs      *container.AppTabs
	stack     *fyne.Container
	narrow    bool
	onNarrow  func(narrow bool) // told when the view switches
}

func newPlanColumns(cols [3]fyne.CanvasObject) *planColumns {
	p := &planColumns{cols: cols}
	items := make([]*container.TabItem, 3)
	for i, c := range cols {
		p.splitSlot[i] = container.NewStack(c)
		p.tabSlot[i] = container.NewStack()
		items[i] = container.NewTabItem("", p.tabSlot[i])
	}
	p.split = container.NewHSplit(p.splitSlot[0], container.NewHSplit(p.splitSlot[1], p.splitSlot[2]))
	p.split.SetOffset(0.5)
	p.tabs = container.NewAppTabs(items...)
	p.stack = container.NewStack(p.split)
	p.ExtendBaseWidget(p)
	return p
}

// Resize picks columns or tabs for the new width before laying out.
func (p *planColumns) Resize(size fyne.Size) {
	p.setNarrow(size.Width < narrowWidth)
	p.BaseWidget.Resize(size)
}

func (p *planColumns) setNarrow(narrow bool) {
	if narrow == p.narrow {
		return
	}
	p.narrow = narrow
	from, to := p.splitSlot, p.tabSlot
	shown := fyne.CanvasObject(p.tabs)
	if !narrow {
		from, to, shown = p.tabSlot, p.splitSlot, p.split
	}
	for i, c := range p.cols {
		from[i].Objects = nil
		to[i].Objects = []fyne.CanvasObject{c}
		from[i].Refresh()
		to[i].Refresh()
	}
	p.stack.Objects = []fyne.CanvasObject{shown}
	p.stack.Refresh()
	if p.onNarrow != nil {
		p.onNarrow(narrow)
	}
}

// setTitles names the tabs (the columns carry their own titles).
func (p *planColumns) setTitles(titles [3]string) {
	for i, t := range titles {
		p.tabs.Items[i].Text = t
	}
	p.tabs.Refresh()
}

func (p *planColumns) CreateRenderer() fyne.WidgetRenderer { return &planColumnsRenderer{p: p} }

type planColumnsRenderer struct{ p *planColumns }

func (r *planColumnsRenderer) Layout(size fyne.Size) { r.p.stack.Resize(size) }

// MinSize is that of the tabs, so that the window can get narrow enough to show them.
func (r *planColumnsRenderer) MinSize() fyne.Size {
	tabs := r.p.tabs.MinSize()
	if r.p.narrow {
		return tabs
	}
	var m fyne.Size // the tabs are empty: add the columns they would hold
	for _, c := range r.p.cols {
		m = m.Max(c.MinSize())
	}
	return fyne.NewSize(fyne.Max(tabs.Width, m.Width), tabs.Height+m.Height)
}

func (r *planColumnsRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.p.stack} }
func (r *planColumnsRenderer) Refresh()                     { r.p.stack.Refresh() }
func (r *planColumnsRenderer) Destroy()                     {}

func (c *planColumn) build() {
	c.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	c.list = widget.NewList(func() int { return len(c.rows) }, c.newRow, c.updateRow)
	c.list.OnSelected = func(id widget.ListItemID) { c.list.Unselect(id) }
	c.empty = widget.NewLabel("")
	c.empty.Wrapping = fyne.TextWrapWord
	c.empty.Alignment = fyne.TextAlignCenter
	newBtn := widget.NewButtonWithIcon(i18n.T("empty.new_customer"), theme.ContentAddIcon(), func() {
		c.screen.w.show(c.screen.w.customers)
		c.screen.w.customers.onNew()
	})
	newBtn.Importance = widget.HighImportance
	c.start = container.NewCenter(container.NewHBox(newBtn))
	if c.screen.w.opts.Importer != nil {
		c.start.Objects[0].(*fyne.Container).Add(widget.NewButtonWithIcon(i18n.T("empty.import"), theme.UploadIcon(), c.screen.w.onImport))
	}
	c.start.Hide()
	c.emptyBox = container.NewVBox(layout.NewSpacer(), c.empty, c.start, layout.NewSpacer())
	// Until the first load, the (blank) empty state: a list is as wide as its row, and the
	// columns must not be laid out to that.
	c.stack = container.NewStack(c.emptyBox)
}

func (c *planColumn) root() fyne.CanvasObject {
	question := widget.NewLabel(i18n.T("today." + c.key + "_question"))
	question.Wrapping = fyne.TextWrapWord
	question.SizeName = theme.SizeNameCaptionText
	return widget.NewCard("", "", container.NewBorder(container.NewVBox(c.title, question, widget.NewSeparator()), nil, nil, nil, c.stack))
}

// planRowView is the template of a row: who and when, why, and the actions.
type planRowView struct {
	name, tier, when, why *widget.Label
	done, snooze, open    *widget.Button
}

func (c *planColumn) newRow() fyne.CanvasObject {
	v := &planRowView{
		name: widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		tier: widget.NewLabel(""),
		when: widget.NewLabel(""),
		why:  widget.NewLabel(""),
	}
	v.name.Truncation = fyne.TextTruncateEllipsis
	v.why.Truncation = fyne.TextTruncateEllipsis
	v.tier.SizeName = theme.SizeNameCaptionText
	v.tier.Importance = widget.HighImportance
	v.when.SizeName = theme.SizeNameCaptionText
	v.done = widget.NewButtonWithIcon(i18n.T("today.done_button"), theme.ConfirmIcon(), nil)
	v.done.Importance = widget.HighImportance
	v.snooze = widget.NewButtonWithIcon(i18n.T("today.snooze_button"), theme.HistoryIcon(), nil)
	v.open = widget.NewButtonWithIcon(i18n.T("today.open_button"), theme.AccountIcon(), nil)
	top := container.NewBorder(nil, nil, nil, container.NewHBox(v.tier, v.when), v.name)
	bottom := container.NewStack(v.why)
	text := container.New(layout.NewCustomPaddedVBoxLayout(0), top, bottom)
	actions := container.NewHBox(v.done, v.snooze, v.open)
	box := container.NewBorder(nil, nil, nil, actions, text)
	if c.key != "maintain" {
		// The narrower columns: the actions on a line of their own, the text on the whole width.
		box = container.NewBorder(nil, container.NewBorder(nil, nil, nil, actions), nil, nil, text)
	}
	h := &rowHolder{box: box, top: top, bottom: bottom, view: v}
	h.ExtendBaseWidget(h)
	return h
}

// rowHolder lets updateRow find the row's widgets.
type rowHolder struct {
	widget.BaseWidget
	box    *fyne.Container
	top    *fyne.Container
	bottom *fyne.Container
	view   *planRowView
}

func (r *rowHolder) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(r.box) }

func (c *planColumn) updateRow(id widget.ListItemID, o fyne.CanvasObject) {
	h := o.(*rowHolder)
	v := h.view
	// The texts change width: lay the row out again once they are set.
	defer func() { v.when.Refresh(); h.top.Refresh(); h.bottom.Refresh(); h.box.Refresh() }()
	if id >= len(c.rows) {
		return
	}
	s := c.screen
	row := c.rows[id]
	onDay := s.day == s.w.today()
	v.when.Importance = widget.MediumImportance
	if g := row.group; g != nil {
		v.name.SetText(i18n.T("today.holiday_group", "Holiday", holidayName(g.key), "Count", len(g.items)))
		v.tier.SetText("")
		v.when.SetText("")
		v.why.SetText(i18n.T("today.holiday_hint"))
		v.done.SetText(i18n.T("today.greet_button"))
		v.done.OnTapped = func() { s.onGreetGroup(g) }
		v.snooze.SetText(i18n.T("today.copy_button"))
		v.snooze.SetIcon(theme.ContentCopyIcon())
		v.snooze.OnTapped = func() { s.copyGroupMessage(g) }
		v.snooze.Enable()
		v.open.Hide()
		v.done.Show()
	} else {
		it := row.item
		v.name.SetText(it.Customer.DisplayName())
		v.tier.SetText(tierLabel(it.Customer.Tier))
		v.when.SetText(itemWhen(it, s.day))
		if it.Overdue > 0 && it.Event == nil { // an invitation is on time until its event
			v.when.Importance = widget.DangerImportance
		}
		v.why.SetText(itemWhy(it, s.day))
		v.done.SetText(i18n.T("today.done_button"))
		v.done.OnTapped = func() { s.onDone(it) }
		v.snooze.SetText(i18n.T("today.snooze_button"))
		v.snooze.SetIcon(theme.HistoryIcon())
		v.snooze.OnTapped = func() { s.onSnooze(it) }
		v.open.OnTapped = func() { s.onOpen(it) }
		v.open.Show()
		v.done.Show()
		switch {
		case it.Reason == crm.ReasonInvitation:
			// Invited: the record and the invitation; the script is copied.
			v.done.SetText(i18n.T("today.invited_button"))
		case it.Reason == crm.ReasonComplaint:
			// A complaint is handled in its editor, step by step.
			v.done.SetText(i18n.T("today.handle_button"))
			v.done.OnTapped = func() { s.onHandleComplaint(it) }
		}
		if onDay {
			v.snooze.Enable()
		} else {
			v.snooze.Disable()
		}
	}
	if onDay {
		v.done.Enable()
	} else {
		v.done.Disable()
	}
}

// setDay plans another day.
func (s *todayScreen) setDay(d crm.Date) {
	if d.IsZero() || d == s.day {
		return
	}
	s.day = d
	s.showDay()
	s.reload()
}

// showDay writes the planned day in the header and says when it is not today.
func (s *todayScreen) showDay() {
	wd := weekdayText(s.day.Weekday())
	s.dayLabel.SetText(i18n.T("today.heading", "Date", shortDate(s.day), "Weekday", wd, "Year", s.day.Year()))
	s.dateEntry.SetDay(s.day)
	if s.day == s.w.today() {
		s.todayBtn.Disable()
		s.setNote("")
	} else {
		s.todayBtn.Enable()
		s.setNote(i18n.T("today.other_day"))
	}
}

func (s *todayScreen) setNote(text string) {
	s.note.SetText(text)
	if (text != "") == s.note.Visible() {
		return
	}
	if text == "" {
		s.note.Hide()
	} else {
		s.note.Show()
	}
	// The header changes height: lay the screen out again.
	if s.root != nil {
		s.root.Refresh()
	}
}

// stale reports whether the plan on screen may differ from the book's now: another book, a
// write since it was read, another day, or a load that failed or has not ended.
func (s *todayScreen) stale() bool {
	return s.shown.book != s.w.book || s.shown.changes != s.w.book.Changes() || s.shown.day != s.day
}

// reload plans the day off the UI goroutine and shows it.
func (s *todayScreen) reload() {
	s.loading++
	gen, day, book := s.loading, s.day, s.w.book
	for _, c := range s.columns {
		c.title.SetText(i18n.T("today."+c.key+"_count", "Count", "…"))
	}
	lang := string(i18n.Current())
	s.w.async(func() func() {
		ctx := context.Background()
		changes := book.Changes() // before the plan: a write while it is read plans again
		plan, err := book.Plan(ctx, day)
		var tpl map[string]string
		if err == nil {
			tpl, err = book.Templates(ctx, lang)
		}
		// An empty plan may be an empty book: then the screen says how to begin.
		noCustomers := false
		if err == nil && len(plan.Maintain)+len(plan.Invite)+len(plan.Serve) == 0 {
			n, cerr := book.CountCustomers(ctx)
			noCustomers = cerr == nil && n == 0
		}
		return func() {
			if gen != s.loading {
				return
			}
			defer s.w.startedUp()
			if err != nil {
				s.setNote(i18n.T("today.load_failed", "Error", err))
				return
			}
			s.plan, s.templates = plan, tpl
			s.noCustomers = noCustomers
			s.shown.book, s.shown.changes, s.shown.day = book, changes, day
			s.show()
			if !s.w.notified && day == s.w.today() {
				s.w.notified = true
				s.notify()
			}
		}
	})
}

// show puts the plan in the three columns.
func (s *todayScreen) show() {
	lists := [3][]crm.PlanItem{s.plan.Maintain, s.plan.Invite, s.plan.Serve}
	var titles [3]string
	s.busy = nil
	for i, c := range s.columns {
		rest, groups := groupHolidays(lists[i])
		rows := make([]planRow, 0, len(rest)+len(groups))
		for _, g := range groups {
			rows = append(rows, planRow{group: g})
		}
		for j := range rest {
			rows = append(rows, planRow{item: &rest[j]})
		}
		c.rows = rows
		c.title.SetText(i18n.T("today."+c.key+"_count", "Count", len(lists[i])))
		titles[i] = c.title.Text
		if len(rows) == 0 {
			c.empty.SetText(i18n.T(emptyKey(c.key)))
			c.start.Hide()
			if s.noCustomers && c.key == "maintain" {
				c.empty.SetText(i18n.T("empty.today_no_customers"))
				c.start.Show()
			}
			c.stack.Objects = []fyne.CanvasObject{c.emptyBox}
		} else {
			c.stack.Objects = []fyne.CanvasObject{c.list}
		}
		c.stack.Refresh()
		c.list.Refresh()
	}
	s.layout.setTitles(titles)
	if s.plan.Expired > 0 {
		s.expired.SetText(i18n.T("today.expired_short", "Count", s.plan.Expired))
	} else {
		s.expired.SetText("")
	}
}

// emptyKey is the translation key of the empty state of question key.
func emptyKey(key string) string {
	if key == "serve" {
		return "today.serve_none"
	}
	return "today." + key + "_empty"
}

// isServe reports whether r is a reason of the Serve question.
func isServe(r crm.Reason) bool {
	switch r {
	case crm.ReasonOnline, crm.ReasonOffline, crm.ReasonAfterSales, crm.ReasonComplaint:
		return true
	}
	return false
}

// notify sends the desktop notification that sums up today's plan (once, at start).
func (s *todayScreen) notify() {
	s.w.app.SendNotification(fyne.NewNotification(i18n.T("today.notify_title"),
		i18n.T("today.notify_body", "Maintain", len(s.plan.Maintain), "Invite", len(s.plan.Invite), "Serve", len(s.plan.Serve))))
}

// message fills the item's template (the user's, else the default of the language).
func (s *todayScreen) message(it *crm.PlanItem) string {
	key := it.TemplateKey()
	body := s.templates[key]
	if it.Reason == crm.ReasonInvitation && strings.TrimSpace(it.Script) != "" {
		body = it.Script // the event's own script (邀约话术)
	}
	if body == "" {
		body = i18n.T("tpl." + key)
	}
	v := crm.TemplateVars{Name: it.Customer.Name, Remark: it.Customer.Remark, Date: shortDate(it.Due)}
	if it.Reason == crm.ReasonHoliday {
		v.Holiday = holidayName(it.Holiday)
	}
	if it.Occurs != 0 {
		v.Date = shortDate(it.Occurs)
	}
	if it.Event != nil {
		v.Event, v.Date = it.Event.Name, shortDate(it.Event.Date)
	}
	return crm.FillTemplate(body, v)
}

// groupMessage is the holiday message of a group, to send to all of them at once (群发): it
// greets no one by name.
func (s *todayScreen) groupMessage(g *holidayGroup) string {
	it := g.items[0]
	it.Customer = crm.CustomerRef{Name: i18n.T("today.dear_customer")}
	return s.message(&it)
}

func (s *todayScreen) copyGroupMessage(g *holidayGroup) {
	s.w.app.Clipboard().SetContent(s.groupMessage(g))
	s.setNote(i18n.T("today.copied"))
}

// record is the maintenance record that marks the item done, now.
func (s *todayScreen) record(it *crm.PlanItem, content string) crm.Record {
	return crm.Record{CustomerID: it.Customer.ID, At: wallClock(s.w.opts.Now()), Kind: it.Reason.RecordKind(),
		Channel: crm.ChannelWeChat, Content: content}
}

// onDone logs the matching record with the filled message and copies the message.
func (s *todayScreen) onDone(it *crm.PlanItem) {
	if s.day != s.w.today() {
		return
	}
	if !s.claim(fmt.Sprint(it.Customer.ID, it.Reason, it.Ref)) {
		return
	}
	msg := s.message(it)
	rs := []crm.Record{s.record(it, msg)}
	name := it.Customer.DisplayName()
	op := func(ctx context.Context) error { return s.w.book.SaveRecords(ctx, rs) }
	note := i18n.T("today.done", "Name", name)
	switch {
	case it.Reason == crm.ReasonInvitation && it.Event != nil:
		id := it.Event.ID
		op = func(ctx context.Context) error { return s.w.book.InviteDone(ctx, id, &rs[0]) }
		note = i18n.T("today.invited", "Name", name, "Event", it.Event.Name)
	case isServe(it.Reason) && it.Reason != crm.ReasonComplaint:
		id := it.SourceID
		op = func(ctx context.Context) error { return s.w.book.ServiceDone(ctx, id, &rs[0]) }
		note = i18n.T("today.served", "Name", name, "Title", firstLine(it.Title))
	}
	s.save(op, func() {
		s.w.app.Clipboard().SetContent(msg)
		s.setNote(note)
	})
}

// onHandleComplaint opens the complaint of a Serve item in its editor; the plan is planned
// again after a save.
func (s *todayScreen) onHandleComplaint(it *crm.PlanItem) {
	id, customer := it.SourceID, it.Customer.ID
	s.w.async(func() func() {
		c, err := s.w.book.Complaint(context.Background(), id)
		return func() {
			if err != nil {
				s.setNote(i18n.T("today.save_failed", "Error", err))
				return
			}
			s.w.editComplaint(customer, c, s.reload)
		}
	})
}

// onGreetGroup logs a greeting for every customer of a holiday group, after a confirmation.
func (s *todayScreen) onGreetGroup(g *holidayGroup) {
	if s.day != s.w.today() {
		return
	}
	text := i18n.T("today.greet_confirm", "Count", len(g.items), "Holiday", holidayName(g.key))
	d := dialog.NewConfirm(i18n.T("today.greet_title"), text, func(ok bool) {
		if ok {
			s.greetGroup(g)
		}
	}, s.w.win)
	d.SetConfirmText(i18n.T("today.greet_button"))
	d.SetDismissText(i18n.T("common.cancel"))
	s.greetDialog = d
	d.Show()
}

func (s *todayScreen) greetGroup(g *holidayGroup) {
	if !s.claim("holiday " + g.key) {
		return
	}
	rs := make([]crm.Record, len(g.items))
	for i := range g.items {
		rs[i] = s.record(&g.items[i], s.message(&g.items[i]))
	}
	n, msg := len(rs), s.groupMessage(g)
	s.save(func(ctx context.Context) error { return s.w.book.SaveRecords(ctx, rs) }, func() {
		s.w.app.Clipboard().SetContent(msg)
		s.setNote(i18n.T("today.greeted", "Count", n))
	})
}

// claim marks an item (or a group) as being done; false when it already is.
func (s *todayScreen) claim(key string) bool {
	if s.busy[key] {
		return false
	}
	if s.busy == nil {
		s.busy = map[string]bool{}
	}
	s.busy[key] = true
	return true
}

// save runs a write off the UI goroutine, then reloads the plan (and what shows records).
func (s *todayScreen) save(op func(context.Context) error, done func()) {
	s.w.async(func() func() {
		err := op(context.Background())
		return func() {
			var es crm.Errors
			if err != nil {
				s.busy = nil // let the user try again
			}
			switch {
			case errors.As(err, &es):
				s.setNote(i18n.T("today.save_failed", "Error", fieldErrorText(&es[0])))
			case err != nil:
				s.setNote(i18n.T("today.save_failed", "Error", err))
			default:
				done()
				s.w.afterRecordChange()
			}
		}
	})
}

// onSnooze asks until when to put the item off.
func (s *todayScreen) onSnooze(it *crm.PlanItem) {
	if s.day != s.w.today() {
		return
	}
	var d dialog.Dialog
	pick := func(days int) *widget.Button {
		label := i18n.T("today.snooze_days", "Days", days, "Date", shortDate(s.day.AddDays(days)))
		if days == 1 {
			label = i18n.T("today.snooze_tomorrow", "Date", shortDate(s.day.AddDays(1)))
		}
		b := widget.NewButton(label, func() { d.Hide(); s.snooze(it, s.day.AddDays(days)) })
		s.snoozeChoices = append(s.snoozeChoices, b)
		return b
	}
	s.snoozeChoices = nil
	entry := newDateField(func() crm.Date { return s.day.AddDays(1) })
	var bad *widget.Label
	entry.OnChanged = func(until crm.Date) {
		if until <= s.day {
			bad.SetText(i18n.T("today.snooze_after", "Date", shortDate(s.day)))
			bad.Show()
			return
		}
		d.Hide()
		s.snooze(it, until)
	}
	bad = widget.NewLabel("")
	bad.Importance = widget.DangerImportance
	bad.Wrapping = fyne.TextWrapWord
	bad.Hide()
	s.snoozeDate, s.snoozeBad = entry, bad
	entry.OnInvalid = func(msg string) { bad.SetText(msg); bad.Show() }
	body := container.NewVBox(widget.NewLabel(i18n.T("today.snooze_text", "Name", it.Customer.DisplayName())),
		pick(1), pick(3), pick(7), widget.NewLabel(i18n.T("today.snooze_pick")), entry, bad)
	d = dialog.NewCustom(i18n.T("today.snooze_title"), i18n.T("common.cancel"), body, s.w.win)
	s.snoozeDialog = d
	d.Show()
}

// snooze hides the item until the day until.
func (s *todayScreen) snooze(it *crm.PlanItem, until crm.Date) {
	z := crm.Snooze{CustomerID: it.Customer.ID, Reason: it.Reason, Ref: it.Ref, Until: until}
	name := it.Customer.DisplayName()
	s.save(func(ctx context.Context) error { return s.w.book.Snooze(ctx, z) }, func() {
		s.setNote(i18n.T("today.snoozed", "Name", name, "Date", shortDate(until)))
	})
}

// onOpen shows the item's customer on the Customers screen.
func (s *todayScreen) onOpen(it *crm.PlanItem) {
	s.w.show(s.w.customers)
	s.w.customers.open(it.Customer.ID)
}
