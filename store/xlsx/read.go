package xlsx

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"carebook/crm"
)

// Limits of what Read accepts: Excel's own.
const (
	maxReadRows    = 1 << 20
	maxReadColumns = 1 << 14
	maxCellChars   = 32767
	// maxUnzipped bounds what a workbook may unzip to (a zip bomb is refused).
	maxUnzipped = 2 << 30
)

// Read reads every sheet of the workbook at path, in order, for an import: the first non-blank
// row of a sheet is its header, the rows after it its data (blank rows left out). A cell holding
// a number (dates are serial numbers) comes back as crm.CellNumber, with its text as stored; the
// importer reads serials in date columns as dates. progress, if not nil, is told the rows read
// of the sheet being read. A file that cannot be read gives a *crm.ImportFileError.
func Read(ctx context.Context, path string, progress func(done, total int64)) ([]crm.ImportTable, error) {
	name := filepath.Base(path)
	fail := func(key string, err error) error {
		return &crm.ImportFileError{File: name, Key: key, Args: map[string]any{"File": name}, Err: err}
	}
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fail("import.err_open", err)
	}
	if fi.Size() == 0 {
		return nil, fail("import.err_not_xlsx", errors.New("empty file"))
	}
	f, err := excelize.OpenFile(path, excelize.Options{RawCellValue: true, UnzipSizeLimit: maxUnzipped})
	if err != nil {
		if errors.Is(err, excelize.ErrWorkbookPassword) || strings.Contains(err.Error(), "password") {
			return nil, fail("import.err_encrypted", err)
		}
		var pe *os.PathError
		if errors.As(err, &pe) {
			return nil, fail("import.err_open", err)
		}
		return nil, fail("import.err_not_xlsx", err)
	}
	defer f.Close()
	var out []crm.ImportTable
	for _, sheet := range f.GetSheetList() {
		t, err := readSheet(ctx, f, sheet, progress)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			var ife *crm.ImportFileError
			if errors.As(err, &ife) {
				ife.File = name
				ife.Args["File"] = name
				return nil, ife
			}
			return nil, fail("import.err_not_xlsx", fmt.Errorf("sheet %s: %w", sheet, err))
		}
		t.File = name
		out = append(out, t)
	}
	return out, nil
}

// readSheet reads one sheet through excelize's row iterator.
func readSheet(ctx context.Context, f *excelize.File, sheet string, progress func(done, total int64)) (crm.ImportTable, error) {
	t := crm.ImportTable{Sheet: sheet}
	var total int64
	if dim, err := f.GetSheetDimension(sheet); err == nil {
		if _, to, ok := strings.Cut(dim, ":"); ok {
			if _, row, err := excelize.CellNameToCoordinates(to); err == nil {
				total = int64(row)
			}
		}
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		return t, err
	}
	defer rows.Close()
	line := 0
	for rows.Next() {
		line++
		if line > maxReadRows {
			return t, tooBig(sheet, "rows")
		}
		if line%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return t, err
			}
			if progress != nil {
				progress(int64(line), max(total, int64(line)))
			}
		}
		cols, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return t, err
		}
		if len(cols) > maxReadColumns {
			return t, tooBig(sheet, "columns")
		}
		for len(cols) > 0 && strings.TrimSpace(cols[len(cols)-1]) == "" {
			cols = cols[:len(cols)-1]
		}
		if len(cols) == 0 {
			continue
		}
		if t.HeaderLine == 0 {
			t.HeaderLine = line
			t.Header = make([]string, len(cols))
			for i, c := range cols {
				t.Header[i] = strings.TrimSpace(c)
			}
			continue
		}
		cells := make([]crm.ImportCell, len(cols))
		for i, c := range cols {
			if len(c) > maxCellChars && utf8.RuneCountInString(c) > maxCellChars {
				return t, tooBig(sheet, "cell")
			}
			cells[i] = readCell(c)
		}
		t.Rows = append(t.Rows, crm.ImportRow{Line: line, Cells: cells})
	}
	if err := rows.Error(); err != nil {
		return t, err
	}
	if progress != nil {
		progress(int64(line), int64(line))
	}
	return t, nil
}

// readCell is a cell's raw value: a number when it reads as one as Excel stores numbers and
// dates (plain decimals), else text.
func readCell(s string) crm.ImportCell {
	// A leading zero ("00123", a code or a phone kept as text) is text: Excel never stores one.
	leadingZero := len(s) > 1 && s[0] == '0' && s[1] != '.'
	if s != "" && !leadingZero && (s[0] >= '0' && s[0] <= '9' || s[0] == '-') {
		if n, err := strconv.ParseFloat(s, 64); err == nil {
			return crm.ImportCell{Text: s, Number: n, Kind: crm.CellNumber}
		}
	}
	return crm.ImportCell{Text: s}
}

func tooBig(sheet, what string) error {
	return &crm.ImportFileError{Key: "import.err_too_big", Args: map[string]any{"Sheet": sheet},
		Err: fmt.Errorf("sheet %s: too many %s", sheet, what)}
}
