package imports

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"carebook/crm"
	"carebook/store"
	"carebook/store/xlsx"
)

// serveBook opens a new book in dir with customers, services, complaints (with repeated
// follow-ups), events (with audiences, one nobody is invited to) and invitations, and an
// archived customer whose rows the export leaves out.
func serveBook(t *testing.T, dir string) *store.Store {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, filepath.Join(dir, "serve.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	cards := []crm.Customer{
		{Code: "C000001", Name: "张三", Phones: []string{"+8613812345678"}, Tier: crm.TierVIP, Created: crm.MustDate("2025-01-01")},
		{Code: "C000002", Name: "李四", Phones: []string{"+8613912345678"}, Created: crm.MustDate("2025-02-01")},
		{Code: "C000003", Name: "王五", Created: crm.MustDate("2025-03-01")},
		{Code: "C000004", Name: "已归档", Created: crm.MustDate("2025-03-01")},
	}
	if err := s.InsertCustomers(ctx, cards); err != nil {
		t.Fatal(err)
	}
	id := func(i int) int64 { return cards[i].ID }
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, v := range []crm.Service{
		{CustomerID: id(0), Date: crm.MustDate("2026-11-22"), Kind: crm.ServiceAfterSales, Title: "=换货", Notes: "第一行\n第二行"},
		{CustomerID: id(0), Date: crm.MustDate("2026-11-22"), Kind: crm.ServiceOnline, Title: "视频讲解用法"},
		{CustomerID: id(1), Date: crm.MustDate("2026-11-20"), Kind: crm.ServiceOffline, Title: "到店护理",
			Status: crm.ServiceDone, DoneDate: crm.MustDate("2026-11-21")},
		{CustomerID: id(3), Date: crm.MustDate("2026-11-20"), Kind: crm.ServiceOffline, Title: "归档顾客的服务"},
	} {
		must(s.SaveService(ctx, &v))
	}
	for _, c := range []crm.Complaint{
		{CustomerID: id(0), Received: crm.MustDate("2026-11-01"), Channel: crm.ChannelWeChat, Category: crm.ComplaintUrgent,
			Severity: crm.SeverityComplex, Description: "面霜过敏\n要求退货", Resolution: "退款", Satisfaction: 4,
			Closed: crm.MustDate("2026-11-20"), Steps: []crm.ComplaintStep{
				{Step: crm.StepListen, Date: crm.MustDate("2026-11-01"), Note: "先道歉，听她说完"},
				{Step: crm.StepEmpathise, Date: crm.MustDate("2026-11-01")},
				{Step: crm.StepClarify, Date: crm.MustDate("2026-11-02"), Note: "说明成分\n-附检测报告"},
				{Step: crm.StepAgree, Date: crm.MustDate("2026-11-03"), Note: "退款"},
				{Step: crm.StepFollowUp, Date: crm.MustDate("2026-11-06"), Note: "已好转"},
				{Step: crm.StepFollowUp, Date: crm.MustDate("2026-11-09")},
				{Step: crm.StepFollowUp, Date: crm.MustDate("2026-11-12"), Note: "满意"},
			}},
		{CustomerID: id(1), Received: crm.MustDate("2026-11-21"), Category: crm.ComplaintMalicious, Severity: crm.SeveritySimple},
		{CustomerID: id(3), Received: crm.MustDate("2026-11-21"), Category: crm.ComplaintBatch, Severity: crm.SeveritySimple},
	} {
		must(s.SaveComplaint(ctx, &c))
	}
	party := crm.Event{Name: "年终答谢会", Date: crm.MustDate("2026-12-20"), Purpose: "答谢老顾客", Script: "{name}您好，诚邀…",
		Audience: crm.Audience{Tags: []string{"老客户"}, Tiers: []crm.Tier{crm.TierVIP, crm.TierMajor},
			Stages: []crm.Stage{crm.StageRepeat}, Segments: []crm.Segment{crm.SegmentImportantValue}},
		WindowDays: 14, Notes: "三楼"}
	salon := crm.Event{Name: "新品沙龙", Date: crm.MustDate("2027-01-05")}
	must(s.SaveEvent(ctx, &party))
	must(s.SaveEvent(ctx, &salon))
	for _, v := range []struct {
		ev     int64
		who    int
		status crm.InvitationStatus
		date   crm.Date
		note   string
	}{
		{party.ID, 0, crm.InvitationAccepted, crm.MustDate("2026-12-08"), "带朋友来"},
		{party.ID, 1, crm.InvitationNoShow, 0, ""},
		{party.ID, 3, crm.InvitationInvited, 0, "归档"},
	} {
		_, err := s.SetInvitation(ctx, v.ev, id(v.who), v.status, v.date, v.note)
		must(err)
	}
	must(s.ArchiveCustomer(ctx, id(3)))
	return s
}

