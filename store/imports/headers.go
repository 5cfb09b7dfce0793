// Package imports maps the tables an import reads (crm.ImportTable: a sheet, a CSV file, a vCard
// file) to the book's fields and converts their rows into customers, purchases and maintenance
// records with a per-row report (crm.ImportBatch), PRODUCT.md §5 "Import". It is pure: no files,
// no database. The readers produce the tables; store.Import links and writes the batch.
//
// Mapping: a column's Field is a column key of store/xlsx's tables (xlsx.Column.Key), or
//   - "" (no field): a customer column kept in the customer's notes as "header: value" lines; a
//     column of any other kind ignored;
//   - FieldIgnore ("-"): ignored silently, whatever the kind: the derived customer columns that
//     the export writes (阶段, 流失状态, RFM分群, 建议等级, 最近联系, 最近消费) and row numbers (序号).
//
// Purchases also take a "phone" field (the customer's phone, to link the row), which the
// 消费记录 sheet does not have.
package imports

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"carebook/crm"
	"carebook/store/xlsx"
)

// FieldIgnore is the Field of a column that is ignored silently: not imported, not kept in notes.
const FieldIgnore = crm.ImportFieldIgnore

// fieldPhone is the phone column of customers and records, and the extra linking column of
// purchases.
const fieldPhone = "phone"

