package ui

import (
	"context"
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

// cardEditor is the customer information card (顾客信息卡): basic and key information with
// validation next to each field, save, archive and restore.
type cardEditor struct {
	w        *Window
	customer *crm.Customer // the card as loaded; ID 0 for a new one

	header  *widget.Label
	sub     *widget.Label
	code    *widget.Entry
	name    *widget.Entry
	remark  *widget.Entry
	gender  *widget.RadioGroup
	phones  *widget.Entry
	wechat  *widget.Entry
	email   *widget.Entry
	address *widget.Entry
	company *widget.Entry
	title   *widget.Entry
	source  *widget.Entry

	tier      *widget.Select
	tags      *widget.Entry
	dnd       *widget.Check
	knowing   *widget.Select
	closeness *widget.Select
	loyalty   *widget.Select

	birthday    *keyDateEditor
	dates       []*keyDateEditor
	datesBox    *fyne.Container
	addDate     *widget.Button
	needs       *widget.Entry
	latentNeeds *widget.Entry
	preferences *widget.Entry
	interests   *widget.Entry
	notes       *widget.Entry

	errs    map[string]*widget.Label // field → its error label
	status  *widget.Label
	save    *widget.Button
	archive *widget.Button
	restore *widget.Button
	purge   *widget.Button
	tabs    *container.AppTabs
	history *timeline
	serve   *cardServe // services and complaints tab
	// Quick actions in the card's header, next to the history tab's log-contact and
	// add-purchase: schedule a service, record a complaint.
	scheduleBtn  *widget.Button
	complaintBtn *widget.Button
	derived      *derivedView      // stage, churn, RFM, suggested tier, portrait, completeness
	forms        []*fyne.Container // laid out again when error labels appear or go
	root         fyne.CanvasObject

	onSaved     func(*crm.Customer)
	onArchived  func(*crm.Customer)
	onPurged    func(*crm.Customer)
	purgeDialog *dialog.ConfirmDialog
}

var errFields = []string{"code", "name", "remark", "gender", "phones", "wechat", "email", "address",
	"company", "title", "source", "tier", "tags", "knowing", "closeness", "loyalty", "needs",
	"latent_needs", "preferences", "interests", "notes"}

func newCardEditor(w *Window, onSaved, onArchived func(*crm.Customer)) *cardEditor {
	e := &cardEditor{w: w, onSaved: onSaved, onArchived: onArchived, errs: map[string]*widget.Label{}}
	e.buildUI()
	return e
}

// basicFields are the fields of the card's first tab; the others are on the key tab.
var basicFields = map[string]bool{"code": true, "name": true, "remark": true, "gender": true,
	"phones": true, "wechat": true, "email": true, "address": true, "company": true, "title": true,
	"source": true, "tier": true, "tags": true, "knowing": true, "closeness": true, "loyalty": true}

func scaleOptions() []string { return []string{"—", "1", "2", "3", "4", "5"} }

func genderLabel(g crm.Gender) string { return i18n.T("gender." + string(g)) }

func (e *cardEditor) buildUI() {
	for _, f := range errFields {
		e.errs[f] = errorLabel()
	}
	entry := func(ph string) *widget.Entry {
		en := widget.NewEntry()
		en.SetPlaceHolder(ph)
		return en
	}
	multi := func(ph string) *widget.Entry {
		en := widget.NewMultiLineEntry()
		en.SetPlaceHolder(ph)
		en.Wrapping = fyne.TextWrapWord
		en.SetMinRowsVisible(2)
		return en
	}
	e.header = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	e.header.SizeName = theme.SizeNameSubHeadingText
	e.sub = widget.NewLabel("")
	e.sub.SizeName = theme.SizeNameCaptionText

	e.code = entry(i18n.T("card.code_auto"))
	e.name = entry(i18n.T("card.name_hint"))
	e.remark = entry(i18n.T("card.remark_hint"))
	var gl []string
	for _, g := range crm.Genders {
		gl = append(gl, genderLabel(g))
	}
	e.gender = widget.NewRadioGroup(gl, nil)
	e.gender.Horizontal = true
	e.gender.Required = true
	e.phones = multi(i18n.T("card.phones_hint"))
	e.wechat = entry("")
	e.email = entry("name@example.com")
	e.address = entry("")
	e.company = entry("")
	e.title = entry("")
	e.source = entry(i18n.T("card.source_hint"))

	var tl []string
	for _, t := range crm.Tiers {
		tl = append(tl, tierLabel(t))
	}
	e.tier = widget.NewSelect(tl, nil)
	e.tags = entry(i18n.T("card.tags_hint"))
	e.dnd = widget.NewCheck(i18n.T("card.dnd_hint"), nil)
	e.knowing = widget.NewSelect(scaleOptions(), nil)
	e.closeness = widget.NewSelect(scaleOptions(), nil)
	e.loyalty = widget.NewSelect(scaleOptions(), nil)

	e.birthday = newKeyDateEditor(e.w, false, nil)
	e.datesBox = container.NewVBox()
	e.addDate = widget.NewButtonWithIcon(i18n.T("card.add_date"), theme.ContentAddIcon(), func() {
		e.addDateEditor(crm.KeyDate{Calendar: crm.Solar})
	})
	e.needs = multi(i18n.T("card.needs_hint"))
	e.latentNeeds = multi("")
	e.preferences = multi("")
	e.interests = multi("")
	e.notes = multi("")
	e.notes.SetMinRowsVisible(3)

	e.status = widget.NewLabel("")
	e.status.Wrapping = fyne.TextWrapWord
	e.save = widget.NewButtonWithIcon(i18n.T("card.save"), theme.DocumentSaveIcon(), e.onSave)
	e.save.Importance = widget.HighImportance
	e.archive = widget.NewButtonWithIcon(i18n.T("card.archive"), theme.DeleteIcon(), e.onArchive)
	e.restore = widget.NewButtonWithIcon(i18n.T("card.restore"), theme.ContentUndoIcon(), e.onRestore)
	e.purge = widget.NewButtonWithIcon(i18n.T("card.purge"), theme.DeleteIcon(), e.onPurge)
	e.purge.Importance = widget.DangerImportance
	e.archive.Hide() // until setCustomer says which apply
	e.restore.Hide()
	e.purge.Hide()

	e.derived = newDerivedView(e)
	row := func(label string, field fyne.CanvasObject, errKey string) []fyne.CanvasObject {
		l := widget.NewLabelWithStyle(label, fyne.TextAlignTrailing, fyne.TextStyle{})
		if errKey == "" {
			return []fyne.CanvasObject{l, field}
		}
		return []fyne.CanvasObject{l, container.NewVBox(field, e.errs[errKey])}
	}
	form := func(rows ...[]fyne.CanvasObject) *fyne.Container {
		var objs []fyne.CanvasObject
		for _, r := range rows {
			objs = append(objs, r...)
		}
		return container.New(layout.NewFormLayout(), objs...)
	}
	section := func(title string) fyne.CanvasObject {
		l := widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		return container.NewVBox(l, widget.NewSeparator())
	}

	basic := container.NewVBox(
		e.derived.profile,
		form(
			row(i18n.T("field.name")+" *", e.name, "name"),
			row(i18n.T("field.remark"), e.remark, "remark"),
			row(i18n.T("field.code"), e.code, "code"),
			row(i18n.T("field.gender"), e.gender, "gender"),
			row(i18n.T("field.phones"), e.phones, "phones"),
			row(i18n.T("field.wechat"), e.wechat, "wechat"),
			row(i18n.T("field.email"), e.email, "email"),
			row(i18n.T("field.address"), e.address, "address"),
			row(i18n.T("field.company"), e.company, "company"),
			row(i18n.T("field.title"), e.title, "title"),
			row(i18n.T("field.source"), e.source, "source"),
		),
		section(i18n.T("card.classification")),
		form(
			row(i18n.T("field.tier"), container.NewBorder(nil, nil, nil, e.derived.suggest, e.tier), "tier"),
			row(i18n.T("field.tags"), e.tags, "tags"),
			row(i18n.T("field.dnd"), e.dnd, ""),
			row(i18n.T("field.knowing"), e.knowing, "knowing"),
			row(i18n.T("field.closeness"), e.closeness, "closeness"),
			row(i18n.T("field.loyalty"), e.loyalty, "loyalty"),
		),
	)
	key := container.NewVBox(
		section(i18n.T("field.birthday")),
		e.birthday.box,
		section(i18n.T("field.dates")),
		e.datesBox,
		container.NewHBox(e.addDate),
		section(i18n.T("card.needs_section")),
		form(
			row(i18n.T("field.needs"), e.needs, "needs"),
			row(i18n.T("field.latent_needs"), e.latentNeeds, "latent_needs"),
			row(i18n.T("field.preferences"), e.preferences, "preferences"),
			row(i18n.T("field.interests"), e.interests, "interests"),
			row(i18n.T("field.notes"), e.notes, "notes"),
		),
	)
	e.history = newTimeline(e.w, e)
	e.serve = newCardServe(e.w, e)
	e.scheduleBtn = widget.NewButtonWithIcon(i18n.T("cardserve.schedule"), theme.CalendarIcon(), e.serve.onSchedule)
	e.complaintBtn = widget.NewButtonWithIcon(i18n.T("cardserve.new_complaint"), theme.WarningIcon(), e.serve.onNewComplaint)
	e.scheduleBtn.Disable() // until a saved customer is on the card
	e.complaintBtn.Disable()
	e.tabs = container.NewAppTabs(
		container.NewTabItem(i18n.T("card.tab_basic"), container.NewVScroll(container.NewPadded(basic))),
		container.NewTabItem(i18n.T("card.tab_key"), container.NewVScroll(container.NewPadded(key))),
		container.NewTabItem(i18n.T("card.tab_dynamic"), container.NewPadded(container.NewBorder(
			e.derived.panel, nil, nil, nil, e.history.root))),
		container.NewTabItem(i18n.T("cardserve.tab"), container.NewPadded(e.serve.root)),
	)
	head := container.NewBorder(nil, nil, nil, container.NewHBox(e.scheduleBtn, e.complaintBtn),
		container.NewVBox(e.header, e.sub))
	foot := container.NewVBox(widget.NewSeparator(),
		container.NewBorder(nil, nil, e.save, container.NewHBox(e.archive, e.restore, e.purge), e.status))
	root := container.NewBorder(container.NewPadded(head), container.NewPadded(foot), nil, nil, e.tabs)
	e.forms = []*fyne.Container{basic, key, root}
	e.root = root
}

func scaleIndex(v int) int {
	if v < 0 || v > 5 {
		return 0
	}
	return v
}

// setCustomer shows c on the card.
func (e *cardEditor) setCustomer(c *crm.Customer) {
	e.customer = c
	e.clearErrors()
	e.setStatus(widget.MediumImportance, "")
	if c.ID == 0 {
		e.header.SetText(i18n.T("card.new_title"))
		e.sub.SetText(i18n.T("card.new_sub"))
	} else {
		e.header.SetText(c.Name)
		e.sub.SetText(i18n.T("card.sub", "Code", c.Code, "Created", c.Created.String()))
	}
	e.code.SetText(c.Code)
	e.name.SetText(c.Name)
	e.remark.SetText(c.Remark)
	g := c.Gender
	if g == "" {
		g = crm.GenderUnknown
	}
	e.gender.SetSelected(genderLabel(g))
	var ph []string
	for _, p := range c.Phones {
		ph = append(ph, crm.FormatPhone(p))
	}
	e.phones.SetText(strings.Join(ph, "\n"))
	e.wechat.SetText(c.WeChat)
	e.email.SetText(c.Email)
	e.address.SetText(c.Address)
	e.company.SetText(c.Company)
	e.title.SetText(c.Title)
	e.source.SetText(c.Source)
	t := c.Tier
	if t == "" {
		t = crm.TierOrdinary
	}
	e.tier.SetSelected(tierLabel(t))
	e.tags.SetText(strings.Join(c.Tags, "; "))
	e.dnd.SetChecked(c.DoNotDisturb)
	e.knowing.SetSelectedIndex(scaleIndex(c.Knowing))
	e.closeness.SetSelectedIndex(scaleIndex(c.Closeness))
	e.loyalty.SetSelectedIndex(scaleIndex(c.Loyalty))

	e.birthday.set(c.Birthday)
	e.dates = nil
	e.datesBox.Objects = nil
	for _, d := range c.Dates {
		e.addDateEditor(d)
	}
	e.datesBox.Refresh()
	e.needs.SetText(c.Needs)
	e.latentNeeds.SetText(c.LatentNeeds)
	e.preferences.SetText(c.Preferences)
	e.interests.SetText(c.Interests)
	e.notes.SetText(c.Notes)

	e.archive.Hidden = c.ID == 0 || c.Archived
	e.restore.Hidden = !c.Archived
	e.purge.Hidden = !c.Archived
	e.archive.Refresh()
	e.restore.Refresh()
	e.purge.Refresh()
	if c.ID == 0 {
		e.tabs.SelectIndex(0) // a new card starts with the basics; others keep the tab in view
	}
	for _, b := range []*widget.Button{e.scheduleBtn, e.complaintBtn} {
		if c.ID == 0 {
			b.Disable()
		} else {
			b.Enable()
		}
	}
	e.history.load()
	e.serve.load()
	e.derived.setCustomer(c)
}

// loadTimeline reloads the history of the customer on the card, and what is derived from it
// (after a record or purchase changed).
func (e *cardEditor) loadTimeline() {
	e.history.load()
	e.derived.load()
}

// tierChanged shows tier t, written to the book by other means than the card's Save (the
// suggested tier applied), as the customer's tier, and reads the derived fields again.
func (e *cardEditor) tierChanged(t crm.Tier) {
	if e.customer == nil {
		return
	}
	e.customer.Tier = t
	e.tier.SetSelected(tierLabel(t))
	e.derived.load()
}

// showActivity adds the derived last contact and last purchase to the card's header.
func (e *cardEditor) showActivity(a crm.Activity) {
	c := e.customer
	if c == nil || c.ID == 0 {
		return
	}
	sub := i18n.T("card.sub", "Code", c.Code, "Created", c.Created.String())
	if !a.LastContact.IsZero() {
		sub += " · " + i18n.T("card.last_contact", "Date", crm.DateOf(a.LastContact).String())
	}
	if !a.LastPurchase.IsZero() {
		sub += " · " + i18n.T("card.last_purchase", "Date", a.LastPurchase.String())
	}
	e.sub.SetText(sub)
}

func (e *cardEditor) addDateEditor(k crm.KeyDate) {
	var ed *keyDateEditor
	ed = newKeyDateEditor(e.w, true, func() {
		for i, x := range e.dates {
			if x == ed {
				e.dates = append(e.dates[:i], e.dates[i+1:]...)
				e.datesBox.Remove(ed.box)
				return
			}
		}
	})
	ed.set(&k)
	e.dates = append(e.dates, ed)
	e.datesBox.Add(ed.box)
}

// splitList splits what a user typed into a multi-value field: new lines and the separators of
// PRODUCT.md §5 (; , ， 、 ；).
func splitList(s string) []string {
	f := strings.FieldsFunc(s, func(r rune) bool {
		return r == '\n' || r == ';' || r == ',' || r == '，' || r == '、' || r == '；'
	})
	var out []string
	for _, x := range f {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// collect reads the card's widgets into a customer, with the errors of fields that do not even
// parse (a year that is not a number).
func (e *cardEditor) collect() (*crm.Customer, crm.Errors) {
	c := &crm.Customer{}
	if e.customer != nil {
		c.ID = e.customer.ID
		c.Created = e.customer.Created
		c.Archived = e.customer.Archived
	}
	c.Code = e.code.Text
	c.Name = e.name.Text
	c.Remark = e.remark.Text
	c.Gender = crm.GenderUnknown
	if i := e.gender.Selected; i != "" {
		for _, g := range crm.Genders {
			if genderLabel(g) == i {
				c.Gender = g
			}
		}
	}
	c.Phones = splitList(e.phones.Text)
	c.WeChat = e.wechat.Text
	c.Email = e.email.Text
	c.Address = e.address.Text
	c.Company = e.company.Text
	c.Title = e.title.Text
	c.Source = e.source.Text
	c.Tier = crm.TierOrdinary
	if i := e.tier.SelectedIndex(); i >= 0 {
		c.Tier = crm.Tiers[i]
	}
	c.Tags = splitList(e.tags.Text)
	c.DoNotDisturb = e.dnd.Checked
	c.Knowing = max(e.knowing.SelectedIndex(), 0)
	c.Closeness = max(e.closeness.SelectedIndex(), 0)
	c.Loyalty = max(e.loyalty.SelectedIndex(), 0)
	c.Needs = e.needs.Text
	c.LatentNeeds = e.latentNeeds.Text
	c.Preferences = e.preferences.Text
	c.Interests = e.interests.Text
	c.Notes = e.notes.Text

	var errs crm.Errors
	b, err := e.birthday.get("birthday")
	if err != nil {
		errs = append(errs, *err)
	}
	c.Birthday = b
	for i, ed := range e.dates {
		k, err := ed.get("dates[" + strconv.Itoa(i) + "]")
		if err != nil {
			errs = append(errs, *err)
			continue
		}
		if k != nil {
			c.Dates = append(c.Dates, *k)
		}
	}
	return c, errs
}

func (e *cardEditor) clearErrors() {
	for _, l := range e.errs {
		setError(l, "")
	}
	e.birthday.setError("")
	for _, d := range e.dates {
		d.setError("")
	}
	e.relayout()
}

// relayout lays the forms out again after messages appeared or went.
func (e *cardEditor) relayout() {
	for _, f := range e.forms {
		f.Refresh()
	}
}

// showErrors puts each error next to its field; list fields ("phones[1]") gather theirs.
func (e *cardEditor) showErrors(errs crm.Errors) {
	e.clearErrors()
	texts := map[string][]string{}
	for i := range errs {
		fe := &errs[i]
		field := fe.Field
		if j := strings.IndexByte(field, '['); j >= 0 {
			base := field[:j]
			if base == "dates" {
				k := strings.IndexByte(field, ']')
				n, _ := strconv.Atoi(field[j+1 : k])
				if n < len(e.dates) {
					e.dates[n].appendError(fieldErrorText(fe))
				}
				continue
			}
			field = base
		}
		if field == "birthday" {
			e.birthday.appendError(fieldErrorText(fe))
			continue
		}
		texts[field] = append(texts[field], fieldErrorText(fe))
	}
	for f, ts := range texts {
		if l, ok := e.errs[f]; ok {
			setError(l, strings.Join(ts, "\n"))
		}
	}
	e.setStatus(widget.DangerImportance, i18n.T("card.fix_fields", "Count", len(errs)))
	// When every error is on the key tab, show that tab.
	onBasic := false
	for f := range texts {
		if basicFields[f] {
			onBasic = true
		}
	}
	if !onBasic {
		e.tabs.SelectIndex(1)
	}
	e.relayout()
}

// setStatus shows a message at the foot of the card (empty text hides it).
func (e *cardEditor) setStatus(importance widget.Importance, text string) {
	e.status.Importance = importance
	setError(e.status, text)
	e.relayout()
}

// fail shows why a save, archive, restore or purge did not happen.
func (e *cardEditor) fail(msg string) { e.setStatus(widget.DangerImportance, msg) }

// onSave validates next to the fields and, when the card is valid, saves it off the UI goroutine.
func (e *cardEditor) onSave() {
	if e.customer == nil {
		return
	}
	c, errs := e.collect()
	crm.NormalizeCustomer(c)
	errs = append(errs, crm.ValidateCustomer(c)...)
	if len(errs) > 0 {
		e.showErrors(errs)
		return
	}
	e.clearErrors()
	e.save.Disable()
	book := e.w.book
	e.w.persist(func(ctx context.Context) error { return book.SaveCustomer(ctx, c) }, e.showErrors, e.fail, e.save.Enable, func() {
		e.setCustomer(c)
		e.setStatus(widget.SuccessImportance, i18n.T("card.saved", "Name", c.Name))
		if e.onSaved != nil {
			e.onSaved(c)
		}
	})
}

// act runs op on the card's customer off the UI goroutine, then done on it; a failure is shown
// at the foot of the card.
func (e *cardEditor) act(op func(ctx context.Context, id int64) error, done func(c *crm.Customer)) {
	c := e.customer
	if c == nil || c.ID == 0 {
		return
	}
	e.w.persist(func(ctx context.Context) error { return op(ctx, c.ID) }, e.showErrors, e.fail, nil, func() { done(c) })
}

func (e *cardEditor) onArchive() {
	e.act(e.w.book.ArchiveCustomer, func(c *crm.Customer) {
		c.Archived = true
		if e.onArchived != nil {
			e.onArchived(c)
		}
	})
}

func (e *cardEditor) onRestore() {
	e.act(e.w.book.RestoreCustomer, func(c *crm.Customer) {
		c.Archived = false
		e.setCustomer(c)
		e.setStatus(widget.SuccessImportance, i18n.T("card.restored", "Name", c.Name))
		if e.onSaved != nil {
			e.onSaved(c)
		}
	})
}

// onPurge deletes an archived customer for good, with everything recorded about them, after the
// user confirms: unlike archiving, it cannot be undone.
func (e *cardEditor) onPurge() {
	c := e.customer
	if c == nil || c.ID == 0 || !c.Archived {
		return
	}
	d := dialog.NewConfirm(i18n.T("card.purge_title"), i18n.T("card.purge_question", "Name", c.Name, "Code", c.Code),
		func(ok bool) {
			if ok {
				e.purgeConfirmed()
			}
		}, e.w.win)
	d.SetConfirmText(i18n.T("card.purge"))
	d.SetDismissText(i18n.T("common.cancel"))
	e.purgeDialog = d
	d.Show()
}

func (e *cardEditor) purgeConfirmed() {
	e.act(e.w.book.PurgeCustomer, func(c *crm.Customer) {
		if e.onPurged != nil {
			e.onPurged(c)
		}
	})
}
