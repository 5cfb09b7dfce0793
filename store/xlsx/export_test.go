package xlsx

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"carebook/crm"
)

// fakeSource is an in-memory Source. It filters records and purchases by [from, to] like the
// store, and remembers the bounds it was given.
type fakeSource struct {
	customers []crm.CustomerRow
	purchases []crm.PurchaseRow
	records   []crm.RecordRow
	// moreRecords appends that many generated records (dated within the bounds) after records.
	moreRecords int

	countErr, customerErr, purchaseErr error         // returned instead of iterating
	onRecord                           func(i int)   // called before each record is handed out
	afterPurchases                     func()        // called once the purchases are handed out
	bounds                             [][2]crm.Date // from, to of every call that takes them
}

func inRange(d, from, to crm.Date) bool {
	return (from.IsZero() || d >= from) && (to.IsZero() || d <= to)
}

func (s *fakeSource) ExportCounts(_ context.Context, from, to crm.Date) (int, int, int, error) {
	s.bounds = append(s.bounds, [2]crm.Date{from, to})
	if s.countErr != nil {
		return 0, 0, 0, s.countErr
	}
	np, nr := 0, s.moreRecords
	for i := range s.purchases {
		if inRange(s.purchases[i].Date, from, to) {
			np++
		}
	}
	for i := range s.records {
		if inRange(s.records[i].Date(), from, to) {
			nr++
		}
	}
	return len(s.customers), np, nr, nil
}

func (s *fakeSource) EachCustomer(_ context.Context, fn func(*crm.CustomerRow) error) error {
	if s.customerErr != nil {
		return s.customerErr
	}
	for i := range s.customers {
		c := s.customers[i] // a copy: the row is the callee's to read, not to keep
		if err := fn(&c); err != nil {
			return err
		}
	}
	return nil
}

func (s *fakeSource) EachPurchase(_ context.Context, from, to crm.Date, fn func(*crm.PurchaseRow) error) error {
	s.bounds = append(s.bounds, [2]crm.Date{from, to})
	if s.purchaseErr != nil {
		return fmt.Errorf("fake purchases: %w", s.purchaseErr)
	}
	for i := range s.purchases {
		if p := s.purchases[i]; inRange(p.Date, from, to) {
			if err := fn(&p); err != nil {
				return err
			}
		}
	}
	if s.afterPurchases != nil {
		s.afterPurchases()
	}
	return nil
}

func (s *fakeSource) EachRecord(_ context.Context, from, to crm.Date, fn func(*crm.RecordRow) error) error {
	s.bounds = append(s.bounds, [2]crm.Date{from, to})
	i := 0
	call := func(r *crm.RecordRow) error {
		if s.onRecord != nil {
			s.onRecord(i)
		}
		i++
		return fn(r)
	}
	for _, r := range s.records {
		if inRange(r.Date(), from, to) {
			if err := call(&r); err != nil {
				return err
			}
		}
	}
	at := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	if !from.IsZero() {
		at = from.Time()
	}
	r := crm.RecordRow{CustomerCode: "C000001", CustomerName: "张三", Phone: "+8613812345678",
		Record: crm.Record{At: at, Kind: crm.KindRoutine, Channel: crm.ChannelPhone, Content: "回访"}}
	for range s.moreRecords {
		if err := call(&r); err != nil {
			return err
		}
	}
	return nil
}

// wall is a local date-time in a zone far from UTC: the workbook shows its wall clock.
func wall(y int, m time.Month, d, h, mi int) time.Time {
	return time.Date(y, m, d, h, mi, 0, 0, time.FixedZone("UTC+8", 8*3600))
}

