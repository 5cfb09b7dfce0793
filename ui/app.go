// Package ui is Carebook's Fyne interface: one file per screen, no SQL. It talks to the book
// through the small interfaces below, which store.Store satisfies; main wires them.
package ui

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"carebook/assets/i18n"
	"carebook/crm"
)

// CustomerBook is what the customer screens need from the book.
type CustomerBook interface {
	SearchList(ctx context.Context, q crm.CustomerQuery) (crm.SummaryList, error)
	CountCustomers(ctx context.Context) (int, error)
	Customer(ctx context.Context, id int64) (*crm.Customer, error)
	SaveCustomer(ctx context.Context, c *crm.Customer) error
	ArchiveCustomer(ctx context.Context, id int64) error
	RestoreCustomer(ctx context.Context, id int64) error
	PurgeCustomer(ctx context.Context, id int64) error
	TagNames(ctx context.Context) ([]string, error)
}

// RecordBook is what the maintenance record sheet, the timeline and the purchase editor need.
type RecordBook interface {
	SaveRecord(ctx context.Context, r *crm.Record) error
	DeleteRecord(ctx context.Context, id int64) error
	CustomerRecords(ctx context.Context, customerID int64) ([]crm.Record, error)
	SavePurchase(ctx context.Context, p *crm.Purchase) error
	DeletePurchase(ctx context.Context, id int64) error
	Purchases(ctx context.Context, customerID int64) ([]crm.Purchase, error)
	Activity(ctx context.Context, customerID int64) (crm.Activity, error)
	CountRecords(ctx context.Context, q crm.RecordQuery) (int, error)
	RecordRows(ctx context.Context, q crm.RecordQuery, offset, limit int) ([]crm.RecordRow, error)
}

// PlanBook is what the Today screen and the rules settings need: the plan of a day, and what
// marks its items done or puts them off.
type PlanBook interface {
	Plan(ctx context.Context, d crm.Date) (crm.Plan, error)
	PlanSettings(ctx context.Context) (crm.PlanSettings, error)
	SetPlanSettings(ctx context.Context, ps crm.PlanSettings) error
	Snooze(ctx context.Context, z crm.Snooze) error
	SaveRecords(ctx context.Context, rs []crm.Record) error
	// InviteDone logs r and records its customer invited to event eventID; ServiceDone logs r
	// and marks service serviceID done on r's day: each in one transaction.
	InviteDone(ctx context.Context, eventID int64, r *crm.Record) error
	ServiceDone(ctx context.Context, serviceID int64, r *crm.Record) error
	Templates(ctx context.Context, lang string) (map[string]string, error)
	SetTemplate(ctx context.Context, lang, key, body string) error
	// Changes moves on with every write to the book.
	Changes() uint64
}

// ServeBook is what the events, services and complaints screens need: events and their
// invitations (the Invite question), service appointments and complaints (the Serve question).
type ServeBook interface {
	SaveEvent(ctx context.Context, e *crm.Event) error
	DeleteEvent(ctx context.Context, id int64) error
	Event(ctx context.Context, id int64) (*crm.Event, error)
	Events(ctx context.Context, from, to crm.Date) ([]crm.Event, error)
	SetInvitation(ctx context.Context, eventID, customerID int64, status crm.InvitationStatus,
		date crm.Date, note string) (*crm.Invitation, error)
	DeleteInvitation(ctx context.Context, id int64) error
	Invitations(ctx context.Context, eventID int64) ([]crm.Invitation, error)
	EventFunnel(ctx context.Context, eventID int64) (map[crm.InvitationStatus]int, error)

	SaveService(ctx context.Context, v *crm.Service) error
	DeleteService(ctx context.Context, id int64) error
	Service(ctx context.Context, id int64) (*crm.Service, error)
	Services(ctx context.Context, customerID int64) ([]crm.Service, error)

	SaveComplaint(ctx context.Context, c *crm.Complaint) error
	DeleteComplaint(ctx context.Context, id int64) error
	Complaint(ctx context.Context, id int64) (*crm.Complaint, error)
	Complaints(ctx context.Context, customerID int64) ([]crm.Complaint, error)
	ComplaintSummary(ctx context.Context, from, to crm.Date) (crm.ComplaintSummary, error)
	// The working-day calendar of the complaint deadlines, and the user's own days in it.
	CalendarBook

	// The lists of the events and complaints screens, each in one query: the events with their
	// funnels, an event's invitations with their customers, the complaints matching q with their
	// customers and steps.
	EventSummaries(ctx context.Context) ([]crm.EventSummary, error)
	InvitationRows(ctx context.Context, eventID int64) ([]crm.InvitationRow, error)
	ComplaintRows(ctx context.Context, q crm.ComplaintQuery) ([]crm.ComplaintRow, error)
}

