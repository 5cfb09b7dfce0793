package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"carebook/assets/i18n"
	"carebook/crm"
	"carebook/store"
)

// addCustomer saves a customer named name into the book at db.
func addCustomer(t *testing.T, db, name string) {
	t.Helper()
	s, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.SaveCustomer(context.Background(), &crm.Customer{Name: name}); err != nil {
		t.Fatal(err)
	}
}

// carebook backup, then a change, then carebook restore: the book is back as it was backed up,
// the output says what was restored and where the previous book is; bad files are refused with
// one translated line and change nothing.
func TestBackupAndRestoreCommands(t *testing.T) {
	i18n.Set(i18n.English)
	dir := t.TempDir()
	db := filepath.Join(dir, "book", "carebook.db")
	addCustomer(t, db, "张三")

	if _, _, err := runCLI(t, "backup", "--db", db); err == nil || !strings.Contains(err.Error(), "-o FILE") {
		t.Fatalf("backup without -o: %v", err)
	}
	if _, _, err := runCLI(t, "backup", "--db", db, "-o", db); err == nil ||
		err.Error() != "Backup failed: A backup cannot be written over the book itself; choose another file." {
		t.Fatalf("backup over the book: %v", err)
	}
	out := filepath.Join(dir, "copy.db")
	stdout, _, err := runCLI(t, "backup", "--db", db, "-o", out)
	if err != nil || !strings.Contains(stdout, "Backed up") || !strings.Contains(stdout, out) {
		t.Fatalf("backup: %v %q", err, stdout)
	}
	addCustomer(t, db, "李四")
	if n := countCustomers(t, db); n != 2 {
		t.Fatalf("customers before restore = %d", n)
	}

	if _, _, err := runCLI(t, "restore", "--db", db); err == nil || !strings.Contains(err.Error(), "needs one FILE") {
		t.Fatalf("restore without a file: %v", err)
	}
	text := filepath.Join(dir, "list.csv")
	os.WriteFile(text, []byte("name\n张三\n"), 0o600)
	if _, _, err := runCLI(t, "restore", text, "--db", db); err == nil ||
		err.Error() != "Restore failed: "+text+" is not a Carebook customer book." {
		t.Fatalf("restore a text file: %v", err)
	}
	if _, _, err := runCLI(t, "restore", filepath.Join(dir, "none.db"), "--db", db); err == nil ||
		!strings.Contains(err.Error(), "does not exist") {
		t.Fatalf("restore a missing file: %v", err)
	}
	if n := countCustomers(t, db); n != 2 {
		t.Fatalf("a refused restore changed the book: %d customers", n)
	}

	stdout, _, err = runCLI(t, "restore", out, "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout, "Restored "+out+" (1 customers, 0 contact records)") ||
		!strings.Contains(stdout, "The previous book was kept as "+filepath.Join(dir, "book", "backups", "carebook-before-restore-")) {
		t.Errorf("restore said %q", stdout)
	}
	if n := countCustomers(t, db); n != 1 {
		t.Errorf("customers after restore = %d, want 1", n)
	}
	kept, _ := filepath.Glob(filepath.Join(dir, "book", "backups", "carebook-before-restore-*.db"))
	if len(kept) != 1 || countCustomers(t, kept[0]) != 2 {
		t.Errorf("kept books = %v", kept)
	}

	// In Chinese too.
	i18n.Set(i18n.ZhHans)
	defer i18n.Set(i18n.English)
	if _, _, err := runCLI(t, "restore", text, "--db", db); err == nil || !strings.Contains(err.Error(), "不是顾客维护本") {
		t.Fatalf("restore in Chinese: %v", err)
	}
	if stdout, _, _ := runCLI(t, "help"); !strings.Contains(stdout, "restore") {
		t.Errorf("help lacks restore: %q", stdout)
	}
}

// A book open in another Carebook is not replaced under it, but can be backed up.
func TestRestoreRefusesAnOpenBook(t *testing.T) {
	i18n.Set(i18n.English)
	dir := t.TempDir()
	db := filepath.Join(dir, "carebook.db")
	addCustomer(t, db, "张三")
	out := filepath.Join(dir, "copy.db")
	if _, _, err := runCLI(t, "backup", "--db", db, "-o", out); err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, _, err := runCLI(t, "restore", out, "--db", db); err == nil || !strings.Contains(err.Error(), "already open in another Carebook") {
		t.Fatalf("restore of an open book: %v", err)
	}
	// A backup can be made while the book is open.
	if _, _, err := runCLI(t, "backup", "--db", db, "-o", filepath.Join(dir, "while-open.db")); err != nil {
		t.Fatalf("backup of an open book: %v", err)
	}
	if n := countWhileOpen(t, s); n != 1 {
		t.Errorf("customers = %d", n)
	}
	if kept, _ := filepath.Glob(filepath.Join(dir, "backups", "*")); len(kept) != 0 {
		t.Errorf("a refused restore kept %v", kept)
	}
}

func countWhileOpen(t *testing.T, s *store.Store) int {
	t.Helper()
	n, err := s.CountCustomers(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// Backing up a book that does not exist says so and writes nothing.
func TestBackupOfMissingBook(t *testing.T) {
	i18n.Set(i18n.English)
	dir := t.TempDir()
	out := filepath.Join(dir, "copy.db")
	_, _, err := runCLI(t, "backup", "--db", filepath.Join(dir, "none.db"), "-o", out)
	if err == nil || !strings.Contains(err.Error(), "There is no customer book") {
		t.Fatalf("backup of a missing book: %v", err)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a copy was written")
	}
}
