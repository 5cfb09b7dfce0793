// Command carebook is Carebook (顾客维护本), an offline customer book for salespeople: the GUI by
// default, and sub-commands for the command line (PRODUCT.md §4).
package main

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"runtime/pprof"
	"sync"
	"syscall"
	"time"

	"fyne.io/fyne/v2/app"

	"carebook/assets/i18n"
	"carebook/crm"
	"carebook/crm/demo"
	"carebook/store"
	"carebook/store/xlsx"
	"carebook/ui"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

const appID = "app.carebook.desktop"

func main() { os.Exit(mainCode()) }

// mainCode runs the command line and returns the exit code (deferred work done).
func mainCode() int {
	i18n.Set(i18n.Detect(os.Getenv("LC_ALL"), os.Getenv("LC_MESSAGES"), os.Getenv("LANG")))
	// For the engineers: CAREBOOK_CPUPROFILE=FILE writes a CPU profile of the command (go tool pprof).
	if path := os.Getenv("CAREBOOK_CPUPROFILE"); path != "" {
		if stop, err := startCPUProfile(path); err != nil {
			fmt.Fprintln(os.Stderr, "carebook: "+err.Error())
		} else {
			defer stop()
		}
	}
	// CAREBOOK_HEAPPROFILE=FILE writes a profile of the live heap CAREBOOK_HEAPPROFILE_AFTER
	// (a duration, default 8s) after the start: what the window keeps once Today has loaded.
	if path := os.Getenv("CAREBOOK_HEAPPROFILE"); path != "" {
		after, err := time.ParseDuration(cmp.Or(os.Getenv("CAREBOOK_HEAPPROFILE_AFTER"), "8s"))
		if err != nil {
			fmt.Fprintln(os.Stderr, "carebook: heap profile: "+err.Error())
		} else {
			time.AfterFunc(after, func() {
				if err := writeHeapProfile(path); err != nil {
					fmt.Fprintln(os.Stderr, "carebook: "+err.Error())
				}
			})
		}
	}
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "carebook: "+err.Error())
		return 1
	}
	return 0
}

// writeHeapProfile collects garbage and writes a profile of the live heap to path.
func writeHeapProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("heap profile: %w", err)
	}
	runtime.GC()
	if err := pprof.WriteHeapProfile(f); err != nil {
		f.Close()
		return fmt.Errorf("heap profile: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("heap profile: %w", err)
	}
	return nil
}

// startCPUProfile starts a CPU profile written to path; stop ends it.
func startCPUProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

// run dispatches a command line; it returns the one-line error to print.
func run(args []string, stdout, stderr io.Writer) error {
	cmd := "gui"
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "gui":
		return runGUI(args, stderr)
	case "demo":
		return runDemo(args, stdout, stderr)
	case "export":
		return runExport(args, stdout, stderr)
	case "today":
		return runToday(args, stdout, stderr)
	case "import":
		return runImport(args, stdout, stderr)
	case "backup":
		return runBackup(args, stdout, stderr)
	case "restore":
		return runRestore(args, stdout, stderr)
	case "ics":
		return runICS(args, stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "carebook "+version)
		return nil
	case "help":
		fmt.Fprintln(stdout, withICSUsage(withBackupUsage(i18n.T("cli.usage"))))
		return nil
	default:
		return errors.New(i18n.T("cli.unknown_command", "Command", cmd))
	}
}

// defaultBookPath is carebook.db in the user's config directory.
func defaultBookPath() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("find the config directory: %w", err)
	}
	return filepath.Join(dir, "carebook", "carebook.db"), nil
}

func newFlags(name string, stderr io.Writer) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet("carebook "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", "", i18n.T("cli.flag_db"))
	return fs, db
}

