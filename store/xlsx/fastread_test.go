package xlsx

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"carebook/crm"
)

// tinyBuffers makes the fast reader's buffers tiny for the rest of the test, so that every
// token straddles refills of the scanner and chunks of the read-ahead.
func tinyBuffers(t testing.TB) {
	scan, chunk, minimum := scanBuffer, prefetchChunk, prefetchMin
	scanBuffer, prefetchChunk, prefetchMin = 7, 5, 0
	t.Cleanup(func() { scanBuffer, prefetchChunk, prefetchMin = scan, chunk, minimum })
}

// readBoth reads the workbook at path with the fast reader and through excelize's Rows() and
// fails t when the fast reader gives anything else than excelize (it may give up: fellBack).
func readBoth(t testing.TB, path string) (tables []crm.ImportTable, fellBack bool) {
	t.Helper()
	ctx := context.Background()
	f, err := excelize.OpenFile(path, excelize.Options{RawCellValue: true, UnzipSizeLimit: maxUnzipped})
	if err != nil {
		return nil, true // Read refuses it before either reader
	}
	defer f.Close()
	fast, ferr := readFast(ctx, f, path, nil)
	slow, serr := readSheets(ctx, f, nil)
	if errFallback(ctx, ferr) {
		return slow, true
	}
	if (ferr != nil) != (serr != nil) || ferr != nil && ferr.Error() != serr.Error() {
		t.Fatalf("fast reader: %v; excelize: %v", ferr, serr)
	}
	if !reflect.DeepEqual(fast, slow) {
		t.Fatalf("fast reader:\n%s\nexcelize:\n%s", dumpTables(fast), dumpTables(slow))
	}
	return fast, false
}

func dumpTables(ts []crm.ImportTable) string {
	var b strings.Builder
	for _, t := range ts {
		fmt.Fprintf(&b, "sheet %q header %d %q\n", t.Sheet, t.HeaderLine, t.Header)
		for _, r := range t.Rows {
			fmt.Fprintf(&b, "  %d: %+v\n", r.Line, r.Cells)
		}
	}
	return b.String()
}

// TestReadFastWorkbooks: on workbooks as excelize and Carebook write them, the fast reader gives
// what excelize gives, and does not give up.
func TestReadFastWorkbooks(t *testing.T) {
	dir := t.TempDir()
	f := excelize.NewFile()
	sh := "客户"
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(f.SetSheetName("Sheet1", sh))
	date, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	must(err)
	for i, v := range []any{"编号", "姓名", "手机", "生日", "金额", "备注", "是否", "公式"} {
		cell, _ := excelize.CoordinatesToCellName(i+1, 2)
		must(f.SetCellValue(sh, cell, v))
	}
	for r := 3; r < 40; r++ {
		row := []any{fmt.Sprintf("%06d", r), "张三" + strings.Repeat("丰", r%3), 13812345678 + r, time.Date(1990, 1, r, 0, 0, 0, 0, time.UTC),
			199.5 * float64(r), "a & b < c > d \"e\" 'f'\n第二行\r\n第三行\t_x000D_ _x005F_x0041_ _xD800_", r%2 == 0, nil}
		for i, v := range row {
			cell, _ := excelize.CoordinatesToCellName(i+1, r)
			if v != nil {
				must(f.SetCellValue(sh, cell, v))
			}
		}
		must(f.SetCellStyle(sh, fmt.Sprintf("D%d", r), fmt.Sprintf("D%d", r), date))
		must(f.SetCellFormula(sh, fmt.Sprintf("H%d", r), fmt.Sprintf("E%d*2", r)))
		if r%5 == 0 {
			must(f.SetCellRichText(sh, fmt.Sprintf("F%d", r), []excelize.RichTextRun{
				{Text: "粗体", Font: &excelize.Font{Bold: true, Size: 12, Color: "FF0000"}}, {Text: " 普通 "}, {Text: "斜体", Font: &excelize.Font{Italic: true}}}))
		}
	}
	must(f.SetCellValue(sh, "K50", "  ")) // a blank cell far out
	must(f.SetCellValue(sh, "A60", " 前后空格 "))
	_, err = f.NewSheet("空")
	must(err)
	_, err = f.NewSheet("Hidden")
	must(err)
	must(f.SetCellValue("Hidden", "C3", "隐藏"))
	must(f.SetSheetVisible("Hidden", false))
	// A sheet written by the StreamWriter: inline strings.
	_, err = f.NewSheet("流")
	must(err)
	sw, err := f.NewStreamWriter("流")
	must(err)
	for r := 1; r <= 30; r++ {
		must(sw.SetRow(fmt.Sprintf("B%d", r*2), []any{"行" + fmt.Sprint(r), r, nil, "=不是公式", true, 3.25}))
	}
	must(sw.Flush())
	p := filepath.Join(dir, "excelize.xlsx")
	must(f.SaveAs(p))
	must(f.Close())

	src := &synthTestSource{n: 50}
	exported := filepath.Join(dir, "export.xlsx")
	must(Export(context.Background(), src, exported, Options{Lang: LangZh}))

	for _, tiny := range []bool{false, true} {
		for _, path := range []string{p, exported, messyWorkbook(t)} {
			t.Run(fmt.Sprintf("%s tiny=%v", filepath.Base(path), tiny), func(t *testing.T) {
				if tiny {
					tinyBuffers(t)
				}
				ts, fellBack := readBoth(t, path)
				if fellBack {
					t.Fatalf("the fast reader gave up on %s", filepath.Base(path))
				}
				if len(ts) == 0 || len(ts[0].Rows) == 0 {
					t.Fatalf("tables %s", dumpTables(ts))
				}
			})
		}
	}
}

