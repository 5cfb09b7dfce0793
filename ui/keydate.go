package ui

import (
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"carebook/assets/i18n"
	"carebook/crm"
)

// keyDateEditor edits a birthday or another important date: solar or lunar, month and day, an
// optional year and the leap-month flag, and shows the date in both calendars.
type keyDateEditor struct {
	w        *Window
	label    *widget.Entry // nil for the birthday
	calendar *widget.RadioGroup
	year     *widget.Entry
	month    *widget.Select
	day      *widget.Select
	leap     *widget.Check
	remove   *widget.Button
	info     *widget.Label
	err      *widget.Label
	box      *fyne.Container
}

func newKeyDateEditor(w *Window, withLabel bool, onRemove func()) *keyDateEditor {
	e := &keyDateEditor{w: w}
	e.calendar = widget.NewRadioGroup([]string{i18n.T("date.solar"), i18n.T("date.lunar")}, func(string) { e.refreshInfo() })
	e.calendar.Horizontal = true
	e.calendar.Required = true
	e.year = widget.NewEntry()
	e.year.SetPlaceHolder(i18n.T("date.year_hint"))
	e.year.OnChanged = func(string) { e.refreshInfo() }
	months := []string{"—"}
	for m := 1; m <= 12; m++ {
		months = append(months, i18n.T("date.month_n", "N", m))
	}
	e.month = widget.NewSelect(months, func(string) { e.refreshInfo() })
	days := []string{"—"}
	for d := 1; d <= 31; d++ {
		days = append(days, i18n.T("date.day_n", "N", d))
	}
	e.day = widget.NewSelect(days, func(string) { e.refreshInfo() })
	e.leap = widget.NewCheck(i18n.T("date.leap"), func(bool) { e.refreshInfo() })
	e.info = widget.NewLabel("")
	e.info.SizeName = theme.SizeNameCaptionText
	e.info.Wrapping = fyne.TextWrapWord
	e.err = errorLabel()

	fields := container.NewHBox(e.calendar, container.NewGridWrap(fyne.NewSize(110, e.year.MinSize().Height), e.year), e.month, e.day, e.leap)
	var top fyne.CanvasObject = fields
	if withLabel {
		e.label = widget.NewEntry()
		e.label.SetPlaceHolder(i18n.T("date.label_hint"))
		e.remove = widget.NewButtonWithIcon("", theme.DeleteIcon(), onRemove)
		top = container.NewVBox(container.NewBorder(nil, nil, nil, e.remove, e.label), fields)
	}
	e.box = container.NewVBox(top, e.info, e.err)
	return e
}

func (e *keyDateEditor) isLunar() bool { return e.calendar.Selected == i18n.T("date.lunar") }

// set shows k, or an empty date when k is nil.
func (e *keyDateEditor) set(k *crm.KeyDate) {
	if k == nil {
		k = &crm.KeyDate{Calendar: crm.Solar}
	}
	if e.label != nil {
		e.label.SetText(k.Label)
	}
	if k.Calendar == crm.Lunar {
		e.calendar.SetSelected(i18n.T("date.lunar"))
	} else {
		e.calendar.SetSelected(i18n.T("date.solar"))
	}
	if k.Year > 0 {
		e.year.SetText(strconv.Itoa(k.Year))
	} else {
		e.year.SetText("")
	}
	e.month.SetSelectedIndex(max(min(k.Month, 12), 0))
	e.day.SetSelectedIndex(max(min(k.Day, 31), 0))
	e.leap.SetChecked(k.Leap)
	e.setError("")
	e.refreshInfo()
}

