// Package csvfile reads a customer list saved as CSV (or tab-separated text) for an import: in
// UTF-8 with or without a BOM, UTF-16 with a BOM (Excel's "Unicode text"), or GB18030 (what
// Chinese Excel and WPS save), the delimiter sniffed among comma, semicolon and tab.
package csvfile

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"

	"carebook/crm"
)

// Limits: a field as long as an Excel cell, as many fields as Excel has columns, a file of at
// most 512 MB.
const (
	maxField  = 32767
	maxFields = 1 << 14
	maxBytes  = 512 << 20
)

// Read reads the file at path into one table: the first non-blank row is the header, the rows
// after it the data (blank rows left out), every cell text. An empty file gives an empty table.
// A file that cannot be read gives a *crm.ImportFileError.
func Read(ctx context.Context, path string) (crm.ImportTable, error) {
	name := filepath.Base(path)
	t := crm.ImportTable{File: name}
	fail := func(key string, err error) error {
		return &crm.ImportFileError{File: name, Key: key, Args: map[string]any{"File": name}, Err: err}
	}
	fi, err := os.Stat(path)
	if err != nil {
		return t, fail("import.err_open", err)
	}
	if fi.Size() > maxBytes {
		return t, fail("import.err_too_big", fmt.Errorf("%d bytes", fi.Size()))
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return t, fail("import.err_open", err)
	}
	if key, err := checkRaw(raw); err != nil {
		return t, fail(key, err)
	}
	text, err := decode(raw)
	if err != nil {
		return t, fail("import.err_bad_text", err)
	}
	return parse(ctx, t, text, fail)
}

// maxLine bounds a line of the file, in bytes: a whole row of customer data is a few kilobytes,
// and a cell of Excel's 32,767 characters some 100 KB. A longer line (a binary file, or a file
// of one huge line) is refused before the CSV reader holds it whole.
const maxLine = 4 << 20

// checkRaw refuses bytes that are no CSV text: a NUL byte outside UTF-16 (a binary file:
// a workbook, a picture, an archive renamed .csv), or a line longer than maxLine. It gives the
// message key with the error.
func checkRaw(raw []byte) (string, error) {
	utf16 := bytes.HasPrefix(raw, []byte{0xFF, 0xFE}) || bytes.HasPrefix(raw, []byte{0xFE, 0xFF})
	if !utf16 {
		if i := bytes.IndexByte(raw, 0); i >= 0 {
			return "import.err_bad_text", fmt.Errorf("a NUL byte at offset %d: not text", i)
		}
	}
	for line, rest := 1, raw; len(rest) > 0; line++ {
		i := bytes.IndexAny(rest, "\r\n")
		if i < 0 {
			i = len(rest)
		}
		if i > maxLine {
			return "import.err_too_big", fmt.Errorf("line %d is longer than %d bytes", line, maxLine)
		}
		rest = rest[min(i+1, len(rest)):]
	}
	return "", nil
}

// decode turns the file's bytes into UTF-8 text.
func decode(raw []byte) (string, error) {
	switch {
	case bytes.HasPrefix(raw, []byte{0xEF, 0xBB, 0xBF}):
		raw = raw[3:]
	case bytes.HasPrefix(raw, []byte{0xFF, 0xFE}), bytes.HasPrefix(raw, []byte{0xFE, 0xFF}):
		b, err := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Bytes(raw)
		if err != nil {
			return "", fmt.Errorf("utf-16: %w", err)
		}
		return string(b), nil
	}
	if utf8.Valid(raw) {
		return string(raw), nil
	}
	b, err := simplifiedchinese.GB18030.NewDecoder().Bytes(raw)
	if err != nil {
		return "", fmt.Errorf("gb18030: %w", err)
	}
	return string(b), nil
}

// sniff picks the delimiter that splits the first lines most often, outside quotes.
func sniff(text string) rune {
	counts := map[rune]int{',': 0, ';': 0, '\t': 0}
	quoted, lines := false, 0
	for _, r := range text {
		switch {
		case r == '"':
			quoted = !quoted
		case quoted:
		case r == '\n':
			lines++
		default:
			if _, ok := counts[r]; ok {
				counts[r]++
			}
		}
		if lines == 20 {
			break
		}
	}
	best := ','
	for _, r := range []rune{'\t', ';'} {
		if counts[r] > counts[best] {
			best = r
		}
	}
	return best
}

func parse(ctx context.Context, t crm.ImportTable, text string, fail func(string, error) error) (crm.ImportTable, error) {
	r := csv.NewReader(strings.NewReader(text))
	r.Comma = sniff(text)
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	for n := 0; ; n++ {
		if n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return t, err
			}
		}
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return t, nil
		}
		if err != nil {
			return t, fail("import.err_bad_text", err)
		}
		line, _ := r.FieldPos(0)
		if len(rec) > maxFields {
			return t, fail("import.err_too_big", fmt.Errorf("line %d: %d fields", line, len(rec)))
		}
		for len(rec) > 0 && strings.TrimSpace(rec[len(rec)-1]) == "" {
			rec = rec[:len(rec)-1]
		}
		if len(rec) == 0 {
			continue
		}
		for _, f := range rec {
			if len(f) > maxField && utf8.RuneCountInString(f) > maxField {
				return t, fail("import.err_too_big", fmt.Errorf("line %d: a field of %d characters", line, utf8.RuneCountInString(f)))
			}
		}
		if t.HeaderLine == 0 {
			t.HeaderLine = line
			t.Header = make([]string, len(rec))
			for i, f := range rec {
				t.Header[i] = strings.TrimSpace(f)
			}
			continue
		}
		cells := make([]crm.ImportCell, len(rec))
		for i, f := range rec {
			cells[i] = crm.ImportCell{Text: f}
		}
		t.Rows = append(t.Rows, crm.ImportRow{Line: line, Cells: cells})
	}
}
