package ui

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"carebook/assets/i18n"
	"carebook/crm"
)

// Importer reads the files a user brings (Carebook workbooks, other .xlsx and CSV lists, vCard
// contacts) into tables, proposes how their columns are read and converts them into a batch;
// store/imports satisfies it (main wires it).
type Importer interface {
	// Read reads the files into tables; progress, when set, is told how far it got.
	Read(ctx context.Context, paths []string, progress func(done, total int64)) ([]crm.ImportTable, error)
	// Guess proposes the kind and the field of every column of t.
	Guess(t *crm.ImportTable) crm.ImportMapping
	// GuessAs proposes the fields of t's columns when t is read as kind.
	GuessAs(t *crm.ImportTable, kind crm.ImportKind) crm.ImportMapping
	// Fields lists the fields a column of kind may be mapped to, named in the UI language.
	Fields(kind crm.ImportKind) []crm.ImportColumn
	// Convert maps and validates the tables' rows into a batch with a report line per row.
	Convert(tables []crm.ImportTable, mappings []crm.ImportMapping, today crm.Date) *crm.ImportBatch
}

// ImportFunc resolves batch against book b (which rows create, update or are skipped) and,
// unless dryRun, writes every accepted row in one transaction, reporting progress; cancelling
// ctx leaves the book as it was.
type ImportFunc func(ctx context.Context, b Book, batch *crm.ImportBatch, dryRun bool, progress func(done, total int)) error

// importStage is where an import is.
type importStage int

const (
	importReading  importStage = iota // reading the files
	importChecking                    // converting and resolving against the book (dry run)
	importReady                       // the preview is shown; waiting for the user
	importWriting                     // writing the accepted rows
	importDone                        // written, or closed
)

// Report filters: which rows the report lists.
const (
	reportAll = iota
	reportSkipped
	reportCreated
	reportUpdated
)

// importFileTypes are the extensions the open dialog offers.
var importFileTypes = []string{".xlsx", ".xlsm", ".csv", ".txt", ".tsv", ".vcf", ".vcard"}

// importSampleRows is how many rows the mapping searches for an example value of a column.
const importSampleRows = 50

// importRun is one import: the files read, how their columns are mapped, the checked batch, and
// the preview dialog that shows them (PRODUCT.md §5 "Import": nothing is written before the
// user confirms; all the accepted rows, or none, then).
type importRun struct {
	w     *Window
	im    Importer
	apply ImportFunc
	book  Book
	paths []string

	stage    importStage
	tables   []crm.ImportTable
	mappings []crm.ImportMapping
	batch    *crm.ImportBatch      // the last checked batch, Results as the book resolves them
	base     []crm.ImportRowResult // batch.Results as converted, before the dry run
	counts   crm.ImportCounts
	shown    []int // indexes in batch.Results that the report lists under the filter
	table    int   // the table whose columns are shown
	fields   []crm.ImportColumn
	gen      int                // increases with every check; older answers are dropped
	stop     context.CancelFunc // cancels the work in flight
	err      error              // the last failure (reading, checking or writing)

	dlg      *dialog.CustomDialog
	file     *widget.Label
	tableSel *widget.Select
	// tableLabel and tableSel are shown only when the files hold several tables (sheets).
	tableLabel *widget.Label
	kindSel    *widget.Select
	columns    *widget.List
	// colSelects are the field drop-downs of the columns shown, by column.
	colSelects map[int]*widget.Select
	summary    *widget.Label
	filter     *widget.RadioGroup
	report     *widget.List
	empty      *widget.Label
	status     *widget.Label
	bar        *widget.ProgressBar
	cancel     *widget.Button
	confirm    *widget.Button
	foot       *fyne.Container
	actions    *fyne.Container // the hint and the buttons, laid out again when a text changes
	body       *fyne.Container
}

