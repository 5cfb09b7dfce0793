package ui

import (
	"context"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"carebook/assets/i18n"
	"carebook/crm"
)

// timelineItem is a purchase or a maintenance record on the card's timeline.
type timelineItem struct {
	at       time.Time
	purchase *crm.Purchase
	record   *crm.Record
}

// timeline is the card's third tab (动态): last contact and purchase, quick actions, and the
// history of purchases and records, newest first.
type timeline struct {
	w        *Window
	card     *cardEditor
	summary  *widget.Label
	logBtn   *widget.Button
	buyBtn   *widget.Button
	allBtn   *widget.Button
	list     *widget.List
	empty    *widget.Label
	items    []timelineItem
	activity crm.Activity
	loadedID int64 // customer whose timeline is shown
	root     fyne.CanvasObject
}

func newTimeline(w *Window, card *cardEditor) *timeline {
	t := &timeline{w: w, card: card}
	t.summary = widget.NewLabel("")
	t.summary.Wrapping = fyne.TextWrapWord
	t.logBtn = widget.NewButtonWithIcon(i18n.T("timeline.log"), theme.MailComposeIcon(), t.onLog)
	t.logBtn.Importance = widget.HighImportance
	t.buyBtn = widget.NewButtonWithIcon(i18n.T("timeline.add_purchase"), theme.ContentAddIcon(), t.onAddPurchase)
	t.allBtn = widget.NewButtonWithIcon(i18n.T("timeline.all_records"), theme.ListIcon(), t.onAllRecords)
	t.list = widget.NewList(func() int { return len(t.items) }, t.newRow, t.updateRow)
	t.list.OnSelected = t.onSelect
	t.empty = widget.NewLabel("")
	t.empty.Wrapping = fyne.TextWrapWord
	t.empty.Alignment = fyne.TextAlignCenter
	top := container.NewVBox(t.summary, container.NewHBox(t.logBtn, t.buyBtn, t.allBtn), widget.NewSeparator())
	t.root = container.NewBorder(top, nil, nil, nil, container.NewStack(t.list, container.NewVBox(t.empty)))
	return t
}

