package imports

import (
	"context"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"carebook/crm"
	"carebook/store/xlsx"
)

// memSource is an in-memory xlsx.Source.
type memSource struct {
	customers []crm.CustomerRow
	purchases []crm.PurchaseRow
	records   []crm.RecordRow
	// The 服务, 客诉 and 活动 sheets (xlsx.ServeSource).
	services   []crm.ServiceSheetRow
	complaints []crm.ComplaintSheetRow
	events     []crm.EventSheetRow
}

func each[T any](rows []T, fn func(*T) error) error {
	for i := range rows {
		r := rows[i]
		if err := fn(&r); err != nil {
			return err
		}
	}
	return nil
}

func (s *memSource) EachService(_ context.Context, _, _ crm.Date, fn func(*crm.ServiceSheetRow) error) error {
	return each(s.services, fn)
}

func (s *memSource) EachComplaint(_ context.Context, _, _ crm.Date, fn func(*crm.ComplaintSheetRow) error) error {
	return each(s.complaints, fn)
}

func (s *memSource) EachEventRow(_ context.Context, _, _ crm.Date, fn func(*crm.EventSheetRow) error) error {
	return each(s.events, fn)
}

func (s *memSource) ExportCounts(context.Context, crm.Date, crm.Date) (int, int, int, error) {
	return len(s.customers), len(s.purchases), len(s.records), nil
}

func (s *memSource) EachCustomer(_ context.Context, fn func(*crm.CustomerRow) error) error {
	for i := range s.customers {
		c := s.customers[i]
		if err := fn(&c); err != nil {
			return err
		}
	}
	return nil
}

func (s *memSource) EachPurchase(_ context.Context, _, _ crm.Date, fn func(*crm.PurchaseRow) error) error {
	for i := range s.purchases {
		p := s.purchases[i]
		if err := fn(&p); err != nil {
			return err
		}
	}
	return nil
}

func (s *memSource) EachRecord(_ context.Context, _, _ crm.Date, fn func(*crm.RecordRow) error) error {
	for i := range s.records {
		r := s.records[i]
		if err := fn(&r); err != nil {
			return err
		}
	}
	return nil
}

