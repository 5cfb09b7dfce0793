package ui

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"carebook/assets/i18n"
	"carebook/crm"
	"carebook/store"
)

// storeBackups wires the backup functions to the store, as main does.
func storeBackups() Backups {
	return Backups{
		Dir: store.BackupsDir,
		List: func(dir string) ([]BackupFile, error) {
			fs, err := store.ListBackups(dir)
			out := make([]BackupFile, len(fs))
			for i, f := range fs {
				out[i] = BackupFile{Path: f.Path, Size: f.Size, Modified: f.Modified}
			}
			return out, err
		},
		Backup: func(ctx context.Context, b Book, dst string) error { return b.(*store.Store).Backup(ctx, dst) },
		Daily: func(ctx context.Context, b Book, now time.Time) (string, bool, error) {
			return b.(*store.Store).DailyBackup(ctx, now)
		},
		Validate: func(ctx context.Context, path string) (BackupSummary, error) {
			info, err := store.ValidateBackup(ctx, path)
			return BackupSummary{Customers: info.Customers, Records: info.Records}, err
		},
		Restore: func(ctx context.Context, from, book string) (string, error) {
			_, kept, err := store.Restore(ctx, from, book)
			return kept, err
		},
		Explain: func(err error, path string) string {
			switch {
			case errors.Is(err, store.ErrNotCarebook):
				return i18n.T("backup.err_not_carebook", "Path", path)
			case errors.Is(err, store.ErrBackupOverBook):
				return i18n.T("backup.err_over_book")
			}
			return err.Error()
		},
	}
}

// openStore opens (creating) the book at path, as main's OpenBook does.
func openStore(path string) (Book, error) { return store.Open(context.Background(), path) }

// newBackupWindow is newTestWindow with the backups wired and books that can be closed and
// opened (Settings › Database, restore): in language zh-Hans, its book in dir.
func newBackupWindow(t *testing.T, b Backups) (*Window, string) {
	t.Helper()
	a := test.NewApp()
	t.Cleanup(func() { a.Quit() })
	i18n.Set(i18n.ZhHans)
	t.Cleanup(func() { i18n.Set(i18n.English) })
	path := filepath.Join(t.TempDir(), "carebook.db")
	book, err := openStore(path)
	if err != nil {
		t.Fatal(err)
	}
	w := NewWindow(a, Options{Book: book, Version: "test", Now: func() time.Time { return testNow }, manual: true,
		Backups: b, OpenBook: openStore, Close: func(b Book) { _ = b.(*store.Store).Close() }})
	t.Cleanup(func() { _ = w.book.(*store.Store).Close() })
	w.Window().Resize(fyne.NewSize(1180, 760))
	w.Wait()
	return w, path
}

func addNamed(t *testing.T, b Book, name string) {
	t.Helper()
	if err := b.SaveCustomer(context.Background(), &crm.Customer{Name: name}); err != nil {
		t.Fatal(err)
	}
}

func customerNames(t *testing.T, b Book) []string {
	t.Helper()
	res, err := b.SearchList(context.Background(), crm.CustomerQuery{})
	if err != nil {
		t.Fatal(err)
	}
	return summaryNames(res.All())
}

