package xlsx

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Lang is the language of a workbook's sheet names, headers and values: "zh" (the Chinese UI,
// simplified and traditional alike, gets the canonical Chinese headers) or "en". Anything but
// "en" means Chinese.
type Lang string

// Languages.
const (
	LangZh Lang = "zh"
	LangEn Lang = "en"
)

func (l Lang) en() bool { return l == LangEn }

// Kind is what a column holds, for its cell format.
type Kind int

// Column kinds.
const (
	KindText     Kind = iota // text; a text looking like a formula stays text
	KindDate                 // a real Excel date, "yyyy-mm-dd"
	KindDateTime             // a real Excel date-time, "yyyy-mm-dd hh:mm"
	KindAmount               // yuan, a number with two decimals "0.00"
	KindInteger              // a whole number
	KindKeyDate              // a birthday: a real date when solar with a year, else text (5月3日, 农历八月十五)
)

// Column is one canonical column of a sheet (PRODUCT.md §5): its header in both languages and
// a stable key. The importer maps headers through the same tables, whatever the UI language.
type Column struct {
	Key   string  // stable identifier, e.g. "code"
	Zh    string  // Chinese header
	En    string  // English header
	Kind  Kind    // what the cells hold
	Width float64 // column width in characters (at least the header's)
}

// Header returns the column's header in l.
func (c Column) Header(l Lang) string {
	if l.en() {
		return c.En
	}
	return c.Zh
}

// width is the column's width in l: its own, widened to show the header and the filter button.
func (c Column) width(l Lang) float64 {
	return max(c.Width, float64(displayWidth(c.Header(l))+3))
}

// displayWidth counts East Asian characters as two columns.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x1100 && utf8.RuneLen(r) >= 3 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// Column keys shared by several sheets.
const (
	keyCustomerCode = "customer_code"
	keyCustomer     = "customer"
)

// CustomerColumns are the columns of the 顾客 (Customers) sheet: the stored fields, the created
// date, then the derived ones.
var CustomerColumns = []Column{
	{Key: "code", Zh: "编号", En: "Code", Width: 10},
	{Key: "name", Zh: "姓名", En: "Name", Width: 12},
	{Key: "remark", Zh: "备注名", En: "Remark", Width: 12},
	{Key: "gender", Zh: "性别", En: "Gender", Width: 8},
	{Key: "phone", Zh: "手机", En: "Phone", Width: 16},
	{Key: "wechat", Zh: "微信", En: "WeChat", Width: 14},
	{Key: "email", Zh: "邮箱", En: "Email", Width: 22},
	{Key: "address", Zh: "地址", En: "Address", Width: 28},
	{Key: "company", Zh: "公司", En: "Company", Width: 18},
	{Key: "title", Zh: "职务", En: "Title", Width: 12},
	{Key: "source", Zh: "来源", En: "Source", Width: 12},
	{Key: "birthday", Zh: "生日", En: "Birthday", Kind: KindKeyDate, Width: 14},
	{Key: "dates", Zh: "纪念日", En: "Important dates", Width: 28},
	{Key: "needs", Zh: "需求", En: "Needs", Width: 24},
	{Key: "latent_needs", Zh: "潜在需求", En: "Latent needs", Width: 24},
	{Key: "preferences", Zh: "喜好", En: "Preferences", Width: 24},
	{Key: "interests", Zh: "近期关注", En: "Recent interests", Width: 24},
	{Key: "tier", Zh: "等级", En: "Tier", Width: 8},
	{Key: "tags", Zh: "标签", En: "Tags", Width: 20},
	{Key: "do_not_disturb", Zh: "免打扰", En: "Do not disturb", Width: 8},
	{Key: "knowing", Zh: "了解程度", En: "Knowing", Kind: KindInteger, Width: 8},
	{Key: "closeness", Zh: "亲密程度", En: "Closeness", Kind: KindInteger, Width: 8},
	{Key: "loyalty", Zh: "忠诚程度", En: "Loyalty", Kind: KindInteger, Width: 8},
	{Key: "notes", Zh: "备注", En: "Notes", Width: 30},
	{Key: "created", Zh: "建档日期", En: "Created", Kind: KindDate, Width: 12},
	// Derived: computed by the book, never imported.
	{Key: "stage", Zh: "阶段", En: "Stage", Width: 10},
	{Key: "churn", Zh: "流失状态", En: "Churn", Width: 10},
	{Key: "rfm_segment", Zh: "RFM分群", En: "RFM segment", Width: 12},
	{Key: "suggested_tier", Zh: "建议等级", En: "Suggested tier", Width: 10},
	{Key: "last_contact", Zh: "最近联系", En: "Last contact", Kind: KindDateTime, Width: 17},
	{Key: "last_purchase", Zh: "最近消费", En: "Last purchase", Kind: KindDate, Width: 12},
}