// book is what the round trip exports: every cell form the exporter writes.
func book() *memSource {
	leap := crm.KeyDate{Calendar: crm.Lunar, Year: 2020, Month: 4, Day: 1, Leap: true}
	leapNoYear := crm.KeyDate{Calendar: crm.Lunar, Month: 4, Day: 1, Leap: true}
	cust := func(c crm.Customer) crm.CustomerRow {
		crm.NormalizeCustomer(&c)
		return crm.CustomerRow{Customer: c, LastPurchase: crm.MustDate("2026-01-01"),
			LastContact: time.Date(2026, 2, 3, 4, 5, 6, 0, time.UTC)}
	}
	s := &memSource{customers: []crm.CustomerRow{
		cust(crm.Customer{Code: "C000001", Name: "张三", Remark: "张姐", Gender: crm.GenderFemale,
			Phones: []string{"+8613812345678", "+8613912345678", "+14155550100", "+861012345678"},
			WeChat: "zhang_wx", Email: "zhang@example.com", Address: "北京市朝阳区", Company: "某某公司", Title: "经理",
			Source: "转介绍", Birthday: &crm.KeyDate{Calendar: crm.Solar, Year: 1990, Month: 5, Day: 3},
			Dates: []crm.KeyDate{{Label: "结婚纪念日", Calendar: crm.Solar, Year: 2015, Month: 10, Day: 1},
				{Label: "开业", Calendar: crm.Lunar, Month: 3, Day: 3}, {Label: "认识", Calendar: crm.Solar, Month: 2, Day: 29},
				{Label: "乔迁", Calendar: crm.Lunar, Year: 1988, Month: 1, Day: 8}},
			Needs: "保湿", LatentNeeds: "抗衰老", Preferences: "喜欢花香", Interests: "新品",
			Notes: "第一行\n=SUM(A1)\n-负号开头", Tags: []string{"老客户", "VIP群", "=公式"}, Tier: crm.TierVIP,
			DoNotDisturb: true, Knowing: 5, Closeness: 3, Loyalty: 1, Created: crm.MustDate("2020-02-29")}),
		cust(crm.Customer{Code: "C000002", Name: "Li Si", Gender: crm.GenderMale, Phones: []string{"+8615000000001"},
			Birthday: &crm.KeyDate{Calendar: crm.Solar, Month: 11, Day: 22}, Tier: crm.TierMajor,
			Created: crm.MustDate("1900-03-01")}),
		cust(crm.Customer{Code: "C000003", Name: "王五", Birthday: &crm.KeyDate{Calendar: crm.Lunar, Month: 8, Day: 15},
			Tier: crm.TierSmall, Created: crm.MustDate("2026-11-22"), Dates: []crm.KeyDate{{Label: "闰", Calendar: crm.Lunar, Month: 4, Day: 1, Leap: true}}}),
		cust(crm.Customer{Code: "C000004", Name: "赵六", Birthday: &leap, Created: crm.MustDate("9999-12-31"),
			Dates: []crm.KeyDate{{Label: "x", Calendar: crm.Lunar, Year: 2020, Month: 4, Day: 1, Leap: true}}}),
		cust(crm.Customer{Code: "C000005", Name: "孙七", Birthday: &crm.KeyDate{Calendar: crm.Solar, Year: 1900, Month: 1, Day: 15},
			Created: crm.MustDate("1899-12-31")}),
		cust(crm.Customer{Code: "C000006", Name: "周八", Birthday: &leapNoYear, Created: crm.MustDate("2000-01-01")}),
	}}
	s.purchases = []crm.PurchaseRow{
		{CustomerCode: "C000001", CustomerName: "张三", Purchase: crm.Purchase{Date: crm.MustDate("2026-11-22"), Amount: 128050, Items: "面霜 x2", Channel: crm.Offline}},
		{CustomerCode: "C000002", CustomerName: "Li Si", Purchase: crm.Purchase{Date: crm.MustDate("1900-03-01"), Amount: 1, Channel: crm.Online}},
		{CustomerCode: "C000001", CustomerName: "张三", Purchase: crm.Purchase{Date: crm.MustDate("2026-01-31"), Amount: 9999, Items: "=1+1", Channel: crm.Online}},
		{CustomerCode: "C000003", CustomerName: "王五", Purchase: crm.Purchase{Date: crm.MustDate("2026-01-31"), Amount: crm.MaxMoney, Channel: crm.Offline}},
		{CustomerCode: "C000003", CustomerName: "王五", Purchase: crm.Purchase{Date: crm.MustDate("2026-01-31"), Amount: 0, Channel: crm.Offline}},
		{CustomerCode: "C000004", CustomerName: "赵六", Purchase: crm.Purchase{Date: crm.MustDate("2026-01-31"), Amount: 1234567, Channel: crm.Offline}},
	}
	for i, amt := range []crm.Money{10, 30, 70, 110, 999999, 33333, 1999, 12345678} {
		s.purchases = append(s.purchases, crm.PurchaseRow{CustomerCode: "C000002", CustomerName: "Li Si",
			Purchase: crm.Purchase{Date: crm.MustDate("2025-06-01") + crm.Date(i), Amount: amt, Channel: crm.Offline}})
	}
	for i, k := range crm.RecordKinds {
		s.records = append(s.records, crm.RecordRow{CustomerCode: "C000001", CustomerName: "张三", Phone: "+8613812345678",
			Record: crm.Record{At: time.Date(2026, 11, 1, 9, 34, 56+i, 0, time.UTC), Kind: k, Channel: crm.Channels[i%len(crm.Channels)],
				Content: "回访 " + strconv.Itoa(i), Feedback: "满意", NextStep: "再联系", NextDate: crm.MustDate("2026-11-08")}})
	}
	s.records = append(s.records,
		crm.RecordRow{CustomerCode: "C000002", CustomerName: "Li Si", Phone: "+8615000000001",
			Record: crm.Record{At: time.Date(2026, 12, 31, 23, 59, 59, 0, time.UTC), Kind: crm.KindOther, Channel: crm.ChannelOther, Content: "@提醒"}},
		crm.RecordRow{CustomerCode: "C000003", CustomerName: "王五",
			Record: crm.Record{At: time.Date(1900, 3, 1, 0, 0, 0, 0, time.UTC), Kind: crm.KindRoutine, Channel: crm.ChannelVisit, Content: "x"}},
		crm.RecordRow{CustomerCode: "C000001", CustomerName: "张三", Phone: "+8613812345678",
			Record: crm.Record{At: time.Date(2100, 12, 31, 12, 0, 0, 0, time.UTC), Kind: crm.KindRoutine, Channel: crm.ChannelPhone, Content: "y"}},
	)
	s.services = []crm.ServiceSheetRow{
		{CustomerCode: "C000001", CustomerName: "张三", Service: crm.Service{Date: crm.MustDate("2026-11-22"),
			Kind: crm.ServiceAfterSales, Title: "=换货", Status: crm.ServiceOpen, Notes: "第一行\n第二行"}},
		{CustomerCode: "C000002", CustomerName: "Li Si", Service: crm.Service{Date: crm.MustDate("2026-11-20"),
			Kind: crm.ServiceOnline, Title: "视频讲解用法", Status: crm.ServiceDone, DoneDate: crm.MustDate("2026-11-21")}},
		{CustomerCode: "C000003", CustomerName: "王五", Service: crm.Service{Date: crm.MustDate("2026-12-01"),
			Kind: crm.ServiceOffline, Title: "到店护理", Status: crm.ServiceOpen}},
	}
	s.complaints = []crm.ComplaintSheetRow{
		{CustomerCode: "C000001", CustomerName: "张三", Complaint: crm.Complaint{Received: crm.MustDate("2026-11-01"),
			Channel: crm.ChannelWeChat, Category: crm.ComplaintUrgent, Severity: crm.SeverityComplex,
			Description: "面霜过敏\n要求退货", Resolution: "退款并赠送小样", Satisfaction: 4, Closed: crm.MustDate("2026-11-20"),
			Steps: []crm.ComplaintStep{
				{Step: crm.StepListen, Date: crm.MustDate("2026-11-01"), Note: "先道歉，听她说完"},
				{Step: crm.StepEmpathise, Date: crm.MustDate("2026-11-01")},
				{Step: crm.StepClarify, Date: crm.MustDate("2026-11-02"), Note: "说明成分\n-附检测报告"},
				{Step: crm.StepAgree, Date: crm.MustDate("2026-11-03"), Note: "退款"},
				{Step: crm.StepFollowUp, Date: crm.MustDate("2026-11-06"), Note: "已好转"},
				{Step: crm.StepFollowUp, Date: crm.MustDate("2026-11-09")},
				{Step: crm.StepFollowUp, Date: crm.MustDate("2026-11-12"), Note: "满意\n愿意再来"},
			}}},
		{CustomerCode: "C000002", CustomerName: "Li Si", Complaint: crm.Complaint{Received: crm.MustDate("2026-11-21"),
			Channel: crm.ChannelOther, Category: crm.ComplaintMalicious, Severity: crm.SeveritySimple}},
		{CustomerCode: "C000003", CustomerName: "王五", Complaint: crm.Complaint{Received: crm.MustDate("2026-10-01"),
			Channel: crm.ChannelPhone, Category: crm.ComplaintBatch, Severity: crm.SeverityGeneral, Description: "发货慢",
			Steps: []crm.ComplaintStep{{Step: crm.StepFollowUp, Date: crm.MustDate("2026-10-02"), Note: "催物流"},
				{Step: crm.StepFollowUp, Date: crm.MustDate("2026-10-05"), Note: "已签收"}}}},
	}
	party := crm.Event{ID: 1, Name: "年终答谢会", Date: crm.MustDate("2026-12-20"), Purpose: "答谢老顾客", Script: "{name}您好，诚邀…",
		Audience: crm.Audience{Tags: []string{"老客户", "VIP群"}, Tiers: []crm.Tier{crm.TierVIP, crm.TierMajor},
			Stages: []crm.Stage{crm.StageRepeat, crm.StageLongTerm}, Segments: []crm.Segment{crm.SegmentImportantValue}},
		WindowDays: 14, Notes: "场地：三楼"}
	salon := crm.Event{ID: 2, Name: "新品沙龙", Date: crm.MustDate("2027-01-05"), WindowDays: 0}
	open := crm.Event{ID: 3, Name: "=空活动", Date: crm.MustDate("2027-02-01"), WindowDays: 7,
		Audience: crm.Audience{Stages: []crm.Stage{crm.StageHalfLost}}}
	s.events = []crm.EventSheetRow{
		{Event: party, Invited: true, CustomerCode: "C000001", CustomerName: "张三",
			Invitation: crm.Invitation{Status: crm.InvitationAccepted, Date: crm.MustDate("2026-12-08"), Note: "带朋友来"}},
		{Event: party, Invited: true, CustomerCode: "C000002", CustomerName: "Li Si",
			Invitation: crm.Invitation{Status: crm.InvitationNoShow}},
		{Event: salon, Invited: true, CustomerCode: "C000003", CustomerName: "王五",
			Invitation: crm.Invitation{Status: crm.InvitationInvited, Date: crm.MustDate("2027-01-01")}},
		{Event: open},
	}
	return s
}

