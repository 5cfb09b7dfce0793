//go:build unix

package store

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"carebook/crm"
)

// snapshotTree is snapshot, with the folders in dir (marked, not read).
func snapshotTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() {
			out[e.Name()+"/"] = nil
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if errors.Is(err, os.ErrPermission) { // an unreadable file, when not run as root
			fi, err := e.Info()
			if err != nil {
				t.Fatal(err)
			}
			b = []byte(fmt.Sprint(fi.Size(), fi.ModTime(), fi.Mode()))
		} else if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = b
	}
	return out
}

// hostileBook prepares a hostile file in dir and returns the path to open.
type hostileBook func(t *testing.T, dir string) string

// goodBook writes a real book with a few customers at dir/book.db and returns its bytes.
func goodBook(t *testing.T, dir string) (string, []byte) {
	t.Helper()
	path := filepath.Join(dir, "book.db")
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	for range 20 {
		c := card()
		c.Notes = strings.Repeat("老顾客，喜欢新款。", 50)
		if err := s.SaveCustomer(context.Background(), c); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return path, b
}

func randomBytes(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, 7))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// overwrite returns a hostile book: a real one whose bytes from offset on are random.
func overwrite(offset int) hostileBook {
	return func(t *testing.T, dir string) string {
		path, b := goodBook(t, dir)
		copy(b[offset:], randomBytes(len(b)-offset, uint64(offset)))
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
}

// writeFile returns a hostile book: a file with these bytes.
func writeFile(content []byte) hostileBook {
	return func(t *testing.T, dir string) string {
		path := filepath.Join(dir, "book.db")
		if err := os.WriteFile(path, content, 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
}

// TestOpenHostileFiles opens hostile files for writing and for reading: each is refused with
// the cause the message is chosen by (or, for reading, works where it can), and no file in its
// folder changes.
func TestOpenHostileFiles(t *testing.T) {
	for _, tc := range []struct {
		name     string
		make     hostileBook
		want     error // Open's cause
		wantRead error // OpenReadOnly's cause; nil: it opens
	}{
		{"text", writeFile([]byte("姓名,电话\n张三,13812345678\n")), ErrNotCarebook, ErrNotCarebook},
		{"random bytes", writeFile(randomBytes(64<<10, 1)), ErrNotCarebook, ErrNotCarebook},
		{"foreign SQLite", func(t *testing.T, dir string) string {
			path := filepath.Join(dir, "other.db")
			rawExec(t, path, "CREATE TABLE notes (body TEXT)", "INSERT INTO notes VALUES ('x')")
			return path
		}, ErrNotCarebook, ErrNotCarebook},
		{"random bytes after the header", overwrite(100), ErrCorrupt, ErrCorrupt},
		{"random bytes after the first page", overwrite(4096), ErrCorrupt, ErrCorrupt},
		{"truncated", func(t *testing.T, dir string) string {
			path, b := goodBook(t, dir)
			if err := os.WriteFile(path, b[:3*4096], 0o600); err != nil {
				t.Fatal(err)
			}
			return path
		}, ErrCorrupt, ErrCorrupt},
		{"truncated header", func(t *testing.T, dir string) string {
			path, b := goodBook(t, dir)
			if err := os.WriteFile(path, b[:60], 0o600); err != nil {
				t.Fatal(err)
			}
			return path
		}, ErrNotCarebook, ErrNotCarebook},
		{"folder", func(t *testing.T, dir string) string {
			path := filepath.Join(dir, "book.db")
			if err := os.Mkdir(path, 0o700); err != nil {
				t.Fatal(err)
			}
			return path
		}, ErrCannotOpen, ErrNotCarebook},
		{"folder is a file", func(t *testing.T, dir string) string {
			if err := os.WriteFile(filepath.Join(dir, "books"), []byte("x"), 0o600); err != nil {
				t.Fatal(err)
			}
			return filepath.Join(dir, "books", "book.db")
		}, ErrCannotOpen, ErrCannotOpen},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := tc.make(t, dir)
			before := snapshotTree(t, dir)

			s, err := Open(context.Background(), path)
			if err == nil {
				s.Close()
			}
			if got := Cause(err); got != tc.want {
				t.Errorf("Open = %v (cause %v), want %v", err, got, tc.want)
			}
			sameFiles(t, before, snapshotTree(t, dir))

			r, err := OpenReadOnly(context.Background(), path)
			if err == nil {
				r.Close()
			}
			if got := Cause(err); got != tc.wantRead {
				t.Errorf("OpenReadOnly = %v (cause %v), want %v", err, got, tc.wantRead)
			}
			sameFiles(t, before, snapshotTree(t, dir))
		})
	}
}

// openHelperEnv names the book TestHelperOpen opens, as another user, for the permission tests
// when the tests run as root (whom permissions do not stop).
const openHelperEnv = "CAREBOOK_TEST_OPEN_HELPER"

// nobody is the user the permission tests run as when run as root.
const nobody = 65534

// TestHelperOpen is not a test: run as a child process by openAs, it drops root, opens the book
// named by CAREBOOK_TEST_OPEN_HELPER (read-only when it ends in "?ro") and prints the cause.
func TestHelperOpen(t *testing.T) {
	arg := os.Getenv(openHelperEnv)
	if arg == "" {
		t.Skip("helper process only")
	}
	if err := syscall.Setgid(nobody); err != nil {
		fmt.Println("setgid:", err)
		os.Exit(2)
	}
	if err := syscall.Setuid(nobody); err != nil {
		fmt.Println("setuid:", err)
		os.Exit(2)
	}
	path, ro := strings.CutSuffix(arg, "?ro")
	fmt.Println(causeName(tryOpen(path, ro)))
	os.Exit(0)
}

// tryOpen opens the book at path (read-only with ro), reads it and closes it.
func tryOpen(path string, ro bool) error {
	ctx := context.Background()
	open := Open
	if ro {
		open = OpenReadOnly
	}
	s, err := open(ctx, path)
	if err != nil {
		return err
	}
	_, err = s.Plan(ctx, crm.MustDate("2026-03-15"))
	if cerr := s.Close(); err == nil {
		err = cerr
	}
	return err
}

func causeName(err error) string {
	if err == nil {
		return "ok"
	}
	if c := Cause(err); c != nil {
		return c.Error()
	}
	return "other: " + err.Error()
}

// openAs opens the book at path as a user who is not root: this process, or a child that drops
// root.
func openAs(t *testing.T, path string, ro bool) string {
	t.Helper()
	if os.Geteuid() != 0 {
		return causeName(tryOpen(path, ro))
	}
	arg := path
	if ro {
		arg += "?ro"
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperOpen$")
	cmd.Env = append(os.Environ(), openHelperEnv+"="+arg)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("helper: %v: %s", err, out)
	}
	return strings.TrimSpace(string(out))
}

// TestOpenWithoutPermission: a read-only book, or a book in a read-only folder, is refused for
// writing (ErrReadOnly) and changes nothing; reading it works where the system lets it.
func TestOpenWithoutPermission(t *testing.T) {
	for _, tc := range []struct {
		name           string
		fileMode       os.FileMode
		dirMode        os.FileMode
		want, wantRead string
	}{
		{"read-only file", 0o444, 0o777, ErrReadOnly.Error(), "ok"},
		{"read-only folder", 0o666, 0o555, ErrReadOnly.Error(), "ok"},
		{"read-only file and folder", 0o444, 0o555, ErrReadOnly.Error(), "ok"},
		{"unreadable file", 0o000, 0o777, ErrUnreadable.Error(), ErrUnreadable.Error()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			dir := filepath.Join(root, "books")
			if err := os.Mkdir(dir, 0o700); err != nil {
				t.Fatal(err)
			}
			path, _ := goodBook(t, dir)
			// The folders on the way must let the other user through (t.TempDir's are 0700).
			for _, d := range []string{filepath.Dir(root), root} {
				if err := os.Chmod(d, 0o755); err != nil {
					t.Fatal(err)
				}
			}
			if err := os.Chmod(path, tc.fileMode); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(dir, tc.dirMode); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { os.Chmod(dir, 0o700) })
			before := snapshotTree(t, dir)

			if got := openAs(t, path, false); got != tc.want {
				t.Errorf("Open: %s, want %s", got, tc.want)
			}
			sameFiles(t, before, snapshotTree(t, dir))
			if got := openAs(t, path, true); got != tc.wantRead {
				t.Errorf("OpenReadOnly: %s, want %s", got, tc.wantRead)
			}
			sameFiles(t, before, snapshotTree(t, dir))
		})
	}

	// A new book in a folder that cannot be created.
	t.Run("unwritable parent", func(t *testing.T) {
		root := t.TempDir()
		if err := os.Chmod(root, 0o555); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(filepath.Dir(root), 0o755); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(root, 0o700) })
		path := filepath.Join(root, "new", "book.db")
		if got := openAs(t, path, false); got != ErrReadOnly.Error() {
			t.Errorf("Open: %s, want %s", got, ErrReadOnly)
		}
		if got := openAs(t, path, true); got != ErrNoBook.Error() {
			t.Errorf("OpenReadOnly: %s, want %s", got, ErrNoBook)
		}
		if _, err := os.Stat(filepath.Dir(path)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("folder created: %v", err)
		}
	})
}

