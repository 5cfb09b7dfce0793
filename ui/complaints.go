package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"carebook/assets/i18n"
	"carebook/crm"
)

// complaintsScreen lists the complaints (客诉) with their deadlines, and analyses them.
type complaintsScreen struct {
	w    *Window
	root fyne.CanvasObject
}

func newComplaintsScreen(w *Window) *complaintsScreen {
	s := &complaintsScreen{w: w}
	s.root = widget.NewLabel(i18n.T("nav.complaints"))
	return s
}

func (s *complaintsScreen) title() string              { return i18n.T("nav.complaints") }
func (s *complaintsScreen) icon() fyne.Resource        { return theme.WarningIcon() }
func (s *complaintsScreen) content() fyne.CanvasObject { return s.root }

// editComplaint opens the complaint editor on c (nil: a new complaint of customer customerID)
// and calls onSaved after a save.
func (w *Window) editComplaint(customerID int64, c *crm.Complaint, onSaved func()) {
	_, _, _ = customerID, c, onSaved
}
