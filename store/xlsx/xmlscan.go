package xlsx

import (
	"bytes"
	"errors"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// errUnsupported is what the fast reader says of XML it does not read exactly as excelize
// (encoding/xml) does: the reader then reads the file through excelize.
var errUnsupported = errors.New("xlsx: not read by the fast reader")

// xmlToken is the kind of a token of xmlScanner.
type xmlToken uint8

const (
	tokEOF   xmlToken = iota
	tokStart          // a start tag; empty when it is <name/> (no tokEnd follows)
	tokEnd            // an end tag
	tokText           // character data, raw (entities not decoded)
	tokCDATA          // the content of a CDATA section
)

// maxScanBuffer bounds the buffer of xmlScanner: a token (a tag, a text) longer than that is
// not read by the fast reader.
const maxScanBuffer = 16 << 20

// xmlScanner reads an XML part (a worksheet, the shared strings) token by token, fast: it
// accepts a strict subset of what encoding/xml's strict Decoder accepts — UTF-8 only, ASCII
// names, attribute values without entities, no DTD — and checks what the Decoder checks on that
// subset (matching end tags, characters in the XML range, valid entities, "--" in comments,
// "]]>" outside CDATA), so that text decoded with text is what the Decoder gives. Anything else
// ends the scan with errUnsupported; malformed XML, with errUnsupported too (excelize reads such
// a part in its own way).
type xmlScanner struct {
	r    io.Reader
	buf  []byte
	p, n int // buf[p:n] is read, not consumed
	eof  bool
	rerr error // read error (not io.EOF)

	// The current token. Its slices point into buf: valid until the next call of next.
	name  []byte    // tokStart, tokEnd: the local name
	qname []byte    // tokStart: the qualified name
	attrs []xmlAttr // tokStart: the attributes
	empty bool      // tokStart: <name/>
	raw   []byte    // tokText, tokCDATA
	cdata bool      // raw is a CDATA section's

	stack []string          // qualified names of the open elements
	names map[string]string // interned qualified names
}

// scanBuffer is the initial size of an xmlScanner's buffer (tests make it tiny, so that tokens
// straddle refills).
var scanBuffer = 256 << 10

func newXMLScanner(r io.Reader) *xmlScanner {
	return &xmlScanner{r: r, buf: make([]byte, scanBuffer), names: map[string]string{}}
}

// fill reads more bytes after buf[p:n], keeping them; false at the end of the input or on a
// read error (rerr).
func (s *xmlScanner) fill() bool {
	if s.eof || s.rerr != nil {
		return false
	}
	if s.p > 0 {
		copy(s.buf, s.buf[s.p:s.n])
		s.n -= s.p
		s.p = 0
	}
	if s.n == len(s.buf) {
		if len(s.buf) >= maxScanBuffer {
			s.rerr = errUnsupported
			return false
		}
		nb := make([]byte, 2*len(s.buf))
		copy(nb, s.buf[:s.n])
		s.buf = nb
	}
	for {
		k, err := s.r.Read(s.buf[s.n:])
		s.n += k
		if err == io.EOF {
			s.eof = true
			return k > 0
		}
		if err != nil {
			s.rerr = err
			return k > 0
		}
		if k > 0 {
			return true
		}
	}
}

// find returns the offset from p of the first sep at or after buf[p+from], reading more as
// needed (which moves buf[p:n] to the start of buf); -1 when the input ends first.
func (s *xmlScanner) find(from int, sep string) int {
	for {
		if i := bytes.Index(s.buf[s.p+from:s.n], []byte(sep)); i >= 0 {
			return from + i
		}
		from = max(0, s.n-s.p-len(sep)+1)
		if !s.fill() {
			return -1
		}
	}
}

// fail is the error of the scan: a read error, else errUnsupported.
func (s *xmlScanner) fail() error {
	if s.rerr != nil {
		return s.rerr
	}
	return errUnsupported
}

// next reads the next token. Comments and processing instructions are skipped (the XML
// declaration is checked); at the end of the input every element must be closed.
func (s *xmlScanner) next() (xmlToken, error) {
	for {
		if s.p == s.n && !s.fill() {
			if s.rerr != nil {
				return tokEOF, s.rerr
			}
			if len(s.stack) > 0 {
				return tokEOF, errUnsupported
			}
			return tokEOF, nil
		}
		if s.buf[s.p] != '<' {
			end := s.find(0, "<")
			if end < 0 {
				if s.rerr != nil {
					return tokEOF, s.rerr
				}
				end = s.n - s.p
			}
			s.raw, s.cdata = s.buf[s.p:s.p+end], false
			s.p += end
			return tokText, nil
		}
		for s.n-s.p < len("<![CDATA[") {
			if !s.fill() {
				break
			}
		}
		rest := s.buf[s.p:s.n]
		switch {
		case len(rest) >= 2 && rest[1] == '/':
			return s.endTag()
		case bytes.HasPrefix(rest, []byte("<!--")):
			end := s.find(4, "--")
			for end >= 0 && s.p+end+2 >= s.n {
				if !s.fill() {
					end = -1
				}
			}
			if end < 0 {
				return tokEOF, s.fail()
			}
			if s.buf[s.p+end+2] != '>' {
				return tokEOF, errUnsupported
			}
			s.p += end + 3
		case bytes.HasPrefix(rest, []byte("<![CDATA[")):
			end := s.find(9, "]]>")
			if end < 0 {
				return tokEOF, s.fail()
			}
			s.raw, s.cdata = s.buf[s.p+9:s.p+end], true
			s.p += end + 3
			return tokCDATA, nil
		case len(rest) >= 2 && rest[1] == '!':
			return tokEOF, errUnsupported // a DTD or another directive
		case len(rest) >= 2 && rest[1] == '?':
			if err := s.procInst(); err != nil {
				return tokEOF, err
			}
		default:
			return s.startTag()
		}
	}
}

// procInst skips a processing instruction; an XML declaration must say version 1.0 (or
// nothing) and UTF-8 (or nothing): encoding/xml would switch to another encoding.
func (s *xmlScanner) procInst() error {
	end := s.find(2, "?>")
	if end < 0 {
		return s.fail()
	}
	body := s.buf[s.p+2 : s.p+end]
	k := 0
	for k < len(body) && isNameByte(body[k]) {
		k++
	}
	target := body[:k]
	if k == 0 || k < len(body) && !isSpace(body[k]) {
		return errUnsupported
	}
	if string(target) == "xml" {
		content := string(bytes.TrimLeft(body[k:], " \t\r\n"))
		ver, enc := procInstParam("version", content), procInstParam("encoding", content)
		if ver != "" && ver != "1.0" || enc != "" && !strings.EqualFold(enc, "utf-8") {
			return errUnsupported
		}
	} else if !validName(target) {
		return errUnsupported
	}
	s.p += end + 2
	return nil
}

// procInstParam is encoding/xml's procInst: the value of param in the content of a
// processing instruction, "" when there is none.
func procInstParam(param, s string) string {
	param += "="
	lenp := len(param)
	i := 0
	var sep byte
	for i < len(s) {
		sub := s[i:]
		k := strings.Index(sub, param)
		if k < 0 || lenp+k >= len(sub) {
			return ""
		}
		i += lenp + k + 1
		if c := sub[lenp+k]; c == '\'' || c == '"' {
			sep = c
			break
		}
	}
	if sep == 0 {
		return ""
	}
	j := strings.IndexByte(s[i:], sep)
	if j < 0 {
		return ""
	}
	return s[i : i+j]
}

// startTag reads a start tag at buf[p].
func (s *xmlScanner) startTag() (xmlToken, error) {
	// Find the closing '>' outside quoted attribute values.
	i, quote := s.p+1, byte(0)
	for {
		if i >= s.n {
			off := i - s.p
			if !s.fill() {
				return tokEOF, s.fail()
			}
			i = s.p + off
			continue
		}
		c := s.buf[i]
		if quote != 0 {
			if c == quote {
				quote = 0
			} else if c == '<' || c == '&' {
				return tokEOF, errUnsupported // an error, or an entity in an attribute value
			}
		} else if c == '"' || c == '\'' {
			quote = c
		} else if c == '>' {
			break
		}
		i++
	}
	tag := s.buf[s.p+1 : i]
	s.p = i + 1
	s.empty = len(tag) > 0 && tag[len(tag)-1] == '/'
	if s.empty {
		tag = tag[:len(tag)-1]
	}
	k := 0
	for k < len(tag) && isNameByte(tag[k]) {
		k++
	}
	qname := tag[:k]
	local, ok := localName(qname)
	if !ok || k < len(tag) && !isSpace(tag[k]) {
		return tokEOF, errUnsupported
	}
	attrs, err := parseAttrs(s.attrs[:0], tag[k:])
	if err != nil {
		return tokEOF, err
	}
	s.name, s.qname, s.attrs = local, qname, attrs
	if !s.empty {
		name, ok := s.names[string(qname)]
		if !ok {
			if len(s.names) >= 1024 {
				return tokEOF, errUnsupported
			}
			name = string(qname)
			s.names[name] = name
		}
		s.stack = append(s.stack, name)
	}
	return tokStart, nil
}

// endTag reads an end tag at buf[p]; it must close the innermost open element.
func (s *xmlScanner) endTag() (xmlToken, error) {
	end := s.find(2, ">")
	if end < 0 {
		return tokEOF, s.fail()
	}
	tag := s.buf[s.p+2 : s.p+end]
	k := 0
	for k < len(tag) && isNameByte(tag[k]) {
		k++
	}
	qname := tag[:k]
	for _, c := range tag[k:] {
		if !isSpace(c) {
			return tokEOF, errUnsupported
		}
	}
	local, ok := localName(qname)
	if !ok || len(s.stack) == 0 || s.stack[len(s.stack)-1] != string(qname) {
		return tokEOF, errUnsupported
	}
	s.stack = s.stack[:len(s.stack)-1]
	s.name = local
	s.p += end + 1
	return tokEnd, nil
}

// depth is the number of open elements.
func (s *xmlScanner) depth() int { return len(s.stack) }

// skip skips the content of the element whose start tag was just read, through its end tag.
// Text in it is checked as encoding/xml checks it.
func (s *xmlScanner) skip() error {
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
		case tokEnd:
			if s.depth() < d {
				return nil
			}
		case tokText, tokCDATA:
			if _, err := s.text(nil); err != nil {
				return err
			}
		}
	}
}

