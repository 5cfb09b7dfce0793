// Package vcard reads a contacts file (.vcf, .vcard) for an import (PRODUCT.md §5 "Import":
// "vCard: name, phones, email, birthday, notes"): vCard 2.1 as Android phones export it
// (quoted-printable values with soft line breaks, CHARSET=UTF-8 or GB2312/GBK/GB18030, bare
// parameters such as TEL;CELL, BASE64 photos), and vCard 3.0 and 4.0 (folded lines, escaped
// values, TYPE= parameters, item1.TEL groups). A file gives one table whose header holds the
// canonical Chinese columns of the 顾客 sheet (姓名, 手机, 邮箱, 地址, 公司, 职务, 生日, 备注), so that
// the importer maps it as a list of customers with no help, and one row per card.
package vcard

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/simplifiedchinese"
	xunicode "golang.org/x/text/encoding/unicode"

	"carebook/crm"
)

// Limits: a value as long as an Excel cell, at most 1<<20 cards, a file of at most 512 MB.
const (
	maxValue = 32767
	maxCards = 1 << 20
	maxBytes = 512 << 20
)

// ctxLines is how many lines are read between two checks of the context.
const ctxLines = 4096

// The columns of the table, in the order of the 顾客 sheet (store/xlsx.CustomerColumns).
const (
	colName = iota
	colPhone
	colEmail
	colAddress
	colCompany
	colTitle
	colBirthday
	colNotes
	numCols
)

// header is the table's header: the canonical Chinese headers (store/xlsx.CustomerColumns, Zh)
// of the columns above.
var header = [numCols]string{"姓名", "手机", "邮箱", "地址", "公司", "职务", "生日", "备注"}

// Labels of the extra values a card's notes get (a second email, a second address, a birthday
// that is not a whole date): the headers of their columns, as the importer writes unknown
// columns into the notes ("header: value").
const (
	noteEmail    = "邮箱"
	noteAddress  = "地址"
	noteBirthday = "生日"
)

// Read reads the vCard file at path into one table (see Parse). A file that cannot be read
// gives a *crm.ImportFileError.
func Read(ctx context.Context, path string) (crm.ImportTable, error) {
	name := filepath.Base(path)
	fi, err := os.Stat(path)
	if err != nil {
		return crm.ImportTable{File: name}, fileError(name, "import.err_open", err)
	}
	if fi.Size() > maxBytes {
		return crm.ImportTable{File: name}, fileError(name, "import.err_too_big", fmt.Errorf("%d bytes", fi.Size()))
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return crm.ImportTable{File: name}, fileError(name, "import.err_open", err)
	}
	return Parse(ctx, name, raw)
}

// Parse reads the bytes of a vCard file named name (its base name, for the table and the
// errors) into one table: the header is the columns above, every row a card (Line: the line
// of its BEGIN:VCARD), every cell text; HeaderLine is 0, as a vCard file has no header row.
// Text outside cards is ignored; a card without END:VCARD at the end of the file is taken. An
// empty (or blank) file gives an empty table with no header. A file with text but no card
// gives a *crm.ImportFileError "import.err_no_vcard" (undecodable bytes "import.err_bad_text");
// one with too many cards or too long a
// value "import.err_too_big". A cancelled ctx gives its error.
//
// A card gives: 姓名 its FN, else its N (family name then given name, with no space between
// Chinese, Japanese or Korean names; "Given Additional Family" otherwise); 手机 every TEL as
// written, joined by "; "; 邮箱 the first EMAIL; 地址 the first ADR (from the country down,
// with no separator, in Chinese; "street, city, region postcode, country" otherwise); 公司 the
// first component of ORG; 职务 TITLE (else ROLE); 生日 BDAY as 1992-05-03, or 5月3日 when it has
// no year (--0503, iOS's 1604-05-03), other text as written; 备注 the NOTEs, then a line
// "邮箱: …" per other email, "地址: …" per other address and "生日: …" for a birthday without a
// month or day (1992-05). Photos, sounds, keys and X- properties are skipped.
func Parse(ctx context.Context, name string, data []byte) (crm.ImportTable, error) {
	t := crm.ImportTable{File: name}
	text, enc, err := prepare(data)
	if err != nil {
		return t, fileError(name, "import.err_bad_text", err)
	}
	if len(bytes.TrimSpace(text)) == 0 {
		return t, nil
	}
	p := parser{ctx: ctx, name: name, lines: lineReader{data: text}, checked: -ctxLines}
	if err := p.run(); err != nil {
		return t, err
	}
	if !p.seen {
		return t, fileError(name, "import.err_no_vcard", errors.New("no BEGIN:VCARD"))
	}
	enc.gb = p.invalid > p.valid && !enc.unicode
	t.Header = append([]string(nil), header[:]...)
	t.Rows = make([]crm.ImportRow, 0, len(p.cards))
	for i := range p.cards {
		if i%ctxLines == 0 {
			if err := ctx.Err(); err != nil {
				return crm.ImportTable{File: name}, fmt.Errorf("vcard %s: %w", name, err)
			}
		}
		row, err := p.cards[i].row(enc)
		if err != nil {
			return crm.ImportTable{File: name}, fileError(name, "import.err_too_big", err)
		}
		t.Rows = append(t.Rows, row)
	}
	return t, nil
}