// get reads the date; nil when the month and day are left empty. Only a year that is not a number
// is reported here: everything else is crm.ValidateCustomer's.
func (e *keyDateEditor) get(field string) (*crm.KeyDate, *crm.FieldError) {
	k := &crm.KeyDate{Calendar: crm.Solar, Month: max(e.month.SelectedIndex(), 0), Day: max(e.day.SelectedIndex(), 0)}
	if e.isLunar() {
		k.Calendar = crm.Lunar
		k.Leap = e.leap.Checked
	}
	if e.label != nil {
		k.Label = strings.TrimSpace(e.label.Text)
	}
	if y := strings.TrimSpace(e.year.Text); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil {
			return nil, &crm.FieldError{Field: field, Key: "err.year_number", Args: map[string]any{"Value": y}}
		}
		k.Year = n
	}
	if k.Month == 0 && k.Day == 0 && k.Year == 0 && k.Label == "" {
		return nil, nil
	}
	if k.Month == 0 || k.Day == 0 {
		return nil, &crm.FieldError{Field: field, Key: "err.date_required"}
	}
	return k, nil
}

func (e *keyDateEditor) setError(text string) { setError(e.err, text) }

func (e *keyDateEditor) appendError(text string) {
	if e.err.Text != "" {
		text = e.err.Text + "\n" + text
	}
	setError(e.err, text)
}

// refreshInfo shows the date in both calendars and its next occurrence.
func (e *keyDateEditor) refreshInfo() {
	if e.info == nil || e.leap == nil {
		return
	}
	if e.isLunar() {
		e.leap.Enable()
	} else {
		e.leap.Disable()
	}
	k, ferr := e.get("date")
	if ferr != nil || k == nil || k.Validate("date") != nil {
		e.info.SetText("")
		return
	}
	e.info.SetText(keyDateInfo(*k, e.w.today()))
}

// keyDateInfo says a date in its calendar, its counterpart in the other calendar when the year is
// known, and its next occurrence in both.
func keyDateInfo(k crm.KeyDate, today crm.Date) string {
	parts := []string{keyDateText(k)}
	if k.Year > 0 {
		if k.Calendar == crm.Lunar {
			if d, err := crm.LunarToSolar(crm.LunarDate{Year: k.Year, Month: k.Month, Day: k.Day, Leap: k.Leap}); err == nil {
				parts = append(parts, i18n.T("date.solar_is", "Date", d.String()))
			}
		} else if l, err := crm.SolarToLunar(crm.NewDate(k.Year, timeMonth(k.Month), k.Day)); err == nil {
			parts = append(parts, lunarText(l))
		}
	}
	if next, err := k.NextOccurrence(today); err == nil {
		if next == today {
			parts = append(parts, i18n.T("date.is_today"))
		} else if k.Calendar == crm.Lunar {
			parts = append(parts, i18n.T("date.next_solar", "Date", next.String(), "Days", next.Sub(today)))
		} else if l, err := crm.SolarToLunar(next); err == nil {
			l.Year = 0
			parts = append(parts, i18n.T("date.next", "Date", next.String(), "Other", lunarText(l), "Days", next.Sub(today)))
		}
	}
	return strings.Join(parts, " · ")
}

// keyDateText is a key date in its own calendar, in the UI language.
func keyDateText(k crm.KeyDate) string {
	if k.Calendar == crm.Lunar {
		return lunarText(crm.LunarDate{Year: k.Year, Month: k.Month, Day: k.Day, Leap: k.Leap})
	}
	if i18n.Current() == i18n.English {
		if k.Year > 0 {
			return crm.NewDate(k.Year, timeMonth(k.Month), k.Day).String()
		}
		return timeMonth(k.Month).String()[:3] + " " + strconv.Itoa(k.Day)
	}
	return k.String()
}

// hant turns the simplified characters that lunar dates use into traditional ones.
var hant = strings.NewReplacer("农", "農", "腊", "臘", "闰", "閏", "历", "曆")

// lunarText shows a lunar date: Chinese numerals in Chinese, "Lunar 8/15" in English.
func lunarText(l crm.LunarDate) string {
	switch i18n.Current() {
	case i18n.English:
		s := i18n.T("date.lunar_en", "Month", l.Month, "Day", l.Day)
		if l.Leap {
			s = i18n.T("date.lunar_en_leap", "Month", l.Month, "Day", l.Day)
		}
		if l.Year > 0 {
			s = strconv.Itoa(l.Year) + " " + s
		}
		return s
	case i18n.ZhHant:
		return hant.Replace(l.String())
	default:
		return l.String()
	}
}