// synthTestSource is a small export source for the tests.
type synthTestSource struct{ n int }

func (s *synthTestSource) ExportCounts(context.Context, crm.Date, crm.Date) (int, int, int, error) {
	return s.n, s.n, s.n, nil
}

func (s *synthTestSource) EachCustomer(_ context.Context, fn func(*crm.CustomerRow) error) error {
	for i := range s.n {
		c := crm.CustomerRow{Customer: crm.Customer{Code: fmt.Sprintf("C%06d", i+1), Name: "王芳", Phones: []string{"+8613812345678"},
			Birthday: &crm.KeyDate{Calendar: crm.Lunar, Month: 8, Day: 15}, Tags: []string{"老客户", "VIP"}, Tier: crm.TierVIP,
			Notes: "=SUM(A1)\n第二行", Knowing: 3, Created: crm.MustDate("2024-05-06")}, LastPurchase: crm.MustDate("2026-01-02")}
		if err := fn(&c); err != nil {
			return err
		}
	}
	return nil
}

func (s *synthTestSource) EachPurchase(_ context.Context, _, _ crm.Date, fn func(*crm.PurchaseRow) error) error {
	for i := range s.n {
		p := crm.PurchaseRow{Purchase: crm.Purchase{Date: crm.MustDate("2026-01-02") + crm.Date(i), Amount: 12345, Items: "面霜"},
			CustomerCode: "C000001", CustomerName: "王芳"}
		if err := fn(&p); err != nil {
			return err
		}
	}
	return nil
}

func (s *synthTestSource) EachRecord(_ context.Context, _, _ crm.Date, fn func(*crm.RecordRow) error) error {
	for i := range s.n {
		r := crm.RecordRow{Record: crm.Record{At: time.Date(2026, 1, 2, 9, i%60, 0, 0, time.UTC), Kind: crm.KindRoutine,
			Channel: crm.ChannelPhone, Content: "回访"}, CustomerCode: "C000001", CustomerName: "王芳"}
		if err := fn(&r); err != nil {
			return err
		}
	}
	return nil
}

