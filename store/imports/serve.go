package imports

import (
	"strconv"
	"strings"

	"carebook/crm"
	"carebook/store/xlsx"
)

// The 服务 (services), 客诉 (complaints) and 活动 (events and invitations) sheets: their headers,
// values and rows (PRODUCT.md §5). Rows are linked to customers like purchases (顾客编号, else a
// phone column) by store.Import, which also matches them against the book so that importing the
// same workbook again adds nothing.

// Translation keys of the problems of these sheets:
//
//	xlsx.serve.audience   "{{.Value}}: write the audience as 标签:…; 等级:…; 阶段:…; 分群:…"  Value
const keyAudience = "xlsx.serve.audience"

var (
	serviceSynonyms = map[string][]string{
		"date":      {"服务日期", "预约日期", "预约时间", "服务时间", "Service date", "Appointment date", "Appointment", "When"},
		"kind":      {"服务类型", "类别", "Type", "Service type", "類型"},
		"title":     {"服务事项", "服务内容", "服务项目", "内容", "项目", "Subject", "Item", "Service", "事項"},
		"status":    {"服务状态", "进度", "State", "狀態"},
		"done_date": {"完成时间", "完成日", "Completed", "Completed on", "Done on", "Done"},
		"notes":     {"说明", "Note", "Remarks", "Comment", "備註"},
	}
	complaintSynonyms = map[string][]string{
		"received":       {"受理日期", "投诉日期", "客诉日期", "日期", "收到时间", "Date", "Received on", "Received date", "收到日期"},
		"channel":        {"渠道", "投诉方式", "投诉渠道", "Via", "Method"},
		"category":       {"客诉类别", "投诉类别", "分类", "Type", "類別"},
		"severity":       {"严重性", "程度", "难度", "Level", "嚴重程度"},
		"description":    {"投诉内容", "客诉内容", "问题描述", "内容", "问题", "Complaint", "Details", "Issue", "描述"},
		"listen_note":    {"安抚倾听", "Listen"},
		"empathise_note": {"表示理解", "Empathise", "Empathize"},
		"clarify_note":   {"澄清解释", "Clarify"},
		"agree_note":     {"解决共识", "Agree", "Agree a solution"},
		"follow_up_note": {"跟进回访", "回访", "回访记录", "Follow up", "Follow-up"},
		"follow_up_date": {"回访日期", "跟进日期"},
		"resolution":     {"解决方案", "处理方案", "处理结果说明", "Outcome", "Result", "處理結果"},
		"satisfaction":   {"满意程度", "满意度评分", "Rating", "Score", "滿意度"},
		"closed":         {"结案时间", "关闭日期", "结束日期", "Closed on", "Closed date", "結案日期"},
	}
	eventSynonyms = map[string][]string{
		"event":       {"活动名称", "活动名", "Event name", "活動"},
		"event_date":  {"日期", "Date", "活动时间", "活動日期"},
		"purpose":     {"目的", "Goal", "邀約目的"},
		"script":      {"话术", "邀请话术", "Script text", "邀約話術"},
		"audience":    {"邀约对象", "目标顾客", "目标客户", "对象范围", "Target", "Targets", "對象"},
		"window_days": {"邀约窗口", "提前天数", "提前邀约天数", "Window", "Invite window", "Window days"},
		"event_notes": {"Event note", "活動備註"},
		"status":      {"状态", "Status", "邀約狀態"},
		"invited":     {"邀约时间", "Invited", "Invitation date", "Invited date", "邀約日期"},
		"note":        {"邀约备注", "说明", "Note", "Remarks", "備註"},
	}
)

// withPhone is cols with the phone column (to link the row to its customer, as purchases) after
// the customer.
func withPhone(cols []xlsx.Column) []xlsx.Column {
	var out []xlsx.Column
	for _, c := range cols {
		out = append(out, c)
		if c.Key == "customer" {
			for _, r := range xlsx.RecordColumns {
				if r.Key == fieldPhone {
					out = append(out, r)
				}
			}
		}
	}
	return out
}

