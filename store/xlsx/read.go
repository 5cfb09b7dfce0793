package xlsx

import (
	"archive/zip"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
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
	// maxUnzipped bounds what a workbook may unzip to, all its parts together (a zip bomb is
	// refused by the sizes its zip declares, before anything is unzipped; archive/zip fails an
	// entry that unzips to more than it declares).
	maxUnzipped = 512 << 20
)

// Read reads every sheet of the workbook at path, in order, for an import: the first non-blank
// row of a sheet is its header, the rows after it its data (blank rows left out). A cell holding
// a number (dates are serial numbers) comes back as crm.CellNumber, with its text as stored; the
// importer reads serials in date columns as dates. progress, if not nil, is told the rows read
// of the sheet being read. A file that cannot be read gives a *crm.ImportFileError.
//
// The cells are what excelize's Rows() iterator gives (raw values); they are read without it
// when the fast reader (fastread.go) can, some five times faster, else through it.
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
	if err := checkUnzipped(path); err != nil {
		var fe *crm.ImportFileError
		if errors.As(err, &fe) {
			fe.File, fe.Args = name, map[string]any{"File": name}
			return nil, fe
		}
		// Not a zip excelize could open either: it says why below.
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
	out, err := readFast(ctx, f, path, progress)
	if errFallback(ctx, err) {
		// excelize's row iterator stops quietly at broken XML (a truncated sheet gives the rows
		// before the break, as if that were all): the fast reader gave up, so check the XML.
		if err = checkWellFormed(ctx, path); err == nil {
			out, err = readSheets(ctx, f, progress)
		}
	}
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
		return nil, fail("import.err_not_xlsx", err)
	}
	for i := range out {
		out[i].File = name
	}
	return out, nil
}

// readSheets reads every sheet of f through excelize's row iterator.
func readSheets(ctx context.Context, f *excelize.File, progress func(done, total int64)) ([]crm.ImportTable, error) {
	var out []crm.ImportTable
	for _, sheet := range f.GetSheetList() {
		t, err := readSheet(ctx, f, sheet, progress)
		if err != nil {
			var ife *crm.ImportFileError
			if ctx.Err() == nil && !errors.As(err, &ife) {
				err = fmt.Errorf("sheet %s: %w", sheet, err)
			}
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

// readSheet reads one sheet through excelize's row iterator.
func readSheet(ctx context.Context, f *excelize.File, sheet string, progress func(done, total int64)) (crm.ImportTable, error) {
	b := newSheetTable(sheet)
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
		return b.t, err
	}
	defer rows.Close()
	line := 0
	for rows.Next() {
		line++
		if line > maxReadRows {
			return b.t, tooBig(sheet, "rows")
		}
		if line%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return b.t, err
			}
			if progress != nil {
				progress(int64(line), max(total, int64(line)))
			}
		}
		cols, err := rows.Columns(excelize.Options{RawCellValue: true})
		if errors.Is(err, excelize.ErrColumnNumber) {
			return b.t, tooBig(sheet, "columns") // a cell beyond Excel's last column
		}
		if err != nil {
			return b.t, err
		}
		if err := b.add(line, cols); err != nil {
			return b.t, err
		}
	}
	if err := rows.Error(); err != nil {
		return b.t, err
	}
	if progress != nil {
		progress(int64(line), int64(line))
	}
	return b.t, nil
}

// sheetTable builds the table of a sheet from its rows, as Read describes it.
type sheetTable struct {
	t     crm.ImportTable
	cells []crm.ImportCell // where the next rows' cells are cut from (one allocation for many rows)
}

func newSheetTable(sheet string) *sheetTable {
	return &sheetTable{t: crm.ImportTable{Sheet: sheet}}
}

// add adds row line, of the cells' raw values cols (trailing blank cells left out): the header
// when it is the first non-blank row, else a data row; a blank row is left out.
func (b *sheetTable) add(line int, cols []string) error {
	t := &b.t
	if len(cols) > maxReadColumns {
		return tooBig(t.Sheet, "columns")
	}
	for len(cols) > 0 && strings.TrimSpace(cols[len(cols)-1]) == "" {
		cols = cols[:len(cols)-1]
	}
	if len(cols) == 0 {
		return nil
	}
	if t.HeaderLine == 0 {
		t.HeaderLine = line
		t.Header = make([]string, len(cols))
		for i, c := range cols {
			t.Header[i] = strings.TrimSpace(c)
		}
		return nil
	}
	if len(b.cells) < len(cols) {
		b.cells = make([]crm.ImportCell, max(len(cols), 16384))
	}
	cells := b.cells[:len(cols):len(cols)]
	b.cells = b.cells[len(cols):]
	for i, c := range cols {
		if len(c) > maxCellChars && utf8.RuneCountInString(c) > maxCellChars {
			return tooBig(t.Sheet, "cell")
		}
		cells[i] = readCell(c)
	}
	t.Rows = append(t.Rows, crm.ImportRow{Line: line, Cells: cells})
	return nil
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

// checkUnzipped refuses (import.err_too_big) a zip whose parts declare more than maxUnzipped
// bytes in all; an error of another kind means the file is no readable zip.
func checkUnzipped(path string) error {
	z, err := zip.OpenReader(path)
	if err != nil {
		return err
	}
	defer z.Close()
	var total uint64
	for _, f := range z.File {
		total += f.UncompressedSize64
		if f.UncompressedSize64 > maxUnzipped || total > maxUnzipped {
			return &crm.ImportFileError{Key: "import.err_too_big",
				Err: fmt.Errorf("unzips to more than %d bytes (%s)", maxUnzipped, f.Name)}
		}
	}
	return nil
}

// checkWellFormed refuses (import.err_not_xlsx) a workbook whose worksheets or shared strings
// are not well-formed XML: truncated, an element left open, an undefined entity (no DTD
// entity is ever expanded), a character XML forbids.
func checkWellFormed(ctx context.Context, path string) error {
	z, err := zip.OpenReader(path)
	if err != nil {
		return &crm.ImportFileError{Key: "import.err_not_xlsx", Args: map[string]any{}, Err: err}
	}
	defer z.Close()
	for _, zf := range z.File {
		name := strings.ToLower(strings.ReplaceAll(zf.Name, "\\", "/"))
		if name != "xl/sharedstrings.xml" && !(strings.HasPrefix(name, "xl/worksheets/") && strings.HasSuffix(name, ".xml")) {
			continue
		}
		if err := wellFormed(ctx, zf); err != nil {
			return &crm.ImportFileError{Key: "import.err_not_xlsx", Args: map[string]any{},
				Err: fmt.Errorf("%s: %w", zf.Name, err)}
		}
	}
	return nil
}

func wellFormed(ctx context.Context, zf *zip.File) error {
	rc, err := zf.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	d := xml.NewDecoder(rc)
	// Only the structure is checked: any declared encoding is read as it comes.
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	for n := 0; ; n++ {
		if n%65536 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		if _, err := d.Token(); err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
	}
}

func tooBig(sheet, what string) error {
	return &crm.ImportFileError{Key: "import.err_too_big", Args: map[string]any{"Sheet": sheet},
		Err: fmt.Errorf("sheet %s: too many %s", sheet, what)}
}