// baseWorkbook is a workbook of one sheet with shared strings, whose parts the tests replace.
func baseWorkbook(t testing.TB) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetCellValue("Sheet1", "A1", "x"); err != nil {
		t.Fatal(err)
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// withParts writes base with the parts in replace (name → content; "" removes it) to a new file.
func withParts(t testing.TB, base []byte, replace map[string]string) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(base), int64(len(base)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	done := map[string]bool{}
	for _, zf := range zr.File {
		content, ok := replace[zf.Name]
		done[zf.Name] = true
		if ok && content == "" {
			continue
		}
		if !ok {
			rc, err := zf.Open()
			if err != nil {
				t.Fatal(err)
			}
			b, err := io.ReadAll(rc)
			rc.Close()
			if err != nil {
				t.Fatal(err)
			}
			content = string(b)
		}
		w, err := zw.Create(zf.Name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(w, content); err != nil {
			t.Fatal(err)
		}
	}
	for name, content := range replace {
		if !done[name] && content != "" {
			w, err := zw.Create(name)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := io.WriteString(w, content); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "w.xlsx")
	if err := os.WriteFile(p, out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const (
	sheetHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
		`<dimension ref="A1:C9"/><sheetViews><sheetView workbookViewId="0"/></sheetViews><sheetData>`
	sheetTail = `</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>`
	sstHead   = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="3" uniqueCount="3">`
	sstItems = `<si><t>甲</t></si><si><t xml:space="preserve"> 乙 </t></si>` +
		`<si><r><rPr><b/><sz val="11"/><color rgb="FFFF0000" theme="1" tint="-0.25"/><rFont val="宋体"/><family val="2"/><charset val="134"/></rPr><t>丙</t></r><r><t>丁_x000D_</t></r><rPh sb="0" eb="1"><t>ヘイ</t></rPh><phoneticPr fontId="1" type="noConversion"/></si>`
	sstTail = `</sst>`
)

// sheetCases are worksheet bodies (the rows of <sheetData>, or with "FULL:" the whole part),
// with whether the fast reader must read them itself.
var sheetCases = []struct {
	name, body string
	fast       bool
}{
	{"plain", `<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>` +
		`<row r="3" spans="1:3"><c r="A3"><v>12.5</v></c><c r="C3" t="inlineStr"><is><t>内联</t></is></c></row>`, true},
	{"no refs", `<row><c><v>1</v></c><c t="str"><v>x</v></c></row><row><c t="b"><v>1</v></c><c/><c t="e"><v>#N/A</v></c></row>`, true},
	{"prefixes", `<x:row r="2" xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:c r="B2" t="inlineStr"><x:is><x:t>p</x:t></x:is></x:c></x:row>`, true},
	{"entities and newlines", `<row r="1"><c r="A1" t="inlineStr"><is><t>a&amp;b&lt;c&gt;d&quot;e&apos;f&#20013;&#x6587;` + "\r\n第二行\r第三行</t></is></c></row>", true},
	{"cdata comments", `<!-- c --><row r="1"><?pi x?><c r="A1" t="inlineStr"><is><t>a<![CDATA[<b>&amp;` + "\r\n" + `]]>c<!-- x -->d</t></is></c></row>`, true},
	{"rich inline", `<row r="1"><c r="A1" t="inlineStr"><is><r><rPr><i val="1"/><sz val="9.5"/></rPr><t>一</t></r><r><t xml:space="preserve"> 二</t></r><t>零</t></is></c></row>`, true},
	{"escapes", `<row r="1"><c r="A1" t="inlineStr"><is><t>_x000D__x000a_x_x005F_x0041__xD83D__xZZZZ__x4e2d_</t></is></c><c r="B1" t="str"><v>_x000D_</v></c></row>`, true},
	{"formula", `<row r="1"><c r="A1"><f>1+1</f></c><c r="B1"><f t="shared" ref="B1:B2" si="0" ca="1">A1</f><v>2</v></c><c r="D1" t="s"><f>x</f><v>9</v></c></row>`, true},
	{"empty values", `<row r="1"><c r="A1" t="s"><v></v></c><c r="B1"><v/></c><c r="C1" t="inlineStr"/><c r="D1" t="inlineStr"><is/></c><c r="E1" t="s"><v> 1 </v></c></row>`, true},
	{"bad shared index", `<row r="1"><c r="A1" t="s"><v>x</v></c><c r="B1" t="s"><v>99</v></c><c r="C1" t="s"><v>-1</v></c><c r="D1"><v>k</v></c></row>`, true},
	{"two values", `<row r="1"><c r="A1"><v>1</v><v>2</v></c><c r="B1" t="inlineStr"><v>v</v></c><c r="C1" t="inlineStr"><v>v</v><is><t>i</t></is></c></row>`, true},
	{"gaps", `<row r="2"><c r="C2"><v>1</v></c><c r="AA2"><v>2</v></c><c><v>3</v></c></row><row r="9"/><row r="12"><c r="b12"><v>4</v></c></row><row><c><v>5</v></c></row>`, true},
	{"whitespace", "\n  <row r=\"1\">\n    <c r=\"A1\" s=\"0\" t=\"n\">\n      <v>1</v>\n    </c>\n  </row>\n", true},
	{"chars", `<row r="1"><c r="A1" t="inlineStr"><is><t>😀 é` + "\t" + `</t></is></c></row>`, true},
	{"nested in v", `<row r="1"><c r="A1"><v>1<x>2</x>3</v></c><c r="B1" t="inlineStr"><is><t>a<b>c</b>d</t><foo><t>no</t></foo></is></c></row>`, true},
	{"trailing blank", `<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c><c r="B1" t="inlineStr"><is><t xml:space="preserve">   </t></is></c></row>`, true},
	{"full bom", "FULL:\ufeff" + sheetHead + `<row r="1"><c r="A1"><v>1</v></c></row>` + sheetTail, true},
	{"full no sheetData", "FULL:" + `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1"/></worksheet>`, true},
	{"full blank part", "FULL: ", true},
	// Given up (read through excelize):
	{"rows backwards", `<row r="3"><c r="A3"><v>1</v></c></row><row r="2"><c r="A2"><v>2</v></c></row>`, false},
	{"cells backwards", `<row r="1"><c r="C1"><v>1</v></c><c r="A1"><v>2</v></c></row>`, false},
	{"bad cell ref", `<row r="1"><c r="1A"><v>1</v></c></row>`, false},
	{"bad style", `<row r="1"><c r="A1" s="x" t="inlineStr"><is><t>a</t></is></c></row>`, false},
	{"bad row number", `<row r="x"><c r="A1"><v>1</v></c></row>`, false},
	{"unknown entity", `<row r="1"><c r="A1" t="inlineStr"><is><t>&nbsp;</t></is></c></row>`, false},
	{"control char", `<row r="1"><c r="A1" t="inlineStr"><is><t>a&#1;b</t></is></c></row>`, false},
	{"bad utf8", "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>a\xff</t></is></c></row>", false},
	{"mismatched", `<row r="1"><c r="A1"><v>1</c></v></row>`, false},
	{"truncated", `<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2"><v>2`, false},
	{"row in extLst", `</sheetData><extLst><row r="5"><c r="A5"><v>1</v></c></row></extLst><sheetData>`, false},
	{"bad bool in rich text", `<row r="1"><c r="A1" t="inlineStr"><is><r><rPr><b val="yes"/></rPr><t>a</t></r></is></c></row>`, false},
	{"bad size in rich text", `<row r="1"><c r="A1" t="inlineStr"><is><r><rPr><sz val="big"/></rPr><t>a</t></r></is></c></row>`, false},
	{"doctype", `FULL:<!DOCTYPE worksheet><worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData></worksheet>`, false},
	{"other encoding", `FULL:<?xml version="1.0" encoding="GB18030"?><worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData></worksheet>`, false},
	{"dollar ref", `<row r="1"><c r="$A$1"><v>1</v></c></row>`, false},
	{"two is", `<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is><is><r><t>b</t></r></is></c></row>`, false},
	{"cdata end in text", `<row r="1"><c r="A1" t="inlineStr"><is><t>a]]>b</t></is></c></row>`, false},
}

func sheetXMLOf(body string) string {
	if full, ok := strings.CutPrefix(body, "FULL:"); ok {
		return full
	}
	return sheetHead + body + sheetTail
}

// TestReadFastCases: on hand-written worksheets, the fast reader gives what excelize gives or
// gives up, and reads itself what files commonly hold.
func TestReadFastCases(t *testing.T) {
	base := baseWorkbook(t)
	for _, tiny := range []bool{false, true} {
		for _, c := range sheetCases {
			t.Run(fmt.Sprintf("%s tiny=%v", c.name, tiny), func(t *testing.T) {
				if tiny {
					tinyBuffers(t)
				}
				p := withParts(t, base, map[string]string{
					"xl/worksheets/sheet1.xml": sheetXMLOf(c.body),
					"xl/sharedStrings.xml":     sstHead + sstItems + sstTail,
				})
				ts, fellBack := readBoth(t, p)
				if fellBack == c.fast {
					t.Fatalf("fell back %v, want %v; tables %s", fellBack, !c.fast, dumpTables(ts))
				}
			})
		}
	}
}

// TestReadFastSharedStrings: shared strings parts as excelize reads them, or given up.
func TestReadFastSharedStrings(t *testing.T) {
	base := baseWorkbook(t)
	body := `<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c></row>`
	for _, c := range []struct {
		name, sst string
		fast      bool
	}{
		{"rich and phonetic", sstHead + sstItems + sstTail, true},
		{"empty items", sstHead + `<si/><si><t/></si><si><r><t/></r></si><si><t>x</t><t>y</t></si>` + sstTail, true},
		{"none", "", true},
		{"extLst", sstHead + `<si><t>a</t></si><extLst><ext uri="x"><si><t>no</t></si></ext></extLst><si><t>b</t></si>` + sstTail, true},
		{"other namespace", `<sst xmlns="urn:x"><si><t>a</t></si></sst>`, false},
		{"no namespace", `<sst><si><t>a</t></si></sst>`, false},
		{"bad count", strings.Replace(sstHead, `count="3"`, `count="x"`, 1) + sstItems + sstTail, false},
		{"bad unique count", strings.Replace(sstHead, `uniqueCount="3"`, `uniqueCount="3.5"`, 1) + sstItems + sstTail, false},
		{"spaced count", strings.Replace(sstHead, `count="3"`, `count=" 3 "`, 1) + sstItems + sstTail, true},
		{"bad phonetic", sstHead + `<si><t>a</t><rPh sb="x" eb="1"><t>b</t></rPh></si>` + sstTail, false},
		{"bad color", sstHead + `<si><r><rPr><color theme="one"/></rPr><t>a</t></r></si>` + sstTail, false},
		{"bool with child", sstHead + `<si><r><rPr><b><x/></b></rPr><t>a</t></r></si>` + sstTail, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			tinyBuffers(t)
			replace := map[string]string{"xl/worksheets/sheet1.xml": sheetXMLOf(body), "xl/sharedStrings.xml": c.sst}
			_, fellBack := readBoth(t, withParts(t, base, replace))
			if fellBack == c.fast {
				t.Fatalf("fell back %v, want %v", fellBack, !c.fast)
			}
		})
	}
}

// FuzzReadFast: whatever the worksheet and shared strings, the fast reader gives what excelize
// gives, or gives up.
func FuzzReadFast(f *testing.F) {
	for _, c := range sheetCases {
		f.Add(sheetXMLOf(c.body), sstHead+sstItems+sstTail)
	}
	base := baseWorkbook(f)
	f.Fuzz(func(t *testing.T, sheet, sst string) {
		if len(sheet)%2 == 0 {
			tinyBuffers(t)
		}
		p := withParts(t, base, map[string]string{"xl/worksheets/sheet1.xml": sheet, "xl/sharedStrings.xml": sst})
		readBoth(t, p)
	})
}
