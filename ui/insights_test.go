package ui

import (
	"context"
	"image/color"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"carebook/assets/i18n"
	"carebook/crm"
)

// insightsOf returns the window's Insights screen.
func insightsOf(t *testing.T, w *Window) *insightsScreen {
	t.Helper()
	for _, s := range w.screens {
		if s, ok := s.(*insightsScreen); ok {
			return s
		}
	}
	t.Fatal("no Insights screen in the navigation")
	return nil
}

// The chart calls back with the key and series of the tapped bar, not for an empty one, and
// draws its bars in the theme's colours after a theme change.
func TestBarChartTapsAndTheme(t *testing.T) {
	a := test.NewApp()
	defer a.Quit()
	a.Settings().SetTheme(fixedTheme(theme.VariantLight))
	var got []string
	c := newBarChart([]chartSeries{{name: "own", color: theme.ColorNamePrimary}, {name: "suggested", color: theme.ColorNameWarning}},
		func(key string, series int) { got = append(got, key+"/"+string(rune('0'+series))) })
	c.setItems([]chartItem{
		{key: "vip", label: "VIP", values: []int{3, 0}},
		{key: "major", label: "A very long label that cannot fit the width of the label column at all", values: []int{12, 40}},
	})
	win := test.NewWindow(c)
	defer win.Close()
	win.Resize(fyne.NewSize(400, 200))
	test.Tap(c.bar("major", 1))
	test.Tap(c.bar("vip", 0))
	test.Tap(c.bar("vip", 1)) // zero: nothing
	if strings.Join(got, " ") != "major/1 vip/0" {
		t.Errorf("taps = %v", got)
	}
	// The longer bar fills the track; the shorter is in proportion.
	big, small := c.bar("major", 1), c.bar("major", 0)
	if big.fill != big.track || small.fill < big.track*12/40-1 || small.fill > big.track*12/40+1 {
		t.Errorf("fills %v %v of %v", big.fill, small.fill, big.track)
	}
	r := test.WidgetRenderer(c).(*barChartRenderer)
	if l := r.labels[1].Text; !strings.HasSuffix(l, "…") || fyne.MeasureText(l, r.textSize(), fyne.TextStyle{}).Width > 400*0.45 {
		t.Errorf("long label not truncated: %q", l)
	}
	fillOf := func(b *chartBar) color.Color {
		return test.WidgetRenderer(b).(*chartBarRenderer).fill.FillColor
	}
	light := fixedTheme(theme.VariantLight)
	if fillOf(small) != tealLight || fillOf(big) != light.Color(theme.ColorNameWarning, theme.VariantLight) {
		t.Errorf("light fills %v %v", fillOf(small), fillOf(big))
	}
	a.Settings().SetTheme(fixedTheme(theme.VariantDark))
	c.Refresh()
	if fillOf(small) != tealDark {
		t.Errorf("dark fill %v", fillOf(small))
	}
	if r.labels[0].Color != fixedTheme(theme.VariantDark).Color(theme.ColorNameForeground, theme.VariantDark) {
		t.Errorf("dark label colour %v", r.labels[0].Color)
	}
	// New items replace the old ones in place.
	c.setItems([]chartItem{{key: "small", label: "Small", values: []int{1, 1}}})
	test.Tap(c.bar("small", 0))
	if len(got) != 3 || got[2] != "small/0" || c.bar("vip", 0) != nil {
		t.Errorf("after setItems: %v", got)
	}
}

// A column chart shows counts that do not fit as 1.2万 / 12.3k and taps like the bars.
func TestColumnChartCompactCounts(t *testing.T) {
	a := test.NewApp()
	defer a.Quit()
	for _, tc := range []struct {
		lang i18n.Lang
		want string
	}{{i18n.ZhHans, "9.9万"}, {i18n.English, "98.8k"}} {
		i18n.Set(tc.lang)
		var tapped string
		c := newColumnChart(chartSeries{color: theme.ColorNamePrimary}, func(key string, _ int) { tapped = key })
		var items []chartItem
		for k := range 13 {
			items = append(items, chartItem{key: string(rune('a' + k)), label: "11/16", values: []int{98_765 + k}})
		}
		c.setItems(items)
		win := test.NewWindow(c)
		win.Resize(fyne.NewSize(300, 200))
		r := test.WidgetRenderer(c).(*barChartRenderer)
		if got := r.counts[0][0].Text; got != tc.want {
			t.Errorf("%s: count %q, want %q", tc.lang, got, tc.want)
		}
		if r.labels[12].Text == "" {
			t.Errorf("the last column (this week) has no label")
		}
		test.Tap(c.bar("m", 0))
		if tapped != "m" {
			t.Errorf("tapped %q", tapped)
		}
		win.Close()
	}
	i18n.Set(i18n.English)
}

func TestInsightsEmptyBookSaysWhatToDo(t *testing.T) {
	w, _ := newTestWindow(t, i18n.ZhHans)
	s := insightsOf(t, w)
	w.show(s)
	if got := s.body.Objects[0]; got == s.charts || got == s.empty {
		t.Fatalf("no loading state before the count")
	}
	w.Wait()
	if s.body.Objects[0] != s.empty {
		t.Fatalf("an empty book shows %T", s.body.Objects[0])
	}
	found := false
	for _, o := range test.LaidOutObjects(s.empty) {
		if l, ok := o.(*canvas.Text); ok && strings.Contains(l.Text, "导入") {
			found = true
		}
	}
	if !found {
		t.Errorf("the empty state does not say to import or add customers")
	}
}