func runGUI(args []string, stderr io.Writer) error {
	fs, db := newFlags("gui", stderr)
	if err := fs.Parse(args); err != nil {
		return err
	}
	// The window keeps a book's plan, search index and customer list (some 100 MB of live heap
	// at 100,000 customers): collect before the heap doubles (PRODUCT.md §8: under 300 MB).
	// While the first plan is built, the plan's input and its items are live at once beside
	// the fonts (130 MB at 100,000 customers, 100 MB once the input is dropped): a tighter
	// limit until Today shows it keeps that burst from doubling (see startUpMemory).
	startedUp := startUpMemory(guiStartMemoryLimit, guiMemoryLimit, startUpMemoryFor)
	a := app.NewWithID(appID)
	ui.SetupLanguage(a, os.Getenv("LC_ALL"), os.Getenv("LC_MESSAGES"), os.Getenv("LANG"))
	path := *db
	if path == "" {
		path = a.Preferences().String("book")
	}
	if path == "" {
		p, err := defaultBookPath()
		if err != nil {
			return err
		}
		path = p
	}
	open := func(p string) (ui.Book, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		s, err := store.Open(ctx, p)
		if err != nil {
			return nil, bookError(p, err) // translated; still errors.Is the store's cause
		}
		return s, nil
	}
	opts := ui.Options{
		Version:  version,
		Backups:  guiBackups(),
		OpenBook: open,
		Close:    func(b ui.Book) { _ = b.(*store.Store).Close() },
		Export: func(ctx context.Context, b ui.Book, path string, from, to crm.Date, progress func(int, int)) error {
			return exportWithInsights(ctx, b.(*store.Store), path, exportDay(), xlsx.Options{Lang: exportLang(), From: from, To: to, Progress: progress})
		},
		Importer: guiImporter{},
		Import:   importInto,
		Calendar: writeICS,
		Started:  startedUp,
	}
	book, err := open(path)
	if errors.Is(err, store.ErrLocked) {
		ui.ShowStartupError(a, path, err)
		return nil
	}
	if err != nil {
		// A book that is not a book, damaged or too new: offer its backups, another book, or
		// quitting.
		ui.ShowRecovery(a, path, err, opts)
		return nil
	}
	opts.Book = book
	w := ui.NewWindow(a, opts)
	w.Window().ShowAndRun()
	// Closing waits for a write in flight, checkpoints the WAL and removes the lock file.
	if b := w.Book(); b != nil {
		opts.Close(b)
	}
	return nil
}

func runDemo(args []string, stdout, stderr io.Writer) error {
	fs, db := newFlags("demo", stderr)
	n := fs.Int("customers", 1000, i18n.T("cli.flag_customers"))
	seed := fs.Uint64("seed", 1, i18n.T("cli.flag_seed"))
	todayText := fs.String("today", "", i18n.T("cli.flag_today"))
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *db == "" {
		return errors.New(i18n.T("cli.demo_needs_db"))
	}
	if *n < 0 || *n > 5_000_000 {
		return errors.New(i18n.T("cli.demo_bad_count", "Count", *n))
	}
	today := crm.DateOf(time.Now())
	if *todayText != "" {
		d, err := crm.ParseDate(*todayText)
		if err != nil {
			return errors.New(i18n.T("cli.bad_date", "Value", *todayText))
		}
		today = d
	}
	if fi, err := os.Stat(*db); err == nil && fi.Size() > 0 {
		return errors.New(i18n.T("cli.demo_exists", "Path", *db))
	}
	// Ctrl+C (or a TERM) stops it between two batches; the unfinished book is removed, so that
	// the same command can be run again.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := makeDemo(ctx, *db, demo.Options{Customers: *n, Seed: *seed, Today: today}, stdout)
	if err == nil {
		return nil
	}
	if errors.Is(err, store.ErrLocked) {
		return bookError(*db, err) // another program's book: not ours to remove
	}
	removeBook(*db)
	if ctx.Err() != nil {
		return errors.New(i18n.T("cli.demo_stopped", "Path", *db))
	}
	return err
}

// removeBook deletes the book at path with its -wal, -shm and lock files.
func removeBook(path string) {
	for _, p := range []string{path, path + "-wal", path + "-shm", path + "-journal", path + ".lock"} {
		_ = os.Remove(p)
	}
}

