package ui

import (
	"context"
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"carebook/assets/i18n"
	"carebook/crm"
)

// InsightBook is what the Insights screen needs from the book (besides Search, for the names of
// a bar's customers).
type InsightBook interface {
	InsightStats(ctx context.Context, d crm.Date) (*crm.BookStats, error)
}

// insightsScreen is Insights (洞察, PRODUCT.md §6): holdings over the year, contacts per week,
// customers by lifecycle stage, churn state, RFM segment and tier (own and suggested), and how
// the 1-3-7 follow-ups went. It counts in the background each time it is shown; a bar opens the
// list of its customers.
type insightsScreen struct {
	w *Window

	day   crm.Date
	stats *crm.BookStats
	gen   int // generation of the latest load; older answers are dropped

	dayLabel *widget.Label
	summary  *widget.Label
	refresh  *widget.Button
	status   *widget.Label // loading, updating, or the error
	tapHint  *widget.Label
	body     *fyne.Container
	charts   fyne.CanvasObject
	empty    fyne.CanvasObject

	holdings, contacts                   *barChart
	stages, churn, segments, tiers, plan *barChart
	holdingsHint, planHint               *widget.Label
	planPercent                          *widget.Label
	root                                 fyne.CanvasObject

	// list is the open list of a bar's customers (tests use it).
	list *customerListDialog
}

// Chart keys: which chart a bar belongs to.
const (
	chartHoldings = "holdings"
	chartContacts = "contacts"
	chartStages   = "stages"
	chartChurn    = "churn"
	chartSegments = "segments"
	chartTiers    = "tiers"
	chartPlan     = "plan"
)

func newInsightsScreen(w *Window) *insightsScreen {
	s := &insightsScreen{w: w}
	s.buildUI()
	return s
}

func (s *insightsScreen) title() string       { return i18n.T("nav.insights") }
func (s *insightsScreen) icon() fyne.Resource { return theme.GridIcon() }

// content counts again each time the screen is shown: cards, purchases and records change
// elsewhere.
func (s *insightsScreen) content() fyne.CanvasObject {
	s.reload()
	return s.root
}

func (s *insightsScreen) buildUI() {
	s.dayLabel = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.summary = widget.NewLabel("")
	s.summary.Truncation = fyne.TextTruncateEllipsis
	s.refresh = widget.NewButtonWithIcon(i18n.T("insights.refresh"), theme.ViewRefreshIcon(), s.reload)
	s.status = widget.NewLabel("")
	s.status.Importance = widget.LowImportance
	s.status.Hide()

	tap := func(chart string) func(key string, series int) {
		return func(key string, series int) { s.onBar(chart, key, series) }
	}
	primary := chartSeries{color: theme.ColorNamePrimary}
	s.holdings = newColumnChart(primary, tap(chartHoldings))
	s.contacts = newColumnChart(primary, tap(chartContacts))
	s.stages = newBarChart([]chartSeries{primary}, tap(chartStages))
	s.churn = newBarChart([]chartSeries{primary}, tap(chartChurn))
	s.segments = newBarChart([]chartSeries{primary}, tap(chartSegments))
	s.tiers = newBarChart([]chartSeries{
		{name: i18n.T("insights.tier_own"), color: theme.ColorNamePrimary},
		{name: i18n.T("insights.tier_suggested"), color: theme.ColorNameWarning},
	}, tap(chartTiers))
	s.plan = newBarChart([]chartSeries{primary}, tap(chartPlan))

	s.holdingsHint = hintLabel("")
	s.planHint = hintLabel("")
	s.planPercent = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.planPercent.SizeName = theme.SizeNameSubHeadingText

	card := func(titleKey string, hint *widget.Label, chart fyne.CanvasObject) fyne.CanvasObject {
		return widget.NewCard(i18n.T(titleKey), "", container.NewBorder(hint, nil, nil, nil, chart))
	}
	planBox := container.NewBorder(nil, nil, container.NewVBox(s.planPercent, hintLabel(i18n.T("insights.plan_note"))), nil, s.plan)
	s.charts = container.NewVScroll(container.NewVBox(
		container.NewGridWithColumns(2,
			card("insights.holdings", s.holdingsHint, s.holdings),
			card("insights.contacts", hintLabel(i18n.T("insights.contacts_hint")), s.contacts)),
		container.NewGridWithColumns(2,
			card("insights.stages", hintLabel(i18n.T("insights.stages_hint")), s.stages),
			card("insights.segments", hintLabel(i18n.T("insights.segments_hint")), s.segments)),
		container.NewGridWithColumns(2,
			card("insights.churn", hintLabel(i18n.T("insights.churn_hint")), s.churn),
			card("insights.tiers", hintLabel(i18n.T("insights.tiers_hint")), s.tiers)),
		card("insights.plan", s.planHint, planBox),
	))

	newCustomer := widget.NewButtonWithIcon(i18n.T("insights.new_customer"), theme.ContentAddIcon(), func() {
		s.w.show(s.w.customers)
		s.w.customers.onNew()
	})
	newCustomer.Importance = widget.HighImportance
	importBtn := widget.NewButtonWithIcon(i18n.T("insights.import"), theme.DownloadIcon(), s.w.onImport)
	emptyText := widget.NewLabel(i18n.T("insights.empty"))
	emptyText.Wrapping = fyne.TextWrapWord
	emptyText.Alignment = fyne.TextAlignCenter
	s.empty = container.NewCenter(container.NewVBox(
		container.NewGridWrap(fyne.NewSize(460, 110), emptyText),
		container.NewCenter(container.NewHBox(newCustomer, importBtn))))

	s.body = container.NewStack()
	header := container.NewBorder(nil, nil, s.dayLabel, container.NewHBox(s.status, s.refresh), s.summary)
	s.tapHint = hintLabel(i18n.T("insights.tap_hint"))
	s.tapHint.Hide()
	s.root = container.NewBorder(container.NewVBox(header, s.tapHint, widget.NewSeparator()), nil, nil, nil, s.body)
}

