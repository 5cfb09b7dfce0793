// Package xlsx writes the book to an Excel workbook (PRODUCT.md §5): one sheet per kind of row,
// headers in the UI language, real dates and numbers, streamed so that memory does not grow with
// the number of rows, and written to a temporary file renamed over the target, so that a failure
// never leaves a half file behind.
package xlsx

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"carebook/crm"
)

// Source is what the export reads; *store.Store implements it.
type Source interface {
	ExportCounts(ctx context.Context, from, to crm.Date) (customers, purchases, records int, err error)
	EachCustomer(ctx context.Context, fn func(*crm.CustomerRow) error) error
	EachPurchase(ctx context.Context, from, to crm.Date, fn func(*crm.PurchaseRow) error) error
	EachRecord(ctx context.Context, from, to crm.Date, fn func(*crm.RecordRow) error) error
}

// Options says how to export.
type Options struct {
	Lang Lang
	// From and To bound the records, purchases, services (by date), complaints (by received
	// date) and events (by date), inclusive; zero = open. Customers are never bounded.
	From, To crm.Date
	// Progress is called now and then (about 100 times, not per row) with the work done and the
	// work to do, in rows: one per row written, and two thirds as many again for compressing the file
	// at the end. done never decreases; the last call has done == total. May be nil.
	Progress func(done, total int)
	// Derive returns a customer's derived columns 阶段, 流失状态, RFM分群 and 建议等级, already in
	// the workbook's language; they are written as they are. Nil leaves them empty.
	Derive func(*crm.CustomerRow) (stage, churn, segment, suggestedTier string)
	// Insights, when set, returns the book's statistics for 统计: counts by stage, churn state,
	// RFM segment and tier, contacts per week, holdings and the 1-3-7 completion, shown as
	// tables with native charts of the stages and of the contacts. It is called once, when 统计
	// is written (the last sheet: it may still be working out while the others stream); its
	// error fails the export.
	Insights func() (*crm.BookStats, error)
}

// maxDataRows is MaxDataRows; tests lower it to see a sheet continue on a second part.
var maxDataRows = MaxDataRows

// ctxCheckRows is how often (in rows) the export looks at its context.
const ctxCheckRows = 1000

// Export writes the workbook to path: to a temporary file in the same directory, then renamed
// over path, so that a failure or a cancelled ctx never leaves a half file (the temp file is
// removed; an existing file at path is left untouched). Sheets, in order: 维护记录 (the active
// one), 顾客, 消费记录, 服务, 客诉, 活动, 统计 — in English when o.Lang is "en"; a sheet of more
// than MaxDataRows rows continues on parts named by PartName. The error wraps the Source's, or
// ctx.Err() when ctx ends.
func Export(ctx context.Context, src Source, path string, o Options) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	nc, np, nr, err := src.ExportCounts(ctx, o.From, o.To)
	if err != nil {
		return fmt.Errorf("export: count rows: %w", err)
	}
	e, err := newExporter(ctx, o, nc+np+nr)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	defer e.close()
	services, complaints, events := e.serveSteps(src)
	for _, step := range []struct {
		sheet string
		write func(*sheetWriter) error
	}{
		{SheetRecords, func(w *sheetWriter) error {
			return src.EachRecord(ctx, o.From, o.To, func(r *crm.RecordRow) error { return e.record(w, r) })
		}},
		{SheetCustomers, func(w *sheetWriter) error {
			return src.EachCustomer(ctx, func(c *crm.CustomerRow) error { return e.customer(w, c) })
		}},
		{SheetPurchases, func(w *sheetWriter) error {
			return src.EachPurchase(ctx, o.From, o.To, func(p *crm.PurchaseRow) error { return e.purchase(w, p) })
		}},
		{SheetServices, services},
		{SheetComplaints, complaints},
		{SheetEvents, events},
	} {
		s := sheetByKey(step.sheet)
		if err := e.writeSheet(s, step.write); err != nil {
			return fmt.Errorf("export: %s: %w", strings.ToLower(s.En), err)
		}
	}
	if err := e.summary(); err != nil {
		return fmt.Errorf("export: summary: %w", err)
	}
	// The first sheet is the active one, as in a new file; SetActiveSheet would parse every
	// streamed sheet back.
	if err := e.save(path); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	e.finishProgress()
	return nil
}

