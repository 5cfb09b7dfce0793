package xlsx

import (
	"fmt"
	"strconv"

	"github.com/xuri/excelize/v2"

	"carebook/crm"
)

// The derived columns of 顾客 and the insight tables of 统计 (PRODUCT.md §5, §2).

// Value tables of the derived columns. In English a value is its key, as for the stored ones.
var (
	StageValues = []Value{
		{"prospect", "潜在", "prospect"}, {"new", "新顾客", "new"}, {"repeat", "回购", "repeat"},
		{"long_term", "长期", "long_term"}, {"dormant", "休眠", "dormant"}, {"half_lost", "半流失", "half_lost"},
		{"lost", "完全流失", "lost"},
	}
	ChurnValues = []Value{
		{"active", "活跃", "active"}, {"dormant", "休眠", "dormant"}, {"half_lost", "半流失", "half_lost"},
		{"lost", "完全流失", "lost"},
	}
	SegmentValues = []Value{
		{"important_value", "重要价值", "important_value"}, {"important_develop", "重要发展", "important_develop"},
		{"important_retain", "重要保持", "important_retain"}, {"important_winback", "重要挽留", "important_winback"},
		{"general_value", "一般价值", "general_value"}, {"general_develop", "一般发展", "general_develop"},
		{"general_retain", "一般保持", "general_retain"}, {"general_winback", "一般挽留", "general_winback"},
	}
)

// DerivedCells returns the derived columns 阶段, 流失状态, RFM分群 and 建议等级 of a customer's
// insight in l, as Options.Derive hands them over (empty churn and segment without purchases).
func DerivedCells(l Lang, in crm.Insight) (stage, churn, segment, suggestedTier string) {
	stage = valueText(StageValues, string(in.Stage), l)
	if in.Churn != "" {
		churn = valueText(ChurnValues, string(in.Churn), l)
	}
	if in.Segment != "" {
		segment = valueText(SegmentValues, string(in.Segment), l)
	}
	if in.SuggestedTier != "" {
		suggestedTier = valueText(TierValues, string(in.SuggestedTier), l)
	}
	return stage, churn, segment, suggestedTier
}

// insightLabels are the titles of the insight tables and charts of 统计.
var insightLabels = []Value{
	{"insights_date", "分析日期", "Analysed on"},
	{"customers", "顾客数", "Customers"},
	{"stage", "阶段", "Stage"},
	{"churn", "流失状态", "Churn"},
	{"segment", "RFM分群", "RFM segment"},
	{"tier", "等级", "Tier"},
	{"own_tier", "自定等级", "Own tier"},
	{"suggested_tier", "建议等级", "Suggested tier"},
	{"week", "周", "Week"},
	{"records", "维护记录", "Records"},
	{"contacted", "维护顾客数", "Customers contacted"},
	{"month_end", "月末", "Month end"},
	{"holdings", "顾客保有量", "Customer holdings"},
	{"outcome", "1-3-7回访", "1-3-7 follow-ups"},
	{"items", "回访次数", "Follow-ups"},
	{"on_time", "按时完成", "on time"},
	{"missed", "错过", "missed"},
	{"open", "进行中", "still open"},
	{"on_time_rate", "按时完成率", "On-time rate"},
	{"chart_stages", "顾客生命周期阶段", "Customers by lifecycle stage"},
	{"chart_contacts", "每周维护记录", "Maintenance records per week"},
}

