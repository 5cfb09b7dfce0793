package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"carebook/assets/i18n"
)

// eventsScreen lists the events (活动) customers are invited to, with each event's funnel.
type eventsScreen struct {
	w    *Window
	root fyne.CanvasObject
}

func newEventsScreen(w *Window) *eventsScreen {
	s := &eventsScreen{w: w}
	s.root = widget.NewLabel(i18n.T("nav.events"))
	return s
}

func (s *eventsScreen) title() string              { return i18n.T("nav.events") }
func (s *eventsScreen) icon() fyne.Resource        { return theme.CalendarIcon() }
func (s *eventsScreen) content() fyne.CanvasObject { return s.root }
