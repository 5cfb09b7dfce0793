// Command carebook is Carebook (顾客维护本), an offline customer book for salespeople: the GUI by
// default, and sub-commands for the command line (PRODUCT.md §4).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2/app"

	"carebook/assets/i18n"
	"carebook/crm"
	"carebook/crm/demo"
	"carebook/store"
	"carebook/ui"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

const appID = "app.carebook.desktop"

func main() {
	i18n.Set(i18n.Detect(os.Getenv("LC_ALL"), os.Getenv("LC_MESSAGES"), os.Getenv("LANG")))
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "carebook: "+err.Error())
		os.Exit(1)
	}
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
	case "version":
		fmt.Fprintln(stdout, "carebook "+version)
		return nil
	case "help":
		fmt.Fprintln(stdout, i18n.T("cli.usage"))
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
		return store.Open(ctx, p)
	}
	book, err := open(path)
	if err != nil {
		ui.ShowStartupError(a, path, err)
		return nil
	}
	w := ui.NewWindow(a, ui.Options{
		Book:     book,
		Version:  version,
		OpenBook: open,
		Close:    func(b ui.Book) { _ = b.(*store.Store).Close() },
	})
	w.Window().ShowAndRun()
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
	ctx := context.Background()
	start := time.Now()
	s, err := store.Open(ctx, *db)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	defer s.Close()
	fmt.Fprintln(stdout, i18n.T("cli.demo_generating", "Count", *n, "Seed", *seed, "Today", today.String()))
	cards := demo.Customers(demo.Options{Customers: *n, Seed: *seed, Today: today})
	if err := s.InsertCustomers(ctx, cards); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	fmt.Fprintln(stdout, i18n.T("cli.demo_done", "Count", len(cards), "Path", *db,
		"Seconds", fmt.Sprintf("%.1f", time.Since(start).Seconds())))
	return nil
}
