package ui

import (
	"context"
	"slices"
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

// CalendarBook is what the working-day calendar section of Settings needs: the user's own days
// of the calendar of the complaint deadlines.
type CalendarBook interface {
	WorkCalendar(ctx context.Context) (crm.WorkCalendar, error)
	CalendarDays(ctx context.Context) ([]crm.CalendarDay, error)
	SetCalendarDay(ctx context.Context, date crm.Date, off bool, name string) error
	DeleteCalendarDay(ctx context.Context, date crm.Date) error
}

// workdaysSection is the "Working days" card of Settings: which years the official arrangement
// covers, the user's own days off and working days (each removable), and a form to add one.
type workdaysSection struct {
	w    *Window
	book CalendarBook

	card     fyne.CanvasObject
	coverage *widget.Label // the official years, and the fallback beyond them
	warning  *widget.Label // this year is not covered
	list     *fyne.Container
	empty    *widget.Label
	rows     []*workdayRow

	date    *widget.Entry
	kind    *widget.RadioGroup
	name    *widget.Entry
	add     *widget.Button
	errs    map[string]*widget.Label // by field: date, name
	status  *widget.Label
	loadErr *widget.Label
}

// workdayRow is one of the user's days in the list.
type workdayRow struct {
	day    crm.CalendarDay
	label  *widget.Label
	remove *widget.Button
}

// newWorkdaysSection builds the section.
func newWorkdaysSection(w *Window) *workdaysSection {
	s := &workdaysSection{w: w, book: w.book}
	s.buildUI()
	s.load()
	return s
}

func (s *workdaysSection) buildUI() {
	s.coverage = widget.NewLabel("")
	s.coverage.Wrapping = fyne.TextWrapWord
	s.warning = widget.NewLabel("")
	s.warning.Importance = widget.WarningImportance
	s.warning.Wrapping = fyne.TextWrapWord
	s.warning.Hide()
	deadlines := widget.NewLabel(i18n.T("workdays.deadlines"))
	deadlines.Wrapping = fyne.TextWrapWord
	deadlines.SizeName = theme.SizeNameCaptionText

	s.empty = widget.NewLabel(i18n.T("workdays.none"))
	s.empty.Importance = widget.LowImportance
	s.list = container.NewVBox()

	s.errs = map[string]*widget.Label{"date": errorLabel(), "name": errorLabel()}
	s.date = widget.NewEntry()
	s.date.SetPlaceHolder(i18n.T("workdays.date_hint"))
	s.date.OnSubmitted = func(string) { s.onAdd() }
	s.kind = widget.NewRadioGroup([]string{i18n.T("workdays.off"), i18n.T("workdays.work")}, nil)
	s.kind.Horizontal = true
	s.kind.Required = true
	s.kind.SetSelected(i18n.T("workdays.off"))
	s.name = widget.NewEntry()
	s.name.SetPlaceHolder(i18n.T("workdays.name_hint"))
	s.name.OnSubmitted = func(string) { s.onAdd() }
	s.add = widget.NewButtonWithIcon(i18n.T("workdays.add"), theme.ContentAddIcon(), s.onAdd)
	s.add.Importance = widget.HighImportance
	s.status = errorLabel()
	s.loadErr = errorLabel()

	form := widget.NewForm(
		widget.NewFormItem(i18n.T("workdays.date"), container.NewVBox(s.date, s.errs["date"])),
		widget.NewFormItem(i18n.T("workdays.kind"), s.kind),
		widget.NewFormItem(i18n.T("workdays.name"), container.NewVBox(s.name, s.errs["name"])),
	)
	addTitle := widget.NewLabelWithStyle(i18n.T("workdays.add_title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	listTitle := widget.NewLabelWithStyle(i18n.T("workdays.yours"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.card = widget.NewCard(i18n.T("workdays.title"), i18n.T("workdays.sub"), container.NewVBox(
		s.coverage, s.warning, deadlines, s.loadErr,
		widget.NewSeparator(), listTitle, s.empty, s.list,
		widget.NewSeparator(), addTitle, form,
		container.NewHBox(layout.NewSpacer(), s.add), s.status,
	))
}

// load reads the calendar and the user's days off the UI goroutine, then shows them.
func (s *workdaysSection) load() {
	book := s.book
	s.w.async(func() func() {
		ctx := context.Background()
		cal, err := book.WorkCalendar(ctx)
		var days []crm.CalendarDay
		if err == nil {
			days, err = book.CalendarDays(ctx)
		}
		return func() {
			if err != nil {
				setError(s.loadErr, i18n.T("workdays.load_failed", "Error", err))
				return
			}
			setError(s.loadErr, "")
			s.show(cal, days)
		}
	})
}

// show puts the coverage and the list on screen.
func (s *workdaysSection) show(cal crm.WorkCalendar, days []crm.CalendarDay) {
	var years []int
	for y := range cal.Years {
		years = append(years, y)
	}
	slices.Sort(years)
	if len(years) == 0 {
		s.coverage.SetText(i18n.T("workdays.coverage_none"))
	} else {
		texts := make([]string, len(years))
		for i, y := range years {
			texts[i] = strconv.Itoa(y)
		}
		s.coverage.SetText(i18n.T("workdays.coverage", "Years", strings.Join(texts, i18n.T("workdays.year_sep")),
			"Last", years[len(years)-1]))
	}
	if y := s.w.today().Year(); !cal.Covers(y) && !slices.ContainsFunc(days, func(d crm.CalendarDay) bool { return d.Date.Year() == y }) {
		s.warning.SetText(i18n.T("workdays.uncovered", "Year", y))
		s.warning.Show()
	} else {
		s.warning.Hide()
	}

	s.rows = s.rows[:0]
	s.list.RemoveAll()
	for _, d := range days {
		s.rows = append(s.rows, s.newRow(d))
		r := s.rows[len(s.rows)-1]
		s.list.Add(container.NewBorder(nil, nil, nil, r.remove, r.label))
	}
	if len(days) == 0 {
		s.empty.Show()
	} else {
		s.empty.Hide()
	}
	s.list.Refresh()
}

func (s *workdaysSection) newRow(d crm.CalendarDay) *workdayRow {
	kind := i18n.T("workdays.work")
	if d.Off {
		kind = i18n.T("workdays.off")
	}
	wd := weekdayText(d.Date.Weekday())
	text := i18n.T("workdays.row", "Date", d.Date.String(), "Weekday", wd, "Kind", kind)
	if d.Name != "" {
		text = i18n.T("workdays.row_named", "Date", d.Date.String(), "Weekday", wd, "Kind", kind, "Name", d.Name)
	}
	r := &workdayRow{day: d, label: widget.NewLabel(text)}
	r.label.Wrapping = fyne.TextWrapWord
	r.remove = widget.NewButtonWithIcon(i18n.T("workdays.remove"), theme.DeleteIcon(), func() { s.onRemove(d.Date) })
	return r
}

// collect reads the form: the day, or the errors of its fields.
func (s *workdaysSection) collect() (crm.CalendarDay, crm.Errors) {
	var es crm.Errors
	d := crm.CalendarDay{Off: s.kind.Selected != i18n.T("workdays.work"), Name: s.name.Text}
	text := strings.TrimSpace(s.date.Text)
	switch day, err := crm.ParseDate(text); {
	case text == "":
		es = append(es, crm.FieldError{Field: "date", Key: "err.required"})
	case err != nil:
		es = append(es, crm.FieldError{Field: "date", Key: "err.date", Args: map[string]any{"Value": text}})
	default:
		d.Date = day
	}
	crm.NormalizeCalendarDay(&d)
	for _, e := range crm.ValidateCalendarDay(&d) {
		if e.Field == "date" && d.Date == 0 {
			continue // said above
		}
		es = append(es, e)
	}
	return d, es
}

func (s *workdaysSection) showErrors(es crm.Errors) { showFieldErrors(s.errs, s.status, es) }

// onAdd saves the form's day and lists it; a bad day gets its message next to the field and
// changes nothing.
func (s *workdaysSection) onAdd() {
	d, es := s.collect()
	s.showErrors(es)
	if len(es) > 0 {
		return
	}
	s.add.Disable()
	book := s.book
	s.w.persist(func(ctx context.Context) error { return book.SetCalendarDay(ctx, d.Date, d.Off, d.Name) },
		s.showErrors, s.fail, s.add.Enable, func() {
			s.date.SetText("")
			s.name.SetText("")
			s.changed()
		})
}

// onRemove drops date from the user's days: the official arrangement applies to it again.
func (s *workdaysSection) onRemove(date crm.Date) {
	book := s.book
	s.w.persist(func(ctx context.Context) error { return book.DeleteCalendarDay(ctx, date) },
		s.showErrors, func(msg string) { s.fail(msg); s.load() }, nil, func() {
			setError(s.status, "")
			s.changed()
		})
}

// changed reloads the section and the plan, whose complaint deadlines follow the calendar.
func (s *workdaysSection) changed() {
	s.load()
	if s.w.todayView != nil {
		s.w.todayView.reload()
	}
}

func (s *workdaysSection) fail(msg string) { setError(s.status, msg) }