// hintLabel is a small explanatory line.
func hintLabel(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.SizeName = theme.SizeNameCaptionText
	l.Wrapping = fyne.TextWrapWord
	return l
}

func (s *insightsScreen) setStatus(text string) {
	s.status.SetText(text)
	if text == "" {
		s.status.Hide()
	} else {
		s.status.Show()
	}
}

// reload counts the book of today in the background; until the first answer the screen says
// it is counting, later ones replace the charts in place.
func (s *insightsScreen) reload() {
	s.gen++
	gen, day, book := s.gen, s.w.today(), s.w.book
	s.day = day
	s.dayLabel.SetText(i18n.T("insights.as_of", "Date", day.String()))
	s.refresh.Disable()
	if s.stats == nil {
		s.setStatus("")
		s.showBody(emptyState(i18n.T("insights.loading")))
	} else {
		s.setStatus(i18n.T("insights.updating"))
	}
	s.w.async(func() func() {
		ctx := context.Background()
		st, err := book.InsightStats(ctx, day)
		lost := crm.DefaultPlanSettings().Lost
		if ps, err := book.PlanSettings(ctx); err == nil {
			lost = ps.Lost
		}
		return func() {
			if gen != s.gen {
				return
			}
			s.refresh.Enable()
			if err != nil {
				s.setStatus("")
				s.showBody(emptyState(i18n.T("insights.failed", "Error", err)))
				return
			}
			s.setStatus("")
			s.show(st, lost)
		}
	})
}

func (s *insightsScreen) showBody(o fyne.CanvasObject) {
	if shown := o == s.charts; shown != s.tapHint.Visible() {
		if shown {
			s.tapHint.Show()
		} else {
			s.tapHint.Hide()
		}
		s.root.Refresh() // the header changed height: lay the screen out again
	}
	s.body.Objects = []fyne.CanvasObject{o}
	s.body.Refresh()
}