// serveRows shows a book's services, complaints and event rows as the export reads them, without
// ids and stamps: what a round trip keeps.
func serveRows(t *testing.T, s *store.Store) []string {
	t.Helper()
	ctx := context.Background()
	var out []string
	err := s.EachService(ctx, 0, 0, func(r *crm.ServiceSheetRow) error {
		out = append(out, fmt.Sprintf("service %s %s %s %q %s %s %q", r.CustomerCode, r.Date, r.Kind, r.Title, r.Status,
			r.DoneDate, r.Notes))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = s.EachComplaint(ctx, 0, 0, func(r *crm.ComplaintSheetRow) error {
		var steps []string
		for _, st := range r.Steps {
			steps = append(steps, fmt.Sprintf("%s/%s/%q", st.Step, st.Date, st.Note))
		}
		slices.Sort(steps)
		out = append(out, fmt.Sprintf("complaint %s %s %s %s %s %q %q %d %s %v", r.CustomerCode, r.Received, r.Channel,
			r.Category, r.Severity, r.Description, r.Resolution, r.Satisfaction, r.Closed, steps))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = s.EachEventRow(ctx, 0, 0, func(r *crm.EventSheetRow) error {
		line := fmt.Sprintf("event %q %s %q %q %+v %d %q", r.Name, r.Date, r.Purpose, r.Script, r.Audience, r.WindowDays, r.Notes)
		if r.Invited {
			line += fmt.Sprintf(" → %s %s %s %q", r.CustomerCode, r.Invitation.Status, r.Invitation.Date, r.Invitation.Note)
		}
		out = append(out, line)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// importServeFile imports path into s (dryRun: only resolved) and returns the batch.
func importServeFile(t *testing.T, s *store.Store, lang xlsx.Lang, path string, dryRun bool) *crm.ImportBatch {
	t.Helper()
	ctx := context.Background()
	im := Importer{Lang: lang}
	b, err := im.Prepare(ctx, []string{path}, crm.MustDate("2026-11-23"))
	if err != nil {
		t.Fatal(err)
	}
	if err := im.Apply(ctx, s, b, dryRun, nil); err != nil {
		t.Fatal(err)
	}
	return b
}

// sheetResults returns the results of the rows of the sheets of kinds.
func sheetResults(b *crm.ImportBatch, kinds ...crm.ImportKind) []crm.ImportRowResult {
	var out []crm.ImportRowResult
	for _, r := range b.Results {
		if slices.Contains(kinds, b.Mappings[r.Table].Kind) {
			out = append(out, r)
		}
	}
	return out
}

var serveKinds = []crm.ImportKind{crm.ImportServices, crm.ImportComplaints, crm.ImportEvents}

// Export → import into an empty book gives the same services, complaints (with their steps),
// events (with their audience) and invitations, in both languages; the dry run reports the same
// and writes nothing; importing the workbook again changes nothing.
func TestServeRoundTrip(t *testing.T) {
	for _, lang := range []xlsx.Lang{xlsx.LangZh, xlsx.LangEn} {
		t.Run(string(lang), func(t *testing.T) {
			ctx := context.Background()
			dir := t.TempDir()
			src := serveBook(t, dir)
			want := serveRows(t, src)
			if len(want) != 3+2+3 {
				t.Fatalf("source rows %d:\n%s", len(want), strings.Join(want, "\n"))
			}
			first := filepath.Join(dir, "first.xlsx")
			if err := xlsx.Export(ctx, src, first, xlsx.Options{Lang: lang}); err != nil {
				t.Fatal(err)
			}

			checkServeCells(t, first, lang)

			dst, err := store.Open(ctx, filepath.Join(dir, "empty.db"))
			if err != nil {
				t.Fatal(err)
			}
			defer dst.Close()

			dry := importServeFile(t, dst, lang, first, true)
			if got := serveRows(t, dst); len(got) != 0 {
				t.Fatalf("dry run wrote %q", got)
			}
			b := importServeFile(t, dst, lang, first, false)
			if fmt.Sprint(dry.Results) != fmt.Sprint(b.Results) {
				t.Errorf("dry run reported\n%v\nthe import\n%v", dry.Results, b.Results)
			}
			rs := sheetResults(b, serveKinds...)
			if len(rs) != 3+2+3 {
				t.Errorf("%d serve results, want 8", len(rs))
			}
			for _, r := range rs {
				if r.Action != crm.ImportCreate || len(r.Problems) > 0 {
					t.Errorf("%s row %d: %s %v", b.Tables[r.Table].Sheet, r.Line, r.Action, r.Problems)
				}
			}
			if got := serveRows(t, dst); !slices.Equal(got, want) {
				t.Errorf("after the import\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}

			again := importServeFile(t, dst, lang, first, false)
			for _, r := range sheetResults(again, serveKinds...) {
				if r.Action != crm.ImportSkipRow || len(r.Problems) != 1 || r.Problems[0].Key != crm.ImportUnchanged {
					t.Errorf("again: %s row %d: %s %v; want skipped, unchanged", again.Tables[r.Table].Sheet, r.Line,
						r.Action, r.Problems)
				}
			}
			if got := serveRows(t, dst); !slices.Equal(got, want) {
				t.Errorf("after importing again\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}

// A workbook written by hand: rows are linked by code or phone, a changed row updates, a bad
// row is skipped with its reason and the others are written.
func TestServeImportRows(t *testing.T) {
	dir := t.TempDir()
	s := serveBook(t, dir)
	path := filepath.Join(dir, "hand.xlsx")
	f := excelize.NewFile()
	sheet := func(name string, rows [][]any) {
		t.Helper()
		if _, err := f.NewSheet(name); err != nil {
			t.Fatal(err)
		}
		for i, r := range rows {
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			if err := f.SetSheetRow(name, cell, &r); err != nil {
				t.Fatal(err)
			}
		}
	}
	sheet("服务", [][]any{
		{"顾客编号", "手机", "日期", "类型", "事项", "状态", "完成日期"},
		{"C000001", "", "2026-11-22", "售后", "=换货", "完成", "2026-11-23"}, // 2: update (done)
		{"", "138 1234 5678", "2026/11/25", "线上", "回访教程", "待办", ""},    // 3: by phone: create
		{"C000002", "", "2026-11-26", "喝茶", "聊天", "", ""},              // 4: bad kind
		{"C009999", "", "2026-11-26", "线下", "到店", "", ""},              // 5: no such customer
		{"", "", "2026-11-26", "线下", "到店", "", ""},                     // 6: no customer key
		{"C000002", "", "2026-11-26", "线下", "", "", ""},                // 7: no title
		{"", "13812345678", "2026-11-25", "线上", "回访教程", "待办", ""},      // 8: same as row 3
	})
	sheet("客诉", [][]any{
		{"顾客编号", "收到日期", "类别", "严重程度", "描述", "跟进回访日期", "跟进回访说明"},
		{"C000002", "2026-11-21", "恶意", "简单", "", "2026-11-22", "已回访\n[2026-11-25] 再次回访"}, // 2: update: steps
		{"C000003", "2026-11-02", "紧急", "很严重", "x", "", ""},                               // 3: bad severity
		{"C000003", "2026-11-02", "紧急", "一般", "退货", "2026-11-01", ""},                     // 4: step before received
	})
	sheet("活动", [][]any{
		{"活动", "活动日期", "对象", "顾客编号", "邀约状态"},
		{"年终答谢会", "2026-12-20", "标签:老客户; 等级:VIP,重要; 阶段:回购; 分群:重要价值", "C000001", "已到场"}, // 2: invitation updated
		{"年终答谢会", "2026-12-20", "标签:老客户; 等级:VIP,重要; 阶段:回购; 分群:重要价值", "C000003", "已接受"}, // 3: invitation created
		{"春季新品会", "2027-03-01", "等级:至尊", "", ""},                                       // 4: bad audience
		{"春季新品会", "2027-03-02", "所有顾客", "", ""},                                        // 5: event created
	})
	if err := f.DeleteSheet("Sheet1"); err != nil {
		t.Fatal(err)
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	before := serveRows(t, s)
	dry := importServeFile(t, s, xlsx.LangZh, path, true)
	if got := serveRows(t, s); !slices.Equal(got, before) {
		t.Fatalf("the dry run wrote:\n%s", strings.Join(got, "\n"))
	}
	b := importServeFile(t, s, xlsx.LangZh, path, false)
	if fmt.Sprint(dry.Results) != fmt.Sprint(b.Results) {
		t.Errorf("dry run reported\n%v\nthe import\n%v", dry.Results, b.Results)
	}
	type want struct {
		action crm.ImportAction
		field  string // of the first problem
		key    string
	}
	wants := map[string]want{
		"服务 2": {crm.ImportUpdate, "", ""},
		"服务 3": {crm.ImportCreate, "", ""},
		"服务 4": {crm.ImportSkipRow, "类型", "err.choice"},
		"服务 5": {crm.ImportSkipRow, "customer_code", "import.no_customer"},
		"服务 6": {crm.ImportSkipRow, "", "import.no_customer_key"},
		"服务 7": {crm.ImportSkipRow, "事项", "err.required"},
		"服务 8": {crm.ImportSkipRow, "", "xlsx.serve.duplicate"},
		"客诉 2": {crm.ImportUpdate, "", ""},
		"客诉 3": {crm.ImportSkipRow, "严重程度", "err.choice"},
		"客诉 4": {crm.ImportSkipRow, "跟进回访日期", "err.before_received"},
		"活动 2": {crm.ImportUpdate, "", ""},
		"活动 3": {crm.ImportCreate, "", ""},
		"活动 4": {crm.ImportSkipRow, "对象", "xlsx.serve.audience"},
		"活动 5": {crm.ImportCreate, "", ""},
	}
	rs := sheetResults(b, serveKinds...)
	if len(rs) != len(wants) {
		t.Errorf("%d results, want %d: %v", len(rs), len(wants), rs)
	}
	for _, r := range rs {
		at := fmt.Sprintf("%s %d", b.Tables[r.Table].Sheet, r.Line)
		w, ok := wants[at]
		var field, key string
		if len(r.Problems) > 0 {
			field, key = r.Problems[0].Field, r.Problems[0].Key
		}
		if !ok || r.Action != w.action || field != w.field || key != w.key {
			t.Errorf("%s: %s %v; want %+v", at, r.Action, r.Problems, w)
		}
	}
	got := serveRows(t, s)
	for _, line := range []string{
		`service C000001 2026-11-22 after_sales "=换货" done 2026-11-23 "第一行\n第二行"`,
		`service C000001 2026-11-25 online "回访教程" open  ""`,
		`complaint C000002 2026-11-21 other malicious simple "" "" 0  [follow_up/2026-11-22/"已回访" follow_up/2026-11-25/"再次回访"]`,
		`event "年终答谢会" 2026-12-20 "答谢老顾客" "{name}您好，诚邀…" {Tags:[老客户] Tiers:[vip major] Stages:[repeat] Segments:[important_value]} 14 "三楼" → C000001 attended 2026-12-08 "带朋友来"`,
		`event "年终答谢会" 2026-12-20 "答谢老顾客" "{name}您好，诚邀…" {Tags:[老客户] Tiers:[vip major] Stages:[repeat] Segments:[important_value]} 14 "三楼" → C000003 accepted  ""`,
		`event "春季新品会" 2027-03-02 "" "" {Tags:[] Tiers:[] Stages:[] Segments:[]} 7 ""`,
	} {
		if !slices.Contains(got, line) {
			t.Errorf("missing %s", line)
		}
	}
	if len(got) != len(before)+3 { // a service, an invitation, an event
		t.Errorf("%d rows, then %d:\n%s", len(before), len(got), strings.Join(got, "\n"))
	}
	for _, line := range got {
		if strings.Contains(line, "喝茶") || strings.Contains(line, "2027-03-01") || strings.Contains(line, "C009999") {
			t.Errorf("a skipped row was written: %s", line)
		}
	}
}

// checkServeCells checks cells of the exported 服务, 客诉 and 活动 sheets: real Excel dates, text
// that looks like a formula written as text, and the repeated follow-ups in their note cell.
func checkServeCells(t *testing.T, path string, lang xlsx.Lang) {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	name := func(key string) string {
		for _, s := range xlsx.Sheets {
			if s.Key == key {
				return s.Name(lang)
			}
		}
		t.Fatalf("no sheet %s", key)
		return ""
	}
	for _, c := range []struct{ sheet, cell string }{
		{name(xlsx.SheetServices), "C2"}, {name(xlsx.SheetComplaints), "C2"}, {name(xlsx.SheetComplaints), "P2"},
		{name(xlsx.SheetComplaints), "T2"}, {name(xlsx.SheetEvents), "B2"}, {name(xlsx.SheetEvents), "K2"},
	} {
		raw, err := f.GetCellValue(c.sheet, c.cell, excelize.Options{RawCellValue: true})
		if err != nil || !isNumber(raw) {
			t.Errorf("%s!%s = %q, %v: want a date serial", c.sheet, c.cell, raw, err)
		}
		shown, _ := f.GetCellValue(c.sheet, c.cell)
		if len(shown) != 10 || shown[4] != '-' {
			t.Errorf("%s!%s shows %q: want YYYY-MM-DD", c.sheet, c.cell, shown)
		}
	}
	if fm, _ := f.GetCellFormula(name(xlsx.SheetServices), "E3"); fm != "" {
		t.Errorf("services E3 is a formula %q", fm)
	}
	if v, _ := f.GetCellValue(name(xlsx.SheetServices), "E3"); v != "=换货" {
		t.Errorf("services E3 = %q, want the text =换货", v)
	}
	if v, _ := f.GetCellValue(name(xlsx.SheetComplaints), "Q2"); v != "已好转\n[2026-11-09]\n[2026-11-12] 满意" {
		t.Errorf("follow-up notes %q", v)
	}
	wantAudience := map[xlsx.Lang]string{xlsx.LangZh: "标签:老客户; 等级:VIP,重要; 阶段:回购; 分群:重要价值",
		xlsx.LangEn: "tags:老客户; tiers:vip,major; stages:repeat; segments:important_value"}
	if v, _ := f.GetCellValue(name(xlsx.SheetEvents), "E2"); v != wantAudience[lang] {
		t.Errorf("audience %q, want %q", v, wantAudience[lang])
	}
}