// fileError is the error of a file that cannot be read.
func fileError(name, key string, err error) error {
	return &crm.ImportFileError{File: name, Key: key, Args: map[string]any{"File": name}, Err: err}
}

// encoding says how the values of a file are decoded when their CHARSET does not say.
type encoding struct {
	// unicode: the file was UTF-16 and is now UTF-8; every value is UTF-8 whatever its CHARSET.
	unicode bool
	// gb: the values without CHARSET hold more bytes that are not UTF-8 than UTF-8 characters
	// beyond ASCII: such values are GB18030.
	gb bool
}

// prepare drops a UTF-8 byte order mark and turns UTF-16 (with a byte order mark) into UTF-8.
func prepare(raw []byte) ([]byte, encoding, error) {
	switch {
	case bytes.HasPrefix(raw, []byte{0xEF, 0xBB, 0xBF}):
		raw = raw[3:]
	case bytes.HasPrefix(raw, []byte{0xFF, 0xFE}), bytes.HasPrefix(raw, []byte{0xFE, 0xFF}):
		b, err := xunicode.UTF16(xunicode.LittleEndian, xunicode.ExpectBOM).NewDecoder().Bytes(raw)
		if err != nil {
			return nil, encoding{}, fmt.Errorf("utf-16: %w", err)
		}
		return b, encoding{unicode: true}, nil
	}
	return raw, encoding{}, nil
}

// lineReader splits text into lines at CRLF, LF or a lone CR, counting them from 1.
type lineReader struct {
	data []byte
	pos  int
	n    int // lines read
}

// peek returns the next line without reading it, and where the line after it starts.
func (l *lineReader) peek() (line []byte, next int, ok bool) {
	if l.pos >= len(l.data) {
		return nil, l.pos, false
	}
	rest := l.data[l.pos:]
	i := bytes.IndexAny(rest, "\r\n")
	if i < 0 {
		return rest, len(l.data), true
	}
	next = l.pos + i + 1
	if rest[i] == '\r' && i+1 < len(rest) && rest[i+1] == '\n' {
		next++
	}
	return rest[:i], next, true
}

// advance reads the line peek returned.
func (l *lineReader) advance(next int) {
	l.pos = next
	l.n++
}

// next reads the next line.
func (l *lineReader) next() ([]byte, bool) {
	line, next, ok := l.peek()
	if ok {
		l.advance(next)
	}
	return line, ok
}

// parser reads the cards of a file.
type parser struct {
	ctx     context.Context
	name    string
	lines   lineReader
	checked int // lines read at the last check of ctx
	buf     []byte
	seen    bool // a BEGIN:VCARD was seen
	// The values without CHARSET hold valid UTF-8 characters beyond ASCII and invalid bytes.
	valid, invalid int
	cards          []card
}

