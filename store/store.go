// Package store keeps a Carebook book: one SQLite file (WAL, synchronous=FULL, foreign keys on)
// holding the customer cards and everything logged about them. Every method takes a context and
// runs in one transaction; every write is durable when the method returns.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"modernc.org/sqlite" // registers the "sqlite" driver
	sqlite3 "modernc.org/sqlite/lib"
)

// applicationID marks an SQLite file as a Carebook book (PRAGMA application_id): "CBOK".
const applicationID = 0x43424F4B

// sqliteMagic starts every SQLite 3 database file.
const sqliteMagic = "SQLite format 3\x00"

// pragmas are applied by the driver to every pooled connection, busy_timeout first so that the
// others never fail with SQLITE_BUSY. _txlock=immediate makes write transactions take the write
// lock at BEGIN; read-only transactions (sql.TxOptions{ReadOnly: true}) stay deferred.
const pragmas = "_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)" +
	"&_pragma=foreign_keys(1)&_txlock=immediate"

// ErrNotCarebook is returned (wrapped) by Open for a file that is not a Carebook book: not an
// SQLite database at all, or another program's database.
var ErrNotCarebook = errors.New("not a Carebook book")

// ErrNotFound is returned (wrapped) when the asked-for row does not exist.
var ErrNotFound = errors.New("not found")

// NewerVersionError is returned by Open for a book written by a newer Carebook, whose schema this
// version does not know. The file is left untouched.
type NewerVersionError struct {
	Book  int // the book's schema version
	Known int // the newest schema this Carebook knows
}

func (e *NewerVersionError) Error() string {
	return fmt.Sprintf("this book was written by a newer Carebook (schema %d); this version knows schema %d",
		e.Book, e.Known)
}

// Store is an open book. Its methods are safe for concurrent use.
type Store struct {
	db      *sql.DB
	path    string
	version int

	// now is the clock: creation dates and timestamps. Tests replace it.
	now func() time.Time

	// writeMu serialises the write methods with the updates of the search index that follow
	// their commits (so that two saves cannot apply their index updates out of order) and with
	// the loading of the index. Its Unlock tells the cache of classifications that the book
	// changed (see writeLock in insights.go).
	writeMu writeLock
	// mu guards idx.
	mu  sync.RWMutex
	idx *index // nil until the first search, and after a bulk insert

	// maxCode is the highest C-number given, once codeKnown (see lastCode). Guarded by writeMu.
	maxCode   int64
	codeKnown bool

	// rc caches the record sheet's counts (see recordstats.go).
	rc recordCache
	// ic caches the classification of the book by day (see insights.go).
	ic insightCache

	// lock keeps other writers out until Close (nil for a read-only Store).
	lock *bookLock
	// readOnly is set by OpenReadOnly.
	readOnly bool
}

// Open opens the book at path for writing, creating the file (and its directory) when it does
// not exist and migrating its schema to the newest version. It holds the book's lock until
// Close: a book already open for writing, here or in another process, is refused (ErrLocked).
// It refuses, without changing the file, a file that is not a Carebook book (ErrNotCarebook), a
// damaged one (ErrCorrupt), a book from a newer Carebook (*NewerVersionError) and a file or
// folder it may not write (ErrReadOnly). Cause names what went wrong for the user.
func Open(ctx context.Context, path string) (*Store, error) {
	migs, err := embeddedMigrations()
	if err != nil {
		return nil, fmt.Errorf("open book: %w", err)
	}
	return open(ctx, path, migs)
}

func open(ctx context.Context, path string, migs []migration) (*Store, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("open book %s: %w", path, err)
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o700); err != nil {
		return nil, fmt.Errorf("open book: %w", classifyOS(err))
	}
	// An existing file must be writable, and is refused before SQLite looks at it (which would
	// leave -wal and -shm files beside a read-only book) or a migration half-way through.
	if err := checkWritable(abs); err != nil {
		return nil, fmt.Errorf("open book: %w", err)
	}
	if err := check(ctx, abs, len(migs)); err != nil {
		return nil, fmt.Errorf("open book %s: %w", abs, err)
	}
	lock, err := lockBook(abs)
	if err != nil {
		return nil, fmt.Errorf("open book %s: %w", abs, err)
	}
	s, err := openLocked(ctx, abs, migs)
	if err != nil {
		lock.release()
		return nil, err
	}
	s.lock = lock
	return s, nil
}

