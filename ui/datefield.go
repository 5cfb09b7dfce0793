package ui

import (
	"errors"
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
	cal   *widget.Calendar
	day   crm.Date // the day shown (zero: none)

	// OnChanged is called with a day the user typed or picked, when it is another than shown.
	OnChanged func(crm.Date)
	// today is the month the calendar opens on while no day is shown.
	today func() crm.Date
}

// newDateField makes an empty field; today tells the month its calendar opens on while it is.
func newDateField(today func() crm.Date) *dateField {
	f := &dateField{today: today}
	f.entry = widget.NewEntry()
	f.entry.SetPlaceHolder("YYYY-MM-DD")
	f.entry.Validator = func(text string) error {
		if _, err := crm.ParseDate(strings.TrimSpace(text)); err != nil {
			return errors.New(i18n.T("err.date", "Value", text))
		}
		return nil
	}
	f.entry.OnChanged = f.onTyped
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
	f.cal = widget.NewCalendar(month.Time(), func(t time.Time) {
		if f.popUp != nil {
			f.popUp.Hide()
		}
		f.chosen(crm.DateOf(t))
	})
	f.popUp = widget.NewPopUp(f.cal, c)
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
