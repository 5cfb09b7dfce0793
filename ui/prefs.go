package ui

import (
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// What the window remembers from one start to the next, in Fyne's per-app preferences: its
// size, the screen it showed and the filters of the lists. The keys live here, in one place.
// A filter is saved by its stable value (a tier's code, a tag's name), never by its label or
// position, so that a change of language or of the options keeps it; a saved value that is no
// longer an option (a tag deleted) is dropped silently.
const (
	prefWindowWidth  = "window.width"
	prefWindowHeight = "window.height"
	prefScreen       = "window.screen"

	prefCustomersTier      = "filter.customers.tier"
	prefCustomersTag       = "filter.customers.tag"
	prefCustomersStage     = "filter.customers.stage"
	prefCustomersChurn     = "filter.customers.churn"
	prefCustomersSegment   = "filter.customers.segment"
	prefCustomersSuggested = "filter.customers.suggested"
	prefCustomersSort      = "filter.customers.sort"

	prefRecordsFrom    = "filter.records.from"
	prefRecordsTo      = "filter.records.to"
	prefRecordsKind    = "filter.records.kind"
	prefRecordsChannel = "filter.records.channel"

	prefComplaintsStatus   = "filter.complaints.status"
	prefComplaintsCategory = "filter.complaints.category"
	prefComplaintsSeverity = "filter.complaints.severity"
	prefComplaintsPeriod   = "filter.complaints.period"
)

// The window's size: the default, and the bounds a saved size is clamped to (a size saved on a
// bigger screen, or a damaged preference file, must not open a window no one can use).
var (
	defaultWindowSize = fyne.NewSize(1200, 760)
	minWindowSize     = fyne.NewSize(640, 420)
	maxWindowSize     = fyne.NewSize(7680, 4320)
)

// savedWindowSize is the size saved by the last run, clamped, or the default.
func savedWindowSize(p fyne.Preferences) fyne.Size {
	w, h := p.Float(prefWindowWidth), p.Float(prefWindowHeight)
	if w <= 0 || h <= 0 || w != w || h != h { // unset, absurd or NaN
		return defaultWindowSize
	}
	clamp := func(v, lo, hi float32) float32 { return max(lo, min(hi, v)) }
	return fyne.NewSize(clamp(float32(w), minWindowSize.Width, maxWindowSize.Width),
		clamp(float32(h), minWindowSize.Height, maxWindowSize.Height))
}

// saveWindowState remembers the window's size for the next start.
func (w *Window) saveWindowState() {
	size := w.win.Canvas().Size()
	if size.Width <= 0 || size.Height <= 0 {
		return
	}
	p := w.app.Preferences()
	p.SetFloat(prefWindowWidth, float64(size.Width))
	p.SetFloat(prefWindowHeight, float64(size.Height))
}

// screenKey is the stable name of a screen, for the preference of the last one shown.
func (w *Window) screenKey(s screen) string {
	switch s {
	case w.todayView:
		return "today"
	case w.customers:
		return "customers"
	case w.records:
		return "records"
	case w.events:
		return "events"
	case w.complaints:
		return "complaints"
	case w.settings:
		return "settings"
	}
	if _, ok := s.(*insightsScreen); ok {
		return "insights"
	}
	return ""
}

// savedScreen is the index of the screen shown when the app was last used, or 0 (Today).
func (w *Window) savedScreen() int {
	key := w.app.Preferences().String(prefScreen)
	if key == "" {
		return 0
	}
	for i, s := range w.screens {
		if w.screenKey(s) == key {
			return i
		}
	}
	return 0
}

// prefValue marks a saved filter value, so that "any" (value "") is told apart from unset.
const prefValue = "v:"

// prefValues are the stable values of a Select's options: "" for a leading "any" option, then xs.
func prefValues[T ~string](anyFirst bool, xs []T) []string {
	var out []string
	if anyFirst {
		out = append(out, "")
	}
	for _, x := range xs {
		out = append(out, string(x))
	}
	return out
}

// rememberSelect selects the option saved under key, whose stable values are vals (one per
// option), without telling sel's OnChanged, then saves the option at each change. A saved value
// that is no longer an option is dropped.
func (w *Window) rememberSelect(sel *widget.Select, key string, vals []string) {
	p := w.app.Preferences()
	changed := sel.OnChanged
	sel.OnChanged = nil
	if v, ok := savedFilter(p, key); ok {
		if i := slices.Index(vals, v); i >= 0 && i < len(sel.Options) {
			sel.SetSelectedIndex(i)
		} else {
			p.RemoveValue(key)
		}
	}
	sel.OnChanged = func(opt string) {
		if i := sel.SelectedIndex(); i >= 0 && i < len(vals) {
			saveFilter(p, key, vals[i])
		}
		if changed != nil {
			changed(opt)
		}
	}
}

// rememberEntry puts the text saved under key in e, without telling e's OnChanged, then saves
// the text at each change that valid accepts; a saved text valid refuses is dropped.
func (w *Window) rememberEntry(e *widget.Entry, key string, valid func(string) bool) {
	p := w.app.Preferences()
	changed := e.OnChanged
	e.OnChanged = nil
	if v, ok := savedFilter(p, key); ok {
		if valid(v) {
			e.SetText(v)
		} else {
			p.RemoveValue(key)
		}
	}
	e.OnChanged = func(text string) {
		if valid(text) {
			saveFilter(p, key, text)
		}
		if changed != nil {
			changed(text)
		}
	}
}

func savedFilter(p fyne.Preferences, key string) (string, bool) {
	v := p.String(key)
	if len(v) < len(prefValue) || v[:len(prefValue)] != prefValue {
		return "", false
	}
	return v[len(prefValue):], true
}

func saveFilter(p fyne.Preferences, key, v string) { p.SetString(key, prefValue+v) }
