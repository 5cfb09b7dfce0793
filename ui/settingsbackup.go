package ui

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"carebook/assets/i18n"
)

// BackupFile is one file of a backups folder.
type BackupFile struct {
	Path     string
	Size     int64
	Modified time.Time
}

// BackupSummary is what a backup holds.
type BackupSummary struct {
	Customers, Records int
}

// Backups are the backup and restore functions of the window and of the start-up recovery
// window (Options.Backups); main sets them from the store. A nil function hides what needs it.
type Backups struct {
	// Dir is the automatic backups folder of the book at bookPath; List lists a folder's
	// backups, newest first.
	Dir  func(bookPath string) string
	List func(dir string) ([]BackupFile, error)
	// Backup writes a consistent copy of the open book to dst; Daily makes the day's automatic
	// backup when it does not exist yet (and prunes the old ones).
	Backup func(ctx context.Context, b Book, dst string) error
	Daily  func(ctx context.Context, b Book, now time.Time) (path string, made bool, err error)
	// Validate checks that path is a sound book this Carebook can open; Restore puts it in the
	// place of the CLOSED book at bookPath, keeping that book in the backups folder (kept).
	Validate func(ctx context.Context, path string) (BackupSummary, error)
	Restore  func(ctx context.Context, from, bookPath string) (kept string, err error)
	// Explain translates why the file at path cannot serve as a book.
	Explain func(err error, path string) string
}

// explain is the translated reason of err about the file at path.
func (b Backups) explain(err error, path string) string {
	if b.Explain != nil {
		return b.Explain(err, path)
	}
	return err.Error()
}

// backupNote is a message for the backup section built after a restore rebuilt the window.
type backupNote struct {
	text  string
	isErr bool
}

// backupSection is Settings › Backups: the folder and its backups, back up now, restore.
type backupSection struct {
	w *Window

	card            *widget.Card
	folder          *widget.Label
	list            *widget.List
	files           []BackupFile
	selected        int
	backupNow       *widget.Button
	restoreFile     *widget.Button
	restoreSelected *widget.Button
	status          *widget.Label
	daily           *widget.Label
	errLabel        *widget.Label
	// confirm is the open "restore this backup?" dialog (tests answer it).
	confirm *dialog.ConfirmDialog
}

func newBackupSection(w *Window) *backupSection {
	s := &backupSection{w: w, selected: -1}
	s.buildUI()
	if note := w.backupNote; note != nil {
		w.backupNote = nil // shown once, by the section built after the restore
		if note.isErr {
			setError(s.errLabel, note.text)
		} else {
			s.status.SetText(note.text)
			s.status.Show()
		}
	}
	s.reload()
	s.runDaily()
	return s
}

func (s *backupSection) dir() string {
	if s.w.opts.Backups.Dir == nil {
		return ""
	}
	return s.w.opts.Backups.Dir(s.w.book.Path())
}

func (s *backupSection) buildUI() {
	s.folder = widget.NewLabel(i18n.T("backup.folder", "Path", s.dir()))
	s.folder.Wrapping = fyne.TextWrapBreak
	s.folder.Selectable = true
	s.list = widget.NewList(
		func() int { return len(s.files) },
		func() fyne.CanvasObject {
			return widget.NewLabel("2026-11-22 09:30 · carebook-2026-11-22.db · 1.5 MB")
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id < len(s.files) {
				o.(*widget.Label).SetText(backupRow(s.files[id]))
			}
		},
	)
	s.list.OnSelected = func(id widget.ListItemID) { s.selected = id }
	s.list.OnUnselected = func(widget.ListItemID) { s.selected = -1 }
	s.backupNow = widget.NewButtonWithIcon(i18n.T("backup.now"), theme.DocumentSaveIcon(), s.onBackupNow)
	s.restoreSelected = widget.NewButtonWithIcon(i18n.T("backup.restore_selected"), theme.HistoryIcon(), s.onRestoreSelected)
	s.restoreFile = widget.NewButtonWithIcon(i18n.T("backup.restore_file"), theme.FolderOpenIcon(), s.onRestoreFile)
	s.status = widget.NewLabel("")
	s.status.Wrapping = fyne.TextWrapWord
	s.status.Hide()
	s.daily = widget.NewLabel("")
	s.daily.Wrapping = fyne.TextWrapWord
	s.daily.SizeName = theme.SizeNameCaptionText
	s.daily.Hide()
	s.errLabel = errorLabel()
	if s.w.opts.Backups.Backup == nil {
		s.backupNow.Disable()
	}
	if s.w.opts.Backups.Restore == nil || s.w.opts.OpenBook == nil || s.w.opts.Close == nil {
		s.restoreSelected.Disable()
		s.restoreFile.Disable()
	}
	listBox := container.NewGridWrap(fyne.NewSize(560, 150), s.list)
	s.card = widget.NewCard(i18n.T("backup.title"), i18n.T("backup.sub"), container.NewVBox(
		s.folder, listBox,
		container.NewHBox(s.backupNow, s.restoreSelected, s.restoreFile),
		s.status, s.errLabel, s.daily,
	))
}

// backupRow is a line of the list: when, which file, how big.
func backupRow(f BackupFile) string {
	return i18n.T("backup.row", "Date", f.Modified.Format("2006-01-02 15:04"), "Name", filepath.Base(f.Path),
		"Size", sizeText(f.Size))
}

// sizeText is a file size for people: KB below a megabyte, else MB with one decimal.
func sizeText(n int64) string {
	if n < 1<<20 {
		return i18n.T("backup.size_kb", "Size", (n+1023)/1024)
	}
	return i18n.T("backup.size_mb", "Size", fmt.Sprintf("%.1f", float64(n)/(1<<20)))
}

