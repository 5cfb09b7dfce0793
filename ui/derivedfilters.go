package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"carebook/assets/i18n"
	"carebook/crm"
)

// The customer list's filters on the derived fields of today's classification (lifecycle
// stage, churn state, RFM segment, suggested tier), its order, and the bulk change of tiers to
// the suggested ones.

func sortText(o crm.CustomerSort) string {
	switch o {
	case crm.SortLastPurchase:
		return i18n.T("sort.short_last")
	case crm.SortAmount:
		return i18n.T("sort.short_m")
	case crm.SortRecency:
		return i18n.T("sort.short_r")
	}
	return i18n.T("sort.name")
}

// buildDerivedFilters makes the Selects of the derived fields and the order, and the bulk
// button; each option 0 is "any".
func (s *customersScreen) buildDerivedFilters() {
	sel := func(all string, opts []string) *widget.Select {
		w := widget.NewSelect(append([]string{all}, opts...), func(string) { s.reload() })
		w.SetSelectedIndex(0)
		return w
	}
	var stages, churns, segments, suggested, sorts []string
	for _, x := range crm.Stages {
		stages = append(stages, stageText(x))
	}
	for _, x := range crm.ChurnStates {
		churns = append(churns, churnText(x))
	}
	for _, x := range crm.Segments {
		segments = append(segments, segmentText(x))
	}
	for _, t := range crm.Tiers {
		suggested = append(suggested, i18n.T("customers.suggested_is", "Tier", tierLabel(t)))
	}
	for _, o := range crm.CustomerSorts[1:] {
		sorts = append(sorts, sortText(o))
	}
	s.stage = sel(i18n.T("customers.all_stages"), stages)
	s.churn = sel(i18n.T("customers.all_churn"), churns)
	s.segment = sel(i18n.T("customers.all_segments"), segments)
	s.suggested = sel(i18n.T("customers.all_suggested"), suggested)
	s.sort = sel(sortText(crm.SortName), sorts)
	s.bulkBtn = widget.NewButtonWithIcon(i18n.T("customers.bulk_button"), theme.ConfirmIcon(), s.onBulkTiers)
	s.bulkBtn.Importance = widget.LowImportance
}

// derivedQuery adds the derived filters and the order to q, on today's classification.
func (s *customersScreen) derivedQuery(q *crm.CustomerQuery) {
	q.Day = s.w.today()
	if i := s.stage.SelectedIndex(); i > 0 {
		q.Stage = crm.Stages[i-1]
	}
	if i := s.churn.SelectedIndex(); i > 0 {
		q.Churn = crm.ChurnStates[i-1]
	}
	if i := s.segment.SelectedIndex(); i > 0 {
		q.Segment = crm.Segments[i-1]
	}
	if i := s.suggested.SelectedIndex(); i > 0 {
		q.Suggested = crm.Tiers[i-1]
	}
	if i := s.sort.SelectedIndex(); i > 0 {
		q.Sort = crm.CustomerSorts[i]
	}
}

// derivedDetail is what a row of the list says of its customer's insight under q's order: the
// value it is sorted by.
func derivedDetail(q crm.CustomerQuery, in *crm.Insight) string {
	if in == nil {
		return ""
	}
	switch q.Sort {
	case crm.SortAmount:
		return i18n.T("customers.row_amount", "Amount", in.M.String())
	case crm.SortLastPurchase, crm.SortRecency:
		if !in.HasPurchases() {
			return i18n.T("customers.row_never")
		}
		return i18n.T("customers.row_last", "Date", q.Day.AddDays(-in.R).String(), "Days", in.R)
	}
	return ""
}

// bulkTierDialog previews the customers whose tier the Pareto rule suggests changing (how many
// from which tier to which, and who), and on confirmation changes them all in one transaction.
// Cancel changes nothing.
type bulkTierDialog struct {
	s       *customersScreen
	dlg     *dialog.CustomDialog
	body    *fyne.Container
	intro   *widget.Label
	moves   *fyne.Container
	list    *widget.List
	status  *widget.Label
	confirm *widget.Button
	cancel  *widget.Button
	changes []crm.TierChange
	day     crm.Date
}

