package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// BackupsDirName is the folder beside the book that holds its automatic backups.
const BackupsDirName = "backups"

// keepDaily is how many daily backups DailyBackup keeps.
const keepDaily = 7

// ErrCorrupt is returned (wrapped) by ValidateBackup and Restore for a Carebook file whose pages
// are damaged (PRAGMA integrity_check is not ok).
var ErrCorrupt = errors.New("the book is damaged")

// ErrBackupOverBook is returned by Backup when asked to write over the open book itself.
var ErrBackupOverBook = errors.New("a backup cannot replace the book it copies")

// dailyName matches the names DailyBackup gives (and the only files it ever deletes).
var dailyName = regexp.MustCompile(`^carebook-\d{4}-\d{2}-\d{2}\.db$`)

// BackupInfo is what a backup holds, as ValidateBackup found it.
type BackupInfo struct {
	Path      string
	Schema    int
	Customers int
	Records   int
}

// BackupFile is one file of a backups folder.
type BackupFile struct {
	Path     string
	Size     int64
	Modified time.Time
}

// BackupsDir is the folder of the automatic backups of the book at bookPath.
func BackupsDir(bookPath string) string {
	return filepath.Join(filepath.Dir(bookPath), BackupsDirName)
}

// Backup writes a consistent copy of the open book to dst: SQLite's online backup copies its
// pages, as of one read transaction, into a temporary file in dst's folder, which is made a
// single file (rollback journal, not WAL), synced, then renamed over dst. It refuses to write
// over the book itself. (VACUUM INTO, which rebuilds every table and index, took six times as
// long: 14 s for a book of 900 MB, at every first start of a day.)
func (s *Store) Backup(ctx context.Context, dst string) error {
	abs, err := filepath.Abs(dst)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if sameFile(abs, s.path) || abs == s.path+"-wal" || abs == s.path+"-shm" {
		return fmt.Errorf("backup to %s: %w", abs, ErrBackupOverBook)
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o700); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	tmp, err := tempName(abs)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer os.Remove(tmp)
	defer os.Remove(tmp + "-journal")
	if err := copyPages(ctx, s.db, tmp); err != nil {
		return fmt.Errorf("backup to %s: %w", abs, classify(err))
	}
	if err := syncAndRename(tmp, abs); err != nil {
		return fmt.Errorf("backup to %s: %w", abs, err)
	}
	return nil
}

// pageCopier is the modernc driver's connection, which can start an online backup.
type pageCopier interface {
	NewBackup(dstURI string) (*sqlite.Backup, error)
}

// copyPages copies every page of db's book into a new file at path with SQLite's online backup
// (all in one step: one read transaction, so a write elsewhere never restarts it), then turns
// the copy's journal mode from WAL to a rollback journal, so that it is one file on its own.
func copyPages(ctx context.Context, db *sql.DB, path string) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	err = conn.Raw(func(dc any) error {
		pc, ok := dc.(pageCopier)
		if !ok {
			return fmt.Errorf("the SQLite driver cannot copy pages")
		}
		b, err := pc.NewBackup(fileURI(path))
		if err != nil {
			return err
		}
		if _, err := b.Step(-1); err != nil {
			_ = b.Finish()
			return err
		}
		return b.Finish()
	})
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	cp, err := sql.Open("sqlite", fileURI(path)+"?_pragma=busy_timeout(5000)")
	if err != nil {
		return err
	}
	defer cp.Close()
	var mode string
	if err := cp.QueryRowContext(ctx, "PRAGMA journal_mode = DELETE").Scan(&mode); err != nil {
		return fmt.Errorf("make the copy one file: %w", err)
	}
	if mode != "delete" {
		return fmt.Errorf("make the copy one file: journal mode is %s", mode)
	}
	return cp.Close()
}

// DailyBackup writes backups/carebook-YYYY-MM-DD.db beside the book, once per calendar day of
// now (made is false when today's already existed), and deletes the daily backups older than the
// last 7. It touches no other file of the folder.
func (s *Store) DailyBackup(ctx context.Context, now time.Time) (path string, made bool, err error) {
	dir := BackupsDir(s.path)
	path = filepath.Join(dir, "carebook-"+now.Format("2006-01-02")+".db")
	if _, err := os.Stat(path); err == nil {
		return path, false, pruneDaily(dir)
	} else if !errors.Is(err, os.ErrNotExist) {
		return path, false, fmt.Errorf("daily backup: %w", err)
	}
	if err := s.Backup(ctx, path); err != nil {
		return path, false, fmt.Errorf("daily backup: %w", err)
	}
	return path, true, pruneDaily(dir)
}