// show puts st in the charts; lost is the days after which a customer is lost (the holdings'
// rule).
func (s *insightsScreen) show(st *crm.BookStats, lost int) {
	s.stats = st
	if st.Customers == 0 {
		s.summary.SetText("")
		s.showBody(s.empty)
		return
	}
	held, contacts := 0, 0
	if n := len(st.Holdings); n > 0 {
		held = st.Holdings[n-1].Count
	}
	if n := len(st.Contacts); n > 0 {
		contacts = st.Contacts[n-1].Count
	}
	s.summary.SetText(i18n.T("insights.headline", "Customers", st.Customers, "Held", held, "Contacts", contacts))

	s.holdingsHint.SetText(i18n.T("insights.holdings_hint", "Days", lost))
	s.holdings.setItems(timeItems(st.Holdings, monthLabel))
	s.contacts.setItems(timeItems(st.Contacts, weekLabel))
	s.stages.setItems(categoryItems(st.Stages, "stage."))
	s.churn.setItems(categoryItems(st.Churn, "churn."))
	s.segments.setItems(categoryItems(st.Segments, "segment."))
	tiers := make([]chartItem, len(st.Tiers))
	for i, b := range st.Tiers {
		tiers[i] = chartItem{key: b.Key, label: i18n.T("tier." + b.Key), values: []int{b.Count, 0}}
		if i < len(st.SuggestedTiers) {
			tiers[i].values[1] = st.SuggestedTiers[i].Count
		}
	}
	s.tiers.setItems(tiers)
	p := &st.Plan
	s.planHint.SetText(i18n.T("insights.plan_hint", "From", shortDate(p.From), "To", shortDate(p.To), "Days", crm.PlanCompletionDays))
	if pct, ok := p.OnTimePercent(); ok {
		s.planPercent.SetText(i18n.T("insights.on_time_percent", "Percent", pct))
	} else {
		s.planPercent.SetText(i18n.T("insights.no_percent"))
	}
	s.plan.setItems([]chartItem{
		{key: p.OnTime.Key, label: i18n.T("insights.on_time"), values: []int{p.OnTime.Count}, color: theme.ColorNamePrimary},
		{key: p.Missed.Key, label: i18n.T("insights.missed"), values: []int{p.Missed.Count}, color: theme.ColorNameError},
		{key: p.Open.Key, label: i18n.T("insights.open"), values: []int{p.Open.Count}, color: theme.ColorNameWarning},
	})
	s.showBody(s.charts)
}

func categoryItems(bars []crm.Bar, prefix string) []chartItem {
	out := make([]chartItem, len(bars))
	for i, b := range bars {
		out[i] = chartItem{key: b.Key, label: i18n.T(prefix + b.Key), values: []int{b.Count}}
	}
	return out
}

func timeItems(bars []crm.Bar, label func(crm.Date) string) []chartItem {
	out := make([]chartItem, len(bars))
	for i, b := range bars {
		out[i] = chartItem{key: b.Key, label: label(b.Date), values: []int{b.Count}}
	}
	return out
}

// monthLabel names the month of d: "11月", "Nov".
func monthLabel(d crm.Date) string {
	_, m, _ := d.YMD()
	return i18n.T("insights.month", "Month", int(m), "MonthName", time.Month(m).String()[:3])
}

// weekLabel names a week by its Monday: "11/16".
func weekLabel(d crm.Date) string {
	_, m, day := d.YMD()
	return i18n.T("insights.week", "Month", int(m), "Day", day)
}