// text appends the current text token, decoded as encoding/xml decodes character data (the
// five predefined entities and character references; \r\n and \r become \n), to dst. The
// decoded text must be UTF-8 of characters in the XML range.
func (s *xmlScanner) text(dst []byte) ([]byte, error) {
	raw := s.raw
	start := len(dst)
	if s.cdata {
		dst = appendNewlines(dst, raw)
	} else if bytes.IndexByte(raw, '&') < 0 && bytes.IndexByte(raw, '\r') < 0 {
		if bytes.Contains(raw, []byte("]]>")) {
			return dst, errUnsupported
		}
		dst = append(dst, raw...)
	} else {
		var err error
		if dst, err = appendDecoded(dst, raw); err != nil {
			return dst, err
		}
	}
	if !validXMLChars(dst[start:]) {
		return dst, errUnsupported
	}
	return dst, nil
}

// appendNewlines appends raw with \r\n and \r turned into \n.
func appendNewlines(dst, raw []byte) []byte {
	for len(raw) > 0 {
		i := bytes.IndexByte(raw, '\r')
		if i < 0 {
			return append(dst, raw...)
		}
		dst = append(append(dst, raw[:i]...), '\n')
		raw = raw[i+1:]
		if len(raw) > 0 && raw[0] == '\n' {
			raw = raw[1:]
		}
	}
	return dst
}