// checkWritable refuses an existing file that this process may not write (ErrReadOnly) or not
// even read (ErrUnreadable).
func checkWritable(abs string) error {
	f, err := os.OpenFile(abs, os.O_RDWR, 0)
	switch {
	case err == nil:
		return f.Close()
	case errors.Is(err, os.ErrNotExist):
		return nil
	case errors.Is(err, os.ErrPermission):
		if f, rerr := os.Open(abs); rerr == nil {
			f.Close()
		} else if errors.Is(rerr, os.ErrPermission) {
			return &causeError{cause: ErrUnreadable, err: err}
		}
	}
	return classifyOS(err)
}

// openLocked opens the checked book at abs, its lock held, and migrates it.
func openLocked(ctx context.Context, abs string, migs []migration) (*Store, error) {
	// A new book is readable by its owner only (SQLite gives its -wal and -shm files the same
	// mode).
	if f, err := os.OpenFile(abs, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600); err == nil {
		f.Close()
	} else if !errors.Is(err, os.ErrExist) {
		return nil, fmt.Errorf("open book: %w", classifyOS(err))
	}

	db, err := sql.Open("sqlite", fileURI(abs)+"?"+pragmas)
	if err != nil {
		return nil, fmt.Errorf("open book %s: %w", abs, err)
	}
	db.SetMaxIdleConns(4)
	s := &Store{db: db, path: abs, now: time.Now}
	if err := s.migrate(ctx, migs); err != nil {
		db.Close()
		return nil, fmt.Errorf("open book %s: %w", abs, classify(err))
	}
	return s, nil
}

// readOnlyPragmas are those of a read-only Store (after its readOnlyMode): it never writes
// (query_only) and sets no journal mode (the book is already in WAL mode, which lets it read
// while a window writes).
const readOnlyPragmas = "_pragma=busy_timeout(5000)&_pragma=foreign_keys(1)&_pragma=query_only(1)"

// readOnlyMode is how OpenReadOnly opens the book at abs: read-write (mode=rw, never creating
// it) and query_only, so that the last connection removes the -wal and -shm files on close
// (mode=ro would leave them behind); but
// a book that this process may not write, or whose folder it may not write, as immutable
// (mode=ro&immutable=1): SQLite then reads the file alone, creating no -wal or -shm file it
// could not remove, as no Carebook can be writing it. A book with a write-ahead log left over
// (closed by a crash, then made read-only) is read with its log.
func readOnlyMode(abs string) string {
	if writable(abs) && writable(filepath.Dir(abs)) {
		return "mode=rw"
	}
	if fi, err := os.Stat(abs + "-wal"); err == nil && fi.Size() > 0 {
		return "mode=ro"
	}
	return "mode=ro&immutable=1"
}

// OpenReadOnly opens the existing book at path for reading only, for the commands that only
// read (`today`, `export`): it takes no lock, so it works while a window has the book open, and
// it never creates, migrates or writes the file. A missing or empty file is ErrNoBook, a book
// that needs upgrading by this Carebook ErrNeedsUpgrade; the other refusals are Open's.
func OpenReadOnly(ctx context.Context, path string) (*Store, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("open book %s: %w", path, err)
	}
	fi, err := os.Stat(abs)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil, fmt.Errorf("open book %s: %w", abs, ErrNoBook)
	case err != nil:
		return nil, fmt.Errorf("open book: %w", classifyOS(err))
	case fi.IsDir():
		return nil, fmt.Errorf("open book %s: %w: it is a folder", abs, ErrNotCarebook)
	}
	known := SchemaVersion()
	mode := readOnlyMode(abs)
	version, err := checkVersion(ctx, abs, known, mode)
	switch {
	case err != nil:
		return nil, fmt.Errorf("open book %s: %w", abs, err)
	case version == 0:
		return nil, fmt.Errorf("open book %s: %w", abs, ErrNoBook)
	case version < known:
		return nil, fmt.Errorf("open book %s: %w (schema %d; this Carebook writes schema %d)",
			abs, ErrNeedsUpgrade, version, known)
	}
	db, err := sql.Open("sqlite", fileURI(abs)+"?"+mode+"&"+readOnlyPragmas)
	if err != nil {
		return nil, fmt.Errorf("open book %s: %w", abs, err)
	}
	db.SetMaxIdleConns(4)
	// The first connection: the version again, through the pool (and its errors now, not at
	// the first query).
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		db.Close()
		return nil, fmt.Errorf("open book %s: %w", abs, classify(err))
	}
	if version != known {
		db.Close()
		if version > known {
			return nil, fmt.Errorf("open book %s: %w", abs, &NewerVersionError{Book: version, Known: known})
		}
		return nil, fmt.Errorf("open book %s: %w", abs, ErrNeedsUpgrade)
	}
	return &Store{db: db, path: abs, version: version, now: time.Now, readOnly: true}, nil
}