// DerivedCustomerColumns is how many of CustomerColumns, at the end, are derived (computed by the
// book): an import ignores them.
const DerivedCustomerColumns = 6

// PurchaseColumns are the columns of the 消费记录 (Purchases) sheet.
var PurchaseColumns = []Column{
	{Key: keyCustomerCode, Zh: "顾客编号", En: "Customer code", Width: 10},
	{Key: keyCustomer, Zh: "顾客", En: "Customer", Width: 12},
	{Key: "date", Zh: "日期", En: "Date", Kind: KindDate, Width: 12},
	{Key: "amount", Zh: "金额", En: "Amount", Kind: KindAmount, Width: 12},
	{Key: "items", Zh: "商品", En: "Items", Width: 30},
	{Key: "channel", Zh: "渠道", En: "Channel", Width: 8},
}

// RecordColumns are the columns of the 维护记录 (Maintenance log) sheet.
var RecordColumns = []Column{
	{Key: "date", Zh: "日期", En: "Date", Kind: KindDateTime, Width: 17},
	{Key: keyCustomerCode, Zh: "顾客编号", En: "Customer code", Width: 10},
	{Key: keyCustomer, Zh: "顾客", En: "Customer", Width: 12},
	{Key: "phone", Zh: "电话", En: "Phone", Width: 16},
	{Key: "kind", Zh: "类型", En: "Kind", Width: 10},
	{Key: "channel", Zh: "方式", En: "Channel", Width: 8},
	{Key: "content", Zh: "维护内容", En: "Content", Width: 40},
	{Key: "feedback", Zh: "顾客反馈", En: "Feedback", Width: 30},
	{Key: "next_step", Zh: "下次计划", En: "Next step", Width: 24},
	{Key: "next_date", Zh: "下次日期", En: "Next date", Kind: KindDate, Width: 12},
}

// ServiceColumns are the columns of the 服务 (Services) sheet: the columns of PRODUCT.md §5, then
// the done date and the notes.
var ServiceColumns = []Column{
	{Key: keyCustomerCode, Zh: "顾客编号", En: "Customer code", Width: 10},
	{Key: keyCustomer, Zh: "顾客", En: "Customer", Width: 12},
	{Key: "date", Zh: "日期", En: "Date", Kind: KindDate, Width: 12},
	{Key: "kind", Zh: "类型", En: "Kind", Width: 8},
	{Key: "title", Zh: "事项", En: "Title", Width: 30},
	{Key: "status", Zh: "状态", En: "Status", Width: 8},
	{Key: "done_date", Zh: "完成日期", En: "Done date", Kind: KindDate, Width: 12},
	{Key: "notes", Zh: "备注", En: "Notes", Width: 30},
}

