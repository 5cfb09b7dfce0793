package ui

import (
	"cmp"
	"context"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"carebook/assets/i18n"
	"carebook/crm"
)

// cardServe is the card's "Services & complaints" tab (服务与客诉): the customer's service
// appointments (open ones that are overdue stand out, and one click marks one done today) and
// complaints with their deadlines. A row opens its editor.
type cardServe struct {
	w    *Window
	card *cardEditor

	status     *widget.Label // why a load or a "done" failed
	svcHead    *widget.Label
	svcList    *widget.List
	svcEmpty   *widget.Label
	cmpHead    *widget.Label
	cmpList    *widget.List
	cmpEmpty   *widget.Label
	services   []crm.Service
	complaints []crm.Complaint
	cal        crm.WorkCalendar
	loadedID   int64 // customer whose services and complaints are shown
	root       fyne.CanvasObject
}

func newCardServe(w *Window, card *cardEditor) *cardServe {
	s := &cardServe{w: w, card: card}
	s.buildUI()
	return s
}

func (s *cardServe) buildUI() {
	s.status = errorLabel()
	heading := func() *widget.Label {
		return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	empty := func() *widget.Label {
		l := widget.NewLabel("")
		l.Wrapping = fyne.TextWrapWord
		l.Alignment = fyne.TextAlignCenter
		return l
	}
	s.svcHead, s.cmpHead = heading(), heading()
	s.svcEmpty, s.cmpEmpty = empty(), empty()
	s.svcList = widget.NewList(func() int { return len(s.services) }, s.newRow, s.updateServiceRow)
	s.svcList.OnSelected = s.onSelectService
	s.cmpList = widget.NewList(func() int { return len(s.complaints) }, s.newRow, s.updateComplaintRow)
	s.cmpList.OnSelected = s.onSelectComplaint
	section := func(head *widget.Label, list *widget.List, empty *widget.Label) fyne.CanvasObject {
		return container.NewBorder(container.NewVBox(head, widget.NewSeparator()), nil, nil, nil,
			container.NewStack(list, container.NewVBox(empty)))
	}
	split := container.NewVSplit(section(s.svcHead, s.svcList, s.svcEmpty), section(s.cmpHead, s.cmpList, s.cmpEmpty))
	split.SetOffset(0.55)
	s.root = container.NewBorder(s.status, nil, nil, nil, split)
	s.show()
}

// cardServeRow is one row of either list; updateRow finds its widgets through it.
type cardServeRow struct {
	widget.BaseWidget
	box  *fyne.Container
	icon *widget.Icon
	head *widget.Label
	body *widget.Label
	when *widget.Label
	done *widget.Button
}

func (r *cardServeRow) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(r.box) }

