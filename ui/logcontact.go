package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"carebook/assets/i18n"
	"carebook/crm"
)

// recordEditor is the "log a contact" dialog (Ctrl+L): one maintenance record, new or edited.
// It is built for speed: the customer is already chosen when opened from a card, the time is
// now, the kind and channel have sensible defaults, and the cursor waits in the content.
type recordEditor struct {
	w      *Window
	record crm.Record // ID 0 for a new one

	customer        *widget.Label
	*customerPicker // search for the customer when none was given

	at       *widget.Entry
	kind     *widget.Select
	channel  *widget.Select
	content  *widget.Entry
	feedback *widget.Entry
	nextStep *widget.Entry
	nextDate *widget.Entry
	quick    []*widget.Button // next date in 1, 3, 7 days

	errs   map[string]*widget.Label
	status *widget.Label
	save   *widget.Button
	cancel *widget.Button
	del    *widget.Button
	form   *fyne.Container
	dlg    *dialog.CustomDialog
	onDone func() // after a save or delete
}

// logContact opens the record editor. c is the customer (nil: the user picks one); r is the
// record to edit (nil: a new one, now).
func (w *Window) logContact(c *crm.Summary, r *crm.Record, onDone func()) *recordEditor {
	e := &recordEditor{w: w, onDone: onDone, errs: map[string]*widget.Label{}}
	if r != nil {
		e.record = *r
	} else {
		e.record = crm.Record{At: wallClock(w.opts.Now()), Kind: crm.KindRoutine, Channel: crm.ChannelWeChat}
	}
	if c != nil {
		e.record.CustomerID = c.ID
	}
	e.buildUI(c)
	w.editor = e
	e.dlg.Show()
	if c == nil {
		w.win.Canvas().Focus(e.pick)
	} else {
		w.win.Canvas().Focus(e.content)
	}
	return e
}

func (e *recordEditor) buildUI(c *crm.Summary) {
	for _, f := range []string{"customer", "at", "kind", "channel", "content", "feedback", "next_step", "next_date"} {
		e.errs[f] = errorLabel()
	}
	e.customer = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	if c != nil {
		e.customer.SetText(c.Name + "  " + c.Code)
	}
	e.customerPicker = newCustomerPicker(e.w, e.onPicked)

	e.at = widget.NewEntry()
	e.at.SetText(e.record.At.Format(dateTimeLayout))
	e.kind = widget.NewSelect(kindLabels(), nil)
	e.kind.SetSelected(kindLabel(e.record.Kind))
	e.channel = widget.NewSelect(channelLabels(), nil)
	e.channel.SetSelected(channelLabel(e.record.Channel))
	e.content = widget.NewMultiLineEntry()
	e.content.Wrapping = fyne.TextWrapWord
	e.content.SetMinRowsVisible(3)
	e.content.SetPlaceHolder(i18n.T("log.content_hint"))
	e.content.SetText(e.record.Content)
	e.feedback = widget.NewMultiLineEntry()
	e.feedback.Wrapping = fyne.TextWrapWord
	e.feedback.SetMinRowsVisible(2)
	e.feedback.SetPlaceHolder(i18n.T("log.feedback_hint"))
	e.feedback.SetText(e.record.Feedback)
	e.nextStep = widget.NewEntry()
	e.nextStep.SetPlaceHolder(i18n.T("log.next_step_hint"))
	e.nextStep.SetText(e.record.NextStep)
	e.nextDate = widget.NewEntry()
	e.nextDate.SetPlaceHolder("YYYY-MM-DD")
	e.nextDate.SetText(e.record.NextDate.String())
	for _, n := range []int{1, 3, 7} {
		e.quick = append(e.quick, widget.NewButton(i18n.T("log.in_days", "Days", n), func() {
			at, ok := parseDateTime(e.at.Text)
			if !ok {
				at = e.w.opts.Now()
			}
			e.nextDate.SetText(crm.DateOf(at).AddDays(n).String())
		}))
	}

	e.status = errorLabel()
	e.save = widget.NewButtonWithIcon(i18n.T("card.save"), theme.ConfirmIcon(), e.onSave)
	e.save.Importance = widget.HighImportance
	e.cancel = widget.NewButton(i18n.T("common.cancel"), func() { e.close() })
	e.del = widget.NewButtonWithIcon(i18n.T("common.delete"), theme.DeleteIcon(), e.onDelete)
	e.del.Importance = widget.DangerImportance
	if e.record.ID == 0 {
		e.del.Hide()
	}

	row := func(label string, field fyne.CanvasObject, errKey string) []fyne.CanvasObject {
		return []fyne.CanvasObject{widget.NewLabelWithStyle(label, fyne.TextAlignTrailing, fyne.TextStyle{}),
			container.NewVBox(field, e.errs[errKey])}
	}
	var who fyne.CanvasObject = e.customer
	if c == nil {
		who = container.NewVBox(e.view(150), e.customer)
	}
	quick := container.NewBorder(nil, nil, nil, container.NewHBox(toObjects(e.quick)...), e.nextDate)
	var objs []fyne.CanvasObject
	for _, r := range [][]fyne.CanvasObject{
		row(i18n.T("log.customer"), who, "customer"),
		row(i18n.T("log.at"), e.at, "at"),
		row(i18n.T("log.kind"), container.NewGridWithColumns(2, e.kind, e.channel), "kind"),
		row(i18n.T("log.content"), e.content, "content"),
		row(i18n.T("log.feedback"), e.feedback, "feedback"),
		row(i18n.T("log.next_step"), e.nextStep, "next_step"),
		row(i18n.T("log.next_date"), quick, "next_date"),
	} {
		objs = append(objs, r...)
	}
	e.form = container.New(layout.NewFormLayout(), objs...)
	buttons := container.NewHBox(e.del, layout.NewSpacer(), e.cancel, e.save)
	body := container.NewBorder(nil, container.NewVBox(e.status, buttons), nil, nil, container.NewVScroll(e.form))
	title := i18n.T("log.title")
	if e.record.ID != 0 {
		title = i18n.T("log.edit_title")
	}
	e.dlg = dialog.NewCustomWithoutButtons(title, body, e.w.win)
	e.dlg.Resize(fyne.NewSize(720, 620))
}

