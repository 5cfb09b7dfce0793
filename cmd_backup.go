package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"carebook/assets/i18n"
	"carebook/store"
	"carebook/ui"
)

// runBackup is `carebook backup -o FILE [--db PATH]`: a consistent copy of the book.
func runBackup(args []string, stdout, stderr io.Writer) error {
	fs, db := newFlags("backup", stderr)
	out := fs.String("o", "", i18n.T("backup.cli_flag_out"))
	if err := parseInterspersed(fs, args); err != nil {
		return err
	}
	if *out == "" || fs.NArg() > 0 {
		return errors.New(i18n.T("backup.cli_needs_out"))
	}
	book := *db
	if book == "" {
		p, err := defaultBookPath()
		if err != nil {
			return err
		}
		book = p
	}
	ctx := context.Background()
	// Read-only: a backup can be made while the window has the book open. A book of an older
	// schema is upgraded first (with its own backup, see store/migrate.go).
	s, err := store.OpenReadOnly(ctx, book)
	if errors.Is(err, store.ErrNeedsUpgrade) {
		s, err = store.Open(ctx, book)
	}
	if err != nil {
		return bookError(book, err)
	}
	defer s.Close()
	if err := s.Backup(ctx, *out); err != nil {
		return errors.New(i18n.T("backup.failed", "Error", bookErrorText(err, *out)))
	}
	abs, _ := filepath.Abs(*out)
	fmt.Fprintln(stdout, i18n.T("backup.cli_done", "Book", s.Path(), "Path", abs))
	return nil
}

// runRestore is `carebook restore FILE [--db PATH]`: it checks FILE, keeps the current book in
// its backups folder and puts FILE in its place. The book must not be open elsewhere.
func runRestore(args []string, stdout, stderr io.Writer) error {
	fs, db := newFlags("restore", stderr)
	if err := parseInterspersed(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New(i18n.T("backup.cli_needs_file"))
	}
	from := fs.Arg(0)
	book := *db
	if book == "" {
		p, err := defaultBookPath()
		if err != nil {
			return err
		}
		book = p
	}
	ctx := context.Background()
	// Validate before anything else: a bad file changes nothing.
	if _, err := store.ValidateBackup(ctx, from); err != nil {
		return errors.New(i18n.T("backup.restore_failed", "Error", bookErrorText(err, from)))
	}
	// A book open in another Carebook must not be replaced under it: opening it here says so.
	// A book that cannot be opened for other reasons (damaged, not a book) is what a restore
	// repairs.
	if fi, err := os.Stat(book); err == nil && fi.Size() > 0 {
		s, err := store.Open(ctx, book)
		if err == nil {
			err = s.Close()
		}
		if errors.Is(err, store.ErrLocked) {
			return bookError(book, err)
		}
	}
	info, kept, err := store.Restore(ctx, from, book)
	if err != nil {
		return errors.New(i18n.T("backup.restore_failed", "Error", bookErrorText(err, from)))
	}
	fmt.Fprintln(stdout, i18n.T("backup.cli_restored", "From", info.Path, "Path", mustAbs(book),
		"Customers", info.Customers, "Records", info.Records))
	if kept != "" {
		fmt.Fprintln(stdout, i18n.T("backup.cli_kept", "Kept", kept))
	}
	return nil
}

// withBackupUsage adds the lines of backup and restore to the list of commands of usage, before
// its last paragraph.
func withBackupUsage(usage string) string {
	if i := strings.LastIndex(usage, "\n\n"); i > 0 {
		return usage[:i] + "\n" + i18n.T("backup.usage") + usage[i:]
	}
	return usage + "\n" + i18n.T("backup.usage")
}

func mustAbs(p string) string {
	if abs, err := filepath.Abs(p); err == nil {
		return abs
	}
	return p
}

// bookErrorText is the translated reason why the file at path cannot serve as a book or a
// backup, or err itself for other errors.
func bookErrorText(err error, path string) string {
	var nv *store.NewerVersionError
	switch {
	case errors.As(err, &nv):
		return i18n.T("backup.err_newer", "Path", path, "Book", nv.Book, "Known", nv.Known)
	case errors.Is(err, store.ErrNotCarebook):
		return i18n.T("backup.err_not_carebook", "Path", path)
	case errors.Is(err, store.ErrCorrupt):
		return i18n.T("backup.err_corrupt", "Path", path)
	case errors.Is(err, store.ErrBackupOverBook):
		return i18n.T("backup.err_over_book")
	case errors.Is(err, os.ErrNotExist):
		return i18n.T("backup.err_missing", "Path", path)
	}
	return bookError(path, err).Error()
}

// guiBackups wires the window's backups to the store.
func guiBackups() ui.Backups {
	return ui.Backups{
		Dir: store.BackupsDir,
		Backup: func(ctx context.Context, b ui.Book, dst string) error {
			return b.(*store.Store).Backup(ctx, dst)
		},
		Daily: func(ctx context.Context, b ui.Book, now time.Time) (string, bool, error) {
			return b.(*store.Store).DailyBackup(ctx, now)
		},
		List: func(dir string) ([]ui.BackupFile, error) {
			fs, err := store.ListBackups(dir)
			out := make([]ui.BackupFile, len(fs))
			for i, f := range fs {
				out[i] = ui.BackupFile{Path: f.Path, Size: f.Size, Modified: f.Modified}
			}
			return out, err
		},
		Validate: func(ctx context.Context, path string) (ui.BackupSummary, error) {
			info, err := store.ValidateBackup(ctx, path)
			return ui.BackupSummary{Customers: info.Customers, Records: info.Records}, err
		},
		Restore: func(ctx context.Context, from, book string) (string, error) {
			_, kept, err := store.Restore(ctx, from, book)
			return kept, err
		},
		Explain: bookErrorText,
	}
}