// Settings › Backups: the day's automatic backup is made at start and listed; "back up now"
// writes a copy, and refuses the book itself; restoring asks first, saying what it holds, then
// the window runs on the restored book and says where the previous one was kept.
func TestSettingsBackupSection(t *testing.T) {
	w, path := newBackupWindow(t, storeBackups())
	sec := w.settings.backup
	dir := filepath.Join(filepath.Dir(path), "backups")
	if !strings.Contains(sec.folder.Text, dir) {
		t.Errorf("folder = %q", sec.folder.Text)
	}
	if !sec.daily.Visible() || !strings.Contains(sec.daily.Text, "今天的自动备份已完成") ||
		!strings.Contains(sec.daily.Text, "carebook-2026-11-22.db") {
		t.Errorf("daily = %q", sec.daily.Text)
	}
	if len(sec.files) != 1 || filepath.Base(sec.files[0].Path) != "carebook-2026-11-22.db" {
		t.Fatalf("listed %v", sec.files)
	}
	if row := backupRow(sec.files[0]); !strings.Contains(row, "carebook-2026-11-22.db") || !strings.Contains(row, "KB") {
		t.Errorf("row = %q", row)
	}

	// Nothing chosen: restoring says to choose.
	test.Tap(sec.restoreSelected)
	if !sec.errLabel.Visible() || sec.errLabel.Text != "请先在列表中选一份备份。" {
		t.Errorf("restore with nothing chosen: %q", sec.errLabel.Text)
	}

	addNamed(t, w.book, "张三")
	manual := filepath.Join(t.TempDir(), "手动备份.db")
	sec.backupTo(manual)
	w.Wait()
	if sec.errLabel.Visible() || !strings.Contains(sec.status.Text, "已备份到 "+manual) {
		t.Fatalf("backup now: %q / %q", sec.status.Text, sec.errLabel.Text)
	}
	sec.backupTo(path)
	w.Wait()
	if sec.errLabel.Text != "备份失败：备份不能覆盖正在使用的顾客本，请换一个文件。" {
		t.Errorf("backup over the book: %q", sec.errLabel.Text)
	}

	// A file that is not a book is refused before anything is asked.
	text := filepath.Join(t.TempDir(), "名单.csv")
	os.WriteFile(text, []byte("姓名\n张三\n"), 0o600)
	sec.askRestore(text)
	w.Wait()
	if sec.confirm != nil || !strings.Contains(sec.errLabel.Text, "恢复失败") || !strings.Contains(sec.errLabel.Text, "不是顾客维护本") {
		t.Fatalf("restore a text file: %q", sec.errLabel.Text)
	}

	addNamed(t, w.book, "李四")
	sec.askRestore(manual)
	w.Wait()
	if sec.confirm == nil {
		t.Fatal("no confirmation asked")
	}
	// Cancelling changes nothing.
	sec.confirm.Dismiss()
	w.Wait()
	if got := customerNames(t, w.book); len(got) != 2 {
		t.Fatalf("after cancel: %v", got)
	}
	sec.askRestore(manual)
	w.Wait()
	sec.confirm.Confirm()
	w.Wait()

	if got := customerNames(t, w.book); len(got) != 1 || got[0] != "张三" {
		t.Fatalf("after restore the window shows %v", got)
	}
	if w.book.Path() != path {
		t.Errorf("book = %s, want %s", w.book.Path(), path)
	}
	sec = w.settings.backup
	if !strings.Contains(sec.status.Text, "已恢复 "+manual) || !strings.Contains(sec.status.Text, filepath.Join(dir, "carebook-before-restore-")) {
		t.Errorf("status = %q", sec.status.Text)
	}
	kept, _ := filepath.Glob(filepath.Join(dir, "carebook-before-restore-*.db"))
	if len(kept) != 1 {
		t.Fatalf("kept = %v", kept)
	}
	// The restored book takes new cards; the list shows the kept book too.
	addNamed(t, w.book, "王五")
	if len(sec.files) != 2 {
		t.Errorf("listed %d backups after restore", len(sec.files))
	}
}

// A failed automatic backup is said softly in Settings; the window works on.
func TestSettingsBackupDailyFailureIsSoft(t *testing.T) {
	b := storeBackups()
	b.Daily = func(context.Context, Book, time.Time) (string, bool, error) {
		return "", false, errors.New("磁盘已满")
	}
	w, _ := newBackupWindow(t, b)
	sec := w.settings.backup
	if !sec.daily.Visible() || sec.daily.Text != "今天的自动备份没有成功：磁盘已满" {
		t.Errorf("daily = %q", sec.daily.Text)
	}
	if len(sec.files) != 0 || sec.backupNow.Disabled() {
		t.Errorf("files %v, back up now disabled %v", sec.files, sec.backupNow.Disabled())
	}
}
