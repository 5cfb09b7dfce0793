package vcard

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	xunicode "golang.org/x/text/encoding/unicode"

	"carebook/crm"
	"carebook/store/xlsx"
)

// want is a row as the tests write it: the cells in the order of the header.
type want struct {
	line                                                    int
	name, phone, email, address, company, title, bday, note string
}

func (w want) row() crm.ImportRow {
	r := crm.ImportRow{Line: w.line}
	for _, s := range []string{w.name, w.phone, w.email, w.address, w.company, w.title, w.bday, w.note} {
		r.Cells = append(r.Cells, crm.ImportCell{Text: s})
	}
	return r
}

func rows(ws ...want) []crm.ImportRow {
	out := make([]crm.ImportRow, len(ws))
	for i, w := range ws {
		out[i] = w.row()
	}
	return out
}

func check(t *testing.T, tb crm.ImportTable, ws ...want) {
	t.Helper()
	if !reflect.DeepEqual(tb.Header, header[:]) {
		t.Errorf("header %q", tb.Header)
	}
	got, exp := tb.Rows, rows(ws...)
	if len(got) != len(exp) {
		t.Errorf("%d rows, want %d: %+v", len(got), len(exp), got)
	}
	for i := range min(len(got), len(exp)) {
		if !reflect.DeepEqual(got[i], exp[i]) {
			t.Errorf("row %d\n got %+v\nwant %+v", i, got[i], exp[i])
		}
	}
}