// exporter holds what the sheets share: the workbook, its styles, the reused row and the
// progress.
type exporter struct {
	ctx    context.Context
	o      Options
	f      *excelize.File
	tmpDir string // excelize's temporary files: the sheets beyond their first 16 MB
	sheets int    // sheets created so far

	styleHeader, styleDate, styleDateTime, styleAmount, stylePercent int

	row    []any // the row being written, reused
	phones phones
	sb     strings.Builder

	// Progress, in rows (see Options.Progress).
	rows      int // rows written
	saveUnits int // the share of compressing the file
	total     int // rows expected plus saveUnits
	next      int // the next report is due at this much work done
	step      int
	reported  int // work done at the last report

	// The summary: what was written.
	customers, purchases, records int
	purchaseTotal                 crm.Money
	services, complaints          int
	events, invitations           int
	lastEvent                     int64 // the event of the last 活动 row
}

func newExporter(ctx context.Context, o Options, rows int) (*exporter, error) {
	tmpDir, err := os.MkdirTemp("", "carebook-export-")
	if err != nil {
		return nil, err
	}
	e := &exporter{ctx: ctx, o: o, tmpDir: tmpDir, f: excelize.NewFile(excelize.Options{TmpDir: tmpDir}), phones: make(phones)}
	e.saveUnits = max(1, rows*2/3) // compressing takes some 40% of the time
	e.total = rows + e.saveUnits
	e.step = max(1, e.total/100)
	e.next = e.step
	style := func(s *excelize.Style) int {
		if err != nil {
			return 0
		}
		var id int
		id, err = e.f.NewStyle(s)
		return id
	}
	dateFmt, dateTimeFmt := "yyyy-mm-dd", "yyyy-mm-dd hh:mm"
	e.styleHeader = style(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DCE6F1"}},
		Border:    []excelize.Border{{Type: "bottom", Color: "8EA9C8", Style: 1}},
		Alignment: &excelize.Alignment{Vertical: "center"},
	})
	e.styleDate = style(&excelize.Style{CustomNumFmt: &dateFmt})
	e.styleDateTime = style(&excelize.Style{CustomNumFmt: &dateTimeFmt})
	e.styleAmount = style(&excelize.Style{NumFmt: 2})  // 0.00
	e.stylePercent = style(&excelize.Style{NumFmt: 9}) // 0%
	if err != nil {
		e.close()
		return nil, fmt.Errorf("styles: %w", err)
	}
	n := 0
	for _, s := range Sheets {
		n = max(n, len(s.Columns))
	}
	e.row = make([]any, 0, n)
	return e, nil
}

// close removes the temporary files.
func (e *exporter) close() {
	_ = e.f.Close()
	_ = os.RemoveAll(e.tmpDir)
}

// lang is the workbook's language.
func (e *exporter) lang() Lang { return e.o.Lang }

// addSheet appends a sheet named name; the first takes the place of the new file's Sheet1.
func (e *exporter) addSheet(name string) error {
	e.sheets++
	if e.sheets == 1 {
		return e.f.SetSheetName("Sheet1", name)
	}
	_, err := e.f.NewSheet(name)
	return err
}

// colStyle is the style of the cells of a column of kind k (0: none).
func (e *exporter) colStyle(k Kind) int {
	switch k {
	case KindDate, KindKeyDate:
		return e.styleDate
	case KindDateTime:
		return e.styleDateTime
	case KindAmount:
		return e.styleAmount
	}
	return 0
}

// tick counts a row written: it looks at ctx every ctxCheckRows rows and reports progress every
// e.step rows.
func (e *exporter) tick() error {
	e.rows++
	if e.rows%ctxCheckRows == 0 {
		if err := e.ctx.Err(); err != nil {
			return err
		}
	}
	if e.rows >= e.next {
		e.progress(e.rows)
	}
	return nil
}

// progress reports done when it reaches the next step.
func (e *exporter) progress(done int) {
	if done < e.next || e.o.Progress == nil {
		return
	}
	e.next = done + e.step
	e.total = max(e.total, e.rows+e.saveUnits) // rows added since the count
	e.reported = done
	e.o.Progress(done, e.total)
}

// saving reports the progress of the compression: written bytes of about streamed.
func (e *exporter) saving(written, streamed int64) {
	if streamed <= 0 {
		return
	}
	e.progress(e.rows + int(float64(e.saveUnits)*min(1, float64(written)/float64(streamed))))
}

