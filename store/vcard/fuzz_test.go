package vcard

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"

	"carebook/crm"
)

// Whatever the bytes, Parse returns a table or an ImportFileError and never panics; a table
// with rows has the full header, its rows in file order with at most a cell per column, every
// cell valid UTF-8 and within the limit.
func FuzzParse(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.vcf"))
	if err != nil || len(files) == 0 {
		f.Fatalf("fixtures: %v", err)
	}
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{
		"",
		"BEGIN:VCARD\nEND:VCARD\n",
		"BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E5=BC=A0;=E4=B8=89;;;\r\nFN;ENCODING=QUOTED-PRINTABLE:=E5=BC=\r\n=A0=\r\nEND:VCARD",
		"BEGIN:VCARD\nNOTE;QUOTED-PRINTABLE:a= \n b=\n\nTEL:1\n",
		"BEGIN:VCARD\nVERSION:3.0\nNOTE:a\\,b\\;c\\nd\\\\\nFN:x\\\nEND:VCARD\n",
		"BEGIN:VCARD\nPHOTO;BASE64:\nAAAA\n\nFN:A\nBEGIN:VCARD\nFN:B",
		"begin:vcard\rfn;charset=gbk:\xcd\xf5\xce\xe5\rbday:--0503\rend:vcard\r",
		"BEGIN:VCARD\nFN:\xd6\xa3\xce\xb0\nN:\xff;\xfe\nEND:VCARD\n",
		"BEGIN:VCARD\nADR;LABEL=\"a:b;c\";TYPE=\"x,y\":;;s;l;r;p;c\nORG:;;\nEND:VCARD\n",
		"BEGIN:VCARD\nTEL;VALUE=uri:tel:+1-555;ext=;ext=9\nBDAY;X-APPLE-OMIT-YEAR=1604:1604-02-30\nEND:VCARD\n",
		"BEGIN:VCARD\nNOTE;ENCODING=b:5Zac5qyi\nEMAIL;CHARSET=big5;ENCODING=QUOTED-PRINTABLE:=B3=AF\nEND:VCARD\n",
		"\xff\xfeB\x00E\x00G\x00I\x00N\x00:\x00V\x00C\x00A\x00R\x00D\x00\n\x00",
		"\xef\xbb\xbfBEGIN:VCARD\n\x00\x01FN:\x1b[31m\nEND:VCARD",
		"FN:no card\n",
		"BEGIN:VCARD\nitem1.:x\n.TEL:1\n;:\n:\n\"\nEND:VCARD\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		tb, err := Parse(context.Background(), "f.vcf", b)
		if err != nil {
			var fe *crm.ImportFileError
			if !errors.As(err, &fe) || fe.File != "f.vcf" || fe.Err == nil {
				t.Fatalf("error %v is not an ImportFileError", err)
			}
			return
		}
		if len(tb.Rows) == 0 {
			if tb.Header != nil {
				t.Fatalf("header %q with no rows", tb.Header)
			}
			return
		}
		if len(tb.Header) != numCols {
			t.Fatalf("header %q", tb.Header)
		}
		last := 0
		for _, r := range tb.Rows {
			if r.Line <= last || len(r.Cells) > len(tb.Header) {
				t.Fatalf("row %+v after line %d", r, last)
			}
			last = r.Line
			for _, c := range r.Cells {
				if c.Kind != crm.CellText || !utf8.ValidString(c.Text) || utf8.RuneCountInString(c.Text) > maxValue {
					t.Fatalf("row %d: cell %+v", r.Line, c)
				}
			}
		}
	})
}