func init() {
	for _, k := range []struct {
		kind crm.ImportKind
		cols []xlsx.Column
		syn  map[string][]string
	}{
		{crm.ImportServices, xlsx.ServiceColumns, serviceSynonyms},
		{crm.ImportComplaints, xlsx.ComplaintColumns, complaintSynonyms},
		{crm.ImportEvents, xlsx.EventColumns, eventSynonyms},
	} {
		cols := withPhone(k.cols)
		headerTables[k.kind] = buildTable(cols, nil, linkSynonyms, k.syn)
		fieldsByKind[k.kind] = cols
	}
}

// Value tables of these sheets, with the synonyms people write.
var (
	serviceKindTable = newValueTable(xlsx.ServiceKindValues, map[string][]string{
		"online":      {"线上服务", "网上", "远程", "Remote", "Online service"},
		"offline":     {"线下服务", "到店", "上门", "门店", "In store", "Offline service"},
		"after_sales": {"售后服务", "维修", "退换", "After sales", "After-sales", "Aftersales", "Repair"},
	})
	serviceStatusTable = newValueTable(xlsx.ServiceStatusValues, map[string][]string{
		"open": {"待办", "未完成", "进行中", "待处理", "待服务", "Pending", "To do", "Todo", "Planned"},
		"done": {"已完成", "完成了", "已服务", "Completed", "Finished", "Closed"},
	})
	categoryTable = newValueTable(xlsx.ComplaintCategoryValues, map[string][]string{
		"urgent":    {"紧急客诉", "加急", "Urgent complaint"},
		"batch":     {"批量客诉", "群体", "Bulk"},
		"difficult": {"疑难客诉", "难缠", "Hard"},
		"malicious": {"恶意客诉", "恶意投诉", "Bad faith"},
	})
	severityTable = newValueTable(xlsx.SeverityValues, map[string][]string{
		"simple":  {"轻微", "简单客诉", "Easy", "Low"},
		"general": {"普通", "中等", "Normal", "Medium"},
		"complex": {"严重", "复杂客诉", "Hard", "High", "Complicated"},
	})
	invitationTable = newValueTable(xlsx.InvitationStatusValues, map[string][]string{
		"invited":  {"邀约", "已邀请", "已邀", "Invite"},
		"accepted": {"接受", "答应", "确认参加", "Yes", "Confirmed"},
		"declined": {"拒绝", "不来", "婉拒", "No", "Refused"},
		"attended": {"到场", "已到", "出席", "已参加", "Came", "Present"},
		"no_show":  {"未到", "爽约", "缺席", "No show", "No-show", "Absent"},
	})
	stageTable   = newValueTable(xlsx.StageValues, map[string][]string{"long_term": {"Long-term", "长期顾客"}, "half_lost": {"Half-lost"}})
	segmentTable = newValueTable(xlsx.SegmentValues, nil)
	partTable    = newValueTable(xlsx.AudienceParts, map[string][]string{
		"tags":     {"tag", "标记", "分组", "標籤"},
		"tiers":    {"tier", "等級", "级别"},
		"stages":   {"stage", "生命周期", "階段"},
		"segments": {"segment", "rfm", "rfm分群", "RFM segment"},
	})
	everyoneTexts = newValueTable([]xlsx.Value{xlsx.AudienceEveryone}, map[string][]string{
		"everyone": {"所有人", "全部", "全部顾客", "不限", "all", "anyone", "所有顧客"},
	})
)

// enum reads a coded value of table into *dst: a blank cell leaves it; an unknown text is a
// problem "err.choice".
func enum(t valueTable, dst *string, probs *problems, header, text string) {
	if isBlank(text) || *dst != "" {
		return
	}
	v, ok := t.lookup(text)
	if !ok {
		probs.add(header, "err.choice", value(text))
		return
	}
	*dst = v
}

// dateField reads an optional date cell into *dst (once).
func dateField(dst *crm.Date, probs *problems, header string, cell crm.ImportCell) {
	if *dst != 0 || isBlank(cellText(cell)) && cell.Kind == crm.CellText {
		return
	}
	d, err := ParseDateCell(cell)
	if err != nil {
		probs.add(header, keyDate, value(cellText(cell)))
		return
	}
	*dst = d
}

// setOnce sets *dst to text when it is empty.
func setOnce(dst *string, text string) {
	if *dst == "" {
		*dst = text
	}
}