// ComplaintColumns are the columns of the 客诉 (Complaints) sheet: the five steps (PRODUCT.md §1)
// each have a date and a note column (see StepColumns; a step taken several times, such as
// repeated follow-ups, lists its later entries in the note cell as "[YYYY-MM-DD] note" lines).
var ComplaintColumns = []Column{
	{Key: keyCustomerCode, Zh: "顾客编号", En: "Customer code", Width: 10},
	{Key: keyCustomer, Zh: "顾客", En: "Customer", Width: 12},
	{Key: "received", Zh: "收到日期", En: "Received", Kind: KindDate, Width: 12},
	{Key: "channel", Zh: "方式", En: "Channel", Width: 8},
	{Key: "category", Zh: "类别", En: "Category", Width: 8},
	{Key: "severity", Zh: "严重程度", En: "Severity", Width: 8},
	{Key: "description", Zh: "描述", En: "Description", Width: 30},
	{Key: "listen_date", Zh: "安抚倾听日期", En: "Listen date", Kind: KindDate, Width: 12},
	{Key: "listen_note", Zh: "安抚倾听说明", En: "Listen note", Width: 24},
	{Key: "empathise_date", Zh: "表示理解日期", En: "Empathise date", Kind: KindDate, Width: 12},
	{Key: "empathise_note", Zh: "表示理解说明", En: "Empathise note", Width: 24},
	{Key: "clarify_date", Zh: "澄清解释日期", En: "Clarify date", Kind: KindDate, Width: 12},
	{Key: "clarify_note", Zh: "澄清解释说明", En: "Clarify note", Width: 24},
	{Key: "agree_date", Zh: "解决共识日期", En: "Agree date", Kind: KindDate, Width: 12},
	{Key: "agree_note", Zh: "解决共识说明", En: "Agree note", Width: 24},
	{Key: "follow_up_date", Zh: "跟进回访日期", En: "Follow-up date", Kind: KindDate, Width: 12},
	{Key: "follow_up_note", Zh: "跟进回访说明", En: "Follow-up note", Width: 30},
	{Key: "resolution", Zh: "处理结果", En: "Resolution", Width: 24},
	{Key: "satisfaction", Zh: "满意度", En: "Satisfaction", Kind: KindInteger, Width: 8},
	{Key: "closed", Zh: "结案日期", En: "Closed", Kind: KindDate, Width: 12},
}

// EventColumns are the columns of the 活动 (Events) sheet: one row per invitation, the event's
// columns first; an event nobody is invited to is one row with the customer columns empty.
var EventColumns = []Column{
	{Key: "event", Zh: "活动", En: "Event", Width: 20},
	{Key: "event_date", Zh: "活动日期", En: "Event date", Kind: KindDate, Width: 12},
	{Key: "purpose", Zh: "邀约目的", En: "Purpose", Width: 24},
	{Key: "script", Zh: "邀约话术", En: "Script", Width: 30},
	{Key: "audience", Zh: "对象", En: "Audience", Width: 28},
	{Key: "window_days", Zh: "邀约天数", En: "Invite window (days)", Kind: KindInteger, Width: 8},
	{Key: "event_notes", Zh: "活动备注", En: "Event notes", Width: 24},
	{Key: keyCustomerCode, Zh: "顾客编号", En: "Customer code", Width: 10},
	{Key: keyCustomer, Zh: "顾客", En: "Customer", Width: 12},
	{Key: "status", Zh: "邀约状态", En: "Invitation status", Width: 10},
	{Key: "invited", Zh: "邀约日期", En: "Invited on", Kind: KindDate, Width: 12},
	{Key: "note", Zh: "备注", En: "Notes", Width: 24},
}

// SummaryColumns are the two columns of the 统计 (Summary) sheet.
var SummaryColumns = []Column{
	{Key: "item", Zh: "项目", En: "Item", Width: 20},
	{Key: "value", Zh: "数值", En: "Value", Width: 24},
}

// Sheet is a sheet of the workbook: its name in both languages and its columns.
type Sheet struct {
	Key     string
	Zh, En  string
	Columns []Column
}

// Name returns the sheet's name in l.
func (s *Sheet) Name(l Lang) string {
	if l.en() {
		return s.En
	}
	return s.Zh
}

// Sheet keys, in workbook order.
const (
	SheetRecords    = "records"
	SheetCustomers  = "customers"
	SheetPurchases  = "purchases"
	SheetServices   = "services"
	SheetComplaints = "complaints"
	SheetEvents     = "events"
	SheetSummary    = "summary"
)