func sampleSource() *fakeSource {
	return &fakeSource{
		customers: []crm.CustomerRow{
			{
				Customer: crm.Customer{
					Code: "C000001", Name: "张三", Remark: "老张", Gender: crm.GenderMale,
					Phones: []string{"+8613812345678", "+8613987654321"},
					WeChat: "=SUM(A1)", Email: "zhang@example.com", Address: "@x", Company: "+86 公司", Title: "-5",
					Source:   "朋友介绍",
					Birthday: &crm.KeyDate{Calendar: crm.Solar, Year: 1992, Month: 5, Day: 3},
					Dates: []crm.KeyDate{
						{Label: "结婚纪念日", Calendar: crm.Solar, Year: 2015, Month: 10, Day: 1},
						{Label: "开业", Calendar: crm.Lunar, Month: 3, Day: 3},
						{Label: "相识", Calendar: crm.Solar, Month: 6, Day: 9},
					},
					Needs: "护肤", LatentNeeds: "彩妆", Preferences: "茶", Interests: "旅行", Notes: "多行\n备注",
					Tags: []string{"VIP", "老客户"}, Tier: crm.TierVIP, DoNotDisturb: true,
					Knowing: 3, Loyalty: 5, Created: crm.MustDate("2024-01-15"),
				},
				LastContact:  wall(2026, 3, 5, 9, 30),
				LastPurchase: crm.MustDate("2026-02-01"),
			},
			{Customer: crm.Customer{Code: "C000002", Name: "李四", Gender: crm.GenderFemale, Phones: []string{"+8613900001111"},
				Birthday: &crm.KeyDate{Calendar: crm.Solar, Month: 5, Day: 3}, Tier: crm.TierOrdinary, Tags: []string{"新客"},
				Created: crm.MustDate("1900-01-01")}},
			{Customer: crm.Customer{Code: "C000003", Name: "王五",
				Birthday: &crm.KeyDate{Calendar: crm.Lunar, Year: 1988, Month: 1, Day: 8}, Tier: crm.TierSmall}},
			{Customer: crm.Customer{Code: "C000004", Name: "赵六", Gender: crm.GenderUnknown, Phones: []string{"+14155550123"},
				Birthday: &crm.KeyDate{Calendar: crm.Lunar, Month: 8, Day: 15}, Tier: crm.TierMajor}},
		},
		purchases: []crm.PurchaseRow{ // by date
			{CustomerCode: "C000002", CustomerName: "李四", Purchase: crm.Purchase{Date: crm.MustDate("2025-12-31"), Amount: 100, Items: "旧", Channel: crm.Offline}},
			{CustomerCode: "C000001", CustomerName: "张三", Purchase: crm.Purchase{Date: crm.MustDate("2026-02-01"), Amount: 12800, Items: "=1+1", Channel: crm.Online}},
			{CustomerCode: "C000002", CustomerName: "李四", Purchase: crm.Purchase{Date: crm.MustDate("2026-03-10"), Amount: 5, Items: "面霜", Channel: crm.Offline}},
		},
		records: []crm.RecordRow{ // by date-time, as the store hands them out
			{CustomerCode: "C000001", CustomerName: "张三", Record: crm.Record{
				At: wall(2025, 12, 31, 12, 0), Kind: crm.KindOther, Channel: crm.ChannelOther, Content: "before the range"}},
			{CustomerCode: "C000001", CustomerName: "张三", Phone: "+8613812345678", Record: crm.Record{
				At: wall(2026, 3, 5, 9, 30), Kind: crm.KindRoutine, Channel: crm.ChannelPhone,
				Content: "=SUM(A1)", Feedback: "+8613812345678", NextStep: "-5", NextDate: crm.MustDate("2026-03-08")}},
			{CustomerCode: "C000002", CustomerName: "李四", Phone: "+8613900001111", Record: crm.Record{
				At: wall(2026, 3, 6, 23, 59), Kind: crm.KindGreeting, Channel: crm.ChannelWeChat, Content: "@x"}},
			{CustomerCode: "C000003", CustomerName: "王五", Record: crm.Record{
				At: wall(2026, 3, 7, 0, 0), Kind: crm.KindInvitation, Channel: crm.ChannelVisit, Content: "邀约"}},
			{CustomerCode: "C000001", CustomerName: "张三", Phone: "+8613812345678", Record: crm.Record{
				At: wall(2026, 3, 8, 12, 0), Kind: crm.KindService, Channel: crm.ChannelSMS}},
			{CustomerCode: "C000001", CustomerName: "张三", Record: crm.Record{
				At: wall(2026, 3, 9, 12, 0), Kind: crm.KindComplaint, Channel: crm.ChannelEmail}},
			{CustomerCode: "C000001", CustomerName: "张三", Record: crm.Record{
				At: wall(2026, 3, 10, 12, 0), Kind: crm.KindRecall, Channel: crm.ChannelOther}},
			{CustomerCode: "C000001", CustomerName: "张三", Record: crm.Record{
				At: wall(2026, 3, 11, 12, 0), Kind: crm.KindOther, Channel: crm.ChannelOther}},
		},
	}
}

func export(t *testing.T, src Source, o Options) (string, *excelize.File) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "导出.xlsx")
	if err := Export(context.Background(), src, path, o); err != nil {
		t.Fatalf("Export: %v", err)
	}
	return path, open(t, path)
}

func open(t *testing.T, path string) *excelize.File {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return f
}

func rows(t *testing.T, f *excelize.File, sheet string) [][]string {
	t.Helper()
	rs, err := f.GetRows(sheet)
	if err != nil {
		t.Fatalf("rows of %s: %v", sheet, err)
	}
	return rs
}