// makeDemo writes the demo book at path (new), printing its progress; it stops between two
// batches once ctx is done.
func makeDemo(ctx context.Context, path string, opts demo.Options, stdout io.Writer) error {
	start := time.Now()
	s, err := store.Open(ctx, path)
	if err != nil {
		return bookError(path, err)
	}
	defer s.Close()
	fmt.Fprintln(stdout, i18n.T("cli.demo_generating", "Count", opts.Customers, "Seed", opts.Seed, "Today", opts.Today.String()))
	cards := demo.Customers(opts)
	if err := s.InsertCustomers(ctx, cards); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	ids := make([]int64, len(cards))
	for i := range cards {
		ids[i] = cards[i].ID
	}
	// The events first: the invitations name them by ID.
	events := demo.Events(opts)
	if len(cards) == 0 {
		events = nil
	}
	for i := range events {
		if err := s.SaveEvent(ctx, &events[i]); err != nil {
			return fmt.Errorf("demo: %w", err)
		}
	}
	serve := demo.NewServe(opts, cards, ids, events)
	var purchases, records int
	err = demo.History(opts, cards, ids, func(ps []crm.Purchase, rs []crm.Record) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		serve.Add(ps, rs) // before the inserts, which may normalise in place
		if err := s.InsertPurchases(ctx, ps); err != nil {
			return err
		}
		if err := s.InsertRecords(ctx, rs); err != nil {
			return err
		}
		purchases += len(ps)
		records += len(rs)
		fmt.Fprintln(stdout, i18n.T("cli.demo_progress", "Purchases", purchases, "Records", records))
		return nil
	})
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	sd := serve.Build()
	if err := s.InsertServe(ctx, sd.Invitations, sd.Services, sd.Complaints); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	fmt.Fprintln(stdout, i18n.T("cli.demo_done", "Count", len(cards), "Purchases", purchases, "Records", records,
		"Path", path, "Seconds", fmt.Sprintf("%.1f", time.Since(start).Seconds())))
	fmt.Fprintln(stdout, i18n.T("cli.demo_done_serve", "Events", len(events), "Invitations", len(sd.Invitations),
		"Services", len(sd.Services), "Complaints", len(sd.Complaints)))
	return nil
}

// exportLang is the language of the workbook's headers: the UI's.
func exportLang() xlsx.Lang {
	if i18n.Current() == i18n.English {
		return "en"
	}
	return "zh"
}

// openBook opens the book of --db, or the default one, for writing. Its error is one
// translated line (see bookError).
func openBook(ctx context.Context, db string) (*store.Store, error) {
	return openBookWith(ctx, db, store.Open)
}

// openBookReadOnly opens the book of --db, or the default one, for the commands that only read
// it: it works while a window has the book open and never creates, migrates or writes it.
func openBookReadOnly(ctx context.Context, db string) (*store.Store, error) {
	return openBookWith(ctx, db, store.OpenReadOnly)
}

func openBookWith(ctx context.Context, db string, open func(context.Context, string) (*store.Store, error)) (*store.Store, error) {
	if db == "" {
		p, err := defaultBookPath()
		if err != nil {
			return nil, err
		}
		db = p
	}
	s, err := open(ctx, db)
	if err != nil {
		return nil, bookError(db, err)
	}
	return s, nil
}

// bookError is the message of what went wrong with the book at path, translated, in one line:
// the one place that maps the store's errors (store.Cause) to messages. It still wraps err (so
// errors.Is(…, store.ErrLocked) holds). An error with no known cause is returned as it is.
func bookError(path string, err error) error {
	var nv *store.NewerVersionError
	switch c := store.Cause(err); {
	case c == nil:
		return err
	case errors.As(c, &nv):
		return &translatedError{i18n.T("open.newer", "Path", path, "Book", nv.Book, "Known", nv.Known), err}
	default:
		key, ok := bookErrorKeys[c]
		if !ok {
			return err
		}
		return &translatedError{i18n.T(key, "Path", path), err}
	}
}

// translatedError is an error shown to the user as msg, wrapping the error it explains.
type translatedError struct {
	msg string
	err error
}

func (e *translatedError) Error() string { return e.msg }
func (e *translatedError) Unwrap() error { return e.err }

// bookErrorKeys are the translation keys of the causes store.Cause names.
var bookErrorKeys = map[error]string{
	store.ErrLocked:       "lock.locked",
	store.ErrNotCarebook:  "open.not_carebook",
	store.ErrCorrupt:      "open.corrupt",
	store.ErrReadOnly:     "open.read_only",
	store.ErrUnreadable:   "open.unreadable",
	store.ErrDiskFull:     "open.disk_full",
	store.ErrCannotOpen:   "open.cannot_open",
	store.ErrNoBook:       "open.no_book",
	store.ErrNeedsUpgrade: "open.needs_upgrade",
}

