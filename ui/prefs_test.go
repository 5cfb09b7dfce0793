package ui

import (
	"context"
	"math"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"carebook/assets/i18n"
	"carebook/crm"
)

// reopen builds a new window on w's app and book, as the next start of the app does: it reads
// what the preferences remember.
func reopen(t *testing.T, w *Window) *Window {
	t.Helper()
	w.win.Close()
	w2 := NewWindow(w.app, w.opts)
	w2.Wait()
	return w2
}

func TestWindowSizeRemembered(t *testing.T) {
	w, _ := newTestWindow(t, i18n.ZhHans)
	w.win.Resize(fyne.NewSize(1024, 700))
	w2 := reopen(t, w)
	if got := w2.win.Canvas().Size(); got != fyne.NewSize(1024, 700) {
		t.Fatalf("the new window is %v, want the size the last one closed with", got)
	}
	// File › Quit saves too (the menu's own Quit item, so Fyne adds none).
	w2.win.Resize(fyne.NewSize(900, 640))
	file := w2.win.MainMenu().Items[0]
	quit := file.Items[len(file.Items)-1]
	if !quit.IsQuit || quit.Label != "退出" {
		t.Fatalf("the File menu ends with %q (IsQuit %v)", quit.Label, quit.IsQuit)
	}
	quit.Action()
	if got := savedWindowSize(w2.app.Preferences()); got != fyne.NewSize(900, 640) {
		t.Errorf("after quitting, saved %v", got)
	}
}

