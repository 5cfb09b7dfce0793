package xlsx

import (
	"archive/zip"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/xuri/excelize/v2"

	"carebook/crm"
)

// messyWorkbook writes a customer list as people keep it in Excel: a title row, a blank row,
// the headers, a phone typed as a number, a code with leading zeros kept as text, a real date
// cell, blank rows between the data, trailing empty cells, and a second sheet.
func messyWorkbook(t *testing.T) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sh := "客户"
	if err := f.SetSheetName("Sheet1", sh); err != nil {
		t.Fatal(err)
	}
	date, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		t.Fatal(err)
	}
	set := func(cell string, v any) {
		t.Helper()
		if err := f.SetCellValue(sh, cell, v); err != nil {
			t.Fatal(err)
		}
	}
	set("A1", "2026年客户名单")
	if err := f.MergeCell(sh, "A1", "E1"); err != nil {
		t.Fatal(err)
	}
	set("A3", "编号")
	set("B3", "客户姓名")
	set("C3", "手机号")
	set("D3", "出生日期")
	set("E3", "消费金额")
	set("A4", "000123")
	set("B4", "张三")
	set("C4", 13812345678)
	set("D4", 33727) // 1992-05-03
	if err := f.SetCellStyle(sh, "D4", "D4", date); err != nil {
		t.Fatal(err)
	}
	set("E4", 199.5)
	set("B6", "李四")
	set("C6", "139 1234 5678")
	set("D6", "农历八月十五")
	set("F6", "") // a trailing empty cell
	if _, err := f.NewSheet("说明"); err != nil {
		t.Fatal(err)
	}
	if err := f.SetCellValue("说明", "A1", "请勿修改表头"); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "客户名单.xlsx")
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestReadMessyWorkbook(t *testing.T) {
	ts, err := Read(context.Background(), messyWorkbook(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(ts) != 2 || ts[0].Sheet != "客户" || ts[1].Sheet != "说明" || ts[0].File != "客户名单.xlsx" {
		t.Fatalf("tables %+v", ts)
	}
	tb := ts[0]
	// The reader takes the first non-blank row as the header; the importer looks further
	// (imports.FindHeader).
	if tb.HeaderLine != 1 || len(tb.Header) != 1 || tb.Header[0] != "2026年客户名单" {
		t.Fatalf("header line %d %q", tb.HeaderLine, tb.Header)
	}
	if len(tb.Rows) != 3 {
		t.Fatalf("rows %+v", tb.Rows)
	}
	hdr, zhang, li := tb.Rows[0], tb.Rows[1], tb.Rows[2]
	if hdr.Line != 3 || zhang.Line != 4 || li.Line != 6 {
		t.Errorf("lines %d %d %d", hdr.Line, zhang.Line, li.Line)
	}
	want := []crm.ImportCell{
		{Text: "000123"},
		{Text: "张三"},
		{Text: "13812345678", Number: 13812345678, Kind: crm.CellNumber},
		{Text: "33727", Number: 33727, Kind: crm.CellNumber},
		{Text: "199.5", Number: 199.5, Kind: crm.CellNumber},
	}
	if len(zhang.Cells) != len(want) {
		t.Fatalf("cells %+v", zhang.Cells)
	}
	for i := range want {
		if zhang.Cells[i] != want[i] {
			t.Errorf("cell %d = %+v, want %+v", i, zhang.Cells[i], want[i])
		}
	}
	if len(li.Cells) != 4 || li.Cells[0].Text != "" || li.Cells[3].Text != "农历八月十五" {
		t.Errorf("李四 %+v", li.Cells)
	}
	if len(ts[1].Rows) != 0 || ts[1].Header[0] != "请勿修改表头" {
		t.Errorf("second sheet %+v", ts[1])
	}
}

func TestReadProgress(t *testing.T) {
	var last, total int64
	_, err := Read(context.Background(), messyWorkbook(t), func(d, n int64) { last, total = d, n })
	if err != nil || last == 0 || last != total {
		t.Fatalf("progress %d/%d, %v", last, total, err)
	}
}

// TestReadBrokenFiles: a file that is not a whole workbook is refused with a message that says
// so, never a panic or a half table.
func TestReadBrokenFiles(t *testing.T) {
	dir := t.TempDir()
	good, err := os.ReadFile(messyWorkbook(t))
	if err != nil {
		t.Fatal(err)
	}
	noWorkbook := filepath.Join(dir, "zip.xlsx")
	{
		f, err := os.Create(noWorkbook)
		if err != nil {
			t.Fatal(err)
		}
		z := zip.NewWriter(f)
		w, _ := z.Create("hello.txt")
		_, _ = w.Write([]byte("not a workbook"))
		_ = z.Close()
		_ = f.Close()
	}
	for _, c := range []struct {
		name string
		data []byte // nil: not written
		key  string
	}{
		{"empty.xlsx", []byte{}, "import.err_not_xlsx"},
		{"truncated.xlsx", good[:len(good)/2], "import.err_not_xlsx"},
		{"broken-zip.xlsx", append([]byte("PK\x03\x04"), make([]byte, 100)...), "import.err_not_xlsx"},
		{"text.xlsx", []byte("姓名,手机\n张三,13812345678\n"), "import.err_not_xlsx"},
		{"zip.xlsx", nil, "import.err_not_xlsx"},
		{"missing.xlsx", nil, "import.err_open"},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := filepath.Join(dir, c.name)
			if c.data != nil {
				if err := os.WriteFile(p, c.data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			ts, err := Read(context.Background(), p, nil)
			var fe *crm.ImportFileError
			if !errors.As(err, &fe) || fe.Key != c.key || fe.Args["File"] != c.name || ts != nil {
				t.Fatalf("tables %v, error %v; want %s", ts, err, c.key)
			}
		})
	}
}