// run reads every line of the file, collecting the cards and their properties. Whether the
// values without a CHARSET are UTF-8 is known at the end only: the cards are decoded then.
func (p *parser) run() error {
	var cur *card
	for {
		if p.lines.n-p.checked >= ctxLines {
			p.checked = p.lines.n
			if err := p.ctx.Err(); err != nil {
				return fmt.Errorf("vcard %s: %w", p.name, err)
			}
		}
		line, ok := p.lines.next()
		if !ok {
			break
		}
		trimmed := bytes.TrimSpace(line)
		switch {
		case isMarker(trimmed, "BEGIN"):
			// A BEGIN:VCARD in a card ends it, as if its END:VCARD were missing.
			if len(p.cards) >= maxCards {
				return fileError(p.name, "import.err_too_big", fmt.Errorf("line %d: more than %d cards", p.lines.n, maxCards))
			}
			p.seen = true
			p.cards = append(p.cards, card{line: p.lines.n})
			cur = &p.cards[len(p.cards)-1]
			continue
		case cur == nil:
			continue
		case isMarker(trimmed, "END"):
			cur = nil
			continue
		case len(trimmed) == 0:
			continue
		}
		if pr, ok := p.property(line); ok {
			cur.add(pr)
		}
	}
	return nil
}

// isMarker reports whether a trimmed line is BEGIN:VCARD or END:VCARD (which is word), in any
// case.
func isMarker(line []byte, word string) bool {
	w, rest, ok := bytes.Cut(line, []byte(":"))
	return ok && bytes.EqualFold(bytes.TrimSpace(w), []byte(word)) && bytes.EqualFold(bytes.TrimSpace(rest), []byte("VCARD"))
}

// property reads the logical line that starts with first: first and its continuations (folded
// lines, quoted-printable soft line breaks), and skips the unfolded lines of a BASE64 value.
// ok is false for a property the table does not use, or a line that is not a property.
func (p *parser) property(first []byte) (prop, bool) {
	p.buf = append(p.buf[:0], first...)
	var head headScan
	for {
		next, after, ok := p.lines.peek()
		if !ok {
			break
		}
		if head.softBreak(p.buf) && !isMarker(bytes.TrimSpace(next), "BEGIN") && !isMarker(bytes.TrimSpace(next), "END") {
			p.buf = bytes.TrimRight(p.buf, " \t")
			p.buf = p.buf[:len(p.buf)-1]
			if len(next) > 0 && (next[0] == ' ' || next[0] == '\t') {
				next = next[1:]
			}
			p.buf = append(p.buf, next...)
			p.lines.advance(after)
			continue
		}
		if len(next) > 0 && (next[0] == ' ' || next[0] == '\t') {
			p.buf = append(p.buf, next[1:]...)
			p.lines.advance(after)
			continue
		}
		break
	}
	pr, value, ok := parseProperty(p.buf)
	if ok && pr.charset == "" && pr.encoding != encBase64 {
		b := value
		if pr.encoding == encQP {
			b = decodeQP(value)
		}
		v, inv := utf8Score(b)
		p.valid += v
		p.invalid += inv
	}
	if ok && pr.encoding == encBase64 {
		// vCard 2.1 writes a BASE64 value on lines of their own, up to a blank line.
		for {
			next, after, ok := p.lines.peek()
			if !ok || !isBase64Line(next) {
				break
			}
			p.lines.advance(after)
			if len(bytes.TrimSpace(next)) == 0 {
				break
			}
		}
	}
	if !ok || !used[pr.name] {
		return prop{}, false
	}
	pr.raw = string(value)
	return pr, true
}

// headScan finds the end of the head of a logical line (its name and parameters) as the line
// grows, each byte scanned once, and remembers whether the parameters say QUOTED-PRINTABLE.
type headScan struct {
	pos    int  // bytes scanned
	quoted bool // within double quotes at pos
	found  bool // the head's colon is found
	qp     bool // the head says QUOTED-PRINTABLE
}

// softBreak reports whether a logical line is a quoted-printable value that continues on the
// next line: its parameters say QUOTED-PRINTABLE and it ends with "=" (spaces after it are
// ignored).
func (h *headScan) softBreak(line []byte) bool {
	for ; !h.found && h.pos < len(line); h.pos++ {
		switch line[h.pos] {
		case '"':
			h.quoted = !h.quoted
		case ':':
			if !h.quoted {
				h.found, h.qp = true, containsFold(line[:h.pos], "QUOTED-PRINTABLE")
			}
		}
	}
	if !h.qp {
		return false
	}
	line = bytes.TrimRight(line[h.pos:], " \t")
	return len(line) > 0 && line[len(line)-1] == '='
}

// containsFold reports whether s contains the upper-case ASCII word, in any case.
func containsFold(s []byte, word string) bool {
	for i := 0; i+len(word) <= len(s); i++ {
		if bytes.EqualFold(s[i:i+len(word)], []byte(word)) {
			return true
		}
	}
	return false
}