func TestInsightsChartsAndBarOpensCustomers(t *testing.T) {
	w, st := newTestWindow(t, i18n.ZhHans)
	ctx := context.Background()
	today := crm.DateOf(testNow) // 2026-11-22, a Sunday
	a := buyer(t, st, "张三", today.AddDays(-1))
	b := buyer(t, st, "李四", today.AddDays(-200)) // half-lost
	c := saveCustomer(t, st, &crm.Customer{Name: "王五", Created: crm.MustDate("2026-01-01")})
	if err := st.SaveRecord(ctx, &crm.Record{CustomerID: c.ID, At: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC),
		Kind: crm.KindGreeting, Channel: crm.ChannelWeChat}); err != nil {
		t.Fatal(err)
	}
	s := insightsOf(t, w)
	w.show(s)
	w.Wait()
	if s.body.Objects[0] != s.charts {
		t.Fatalf("charts not shown: %T", s.body.Objects[0])
	}
	if got := s.summary.Text; got != "共 3 位顾客 · 保有 3 位 · 本周维护 1 次" {
		t.Errorf("summary %q", got)
	}
	if got := s.dayLabel.Text; got != "截至 2026-11-22" {
		t.Errorf("day %q", got)
	}
	// The hint to click appears under the header, laid out again (not over the day).
	if !s.tapHint.Visible() || s.tapHint.Position().Y < s.dayLabel.MinSize().Height {
		t.Errorf("tap hint at %v", s.tapHint.Position())
	}
	counts := func(c *barChart) map[string]int {
		m := map[string]int{}
		for _, it := range c.items {
			if it.values[0] > 0 {
				m[it.label] = it.values[0]
			}
		}
		return m
	}
	if got := counts(s.stages); len(got) != 3 || got["潜在"] != 1 || got["新顾客"] != 1 || got["半流失"] != 1 {
		t.Errorf("stages %v", got)
	}
	if got := counts(s.churn); len(got) != 2 || got["活跃"] != 1 || got["半流失"] != 1 {
		t.Errorf("churn %v", got)
	}
	if n := len(s.holdings.items); n != 12 || s.holdings.items[n-1].label != "11月" || s.holdings.items[n-1].values[0] != 3 {
		t.Errorf("holdings %+v", s.holdings.items)
	}
	if n := len(s.contacts.items); n != 13 || s.contacts.items[n-1].label != "11/16" || s.contacts.items[n-1].values[0] != 1 {
		t.Errorf("contacts %+v", s.contacts.items)
	}
	// 张三 bought yesterday: his day-1 follow-up is open.
	if got := counts(s.plan); len(got) != 1 || got["进行中"] != 1 || s.planPercent.Text != "暂无到期的回访" {
		t.Errorf("plan %v %q", got, s.planPercent.Text)
	}
	if got := s.tiers.items[3]; got.label != "小" || got.values[0] != 2 || got.values[1] != 1 {
		t.Errorf("tiers small %+v", got) // 张三 and 李四 are small; the suggestion: 王五 (no purchase)
	}

	// Clicking the half-lost bar lists 李四; choosing him opens his card.
	test.Tap(s.stages.bar(string(crm.StageHalfLost), 0))
	w.Wait()
	d := s.list
	if d == nil || len(d.rows) != 1 || d.rows[0].ID != b.ID || !strings.Contains(d.count.Text, "1 位顾客") {
		t.Fatalf("list %+v", d)
	}
	row := d.newRow()
	d.updateRow(0, row)
	name, info := row.(*fyne.Container).Objects[0].(*widget.Label), row.(*fyne.Container).Objects[1].(*widget.Label)
	if name.Text != "李四" || info.Text != b.Code+" · 小" {
		t.Errorf("row %q %q", name.Text, info.Text)
	}
	d.list.Select(0)
	w.Wait()
	if w.screens[w.current] != w.customers || w.customers.card.customer == nil || w.customers.card.customer.ID != b.ID {
		t.Fatalf("the card of 李四 is not open")
	}

	// The suggested tier of the tier chart: its own list.
	w.show(s)
	w.Wait()
	test.Tap(s.tiers.bar(string(crm.TierSmall), 1))
	w.Wait()
	if len(s.list.rows) != 1 || s.list.rows[0].ID != c.ID {
		t.Errorf("suggested small: %+v", s.list.rows)
	}
	s.list.dialog.Hide()
	// The holdings of this month: all three, in the list's (pinyin) order.
	test.Tap(s.holdings.bar(today.String(), 0))
	w.Wait()
	if names := summaryNames(s.list.rows); strings.Join(names, ",") != "李四,王五,张三" {
		t.Errorf("held: %v", names)
	}
	s.list.dialog.Hide()
	if a.Code == "" {
		t.Errorf("no code")
	}
}

// The screen counts again each time it is shown, and keeps the charts while it does.
func TestInsightsReloadsWhenShown(t *testing.T) {
	w, st := newTestWindow(t, i18n.English)
	s := insightsOf(t, w)
	w.show(s)
	w.Wait()
	if s.body.Objects[0] != s.empty {
		t.Fatal("not empty")
	}
	buyer(t, st, "Zhang San", crm.DateOf(testNow).AddDays(-3))
	w.show(w.customers)
	w.show(s)
	if s.status.Hidden || !s.refresh.Disabled() {
		t.Errorf("no updating state: status %q", s.status.Text)
	}
	w.Wait()
	if s.body.Objects[0] != s.charts || s.summary.Text != "Customers: 1 · held: 1 · contacts this week: 0" {
		t.Errorf("after a purchase: %q", s.summary.Text)
	}
	test.Tap(s.refresh)
	if !s.status.Visible() || s.status.Text != "Updating…" {
		t.Errorf("refresh: status %q", s.status.Text)
	}
	w.Wait()
	if s.status.Visible() || s.refresh.Disabled() {
		t.Errorf("after refresh: status %q", s.status.Text)
	}
}