// Close closes the book and releases its lock. The last connection checkpoints the
// write-ahead log into the file.
func (s *Store) Close() error {
	if !s.readOnly {
		// Refresh the query planner's statistics where they are stale (cheap; SQLite's advice
		// for applications that keep a connection open).
		s.db.Exec("PRAGMA optimize")
	}
	err := s.db.Close()
	if lerr := s.lock.release(); err == nil {
		err = lerr
	}
	if err != nil {
		return fmt.Errorf("close book: %w", err)
	}
	return nil
}

// Path returns the absolute path of the book's file.
func (s *Store) Path() string { return s.path }

// Version returns the book's schema version (PRAGMA user_version).
func (s *Store) Version() int { return s.version }

// fileURI turns an absolute path into an SQLite file: URI, escaping what URIs reserve ('?',
// '#', '%', spaces, non-ASCII). A Windows path C:\x becomes file:///C:/x.
func fileURI(abs string) string {
	p := filepath.ToSlash(abs)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	u := url.URL{Scheme: "file", Path: p}
	return u.String()
}

// check looks at an existing file before anything may write to it: a non-empty file must be an
// SQLite database whose application_id is Carebook's (or an empty database without tables), of
// a schema version this Carebook knows. A missing or empty file passes (it becomes a new book).
func check(ctx context.Context, abs string, known int) error {
	_, err := checkVersion(ctx, abs, known, "mode=rw")
	return err
}

// checkVersion is check, returning the book's schema version: 0 for a missing or empty file.
// mode is the SQLite URI parameters of the file (see OpenReadOnly).
func checkVersion(ctx context.Context, abs string, known int, mode string) (int, error) {
	f, err := os.Open(abs)
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if errors.Is(err, os.ErrPermission) {
		return 0, &causeError{cause: ErrUnreadable, err: err}
	}
	if err != nil {
		return 0, classifyOS(err)
	}
	header := make([]byte, 100)
	n, err := io.ReadFull(f, header)
	f.Close()
	switch {
	case n == 0 && (err == nil || err == io.EOF):
		return 0, nil // an empty file: a new book
	case errors.Is(err, io.ErrUnexpectedEOF) || (err == nil && string(header[:16]) != sqliteMagic):
		return 0, fmt.Errorf("%w: the file is not an SQLite database", ErrNotCarebook)
	case err != nil:
		return 0, classifyOS(err)
	}

	// Read the header fields through SQLite, as a book in WAL mode may hold newer pages in its
	// -wal file than in the main file. The connection only reads and sets no pragma, so the
	// file is left as it is; it is not opened read-only (mode=ro) because a read-only
	// connection to a WAL database leaves -wal and -shm files behind, where a read-write one
	// removes them on close. mode=rw: it never creates the file.
	db, err := sql.Open("sqlite", fileURI(abs)+"?"+mode+"&_pragma=busy_timeout(5000)")
	if err != nil {
		return 0, err
	}
	defer db.Close()
	var appID, userVersion, objects int
	err = db.QueryRowContext(ctx, `SELECT (SELECT application_id FROM pragma_application_id),
		(SELECT user_version FROM pragma_user_version), (SELECT count(*) FROM sqlite_schema)`).
		Scan(&appID, &userVersion, &objects)
	if err != nil {
		if c := Cause(err); c == ErrCorrupt || c == ErrReadOnly || c == ErrCannotOpen || c == ErrUnreadable {
			return 0, classify(err)
		}
		return 0, fmt.Errorf("%w: %v", ErrNotCarebook, err)
	}
	switch {
	case appID == 0 && userVersion == 0 && objects == 0:
		return 0, nil // an empty SQLite database: becomes a new book
	case appID != applicationID:
		return 0, fmt.Errorf("%w: it is another program's SQLite database (application id %#x)", ErrNotCarebook, appID)
	case userVersion > known:
		return 0, &NewerVersionError{Book: userVersion, Known: known}
	}
	return userVersion, nil
}