// TestDiskFullLeavesBookAsItWas fills the book to its size limit (PRAGMA max_page_count, as a
// full disk does): the write that does not fit fails with ErrDiskFull and leaves no trace, the
// ones before it are all there, and the book is sound.
func TestDiskFullLeavesBookAsItWas(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "book.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.db.SetMaxOpenConns(1) // max_page_count belongs to the connection
	var pages int
	if err := s.db.QueryRowContext(ctx, "PRAGMA page_count").Scan(&pages); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.ExecContext(ctx, fmt.Sprintf("PRAGMA max_page_count = %d", pages+8)); err != nil {
		t.Fatal(err)
	}
	var saved []int64
	var full error
	for i := 0; i < 200 && full == nil; i++ {
		c := card()
		c.Notes = strings.Repeat(fmt.Sprintf("第%d位顾客的备注。", i), 100)
		if err := s.SaveCustomer(ctx, c); err != nil {
			full = err
			break
		}
		saved = append(saved, c.ID)
	}
	if full == nil {
		t.Fatal("the book never filled up")
	}
	if Cause(full) != ErrDiskFull {
		t.Fatalf("write on a full book = %v (cause %v), want ErrDiskFull", full, Cause(full))
	}
	if len(saved) == 0 {
		t.Fatal("nothing fitted")
	}
	var n int
	if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM customers").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != len(saved) {
		t.Errorf("%d customers in the book, %d saved", n, len(saved))
	}
	for _, id := range saved {
		if _, err := s.Customer(ctx, id); err != nil {
			t.Errorf("customer %d: %v", id, err)
		}
	}
	var ok string
	if err := s.db.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&ok); err != nil || ok != "ok" {
		t.Errorf("integrity_check: %q, %v", ok, err)
	}
}
