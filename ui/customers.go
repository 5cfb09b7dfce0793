package ui

import (
	"context"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"carebook/assets/i18n"
	"carebook/crm"
)

// customersScreen is the customer list (virtualised, searched as you type) beside the card of the
// selected customer.
type customersScreen struct {
	w *Window

	search *widget.Entry
	tier   *widget.Select
	tag    *widget.Select
	// The filters on the derived fields (today's classification) and the order.
	stage     *widget.Select
	churn     *widget.Select
	segment   *widget.Select
	suggested *widget.Select
	sort      *widget.Select
	bulkBtn   *widget.Button
	bulk      *bulkTierDialog // the last one opened
	notice    *widget.Label   // what the last bulk change did
	archived  *widget.Check
	newBtn    *widget.Button
	importB   *widget.Button
	count     *widget.Label
	list      *widget.List
	empty     *widget.Label
	card      *cardEditor
	undo      *widget.Button
	undoText  *widget.Label
	undoBar   *fyne.Container
	right     *fyne.Container
	root      fyne.CanvasObject

	results  crm.SummaryList   // the answer shown: rows are copied out as the list shows them
	shown    crm.CustomerQuery // the query whose results are shown
	selected int64             // id of the customer on the card, 0 when none
	seq      int               // increases with every query, so that a slow older answer is dropped
	tags     []string
	archID   int64 // the customer the undo bar restores
	// tagsLoaded is set once the tag filter holds the book's tags (and the saved tag).
	tagsLoaded bool
	opened     bool // the screen has been shown: the list is loaded and kept up to date
}

// newCustomersScreen builds the screen; the list loads when the screen is first shown (the
// window starts on Today: reading every customer then would only slow its first frame).
func newCustomersScreen(w *Window) *customersScreen {
	s := &customersScreen{w: w}
	s.buildUI()
	return s
}

func (s *customersScreen) title() string       { return i18n.T("nav.customers") }
func (s *customersScreen) icon() fyne.Resource { return theme.AccountIcon() }
func (s *customersScreen) content() fyne.CanvasObject {
	if !s.opened {
		s.opened = true
		s.reload()
		s.loadTags()
	}
	return s.root
}

func tierLabel(t crm.Tier) string { return i18n.T("tier." + string(t)) }

func (s *customersScreen) buildUI() {
	s.search = widget.NewEntry()
	s.search.SetPlaceHolder(i18n.T("customers.search"))
	s.search.OnChanged = func(string) { s.reload() }

	tierOpts := []string{i18n.T("customers.all_tiers")}
	for _, t := range crm.Tiers {
		tierOpts = append(tierOpts, tierLabel(t))
	}
	s.tier = widget.NewSelect(tierOpts, func(string) { s.reload() })
	s.tier.SetSelectedIndex(0)
	s.tag = widget.NewSelect([]string{i18n.T("customers.all_tags")}, func(string) { s.reload() })
	s.tag.SetSelectedIndex(0)
	s.buildDerivedFilters()
	s.archived = widget.NewCheck(i18n.T("customers.show_archived"), func(bool) { s.reload() })
	s.newBtn = widget.NewButtonWithIcon(i18n.T("customers.new"), theme.ContentAddIcon(), s.onNew)
	s.newBtn.Importance = widget.HighImportance
	s.importB = widget.NewButtonWithIcon(i18n.T("customers.import"), theme.UploadIcon(), s.w.onImport)
	s.importB.Importance = widget.LowImportance
	if s.w.opts.Importer == nil {
		s.importB.Hide()
	}
	s.count = widget.NewLabel("")
	s.count.SizeName = theme.SizeNameCaptionText

	s.list = widget.NewList(func() int { return s.results.Len() }, s.newRow, s.updateRow)
	s.list.OnSelected = s.onSelect
	s.empty = widget.NewLabel("")
	s.empty.Wrapping = fyne.TextWrapWord
	s.empty.Alignment = fyne.TextAlignCenter
	s.empty.Hide()

	s.card = newCardEditor(s.w, s.onSaved, s.onArchived)
	s.card.onPurged = s.onPurged
	s.undoText = widget.NewLabel("")
	s.undo = widget.NewButtonWithIcon(i18n.T("customers.undo"), theme.ContentUndoIcon(), s.onUndo)
	s.undoBar = container.NewBorder(nil, nil, nil, s.undo, s.undoText)
	s.undoBar.Hide()
	s.notice = widget.NewLabel("")
	s.notice.Importance = widget.SuccessImportance
	s.notice.Wrapping = fyne.TextWrapWord
	s.notice.Hide()
	s.right = container.NewStack(emptyState(i18n.T("customers.pick")))

	filters := container.NewGridWithColumns(2, s.tier, s.tag, s.stage, s.churn, s.segment, s.suggested)
	top := container.NewVBox(container.NewBorder(nil, nil, nil, s.newBtn, s.search), filters,
		container.NewBorder(nil, nil, nil, s.bulkBtn, s.sort),
		container.NewBorder(nil, nil, nil, container.NewHBox(s.archived, s.importB), s.count))
	left := container.NewBorder(top, nil, nil, nil, container.NewStack(s.list, s.empty))
	split := container.NewHSplit(left, container.NewBorder(container.NewVBox(s.undoBar, s.notice), nil, nil, nil, s.right))
	split.SetOffset(0.36)
	s.root = split
	s.restoreFilters()
}