// What went wrong with a book, for the message shown to the user (see Cause). The errors of
// Open, OpenReadOnly and of every method wrap one of them where it applies (and ErrCorrupt, of
// backup.go: the file is an SQLite database, but damaged).
var (
	// ErrReadOnly: the file, or the folder that holds it, may not be written.
	ErrReadOnly = errors.New("the book or its folder is read-only")
	// ErrDiskFull: the disk (or the book's size limit) is full; the write was not made.
	ErrDiskFull = errors.New("the disk is full")
	// ErrCannotOpen: the file or its folder cannot be opened or created.
	ErrCannotOpen = errors.New("the book cannot be opened")
	// ErrUnreadable: the file may not even be read.
	ErrUnreadable = errors.New("the book may not be read")
	// ErrNoBook: OpenReadOnly found no book (or an empty file) at the path.
	ErrNoBook = errors.New("there is no book at this path")
	// ErrNeedsUpgrade: OpenReadOnly found a book of an older schema, which only Open migrates.
	ErrNeedsUpgrade = errors.New("the book must first be upgraded by opening it in Carebook")
)

// Cause names what went wrong behind err: ErrLocked, ErrNotCarebook, ErrCorrupt, ErrUnreadable, ErrReadOnly,
// ErrDiskFull, ErrCannotOpen, ErrNoBook, ErrNeedsUpgrade or the *NewerVersionError, whether
// wrapped by the store or still an SQLite or system error. It is nil when err is none of them.
func Cause(err error) error {
	if err == nil {
		return nil
	}
	var nv *NewerVersionError
	if errors.As(err, &nv) {
		return nv
	}
	for _, c := range []error{ErrLocked, ErrNotCarebook, ErrCorrupt, ErrUnreadable, ErrReadOnly,
		ErrDiskFull, ErrCannotOpen, ErrNoBook, ErrNeedsUpgrade} {
		if errors.Is(err, c) {
			return c
		}
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_FULL:
			return ErrDiskFull
		case sqlite3.SQLITE_CORRUPT:
			return ErrCorrupt
		case sqlite3.SQLITE_NOTADB:
			return ErrNotCarebook
		case sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM:
			return ErrReadOnly
		case sqlite3.SQLITE_CANTOPEN:
			return ErrCannotOpen
		}
	}
	switch {
	case errors.Is(err, syscall.ENOSPC):
		return ErrDiskFull
	case errors.Is(err, os.ErrPermission) || errors.Is(err, syscall.EROFS):
		return ErrReadOnly
	}
	return nil
}

// causeError is an error that also wraps its Cause, for errors.Is; its text is the error's own.
type causeError struct{ cause, err error }

func (e *causeError) Error() string   { return e.err.Error() }
func (e *causeError) Unwrap() []error { return []error{e.cause, e.err} }

// classify wraps err with its Cause, when it has one not wrapped yet.
func classify(err error) error {
	c := Cause(err)
	if c == nil || errors.Is(err, c) {
		return err
	}
	return &causeError{cause: c, err: err}
}

// classifyOS is classify for an error of the file system: one that is not read-only or full is
// ErrCannotOpen (a missing folder, a file where a folder should be…).
func classifyOS(err error) error {
	if c := classify(err); c != err {
		return c
	}
	if Cause(err) == nil {
		return &causeError{cause: ErrCannotOpen, err: err}
	}
	return err
}
