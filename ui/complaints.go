package ui

import (
	"context"
	"fmt"
	"math"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"carebook/assets/i18n"
	"carebook/crm"
)

// Periods of the complaints screen's filter, in display order.
const (
	periodAll   = "all"
	period30    = "30"
	period90    = "90"
	periodMonth = "month"
	periodYear  = "year"
)

// Key prefixes of the period and status choices ("complaints.period_30", "complaints.status_open"…).
const (
	complaintKeyPeriod = "complaints.period_"
	complaintKeyStatus = "complaints.status_"
)

var complaintPeriods = []string{periodAll, period30, period90, periodMonth, periodYear}

// complaintStatuses are the status filter's values, in display order ("" = all).
var complaintStatuses = []crm.ComplaintStatus{crm.ComplaintOpen, crm.ComplaintClosed, ""}

// complaintsScreen lists the complaints (客诉) with their deadlines, and analyses them
// (投诉分析). It loads again each time it is shown and after every change.
type complaintsScreen struct {
	w    *Window
	root fyne.CanvasObject
	tabs *container.AppTabs

	status   *widget.Select
	category *widget.Select
	severity *widget.Select
	period   *widget.Select
	newBtn   *widget.Button
	count    *widget.Label
	loadErr  *widget.Label

	day  crm.Date
	cal  crm.WorkCalendar
	rows []crm.ComplaintRow
	// any is whether the book holds any complaint at all (the empty state says what to do).
	any      bool
	gen      int
	list     *widget.List
	empty    *widget.Label
	listBody *fyne.Container

	analysis      crm.ComplaintAnalysis
	totals        *widget.Label
	onTime        *widget.Label
	avgClose      *widget.Label
	avgSat        *widget.Label
	byCategory    *barChart
	bySeverity    *barChart
	bySteps       *barChart
	analysisEmpty *widget.Label
	analysisBody  *fyne.Container
	charts        fyne.CanvasObject
}

func newComplaintsScreen(w *Window) *complaintsScreen {
	s := &complaintsScreen{w: w}
	s.buildUI()
	return s
}

func (s *complaintsScreen) title() string       { return i18n.T("nav.complaints") }
func (s *complaintsScreen) icon() fyne.Resource { return theme.WarningIcon() }

// content loads again each time the screen is shown: complaints change on cards and Today.
func (s *complaintsScreen) content() fyne.CanvasObject {
	s.reload()
	return s.root
}

// restoreFilters puts back the list's filters of the last start and remembers each change.
func (s *complaintsScreen) restoreFilters() {
	w := s.w
	w.rememberSelect(s.status, prefComplaintsStatus, prefValues(false, complaintStatuses))
	w.rememberSelect(s.category, prefComplaintsCategory, prefValues(true, crm.ComplaintCategories))
	w.rememberSelect(s.severity, prefComplaintsSeverity, prefValues(true, crm.Severities))
	w.rememberSelect(s.period, prefComplaintsPeriod, complaintPeriods)
}