// fieldErrors maps validation errors to the row's columns: fields renames a validation field
// (its part before "[") to a column key; a choice error on an empty value says "required".
func fieldErrors(p *plan, es crm.Errors, fields func(string) string) problems {
	var out problems
	for _, fe := range es {
		if fe.Field == "customer" || fe.Field == "event" { // linked by the store
			continue
		}
		if fe.Key == "err.choice" && fe.Args["Value"] == "" {
			fe.Key, fe.Args = "err.required", nil
		}
		fe.Field = p.header(fields(fe.Field))
		out = append(out, fe)
	}
	return out
}

func sameField(f string) string { return f }

// service converts a row of the 服务 sheet.
func (cv *converter) service(p *plan, ti int, row *crm.ImportRow) (crm.ImportService, crm.ImportRowResult) {
	var probs problems
	code, phone, name := link(p, row, &probs)
	var v crm.Service
	var kind, status string
	for i := range row.Cells {
		cell := row.Cells[i]
		header, text := p.headers[i], cellText(cell)
		switch p.fields[i] {
		case "date":
			dateField(&v.Date, &probs, header, cell)
		case "kind":
			enum(serviceKindTable, &kind, &probs, header, text)
		case "title":
			setOnce(&v.Title, text)
		case "status":
			enum(serviceStatusTable, &status, &probs, header, text)
		case "done_date":
			dateField(&v.DoneDate, &probs, header, cell)
		case "notes":
			setOnce(&v.Notes, text)
		}
	}
	v.Kind, v.Status = crm.ServiceKind(kind), crm.ServiceStatus(status)
	if v.Status == "" && v.DoneDate != 0 {
		v.Status = crm.ServiceDone
	}
	if v.Status == crm.ServiceDone && v.DoneDate == 0 {
		v.DoneDate = cv.today // done, the sheet does not say when: today
	}
	crm.NormalizeService(&v)
	if len(probs) == 0 {
		v.CustomerID = 1 // linked by the store
		probs = append(probs, fieldErrors(p, crm.ValidateService(&v), sameField)...)
		v.CustomerID = 0
	}
	res := crm.ImportRowResult{Table: ti, Line: row.Line, Code: code, Name: name, Action: crm.ImportCreate}
	if len(probs) > 0 {
		res.Action, res.Problems = crm.ImportSkipRow, probs
	}
	return crm.ImportService{CustomerCode: code, Phone: phone, Service: v}, res
}

// stepColumn is the step and part (date or note) of a complaint column key.
func stepColumn(field string) (crm.ComplaintStepKind, bool, bool) {
	for _, k := range crm.ComplaintSteps {
		switch field {
		case xlsx.StepDateKey(k):
			return k, true, true
		case xlsx.StepNoteKey(k):
			return k, false, true
		}
	}
	return "", false, false
}

// complaintFields maps crm.ValidateComplaint's fields to columns; steps map to their date or
// note column by the step's kind.
func complaintFields(steps []crm.ComplaintStep) func(string) string {
	return func(f string) string {
		if f == "steps" {
			return xlsx.StepNoteKey(crm.StepFollowUp)
		}
		rest, ok := strings.CutPrefix(f, "steps[")
		if !ok {
			return f
		}
		idx, part, _ := strings.Cut(rest, "].")
		i, err := strconv.Atoi(idx)
		if err != nil || i < 0 || i >= len(steps) {
			return f
		}
		if part == "date" {
			return xlsx.StepDateKey(steps[i].Step)
		}
		return xlsx.StepNoteKey(steps[i].Step)
	}
}

// stepEntries reads the date and note cells of one step: the date cell's entry with the note
// cell's first lines, then one entry per line starting with a date in brackets ("[2026-11-25]
// 回访：满意"), as xlsx.StepCells writes them.
func stepEntries(k crm.ComplaintStepKind, date crm.Date, note string) []crm.ComplaintStep {
	var out []crm.ComplaintStep
	cur := crm.ComplaintStep{Step: k, Date: date}
	var lines []string
	started := date != 0
	flush := func() {
		cur.Note = strings.TrimSpace(strings.Join(lines, "\n"))
		if started || cur.Note != "" {
			out = append(out, cur)
		}
		lines = nil
	}
	for line := range strings.SplitSeq(strings.ReplaceAll(note, "\r\n", "\n"), "\n") {
		if d, rest, ok := entryStart(line); ok {
			flush()
			cur, started = crm.ComplaintStep{Step: k, Date: d}, true
			lines = append(lines, rest)
			continue
		}
		lines = append(lines, line)
	}
	flush()
	return out
}