// finishProgress says that everything is done.
func (e *exporter) finishProgress() {
	if e.o.Progress != nil {
		done := max(e.rows+e.saveUnits, e.reported)
		e.o.Progress(done, done)
	}
}

// streamedBytes is about the size of the streamed sheets: what excelize keeps in its temporary
// files (the last 16 MB of each sheet stay in memory and are not counted).
func (e *exporter) streamedBytes() int64 {
	var n int64
	es, _ := os.ReadDir(e.tmpDir)
	for _, de := range es {
		if fi, err := de.Info(); err == nil {
			n += fi.Size()
		}
	}
	return n
}

// sheetWriter streams the rows of one sheet, continuing on a new part every MaxDataRows rows.
type sheetWriter struct {
	e     *exporter
	sheet *Sheet
	part  int // current part, from 1
	name  string
	sw    *excelize.StreamWriter
	rows  int // data rows in the current part
}

// writeSheet writes sheet s: its header, then the rows write writes (nil: none).
func (e *exporter) writeSheet(s *Sheet, write func(*sheetWriter) error) error {
	w := &sheetWriter{e: e, sheet: s}
	if err := w.nextPart(); err != nil {
		return err
	}
	if write != nil {
		if err := write(w); err != nil {
			return err
		}
	}
	return w.finish()
}

// nextPart starts the next part of the sheet: widths, cell styles and the frozen header row
// are set before the first row, as the StreamWriter wants.
func (w *sheetWriter) nextPart() error {
	e := w.e
	w.part++
	w.name = PartName(w.sheet.Name(e.lang()), w.part)
	w.rows = 0
	if err := e.addSheet(w.name); err != nil {
		return err
	}
	sw, err := e.f.NewStreamWriter(w.name)
	if err != nil {
		return err
	}
	w.sw = sw
	for i, c := range w.sheet.Columns {
		if err := sw.SetColWidth(i+1, i+1, c.width(e.lang())); err != nil {
			return err
		}
		if st := e.colStyle(c.Kind); st != 0 {
			if err := sw.SetColStyle(i+1, i+1, st); err != nil {
				return err
			}
		}
	}
	if err := sw.SetPanes(&excelize.Panes{
		Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}},
	}); err != nil {
		return err
	}
	header := make([]any, 0, len(w.sheet.Columns)) // not e.row: a part may begin in the middle of a row
	for _, c := range w.sheet.Columns {
		header = append(header, excelize.Cell{StyleID: e.styleHeader, Value: c.Header(e.lang())})
	}
	return sw.SetRow("A1", header, excelize.RowOpts{Height: 20})
}

// write writes the next row; row must hold one value per column (nil: no cell).
func (w *sheetWriter) write(row []any) error {
	if len(row) != len(w.sheet.Columns) {
		return fmt.Errorf("row of %d cells for %d columns", len(row), len(w.sheet.Columns))
	}
	if w.rows == maxDataRows {
		if err := w.finish(); err != nil {
			return err
		}
		if err := w.nextPart(); err != nil {
			return err
		}
	}
	w.rows++
	if err := w.sw.SetRow("A"+strconv.Itoa(w.rows+1), row); err != nil {
		return err
	}
	return w.e.tick()
}

// finish sets the auto-filter over the header and the rows written, and ends the part.
func (w *sheetWriter) finish() error {
	last, err := excelize.CoordinatesToCellName(len(w.sheet.Columns), w.rows+1)
	if err != nil {
		return err
	}
	// The filter goes in after the rows: the worksheet's autoFilter element follows sheetData,
	// and the stream writer writes it at Flush.
	if err := w.e.f.AutoFilter(w.name, "A1:"+last, nil); err != nil {
		return err
	}
	return w.sw.Flush()
}

func (e *exporter) record(w *sheetWriter, r *crm.RecordRow) error {
	l := e.lang()
	var phone any
	if r.Phone != "" {
		phone = e.phones.format(r.Phone)
	}
	e.row = append(e.row[:0],
		dateTimeCell(r.At),
		textCell(r.CustomerCode),
		textCell(r.CustomerName),
		phone,
		textCell(valueText(RecordKindValues, string(r.Kind), l)),
		textCell(valueText(RecordChannelValues, string(r.Channel), l)),
		textCell(r.Content),
		textCell(r.Feedback),
		textCell(r.NextStep),
		dateCell(r.NextDate),
	)
	e.records++
	return w.write(e.row)
}