func toObjects(bs []*widget.Button) []fyne.CanvasObject {
	out := make([]fyne.CanvasObject, len(bs))
	for i, b := range bs {
		out[i] = b
	}
	return out
}

func (e *recordEditor) onPicked(f crm.Summary) {
	e.record.CustomerID = f.ID
	e.customer.SetText(f.Name + "  " + f.Code)
	setError(e.errs["customer"], "")
	e.w.win.Canvas().Focus(e.content)
}

// collect reads the fields; errors of fields that do not parse come back with it.
func (e *recordEditor) collect() (crm.Record, crm.Errors) {
	r := e.record
	var es crm.Errors
	if at, ok := parseDateTime(e.at.Text); ok {
		r.At = at
	} else {
		es = append(es, crm.FieldError{Field: "at", Key: "err.datetime", Args: map[string]any{"Value": e.at.Text}})
	}
	if i := e.kind.SelectedIndex(); i >= 0 {
		r.Kind = crm.RecordKinds[i]
	}
	if i := e.channel.SelectedIndex(); i >= 0 {
		r.Channel = crm.Channels[i]
	}
	r.Content = e.content.Text
	r.Feedback = e.feedback.Text
	r.NextStep = e.nextStep.Text
	if d, ok := parseOptionalDate(e.nextDate.Text); ok {
		r.NextDate = d
	} else {
		es = append(es, crm.FieldError{Field: "next_date", Key: "err.date", Args: map[string]any{"Value": e.nextDate.Text}})
	}
	return r, es
}

func (e *recordEditor) showErrors(es crm.Errors) {
	showFieldErrors(e.errs, e.status, es)
	e.form.Refresh()
}

// onSave validates next to the fields and saves off the UI goroutine (Ctrl+S too).
func (e *recordEditor) onSave() {
	r, es := e.collect()
	crm.NormalizeRecord(&r)
	es = append(es, crm.ValidateRecord(&r)...)
	e.showErrors(es)
	if len(es) > 0 {
		return
	}
	e.save.Disable()
	book := e.w.book
	e.w.persist(func(ctx context.Context) error { return book.SaveRecord(ctx, &r) }, e.showErrors, e.fail, e.save.Enable, func() {
		e.record = r
		e.finish()
	})
}

func (e *recordEditor) onDelete() {
	if e.record.ID == 0 {
		return
	}
	dialog.ShowConfirm(i18n.T("log.delete_title"), i18n.T("log.delete_question"), func(ok bool) {
		if ok {
			e.deleteConfirmed()
		}
	}, e.w.win)
}

func (e *recordEditor) deleteConfirmed() {
	id := e.record.ID
	book := e.w.book
	e.w.persist(func(ctx context.Context) error { return book.DeleteRecord(ctx, id) }, e.showErrors, e.fail, nil, e.finish)
}

// fail shows why a save or delete did not happen.
func (e *recordEditor) fail(msg string) { setError(e.status, msg) }

// finish closes the dialog after a save or delete and tells whoever opened it.
func (e *recordEditor) finish() {
	e.close()
	if e.onDone != nil {
		e.onDone()
	}
}

func (e *recordEditor) close() {
	if e.w.editor == e {
		e.w.editor = nil
	}
	e.dlg.Hide()
}