// isBase64Line reports whether a line may be part of a BASE64 value: blank, or only the
// characters of base64 and spaces.
func isBase64Line(line []byte) bool {
	for _, c := range line {
		switch {
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9',
			c == '+', c == '/', c == '=', c == ' ', c == '\t':
		default:
			return false
		}
	}
	return true
}

// cutHead cuts a property line at its first colon outside double quotes: the name and the
// parameters before it, the value after it.
func cutHead(line []byte) (head, value []byte, ok bool) {
	quoted := false
	for i, c := range line {
		switch c {
		case '"':
			quoted = !quoted
		case ':':
			if !quoted {
				return line[:i], line[i+1:], true
			}
		}
	}
	return nil, nil, false
}

// Value encodings.
const (
	encNone = iota
	encQP
	encBase64
)

// prop is a property of a card, its value as in the file (not yet decoded).
type prop struct {
	name      string // upper case, without its group
	encoding  int
	charset   string // upper case
	valueText bool   // VALUE=text
	omitYear  string // X-APPLE-OMIT-YEAR
	raw       string // set for the properties the table reads
}

// used are the properties the table reads.
var used = map[string]bool{"VERSION": true, "FN": true, "N": true, "TEL": true, "EMAIL": true, "NOTE": true,
	"ORG": true, "TITLE": true, "ROLE": true, "ADR": true, "BDAY": true}

// parseProperty reads a logical line "[group.]NAME[;param…]:value". Its parameters may be
// "KEY=value[,value]", quoted "KEY=\"…\"", or bare as vCard 2.1 writes them (TEL;CELL;VOICE,
// NOTE;QUOTED-PRINTABLE).
func parseProperty(line []byte) (pr prop, value []byte, ok bool) {
	head, value, ok := cutHead(line)
	if !ok {
		return prop{}, nil, false
	}
	params := splitParams(head)
	name := strings.TrimSpace(params[0])
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		name = name[i+1:]
	}
	if name == "" {
		return prop{}, nil, false
	}
	pr.name = strings.ToUpper(name)
	for _, prm := range params[1:] {
		k, v, hasValue := strings.Cut(strings.TrimSpace(prm), "=")
		k = strings.ToUpper(strings.TrimSpace(k))
		v = strings.Trim(strings.TrimSpace(v), `"`)
		if !hasValue {
			k, v = "", k
		}
		switch k {
		case "ENCODING", "":
			switch strings.ToUpper(v) {
			case "QUOTED-PRINTABLE":
				pr.encoding = encQP
			case "BASE64", "B":
				pr.encoding = encBase64
			}
		case "CHARSET":
			pr.charset = strings.ToUpper(v)
		case "VALUE":
			pr.valueText = strings.EqualFold(v, "text")
		case "X-APPLE-OMIT-YEAR":
			pr.omitYear = v
		}
	}
	return pr, value, true
}

// splitParams splits the head of a property line at the semicolons outside double quotes: the
// name first, then the parameters.
func splitParams(head []byte) []string {
	var out []string
	quoted, start := false, 0
	for i, c := range head {
		switch c {
		case '"':
			quoted = !quoted
		case ';':
			if !quoted {
				out = append(out, string(head[start:i]))
				start = i + 1
			}
		}
	}
	return append(out, string(head[start:]))
}

// card is the properties of one card that the table reads.
type card struct {
	line  int // of BEGIN:VCARD
	props []prop
}

func (c *card) add(p prop) { c.props = append(c.props, p) }