// appendDecoded appends the character data raw, decoded as encoding/xml's Decoder.text does
// outside CDATA.
func appendDecoded(dst, raw []byte) ([]byte, error) {
	var b0, b1 byte
	for i := 0; i < len(raw); i++ {
		b := raw[i]
		if b0 == ']' && b1 == ']' && b == '>' {
			return dst, errUnsupported
		}
		if b == '&' {
			semi := bytes.IndexByte(raw[i:], ';')
			if semi < 0 {
				return dst, errUnsupported
			}
			ent := raw[i+1 : i+semi]
			var r rune
			switch {
			case len(ent) > 1 && ent[0] == '#':
				digits, base := ent[1:], 10
				if digits[0] == 'x' {
					digits, base = digits[1:], 16
				}
				n, err := strconv.ParseUint(string(digits), base, 64)
				if err != nil || len(digits) == 0 || digits[0] == '+' || digits[0] == '-' || n > unicode.MaxRune {
					return dst, errUnsupported
				}
				r = rune(n)
				dst = append(dst, string(r)...) // as string(rune(n)): a surrogate becomes U+FFFD
			default:
				switch string(ent) {
				case "lt":
					dst = append(dst, '<')
				case "gt":
					dst = append(dst, '>')
				case "amp":
					dst = append(dst, '&')
				case "apos":
					dst = append(dst, '\'')
				case "quot":
					dst = append(dst, '"')
				default:
					return dst, errUnsupported
				}
			}
			i += semi
			b0, b1 = 0, 0
			continue
		}
		switch {
		case b == '\r':
			dst = append(dst, '\n')
		case b1 == '\r' && b == '\n':
		default:
			dst = append(dst, b)
		}
		b0, b1 = b1, b
	}
	return dst, nil
}

