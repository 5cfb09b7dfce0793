package imports

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/xuri/excelize/v2"

	"carebook/crm"
	"carebook/store/xlsx"
)

func TestFindHeader(t *testing.T) {
	for _, c := range []struct {
		name       string
		t          crm.ImportTable
		moved      bool
		header     []string
		headerLine int
		rows       int
	}{
		{"a title above the headers",
			table("", []string{"2026年客户名单"}, []string{"制表：王芳", "2026-11-01"}, []string{"姓名", "手机", "生日"},
				[]string{"张三", "13812345678", "5月3日"}),
			true, []string{"姓名", "手机", "生日"}, 3, 1},
		{"headers in the first row stay",
			table("", []string{"姓名", "手机"}, []string{"姓名", "手机"}, []string{"张三", "13812345678"}),
			false, []string{"姓名", "手机"}, 1, 2},
		{"one known word is not a header",
			table("", []string{"客户名单"}, []string{"姓名", "其他"}, []string{"张三", "老客户"}),
			false, []string{"客户名单"}, 1, 2},
		{"an unknown list stays",
			table("", []string{"a", "b"}, []string{"1", "2"}),
			false, []string{"a", "b"}, 1, 1},
		{"purchases under a title",
			table("", []string{"11月销售"}, []string{"顾客编号", "日期", "金额", "商品"}, []string{"C000001", "2026-11-01", "199", "面霜"}),
			true, []string{"顾客编号", "日期", "金额", "商品"}, 2, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			tb := c.t
			moved := FindHeader(&tb)
			if moved != c.moved || !reflect.DeepEqual(tb.Header, c.header) || tb.HeaderLine != c.headerLine || len(tb.Rows) != c.rows {
				t.Fatalf("moved %v header %q line %d rows %d", moved, tb.Header, tb.HeaderLine, len(tb.Rows))
			}
		})
	}
}

// A workbook with a title row above the headers imports as if the headers came first.
func TestPrepareWorkbookWithTitleRow(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	rows := [][]any{
		{"2026年客户名单"},
		{},
		{"编号", "客户姓名", "手机号", "出生日期", "爱好"},
		{"000123", "张三", 13812345678, "1992年5月3日", "喜欢红色"},
		{},
		{"", "李四", "139 1234 5678", "农历八月十五"},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	p := filepath.Join(t.TempDir(), "名单.xlsx")
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	b, err := Importer{Lang: xlsx.LangZh}.Prepare(context.Background(), []string{p}, today)
	if err != nil {
		t.Fatal(err)
	}
	if b.Mappings[0].Kind != crm.ImportCustomers || b.Tables[0].HeaderLine != 3 || len(b.Customers) != 2 {
		t.Fatalf("kind %s header line %d customers %d results %+v", b.Mappings[0].Kind, b.Tables[0].HeaderLine, len(b.Customers), b.Results)
	}
	z, l := b.Customers[0].Customer, b.Customers[1].Customer
	if z.Code != "000123" || z.Name != "张三" || len(z.Phones) != 1 || z.Birthday == nil || z.Preferences != "喜欢红色" {
		t.Errorf("张三 = %+v", z)
	}
	if l.Name != "李四" || l.Birthday == nil || l.Birthday.Calendar != crm.Lunar || b.Results[1].Line != 6 {
		t.Errorf("李四 = %+v (line %d)", l, b.Results[1].Line)
	}
}
