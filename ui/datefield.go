package ui

import (
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"carebook/assets/i18n"
	"carebook/crm"
)

// dateField is a day typed as 2026-11-22, the way every other date of Carebook is typed and
// shown, with a button that opens a month calendar to pick it. Fyne's DateEntry writes the day
// in the system locale's short form instead (11/22/2026 in the United States, 22/11/2026
// elsewhere, China included), beside fields that read 2026-11-22.
type dateField struct {
	widget.BaseWidget
	entry *widget.Entry
	pick  *widget.Button
	popUp *widget.PopUp
	cal   *monthGrid // the calendar of the latest pop-up (nil before the first)
	day   crm.Date   // the day shown (zero: none)

	// OnChanged is called with a day the user typed or picked, when it is another than shown.
	OnChanged func(crm.Date)
	// OnInvalid, when set, is told (translated) why text submitted with Enter is not a day; the
	// field shows its day again.
	OnInvalid func(msg string)
	// today is the month the calendar opens on while no day is shown.
	today func() crm.Date
}

// newDateField makes an empty field; today tells the month its calendar opens on while it is.
func newDateField(today func() crm.Date) *dateField {
	f := &dateField{today: today}
	f.entry = widget.NewEntry()
	f.entry.SetPlaceHolder("YYYY-MM-DD")
	f.entry.OnChanged = f.onTyped
	f.entry.OnSubmitted = f.onSubmitted
	f.pick = widget.NewButtonWithIcon("", theme.CalendarIcon(), f.onPick)
	f.ExtendBaseWidget(f)
	return f
}

func (f *dateField) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewBorder(nil, nil, nil, f.pick, f.entry))
}

// Day is the day shown (zero when none).
func (f *dateField) Day() crm.Date { return f.day }

// SetDay shows day d (without calling OnChanged).
func (f *dateField) SetDay(d crm.Date) {
	f.day = d
	text := ""
	if !d.IsZero() {
		text = d.String()
	}
	if f.entry.Text != text {
		f.entry.SetText(text)
	}
}

// onTyped takes a whole valid day typed in the entry.
func (f *dateField) onTyped(text string) {
	d, err := crm.ParseDate(strings.TrimSpace(text))
	if err != nil || d == f.day {
		return
	}
	f.chosen(d)
}

// onSubmitted puts back the day shown when Enter is pressed on text that is not a day, and says
// why. (A validator would show Fyne's mark beside every valid day, in a toolbar.)
func (f *dateField) onSubmitted(text string) {
	if _, err := crm.ParseDate(strings.TrimSpace(text)); err == nil {
		return
	}
	f.SetDay(f.day)
	if f.OnInvalid != nil {
		f.OnInvalid(i18n.T("err.date", "Value", strings.TrimSpace(text)))
	}
}

// onPick opens the month of the day shown under the field.
func (f *dateField) onPick() {
	c := fyne.CurrentApp().Driver().CanvasForObject(f)
	if c == nil {
		return
	}
	month := f.day
	if month.IsZero() {
		month = f.today()
	}
	f.cal = newMonthGrid(month, f.day, f.today(), func(d crm.Date) {
		if f.popUp != nil {
			f.popUp.Hide()
		}
		f.chosen(d)
	})
	f.popUp = widget.NewPopUp(f.cal.root, c)
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(f).AddXY(0, f.Size().Height)
	f.popUp.ShowAtPosition(pos)
}

// chosen shows day d and tells OnChanged, unless it is the day shown.
func (f *dateField) chosen(d crm.Date) {
	if d == f.day {
		return
	}
	f.SetDay(d)
	if f.OnChanged != nil {
		f.OnChanged(d)
	}
}

// monthGrid is a month's days, Monday first, to pick one: the day shown stands out, today is
// marked. Fyne's Calendar names the month in English whatever the language ("November 2026").
type monthGrid struct {
	root       *fyne.Container
	title      *widget.Label
	prev, next *widget.Button
	days       *fyne.Container
	month      crm.Date // its first day
	shown      crm.Date
	today      crm.Date
	onPick     func(crm.Date)
}

func newMonthGrid(month, shown, today crm.Date, onPick func(crm.Date)) *monthGrid {
	g := &monthGrid{shown: shown, today: today, onPick: onPick}
	g.title = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	g.prev = widget.NewButtonWithIcon("", theme.NavigateBackIcon(), func() { g.show(g.month.AddDays(-1)) })
	g.next = widget.NewButtonWithIcon("", theme.NavigateNextIcon(), func() { g.show(g.month.AddDays(31)) })
	names := container.NewGridWithColumns(7)
	for _, k := range []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"} {
		names.Add(widget.NewLabelWithStyle(i18n.T("weekday_short."+k), fyne.TextAlignCenter, fyne.TextStyle{}))
	}
	g.days = container.NewGridWithColumns(7)
	g.root = container.NewVBox(container.NewBorder(nil, nil, g.prev, g.next, g.title), names, g.days)
	g.show(month)
	return g
}

// show lays out the month of day d.
func (g *monthGrid) show(d crm.Date) {
	y, m, _ := d.YMD()
	g.month = crm.NewDate(y, m, 1)
	g.title.SetText(i18n.T("date.month_year", "Year", y, "Month", int(m), "MonthName", time.Month(m).String()))
	g.days.RemoveAll()
	for range (int(g.month.Weekday()) + 6) % 7 { // Monday first: blanks before the 1st
		g.days.Add(widget.NewLabel(""))
	}
	for day := g.month; ; day = day.AddDays(1) {
		if _, dm, _ := day.YMD(); dm != m {
			break
		}
		_, _, n := day.YMD()
		b := widget.NewButton(strconv.Itoa(n), func() { g.onPick(day) })
		switch day {
		case g.shown:
			b.Importance = widget.HighImportance
		case g.today:
			b.Importance = widget.MediumImportance
		default:
			b.Importance = widget.LowImportance
		}
		g.days.Add(b)
	}
	g.days.Refresh()
}
