package csvfile

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"

	"carebook/crm"
)

func write(t *testing.T, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func texts(r crm.ImportRow) []string {
	var out []string
	for _, c := range r.Cells {
		out = append(out, c.Text)
	}
	return out
}

func TestRead(t *testing.T) {
	gb, _ := simplifiedchinese.GB18030.NewEncoder().String("姓名,手机\n张三,13812345678\n")
	u16, _ := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String("姓名\t手机\r\n张三\t13812345678\r\n")
	want := []string{"张三", "13812345678"}
	for _, c := range []struct {
		name string
		data string
		line int // of the data row
		row  []string
	}{
		{"utf-8", "姓名,手机\n张三,13812345678\n", 2, want},
		{"utf-8 with BOM", "\xef\xbb\xbf姓名,手机\r\n张三,13812345678\r\n", 2, want},
		{"gb18030", gb, 2, want},
		{"utf-16 with BOM, tabs", u16, 2, want},
		{"semicolons", "姓名;手机\n张三;13812345678\n", 2, want},
		{"blank lines and trailing empty cells", "\n\n姓名,手机,\n\n张三,13812345678,,\n", 5, want},
		{"quoted newline and quotes", "姓名,备注\n\"张\"\"三\",\"第一行\n第二行\"\n", 2, []string{`张"三`, "第一行\n第二行"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			tb, err := Read(context.Background(), write(t, "list.csv", []byte(c.data)))
			if err != nil {
				t.Fatal(err)
			}
			if len(tb.Rows) != 1 || tb.Rows[0].Line != c.line || !reflect.DeepEqual(texts(tb.Rows[0]), c.row) {
				t.Fatalf("header %q rows %+v", tb.Header, tb.Rows)
			}
			if tb.Header[0] != "姓名" || tb.File != "list.csv" {
				t.Fatalf("header %q file %q", tb.Header, tb.File)
			}
		})
	}
}

func TestReadEmptyAndMissing(t *testing.T) {
	tb, err := Read(context.Background(), write(t, "empty.csv", nil))
	if err != nil || tb.Header != nil || len(tb.Rows) != 0 {
		t.Fatalf("empty file: %+v %v", tb, err)
	}
	_, err = Read(context.Background(), filepath.Join(t.TempDir(), "nope.csv"))
	var fe *crm.ImportFileError
	if !errors.As(err, &fe) || fe.Key != "import.err_open" {
		t.Fatalf("missing file: %v", err)
	}
}

// Whatever the bytes, Read returns a table or an ImportFileError, and never panics.
func FuzzRead(f *testing.F) {
	for _, s := range []string{"a,b\n1,2\n", "\"a\n", "\xff\xfe\x00", "姓名;手机\n张三;1\n", "\xb0\xa1,\xb0\xa2\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		tb, err := Read(context.Background(), write(t, "f.csv", b))
		var fe *crm.ImportFileError
		if err != nil && !errors.As(err, &fe) {
			t.Fatalf("error %v is not an ImportFileError", err)
		}
		for _, r := range tb.Rows {
			if r.Line < tb.HeaderLine || len(r.Cells) == 0 {
				t.Fatalf("row %+v after header line %d", r, tb.HeaderLine)
			}
		}
	})
}
