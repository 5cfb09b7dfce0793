package ui

import (
	"os"
	"path/filepath"
	"runtime"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"carebook/assets/i18n"
)

// The Help menu (帮助): the keyboard shortcuts, listed from the same actions as the File menu so
// that the list can never drift from the keys, and About, with where the data lives.

// helpMenu is the Help menu of the main menu.
func (w *Window) helpMenu() *fyne.Menu {
	shortcuts := fyne.NewMenuItem(i18n.T("help.shortcuts"), w.showShortcuts)
	shortcuts.Icon = theme.HelpIcon()
	about := fyne.NewMenuItem(i18n.T("help.about"), w.showAbout)
	about.Icon = theme.InfoIcon()
	return fyne.NewMenu(i18n.T("help.menu"), shortcuts, about)
}

// onTypedKey handles the keys typed while no field has the focus: F1 opens the shortcuts.
func (w *Window) onTypedKey(ev *fyne.KeyEvent) {
	if ev.Name == fyne.KeyF1 {
		w.showShortcuts()
	}
}

// shortcutText is how the keyboard shortcut of key reads on system goos: ⌘N on macOS, Ctrl+N
// elsewhere.
func shortcutText(goos string, key fyne.KeyName) string {
	if goos == "darwin" {
		return "⌘" + string(key)
	}
	return "Ctrl+" + string(key)
}

// shortcutRow is a line of the shortcuts dialog.
type shortcutRow struct{ key, label string }

// shortcutRows lists every shortcut of the window: the menu's actions, then F1.
func (w *Window) shortcutRows(goos string) []shortcutRow {
	var rows []shortcutRow
	for _, a := range w.actions() {
		rows = append(rows, shortcutRow{shortcutText(goos, a.key), a.label})
	}
	return append(rows, shortcutRow{"F1", i18n.T("help.shortcuts")})
}

// showShortcuts opens the dialog listing the keyboard shortcuts (Help › Keyboard shortcuts, F1).
func (w *Window) showShortcuts() {
	grid := container.New(layout.NewFormLayout())
	for _, r := range w.shortcutRows(runtime.GOOS) {
		grid.Add(widget.NewLabelWithStyle(r.key, fyne.TextAlignLeading, fyne.TextStyle{Bold: true, Monospace: true}))
		grid.Add(widget.NewLabel(r.label))
	}
	note := widget.NewLabel(i18n.T("help.shortcuts_note"))
	note.Wrapping = fyne.TextWrapWord
	note.SizeName = theme.SizeNameCaptionText
	body := container.NewVBox(grid, widget.NewSeparator(), note)
	d := dialog.NewCustom(i18n.T("help.shortcuts_title"), i18n.T("help.close"), container.NewGridWrap(fyne.NewSize(400, body.MinSize().Height+20), body), w.win)
	d.SetOnClosed(func() { w.shortcutsDialog = nil })
	w.shortcutsDialog = d
	d.Show()
}

// aboutFacts are the lines of the About dialog: label and value.
func (w *Window) aboutFacts() [][2]string {
	version := w.opts.Version
	if version == "" {
		version = "—"
	}
	path, folder, backups := "—", "—", "—"
	if w.book != nil && w.book.Path() != "" {
		path = w.book.Path()
		if abs, err := filepath.Abs(path); err == nil {
			path = abs
		}
		folder = filepath.Dir(path)
		backups = filepath.Join(folder, "backups")
		if w.opts.Backups.Dir != nil {
			backups = w.opts.Backups.Dir(path)
		}
		if fi, err := os.Stat(backups); err != nil || !fi.IsDir() {
			backups += " " + i18n.T("help.about_not_yet")
		}
	}
	return [][2]string{
		{i18n.T("help.about_version"), version},
		{i18n.T("help.about_book"), path},
		{i18n.T("help.about_folder"), folder},
		{i18n.T("help.about_backups"), backups},
	}
}

// showAbout opens About (Help › About Carebook): the version and where the data lives.
func (w *Window) showAbout() {
	form := widget.NewForm()
	for _, f := range w.aboutFacts() {
		v := widget.NewLabel(f[1])
		v.Wrapping = fyne.TextWrapBreak
		v.Selectable = true
		form.Append(f[0], v)
	}
	blurb := widget.NewLabel(i18n.T("settings.about_text")) // the same words as Settings › About
	blurb.Wrapping = fyne.TextWrapWord
	head := container.NewHBox(container.NewGridWrap(fyne.NewSize(48, 48), widget.NewIcon(AppIcon)),
		widget.NewLabelWithStyle(i18n.T("app.name"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	body := container.NewVBox(head, blurb, form)
	// Wrapped labels have no height of their own before their width is known: fix the size.
	d := dialog.NewCustom(i18n.T("help.about"), i18n.T("help.close"), container.NewGridWrap(fyne.NewSize(580, 330), body), w.win)
	d.SetOnClosed(func() { w.aboutDialog = nil })
	w.aboutDialog = d
	d.Show()
}
