package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// fixedNow is the clock of the test stores: 2026-03-15 10:30 local time.
var fixedNow = time.Date(2026, 3, 15, 10, 30, 0, 0, time.Local)

// schemaVersion is the newest schema: the number of embedded migrations.
func schemaVersion(t testing.TB) int {
	t.Helper()
	migs, err := embeddedMigrations()
	if err != nil {
		t.Fatal(err)
	}
	return len(migs)
}

// openTest opens a new book in a temporary directory, closed at the end of the test.
func openTest(t testing.TB) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "book.db"))
	if err != nil {
		t.Fatal(err)
	}
	s.now = func() time.Time { return fixedNow }
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	})
	return s
}

// rawExec runs statements on the file with a bare connection (no Carebook pragmas).
func rawExec(t *testing.T, path string, stmts ...string) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range stmts {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

func pragmaInt(t *testing.T, q querier, name string) int {
	t.Helper()
	var n int
	if err := q.QueryRowContext(context.Background(), "PRAGMA "+name).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// snapshot returns the files of dir and their contents.
func snapshot(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = b
	}
	return out
}

func sameFiles(t *testing.T, before, after map[string][]byte) {
	t.Helper()
	for name, b := range before {
		if a, ok := after[name]; !ok {
			t.Errorf("%s disappeared", name)
		} else if !bytes.Equal(a, b) {
			t.Errorf("%s changed", name)
		}
	}
	for name := range after {
		if _, ok := before[name]; !ok {
			t.Errorf("%s appeared", name)
		}
	}
}

var allTables = []string{
	"customers", "customer_phones", "customer_tags", "important_dates", "purchases", "records",
	"events", "invitations", "services", "complaints", "complaint_steps", "templates", "settings",
	"calendar_days", "snoozes", "record_counts",
}

func TestOpenCreatesBook(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "a", "b", "book.db") // directories created too
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	migs, err := embeddedMigrations()
	if err != nil {
		t.Fatal(err)
	}
	if s.Version() != len(migs) || pragmaInt(t, s.db, "user_version") != len(migs) {
		t.Errorf("Version() = %d, user_version = %d, want %d", s.Version(), pragmaInt(t, s.db, "user_version"), len(migs))
	}
	if got := pragmaInt(t, s.db, "application_id"); got != applicationID {
		t.Errorf("application_id = %#x", got)
	}
	if s.Path() != path {
		t.Errorf("Path() = %q, want %q", s.Path(), path)
	}
	for _, table := range allTables {
		var n int
		if err := s.db.QueryRow(`SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?`, table).Scan(&n); err != nil || n != 1 {
			t.Errorf("table %s: %d, %v", table, n, err)
		}
	}

	// Every pooled connection carries the pragmas.
	conns := make([]*sql.Conn, 3)
	for i := range conns {
		if conns[i], err = s.db.Conn(ctx); err != nil {
			t.Fatal(err)
		}
		defer conns[i].Close()
	}
	for i, c := range conns {
		var mode string
		if err := c.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
			t.Errorf("conn %d: journal_mode %q, %v", i, mode, err)
		}
		for name, want := range map[string]int{"foreign_keys": 1, "synchronous": 2, "busy_timeout": 5000} {
			var got int
			if err := c.QueryRowContext(ctx, "PRAGMA "+name).Scan(&got); err != nil || got != want {
				t.Errorf("conn %d: %s = %d, %v; want %d", i, name, got, err, want)
			}
		}
	}
}

func TestNewBookIsPrivate(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix permissions")
	}
	path := filepath.Join(t.TempDir(), "book.db")
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, name := range []string{path, path + "-wal"} {
		fi, err := os.Stat(name)
		if err != nil {
			t.Fatal(err)
		}
		if perm := fi.Mode().Perm(); perm&0o077 != 0 {
			t.Errorf("%s: mode %v, want private", filepath.Base(name), perm)
		}
	}
}

