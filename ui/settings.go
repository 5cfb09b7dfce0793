package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"path/filepath"

	"carebook/assets/i18n"
)

// settingsScreen: language, which book is open, and about.
type settingsScreen struct {
	w *Window

	workdays *workdaysSection
	backup   *backupSection
	language *widget.Select
	bookPath *widget.Label
	openBook *widget.Button
	newBook  *widget.Button
	bookErr  *widget.Label
	version  *widget.Label
	plan     *planSettings
	root     fyne.CanvasObject
}

func newSettingsScreen(w *Window) *settingsScreen {
	s := &settingsScreen{w: w}
	s.buildUI()
	return s
}

func (s *settingsScreen) title() string              { return i18n.T("nav.settings") }
func (s *settingsScreen) icon() fyne.Resource        { return theme.SettingsIcon() }
func (s *settingsScreen) content() fyne.CanvasObject { return s.root }

func (s *settingsScreen) buildUI() {
	var names []string
	for _, l := range i18n.Languages {
		names = append(names, l.Name())
	}
	s.language = widget.NewSelect(names, nil)
	s.language.SetSelected(i18n.Current().Name())
	s.language.OnChanged = s.onLanguage

	s.bookPath = widget.NewLabel(s.w.book.Path())
	s.bookPath.Wrapping = fyne.TextWrapBreak
	s.bookPath.Selectable = true
	s.openBook = widget.NewButtonWithIcon(i18n.T("settings.open_book"), theme.FolderOpenIcon(), s.onOpenBook)
	s.newBook = widget.NewButtonWithIcon(i18n.T("settings.new_book"), theme.FileIcon(), s.onNewBook)
	s.bookErr = errorLabel()
	s.version = widget.NewLabel(i18n.T("settings.version", "Version", s.w.opts.Version))

	about := widget.NewLabel(i18n.T("settings.about_text"))
	about.Wrapping = fyne.TextWrapWord
	font := widget.NewLabel(i18n.T("settings.font_credit"))
	font.Wrapping = fyne.TextWrapWord
	font.SizeName = theme.SizeNameCaptionText

	card := func(title, sub string, body ...fyne.CanvasObject) fyne.CanvasObject {
		return widget.NewCard(title, sub, container.NewVBox(body...))
	}
	s.plan = newPlanSettings(s.w)
	s.workdays = newWorkdaysSection(s.w)
	s.backup = newBackupSection(s.w)
	s.root = container.NewVScroll(container.NewPadded(container.NewVBox(
		card(i18n.T("settings.language"), i18n.T("settings.language_sub"), s.language),
		s.plan.rulesCard, s.plan.textsCard,
		s.workdays.card,
		card(i18n.T("settings.book"), i18n.T("settings.book_sub"), s.bookPath,
			container.NewHBox(s.openBook, s.newBook), s.bookErr),
		s.backup.card,
		card(i18n.T("settings.about"), i18n.T("app.name"), about, s.version, font),
	)))
}

func (s *settingsScreen) onLanguage(name string) {
	for _, l := range i18n.Languages {
		if l.Name() == name {
			// Rebuilding the window from inside this select's callback is safe: the select
			// is dropped with the old content.
			s.w.setLanguage(l)
			return
		}
	}
}

func (s *settingsScreen) onOpenBook() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		path := r.URI().Path()
		_ = r.Close()
		s.switchTo(path)
	}, s.w.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".db", ".carebook"}))
	d.SetConfirmText(i18n.T("settings.open"))
	d.SetDismissText(i18n.T("common.cancel"))
	d.Show()
}

func (s *settingsScreen) onNewBook() {
	d := dialog.NewFileSave(func(wc fyne.URIWriteCloser, err error) {
		if err != nil || wc == nil {
			return
		}
		path := wc.URI().Path()
		_ = wc.Close()
		s.switchTo(path)
	}, s.w.win)
	d.SetFileName("carebook.db")
	d.SetConfirmText(i18n.T("settings.create"))
	d.SetDismissText(i18n.T("common.cancel"))
	d.Show()
}

// switchTo opens the book at path off the UI goroutine; the window moves to it when it opened.
func (s *settingsScreen) switchTo(path string) {
	if s.w.opts.OpenBook == nil {
		return
	}
	if abs, err := filepath.Abs(path); err == nil && abs == s.w.book.Path() {
		return // the book already open
	}
	open := s.w.opts.OpenBook
	s.w.async(func() func() {
		b, err := open(path)
		return func() {
			if err != nil {
				setError(s.bookErr, i18n.T("settings.open_failed", "Path", path, "Error", err))
				return
			}
			s.w.replaceBook(b)
		}
	})
}