func (s *cardServe) newRow() fyne.CanvasObject {
	r := &cardServeRow{
		icon: widget.NewIcon(theme.CalendarIcon()),
		head: widget.NewLabelWithStyle("head", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		body: widget.NewLabel("body"),
		when: widget.NewLabel("when"),
		done: widget.NewButtonWithIcon(i18n.T("cardserve.done"), theme.ConfirmIcon(), nil),
	}
	r.head.Truncation = fyne.TextTruncateEllipsis
	r.body.Truncation = fyne.TextTruncateEllipsis
	r.box = container.NewBorder(nil, nil, r.icon, container.NewHBox(container.NewCenter(r.when), container.NewCenter(r.done)),
		container.NewVBox(r.head, r.body))
	r.ExtendBaseWidget(r)
	return r
}

func (s *cardServe) updateServiceRow(i widget.ListItemID, o fyne.CanvasObject) {
	r := o.(*cardServeRow)
	defer r.box.Refresh()
	if i >= len(s.services) {
		return
	}
	v := s.services[i]
	r.icon.SetResource(theme.CalendarIcon())
	r.head.SetText(v.Date.String() + " · " + serviceKindLabel(v.Kind) + " · " + v.Title)
	r.body.SetText(firstLine(v.Notes))
	text, importance := serviceWhen(v, s.w.today())
	r.when.Importance = importance
	r.when.SetText(text)
	if v.Status == crm.ServiceOpen {
		r.done.OnTapped = func() { s.markDone(v.ID) }
		r.done.Show()
	} else {
		r.done.OnTapped = nil
		r.done.Hide()
	}
}

// serviceWhen says where appointment v stands on day today: done, overdue (highlighted), due
// today or coming.
func serviceWhen(v crm.Service, today crm.Date) (string, widget.Importance) {
	switch {
	case v.Status == crm.ServiceDone:
		if v.DoneDate.IsZero() {
			return serviceStatusLabel(crm.ServiceDone), widget.SuccessImportance
		}
		return i18n.T("cardserve.done_on", "Date", v.DoneDate.String()), widget.SuccessImportance
	case v.Date < today:
		return i18n.T("cardserve.overdue", "Days", today.Sub(v.Date)), widget.DangerImportance
	case v.Date == today:
		return i18n.T("cardserve.due_today"), widget.WarningImportance
	}
	return i18n.T("cardserve.in_days", "Days", v.Date.Sub(today)), widget.MediumImportance
}

func (s *cardServe) updateComplaintRow(i widget.ListItemID, o fyne.CanvasObject) {
	r := o.(*cardServeRow)
	defer r.box.Refresh()
	if i >= len(s.complaints) {
		return
	}
	c := s.complaints[i]
	r.icon.SetResource(theme.WarningIcon())
	head := c.Received.String() + " · " + severityLabel(c.Severity)
	if c.Category != "" {
		head += " · " + categoryLabel(c.Category)
	}
	r.head.SetText(head)
	title := firstLine(c.Description)
	if title == "" {
		title = i18n.T("cardserve.no_description")
	}
	r.body.SetText(title)
	text, importance := complaintDueText(&c, s.cal, s.w.today())
	r.when.Importance = importance
	r.when.SetText(text)
	r.done.OnTapped = nil
	r.done.Hide()
}

// sortServices puts the open appointments first, the earliest (most overdue) on top, then the
// done ones, the latest first.
func sortServices(vs []crm.Service) []crm.Service {
	slices.SortStableFunc(vs, func(a, b crm.Service) int {
		aOpen, bOpen := a.Status == crm.ServiceOpen, b.Status == crm.ServiceOpen
		switch {
		case aOpen != bOpen:
			if aOpen {
				return -1
			}
			return 1
		case aOpen:
			return cmp.Or(cmp.Compare(a.Date, b.Date), cmp.Compare(a.ID, b.ID))
		}
		return cmp.Or(cmp.Compare(b.Date, a.Date), cmp.Compare(b.ID, a.ID))
	})
	return vs
}

// customerID is the saved customer on the card, or 0.
func (s *cardServe) customerID() int64 {
	if c := s.card.customer; c != nil {
		return c.ID
	}
	return 0
}

// load shows the services and complaints of the card's customer, read off the UI goroutine.
func (s *cardServe) load() {
	id := s.customerID()
	if id == 0 {
		s.loadedID = 0
		s.services, s.complaints = nil, nil
		s.show()
		return
	}
	book := s.w.book
	s.w.async(func() func() {
		ctx := context.Background()
		vs, err := book.Services(ctx, id)
		var cs []crm.Complaint
		if err == nil {
			cs, err = book.Complaints(ctx, id)
		}
		var cal crm.WorkCalendar
		if err == nil {
			cal, err = book.WorkCalendar(ctx)
		}
		return func() {
			if s.customerID() != id {
				return // another card meanwhile
			}
			if err != nil {
				setError(s.status, i18n.T("customers.load_failed", "Error", err))
				return
			}
			setError(s.status, "")
			s.loadedID = id
			s.services, s.complaints, s.cal = sortServices(vs), cs, cal
			s.show()
		}
	})
}

func (s *cardServe) show() {
	open, pending := 0, 0
	for _, v := range s.services {
		if v.Status == crm.ServiceOpen {
			open++
		}
	}
	for _, c := range s.complaints {
		if c.Closed.IsZero() {
			pending++
		}
	}
	s.svcHead.SetText(i18n.T("cardserve.services_head", "Count", len(s.services), "Open", open))
	s.cmpHead.SetText(i18n.T("cardserve.complaints_head", "Count", len(s.complaints), "Open", pending))
	switch {
	case s.customerID() == 0:
		s.svcEmpty.SetText(i18n.T("cardserve.save_first"))
		s.svcEmpty.Show()
		s.cmpEmpty.Hide()
	default:
		s.svcEmpty.SetText(i18n.T("cardserve.no_services"))
		s.svcEmpty.Hidden = len(s.services) > 0
		s.cmpEmpty.SetText(i18n.T("cardserve.no_complaints"))
		s.cmpEmpty.Hidden = len(s.complaints) > 0
	}
	s.svcEmpty.Refresh()
	s.cmpEmpty.Refresh()
	s.svcList.UnselectAll()
	s.cmpList.UnselectAll()
	s.svcList.Refresh()
	s.cmpList.Refresh()
}

// changed reloads what shows services and complaints after a save: this tab and Today.
func (s *cardServe) changed() {
	s.load()
	if s.w.todayView != nil {
		s.w.todayView.reload()
	}
}

// onSchedule schedules a service for the card's customer (the card's quick action).
func (s *cardServe) onSchedule() {
	if id := s.customerID(); id != 0 {
		s.w.editService(id, nil, s.changed)
	}
}

// onNewComplaint records a complaint of the card's customer (the card's quick action).
func (s *cardServe) onNewComplaint() {
	if id := s.customerID(); id != 0 {
		s.w.editComplaint(id, nil, s.changed)
	}
}

func (s *cardServe) onSelectService(i widget.ListItemID) {
	s.svcList.UnselectAll()
	if i >= len(s.services) {
		return
	}
	v := s.services[i]
	s.w.editService(v.CustomerID, &v, s.changed)
}

func (s *cardServe) onSelectComplaint(i widget.ListItemID) {
	s.cmpList.UnselectAll()
	if i >= len(s.complaints) {
		return
	}
	c := s.complaints[i]
	s.w.editComplaint(c.CustomerID, &c, s.changed)
}

// markDone marks open appointment id done today, off the UI goroutine.
func (s *cardServe) markDone(id int64) {
	var v crm.Service
	found := false
	for _, x := range s.services {
		if x.ID == id {
			v, found = x, true
		}
	}
	if !found || v.Status != crm.ServiceOpen {
		return
	}
	v.Status, v.DoneDate = crm.ServiceDone, s.w.today()
	book := s.w.book
	s.w.persist(func(ctx context.Context) error { return book.SaveService(ctx, &v) },
		func(es crm.Errors) { setError(s.status, i18n.T("cardserve.done_failed", "Title", v.Title)) },
		func(msg string) { setError(s.status, msg) }, nil, s.changed)
}
