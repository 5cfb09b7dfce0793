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

// purchaseEditor adds, edits or deletes one purchase of a customer.
type purchaseEditor struct {
	w        *Window
	purchase crm.Purchase

	date    *widget.Entry
	amount  *widget.Entry
	items   *widget.Entry
	channel *widget.RadioGroup
	errs    map[string]*widget.Label
	status  *widget.Label
	save    *widget.Button
	cancel  *widget.Button
	del     *widget.Button
	form    *fyne.Container
	dlg     *dialog.CustomDialog
	onDone  func()
}

// editPurchase opens the purchase editor for p (ID 0: a new purchase today).
func (w *Window) editPurchase(p crm.Purchase, onDone func()) *purchaseEditor {
	if p.ID == 0 && p.Date.IsZero() {
		p.Date = w.today()
		p.Channel = crm.Offline
	}
	e := &purchaseEditor{w: w, purchase: p, onDone: onDone, errs: map[string]*widget.Label{}}
	for _, f := range []string{"date", "amount", "items", "channel", "customer"} {
		e.errs[f] = errorLabel()
	}
	e.date = widget.NewEntry()
	e.date.SetText(p.Date.String())
	e.amount = widget.NewEntry()
	e.amount.SetPlaceHolder(i18n.T("purchase.amount_hint"))
	if p.ID != 0 {
		e.amount.SetText(p.Amount.String())
	}
	e.items = widget.NewMultiLineEntry()
	e.items.Wrapping = fyne.TextWrapWord
	e.items.SetMinRowsVisible(2)
	e.items.SetPlaceHolder(i18n.T("purchase.items_hint"))
	e.items.SetText(p.Items)
	e.channel = widget.NewRadioGroup(saleChannelLabels(), nil)
	e.channel.Horizontal = true
	e.channel.Required = true
	e.channel.SetSelected(saleChannelLabel(p.Channel))
	e.status = errorLabel()
	e.save = widget.NewButtonWithIcon(i18n.T("card.save"), theme.ConfirmIcon(), e.onSave)
	e.save.Importance = widget.HighImportance
	e.cancel = widget.NewButton(i18n.T("common.cancel"), e.close)
	e.del = widget.NewButtonWithIcon(i18n.T("common.delete"), theme.DeleteIcon(), e.onDelete)
	e.del.Importance = widget.DangerImportance
	if p.ID == 0 {
		e.del.Hide()
	}
	row := func(label string, field fyne.CanvasObject, errKey string) []fyne.CanvasObject {
		return []fyne.CanvasObject{widget.NewLabelWithStyle(label, fyne.TextAlignTrailing, fyne.TextStyle{}),
			container.NewVBox(field, e.errs[errKey])}
	}
	var objs []fyne.CanvasObject
	for _, r := range [][]fyne.CanvasObject{
		row(i18n.T("purchase.date"), e.date, "date"),
		row(i18n.T("purchase.amount"), e.amount, "amount"),
		row(i18n.T("purchase.items"), e.items, "items"),
		row(i18n.T("purchase.channel"), e.channel, "channel"),
	} {
		objs = append(objs, r...)
	}
	e.form = container.New(layout.NewFormLayout(), objs...)
	body := container.NewBorder(nil, container.NewVBox(e.errs["customer"], e.status,
		container.NewHBox(e.del, layout.NewSpacer(), e.cancel, e.save)), nil, nil, e.form)
	title := i18n.T("purchase.new_title")
	if p.ID != 0 {
		title = i18n.T("purchase.edit_title")
	}
	e.dlg = dialog.NewCustomWithoutButtons(title, body, w.win)
	e.dlg.Resize(fyne.NewSize(560, 360))
	w.editor = e
	e.dlg.Show()
	w.win.Canvas().Focus(e.amount)
	return e
}

func (e *purchaseEditor) collect() (crm.Purchase, crm.Errors) {
	p := e.purchase
	var es crm.Errors
	if d, err := crm.ParseDate(strings.TrimSpace(e.date.Text)); err == nil {
		p.Date = d
	} else {
		es = append(es, crm.FieldError{Field: "date", Key: "err.date", Args: map[string]any{"Value": e.date.Text}})
	}
	if m, err := crm.ParseMoney(e.amount.Text); err == nil {
		p.Amount = m
	} else {
		es = append(es, crm.FieldError{Field: "amount", Key: "err.amount", Args: map[string]any{"Value": e.amount.Text}})
	}
	p.Items = e.items.Text
	if i := e.channel.Selected; i == saleChannelLabel(crm.Online) {
		p.Channel = crm.Online
	} else {
		p.Channel = crm.Offline
	}
	return p, es
}

func (e *purchaseEditor) showErrors(es crm.Errors) {
	showFieldErrors(e.errs, e.status, es)
	e.form.Refresh()
}

func (e *purchaseEditor) onSave() {
	p, es := e.collect()
	crm.NormalizePurchase(&p)
	es = append(es, crm.ValidatePurchase(&p)...)
	e.showErrors(es)
	if len(es) > 0 {
		return
	}
	e.save.Disable()
	book := e.w.book
	e.w.persist(func(ctx context.Context) error { return book.SavePurchase(ctx, &p) }, e.showErrors, e.fail, e.save.Enable, func() {
		e.purchase = p
		e.finish()
	})
}

func (e *purchaseEditor) onDelete() {
	dialog.ShowConfirm(i18n.T("purchase.delete_title"), i18n.T("purchase.delete_question",
		"Date", e.purchase.Date.String(), "Amount", e.purchase.Amount.String()), func(ok bool) {
		if ok {
			e.deleteConfirmed()
		}
	}, e.w.win)
}

func (e *purchaseEditor) deleteConfirmed() {
	id := e.purchase.ID
	book := e.w.book
	e.w.persist(func(ctx context.Context) error { return book.DeletePurchase(ctx, id) }, e.showErrors, e.fail, nil, e.finish)
}

// fail shows why a save or delete did not happen.
func (e *purchaseEditor) fail(msg string) { setError(e.status, msg) }

// finish closes the dialog after a save or delete and tells whoever opened it.
func (e *purchaseEditor) finish() {
	e.close()
	if e.onDone != nil {
		e.onDone()
	}
}

func (e *purchaseEditor) close() {
	if e.w.editor == e {
		e.w.editor = nil
	}
	e.dlg.Hide()
}