func TestReopenIsIdempotent(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "book.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	c := card()
	if err := s.SaveCustomer(ctx, c); err != nil {
		t.Fatal(err)
	}
	s.Close()
	for range 2 {
		s, err = Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		if s.Version() != schemaVersion(t) {
			t.Errorf("Version() = %d", s.Version())
		}
		got, err := s.Customer(ctx, c.ID)
		if err != nil || got.Name != c.Name {
			t.Errorf("after reopen: %v, %v", got, err)
		}
		s.Close()
	}
	if m, _ := filepath.Glob(filepath.Join(dir, "*.bak")); len(m) != 0 {
		t.Errorf("backups made without a migration: %v", m)
	}
}

func TestOpenEmptyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "empty.db")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Version() != schemaVersion(t) {
		t.Errorf("Version() = %d", s.Version())
	}
}

func TestOpenEmptySQLiteDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "blank.db")
	rawExec(t, path, "PRAGMA user_version = 0", "VACUUM") // a valid database without tables
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Version() != schemaVersion(t) {
		t.Errorf("Version() = %d", s.Version())
	}
}

func TestOpenPathNeedingEscapes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "顾客 #1 ?x=%41&y")
	path := filepath.Join(dir, "my book?.db")
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SaveCustomer(context.Background(), card()); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if fi, err := os.Stat(path); err != nil || fi.Size() == 0 {
		t.Fatalf("book not at %q: %v", path, err)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), "my book?.db") {
			t.Errorf("stray file %q", e.Name())
		}
	}
}

func TestOpenRefusesNewerVersion(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "book.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	rawExec(t, path, "PRAGMA user_version = 7")
	before := snapshot(t, dir)

	_, err = Open(ctx, path)
	var nv *NewerVersionError
	known := schemaVersion(t)
	if !errors.As(err, &nv) || nv.Book != 7 || nv.Known != known {
		t.Fatalf("Open = %v, want *NewerVersionError{7, %d}", err, known)
	}
	if msg := err.Error(); !strings.Contains(msg, "schema 7") || !strings.Contains(msg, fmt.Sprintf("schema %d", known)) {
		t.Errorf("message %q does not name both versions", msg)
	}
	sameFiles(t, before, snapshot(t, dir))
}

func TestOpenRefusesForeignSQLite(t *testing.T) {
	for name, stmts := range map[string][]string{
		"tables":         {"CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)", "INSERT INTO notes (body) VALUES ('x')"},
		"application id": {"PRAGMA application_id = 1234"},
		"user version":   {"PRAGMA user_version = 1", "CREATE TABLE customers (id INTEGER PRIMARY KEY)"},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "other.db")
			rawExec(t, path, stmts...)
			before := snapshot(t, dir)
			_, err := Open(context.Background(), path)
			if !errors.Is(err, ErrNotCarebook) {
				t.Fatalf("Open = %v, want ErrNotCarebook", err)
			}
			sameFiles(t, before, snapshot(t, dir))
		})
	}
}

func TestOpenRefusesNonSQLite(t *testing.T) {
	rnd := make([]byte, 8192)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range rnd {
		rnd[i] = byte(r.Uint32())
	}
	corrupt := make([]byte, 4096)
	copy(corrupt, sqliteMagic)
	for i := 16; i < len(corrupt); i++ {
		corrupt[i] = 0xff
	}
	for name, content := range map[string][]byte{
		"random bytes":    rnd,
		"text":            []byte("name,phone\n张三,13812345678\n"),
		"short":           []byte("SQLite"),
		"corrupt header":  corrupt,
		"truncated magic": []byte(sqliteMagic[:10]),
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "book.db")
			if err := os.WriteFile(path, content, 0o600); err != nil {
				t.Fatal(err)
			}
			before := snapshot(t, dir)
			_, err := Open(context.Background(), path)
			if !errors.Is(err, ErrNotCarebook) {
				t.Fatalf("Open = %v, want ErrNotCarebook", err)
			}
			sameFiles(t, before, snapshot(t, dir))
		})
	}
}

// testMigrations returns the real migrations followed by extra ones.
func testMigrations(t *testing.T, extra ...string) []migration {
	t.Helper()
	real, err := embeddedMigrations()
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{}
	for _, m := range real {
		fsys[m.name] = &fstest.MapFile{Data: []byte(m.sql)}
	}
	for i, sql := range extra {
		fsys[fmt.Sprintf("%04d_extra.sql", len(real)+i+1)] = &fstest.MapFile{Data: []byte(sql)}
	}
	migs, err := loadMigrations(fsys)
	if err != nil {
		t.Fatal(err)
	}
	return migs
}

