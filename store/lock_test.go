package store

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestLockRefusesSecondWriter(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "book.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	c := card()
	if err := s.SaveCustomer(ctx, c); err != nil {
		t.Fatal(err)
	}

	// A second writer, through other paths naming the same file too.
	paths := []string{path, filepath.Join(filepath.Dir(path), ".", "book.db")}
	link := filepath.Join(t.TempDir(), "link")
	if err := os.Symlink(filepath.Dir(path), link); err == nil {
		paths = append(paths, filepath.Join(link, "book.db"))
	}
	for _, p := range paths {
		if s2, err := Open(ctx, p); !errors.Is(err, ErrLocked) || Cause(err) != ErrLocked {
			if s2 != nil {
				s2.Close()
			}
			t.Fatalf("second Open(%s) = %v, want ErrLocked", p, err)
		}
	}

	// A reader is not refused, and sees what the writer saved.
	r, err := OpenReadOnly(ctx, path)
	if err != nil {
		t.Fatalf("OpenReadOnly while a writer has the book: %v", err)
	}
	if got, err := r.Customer(ctx, c.ID); err != nil || got.Name != c.Name {
		t.Errorf("reader: %v, %v", got, err)
	}
	// The writer goes on writing while the reader is open.
	c.Remark = "改过"
	if err := s.SaveCustomer(ctx, c); err != nil {
		t.Fatalf("write while a reader is open: %v", err)
	}
	if got, err := r.Customer(ctx, c.ID); err != nil || got.Remark != "改过" {
		t.Errorf("reader after the write: %v, %v", got, err)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(lockPath(path)); err != nil {
		t.Errorf("the reader's Close removed the writer's lock: %v", err)
	}

	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(lockPath(path)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("lock file left after Close: %v", err)
	}
	s, err = Open(ctx, path)
	if err != nil {
		t.Fatalf("Open after the first Close: %v", err)
	}
	if got, err := s.Customer(ctx, c.ID); err != nil || got.Remark != "改过" {
		t.Errorf("after reopening: %v, %v", got, err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestLockReleasedWhenOpenFails(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "book.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	// A migration that fails: Open gives up, and must not keep the lock.
	migs := testMigrations(t, "CREATE TABLE broken (;")
	if _, err := open(ctx, path, migs); err == nil {
		t.Fatal("broken migration: no error")
	}
	if _, err := os.Stat(lockPath(path)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("lock file left after a failed Open: %v", err)
	}
	s, err = Open(ctx, path)
	if err != nil {
		t.Fatalf("Open after a failed Open: %v", err)
	}
	s.Close()
}

func TestReadOnlyStoreNeverWrites(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "book.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SaveCustomer(ctx, card()); err != nil {
		t.Fatal(err)
	}
	s.Close()
	before := snapshot(t, dir)

	r, err := OpenReadOnly(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if r.Version() != schemaVersion(t) {
		t.Errorf("Version() = %d", r.Version())
	}
	err = r.SaveCustomer(ctx, card())
	if err == nil || Cause(err) != ErrReadOnly {
		t.Errorf("SaveCustomer on a read-only store = %v, want ErrReadOnly", err)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	sameFiles(t, before, snapshot(t, dir))
}

func TestOpenReadOnlyRefusals(t *testing.T) {
	ctx := context.Background()
	t.Run("missing", func(t *testing.T) {
		dir := t.TempDir()
		for _, p := range []string{filepath.Join(dir, "book.db"), filepath.Join(dir, "no", "such", "book.db")} {
			if _, err := OpenReadOnly(ctx, p); !errors.Is(err, ErrNoBook) {
				t.Errorf("OpenReadOnly(%s) = %v, want ErrNoBook", p, err)
			}
		}
		sameFiles(t, map[string][]byte{}, snapshot(t, dir)) // nothing created
	})
	t.Run("empty file", func(t *testing.T) {
		dir := t.TempDir()
		path := filepath.Join(dir, "book.db")
		if err := os.WriteFile(path, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		before := snapshot(t, dir)
		if _, err := OpenReadOnly(ctx, path); !errors.Is(err, ErrNoBook) {
			t.Errorf("OpenReadOnly = %v, want ErrNoBook", err)
		}
		sameFiles(t, before, snapshot(t, dir))
	})
	t.Run("needs upgrade", func(t *testing.T) {
		dir := t.TempDir()
		path := filepath.Join(dir, "book.db")
		migs := testMigrations(t)
		old, err := open(ctx, path, migs[:len(migs)-1])
		if err != nil {
			t.Fatal(err)
		}
		old.Close()
		before := snapshot(t, dir)
		_, err = OpenReadOnly(ctx, path)
		if !errors.Is(err, ErrNeedsUpgrade) {
			t.Fatalf("OpenReadOnly = %v, want ErrNeedsUpgrade", err)
		}
		if want := fmt.Sprintf("schema %d", len(migs)-1); !strings.Contains(err.Error(), want) {
			t.Errorf("%q does not name %s", err, want)
		}
		sameFiles(t, before, snapshot(t, dir)) // not migrated, no backup taken
	})
	t.Run("newer", func(t *testing.T) {
		dir := t.TempDir()
		path := filepath.Join(dir, "book.db")
		s, err := Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		s.Close()
		rawExec(t, path, "PRAGMA user_version = 99")
		before := snapshot(t, dir)
		var nv *NewerVersionError
		if _, err := OpenReadOnly(ctx, path); !errors.As(err, &nv) || nv.Book != 99 {
			t.Errorf("OpenReadOnly = %v, want *NewerVersionError", err)
		}
		sameFiles(t, before, snapshot(t, dir))
	})
}

// lockHelperEnv names the book TestHelperLock opens, in the child process of
// TestLockOfKilledProcess.
const lockHelperEnv = "CAREBOOK_TEST_LOCK_HELPER"

// TestHelperLock is not a test: run as a child process, it opens the book named by
// CAREBOOK_TEST_LOCK_HELPER, says so on stdout and waits to be killed.
func TestHelperLock(t *testing.T) {
	path := os.Getenv(lockHelperEnv)
	if path == "" {
		t.Skip("helper process only")
	}
	s, err := Open(context.Background(), path)
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(2)
	}
	_ = s
	fmt.Println("open")
	time.Sleep(time.Minute)
	os.Exit(3)
}

func TestLockOfKilledProcess(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "book.db")
	for round := range 2 { // the second round: over the lock file the killed child left
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperLock$")
		cmd.Env = append(os.Environ(), lockHelperEnv+"="+path)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		line, err := bufio.NewReader(out).ReadString('\n')
		if err != nil || line != "open\n" {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("round %d: child said %q, %v", round, line, err)
		}
		if s, err := Open(ctx, path); !errors.Is(err, ErrLocked) {
			if s != nil {
				s.Close()
			}
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("round %d: Open while another process has the book = %v, want ErrLocked", round, err)
		}
		if r, err := OpenReadOnly(ctx, path); err != nil {
			t.Errorf("round %d: OpenReadOnly while another process has the book: %v", round, err)
		} else {
			r.Close()
		}
		if err := cmd.Process.Kill(); err != nil { // SIGKILL: no Close, no clean-up
			t.Fatal(err)
		}
		cmd.Wait()
		if _, err := os.Stat(lockPath(path)); err != nil && round == 0 {
			t.Logf("the killed process left no lock file: %v", err)
		}
	}
	// Both children were killed holding the lock; it does not block.
	done := make(chan error, 1)
	go func() {
		s, err := Open(ctx, path)
		if err == nil {
			err = s.Close()
		}
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Open after the holder was killed: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Open after the holder was killed blocks")
	}
}