func (s *complaintsScreen) buildUI() {
	s.status = widget.NewSelect(labelsOf(complaintStatuses, complaintStatusLabel), func(string) { s.reload() })
	s.status.SetSelectedIndex(0)
	s.category = widget.NewSelect(append([]string{i18n.T("complaints.all_categories")},
		labelsOf(crm.ComplaintCategories, categoryLabel)...), func(string) { s.reload() })
	s.category.SetSelectedIndex(0)
	s.severity = widget.NewSelect(append([]string{i18n.T("complaints.all_severities")},
		labelsOf(crm.Severities, severityLabel)...), func(string) { s.reload() })
	s.severity.SetSelectedIndex(0)
	s.period = widget.NewSelect(labelsOf(complaintPeriods, func(p string) string { return i18n.T(complaintKeyPeriod + p) }),
		func(string) { s.reload() })
	s.period.SetSelectedIndex(0)
	s.newBtn = widget.NewButtonWithIcon(i18n.T("complaints.new"), theme.ContentAddIcon(), s.onNew)
	s.newBtn.Importance = widget.HighImportance
	s.count = widget.NewLabel("")
	s.loadErr = errorLabel()

	s.list = widget.NewList(func() int { return len(s.rows) }, s.newRow, s.updateRow)
	s.list.OnSelected = s.onSelect
	s.empty = widget.NewLabel("")
	s.empty.Alignment = fyne.TextAlignCenter
	s.empty.Wrapping = fyne.TextWrapWord
	s.listBody = container.NewStack(s.list)

	primary := chartSeries{color: theme.ColorNamePrimary}
	s.byCategory = newBarChart([]chartSeries{primary}, nil)
	s.bySeverity = newBarChart([]chartSeries{primary}, nil)
	s.bySteps = newBarChart([]chartSeries{primary}, nil)
	s.totals = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	figure := func() *widget.Label {
		l := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		l.SizeName = theme.SizeNameSubHeadingText
		return l
	}
	s.onTime, s.avgClose, s.avgSat = figure(), figure(), figure()
	card := func(titleKey string, body fyne.CanvasObject) fyne.CanvasObject {
		return widget.NewCard(i18n.T(titleKey), "", body)
	}
	s.charts = container.NewVScroll(container.NewVBox(
		s.totals,
		container.NewGridWithColumns(3,
			card("complaints.on_time", container.NewVBox(s.onTime, hintLabel(i18n.T("complaints.on_time_hint")))),
			card("complaints.avg_close", s.avgClose),
			card("complaints.avg_satisfaction", s.avgSat)),
		container.NewGridWithColumns(2,
			card("complaints.by_category", s.byCategory),
			card("complaints.by_severity", s.bySeverity)),
		card("complaints.by_step", container.NewBorder(hintLabel(i18n.T("complaints.by_step_hint")), nil, nil, nil, s.bySteps)),
	))
	s.analysisEmpty = widget.NewLabel(i18n.T("complaints.analysis_empty"))
	s.analysisEmpty.Alignment = fyne.TextAlignCenter
	s.analysisEmpty.Wrapping = fyne.TextWrapWord
	s.analysisBody = container.NewStack(s.charts)

	filters := container.NewHBox(
		container.NewGridWrap(fyne.NewSize(130, s.status.MinSize().Height), s.status),
		container.NewGridWrap(fyne.NewSize(150, s.status.MinSize().Height), s.category),
		container.NewGridWrap(fyne.NewSize(150, s.status.MinSize().Height), s.severity),
		container.NewGridWrap(fyne.NewSize(150, s.status.MinSize().Height), s.period),
		s.count, layout.NewSpacer(), s.newBtn)
	listTab := container.NewBorder(nil, nil, nil, nil, s.listBody)
	s.tabs = container.NewAppTabs(
		container.NewTabItemWithIcon(i18n.T("complaints.tab_list"), theme.ListIcon(), listTab),
		container.NewTabItemWithIcon(i18n.T("complaints.tab_analysis"), theme.GridIcon(), s.analysisBody),
	)
	s.root = container.NewBorder(container.NewVBox(filters, s.loadErr), nil, nil, nil, s.tabs)
	s.restoreFilters()
}

func complaintStatusLabel(st crm.ComplaintStatus) string {
	if st == "" {
		return i18n.T("complaints.status_all")
	}
	return i18n.T(complaintKeyStatus + string(st))
}

// periodRange is the received-date range of the chosen period on day d (zero: unbounded).
func (s *complaintsScreen) periodRange(d crm.Date) (from, to crm.Date) {
	i := s.period.SelectedIndex()
	if i < 0 {
		return 0, 0
	}
	switch complaintPeriods[i] {
	case period30:
		return d.AddDays(-29), d
	case period90:
		return d.AddDays(-89), d
	case periodMonth:
		y, m, _ := d.YMD()
		return crm.NewDate(y, m, 1), d
	case periodYear:
		return crm.NewDate(d.Year(), 1, 1), d
	}
	return 0, 0
}

// query is the list's filter as chosen in the bar, on day d.
func (s *complaintsScreen) query(d crm.Date) crm.ComplaintQuery {
	var q crm.ComplaintQuery
	if i := s.status.SelectedIndex(); i >= 0 {
		q.Status = complaintStatuses[i]
	}
	if i := s.category.SelectedIndex(); i > 0 {
		q.Category = crm.ComplaintCategories[i-1]
	}
	if i := s.severity.SelectedIndex(); i > 0 {
		q.Severity = crm.Severities[i-1]
	}
	q.From, q.To = s.periodRange(d)
	return q
}

