package ui

import (
	"context"
	"regexp"
	"strconv"
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

// complaintEditor is the complaint dialog: the complaint, the five steps of handling it
// (安抚倾听 → 表示理解 → 澄清解释 → 解决共识 → 跟进回访, follow-ups repeatable), its live
// deadline, and closing it. It saves through SaveComplaint; errors show next to the fields.
type complaintEditor struct {
	w       *Window
	c       crm.Complaint // as opened (ID 0 for a new one)
	cal     crm.WorkCalendar
	onSaved func()

	customer        *widget.Label
	*customerPicker // search for the customer when none was given

	received      *widget.Entry
	receivedToday *widget.Button
	channel       *widget.Select
	category      *widget.Select
	severity      *widget.Select
	description   *widget.Entry

	steps       []*complaintStepRow // listen, empathise, clarify, agree, then the extra rows
	extra       *fyne.Container     // the follow-ups (and repeated steps)
	addFollowUp *widget.Button
	deadline    *widget.Label

	state        *widget.Label
	resolution   *widget.Entry
	satisfaction *widget.Select
	closed       *widget.Entry
	closedToday  *widget.Button
	closeBtn     *widget.Button
	reopen       *widget.Button

	errs   map[string]*widget.Label
	status *widget.Label
	save   *widget.Button
	cancel *widget.Button
	del    *widget.Button
	form   *fyne.Container
	dlg    *dialog.CustomDialog
}

// complaintStepRow is one step's line: its day (with a "today" button) and a note.
type complaintStepRow struct {
	kind   crm.ComplaintStepKind
	label  *widget.Label
	date   *widget.Entry
	today  *widget.Button
	note   *widget.Entry
	remove *widget.Button // extra rows only
	err    *widget.Label
	box    fyne.CanvasObject
}

// editComplaint opens the complaint editor on c (nil: a new complaint of customer customerID;
// customerID 0: the user picks the customer) and calls onSaved after a save or a delete.
func (w *Window) editComplaint(customerID int64, c *crm.Complaint, onSaved func()) {
	e := &complaintEditor{w: w, onSaved: onSaved, errs: map[string]*widget.Label{}}
	if c != nil {
		e.c = *c
		e.c.Steps = append([]crm.ComplaintStep(nil), c.Steps...)
	} else {
		e.c = crm.Complaint{Received: w.today(), Channel: crm.ChannelPhone, Category: crm.ComplaintUrgent,
			Severity: crm.SeverityGeneral}
	}
	if customerID != 0 {
		e.c.CustomerID = customerID
	}
	e.buildUI()
	w.editor = e
	e.dlg.Show()
	if e.c.CustomerID == 0 {
		w.win.Canvas().Focus(e.pick)
	} else {
		w.win.Canvas().Focus(e.description)
	}
	e.load()
}

// load reads the calendar and the customer's name in the background.
func (e *complaintEditor) load() {
	book, id := e.w.book, e.c.CustomerID
	e.w.async(func() func() {
		ctx := context.Background()
		cal, calErr := book.WorkCalendar(ctx)
		var who *crm.Customer
		if id != 0 {
			who, _ = book.Customer(ctx, id)
		}
		return func() {
			if calErr == nil {
				e.cal = cal
			}
			if who != nil && e.c.CustomerID == id {
				e.customer.SetText(who.DisplayName() + "  " + who.Code)
			}
			e.updateDeadline()
		}
	})
}

func (e *complaintEditor) buildUI() {
	for _, f := range []string{"customer", "received", "channel", "category", "severity", "description",
		"resolution", "satisfaction", "closed"} {
		e.errs[f] = errorLabel()
	}
	e.customer = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	e.customerPicker = newCustomerPicker(e.w, e.onPicked)

	e.received = dateEntry(e.c.Received)
	e.received.OnChanged = func(string) { e.updateDeadline() }
	e.receivedToday = widget.NewButton(i18n.T("complaint.today"), func() { e.received.SetText(e.w.today().String()) })
	e.channel = widget.NewSelect(channelLabels(), nil)
	e.channel.SetSelected(channelLabel(e.c.Channel))
	e.category = widget.NewSelect(labelsOf(crm.ComplaintCategories, categoryLabel), nil)
	e.category.SetSelected(categoryLabel(e.c.Category))
	e.severity = widget.NewSelect(labelsOf(crm.Severities, severityLabel), func(string) { e.updateDeadline() })
	e.severity.SetSelected(severityLabel(e.c.Severity))
	e.description = widget.NewMultiLineEntry()
	e.description.Wrapping = fyne.TextWrapWord
	e.description.SetMinRowsVisible(3)
	e.description.SetPlaceHolder(i18n.T("complaint.description_hint"))
	e.description.SetText(e.c.Description)

	// The four single steps, then follow-ups and any repeated step.
	e.extra = container.NewVBox()
	var extra []crm.ComplaintStep
	for _, k := range crm.ComplaintSteps[:4] {
		row := e.newStepRow(k, false)
		e.steps = append(e.steps, row)
	}
	for _, st := range e.c.Steps {
		filled := false
		for _, row := range e.steps[:4] {
			if row.kind == st.Step && row.date.Text == "" && row.note.Text == "" {
				row.date.SetText(st.Date.String())
				row.note.SetText(st.Note)
				filled = true
				break
			}
		}
		if !filled {
			extra = append(extra, st)
		}
	}
	for _, st := range extra {
		row := e.addStepRow(st.Step)
		row.date.SetText(st.Date.String())
		row.note.SetText(st.Note)
	}
	if len(extra) == 0 {
		e.addStepRow(crm.StepFollowUp)
	}
	e.addFollowUp = widget.NewButtonWithIcon(i18n.T("complaint.add_follow_up"), theme.ContentAddIcon(), func() {
		row := e.addStepRow(crm.StepFollowUp)
		e.w.win.Canvas().Focus(row.date)
	})
	e.deadline = widget.NewLabel("")
	e.deadline.Wrapping = fyne.TextWrapWord

	e.state = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	e.resolution = widget.NewMultiLineEntry()
	e.resolution.Wrapping = fyne.TextWrapWord
	e.resolution.SetMinRowsVisible(2)
	e.resolution.SetPlaceHolder(i18n.T("complaint.resolution_hint"))
	e.resolution.SetText(e.c.Resolution)
	e.satisfaction = widget.NewSelect(satisfactionLabels(), nil)
	e.satisfaction.SetSelectedIndex(e.c.Satisfaction)
	e.closed = dateEntry(e.c.Closed)
	e.closed.OnChanged = func(string) { e.updateDeadline() }
	e.closedToday = widget.NewButton(i18n.T("complaint.today"), func() { e.closed.SetText(e.w.today().String()) })
	e.closeBtn = widget.NewButtonWithIcon(i18n.T("complaint.close"), theme.ConfirmIcon(), e.onClose)
	e.reopen = widget.NewButtonWithIcon(i18n.T("complaint.reopen"), theme.ViewRefreshIcon(), e.onReopen)
	if e.c.Closed.IsZero() {
		e.state.SetText(i18n.T("complaint.state_open"))
		e.reopen.Hide()
	} else {
		e.state.SetText(i18n.T("complaint.state_closed", "Date", e.c.Closed.String()))
		e.closeBtn.Hide()
	}

	e.status = errorLabel()
	e.save = widget.NewButtonWithIcon(i18n.T("card.save"), theme.DocumentSaveIcon(), e.onSave)
	e.save.Importance = widget.HighImportance
	e.cancel = widget.NewButton(i18n.T("common.cancel"), e.close)
	e.del = widget.NewButtonWithIcon(i18n.T("common.delete"), theme.DeleteIcon(), e.onDelete)
	e.del.Importance = widget.DangerImportance
	if e.c.ID == 0 {
		e.del.Hide()
	}

	row := func(label string, field fyne.CanvasObject, errKey string) []fyne.CanvasObject {
		var f fyne.CanvasObject = field
		if errKey != "" {
			f = container.NewVBox(field, e.errs[errKey])
		}
		return []fyne.CanvasObject{widget.NewLabelWithStyle(label, fyne.TextAlignTrailing, fyne.TextStyle{}), f}
	}
	var who fyne.CanvasObject = e.customer
	if e.c.CustomerID == 0 {
		who = container.NewVBox(e.view(130), e.customer)
	}
	var stepBoxes []fyne.CanvasObject
	for _, r := range e.steps[:4] {
		stepBoxes = append(stepBoxes, r.box)
	}
	stepsBox := container.NewVBox(hintLabel(i18n.T("complaint.steps_hint")))
	stepsBox.Objects = append(stepsBox.Objects, stepBoxes...)
	stepsBox.Objects = append(stepsBox.Objects, e.extra, container.NewHBox(e.addFollowUp))
	closing := container.NewVBox(
		e.state,
		container.New(layout.NewFormLayout(), append(append(append(
			row(i18n.T("complaint.resolution"), e.resolution, "resolution"),
			row(i18n.T("complaint.satisfaction"), e.satisfaction, "satisfaction")...),
			row(i18n.T("complaint.closed"), container.NewBorder(nil, nil, nil, e.closedToday, e.closed), "closed")...),
			layout.NewSpacer(), container.NewHBox(e.closeBtn, e.reopen))...))
	var objs []fyne.CanvasObject
	for _, r := range [][]fyne.CanvasObject{
		row(i18n.T("complaint.customer"), who, "customer"),
		row(i18n.T("complaint.received"), container.NewBorder(nil, nil, nil, e.receivedToday, e.received), "received"),
		row(i18n.T("complaint.channel"), e.channel, "channel"),
		{widget.NewLabelWithStyle(i18n.T("complaint.category"), fyne.TextAlignTrailing, fyne.TextStyle{}),
			container.NewVBox(container.NewGridWithColumns(2, e.category,
				container.NewBorder(nil, nil, widget.NewLabel(i18n.T("complaint.severity")), nil, e.severity)),
				e.errs["category"], e.errs["severity"])},
		row(i18n.T("complaint.description"), e.description, "description"),
		row(i18n.T("complaint.deadline"), e.deadline, ""),
	} {
		objs = append(objs, r...)
	}
	e.form = container.New(layout.NewFormLayout(), objs...)
	body := container.NewVBox(e.form,
		widget.NewCard(i18n.T("complaint.steps"), "", stepsBox),
		widget.NewCard(i18n.T("complaint.closing"), "", closing))
	buttons := container.NewHBox(e.del, layout.NewSpacer(), e.cancel, e.save)
	content := container.NewBorder(nil, container.NewVBox(e.status, buttons), nil, nil, container.NewVScroll(body))
	title := i18n.T("complaint.new_title")
	if e.c.ID != 0 {
		title = i18n.T("complaint.edit_title")
	}
	e.dlg = dialog.NewCustomWithoutButtons(title, content, e.w.win)
	e.dlg.Resize(fyne.NewSize(820, 700))
	e.updateDeadline()
}

// Key prefixes of the satisfaction scale ("complaint.sat_1"…) and of the deadline rules
// ("complaint.rule_simple"…).
const (
	complaintKeySatisfaction = "complaint.sat_"
	complaintKeyRule         = "complaint.rule_"
)

func dateEntry(d crm.Date) *widget.Entry {
	en := widget.NewEntry()
	en.SetPlaceHolder("YYYY-MM-DD")
	en.SetText(d.String())
	return en
}

func satisfactionLabels() []string {
	out := []string{i18n.T("complaint.not_rated")}
	for n := crm.MinSatisfaction; n <= crm.MaxSatisfaction; n++ {
		out = append(out, i18n.T(complaintKeySatisfaction+strconv.Itoa(n)))
	}
	return out
}

// newStepRow builds the line of one step; removable for the extra rows.
func (e *complaintEditor) newStepRow(k crm.ComplaintStepKind, removable bool) *complaintStepRow {
	r := &complaintStepRow{kind: k}
	r.label = widget.NewLabelWithStyle(stepLabel(k), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	r.date = widget.NewEntry()
	r.date.SetPlaceHolder("YYYY-MM-DD")
	r.date.OnChanged = func(string) { e.updateDeadline() }
	r.today = widget.NewButton(i18n.T("complaint.today"), func() { r.date.SetText(e.w.today().String()) })
	r.note = widget.NewEntry()
	r.note.SetPlaceHolder(i18n.T("complaint.note_hint"))
	r.err = errorLabel()
	left := container.NewHBox(container.NewGridWrap(fyne.NewSize(110, r.label.MinSize().Height), r.label),
		container.NewGridWrap(fyne.NewSize(120, r.date.MinSize().Height), r.date), r.today)
	var right fyne.CanvasObject
	if removable {
		r.remove = widget.NewButtonWithIcon("", theme.ContentRemoveIcon(), func() { e.removeStepRow(r) })
		right = r.remove
	}
	r.box = container.NewVBox(container.NewBorder(nil, nil, left, right, r.note), r.err)
	return r
}

// addStepRow adds an extra (removable) row of kind k under the four single steps.
func (e *complaintEditor) addStepRow(k crm.ComplaintStepKind) *complaintStepRow {
	r := e.newStepRow(k, true)
	e.steps = append(e.steps, r)
	e.extra.Add(r.box)
	return r
}

func (e *complaintEditor) removeStepRow(r *complaintStepRow) {
	for i, x := range e.steps {
		if x == r {
			e.steps = append(e.steps[:i], e.steps[i+1:]...)
			break
		}
	}
	e.extra.Remove(r.box)
	e.updateDeadline()
}

func (e *complaintEditor) onPicked(f crm.Summary) {
	e.c.CustomerID = f.ID
	name := f.Name
	if f.Remark != "" {
		name = f.Remark
	}
	e.customer.SetText(name + "  " + f.Code)
	setError(e.errs["customer"], "")
	e.w.win.Canvas().Focus(e.description)
}

// collect reads the fields into a complaint, its steps in row order, each step's ID holding its
// row's index + 1 (so that errors on the sorted steps find their row; the store gives steps new
// IDs). Fields that do not parse come back as errors ("rows[i].date" for a step's date).
func (e *complaintEditor) collect() (crm.Complaint, crm.Errors) {
	c := e.c
	c.Steps = nil
	var es crm.Errors
	dateErr := func(field, text string) crm.FieldError {
		return crm.FieldError{Field: field, Key: "err.date", Args: map[string]any{"Value": strings.TrimSpace(text)}}
	}
	if strings.TrimSpace(e.received.Text) == "" {
		c.Received = 0 // ValidateComplaint says it is required
	} else if d, ok := parseOptionalDate(e.received.Text); ok {
		c.Received = d
	} else {
		es = append(es, dateErr("received", e.received.Text))
	}
	if i := e.channel.SelectedIndex(); i >= 0 {
		c.Channel = crm.Channels[i]
	}
	if i := e.category.SelectedIndex(); i >= 0 {
		c.Category = crm.ComplaintCategories[i]
	}
	if i := e.severity.SelectedIndex(); i >= 0 {
		c.Severity = crm.Severities[i]
	}
	c.Description = e.description.Text
	for i, r := range e.steps {
		dateText, note := strings.TrimSpace(r.date.Text), strings.TrimSpace(r.note.Text)
		if dateText == "" && note == "" {
			continue // not done yet
		}
		field := "rows[" + strconv.Itoa(i) + "].date"
		if dateText == "" {
			es = append(es, crm.FieldError{Field: field, Key: "err.required"})
			continue
		}
		d, ok := parseOptionalDate(dateText)
		if !ok {
			es = append(es, dateErr(field, dateText))
			continue
		}
		c.Steps = append(c.Steps, crm.ComplaintStep{ID: int64(i + 1), Step: r.kind, Date: d, Note: r.note.Text})
	}
	c.Resolution = e.resolution.Text
	c.Satisfaction = max(e.satisfaction.SelectedIndex(), 0)
	if d, ok := parseOptionalDate(e.closed.Text); ok {
		c.Closed = d
	} else {
		es = append(es, dateErr("closed", e.closed.Text))
	}
	if !c.Closed.IsZero() && strings.TrimSpace(c.Resolution) == "" {
		es = append(es, crm.FieldError{Field: "resolution", Key: "complaint.resolution_required"})
	}
	return c, es
}

var stepField = regexp.MustCompile(`^steps\[(\d+)\]\.(.*)$`)

// rowErrors renames the errors of c's steps ("steps[j].x") to their rows ("rows[i].x").
func rowErrors(es crm.Errors, c *crm.Complaint) crm.Errors {
	out := make(crm.Errors, len(es))
	for i, fe := range es {
		if m := stepField.FindStringSubmatch(fe.Field); m != nil {
			if j, err := strconv.Atoi(m[1]); err == nil && j < len(c.Steps) && c.Steps[j].ID > 0 {
				fe.Field = "rows[" + strconv.Itoa(int(c.Steps[j].ID-1)) + "]." + m[2]
			}
		}
		out[i] = fe
	}
	return out
}

func (e *complaintEditor) showErrors(es crm.Errors) {
	showFieldErrors(e.errs, e.status, es)
	for i, r := range e.steps {
		prefix := "rows[" + strconv.Itoa(i) + "]."
		var texts []string
		for j := range es {
			if strings.HasPrefix(es[j].Field, prefix) {
				texts = append(texts, fieldErrorText(&es[j]))
			}
		}
		setError(r.err, strings.Join(texts, "\n"))
	}
	for j := range es {
		if es[j].Field == "steps" {
			setError(e.status, fieldErrorText(&es[j]))
		}
	}
	e.form.Refresh()
}

// onSave validates next to the fields and saves off the UI goroutine (Ctrl+S too).
func (e *complaintEditor) onSave() {
	e.saveWith(nil)
}

// saveWith saves; undo, when set, runs when the save is refused (to restore what onClose or
// onReopen filled in).
func (e *complaintEditor) saveWith(undo func()) {
	c, es := e.collect()
	crm.NormalizeComplaint(&c)
	es = rowErrors(append(es, crm.ValidateComplaint(&c)...), &c)
	e.showErrors(es)
	if len(es) > 0 {
		if undo != nil {
			undo()
		}
		return
	}
	e.save.Disable()
	book := e.w.book
	e.w.persist(func(ctx context.Context) error { return book.SaveComplaint(ctx, &c) },
		func(es crm.Errors) {
			e.showErrors(rowErrors(es, &c))
			if undo != nil {
				undo()
			}
		}, e.fail, e.save.Enable, func() {
			e.c = c
			e.finish()
		})
}

// onClose closes the complaint: the closed date defaults to today, and it saves.
func (e *complaintEditor) onClose() {
	if strings.TrimSpace(e.closed.Text) != "" {
		e.saveWith(nil)
		return
	}
	e.closed.SetText(e.w.today().String())
	e.saveWith(func() { e.closed.SetText("") })
}

// onReopen opens a closed complaint again (its closed date cleared) and saves.
func (e *complaintEditor) onReopen() {
	old := e.closed.Text
	e.closed.SetText("")
	e.saveWith(func() { e.closed.SetText(old) })
}

// updateDeadline shows the deadline as the received date, severity, steps and closing stand.
func (e *complaintEditor) updateDeadline() {
	if e.deadline == nil || e.closed == nil {
		return
	}
	c := crm.Complaint{Severity: crm.SeverityGeneral}
	if i := e.severity.SelectedIndex(); i >= 0 {
		c.Severity = crm.Severities[i]
	}
	d, ok := parseOptionalDate(e.received.Text)
	if !ok || d.IsZero() {
		e.deadline.Importance = widget.MediumImportance
		e.deadline.SetText(i18n.T("complaint.deadline_unknown"))
		return
	}
	c.Received = d
	for _, r := range e.steps {
		if sd, ok := parseOptionalDate(r.date.Text); ok && !sd.IsZero() {
			c.Steps = append(c.Steps, crm.ComplaintStep{Step: r.kind, Date: sd})
		}
	}
	rule := i18n.T(complaintKeyRule + string(c.Severity))
	if closed, ok := parseOptionalDate(e.closed.Text); ok && !closed.IsZero() && closed >= c.Received {
		c.Closed = closed
		onTime, _ := crm.ComplaintHandledOnTime(&c, e.cal)
		e.deadline.Importance = widget.SuccessImportance
		text := i18n.T("complaint.closed_on_time")
		if !onTime {
			e.deadline.Importance = widget.WarningImportance
			text = i18n.T("complaint.closed_late")
		}
		e.deadline.SetText(text + " " + rule)
		return
	}
	today := e.w.today()
	x := crm.ComplaintDeadlineOn(&c, e.cal, today)
	if !x.Open { // received after today
		x.Due = crm.ComplaintDue(c.Severity, c.Received, c.LatestStep(), e.cal)
	}
	if x.Overdue() {
		e.deadline.Importance = widget.DangerImportance
		e.deadline.SetText(i18n.T("complaint.deadline_overdue", "Days", x.OverdueDays, "Workdays", x.OverdueWorkdays,
			"Date", x.Due.String(), "Rule", rule))
		return
	}
	e.deadline.Importance = widget.MediumImportance
	e.deadline.SetText(i18n.T("complaint.deadline_due", "Date", x.Due.String(), "Weekday", weekdayText(x.Due.Weekday()), "Rule", rule))
}

func (e *complaintEditor) onDelete() {
	if e.c.ID == 0 {
		return
	}
	dialog.ShowConfirm(i18n.T("complaint.delete_title"), i18n.T("complaint.delete_question"), func(ok bool) {
		if ok {
			e.deleteConfirmed()
		}
	}, e.w.win)
}

func (e *complaintEditor) deleteConfirmed() {
	id := e.c.ID
	book := e.w.book
	e.w.persist(func(ctx context.Context) error { return book.DeleteComplaint(ctx, id) }, e.showErrors, e.fail, nil, e.finish)
}

// fail shows why a save or delete did not happen.
func (e *complaintEditor) fail(msg string) { setError(e.status, msg) }

// finish closes the dialog after a save or delete and tells whoever opened it; the Serve
// question of Today lists open complaints, so it loads again too.
func (e *complaintEditor) finish() {
	e.close()
	if e.onSaved != nil {
		e.onSaved()
	}
	if e.w.todayView != nil {
		e.w.todayView.reload()
	}
}

func (e *complaintEditor) close() {
	if e.w.editor == e {
		e.w.editor = nil
	}
	e.dlg.Hide()
}