// readWorkbook reads a workbook the way a reader does: the header row, then per cell its
// formatted text and, for numbers, the number, as CellDate when its style is a date format.
func readWorkbook(t *testing.T, path string) []crm.ImportTable {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var tables []crm.ImportTable
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		tb := crm.ImportTable{File: filepath.Base(path), Sheet: sheet, HeaderLine: 1}
		for ri, row := range rows {
			if ri == 0 {
				tb.Header = row
				continue
			}
			r := crm.ImportRow{Line: ri + 1}
			for ci, raw := range row {
				axis, _ := excelize.CoordinatesToCellName(ci+1, ri+1)
				typ, err := f.GetCellType(sheet, axis)
				if err != nil {
					t.Fatal(err)
				}
				shown, _ := f.GetCellValue(sheet, axis)
				cell := crm.ImportCell{Text: shown}
				if typ == excelize.CellTypeNumber || typ == excelize.CellTypeUnset && raw != "" && isNumber(raw) {
					n, err := strconv.ParseFloat(raw, 64)
					if err != nil {
						t.Fatalf("%s!%s: %v", sheet, axis, err)
					}
					cell.Number, cell.Kind = n, crm.CellNumber
					if sid, err := f.GetCellStyle(sheet, axis); err == nil {
						if st, err := f.GetStyle(sid); err == nil && st.CustomNumFmt != nil && strings.Contains(*st.CustomNumFmt, "yy") {
							cell.Kind = crm.CellDate
						}
					}
				}
				r.Cells = append(r.Cells, cell)
			}
			tb.Rows = append(tb.Rows, r)
		}
		tables = append(tables, tb)
	}
	return tables
}

