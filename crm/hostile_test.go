package crm

import (
	"slices"
	"testing"
)

// TestHostileText: per class of troublesome text, the card either keeps it exactly (after
// NormalizeCustomer, which only trims spaces, tabs and line breaks at the ends) or refuses it
// with err.control_chars on that field — never changes it quietly.
func TestHostileText(t *testing.T) {
	type field struct {
		name  string
		multi bool
		set   func(*Customer, string)
		get   func(*Customer) string
	}
	fields := []field{
		{"name", false, func(c *Customer, s string) { c.Name = s }, func(c *Customer) string { return c.Name }},
		{"address", false, func(c *Customer, s string) { c.Address = s }, func(c *Customer) string { return c.Address }},
		{"tags[0]", false, func(c *Customer, s string) { c.Tags = []string{s} }, func(c *Customer) string { return c.Tags[0] }},
		{"dates[0].label", false, func(c *Customer, s string) { c.Dates = []KeyDate{{Label: s, Month: 1, Day: 2}} },
			func(c *Customer) string { return c.Dates[0].Label }},
		{"notes", true, func(c *Customer, s string) { c.Notes = s }, func(c *Customer) string { return c.Notes }},
	}
	const keep, refuse, multiOnly = 0, 1, 2 // multiOnly: kept in multi-line fields, refused in others
	for _, c := range []struct {
		class, text string
		rule        int
	}{
		{"emoji", "王明😀", keep},
		{"ZWJ family", "👨‍👩‍👧‍👦", keep},
		{"skin tone and flags", "👍🏽🏳️‍🌈🇨🇳", keep},
		{"keycap", "1️⃣号", keep},
		{"RLM and Hebrew", "\u200f\u05e9\u05dc\u05d5\u05dd", keep},
		{"LRM, ZWJ, ALM", "a\u200eb\u200dc\u061c", keep},
		{"combining accent", "e\u0301", keep},
		{"astral CJK", "𠮷野家", keep},
		{"BOM and replacement char", "\ufeff王\ufffd", keep},
		{"formula-like", "=SUM(A1)", keep},
		{"full-width equals", "＝1+1", keep},
		{"tab inside", "王\t明", multiOnly},
		{"newline inside", "王\n明", multiOnly},
		{"NUL", "王\x00明", refuse},
		{"ESC", "王\x1b[2J明", refuse},
		{"DEL", "王\x7f明", refuse},
		{"C1 NEL", "王\u0085明", refuse},
		{"NEL at the end", "王明\u0085", refuse},
		{"vertical tab at the start", "\v王明", refuse},
		{"form feed at the end", "王明\f", refuse},
		{"RLO", "王\u202e明", refuse},
		{"LRO", "\u202d王明", refuse},
		{"FSI", "王\u2068明", refuse},
		{"invalid UTF-8", "王\xff明", refuse},
		{"lone high surrogate", "王\xed\xa0\xbd明", refuse},
		{"lone low surrogate", "\xed\xb8\x80", refuse},
		{"overlong slash", "\xc0\xaf", refuse},
		{"truncated rune", "王\xe6\x98", refuse},
	} {
		for _, f := range fields {
			card := Customer{Name: "张三"}
			f.set(&card, c.text)
			NormalizeCustomer(&card)
			es := ValidateCustomer(&card)
			refused := c.rule == refuse || c.rule == multiOnly && !f.multi
			switch {
			case refused && !slices.ContainsFunc(es, func(e FieldError) bool { return e.Field == f.name && e.Key == "err.control_chars" }):
				t.Errorf("%s in %s: %v, want err.control_chars", c.class, f.name, es)
			case !refused && len(es) != 0:
				t.Errorf("%s in %s: refused: %v", c.class, f.name, es)
			case !refused && f.get(&card) != c.text:
				t.Errorf("%s in %s: %q became %q", c.class, f.name, c.text, f.get(&card))
			}
		}
	}
}

// TestTrimOnlySpace: trimming takes spaces (the ideographic space too), tabs and line breaks
// off the ends, and nothing else.
func TestTrimOnlySpace(t *testing.T) {
	for in, want := range map[string]string{
		" 王明 ":           "王明",
		"\u3000王明\u00a0": "王明",
		"\t王明\r\n":       "王明",
		"\u0085王明":       "\u0085王明",
		"\v王明\f":         "\v王明\f",
		"\u200b王明":       "\u200b王明", // zero-width space is no space to Unicode
	} {
		if got := trimSpace(in); got != want {
			t.Errorf("trimSpace(%q) = %q, want %q", in, got, want)
		}
	}
}
