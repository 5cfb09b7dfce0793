package ui

import (
	"context"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
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
		err := demo.History(opts, cards, ids, func(ps []crm.Purchase, rs []crm.Record) error {
			if err := st.InsertPurchases(ctx, ps); err != nil {
				return err
			}
			return st.InsertRecords(ctx, rs)
		})
		if err != nil {
			t.Fatal(err)
		}
		w.todayView.reload()
		w.Wait()
		shot(w, "today_"+string(l))
		w.show(w.customers)
		cs := w.customers
		cs.reload()
		cs.loadTags()
		w.Wait()
		// Open a customer with a lunar birthday, so the key tab shows both calendars.
		pick := 0
		for i, r := range cs.results {
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
			shot(w, "settings"+suffix)
			w.show(w.customers)
			w.app.Settings().SetTheme(fixedTheme(theme.VariantDark))
			cs.list.Select(pick)
			shot(w, "customers-dark"+suffix)
			w.show(w.todayView)
			shot(w, "today-dark"+suffix)
		}
		w.win.Resize(fyne.NewSize(1180, 760))
	}
}
