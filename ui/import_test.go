package ui

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"golang.org/x/text/encoding/simplifiedchinese"

	"carebook/assets/i18n"
	"carebook/crm"
	"carebook/store"
)

// writeFile writes a fixture into a temporary directory.
func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// messyList is a customer list as WPS saves it: GB18030, synonym headers, a column Carebook does
// not know, a bad phone and an impossible date.
func messyList(t *testing.T) string {
	t.Helper()
	csv := "客户姓名,手机号,出生日期,分组,最近在看\r\n" +
		"张三,138 1234 5678,1992年5月3日,老客户、团购,新款面霜\r\n" +
		"李四,abc123,,,\r\n" +
		"\r\n" +
		"王五,13912345678,2月30日,,\r\n" +
		"赵六,13700001111,腊月廿三,会员,防晒\r\n"
	gb, err := simplifiedchinese.GB18030.NewEncoder().String(csv)
	if err != nil {
		t.Fatal(err)
	}
	return writeFile(t, "客户名单.csv", []byte(gb))
}

func reportTexts(r *importRun) []string {
	var out []string
	for _, i := range r.shown {
		out = append(out, r.reportLine(&r.batch.Results[i]))
	}
	return out
}

func bookNames(t *testing.T, st *store.Store) []string {
	t.Helper()
	rs, err := st.Search(context.Background(), crm.CustomerQuery{})
	if err != nil {
		t.Fatal(err)
	}
	return summaryNames(rs)
}

func TestImportPreviewMappingAndWrite(t *testing.T) {
	w, st := newTestWindow(t, i18n.ZhHans)
	w.show(w.customers) // the list is open, and follows the import
	w.Wait()
	menuAction(w, fyne.KeyI) // Ctrl+I opens the file dialog; the preview comes after it
	r := w.runImport([]string{messyList(t)})
	if r.stage != importReading || r.confirm.Disabled() == false {
		t.Fatalf("reading: stage %d, confirm enabled %v", r.stage, !r.confirm.Disabled())
	}
	w.Wait()
	if r.stage != importReady || r.err != nil {
		t.Fatalf("not ready: %v", r)
	}
	if got := r.tableSel.Selected; !strings.HasPrefix(got, "客户名单.csv") || !strings.Contains(got, "4 行") {
		t.Errorf("table = %q", got)
	}
	if r.kindSel.Selected != "顾客" {
		t.Errorf("kind = %q", r.kindSel.Selected)
	}
	if r.tableSel.Visible() || r.tableLabel.Visible() {
		t.Errorf("one table: no table to choose")
	}
	if r.summary.Text != "将新建 2 · 更新 0 · 跳过 2" {
		t.Errorf("summary = %q", r.summary.Text)
	}
	if r.confirm.Disabled() || r.confirm.Text != "导入 2 行" {
		t.Errorf("confirm %q disabled %v", r.confirm.Text, r.confirm.Disabled())
	}
	// The skipped rows, with their reasons.
	r.filter.SetSelected("跳过")
	skipped := reportTexts(r)
	if len(skipped) != 2 || !strings.Contains(skipped[0], "第 3 行") || !strings.Contains(skipped[0], "abc123") ||
		!strings.Contains(skipped[1], "第 5 行") || !strings.Contains(skipped[1], "2月30日") {
		t.Fatalf("skipped rows = %q", skipped)
	}
	for _, s := range skipped {
		if strings.Contains(s, "import.") || strings.Contains(s, "err.") {
			t.Errorf("untranslated report line %q", s)
		}
	}
	// The column mapping: the unknown 最近在看 goes to the notes until the user maps it.
	sel := r.colSelects[4]
	if sel == nil {
		t.Fatalf("no drop-down for the fifth column (shown: %v)", len(r.colSelects))
	}
	if sel.Selected != "（放入备注）" || r.colSelects[0].Selected != "姓名" || r.colSelects[1].Selected != "手机" {
		t.Errorf("guessed fields: %q %q %q", r.colSelects[0].Selected, r.colSelects[1].Selected, sel.Selected)
	}
	sel.SetSelected("近期关注")
	if r.stage != importChecking || !r.confirm.Disabled() {
		t.Fatalf("a changed mapping is checked again before it can be imported: stage %d", r.stage)
	}
	w.Wait()
	if r.mappings[0].Columns[4].Field != "interests" || r.stage != importReady {
		t.Fatalf("mapping %+v stage %d", r.mappings[0].Columns[4], r.stage)
	}
	if names := bookNames(t, st); len(names) != 0 {
		t.Fatalf("the preview wrote customers: %v", names)
	}

	test.Tap(r.confirm)
	if r.stage != importWriting {
		t.Fatalf("stage %d after confirm", r.stage)
	}
	w.Wait()
	if r.stage != importDone {
		t.Fatalf("not done: %v", r)
	}
	names := bookNames(t, st)
	if len(names) != 2 {
		t.Fatalf("book = %v", names)
	}
	var zhang *crm.Customer
	for _, s := range w.customers.results.All() {
		if s.Name == "张三" {
			zhang, _ = st.Customer(context.Background(), s.ID)
		}
	}
	if zhang == nil {
		t.Fatalf("the customer list was not refreshed: %v", summaryNames(w.customers.results.All()))
	}
	if zhang.Interests != "新款面霜" || zhang.Phones[0] != "+8613812345678" || zhang.Birthday == nil ||
		zhang.Birthday.String() != "1992年5月3日" || strings.Join(zhang.Tags, ",") != "老客户,团购" {
		t.Errorf("张三 = %+v", zhang)
	}
}

