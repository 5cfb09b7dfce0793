package ui

import (
	"context"
	"fmt"
	"math"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"carebook/assets/i18n"
	"carebook/crm"
)

// DerivedBook is what the card's derived fields (PRODUCT.md §1: lifecycle stage, churn state,
// RFM segment, suggested tier, portrait) and the customer list's filters and bulk tier change
// need from the book.
type DerivedBook interface {
	// CustomerInsight is the classification of customer id on day d, the means its R, F and M
	// were compared with, and whether the customer is classified at all (not archived).
	CustomerInsight(ctx context.Context, d crm.Date, id int64) (crm.Insight, crm.RFMMeans, bool, error)
	// SuggestedTierChanges lists the customers whose suggested tier on d differs from theirs.
	SuggestedTierChanges(ctx context.Context, d crm.Date) ([]crm.TierChange, error)
	// SetTiers gives customers their tiers in one transaction, all or nothing.
	SetTiers(ctx context.Context, tiers map[int64]crm.Tier) (int, error)
}

func stageText(s crm.Stage) string     { return i18n.T("stage." + string(s)) }
func churnText(c crm.Churn) string     { return i18n.T("churn." + string(c)) }
func segmentText(s crm.Segment) string { return i18n.T("segment." + string(s)) }

// cardDerived is what the card shows of its customer's derived fields, read off the UI
// goroutine.
type cardDerived struct {
	id         int64
	day        crm.Date
	insight    crm.Insight
	means      crm.RFMMeans
	classified bool
	portrait   crm.Portrait
	err        error
}

// derivedView is the card's derived fields: the insights panel on the history tab, the
// suggested tier beside the user's own with its "apply" button, and the profile completeness on
// the basic tab.
type derivedView struct {
	e *cardEditor

	// The insights panel (history tab).
	panel    *fyne.Container
	headline *widget.RichText // stage · churn · segment · suggested tier
	rfm      *fyne.Container  // R, F and M against their means
	r, f, m  [2]*widget.Label // the value, and what it is with its mean
	portrait *widget.Label
	note     *widget.Label
	title    *widget.Label

	// Beside the tier (basic tab), and beside the suggested tier on the panel.
	suggest      *fyne.Container
	suggestLabel *widget.Label
	apply        *widget.Button
	applyPanel   *widget.Button

	// Profile completeness (basic tab).
	profile  *fyne.Container
	complete *widget.ProgressBar
	missing  *widget.Label

	shown cardDerived // what the widgets show; id 0 = nothing
	seq   int
}

