package csvfile

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"carebook/crm"
)

// TestReadHostileFiles: files made to hurt — one line of 100 MB, a binary file named .csv, a
// field longer than an Excel cell, more fields than Excel has columns — are refused with the
// file's name and a translated key, no rows, within bounded memory.
func TestReadHostileFiles(t *testing.T) {
	var zipped bytes.Buffer
	z := zip.NewWriter(&zipped)
	w, _ := z.Create("xl/worksheets/sheet1.xml")
	_, _ = w.Write([]byte(strings.Repeat("<row/>", 1000)))
	_ = z.Close()
	png := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), bytes.Repeat([]byte{0, 1, 2, 0xff}, 4096)...)

	for _, c := range []struct {
		name     string
		write    func(p string) error
		key      string
		maxAlloc uint64
	}{
		{"one-line.csv", func(p string) error { // 100 MB with no line break
			f, err := os.Create(p)
			if err != nil {
				return err
			}
			chunk := bytes.Repeat([]byte("张三,"), (1<<20)/7)
			for n := 0; n < 100<<20; n += len(chunk) {
				if _, err := f.Write(chunk); err != nil {
					return err
				}
			}
			return f.Close()
		}, "import.err_too_big", 200 << 20},
		{"workbook.csv", func(p string) error { return os.WriteFile(p, zipped.Bytes(), 0o644) }, "import.err_bad_text", 16 << 20},
		{"picture.csv", func(p string) error { return os.WriteFile(p, png, 0o644) }, "import.err_bad_text", 16 << 20},
		{"huge-field.csv", func(p string) error {
			return os.WriteFile(p, []byte("姓名,备注\n张三,"+strings.Repeat("长", 40000)+"\n"), 0o644)
		}, "import.err_too_big", 16 << 20},
		{"wide.csv", func(p string) error {
			return os.WriteFile(p, []byte("姓名"+strings.Repeat(",x", 20000)+"\n张三\n"), 0o644)
		}, "import.err_too_big", 16 << 20},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), c.name)
			if err := c.write(p); err != nil {
				t.Fatal(err)
			}
			var tb crm.ImportTable
			var err error
			var a, b runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&a)
			tb, err = Read(context.Background(), p)
			runtime.ReadMemStats(&b)
			var fe *crm.ImportFileError
			if !errors.As(err, &fe) || fe.Key != c.key || fe.Args["File"] != c.name || len(tb.Rows) != 0 {
				t.Fatalf("%d rows, error %v; want %s", len(tb.Rows), err, c.key)
			}
			if n := b.TotalAlloc - a.TotalAlloc; n > c.maxAlloc {
				t.Errorf("allocated %d MB, want at most %d MB", n>>20, c.maxAlloc>>20)
			} else {
				t.Logf("%s: %v (allocated %d MB)", c.key, fe.Err, n>>20)
			}
		})
	}
}

// TestReadLongLinesWithin: a line of a cell as long as Excel allows, in Chinese, is read, and
// UTF-16 text (full of NUL bytes) is still text.
func TestReadLongLinesWithin(t *testing.T) {
	long := strings.Repeat("长", 32767)
	tb, err := Read(context.Background(), write(t, "ok.csv", []byte("姓名,备注\n张三,"+long+"\n")))
	if err != nil || len(tb.Rows) != 1 || tb.Rows[0].Cells[1].Text != long {
		t.Fatalf("%d rows, %v", len(tb.Rows), err)
	}
	u16 := []byte{0xFF, 0xFE}
	for _, r := range "姓名,手机\n张三,13812345678\n" {
		u16 = append(u16, byte(r), byte(r>>8))
	}
	tb, err = Read(context.Background(), write(t, "u16.csv", u16))
	if err != nil || len(tb.Rows) != 1 || tb.Rows[0].Cells[0].Text != "张三" {
		t.Fatalf("utf-16: %+v, %v", tb, err)
	}
}