func TestImportUpdatesByPhone(t *testing.T) {
	w, st := newTestWindow(t, i18n.English)
	saveCustomer(t, st, &crm.Customer{Name: "Zhang San", Phones: []string{"13812345678"}})
	p := writeFile(t, "list.csv", []byte("Name,Mobile,Email\nZhang San,+86 138-1234-5678,zs@example.com\nLi Si,13912345678,\n"))
	r := w.runImport([]string{p})
	w.Wait()
	if r.summary.Text != "1 new · 1 to update · 0 skipped" {
		t.Fatalf("summary = %q", r.summary.Text)
	}
	r.filter.SetSelected("Updated")
	if got := reportTexts(r); len(got) != 1 || !strings.Contains(got[0], "Row 2") || !strings.Contains(got[0], "C000001 Zhang San") {
		t.Fatalf("updated rows = %q", got)
	}
	test.Tap(r.confirm)
	w.Wait()
	c, err := st.Customer(context.Background(), 1)
	if err != nil || c.Email != "zs@example.com" {
		t.Fatalf("updated card = %+v, %v", c, err)
	}
}

func TestImportCancelWritesNothing(t *testing.T) {
	w, st := newTestWindow(t, i18n.ZhHans)
	r := w.runImport([]string{messyList(t)})
	w.Wait()
	test.Tap(r.confirm)
	test.Tap(r.cancel) // while writing: stops the write, the preview stays
	w.Wait()
	if r.stage != importReady || r.status.Text != "已取消导入，没有做任何更改。" {
		t.Fatalf("after cancel: %v", r)
	}
	if names := bookNames(t, st); len(names) != 0 {
		t.Fatalf("a cancelled import wrote %v", names)
	}
	if r.confirm.Disabled() || r.summary.Text != "将新建 2 · 更新 0 · 跳过 2" {
		t.Errorf("the preview should be as before: %q, confirm disabled %v", r.summary.Text, r.confirm.Disabled())
	}
	test.Tap(r.cancel) // closes
	if r.stage != importDone {
		t.Errorf("cancel should close the preview")
	}
}

func TestImportBadFilesChangeNothing(t *testing.T) {
	w, st := newTestWindow(t, i18n.ZhHans)
	saveCustomer(t, st, &crm.Customer{Name: "张三"})
	for _, c := range []struct {
		name, data, want string
	}{
		{"坏文件.xlsx", "PK\x03\x04 this is not a whole zip", "不是 Excel 工作簿"},
		{"空.xlsx", "", "不是 Excel 工作簿"},
		{"图片.png", "\x89PNG", "只能导入"},
	} {
		r := w.runImport([]string{writeFile(t, c.name, []byte(c.data))})
		w.Wait()
		if r.err == nil || !strings.Contains(r.status.Text, c.want) || !strings.Contains(r.status.Text, c.name) ||
			!r.confirm.Disabled() || r.cancel.Text != "关闭" {
			t.Errorf("%s: err %v, status %q, confirm disabled %v", c.name, r.err, r.status.Text, r.confirm.Disabled())
		}
		test.Tap(r.cancel)
	}
	// An empty CSV has nothing to import.
	r := w.runImport([]string{writeFile(t, "空.csv", nil)})
	w.Wait()
	if r.err != nil || !strings.Contains(r.summary.Text, "没有可导入的内容") || !r.confirm.Disabled() {
		t.Errorf("empty csv: err %v summary %q", r.err, r.summary.Text)
	}
	test.Tap(r.cancel)
	if names := bookNames(t, st); len(names) != 1 {
		t.Fatalf("book changed: %v", names)
	}
}