// entryStart reads a line "[2026-11-25] note" (also 【2026-11-25】): its date and the rest.
func entryStart(line string) (crm.Date, string, bool) {
	t := foldText(line)
	if !strings.HasPrefix(t, "[") {
		return 0, "", false
	}
	inner, rest, ok := strings.Cut(t[1:], "]")
	if !ok {
		return 0, "", false
	}
	d, err := ParseDateCell(crm.ImportCell{Text: inner})
	if err != nil || d == 0 {
		return 0, "", false
	}
	return d, strings.TrimSpace(rest), true
}

// complaint converts a row of the 客诉 sheet.
func (cv *converter) complaint(p *plan, ti int, row *crm.ImportRow) (crm.ImportComplaint, crm.ImportRowResult) {
	var probs problems
	code, phone, name := link(p, row, &probs)
	var c crm.Complaint
	var channel, category, severity string
	satSet := false
	stepDate := map[crm.ComplaintStepKind]crm.Date{}
	stepNote := map[crm.ComplaintStepKind]string{}
	for i := range row.Cells {
		cell := row.Cells[i]
		field, header, text := p.fields[i], p.headers[i], cellText(cell)
		switch field {
		case "received":
			dateField(&c.Received, &probs, header, cell)
		case "channel":
			if isBlank(text) || channel != "" {
				continue
			}
			v, ok := recordChannelTable.lookup(text)
			if !ok {
				probs.add(header, "err.channel", value(text))
				continue
			}
			channel = v
		case "category":
			enum(categoryTable, &category, &probs, header, text)
		case "severity":
			enum(severityTable, &severity, &probs, header, text)
		case "description":
			setOnce(&c.Description, text)
		case "resolution":
			setOnce(&c.Resolution, text)
		case "satisfaction":
			if satSet {
				continue
			}
			n, ok := parseScale(cell)
			if !ok {
				probs.add(header, "err.number", value(text))
				continue
			}
			c.Satisfaction, satSet = n, n != 0
		case "closed":
			dateField(&c.Closed, &probs, header, cell)
		default:
			k, isDate, ok := stepColumn(field)
			switch {
			case !ok:
			case isDate:
				d := stepDate[k]
				dateField(&d, &probs, header, cell)
				stepDate[k] = d
			default:
				if stepNote[k] == "" {
					stepNote[k] = text
				}
			}
		}
	}
	for _, k := range crm.ComplaintSteps {
		c.Steps = append(c.Steps, stepEntries(k, stepDate[k], stepNote[k])...)
	}
	c.Channel, c.Category, c.Severity = crm.Channel(channel), crm.ComplaintCategory(category), crm.Severity(severity)
	crm.NormalizeComplaint(&c)
	if len(probs) == 0 {
		c.CustomerID = 1 // linked by the store
		probs = append(probs, fieldErrors(p, crm.ValidateComplaint(&c), complaintFields(c.Steps))...)
		c.CustomerID = 0
	}
	res := crm.ImportRowResult{Table: ti, Line: row.Line, Code: code, Name: name, Action: crm.ImportCreate}
	if len(probs) > 0 {
		res.Action, res.Problems = crm.ImportSkipRow, probs
	}
	return crm.ImportComplaint{CustomerCode: code, Phone: phone, Complaint: c}, res
}

// parseAudience reads the 对象 cell: "标签:老客,新客; 等级:VIP,重要; 阶段:回购; 分群:重要价值" (lists
// separated by ; or ；or new lines, values by , ，or 、), or a text meaning everyone, or blank.
func parseAudience(text string) (crm.Audience, bool) {
	var a crm.Audience
	t := foldText(text)
	if isBlank(t) {
		return a, true
	}
	if _, ok := everyoneTexts.lookup(t); ok {
		return a, true
	}
	for _, part := range strings.FieldsFunc(t, func(r rune) bool { return r == ';' || r == '；' || r == '\n' }) {
		label, list, ok := strings.Cut(part, ":")
		if !ok {
			return crm.Audience{}, false
		}
		kind, ok := partTable.lookup(strings.TrimSpace(label))
		if !ok {
			return crm.Audience{}, false
		}
		for _, v := range strings.FieldsFunc(list, func(r rune) bool { return r == ',' || r == '，' || r == '、' }) {
			if v = strings.TrimSpace(v); v == "" {
				continue
			}
			switch kind {
			case "tags":
				a.Tags = append(a.Tags, v)
			case "tiers":
				x, ok := tierTable.lookup(v)
				if !ok {
					return crm.Audience{}, false
				}
				a.Tiers = append(a.Tiers, crm.Tier(x))
			case "stages":
				x, ok := stageTable.lookup(v)
				if !ok {
					return crm.Audience{}, false
				}
				a.Stages = append(a.Stages, crm.Stage(x))
			case "segments":
				x, ok := segmentTable.lookup(v)
				if !ok {
					return crm.Audience{}, false
				}
				a.Segments = append(a.Segments, crm.Segment(x))
			}
		}
	}
	return a, true
}

