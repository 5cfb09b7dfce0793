package crm

import (
	"strings"
	"unicode"

	"github.com/mozillazg/go-pinyin"
)

// surnameReadings fixes the common surnames whose ordinary reading differs from their reading as
// a surname, so that "zengguofan" finds 曾国藩 and "sx" finds 单雄.
var surnameReadings = map[rune]string{
	'曾': "zeng", '单': "shan", '解': "xie", '仇': "qiu", '朴': "piao", '查': "zha",
	'区': "ou", '覃': "qin", '乐': "yue", '盖': "ge", '缪': "miao", '尉': "yu",
	'重': "chong", '种': "chong", '翟': "zhai", '秘': "bi", '召': "shao", '华': "hua",
	'纪': "ji", '任': "ren", '沈': "shen", '薄': "bo", '柏': "bai", '长': "chang",
}

var pinyinArgs = pinyin.NewArgs() // Normal style: no tones

// Pinyin returns the full pinyin of s (no tones, no spaces) and its initials. A leading Chinese
// surname uses its surname reading. Characters without pinyin (Latin letters, digits) are kept
// as they are, lower-cased, in both.
func Pinyin(s string) (full, initials string) {
	var f, in strings.Builder
	first := true
	for _, r := range s {
		var py string
		if first {
			py = surnameReadings[r]
		}
		if py == "" && unicode.Is(unicode.Han, r) {
			if ps := pinyin.SinglePinyin(r, pinyinArgs); len(ps) > 0 {
				py = ps[0]
			}
		}
		first = false
		switch {
		case py != "":
			f.WriteString(py)
			in.WriteByte(py[0])
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			lr := unicode.ToLower(r)
			f.WriteRune(lr)
			in.WriteRune(lr)
		}
	}
	return f.String(), in.String()
}

// SearchKey builds the text the customer list searches: name, remark name, code, phone digits
// (with and without the +86 country code), tags, and the pinyin and pinyin initials of name and
// remark, lower-cased and separated by NUL so that a query never matches across two fields.
func SearchKey(c *Customer) string {
	var b strings.Builder
	add := func(s string) {
		if s == "" {
			return
		}
		b.WriteString(strings.ToLower(s))
		b.WriteByte(0)
	}
	add(c.Name)
	add(c.Remark)
	add(c.Code)
	for _, p := range c.Phones {
		digits := strings.TrimPrefix(p, "+")
		add(digits)
		if strings.HasPrefix(digits, "86") {
			add(digits[2:])
		}
	}
	for _, t := range c.Tags {
		add(t)
	}
	for _, s := range []string{c.Name, c.Remark} {
		if s == "" {
			continue
		}
		full, initials := Pinyin(s)
		add(full)
		add(initials)
	}
	return b.String()
}

// NormalizeQuery prepares what the user typed for MatchKey: trimmed, lower-case, and without
// spaces and dashes (so "138 1234" and "zhang san" match).
func NormalizeQuery(q string) string {
	q = strings.ToLower(strings.TrimSpace(q))
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || unicode.IsControl(r) || r == '-' {
			return -1
		}
		return r
	}, q)
}

// MatchKey reports whether a normalised query occurs in a search key. The empty query matches
// everything.
func MatchKey(key, normalizedQuery string) bool {
	return normalizedQuery == "" || strings.Contains(key, normalizedQuery)
}

// PrefixMatch reports whether a normalised query starts one of the key's fields: "zs" starts the
// initials of 张三 ("zs") and of 赵思彤 ("zst") but only falls inside those of 曹长生 ("czs"). The
// customer list shows such matches first.
func PrefixMatch(key, normalizedQuery string) bool {
	if normalizedQuery == "" {
		return true
	}
	return strings.HasPrefix(key, normalizedQuery) || strings.Contains(key, "\x00"+normalizedQuery)
}