func TestImportKindChosenByTheUser(t *testing.T) {
	w, st := newTestWindow(t, i18n.ZhHans)
	saveCustomer(t, st, &crm.Customer{Name: "张三", Phones: []string{"13812345678"}})
	// Headers that say nothing: the user says the sheet is a list of purchases, then maps it.
	p := writeFile(t, "单据.csv", []byte("电话,哪天,多少钱,买了啥\n13812345678,2026-11-01,199.5,面霜\n"))
	r := w.runImport([]string{p})
	w.Wait()
	if r.kindSel.Selected != "顾客" && r.kindSel.Selected != "不导入" {
		t.Fatalf("kind = %q", r.kindSel.Selected)
	}
	r.kindSel.SetSelected("消费记录")
	w.Wait()
	if r.mappings[0].Kind != crm.ImportPurchases || r.colSelects[0] == nil {
		t.Fatalf("mapping %+v", r.mappings[0])
	}
	r.colSelects[1].SetSelected("日期")
	w.Wait()
	r.colSelects[2].SetSelected("金额")
	w.Wait()
	r.colSelects[3].SetSelected("商品")
	w.Wait()
	if r.colSelects[0].Selected != "手机" {
		r.colSelects[0].SetSelected("手机")
		w.Wait()
	}
	if r.summary.Text != "将新建 1 · 更新 0 · 跳过 0" {
		r.filter.SetSelected("全部")
		t.Fatalf("summary %q: %q", r.summary.Text, reportTexts(r))
	}
	test.Tap(r.confirm)
	w.Wait()
	ps, err := st.Purchases(context.Background(), 1)
	if err != nil || len(ps) != 1 || ps[0].Amount != 19950 || ps[0].Items != "面霜" {
		t.Fatalf("purchases %+v, %v", ps, err)
	}
}

// Contacts exported from an Android phone (vCard 2.1, Chinese names in quoted-printable) import
// as customers with their names intact.
func TestImportPhoneContacts(t *testing.T) {
	w, st := newTestWindow(t, i18n.ZhHans)
	r := w.runImport([]string{filepath.Join("..", "store", "vcard", "testdata", "android21.vcf")})
	w.Wait()
	if r.err != nil || r.kindSel.Selected != "顾客" || r.colSelects[0] == nil || r.colSelects[0].Selected != "姓名" {
		t.Fatalf("preview: %v, kind %q", r, r.kindSel.Selected)
	}
	test.Tap(r.confirm)
	w.Wait()
	names := bookNames(t, st)
	if !slices.Contains(names, "张三") || !slices.Contains(names, "欧阳娜娜") {
		t.Fatalf("book = %v", names)
	}
}

// Several files: the tables can be picked, and the report says which file a row is from.
func TestImportSeveralFiles(t *testing.T) {
	w, _ := newTestWindow(t, i18n.ZhHans)
	r := w.runImport([]string{messyList(t), filepath.Join("..", "store", "vcard", "testdata", "android21.vcf")})
	w.Wait()
	if !r.tableSel.Visible() || len(r.tableSel.Options) != 2 || !strings.HasPrefix(r.tableSel.Options[1], "android21.vcf") {
		t.Fatalf("tables %q visible %v", r.tableSel.Options, r.tableSel.Visible())
	}
	r.filter.SetSelected("跳过")
	got := reportTexts(r)
	if len(got) == 0 || !strings.HasPrefix(got[0], "客户名单.csv · 第 3 行") || !strings.HasPrefix(got[len(got)-1], "android21.vcf · ") {
		t.Fatalf("skipped rows %q", got)
	}
	r.tableSel.SetSelected(r.tableSel.Options[1])
	if r.colSelects[0] == nil || r.colSelects[0].Selected != "姓名" || r.kindSel.Selected != "顾客" {
		t.Fatalf("second table's columns not shown")
	}
}
