package ui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"carebook/assets/i18n"
	"carebook/store"
)

// newRecoveryTest makes a book at dir/carebook.db with one customer and its daily backup, then
// overwrites the book with junk; it returns the recovery window on it.
func newRecoveryTest(t *testing.T) (*recoveryWindow, string) {
	t.Helper()
	a := test.NewApp()
	t.Cleanup(func() { a.Quit() })
	i18n.Set(i18n.ZhHans)
	t.Cleanup(func() { i18n.Set(i18n.English) })

	path := filepath.Join(t.TempDir(), "carebook.db")
	b, err := openStore(path)
	if err != nil {
		t.Fatal(err)
	}
	addNamed(t, b, "张三")
	if _, _, err := b.(*store.Store).DailyBackup(context.Background(), testNow); err != nil {
		t.Fatal(err)
	}
	b.(*store.Store).Close()
	if err := os.WriteFile(path, []byte("这不是数据库"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = openStore(path)
	if err == nil {
		t.Fatal("a junk book opened")
	}
	r := newRecoveryWindow(a, path, err, Options{Version: "test", Backups: storeBackups(), Now: func() time.Time { return testNow }, manual: true,
		OpenBook: openStore, Close: func(b Book) { _ = b.(*store.Store).Close() }})
	t.Cleanup(func() {
		if r.main != nil {
			_ = r.main.book.(*store.Store).Close()
		}
	})
	return r, path
}

// The book is not a Carebook book: the window says so and lists the backup beside it; restoring
// it (after a confirmation) opens the main window on the restored book, the junk kept aside.
func TestRecoveryRestoresABackup(t *testing.T) {
	r, path := newRecoveryTest(t)
	if !strings.Contains(r.reason.Text, path) || !strings.Contains(r.reason.Text, "不是顾客维护本的顾客本文件") {
		t.Errorf("reason = %q", r.reason.Text)
	}
	// Restoring from a file kept elsewhere: a bad one is refused, nothing is asked.
	text := filepath.Join(t.TempDir(), "名单.csv")
	os.WriteFile(text, []byte("姓名\n"), 0o600)
	r.askRestore(text)
	if r.confirm != nil || !strings.Contains(r.errLabel.Text, "恢复失败") {
		t.Errorf("restore a text file: %q", r.errLabel.Text)
	}
	if len(r.files) != 1 || filepath.Base(r.files[0].Path) != "carebook-2026-11-22.db" || r.noFiles.Visible() {
		t.Fatalf("backups = %v", r.files)
	}
	if !r.restore.Disabled() {
		t.Error("restore enabled before a backup is chosen")
	}
	r.list.Select(0)
	test.Tap(r.restore)
	if r.confirm == nil {
		t.Fatal("no confirmation asked")
	}
	r.confirm.Confirm()
	if r.main == nil {
		t.Fatalf("no main window; error %q", r.errLabel.Text)
	}
	r.main.Wait()
	if r.main.book.Path() != path {
		t.Errorf("main window on %s", r.main.book.Path())
	}
	if got := customerNames(t, r.main.book); len(got) != 1 || got[0] != "张三" {
		t.Errorf("customers = %v", got)
	}
	kept, _ := filepath.Glob(filepath.Join(filepath.Dir(path), "backups", "carebook-before-restore-*.db"))
	if len(kept) != 1 {
		t.Fatalf("kept = %v", kept)
	}
	if b, _ := os.ReadFile(kept[0]); string(b) != "这不是数据库" {
		t.Errorf("kept %q", b)
	}
}

// Opening another book: a bad one is refused with its reason, a good one opens the main window.
func TestRecoveryOpensAnotherBook(t *testing.T) {
	r, path := newRecoveryTest(t)
	r.openPath(path)
	if r.main != nil || !strings.Contains(r.errLabel.Text, "无法打开") {
		t.Fatalf("opening the junk again: %q", r.errLabel.Text)
	}
	other := filepath.Join(t.TempDir(), "另一个.db")
	r.openPath(other)
	if r.main == nil {
		t.Fatalf("no main window: %q", r.errLabel.Text)
	}
	if r.main.book.Path() != other || r.app.Preferences().String(prefBook) != other {
		t.Errorf("opened %s, remembered %s", r.main.book.Path(), r.app.Preferences().String(prefBook))
	}
}

// No backups beside the book: the window says so, and quitting is offered.
func TestRecoveryWithoutBackups(t *testing.T) {
	r, path := newRecoveryTest(t)
	if err := os.RemoveAll(filepath.Join(filepath.Dir(path), "backups")); err != nil {
		t.Fatal(err)
	}
	r.loadBackups()
	if len(r.files) != 0 || !r.noFiles.Visible() || r.noFiles.Text != "旁边没有找到备份。" {
		t.Errorf("files %v, note %q", r.files, r.noFiles.Text)
	}
	if r.quit.Text != "退出" {
		t.Errorf("quit = %q", r.quit.Text)
	}
}
