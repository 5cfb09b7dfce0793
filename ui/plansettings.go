package ui

import (
	"context"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"carebook/assets/i18n"
	"carebook/crm"
)

// planSettings is the part of Settings that edits the planner's rules (every number of
// PRODUCT.md §2), the holidays and the message templates.
type planSettings struct {
	w *Window

	steps, grace, lead              *widget.Entry
	cadence                         map[crm.Tier]*widget.Entry
	dormant, halfLost, lost, recall *widget.Entry
	holidays                        map[string]*widget.Check
	errs                            map[string]*widget.Label
	save, reset                     *widget.Button
	status                          *widget.Label
	template                        *widget.Select
	templateKeys                    []string
	body                            *widget.Entry
	saveTemplate, defaultTemplate   *widget.Button
	templateStatus                  *widget.Label
	templates                       map[string]string
	rulesCard, textsCard            fyne.CanvasObject
	holidaysBox                     *fyne.Container
}

func newPlanSettings(w *Window) *planSettings {
	p := &planSettings{w: w, cadence: map[crm.Tier]*widget.Entry{}, holidays: map[string]*widget.Check{},
		errs: map[string]*widget.Label{}}
	p.buildUI()
	p.load()
	return p
}

func (p *planSettings) buildUI() {
	num := func(field string) *widget.Entry {
		e := widget.NewEntry()
		p.errs[field] = errorLabel()
		return e
	}
	p.steps = num("steps")
	p.grace = num("grace")
	p.lead = num("lead_days")
	for _, t := range crm.Tiers {
		p.cadence[t] = num("cadence." + string(t))
	}
	p.dormant, p.halfLost, p.lost = num("dormant"), num("half_lost"), num("lost")
	p.recall = num("recall_repeat")
	row := func(label, field string, e *widget.Entry, hint string) []*widget.FormItem {
		// The hint wraps (a form's own hint text would not, and would widen the form).
		h := widget.NewLabel(hint)
		h.Wrapping = fyne.TextWrapWord
		h.SizeName = theme.SizeNameCaptionText
		return []*widget.FormItem{widget.NewFormItem(label, container.New(layout.NewCustomPaddedVBoxLayout(0), e, h, p.errs[field]))}
	}
	// Left: the 1-3-7 follow-ups, birthdays and keep-in-touch cadence; right: churn and
	// recall; below both the holidays, then Save and Reset.
	var visits, churn []*widget.FormItem
	visits = append(visits, row(i18n.T("rules.steps"), "steps", p.steps, i18n.T("rules.steps_hint"))...)
	visits = append(visits, row(i18n.T("rules.grace"), "grace", p.grace, i18n.T("rules.grace_hint"))...)
	visits = append(visits, row(i18n.T("rules.lead"), "lead_days", p.lead, i18n.T("rules.lead_hint"))...)
	for _, t := range crm.Tiers {
		visits = append(visits, row(i18n.T("rules.cadence", "Tier", tierLabel(t)), "cadence."+string(t), p.cadence[t], i18n.T("rules.cadence_hint"))...)
	}
	churn = append(churn, row(i18n.T("rules.dormant"), "dormant", p.dormant, i18n.T("rules.dormant_hint"))...)
	churn = append(churn, row(i18n.T("rules.half_lost"), "half_lost", p.halfLost, i18n.T("rules.half_lost_hint"))...)
	churn = append(churn, row(i18n.T("rules.lost"), "lost", p.lost, i18n.T("rules.lost_hint"))...)
	churn = append(churn, row(i18n.T("rules.recall"), "recall_repeat", p.recall, i18n.T("rules.recall_hint"))...)

	var checks []fyne.CanvasObject
	for _, h := range crm.Holidays {
		c := widget.NewCheck(holidayName(h.Key), nil)
		p.holidays[h.Key] = c
		checks = append(checks, c)
	}
	holidaysTitle := widget.NewLabelWithStyle(i18n.T("rules.holidays"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	holidaysSub := widget.NewLabel(i18n.T("rules.holidays_sub"))
	holidaysSub.Wrapping = fyne.TextWrapWord
	holidaysSub.SizeName = theme.SizeNameCaptionText
	// As many holidays a line as fit.
	var cell fyne.Size
	for _, c := range checks {
		cell = cell.Max(c.MinSize())
	}
	p.holidaysBox = container.NewVBox(widget.NewSeparator(), holidaysTitle, holidaysSub, container.NewGridWrap(cell, checks...))

	p.save = widget.NewButtonWithIcon(i18n.T("rules.save"), theme.DocumentSaveIcon(), p.onSave)
	p.save.Importance = widget.HighImportance
	p.reset = widget.NewButtonWithIcon(i18n.T("rules.reset"), theme.ContentUndoIcon(), p.onReset)
	p.status = errorLabel()
	p.rulesCard = widget.NewCard(i18n.T("rules.title"), i18n.T("rules.sub"), container.NewVBox(
		container.NewGridWithColumns(2, widget.NewForm(visits...), widget.NewForm(churn...)), p.holidaysBox,
		container.NewHBox(p.save, p.reset), p.status))

	p.templateKeys = crm.TemplateKeys
	names := make([]string, len(p.templateKeys))
	for i, k := range p.templateKeys {
		names[i] = i18n.T("tplname." + k)
	}
	p.body = widget.NewMultiLineEntry()
	p.body.Wrapping = fyne.TextWrapWord
	p.body.SetMinRowsVisible(4)
	p.template = widget.NewSelect(names, func(string) { p.showTemplate() })
	p.saveTemplate = widget.NewButtonWithIcon(i18n.T("rules.template_save"), theme.DocumentSaveIcon(), p.onSaveTemplate)
	p.defaultTemplate = widget.NewButtonWithIcon(i18n.T("rules.template_default"), theme.ContentUndoIcon(), p.onDefaultTemplate)
	p.templateStatus = widget.NewLabel("")
	p.templateStatus.Wrapping = fyne.TextWrapWord
	hint := widget.NewLabel(i18n.T("rules.placeholders"))
	hint.Wrapping = fyne.TextWrapWord
	hint.SizeName = theme.SizeNameCaptionText
	p.textsCard = widget.NewCard(i18n.T("rules.templates"), i18n.T("rules.templates_sub"), container.NewVBox(
		p.template, p.body, hint, container.NewHBox(p.saveTemplate, p.defaultTemplate), p.templateStatus))
}

// load reads the settings and templates off the UI goroutine and fills the form.
func (p *planSettings) load() {
	book, lang := p.w.book, string(i18n.Current())
	p.w.async(func() func() {
		ps, err := book.PlanSettings(context.Background())
		tpl, err2 := book.Templates(context.Background(), lang)
		return func() {
			if err == nil {
				err = err2
			}
			if err != nil {
				setError(p.status, i18n.T("rules.load_failed", "Error", err))
				return
			}
			p.fill(ps)
			p.templates = tpl
			if p.template.SelectedIndex() < 0 {
				p.template.SetSelectedIndex(0)
			} else {
				p.showTemplate()
			}
		}
	})
}

// fill shows ps in the form.
func (p *planSettings) fill(ps crm.PlanSettings) {
	steps := make([]string, len(ps.Steps))
	for i, v := range ps.Steps {
		steps[i] = strconv.Itoa(v)
	}
	p.steps.SetText(strings.Join(steps, ", "))
	set := func(e *widget.Entry, v int) { e.SetText(strconv.Itoa(v)) }
	set(p.grace, ps.Grace)
	set(p.lead, ps.LeadDays)
	for _, t := range crm.Tiers {
		set(p.cadence[t], ps.Cadence[t])
	}
	set(p.dormant, ps.Dormant)
	set(p.halfLost, ps.HalfLost)
	set(p.lost, ps.Lost)
	set(p.recall, ps.RecallRepeat)
	for k, c := range p.holidays {
		c.SetChecked(ps.Holidays[k])
	}
}

// collect reads the form; fields that are not numbers are errors.
func (p *planSettings) collect() (crm.PlanSettings, crm.Errors) {
	ps := crm.DefaultPlanSettings()
	var es crm.Errors
	if st, ok := crm.ParseSteps(p.steps.Text); ok {
		ps.Steps = st
	} else {
		es = append(es, crm.FieldError{Field: "steps", Key: "err.steps", Args: map[string]any{"Max": crm.MaxStepDays}})
	}
	num := func(field string, e *widget.Entry, dst *int) {
		n, err := strconv.Atoi(strings.TrimSpace(e.Text))
		if err != nil {
			es = append(es, crm.FieldError{Field: field, Key: "err.number", Args: map[string]any{"Value": e.Text}})
			return
		}
		*dst = n
	}
	num("grace", p.grace, &ps.Grace)
	num("lead_days", p.lead, &ps.LeadDays)
	for _, t := range crm.Tiers {
		v := ps.Cadence[t]
		num("cadence."+string(t), p.cadence[t], &v)
		ps.Cadence[t] = v
	}
	num("dormant", p.dormant, &ps.Dormant)
	num("half_lost", p.halfLost, &ps.HalfLost)
	num("lost", p.lost, &ps.Lost)
	num("recall_repeat", p.recall, &ps.RecallRepeat)
	for k, c := range p.holidays {
		ps.Holidays[k] = c.Checked
	}
	if len(es) == 0 {
		es = ps.Validate()
	}
	return ps, es
}

func (p *planSettings) onSave() {
	ps, es := p.collect()
	p.showErrors(es)
	if len(es) > 0 {
		return
	}
	p.save.Disable()
	p.w.persist(func(ctx context.Context) error { return p.w.book.SetPlanSettings(ctx, ps) },
		p.showErrors, func(msg string) { setError(p.status, msg) }, p.save.Enable, func() {
			p.status.Importance = widget.SuccessImportance
			setError(p.status, i18n.T("rules.saved"))
			p.w.todayView.reload()
		})
}

func (p *planSettings) showErrors(es crm.Errors) {
	p.status.Importance = widget.DangerImportance
	showFieldErrors(p.errs, p.status, es)
}

// onReset puts the defaults of the rules in the form (saved with Save).
func (p *planSettings) onReset() {
	p.fill(crm.DefaultPlanSettings())
	p.showErrors(nil)
}

func (p *planSettings) selectedTemplate() string {
	i := p.template.SelectedIndex()
	if i < 0 {
		return ""
	}
	return p.templateKeys[i]
}

// showTemplate shows the selected template: the user's, else the default.
func (p *planSettings) showTemplate() {
	k := p.selectedTemplate()
	if k == "" {
		return
	}
	body := p.templates[k]
	if body == "" {
		body = i18n.T("tpl." + k)
	}
	p.body.SetText(body)
	p.templateStatus.SetText("")
}

func (p *planSettings) onSaveTemplate() { p.storeTemplate(p.body.Text) }

func (p *planSettings) onDefaultTemplate() { p.storeTemplate("") }

// storeTemplate saves body as the selected template ("" restores the default).
func (p *planSettings) storeTemplate(body string) {
	k := p.selectedTemplate()
	if k == "" {
		return
	}
	if strings.TrimSpace(body) == strings.TrimSpace(i18n.T("tpl."+k)) {
		body = "" // the default itself: keep following it
	}
	lang := string(i18n.Current())
	p.w.persist(func(ctx context.Context) error { return p.w.book.SetTemplate(ctx, lang, k, body) },
		func(es crm.Errors) { p.templateStatus.SetText(fieldErrorText(&es[0])) },
		func(msg string) { p.templateStatus.SetText(msg) }, nil, func() {
			if p.templates == nil {
				p.templates = map[string]string{}
			}
			p.templates[k] = strings.TrimSpace(body)
			p.showTemplate()
			p.templateStatus.SetText(i18n.T("rules.template_saved"))
			p.w.todayView.reload()
		})
}