func newDerivedView(e *cardEditor) *derivedView {
	v := &derivedView{e: e}
	v.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.headline = widget.NewRichText()
	v.headline.Wrapping = fyne.TextWrapWord
	v.rfm = container.NewGridWithColumns(3)
	for _, l := range []*[2]*widget.Label{&v.r, &v.f, &v.m} {
		l[0] = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		l[1] = widget.NewLabel("")
		l[1].SizeName = theme.SizeNameCaptionText
		l[1].Wrapping = fyne.TextWrapWord
		v.rfm.Add(container.NewVBox(l[0], l[1]))
	}
	v.portrait = widget.NewLabel("")
	v.portrait.Wrapping = fyne.TextWrapWord
	v.note = widget.NewLabel("")
	v.note.Wrapping = fyne.TextWrapWord
	v.note.Importance = widget.LowImportance
	hint := widget.NewLabel(i18n.T("derived.arrows"))
	hint.SizeName = theme.SizeNameCaptionText
	hint.Importance = widget.LowImportance
	head := container.NewBorder(nil, nil, v.title, hint)
	v.applyPanel = widget.NewButtonWithIcon(i18n.T("derived.apply"), theme.ConfirmIcon(), v.onApply)
	v.applyPanel.Importance = widget.LowImportance
	v.applyPanel.Hide()
	v.panel = container.NewVBox(head, container.NewBorder(nil, nil, nil, v.applyPanel, v.headline), v.rfm, v.portrait, v.note,
		widget.NewSeparator())
	v.panel.Hide()

	v.suggestLabel = widget.NewLabel("")
	v.apply = widget.NewButtonWithIcon(i18n.T("derived.apply"), theme.ConfirmIcon(), v.onApply)
	v.suggest = container.NewHBox(v.suggestLabel, v.apply)
	v.suggest.Hide()

	v.complete = widget.NewProgressBar()
	v.complete.TextFormatter = func() string {
		return i18n.T("profile.percent", "Percent", int(math.Round(v.complete.Value*100)))
	}
	v.missing = widget.NewLabel("")
	v.missing.Wrapping = fyne.TextWrapWord
	v.missing.SizeName = theme.SizeNameCaptionText
	label := widget.NewLabelWithStyle(i18n.T("profile.title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.profile = container.NewVBox(container.NewBorder(nil, nil, label, nil, v.complete), v.missing)
	v.profile.Hide()
	return v
}

// setCustomer shows what can be told at once (the completeness) and reads the rest.
func (v *derivedView) setCustomer(c *crm.Customer) {
	v.showCompleteness(c)
	if c.ID != v.shown.id {
		v.shown = cardDerived{}
		v.panel.Hide()
		v.suggest.Hide()
	}
	v.load()
}

// showCompleteness shows how much of the key profile c fills, and what is still empty.
func (v *derivedView) showCompleteness(c *crm.Customer) {
	if c == nil || c.ID == 0 {
		v.profile.Hide()
		return
	}
	pct, missing := crm.Completeness(c)
	v.complete.SetValue(float64(pct) / 100)
	if len(missing) == 0 {
		v.missing.SetText(i18n.T("profile.full"))
	} else {
		names := make([]string, len(missing))
		for i, f := range missing {
			names[i] = profileFieldName(f)
		}
		v.missing.SetText(i18n.T("profile.missing", "Fields", strings.Join(names, i18n.T("profile.sep"))))
	}
	v.profile.Show()
}

// profileFieldName is the card's label of a crm.ProfileFields name, without the scale.
func profileFieldName(f string) string {
	l := i18n.T("field." + f)
	if name, _, ok := strings.Cut(l, " ("); ok {
		return name
	}
	return l
}

// load reads the derived fields of the card's customer off the UI goroutine: its insight on
// today's classification (cached by the book) and its portrait.
func (v *derivedView) load() {
	c := v.e.customer
	if c == nil || c.ID == 0 {
		v.shown = cardDerived{}
		v.panel.Hide()
		v.suggest.Hide()
		return
	}
	v.seq++
	seq, id, day := v.seq, c.ID, v.e.w.today()
	book := v.e.w.book
	v.e.w.async(func() func() {
		d := cardDerived{id: id, day: day}
		ctx := context.Background()
		d.insight, d.means, d.classified, d.err = book.CustomerInsight(ctx, day, id)
		if d.err == nil {
			var ps []crm.Purchase
			ps, d.err = book.Purchases(ctx, id)
			d.portrait = crm.PortraitOf(ps, day)
		}
		return func() {
			if seq != v.seq || v.e.customer == nil || v.e.customer.ID != id {
				return // another card, or a newer load, meanwhile
			}
			v.show(d)
		}
	})
}

// show puts d on the widgets.
func (v *derivedView) show(d cardDerived) {
	v.shown = d
	v.title.SetText(i18n.T("derived.title", "Date", d.day.String()))
	v.headline.Segments = nil
	v.rfm.Hide()
	v.portrait.Hide()
	v.note.Hide()
	v.suggest.Hide()
	v.applyPanel.Hide()
	v.panel.Show()
	switch {
	case d.err != nil:
		v.headline.Refresh()
		v.setNote(i18n.T("derived.failed", "Error", d.err))
		return
	case !d.classified:
		v.headline.Refresh()
		v.setNote(i18n.T("derived.not_classified"))
		return
	}
	in := &d.insight
	chips := [][2]string{{i18n.T("derived.stage"), stageText(in.Stage)}}
	if in.HasPurchases() {
		chips = append(chips, [2]string{i18n.T("derived.churn"), churnText(in.Churn)},
			[2]string{i18n.T("derived.segment"), segmentText(in.Segment)})
	}
	own := v.e.customer.Tier
	offer := in.SuggestedTier != "" && in.SuggestedTier != own && !v.e.customer.Archived
	chips = append(chips, [2]string{i18n.T("derived.suggested"), tierLabel(in.SuggestedTier)})
	keyStyle := widget.RichTextStyleInline
	keyStyle.ColorName = theme.ColorNamePlaceHolder
	for i, c := range chips {
		if i > 0 {
			v.headline.Segments = append(v.headline.Segments, &widget.TextSegment{Text: "   ", Style: widget.RichTextStyleInline})
		}
		v.headline.Segments = append(v.headline.Segments,
			&widget.TextSegment{Text: c[0] + " ", Style: keyStyle},
			&widget.TextSegment{Text: c[1], Style: widget.RichTextStyleStrong})
	}
	if offer {
		v.headline.Segments = append(v.headline.Segments,
			&widget.TextSegment{Text: " " + i18n.T("derived.own_tier", "Tier", tierLabel(own)), Style: keyStyle})
	}
	v.headline.Refresh()

	if in.HasPurchases() {
		m := &d.means
		v.r[0].SetText(i18n.T("derived.r_value", "Days", in.R, "Arrow", arrow(in.RHigh)))
		v.r[1].SetText(i18n.T("derived.r_note", "Mean", formatMean(m.R)))
		v.f[0].SetText(i18n.T("derived.f_value", "Count", in.F, "Arrow", arrow(in.FHigh)))
		v.f[1].SetText(i18n.T("derived.f_note", "Mean", formatMean(m.F)))
		v.m[0].SetText(i18n.T("derived.m_value", "Amount", in.M.String(), "Arrow", arrow(in.MHigh)))
		v.m[1].SetText(i18n.T("derived.m_note", "Mean", m.M.String()))
		v.rfm.Show()
		v.portrait.SetText(portraitText(&d.portrait))
		v.portrait.Show()
	} else {
		v.setNote(i18n.T("derived.no_purchase"))
	}

	if offer {
		v.suggestLabel.SetText(i18n.T("derived.suggest", "Tier", tierLabel(in.SuggestedTier)))
		v.apply.Enable()
		v.applyPanel.Enable()
		v.suggest.Show()
		v.applyPanel.Show()
	}
}

func (v *derivedView) setNote(text string) {
	v.note.SetText(text)
	v.note.Show()
}

// arrow marks a value better (↑) or worse (↓) than the mean.
func arrow(high bool) string {
	if high {
		return "↑"
	}
	return "↓"
}

// formatMean shows a mean with one decimal, without a trailing ".0".
func formatMean(x float64) string {
	s := fmt.Sprintf("%.1f", x)
	return strings.TrimSuffix(s, ".0")
}

// portraitText is the customer portrait in one line: frequency, ticket, weekday, channel,
// items.
func portraitText(p *crm.Portrait) string {
	var parts []string
	if p.Purchases > 1 {
		parts = append(parts, i18n.T("derived.every", "Days", int(math.Round(p.IntervalDays))))
	} else {
		parts = append(parts, i18n.T("derived.once"))
	}
	parts = append(parts, i18n.T("derived.per_year", "Count", p.PerYear),
		i18n.T("derived.ticket", "Amount", p.AverageTicket.String()))
	if p.HasWeekday {
		parts = append(parts, i18n.T("derived.weekday", "Weekday", weekdayText(p.UsualWeekday)))
	}
	if p.Channel != "" {
		parts = append(parts, i18n.T("derived.channel", "Channel", saleChannelLabel(p.Channel)))
	}
	if len(p.TopItems) > 0 {
		parts = append(parts, i18n.T("derived.items", "Items", strings.Join(p.TopItems, i18n.T("profile.sep"))))
	}
	return i18n.T("derived.portrait", "Text", strings.Join(parts, " · "))
}

// onApply gives the customer the suggested tier (saving only the tier: other edits on the card
// stay as typed), then reads the derived fields again.
func (v *derivedView) onApply() {
	c := v.e.customer
	to := v.shown.insight.SuggestedTier
	if c == nil || c.ID == 0 || v.shown.id != c.ID || to == "" {
		return
	}
	v.apply.Disable()
	v.applyPanel.Disable()
	book := v.e.w.book
	id := c.ID
	enable := func() {
		v.apply.Enable()
		v.applyPanel.Enable()
	}
	v.e.w.persist(func(ctx context.Context) error {
		_, err := book.SetTiers(ctx, map[int64]crm.Tier{id: to})
		return err
	}, v.e.showErrors, v.e.fail, enable, func() {
		if v.e.customer == nil || v.e.customer.ID != id {
			return
		}
		v.e.tierChanged(to)
		v.e.setStatus(widget.SuccessImportance, i18n.T("derived.applied", "Name", v.e.customer.Name, "Tier", tierLabel(to)))
		if v.e.onSaved != nil {
			v.e.onSaved(v.e.customer)
		}
	})
}