func TestSavedWindowSizeClamped(t *testing.T) {
	for _, c := range []struct {
		name string
		w, h float64
		want fyne.Size
	}{
		{"unset", 0, 0, defaultWindowSize},
		{"negative", -5, 700, defaultWindowSize},
		{"NaN", math.NaN(), 700, defaultWindowSize},
		{"ordinary", 1300, 800, fyne.NewSize(1300, 800)},
		{"tiny", 10, 20, minWindowSize},
		{"huge", 1e9, 1e9, maxWindowSize},
		{"wide and flat", 1e9, 5, fyne.NewSize(maxWindowSize.Width, minWindowSize.Height)},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := test.NewApp()
			defer a.Quit()
			if c.w != 0 || c.h != 0 {
				a.Preferences().SetFloat(prefWindowWidth, c.w)
				a.Preferences().SetFloat(prefWindowHeight, c.h)
			}
			if got := savedWindowSize(a.Preferences()); got != c.want {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
}

func TestLastScreenRemembered(t *testing.T) {
	w, _ := newTestWindow(t, i18n.ZhHans)
	if w.screens[w.current] != w.todayView {
		t.Fatalf("the first start should open on Today")
	}
	w.show(w.records)
	w2 := reopen(t, w)
	if w2.screens[w2.current] != w2.records || w2.nav == nil {
		t.Fatalf("opened on %q, want Records", w2.screens[w2.current].title())
	}
	w2.show(insightsOf(t, w2))
	w3 := reopen(t, w2)
	if _, ok := w3.screens[w3.current].(*insightsScreen); !ok {
		t.Fatalf("opened on %q, want Insights", w3.screens[w3.current].title())
	}
	// A language switch keeps the screen shown; an unknown saved screen opens Today.
	w3.app.Preferences().SetString(prefScreen, "no such screen")
	w4 := reopen(t, w3)
	if w4.screens[w4.current] != w4.todayView {
		t.Errorf("an unknown saved screen should open Today, opened %q", w4.screens[w4.current].title())
	}
}

func TestCustomerFiltersRemembered(t *testing.T) {
	w, st := newTestWindow(t, i18n.ZhHans)
	ctx := context.Background()
	zhang := saveCustomer(t, st, &crm.Customer{Name: "张三", Tier: crm.TierVIP, Tags: []string{"团购"}})
	saveCustomer(t, st, &crm.Customer{Name: "李四", Tier: crm.TierVIP})
	saveCustomer(t, st, &crm.Customer{Name: "王五", Tier: crm.TierSmall, Tags: []string{"团购"}})
	cs := w.customers
	w.show(cs)
	cs.loadTags()
	w.Wait()
	cs.tier.SetSelected(tierLabel(crm.TierVIP))
	cs.tag.SetSelected("团购")
	cs.sort.SetSelected(sortText(crm.SortAmount))
	cs.stage.SetSelected(stageText(crm.StageProspect))
	cs.search.SetText("zs")
	w.Wait()

	w2 := reopen(t, w)
	w2.show(w2.customers) // the filters are put back as the screen first loads
	w2.Wait()
	cs2 := w2.customers
	if cs2.tier.Selected != tierLabel(crm.TierVIP) || cs2.tag.Selected != "团购" ||
		cs2.sort.Selected != sortText(crm.SortAmount) || cs2.stage.Selected != stageText(crm.StageProspect) {
		t.Fatalf("filters not restored: tier %q tag %q sort %q stage %q", cs2.tier.Selected, cs2.tag.Selected, cs2.sort.Selected, cs2.stage.Selected)
	}
	if cs2.search.Text != "" || cs2.churn.SelectedIndex() != 0 {
		t.Errorf("the search text is not remembered, untouched filters stay at all: %q, churn %q", cs2.search.Text, cs2.churn.Selected)
	}
	// (The book's customers were made after testNow, so no one has a stage on that day yet.)
	if got := resultNames(cs2); got != "" || cs2.shown.Stage != crm.StageProspect {
		t.Errorf("restored stage not applied: %q", got)
	}
	cs2.stage.SetSelectedIndex(0)
	w2.Wait()
	if got := resultNames(cs2); got != "张三" {
		t.Errorf("restored tier and tag not applied: %q", got)
	}

	// Back to all tiers is remembered too; a tag no one has any more is dropped silently.
	cs2.tier.SetSelectedIndex(0)
	w2.Wait()
	zhang.Tags = nil
	if err := st.SaveCustomer(ctx, zhang); err != nil {
		t.Fatal(err)
	}
	w3 := reopen(t, w2)
	w3.show(w3.customers)
	w3.Wait()
	cs3 := w3.customers
	if cs3.tier.SelectedIndex() != 0 {
		t.Errorf("tier = %q, want all", cs3.tier.Selected)
	}
	if cs3.tag.Selected != "团购" {
		t.Errorf("王五 still has 团购: tag = %q", cs3.tag.Selected)
	}
	wang := cs3.results.All()
	if len(wang) != 1 || wang[0].Name != "王五" {
		t.Errorf("all tiers + 团购 = %v", summaryNames(wang))
	}
	for _, r := range wang {
		c, err := st.Customer(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		c.Tags = nil
		if err := st.SaveCustomer(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	w4 := reopen(t, w3)
	if w4.customers.tag.SelectedIndex() != 0 || w4.customers.results.Len() != 3 {
		t.Errorf("a deleted tag should be dropped: tag %q, results %v", w4.customers.tag.Selected, summaryNames(w4.customers.results.All()))
	}
	if _, ok := savedFilter(w4.app.Preferences(), prefCustomersTag); ok {
		t.Errorf("the deleted tag is still saved")
	}
}

func TestRecordFiltersRemembered(t *testing.T) {
	w, _ := newTestWindow(t, i18n.ZhHans)
	rs := w.records
	w.show(rs)
	test.Type(rs.from, "2026-11-01")
	rs.kind.SetSelected(kindLabel(crm.KindGreeting))
	rs.channel.SetSelected(channelLabel(crm.Channels[1]))
	test.Type(rs.to, "2026-02-30") // refused: not remembered
	w.Wait()
	if !rs.filterErr.Visible() {
		t.Fatalf("Feb 30 should be refused")
	}
	w2 := reopen(t, w)
	w2.show(w2.records)
	w2.Wait()
	rs2 := w2.records
	if rs2.from.Text != "2026-11-01" || rs2.to.Text != "" || rs2.kind.Selected != kindLabel(crm.KindGreeting) ||
		rs2.channel.Selected != channelLabel(crm.Channels[1]) {
		t.Fatalf("restored from %q to %q kind %q channel %q", rs2.from.Text, rs2.to.Text, rs2.kind.Selected, rs2.channel.Selected)
	}
	if rs2.query.From != crm.MustDate("2026-11-01") || rs2.query.Kind != crm.KindGreeting || rs2.query.Channel != crm.Channels[1] {
		t.Errorf("restored filters not applied: %+v", rs2.query)
	}
	// A damaged saved date is dropped.
	saveFilter(w2.app.Preferences(), prefRecordsFrom, "yesterday-ish")
	w3 := reopen(t, w2)
	w3.show(w3.records)
	w3.Wait()
	if w3.records.from.Text != "" || w3.records.filterErr.Visible() {
		t.Errorf("a bad saved date should be dropped: %q", w3.records.from.Text)
	}
}

func TestComplaintFiltersRemembered(t *testing.T) {
	w, _ := newTestWindow(t, i18n.ZhHans)
	s := openComplaints(t, w)
	if s.status.SelectedIndex() != 0 {
		t.Fatalf("the first start shows the open complaints")
	}
	s.status.SetSelectedIndex(2) // all: the value "" must not read as unset
	s.category.SetSelected(categoryLabel(crm.ComplaintBatch))
	s.severity.SetSelected(severityLabel(crm.SeverityComplex))
	s.period.SetSelectedIndex(3)
	w.Wait()
	w2 := reopen(t, w)
	s2 := w2.complaints
	if s2.status.SelectedIndex() != 2 || s2.category.Selected != categoryLabel(crm.ComplaintBatch) ||
		s2.severity.Selected != severityLabel(crm.SeverityComplex) || s2.period.SelectedIndex() != 3 {
		t.Errorf("restored status %q category %q severity %q period %q", s2.status.Selected, s2.category.Selected, s2.severity.Selected, s2.period.Selected)
	}
}

func TestThemeFollowsSystem(t *testing.T) {
	w, _ := newTestWindow(t, i18n.ZhHans)
	th := w.app.Settings().Theme()
	if _, ok := th.(careTheme); !ok || th.(careTheme).variant != nil {
		t.Fatalf("the window must use careTheme without a fixed variant, got %T", th)
	}
	for _, v := range []fyne.ThemeVariant{theme.VariantLight, theme.VariantDark} {
		want := tealLight
		if v == theme.VariantDark {
			want = tealDark
		}
		if got := th.Color(theme.ColorNamePrimary, v); got != want {
			t.Errorf("variant %d: primary %v, want %v", v, got, want)
		}
	}
	// Screenshots fix a variant whatever the system's.
	if got := fixedTheme(theme.VariantDark).Color(theme.ColorNamePrimary, theme.VariantLight); got != tealDark {
		t.Errorf("fixed dark theme gives %v in the light variant", got)
	}
}