// Synonyms of the headers, per kind, beyond the canonical Chinese and English headers of the
// kind's sheet (which always win). Written as people write them; they are normalised like the
// headers (normalizeHeader) when the tables are built.
var (
	customerSynonyms = map[string][]string{
		"code": {"客户编号", "顾客编号", "会员编号", "会员号", "会员卡号", "卡号", "编码", "客户编码", "客户代码", "客户号",
			"编号ID", "ID", "Customer code", "Customer ID", "Client code", "Client ID", "Member ID", "Member no",
			"客戶編號", "編號"},
		"name": {"客户姓名", "顾客姓名", "客户名称", "顾客名称", "客户名", "顾客名", "客户", "顾客", "名字", "名称", "联系人",
			"联系人姓名", "会员姓名", "会员名称", "全名", "Full name", "Customer name", "Customer", "Client",
			"Client name", "Contact", "Contact name", "客戶姓名", "客戶名稱", "聯絡人", "聯繫人"},
		"remark": {"备注名称", "昵称", "称呼", "别名", "Nickname", "Alias", "Display name", "備註名", "暱稱"},
		"gender": {"性別", "Sex"},
		"phone": {"手机号", "手机号码", "电话", "电话号码", "联系电话", "移动电话", "联系方式", "联系手机", "手机/电话",
			"电话/手机", "座机", "固话", "固定电话", "办公电话", "Phones", "Mobile", "Mobile phone", "Mobile number",
			"Cell", "Cellphone", "Cell phone", "Tel", "Telephone", "Phone number", "Phone no", "Contact number",
			"手機", "手機號", "手機號碼", "電話", "電話號碼", "聯絡電話", "聯繫電話"},
		"wechat":  {"微信号", "微信ID", "微信账号", "微信名", "Wechat ID", "Weixin", "WX", "微信號"},
		"email":   {"电子邮箱", "电子邮件", "邮件", "邮箱地址", "E-mail", "Mail", "Email address", "郵箱", "電子郵件"},
		"address": {"住址", "联系地址", "家庭地址", "家庭住址", "通讯地址", "收货地址", "详细地址", "Addr", "Home address", "地點", "地址"},
		"company": {"单位", "公司名称", "工作单位", "企业", "企业名称", "单位名称", "Company name", "Organization",
			"Organisation", "Org", "Employer", "公司名稱", "單位"},
		"title":  {"职位", "岗位", "职称", "头衔", "Job title", "Position", "Role", "職務", "職位", "職稱"},
		"source": {"客户来源", "顾客来源", "来源渠道", "获客渠道", "Lead source", "Referral", "來源"},
		"birthday": {"出生日期", "出生年月", "出生年月日", "生辰", "公历生日", "阳历生日", "农历生日", "阴历生日",
			"Birth date", "Birthdate", "Date of birth", "DOB", "Bday", "出生日期"},
		"dates":        {"重要日期", "重要日子", "纪念日期", "Anniversary", "Anniversaries", "Key dates", "紀念日"},
		"needs":        {"直接需求", "客户需求", "顾客需求", "Need", "需要"},
		"latent_needs": {"潜在需要", "Latent need", "Potential needs", "潛在需求"},
		"preferences":  {"爱好", "兴趣爱好", "偏好", "喜好偏好", "Likes", "Hobbies", "Preference", "愛好"},
		"interests":    {"关注", "最近关注", "关注点", "Interests", "Recent interest"},
		"tier": {"客户等级", "顾客等级", "会员等级", "级别", "客户级别", "分级", "客户分级", "Level", "Grade",
			"Customer tier", "VIP level", "等級", "客戶等級"},
		"tags": {"分组", "分组标签", "分类", "客户分类", "标记", "群组", "Tag", "Groups", "Group", "Labels", "Label",
			"Category", "Categories", "標籤", "分組"},
		"do_not_disturb": {"勿扰", "不打扰", "请勿打扰", "DND", "No contact", "Do not contact"},
		"knowing":        {"了解度", "了解", "Knowing level"},
		"closeness":      {"亲密度", "亲密", "Intimacy"},
		"loyalty":        {"忠诚度", "忠诚", "Loyalty level"},
		"notes": {"说明", "附注", "备忘", "备注信息", "其他信息", "Note", "Remarks", "Comment", "Comments", "Memo",
			"備註", "備忘"},
		"created": {"建档时间", "创建日期", "创建时间", "注册日期", "注册时间", "入会日期", "加入日期", "登记日期", "录入日期",
			"首次建档", "Created at", "Created date", "Date created", "Creation date", "Registered",
			"Registration date", "Join date", "Joined", "Since", "建檔日期"},
		FieldIgnore: {"序号", "行号", "#", "No", "No.", "Row", "序號"},
	}
	linkSynonyms = map[string][]string{
		"customer_code": {"客户编号", "编号", "会员编号", "会员号", "卡号", "客户编码", "Code", "Customer ID", "Client code",
			"Client ID", "客戶編號"},
		"customer": {"客户", "姓名", "客户姓名", "顾客姓名", "客户名称", "名字", "Name", "Customer name", "Client", "客戶"},
		fieldPhone: {"手机", "手机号", "手机号码", "电话号码", "联系电话", "移动电话", "顾客电话", "客户电话", "Mobile",
			"Tel", "Telephone", "Phone number", "Cell", "手機", "電話"},
		FieldIgnore: {"序号", "行号", "#", "No", "No.", "序號"},
	}
	purchaseSynonyms = map[string][]string{
		"date": {"消费日期", "购买日期", "下单日期", "交易日期", "销售日期", "成交日期", "时间", "消费时间", "购买时间",
			"Purchase date", "Order date", "Sale date", "Time", "消費日期"},
		"amount": {"消费金额", "购买金额", "实付金额", "实付", "实收", "总额", "合计", "价格", "总价", "销售额", "成交金额",
			"Total", "Price", "Sum", "Paid", "金額", "消費金額"},
		"items": {"商品名称", "产品", "产品名称", "品名", "购买商品", "消费内容", "项目", "明细", "货品", "Item", "Product",
			"Products", "Goods", "Description", "產品"},
		"channel": {"销售渠道", "购买渠道", "消费渠道", "Sales channel", "通路"},
	}
	recordSynonyms = map[string][]string{
		"date": {"时间", "日期时间", "维护日期", "维护时间", "联系日期", "联系时间", "回访日期", "回访时间", "跟进日期",
			"跟进时间", "Time", "Date time", "Datetime", "Contact date", "When"},
		"kind":      {"维护类型", "类别", "回访类型", "Type", "類型"},
		"channel":   {"维护方式", "联系方式", "沟通方式", "回访方式", "渠道", "Method", "Via", "方式"},
		"content":   {"内容", "联系内容", "沟通内容", "回访内容", "跟进内容", "维护记录", "Contents", "維護內容", "內容"},
		"feedback":  {"客户反馈", "反馈", "顾客回复", "客户回复", "Response", "Reply", "顧客反饋", "客戶反饋"},
		"next_step": {"下一步", "下步计划", "后续计划", "下次跟进", "Next steps", "Next action", "Plan"},
		"next_date": {"下次联系日期", "下次时间", "下次回访日期", "下次回访", "下次跟进日期", "Next contact", "Follow-up date",
			"Next follow-up"},
	}
)

