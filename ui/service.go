package ui

import (
	"context"
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

// serviceEditor schedules, edits, completes or deletes one service appointment (服务) of a
// customer (PRODUCT.md §1 Service appointment; it feeds the Serve question of Today).
type serviceEditor struct {
	w       *Window
	service crm.Service // ID 0 for a new one

	customer *widget.Label
	date     *widget.Entry
	quick    []*widget.Button // today, and in 1, 3, 7 days
	kind     *widget.RadioGroup
	title    *widget.Entry
	notes    *widget.Entry
	done     *widget.Check
	doneDate *widget.Entry

	errs    map[string]*widget.Label
	status  *widget.Label
	save    *widget.Button
	cancel  *widget.Button
	del     *widget.Button
	confirm *dialog.ConfirmDialog // the delete question, while shown
	form    *fyne.Container
	foot    *fyne.Container
	body    *fyne.Container // laid out again when messages appear or go
	dlg     *dialog.CustomDialog
	onSaved func() // after a save or delete
}

// serviceFields are the fields of a service appointment that can carry an error.
var serviceFields = []string{"customer", "date", "kind", "title", "status", "done_date", "notes"}

// editService opens the service editor on v (nil: a new appointment of customer customerID,
// today) and calls onSaved after a save or a delete. Ctrl+S saves it (the editor is w.editor
// while open).
func (w *Window) editService(customerID int64, v *crm.Service, onSaved func()) {
	e := &serviceEditor{w: w, onSaved: onSaved, errs: map[string]*widget.Label{}}
	if v != nil {
		e.service = *v
	} else {
		e.service = crm.Service{CustomerID: customerID, Date: w.today(), Kind: crm.ServiceOffline, Status: crm.ServiceOpen}
	}
	if e.service.CustomerID == 0 {
		e.service.CustomerID = customerID
	}
	e.buildUI()
	w.editor = e
	e.dlg.Show()
	w.win.Canvas().Focus(e.title)
	e.loadCustomer()
}

func (e *serviceEditor) buildUI() {
	for _, f := range serviceFields {
		e.errs[f] = errorLabel()
	}
	v := e.service
	e.customer = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	e.date = widget.NewEntry()
	e.date.SetPlaceHolder("YYYY-MM-DD")
	e.date.SetText(v.Date.String())
	e.quick = append(e.quick, widget.NewButton(i18n.T("service.today"), func() { e.date.SetText(e.w.today().String()) }))
	for _, n := range []int{1, 3, 7} {
		e.quick = append(e.quick, widget.NewButton(i18n.T("log.in_days", "Days", n), func() {
			e.date.SetText(e.w.today().AddDays(n).String())
		}))
	}
	e.kind = widget.NewRadioGroup(labelsOf(crm.ServiceKinds, serviceKindLabel), nil)
	e.kind.Horizontal = true
	e.kind.Required = true
	if v.Kind != "" {
		e.kind.SetSelected(serviceKindLabel(v.Kind))
	}
	e.title = widget.NewEntry()
	e.title.SetPlaceHolder(i18n.T("service.title_hint"))
	e.title.SetText(v.Title)
	e.title.OnSubmitted = func(string) { e.onSave() }
	e.notes = widget.NewMultiLineEntry()
	e.notes.Wrapping = fyne.TextWrapWord
	e.notes.SetMinRowsVisible(3)
	e.notes.SetPlaceHolder(i18n.T("service.notes_hint"))
	e.notes.SetText(v.Notes)
	e.doneDate = widget.NewEntry()
	e.doneDate.SetPlaceHolder("YYYY-MM-DD")
	e.doneDate.SetText(v.DoneDate.String())
	e.done = widget.NewCheck(i18n.T("service.mark_done"), e.onDoneChanged)
	e.done.SetChecked(v.Status == crm.ServiceDone)
	e.onDoneChanged(e.done.Checked)

	e.status = errorLabel()
	e.save = widget.NewButtonWithIcon(i18n.T("card.save"), theme.ConfirmIcon(), e.onSave)
	e.save.Importance = widget.HighImportance
	e.cancel = widget.NewButton(i18n.T("common.cancel"), e.close)
	e.del = widget.NewButtonWithIcon(i18n.T("common.delete"), theme.DeleteIcon(), e.onDelete)
	e.del.Importance = widget.DangerImportance
	if v.ID == 0 {
		e.del.Hide()
	}

	row := func(label string, field fyne.CanvasObject, errKey string) []fyne.CanvasObject {
		return []fyne.CanvasObject{widget.NewLabelWithStyle(label, fyne.TextAlignTrailing, fyne.TextStyle{}),
			container.NewVBox(field, e.errs[errKey])}
	}
	dateRow := container.NewBorder(nil, nil, nil, container.NewHBox(toObjects(e.quick)...), e.date)
	doneRow := container.NewBorder(nil, nil, e.done, nil, e.doneDate)
	var objs []fyne.CanvasObject
	for _, r := range [][]fyne.CanvasObject{
		{widget.NewLabelWithStyle(i18n.T("service.customer"), fyne.TextAlignTrailing, fyne.TextStyle{}), e.customer},
		row(i18n.T("service.date"), dateRow, "date"),
		row(i18n.T("service.kind"), e.kind, "kind"),
		row(i18n.T("service.title")+" *", e.title, "title"),
		row(i18n.T("service.notes"), e.notes, "notes"),
		row(i18n.T("service.status"), doneRow, "done_date"),
	} {
		objs = append(objs, r...)
	}
	e.form = container.New(layout.NewFormLayout(), objs...)
	buttons := container.NewHBox(e.del, layout.NewSpacer(), e.cancel, e.save)
	e.foot = container.NewVBox(e.errs["status"], e.errs["customer"], e.status, buttons)
	e.body = container.NewBorder(nil, e.foot, nil, nil, container.NewVScroll(e.form))
	title := i18n.T("service.new_title")
	if v.ID != 0 {
		title = i18n.T("service.edit_title")
	}
	e.dlg = dialog.NewCustomWithoutButtons(title, e.body, e.w.win)
	e.dlg.Resize(fyne.NewSize(640, 520))
}

// loadCustomer shows whose appointment this is, read off the UI goroutine.
func (e *serviceEditor) loadCustomer() {
	id := e.service.CustomerID
	if id <= 0 {
		return
	}
	book := e.w.book
	e.w.async(func() func() {
		c, err := book.Customer(context.Background(), id)
		return func() {
			if err == nil && c != nil {
				e.customer.SetText(c.Name + "  " + c.Code)
			}
		}
	})
}

// onDoneChanged enables the done date, which defaults to today when the appointment is marked
// done.
func (e *serviceEditor) onDoneChanged(done bool) {
	if done {
		if strings.TrimSpace(e.doneDate.Text) == "" {
			e.doneDate.SetText(e.w.today().String())
		}
		e.doneDate.Enable()
		return
	}
	e.doneDate.Disable()
}

// collect reads the fields; errors of dates that do not parse come back with it.
func (e *serviceEditor) collect() (crm.Service, crm.Errors) {
	v := e.service
	var es crm.Errors
	if d, err := crm.ParseDate(strings.TrimSpace(e.date.Text)); err == nil {
		v.Date = d
	} else if strings.TrimSpace(e.date.Text) == "" {
		v.Date = 0 // the validation says it is required
	} else {
		es = append(es, crm.FieldError{Field: "date", Key: "err.date", Args: map[string]any{"Value": e.date.Text}})
	}
	if i := e.kind.Selected; i != "" {
		for _, k := range crm.ServiceKinds {
			if serviceKindLabel(k) == i {
				v.Kind = k
			}
		}
	}
	v.Title = e.title.Text
	v.Notes = e.notes.Text
	v.Status, v.DoneDate = crm.ServiceOpen, 0
	if e.done.Checked {
		v.Status = crm.ServiceDone
		if d, ok := parseOptionalDate(e.doneDate.Text); ok {
			v.DoneDate = d
		} else {
			es = append(es, crm.FieldError{Field: "done_date", Key: "err.date", Args: map[string]any{"Value": e.doneDate.Text}})
		}
	}
	return v, es
}

func (e *serviceEditor) showErrors(es crm.Errors) {
	showFieldErrors(e.errs, e.status, es)
	e.relayout()
}

// relayout lays the dialog out again after messages appeared or went.
func (e *serviceEditor) relayout() {
	e.form.Refresh()
	e.foot.Refresh()
	e.body.Refresh()
}

// onSave validates next to the fields and saves off the UI goroutine (Ctrl+S too).
func (e *serviceEditor) onSave() {
	v, es := e.collect()
	crm.NormalizeService(&v)
	if len(es) == 0 {
		es = crm.ValidateService(&v)
	} else {
		// Keep the parse errors; add the others, without a second message on a date field.
		for _, fe := range crm.ValidateService(&v) {
			if fe.Field != "date" && fe.Field != "done_date" {
				es = append(es, fe)
			}
		}
	}
	e.showErrors(es)
	if len(es) > 0 {
		return
	}
	e.save.Disable()
	book := e.w.book
	e.w.persist(func(ctx context.Context) error { return book.SaveService(ctx, &v) }, e.showErrors, e.fail, e.save.Enable, func() {
		e.service = v
		e.finish()
	})
}

// onDelete asks before deleting the appointment.
func (e *serviceEditor) onDelete() {
	if e.service.ID == 0 {
		return
	}
	e.confirm = dialog.NewConfirm(i18n.T("service.delete_title"), i18n.T("service.delete_question",
		"Date", e.service.Date.String(), "Title", e.service.Title), func(ok bool) {
		e.confirm = nil
		if ok {
			e.deleteConfirmed()
		}
	}, e.w.win)
	e.confirm.SetConfirmText(i18n.T("common.delete"))
	e.confirm.SetDismissText(i18n.T("common.cancel"))
	e.confirm.Show()
}

func (e *serviceEditor) deleteConfirmed() {
	id := e.service.ID
	book := e.w.book
	e.w.persist(func(ctx context.Context) error { return book.DeleteService(ctx, id) }, e.showErrors, e.fail, nil, e.finish)
}

// fail shows why a save or delete did not happen.
func (e *serviceEditor) fail(msg string) {
	setError(e.status, msg)
	e.relayout()
}

// finish closes the dialog after a save or delete and tells whoever opened it.
func (e *serviceEditor) finish() {
	e.close()
	if e.onSaved != nil {
		e.onSaved()
	}
}

func (e *serviceEditor) close() {
	if e.w.editor == e {
		e.w.editor = nil
	}
	e.dlg.Hide()
}