func TestMigrationUpgradeBacksUpFirst(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "book.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	c := card()
	if err := s.SaveCustomer(ctx, c); err != nil {
		t.Fatal(err)
	}
	s.Close()

	migs := testMigrations(t, "CREATE TABLE extra (x INTEGER);\nALTER TABLE customers ADD COLUMN extra TEXT NOT NULL DEFAULT '';")
	n := schemaVersion(t)
	s, err = open(ctx, path, migs)
	if err != nil {
		t.Fatal(err)
	}
	if s.Version() != n+1 || pragmaInt(t, s.db, "user_version") != n+1 {
		t.Errorf("Version() = %d", s.Version())
	}
	if got, err := s.Customer(ctx, c.ID); err != nil || got.Name != c.Name {
		t.Errorf("after upgrade: %v, %v", got, err)
	}
	s.Close()

	// The backup is the book as it was, at schema n.
	b, err := Open(ctx, fmt.Sprintf("%s.schema%d.bak", path, n))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if b.Version() != n {
		t.Errorf("backup at schema %d", b.Version())
	}
	if got, err := b.Customer(ctx, c.ID); err != nil || got.Name != c.Name {
		t.Errorf("backup: %v, %v", got, err)
	}

	// Reopened by the old version: refused, as newer.
	var nv *NewerVersionError
	if _, err := Open(ctx, path); !errors.As(err, &nv) || nv.Book != n+1 || nv.Known != n {
		t.Errorf("old Carebook on a schema %d book: %v", n+1, err)
	}
}

func TestFailedMigrationChangesNothing(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "book.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()

	migs := testMigrations(t, "CREATE TABLE extra (x INTEGER);\nTHIS IS NOT SQL;")
	if _, err := open(ctx, path, migs); err == nil || !strings.Contains(err.Error(), fmt.Sprintf("schema %d", len(migs))) {
		t.Fatalf("open with a broken migration = %v", err)
	}
	s, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var n int
	if err := s.db.QueryRow(`SELECT count(*) FROM sqlite_schema WHERE name = 'extra'`).Scan(&n); err != nil || n != 0 {
		t.Errorf("half-applied migration: extra table count %d, %v", n, err)
	}
	if s.Version() != schemaVersion(t) {
		t.Errorf("Version() = %d", s.Version())
	}
}

func TestLoadMigrationsRefusesGaps(t *testing.T) {
	_, err := loadMigrations(fstest.MapFS{
		"0001_a.sql": {Data: []byte("SELECT 1")},
		"0003_c.sql": {Data: []byte("SELECT 1")},
	})
	if err == nil {
		t.Error("a gap in the migration numbers was accepted")
	}
	if _, err := loadMigrations(fstest.MapFS{"init.sql": {Data: []byte("SELECT 1")}}); err == nil {
		t.Error("a migration without a number was accepted")
	}
}

func TestSettings(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	if v, ok, err := s.Setting(ctx, "rule.grace"); err != nil || ok || v != "" {
		t.Errorf("unset: %q %v %v", v, ok, err)
	}
	for _, v := range []string{"7", "10", ""} {
		if err := s.SetSetting(ctx, "rule.grace", v); err != nil {
			t.Fatal(err)
		}
		if got, ok, err := s.Setting(ctx, "rule.grace"); err != nil || !ok || got != v {
			t.Errorf("after set %q: %q %v %v", v, got, ok, err)
		}
	}
}

// TestOpenAfterCrash opens a copy of a book taken while it was open, as a kill -9 leaves it:
// the committed transactions are in the -wal file only, the application id and schema included.
func TestOpenAfterCrash(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := Open(ctx, filepath.Join(dir, "book.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	c := mustSave(t, s, card())

	crashed := t.TempDir()
	for _, name := range []string{"book.db", "book.db-wal"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(crashed, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	r, err := Open(ctx, filepath.Join(crashed, "book.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if got, err := r.Customer(ctx, c.ID); err != nil || got.Name != c.Name {
		t.Errorf("after crash: %v, %v", got, err)
	}
}
