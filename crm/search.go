package crm

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

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

var heteronymArgs = func() pinyin.Args {
	a := pinyin.NewArgs()
	a.Heteronym = true
	return a
}()

// syllables returns, for each character of s that has a spelling, its pinyin (a leading Chinese
// surname in its surname reading) or, for letters and digits, the lower-cased character itself;
// alts holds the other readings of each character (none for the surname).
func syllables(s string) (syl []string, alts [][]string) {
	for i, r := range []rune(s) {
		var py string
		if i == 0 {
			py = surnameReadings[r]
		}
		var more []string
		if py == "" && unicode.Is(unicode.Han, r) {
			if ps := pinyin.SinglePinyin(r, heteronymArgs); len(ps) > 0 {
				py, more = ps[0], ps[1:]
			}
		}
		switch {
		case py != "":
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			py = string(unicode.ToLower(r))
		default:
			continue
		}
		syl = append(syl, py)
		alts = append(alts, more)
	}
	return syl, alts
}

// spell joins syllables into the full pinyin and the initials.
func spell(syl []string) (full, initials string) {
	var f, in strings.Builder
	for _, p := range syl {
		f.WriteString(p)
		r, _ := utf8.DecodeRuneInString(p)
		in.WriteRune(r)
	}
	return f.String(), in.String()
}

// Pinyin returns the full pinyin of s (no tones, no spaces) and its initials. A leading Chinese
// surname uses its surname reading. Characters without pinyin (Latin letters, digits) are kept
// as they are, lower-cased, in both.
func Pinyin(s string) (full, initials string) {
	syl, _ := syllables(s)
	return spell(syl)
}

// maxPinyinVariants bounds the readings of one name that the search key holds.
const maxPinyinVariants = 4

// PinyinVariants returns the full pinyin and initials of s in its usual reading and, for
// characters with several readings (长 zhang/chang, 乐 le/yue…), with one of them read otherwise,
// so that a name is found whichever way the user reads it; at most maxPinyinVariants pairs, the
// usual reading first.
func PinyinVariants(s string) (fulls, initials []string) {
	syl, alts := syllables(s)
	full, in := spell(syl)
	fulls, initials = []string{full}, []string{in}
	for i, more := range alts {
		for _, alt := range more {
			if len(fulls) >= maxPinyinVariants {
				return fulls, initials
			}
			v := slices.Clone(syl)
			v[i] = alt
			f, in := spell(v)
			if !slices.Contains(fulls, f) {
				fulls = append(fulls, f)
				initials = append(initials, in)
			}
		}
	}
	return fulls, initials
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
		fulls, initials := PinyinVariants(s)
		for i := range fulls {
			add(fulls[i])
			add(initials[i])
		}
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