// eventFields maps crm.ValidateEvent's and crm.ValidateInvitation's fields to columns.
func eventFields(invitation bool) func(string) string {
	return func(f string) string {
		base, _, _ := strings.Cut(f, "[")
		switch {
		case invitation && f == "date":
			return "invited"
		case invitation:
			return f
		case base == "tags" || base == "tiers" || base == "stages" || base == "segments":
			return "audience"
		case f == "name":
			return "event"
		case f == "date":
			return "event_date"
		case f == "notes":
			return "event_notes"
		}
		return f
	}
}

// event converts a row of the 活动 sheet: its event and, when it names a customer, the
// customer's invitation.
func (cv *converter) event(p *plan, ti int, row *crm.ImportRow) (crm.ImportEvent, crm.ImportRowResult) {
	var probs problems
	var e crm.Event
	var v crm.Invitation
	var status string
	windowSet, invited := false, false
	for i := range row.Cells {
		cell := row.Cells[i]
		field, header, text := p.fields[i], p.headers[i], cellText(cell)
		switch field {
		case "event":
			setOnce(&e.Name, text)
		case "event_date":
			dateField(&e.Date, &probs, header, cell)
		case "purpose":
			setOnce(&e.Purpose, text)
		case "script":
			setOnce(&e.Script, text)
		case "audience":
			if !e.Audience.IsEveryone() {
				continue
			}
			a, ok := parseAudience(text)
			if !ok {
				probs.add(header, keyAudience, value(text))
			}
			e.Audience = a
		case "window_days":
			if windowSet || isBlank(text) && cell.Kind == crm.CellText {
				continue
			}
			n, err := strconv.Atoi(foldText(numberText(cell)))
			if err != nil {
				probs.add(header, "err.number", value(text))
				continue
			}
			e.WindowDays, windowSet = n, true
		case "event_notes":
			setOnce(&e.Notes, text)
		case "customer_code", "customer", fieldPhone:
			invited = invited || !isBlank(text)
		case "status":
			invited = invited || !isBlank(text)
			enum(invitationTable, &status, &probs, header, text)
		case "invited":
			invited = invited || !isBlank(text) || cell.Kind != crm.CellText
			dateField(&v.Date, &probs, header, cell)
		case "note":
			invited = invited || text != ""
			setOnce(&v.Note, text)
		}
	}
	if !windowSet {
		e.WindowDays = crm.DefaultInviteWindow
	}
	var code, phone, name string
	if invited {
		code, phone, name = link(p, row, &probs)
	}
	crm.NormalizeEvent(&e)
	if invited {
		v.Status = crm.InvitationStatus(status)
		crm.NormalizeInvitation(&v)
	} else {
		v = crm.Invitation{}
	}
	if len(probs) == 0 {
		probs = append(probs, fieldErrors(p, crm.ValidateEvent(&e), eventFields(false))...)
		if invited {
			v.EventID, v.CustomerID = 1, 1 // linked by the store
			probs = append(probs, fieldErrors(p, crm.ValidateInvitation(&v), eventFields(true))...)
			v.EventID, v.CustomerID = 0, 0
		}
	}
	res := crm.ImportRowResult{Table: ti, Line: row.Line, Code: code, Name: name, Action: crm.ImportCreate}
	if !invited {
		res.Name = e.Name
	}
	if len(probs) > 0 {
		res.Action, res.Problems = crm.ImportSkipRow, probs
	}
	return crm.ImportEvent{Event: e, Invited: invited, CustomerCode: code, Phone: phone, Invitation: v}, res
}
