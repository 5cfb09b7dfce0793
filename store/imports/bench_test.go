package imports

import (
	"fmt"
	"strconv"
	"testing"

	"carebook/crm"
	"carebook/store/xlsx"
)

// benchTable is a 顾客 sheet of n rows with every column (31) filled with realistic values, as
// a reader hands it over.
func benchTable(n int) crm.ImportTable {
	t := crm.ImportTable{Sheet: "顾客", HeaderLine: 1}
	for _, c := range xlsx.CustomerColumns {
		t.Header = append(t.Header, c.Zh)
	}
	surnames := []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗")
	given := []rune("伟芳娜秀敏静丽强磊军洋勇艳杰娟涛明超兰霞")
	prefixes := []string{"138", "139", "150", "186", "135", "177", "199", "158"}
	t.Rows = make([]crm.ImportRow, n)
	for i := range n {
		num := fmt.Sprintf("%08d", (i*7919)%100_000_000)
		phone := prefixes[i%len(prefixes)] + " " + num[:4] + " " + num[4:]
		if i%5 == 0 {
			phone += "; " + prefixes[(i+3)%len(prefixes)] + " " + num[4:] + " " + num[:4]
		}
		birthday := crm.ImportCell{Kind: crm.CellDate, Number: float64(25000 + i%9000), Text: "1968-06-11"}
		switch i % 4 {
		case 1:
			birthday = text("农历八月十五")
		case 2:
			birthday = text("5月3日")
		}
		name := string(surnames[i%len(surnames)]) + string(given[i/7%len(given)])
		cells := []crm.ImportCell{
			text("C" + fmt.Sprintf("%06d", i+1)), text(name), text(name[:3] + "姐"), text([]string{"男", "女", "未知"}[i%3]),
			text(phone), text("wx_" + strconv.Itoa(i)), text("user" + strconv.Itoa(i) + "@example.com"),
			text("北京市朝阳区建国路" + strconv.Itoa(i%300) + "号"), text("某某科技有限公司"), text("经理"), text("转介绍"),
			birthday, text("结婚纪念日:2015-10-01; 开业:农历三月初三"), text("保湿补水"), text("抗衰老"), text("喜欢花香"),
			text("新品面霜"), text([]string{"VIP", "重要", "普通", "小"}[i%4]), text("老客户; 会员"), text([]string{"是", "否"}[i%2]),
			number(float64(1 + i%5)), number(float64(1 + i%3)), number(float64(1 + i%4)), text("第一次来店买了面霜"),
			{Kind: crm.CellDate, Number: float64(44000 + i%1000)},
			text("成长期"), text("活跃"), text("重要价值"), text("VIP"), {Kind: crm.CellDate, Number: 46000.5}, {Kind: crm.CellDate, Number: 46000},
		}
		t.Rows[i] = crm.ImportRow{Line: i + 2, Cells: cells}
	}
	return t
}

func BenchmarkConvert(b *testing.B) {
	tables := []crm.ImportTable{benchTable(100_000)}
	m := []crm.ImportMapping{Guess(&tables[0])}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		batch := Convert(tables, m, today)
		if len(batch.Customers) != 100_000 {
			b.Fatalf("%d customers; results %+v", len(batch.Customers), batch.Results[0])
		}
	}
}

func TestBenchTableConverts(t *testing.T) {
	tables := []crm.ImportTable{benchTable(1000)}
	b := Convert(tables, nil, today)
	if len(b.Customers) != 1000 {
		for _, r := range b.Results {
			if r.Action == crm.ImportSkipRow {
				t.Fatalf("row %d: %v", r.Line, r.Problems)
			}
		}
	}
}
