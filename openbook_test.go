package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"carebook/assets/i18n"
	"carebook/crm"
	"carebook/store"
)

// TestReadCommandsWhileBookIsOpen: while a window (here: a Store open for writing) has the book,
// `today` and `export` work, `import` is refused with the lock message and changes nothing.
func TestReadCommandsWhileBookIsOpen(t *testing.T) {
	i18n.Set(i18n.ZhHans)
	dir := t.TempDir()
	db := filepath.Join(dir, "book.db")
	if _, _, err := runCLI(t, "demo", "--db", db, "--customers", "60", "--seed", "3", "--today", "2026-11-22"); err != nil {
		t.Fatal(err)
	}
	gui, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer gui.Close()

	if out, _, err := runCLI(t, "today", "--db", db, "--date", "2026-11-22", "--json"); err != nil || !strings.HasPrefix(out, "{") {
		t.Errorf("today while the book is open: %q, %v", out, err)
	}
	xlsxPath := filepath.Join(dir, "out.xlsx")
	if _, _, err := runCLI(t, "export", "--db", db, "-o", xlsxPath); err != nil {
		t.Errorf("export while the book is open: %v", err)
	} else if fi, err := os.Stat(xlsxPath); err != nil || fi.Size() == 0 {
		t.Errorf("export wrote %v, %v", fi, err)
	}

	csvPath := filepath.Join(dir, "new.csv")
	if err := os.WriteFile(csvPath, []byte("姓名,电话\n新顾客,13900001111\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, _, err = runCLI(t, "import", "--db", db, csvPath)
	if err == nil || !strings.Contains(err.Error(), "这个顾客本已在另一个顾客维护本窗口中打开") ||
		strings.Contains(err.Error(), "\n") {
		t.Errorf("import while the book is open: %v", err)
	}
	if n := len(summariesOf(t, gui)); n != 60 {
		t.Errorf("%d customers after the refused import, want 60", n)
	}
}

func summariesOf(t *testing.T, s *store.Store) []string {
	t.Helper()
	var names []string
	res, err := s.Search(context.Background(), crm.CustomerQuery{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		names = append(names, r.Name)
	}
	return names
}

// TestReadCommandsOnHostileBooks: `today` and `export` on a hostile --db print one translated
// line naming the path, and leave the folder as it was (no file created, nothing written).
func TestReadCommandsOnHostileBooks(t *testing.T) {
	for _, tc := range []struct {
		name string
		make func(t *testing.T, path string)
		key  string
		args []any
	}{
		{"missing", func(*testing.T, string) {}, "open.no_book", nil},
		{"empty file", func(t *testing.T, path string) { write(t, path, nil) }, "open.no_book", nil},
		{"text", func(t *testing.T, path string) { write(t, path, []byte("姓名,电话\n张三,13812345678\n")) }, "open.not_carebook", nil},
		{"truncated", func(t *testing.T, path string) {
			newBook(t, path)
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			write(t, path, b[:2*4096])
		}, "open.corrupt", nil},
		{"damaged", func(t *testing.T, path string) {
			newBook(t, path)
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			for i := 100; i < len(b); i++ {
				b[i] = byte(i*7 + 3)
			}
			write(t, path, b)
		}, "open.corrupt", nil},
		{"newer", func(t *testing.T, path string) {
			newBook(t, path)
			sqlExec(t, path, "PRAGMA user_version = 99")
		}, "open.newer", []any{"Book", 99, "Known", store.SchemaVersion()}},
	} {
		for _, lang := range []i18n.Lang{i18n.ZhHans, i18n.English} {
			t.Run(tc.name+"/"+string(lang), func(t *testing.T) {
				i18n.Set(lang)
				dir := t.TempDir()
				path := filepath.Join(dir, "book.db")
				tc.make(t, path)
				before := files(t, dir)
				want := i18n.T(tc.key, append([]any{"Path", path}, tc.args...)...)
				for _, cmd := range [][]string{
					{"today", "--db", path},
					{"export", "--db", path, "-o", filepath.Join(t.TempDir(), "out.xlsx")},
				} {
					_, _, err := runCLI(t, cmd...)
					if err == nil || err.Error() != want {
						t.Errorf("%s: %v, want %q", cmd[0], err, want)
					}
				}
				if after := files(t, dir); !maps.Equal(after, before) {
					t.Errorf("the folder changed: %d files → %d", len(before), len(after))
				}
			})
		}
	}
	i18n.Set(i18n.English)
	if msg := i18n.T("open.newer", "Path", "b.db", "Book", 99, "Known", 4); !strings.Contains(msg, "99") || !strings.Contains(msg, "4") {
		t.Errorf("open.newer does not name both versions: %q", msg)
	}
}

// TestBookErrorMessages: every cause the store names has its message, in every language, in
// one line; other errors pass through.
func TestBookErrorMessages(t *testing.T) {
	defer i18n.Set(i18n.English)
	for cause, key := range bookErrorKeys {
		for _, lang := range []i18n.Lang{i18n.English, i18n.ZhHans, i18n.ZhHant} {
			i18n.Set(lang)
			err := bookError("/书/book.db", fmt.Errorf("save customer: %w", cause))
			if !errors.Is(err, cause) {
				t.Errorf("%s: the message no longer wraps %v", key, cause)
			}
			msg := err.Error()
			if msg == key || !strings.Contains(msg, "/书/book.db") || strings.Contains(msg, "\n") {
				t.Errorf("%s in %s: %q", key, lang, msg)
			}
			if lang != i18n.English && msg == i18n.TIn(i18n.English, key, "Path", "/书/book.db") {
				t.Errorf("%s is not translated into %s", key, lang)
			}
		}
	}
	other := errors.New("something else")
	if got := bookError("b.db", other); got != other {
		t.Errorf("bookError(other) = %v", got)
	}
}

func write(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

func newBook(t *testing.T, path string) {
	t.Helper()
	if _, _, err := runCLI(t, "demo", "--db", path, "--customers", "40", "--today", "2026-11-22"); err != nil {
		t.Fatal(err)
	}
}

func sqlExec(t *testing.T, path, q string) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(q); err != nil {
		t.Fatal(err)
	}
}

// files maps the names of the files in dir to their bytes.
func files(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = string(b)
	}
	return out
}