func (e *exporter) purchase(w *sheetWriter, p *crm.PurchaseRow) error {
	e.row = append(e.row[:0],
		textCell(p.CustomerCode),
		textCell(p.CustomerName),
		dateCell(p.Date),
		p.Amount.Yuan(),
		textCell(p.Items),
		textCell(valueText(SaleChannelValues, string(p.Channel), e.lang())),
	)
	e.purchases++
	e.purchaseTotal += p.Amount
	return w.write(e.row)
}

func (e *exporter) customer(w *sheetWriter, c *crm.CustomerRow) error {
	l := e.lang()
	gender := string(c.Gender)
	if gender == "" {
		gender = string(crm.GenderUnknown)
	}
	dnd := "no"
	if c.DoNotDisturb {
		dnd = "yes"
	}
	var stage, churn, segment, suggested string
	if e.o.Derive != nil {
		stage, churn, segment, suggested = e.o.Derive(c)
	}
	e.row = append(e.row[:0],
		textCell(c.Code),
		textCell(c.Name),
		textCell(c.Remark),
		textCell(valueText(GenderValues, gender, l)),
		e.phoneList(c.Phones),
		textCell(c.WeChat),
		textCell(c.Email),
		textCell(c.Address),
		textCell(c.Company),
		textCell(c.Title),
		textCell(c.Source),
		keyDateCell(c.Birthday, l),
		e.dateList(c.Dates),
		textCell(c.Needs),
		textCell(c.LatentNeeds),
		textCell(c.Preferences),
		textCell(c.Interests),
		textCell(valueText(TierValues, string(c.Tier), l)),
		e.join(c.Tags),
		valueText(YesNoValues, dnd, l),
		intCell(c.Knowing),
		intCell(c.Closeness),
		intCell(c.Loyalty),
		textCell(c.Notes),
		dateCell(c.Created),
		textCell(stage),
		textCell(churn),
		textCell(segment),
		textCell(suggested),
		dateTimeCell(c.LastContact),
		dateCell(c.LastPurchase),
	)
	e.customers++
	return w.write(e.row)
}

// phoneList shows phones for people, separated by "; ".
func (e *exporter) phoneList(ps []string) any {
	switch len(ps) {
	case 0:
		return nil
	case 1:
		return e.phones.format(ps[0])
	}
	e.sb.Reset()
	for i, p := range ps {
		if i > 0 {
			e.sb.WriteString(ListSeparator)
		}
		e.sb.WriteString(e.phones.format(p))
	}
	return e.sb.String()
}

// join joins a list of texts with "; ".
func (e *exporter) join(ss []string) any {
	switch len(ss) {
	case 0:
		return nil
	case 1:
		return textCell(ss[0])
	}
	e.sb.Reset()
	for i, s := range ss {
		if i > 0 {
			e.sb.WriteString(ListSeparator)
		}
		e.sb.WriteString(s)
	}
	return e.sb.String()
}

// dateList shows important dates as label:date entries separated by "; ":
// 结婚纪念日:2015-10-01; 开业:农历三月初三.
func (e *exporter) dateList(ds []crm.KeyDate) any {
	if len(ds) == 0 {
		return nil
	}
	e.sb.Reset()
	for i := range ds {
		if i > 0 {
			e.sb.WriteString(ListSeparator)
		}
		e.sb.WriteString(ds[i].Label)
		e.sb.WriteByte(':')
		keyDateText(&e.sb, &ds[i], e.lang())
	}
	return e.sb.String()
}

// summaryLabels are the items of the 统计 sheet.
var summaryLabels = []Value{
	{"exported_at", "导出时间", "Exported at"},
	{"from", "起始日期", "From"},
	{"to", "截止日期", "To"},
	{"customers", "顾客", "Customers"},
	{"purchases", "消费记录", "Purchases"},
	{"purchase_total", "消费金额", "Purchase total"},
	{"records", "维护记录", "Maintenance records"},
	{"services", "服务", "Services"},
	{"complaints", "客诉", "Complaints"},
	{"events", "活动", "Events"},
	{"invitations", "邀约", "Invitations"},
	{"open", "不限", "open"},
}