// Sheets lists the sheets in workbook order; the first, the maintenance log, is the active one.
var Sheets = []Sheet{
	{Key: SheetRecords, Zh: "维护记录", En: "Maintenance log", Columns: RecordColumns},
	{Key: SheetCustomers, Zh: "顾客", En: "Customers", Columns: CustomerColumns},
	{Key: SheetPurchases, Zh: "消费记录", En: "Purchases", Columns: PurchaseColumns},
	{Key: SheetServices, Zh: "服务", En: "Services", Columns: ServiceColumns},
	{Key: SheetComplaints, Zh: "客诉", En: "Complaints", Columns: ComplaintColumns},
	{Key: SheetEvents, Zh: "活动", En: "Events", Columns: EventColumns},
	{Key: SheetSummary, Zh: "统计", En: "Summary", Columns: SummaryColumns},
}

// sheetByKey returns the sheet of Sheets with key k.
func sheetByKey(k string) *Sheet {
	for i := range Sheets {
		if Sheets[i].Key == k {
			return &Sheets[i]
		}
	}
	panic("xlsx: no sheet " + k)
}

// MaxDataRows is how many data rows a sheet holds below its header (Excel's limit is 1,048,576
// rows). A longer sheet continues on parts named by PartName, right after it.
const MaxDataRows = 1<<20 - 1

// PartName returns the name of part n (1, 2, …) of a sheet named name: name itself for the
// first, then "维护记录 (2)", "Maintenance log (3)"…
func PartName(name string, n int) string {
	if n <= 1 {
		return name
	}
	return name + " (" + strconv.Itoa(n) + ")"
}

// SplitPartName is the inverse of PartName: "维护记录 (2)" → "维护记录", 2; any other name → name, 1.
func SplitPartName(sheetName string) (name string, part int) {
	base, rest, ok := strings.Cut(sheetName, " (")
	if !ok || !strings.HasSuffix(rest, ")") {
		return sheetName, 1
	}
	n, err := strconv.Atoi(strings.TrimSuffix(rest, ")"))
	if err != nil || n < 2 || strconv.Itoa(n)+")" != rest {
		return sheetName, 1
	}
	return base, n
}

// Value is a coded value as the workbook shows it in each language (PRODUCT.md §5).
type Value struct {
	Key    string // the book's value, e.g. "male"
	Zh, En string
}

// Value tables of PRODUCT.md §5. In English a value is its key.
var (
	GenderValues = []Value{
		{"male", "男", "male"}, {"female", "女", "female"}, {"unknown", "未知", "unknown"},
	}
	TierValues = []Value{
		{"vip", "VIP", "vip"}, {"major", "重要", "major"}, {"ordinary", "普通", "ordinary"}, {"small", "小", "small"},
	}
	RecordKindValues = []Value{
		{"routine", "常规维护", "routine"}, {"greeting", "问候", "greeting"}, {"invitation", "邀约", "invitation"},
		{"service", "服务", "service"}, {"complaint", "客诉", "complaint"}, {"recall", "召回", "recall"},
		{"other", "其他", "other"},
	}
	RecordChannelValues = []Value{
		{"phone", "电话", "phone"}, {"sms", "短信", "sms"}, {"wechat", "微信", "wechat"},
		{"visit", "面谈", "visit"}, {"email", "邮件", "email"}, {"other", "其他", "other"},
	}
	SaleChannelValues = []Value{
		{"online", "线上", "online"}, {"offline", "线下", "offline"},
	}
	ServiceKindValues = []Value{
		{"online", "线上", "online"}, {"offline", "线下", "offline"}, {"after_sales", "售后", "after_sales"},
	}
	ServiceStatusValues = []Value{
		{"open", "待办", "open"}, {"done", "完成", "done"},
	}
	YesNoValues = []Value{
		{"yes", "是", "yes"}, {"no", "否", "no"},
	}
)

// valueText shows key in l; a key the table lacks is shown as it is.
func valueText(vs []Value, key string, l Lang) string {
	for i := range vs {
		if vs[i].Key == key {
			if l.en() {
				return vs[i].En
			}
			return vs[i].Zh
		}
	}
	return key
}

// ListSeparator joins several phones, tags or important dates in one cell.
const ListSeparator = "; "