func isNumber(s string) bool { _, err := strconv.ParseFloat(s, 64); return err == nil }

func TestRoundTrip(t *testing.T) {
	for _, lang := range []xlsx.Lang{xlsx.LangZh, xlsx.LangEn} {
		t.Run(string(lang), func(t *testing.T) {
			src := book()
			path := filepath.Join(t.TempDir(), "book.xlsx")
			derive := func(*crm.CustomerRow) (string, string, string, string) {
				return "新客", "活跃", "重要价值", "VIP"
			}
			if err := xlsx.Export(context.Background(), src, path, xlsx.Options{Lang: lang, Derive: derive}); err != nil {
				t.Fatal(err)
			}
			tables := readWorkbook(t, path)
			var mappings []crm.ImportMapping
			kinds := map[crm.ImportKind]int{}
			for i := range tables {
				m := Guess(&tables[i])
				kinds[m.Kind]++
				for _, c := range m.Columns {
					if c.Field == "" && m.Kind != crm.ImportSkip {
						t.Errorf("%s: column %q not mapped", tables[i].Sheet, c.Header)
					}
				}
				mappings = append(mappings, m)
			}
			if kinds[crm.ImportCustomers] != 1 || kinds[crm.ImportPurchases] != 1 || kinds[crm.ImportRecords] != 1 ||
				kinds[crm.ImportServices] != 1 || kinds[crm.ImportComplaints] != 1 || kinds[crm.ImportEvents] != 1 ||
				kinds[crm.ImportSkip] != 1 {
				t.Fatalf("kinds %v", kinds)
			}
			b := Convert(tables, mappings, crm.MustDate("2030-01-01"))
			for _, r := range b.Results {
				if r.Action != crm.ImportCreate || len(r.Problems) > 0 {
					t.Errorf("%s row %d: %s %v", tables[r.Table].Sheet, r.Line, r.Action, r.Problems)
				}
			}
			if n := len(src.customers) + len(src.purchases) + len(src.records) + len(src.services) +
				len(src.complaints) + len(src.events); len(b.Results) != n {
				t.Fatalf("%d results; want %d", len(b.Results), n)
			}
			if len(b.Customers) != len(src.customers) {
				t.Fatalf("%d customers; want %d", len(b.Customers), len(src.customers))
			}
			for i, ic := range b.Customers {
				if want := src.customers[i].Customer; !reflect.DeepEqual(ic.Customer, want) {
					t.Errorf("customer %d:\n got %+v\nwant %+v", i, ic.Customer, want)
				}
			}
			if len(b.Purchases) != len(src.purchases) {
				t.Fatalf("%d purchases; want %d", len(b.Purchases), len(src.purchases))
			}
			for i, ip := range b.Purchases {
				w := src.purchases[i]
				if ip.CustomerCode != w.CustomerCode || ip.Phone != "" || !reflect.DeepEqual(ip.Purchase, w.Purchase) {
					t.Errorf("purchase %d: got %+v, want %+v", i, ip, w)
				}
			}
			if len(b.Records) != len(src.records) {
				t.Fatalf("%d records; want %d", len(b.Records), len(src.records))
			}
			for i, ir := range b.Records {
				w := src.records[i]
				if ir.CustomerCode != w.CustomerCode || ir.Phone != w.Phone || !reflect.DeepEqual(ir.Record, w.Record) {
					t.Errorf("record %d: got %+v, want %+v", i, ir, w)
				}
			}
			sv := b.Serve()
			if len(sv.Services) != len(src.services) {
				t.Fatalf("%d services; want %d", len(sv.Services), len(src.services))
			}
			for i, is := range sv.Services {
				w := src.services[i]
				if is.CustomerCode != w.CustomerCode || !reflect.DeepEqual(is.Service, w.Service) {
					t.Errorf("service %d: got %+v, want %+v", i, is, w)
				}
			}
			if len(sv.Complaints) != len(src.complaints) {
				t.Fatalf("%d complaints; want %d", len(sv.Complaints), len(src.complaints))
			}
			for i, ic := range sv.Complaints {
				w := src.complaints[i]
				if ic.CustomerCode != w.CustomerCode || !reflect.DeepEqual(ic.Complaint, w.Complaint) {
					t.Errorf("complaint %d:\n got %+v\nwant %+v", i, ic, w)
				}
			}
			if len(sv.Events) != len(src.events) {
				t.Fatalf("%d event rows; want %d", len(sv.Events), len(src.events))
			}
			for i, ie := range sv.Events {
				w := src.events[i]
				we := w.Event
				we.ID = 0
				if !reflect.DeepEqual(ie.Event, we) || ie.Invited != w.Invited || ie.CustomerCode != w.CustomerCode ||
					!reflect.DeepEqual(ie.Invitation, w.Invitation) {
					t.Errorf("event row %d:\n got %+v\nwant %+v", i, ie, w)
				}
			}
		})
	}
}