// insightTables writes the tables of st on the summary sheet name from row (1-based) down, in
// columns A–C, and charts of the stages and of the contacts per week beside them.
func (e *exporter) insightTables(name string, st *crm.BookStats, row int) error {
	l := e.lang()
	f := e.f
	label := func(key string) string { return valueText(insightLabels, key, l) }
	cell := func(col string, r int) string { return col + strconv.Itoa(r) }
	set := func(col string, r int, v any, style int) error {
		if err := f.SetCellValue(name, cell(col, r), v); err != nil {
			return err
		}
		if style != 0 {
			return f.SetCellStyle(name, cell(col, r), cell(col, r), style)
		}
		return nil
	}
	if err := f.SetColWidth(name, "C", "C", 14); err != nil {
		return err
	}
	// The day of the analysis, under the export's own figures.
	if err := set("A", row, valueText(insightLabels, "insights_date", l), 0); err != nil {
		return err
	}
	if err := set("B", row, dateCell(st.Date), e.styleDate); err != nil {
		return err
	}
	row += 2

	type table struct {
		key     string   // its first header
		headers []string // the others
		rows    [][]any
		styles  []int // of the first column's cells
	}
	// table writes t from row, returns the range of its first column's values and of each
	// other column's, and moves row below it.
	write := func(t table) (first int, err error) {
		headers := append([]string{label(t.key)}, t.headers...)
		for i, h := range headers {
			col, _ := excelize.ColumnNumberToName(i + 1)
			if err := set(col, row, h, e.styleHeader); err != nil {
				return 0, err
			}
		}
		first = row + 1
		for i, r := range t.rows {
			for j, v := range r {
				col, _ := excelize.ColumnNumberToName(j + 1)
				style := 0
				if j == 0 && i < len(t.styles) {
					style = t.styles[i]
				}
				if err := set(col, first+i, v, style); err != nil {
					return 0, err
				}
			}
		}
		row = first + len(t.rows) + 1
		return first, nil
	}
	counts := func(bars []crm.Bar, values []Value) [][]any {
		out := make([][]any, len(bars))
		for i, b := range bars {
			out[i] = []any{valueText(values, b.Key, l), b.Count}
		}
		return out
	}

	stagesAt, err := write(table{key: "stage", headers: []string{label("customers")}, rows: counts(st.Stages, StageValues)})
	if err != nil {
		return err
	}
	if _, err := write(table{key: "churn", headers: []string{label("customers")}, rows: counts(st.Churn, ChurnValues)}); err != nil {
		return err
	}
	if _, err := write(table{key: "segment", headers: []string{label("customers")}, rows: counts(st.Segments, SegmentValues)}); err != nil {
		return err
	}
	tiers := make([][]any, len(st.Tiers))
	for i, b := range st.Tiers {
		suggested := 0
		if i < len(st.SuggestedTiers) {
			suggested = st.SuggestedTiers[i].Count
		}
		tiers[i] = []any{valueText(TierValues, b.Key, l), b.Count, suggested}
	}
	if _, err := write(table{key: "tier", headers: []string{label("own_tier"), label("suggested_tier")}, rows: tiers}); err != nil {
		return err
	}
	// A week is named by its days, as text: the chart's categories (real dates would put them on
	// a date axis, a column a sliver a week apart).
	weeks := make([][]any, len(st.Contacts))
	for i, b := range st.Contacts {
		weeks[i] = []any{weekText(b.Date, min(b.Date.AddDays(6), st.Date)), b.Count, b.Customers}
	}
	weeksAt, err := write(table{key: "week", headers: []string{label("records"), label("contacted")}, rows: weeks})
	if err != nil {
		return err
	}
	held := make([][]any, len(st.Holdings))
	heldStyles := make([]int, len(st.Holdings))
	for i, b := range st.Holdings {
		held[i] = []any{dateCell(b.Date), b.Count}
		heldStyles[i] = e.styleDate
	}
	if _, err := write(table{key: "month_end", headers: []string{label("holdings")}, rows: held, styles: heldStyles}); err != nil {
		return err
	}
	p := &st.Plan
	plan := [][]any{
		{label("on_time"), p.OnTime.Count, p.OnTime.Customers},
		{label("missed"), p.Missed.Count, p.Missed.Customers},
		{label("open"), p.Open.Count, p.Open.Customers},
	}
	if _, err := write(table{key: "outcome", headers: []string{label("items"), label("customers")}, rows: plan}); err != nil {
		return err
	}
	if pct, ok := p.OnTimePercent(); ok {
		if err := set("A", row-1, label("on_time_rate"), 0); err != nil {
			return err
		}
		if err := set("B", row-1, float64(pct)/100, e.stylePercent); err != nil {
			return err
		}
	}

	// The charts, right of the tables: customers by stage, and records per week.
	ref := func(col string, from, n int) string {
		return fmt.Sprintf("'%s'!$%s$%d:$%s$%d", name, col, from, col, from+n-1)
	}
	chart := func(at, title string, first, n int) error {
		if n == 0 {
			return nil
		}
		vary := false
		return f.AddChart(name, at, &excelize.Chart{
			Type: excelize.Col,
			Series: []excelize.ChartSeries{{
				Name:       fmt.Sprintf("'%s'!$B$%d", name, first-1),
				Categories: ref("A", first, n),
				Values:     ref("B", first, n),
			}},
			Title:      excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: label(title)}}},
			Legend:     excelize.ChartLegend{Position: "none"},
			Dimension:  excelize.ChartDimension{Width: 560, Height: 300},
			PlotArea:   excelize.ChartPlotArea{ShowVal: true},
			VaryColors: &vary,
		})
	}
	if err := chart("E2", "chart_stages", stagesAt, len(st.Stages)); err != nil {
		return err
	}
	return chart("E19", "chart_contacts", weeksAt, len(st.Contacts))
}

// weekText names the days from to to: "11/16–11/22".
func weekText(from, to crm.Date) string {
	_, m1, d1 := from.YMD()
	_, m2, d2 := to.YMD()
	return fmt.Sprintf("%d/%d–%d/%d", m1, d1, m2, d2)
}