// pruneDaily deletes the daily backups of dir but the newest keepDaily (their names sort by date).
func pruneDaily(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("daily backup: %w", err)
	}
	var names []string
	for _, e := range entries {
		if e.Type().IsRegular() && dailyName.MatchString(e.Name()) {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	for len(names) > keepDaily {
		if err := os.Remove(filepath.Join(dir, names[0])); err != nil {
			return fmt.Errorf("daily backup: remove old backup: %w", err)
		}
		names = names[1:]
	}
	return nil
}

// ListBackups lists the books (*.db) of a backups folder, newest first. A missing folder has
// none.
func ListBackups(dir string) ([]BackupFile, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list backups: %w", err)
	}
	var out []BackupFile
	for _, e := range entries {
		if !e.Type().IsRegular() || !strings.HasSuffix(e.Name(), ".db") || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		fi, err := e.Info()
		if err != nil {
			continue // removed meanwhile
		}
		out = append(out, BackupFile{Path: filepath.Join(dir, e.Name()), Size: fi.Size(), Modified: fi.ModTime()})
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Modified.Equal(out[j].Modified) {
			return out[i].Modified.After(out[j].Modified)
		}
		return out[i].Path > out[j].Path
	})
	return out, nil
}

// ValidateBackup opens the file at path read-only and checks that it is a Carebook book
// (ErrNotCarebook) of a schema this Carebook can open (*NewerVersionError) whose pages are sound
// (ErrCorrupt); it returns its schema and counts. The file is not changed.
func ValidateBackup(ctx context.Context, path string) (BackupInfo, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return BackupInfo{}, fmt.Errorf("check backup %s: %w", path, err)
	}
	info, err := validate(ctx, abs)
	if err != nil {
		return BackupInfo{}, fmt.Errorf("check backup %s: %w", abs, err)
	}
	return info, nil
}

