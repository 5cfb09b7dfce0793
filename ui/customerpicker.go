package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"carebook/assets/i18n"
	"carebook/crm"
)

// customerPicker finds the customer of a dialog as the user types (name, remark, phone, pinyin
// initials…): an entry, and the first matches below it; picking one calls onPick.
type customerPicker struct {
	w       *Window
	pick    *widget.Entry
	matches *widget.List
	found   []crm.Summary
	seq     int // the latest search; older answers are dropped
	onPick  func(crm.Summary)
}

// maxPicked is how many matches the picker lists.
const maxPicked = 20

func newCustomerPicker(w *Window, onPick func(crm.Summary)) *customerPicker {
	p := &customerPicker{w: w, onPick: onPick}
	p.pick = widget.NewEntry()
	p.pick.SetPlaceHolder(i18n.T("log.pick_hint"))
	p.pick.OnChanged = p.search
	p.matches = widget.NewList(func() int { return len(p.found) },
		func() fyne.CanvasObject { return widget.NewLabel("customer") },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(p.found) {
				f := p.found[i]
				o.(*widget.Label).SetText(f.Name + "  " + f.Code + "  " + crm.FormatPhone(f.Phone))
			}
		})
	p.matches.OnSelected = p.picked
	return p
}

// view is the entry above the matches, height high.
func (p *customerPicker) view(height float32) fyne.CanvasObject {
	return container.NewVBox(p.pick, container.NewGridWrap(fyne.NewSize(560, height), p.matches))
}

// search looks for text off the UI goroutine and lists the matches.
func (p *customerPicker) search(text string) {
	p.seq++
	seq := p.seq
	book := p.w.book
	p.w.async(func() func() {
		res, err := book.SearchList(context.Background(), crm.CustomerQuery{Text: text})
		found := res.Slice(0, maxPicked)
		return func() {
			if seq != p.seq || err != nil {
				return
			}
			p.found = found
			p.matches.UnselectAll()
			p.matches.Refresh()
		}
	})
}

func (p *customerPicker) picked(i widget.ListItemID) {
	if i < len(p.found) && p.onPick != nil {
		p.onPick(p.found[i])
	}
}
