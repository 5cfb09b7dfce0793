package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"carebook/assets/i18n"
	"carebook/crm"
)

// The day field reads and shows 2026-11-22 in every language, tells a whole valid day typed or
// picked in its calendar once, and nothing for text that is not a day or for the day it shows.
func TestDateField(t *testing.T) {
	for _, lang := range []i18n.Lang{i18n.ZhHans, i18n.English} {
		t.Run(string(lang), func(t *testing.T) {
			a := test.NewApp()
			defer a.Quit()
			i18n.Set(lang)
			defer i18n.Set(i18n.English)
			f := newDateField(func() crm.Date { return crm.MustDate("2026-11-22") })
			var got []crm.Date
			var invalid []string
			f.OnChanged = func(d crm.Date) { got = append(got, d) }
			f.OnInvalid = func(msg string) { invalid = append(invalid, msg) }
			w := test.NewWindow(f)
			defer w.Close()
			w.Resize(fyne.NewSize(300, 300))

			f.SetDay(crm.MustDate("2026-11-22"))
			if f.entry.Text != "2026-11-22" || len(got) != 0 {
				t.Fatalf("SetDay: text %q, %d calls", f.entry.Text, len(got))
			}
			f.entry.SetText("")
			test.Type(f.entry, "2026-12-0")
			if len(got) != 0 {
				t.Fatalf("a part of a day: %v", got)
			}
			f.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
			want := i18n.T("err.date", "Value", "2026-12-0")
			if len(got) != 0 || len(invalid) != 1 || invalid[0] != want || f.entry.Text != "2026-11-22" {
				t.Fatalf("Enter on a part of a day: %v, said %q (want %q), text %q", got, invalid, want, f.entry.Text)
			}
			f.entry.SetText("")
			test.Type(f.entry, "2026-12-05")
			if len(got) != 1 || got[0] != crm.MustDate("2026-12-05") || f.Day() != got[0] {
				t.Fatalf("typed 2026-12-05: %v, day %v", got, f.Day())
			}

			test.Tap(f.pick)
			if f.popUp == nil || !f.popUp.Visible() {
				t.Fatal("the calendar did not open")
			}
			// December 2026 begins on a Tuesday: one blank before it, Monday first.
			if want := i18n.T("date.month_year", "Year", 2026, "Month", 12, "MonthName", "December"); f.cal.title.Text != want {
				t.Fatalf("the calendar shows %q, want %q", f.cal.title.Text, want)
			}
			if _, blank := f.cal.days.Objects[0].(*widget.Label); !blank || findButton(f.cal.days.Objects[1], "1") == nil {
				t.Fatalf("December 1st is not the second of the week: %T, %T", f.cal.days.Objects[0], f.cal.days.Objects[1])
			}
			test.Tap(f.cal.next)
			test.Tap(f.cal.prev)
			test.Tap(f.cal.prev)
			if want := i18n.T("date.month_year", "Year", 2026, "Month", 11, "MonthName", "November"); f.cal.title.Text != want {
				t.Fatalf("a month back: %q, want %q", f.cal.title.Text, want)
			}
			test.Tap(f.cal.next)
			day := findButton(f.cal.root, "18")
			if day == nil {
				t.Fatal("no day 18 in the calendar of December")
			}
			test.Tap(day)
			if len(got) != 2 || got[1] != crm.MustDate("2026-12-18") || f.entry.Text != "2026-12-18" || f.popUp.Visible() {
				t.Fatalf("picked the 18th: %v, text %q, calendar open %v", got, f.entry.Text, f.popUp.Visible())
			}
		})
	}
}

// findButton returns the button labelled text in o's tree, nil when there is none.
func findButton(o fyne.CanvasObject, text string) *widget.Button {
	for _, x := range test.LaidOutObjects(o) {
		if b, ok := x.(*widget.Button); ok && b.Text == text {
			return b
		}
	}
	return nil
}
