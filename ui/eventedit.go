package ui

import (
	"context"
	"slices"
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

// eventEditor creates, edits or deletes an event: name, date, purpose, script, invite window,
// notes and the audience (tags, tiers, lifecycle stages, RFM segments; none checked = everyone).
type eventEditor struct {
	w     *Window
	event crm.Event // ID 0 for a new one

	name     *widget.Entry
	date     *widget.Entry
	purpose  *widget.Entry
	script   *widget.Entry
	window   *widget.Entry
	notes    *widget.Entry
	tagNames []string
	tags     []*widget.Check // by tagNames
	tagBox   *fyne.Container
	tiers    []*widget.Check // by crm.Tiers
	stages   []*widget.Check // by crm.Stages
	segments []*widget.Check // by crm.Segments
	everyone *widget.Label

	errs   map[string]*widget.Label
	status *widget.Label
	save   *widget.Button
	cancel *widget.Button
	del    *widget.Button
	form   *fyne.Container
	dlg    *dialog.CustomDialog
	onDone func(id int64) // after a save (the event's id) or a delete (0)
}

// editEvent opens the event editor for e (ID 0: a new event a week from today).
func (w *Window) editEvent(e crm.Event, onDone func(id int64)) *eventEditor {
	if e.ID == 0 && e.Date.IsZero() {
		e.Date = w.today().AddDays(crm.DefaultInviteWindow)
		e.WindowDays = crm.DefaultInviteWindow
	}
	ed := &eventEditor{w: w, event: e, onDone: onDone, errs: map[string]*widget.Label{}}
	ed.buildUI()
	w.editor = ed
	ed.dlg.Show()
	w.win.Canvas().Focus(ed.name)
	ed.loadTags()
	return ed
}

func (ed *eventEditor) buildUI() {
	e := ed.event
	for _, f := range []string{"name", "date", "purpose", "script", "window_days", "notes", "audience"} {
		ed.errs[f] = errorLabel()
	}
	ed.name = widget.NewEntry()
	ed.name.SetPlaceHolder(i18n.T("event.name_hint"))
	ed.name.SetText(e.Name)
	ed.date = widget.NewEntry()
	ed.date.SetPlaceHolder("YYYY-MM-DD")
	ed.date.SetText(e.Date.String())
	ed.purpose = widget.NewMultiLineEntry()
	ed.purpose.Wrapping = fyne.TextWrapWord
	ed.purpose.SetMinRowsVisible(2)
	ed.purpose.SetPlaceHolder(i18n.T("event.purpose_hint"))
	ed.purpose.SetText(e.Purpose)
	ed.script = widget.NewMultiLineEntry()
	ed.script.Wrapping = fyne.TextWrapWord
	ed.script.SetMinRowsVisible(4)
	ed.script.SetPlaceHolder(i18n.T("event.script_placeholder"))
	ed.script.SetText(e.Script)
	scriptHint := widget.NewLabel(i18n.T("event.script_hint"))
	scriptHint.Wrapping = fyne.TextWrapWord
	scriptHint.Importance = widget.LowImportance
	ed.window = widget.NewEntry()
	ed.window.SetText(strconv.Itoa(e.WindowDays))
	windowHint := widget.NewLabel(i18n.T("event.window_hint"))
	windowHint.Importance = widget.LowImportance
	ed.notes = widget.NewMultiLineEntry()
	ed.notes.Wrapping = fyne.TextWrapWord
	ed.notes.SetMinRowsVisible(2)
	ed.notes.SetText(e.Notes)

	ed.everyone = widget.NewLabel("")
	ed.everyone.Wrapping = fyne.TextWrapWord
	ed.everyone.Importance = widget.LowImportance
	ed.tiers = ed.checks(labelsOf(crm.Tiers, tierLabel), func(i int) bool { return slices.Contains(e.Audience.Tiers, crm.Tiers[i]) })
	ed.stages = ed.checks(labelsOf(crm.Stages, stageText), func(i int) bool { return slices.Contains(e.Audience.Stages, crm.Stages[i]) })
	ed.segments = ed.checks(labelsOf(crm.Segments, segmentText), func(i int) bool {
		return slices.Contains(e.Audience.Segments, crm.Segments[i])
	})
	ed.tagBox = container.NewGridWithColumns(4)
	ed.setTagNames(e.Audience.Tags)

	ed.status = errorLabel()
	ed.save = widget.NewButtonWithIcon(i18n.T("card.save"), theme.ConfirmIcon(), ed.onSave)
	ed.save.Importance = widget.HighImportance
	ed.cancel = widget.NewButton(i18n.T("common.cancel"), ed.close)
	ed.del = widget.NewButtonWithIcon(i18n.T("common.delete"), theme.DeleteIcon(), ed.onDelete)
	ed.del.Importance = widget.DangerImportance
	if e.ID == 0 {
		ed.del.Hide()
	}

	row := func(label string, field fyne.CanvasObject, errKey string) []fyne.CanvasObject {
		return []fyne.CanvasObject{widget.NewLabelWithStyle(label, fyne.TextAlignTrailing, fyne.TextStyle{}),
			container.NewVBox(field, ed.errs[errKey])}
	}
	plain := func(label string, field fyne.CanvasObject) []fyne.CanvasObject {
		return []fyne.CanvasObject{widget.NewLabelWithStyle(label, fyne.TextAlignTrailing, fyne.TextStyle{}), field}
	}
	grid := func(cs []*widget.Check) fyne.CanvasObject {
		g := container.NewGridWithColumns(4)
		for _, c := range cs {
			g.Add(c)
		}
		return g
	}
	var objs []fyne.CanvasObject
	for _, r := range [][]fyne.CanvasObject{
		row(i18n.T("event.name"), ed.name, "name"),
		row(i18n.T("event.date"), ed.date, "date"),
		row(i18n.T("event.window"), container.NewBorder(nil, nil, nil, windowHint, ed.window), "window_days"),
		row(i18n.T("event.purpose"), ed.purpose, "purpose"),
		row(i18n.T("event.script"), container.NewVBox(ed.script, scriptHint), "script"),
		row(i18n.T("event.notes"), ed.notes, "notes"),
		row(i18n.T("event.audience"), ed.everyone, "audience"),
		plain(i18n.T("event.tags"), ed.tagBox),
		plain(i18n.T("event.tiers"), grid(ed.tiers)),
		plain(i18n.T("event.stages"), grid(ed.stages)),
		plain(i18n.T("event.segments"), grid(ed.segments)),
	} {
		objs = append(objs, r...)
	}
	ed.form = container.New(layout.NewFormLayout(), objs...)
	ed.updateEveryone()
	buttons := container.NewHBox(ed.del, layout.NewSpacer(), ed.cancel, ed.save)
	body := container.NewBorder(nil, container.NewVBox(ed.status, buttons), nil, nil, container.NewVScroll(ed.form))
	title := i18n.T("events.new_title")
	if e.ID != 0 {
		title = i18n.T("events.edit_title")
	}
	ed.dlg = dialog.NewCustomWithoutButtons(title, body, ed.w.win)
	ed.dlg.Resize(fyne.NewSize(820, 700))
}

// checks makes a check per label, checked when on(i).
func (ed *eventEditor) checks(labels []string, on func(i int) bool) []*widget.Check {
	out := make([]*widget.Check, len(labels))
	for i, l := range labels {
		out[i] = widget.NewCheck(l, func(bool) { ed.updateEveryone() })
		out[i].Checked = on(i)
	}
	return out
}

// setTagNames shows a check per tag of the book, and the event's own tags even when no
// customer has them any more; checked keeps its checks.
func (ed *eventEditor) setTagNames(checked []string) {
	names := slices.Clone(ed.tagNames)
	for _, t := range checked {
		if !slices.Contains(names, t) {
			names = append(names, t)
		}
	}
	ed.tagNames = names
	ed.tags = ed.checks(names, func(i int) bool { return slices.Contains(checked, names[i]) })
	ed.tagBox.Objects = nil
	for _, c := range ed.tags {
		ed.tagBox.Add(c)
	}
	if len(names) == 0 {
		l := widget.NewLabel(i18n.T("event.no_tags"))
		l.Importance = widget.LowImportance
		ed.tagBox.Add(l)
	}
	ed.tagBox.Refresh()
}

// loadTags reads the book's tags off the UI goroutine.
func (ed *eventEditor) loadTags() {
	book := ed.w.book
	ed.w.async(func() func() {
		names, err := book.TagNames(context.Background())
		return func() {
			if err != nil {
				return
			}
			checked := ed.checkedTags()
			ed.tagNames = names
			ed.setTagNames(checked)
			ed.form.Refresh()
		}
	})
}

func (ed *eventEditor) checkedTags() []string {
	var out []string
	for i, c := range ed.tags {
		if c.Checked {
			out = append(out, ed.tagNames[i])
		}
	}
	return out
}

func checkedOf[T any](cs []*widget.Check, values []T) []T {
	var out []T
	for i, c := range cs {
		if c.Checked {
			out = append(out, values[i])
		}
	}
	return out
}

func (ed *eventEditor) audience() crm.Audience {
	return crm.Audience{
		Tags:     ed.checkedTags(),
		Tiers:    checkedOf(ed.tiers, crm.Tiers),
		Stages:   checkedOf(ed.stages, crm.Stages),
		Segments: checkedOf(ed.segments, crm.Segments),
	}
}

// updateEveryone says whom the checked groups make the audience.
func (ed *eventEditor) updateEveryone() {
	if ed.everyone == nil || ed.tagBox == nil {
		return
	}
	if ed.audience().IsEveryone() {
		ed.everyone.SetText(i18n.T("event.audience_everyone"))
	} else {
		ed.everyone.SetText(i18n.T("event.audience_some"))
	}
}

// collect reads the fields; errors of fields that do not parse come back with it.
func (ed *eventEditor) collect() (crm.Event, crm.Errors) {
	e := ed.event
	var es crm.Errors
	e.Name = ed.name.Text
	if d, err := crm.ParseDate(strings.TrimSpace(ed.date.Text)); err == nil {
		e.Date = d
	} else if strings.TrimSpace(ed.date.Text) == "" {
		es = append(es, crm.FieldError{Field: "date", Key: "err.required"})
	} else {
		es = append(es, crm.FieldError{Field: "date", Key: "err.date", Args: map[string]any{"Value": ed.date.Text}})
	}
	switch n, err := strconv.Atoi(strings.TrimSpace(ed.window.Text)); {
	case strings.TrimSpace(ed.window.Text) == "":
		es = append(es, crm.FieldError{Field: "window_days", Key: "err.required"})
	case err != nil:
		es = append(es, crm.FieldError{Field: "window_days", Key: "err.number", Args: map[string]any{"Value": ed.window.Text}})
	default:
		e.WindowDays = n
	}
	e.Purpose = ed.purpose.Text
	e.Script = ed.script.Text
	e.Notes = ed.notes.Text
	e.Audience = ed.audience()
	return e, es
}

// audienceErrors moves the errors of the audience's lists (tags[i], tiers[i]…) to "audience".
func audienceErrors(es crm.Errors) crm.Errors {
	out := slices.Clone(es)
	for i := range out {
		if f := out[i].Field; strings.Contains(f, "[") {
			out[i].Field = "audience"
		}
	}
	return out
}

func (ed *eventEditor) showErrors(es crm.Errors) {
	showFieldErrors(ed.errs, ed.status, audienceErrors(es))
	ed.form.Refresh()
}

// onSave validates next to the fields and saves off the UI goroutine (Ctrl+S too).
func (ed *eventEditor) onSave() {
	e, es := ed.collect()
	crm.NormalizeEvent(&e)
	for _, v := range crm.ValidateEvent(&e) {
		// A field that did not parse already says why.
		if !slices.ContainsFunc(es, func(x crm.FieldError) bool { return x.Field == v.Field }) {
			es = append(es, v)
		}
	}
	ed.showErrors(es)
	if len(es) > 0 {
		return
	}
	ed.save.Disable()
	book := ed.w.book
	ed.w.persist(func(ctx context.Context) error { return book.SaveEvent(ctx, &e) }, ed.showErrors, ed.fail, ed.save.Enable, func() {
		ed.event = e
		ed.finish(e.ID)
	})
}

func (ed *eventEditor) onDelete() {
	if ed.event.ID == 0 {
		return
	}
	dialog.ShowConfirm(i18n.T("events.delete_title"), i18n.T("events.delete_question_short", "Name", ed.event.Name),
		func(ok bool) {
			if ok {
				ed.deleteConfirmed()
			}
		}, ed.w.win)
}

func (ed *eventEditor) deleteConfirmed() {
	id := ed.event.ID
	book := ed.w.book
	ed.w.persist(func(ctx context.Context) error { return book.DeleteEvent(ctx, id) }, ed.showErrors, ed.fail, nil,
		func() { ed.finish(0) })
}

// fail shows why a save or delete did not happen.
func (ed *eventEditor) fail(msg string) { setError(ed.status, msg) }

// finish closes the dialog after a save or delete and tells whoever opened it.
func (ed *eventEditor) finish(id int64) {
	ed.close()
	if ed.onDone != nil {
		ed.onDone(id)
	}
}

func (ed *eventEditor) close() {
	if ed.w.editor == ed {
		ed.w.editor = nil
	}
	ed.dlg.Hide()
}