// row turns a card into a row, its values decoded as enc says. The error tells a value too
// long for a cell.
func (c *card) row(enc encoding) (crm.ImportRow, error) {
	v21 := false
	for _, pr := range c.props {
		if pr.name == "VERSION" {
			v21 = strings.HasPrefix(strings.TrimSpace(pr.raw), "2")
			break
		}
	}
	var (
		cells             [numCols]string
		fn, title, role   string
		n                 []string
		phones, notes     []string
		emails, addresses []string
		extraBirthday     string
	)
	for _, pr := range c.props {
		text := decode(pr, enc)
		switch pr.name {
		case "FN":
			if fn == "" {
				fn = oneLine(unescape(text, v21))
			}
		case "N":
			if fullName(n, v21) == "" {
				n = splitValue(text, ';')
			}
		case "TEL":
			if ph := phone(oneLine(unescape(text, v21))); ph != "" && !contains(phones, ph) {
				phones = append(phones, ph)
			}
		case "EMAIL":
			if e := oneLine(unescape(text, v21)); e != "" && !contains(emails, e) {
				emails = append(emails, e)
			}
		case "NOTE":
			if s := clean(unescape(text, v21)); s != "" {
				notes = append(notes, s)
			}
		case "ORG":
			if cells[colCompany] == "" {
				for _, part := range splitValue(text, ';') {
					if s := oneLine(unescape(part, v21)); s != "" {
						cells[colCompany] = s
						break
					}
				}
			}
		case "TITLE":
			if title == "" {
				title = oneLine(unescape(text, v21))
			}
		case "ROLE":
			if role == "" {
				role = oneLine(unescape(text, v21))
			}
		case "ADR":
			if a := address(splitValue(text, ';'), v21); a != "" && !contains(addresses, a) {
				addresses = append(addresses, a)
			}
		case "BDAY":
			if cells[colBirthday] == "" && extraBirthday == "" {
				cells[colBirthday], extraBirthday = birthday(oneLine(unescape(text, v21)), pr.valueText, pr.omitYear)
			}
		}
	}
	cells[colName] = fn
	if cells[colName] == "" {
		cells[colName] = fullName(n, v21)
	}
	cells[colPhone] = strings.Join(phones, "; ")
	if len(emails) > 0 {
		cells[colEmail] = emails[0]
		for _, e := range emails[1:] {
			notes = append(notes, noteEmail+": "+e)
		}
	}
	if len(addresses) > 0 {
		cells[colAddress] = addresses[0]
		for _, a := range addresses[1:] {
			notes = append(notes, noteAddress+": "+a)
		}
	}
	if extraBirthday != "" {
		notes = append(notes, noteBirthday+": "+extraBirthday)
	}
	cells[colTitle] = title
	if title == "" {
		cells[colTitle] = role
	}
	cells[colNotes] = strings.Join(notes, "\n")
	row := crm.ImportRow{Line: c.line, Cells: make([]crm.ImportCell, numCols)}
	for i, s := range cells {
		if len(s) > maxValue && utf8.RuneCountInString(s) > maxValue {
			return crm.ImportRow{}, fmt.Errorf("card at line %d: %s of %d characters", c.line, header[i], utf8.RuneCountInString(s))
		}
		row.Cells[i] = crm.ImportCell{Text: s}
	}
	return row, nil
}

// phone is the text of a TEL value: as written, but a tel: URI (vCard 4.0) without its scheme
// and parameters, its extension as " ext. 8" ("tel:+86-21-5555-1234;ext=8").
func phone(s string) string {
	if len(s) < 4 || !strings.EqualFold(s[:4], "tel:") {
		return s
	}
	params := strings.Split(s[4:], ";")
	out := strings.TrimSpace(params[0])
	for _, p := range params[1:] {
		if k, v, ok := strings.Cut(p, "="); ok && strings.EqualFold(strings.TrimSpace(k), "ext") && strings.TrimSpace(v) != "" {
			out += " ext. " + strings.TrimSpace(v)
		}
	}
	return out
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// decode turns a property's value into text: quoted-printable or base64 decoded, then from its
// CHARSET (or the file's encoding) to UTF-8. Escapes are left as they are.
func decode(pr prop, enc encoding) string {
	b := []byte(pr.raw)
	switch pr.encoding {
	case encQP:
		// A soft line break with no line after it (the end of the card or the file).
		b = bytes.TrimRight(b, " \t")
		b = decodeQP(bytes.TrimSuffix(b, []byte("=")))
	case encBase64:
		d, err := base64.StdEncoding.DecodeString(strings.Map(func(r rune) rune {
			if r == ' ' || r == '\t' {
				return -1
			}
			return r
		}, pr.raw))
		if err != nil {
			return ""
		}
		b = d
	}
	return decodeCharset(b, pr.charset, enc)
}

// decodeQP decodes a quoted-printable value whose soft line breaks are already joined: "=XX"
// is the byte XX; any other "=" stays as it is.
func decodeQP(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		if b[i] == '=' && i+2 < len(b) && isHex(b[i+1]) && isHex(b[i+2]) {
			out = append(out, unhex(b[i+1])<<4|unhex(b[i+2]))
			i += 2
			continue
		}
		out = append(out, b[i])
	}
	return out
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}