func validate(ctx context.Context, abs string) (BackupInfo, error) {
	fi, err := os.Stat(abs)
	if err != nil {
		return BackupInfo{}, err
	}
	if !fi.Mode().IsRegular() || fi.Size() == 0 {
		return BackupInfo{}, fmt.Errorf("%w: the file is empty or not a file", ErrNotCarebook)
	}
	f, err := os.Open(abs)
	if err != nil {
		return BackupInfo{}, err
	}
	header := make([]byte, len(sqliteMagic))
	_, err = io.ReadFull(f, header)
	f.Close()
	if err != nil || string(header) != sqliteMagic {
		return BackupInfo{}, fmt.Errorf("%w: the file is not an SQLite database", ErrNotCarebook)
	}
	known := SchemaVersion()
	info := BackupInfo{Path: abs}
	err = readOnly(ctx, abs, func(db *sql.DB) error {
		var appID int
		err := db.QueryRowContext(ctx, `SELECT (SELECT application_id FROM pragma_application_id),
			(SELECT user_version FROM pragma_user_version), (SELECT count(*) FROM sqlite_schema)`).
			Scan(&appID, &info.Schema, new(int))
		switch {
		case err != nil:
			return damaged(err)
		case appID != applicationID || info.Schema == 0:
			return fmt.Errorf("%w: it holds no Carebook book (application id %#x)", ErrNotCarebook, appID)
		case info.Schema > known:
			return &NewerVersionError{Book: info.Schema, Known: known}
		}
		rows, err := db.QueryContext(ctx, "PRAGMA integrity_check")
		if err != nil {
			return damaged(err)
		}
		defer rows.Close()
		var problems []string
		for rows.Next() {
			var p string
			if err := rows.Scan(&p); err != nil {
				return damaged(err)
			}
			problems = append(problems, p)
		}
		if err := rows.Err(); err != nil {
			return damaged(err)
		}
		if len(problems) != 1 || problems[0] != "ok" {
			if len(problems) > 3 {
				problems = problems[:3]
			}
			return fmt.Errorf("%w: %s", ErrCorrupt, strings.Join(problems, "; "))
		}
		err = db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM customers), (SELECT count(*) FROM records)`).
			Scan(&info.Customers, &info.Records)
		if err != nil {
			return damaged(err)
		}
		return nil
	})
	return info, err
}

// damaged wraps an error of SQLite reading a file that starts as a database: ErrNotCarebook when
// SQLite says it is not one (SQLITE_NOTADB), else ErrCorrupt.
func damaged(err error) error {
	var se *sqlite.Error
	if errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_NOTADB {
		return fmt.Errorf("%w: %v", ErrNotCarebook, err)
	}
	return fmt.Errorf("%w: %v", ErrCorrupt, err)
}

// readOnly runs f on a read-only connection to the database at abs, then removes the -wal and
// -shm files the connection created (a read-only connection to a WAL database leaves them).
func readOnly(ctx context.Context, abs string, f func(*sql.DB) error) error {
	var created []string
	for _, p := range []string{abs + "-wal", abs + "-shm"} {
		if _, err := os.Stat(p); errors.Is(err, os.ErrNotExist) {
			created = append(created, p)
		}
	}
	db, err := sql.Open("sqlite", fileURI(abs)+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		return err
	}
	db.SetMaxOpenConns(1)
	err = f(db)
	db.Close()
	for _, p := range created {
		if fi, err := os.Stat(p); err == nil && (fi.Size() == 0 || strings.HasSuffix(p, "-shm")) {
			os.Remove(p)
		}
	}
	return err
}

// Restore replaces the CLOSED book at bookPath by the backup from: it validates from first
// (nothing changes when it is not a sound Carebook book this version can open), keeps the current
// book as backups/carebook-before-restore-YYYYMMDD-HHMMSS.db (kept, "" when there was none), then
// puts a copy of from in place atomically, removing the old book's -wal and -shm files.
func Restore(ctx context.Context, from, bookPath string) (info BackupInfo, kept string, err error) {
	info, err = ValidateBackup(ctx, from)
	if err != nil {
		return BackupInfo{}, "", fmt.Errorf("restore: %w", err)
	}
	book, err := filepath.Abs(bookPath)
	if err != nil {
		return BackupInfo{}, "", fmt.Errorf("restore: %w", err)
	}
	if sameFile(info.Path, book) {
		return BackupInfo{}, "", fmt.Errorf("restore: %w", ErrBackupOverBook)
	}
	if err := os.MkdirAll(filepath.Dir(book), 0o700); err != nil {
		return BackupInfo{}, "", fmt.Errorf("restore: %w", err)
	}
	// A consistent copy of the backup, with what its own -wal may hold, beside the book.
	tmp, err := tempName(book)
	if err != nil {
		return BackupInfo{}, "", fmt.Errorf("restore: %w", err)
	}
	defer os.Remove(tmp)
	defer os.Remove(tmp + "-journal")
	err = readOnly(ctx, info.Path, func(db *sql.DB) error { return copyPages(ctx, db, tmp) })
	if err != nil {
		return BackupInfo{}, "", fmt.Errorf("restore: copy %s: %w", info.Path, err)
	}
	kept, err = keepBook(book, time.Now())
	if err != nil {
		return BackupInfo{}, "", fmt.Errorf("restore: keep the current book: %w", err)
	}
	// A stale -wal would be replayed into the restored book: remove it first.
	for _, p := range []string{book + "-wal", book + "-shm"} {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			return BackupInfo{}, kept, fmt.Errorf("restore: %w", err)
		}
	}
	if err := syncAndRename(tmp, book); err != nil {
		return BackupInfo{}, kept, fmt.Errorf("restore: %w", err)
	}
	return info, kept, nil
}

// keepBook copies the book at path (and its -wal, which SQLite replays when the copy is opened)
// into its backups folder as carebook-before-restore-YYYYMMDD-HHMMSS.db. A missing or empty book
// is not kept. It copies bytes rather than going through SQLite, so that a damaged book is kept
// too.
func keepBook(path string, now time.Time) (string, error) {
	fi, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) || (err == nil && fi.Size() == 0) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	dir := BackupsDir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	base := "carebook-before-restore-" + now.Format("20060102-150405")
	dst := filepath.Join(dir, base+".db")
	for i := 2; ; i++ {
		if _, err := os.Stat(dst); errors.Is(err, os.ErrNotExist) {
			break
		}
		dst = filepath.Join(dir, fmt.Sprintf("%s-%d.db", base, i))
	}
	if err := copyFile(path, dst); err != nil {
		return "", err
	}
	if fi, err := os.Stat(path + "-wal"); err == nil && fi.Size() > 0 {
		if err := copyFile(path+"-wal", dst+"-wal"); err != nil {
			return "", err
		}
	}
	return dst, nil
}

// copyFile copies src to dst (new, owner-only) through a synced temporary file.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	tmp, err := tempName(dst)
	if err != nil {
		return err
	}
	defer os.Remove(tmp)
	out, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	return syncAndRename(tmp, dst)
}

// tempName returns an unused name for a temporary file in dst's folder (the file does not
// exist: the copy creates it).
func tempName(dst string) (string, error) {
	f, err := os.CreateTemp(filepath.Dir(dst), "."+filepath.Base(dst)+".*.tmp")
	if err != nil {
		return "", err
	}
	name := f.Name()
	f.Close()
	if err := os.Remove(name); err != nil {
		return "", err
	}
	return name, nil
}

// syncAndRename flushes tmp to the disk, renames it to dst and syncs dst's folder, so that dst
// is either the old file or the whole new one after a crash.
func syncAndRename(tmp, dst string) error {
	f, err := os.OpenFile(tmp, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp, 0o600); err != nil {
		return err
	}
	if err := os.Rename(tmp, dst); err != nil {
		return err
	}
	if d, err := os.Open(filepath.Dir(dst)); err == nil {
		_ = d.Sync() // not supported everywhere (Windows); the rename is done
		d.Close()
	}
	return nil
}

// sameFile tells whether a and b name the same existing file (or the same path).
func sameFile(a, b string) bool {
	if filepath.Clean(a) == filepath.Clean(b) {
		return true
	}
	fa, err := os.Stat(a)
	if err != nil {
		return false
	}
	fb, err := os.Stat(b)
	if err != nil {
		return false
	}
	return os.SameFile(fa, fb)
}
