package ui

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"

	"carebook/assets/i18n"
	"carebook/crm"
)

func TestHelpMenuBesideFile(t *testing.T) {
	w, _ := newTestWindow(t, i18n.ZhHans)
	menu := w.win.MainMenu()
	if menu == nil || len(menu.Items) != 2 || menu.Items[1].Label != "帮助" {
		t.Fatalf("main menu = %+v", menu)
	}
	var labels []string
	for _, it := range menu.Items[1].Items {
		labels = append(labels, it.Label)
	}
	if strings.Join(labels, ",") != "键盘快捷键,关于顾客维护本" {
		t.Errorf("Help menu items = %q", labels)
	}
	menu.Items[1].Items[0].Action()
	if w.shortcutsDialog == nil {
		t.Fatal("Help › Keyboard shortcuts opened nothing")
	}
	w.shortcutsDialog.Hide()
	menu.Items[1].Items[1].Action()
	if w.aboutDialog == nil {
		t.Fatal("Help › About opened nothing")
	}
}

// The shortcuts dialog lists every shortcut of the menu, from the same list, with the key of the
// system: ⌘ on macOS, Ctrl elsewhere.
func TestShortcutsDialogListsEveryShortcut(t *testing.T) {
	w, _ := newTestWindow(t, i18n.ZhHans)
	for _, goos := range []string{"linux", "windows", "darwin"} {
		rows := w.shortcutRows(goos)
		if len(rows) != len(w.menuItems)+1 {
			t.Fatalf("%s: %d rows for %d menu items and F1", goos, len(rows), len(w.menuItems))
		}
		for i, it := range w.menuItems {
			sc := it.Shortcut.(*desktop.CustomShortcut)
			want := "Ctrl+" + string(sc.KeyName)
			if goos == "darwin" {
				want = "⌘" + string(sc.KeyName)
			}
			if rows[i].key != want || rows[i].label != it.Label {
				t.Errorf("%s: row %d = %+v, want %q %q", goos, i, rows[i], want, it.Label)
			}
		}
		if last := rows[len(rows)-1]; last.key != "F1" || last.label != "键盘快捷键" {
			t.Errorf("%s: last row %+v", goos, last)
		}
	}
	// F1 (typed while no field has the focus) opens the dialog, showing each row.
	w.win.Canvas().Unfocus()
	w.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyF1})
	if w.shortcutsDialog == nil {
		t.Fatal("F1 did not open the shortcuts")
	}
	top := w.win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no dialog on the canvas")
	}
	text := rowTexts(top)
	for _, want := range []string{"键盘快捷键", "Ctrl+N", "新建顾客", "Ctrl+F", "搜索", "Ctrl+L", "记录联系", "Ctrl+E", "导出 Excel", "Ctrl+I", "F1"} {
		if !strings.Contains(text, want) {
			t.Errorf("the dialog does not show %q: %s", want, text)
		}
	}
	w.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyF2})
	if w.win.Canvas().Overlays().Top() != top {
		t.Errorf("another key opened something")
	}
}

func TestAboutShowsWhereTheDataIs(t *testing.T) {
	w, st := newTestWindow(t, i18n.ZhHans)
	w.showAbout()
	text := rowTexts(w.win.Canvas().Overlays().Top())
	dir := filepath.Dir(st.Path())
	for _, want := range []string{"顾客维护本", "版本", "test", st.Path(), dir, filepath.Join(dir, "backups"), "（第一次备份时创建）"} {
		if !strings.Contains(text, want) {
			t.Errorf("About does not show %q: %s", want, text)
		}
	}
}

// PRODUCT.md §6: Ctrl+N new customer, Ctrl+F search, Ctrl+L log contact and Ctrl+E export work
// from every screen.
func TestProductShortcutsFromEveryScreen(t *testing.T) {
	w, st := newTestWindow(t, i18n.ZhHans)
	exported := 0
	w.opts.Export = func(ctx context.Context, b Book, path string, from, to crm.Date, progress func(int, int)) error {
		exported++
		return nil
	}
	saveCustomer(t, st, &crm.Customer{Name: "张三"})
	for i := range w.screens {
		name := w.screens[i].title()
		home := func() {
			w.nav.Select(i)
			w.Wait()
			if w.current != i {
				t.Fatalf("%s: not shown", name)
			}
		}
		home()
		typeShortcut(w, fyne.KeyN)
		w.Wait()
		if w.screens[w.current] != w.customers || w.customers.card.customer == nil || w.customers.card.customer.ID != 0 ||
			w.win.Canvas().Focused() != w.customers.card.name {
			t.Errorf("%s: Ctrl+N did not open a new card with the cursor in the name", name)
		}

		home()
		typeShortcut(w, fyne.KeyF)
		if w.screens[w.current] != w.customers || w.win.Canvas().Focused() != w.customers.search {
			t.Errorf("%s: Ctrl+F did not put the cursor in the search", name)
		}

		home()
		typeShortcut(w, fyne.KeyL)
		e, ok := w.editor.(*recordEditor)
		if !ok {
			t.Fatalf("%s: Ctrl+L did not open the record editor", name)
		}
		e.close()

		home()
		before := w.win.Canvas().Overlays().Top()
		typeShortcut(w, fyne.KeyE)
		top := w.win.Canvas().Overlays().Top()
		if top == nil || top == before {
			t.Fatalf("%s: Ctrl+E did not ask where to save the workbook", name)
		}
		w.win.Canvas().Overlays().Remove(top)
	}
	// The file dialog of Ctrl+E leads to the export, with progress (see export tests).
	run := w.runExport(filepath.Join(t.TempDir(), "book"))
	w.Wait()
	if exported != 1 || !run.done || run.err != nil {
		t.Errorf("export ran %d times, done %v, err %v", exported, run.done, run.err)
	}
}