// decodeCharset turns the bytes of a value into UTF-8 text: by its CHARSET (GB2312, GBK and
// GB18030 all read as GB18030, a superset of the others; an unknown one as none); with none,
// GB18030 when the file's values without CHARSET are mostly not UTF-8 (enc.gb), else UTF-8. A
// UTF-8 value (declared or not) that is mostly not UTF-8 is read as GB18030 (some phones label
// GBK text UTF-8, some files join GBK and UTF-8 exports); bytes that are not text become
// U+FFFD. In a file that was UTF-16 every value is UTF-8.
func decodeCharset(b []byte, charset string, enc encoding) string {
	ascii := true
	for _, c := range b {
		if c >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii || enc.unicode && utf8.Valid(b) {
		return string(b)
	}
	gb := func() string {
		s, err := simplifiedchinese.GB18030.NewDecoder().Bytes(b)
		if err != nil {
			return strings.ToValidUTF8(string(b), "\uFFFD")
		}
		return strings.ToValidUTF8(string(s), "\uFFFD")
	}
	switch charset {
	case "":
		if enc.gb {
			return gb()
		}
		return utf8OrGB(b, gb)
	case "UTF-8", "UTF8":
		return utf8OrGB(b, gb)
	case "GB2312", "GBK", "GB18030", "CP936", "X-GBK", "EUC-CN", "HZ-GB-2312":
		return gb()
	}
	e, err := htmlindex.Get(charset)
	if err != nil {
		return utf8OrGB(b, gb)
	}
	s, err := e.NewDecoder().Bytes(b)
	if err != nil {
		return strings.ToValidUTF8(string(b), "\uFFFD")
	}
	return strings.ToValidUTF8(string(s), "\uFFFD")
}

// utf8OrGB reads b as UTF-8 unless it holds more bytes that are not UTF-8 than UTF-8
// characters beyond ASCII: then as GB18030 (gb). A UTF-8 value with a broken character (cut
// short by a phone) keeps its other characters.
func utf8OrGB(b []byte, gb func() string) string {
	if utf8.Valid(b) {
		return string(b)
	}
	if valid, invalid := utf8Score(b); invalid > valid {
		return gb()
	}
	return strings.ToValidUTF8(string(b), "\uFFFD")
}

// utf8Score counts the UTF-8 characters beyond ASCII in b and the bytes that are not UTF-8.
func utf8Score(b []byte) (valid, invalid int) {
	for len(b) > 0 {
		if b[0] < utf8.RuneSelf {
			b = b[1:]
			continue
		}
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size == 1 {
			invalid++
		} else {
			valid++
		}
		b = b[size:]
	}
	return valid, invalid
}

// splitValue splits a value at the separator sep where it is not escaped by a backslash; the
// parts keep their escapes.
func splitValue(s string, sep byte) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case sep:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

// unescape undoes a value's escapes: in vCard 3.0 and 4.0 \\ \, \; \: and \n (\N) for a new
// line; vCard 2.1 escapes only \; (and, as some phones write, \,). Other backslashes stay.
func unescape(s string, v21 bool) string {
	if strings.IndexByte(s, '\\') < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 == len(s) {
			b.WriteByte(c)
			continue
		}
		switch n := s[i+1]; {
		case n == ';' || n == ',':
			b.WriteByte(n)
			i++
		case v21:
			b.WriteByte(c)
		case n == '\\' || n == ':':
			b.WriteByte(n)
			i++
		case n == 'n' || n == 'N':
			b.WriteByte('\n')
			i++
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// clean makes a value a cell's text: new lines as "\n", no other control characters, no
// spaces around.
func clean(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\r':
			return '\n'
		case r == '\n' || r == '\t':
			return r
		case unicode.IsControl(r), r == '\uFEFF':
			return -1
		}
		return r
	}, s)
	return strings.TrimSpace(s)
}

// oneLine is clean for a value of one line: new lines and tabs become spaces.
func oneLine(s string) string {
	s = clean(s)
	if strings.ContainsAny(s, "\n\t") {
		s = strings.Join(strings.Fields(s), " ")
	}
	return s
}