// cellRow returns row n (from 1) of sheet, padded to the sheet's width.
func cellRow(t *testing.T, f *excelize.File, sheet string, n int) []string {
	t.Helper()
	rs := rows(t, f, sheet)
	if n > len(rs) {
		t.Fatalf("%s has %d rows, want row %d", sheet, len(rs), n)
	}
	r := rs[n-1]
	for len(r) < len(rs[0]) {
		r = append(r, "")
	}
	return r
}

func raw(t *testing.T, f *excelize.File, sheet, cell string) string {
	t.Helper()
	v, err := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// The canonical headers of PRODUCT.md §5, spelled out again so that a typo in the tables shows.
var wantHeaders = map[Lang]map[string][]string{
	LangZh: {
		"维护记录": {"日期", "顾客编号", "顾客", "电话", "类型", "方式", "维护内容", "顾客反馈", "下次计划", "下次日期"},
		"顾客": {"编号", "姓名", "备注名", "性别", "手机", "微信", "邮箱", "地址", "公司", "职务", "来源", "生日", "纪念日",
			"需求", "潜在需求", "喜好", "近期关注", "等级", "标签", "免打扰", "了解程度", "亲密程度", "忠诚程度", "备注",
			"建档日期", "阶段", "流失状态", "RFM分群", "建议等级", "最近联系", "最近消费"},
		"消费记录": {"顾客编号", "顾客", "日期", "金额", "商品", "渠道"},
		"服务":   {"顾客编号", "顾客", "日期", "类型", "事项", "状态", "完成日期", "备注"},
		"客诉": {"顾客编号", "顾客", "收到日期", "方式", "类别", "严重程度", "描述", "安抚倾听日期", "安抚倾听说明",
			"表示理解日期", "表示理解说明", "澄清解释日期", "澄清解释说明", "解决共识日期", "解决共识说明", "跟进回访日期",
			"跟进回访说明", "处理结果", "满意度", "结案日期"},
		"活动": {"活动", "活动日期", "邀约目的", "邀约话术", "对象", "邀约天数", "活动备注", "顾客编号", "顾客", "邀约状态",
			"邀约日期", "备注"},
		"统计": {"项目", "数值"},
	},
	LangEn: {
		"Maintenance log": {"Date", "Customer code", "Customer", "Phone", "Kind", "Channel", "Content", "Feedback",
			"Next step", "Next date"},
		"Customers": {"Code", "Name", "Remark", "Gender", "Phone", "WeChat", "Email", "Address", "Company", "Title",
			"Source", "Birthday", "Important dates", "Needs", "Latent needs", "Preferences", "Recent interests", "Tier",
			"Tags", "Do not disturb", "Knowing", "Closeness", "Loyalty", "Notes", "Created", "Stage", "Churn",
			"RFM segment", "Suggested tier", "Last contact", "Last purchase"},
		"Purchases": {"Customer code", "Customer", "Date", "Amount", "Items", "Channel"},
		"Services":  {"Customer code", "Customer", "Date", "Kind", "Title", "Status", "Done date", "Notes"},
		"Complaints": {"Customer code", "Customer", "Received", "Channel", "Category", "Severity", "Description",
			"Listen date", "Listen note", "Empathise date", "Empathise note", "Clarify date", "Clarify note",
			"Agree date", "Agree note", "Follow-up date", "Follow-up note", "Resolution", "Satisfaction", "Closed"},
		"Events": {"Event", "Event date", "Purpose", "Script", "Audience", "Invite window (days)", "Event notes",
			"Customer code", "Customer", "Invitation status", "Invited on", "Notes"},
		"Summary": {"Item", "Value"},
	},
}

var wantSheets = map[Lang][]string{
	LangZh: {"维护记录", "顾客", "消费记录", "服务", "客诉", "活动", "统计"},
	LangEn: {"Maintenance log", "Customers", "Purchases", "Services", "Complaints", "Events", "Summary"},
}

func TestSheetsAndHeaders(t *testing.T) {
	for _, lang := range []Lang{LangZh, LangEn} {
		t.Run(string(lang), func(t *testing.T) {
			path, f := export(t, sampleSource(), Options{Lang: lang})
			if got := f.GetSheetList(); !slices.Equal(got, wantSheets[lang]) {
				t.Fatalf("sheets %q, want %q", got, wantSheets[lang])
			}
			if got := f.GetActiveSheetIndex(); got != 0 {
				t.Errorf("active sheet %d, want 0", got)
			}
			sheetXML := readSheetXML(t, path)
			for i, x := range sheetXML {
				if got := strings.Contains(x, `tabSelected="true"`) || strings.Contains(x, `tabSelected="1"`); got != (i == 0) {
					t.Errorf("sheet %d selected: %v", i+1, got)
				}
			}
			for i, name := range wantSheets[lang] {
				want := wantHeaders[lang][name]
				if got := cellRow(t, f, name, 1); !slices.Equal(got, want) {
					t.Errorf("%s headers\n got %q\nwant %q", name, got, want)
				}
				if name == wantSheets[lang][6] {
					continue // the summary is not a list
				}
				// Frozen header, auto-filter over the header and the rows, widths, header style.
				p, err := f.GetPanes(name)
				if err != nil || !p.Freeze || p.YSplit != 1 || p.TopLeftCell != "A2" {
					t.Errorf("%s panes %+v, %v: want the header row frozen", name, p, err)
				}
				last, _ := excelize.ColumnNumberToName(len(want))
				n := len(rows(t, f, name))
				ref := fmt.Sprintf(`<autoFilter ref="$A$1:$%s$%d"`, last, n)
				if x := sheetXML[i]; !strings.Contains(x, ref) {
					t.Errorf("%s: no %s in the sheet", name, ref)
				}
				if w, _ := f.GetColWidth(name, "A"); w < 8 {
					t.Errorf("%s: column A width %v", name, w)
				}
				st, _ := f.GetCellStyle(name, "A1")
				if s, err := f.GetStyle(st); err != nil || s.Font == nil || !s.Font.Bold || len(s.Fill.Color) == 0 {
					t.Errorf("%s: header style %+v, %v: want bold on a fill", name, s, err)
				}
			}
			filters := 0
			for _, d := range f.GetDefinedName() {
				if d.Name == "_xlnm._FilterDatabase" {
					filters++
				}
			}
			if filters != 6 {
				t.Errorf("%d filter ranges, want 6", filters)
			}
		})
	}
}

// readSheetXML returns the XML of the worksheets in workbook order (sheet1.xml…) and checks
// that none holds a formula.
func readSheetXML(t *testing.T, path string) []string {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var out []string
	for i := 1; ; i++ {
		r, err := zr.Open(fmt.Sprintf("xl/worksheets/sheet%d.xml", i))
		if err != nil {
			break
		}
		b, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		if regexp.MustCompile(`<f[ >]`).Match(b) {
			t.Errorf("sheet%d.xml holds a formula", i)
		}
		out = append(out, string(b))
	}
	return out
}

func TestRecordSheet(t *testing.T) {
	_, f := export(t, sampleSource(), Options{Lang: LangZh})
	const s = "维护记录"
	want := []string{"2026-03-05 09:30", "C000001", "张三", "138 1234 5678", "常规维护", "电话", "=SUM(A1)", "+8613812345678", "-5", "2026-03-08"}
	if got := cellRow(t, f, s, 3); !slices.Equal(got, want) { // row 2 is the record of 2025-12-31
		t.Errorf("record row\n got %q\nwant %q", got, want)
	}
	// The date-time is a real Excel date-time: a serial number with a date-time format.
	if got := raw(t, f, s, "A3"); !strings.HasPrefix(got, "46086.3958333333") {
		t.Errorf("A3 raw %q, want the serial of 2026-03-05 09:30 (46086.395833…)", got)
	}
	checkNumber(t, f, s, "A3", "yyyy-mm-dd hh:mm")
	if got := raw(t, f, s, "J3"); got != "46089" {
		t.Errorf("next date raw %q, want 46089", got)
	}
	checkNumber(t, f, s, "J3", "yyyy-mm-dd")
	// Text that looks like a formula or a number is a string, as typed.
	for cell, want := range map[string]string{"G3": "=SUM(A1)", "H3": "+8613812345678", "I3": "-5", "G4": "@x"} {
		checkText(t, f, s, cell, want)
	}
	var kinds, channels []string
	for _, r := range rows(t, f, s)[1:] {
		kinds, channels = append(kinds, r[4]), append(channels, r[5])
	}
	if want := []string{"其他", "常规维护", "问候", "邀约", "服务", "客诉", "召回", "其他"}; !slices.Equal(kinds, want) {
		t.Errorf("kinds %q, want %q", kinds, want)
	}
	if want := []string{"其他", "电话", "微信", "面谈", "短信", "邮件", "其他", "其他"}; !slices.Equal(channels, want) {
		t.Errorf("channels %q, want %q", channels, want)
	}
	if got := cellRow(t, f, s, 5); got[3] != "" || got[9] != "" {
		t.Errorf("a record without phone or next date: %q", got)
	}
	if got := raw(t, f, s, "A4"); !strings.HasPrefix(got, "46087.9993055555") { // 23:59
		t.Errorf("A4 raw %q", got)
	}
}

func checkNumber(t *testing.T, f *excelize.File, sheet, cell, numFmt string) {
	t.Helper()
	if typ, _ := f.GetCellType(sheet, cell); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
		t.Errorf("%s!%s: cell type %v, want a number", sheet, cell, typ)
	}
	st, err := f.GetCellStyle(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	style, err := f.GetStyle(st)
	if err != nil {
		t.Fatal(err)
	}
	got := ""
	switch {
	case style.CustomNumFmt != nil:
		got = *style.CustomNumFmt
	case style.NumFmt == 2:
		got = "0.00"
	}
	if got != numFmt {
		t.Errorf("%s!%s: number format %q (%d), want %q", sheet, cell, got, style.NumFmt, numFmt)
	}
}

func checkText(t *testing.T, f *excelize.File, sheet, cell, want string) {
	t.Helper()
	if got, _ := f.GetCellValue(sheet, cell); got != want {
		t.Errorf("%s!%s = %q, want %q", sheet, cell, got, want)
	}
	if typ, _ := f.GetCellType(sheet, cell); typ != excelize.CellTypeInlineString && typ != excelize.CellTypeSharedString {
		t.Errorf("%s!%s: cell type %v, want a string", sheet, cell, typ)
	}
	if fm, _ := f.GetCellFormula(sheet, cell); fm != "" {
		t.Errorf("%s!%s: formula %q, want none", sheet, cell, fm)
	}
}

func TestPurchaseSheet(t *testing.T) {
	for _, tc := range []struct {
		lang     Lang
		channels []string
	}{{LangZh, []string{"线下", "线上", "线下"}}, {LangEn, []string{"offline", "online", "offline"}}} {
		_, f := export(t, sampleSource(), Options{Lang: tc.lang})
		s := wantSheets[tc.lang][2]
		rs := rows(t, f, s)
		if len(rs) != 4 {
			t.Fatalf("%d rows, want 4", len(rs))
		}
		want := []string{"C000001", "张三", "2026-02-01", "128.00", "=1+1", tc.channels[1]}
		if got := rs[2]; !slices.Equal(got, want) {
			t.Errorf("purchase row\n got %q\nwant %q", got, want)
		}
		if got := raw(t, f, s, "D3"); got != "128" {
			t.Errorf("amount raw %q, want 128", got)
		}
		checkNumber(t, f, s, "D3", "0.00")
		if got := raw(t, f, s, "D4"); got != "0.05" {
			t.Errorf("amount raw %q, want 0.05", got)
		}
		if got := raw(t, f, s, "C3"); got != "46054" {
			t.Errorf("date raw %q, want 46054", got)
		}
		checkNumber(t, f, s, "C3", "yyyy-mm-dd")
		checkText(t, f, s, "E3", "=1+1")
		var chans []string
		for _, r := range rs[1:] {
			chans = append(chans, r[5])
		}
		if !slices.Equal(chans, tc.channels) {
			t.Errorf("channels %q, want %q", chans, tc.channels)
		}
	}
}

func TestCustomerSheet(t *testing.T) {
	_, f := export(t, sampleSource(), Options{Lang: LangZh})
	const s = "顾客"
	want := []string{"C000001", "张三", "老张", "男", "138 1234 5678; 139 8765 4321", "=SUM(A1)", "zhang@example.com",
		"@x", "+86 公司", "-5", "朋友介绍", "1992-05-03", "结婚纪念日:2015-10-01; 开业:农历三月初三; 相识:6月9日",
		"护肤", "彩妆", "茶", "旅行", "VIP", "VIP; 老客户", "是", "3", "", "5", "多行\n备注", "2024-01-15",
		"", "", "", "", "2026-03-05 09:30", "2026-02-01"}
	if got := cellRow(t, f, s, 2); !slices.Equal(got, want) {
		t.Errorf("customer row\n got %q\nwant %q", got, want)
	}
	for cell, want := range map[string]string{"F2": "=SUM(A1)", "H2": "@x", "I2": "+86 公司", "J2": "-5"} {
		checkText(t, f, s, cell, want)
	}
	// Dates are dates; the 1–5 scores numbers.
	for cell, want := range map[string]string{"L2": "33727", "Y2": "45306", "AE2": "46054", "U2": "3", "W2": "5"} {
		if got := raw(t, f, s, cell); got != want {
			t.Errorf("%s raw %q, want %q", cell, got, want)
		}
	}
	checkNumber(t, f, s, "L2", "yyyy-mm-dd")
	checkNumber(t, f, s, "Y2", "yyyy-mm-dd")
	checkNumber(t, f, s, "AD2", "yyyy-mm-dd hh:mm")
	checkNumber(t, f, s, "AE2", "yyyy-mm-dd")
	if got := raw(t, f, s, "AD2"); !strings.HasPrefix(got, "46086.3958333333") {
		t.Errorf("last contact raw %q", got)
	}
	// Birthdays without a year, or lunar, are text; so are dates before 1900-03-01, which Excel
	// and LibreOffice show a day apart.
	for cell, want := range map[string]string{"L3": "5月3日", "L4": "1988年农历正月初八", "L5": "农历八月十五", "Y3": "1900-01-01"} {
		checkText(t, f, s, cell, want)
	}
	// Other customers: gender, tier, a foreign phone, no phone, no created date.
	for _, tc := range []struct {
		row  int
		want map[int]string
	}{
		{3, map[int]string{3: "女", 4: "139 0000 1111", 17: "普通", 18: "新客", 19: "否", 24: "1900-01-01"}},
		{4, map[int]string{3: "未知", 4: "", 17: "小", 18: "", 19: "否", 24: ""}},
		{5, map[int]string{3: "未知", 4: "+1 415-555-0123", 17: "重要"}},
	} {
		got := cellRow(t, f, s, tc.row)
		for i, w := range tc.want {
			if got[i] != w {
				t.Errorf("row %d %s = %q, want %q", tc.row, CustomerColumns[i].Zh, got[i], w)
			}
		}
	}
}

func TestCustomerSheetEnglish(t *testing.T) {
	_, f := export(t, sampleSource(), Options{Lang: LangEn})
	const s = "Customers"
	for _, tc := range []struct {
		row  int
		want map[int]string
	}{
		{2, map[int]string{3: "male", 11: "1992-05-03", 12: "结婚纪念日:2015-10-01; 开业:农历三月初三; 相识:6/9", 17: "vip", 19: "yes"}},
		{3, map[int]string{3: "female", 11: "5/3", 17: "ordinary", 19: "no"}},
		{4, map[int]string{3: "unknown", 11: "1988年农历正月初八", 17: "small"}},
		{5, map[int]string{3: "unknown", 11: "农历八月十五", 17: "major"}},
	} {
		got := cellRow(t, f, s, tc.row)
		for i, w := range tc.want {
			if got[i] != w {
				t.Errorf("row %d %s = %q, want %q", tc.row, CustomerColumns[i].En, got[i], w)
			}
		}
	}
	_, f = export(t, sampleSource(), Options{Lang: LangEn})
	var kinds, channels []string
	for _, r := range rows(t, f, "Maintenance log")[1:] {
		kinds, channels = append(kinds, r[4]), append(channels, r[5])
	}
	if want := []string{"other", "routine", "greeting", "invitation", "service", "complaint", "recall", "other"}; !slices.Equal(kinds, want) {
		t.Errorf("kinds %q, want %q", kinds, want)
	}
	if want := []string{"other", "phone", "wechat", "visit", "sms", "email", "other", "other"}; !slices.Equal(channels, want) {
		t.Errorf("channels %q, want %q", channels, want)
	}
}

func TestDerive(t *testing.T) {
	_, f := export(t, sampleSource(), Options{Lang: LangZh, Derive: func(c *crm.CustomerRow) (string, string, string, string) {
		return "成熟期-" + c.Code, "活跃", "=重要价值", "VIP"
	}})
	got := cellRow(t, f, "顾客", 2)[25:29]
	if want := []string{"成熟期-C000001", "活跃", "=重要价值", "VIP"}; !slices.Equal(got, want) {
		t.Errorf("derived %q, want %q", got, want)
	}
}

func TestBounds(t *testing.T) {
	src := sampleSource()
	from, to := crm.MustDate("2026-01-01"), crm.MustDate("2026-03-10")
	_, f := export(t, src, Options{Lang: LangZh, From: from, To: to})
	for _, b := range src.bounds {
		if b != [2]crm.Date{from, to} {
			t.Errorf("source called with %v, want %v–%v", b, from, to)
		}
	}
	if len(src.bounds) != 3 {
		t.Errorf("%d calls with bounds, want 3 (counts, records, purchases)", len(src.bounds))
	}
	if n := len(rows(t, f, "维护记录")) - 1; n != 6 {
		t.Errorf("%d records, want 6", n)
	}
	if n := len(rows(t, f, "消费记录")) - 1; n != 2 {
		t.Errorf("%d purchases, want 2", n)
	}
	if n := len(rows(t, f, "顾客")) - 1; n != 4 {
		t.Errorf("%d customers, want 4 (not bounded)", n)
	}
	sum := rows(t, f, "统计")
	want := [][]string{{"起始日期", "2026-01-01"}, {"截止日期", "2026-03-10"}, {"顾客", "4"}, {"消费记录", "2"},
		{"消费金额", "128.05"}, {"维护记录", "6"}, {"服务", "0"}, {"客诉", "0"}, {"活动", "0"}, {"邀约", "0"}}
	if len(sum) != 12 || !slices.EqualFunc(sum[2:], want, slices.Equal) {
		t.Errorf("summary %q, want %q after the export time", sum, want)
	}
	if sum[1][0] != "导出时间" || !regexp.MustCompile(`^\d{4}-\d\d-\d\d \d\d:\d\d$`).MatchString(sum[1][1]) {
		t.Errorf("summary export time %q", sum[1])
	}

	_, f = export(t, sampleSource(), Options{Lang: LangEn})
	sum = rows(t, f, "Summary")
	if sum[2][1] != "open" || sum[3][1] != "open" || sum[6][1] != "129.05" {
		t.Errorf("open summary %q", sum)
	}
}

func TestProgress(t *testing.T) {
	src := sampleSource()
	src.moreRecords = 25_000
	var calls [][2]int
	export(t, src, Options{Progress: func(done, total int) { calls = append(calls, [2]int{done, total}) }})
	rows := 4 + 3 + 8 + 25_000
	total := rows + rows*2/3 // and compressing
	if len(calls) < 50 || len(calls) > 102 {
		t.Errorf("%d progress calls, want about 100", len(calls))
	}
	for i, c := range calls {
		if c[1] != total || c[0] > c[1] || i > 0 && c[0] < calls[i-1][0] {
			t.Fatalf("progress call %d: %v (previous %v), total %d", i, c, calls[max(i-1, 0)], total)
		}
	}
	if last := calls[len(calls)-1]; last != [2]int{total, total} {
		t.Errorf("last progress %v, want %d of %d", last, total, total)
	}
}

// dirEntries lists the names in dir.
func dirEntries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func TestFailureLeavesNoFile(t *testing.T) {
	errBoom := errors.New("disk on fire")
	for _, tc := range []struct {
		name  string
		setup func(src *fakeSource, o *Options, cancel context.CancelFunc)
		want  error
	}{
		{"cancel from progress", func(src *fakeSource, o *Options, cancel context.CancelFunc) {
			o.Progress = func(done, _ int) {
				if done > 2000 {
					cancel()
				}
			}
		}, context.Canceled},
		{"cancel while rows stream", func(src *fakeSource, o *Options, cancel context.CancelFunc) {
			src.onRecord = func(i int) {
				if i == 1500 {
					cancel()
				}
			}
		}, context.Canceled},
		{"cancel before saving", func(src *fakeSource, o *Options, cancel context.CancelFunc) {
			src.afterPurchases = cancel
		}, context.Canceled},
		{"source fails", func(src *fakeSource, o *Options, cancel context.CancelFunc) {
			src.purchaseErr = errBoom
		}, errBoom},
		{"count fails", func(src *fakeSource, o *Options, cancel context.CancelFunc) {
			src.countErr = errBoom
		}, errBoom},
		{"customers fail", func(src *fakeSource, o *Options, cancel context.CancelFunc) {
			src.customerErr = errBoom
		}, errBoom},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tmp := t.TempDir() // excelize's and the export's own temporary files go here
			t.Setenv("TMPDIR", tmp)
			for _, existing := range []bool{false, true} {
				dir := t.TempDir()
				path := filepath.Join(dir, "book.xlsx")
				old := []byte("the previous export")
				if existing {
					if err := os.WriteFile(path, old, 0o600); err != nil {
						t.Fatal(err)
					}
				}
				ctx, cancel := context.WithCancel(context.Background())
				src := sampleSource()
				src.moreRecords = 5000
				o := Options{Lang: LangZh}
				tc.setup(src, &o, cancel)
				err := Export(ctx, src, path, o)
				cancel()
				if !errors.Is(err, tc.want) {
					t.Fatalf("Export = %v, want %v", err, tc.want)
				}
				if tc.want == errBoom && !strings.Contains(err.Error(), "disk on fire") {
					t.Errorf("error %q does not say why", err)
				}
				names := dirEntries(t, dir)
				if !existing && len(names) != 0 {
					t.Errorf("left %q behind", names)
				}
				if existing {
					if !slices.Equal(names, []string{"book.xlsx"}) {
						t.Errorf("dir holds %q, want the old file only", names)
					}
					if b, _ := os.ReadFile(path); string(b) != string(old) {
						t.Errorf("the existing file changed: %q", b)
					}
				}
			}
			if names := dirEntries(t, tmp); len(names) != 0 {
				t.Errorf("left %q in the temporary directory", names)
			}
		})
	}
}

func TestCancelledBeforeStart(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	dir := t.TempDir()
	if err := Export(ctx, sampleSource(), filepath.Join(dir, "x.xlsx"), Options{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("Export = %v, want context.Canceled", err)
	}
	if names := dirEntries(t, dir); len(names) != 0 {
		t.Errorf("left %q behind", names)
	}
}

func TestReplacesExistingFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "book.xlsx")
	if err := os.WriteFile(path, []byte("old"), 0o640); err != nil {
		t.Fatal(err)
	}
	if err := Export(context.Background(), sampleSource(), path, Options{}); err != nil {
		t.Fatal(err)
	}
	if names := dirEntries(t, dir); !slices.Equal(names, []string{"book.xlsx"}) {
		t.Errorf("dir holds %q", names)
	}
	f := open(t, path)
	if got := f.GetSheetList(); got[0] != "维护记录" {
		t.Errorf("sheets %q", got)
	}
	if fi, err := os.Stat(path); err == nil && fi.Mode().Perm() != 0o640 {
		t.Errorf("mode %v, want the old file's 0640", fi.Mode().Perm())
	}
}

func TestLongSheetContinues(t *testing.T) {
	defer func(n int) { maxDataRows = n }(maxDataRows)
	maxDataRows = 3
	src := sampleSource() // 8 records: 3 + 3 + 2
	_, f := export(t, src, Options{Lang: LangEn})
	want := []string{"Maintenance log", "Maintenance log (2)", "Maintenance log (3)", "Customers", "Customers (2)",
		"Purchases", "Services", "Complaints", "Events", "Summary"}
	if got := f.GetSheetList(); !slices.Equal(got, want) {
		t.Fatalf("sheets %q, want %q", got, want)
	}
	var contents []string
	for _, s := range want[:3] {
		rs := rows(t, f, s)
		if !slices.Equal(rs[0], wantHeaders[LangEn]["Maintenance log"]) {
			t.Errorf("%s header %q", s, rs[0])
		}
		if p, _ := f.GetPanes(s); !p.Freeze {
			t.Errorf("%s: header not frozen", s)
		}
		for _, r := range rs[1:] {
			contents = append(contents, r[0])
		}
	}
	if len(contents) != 8 || contents[0] != "2025-12-31 12:00" || contents[7] != "2026-03-11 12:00" {
		t.Errorf("dates across the parts %q", contents)
	}
	if n := len(rows(t, f, "Customers (2)")); n != 2 {
		t.Errorf("second part of customers has %d rows, want 2", n)
	}
}

func TestPartName(t *testing.T) {
	for _, tc := range []struct {
		name string
		base string
		part int
	}{
		{"维护记录", "维护记录", 1}, {"维护记录 (2)", "维护记录", 2}, {"Maintenance log (12)", "Maintenance log", 12},
		{"x (1)", "x (1)", 1}, {"x (02)", "x (02)", 1}, {"x (a)", "x (a)", 1}, {"x (2", "x (2", 1},
	} {
		base, part := SplitPartName(tc.name)
		if base != tc.base || part != tc.part {
			t.Errorf("SplitPartName(%q) = %q, %d; want %q, %d", tc.name, base, part, tc.base, tc.part)
		}
		if tc.base != tc.name || tc.part != 1 {
			if got := PartName(tc.base, tc.part); got != tc.name {
				t.Errorf("PartName(%q, %d) = %q", tc.base, tc.part, got)
			}
		}
	}
}

func TestDateSerial(t *testing.T) {
	for _, tc := range []struct {
		date   string
		serial int
		ok     bool
	}{
		{"1899-12-31", 0, false}, {"1900-01-01", 0, false}, {"1900-02-28", 0, false}, {"1900-03-01", 61, true},
		{"1970-01-01", 25569, true}, {"2024-01-01", 45292, true}, {"2026-03-05", 46086, true}, {"9999-12-31", 2958465, true},
	} {
		s, ok := dateSerial(crm.MustDate(tc.date))
		if s != tc.serial || ok != tc.ok {
			t.Errorf("dateSerial(%s) = %d, %v; want %d, %v", tc.date, s, ok, tc.serial, tc.ok)
		}
		if ok {
			d, err := excelize.ExcelDateToTime(float64(s), false)
			if err != nil || d.Format("2006-01-02") != tc.date {
				t.Errorf("excelize reads %d as %v, %v; want %s", s, d, err, tc.date)
			}
		}
	}
}

// The column tables agree with the sheets, keys are unique per sheet, the derived columns are the
// last six.
func TestColumnTables(t *testing.T) {
	for _, s := range Sheets {
		seen := map[string]bool{}
		for _, c := range s.Columns {
			if c.Key == "" || c.Zh == "" || c.En == "" || seen[c.Key] {
				t.Errorf("%s: column %+v", s.Key, c)
			}
			seen[c.Key] = true
		}
	}
	derived := CustomerColumns[len(CustomerColumns)-DerivedCustomerColumns:]
	if derived[0].Key != "stage" || derived[5].Key != "last_purchase" {
		t.Errorf("derived columns %v", derived)
	}
}
