package imports

import (
	"testing"

	"carebook/crm"
	"carebook/store/xlsx"
)

// Every canonical header of every importable sheet maps to its own key, in both languages and
// decorated as people decorate them; derived customer columns are ignored.
func TestMatchHeaderCanonical(t *testing.T) {
	for kind, cols := range fieldsByKind {
		for _, c := range cols {
			for _, h := range []string{c.Zh, c.En, " " + c.Zh + "*", c.En + ":", "*" + c.Zh + "（必填）", c.Zh + "：", "【必填】" + c.Zh} {
				if got := MatchHeader(kind, h); got != c.Key {
					t.Errorf("MatchHeader(%s, %q) = %q; want %q", kind, h, got, c.Key)
				}
			}
		}
	}
	for _, c := range derivedCustomerColumns() {
		for _, h := range []string{c.Zh, c.En} {
			if got := MatchHeader(crm.ImportCustomers, h); got != FieldIgnore {
				t.Errorf("derived %q → %q; want %q", h, got, FieldIgnore)
			}
		}
	}
}

func TestMatchHeaderSynonyms(t *testing.T) {
	for _, tc := range []struct {
		kind   crm.ImportKind
		header string
		want   string
	}{
		{crm.ImportCustomers, "客户姓名", "name"},
		{crm.ImportCustomers, "NAME", "name"},
		{crm.ImportCustomers, "客户名称", "name"},
		{crm.ImportCustomers, "联系人", "name"},
		{crm.ImportCustomers, "名字", "name"},
		{crm.ImportCustomers, "手机号", "phone"},
		{crm.ImportCustomers, "手机号码", "phone"},
		{crm.ImportCustomers, "联系电话", "phone"},
		{crm.ImportCustomers, "移动电话", "phone"},
		{crm.ImportCustomers, "联系方式", "phone"},
		{crm.ImportCustomers, "Mobile", "phone"},
		{crm.ImportCustomers, "Tel", "phone"},
		{crm.ImportCustomers, "Telephone", "phone"},
		{crm.ImportCustomers, "Cell Phone", "phone"},
		{crm.ImportCustomers, "ＰＨＯＮＥ", "phone"},
		{crm.ImportCustomers, "微信号", "wechat"},
		{crm.ImportCustomers, "邮件", "email"},
		{crm.ImportCustomers, "电子邮箱", "email"},
		{crm.ImportCustomers, "E-mail", "email"},
		{crm.ImportCustomers, "住址", "address"},
		{crm.ImportCustomers, "联系地址", "address"},
		{crm.ImportCustomers, "单位", "company"},
		{crm.ImportCustomers, "公司名称", "company"},
		{crm.ImportCustomers, "职位", "title"},
		{crm.ImportCustomers, "岗位", "title"},
		{crm.ImportCustomers, "客户编号", "code"},
		{crm.ImportCustomers, "编码", "code"},
		{crm.ImportCustomers, "ID", "code"},
		{crm.ImportCustomers, "性别", "gender"},
		{crm.ImportCustomers, "Sex", "gender"},
		{crm.ImportCustomers, "出生日期", "birthday"},
		{crm.ImportCustomers, "DOB", "birthday"},
		{crm.ImportCustomers, "Date of birth", "birthday"},
		{crm.ImportCustomers, "分组", "tags"},
		{crm.ImportCustomers, "客户等级", "tier"},
		{crm.ImportCustomers, "建档时间", "created"},
		{crm.ImportCustomers, "创建日期", "created"},
		{crm.ImportCustomers, "注册日期", "created"},
		{crm.ImportCustomers, "备注", "notes"},
		{crm.ImportCustomers, "Remarks", "notes"},
		{crm.ImportCustomers, "Remark", "remark"},
		{crm.ImportCustomers, "客户微信", "wechat"},     // prefix
		{crm.ImportCustomers, "顾客生日", "birthday"},   // prefix
		{crm.ImportCustomers, "生日(农历)", "birthday"}, // bracketed note
		{crm.ImportCustomers, "序号", FieldIgnore},
		{crm.ImportCustomers, "身份证号", ""},
		{crm.ImportCustomers, "", ""},
		{crm.ImportCustomers, "（必填）", ""},
		{crm.ImportPurchases, "消费金额", "amount"},
		{crm.ImportPurchases, "金额（元）", "amount"},
		{crm.ImportPurchases, "购买日期", "date"},
		{crm.ImportPurchases, "手机", "phone"},
		{crm.ImportPurchases, "电话", "phone"},
		{crm.ImportPurchases, "客户编号", "customer_code"},
		{crm.ImportPurchases, "姓名", "customer"},
		{crm.ImportPurchases, "产品", "items"},
		{crm.ImportRecords, "内容", "content"},
		{crm.ImportRecords, "联系方式", "channel"},
		{crm.ImportRecords, "反馈", "feedback"},
		{crm.ImportRecords, "手机号", "phone"},
		{crm.ImportSkip, "姓名", ""},
	} {
		if got := MatchHeader(tc.kind, tc.header); got != tc.want {
			t.Errorf("MatchHeader(%s, %q) = %q; want %q", tc.kind, tc.header, got, tc.want)
		}
	}
}

