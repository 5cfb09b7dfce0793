package imports

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"carebook/crm"
	"carebook/store"
	"carebook/store/xlsx"
)

// Text a salesperson's customers may really have — emoji (with skin tones, ZWJ families,
// flags, keycaps), right-to-left script and marks, combining accents, text that looks like a
// formula — is kept exactly: saved and loaded, exported to Excel and imported into an empty
// book, every character the same.
func TestHostileTextRoundTrip(t *testing.T) {
	kept := []string{
		"王明😀",
		"👨‍👩‍👧‍👦一家",                      // ZWJ family
		"👍🏽🏳️‍🌈🇨🇳",                       // skin tone, ZWJ flag, regional indicators
		"1️⃣号客户",                         // keycap
		"\u200f\u05e9\u05dc\u05d5\u05dd", // RLM + Hebrew
		"مرحبا Ali",                      // Arabic
		"a\u200eb\u200dc\u061c",          // LRM, ZWJ, Arabic letter mark
		"e\u0301 Zoë 𠮷野家",                // combining accent, precomposed, astral CJK
		"=SUM(A1:A9)",
		"+86 138",
		"-1+2",
		"@cmd",
		"＝HYPERLINK(\"x\")", // full-width equals
		"_x0041_ _x001B_",   // what Excel's own escapes look like, as text
	}
	ctx := context.Background()
	dir := t.TempDir()
	src, err := store.Open(ctx, filepath.Join(dir, "src.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	want := map[string]crm.Customer{} // by code
	for _, s := range kept {
		c := hostileCard(s)
		if err := src.SaveCustomer(ctx, &c); err != nil {
			t.Fatalf("%q: save: %v", s, err)
		}
		got, err := src.Customer(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if w := hostileCard(s); got.Name != w.Name || got.Address != w.Address || got.Company != w.Company ||
			got.Notes != w.Notes || got.Needs != w.Needs || !slices.Equal(got.Tags, w.Tags) ||
			len(got.Dates) != 1 || got.Dates[0].Label != w.Dates[0].Label {
			t.Errorf("%q saved, loaded as %+v", s, got)
		}
		want[got.Code] = *got
	}

	for _, lang := range []xlsx.Lang{xlsx.LangZh, xlsx.LangEn} {
		path := filepath.Join(dir, "book-"+string(lang)+".xlsx")
		if err := xlsx.Export(ctx, src, path, xlsx.Options{Lang: lang}); err != nil {
			t.Fatal(err)
		}
		checkNoFormula(t, path)
		dst, err := store.Open(ctx, filepath.Join(dir, "dst-"+string(lang)+".db"))
		if err != nil {
			t.Fatal(err)
		}
		im := Importer{Lang: lang}
		b, err := im.Prepare(ctx, []string{path}, crm.MustDate("2026-11-23"))
		if err != nil {
			t.Fatal(err)
		}
		if err := im.Apply(ctx, dst, b, false, nil); err != nil {
			t.Fatal(err)
		}
		if n := b.Counts(); n.Created != len(kept) || n.Skipped != 0 {
			t.Fatalf("%s: counts %+v", lang, n)
		}
		seen := 0
		for _, ic := range b.Customers {
			got, err := dst.Customer(ctx, ic.Customer.ID)
			if err != nil {
				t.Fatal(err)
			}
			w, ok := want[got.Code]
			if !ok {
				t.Fatalf("%s: imported unknown code %q", lang, got.Code)
			}
			seen++
			for _, f := range [][2]string{{w.Name, got.Name}, {w.Address, got.Address}, {w.Company, got.Company},
				{w.Notes, got.Notes}, {w.Needs, got.Needs}} {
				if f[0] != f[1] {
					t.Errorf("%s: %q exported and imported as %q", lang, f[0], f[1])
				}
			}
			if !slices.Equal(w.Tags, got.Tags) || len(got.Dates) != 1 || got.Dates[0].Label != w.Dates[0].Label {
				t.Errorf("%s: tags %q date %q, imported as %q %q", lang, w.Tags, w.Dates[0].Label, got.Tags, labels(got.Dates))
			}
		}
		if seen != len(kept) {
			t.Errorf("%s: %d customers imported, want %d", lang, seen, len(kept))
		}
		dst.Close()
	}
}

// hostileCard is a card with s in its text fields (in tags and a date's label only when s holds
// none of their separators).
func hostileCard(s string) crm.Customer {
	tag, label := s, s
	if strings.ContainsAny(s, ";；,，、：:") {
		tag, label = "标签", "纪念日"
	}
	return crm.Customer{
		Name:    s,
		Address: "地址 " + s,
		Company: s,
		Notes:   "第一行 " + s + "\n\t第二行 " + s,
		Needs:   s + "\n" + s,
		Tags:    []string{tag, "标签" + tag},
		Dates:   []crm.KeyDate{{Label: label, Month: 5, Day: 3}},
	}
}

// checkNoFormula: no cell of the workbook is a formula; text is stored as text.
func checkNoFormula(t *testing.T, path string) {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, sh := range f.GetSheetList() {
		rows, err := f.GetRows(sh)
		if err != nil {
			t.Fatal(err)
		}
		for r, row := range rows {
			for c, v := range row {
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if fm, _ := f.GetCellFormula(sh, cell); fm != "" {
					t.Errorf("%s!%s holds formula %q", sh, cell, fm)
				}
				if strings.ContainsAny(v[:min(1, len(v))], "=+-@＝") {
					if typ, _ := f.GetCellType(sh, cell); typ != excelize.CellTypeInlineString && typ != excelize.CellTypeSharedString {
						t.Errorf("%s!%s %q: cell type %v, want text", sh, cell, v, typ)
					}
				}
			}
		}
	}
}

// Text the book refuses — control characters (C0 but tab and newline in multi-line fields,
// DEL, C1), bidi overrides, embeddings and isolates, invalid UTF-8 and lone surrogates — is
// refused with err.control_chars on its field, when typed and when imported, and nothing is
// written; never quietly cleaned.
func TestHostileTextRefused(t *testing.T) {
	refused := []struct {
		name, text string
		csv        bool // can stand in a UTF-8 CSV file (invalid UTF-8 makes the file GB18030)
	}{
		{"NUL", "王\x00明", false},
		{"ESC", "王\x1b[31m明", true},
		{"BEL", "王\a明", true},
		{"DEL", "王\x7f明", true},
		{"C1 NEL", "王\u0085明", true},
		{"C1 CSI", "王\u009b明", true},
		{"RLO", "王\u202e明", true},
		{"LRE", "王\u202a明", true},
		{"RLI", "王\u2067明", true},
		{"PDI", "王\u2069明", true},
		{"invalid UTF-8", "王\xff明", false},
		{"lone surrogate", "王\xed\xa0\x80明", false},
		{"overlong", "王\xc0\xaf明", false},
	}
	ctx := context.Background()
	dir := t.TempDir()
	s, err := store.Open(ctx, filepath.Join(dir, "book.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, c := range refused {
		t.Run(c.name, func(t *testing.T) {
			for _, card := range []struct {
				field string
				set   func(*crm.Customer)
			}{
				{"name", func(x *crm.Customer) { x.Name = c.text }},
				{"address", func(x *crm.Customer) { x.Address = c.text }},
				{"notes", func(x *crm.Customer) { x.Notes = c.text }},
				{"tags[0]", func(x *crm.Customer) { x.Tags = []string{c.text} }},
				{"dates[0].label", func(x *crm.Customer) { x.Dates = []crm.KeyDate{{Label: c.text, Month: 1, Day: 2}} }},
			} {
				x := crm.Customer{Name: "张三"}
				card.set(&x)
				err := s.SaveCustomer(ctx, &x)
				var es crm.Errors
				if !errors.As(err, &es) || !hasError(es, card.field, "err.control_chars") {
					t.Errorf("%s %q: %v, want err.control_chars", card.field, c.text, err)
				}
			}
			if !c.csv {
				return
			}
			p := filepath.Join(t.TempDir(), "客户.csv")
			if err := os.WriteFile(p, []byte("姓名,地址,备注\n"+c.text+",北京,\n李四,"+c.text+",\n王五,上海,"+c.text+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			im := Importer{Lang: xlsx.LangZh}
			b, err := im.Prepare(ctx, []string{p}, crm.MustDate("2026-11-23"))
			if err != nil {
				t.Fatal(err)
			}
			if err := im.Apply(ctx, s, b, false, nil); err != nil {
				t.Fatal(err)
			}
			if n := b.Counts(); n.Skipped != 3 || n.Created != 0 {
				t.Errorf("counts %+v, want every row skipped", n)
			}
			for _, r := range b.Results {
				if !slices.ContainsFunc(r.Problems, func(fe crm.FieldError) bool { return fe.Key == "err.control_chars" }) {
					t.Errorf("line %d: problems %+v, want err.control_chars", r.Line, r.Problems)
				}
			}
		})
	}
	if n, err := s.CountCustomers(ctx); err != nil || n != 0 {
		t.Fatalf("%d customers written, %v", n, err)
	}
}

func hasError(es crm.Errors, field, key string) bool {
	return slices.ContainsFunc(es, func(fe crm.FieldError) bool { return fe.Field == field && fe.Key == key })
}

func labels(ds []crm.KeyDate) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.Label)
	}
	return out
}

// Text that a spreadsheet would take for a formula — = + - @ first, after leading spaces or a
// tab, or a full-width ＝ — is exported as a text cell, exactly as it stands, never a formula.
func TestExportFormulaLikeText(t *testing.T) {
	texts := []string{"=1+1", " =1+1", "  =HYPERLINK(\"http://x\")", "\t=A1", "\t\t@SUM(1)", "＝SUM(A1)", " ＝1",
		"+8613812345678 x", "-2+3", "@x", "=cmd|' /C calc'!A0"}
	src := &memSource{}
	for i, s := range texts {
		src.customers = append(src.customers, crm.CustomerRow{Customer: crm.Customer{
			Code: "C" + strings.Repeat("0", 5) + string(rune('A'+i)), Name: s, Address: s, Notes: s,
			Gender: crm.GenderUnknown, Tier: crm.TierOrdinary}})
	}
	path := filepath.Join(t.TempDir(), "formulas.xlsx")
	if err := xlsx.Export(context.Background(), src, path, xlsx.Options{Lang: xlsx.LangZh}); err != nil {
		t.Fatal(err)
	}
	checkNoFormula(t, path)
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	found := map[string]int{}
	for _, sh := range f.GetSheetList() {
		rows, err := f.GetRows(sh)
		if err != nil {
			t.Fatal(err)
		}
		for r, row := range rows {
			for c, v := range row {
				if !slices.Contains(texts, v) {
					continue
				}
				found[v]++
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if typ, _ := f.GetCellType(sh, cell); typ != excelize.CellTypeInlineString && typ != excelize.CellTypeSharedString {
					t.Errorf("%s!%s %q: cell type %v, want text", sh, cell, v, typ)
				}
			}
		}
	}
	for _, s := range texts {
		if found[s] < 2 {
			t.Errorf("%q: in %d cells, want name, address and notes", s, found[s])
		}
	}
}
