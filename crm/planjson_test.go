package crm

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// The JSON of `carebook today --json` (PRODUCT.md §4), every reason's keys, against a golden file.
func TestPlanJSONGolden(t *testing.T) {
	ref := func(id int64, code, name string) CustomerRef { return CustomerRef{ID: id, Code: code, Name: name} }
	d := MustDate("2026-11-22")
	p := Plan{Date: d,
		Maintain: []PlanItem{
			{Customer: ref(1, "C000001", "张三"), Reason: ReasonRoutine, Due: MustDate("2026-11-20"), Overdue: 2, Step: 1, PurchaseDate: MustDate("2026-11-19")},
			{Customer: ref(2, "C000002", "李四"), Reason: ReasonFollowUp, Due: d, NextStep: "确认试用感受"},
			{Customer: ref(3, "C000003", "王五"), Reason: ReasonBirthday, Due: MustDate("2026-11-25"), Occurs: MustDate("2026-11-25")},
			{Customer: ref(4, "C000004", "赵六"), Reason: ReasonImportantDate, Due: MustDate("2026-11-24"), Occurs: MustDate("2026-11-24"), Label: "结婚纪念日"},
			{Customer: ref(5, "C000005", "钱七"), Reason: ReasonHoliday, Due: d, Holiday: "mid_autumn"},
			{Customer: ref(6, "C000006", "孙八"), Reason: ReasonCadence, Due: d, LastContact: MustDate("2026-11-15")},
			{Customer: ref(7, "C000007", "周九"), Reason: ReasonCadence, Due: d},
			{Customer: ref(8, "C000008", "吴十"), Reason: ReasonRecall, Due: MustDate("2026-10-01"), Overdue: 52, Churn: ChurnDormant},
		},
		Invite: []PlanItem{
			{Customer: ref(9, "C000009", "郑一"), Reason: ReasonInvitation, Due: d, Event: &EventRef{ID: 3, Name: "会员日", Date: MustDate("2026-11-28")}, Purpose: "新品体验", Script: "{name}您好…"},
		},
		Serve: []PlanItem{
			{Customer: ref(10, "C000010", "冯二"), Reason: ReasonAfterSales, Due: MustDate("2026-11-21"), Overdue: 1, Title: "更换配件"},
			{Customer: ref(11, "C000011", "陈三"), Reason: ReasonComplaint, Due: d, Title: "物流延误"},
		},
	}
	b, err := p.JSON()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := json.Indent(&buf, b, "", "  "); err != nil {
		t.Fatal(err)
	}
	buf.WriteByte('\n')
	golden := filepath.Join("testdata", "plan.golden.json")
	if *update {
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("JSON differs from %s:\n%s", golden, buf.String())
	}
	// An empty plan has empty lists, never null.
	empty := Plan{Date: d}
	b, _ = empty.JSON()
	if got := string(b); got != `{"date":"2026-11-22","maintain":[],"invite":[],"serve":[]}` {
		t.Errorf("empty plan: %s", got)
	}
}

// The hand-written string escaping agrees with encoding/json's for any text a customer's name or
// a next step may hold.
func FuzzJSONString(f *testing.F) {
	for _, s := range []string{"", "张三", `a"b\c`, "line\nnext\ttab\r", "\x00\x1f<>&", "\u2028\u2029", "\xff\xfe bad", "emoji 😀", "\u200f rtl"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		var e jsonWriter
		e.str(s)
		if string(e.buf) != string(want) {
			t.Fatalf("%q: got %s, want %s", s, e.buf, want)
		}
	})
}
