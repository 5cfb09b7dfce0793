package imports

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"carebook/crm"
)

// A contacts file, read by its extension, is a list of customers that converts with no help:
// Chinese names intact, phones normalised, birthdays with and without a year, lunar, the first
// email, the notes with the other emails.
func TestVCardEndToEnd(t *testing.T) {
	dir := t.TempDir()
	var tables []crm.ImportTable
	for _, f := range []string{"android21.vcf", "iphone30.vcf", "vcard40.vcf", "gb18030.vcf"} {
		b, err := os.ReadFile(filepath.Join("..", "vcard", "testdata", f))
		if err != nil {
			t.Fatal(err)
		}
		// Both extensions, in any case.
		name := map[string]string{"iphone30.vcf": "iphone30.VCF", "vcard40.vcf": "vcard40.vcard"}[f]
		if name == "" {
			name = f
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		ts, err := ReadFile(context.Background(), p, nil)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(ts) != 1 || ts[0].File != name {
			t.Fatalf("%s: %d tables", name, len(ts))
		}
		m := Guess(&ts[0])
		if m.Kind != crm.ImportCustomers {
			t.Fatalf("%s: kind %q", name, m.Kind)
		}
		for _, c := range m.Columns {
			if c.Field == "" || c.Field == FieldIgnore {
				t.Errorf("%s: column %q not mapped", name, c.Header)
			}
		}
		tables = append(tables, ts...)
	}
	b := Convert(tables, nil, today)

	type result struct {
		table, line int
		action      crm.ImportAction
		name        string
		problems    []string
	}
	var got []result
	for _, r := range b.Results {
		var ps []string
		for _, p := range r.Problems {
			ps = append(ps, p.Field+":"+p.Key)
		}
		got = append(got, result{r.Table, r.Line, r.Action, r.Name, ps})
	}
	want := []result{
		{0, 1, crm.ImportCreate, "张三", nil},
		{0, 17, crm.ImportCreate, "欧阳娜娜", nil},
		{0, 42, crm.ImportSkipRow, "", []string{"姓名:import.no_name"}},
		{1, 1, crm.ImportCreate, "李四", nil},
		{1, 28, crm.ImportCreate, "John Q Smith", nil},
		{2, 3, crm.ImportCreate, "陈小梅", nil},
		{2, 16, crm.ImportCreate, "Marie Dupont", nil},
		{2, 22, crm.ImportCreate, "赵六", nil},
		{2, 28, crm.ImportCreate, "孙七", nil},
		{2, 35, crm.ImportCreate, "周八", nil},
		{3, 1, crm.ImportCreate, "王五", nil},
		{3, 24, crm.ImportCreate, "刘䶮", nil},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("results\n got %+v\nwant %+v", got, want)
	}

	type card struct {
		Name, Email, Address, Company, Title, Notes string
		Phones                                      []string
		Birthday                                    *crm.KeyDate
	}
	var cards []card
	for _, ic := range b.Customers {
		c := ic.Customer
		cards = append(cards, card{c.Name, c.Email, c.Address, c.Company, c.Title, c.Notes, c.Phones, c.Birthday})
		if c.Created != today {
			t.Errorf("%s: created %v", c.Name, c.Created)
		}
	}
	wantCards := []card{
		{Name: "张三", Email: "zhangsan@example.com", Notes: "喜欢红色，每周六来店里。\n老客户，介绍过三位朋友",
			Phones: []string{"+8613812345678", "+8613912345678"}, Birthday: solar(1992, 5, 3)},
		{Name: "欧阳娜娜", Email: "nana@company.cn", Address: "广东省深圳市南山区科技园路1号", Company: "深圳市星河贸易有限公司",
			Title: "采购经理", Notes: "邮箱: nana.ouyang@example.com", Phones: []string{"+8613712345678", "+861062345678"}},
		{Name: "李四", Email: "lisi@example.com", Address: "中国广东省深圳市科技园路1号 518000", Company: "华为技术有限公司; 终端",
			Title: "区域经理", Notes: "喜欢咖啡, 不加糖\n生日前一周提醒; 送花\\卡片\n邮箱: li.si@huawei.example",
			Phones: []string{"+8618612345678", "+861088886666"}, Birthday: solar(0, 5, 3)},
		{Name: "John Q Smith", Email: "john@example.com", Address: "1 Main St, Apt 2, Suite 5, Springfield, IL 62701, USA",
			Notes: "第一次来店买了一条真丝围巾，说下个月还会来看看秋冬新款大衣。", Phones: []string{"+8613512345678"},
			Birthday: solar(1985, 11, 22)},
		{Name: "陈小梅", Email: "chen@example.cn", Address: "上海市浦东新区世纪大道100号 200120", Notes: "VIP群\n偏好: 护肤",
			Phones: []string{"+8613987654321", "+862155551234"}, Birthday: solar(1992, 5, 3)},
		{Name: "Marie Dupont", Phones: []string{"+33123456789"}, Birthday: solar(0, 5, 3)},
		{Name: "赵六", Phones: []string{"+8615012345678"}, Birthday: lunar(0, 8, 15)},
		{Name: "孙七", Notes: "生日: 1990-07", Phones: []string{"+8615112345678"}},
		{Name: "周八", Phones: []string{"+8615212345678"}, Birthday: solar(0, 7, 15)},
		{Name: "王五", Notes: "喜欢茶叶，常买铁观音", Phones: []string{"+8613798765432"}, Birthday: solar(1980, 8, 15)},
		{Name: "刘䶮", Address: "中国广东深圳南山大道1001号 518000", Company: "南汉贸易", Notes: "常点𠮷野家外卖",
			Phones: []string{"+8675526123456"}},
	}
	if len(cards) != len(wantCards) {
		t.Fatalf("%d customers, want %d: %+v", len(cards), len(wantCards), cards)
	}
	for i := range cards {
		if !reflect.DeepEqual(cards[i], wantCards[i]) {
			t.Errorf("customer %d\n got %+v %+v\nwant %+v %+v", i, cards[i], cards[i].Birthday, wantCards[i], wantCards[i].Birthday)
		}
	}
}

// A file that is not a vCard gives a file error, through ReadFile as well.
func TestVCardFileErrors(t *testing.T) {
	p := filepath.Join(t.TempDir(), "list.vcf")
	if err := os.WriteFile(p, []byte("姓名,手机\n张三,13812345678\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := ReadFile(context.Background(), p, nil)
	fe, ok := err.(*crm.ImportFileError)
	if !ok || fe.Key != "import.err_no_vcard" || fe.File != "list.vcf" {
		t.Fatalf("not a vCard: %v", err)
	}
}