// onImport (Ctrl+I) asks for the file to import, then opens the preview.
func (w *Window) onImport() {
	if w.opts.Importer == nil || w.opts.Import == nil || w.importing != nil && w.importing.stage != importDone {
		return
	}
	d := dialog.NewFileOpen(func(rc fyne.URIReadCloser, err error) {
		if err != nil || rc == nil {
			return
		}
		path := rc.URI().Path()
		_ = rc.Close()
		w.runImport([]string{path})
	}, w.win)
	d.SetFilter(storage.NewExtensionFileFilter(importFileTypes))
	d.SetConfirmText(i18n.T("import.open"))
	d.SetDismissText(i18n.T("common.cancel"))
	size := w.win.Canvas().Size()
	d.Resize(fyne.NewSize(min(900, max(size.Width-80, 560)), min(620, max(size.Height-80, 420))))
	d.Show()
}

// runImport reads the files off the UI goroutine and shows the preview of their import.
func (w *Window) runImport(paths []string) *importRun {
	r := &importRun{w: w, im: w.opts.Importer, apply: w.opts.Import, book: w.book, paths: paths,
		colSelects: map[int]*widget.Select{}}
	w.importing = r
	r.buildUI()
	r.dlg.Show()
	r.read()
	return r
}

func (r *importRun) buildUI() {
	names := make([]string, len(r.paths))
	for i, p := range r.paths {
		names[i] = filepath.Base(p)
	}
	r.file = widget.NewLabelWithStyle(strings.Join(names, ", "), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	r.file.Truncation = fyne.TextTruncateEllipsis
	r.tableSel = widget.NewSelect(nil, func(string) { r.onTable(r.tableSel.SelectedIndex()) })
	r.tableLabel = widget.NewLabel(i18n.T("import.table"))
	r.kindSel = widget.NewSelect(kindLabelsForImport(), func(string) { r.onKind(r.kindSel.SelectedIndex()) })
	r.tableSel.Disable()
	r.kindSel.Disable()

	r.columns = widget.NewList(r.columnCount, r.newColumnRow, r.updateColumnRow)
	colHead := container.NewGridWithColumns(3,
		boldLabel(i18n.T("import.col_header")), boldLabel(i18n.T("import.col_sample")), boldLabel(i18n.T("import.col_field")))
	mapping := container.NewBorder(container.NewVBox(
		container.New(layout.NewFormLayout(),
			r.tableLabel, r.tableSel,
			widget.NewLabel(i18n.T("import.kind")), r.kindSel),
		colHead), nil, nil, nil, r.columns)

	r.summary = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	r.summary.Wrapping = fyne.TextWrapWord
	r.filter = widget.NewRadioGroup([]string{i18n.T("import.show_all"), i18n.T("import.show_skipped"),
		i18n.T("import.show_created"), i18n.T("import.show_updated")}, func(string) { r.showReport() })
	r.filter.Horizontal = true
	r.filter.Required = true
	r.filter.SetSelected(i18n.T("import.show_all"))
	r.report = widget.NewList(func() int { return len(r.shown) }, r.newReportRow, r.updateReportRow)
	r.empty = widget.NewLabel("")
	r.empty.Wrapping = fyne.TextWrapWord
	r.empty.Alignment = fyne.TextAlignCenter
	r.empty.Hide()
	report := container.NewBorder(container.NewVBox(r.summary, r.filter), nil, nil, nil,
		container.NewStack(r.report, r.empty))

	split := container.NewHSplit(container.NewPadded(mapping), container.NewPadded(report))
	split.SetOffset(0.5)

	r.status = widget.NewLabel("")
	r.status.Wrapping = fyne.TextWrapWord
	r.bar = widget.NewProgressBar()
	r.cancel = widget.NewButton(i18n.T("common.cancel"), r.onCancel)
	r.confirm = widget.NewButtonWithIcon(i18n.T("import.confirm_none"), theme.ConfirmIcon(), r.onConfirm)
	r.confirm.Importance = widget.HighImportance
	r.confirm.Disable()
	hint := widget.NewLabel(i18n.T("import.hint"))
	hint.SizeName = theme.SizeNameCaptionText
	hint.Wrapping = fyne.TextWrapWord
	r.actions = container.NewBorder(nil, nil, nil, container.NewHBox(r.cancel, r.confirm), hint)
	r.foot = container.NewVBox(widget.NewSeparator(), r.status, r.bar, r.actions)

	r.body = container.NewBorder(r.file, r.foot, nil, nil, split)
	r.dlg = dialog.NewCustomWithoutButtons(i18n.T("import.title"), r.body, r.w.win)
	size := r.w.win.Canvas().Size()
	r.dlg.Resize(fyne.NewSize(min(1040, max(size.Width-60, 640)), min(680, max(size.Height-60, 480))))
}

func boldLabel(text string) *widget.Label {
	return widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}

// kindsForImport are the kinds a table may be read as, in the order of the kind drop-down.
var kindsForImport = []crm.ImportKind{crm.ImportCustomers, crm.ImportPurchases, crm.ImportRecords,
	crm.ImportServices, crm.ImportComplaints, crm.ImportEvents, crm.ImportSkip}

func kindLabelsForImport() []string {
	out := make([]string, len(kindsForImport))
	for i, k := range kindsForImport {
		out[i] = ImportKindLabel(k)
	}
	return out
}

// ImportKindLabel names what the rows of a table are, in the UI language (the preview and
// `carebook import` say it alike).
func ImportKindLabel(k crm.ImportKind) string {
	switch k {
	case crm.ImportCustomers:
		return i18n.T("import.kind_customers")
	case crm.ImportPurchases:
		return i18n.T("import.kind_purchases")
	case crm.ImportRecords:
		return i18n.T("import.kind_records")
	case crm.ImportServices:
		return i18n.T("xlsx.serve.kind_services")
	case crm.ImportComplaints:
		return i18n.T("xlsx.serve.kind_complaints")
	case crm.ImportEvents:
		return i18n.T("xlsx.serve.kind_events")
	}
	return i18n.T("import.kind_skip")
}

// setBusy shows that work is under way: text, an empty progress bar, nothing to confirm.
func (r *importRun) setBusy(stage importStage, text string) {
	r.stage = stage
	r.setStatus(text, widget.MediumImportance)
	r.bar.SetValue(0)
	r.bar.Show()
	r.confirm.Disable()
	r.tableSel.Disable()
	r.kindSel.Disable()
}

// setStatus shows text under the preview (hidden when empty).
func (r *importRun) setStatus(text string, imp widget.Importance) {
	r.status.Importance = imp
	r.status.SetText(text)
	if text == "" {
		r.status.Hide()
	} else {
		r.status.Show()
	}
	r.relayoutFoot()
}

// context starts the work of a new stage: it cancels the one in flight.
func (r *importRun) context() context.Context {
	if r.stop != nil {
		r.stop()
	}
	ctx, stop := context.WithCancel(context.Background())
	r.stop = stop
	return ctx
}

// progress returns a progress callback that moves the bar (from any goroutine) while gen is
// the current work.
func (r *importRun) progress(gen int) func(done, total int64) {
	return func(done, total int64) {
		if total <= 0 {
			return
		}
		v := float64(done) / float64(total)
		fyne.Do(func() {
			if gen == r.gen && r.stage != importDone {
				r.bar.SetValue(v)
			}
		})
	}
}

// read reads the files, guesses their mappings and checks them.
func (r *importRun) read() {
	r.gen++
	gen := r.gen
	ctx := r.context()
	r.setBusy(importReading, i18n.T("import.reading", "File", r.file.Text))
	im, paths, progress := r.im, r.paths, r.progress(gen)
	r.w.async(func() func() {
		tables, err := im.Read(ctx, paths, progress)
		var mappings []crm.ImportMapping
		if err == nil {
			mappings = make([]crm.ImportMapping, len(tables))
			for i := range tables {
				mappings[i] = im.Guess(&tables[i])
			}
		}
		return func() {
			if gen != r.gen || r.stage == importDone {
				return
			}
			if err != nil {
				r.fail(err)
				return
			}
			r.tables, r.mappings = tables, mappings
			r.fillTables()
			r.check()
		}
	})
}

// fail shows why the files cannot be imported; nothing was written.
func (r *importRun) fail(err error) {
	r.err = err
	r.stage = importReady
	r.bar.Hide()
	r.setStatus(importErrorText(err), widget.DangerImportance)
	r.confirm.Disable()
	r.cancel.SetText(i18n.T("import.close"))
	r.cancel.Enable()
	r.relayoutFoot()
}

// relayoutFoot lays the foot out again after its texts changed or the status was shown or
// hidden (a container lays out its objects only when it is resized or refreshed).
func (r *importRun) relayoutFoot() {
	r.actions.Refresh()
	r.foot.Refresh()
	r.body.Refresh()
}

// importErrorText is the message of an import that failed: a file that cannot be read says what
// is wrong with it.
func importErrorText(err error) string {
	var fe *crm.ImportFileError
	if errors.As(err, &fe) {
		return i18n.T(fe.Key, fe.Args)
	}
	return i18n.T("import.failed", "Error", err)
}

// fillTables lists the tables read in the table drop-down and shows the first one imported.
func (r *importRun) fillTables() {
	opts := make([]string, len(r.tables))
	first := -1
	for i := range r.tables {
		opts[i] = r.tableName(i) + " · " + i18n.T("import.rows", "Count", len(r.tables[i].Rows))
		if first < 0 && r.mappings[i].Kind != crm.ImportSkip {
			first = i
		}
	}
	r.tableSel.SetOptions(opts)
	if len(opts) < 2 {
		r.tableLabel.Hide()
		r.tableSel.Hide()
	}
	if len(opts) > 0 {
		r.table = max(first, 0)
		r.tableSel.SetSelectedIndex(r.table)
	}
}

// tableName names table i for the user: its file and, for a workbook, its sheet.
func (r *importRun) tableName(i int) string {
	t := &r.tables[i]
	name := t.File
	if t.Sheet != "" {
		name += " › " + t.Sheet
	}
	return name
}

// onTable shows the columns of table i.
func (r *importRun) onTable(i int) {
	if i < 0 || i >= len(r.tables) {
		return
	}
	r.table = i
	k := slices.Index(kindsForImport, r.mappings[i].Kind)
	if k < 0 {
		k = len(kindsForImport) - 1
	}
	if r.kindSel.SelectedIndex() != k {
		r.kindSel.SetSelectedIndex(k) // onKind sees the same kind and changes nothing
	}
	r.fields = r.im.Fields(r.mappings[i].Kind)
	r.colSelects = map[int]*widget.Select{}
	r.columns.Refresh()
	r.columns.ScrollToTop()
}

// onKind reads the shown table as kind k: its columns are guessed again for that kind.
func (r *importRun) onKind(k int) {
	if k < 0 || r.table >= len(r.mappings) || r.mappings[r.table].Kind == kindsForImport[k] {
		return
	}
	r.mappings[r.table] = r.im.GuessAs(&r.tables[r.table], kindsForImport[k])
	r.onTable(r.table)
	r.check()
}

// onField maps column col of the shown table to the field chosen at index i of its drop-down.
func (r *importRun) onField(col, i int) {
	m := &r.mappings[r.table]
	if col >= len(m.Columns) || i < 0 {
		return
	}
	f := r.fieldChoices()[i].Field
	if m.Columns[col].Field == f {
		return
	}
	m.Columns[col].Field = f
	r.check()
}

// fieldChoices are the choices of a column's drop-down for the shown table's kind: notes or
// ignore first, then the fields.
func (r *importRun) fieldChoices() []crm.ImportColumn {
	if r.table >= len(r.mappings) || r.mappings[r.table].Kind == crm.ImportSkip {
		return nil
	}
	var out []crm.ImportColumn
	if r.mappings[r.table].Kind == crm.ImportCustomers {
		out = append(out, crm.ImportColumn{Header: i18n.T("import.field_notes")},
			crm.ImportColumn{Header: i18n.T("import.field_ignore"), Field: crm.ImportFieldIgnore})
	} else {
		out = append(out, crm.ImportColumn{Header: i18n.T("import.field_ignore")})
	}
	return append(out, r.fields...)
}

func (r *importRun) columnCount() int {
	if r.table >= len(r.tables) {
		return 0
	}
	return len(r.tables[r.table].Header)
}

func (r *importRun) newColumnRow() fyne.CanvasObject {
	header := widget.NewLabel("header")
	header.Truncation = fyne.TextTruncateEllipsis
	sample := widget.NewLabel("sample")
	sample.Truncation = fyne.TextTruncateEllipsis
	sample.Importance = widget.LowImportance
	sel := widget.NewSelect(nil, nil)
	return container.NewGridWithColumns(3, header, sample, sel)
}

func (r *importRun) updateColumnRow(id widget.ListItemID, o fyne.CanvasObject) {
	if r.table >= len(r.tables) || id >= len(r.tables[r.table].Header) {
		return
	}
	t, m := &r.tables[r.table], &r.mappings[r.table]
	row := o.(*fyne.Container)
	header := t.Header[id]
	if header == "" {
		header = i18n.T("import.col_untitled", "Column", columnName(id))
	}
	row.Objects[0].(*widget.Label).SetText(header)
	row.Objects[1].(*widget.Label).SetText(sampleValue(t, id))
	sel := row.Objects[2].(*widget.Select)
	for c, s := range r.colSelects {
		if s == sel {
			delete(r.colSelects, c)
		}
	}
	sel.OnChanged = nil
	choices := r.fieldChoices()
	if len(choices) == 0 {
		sel.SetOptions(nil)
		sel.ClearSelected()
		sel.Disable()
		return
	}
	opts := make([]string, len(choices))
	selected := 0
	for i, c := range choices {
		opts[i] = c.Header
		if id < len(m.Columns) && c.Field == m.Columns[id].Field {
			selected = i
		}
	}
	sel.SetOptions(opts)
	sel.SetSelectedIndex(selected)
	if r.stage == importReady {
		sel.Enable()
	} else {
		sel.Disable()
	}
	col := id
	sel.OnChanged = func(string) { r.onField(col, sel.SelectedIndex()) }
	r.colSelects[id] = sel
}

// columnName is a column's spreadsheet letter: A, B, … Z, AA.
func columnName(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}

// sampleValue is the first value of column col in the first rows of t, shortened.
func sampleValue(t *crm.ImportTable, col int) string {
	for i := 0; i < len(t.Rows) && i < importSampleRows; i++ {
		if col < len(t.Rows[i].Cells) {
			if v := strings.TrimSpace(t.Rows[i].Cells[col].Text); v != "" {
				v = strings.Join(strings.Fields(v), " ")
				if utf8.RuneCountInString(v) > 40 {
					v = string([]rune(v)[:40]) + "…"
				}
				return v
			}
		}
	}
	return ""
}

// check converts the tables with the current mappings and resolves them against the book
// without writing (a dry run), then shows the report.
func (r *importRun) check() {
	r.gen++
	gen := r.gen
	ctx := r.context()
	rows := 0
	for i := range r.tables {
		if r.mappings[i].Kind != crm.ImportSkip {
			rows += len(r.tables[i].Rows)
		}
	}
	r.setBusy(importChecking, i18n.T("import.checking", "Count", rows))
	r.updateColumnSelects()
	tables, mappings := r.tables, cloneMappings(r.mappings)
	im, apply, book, today := r.im, r.apply, r.book, r.w.today()
	r.w.async(func() func() {
		batch := im.Convert(tables, mappings, today)
		base := slices.Clone(batch.Results)
		err := apply(ctx, book, batch, true, nil)
		return func() {
			if gen != r.gen || r.stage == importDone {
				return
			}
			if err != nil {
				r.fail(err)
				return
			}
			r.batch, r.base = batch, base
			r.ready()
		}
	})
}

func cloneMappings(ms []crm.ImportMapping) []crm.ImportMapping {
	out := make([]crm.ImportMapping, len(ms))
	for i, m := range ms {
		out[i] = crm.ImportMapping{Kind: m.Kind, Columns: slices.Clone(m.Columns)}
	}
	return out
}

// ready shows the checked batch: the counts, the report, and what confirming writes.
func (r *importRun) ready() {
	r.stage = importReady
	r.err = nil
	r.counts = r.batch.Counts()
	r.bar.Hide()
	r.setStatus("", widget.MediumImportance)
	r.tableSel.Enable()
	r.kindSel.Enable()
	r.updateColumnSelects()
	n := r.counts
	if n.Created+n.Updated+n.Skipped == 0 {
		r.summary.SetText(i18n.T("import.nothing"))
	} else {
		r.summary.SetText(i18n.T("import.summary", "Created", n.Created, "Updated", n.Updated, "Skipped", n.Skipped))
	}
	if accepted := n.Created + n.Updated; accepted > 0 {
		r.confirm.SetText(i18n.T("import.confirm", "Count", accepted))
		r.confirm.Enable()
	} else {
		r.confirm.SetText(i18n.T("import.confirm_none"))
		r.confirm.Disable()
	}
	r.cancel.SetText(i18n.T("common.cancel"))
	r.cancel.Enable()
	r.relayoutFoot()
	r.showReport()
}

// updateColumnSelects enables the field drop-downs only while the preview waits for the user.
func (r *importRun) updateColumnSelects() {
	for _, s := range r.colSelects {
		if r.stage == importReady && len(s.Options) > 0 {
			s.Enable()
		} else {
			s.Disable()
		}
	}
}

// showReport lists the rows of the report that the filter selects.
func (r *importRun) showReport() {
	if r.report == nil {
		return
	}
	r.shown = r.shown[:0]
	if r.batch != nil {
		want := map[int]crm.ImportAction{reportSkipped: crm.ImportSkipRow, reportCreated: crm.ImportCreate,
			reportUpdated: crm.ImportUpdate}[r.filterIndex()]
		for i := range r.batch.Results {
			if want == "" || r.batch.Results[i].Action == want {
				r.shown = append(r.shown, i)
			}
		}
	}
	switch {
	case r.batch == nil:
		r.empty.Hide()
	case len(r.shown) == 0:
		r.empty.SetText(i18n.T("import.report_empty"))
		r.empty.Show()
	default:
		r.empty.Hide()
	}
	r.report.Refresh()
	r.report.ScrollToTop()
}

func (r *importRun) filterIndex() int {
	return max(slices.Index(r.filter.Options, r.filter.Selected), 0)
}

func (r *importRun) newReportRow() fyne.CanvasObject {
	action := widget.NewLabelWithStyle(i18n.T("import.action_update"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	text := widget.NewLabel("row")
	text.Truncation = fyne.TextTruncateEllipsis
	return container.NewBorder(nil, nil, action, nil, text)
}

func (r *importRun) updateReportRow(id widget.ListItemID, o fyne.CanvasObject) {
	if r.batch == nil || id >= len(r.shown) {
		return
	}
	res := &r.batch.Results[r.shown[id]]
	box := o.(*fyne.Container)
	text, action := box.Objects[0].(*widget.Label), box.Objects[1].(*widget.Label)
	switch res.Action {
	case crm.ImportCreate:
		action.SetText(i18n.T("import.action_create"))
		action.Importance = widget.SuccessImportance
	case crm.ImportUpdate:
		action.SetText(i18n.T("import.action_update"))
		action.Importance = widget.MediumImportance
	default:
		action.SetText(i18n.T("import.action_skip"))
		action.Importance = widget.DangerImportance
	}
	action.Refresh()
	text.SetText(r.reportLine(res))
}

// reportLine is a row's line in the report: where it is, whom it is about, and its problems.
func (r *importRun) reportLine(res *crm.ImportRowResult) string {
	where := i18n.T("import.row", "Row", res.Line)
	if len(r.tables) > 1 && res.Table < len(r.tables) {
		where = r.tableName(res.Table) + " · " + where
	}
	parts := []string{where}
	if who := strings.TrimSpace(strings.Join(strings.Fields(res.Code+" "+res.Name), " ")); who != "" {
		parts = append(parts, who)
	}
	var probs []string
	for i := range res.Problems {
		probs = append(probs, r.problemText(res.Table, &res.Problems[i]))
	}
	line := strings.Join(parts, " · ")
	if len(probs) > 0 {
		line += " — " + strings.Join(probs, " ")
	}
	return line
}

// problemText is one problem of a row, after the column it is about when that is known.
func (r *importRun) problemText(table int, p *crm.FieldError) string {
	msg := i18n.T(p.Key, p.Args)
	field := p.Field
	if field == "" {
		return msg
	}
	if table < len(r.tables) && slices.Contains(r.tables[table].Header, field) {
		return field + i18n.T("import.field_sep") + msg
	}
	// A field key ("phones[1]", "dates[0].day"): its name in the UI language.
	key, _, _ := strings.Cut(field, "[")
	key, _, _ = strings.Cut(key, ".")
	if table < len(r.mappings) {
		for _, c := range r.im.Fields(r.mappings[table].Kind) {
			if c.Field == key || c.Field+"s" == key {
				return c.Header + i18n.T("import.field_sep") + msg
			}
		}
	}
	return msg
}

// onConfirm writes the accepted rows in one transaction, with progress and cancel.
func (r *importRun) onConfirm() {
	if r.stage != importReady || r.batch == nil || r.err != nil || r.counts.Created+r.counts.Updated == 0 {
		return
	}
	r.gen++
	gen := r.gen
	ctx := r.context()
	r.setBusy(importWriting, i18n.T("import.writing", "Count", r.counts.Created+r.counts.Updated))
	r.updateColumnSelects()
	batch, checked := r.batch, r.batch.Results
	// The write resolves the rows again, from the conversion's results (the book's answer to
	// the dry run stays in checked: a failed or cancelled write leaves b.Results alone).
	batch.Results = slices.Clone(r.base)
	apply, book, progress := r.apply, r.book, r.progress(gen)
	r.w.async(func() func() {
		err := apply(ctx, book, batch, false, func(done, total int) { progress(int64(done), int64(total)) })
		return func() {
			if gen != r.gen || r.stage == importDone {
				return
			}
			switch {
			case errors.Is(err, context.Canceled):
				batch.Results = checked
				r.ready()
				r.setStatus(i18n.T("import.cancelled"), widget.WarningImportance)
			case err != nil:
				batch.Results = checked
				r.fail(err)
			default:
				r.finish(batch.Counts())
			}
		}
	})
}

// finish closes the preview after a successful import, says what was written and refreshes the
// screens that show customers, records and the plan.
func (r *importRun) finish(n crm.ImportCounts) {
	r.stage = importDone // late answers are dropped from now on
	r.dlg.Hide()
	w := r.w
	dialog.ShowInformation(i18n.T("import.title"),
		i18n.T("import.done", "Created", n.Created, "Updated", n.Updated, "Skipped", n.Skipped), w.win)
	w.customers.reload()
	w.customers.loadTags()
	w.afterRecordChange()
}

// onCancel stops a write (the book stays as it was, the preview stays open), or closes the
// preview, stopping whatever it was doing.
func (r *importRun) onCancel() {
	if r.stage == importWriting {
		r.cancel.Disable() // until the write has stopped
		r.setStatus(i18n.T("import.cancelling"), widget.MediumImportance)
		if r.stop != nil {
			r.stop()
		}
		return
	}
	r.close()
}

// close closes the preview without writing anything.
func (r *importRun) close() {
	r.stage = importDone // late answers are dropped from now on
	if r.stop != nil {
		r.stop()
	}
	r.dlg.Hide()
}

// String is for test failures.
func (r *importRun) String() string {
	return fmt.Sprintf("import %v stage %d: %s", r.paths, r.stage, r.status.Text)
}