// barOf finds the bar of chart with key (and series, for the tiers) and names it for the list's
// title.
func (s *insightsScreen) barOf(chart, key string, series int) (crm.Bar, string, bool) {
	st := s.stats
	if st == nil {
		return crm.Bar{}, "", false
	}
	find := func(bars []crm.Bar) (crm.Bar, bool) {
		for _, b := range bars {
			if b.Key == key {
				return b, true
			}
		}
		return crm.Bar{}, false
	}
	var b crm.Bar
	var ok bool
	var title string
	switch chart {
	case chartHoldings:
		b, ok = find(st.Holdings)
		title = i18n.T("insights.held_on", "Date", shortDate(b.Date))
	case chartContacts:
		b, ok = find(st.Contacts)
		title = i18n.T("insights.week_of", "From", shortDate(b.Date), "To", shortDate(min(b.Date.AddDays(6), st.Date)))
	case chartStages:
		b, ok = find(st.Stages)
		title = i18n.T("insights.stages") + " · " + i18n.T("stage."+key)
	case chartChurn:
		b, ok = find(st.Churn)
		title = i18n.T("insights.churn") + " · " + i18n.T("churn."+key)
	case chartSegments:
		b, ok = find(st.Segments)
		title = i18n.T("insights.segments") + " · " + i18n.T("segment."+key)
	case chartTiers:
		if series == 1 {
			b, ok = find(st.SuggestedTiers)
			title = i18n.T("insights.tier_suggested") + " · " + i18n.T("tier."+key)
		} else {
			b, ok = find(st.Tiers)
			title = i18n.T("insights.tier_own") + " · " + i18n.T("tier."+key)
		}
	case chartPlan:
		for _, x := range []crm.Bar{st.Plan.OnTime, st.Plan.Missed, st.Plan.Open} {
			if x.Key == key {
				b, ok = x, true
			}
		}
		title = i18n.T("insights.plan") + " · " + i18n.T("insights."+key)
	}
	return b, title, ok
}

// onBar opens the list of the customers of a bar.
func (s *insightsScreen) onBar(chart, key string, series int) {
	b, title, ok := s.barOf(chart, key, series)
	if !ok || len(b.IDs) == 0 {
		return
	}
	s.list = showCustomerList(s.w, title, b.IDs)
}

// customerListDialog lists customers by id (a bar's), virtualised; choosing one opens the card.
type customerListDialog struct {
	w      *Window
	ids    []int64
	rows   []crm.Summary
	count  *widget.Label
	list   *widget.List
	dialog dialog.Dialog
}

// showCustomerList shows the customers ids (ascending) in a dialog titled title: their names are
// read in the background from the customer list, in its order.
func showCustomerList(w *Window, title string, ids []int64) *customerListDialog {
	d := &customerListDialog{w: w, ids: ids}
	d.count = widget.NewLabel(i18n.T("insights.list_loading"))
	d.list = widget.NewList(func() int { return len(d.rows) }, d.newRow, d.updateRow)
	d.list.OnSelected = d.onSelect
	content := container.NewBorder(d.count, nil, nil, nil, d.list)
	d.dialog = dialog.NewCustom(title, i18n.T("import.close"), content, w.win)
	d.dialog.Resize(fyne.NewSize(520, 560))
	d.dialog.Show()
	book := w.book
	w.async(func() func() {
		all, err := book.SearchList(context.Background(), crm.CustomerQuery{})
		var rows []crm.Summary
		for i := range all.Len() {
			if _, found := slices.BinarySearch(ids, all.ID(i)); found {
				rows = append(rows, all.At(i))
			}
		}
		return func() {
			if err != nil {
				d.count.SetText(i18n.T("insights.failed", "Error", err))
				return
			}
			d.rows = rows
			d.count.SetText(i18n.T("insights.list_count", "Count", len(rows)))
			d.list.Refresh()
		}
	})
	return d
}

func (d *customerListDialog) newRow() fyne.CanvasObject {
	name := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	name.Truncation = fyne.TextTruncateEllipsis
	info := widget.NewLabel("")
	info.SizeName = theme.SizeNameCaptionText
	return container.NewBorder(nil, nil, nil, info, name)
}

func (d *customerListDialog) updateRow(id widget.ListItemID, o fyne.CanvasObject) {
	if id >= len(d.rows) {
		return
	}
	r := &d.rows[id]
	box := o.(*fyne.Container)
	name := r.Name
	if r.Remark != "" && r.Remark != r.Name {
		name += "（" + r.Remark + "）"
	}
	box.Objects[0].(*widget.Label).SetText(name)
	box.Objects[1].(*widget.Label).SetText(r.Code + " · " + tierLabel(r.Tier))
	box.Refresh() // the texts changed width: lay the row out again
}

// onSelect opens the chosen customer's card and closes the list.
func (d *customerListDialog) onSelect(id widget.ListItemID) {
	if id >= len(d.rows) {
		return
	}
	cid := d.rows[id].ID
	d.dialog.Hide()
	d.w.show(d.w.customers)
	d.w.customers.open(cid)
}