func TestNormalizeHeader(t *testing.T) {
	for in, want := range map[string]string{
		"  Phone Number ": "phonenumber",
		"手机（必填）":          "手机",
		"*姓名:":            "姓名",
		"E-mail":          "email",
		"ＥＭＡＩＬ":           "email",
		"Customer_Code":   "customercode",
		"【必填】手机":          "手机",
		"(必(必填)填)":        "",
	} {
		if got := normalizeHeader(in); got != want {
			t.Errorf("normalizeHeader(%q) = %q; want %q", in, got, want)
		}
	}
}

func TestGuessKind(t *testing.T) {
	for _, tc := range []struct {
		sheet  string
		header []string
		want   crm.ImportKind
	}{
		{"顾客", nil, crm.ImportCustomers},
		{"Customers", nil, crm.ImportCustomers},
		{"客户", nil, crm.ImportCustomers},
		{"客户资料", nil, crm.ImportCustomers},
		{"消费记录", nil, crm.ImportPurchases},
		{"Purchases", nil, crm.ImportPurchases},
		{"维护记录", nil, crm.ImportRecords},
		{"Maintenance log", nil, crm.ImportRecords},
		{"维护记录 (2)", nil, crm.ImportRecords},
		{"Maintenance log (3)", nil, crm.ImportRecords},
		{"统计", []string{"姓名"}, crm.ImportSkip},
		{"Summary", nil, crm.ImportSkip},
		{"服务", nil, crm.ImportServices},
		{"Services", nil, crm.ImportServices},
		{"客诉", nil, crm.ImportComplaints},
		{"Complaints", nil, crm.ImportComplaints},
		{"活动", nil, crm.ImportEvents},
		{"Events", nil, crm.ImportEvents},
		{"", []string{"姓名", "手机", "生日"}, crm.ImportCustomers},
		{"Sheet1", []string{"联系电话"}, crm.ImportCustomers},
		{"", []string{"Name", "Notes"}, crm.ImportCustomers},
		{"", []string{"客户编号", "购买日期", "金额"}, crm.ImportPurchases},
		{"", []string{"日期", "姓名", "维护内容"}, crm.ImportRecords},
		{"", []string{"顾客编号", "日期", "事项", "状态"}, crm.ImportServices},
		{"", []string{"客户", "投诉日期", "投诉内容", "类别"}, crm.ImportComplaints},
		{"", []string{"活动名称", "活动日期", "顾客编号", "邀约状态"}, crm.ImportEvents},
		{"Sheet1", []string{"Event", "Event date", "Audience"}, crm.ImportEvents},
		{"", []string{"foo", "bar"}, crm.ImportSkip},
		{"", nil, crm.ImportSkip},
	} {
		got := Guess(&crm.ImportTable{Sheet: tc.sheet, Header: tc.header})
		if got.Kind != tc.want {
			t.Errorf("Guess(%q, %q).Kind = %q; want %q", tc.sheet, tc.header, got.Kind, tc.want)
		}
		if len(got.Columns) != len(tc.header) {
			t.Errorf("Guess(%q, %q): %d columns", tc.sheet, tc.header, len(got.Columns))
		}
	}
}

func TestGuessColumns(t *testing.T) {
	m := Guess(&crm.ImportTable{Header: []string{"序号", "姓名", "客户名称", "手机", "电话", "标签", "分组", "身份证", "最近消费"}})
	want := []string{FieldIgnore, "name", "", "phone", "phone", "tags", "tags", "", FieldIgnore}
	if m.Kind != crm.ImportCustomers {
		t.Fatalf("kind %q", m.Kind)
	}
	for i, c := range m.Columns {
		if c.Field != want[i] || c.Header != m.Columns[i].Header {
			t.Errorf("column %d %q → %q; want %q", i, c.Header, c.Field, want[i])
		}
	}
	m = Guess(&crm.ImportTable{Sheet: "消费记录", Header: []string{"顾客编号", "手机", "电话", "日期", "金额"}})
	if got := m.Columns[2].Field; got != "" {
		t.Errorf("second phone of purchases → %q; want \"\"", got)
	}
	if Guess(nil).Kind != crm.ImportSkip {
		t.Error("Guess(nil)")
	}
}

func TestFields(t *testing.T) {
	fs := Fields(crm.ImportCustomers, xlsx.LangZh)
	if len(fs) != len(xlsx.CustomerColumns)-xlsx.DerivedCustomerColumns || fs[0] != (crm.ImportColumn{Header: "编号", Field: "code"}) {
		t.Fatalf("customers: %v", fs)
	}
	if last := fs[len(fs)-1]; last.Field != "created" {
		t.Errorf("last customer field %v", last)
	}
	ps := Fields(crm.ImportPurchases, xlsx.LangEn)
	var keys []string
	for _, f := range ps {
		keys = append(keys, f.Field+"="+f.Header)
	}
	want := []string{"customer_code=Customer code", "customer=Customer", "phone=Phone", "date=Date", "amount=Amount", "items=Items", "channel=Channel"}
	if len(keys) != len(want) {
		t.Fatalf("purchases: %v", keys)
	}
	for i := range want {
		if keys[i] != want[i] {
			t.Errorf("purchases[%d] = %s; want %s", i, keys[i], want[i])
		}
	}
	if rs := Fields(crm.ImportRecords, xlsx.LangZh); len(rs) != len(xlsx.RecordColumns) || rs[0].Header != "日期" {
		t.Errorf("records: %v", rs)
	}
	if Fields(crm.ImportSkip, xlsx.LangZh) != nil {
		t.Error("skip has fields")
	}
}
