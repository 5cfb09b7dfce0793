package ui

import (
	"context"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"carebook/assets/i18n"
	"carebook/crm"
	"carebook/store"
)

// derivedBook fills a book on testNow's day (2026-11-22): 甲 bought twice lately (repeat,
// important value, suggested vip), 乙 once 174 days ago (dormant, general win-back, suggested
// ordinary), 丙 never (prospect, suggested small). All three are ordinary.
type derivedBook struct {
	a, b, c *crm.Customer
}

func fillDerivedBook(t *testing.T, st *store.Store) derivedBook {
	t.Helper()
	ctx := context.Background()
	save := func(c *crm.Customer) *crm.Customer {
		t.Helper()
		if err := st.SaveCustomer(ctx, c); err != nil {
			t.Fatal(err)
		}
		return c
	}
	buy := func(c *crm.Customer, date string, yuan crm.Money, items string, ch crm.SaleChannel) {
		t.Helper()
		p := &crm.Purchase{CustomerID: c.ID, Date: crm.MustDate(date), Amount: yuan * 100, Items: items, Channel: ch}
		if err := st.SavePurchase(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	var d derivedBook
	d.a = save(&crm.Customer{Name: "甲", Phones: []string{"13800000001"}, Gender: crm.GenderFemale, WeChat: "jia88",
		Tier: crm.TierOrdinary, Created: crm.MustDate("2025-01-01")})
	buy(d.a, "2026-10-03", 3000, "面霜、精华液", crm.Offline)
	buy(d.a, "2026-11-07", 2000, "面霜", crm.Offline)
	d.b = save(&crm.Customer{Name: "乙", Phones: []string{"13800000002"}, Tier: crm.TierOrdinary, Created: crm.MustDate("2025-01-01")})
	buy(d.b, "2026-06-01", 100, "口红", crm.Online)
	d.c = save(&crm.Customer{Name: "丙", Tier: crm.TierOrdinary, Created: crm.MustDate("2026-01-01")})
	return d
}

func resultNames(cs *customersScreen) string {
	return strings.Join(summaryNames(cs.results.All()), ",")
}

// The list filters by stage, churn, segment and suggested tier through its Selects, sorts, and
// says when nothing matches.
func TestCustomersFilterByDerivedFields(t *testing.T) {
	w, st := newTestWindow(t, i18n.ZhHans)
	fillDerivedBook(t, st)
	cs := w.customers
	w.show(cs)
	w.Wait()
	cs.reload()
	w.Wait()
	if got := resultNames(cs); got != "丙,甲,乙" {
		t.Fatalf("list %s", got)
	}
	steps := []struct {
		sel  *widget.Select
		opt  string
		want string
	}{
		{cs.stage, stageText(crm.StageProspect), "丙"},
		{cs.stage, stageText(crm.StageDormant), "乙"},
		{cs.stage, i18n.T("customers.all_stages"), "丙,甲,乙"},
		{cs.segment, segmentText(crm.SegmentImportantValue), "甲"},
		{cs.segment, i18n.T("customers.all_segments"), "丙,甲,乙"},
		{cs.churn, churnText(crm.ChurnDormant), "乙"},
		{cs.churn, i18n.T("customers.all_churn"), "丙,甲,乙"},
		{cs.suggested, i18n.T("customers.suggested_is", "Tier", tierLabel(crm.TierVIP)), "甲"},
		{cs.suggested, i18n.T("customers.all_suggested"), "丙,甲,乙"},
		{cs.sort, sortText(crm.SortAmount), "甲,乙,丙"},
		{cs.sort, sortText(crm.SortRecency), "乙,甲,丙"},
	}
	for _, s := range steps {
		pickOption(t, w, s.sel, s.opt)
		w.Wait()
		if got := resultNames(cs); got != s.want {
			t.Errorf("%s: list %s, want %s", s.opt, got, s.want)
		}
	}
	// Sorted by R, a row says when the customer last bought.
	row := cs.list.CreateItem()
	cs.updateRow(0, row)
	if got := rowTexts(row); !strings.Contains(got, "C000002 · 最近消费 2026-06-01（174 天前） · 138 0000 0002") {
		t.Errorf("row %q", got)
	}
	// Nothing matches: the list says so.
	pickOption(t, w, cs.stage, stageText(crm.StageLost))
	w.Wait()
	if cs.results.Len() != 0 || !cs.empty.Visible() || cs.empty.Text != i18n.T("customers.no_filter_match") {
		t.Errorf("no match: %v %q", summaryNames(cs.results.All()), cs.empty.Text)
	}
}

// The card shows, for a customer with purchases, the stage, churn state, RFM segment with R, F,
// M and their means, the suggested tier, the portrait, and the profile completeness.
func TestCardShowsDerivedFields(t *testing.T) {
	w, st := newTestWindow(t, i18n.ZhHans)
	d := fillDerivedBook(t, st)
	cs := w.customers
	cs.open(d.a.ID)
	w.Wait()
	v := cs.card.derived
	if !v.panel.Visible() {
		t.Fatal("the insights panel is hidden")
	}
	head := v.headline.String()
	for _, want := range []string{"阶段 回购", "流失状态 活跃", "RFM 分群 重要价值", "建议等级 VIP （当前 普通）"} {
		if !strings.Contains(head, want) {
			t.Errorf("headline %q lacks %q", head, want)
		}
	}
	// R 15 (mean 94.5), F 2 (mean 1.5), M 5000 (mean 2550).
	for _, want := range []string{"R 15 天 ↑ | 距上次消费 · 均值 94.5 天 | F 2 次 ↑ | 近一年消费次数 · 均值 1.5 次 | M ¥5000.00 ↑ | 近一年消费额 · 均值 ¥2550.00"} {
		if rfm := rowTexts(v.rfm); !strings.Contains(rfm, want) {
			t.Errorf("RFM %q lacks %q", rfm, want)
		}
	}
	wd := weekdayText(crm.MustDate("2026-10-03").Weekday())
	for _, want := range []string{"约每 35 天消费一次", "近一年 2 次", "客单价 ¥2500.00", "常在" + wd, "偏好线下", "常买 面霜、精华液"} {
		if !strings.Contains(v.portrait.Text, want) {
			t.Errorf("portrait %q lacks %q", v.portrait.Text, want)
		}
	}
	if !v.suggest.Visible() || !v.applyPanel.Visible() || !strings.Contains(v.suggestLabel.Text, "VIP") {
		t.Errorf("suggestion %q visible %v", v.suggestLabel.Text, v.suggest.Visible())
	}
	// Completeness: phones, gender and WeChat of 13 key fields.
	if !v.profile.Visible() || v.complete.Value != 0.23 {
		t.Errorf("completeness %v", v.complete.Value)
	}
	if !strings.Contains(v.missing.Text, "还缺：生日、地址、需求") || !strings.Contains(v.missing.Text, "了解程度、亲密程度、忠诚程度") ||
		!strings.Contains(v.missing.Text, "档案一小步，关系一大步") || strings.Contains(v.missing.Text, "微信") {
		t.Errorf("missing %q", v.missing.Text)
	}

	// A prospect: its stage, no RFM, no portrait, suggested small.
	cs.open(d.c.ID)
	w.Wait()
	if head := v.headline.String(); !strings.Contains(head, "阶段 潜在") || strings.Contains(head, "RFM") {
		t.Errorf("prospect headline %q", head)
	}
	if v.rfm.Visible() || v.portrait.Visible() || !v.note.Visible() {
		t.Errorf("a prospect shows RFM or a portrait")
	}

	// A new card shows none of it.
	cs.onNew()
	w.Wait()
	if v.panel.Visible() || v.suggest.Visible() || v.profile.Visible() {
		t.Errorf("a new card shows derived fields")
	}
}

// "Apply" gives the customer the suggested tier, in the book, on the card and in the list, and
// the suggestion goes.
func TestApplySuggestedTierOnCard(t *testing.T) {
	w, st := newTestWindow(t, i18n.English)
	d := fillDerivedBook(t, st)
	cs := w.customers
	w.show(cs)
	w.Wait()
	cs.reload()
	cs.open(d.a.ID)
	w.Wait()
	card := cs.card
	if !card.derived.suggest.Visible() || !card.derived.applyPanel.Visible() {
		t.Fatal("no suggestion")
	}
	if head := card.derived.headline.String(); !strings.Contains(head, "Suggested tier VIP (yours: Ordinary)") {
		t.Errorf("headline %q", head)
	}
	test.Tap(card.derived.applyPanel) // the one on the insights panel
	w.Wait()
	c, err := st.Customer(context.Background(), d.a.ID)
	if err != nil || c.Tier != crm.TierVIP {
		t.Fatalf("tier in the book %q, %v", c.Tier, err)
	}
	if card.tier.Selected != tierLabel(crm.TierVIP) || card.customer.Tier != crm.TierVIP {
		t.Errorf("card tier %q", card.tier.Selected)
	}
	if card.derived.suggest.Visible() || card.derived.applyPanel.Visible() || strings.Contains(card.derived.headline.String(), "yours") {
		t.Errorf("the suggestion is still offered")
	}
	if !strings.Contains(card.status.Text, "VIP") {
		t.Errorf("status %q", card.status.Text)
	}
	i := slices.IndexFunc(cs.results.All(), func(s crm.Summary) bool { return s.ID == d.a.ID })
	if i < 0 || cs.results.All()[i].Tier != crm.TierVIP {
		t.Errorf("list row of 甲: %+v", cs.results.All())
	}
}

// The bulk change previews who would change from which tier to which; Cancel changes nothing,
// Confirm changes them all and refreshes the list and the open card.
func TestBulkApplySuggestedTiers(t *testing.T) {
	w, st := newTestWindow(t, i18n.ZhHans)
	d := fillDerivedBook(t, st)
	ctx := context.Background()
	cs := w.customers
	cs.reload()
	cs.open(d.c.ID)
	w.Wait()
	tiers := func() string {
		var out []string
		for _, c := range []*crm.Customer{d.a, d.b, d.c} {
			x, err := st.Customer(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, string(x.Tier))
		}
		return strings.Join(out, ",")
	}

	test.Tap(cs.bulkBtn)
	w.Wait()
	b := cs.bulk
	if b == nil || len(b.changes) != 2 {
		t.Fatalf("preview %+v", b)
	}
	if got := b.bulkSummary(); got != "普通 → VIP：1 位\n普通 → 小：1 位" {
		t.Errorf("summary %q", got)
	}
	if b.list.Length() != 2 || b.confirm.Disabled() || !strings.Contains(b.confirm.Text, "2") {
		t.Errorf("list %d, confirm %q", b.list.Length(), b.confirm.Text)
	}
	row := b.list.CreateItem()
	b.updateRow(0, row)
	if got := rowTexts(row); !strings.Contains(got, "甲") || !strings.Contains(got, "普通 → VIP · 近一年 ¥5000.00") {
		t.Errorf("row %q", got)
	}
	test.Tap(b.cancel)
	w.Wait()
	if got := tiers(); got != "ordinary,ordinary,ordinary" {
		t.Errorf("cancel changed tiers: %s", got)
	}

	test.Tap(cs.bulkBtn)
	w.Wait()
	b = cs.bulk
	test.Tap(b.confirm)
	w.Wait()
	if got := tiers(); got != "vip,ordinary,small" {
		t.Errorf("tiers after confirm: %s", got)
	}
	if !cs.notice.Visible() || cs.notice.Text != "已调整 2 位顾客的等级。" {
		t.Errorf("notice %q", cs.notice.Text)
	}
	if cs.card.tier.Selected != tierLabel(crm.TierSmall) {
		t.Errorf("the open card (丙) shows %q", cs.card.tier.Selected)
	}
	for _, r := range cs.results.All() {
		if r.ID == d.a.ID && r.Tier != crm.TierVIP {
			t.Errorf("the list still shows 甲 as %s", r.Tier)
		}
	}
	// Nothing left to change.
	test.Tap(cs.bulkBtn)
	w.Wait()
	if len(cs.bulk.changes) != 0 || !cs.bulk.confirm.Disabled() || cs.bulk.intro.Text != i18n.T("bulktier.none") {
		t.Errorf("second preview: %d changes, %q", len(cs.bulk.changes), cs.bulk.intro.Text)
	}
	test.Tap(cs.bulk.cancel)
}

// pickOption taps sel, then the option opt in the menu it pops up, as a user does.
func pickOption(t *testing.T, w *Window, sel *widget.Select, opt string) {
	t.Helper()
	test.Tap(sel)
	top := w.win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatalf("%q: no menu popped up", opt)
	}
	var item fyne.Tappable
	walkObjects(top, func(o fyne.CanvasObject) {
		if tp, ok := o.(fyne.Tappable); ok && item == nil && o != sel {
			if wd, ok := o.(fyne.Widget); ok && rowTexts(wd) == opt {
				item = tp
			}
		}
	})
	if item == nil {
		t.Fatalf("no option %q in the menu", opt)
	}
	test.Tap(item)
	if sel.Selected != opt {
		t.Fatalf("picked %q, selected %q", opt, sel.Selected)
	}
}

// walkObjects calls f with o and everything drawn inside it.
func walkObjects(o fyne.CanvasObject, f func(fyne.CanvasObject)) {
	f(o)
	switch x := o.(type) {
	case *fyne.Container:
		for _, c := range x.Objects {
			walkObjects(c, f)
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(x).Objects() {
			walkObjects(c, f)
		}
	}
}

// rowTexts is the visible text inside o: its labels' and texts', joined by " | ".
func rowTexts(o fyne.CanvasObject) string {
	var parts []string
	walkObjects(o, func(c fyne.CanvasObject) {
		switch x := c.(type) {
		case *widget.Label:
			parts = append(parts, x.Text)
		case *canvas.Text:
			if x.Text != "" {
				parts = append(parts, x.Text)
			}
		}
	})
	return strings.Join(slices.Compact(parts), " | ")
}

// bulkSummary is the preview's counts as text: one line per move.
func (b *bulkTierDialog) bulkSummary() string {
	var lines []string
	for _, o := range b.moves.Objects {
		lines = append(lines, o.(*widget.Label).Text)
	}
	return strings.Join(lines, "\n")
}