// Book is everything the window needs from an open book.
type Book interface {
	CustomerBook
	RecordBook
	PlanBook
	InsightBook
	DerivedBook
	ServeBook
	Path() string
}

// ExportFunc writes the book to an Excel workbook at path (records and purchases dated in
// [from, to], zero = open), reporting progress; cancelling ctx leaves no file.
type ExportFunc func(ctx context.Context, b Book, path string, from, to crm.Date, progress func(done, total int)) error

// Preference keys, kept in Fyne's per-app preferences (not in the book: they say which book).
const (
	prefLanguage = "language"
	prefBook     = "book"
)

// Options wires the window to the rest of Carebook.
type Options struct {
	Book    Book
	Version string
	// OpenBook opens (or creates) the book at path, for Settings › Database. The window closes
	// the book it replaces through Close when the new one opened.
	OpenBook func(path string) (Book, error)
	Close    func(Book)
	// Export writes the Excel workbook (Ctrl+E).
	Export ExportFunc
	// Importer reads the files of an import and Import writes them (Ctrl+I).
	Importer Importer
	Import   ImportFunc
	// Backups are the backup and restore functions (Settings › Backups, the recovery window).
	Backups Backups
	// Calendar writes the plan of the coming days as an iCalendar file (Today's 导出到日历…,
	// hidden when nil).
	Calendar CalendarFunc
	// Started, when set, is called once Today has shown its first plan (or said why it could
	// not): the end of the start's burst of work (main then gives the process its usual memory
	// limit).
	Started func()
	// Now is the clock; tests fix it. Nil means time.Now.
	Now func() time.Time
	// manual holds background work until Wait (tests).
	manual bool
}

// screen is one section of the left navigation.
type screen interface {
	title() string
	icon() fyne.Resource
	content() fyne.CanvasObject
}

// Window is Carebook's main window.
type Window struct {
	app  fyne.App
	win  fyne.Window
	opts Options
	book Book

	nav     *widget.List
	body    *fyne.Container
	screens []screen
	current int
	// pending holds background work when opts.manual is set (tests): Wait runs it.
	pending   []func() func()
	menuItems []*fyne.MenuItem
	exporting *exportRun
	importing *importRun
	records   *recordsScreen
	// editor is the open record or purchase dialog: Ctrl+S saves it.
	editor     interface{ onSave() }
	customers  *customersScreen
	settings   *settingsScreen
	todayView  *todayScreen
	events     *eventsScreen
	complaints *complaintsScreen
	// notified is set once the start notification summing up today's plan was sent.
	notified bool
	// started is set once Options.Started was called.
	started bool
	// backupNote is the message of a restore, for the Settings built again after it.
	backupNote *backupNote
	// restoring is set while the first buildUI opens the screen shown at the last start.
	restoring bool
	// shortcutsDialog and aboutDialog are the Help menu's dialogs, when open (tests).
	shortcutsDialog dialog.Dialog
	aboutDialog     dialog.Dialog
}