// reload reads the list and the analysis of the chosen period in the background.
func (s *complaintsScreen) reload() {
	if s.list == nil {
		return
	}
	s.gen++
	gen := s.gen
	day := s.w.today()
	q := s.query(day)
	book := s.w.book
	s.w.async(func() func() {
		ctx := context.Background()
		rows, all, cal, anyRows, err := loadComplaintViews(ctx, book, q)
		a := crm.AnalyseComplaints(complaintsOf(all), cal, q.From, q.To, day)
		return func() {
			if gen != s.gen {
				return
			}
			if err != nil {
				setError(s.loadErr, i18n.T("complaints.load_failed", "Error", err))
				return
			}
			setError(s.loadErr, "")
			s.day, s.cal, s.rows, s.analysis, s.any = day, cal, rows, a, anyRows
			s.show()
		}
	})
}

// loadComplaintViews reads every complaint of q's period (for the analysis) and, among them, those
// matching q, the calendar, and whether the book holds any complaint.
func loadComplaintViews(ctx context.Context, book Book, q crm.ComplaintQuery) (rows, all []crm.ComplaintRow,
	cal crm.WorkCalendar, anyRows bool, err error) {
	if cal, err = book.WorkCalendar(ctx); err != nil {
		return nil, nil, cal, false, err
	}
	if all, err = book.ComplaintRows(ctx, crm.ComplaintQuery{From: q.From, To: q.To}); err != nil {
		return nil, nil, cal, false, err
	}
	for i := range all {
		if q.Matches(&all[i].Complaint) {
			rows = append(rows, all[i])
		}
	}
	anyRows = len(all) > 0
	if !anyRows && (q.From != 0 || q.To != 0) {
		sum, err := book.ComplaintSummary(ctx, 0, 0)
		if err != nil {
			return nil, nil, cal, false, err
		}
		anyRows = sum.Total > 0
	}
	return rows, all, cal, anyRows, nil
}

func complaintsOf(rows []crm.ComplaintRow) []crm.Complaint {
	out := make([]crm.Complaint, len(rows))
	for i := range rows {
		out[i] = rows[i].Complaint
	}
	return out
}

// show puts the loaded rows and analysis on screen.
func (s *complaintsScreen) show() {
	s.count.SetText(i18n.T("complaints.count", "Count", len(s.rows)))
	switch {
	case len(s.rows) > 0:
		s.listBody.Objects = []fyne.CanvasObject{s.list}
	case !s.any:
		s.empty.SetText(i18n.T("complaints.empty"))
		s.listBody.Objects = []fyne.CanvasObject{s.emptyBox()}
	default:
		s.empty.SetText(i18n.T("complaints.none_match"))
		s.listBody.Objects = []fyne.CanvasObject{s.emptyBox()}
	}
	s.listBody.Refresh()
	s.list.UnselectAll()
	s.list.Refresh()
	s.showAnalysis()
}

func (s *complaintsScreen) emptyBox() fyne.CanvasObject {
	return container.NewCenter(container.NewGridWrap(fyne.NewSize(480, 130), s.empty))
}

func (s *complaintsScreen) showAnalysis() {
	a := s.analysis
	if a.Total == 0 {
		s.analysisBody.Objects = []fyne.CanvasObject{container.NewCenter(container.NewGridWrap(fyne.NewSize(480, 130), s.analysisEmpty))}
		s.analysisBody.Refresh()
		return
	}
	s.analysisBody.Objects = []fyne.CanvasObject{s.charts}
	s.analysisBody.Refresh()
	s.totals.SetText(i18n.T("complaints.totals", "Total", a.Total, "Open", a.Open, "Closed", a.Closed, "Overdue", a.Overdue))
	if rate, ok := a.OnTimeRate(); ok {
		s.onTime.SetText(i18n.T("complaints.on_time_value", "Percent", int(math.Round(rate*100)), "OnTime", a.OnTime, "Known", a.Known))
	} else {
		s.onTime.SetText(i18n.T("complaints.no_value"))
	}
	if a.Closed > 0 {
		s.avgClose.SetText(i18n.T("complaints.avg_close_value", "Days", strconv.FormatFloat(a.AvgDaysToClose, 'f', 1, 64)))
	} else {
		s.avgClose.SetText(i18n.T("complaints.no_value"))
	}
	if a.Rated > 0 {
		s.avgSat.SetText(i18n.T("complaints.avg_satisfaction_value", "Avg", strconv.FormatFloat(a.AvgSatisfaction, 'f', 1, 64), "Count", a.Rated))
	} else {
		s.avgSat.SetText(i18n.T("complaints.no_value"))
	}
	var cats, sevs, steps []chartItem
	for _, c := range crm.ComplaintCategories {
		cats = append(cats, chartItem{key: string(c), label: categoryLabel(c), values: []int{a.ByCategory[c]}})
	}
	for _, v := range crm.Severities {
		sevs = append(sevs, chartItem{key: string(v), label: severityLabel(v), values: []int{a.BySeverity[v]}})
	}
	for _, st := range crm.ComplaintSteps {
		steps = append(steps, chartItem{key: string(st), label: stepLabel(st), values: []int{a.ByStep[st]}})
	}
	s.byCategory.setItems(cats)
	s.bySeverity.setItems(sevs)
	s.bySteps.setItems(steps)
}