// fullName assembles a name from the components of N: family name, given name, additional
// names, prefixes, suffixes (in vCard 3.0 and 4.0 each may list several values separated by
// commas). Chinese, Japanese and Korean names are the family name then the given name with no
// space; others "Given Additional Family".
func fullName(n []string, v21 bool) string {
	family, given, additional := listValue(n, 0, v21, " "), listValue(n, 1, v21, " "), listValue(n, 2, v21, " ")
	if isCJK(family) || isCJK(given) {
		return family + given
	}
	return joinNonEmpty(" ", given, additional, family)
}

// listValue is component i of a structured value (N, ADR), unescaped, on one line; in vCard
// 3.0 and 4.0 a component may list several values separated by unescaped commas, joined by sep
// ("" between Chinese values).
func listValue(components []string, i int, v21 bool, sep string) string {
	if i >= len(components) {
		return ""
	}
	if v21 {
		return oneLine(unescape(components[i], v21))
	}
	var vs []string
	cjk := false
	for _, v := range splitValue(components[i], ',') {
		if v = oneLine(unescape(v, v21)); v != "" {
			vs = append(vs, v)
			cjk = cjk || isCJK(v)
		}
	}
	if cjk {
		sep = ""
	}
	return strings.Join(vs, sep)
}

// isCJK reports whether s holds a Han, kana or Hangul character.
func isCJK(s string) bool {
	for _, r := range s {
		if r >= 0x1100 && (unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) ||
			unicode.Is(unicode.Katakana, r) || unicode.Is(unicode.Hangul, r)) {
			return true
		}
	}
	return false
}

func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, s := range parts {
		if s != "" {
			out = append(out, s)
		}
	}
	return strings.Join(out, sep)
}

// address formats the components of ADR: post office box, extended address, street, locality,
// region, postal code, country. Chinese (any CJK component) reads from the country down with
// no separator, the postal code last after a space; others "street, extended, box, locality,
// region postcode, country".
func address(adr []string, v21 bool) string {
	var c [7]string
	for i := range c {
		c[i] = listValue(adr, i, v21, ", ")
	}
	box, ext, street, locality, region, postal, country := c[0], c[1], c[2], c[3], c[4], c[5], c[6]
	cjk := false
	for _, s := range c {
		cjk = cjk || isCJK(s)
	}
	if cjk {
		return joinNonEmpty(" ", country+region+locality+street+ext+box, postal)
	}
	return joinNonEmpty(", ", street, ext, box, locality, joinNonEmpty(" ", region, postal), country)
}

// birthday reads a BDAY value: a date with a year (1992-05-03, 19920503, 1992-05-03T00:00:00Z,
// 19920503T000000Z) as "1992-05-03"; one without (--0503, --05-03, or the year 1604 or
// X-APPLE-OMIT-YEAR that iOS writes) as "5月3日"; a date without a month or a day (1992-05,
// ---03) goes to the notes; anything else, and a VALUE=text value, is kept as written (the
// importer reads many forms, and reports those it cannot).
func birthday(s string, valueText bool, omitYear string) (cell, note string) {
	if s == "" || valueText {
		return s, ""
	}
	date := s
	if i := strings.IndexAny(date, "Tt "); i >= 0 {
		date = date[:i]
	}
	y, m, d := -1, 0, 0
	switch {
	case strings.HasPrefix(date, "---"): // a day only
		return "", s
	case strings.HasPrefix(date, "--"):
		md := strings.ReplaceAll(date[2:], "-", "")
		if len(md) != 4 || !allDigits(md) {
			return "", s
		}
		m, d = atoi(md[:2]), atoi(md[2:])
	case len(date) == 8 && allDigits(date):
		y, m, d = atoi(date[:4]), atoi(date[4:6]), atoi(date[6:])
	case len(date) == 10 && allDigits(date[:4]) && date[4] == '-' && allDigits(date[5:7]) && date[7] == '-' && allDigits(date[8:]):
		y, m, d = atoi(date[:4]), atoi(date[5:7]), atoi(date[8:])
	case len(date) == 4 && allDigits(date), len(date) == 6 && allDigits(date),
		len(date) == 7 && allDigits(date[:4]) && date[4] == '-' && allDigits(date[5:]):
		return "", s // a year, or a year and a month
	default:
		return s, ""
	}
	if m < 1 || m > 12 || d < 1 || d > 31 {
		return s, ""
	}
	if y <= 0 || y == 1604 || omitYear != "" && omitYear == fmt.Sprintf("%04d", y) {
		return fmt.Sprintf("%d月%d日", m, d), ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", y, m, d), ""
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}
