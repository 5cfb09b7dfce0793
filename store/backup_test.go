package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"testing"
	"time"

	"carebook/crm"
)

// fillBook saves n customers with one record each into the book at path, and closes it.
func fillBook(t *testing.T, path string, names ...string) {
	t.Helper()
	ctx := context.Background()
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, name := range names {
		c := card()
		c.Name = name
		c.Phones = nil
		c = mustSave(t, s, c)
		r := &crm.Record{CustomerID: c.ID, At: time.Date(2026, 3, 14, 10, 0, 0, 0, time.Local), Kind: crm.KindRoutine,
			Content: "回访 " + name}
		if err := s.SaveRecord(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
}

// bookNames lists the customers' names of the book at path (opened and closed again).
func bookNames(t *testing.T, path string) []string {
	t.Helper()
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rows, err := s.db.Query("SELECT name FROM customers ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		out = append(out, n)
	}
	return out
}

// Back up, change the book, restore: the book holds the backed-up data again, and the book as it
// was before the restore is kept in backups/.
func TestBackupValidateRestoreRoundTrip(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	book := filepath.Join(dir, "carebook.db")
	fillBook(t, book, "张三", "李四")

	s, err := Open(ctx, book)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Backup(ctx, book); !errors.Is(err, ErrBackupOverBook) {
		t.Fatalf("Backup over the book = %v, want ErrBackupOverBook", err)
	}
	copyPath := filepath.Join(dir, "copies", "备份 1.db")
	if err := s.Backup(ctx, copyPath); err != nil {
		t.Fatal(err)
	}
	// A second backup to the same name replaces the first.
	if err := s.Backup(ctx, copyPath); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if left, _ := filepath.Glob(filepath.Join(dir, "copies", ".*")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}

	info, err := ValidateBackup(ctx, copyPath)
	if err != nil {
		t.Fatal(err)
	}
	if info.Customers != 2 || info.Records != 2 || info.Schema != SchemaVersion() {
		t.Fatalf("ValidateBackup = %+v, want 2 customers, 2 records, schema %d", info, SchemaVersion())
	}
	for _, p := range []string{copyPath + "-wal", copyPath + "-shm"} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("validation left %s", p)
		}
	}

	fillBook(t, book, "王五")
	if got := bookNames(t, book); len(got) != 3 {
		t.Fatalf("book before restore = %v", got)
	}
	info, kept, err := Restore(ctx, copyPath, book)
	if err != nil {
		t.Fatal(err)
	}
	if info.Customers != 2 {
		t.Errorf("restored info = %+v", info)
	}
	if filepath.Dir(kept) != filepath.Join(dir, "backups") || !regexpMatch(`^carebook-before-restore-\d{8}-\d{6}\.db$`, filepath.Base(kept)) {
		t.Errorf("kept = %q", kept)
	}
	if got, want := bookNames(t, book), []string{"张三", "李四"}; !reflect.DeepEqual(got, want) {
		t.Errorf("restored book = %v, want %v", got, want)
	}
	if got, want := bookNames(t, kept), []string{"张三", "李四", "王五"}; !reflect.DeepEqual(got, want) {
		t.Errorf("kept book = %v, want %v", got, want)
	}
	// A read-only Store (carebook backup while a window has the book) backs up too.
	ro, err := OpenReadOnly(ctx, book)
	if err != nil {
		t.Fatal(err)
	}
	roCopy := filepath.Join(dir, "ro.db")
	err = ro.Backup(ctx, roCopy)
	ro.Close()
	if err != nil {
		t.Fatal(err)
	}
	if got := bookNames(t, roCopy); len(got) != 2 {
		t.Errorf("backup of the read-only store = %v", got)
	}
	// The restored book is a working book: it takes new cards.
	fillBook(t, book, "赵六")
	if got := bookNames(t, book); len(got) != 3 {
		t.Errorf("after a new card: %v", got)
	}
}