// SetupLanguage applies the saved language, or the system locale's when none was chosen.
func SetupLanguage(a fyne.App, locales ...string) {
	if l := i18n.Lang(a.Preferences().String(prefLanguage)); i18n.Known(l) {
		i18n.Set(l)
		return
	}
	i18n.Set(i18n.Detect(locales...))
}

// NewWindow builds the main window on an open book.
func NewWindow(a fyne.App, opts Options) *Window {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	a.Settings().SetTheme(newTheme())
	a.SetIcon(AppIcon)
	w := &Window{app: a, opts: opts, book: opts.Book}
	w.win = a.NewWindow(i18n.T("app.title"))
	w.win.SetIcon(AppIcon)
	w.win.Resize(savedWindowSize(a.Preferences()))
	// Fyne tells no resize: the size is saved when the window closes or on File › Quit (not in
	// Lifecycle's OnStopped: Fyne 2.7 queues that callback for a main loop that has stopped, and
	// the app hung on quit one time in six).
	w.win.SetOnClosed(w.saveWindowState)
	w.restoring = true
	w.buildUI()
	w.restoring = false
	return w
}

// Window returns the Fyne window, for ShowAndRun and tests.
func (w *Window) Window() fyne.Window { return w.win }

// Book is the book the window has open now (Settings › Customer book may have replaced the one
// it started with): main closes it when the window is gone.
func (w *Window) Book() Book { return w.book }

// async runs work off the UI goroutine (queries, saves) and applies the function it returns on
// the UI goroutine through fyne.Do.
func (w *Window) async(work func() (apply func())) {
	if w.opts.manual {
		w.pending = append(w.pending, work)
		return
	}
	go func() {
		if apply := work(); apply != nil {
			fyne.Do(apply)
		}
	}()
}

// Wait, in manual mode (tests and screenshots), runs the pending background work off the calling
// goroutine, then applies the results on it, in order, until nothing is pending. Fyne's test
// driver runs fyne.Do in place, so this keeps widgets on one goroutine as the real driver does.
func (w *Window) Wait() {
	for len(w.pending) > 0 {
		jobs := w.pending
		w.pending = nil
		applies := make([]func(), len(jobs))
		var wg sync.WaitGroup
		for i, job := range jobs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				applies[i] = job()
			}()
		}
		wg.Wait()
		for _, apply := range applies {
			if apply != nil {
				apply()
			}
		}
	}
}

func (w *Window) today() crm.Date { return crm.DateOf(w.opts.Now()) }

// startedUp calls Options.Started, the first time only.
func (w *Window) startedUp() {
	if !w.started {
		w.started = true
		if w.opts.Started != nil {
			w.opts.Started()
		}
	}
}