// onBulkTiers opens the preview and reads the suggestions off the UI goroutine.
func (s *customersScreen) onBulkTiers() {
	b := &bulkTierDialog{s: s, day: s.w.today()}
	b.intro = widget.NewLabel(i18n.T("bulktier.loading"))
	b.intro.Wrapping = fyne.TextWrapWord
	b.moves = container.NewGridWithColumns(3)
	b.list = widget.NewList(func() int { return len(b.changes) }, b.newRow, b.updateRow)
	b.list.OnSelected = func(widget.ListItemID) { b.list.UnselectAll() }
	b.status = errorLabel()
	b.cancel = widget.NewButton(i18n.T("common.cancel"), b.onCancel)
	b.confirm = widget.NewButtonWithIcon(i18n.T("bulktier.confirm_none"), theme.ConfirmIcon(), b.onConfirm)
	b.confirm.Importance = widget.HighImportance
	b.confirm.Disable()
	hint := widget.NewLabel(i18n.T("bulktier.hint"))
	hint.Wrapping = fyne.TextWrapWord
	hint.SizeName = theme.SizeNameCaptionText
	head := container.NewVBox(b.intro, b.moves, widget.NewSeparator())
	foot := container.NewVBox(widget.NewSeparator(), b.status,
		container.NewBorder(nil, nil, nil, container.NewHBox(b.cancel, b.confirm), hint))
	b.body = container.NewBorder(head, foot, nil, nil, b.list)
	b.dlg = dialog.NewCustomWithoutButtons(i18n.T("bulktier.title"), b.body, s.w.win)
	size := s.w.win.Canvas().Size()
	b.dlg.Resize(fyne.NewSize(min(760, max(size.Width-60, 480)), min(620, max(size.Height-60, 420))))
	s.bulk = b
	b.dlg.Show()

	book, day := s.w.book, b.day
	s.w.async(func() func() {
		changes, err := book.SuggestedTierChanges(context.Background(), day)
		return func() {
			if err != nil {
				b.intro.SetText(i18n.T("customers.load_failed", "Error", err))
				return
			}
			b.show(changes)
		}
	})
}

// show puts the suggested changes in the preview.
func (b *bulkTierDialog) show(changes []crm.TierChange) {
	b.changes = changes
	if len(changes) == 0 {
		b.intro.SetText(i18n.T("bulktier.none"))
	} else {
		b.intro.SetText(i18n.T("bulktier.intro", "Count", len(changes), "Date", b.day.String()))
	}
	b.moves.Objects = nil
	for _, m := range crm.TierMoves(changes) {
		l := widget.NewLabel(i18n.T("bulktier.move", "From", tierLabel(m.From), "To", tierLabel(m.To), "Count", m.Count))
		l.TextStyle.Bold = true
		b.moves.Add(l)
	}
	b.list.Refresh()
	if len(changes) > 0 {
		b.confirm.SetText(i18n.T("bulktier.confirm", "Count", len(changes)))
		b.confirm.Enable()
	}
	b.body.Refresh() // the counts and the button grew: lay the dialog out again
}

func (b *bulkTierDialog) newRow() fyne.CanvasObject {
	name := widget.NewLabelWithStyle("Name", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	name.Truncation = fyne.TextTruncateEllipsis
	code := widget.NewLabel("C000000")
	code.SizeName = theme.SizeNameCaptionText
	// The template holds a long change, so that rows never need laying out again.
	change := widget.NewLabel(i18n.T("bulktier.row", "From", tierLabel(crm.TierOrdinary), "To", tierLabel(crm.TierOrdinary),
		"Amount", crm.Money(99999999).String()))
	return container.NewBorder(nil, nil, nil, container.NewHBox(code, change), name)
}

func (b *bulkTierDialog) updateRow(id widget.ListItemID, o fyne.CanvasObject) {
	if id >= len(b.changes) {
		return
	}
	c := b.changes[id]
	box := o.(*fyne.Container)
	right := box.Objects[1].(*fyne.Container)
	name := c.Name
	if c.Remark != "" {
		name += "（" + c.Remark + "）"
	}
	box.Objects[0].(*widget.Label).SetText(name)
	right.Objects[0].(*widget.Label).SetText(c.Code)
	right.Objects[1].(*widget.Label).SetText(i18n.T("bulktier.row", "From", tierLabel(c.From), "To", tierLabel(c.To),
		"Amount", c.M.String()))
}

func (b *bulkTierDialog) onCancel() { b.dlg.Hide() }

// onConfirm changes every previewed customer's tier in one transaction, then refreshes the
// list and the open card.
func (b *bulkTierDialog) onConfirm() {
	if len(b.changes) == 0 {
		return
	}
	tiers := make(map[int64]crm.Tier, len(b.changes))
	for _, c := range b.changes {
		tiers[c.ID] = c.To
	}
	b.confirm.Disable()
	b.cancel.Disable()
	setError(b.status, "")
	book, s := b.s.w.book, b.s
	s.w.async(func() func() {
		n, err := book.SetTiers(context.Background(), tiers)
		return func() {
			b.cancel.Enable()
			if err != nil {
				b.confirm.Enable()
				setError(b.status, i18n.T("bulktier.failed", "Error", err))
				return
			}
			b.dlg.Hide()
			s.notice.SetText(i18n.T("bulktier.done", "Count", n))
			s.notice.Show()
			if c := s.card.customer; c != nil {
				if t, ok := tiers[c.ID]; ok {
					s.card.tierChanged(t)
				}
			}
			s.reload()
		}
	})
}