// headerTable maps a normalised header to a field.
type headerTable map[string]string

// headerTables are the tables per kind, built at init from store/xlsx's columns and the
// synonyms above.
var headerTables = map[crm.ImportKind]headerTable{
	crm.ImportCustomers: buildTable(importableCustomerColumns(), derivedCustomerColumns(), customerSynonyms),
	crm.ImportPurchases: buildTable(purchaseFields(), nil, linkSynonyms, purchaseSynonyms),
	crm.ImportRecords:   buildTable(xlsx.RecordColumns, nil, linkSynonyms, recordSynonyms),
}

// importableCustomerColumns are the columns of the 顾客 sheet that an import reads.
func importableCustomerColumns() []xlsx.Column {
	return xlsx.CustomerColumns[:len(xlsx.CustomerColumns)-xlsx.DerivedCustomerColumns]
}

// derivedCustomerColumns are the derived columns of the 顾客 sheet, which an import ignores.
func derivedCustomerColumns() []xlsx.Column {
	return xlsx.CustomerColumns[len(xlsx.CustomerColumns)-xlsx.DerivedCustomerColumns:]
}

// purchaseFields are the columns of the 消费记录 sheet with the phone (to link the purchase to
// its customer) after the customer.
func purchaseFields() []xlsx.Column {
	var cs []xlsx.Column
	for _, c := range xlsx.PurchaseColumns {
		cs = append(cs, c)
		if c.Key == "customer" {
			for _, r := range xlsx.RecordColumns {
				if r.Key == fieldPhone {
					cs = append(cs, r)
				}
			}
		}
	}
	return cs
}

// buildTable builds a header table: the canonical headers of cols first, the ignored columns,
// then the synonyms, which never override a canonical header. Two synonyms of different fields
// that normalise alike are a programming error.
func buildTable(cols, ignored []xlsx.Column, synonyms ...map[string][]string) headerTable {
	t := headerTable{}
	canonical := map[string]bool{}
	for _, c := range cols {
		for _, h := range []string{c.Zh, c.En} {
			n := normalizeHeader(h)
			if f, ok := t[n]; ok && f != c.Key {
				panic(fmt.Sprintf("imports: header %q of %s and %s", h, f, c.Key))
			}
			t[n], canonical[n] = c.Key, true
		}
	}
	for _, c := range ignored {
		for _, h := range []string{c.Zh, c.En} {
			n := normalizeHeader(h)
			if !canonical[n] {
				t[n], canonical[n] = FieldIgnore, true
			}
		}
	}
	for _, syn := range synonyms {
		for field, hs := range syn {
			for _, h := range hs {
				n := normalizeHeader(h)
				if canonical[n] {
					continue
				}
				if f, ok := t[n]; ok && f != field {
					panic(fmt.Sprintf("imports: synonym %q of %s and %s", h, f, field))
				}
				t[n] = field
			}
		}
	}
	return t
}

// fieldsByKind are the columns a column of each kind may be mapped to, in sheet order.
var fieldsByKind = map[crm.ImportKind][]xlsx.Column{
	crm.ImportCustomers:  importableCustomerColumns(),
	crm.ImportPurchases:  purchaseFields(),
	crm.ImportRecords:    xlsx.RecordColumns,
	crm.ImportServices:   xlsx.ServiceColumns,
	crm.ImportComplaints: xlsx.ComplaintColumns,
	crm.ImportEvents:     xlsx.EventColumns,
}

// Fields returns the fields a column of kind may be mapped to, in sheet order, each with its
// header in lang, for the preview's drop-downs: the key in Field, the header in Header. The
// choices "" (customers: keep in notes; other kinds: ignore) and FieldIgnore are not listed: the
// UI adds them. ImportSkip and unknown kinds have none.
func Fields(kind crm.ImportKind, lang xlsx.Lang) []crm.ImportColumn {
	cols := fieldsByKind[kind]
	if len(cols) == 0 {
		return nil
	}
	out := make([]crm.ImportColumn, len(cols))
	for i, c := range cols {
		out[i] = crm.ImportColumn{Field: c.Key, Header: c.Header(lang)}
	}
	return out
}