// complaintRowView is one row of the list: its widgets.
type complaintRowView struct {
	widget.BaseWidget
	received, customer, category, severity, title, steps, due *widget.Label
	box                                                       *fyne.Container
}

func (v *complaintRowView) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(v.box)
}

func (s *complaintsScreen) newRow() fyne.CanvasObject {
	v := &complaintRowView{}
	v.received = widget.NewLabel("2026-11-22")
	v.customer = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.category, v.severity = widget.NewLabel(""), widget.NewLabel("")
	v.title = widget.NewLabel("")
	v.title.Truncation = fyne.TextTruncateEllipsis
	v.steps = widget.NewLabel("")
	v.due = widget.NewLabel("")
	fixed := func(width float32, l *widget.Label) fyne.CanvasObject {
		l.Truncation = fyne.TextTruncateEllipsis
		return container.NewGridWrap(fyne.NewSize(width, l.MinSize().Height), l)
	}
	left := container.NewHBox(fixed(100, v.received), fixed(150, v.customer), fixed(70, v.category), fixed(70, v.severity))
	right := container.NewHBox(fixed(90, v.steps), fixed(170, v.due))
	v.box = container.NewBorder(nil, nil, left, right, v.title)
	v.ExtendBaseWidget(v)
	return v
}

func (s *complaintsScreen) updateRow(i widget.ListItemID, o fyne.CanvasObject) {
	if i >= len(s.rows) {
		return
	}
	v := o.(*complaintRowView)
	r := &s.rows[i]
	v.received.SetText(r.Received.String())
	name := r.CustomerName
	if r.Archived {
		name = i18n.T("complaints.archived", "Name", name)
	}
	v.customer.SetText(name)
	v.category.SetText(categoryLabel(r.Category))
	v.severity.SetText(severityLabel(r.Severity))
	title := crm.ComplaintTitle(r.Description)
	if title == "" {
		title = i18n.T("complaints.no_description")
	}
	v.title.SetText(title)
	v.steps.SetText(i18n.T("complaints.steps_done", "Done", crm.ComplaintStepsDone(&r.Complaint)))
	text, importance := complaintDueText(&r.Complaint, s.cal, s.day)
	v.due.Importance = importance
	v.due.SetText(text)
}

// complaintDueText is where complaint c stands on day as the complaints list and the card show
// it: closed on its day, or open with its next deadline (crm.ComplaintDeadlineOn: the steps
// taken by then count), with the importance to show it in (danger once passed, warning on the
// day).
func complaintDueText(c *crm.Complaint, cal crm.WorkCalendar, day crm.Date) (string, widget.Importance) {
	if !c.Closed.IsZero() {
		return i18n.T("complaints.closed_on", "Date", c.Closed.String()), widget.SuccessImportance
	}
	x := crm.ComplaintDeadlineOn(c, cal, day)
	if !x.Open { // received after day
		x.Due = crm.ComplaintDue(c.Severity, c.Received, c.LatestStep(), cal)
	}
	switch {
	case x.Overdue():
		return i18n.T("complaints.overdue", "Days", x.OverdueDays), widget.DangerImportance
	case x.Due == day:
		return i18n.T("complaints.due_today"), widget.WarningImportance
	}
	return i18n.T("complaints.due", "Date", x.Due.String()), widget.MediumImportance
}

func (s *complaintsScreen) onSelect(i widget.ListItemID) {
	s.list.UnselectAll()
	if i >= len(s.rows) {
		return
	}
	c := s.rows[i].Complaint
	s.w.editComplaint(c.CustomerID, &c, s.reload)
}

func (s *complaintsScreen) onNew() {
	s.w.editComplaint(0, nil, s.reload)
}

// String is for test failures.
func (v *complaintRowView) String() string {
	return fmt.Sprintf("%s %s %s %s %s %s %s", v.received.Text, v.customer.Text, v.category.Text, v.severity.Text,
		v.title.Text, v.steps.Text, v.due.Text)
}
