package ui

import (
	"context"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"carebook/assets/i18n"
	"carebook/crm"
	"carebook/crm/demo"
)

// TestScreenshots renders every built screen with demo data into $CAREBOOK_SCREENSHOTS
// (make screenshots). It is skipped in ordinary test runs.
func TestScreenshots(t *testing.T) {
	dir := os.Getenv("CAREBOOK_SCREENSHOTS")
	if dir == "" {
		t.Skip("set CAREBOOK_SCREENSHOTS to a directory (make screenshots)")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	shot := func(w *Window, name string) {
		t.Helper()
		w.Wait()
		img := w.win.Canvas().Capture()
		f, err := os.Create(filepath.Join(dir, name+".png"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := png.Encode(f, img); err != nil {
			t.Fatal(err)
		}
	}
	// An empty book: each screen says what to do next.
	for _, l := range []i18n.Lang{i18n.ZhHans, i18n.English} {
		w, _ := newTestWindow(t, l)
		w.app.Settings().SetTheme(fixedTheme(theme.VariantLight))
		shot(w, "empty-today_"+string(l))
		w.show(w.customers)
		shot(w, "empty-customers_"+string(l))
		if l == i18n.ZhHans {
			w.show(w.records)
			shot(w, "empty-records_"+string(l))
			w.show(w.events)
			shot(w, "empty-events_"+string(l))
			w.show(insightsOf(t, w))
			shot(w, "empty-insights_"+string(l))
			w.showShortcuts()
			shot(w, "help-shortcuts_"+string(l))
			w.shortcutsDialog.Hide()
			w.showAbout()
			shot(w, "help-about_"+string(l))
			w.aboutDialog.Hide()
		}
	}
	for _, l := range []i18n.Lang{i18n.ZhHans, i18n.English} {
		w, st := newTestWindow(t, l)
		w.app.Settings().SetTheme(fixedTheme(theme.VariantLight))
		ctx := context.Background()
		opts := demo.Options{Customers: 400, Seed: 7, Today: crm.DateOf(testNow)}
		cards := demo.Customers(opts)
		if err := st.InsertCustomers(ctx, cards); err != nil {
			t.Fatal(err)
		}
		ids := make([]int64, len(cards))
		for i := range cards {
			ids[i] = cards[i].ID
		}
		// Events, invitations, services and complaints as `carebook demo` makes them.
		events := demo.Events(opts)
		for i := range events {
			if err := st.SaveEvent(ctx, &events[i]); err != nil {
				t.Fatal(err)
			}
		}
		serve := demo.NewServe(opts, cards, ids, events)
		err := demo.History(opts, cards, ids, func(ps []crm.Purchase, rs []crm.Record) error {
			serve.Add(ps, rs)
			if err := st.InsertPurchases(ctx, ps); err != nil {
				return err
			}
			return st.InsertRecords(ctx, rs)
		})
		if err != nil {
			t.Fatal(err)
		}
		sd := serve.Build()
		if err := st.InsertServe(ctx, sd.Invitations, sd.Services, sd.Complaints); err != nil {
			t.Fatal(err)
		}
		w.todayView.reload()
		w.Wait()
		shot(w, "today_"+string(l))
		if l == i18n.ZhHans {
			// New Year's Day: the holiday group, planned ahead (done and snooze wait for the day).
			w.todayView.setDay(crm.MustDate("2027-01-01"))
			shot(w, "today-holiday"+"_"+string(l))
			w.todayView.setDay(crm.DateOf(testNow))
			// The day's calendar, opened from the button beside the day.
			test.Tap(w.todayView.dateEntry.pick)
			shot(w, "today-calendar"+"_"+string(l))
			w.todayView.dateEntry.popUp.Hide()
			// A narrow window shows the questions as tabs.
			w.win.Resize(fyne.NewSize(760, 640))
			shot(w, "today-narrow"+"_"+string(l))
			w.win.Resize(fyne.NewSize(1180, 760))
			w.Wait()
		}
		w.show(w.customers)
		cs := w.customers
		cs.reload()
		cs.loadTags()
		w.Wait()
		// Open a customer with a lunar birthday, so the key tab shows both calendars.
		pick := 0
		for i, r := range cs.results.All() {
			c, err := st.Customer(ctx, r.ID)
			if err == nil && c.Birthday != nil && c.Birthday.Calendar == crm.Lunar && c.Remark != "" && len(c.Tags) > 0 {
				pick = i
				break
			}
		}
		cs.list.Select(pick)
		w.Wait()
		suffix := "_" + string(l)
		shot(w, "customers"+suffix)
		if l == i18n.ZhHans {
			cs.card.tabs.SelectIndex(1)
			shot(w, "card-key"+suffix)
			cs.card.tabs.SelectIndex(2)
			shot(w, "card-history"+suffix)
			w.onLogContact()
			if e, ok := w.editor.(*recordEditor); ok {
				test.Type(e.content, "回访面霜使用感受")
				shot(w, "log-contact"+suffix)
				e.close()
			}
			w.show(w.records)
			w.records.reload()
			w.Wait()
			shot(w, "records"+suffix)
			w.show(w.customers)
			cs.card.tabs.SelectIndex(0)
			cs.search.SetText("zs")
			w.Wait()
			shot(w, "search"+suffix)
			cs.search.SetText("")
			cs.onNew()
			test.Type(cs.card.phones, "1381234")
			cs.card.email.SetText("wang@")
			test.Tap(cs.card.save)
			shot(w, "card-validation"+suffix)
			w.show(w.settings)
			// Scrolled to the rules, then to the holidays and the templates.
			scroll := w.settings.root.(*container.Scroll)
			scroll.ScrollToOffset(fyne.NewPos(0, w.settings.plan.rulesCard.Position().Y))
			shot(w, "settings"+suffix)
			scroll.ScrollToOffset(fyne.NewPos(0, w.settings.plan.textsCard.Position().Y-200))
			shot(w, "settings-templates"+suffix)
			scroll.ScrollToTop()
			// The import preview of a messy list: mapping, counts, the skipped rows and why.
			w.show(w.customers)
			cs.list.Select(pick)
			run := w.runImport([]string{screenshotList(t)})
			w.Wait()
			run.filter.SetSelected(i18n.T("import.show_skipped"))
			shot(w, "import"+suffix)
			run.filter.SetSelected(i18n.T("import.show_all"))
			shot(w, "import-all"+suffix)
			run.close()
			serveShots(t, w, shot, suffix)
			w.app.Settings().SetTheme(fixedTheme(theme.VariantDark))
			cs.list.Select(pick)
			shot(w, "customers-dark"+suffix)
			w.show(w.todayView)
			shot(w, "today-dark"+suffix)
		}
		// Insights in light and dark: the charts (top and bottom), and a bar's customers.
		ins := insightsOf(t, w)
		for _, v := range []fyne.ThemeVariant{theme.VariantLight, theme.VariantDark} {
			w.app.Settings().SetTheme(fixedTheme(v))
			variant := map[fyne.ThemeVariant]string{theme.VariantLight: "", theme.VariantDark: "-dark"}[v]
			w.show(ins)
			shot(w, "insights"+variant+suffix)
			scroll := ins.charts.(*container.Scroll)
			scroll.ScrollToBottom()
			shot(w, "insights-bottom"+variant+suffix)
			scroll.ScrollToTop()
			test.Tap(ins.stages.bar(string(crm.StageDormant), 0))
			shot(w, "insights-list"+variant+suffix)
			ins.list.dialog.Hide()
		}
		w.app.Settings().SetTheme(fixedTheme(theme.VariantLight))
		// The derived fields on the card and the list: a customer's insights (history tab), the
		// completeness and the suggested tier (basic tab), the list filtered and sorted by them,
		// and the preview of the bulk change of tiers.
		{
			w.show(w.customers)
			bi, err := st.Insights(ctx, crm.DateOf(testNow))
			if err != nil {
				t.Fatal(err)
			}
			var id int64
			for i, cid := range bi.IDs {
				in, stat := bi.Classification.Insights[i], bi.Stats[i]
				c, err := st.Customer(ctx, cid)
				if err == nil && stat.Purchases >= 3 && in.SuggestedTier != stat.Tier && c.Remark != "" && in.Churn == crm.ChurnActive {
					id = cid
					break
				}
			}
			for i, r := range cs.results.All() {
				if r.ID == id {
					cs.list.Select(i)
					cs.list.ScrollTo(i)
				}
			}
			w.Wait()
			cs.card.tabs.SelectIndex(2)
			shot(w, "card-insights"+suffix)
			cs.card.tabs.SelectIndex(0)
			shot(w, "card-profile"+suffix)
			basic := cs.card.tabs.Items[0].Content.(*container.Scroll)
			basic.ScrollToBottom()
			shot(w, "card-tier"+suffix)
			basic.ScrollToTop()
			cs.stage.SetSelected(stageText(crm.StageDormant))
			cs.sort.SetSelected(sortText(crm.SortRecency))
			w.Wait()
			shot(w, "customers-derived"+suffix)
			cs.stage.SetSelectedIndex(0)
			cs.sort.SetSelectedIndex(0)
			test.Tap(cs.bulkBtn)
			w.Wait()
			shot(w, "bulk-tiers"+suffix)
			cs.bulk.onCancel()
			w.Wait()
		}
		w.win.Resize(fyne.NewSize(1180, 760))
	}
	// The start-up recovery window of a book that is not a book, with its backup.
	r, _ := newRecoveryTest(t)
	r.app.Settings().SetTheme(fixedTheme(theme.VariantLight))
	r.win.Resize(fyne.NewSize(720, 460))
	f, err := os.Create(filepath.Join(dir, "recovery_zh-Hans.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, r.win.Canvas().Capture()); err != nil {
		t.Fatal(err)
	}
}

// serveShots renders the screens of the Invite and Serve questions: the events (the one whose
// invite window is open, its to-invite list, the editor), the complaints (list, analysis,
// editor), a card's services and complaints, and the working-day calendar in Settings.
func serveShots(t *testing.T, w *Window, shot func(*Window, string), suffix string) {
	t.Helper()
	ev := w.events
	w.show(ev)
	w.Wait()
	today := w.today()
	for i, e := range ev.events {
		if crm.InviteWindowOpen(e.Event, today) {
			ev.list.Select(i)
			break
		}
	}
	w.Wait()
	shot(w, "events"+suffix)
	ev.detail.tabs.SelectIndex(1)
	shot(w, "events-invite"+suffix)
	ev.detail.tabs.SelectIndex(0)
	ev.onEdit()
	shot(w, "event-editor"+suffix)
	ev.editor.close()

	cp := w.complaints
	w.show(cp)
	w.Wait()
	cp.status.SetSelectedIndex(2) // all
	w.Wait()
	shot(w, "complaints"+suffix)
	cp.tabs.SelectIndex(1)
	w.Wait()
	shot(w, "complaints-analysis"+suffix)
	cp.tabs.SelectIndex(0)
	var pick *crm.ComplaintRow
	for i := range cp.rows {
		if r := &cp.rows[i]; len(r.Complaint.Steps) >= 3 && r.Complaint.Closed.IsZero() {
			pick = r
			break
		}
	}
	if pick == nil && len(cp.rows) > 0 {
		pick = &cp.rows[0]
	}
	if pick == nil {
		t.Fatal("the demo has no complaint")
	}
	c := pick.Complaint
	w.editComplaint(c.CustomerID, &c, nil)
	w.Wait()
	shot(w, "complaint-editor"+suffix)
	if e, ok := w.editor.(*complaintEditor); ok {
		e.close()
	}

	// A card with its services and complaints.
	w.show(w.customers)
	cs := w.customers
	cs.open(c.CustomerID)
	w.Wait()
	cs.card.tabs.SelectIndex(3)
	w.Wait()
	shot(w, "card-serve"+suffix)
	cs.card.tabs.SelectIndex(0)

	w.show(w.settings)
	scroll := w.settings.root.(*container.Scroll)
	scroll.ScrollToOffset(fyne.NewPos(0, w.settings.workdays.card.Position().Y-40))
	w.Wait()
	shot(w, "settings-workdays"+suffix)
	scroll.ScrollToTop()

	// Settings › Backups, with the backups wired as main wires them (the day's automatic backup
	// is made when the section is built).
	w.opts.Backups = storeBackups()
	w.settings = newSettingsScreen(w)
	w.screens[len(w.screens)-1] = w.settings
	w.show(w.customers)
	w.show(w.settings)
	w.Wait()
	scroll = w.settings.root.(*container.Scroll)
	scroll.ScrollToOffset(fyne.NewPos(0, w.settings.backup.card.Position().Y-40))
	w.Wait()
	shot(w, "settings-backup"+suffix)
	scroll.ScrollToTop()
}

// screenshotList is a customer list as people keep it: synonym headers, a column Carebook does
// not know, several phones and tags in a cell, dates of every form, and a few bad rows.
func screenshotList(t *testing.T) string {
	t.Helper()
	csv := "客户姓名,手机号,出生日期,分组,客户等级,最近在看,备注\n" +
		"周晓梅,138 2233 4455,1988年3月12日,老客户、团购,VIP,抗衰精华,每月都来\n" +
		"吴建国,139-1111-2222; 010-88886666,农历八月十五,企业客户,重要,商务礼盒,\n" +
		"郑丽,abc123,,,,,\n" +
		"孙悦,13700001111,2月30日,会员,,防晒,\n" +
		"钱多多,15012345678,腊月廿三,会员,普通,,喜欢微信联系\n" +
		"冯小刚,18611112222,1992/5/3,,小,,\n" +
		",13344445555,,,,,只有电话\n" +
		"陈静,17799998888,11月22日,老客户,VIP,面霜,\n" +
		"褚卫东,15566667777,闰四月初一,,普通,,\n"
	p := filepath.Join(t.TempDir(), "客户名单.csv")
	if err := os.WriteFile(p, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