// multiFields are the customer fields that several columns may fill (their values are joined).
var multiFields = map[string]bool{fieldPhone: true, "tags": true, "dates": true}

// MatchHeader returns the field of a column of kind headed header: a column key of store/xlsx's
// tables, FieldIgnore, or "" when the header is not known. Matching normalises the header
// (normalizeHeader), then tries it without a trailing bracketed note ("金额(元)") and without a
// leading 客户/顾客/会员/customer/client ("客户微信").
func MatchHeader(kind crm.ImportKind, header string) string {
	t := headerTables[kind]
	if t == nil {
		return ""
	}
	n := normalizeHeader(header)
	if n == "" {
		return ""
	}
	if f, ok := t[n]; ok {
		return f
	}
	if m, ok := cutBracketSuffix(n); ok {
		if f, ok := t[m]; ok {
			return f
		}
		n = m
	}
	for _, p := range []string{"客户", "顾客", "会员", "customer", "client", "客戶", "顧客"} {
		if rest, ok := strings.CutPrefix(n, p); ok && rest != "" {
			if f, ok := t[rest]; ok && f != FieldIgnore {
				return f
			}
		}
	}
	return ""
}

// decorations are bracketed notes dropped from headers: "姓名（必填）", "手机[必填]".
var decorations = []string{"(必填)", "(选填)", "(可选)", "(非必填)", "(required)", "(optional)", "(*)",
	"[必填]", "[选填]", "[可选]", "[required]", "[optional]", "[*]"}

// normalizeHeader folds a header for matching: full-width forms to half-width, 【】 to [],
// lower case, then drops decorations such as "(必填)", white space and the characters * : _ - .
// · ※ ★ ☆ and NUL. It is idempotent.
func normalizeHeader(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		r = foldRune(r)
		switch r {
		case '*', ':', '_', '-', '.', '·', '※', '★', '☆', '\uFEFF', 0, utf8.RuneError:
			continue
		}
		if unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	out := b.String()
	for changed := true; changed; {
		changed = false
		for _, d := range decorations {
			if strings.Contains(out, d) {
				out, changed = strings.ReplaceAll(out, d, ""), true
			}
		}
	}
	return out
}

// foldRune maps a full-width form (U+FF01…U+FF5E) and the ideographic space to its ASCII
// counterpart, and 【】 to [].
func foldRune(r rune) rune {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E:
		return r - 0xFEE0
	case r == 0x3000:
		return ' '
	case r == '【':
		return '['
	case r == '】':
		return ']'
	}
	return r
}

// cutBracketSuffix cuts a trailing "(…)" or "[…]" from a normalised header: "金额(元)" → "金额".
func cutBracketSuffix(n string) (string, bool) {
	for _, p := range [][2]string{{"(", ")"}, {"[", "]"}} {
		if strings.HasSuffix(n, p[1]) {
			if i := strings.LastIndex(n, p[0]); i > 0 {
				return n[:i], true
			}
		}
	}
	return n, false
}