// Restore refuses a damaged file, another program's database, a text file, a book from a newer
// Carebook and a missing file, and changes nothing: neither the book nor its folder.
func TestRestoreRefusesBadFilesAndChangesNothing(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	bookDir := filepath.Join(dir, "book")
	book := filepath.Join(bookDir, "carebook.db")
	fillBook(t, book, "张三")

	// A damaged backup: a real backup whose last pages (past the schema) are overwritten.
	good := filepath.Join(dir, "good.db")
	fillBook(t, good, "李四")
	s, err := Open(ctx, good)
	if err != nil {
		t.Fatal(err)
	}
	corrupt := filepath.Join(dir, "corrupt.db")
	if err := s.Backup(ctx, corrupt); err != nil {
		t.Fatal(err)
	}
	s.Close()
	b, err := os.ReadFile(corrupt)
	if err != nil {
		t.Fatal(err)
	}
	for i := len(b) / 2; i < len(b); i += 97 {
		b[i] ^= 0x5a
	}
	if err := os.WriteFile(corrupt, b, 0o600); err != nil {
		t.Fatal(err)
	}

	foreign := filepath.Join(dir, "other.db")
	rawExec(t, foreign, "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
	emptySQLite := filepath.Join(dir, "empty.db")
	rawExec(t, emptySQLite, "PRAGMA user_version = 0")
	text := filepath.Join(dir, "list.csv")
	os.WriteFile(text, []byte("name,phone\n张三,13812345678\n"), 0o600)
	newer := filepath.Join(dir, "newer.db")
	fillBook(t, newer, "王五")
	rawExec(t, newer, "PRAGMA user_version = 99")

	for _, tc := range []struct {
		name, path string
		want       error
	}{
		{"corrupt", corrupt, ErrCorrupt},
		{"foreign", foreign, ErrNotCarebook},
		{"empty sqlite", emptySQLite, ErrNotCarebook},
		{"text", text, ErrNotCarebook},
		{"newer", newer, nil},
		{"missing", filepath.Join(dir, "nothing.db"), os.ErrNotExist},
		{"the book itself", book, ErrBackupOverBook},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := snapshot(t, bookDir)
			_, kept, err := Restore(ctx, tc.path, book)
			var nv *NewerVersionError
			switch {
			case err == nil:
				t.Fatalf("Restore(%s) succeeded (kept %q)", tc.name, kept)
			case tc.want == nil && !errors.As(err, &nv):
				t.Fatalf("Restore = %v, want *NewerVersionError", err)
			case tc.want != nil && !errors.Is(err, tc.want):
				t.Fatalf("Restore = %v, want %v", err, tc.want)
			}
			sameFiles(t, before, snapshot(t, bookDir))
		})
	}
	if _, err := ValidateBackup(ctx, corrupt); !errors.Is(err, ErrCorrupt) {
		t.Errorf("ValidateBackup(corrupt) = %v", err)
	}
	if got := bookNames(t, book); !reflect.DeepEqual(got, []string{"张三"}) {
		t.Errorf("book = %v", got)
	}
}

// A damaged book can be replaced by a backup; the damaged file is kept byte for byte.
func TestRestoreOverDamagedBook(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	book := filepath.Join(dir, "carebook.db")
	backup := filepath.Join(dir, "backup.db")
	fillBook(t, backup, "张三")
	junk := []byte("not a book at all")
	if err := os.WriteFile(book, junk, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(ctx, book); !errors.Is(err, ErrNotCarebook) {
		t.Fatalf("Open(junk) = %v", err)
	}
	_, kept, err := Restore(ctx, backup, book)
	if err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(kept); err != nil || string(b) != string(junk) {
		t.Errorf("kept %q = %q, %v", kept, b, err)
	}
	if got := bookNames(t, book); !reflect.DeepEqual(got, []string{"张三"}) {
		t.Errorf("book = %v", got)
	}
}

// Ten days of starts, two a day: one backup a day, the last seven kept; files of the folder
// that are not daily backups are never deleted.
func TestDailyBackupKeepsSeven(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	dir := BackupsDir(s.Path())
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	mine := []string{"carebook-before-restore-20260101-101010.db", "我的备份.db", "carebook-2026-1-1.db"}
	for _, n := range mine {
		os.WriteFile(filepath.Join(dir, n), []byte("x"), 0o600)
	}
	start := time.Date(2026, 11, 20, 9, 0, 0, 0, time.Local)
	for day := 0; day < 10; day++ {
		for _, hour := range []int{0, 9} {
			now := start.AddDate(0, 0, day).Add(time.Duration(hour) * time.Hour)
			path, made, err := s.DailyBackup(ctx, now)
			if err != nil {
				t.Fatal(err)
			}
			if want := filepath.Join(dir, "carebook-"+now.Format("2006-01-02")+".db"); path != want {
				t.Fatalf("path = %s, want %s", path, want)
			}
			if made != (hour == 0) {
				t.Fatalf("day %d hour %d: made = %v", day, hour, made)
			}
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	want := append([]string{}, mine...)
	for d := 3; d < 10; d++ {
		want = append(want, "carebook-"+start.AddDate(0, 0, d).Format("2006-01-02")+".db")
	}
	sort.Strings(want)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("backups folder = %v\nwant %v", got, want)
	}
	newest := "carebook-" + start.AddDate(0, 0, 9).Format("2006-01-02") + ".db"
	if _, err := ValidateBackup(ctx, filepath.Join(dir, newest)); err != nil {
		t.Errorf("newest daily backup: %v", err)
	}
	list, err := ListBackups(dir)
	if err != nil || len(list) != len(want) {
		t.Fatalf("ListBackups = %v, %v", list, err)
	}
	if list, err := ListBackups(filepath.Join(dir, "none")); err != nil || len(list) != 0 {
		t.Errorf("ListBackups(missing) = %v, %v", list, err)
	}
}

func regexpMatch(pattern, s string) bool { return regexp.MustCompile(pattern).MatchString(s) }
