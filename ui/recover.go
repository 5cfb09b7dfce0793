package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"carebook/assets/i18n"
)

// recoveryWindow is shown at start when the book cannot be opened (not a Carebook book, damaged,
// from a newer Carebook): why, and the ways out: restore one of its backups, open another book,
// or quit. When a book opens, the main window replaces it.
type recoveryWindow struct {
	app  fyne.App
	win  fyne.Window
	path string
	opts Options

	reason    *widget.Label
	list      *widget.List
	files     []BackupFile
	selected  int
	noFiles   *widget.Label
	restore   *widget.Button
	openOther *widget.Button
	fromFile  *widget.Button
	quit      *widget.Button
	errLabel  *widget.Label
	// confirm is the open "restore this backup?" dialog (tests answer it).
	confirm *dialog.ConfirmDialog
	// main is the main window once a book opened.
	main *Window
}

// ShowRecovery shows the recovery window for the book at path, which failed to open with err,
// and runs the app. opts wires the main window opened from it (its Book is set then).
func ShowRecovery(a fyne.App, path string, err error, opts Options) {
	r := newRecoveryWindow(a, path, err, opts)
	r.win.ShowAndRun()
}

func newRecoveryWindow(a fyne.App, path string, err error, opts Options) *recoveryWindow {
	a.Settings().SetTheme(newTheme())
	r := &recoveryWindow{app: a, path: path, opts: opts, selected: -1}
	r.win = a.NewWindow(i18n.T("recover.title"))
	r.win.SetIcon(AppIcon)
	r.buildUI(err)
	r.win.Resize(fyne.NewSize(640, 440))
	r.loadBackups()
	return r
}

func (r *recoveryWindow) buildUI(err error) {
	title := widget.NewLabelWithStyle(i18n.T("recover.title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	r.reason = widget.NewLabel(r.opts.Backups.explain(err, r.path))
	r.reason.Wrapping = fyne.TextWrapWord
	r.list = widget.NewList(
		func() int { return len(r.files) },
		func() fyne.CanvasObject {
			return widget.NewLabel("2026-11-22 09:30 · carebook-2026-11-22.db · 1.5 MB")
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id < len(r.files) {
				o.(*widget.Label).SetText(backupRow(r.files[id]))
			}
		},
	)
	r.list.OnSelected = func(id widget.ListItemID) { r.selected = id; r.restore.Enable() }
	r.list.OnUnselected = func(widget.ListItemID) { r.selected = -1 }
	r.noFiles = widget.NewLabel(i18n.T("recover.no_backups"))
	r.noFiles.Wrapping = fyne.TextWrapWord
	r.noFiles.Hide()
	r.restore = widget.NewButtonWithIcon(i18n.T("recover.restore"), theme.HistoryIcon(), r.onRestore)
	r.restore.Importance = widget.HighImportance
	r.restore.Disable()
	r.openOther = widget.NewButtonWithIcon(i18n.T("recover.open_other"), theme.FolderOpenIcon(), r.onOpenOther)
	r.fromFile = widget.NewButtonWithIcon(i18n.T("backup.restore_file"), theme.DocumentIcon(), r.onRestoreFile)
	r.quit = widget.NewButton(i18n.T("common.quit"), r.app.Quit)
	r.errLabel = errorLabel()
	top := container.NewVBox(title, r.reason, widget.NewSeparator(),
		widget.NewLabel(i18n.T("recover.backups")), r.noFiles)
	bottom := container.NewVBox(r.errLabel,
		container.NewHBox(r.restore, r.fromFile, r.openOther, layout.NewSpacer(), r.quit))
	r.win.SetContent(container.NewPadded(container.NewBorder(top, bottom, nil, nil, r.list)))
}

// async runs work off the UI goroutine and applies its result on it; with opts.manual (tests)
// it runs both in place.
func (r *recoveryWindow) async(work func() (apply func())) {
	if r.opts.manual {
		if apply := work(); apply != nil {
			apply()
		}
		return
	}
	go func() {
		if apply := work(); apply != nil {
			fyne.Do(apply)
		}
	}()
}

// loadBackups lists the backups folder beside the book.
func (r *recoveryWindow) loadBackups() {
	if r.opts.Backups.Dir == nil || r.opts.Backups.List == nil {
		r.noFiles.Show()
		return
	}
	dir := r.opts.Backups.Dir(r.path)
	r.async(func() func() {
		files, err := r.opts.Backups.List(dir)
		return func() {
			if err != nil {
				setError(r.errLabel, err.Error())
			}
			r.files = files
			r.list.Refresh()
			if len(files) == 0 {
				r.noFiles.Show()
			} else {
				r.noFiles.Hide()
			}
		}
	})
}

func (r *recoveryWindow) onRestore() {
	if r.selected < 0 || r.selected >= len(r.files) {
		setError(r.errLabel, i18n.T("backup.pick_first"))
		return
	}
	r.askRestore(r.files[r.selected].Path)
}

// onRestoreFile restores a backup kept elsewhere (another folder, a USB stick).
func (r *recoveryWindow) onRestoreFile() {
	d := dialog.NewFileOpen(func(rc fyne.URIReadCloser, err error) {
		if err != nil || rc == nil {
			return
		}
		path := rc.URI().Path()
		_ = rc.Close()
		r.askRestore(path)
	}, r.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".db", ".bak", ".carebook"}))
	d.SetConfirmText(i18n.T("backup.confirm_ok"))
	d.SetDismissText(i18n.T("common.cancel"))
	d.Show()
}