// sheetKinds maps normalised sheet names to kinds; names not listed are guessed from headers.
var sheetKinds = func() map[string]crm.ImportKind {
	m := map[string]crm.ImportKind{}
	add := func(k crm.ImportKind, names ...string) {
		for _, n := range names {
			m[normalizeHeader(n)] = k
		}
	}
	for _, s := range xlsx.Sheets {
		k := crm.ImportSkip
		switch s.Key {
		case xlsx.SheetCustomers:
			k = crm.ImportCustomers
		case xlsx.SheetPurchases:
			k = crm.ImportPurchases
		case xlsx.SheetRecords:
			k = crm.ImportRecords
		case xlsx.SheetServices:
			k = crm.ImportServices
		case xlsx.SheetComplaints:
			k = crm.ImportComplaints
		case xlsx.SheetEvents:
			k = crm.ImportEvents
		}
		add(k, s.Zh, s.En)
	}
	add(crm.ImportCustomers, "客户", "顾客信息", "客户信息", "顾客资料", "客户资料", "顾客名单", "客户名单", "客户列表",
		"顾客列表", "顾客信息卡", "客户信息表", "顾客信息表", "客户表", "会员", "会员信息", "会员资料", "通讯录", "联系人",
		"Customer", "Clients", "Contacts", "Customer list", "Members", "顧客", "客戶", "客戶資料")
	add(crm.ImportPurchases, "消费", "消费明细", "购买记录", "销售记录", "订单", "订单记录", "交易记录", "Purchase",
		"Sales", "Orders", "Purchase history", "消費記錄")
	add(crm.ImportRecords, "顾客维护记录", "顾客维护记录表", "维护记录表", "回访记录", "跟进记录", "联系记录", "沟通记录",
		"Maintenance", "Records", "Log", "Follow-ups", "Contact log", "維護記錄")
	add(crm.ImportServices, "服务记录", "服务预约", "售后", "售后服务", "Service", "Service appointments", "Appointments", "服務")
	add(crm.ImportComplaints, "投诉", "投诉记录", "客诉记录", "客诉处理", "Complaint", "客訴", "投訴")
	add(crm.ImportEvents, "邀约", "邀约记录", "活动邀约", "Event", "Invitations", "Event invitations", "活動")
	add(crm.ImportSkip, "汇总", "統計")
	return m
}()

// Guess guesses how table t is read: its kind from the sheet name (a continued part such as
// "维护记录 (2)" like its first), else from the headers — a column of content (维护内容) makes a
// maintenance log, a date and an amount a list of purchases, an event and its date a list of
// events and invitations, a received date and a description complaints, a date, a title and a
// status services, a name or a phone a list of customers; a table whose headers say nothing is
// skipped — and a field per column
// (MatchHeader). A field that takes one column is given to the first column that matches it;
// later ones get "" (customers: kept in notes). Phones, tags and important dates may come from
// several columns.
func Guess(t *crm.ImportTable) crm.ImportMapping {
	if t == nil {
		return crm.ImportMapping{}
	}
	base, _ := xlsx.SplitPartName(strings.TrimSpace(t.Sheet))
	kind, known := sheetKinds[normalizeHeader(base)]
	if !known {
		kind = guessKind(t.Header)
	}
	return GuessAs(t, kind)
}

// GuessAs is Guess for a table whose kind is known (the user chose it in the preview): a field
// per column of t, as Guess gives them.
func GuessAs(t *crm.ImportTable, kind crm.ImportKind) crm.ImportMapping {
	if t == nil {
		return crm.ImportMapping{Kind: kind}
	}
	m := crm.ImportMapping{Kind: kind, Columns: make([]crm.ImportColumn, len(t.Header))}
	used := map[string]bool{}
	for i, h := range t.Header {
		m.Columns[i].Header = h
		if kind == crm.ImportSkip {
			continue
		}
		f := MatchHeader(kind, h)
		if f != "" && f != FieldIgnore && used[f] && !(kind == crm.ImportCustomers && multiFields[f]) {
			f = ""
		}
		used[f] = true
		m.Columns[i].Field = f
	}
	return m
}

// guessKind guesses the kind of a table that its name does not tell from its headers.
func guessKind(header []string) crm.ImportKind {
	has := func(kind crm.ImportKind, fields ...string) bool {
		for _, f := range fields {
			found := false
			for _, h := range header {
				if MatchHeader(kind, h) == f {
					found = true
					break
				}
			}
			if !found {
				return false
			}
		}
		return true
	}
	switch {
	case has(crm.ImportRecords, "content"):
		return crm.ImportRecords
	case has(crm.ImportPurchases, "date", "amount"):
		return crm.ImportPurchases
	case has(crm.ImportEvents, "event", "event_date"):
		return crm.ImportEvents
	case has(crm.ImportComplaints, "received", "description"):
		return crm.ImportComplaints
	case has(crm.ImportServices, "date", "title", "status"):
		return crm.ImportServices
	case has(crm.ImportCustomers, "name"), has(crm.ImportCustomers, fieldPhone):
		return crm.ImportCustomers
	}
	return crm.ImportSkip
}