func write(t *testing.T, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func parse(t *testing.T, s string) crm.ImportTable {
	t.Helper()
	tb, err := Parse(context.Background(), "t.vcf", []byte(s))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return tb
}

// The header is the canonical Chinese headers of the 顾客 sheet, which the importer maps as
// customers with no help.
func TestHeaderIsCanonical(t *testing.T) {
	for _, h := range header {
		if !slices.ContainsFunc(xlsx.CustomerColumns, func(c xlsx.Column) bool { return c.Zh == h }) {
			t.Errorf("%q is not a header of the customers sheet", h)
		}
	}
}

func TestReadFixtures(t *testing.T) {
	for _, c := range []struct {
		file string
		rows []want
	}{
		// Android 2.1 export: names in quoted-printable UTF-8, a note with soft line breaks that
		// continue unindented and an encoded CRLF, several phones (one twice), an address with a
		// soft break, two emails, ORG with a department, a base64 photo (indented lines and a
		// blank line), an X-ANDROID-CUSTOM line, and a card with only a phone.
		{"android21.vcf", []want{
			{line: 1, name: "张三", phone: "138-1234-5678; 139 1234 5678", email: "zhangsan@example.com",
				bday: "1992-05-03", note: "喜欢红色，每周六来店里。\n老客户，介绍过三位朋友"},
			{line: 17, name: "欧阳娜娜", phone: "+86 137 1234 5678; 010-62345678", email: "nana@company.cn",
				address: "广东省深圳市南山区科技园路1号", company: "深圳市星河贸易有限公司", title: "采购经理",
				note: "邮箱: nana.ouyang@example.com"},
			{line: 42, phone: "13612345678"},
		}},
		// 2.1 from a feature phone or PC suite: CHARSET=GB2312 raw bytes, a quoted-printable
		// CHARSET=GBK note with a soft break, a base64 photo on unindented lines up to a blank
		// line, a card with no CHARSET in GB18030 (the file is not UTF-8) with 䶮 and the
		// four-byte 𠮷, an address from the country down with its postcode.
		{"gb18030.vcf", []want{
			{line: 1, name: "王五", phone: "13798765432", bday: "1980-08-15", note: "喜欢茶叶，常买铁观音"},
			{line: 24, name: "刘䶮", phone: "0755-26123456", address: "中国广东深圳南山大道1001号 518000",
				company: "南汉贸易", note: "常点𠮷野家外卖"},
		}},
		// iPhone 3.0: CRLF, item1./item2. groups, type= parameters, escaped \, \; \n \\, ORG with
		// an escaped semicolon, an ADR from the country down, BDAY with X-APPLE-OMIT-YEAR=1604, a
		// folded base64 photo; a Latin card with no FN (N assembled "Given Additional Family"),
		// a TEL folded onto its next line, a NOTE folded with a tab inside a UTF-8 character, an
		// ADR with an escaped comma.
		{"iphone30.vcf", []want{
			{line: 1, name: "李四", phone: "+86 186 1234 5678; (010) 8888-6666", email: "lisi@example.com",
				address: "中国广东省深圳市科技园路1号 518000", company: "华为技术有限公司; 终端", title: "区域经理",
				bday: "5月3日", note: "喜欢咖啡, 不加糖\n生日前一周提醒; 送花\\卡片\n邮箱: li.si@huawei.example"},
			{line: 28, name: "John Q Smith", phone: "135 1234 5678", email: "john@example.com",
				address: "1 Main St, Apt 2, Suite 5, Springfield, IL 62701, USA", bday: "1985-11-22",
				note: "第一次来店买了一条真丝围巾，说下个月还会来看看秋冬新款大衣。"},
		}},
		// 4.0: a BOM, LF, text before the first card, lower-case property names and parameters,
		// tel: URIs (one with an extension), a quoted LABEL holding a colon, BDAY as a UTC
		// timestamp, --0503, VALUE=text, a year and month only (to the notes), --07-15, an
		// X-WECHAT line, and a last card without END:VCARD.
		{"vcard40.vcf", []want{
			{line: 3, name: "陈小梅", phone: "+86-139-8765-4321; +86-21-5555-1234 ext. 8", email: "chen@example.cn",
				address: "上海市浦东新区世纪大道100号 200120", bday: "1992-05-03", note: "VIP群\n偏好: 护肤"},
			{line: 16, name: "Marie Dupont", phone: "+33 1 23 45 67 89", bday: "5月3日"},
			{line: 22, name: "赵六", phone: "15012345678", bday: "农历八月十五"},
			{line: 28, name: "孙七", phone: "15112345678", note: "生日: 1990-07"},
			{line: 35, name: "周八", phone: "15212345678", bday: "7月15日"},
		}},
	} {
		t.Run(c.file, func(t *testing.T) {
			tb, err := Read(context.Background(), filepath.Join("testdata", c.file))
			if err != nil {
				t.Fatal(err)
			}
			if tb.File != c.file || tb.Sheet != "" || tb.HeaderLine != 0 {
				t.Errorf("file %q sheet %q header line %d", tb.File, tb.Sheet, tb.HeaderLine)
			}
			check(t, tb, c.rows...)
		})
	}
}

func TestParse(t *testing.T) {
	gb := func(s string) string {
		b, err := simplifiedchinese.GB18030.NewEncoder().String(s)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	big5, err := traditionalchinese.Big5.NewEncoder().String("陳大文")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, in string
		rows     []want
	}{
		{"minimal 3.0, LF", "BEGIN:VCARD\nVERSION:3.0\nFN:张三\nTEL:13812345678\nEND:VCARD\n",
			[]want{{line: 1, name: "张三", phone: "13812345678"}}},
		{"lone CR line ends", "BEGIN:VCARD\rVERSION:3.0\rFN:张三\rTEL:13812345678\rEND:VCARD\r",
			[]want{{line: 1, name: "张三", phone: "13812345678"}}},
		{"case and spaces", "  begin:vcard \r\nversion:3.0\r\nfn:张三\r\ntel;type=cell:13812345678\r\nEnd:VCard\r\n",
			[]want{{line: 1, name: "张三", phone: "13812345678"}}},
		{"blank lines, text outside cards, missing END at the end",
			"garbage\n\nBEGIN:VCARD\nFN:A\nEND:VCARD\n\n\nnot a card: FN:B\nBEGIN:VCARD\n\nFN:C\n",
			[]want{{line: 3, name: "A"}, {line: 9, name: "C"}}},
		{"BEGIN inside a card starts the next one", "BEGIN:VCARD\nFN:A\nBEGIN:VCARD\nFN:B\nEND:VCARD\n",
			[]want{{line: 1, name: "A"}, {line: 3, name: "B"}}},
		{"empty card", "BEGIN:VCARD\nEND:VCARD\n", []want{{line: 1}}},
		{"FN blank: N", "BEGIN:VCARD\nFN: \nN:;;;;\nN:欧阳;娜娜;;;\nN:李;四\nEND:VCARD\n", []want{{line: 1, name: "欧阳娜娜"}}},
		{"N Latin with lists", "BEGIN:VCARD\nVERSION:3.0\nN:Smith;John;Quincy,Adam;Dr.;\nEND:VCARD\n",
			[]want{{line: 1, name: "John Quincy Adam Smith"}}},
		{"N Latin given only", "BEGIN:VCARD\nN:;Cher;;;\nEND:VCARD\n", []want{{line: 1, name: "Cher"}}},
		{"N in 2.1 keeps commas", "BEGIN:VCARD\nVERSION:2.1\nN:Smith, Jr.;John\nEND:VCARD\n",
			[]want{{line: 1, name: "John Smith, Jr."}}},
		{"N Japanese and Korean", "BEGIN:VCARD\nN:山田;太郎\nEND:VCARD\nBEGIN:VCARD\nN:김;민준\nEND:VCARD\n",
			[]want{{line: 1, name: "山田太郎"}, {line: 4, name: "김민준"}}},
		{"phones: duplicates, tel: URIs, empty TEL",
			"BEGIN:VCARD\nVERSION:4.0\nTEL:138 1234 5678\nTEL;VALUE=uri:tel:+86-138-1234-5678\nTEL:\nTEL:138 1234 5678\nTEL;VALUE=uri:TEL:+1-555-0100;phone-context=x;ext=12\nEND:VCARD\n",
			[]want{{line: 1, phone: "138 1234 5678; +86-138-1234-5678; +1-555-0100 ext. 12"}}},
		{"emails: first, others to the notes after the note", "BEGIN:VCARD\nEMAIL:a@x.cn\nNOTE:老客户\nEMAIL:b@x.cn\nEMAIL:a@x.cn\nEMAIL:c@x.cn\nEND:VCARD\n",
			[]want{{line: 1, email: "a@x.cn", note: "老客户\n邮箱: b@x.cn\n邮箱: c@x.cn"}}},
		{"several notes and addresses", "BEGIN:VCARD\nVERSION:3.0\nNOTE:一\nNOTE:二\nADR:;;1 Main St;Springfield;;;\nADR;TYPE=work:;;人民路8号;杭州市;浙江省;;\nEND:VCARD\n",
			[]want{{line: 1, address: "1 Main St, Springfield", note: "一\n二\n地址: 浙江省杭州市人民路8号"}}},
		{"ORG first non-empty component, TITLE, ROLE when no TITLE",
			"BEGIN:VCARD\nORG:;市场部\nROLE:采购\nEND:VCARD\nBEGIN:VCARD\nORG:星河\nROLE:采购\nTITLE:经理\nEND:VCARD\n",
			[]want{{line: 1, company: "市场部", title: "采购"}, {line: 5, company: "星河", title: "经理"}}},
		{"3.0 escapes", `BEGIN:VCARD` + "\n" + `VERSION:3.0` + "\n" + `NOTE:a\,b\;c\nd\Ne\\f\:g\x` + "\n" + `FN:A\, B` + "\nEND:VCARD\n",
			[]want{{line: 1, name: "A, B", note: "a,b;c\nd\ne\\f:g\\x"}}},
		{"2.1 escapes only ; and ,", `BEGIN:VCARD` + "\n" + `VERSION:2.1` + "\n" + `NOTE:C:\new\;x\,y` + "\nEND:VCARD\n",
			[]want{{line: 1, note: `C:\new;x,y`}}},
		{"control characters dropped, new lines in one-line fields", "BEGIN:VCARD\nVERSION:3.0\nFN:张\x00三\x07\nTITLE:经理\\n助理\nNOTE:a\\r\\nb\x1b\nEND:VCARD\n",
			[]want{{line: 1, name: "张三", title: "经理 助理", note: "a\\r\nb"}}},
		{"QP soft break with spaces after =, indented continuation, bare QUOTED-PRINTABLE",
			"BEGIN:VCARD\nVERSION:2.1\nNOTE;QUOTED-PRINTABLE:=E5=96=9C=E6=AC= \n =A2\nFN;ENCODING=QUOTED-PRINTABLE:a=3Db=\n=3Dc\nEND:VCARD\n",
			[]want{{line: 1, name: "a=b=c", note: "喜欢"}}},
		{"QP soft break before END:VCARD", "BEGIN:VCARD\nFN;ENCODING=QUOTED-PRINTABLE:=E5=BC=A0=\nEND:VCARD\nBEGIN:VCARD\nFN:B\nEND:VCARD\n",
			[]want{{line: 1, name: "张"}, {line: 4, name: "B"}}},
		{"QP bad escapes stay", "BEGIN:VCARD\nNOTE;ENCODING=QUOTED-PRINTABLE:100=% =ZZ =4\nEND:VCARD\n",
			[]want{{line: 1, note: "100=% =ZZ =4"}}},
		{"soft break only for QP", "BEGIN:VCARD\nNOTE:a=\nFN:B\nEND:VCARD\n", []want{{line: 1, name: "B", note: "a="}}},
		{"base64 text value", "BEGIN:VCARD\nVERSION:3.0\nNOTE;ENCODING=b:5Zac5qyi\nFN;ENCODING=b:!!!\nEND:VCARD\n",
			[]want{{line: 1, note: "喜欢"}}},
		{"photo in 2.1 with unindented lines, data URI in 4.0, LOGO, SOUND",
			"BEGIN:VCARD\nVERSION:2.1\nPHOTO;BASE64:\nAAAA\nBBBB==\n\nFN:A\nLOGO;ENCODING=BASE64;GIF:R0lG\n ODlh\nTEL:1\nEND:VCARD\n" +
				"BEGIN:VCARD\nVERSION:4.0\nPHOTO:data:image/jpeg;base64,AAAA\n BBBB\nSOUND:x\nFN:B\nEND:VCARD\n",
			[]want{{line: 1, name: "A", phone: "1"}, {line: 12, name: "B"}}},
		{"groups, X- and unknown properties", "BEGIN:VCARD\nitem1.TEL:1\nitem1.X-ABLabel:手机\nX-QQ:12345\nNICKNAME:小张\nURL:http://x\nitem2.EMAIL;TYPE=INTERNET:a@b.c\nEND:VCARD\n",
			[]want{{line: 1, phone: "1", email: "a@b.c"}}},
		{"quoted parameter with ; and :", `BEGIN:VCARD` + "\n" + `ADR;LABEL="a;b:c";TYPE=home:;;Street 1;Town;;;` + "\nEND:VCARD\n",
			[]want{{line: 1, address: "Street 1, Town"}}},
		{"lines without a colon are ignored", "BEGIN:VCARD\nFN\n:x\nFN:A\nEND:VCARD\n", []want{{line: 1, name: "A"}}},
		{"charsets: GB2312 raw, GBK in QP, UTF-8 that is GBK, Big5, ISO-8859-1",
			"BEGIN:VCARD\nVERSION:2.1\nADR;CHARSET=GB2312:;;" + gb("人民路8号;杭州") + "\nFN;CHARSET=UTF-8:" + gb("王五") +
				"\nTITLE;CHARSET=BIG5:" + big5 + "\nORG;CHARSET=ISO-8859-1:Caf\xe9\nNOTE;CHARSET=x-unknown:ok\n" +
				"EMAIL;CHARSET=gbk;ENCODING=QUOTED-PRINTABLE:=CD=F5@x.cn\nEND:VCARD\n",
			[]want{{line: 1, name: "王五", email: "王@x.cn", address: "杭州人民路8号", company: "Café", title: "陳大文", note: "ok"}}},
		// 郑伟 in GBK happens to be valid UTF-8 (֣ΰ): read as GB18030 because another value of the
		// file without CHARSET is not UTF-8.
		{"no CHARSET in a GB18030 file", "BEGIN:VCARD\nFN:" + gb("郑伟") + "\nEND:VCARD\nBEGIN:VCARD\nFN:" + gb("王五") + "\nEND:VCARD\n",
			[]want{{line: 1, name: "郑伟"}, {line: 4, name: "王五"}}},
		// A value cut short in the middle of a character does not turn a UTF-8 file into GB18030.
		{"a broken UTF-8 value", "BEGIN:VCARD\nFN:张三\nNOTE:喜欢红色\xe8\xaf\nEND:VCARD\nBEGIN:VCARD\nFN:李四\nEND:VCARD\n",
			[]want{{line: 1, name: "张三", note: "喜欢红色\ufffd"}, {line: 5, name: "李四"}}},
		// A GB18030 card joined to a UTF-8 file.
		{"a GB18030 card in a UTF-8 file", "BEGIN:VCARD\nFN:张三\nNOTE:喜欢红色\nEND:VCARD\nBEGIN:VCARD\nFN:" + gb("王五") + "\nEND:VCARD\n",
			[]want{{line: 1, name: "张三", note: "喜欢红色"}, {line: 5, name: "王五"}}},
		{"no CHARSET in QP, GB18030", "BEGIN:VCARD\nFN;ENCODING=QUOTED-PRINTABLE:=CD=F5=CE=E5\nEND:VCARD\n",
			[]want{{line: 1, name: "王五"}}},
		{"UTF-8 with BOM", "\ufeffBEGIN:VCARD\r\nFN:张三\r\nEND:VCARD\r\n", []want{{line: 1, name: "张三"}}},
		{"birthdays", "BEGIN:VCARD\nBDAY:19920503\nEND:VCARD\nBEGIN:VCARD\nBDAY;VALUE=date:--05-03\nEND:VCARD\n" +
			"BEGIN:VCARD\nBDAY:\nBDAY:1992-05-03\nBDAY:2000-01-01\nEND:VCARD\nBEGIN:VCARD\nBDAY:---03\nEND:VCARD\n",
			[]want{{line: 1, bday: "1992-05-03"}, {line: 4, bday: "5月3日"}, {line: 7, bday: "1992-05-03"}, {line: 12, note: "生日: ---03"}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			check(t, parse(t, c.in), c.rows...)
		})
	}
}

func TestParseUTF16(t *testing.T) {
	for _, e := range []xunicode.Endianness{xunicode.LittleEndian, xunicode.BigEndian} {
		// A UTF-16 file is all Unicode: its CHARSET parameters do not apply.
		in, err := xunicode.UTF16(e, xunicode.UseBOM).NewEncoder().String("BEGIN:VCARD\r\nN;CHARSET=GBK:张;三\r\nTEL:13812345678\r\nEND:VCARD\r\n")
		if err != nil {
			t.Fatal(err)
		}
		check(t, parse(t, in), want{line: 1, name: "张三", phone: "13812345678"})
	}
}

func TestBirthday(t *testing.T) {
	for _, c := range []struct {
		in        string
		valueText bool
		omitYear  string
		cell      string
		note      string
	}{
		{in: "1992-05-03", cell: "1992-05-03"},
		{in: "19920503", cell: "1992-05-03"},
		{in: "1992-05-03T00:00:00Z", cell: "1992-05-03"},
		{in: "19920503T000000Z", cell: "1992-05-03"},
		{in: "1992-05-03t08:00:00+08:00", cell: "1992-05-03"},
		{in: "1992-05-03 08:00", cell: "1992-05-03"},
		{in: "--0503", cell: "5月3日"},
		{in: "--05-03", cell: "5月3日"},
		{in: "--1231T1200", cell: "12月31日"},
		{in: "1604-05-03", cell: "5月3日"},
		{in: "2000-05-03", omitYear: "2000", cell: "5月3日"},
		{in: "2000-05-03", omitYear: "1604", cell: "2000-05-03"},
		{in: "0000-05-03", cell: "5月3日"},
		{in: "1992", note: "1992"},
		{in: "199205", note: "199205"},
		{in: "1992-05", note: "1992-05"},
		{in: "---03", note: "---03"},
		{in: "--05", note: "--05"},
		{in: "--0532", cell: "--0532"},
		{in: "1992-13-03", cell: "1992-13-03"},
		{in: "1992/5/3", cell: "1992/5/3"},
		{in: "1992年5月3日", cell: "1992年5月3日"},
		{in: "农历 八月十五", cell: "农历 八月十五"},
		{in: "--0503", valueText: true, cell: "--0503"},
		{in: "circa 1800", valueText: true, cell: "circa 1800"},
		{in: ""},
	} {
		cell, note := birthday(c.in, c.valueText, c.omitYear)
		if cell != c.cell || note != c.note {
			t.Errorf("birthday(%q, %v, %q) = %q, %q; want %q, %q", c.in, c.valueText, c.omitYear, cell, note, c.cell, c.note)
		}
	}
}

func TestReadEmptyAndErrors(t *testing.T) {
	for _, in := range []string{"", " \r\n\t\n", "\ufeff", "\ufeff\r\n"} {
		tb, err := Read(context.Background(), write(t, "empty.vcf", []byte(in)))
		if err != nil || tb.Header != nil || tb.Rows != nil || tb.File != "empty.vcf" {
			t.Errorf("%q: %+v %v", in, tb, err)
		}
	}
	fileErr := func(err error, key string) bool {
		var fe *crm.ImportFileError
		return errors.As(err, &fe) && fe.Key == key && fe.Args["File"] != nil && fe.Err != nil
	}
	_, err := Read(context.Background(), filepath.Join(t.TempDir(), "nope.vcf"))
	if !fileErr(err, "import.err_open") {
		t.Errorf("missing file: %v", err)
	}
	for _, in := range []string{"姓名,手机\n张三,13812345678\n", "FN:张三\nTEL:1\nEND:VCARD\n", "\x89PNG\r\n\x1a\n\x00\x00"} {
		if _, err := Parse(context.Background(), "x.vcf", []byte(in)); !fileErr(err, "import.err_no_vcard") {
			t.Errorf("%q: %v", in, err)
		}
	}
	long := strings.Repeat("长", maxValue)
	if _, err := Parse(context.Background(), "x.vcf", []byte("BEGIN:VCARD\nNOTE:"+long+"\nEND:VCARD\n")); err != nil {
		t.Errorf("a note of %d characters: %v", maxValue, err)
	}
	for _, in := range []string{
		"BEGIN:VCARD\nNOTE:" + long + "x\nEND:VCARD\n",
		"BEGIN:VCARD\nNOTE:" + long + "\nEMAIL:a@b\nEMAIL:c@d\nEND:VCARD\n", // the notes cell as a whole
	} {
		if _, err := Parse(context.Background(), "x.vcf", []byte(in)); !fileErr(err, "import.err_too_big") {
			t.Errorf("a long value: %v", err)
		}
	}
	// A photo is skipped, whatever its size.
	photo := "BEGIN:VCARD\nFN:A\nPHOTO;ENCODING=b:" + strings.Repeat("QUFB", maxValue) + "\nEND:VCARD\n"
	if tb, err := Parse(context.Background(), "x.vcf", []byte(photo)); err != nil || len(tb.Rows) != 1 {
		t.Errorf("a big photo: %v", err)
	}
	if testing.Short() {
		return
	}
	many := strings.Repeat("BEGIN:VCARD\n", maxCards+1)
	if _, err := Parse(context.Background(), "x.vcf", []byte(many)); !fileErr(err, "import.err_too_big") {
		t.Errorf("%d cards: %v", maxCards+1, err)
	}
}

func TestParseCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Parse(ctx, "x.vcf", []byte(strings.Repeat("BEGIN:VCARD\nFN:A\nEND:VCARD\n", 10)))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: %v", err)
	}
}

// Each value the table reads is decoded once, at the end: many cards stay linear.
func TestParseManyCards(t *testing.T) {
	var b strings.Builder
	for i := range 20000 {
		b.WriteString("BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E5=BC=A0;=E4=B8=89;;;\r\nTEL;CELL:138")
		fmt.Fprintf(&b, "%08d", i)
		b.WriteString("\r\nEND:VCARD\r\n")
	}
	tb := parse(t, b.String())
	if len(tb.Rows) != 20000 || tb.Rows[19999].Line != 19999*5+1 || tb.Rows[19999].Cells[colPhone].Text != "13800019999" ||
		tb.Rows[0].Cells[colName].Text != "张三" {
		t.Fatalf("%d rows, last %+v", len(tb.Rows), tb.Rows[len(tb.Rows)-1])
	}
}