// askRestore checks the backup at from, then asks whether to restore it in the book's place.
func (r *recoveryWindow) askRestore(from string) {
	setError(r.errLabel, "")
	r.async(func() func() {
		sum, err := r.opts.Backups.Validate(context.Background(), from)
		return func() {
			if err != nil {
				setError(r.errLabel, i18n.T("backup.restore_failed", "Error", r.opts.Backups.explain(err, from)))
				return
			}
			r.confirm = dialog.NewConfirm(i18n.T("backup.confirm_title"),
				i18n.T("recover.confirm_text", "Path", from, "Book", r.path, "Customers", sum.Customers,
					"Records", sum.Records),
				func(ok bool) {
					if ok {
						r.doRestore(from)
					}
				}, r.win)
			r.confirm.SetConfirmText(i18n.T("backup.confirm_ok"))
			r.confirm.SetDismissText(i18n.T("common.cancel"))
			r.confirm.Show()
		}
	})
}

// doRestore puts the backup from in the book's place (the unreadable book is kept in the
// backups folder) and opens the book.
func (r *recoveryWindow) doRestore(from string) {
	r.restore.Disable()
	r.async(func() func() {
		_, err := r.opts.Backups.Restore(context.Background(), from, r.path)
		if err != nil {
			return func() {
				r.restore.Enable()
				setError(r.errLabel, i18n.T("backup.restore_failed", "Error", r.opts.Backups.explain(err, from)))
			}
		}
		b, err := r.opts.OpenBook(r.path)
		return func() { r.opened(r.path, b, err) }
	})
}

func (r *recoveryWindow) onOpenOther() {
	d := dialog.NewFileOpen(func(rc fyne.URIReadCloser, err error) {
		if err != nil || rc == nil {
			return
		}
		path := rc.URI().Path()
		_ = rc.Close()
		r.openPath(path)
	}, r.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".db", ".carebook"}))
	d.SetConfirmText(i18n.T("settings.open"))
	d.SetDismissText(i18n.T("common.cancel"))
	d.Show()
}

// openPath opens the book at path off the UI goroutine.
func (r *recoveryWindow) openPath(path string) {
	setError(r.errLabel, "")
	r.async(func() func() {
		b, err := r.opts.OpenBook(path)
		return func() { r.opened(path, b, err) }
	})
}

// opened shows the main window on b, remembered as the book to open next time, and closes this
// window; or says why the book at path did not open.
func (r *recoveryWindow) opened(path string, b Book, err error) {
	if err != nil {
		r.restore.Enable()
		setError(r.errLabel, i18n.T("recover.open_failed", "Path", path, "Error", r.opts.Backups.explain(err, path)))
		return
	}
	r.app.Preferences().SetString(prefBook, b.Path())
	opts := r.opts
	opts.Book = b
	r.main = NewWindow(r.app, opts)
	r.main.Window().Show()
	r.win.Close()
}