// summary writes the 统计 sheet: the date range and what was exported, then the insight tables
// and charts when there are Insights. It is small and written cell by cell (not streamed), so
// that charts can join it.
func (e *exporter) summary() error {
	s := sheetByKey(SheetSummary)
	l := e.lang()
	name := s.Name(l)
	if err := e.addSheet(name); err != nil {
		return err
	}
	label := func(key string) string { return valueText(summaryLabels, key, l) }
	bound := func(d crm.Date) (any, int) {
		if d.IsZero() {
			return label("open"), 0
		}
		return dateCell(d), e.styleDate
	}
	from, fromStyle := bound(e.o.From)
	to, toStyle := bound(e.o.To)
	rows := []struct {
		key   string
		value any
		style int
	}{
		{"exported_at", dateTimeCell(time.Now()), e.styleDateTime},
		{"from", from, fromStyle},
		{"to", to, toStyle},
		{"customers", e.customers, 0},
		{"purchases", e.purchases, 0},
		{"purchase_total", e.purchaseTotal.Yuan(), e.styleAmount},
		{"records", e.records, 0},
		{"services", e.services, 0},
		{"complaints", e.complaints, 0},
		{"events", e.events, 0},
		{"invitations", e.invitations, 0},
	}
	f := e.f
	for i, c := range s.Columns {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(name, col, col, c.width(l)); err != nil {
			return err
		}
		if err := f.SetCellValue(name, col+"1", c.Header(l)); err != nil {
			return err
		}
	}
	if err := f.SetCellStyle(name, "A1", "B1", e.styleHeader); err != nil {
		return err
	}
	for i, r := range rows {
		n := strconv.Itoa(i + 2)
		if err := f.SetCellValue(name, "A"+n, label(r.key)); err != nil {
			return err
		}
		if err := f.SetCellValue(name, "B"+n, r.value); err != nil {
			return err
		}
		if r.style != 0 {
			if err := f.SetCellStyle(name, "B"+n, "B"+n, r.style); err != nil {
				return err
			}
		}
	}
	if e.o.Insights != nil {
		st, err := e.o.Insights()
		if err != nil {
			return err
		}
		if st != nil {
			return e.insightTables(name, st, len(rows)+2)
		}
	}
	return nil
}

// save writes the workbook to a temporary file next to path and renames it over path. The zip is
// written straight to the file (excelize would build it in memory first).
func (e *exporter) save(path string) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	zw := &zipWriter{ctx: e.ctx, zw: zip.NewWriter(tmp), streamed: e.streamedBytes(), progress: e.saving}
	e.f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return zw })
	if err := e.f.Write(io.Discard); err != nil { // the buffer excelize hands out stays empty
		return fmt.Errorf("write %s: %w", tmp.Name(), err)
	}
	if !zw.closed {
		return fmt.Errorf("write %s: zip not closed", tmp.Name())
	}
	mode := fs.FileMode(0o644)
	if fi, err := os.Stat(path); err == nil && fi.Mode().IsRegular() {
		mode = fi.Mode().Perm()
	}
	if err := tmp.Chmod(mode); err != nil && !errors.Is(err, errors.ErrUnsupported) {
		return fmt.Errorf("write %s: %w", tmp.Name(), err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("write %s: %w", tmp.Name(), err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", tmp.Name(), err)
	}
	if err := e.ctx.Err(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// zipWriter is the excelize.ZipWriter that writes the workbook to the temporary file and stops
// when ctx ends.
type zipWriter struct {
	ctx      context.Context
	zw       *zip.Writer
	closed   bool
	written  int64 // bytes compressed so far
	streamed int64 // about the bytes to compress
	progress func(written, streamed int64)
}

func (z *zipWriter) Create(name string) (io.Writer, error) {
	if err := z.ctx.Err(); err != nil {
		return nil, err
	}
	w, err := z.zw.Create(name)
	if err != nil {
		return nil, err
	}
	return &entryWriter{z: z, w: w}, nil
}

func (z *zipWriter) AddFS(fsys fs.FS) error { return z.zw.AddFS(fsys) }

func (z *zipWriter) Close() error {
	z.closed = true
	return z.zw.Close()
}

// entryWriter writes an entry of the zip; it looks at ctx and reports progress every MiB.
type entryWriter struct {
	z *zipWriter
	w io.Writer
	n int
}

func (w *entryWriter) Write(p []byte) (int, error) {
	w.z.written += int64(len(p))
	if w.n += len(p); w.n >= 1<<20 {
		w.n = 0
		if err := w.z.ctx.Err(); err != nil {
			return 0, err
		}
		w.z.progress(w.z.written, w.z.streamed)
	}
	return w.w.Write(p)
}