func (t *timeline) newRow() fyne.CanvasObject {
	head := widget.NewLabelWithStyle("head", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	body := widget.NewLabel("body")
	body.Wrapping = fyne.TextWrapOff
	body.Truncation = fyne.TextTruncateEllipsis
	icon := widget.NewIcon(theme.MailComposeIcon())
	return container.NewBorder(nil, nil, icon, nil, container.NewVBox(head, body))
}

func (t *timeline) updateRow(i widget.ListItemID, o fyne.CanvasObject) {
	if i >= len(t.items) {
		return
	}
	it := t.items[i]
	box := o.(*fyne.Container)
	texts := box.Objects[0].(*fyne.Container)
	head, body := texts.Objects[0].(*widget.Label), texts.Objects[1].(*widget.Label)
	icon := box.Objects[1].(*widget.Icon)
	if p := it.purchase; p != nil {
		icon.SetResource(theme.ContentAddIcon())
		head.SetText(i18n.T("timeline.purchase_head", "Date", p.Date.String(), "Amount", p.Amount.String(),
			"Channel", saleChannelLabel(p.Channel)))
		body.SetText(p.Items)
		return
	}
	r := it.record
	icon.SetResource(theme.MailComposeIcon())
	head.SetText(r.At.Format(dateTimeLayout) + " · " + kindLabel(r.Kind) + " · " + channelLabel(r.Channel))
	parts := []string{}
	if r.Content != "" {
		parts = append(parts, r.Content)
	}
	if r.Feedback != "" {
		parts = append(parts, i18n.T("timeline.feedback", "Text", r.Feedback))
	}
	if r.NextStep != "" || !r.NextDate.IsZero() {
		parts = append(parts, i18n.T("timeline.next", "Step", r.NextStep, "Date", r.NextDate.String()))
	}
	body.SetText(strings.ReplaceAll(strings.Join(parts, " · "), "\n", " "))
}

// load shows the history of the card's customer, read off the UI goroutine.
func (t *timeline) load() {
	c := t.card.customer
	if c == nil || c.ID == 0 {
		t.loadedID = 0
		t.items = nil
		t.activity = crm.Activity{}
		t.show()
		return
	}
	id := c.ID
	book := t.w.book
	t.w.async(func() func() {
		ps, err := book.Purchases(context.Background(), id)
		var rs []crm.Record
		if err == nil {
			rs, err = book.CustomerRecords(context.Background(), id)
		}
		var act crm.Activity
		if err == nil {
			act, err = book.Activity(context.Background(), id)
		}
		return func() {
			if t.card.customer == nil || t.card.customer.ID != id {
				return // another card meanwhile
			}
			if err != nil {
				t.empty.SetText(i18n.T("customers.load_failed", "Error", err))
				t.empty.Show()
				return
			}
			t.loadedID = id
			t.items = mergeTimeline(ps, rs)
			t.activity = act
			t.show()
		}
	})
}

// mergeTimeline puts purchases and records in one list, newest first; a purchase counts from the
// start of its day.
func mergeTimeline(ps []crm.Purchase, rs []crm.Record) []timelineItem {
	items := make([]timelineItem, 0, len(ps)+len(rs))
	for i := range ps {
		items = append(items, timelineItem{at: ps[i].Date.Time(), purchase: &ps[i]})
	}
	for i := range rs {
		items = append(items, timelineItem{at: rs[i].At, record: &rs[i]})
	}
	slices.SortStableFunc(items, func(a, b timelineItem) int { return b.at.Compare(a.at) })
	return items
}

func (t *timeline) show() {
	saved := t.card.customer != nil && t.card.customer.ID != 0
	for _, b := range []*widget.Button{t.logBtn, t.buyBtn, t.allBtn} {
		if saved {
			b.Enable()
		} else {
			b.Disable()
		}
	}
	t.summary.SetText(activityText(t.activity))
	switch {
	case !saved:
		t.empty.SetText(i18n.T("timeline.save_first"))
		t.empty.Show()
	case len(t.items) == 0:
		t.empty.SetText(i18n.T("timeline.none"))
		t.empty.Show()
	default:
		t.empty.Hide()
	}
	t.list.UnselectAll()
	t.list.Refresh()
	t.card.showActivity(t.activity)
}

// activityText is the one-line summary: last contact, last purchase, totals.
func activityText(a crm.Activity) string {
	contact, purchase := i18n.T("timeline.never"), i18n.T("timeline.never")
	if !a.LastContact.IsZero() {
		contact = a.LastContact.Format(dateTimeLayout)
	}
	if !a.LastPurchase.IsZero() {
		purchase = a.LastPurchase.String()
	}
	return i18n.T("timeline.summary", "Contact", contact, "Purchase", purchase,
		"Purchases", a.Purchases, "Total", a.PurchaseTotal.String(), "Records", a.Records)
}

func (t *timeline) summaryOfCustomer() *crm.Summary {
	c := t.card.customer
	if c == nil || c.ID == 0 {
		return nil
	}
	return &crm.Summary{ID: c.ID, Code: c.Code, Name: c.Name}
}

func (t *timeline) onLog() {
	if s := t.summaryOfCustomer(); s != nil {
		t.w.logContact(s, nil, t.w.afterRecordChange)
	}
}

func (t *timeline) onAddPurchase() {
	if s := t.summaryOfCustomer(); s != nil {
		t.w.editPurchase(crm.Purchase{CustomerID: s.ID}, t.w.afterRecordChange)
	}
}

// onAllRecords opens the record sheet filtered on this customer.
func (t *timeline) onAllRecords() {
	if s := t.summaryOfCustomer(); s != nil && t.w.records != nil {
		t.w.records.filterCustomer(s)
		t.w.show(t.w.records)
	}
}

func (t *timeline) onSelect(i widget.ListItemID) {
	t.list.UnselectAll()
	if i >= len(t.items) {
		return
	}
	it := t.items[i]
	if it.purchase != nil {
		t.w.editPurchase(*it.purchase, t.w.afterRecordChange)
		return
	}
	t.w.logContact(t.summaryOfCustomer(), it.record, t.w.afterRecordChange)
}