// validXMLChars reports whether b is UTF-8 of characters in the XML range (as encoding/xml
// checks character data).
func validXMLChars(b []byte) bool {
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 || !(r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF) {
			return false
		}
		i += size
	}
	return true
}

// xmlAttr is an attribute of a start tag.
type xmlAttr struct {
	qname, local, value []byte
}

// parseAttrs appends to out the attributes of a start tag (name="value" or name='value',
// separated by white space; the values already known to hold neither < nor &), checking what
// encoding/xml checks in strict mode, ASCII names, values of characters in the XML range.
func parseAttrs(out []xmlAttr, a []byte) ([]xmlAttr, error) {
	for {
		i := 0
		for i < len(a) && isSpace(a[i]) {
			i++
		}
		if i == len(a) {
			return out, nil
		}
		if i == 0 {
			return out, errUnsupported
		}
		a = a[i:]
		k := 0
		for k < len(a) && isNameByte(a[k]) {
			k++
		}
		qname := a[:k]
		local, ok := localName(qname)
		if !ok {
			return out, errUnsupported
		}
		for k < len(a) && isSpace(a[k]) {
			k++
		}
		if k == len(a) || a[k] != '=' {
			return out, errUnsupported
		}
		k++
		for k < len(a) && isSpace(a[k]) {
			k++
		}
		if k == len(a) || a[k] != '"' && a[k] != '\'' {
			return out, errUnsupported
		}
		end := bytes.IndexByte(a[k+1:], a[k])
		if end < 0 {
			return out, errUnsupported
		}
		v := a[k+1 : k+1+end]
		if !plainAttrValue(v) {
			return out, errUnsupported
		}
		out = append(out, xmlAttr{qname: qname, local: local, value: v})
		a = a[k+2+end:]
	}
}

// plainAttrValue reports whether an attribute value is characters of the XML range other than
// \r (encoding/xml would turn it into \n).
func plainAttrValue(v []byte) bool {
	for _, c := range v {
		if c < 0x20 && c != '\t' && c != '\n' || c >= utf8.RuneSelf {
			return validXMLChars(v) && bytes.IndexByte(v, '\r') < 0
		}
	}
	return true
}

// localName splits a qualified name as encoding/xml does and returns its local part; ok is
// false for what encoding/xml refuses and for names this reader does not take (non-ASCII).
func localName(q []byte) ([]byte, bool) {
	if !validName(q) {
		return nil, false
	}
	i := bytes.IndexByte(q, ':')
	if i < 0 {
		return q, true
	}
	if bytes.IndexByte(q[i+1:], ':') >= 0 {
		return nil, false
	}
	if i == 0 || i == len(q)-1 {
		return q, true
	}
	return q[i+1:], true
}

// validName reports whether q is an ASCII XML name: a letter, '_' or ':', then letters,
// digits, '_', ':', '.', '-'.
func validName(q []byte) bool {
	if len(q) == 0 {
		return false
	}
	c := q[0]
	if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '_' || c == ':') {
		return false
	}
	for _, c := range q[1:] {
		if !isNameByte(c) {
			return false
		}
	}
	return true
}

func isNameByte(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == ':' || c == '.' || c == '-'
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }
