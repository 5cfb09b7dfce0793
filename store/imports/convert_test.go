package imports

import (
	"reflect"
	"testing"
	"time"

	"carebook/crm"
)

var today = crm.MustDate("2026-05-01")

// table builds a CSV-like table: every cell text.
func table(sheet string, header []string, rows ...[]string) crm.ImportTable {
	t := crm.ImportTable{File: "list.csv", Sheet: sheet, HeaderLine: 1, Header: header}
	for i, r := range rows {
		row := crm.ImportRow{Line: i + 2}
		for _, s := range r {
			row.Cells = append(row.Cells, text(s))
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

func convert1(t crm.ImportTable) *crm.ImportBatch {
	return Convert([]crm.ImportTable{t}, nil, today)
}

func TestConvertMessyCustomers(t *testing.T) {
	tb := table("", []string{"序号", "客户姓名", "手机号", "性别", "出生日期", "分组", "客户等级", "免打扰", "备注", "身份证号", "建档时间"},
		[]string{"1", "张三", "138 1234 5678；13912345678", "女士", "1992年5月3日", "老客户、VIP群", "重要", "Y", "喜欢红色", "110101199205030000", "2020/1/2"},
		[]string{"2", "李四", "abc123", "男", "", "", "", "", "", "", ""},
		[]string{"3", "王五", "13712345678", "", "2月30日", "", "", "", "", "", ""},
		[]string{"", "", "", "", "", "", "", "", "", "", ""},
		[]string{"5", "", "", "", "", "", "", "", "", "", ""},
		[]string{"6", "", "13612345678", "", "", "", "", "", "", "", ""},
		[]string{"7", "赵六", "13512345678, 12345", "F", "腊月廿三", "", "小", "否", "", "", ""},
		[]string{"8", "钱七", "", "?", "", "", "超级", "maybe", "", "", "2026-13-01"},
	)
	b := convert1(tb)
	type res struct {
		line   int
		action crm.ImportAction
		keys   []string
	}
	var got []res
	for _, r := range b.Results {
		var keys []string
		for _, p := range r.Problems {
			keys = append(keys, p.Field+":"+p.Key)
		}
		got = append(got, res{r.Line, r.Action, keys})
	}
	want := []res{
		{2, crm.ImportCreate, nil},
		{3, crm.ImportSkipRow, []string{"手机号:err.phone"}},
		{4, crm.ImportSkipRow, []string{"出生日期:import.date"}},
		// line 5 is empty; line 6 has only its row number (ignored) and is left out
		{7, crm.ImportSkipRow, []string{"客户姓名:import.no_name"}},
		{8, crm.ImportCreate, []string{"手机号:import.phone_dropped"}},
		{9, crm.ImportSkipRow, []string{"性别:err.gender", "客户等级:err.tier", "免打扰:import.yes_no", "建档时间:import.date"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("results\n got %v\nwant %v", got, want)
	}
	if p := b.Results[1].Problems[0]; p.Args["Value"] != "abc123" {
		t.Errorf("phone problem args %v", p.Args)
	}
	if p := b.Results[2].Problems[0]; p.Args["Value"] != "2月30日" {
		t.Errorf("date problem args %v", p.Args)
	}
	if len(b.Customers) != 2 {
		t.Fatalf("%d customers", len(b.Customers))
	}
	c := b.Customers[0].Customer
	want0 := crm.Customer{Name: "张三", Gender: crm.GenderFemale, Phones: []string{"+8613812345678", "+8613912345678"},
		Birthday: solar(1992, 5, 3), Tags: []string{"老客户", "VIP群"}, Tier: crm.TierMajor, DoNotDisturb: true,
		Notes: "喜欢红色\n身份证号: 110101199205030000", Created: crm.MustDate("2020-01-02")}
	if !reflect.DeepEqual(c, want0) {
		t.Errorf("customer\n got %+v\nwant %+v", c, want0)
	}
	c = b.Customers[1].Customer
	if c.Birthday == nil || *c.Birthday != *lunar(0, 12, 23) || c.Gender != crm.GenderFemale || c.Tier != crm.TierSmall ||
		c.Created != today || c.Notes != "手机号: 12345" || len(c.Phones) != 1 {
		t.Errorf("customer 2: %+v", c)
	}
	if b.Customers[1].Row != 4 || b.Results[4].Name != "赵六" {
		t.Errorf("row index %d, result %+v", b.Customers[1].Row, b.Results[4])
	}
	if n := b.Counts(); n != (crm.ImportCounts{Created: 2, Skipped: 4}) {
		t.Errorf("counts %+v", n)
	}
}

func TestConvertValues(t *testing.T) {
	for _, tc := range []struct {
		header, cell string
		check        func(c *crm.Customer) bool
	}{
		{"性别", "男", func(c *crm.Customer) bool { return c.Gender == crm.GenderMale }},
		{"性别", "male", func(c *crm.Customer) bool { return c.Gender == crm.GenderMale }},
		{"性别", "M", func(c *crm.Customer) bool { return c.Gender == crm.GenderMale }},
		{"性别", "先生", func(c *crm.Customer) bool { return c.Gender == crm.GenderMale }},
		{"性别", "女", func(c *crm.Customer) bool { return c.Gender == crm.GenderFemale }},
		{"性别", "Female", func(c *crm.Customer) bool { return c.Gender == crm.GenderFemale }},
		{"性别", "f", func(c *crm.Customer) bool { return c.Gender == crm.GenderFemale }},
		{"性别", "女士", func(c *crm.Customer) bool { return c.Gender == crm.GenderFemale }},
		{"性别", "未知", func(c *crm.Customer) bool { return c.Gender == crm.GenderUnknown }},
		{"性别", "", func(c *crm.Customer) bool { return c.Gender == crm.GenderUnknown }},
		{"等级", "VIP", func(c *crm.Customer) bool { return c.Tier == crm.TierVIP }},
		{"等级", "vip", func(c *crm.Customer) bool { return c.Tier == crm.TierVIP }},
		{"等级", "重要", func(c *crm.Customer) bool { return c.Tier == crm.TierMajor }},
		{"等级", "major", func(c *crm.Customer) bool { return c.Tier == crm.TierMajor }},
		{"等级", "普通", func(c *crm.Customer) bool { return c.Tier == crm.TierOrdinary }},
		{"等级", "Ordinary", func(c *crm.Customer) bool { return c.Tier == crm.TierOrdinary }},
		{"等级", "小", func(c *crm.Customer) bool { return c.Tier == crm.TierSmall }},
		{"等级", "small", func(c *crm.Customer) bool { return c.Tier == crm.TierSmall }},
		{"等级", "", func(c *crm.Customer) bool { return c.Tier == crm.TierOrdinary }},
		{"免打扰", "是", func(c *crm.Customer) bool { return c.DoNotDisturb }},
		{"免打扰", "yes", func(c *crm.Customer) bool { return c.DoNotDisturb }},
		{"免打扰", "Y", func(c *crm.Customer) bool { return c.DoNotDisturb }},
		{"免打扰", "true", func(c *crm.Customer) bool { return c.DoNotDisturb }},
		{"免打扰", "1", func(c *crm.Customer) bool { return c.DoNotDisturb }},
		{"免打扰", "否", func(c *crm.Customer) bool { return !c.DoNotDisturb }},
		{"免打扰", "no", func(c *crm.Customer) bool { return !c.DoNotDisturb }},
		{"免打扰", "N", func(c *crm.Customer) bool { return !c.DoNotDisturb }},
		{"免打扰", "FALSE", func(c *crm.Customer) bool { return !c.DoNotDisturb }},
		{"免打扰", "0", func(c *crm.Customer) bool { return !c.DoNotDisturb }},
		{"手机", "13812345678,13912345678", func(c *crm.Customer) bool { return len(c.Phones) == 2 }},
		{"手机", "13812345678，13912345678", func(c *crm.Customer) bool { return len(c.Phones) == 2 }},
		{"手机", "13812345678、13912345678", func(c *crm.Customer) bool { return len(c.Phones) == 2 }},
		{"手机", "13812345678；13912345678", func(c *crm.Customer) bool { return len(c.Phones) == 2 }},
		{"手机", "13812345678/13912345678", func(c *crm.Customer) bool { return len(c.Phones) == 2 }},
		{"手机", "+86 138-1234-5678; 138 1234 5678", func(c *crm.Customer) bool { return len(c.Phones) == 1 }},
		{"手机", "010-12345678", func(c *crm.Customer) bool { return c.Phones[0] == "+861012345678" }},
		{"手机", "无", func(c *crm.Customer) bool { return len(c.Phones) == 0 }},
		{"标签", "a;b,c，d、e；f", func(c *crm.Customer) bool { return len(c.Tags) == 6 }},
		{"纪念日", "结婚纪念日:2015-10-01; 开业：农历三月初三", func(c *crm.Customer) bool {
			return len(c.Dates) == 2 && c.Dates[0].Label == "结婚纪念日" && c.Dates[0].Year == 2015 &&
				c.Dates[1].Label == "开业" && c.Dates[1].Calendar == crm.Lunar && c.Dates[1].Month == 3
		}},
		{"了解程度", "3", func(c *crm.Customer) bool { return c.Knowing == 3 }},
		{"建档日期", "2026-01-02", func(c *crm.Customer) bool { return c.Created == crm.MustDate("2026-01-02") }},
		{"建档日期", "", func(c *crm.Customer) bool { return c.Created == today }},
	} {
		b := convert1(table("顾客", []string{"姓名", tc.header}, []string{"甲", tc.cell}))
		if len(b.Customers) != 1 || !tc.check(&b.Customers[0].Customer) {
			t.Errorf("%s %q: %+v %+v", tc.header, tc.cell, b.Results, b.Customers)
		}
	}
	for _, tc := range []struct{ header, cell, key string }{
		{"纪念日", "2015-10-01", "import.date_label"},
		{"纪念日", "结婚:2015-02-30", "import.date"},
		{"了解程度", "三", "err.number"},
		{"了解程度", "6", "err.scale"},
		{"邮箱", "not-mail", "err.email"},
		{"标签", string(make([]rune, 40)), "err.control_chars"},
	} {
		b := convert1(table("顾客", []string{"姓名", tc.header}, []string{"甲", tc.cell}))
		if len(b.Results) != 1 || b.Results[0].Action != crm.ImportSkipRow || b.Results[0].Problems[0].Key != tc.key ||
			b.Results[0].Problems[0].Field != tc.header {
			t.Errorf("%s %q: %+v", tc.header, tc.cell, b.Results)
		}
	}
}

func TestConvertMerge(t *testing.T) {
	tb := table("顾客", []string{"编号", "姓名", "手机", "标签", "微信", "备注"},
		[]string{"A1", "张三", "13812345678", "a", "", "n1"},
		[]string{"", "张三", "138 1234 5678; 13912345678", "b", "wx", "n2"}, // same phone, no code
		[]string{"A1", "张三丰", "", "a;c", "", ""},                          // same code
		[]string{"B2", "李四", "13912345678", "", "", ""},                   // shares a phone, but both have codes
		[]string{"", "王五", "13700000000", "", "", ""},
	)
	b := convert1(tb)
	if len(b.Customers) != 3 {
		t.Fatalf("%d customers: %+v", len(b.Customers), b.Customers)
	}
	c := b.Customers[0].Customer
	if c.Name != "张三" || c.WeChat != "wx" || !reflect.DeepEqual(c.Phones, []string{"+8613812345678", "+8613912345678"}) ||
		!reflect.DeepEqual(c.Tags, []string{"a", "b", "c"}) || c.Notes != "n1\nn2" {
		t.Errorf("merged %+v", c)
	}
	for _, i := range []int{1, 2} {
		r := b.Results[i]
		if r.Action != crm.ImportSkipRow || r.Problems[0].Key != "import.merged" || r.Problems[0].Args["Row"] != 2 || r.Code != "A1" {
			t.Errorf("result %d: %+v", i, r)
		}
	}
	if b.Results[3].Action != crm.ImportCreate || b.Results[4].Action != crm.ImportCreate {
		t.Errorf("results %+v", b.Results)
	}
}

func TestConvertPurchases(t *testing.T) {
	tb := crm.ImportTable{Header: []string{"客户编号", "手机", "购买日期", "金额（元）", "产品", "渠道"}, Rows: []crm.ImportRow{
		{Line: 2, Cells: []crm.ImportCell{text("C1"), text(""), serial(46348), number(1280.5), text("面霜"), text("门店")}},
		{Line: 3, Cells: []crm.ImportCell{text(""), number(13812345678), text("2026/11/22"), text("¥1,280.00"), text(""), text("线上")}},
		{Line: 4, Cells: []crm.ImportCell{text(""), text(""), text("2026-11-22"), number(1), text(""), text("")}},
		{Line: 5, Cells: []crm.ImportCell{text("C1"), text(""), text("2026-11-22"), number(99.99000000000001), text(""), text("")}},
		{Line: 6, Cells: []crm.ImportCell{text("C1"), text(""), text("2026-11-22"), number(-5), text(""), text("")}},
		{Line: 7, Cells: []crm.ImportCell{text("C1"), text(""), text("昨天"), number(0.1), text(""), text("网吧")}},
		{Line: 8, Cells: []crm.ImportCell{text("C1"), text(""), text("2026-11-22"), text(""), text(""), text("")}},
		{Line: 9, Cells: []crm.ImportCell{text("C1"), text(""), text("2026-11-22"), number(1.005), text(""), text("")}},
	}}
	b := convert1(tb)
	if b.Mappings[0].Kind != crm.ImportPurchases {
		t.Fatalf("kind %q", b.Mappings[0].Kind)
	}
	var keys [][]string
	for _, r := range b.Results {
		var k []string
		for _, p := range r.Problems {
			k = append(k, p.Key)
		}
		keys = append(keys, k)
	}
	want := [][]string{nil, nil, {"import.no_customer_key"}, nil, {"err.amount"}, {"import.date", "err.channel"}, {"err.required"}, {"err.amount"}}
	if !reflect.DeepEqual(keys, want) {
		t.Fatalf("problems %v; want %v", keys, want)
	}
	ps := b.Purchases
	if len(ps) != 3 || ps[0].Purchase.Amount != 128050 || ps[0].Purchase.Channel != crm.Offline || ps[0].CustomerCode != "C1" ||
		ps[1].Phone != "+8613812345678" || ps[1].Purchase.Amount != 128000 || ps[1].Purchase.Channel != crm.Online ||
		ps[1].Purchase.Date != crm.MustDate("2026-11-22") || ps[2].Purchase.Amount != 9999 || ps[1].Row != 1 {
		t.Errorf("purchases %+v", ps)
	}
}

func TestConvertRecords(t *testing.T) {
	tb := table("回访记录", []string{"时间", "手机号", "客户", "类型", "联系方式", "内容", "反馈", "下次回访日期"},
		[]string{"2026-11-01 9:34", "13812345678", "张三", "回访", "微信", "问使用感受", "满意", "2026-11-08"},
		[]string{"2026-11-01", "", "", "", "", "x", "", ""},
		[]string{"2026-11-01", "13812345678", "", "打架", "飞鸽", "x", "", "2026-10-01"},
		[]string{"", "13812345678", "", "", "", "x", "", ""},
	)
	b := convert1(tb)
	if b.Mappings[0].Kind != crm.ImportRecords {
		t.Fatalf("kind %q", b.Mappings[0].Kind)
	}
	var keys [][]string
	for _, r := range b.Results {
		var k []string
		for _, p := range r.Problems {
			k = append(k, p.Field+":"+p.Key)
		}
		keys = append(keys, k)
	}
	want := [][]string{nil, {":import.no_customer_key"}, {"类型:err.kind", "联系方式:err.channel"}, {"时间:err.required"}}
	if !reflect.DeepEqual(keys, want) {
		t.Fatalf("problems %v; want %v", keys, want)
	}
	r := b.Records[0]
	if r.Phone != "+8613812345678" || r.Record.Kind != crm.KindRoutine || r.Record.Channel != crm.ChannelWeChat ||
		!r.Record.At.Equal(time.Date(2026, 11, 1, 9, 34, 0, 0, time.UTC)) || r.Record.NextDate != crm.MustDate("2026-11-08") ||
		b.Results[0].Name != "张三" {
		t.Errorf("record %+v", r)
	}
}

func TestConvertSkippedTableAndMappings(t *testing.T) {
	tables := []crm.ImportTable{
		table("统计", []string{"项目", "数值"}, []string{"顾客", "3"}),
		table("", []string{"A", "B"}, []string{"张三", "13812345678"}),
	}
	// The user maps the second table by hand; a third mapping is ignored, a missing one guessed.
	b := Convert(tables, []crm.ImportMapping{{}, {Kind: crm.ImportCustomers, Columns: []crm.ImportColumn{{Header: "A", Field: "name"}, {Header: "B", Field: "phone"}}}}, today)
	if len(b.Results) != 1 || b.Results[0].Table != 1 || len(b.Customers) != 1 || b.Customers[0].Customer.Phones[0] != "+8613812345678" {
		t.Fatalf("%+v", b)
	}
	if len(b.Mappings) != 2 || len(b.Tables) != 2 {
		t.Fatalf("mappings %+v", b.Mappings)
	}
}

// The fast path for Chinese mobiles agrees with crm.NormalizePhone for every five-digit prefix.
func TestNormalizePhoneFastPath(t *testing.T) {
	for p := 10000; p < 20000; p++ {
		for _, suffix := range []string{"000000", "123456", "999999"} {
			s := itoa(p) + suffix
			forms := []string{s}
			if suffix == "123456" {
				forms = append(forms, s[:3]+" "+s[3:7]+" "+s[7:], "+86"+s)
			}
			for _, form := range forms {
				want, werr := crm.NormalizePhone(form)
				// the cache is per prefix: ask twice
				for range 2 {
					got, err := normalizePhone(form)
					if got != want || (err == nil) != (werr == nil) {
						t.Fatalf("normalizePhone(%q) = %q, %v; crm says %q, %v", form, got, err, want, werr)
					}
				}
			}
		}
	}
}

func itoa(n int) string {
	b := []byte{}
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}