// buildUI (re)creates every screen in the current language.
func (w *Window) buildUI() {
	w.win.SetTitle(i18n.T("app.title") + " — " + w.book.Path())
	w.customers = newCustomersScreen(w)
	w.records = newRecordsScreen(w)
	w.settings = newSettingsScreen(w)
	w.todayView = newTodayScreen(w)
	w.events = newEventsScreen(w)
	w.complaints = newComplaintsScreen(w)
	w.screens = []screen{w.todayView, w.customers, w.records, w.events, w.complaints, newInsightsScreen(w), w.settings}

	w.body = container.NewStack()
	w.nav = widget.NewList(
		func() int { return len(w.screens) },
		func() fyne.CanvasObject {
			return container.NewHBox(widget.NewIcon(theme.AccountIcon()), widget.NewLabel("Navigation"))
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			box := o.(*fyne.Container)
			box.Objects[0].(*widget.Icon).SetResource(w.screens[id].icon())
			box.Objects[1].(*widget.Label).SetText(w.screens[id].title())
		},
	)
	w.nav.OnSelected = w.onNavigate
	brand := widget.NewLabelWithStyle(i18n.T("app.name"), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	logo := widget.NewIcon(AppIcon)
	side := container.NewBorder(container.NewVBox(container.NewGridWrap(fyne.NewSize(48, 48), logo), brand, widget.NewSeparator()), nil, nil, nil, w.nav)
	split := container.NewHSplit(side, w.body)
	split.SetOffset(0.14)
	w.win.SetContent(split)
	if w.restoring {
		w.current = w.savedScreen()
	}
	if w.current >= len(w.screens) {
		w.current = 0
	}
	w.nav.Select(w.current)
	w.addShortcuts()
}

func (w *Window) onNavigate(id widget.ListItemID) {
	if id != w.current && w.screens[id] == w.todayView && w.todayView.stale() {
		// Cards, purchases and records edited elsewhere change the plan. At 100,000 customers
		// planning again takes a quarter of a second and some 60 MB: not when nothing changed.
		w.todayView.reload()
	}
	w.current = id
	if key := w.screenKey(w.screens[id]); key != "" {
		w.app.Preferences().SetString(prefScreen, key)
	}
	w.body.Objects = []fyne.CanvasObject{w.screens[id].content()}
	w.body.Refresh()
}

// show selects the screen s in the navigation.
func (w *Window) show(s screen) {
	for i, x := range w.screens {
		if x == s {
			w.nav.Select(i)
			return
		}
	}
}

// action is a command of the main menu, with its keyboard shortcut.
type action struct {
	label string
	key   fyne.KeyName
	do    func()
}

func (w *Window) actions() []action {
	return []action{
		{i18n.T("menu.new_customer"), fyne.KeyN, func() { w.show(w.customers); w.customers.onNew() }},
		{i18n.T("menu.search"), fyne.KeyF, func() { w.show(w.customers); w.win.Canvas().Focus(w.customers.search) }},
		{i18n.T("menu.log_contact"), fyne.KeyL, w.onLogContact},
		{i18n.T("menu.save"), fyne.KeyS, func() {
			switch {
			case w.editor != nil:
				w.editor.onSave()
			case w.screens[w.current] == w.customers:
				w.customers.card.onSave()
			}
		}},
		{i18n.T("menu.export"), fyne.KeyE, w.onExport},
		{i18n.T("menu.import"), fyne.KeyI, w.onImport},
	}
}

// addShortcuts puts the actions in the main menu, which is where Fyne looks for a shortcut
// first, even while a text field has the focus (a canvas shortcut would be swallowed by it).
func (w *Window) addShortcuts() {
	var items []*fyne.MenuItem
	for _, a := range w.actions() {
		sc := &desktop.CustomShortcut{KeyName: a.key, Modifier: fyne.KeyModifierShortcutDefault}
		item := fyne.NewMenuItem(a.label, a.do)
		item.Shortcut = sc
		items = append(items, item)
		w.win.Canvas().RemoveShortcut(sc)
		w.win.Canvas().AddShortcut(sc, func(fyne.Shortcut) { a.do() })
	}
	w.menuItems = items
	quit := fyne.NewMenuItem(i18n.T("menu.quit"), w.onQuit)
	quit.IsQuit = true // Fyne adds no Quit of its own
	file := fyne.NewMenu(i18n.T("menu.file"), append(items, fyne.NewMenuItemSeparator(), quit)...)
	w.win.SetMainMenu(fyne.NewMainMenu(file, w.helpMenu()))
	w.win.Canvas().SetOnTypedKey(w.onTypedKey)
}

// onQuit is File › Quit: remember the window, then quit.
func (w *Window) onQuit() {
	w.saveWindowState()
	w.app.Quit()
}

// setLanguage switches the UI language now and for the next start.
func (w *Window) setLanguage(l i18n.Lang) {
	if l == i18n.Current() {
		return
	}
	i18n.Set(l)
	w.app.Preferences().SetString(prefLanguage, string(l))
	w.buildUI()
}

// replaceBook switches to another book (Settings › Database) and remembers it.
func (w *Window) replaceBook(b Book) {
	old := w.book
	w.book = b
	w.app.Preferences().SetString(prefBook, b.Path())
	w.buildUI()
	if w.opts.Close != nil && old != nil {
		w.opts.Close(old)
	}
}

// emptyState is the message a screen shows when it has nothing yet, saying what to do next.
func emptyState(text string) fyne.CanvasObject {
	l := widget.NewLabel(text)
	l.Alignment = fyne.TextAlignCenter
	l.Wrapping = fyne.TextWrapWord
	return container.New(layout.NewCenterLayout(), container.NewGridWrap(fyne.NewSize(420, 120), l))
}

// errorLabel is the red text shown next to a field or at the foot of a form.
func errorLabel() *widget.Label {
	l := widget.NewLabel("")
	l.Importance = widget.DangerImportance
	l.Wrapping = fyne.TextWrapWord
	l.Hide()
	return l
}

func setError(l *widget.Label, text string) {
	l.SetText(text)
	if text == "" {
		l.Hide()
	} else {
		l.Show()
	}
}

// fieldErrorText translates a crm field error.
func fieldErrorText(e *crm.FieldError) string {
	if e == nil {
		return ""
	}
	return i18n.T(e.Key, e.Args)
}

func timeMonth(m int) time.Month { return time.Month(m) }

// ShowStartupError is the window shown when the book cannot be opened: what happened, and where.
func ShowStartupError(a fyne.App, path string, err error) {
	a.Settings().SetTheme(newTheme())
	w := a.NewWindow(i18n.T("app.title"))
	w.SetIcon(AppIcon)
	msg := widget.NewLabel(i18n.T("startup.failed", "Path", path, "Error", err))
	msg.Wrapping = fyne.TextWrapWord
	quit := widget.NewButton(i18n.T("common.quit"), a.Quit)
	w.SetContent(container.NewBorder(nil, container.NewHBox(layout.NewSpacer(), quit), nil, nil, msg))
	w.Resize(fyne.NewSize(560, 240))
	w.ShowAndRun()
}

// showFieldErrors puts each error under its field's label (errs by field name) and a summary in
// status.
func showFieldErrors(errs map[string]*widget.Label, status *widget.Label, es crm.Errors) {
	for f, l := range errs {
		var texts []string
		for i := range es {
			if es[i].Field == f {
				texts = append(texts, fieldErrorText(&es[i]))
			}
		}
		setError(l, strings.Join(texts, "\n"))
	}
	setError(status, "")
	if len(es) > 0 {
		setError(status, i18n.T("card.fix_fields", "Count", len(es)))
	}
}

// onLogContact (Ctrl+L) logs a contact with the customer whose card is open, or asks whom.
func (w *Window) onLogContact() {
	if w.editor != nil {
		return
	}
	var who *crm.Summary
	if w.screens[w.current] == w.customers {
		if c := w.customers.card.customer; c != nil && c.ID != 0 {
			who = &crm.Summary{ID: c.ID, Code: c.Code, Name: c.Name}
		}
	}
	w.logContact(who, nil, w.afterRecordChange)
}

// afterRecordChange refreshes what shows records: the open card's timeline and the sheet.
func (w *Window) afterRecordChange() {
	w.customers.card.loadTimeline()
	if w.records != nil {
		w.records.reload()
	}
	if w.todayView != nil {
		w.todayView.reload()
	}
}

// persist runs op (a save or a delete) off the UI goroutine, then on it: field errors go to
// showErrs, any other error to fail as a translated message, success to done. after, when set,
// runs first in every case (to enable the button again).
func (w *Window) persist(op func(ctx context.Context) error, showErrs func(crm.Errors), fail func(msg string), after, done func()) {
	w.async(func() func() {
		err := op(context.Background())
		return func() {
			if after != nil {
				after()
			}
			var ferrs crm.Errors
			switch {
			case errors.As(err, &ferrs):
				showErrs(ferrs)
			case err != nil:
				fail(i18n.T("card.save_failed", "Error", err))
			default:
				done()
			}
		}
	})
}
