package xlsx

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"carebook/crm"
)

// The fast reader reads the cells of a workbook that excelize has opened without excelize's
// Rows() iterator, whose encoding/xml decoding costs some 3 µs a cell (an import of 100,000
// customers spent most of its time there: PRODUCT.md §8). It streams each worksheet out of the
// zip through xmlScanner and gives exactly the rows Rows() and Columns() (RawCellValue) give —
// the same cells and values, the same row numbers — or, on anything it does not read as they
// do, errUnsupported: Read then reads the workbook through excelize. fastread_test.go checks
// the two against each other.

// Namespaces and relationship types, as excelize reads them.
const (
	nsSpreadsheet  = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
	relOfficeDoc   = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
	sharedStrPart  = "xl/sharedStrings.xml"
	contentTypes   = "[Content_Types].xml"
	strictNSMarker = "purl.oclc.org"
)

// readFast reads every sheet of f, which excelize opened from path, as readSheet does.
func readFast(ctx context.Context, f *excelize.File, path string, progress func(done, total int64)) ([]crm.ImportTable, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, errUnsupported
	}
	defer zr.Close()
	parts := zipParts(&zr.Reader)
	sheets, err := sheetParts(f, parts)
	if err != nil {
		return nil, err
	}
	sst, err := readSharedStrings(parts[sharedStrPart])
	if err != nil {
		return nil, err
	}
	out := make([]crm.ImportTable, 0, len(sheets))
	for _, sh := range sheets {
		t, err := scanSheetPart(ctx, sh.part, sh.name, sst, progress)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

// zipParts indexes the entries of a zip by name as excelize does (ReadZipReader): "\" read as
// "/", the content types and shared strings under their canonical names whatever their case, a
// later entry of the same name replacing an earlier one.
func zipParts(r *zip.Reader) map[string]*zip.File {
	parts := make(map[string]*zip.File, len(r.File))
	for _, zf := range r.File {
		name := strings.ReplaceAll(zf.Name, "\\", "/")
		switch strings.ToLower(name) {
		case "[content_types].xml":
			name = contentTypes
		case "xl/sharedstrings.xml":
			name = sharedStrPart
		}
		parts[name] = zf
	}
	return parts
}

// sheetPart is a sheet's name and its part.
type sheetPart struct {
	name string
	part *zip.File
}

// xmlRels is a relationships part, as excelize reads it.
type xmlRels struct {
	XMLName       xml.Name `xml:"http://schemas.openxmlformats.org/package/2006/relationships Relationships"`
	Relationships []struct {
		ID     string `xml:"Id,attr"`
		Target string `xml:",attr"`
		Type   string `xml:",attr"`
	} `xml:"Relationship"`
}

// readRels reads the relationships part at name; nil when there is none.
func readRels(parts map[string]*zip.File, name string) (*xmlRels, error) {
	zf := parts[name]
	if zf == nil {
		return nil, nil
	}
	b, err := readPart(zf)
	if err != nil {
		return nil, err
	}
	if bytes.Contains(b, []byte(strictNSMarker)) {
		return nil, errUnsupported // excelize translates strict namespaces first
	}
	var rels xmlRels
	if err := xml.NewDecoder(bytes.NewReader(b)).Decode(&rels); err != nil && err != io.EOF {
		return nil, errUnsupported
	}
	return &rels, nil
}

// readPart returns the content of a small part.
func readPart(zf *zip.File) ([]byte, error) {
	if zf.UncompressedSize64 > 64<<20 {
		return nil, errUnsupported
	}
	rc, err := zf.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

// sheetParts finds the part of each sheet of f, in order, as excelize does (getSheetMap,
// getSheetXMLPath).
func sheetParts(f *excelize.File, parts map[string]*zip.File) ([]sheetPart, error) {
	rels, err := readRels(parts, "_rels/.rels")
	if err != nil {
		return nil, err
	}
	var wbPath string
	if rels != nil {
		for _, rel := range rels.Relationships {
			if rel.Type == relOfficeDoc {
				wbPath = strings.TrimPrefix(rel.Target, "/")
				break
			}
		}
	}
	relsPath := "_rels/" + filepath.Base(wbPath) + ".rels"
	if dir := filepath.Dir(wbPath); dir != "." {
		relsPath = strings.TrimPrefix(dir+"/_rels/"+filepath.Base(wbPath)+".rels", "/")
	}
	wbRels, err := readRels(parts, relsPath)
	if err != nil {
		return nil, err
	}
	list := f.GetSheetList()
	if f.WorkBook == nil || wbRels == nil || len(f.WorkBook.Sheets.Sheet) != len(list) {
		return nil, errUnsupported
	}
	out := make([]sheetPart, len(list))
	for i, sh := range f.WorkBook.Sheets.Sheet {
		if sh.Name != list[i] {
			return nil, errUnsupported
		}
		for j := range i {
			if strings.EqualFold(list[j], sh.Name) {
				return nil, errUnsupported // excelize finds one of them by chance
			}
		}
		out[i].name = sh.Name
		for _, rel := range wbRels.Relationships {
			if rel.ID == sh.ID {
				if zf := parts[worksheetPath(wbPath, rel.Target)]; zf != nil {
					out[i].part = zf
				}
			}
		}
		if out[i].part == nil || out[i].part.FileInfo().IsDir() {
			return nil, errUnsupported
		}
	}
	return out, nil
}

// worksheetPath is excelize's getWorksheetPath: the part a workbook relationship's target
// names.
func worksheetPath(wbPath, target string) string {
	if strings.HasPrefix(target, "/") {
		return filepath.ToSlash(strings.TrimPrefix(strings.ReplaceAll(filepath.Clean(target), "\\", "/"), "/"))
	}
	return filepath.ToSlash(strings.TrimPrefix(
		strings.ReplaceAll(filepath.Clean(fmt.Sprintf("%s/%s", filepath.Dir(wbPath), target)), "\\", "/"), "/"))
}

// readSharedStrings reads the shared strings part (nil: none), each item's text as excelize's
// xlsxSI.String gives it.
func readSharedStrings(zf *zip.File) ([]string, error) {
	if zf == nil {
		return nil, nil
	}
	rc, err := zf.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	s := newXMLScanner(rc)
	var sst []string
	var it stringItem
	root := false
	for {
		tok, err := s.next()
		if err != nil {
			return nil, err
		}
		switch tok {
		case tokEOF:
			return sst, nil
		case tokText, tokCDATA:
			if _, err := s.text(nil); err != nil {
				return nil, err
			}
		case tokStart:
			switch {
			case s.depth() == 1 && !s.empty || s.depth() == 0 && s.empty:
				// The root: <sst xmlns="…/main"> (encoding/xml checks its name space).
				if root || string(s.qname) != "sst" {
					return nil, errUnsupported
				}
				if ns, n := attrByQName(s.attrs, "xmlns"); n != 1 || string(ns) != nsSpreadsheet {
					return nil, errUnsupported
				}
				if err := checkTypedAttrs(s, typedSST); err != nil {
					return nil, err // count="x": excelize cannot read the part
				}
				root = true
			case s.depth() == 2 && !s.empty || s.depth() == 1 && s.empty:
				if string(s.name) != "si" {
					if err := s.skip(); err != nil {
						return nil, err
					}
					continue
				}
				str, err := it.read(s)
				if err != nil {
					return nil, err
				}
				if strings.Contains(str, strictNSMarker) {
					return nil, errUnsupported // excelize would translate it
				}
				sst = append(sst, str)
			default:
				return nil, errUnsupported
			}
		}
	}
}

// stringItem reads a string item — an <si> of the shared strings, an <is> of a cell — as
// encoding/xml decodes it into excelize's xlsxSI, and gives its String(): the text of its
// last <t>, then of each <r> run (the last <t> of each), with _xHHHH_ escapes decoded. Run
// properties and phonetic runs are checked as encoding/xml checks their typed attributes.
type stringItem struct {
	t, runs, tmp, out []byte
}

func (it *stringItem) read(s *xmlScanner) (string, error) {
	b, err := it.appendTo(s, it.out[:0])
	it.out = b
	return string(b), err
}

// appendTo appends the item's String() to dst.
func (it *stringItem) appendTo(s *xmlScanner, dst []byte) ([]byte, error) {
	if s.empty {
		return dst, nil
	}
	it.t, it.runs = it.t[:0], it.runs[:0]
	d := s.depth()
	for {
		tok, err := s.next()
		if err != nil {
			return dst, err
		}
		switch tok {
		case tokEOF:
			return dst, errUnsupported
		case tokText, tokCDATA:
			if it.tmp, err = s.text(it.tmp[:0]); err != nil {
				return dst, err
			}
		case tokEnd:
			if s.depth() < d {
				it.t = append(it.t, it.runs...)
				return append(dst, unescapeBSTR(&it.tmp, it.t)...), nil
			}
		case tokStart:
			switch string(s.name) {
			case "t":
				if it.t, err = elementText(s, it.t[:0]); err != nil {
					return dst, err
				}
			case "r":
				if it.runs, err = runText(s, it.runs); err != nil {
					return dst, err
				}
			case "rPh":
				if err := checkTypedAttrs(s, typedPhoneticRun); err != nil {
					return dst, err
				}
				if err := s.skip(); err != nil {
					return dst, err
				}
			case "phoneticPr":
				if err := checkTypedAttrs(s, typedPhoneticPr); err != nil {
					return dst, err
				}
				if err := s.skip(); err != nil {
					return dst, err
				}
			default:
				if err := s.skip(); err != nil {
					return dst, err
				}
			}
		}
	}
}

// runText appends to dst the text of the <r> run just started (its last <t>), checking its
// run properties.
func runText(s *xmlScanner, dst []byte) ([]byte, error) {
	if s.empty {
		return dst, nil
	}
	start, d := len(dst), s.depth()
	for {
		tok, err := s.next()
		if err != nil {
			return dst, err
		}
		switch tok {
		case tokEOF:
			return dst, errUnsupported
		case tokText, tokCDATA:
			if _, err := s.text(nil); err != nil {
				return dst, err
			}
		case tokEnd:
			if s.depth() < d {
				return dst, nil
			}
		case tokStart:
			switch string(s.name) {
			case "t":
				if dst, err = elementText(s, dst[:start]); err != nil {
					return dst, err
				}
			case "rPr":
				if err := checkRunProps(s); err != nil {
					return dst, err
				}
			default:
				if err := s.skip(); err != nil {
					return dst, err
				}
			}
		}
	}
}

// elementText appends to dst the character data directly in the element just started (as a
// ",chardata" field gets it: the text of child elements left out), through its end tag.
func elementText(s *xmlScanner, dst []byte) ([]byte, error) {
	if s.empty {
		return dst, nil
	}
	d := s.depth()
	for {
		tok, err := s.next()
		if err != nil {
			return dst, err
		}
		switch tok {
		case tokEOF:
			return dst, errUnsupported
		case tokText, tokCDATA:
			if dst, err = s.text(dst); err != nil {
				return dst, err
			}
		case tokStart:
			if err := s.skip(); err != nil {
				return dst, err
			}
		case tokEnd:
			if s.depth() < d {
				return dst, nil
			}
		}
	}
}

// attrKind is how encoding/xml decodes an attribute into excelize's field: what it refuses.
type attrKind uint8

const (
	attrInt    attrKind = iota + 1 // int: strconv.ParseInt of the trimmed value; "" is 0
	attrUint32                     // uint32
	attrFloat                      // float64
	attrBool                       // bool: strconv.ParseBool of the trimmed value; "" is false
)

var (
	typedPhoneticRun = map[string]attrKind{"sb": attrUint32, "eb": attrUint32}
	typedPhoneticPr  = map[string]attrKind{"fontId": attrInt}
	typedSST         = map[string]attrKind{"count": attrInt, "uniqueCount": attrInt}
	typedFormula     = map[string]attrKind{"aca": attrBool, "dt2D": attrBool, "dtr": attrBool, "del1": attrBool,
		"del2": attrBool, "ca": attrBool, "bx": attrBool, "si": attrInt}
	typedColor = map[string]attrKind{"auto": attrBool, "indexed": attrInt, "theme": attrInt, "tint": attrFloat}
	// runProps are the typed children of <rPr> (xlsxRPr): attrValInt, attrValFloat, and
	// attrValBool (nil: excelize's own UnmarshalXML).
	runProps = map[string]map[string]attrKind{
		"charset": {"val": attrInt}, "family": {"val": attrInt}, "sz": {"val": attrFloat}, "color": typedColor,
		"b": nil, "i": nil, "strike": nil, "outline": nil, "shadow": nil, "condense": nil, "extend": nil,
	}
)

// checkTypedAttrs refuses a start tag with an attribute of kinds that encoding/xml would not
// decode.
func checkTypedAttrs(s *xmlScanner, kinds map[string]attrKind) error {
	for _, a := range s.attrs {
		kind, ok := kinds[string(a.local)]
		if !ok || len(a.value) == 0 {
			continue
		}
		v := strings.TrimSpace(string(a.value))
		var err error
		switch kind {
		case attrInt:
			_, err = strconv.ParseInt(v, 10, 64)
		case attrUint32:
			_, err = strconv.ParseUint(v, 10, 32)
		case attrFloat:
			_, err = strconv.ParseFloat(v, 64)
		case attrBool:
			_, err = strconv.ParseBool(v)
		}
		if err != nil {
			return errUnsupported
		}
	}
	return nil
}

// checkRunProps checks the <rPr> just started as encoding/xml decodes it into xlsxRPr, and
// skips it.
func checkRunProps(s *xmlScanner) error {
	if s.empty {
		return nil
	}
	d := s.depth()
	for {
		tok, err := s.next()
		if err != nil {
			return err
		}
		switch tok {
		case tokEOF:
			return errUnsupported
		case tokText, tokCDATA:
			if _, err := s.text(nil); err != nil {
				return err
			}
		case tokEnd:
			if s.depth() < d {
				return nil
			}
		case tokStart:
			kinds, typed := runProps[string(s.name)]
			switch {
			case !typed:
			case kinds == nil: // attrValBool: no child element; its first val "" or a bool
				for _, a := range s.attrs {
					if string(a.local) == "val" {
						if len(a.value) > 0 {
							if _, err := strconv.ParseBool(string(a.value)); err != nil {
								return errUnsupported
							}
						}
						break
					}
				}
				if !s.empty {
					if err := skipText(s); err != nil {
						return err
					}
				}
				continue
			default:
				if err := checkTypedAttrs(s, kinds); err != nil {
					return err
				}
			}
			if err := s.skip(); err != nil {
				return err
			}
		}
	}
}

// skipText skips the content of the element just started, which must hold nothing but text.
func skipText(s *xmlScanner) error {
	for {
		tok, err := s.next()
		if err != nil {
			return err
		}
		switch tok {
		case tokText, tokCDATA:
			if _, err := s.text(nil); err != nil {
				return err
			}
		case tokEnd:
			return nil
		default:
			return errUnsupported
		}
	}
}

// unescapeBSTR is excelize's bstrUnmarshal: each _xHHHH_ (leftmost first, not overlapping)
// becomes the character U+HHHH (none for a surrogate: strconv.Unquote refuses it), _x005F_
// an underscore. It returns v itself when there is nothing to decode, else a buffer of *tmp.
func unescapeBSTR(tmp *[]byte, v []byte) []byte {
	i := bytes.Index(v, []byte("_x"))
	if i < 0 {
		return v
	}
	out := (*tmp)[:0]
	last := 0
	for i >= 0 && i+7 <= len(v) {
		if v[i+6] == '_' && isHex4(v[i+2:i+6]) {
			n, _ := strconv.ParseUint(string(v[i+2:i+6]), 16, 32)
			out = append(out, v[last:i]...)
			if r := rune(n); !(r >= 0xD800 && r <= 0xDFFF) {
				out = utf8.AppendRune(out, r)
			}
			last = i + 7
			i = last
		} else {
			i++
		}
		j := bytes.Index(v[i:], []byte("_x"))
		if j < 0 {
			break
		}
		i += j
	}
	out = append(out, v[last:]...)
	*tmp = out
	return out
}

func isHex4(b []byte) bool {
	for _, c := range b {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

// scanSheetPart reads the sheet part zf like readSheet.
func scanSheetPart(ctx context.Context, zf *zip.File, sheet string, sst []string, progress func(done, total int64)) (crm.ImportTable, error) {
	rc, err := zf.Open()
	if err != nil {
		return crm.ImportTable{}, err
	}
	defer rc.Close()
	var r io.Reader = rc
	if zf.UncompressedSize64 > prefetchMin {
		p := newPrefetch(rc)
		defer p.close()
		r = p
	}
	sc := sheetScan{s: newXMLScanner(r), sst: sst, ctx: ctx, progress: progress, b: newSheetTable(sheet)}
	if err := sc.run(); err != nil {
		return crm.ImportTable{}, err
	}
	return sc.b.t, nil
}

// sheetScan is the state of the reading of a worksheet: excelize's Rows, Next and Columns.
type sheetScan struct {
	s        *xmlScanner
	sst      []string
	ctx      context.Context
	progress func(done, total int64)
	b        *sheetTable

	total int64 // rows, from the dimension
	line  int   // the row last given (Rows.Next)

	row   []byte    // the texts of the current row's cells, back to back
	cells []cellRef // the current row's cells
	cols  []string
	item  stringItem
	is    []byte
}

// cellRef is a cell of the row being read: row[a:b], or a shared string.
type cellRef struct {
	a, b int
	s    string
	sst  bool
}

func (sc *sheetScan) run() error {
	s := sc.s
	data := false // <sheetData> was read
	for {
		tok, err := s.next()
		if err != nil {
			return err
		}
		switch tok {
		case tokEOF:
			return sc.finish()
		case tokText, tokCDATA:
			if _, err := s.text(nil); err != nil {
				return err
			}
		case tokStart:
			switch string(s.name) {
			case "row", "c":
				// A row outside <sheetData> (excelize would read it), a cell outside a row.
				return errUnsupported
			case "dimension":
				if sc.total == 0 {
					if ref, n := attrByLocal(s.attrs, "ref"); n == 1 {
						if _, to, ok := strings.Cut(string(ref), ":"); ok {
							if _, r, err := excelize.CellNameToCoordinates(to); err == nil {
								sc.total = int64(r)
							}
						}
					}
				}
			case "sheetData":
				if data {
					return errUnsupported // excelize would read the rows of a second one
				}
				data = true
				if !s.empty {
					if err := sc.sheetData(); err != nil {
						return err
					}
				}
			}
		}
	}
}

// sheetData reads the rows of <sheetData>, through its end tag.
func (sc *sheetScan) sheetData() error {
	s := sc.s
	d := s.depth()
	for {
		tok, err := s.next()
		if err != nil {
			return err
		}
		switch tok {
		case tokEOF:
			return errUnsupported
		case tokText, tokCDATA:
			if _, err := s.text(nil); err != nil {
				return err
			}
		case tokEnd:
			if s.depth() < d {
				return nil
			}
			return errUnsupported
		case tokStart:
			if string(s.name) != "row" {
				return errUnsupported
			}
			if err := sc.readRow(); err != nil {
				return err
			}
		}
	}
}

// readRow reads the <row> just started.
func (sc *sheetScan) readRow() error {
	s := sc.s
	num := sc.line + 1
	switch v, n := attrByLocal(s.attrs, "r"); {
	case n > 1:
		return errUnsupported
	case n == 1:
		r, ok := parseDigits(v)
		if !ok || r < 1 || r > maxReadRows || r <= sc.line {
			return errUnsupported // excelize would fail, or give rows out of order
		}
		num = r
	}
	// The rows before it that the file leaves out are given empty, as Rows.Next does.
	for sc.line < num-1 {
		if err := sc.next(); err != nil {
			return err
		}
	}
	if err := sc.next(); err != nil {
		return err
	}
	sc.row, sc.cells = sc.row[:0], sc.cells[:0]
	if !s.empty {
		d, col := s.depth(), 0
	Cells:
		for {
			tok, err := s.next()
			if err != nil {
				return err
			}
			switch tok {
			case tokEOF:
				return errUnsupported
			case tokText, tokCDATA:
				if _, err := s.text(nil); err != nil {
					return err
				}
			case tokEnd:
				if s.depth() < d {
					break Cells
				}
				return errUnsupported
			case tokStart:
				if string(s.name) != "c" {
					return errUnsupported
				}
				if col, err = sc.readCell(col); err != nil {
					return err
				}
			}
		}
	}
	row := string(sc.row)
	sc.cols = sc.cols[:0]
	for _, c := range sc.cells {
		if c.sst {
			sc.cols = append(sc.cols, c.s)
		} else {
			sc.cols = append(sc.cols, row[c.a:c.b])
		}
	}
	return sc.b.add(sc.line, sc.cols)
}

// next counts one more row, as Read counts rows.Next(): the row limit, the context and progress
// every 4096 rows.
func (sc *sheetScan) next() error {
	sc.line++
	if sc.line > maxReadRows {
		return tooBig(sc.b.t.Sheet, "rows")
	}
	if sc.line%4096 == 0 {
		if err := sc.ctx.Err(); err != nil {
			return err
		}
		if sc.progress != nil {
			sc.progress(int64(sc.line), max(sc.total, int64(sc.line)))
		}
	}
	return nil
}

func (sc *sheetScan) finish() error {
	if sc.progress != nil {
		sc.progress(int64(sc.line), int64(sc.line))
	}
	return nil
}

// readCell reads the <c> just started; prev is the column of the cell before it (0 for the
// first). It returns the cell's column.
func (sc *sheetScan) readCell(prev int) (int, error) {
	s := sc.s
	col := prev + 1
	var typ cellType // the value of t: a slice of the scanner's buffer is valid until next()
	seen := 0        // r, s, t
	for _, a := range s.attrs {
		var bit int
		switch string(a.local) {
		case "r":
			c, ok := parseCellCol(a.value)
			if !ok {
				return 0, errUnsupported
			}
			col, bit = c, 1
		case "s":
			if !validStyle(a.value) {
				return 0, errUnsupported // excelize stops reading the cell's attributes there
			}
			bit = 2
		case "t":
			typ, bit = cellTypeOf(a.value), 4
		}
		if seen&bit != 0 {
			return 0, errUnsupported // the last one would win
		}
		seen |= bit
	}
	start := len(sc.row)
	vEnd := start
	formula, haveIS := false, false
	is := sc.is[:0]
	if !s.empty {
		d := s.depth()
	Children:
		for {
			tok, err := s.next()
			if err != nil {
				return 0, err
			}
			switch tok {
			case tokEOF:
				return 0, errUnsupported
			case tokText, tokCDATA:
				if _, err := s.text(nil); err != nil {
					return 0, err
				}
			case tokEnd:
				if s.depth() < d {
					break Children
				}
				return 0, errUnsupported
			case tokStart:
				switch string(s.name) {
				case "v":
					if sc.row, err = elementText(s, sc.row[:start]); err != nil {
						return 0, err
					}
					vEnd = len(sc.row)
				case "f":
					formula = true
					if err := checkTypedAttrs(s, typedFormula); err != nil {
						return 0, err
					}
					if err := s.skip(); err != nil {
						return 0, err
					}
				case "is":
					if haveIS {
						return 0, errUnsupported
					}
					haveIS = true
					if is, err = sc.item.appendTo(s, is); err != nil {
						return 0, err
					}
					sc.is = is
				default:
					return 0, errUnsupported
				}
			}
		}
	}
	sc.row = sc.row[:vEnd]
	ref := cellRef{a: start, b: vEnd}
	switch typ {
	case cellShared:
		if vEnd > start {
			i, err := strconv.Atoi(strings.TrimSpace(string(sc.row[start:vEnd])))
			if err != nil {
				i = 0
			}
			sc.row = sc.row[:start]
			ref = cellRef{sst: true}
			if i >= 0 && i < len(sc.sst) {
				ref.s = sc.sst[i]
			}
		}
	case cellInline:
		if haveIS {
			sc.row = append(sc.row[:start], is...)
			ref = cellRef{a: start, b: len(sc.row)}
		}
	}
	if ref.b > ref.a || ref.s != "" || formula {
		// excelize puts the value at its column, after empty cells (appendSpace); a column
		// at or before the last one would go at the end.
		if col <= len(sc.cells) {
			return 0, errUnsupported
		}
		for len(sc.cells) < col-1 {
			sc.cells = append(sc.cells, cellRef{sst: true})
		}
		sc.cells = append(sc.cells, ref)
	} else {
		sc.row = sc.row[:start]
	}
	return col, nil
}

// cellType is what a cell's t attribute says, as far as the reader cares: a shared string, an
// inline string, or a value in <v>.
type cellType uint8

const (
	cellValue cellType = iota
	cellShared
	cellInline
)

func cellTypeOf(t []byte) cellType {
	switch string(t) {
	case "s":
		return cellShared
	case "inlineStr":
		return cellInline
	}
	return cellValue
}

// parseCellCol is the column of a cell reference such as "AB12" (letters of either case,
// then the row; excelize's CellNameToCoordinates); ok is false for anything else.
func parseCellCol(ref []byte) (int, bool) {
	i, col := 0, 0
	for i < len(ref) && i < 3 {
		c := ref[i] | 0x20
		if c < 'a' || c > 'z' {
			break
		}
		col = col*26 + int(c-'a'+1)
		i++
	}
	row, ok := parseDigits(ref[i:])
	if i == 0 || !ok || row < 1 || row > maxReadRows || col > maxReadColumns {
		return 0, false
	}
	return col, true
}

// parseDigits reads a decimal number of at most 9 digits.
func parseDigits(b []byte) (int, bool) {
	if len(b) == 0 || len(b) > 9 {
		return 0, false
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// attrByLocal returns the value of the attribute of local name name, and how many there are.
func attrByLocal(attrs []xmlAttr, name string) (v []byte, n int) {
	for _, a := range attrs {
		if string(a.local) == name {
			v, n = a.value, n+1
		}
	}
	return v, n
}

// attrByQName is attrByLocal for a qualified name, such as "xmlns".
func attrByQName(attrs []xmlAttr, qname string) (v []byte, n int) {
	for _, a := range attrs {
		if string(a.qname) == qname {
			v, n = a.value, n+1
		}
	}
	return v, n
}

// validStyle reports whether strconv.ParseInt takes a cell's style (excelize reads it so).
func validStyle(v []byte) bool {
	if _, ok := parseDigits(v); ok {
		return true
	}
	_, err := strconv.ParseInt(string(v), 10, 64)
	return err == nil
}

// errFallback reports whether err from readFast means "read it with excelize": anything but a
// cancelled context and the limits of Read (*crm.ImportFileError).
func errFallback(ctx context.Context, err error) bool {
	var fe *crm.ImportFileError
	return err != nil && ctx.Err() == nil && !errors.As(err, &fe)
}

// prefetchChunks and prefetchChunk size the read-ahead of prefetch; a part of at most
// prefetchMin bytes is read without it (tests make them tiny).
const prefetchChunks = 4

var (
	prefetchChunk        = 512 << 10
	prefetchMin   uint64 = 4 * 512 << 10
)

// prefetch reads r ahead in a goroutine of its own, so that the next part of a zip entry is
// decompressed while the last one is scanned (a quarter of the reading time, on another core).
type prefetch struct {
	chunks    chan []byte // read, in order; closed at the end of r (err set before)
	free      chan []byte
	done      chan struct{}
	cur, last []byte
	err       error
}

func newPrefetch(r io.Reader) *prefetch {
	p := &prefetch{chunks: make(chan []byte, prefetchChunks), free: make(chan []byte, prefetchChunks),
		done: make(chan struct{})}
	for range prefetchChunks {
		p.free <- make([]byte, prefetchChunk)
	}
	go func() {
		defer close(p.chunks)
		for {
			var buf []byte
			select {
			case buf = <-p.free:
			case <-p.done:
				return
			}
			n, err := io.ReadFull(r, buf[:cap(buf)])
			if n > 0 {
				select {
				case p.chunks <- buf[:n]:
				case <-p.done:
					return
				}
			}
			if err != nil {
				if err != io.EOF && err != io.ErrUnexpectedEOF {
					p.err = err
				}
				return
			}
		}
	}()
	return p
}

func (p *prefetch) Read(b []byte) (int, error) {
	for len(p.cur) == 0 {
		if p.last != nil {
			p.free <- p.last[:0]
			p.last = nil
		}
		c, ok := <-p.chunks
		if !ok {
			if p.err != nil {
				return 0, p.err
			}
			return 0, io.EOF
		}
		p.cur, p.last = c, c
	}
	n := copy(b, p.cur)
	p.cur = p.cur[n:]
	return n, nil
}

// close stops the goroutine and waits for it: the reader may be closed after.
func (p *prefetch) close() {
	close(p.done)
	for range p.chunks {
	}
}
