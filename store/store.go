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
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
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
}

// Open opens the book at path, creating the file (and its directory) when it does not exist
// and migrating its schema to the newest version. It refuses, without changing the file, a
// file that is not a Carebook book (ErrNotCarebook) and a book from a newer Carebook
// (*NewerVersionError).
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
		return nil, fmt.Errorf("open book: %w", err)
	}
	if err := check(ctx, abs, len(migs)); err != nil {
		return nil, fmt.Errorf("open book %s: %w", abs, err)
	}
	// A new book is readable by its owner only (SQLite gives its -wal and -shm files the same
	// mode).
	if f, err := os.OpenFile(abs, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600); err == nil {
		f.Close()
	} else if !errors.Is(err, os.ErrExist) {
		return nil, fmt.Errorf("open book: %w", err)
	}

	db, err := sql.Open("sqlite", fileURI(abs)+"?"+pragmas)
	if err != nil {
		return nil, fmt.Errorf("open book %s: %w", abs, err)
	}
	db.SetMaxIdleConns(4)
	s := &Store{db: db, path: abs, now: time.Now}
	if err := s.migrate(ctx, migs); err != nil {
		db.Close()
		return nil, fmt.Errorf("open book %s: %w", abs, err)
	}
	return s, nil
}

// Close closes the book. The last connection checkpoints the write-ahead log into the file.
func (s *Store) Close() error {
	// Refresh the query planner's statistics where they are stale (cheap; SQLite's advice for
	// applications that keep a connection open).
	s.db.Exec("PRAGMA optimize")
	if err := s.db.Close(); err != nil {
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
	f, err := os.Open(abs)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	header := make([]byte, 100)
	n, err := io.ReadFull(f, header)
	f.Close()
	switch {
	case n == 0:
		return nil // an empty file: a new book
	case errors.Is(err, io.ErrUnexpectedEOF) || (err == nil && string(header[:16]) != sqliteMagic):
		return fmt.Errorf("%w: the file is not an SQLite database", ErrNotCarebook)
	case err != nil:
		return err
	}

	// Read the header fields through SQLite, as a book in WAL mode may hold newer pages in its
	// -wal file than in the main file. The connection only reads and sets no pragma, so the
	// file is left as it is; it is not opened read-only (mode=ro) because a read-only
	// connection to a WAL database leaves -wal and -shm files behind, where a read-write one
	// removes them on close.
	db, err := sql.Open("sqlite", fileURI(abs)+"?_pragma=busy_timeout(5000)")
	if err != nil {
		return err
	}
	defer db.Close()
	var appID, userVersion, objects int
	err = db.QueryRowContext(ctx, `SELECT (SELECT application_id FROM pragma_application_id),
		(SELECT user_version FROM pragma_user_version), (SELECT count(*) FROM sqlite_schema)`).
		Scan(&appID, &userVersion, &objects)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrNotCarebook, err)
	}
	switch {
	case appID == 0 && userVersion == 0 && objects == 0:
		return nil // an empty SQLite database: becomes a new book
	case appID != applicationID:
		return fmt.Errorf("%w: it is another program's SQLite database (application id %#x)", ErrNotCarebook, appID)
	case userVersion > known:
		return &NewerVersionError{Book: userVersion, Known: known}
	}
	return nil
}