// reload lists the backups folder off the UI goroutine.
func (s *backupSection) reload() {
	dir := s.dir()
	if dir == "" || s.w.opts.Backups.List == nil {
		return
	}
	s.w.async(func() func() {
		files, err := s.w.opts.Backups.List(dir)
		return func() {
			if err != nil {
				setError(s.errLabel, err.Error())
				return
			}
			s.files = files
			s.selected = -1
			s.list.UnselectAll()
			s.list.Refresh()
		}
	})
}

// runDaily makes today's automatic backup in the background; a failure is said here, softly.
func (s *backupSection) runDaily() {
	if s.w.opts.Backups.Daily == nil {
		return
	}
	b, now := s.w.book, s.w.opts.Now()
	s.w.async(func() func() {
		path, made, err := s.w.opts.Backups.Daily(context.Background(), b, now)
		return func() {
			switch {
			case err != nil:
				s.daily.Importance = widget.WarningImportance
				s.daily.SetText(i18n.T("backup.daily_failed", "Error", err))
			case made:
				s.daily.SetText(i18n.T("backup.daily_made", "Path", path))
				s.reload()
			default:
				s.daily.SetText(i18n.T("backup.daily_exists", "Path", path))
			}
			s.daily.Show()
		}
	})
}

func (s *backupSection) onBackupNow() {
	d := dialog.NewFileSave(func(wc fyne.URIWriteCloser, err error) {
		if err != nil || wc == nil {
			return
		}
		path := wc.URI().Path()
		_ = wc.Close()
		s.backupTo(path)
	}, s.w.win)
	d.SetFileName("carebook-" + s.w.opts.Now().Format("2006-01-02-1504") + ".db")
	d.SetFilter(storage.NewExtensionFileFilter([]string{".db"}))
	d.SetConfirmText(i18n.T("backup.save"))
	d.SetDismissText(i18n.T("common.cancel"))
	d.Show()
}

// backupTo writes the copy of the book to path off the UI goroutine.
func (s *backupSection) backupTo(path string) {
	b := s.w.book
	setError(s.errLabel, "")
	s.backupNow.Disable()
	s.w.async(func() func() {
		err := s.w.opts.Backups.Backup(context.Background(), b, path)
		return func() {
			s.backupNow.Enable()
			if err != nil {
				setError(s.errLabel, i18n.T("backup.failed", "Error", s.w.opts.Backups.explain(err, path)))
				return
			}
			s.status.SetText(i18n.T("backup.done", "Path", path))
			s.status.Show()
			s.reload()
		}
	})
}

func (s *backupSection) onRestoreSelected() {
	if s.selected < 0 || s.selected >= len(s.files) {
		setError(s.errLabel, i18n.T("backup.pick_first"))
		return
	}
	s.askRestore(s.files[s.selected].Path)
}

func (s *backupSection) onRestoreFile() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		path := r.URI().Path()
		_ = r.Close()
		s.askRestore(path)
	}, s.w.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".db", ".bak", ".carebook"}))
	d.SetConfirmText(i18n.T("backup.confirm_ok"))
	d.SetDismissText(i18n.T("common.cancel"))
	d.Show()
}

// askRestore checks the backup at path, then asks whether to restore it, saying what happens.
func (s *backupSection) askRestore(path string) {
	setError(s.errLabel, "")
	s.w.async(func() func() {
		sum, err := s.w.opts.Backups.Validate(context.Background(), path)
		return func() {
			if err != nil {
				setError(s.errLabel, i18n.T("backup.restore_failed", "Error", s.w.opts.Backups.explain(err, path)))
				return
			}
			s.confirm = dialog.NewConfirm(i18n.T("backup.confirm_title"),
				i18n.T("backup.confirm_text", "Path", path, "Customers", sum.Customers, "Records", sum.Records),
				func(ok bool) {
					if ok {
						s.restore(path)
					}
				}, s.w.win)
			s.confirm.SetConfirmText(i18n.T("backup.confirm_ok"))
			s.confirm.SetDismissText(i18n.T("common.cancel"))
			s.confirm.Show()
		}
	})
}

// restore closes the book, restores the backup at from in its place and opens it again; the
// window is rebuilt on it and says where the previous book was kept.
func (s *backupSection) restore(from string) {
	old := s.w.book
	bookPath := old.Path()
	open, closeBook := s.w.opts.OpenBook, s.w.opts.Close
	s.restoreSelected.Disable()
	s.restoreFile.Disable()
	s.backupNow.Disable()
	s.status.SetText(i18n.T("backup.working"))
	s.status.Show()
	s.w.async(func() func() {
		closeBook(old)
		kept, rerr := s.w.opts.Backups.Restore(context.Background(), from, bookPath)
		// Reopen the book in every case: the restored one, or the untouched one.
		b, oerr := open(bookPath)
		return func() {
			if oerr != nil {
				dialog.ShowError(fmt.Errorf("%s", i18n.T("backup.reopen_failed", "Error", s.w.opts.Backups.explain(oerr, bookPath))), s.w.win)
				return
			}
			note := backupNote{text: i18n.T("backup.restored", "From", from, "Kept", kept)}
			switch {
			case rerr != nil:
				note = backupNote{text: i18n.T("backup.restore_failed", "Error", s.w.opts.Backups.explain(rerr, from)), isErr: true}
			case kept == "":
				note.text = i18n.T("backup.restored_new", "From", from)
			}
			s.w.backupNote = &note
			s.w.book = b
			s.w.buildUI()
		}
	})
}