// restoreFilters puts back the filters and order of the last start (not the search text) and
// remembers each change; the tag is put back when the tags are loaded (loadTags).
func (s *customersScreen) restoreFilters() {
	w := s.w
	w.rememberSelect(s.tier, prefCustomersTier, prefValues(true, crm.Tiers))
	w.rememberSelect(s.stage, prefCustomersStage, prefValues(true, crm.Stages))
	w.rememberSelect(s.churn, prefCustomersChurn, prefValues(true, crm.ChurnStates))
	w.rememberSelect(s.segment, prefCustomersSegment, prefValues(true, crm.Segments))
	w.rememberSelect(s.suggested, prefCustomersSuggested, prefValues(true, crm.Tiers))
	w.rememberSelect(s.sort, prefCustomersSort, prefValues(false, crm.CustomerSorts))
	changed := s.tag.OnChanged
	s.tag.OnChanged = func(opt string) {
		if s.tagsLoaded {
			tag := ""
			if i := s.tag.SelectedIndex(); i > 0 && i-1 < len(s.tags) {
				tag = s.tags[i-1]
			}
			saveFilter(w.app.Preferences(), prefCustomersTag, tag)
		}
		if changed != nil {
			changed(opt)
		}
	}
}

func (s *customersScreen) newRow() fyne.CanvasObject {
	name := widget.NewLabelWithStyle("Name", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	name.Truncation = fyne.TextTruncateEllipsis
	detail := widget.NewLabel("detail")
	detail.SizeName = theme.SizeNameCaptionText
	detail.Truncation = fyne.TextTruncateEllipsis
	// The template holds the widest tier label, so that rows never need laying out again.
	widest := ""
	for _, t := range crm.Tiers {
		if l := tierLabel(t); fyne.MeasureText(l, theme.TextSize(), fyne.TextStyle{}).Width > fyne.MeasureText(widest, theme.TextSize(), fyne.TextStyle{}).Width {
			widest = l
		}
	}
	tier := widget.NewLabel(widest)
	return container.NewBorder(nil, nil, nil, tier, container.NewVBox(name, detail))
}

func (s *customersScreen) updateRow(id widget.ListItemID, o fyne.CanvasObject) {
	if id >= s.results.Len() {
		return
	}
	r := s.results.At(id)
	box := o.(*fyne.Container)
	texts := box.Objects[0].(*fyne.Container)
	name := r.Name
	if r.Remark != "" {
		name += "（" + r.Remark + "）"
	}
	texts.Objects[0].(*widget.Label).SetText(name)
	parts := []string{r.Code}
	if r.Phone != "" {
		parts = append(parts, crm.FormatPhone(r.Phone))
	}
	if len(r.Tags) > 0 {
		parts = append(parts, strings.Join(r.Tags, "、"))
	}
	if d := derivedDetail(s.shown, r.Insight); d != "" {
		parts = append([]string{parts[0], d}, parts[1:]...)
	}
	texts.Objects[1].(*widget.Label).SetText(strings.Join(parts, " · "))
	tier := box.Objects[1].(*widget.Label)
	tier.SetText(tierLabel(r.Tier))
	switch r.Tier {
	case crm.TierVIP:
		tier.Importance = widget.WarningImportance
	case crm.TierMajor:
		tier.Importance = widget.HighImportance
	case crm.TierSmall:
		tier.Importance = widget.LowImportance
	default:
		tier.Importance = widget.MediumImportance
	}
	tier.Refresh()
}

// query reads the search bar and filters.
func (s *customersScreen) query() crm.CustomerQuery {
	q := crm.CustomerQuery{Text: s.search.Text, Archived: s.archived.Checked}
	if i := s.tier.SelectedIndex(); i > 0 {
		q.Tier = crm.Tiers[i-1]
	}
	if i := s.tag.SelectedIndex(); i > 0 && i-1 < len(s.tags) {
		q.Tag = s.tags[i-1]
	}
	s.derivedQuery(&q)
	return q
}

// reload runs the query off the UI goroutine and shows its answer, unless a newer query has been
// started meanwhile.
func (s *customersScreen) reload() {
	if s.list == nil || s.archived == nil || s.sort == nil || !s.opened {
		return // still building, or never shown yet: the first show loads
	}
	q := s.query()
	s.seq++
	seq := s.seq
	book := s.w.book
	s.w.async(func() func() {
		res, err := book.SearchList(context.Background(), q)
		return func() {
			if seq != s.seq {
				return
			}
			if err != nil {
				s.showEmpty(i18n.T("customers.load_failed", "Error", err))
				return
			}
			s.results, s.shown = res, q
			s.count.SetText(i18n.T("customers.count", "Count", res.Len()))
			derived := q.Stage != "" || q.Churn != "" || q.Segment != "" || q.Suggested != ""
			switch {
			case res.Len() > 0:
				s.empty.Hide()
			case q.Text == "" && q.Tier == "" && q.Tag == "" && !derived && !q.Archived:
				s.showEmpty(i18n.T("customers.none_yet"))
			case q.Archived && q.Text == "" && !derived:
				s.showEmpty(i18n.T("customers.none_archived"))
			case q.Text == "":
				s.showEmpty(i18n.T("customers.no_filter_match"))
			default:
				s.showEmpty(i18n.T("customers.no_match", "Query", q.Text))
			}
			s.list.UnselectAll()
			s.list.Refresh()
			s.list.ScrollToTop()
			if i := res.Index(s.selected); i >= 0 {
				s.list.Select(i)
				s.list.ScrollTo(i)
			}
		}
	})
}

func (s *customersScreen) showEmpty(text string) {
	s.empty.SetText(text)
	s.empty.Show()
}

// loadTags fills the tag filter with the tags in use.
func (s *customersScreen) loadTags() {
	book := s.w.book
	s.w.async(func() func() {
		tags, err := book.TagNames(context.Background())
		if err != nil {
			return nil // the filter keeps "all tags"; the list itself reports errors
		}
		return func() {
			cur := ""
			if i := s.tag.SelectedIndex(); i > 0 && i-1 < len(s.tags) {
				cur = s.tags[i-1]
			}
			if !s.tagsLoaded { // the first load: the tag of the last start, if it still exists
				p := s.w.app.Preferences()
				if saved, ok := savedFilter(p, prefCustomersTag); ok {
					if slices.Contains(tags, saved) {
						cur = saved
					} else {
						p.RemoveValue(prefCustomersTag)
					}
				}
				s.tagsLoaded = true
			}
			s.tags = tags
			opts := append([]string{i18n.T("customers.all_tags")}, tags...)
			sel := 0
			for i, t := range tags {
				if t == cur {
					sel = i + 1
				}
			}
			s.tag.SetOptions(opts)
			if s.tag.SelectedIndex() != sel {
				s.tag.SetSelectedIndex(sel)
			}
		}
	})
}

func (s *customersScreen) onSelect(id widget.ListItemID) {
	if id >= s.results.Len() {
		return
	}
	s.open(s.results.ID(id))
}

// open loads customer cid into the card and shows it.
func (s *customersScreen) open(cid int64) {
	if cid == s.selected && s.card.customer != nil && s.card.customer.ID == cid {
		s.showCard()
		return
	}
	s.selected = cid
	book := s.w.book
	s.w.async(func() func() {
		c, err := book.Customer(context.Background(), cid)
		return func() {
			if s.selected != cid {
				return
			}
			if err != nil {
				s.right.Objects = []fyne.CanvasObject{emptyState(i18n.T("customers.load_failed", "Error", err))}
				s.right.Refresh()
				return
			}
			s.card.setCustomer(c)
			s.showCard()
		}
	})
}

func (s *customersScreen) showCard() {
	s.right.Objects = []fyne.CanvasObject{s.card.root}
	s.right.Refresh()
}

// onNew opens an empty card (Ctrl+N).
func (s *customersScreen) onNew() {
	s.selected = 0
	s.list.UnselectAll()
	s.card.setCustomer(&crm.Customer{Tier: crm.TierOrdinary, Gender: crm.GenderUnknown})
	s.showCard()
	s.w.win.Canvas().Focus(s.card.name)
}

func (s *customersScreen) onSaved(c *crm.Customer) {
	s.selected = c.ID
	s.undoBar.Hide()
	s.reload()
	s.loadTags()
}

func (s *customersScreen) onArchived(c *crm.Customer) {
	s.archID = c.ID
	s.undoText.SetText(i18n.T("customers.archived", "Name", c.Name))
	s.undoBar.Show()
	s.selected = 0
	s.right.Objects = []fyne.CanvasObject{emptyState(i18n.T("customers.pick"))}
	s.right.Refresh()
	s.reload()
	s.loadTags()
}

// onUndo restores the customer just archived.
func (s *customersScreen) onUndo() {
	id := s.archID
	if id == 0 {
		return
	}
	book := s.w.book
	s.w.async(func() func() {
		err := book.RestoreCustomer(context.Background(), id)
		var c *crm.Customer
		if err == nil {
			c, err = book.Customer(context.Background(), id)
		}
		return func() {
			if err != nil {
				s.undoText.SetText(i18n.T("customers.undo_failed", "Error", err))
				return
			}
			s.archID = 0
			s.undoBar.Hide()
			s.selected = id
			s.reload()
			s.loadTags()
			s.card.setCustomer(c)
			s.showCard()
		}
	})
}

func (s *customersScreen) onPurged(c *crm.Customer) {
	s.selected = 0
	s.undoBar.Hide()
	s.undoText.SetText("")
	s.right.Objects = []fyne.CanvasObject{emptyState(i18n.T("customers.purged", "Name", c.Name))}
	s.right.Refresh()
	s.reload()
	s.loadTags()
}
