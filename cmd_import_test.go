package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"carebook/assets/i18n"
	"carebook/store"
)

// countCustomers opens the book at db and counts its customers.
func countCustomers(t *testing.T, db string) int {
	t.Helper()
	s, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	n, err := s.CountCustomers(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// A GB18030 CSV saved by Chinese Excel: --dry-run reports and writes nothing; the import writes
// the good rows, says why the bad one is skipped; importing again updates by phone; a broken
// workbook is refused with a translated message and changes nothing.
func TestImportCommand(t *testing.T) {
	i18n.Set(i18n.English)
	dir := t.TempDir()
	db := filepath.Join(dir, "book.db")
	text := "客户姓名,手机号,生日,分组,爱好\r\n张三,13812345678,1990-05-03,老客户;VIP,钓鱼\r\n\r\n" +
		"李四,abc123,2月30日,,\r\n王五,139 1234 5678,农历八月十五,新客,\r\n"
	gb, err := simplifiedchinese.GB18030.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	list := filepath.Join(dir, "客户.csv")
	if err := os.WriteFile(list, []byte(gb), 0o644); err != nil {
		t.Fatal(err)
	}

	out, _, err := runCLI(t, "import", "--db", db, "--dry-run", list)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"row 4", "2月30日", "abc123", "Dry run", "2 would be created"} {
		if !strings.Contains(out, want) {
			t.Errorf("dry run output lacks %q:\n%s", want, out)
		}
	}
	if n := countCustomers(t, db); n != 0 {
		t.Fatalf("dry run wrote %d customers", n)
	}

	out, _, err = runCLI(t, "import", "--db", db, list)
	if err != nil || !strings.Contains(out, "2 created, 0 updated, 1 rows skipped") {
		t.Fatalf("import: %v\n%s", err, out)
	}
	s, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Search(context.Background(), store.Query{Text: "王五"})
	s.Close()
	if err != nil || len(got) != 1 {
		t.Fatalf("search 王五: %v %v", got, err)
	}

	out, _, err = runCLI(t, "import", "--db", db, list)
	if err != nil || !strings.Contains(out, "0 created, 2 updated") {
		t.Fatalf("import again: %v\n%s", err, out)
	}

	bad := filepath.Join(dir, "broken.xlsx")
	if err := os.WriteFile(bad, []byte("PK\x03\x04 not really a zip"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err = runCLI(t, "import", "--db", db, bad)
	if err == nil || !strings.Contains(err.Error(), "not an Excel workbook") {
		t.Fatalf("broken workbook: %v", err)
	}
	if n := countCustomers(t, db); n != 2 {
		t.Fatalf("%d customers after a broken file, want 2", n)
	}

	// Several files at once: phone contacts (vCard 2.1) beside the list; 张三 is in both.
	vcf := filepath.Join("store", "vcard", "testdata", "android21.vcf")
	out, _, err = runCLI(t, "import", "--db", db, list, vcf)
	if err != nil || !strings.Contains(out, "android21.vcf: customers") {
		t.Fatalf("import with contacts: %v\n%s", err, out)
	}
	if n := countCustomers(t, db); n <= 2 {
		t.Fatalf("%d customers after the contacts, want more than 2:\n%s", n, out)
	}
}
