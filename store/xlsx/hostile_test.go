package xlsx

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"carebook/crm"
)

// hostileWorkbook writes name: the small workbook of baseWorkbook with its first sheet's XML
// streamed from sheet (deflated fast: a bomb of hundreds of megabytes is a few megabytes here).
func hostileWorkbook(t *testing.T, name string, sheet func(w io.Writer) error) string {
	t.Helper()
	base := baseWorkbook(t)
	zr, err := zip.NewReader(bytes.NewReader(base), int64(len(base)))
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), name)
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zw := zip.NewWriter(f)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(w, flate.BestSpeed)
	})
	for _, zf := range zr.File {
		w, err := zw.Create(zf.Name)
		if err != nil {
			t.Fatal(err)
		}
		if zf.Name == "xl/worksheets/sheet1.xml" {
			err = sheet(w)
		} else {
			var rc io.ReadCloser
			if rc, err = zf.Open(); err == nil {
				_, err = io.Copy(w, rc)
				rc.Close()
			}
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return p
}

// repeat writes head, then part n times, then tail.
func repeat(head, part, tail string, n int) func(io.Writer) error {
	return func(w io.Writer) error {
		if _, err := io.WriteString(w, head); err != nil {
			return err
		}
		chunk := []byte(strings.Repeat(part, max(1, (1<<20)/max(1, len(part)))))
		per := max(1, len(chunk)/max(1, len(part)))
		for n > 0 && part != "" {
			k := min(n, per)
			if _, err := w.Write(chunk[:k*len(part)]); err != nil {
				return err
			}
			n -= k
		}
		_, err := io.WriteString(w, tail)
		return err
	}
}

// allocated runs f and returns the bytes it allocated (all goroutines: run it alone).
func allocated(f func()) uint64 {
	var a, b runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&a)
	f()
	runtime.ReadMemStats(&b)
	return b.TotalAlloc - a.TotalAlloc
}

// TestReadHostileWorkbooks: workbooks made to hurt — a zip bomb, a cell longer than Excel
// allows, more columns than Excel has, broken XML — are refused with the file's name and a
// translated key, no tables, and the memory they cost stays bounded.
func TestReadHostileWorkbooks(t *testing.T) {
	const sheetHeadXML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`
	const sheetTailXML = `</sheetData></worksheet>`
	wideRow := func(cols int) func(io.Writer) error {
		return func(w io.Writer) error {
			var b strings.Builder
			b.WriteString(sheetHeadXML + `<row r="1">`)
			for c := 1; c <= cols; c++ {
				fmt.Fprintf(&b, `<c r="%s1" t="inlineStr"><is><t>h%d</t></is></c>`, colName(c), c)
			}
			b.WriteString(`</row>` + sheetTailXML)
			_, err := io.WriteString(w, b.String())
			return err
		}
	}
	for _, c := range []struct {
		name     string
		sheet    func(io.Writer) error
		key      string
		maxAlloc uint64 // bytes Read may allocate
	}{
		// 600 MB of empty rows, deflated to some 4 MB: refused by the size the zip declares.
		{"bomb.xlsx", repeat(sheetHeadXML, "<row/>  ", sheetTailXML, 600<<20/8), "import.err_too_big", 64 << 20},
		// A cell of 100,000 characters (Excel's limit is 32,767), inline and shared.
		{"huge-cell.xlsx", repeat(sheetHeadXML+`<row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c></row>`+
			`<row r="2"><c r="A2" t="inlineStr"><is><t>`, "长", `</t></is></c></row>`+sheetTailXML, 100000),
			"import.err_too_big", 64 << 20},
		// 20,000 columns: Excel has 16,384.
		{"wide.xlsx", wideRow(20000), "import.err_too_big", 200 << 20},
		{"truncated-xml.xlsx", repeat(sheetHeadXML+`<row r="1"><c r="A1" t="inlineStr"><is><t>姓`, "", "", 0),
			"import.err_not_xlsx", 64 << 20},
		{"bad-entity.xlsx", repeat(sheetHeadXML+`<row r="1"><c r="A1" t="inlineStr"><is><t>&bomb;&#0;</t></is></c></row>`,
			"", sheetTailXML, 0), "import.err_not_xlsx", 64 << 20},
		{"entity-expansion.xlsx", repeat(`<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">`+
			`<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>`+
			`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`+
			`<row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row>`, "", sheetTailXML, 0),
			"import.err_not_xlsx", 64 << 20},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := hostileWorkbook(t, c.name, c.sheet)
			var ts []crm.ImportTable
			var err error
			n := allocated(func() { ts, err = Read(context.Background(), p, nil) })
			var fe *crm.ImportFileError
			if !errors.As(err, &fe) || fe.Key != c.key || fe.Args["File"] != c.name || ts != nil {
				t.Fatalf("tables %v, error %v; want %s", len(ts), err, c.key)
			}
			if n > c.maxAlloc {
				t.Errorf("allocated %d MB, want at most %d MB", n>>20, c.maxAlloc>>20)
			}
			t.Logf("%s: %v (allocated %d MB)", c.key, fe.Err, n>>20)
		})
	}
}

// colName is the letters of column c (1: A).
func colName(c int) string {
	s := ""
	for ; c > 0; c = (c - 1) / 26 {
		s = string(rune('A'+(c-1)%26)) + s
	}
	return s
}

// FuzzRead: whatever the bytes of a file named .xlsx (seeded with real workbooks, cut and
// patched), Read returns tables or an ImportFileError naming the file — never both, never a
// panic — and the tables it returns hold every row after its header, each cell within Excel's
// limit.
func FuzzRead(f *testing.F) {
	base := baseWorkbook(f)
	f.Add(base)
	f.Add(base[:len(base)/2])
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte("姓名,手机\n张三,13812345678\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		p := filepath.Join(t.TempDir(), "f.xlsx")
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		ts, err := Read(context.Background(), p, nil)
		if err != nil {
			var fe *crm.ImportFileError
			if !errors.As(err, &fe) || fe.File != "f.xlsx" || fe.Args["File"] != "f.xlsx" || fe.Key == "" || ts != nil {
				t.Fatalf("tables %d, error %v: want an ImportFileError alone", len(ts), err)
			}
			return
		}
		for _, tb := range ts {
			if tb.File != "f.xlsx" || tb.HeaderLine == 0 && len(tb.Rows) > 0 {
				t.Fatalf("table %q of %q: header line %d with %d rows", tb.Sheet, tb.File, tb.HeaderLine, len(tb.Rows))
			}
			last := tb.HeaderLine
			for _, r := range tb.Rows {
				if r.Line <= last || len(r.Cells) == 0 || len(r.Cells) > maxReadColumns {
					t.Fatalf("row %d after %d, %d cells", r.Line, last, len(r.Cells))
				}
				last = r.Line
				for _, c := range r.Cells {
					if len([]rune(c.Text)) > maxCellChars {
						t.Fatalf("a cell of %d characters", len([]rune(c.Text)))
					}
				}
			}
		}
	})
}