func runExport(args []string, stdout, stderr io.Writer) error {
	fs, db := newFlags("export", stderr)
	out := fs.String("o", "", i18n.T("cli.flag_out"))
	fromText := fs.String("from", "", i18n.T("cli.flag_from"))
	toText := fs.String("to", "", i18n.T("cli.flag_to"))
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" {
		return errors.New(i18n.T("cli.export_needs_out"))
	}
	var bounds [2]crm.Date
	for i, t := range []string{*fromText, *toText} {
		if t == "" {
			continue
		}
		d, err := crm.ParseDate(t)
		if err != nil {
			return errors.New(i18n.T("cli.bad_date", "Value", t))
		}
		bounds[i] = d
	}
	if !bounds[0].IsZero() && !bounds[1].IsZero() && bounds[1] < bounds[0] {
		return errors.New(i18n.T("cli.bad_range"))
	}
	ctx := context.Background()
	s, err := openBookReadOnly(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	start := time.Now()
	if err := exportWithInsights(ctx, s, *out, exportDay(), xlsx.Options{Lang: exportLang(), From: bounds[0], To: bounds[1]}); err != nil {
		if store.Cause(err) == store.ErrCorrupt {
			return bookError(s.Path(), err)
		}
		return fmt.Errorf("export: %w", err)
	}
	fmt.Fprintln(stdout, i18n.T("cli.export_done", "Path", *out, "Seconds", fmt.Sprintf("%.1f", time.Since(start).Seconds())))
	return nil
}

// guiMemoryLimit is the Go memory above which the window collects garbage more often than
// GOGC's doubling (a soft limit: the runtime caps the collector's share of the CPU).
const guiMemoryLimit = 200 << 20

// guiStartMemoryLimit is the window's limit until Today shows its first plan, for at most
// startUpMemoryFor (see runGUI).
const (
	guiStartMemoryLimit = 150 << 20
	startUpMemoryFor    = 20 * time.Second
)

// startUpMemory sets the process's memory limit to start, and returns end, which sets it to
// after (once; the first call wins). end is also called after most, or as soon as the live heap
// passes 90% of start: a book whose start does not fit under the limit (200,000 customers:
// 200–270 MB live) would spend its start collecting (86 collections and 0.8 s more before its
// plan showed, against 31), so it gets the usual limit at once. At 100,000 customers the live
// heap peaks at 130 MB and the limit holds: peak RSS 290 MB instead of 305–320, the first frame
// as before.
func startUpMemory(start, after int64, most time.Duration) (end func()) {
	debug.SetMemoryLimit(start)
	var once sync.Once
	done := make(chan struct{})
	end = func() {
		once.Do(func() {
			debug.SetMemoryLimit(after)
			close(done)
		})
	}
	go func() {
		live := []metrics.Sample{{Name: "/gc/heap/live:bytes"}} // as of the last collection
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		deadline := time.NewTimer(most)
		defer deadline.Stop()
		for {
			select {
			case <-done:
				return
			case <-deadline.C:
				end()
				return
			case <-tick.C:
				metrics.Read(live)
				if v := live[0].Value; v.Kind() == metrics.KindUint64 && v.Uint64() > uint64(start)/10*9 {
					end()
					return
				}
			}
		}
	}()
	return end
}

// todayMemoryLimit is the heap above which `carebook today` collects garbage.
const todayMemoryLimit = 200 << 20

// runToday prints the plan of a day: readable, or the JSON of PRODUCT.md §4 with --json.
func runToday(args []string, stdout, stderr io.Writer) error {
	fs, db := newFlags("today", stderr)
	dateText := fs.String("date", "", i18n.T("cli.flag_date"))
	asJSON := fs.Bool("json", false, i18n.T("cli.flag_json"))
	all := fs.Bool("all", false, i18n.T("cli.flag_all"))
	if err := fs.Parse(args); err != nil {
		return err
	}
	day := crm.DateOf(time.Now())
	if *dateText != "" {
		d, err := crm.ParseDate(*dateText)
		if err != nil {
			return errors.New(i18n.T("cli.bad_date", "Value", *dateText))
		}
		day = d
	}
	// A short-lived process that builds one plan: collecting garbage while it does would cost a
	// third of its time, and the plan of a big book is far below the limit that makes the
	// collector run anyway.
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(todayMemoryLimit))
	ctx := context.Background()
	s, err := openBookReadOnly(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	plan, err := s.Plan(ctx, day)
	if err != nil {
		if store.Cause(err) == store.ErrCorrupt {
			return bookError(s.Path(), err)
		}
		return fmt.Errorf("today: %w", err)
	}
	w := bufio.NewWriterSize(stdout, 1<<16)
	if *asJSON {
		if err := plan.WriteJSON(w); err != nil {
			return fmt.Errorf("today: %w", err)
		}
		w.WriteByte('\n')
	} else {
		ui.WritePlan(w, &plan, *all)
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("today: %w", err)
	}
	return nil
}
