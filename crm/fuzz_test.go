package crm

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// FuzzParseDate: a date either parses to a real day whose canonical form is the text itself
// (ParseDate reads exactly "YYYY-MM-DD"), never the unset zero Date, or gives an error and no
// date.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-11-22", "2024-02-29", "2023-02-29", "0001-01-01", "9999-12-31", "0000-01-01",
		"2026-1-2", "2026/11/22", "", " 2026-11-22", "2026-11-22\x00", "２０２６-11-22", "-001-01-01"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			if d != 0 {
				t.Fatalf("%q: error %v with date %v", s, err, d)
			}
			return
		}
		// Year 0000 parses (time.Parse allows it) and gives a real, non-zero Date before
		// 0001-01-01; ValidSolar reads year 0 as "no year", so the day is checked in year 2000.
		y, m, day := d.YMD()
		if y < 0 || !ValidSolar(y, int(m), day) {
			t.Fatalf("%q → %v, not a real day", s, d)
		}
		if d == 0 || d.String() != s {
			t.Fatalf("%q → %v: does not round-trip", s, d)
		}
		if back := NewDate(y, m, day); back != d {
			t.Fatalf("%q: NewDate(%d, %d, %d) = %v, want %v", s, y, m, day, back, d)
		}
	})
}

// FuzzNormalizePhone: a number that normalises is in E.164 ("+" and 8–15 digits), normalises to
// itself again, and its display form (FormatPhone) reads back as the same number; a text that
// does not normalise gives no number.
func FuzzNormalizePhone(f *testing.F) {
	for _, s := range []string{"138 1234 5678", "+86 138-1234-5678", "010-12345678", "+1 415 555 0100", "13812345678",
		"(0755) 8888 6666", "+8613812345678", "１３８１２３４５６７８", "138\u200b1234\u200b5678", "", "abc", "+",
		"+86", "tel:+86-138", "138 1234 5678 ext. 12", "00861381234567", "+44 20 7946 0958", "\x00\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := NormalizePhone(s)
		if err != nil {
			if n != "" {
				t.Fatalf("%q: error %v with number %q", s, err, n)
			}
			return
		}
		if len(n) < 4 || len(n) > 16 || n[0] != '+' || strings.Trim(n[1:], "0123456789") != "" {
			t.Fatalf("%q → %q, not E.164", s, n)
		}
		again, err := NormalizePhone(n)
		if err != nil || again != n {
			t.Fatalf("%q → %q → %q, %v: not stable", s, n, again, err)
		}
		shown := FormatPhone(n)
		back, err := NormalizePhone(shown)
		if err != nil || back != n {
			t.Fatalf("%q → %q shown as %q reads back as %q, %v", s, n, shown, back, err)
		}
	})
}

// FuzzCheckText: text that validation accepts is valid UTF-8, holds no control character (but
// \n and \t in multi-line text) and no bidi embedding, override or isolate, and is within the
// limit; everything else is refused with a key, never changed.
func FuzzCheckText(f *testing.F) {
	for _, s := range []string{"张三", "👨‍👩‍👧‍👦 一家", "a\tb\nc", "\x00", "\x7f", "\u202e反", "\u200f\u200eRLM", "\xed\xa0\x80",
		"\xff", "\u2066x\u2069", "\u0085", "e\u0301", "🏳️‍🌈", strings.Repeat("字", 51)} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, multi bool) {
		in := s
		fe := checkText("f", s, MaxName, multi)
		if s != in {
			t.Fatal("text changed")
		}
		bad := !utf8.ValidString(s)
		for _, r := range s {
			if (unicode.IsControl(r) && !(multi && (r == '\n' || r == '\t'))) || (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069) {
				bad = true
			}
		}
		switch {
		case bad:
			if fe == nil || fe.Key != "err.control_chars" || fe.Field != "f" {
				t.Fatalf("%q (multi %v) accepted: %+v", s, multi, fe)
			}
		case utf8.RuneCountInString(s) > MaxName:
			if fe == nil || fe.Key != "err.too_long" {
				t.Fatalf("%q (multi %v): %+v, want err.too_long", s, multi, fe)
			}
		case fe != nil:
			t.Fatalf("%q (multi %v) refused: %+v", s, multi, fe)
		}
	})
}
