package ui

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"carebook/assets/i18n"
	"carebook/crm"
)

// recordsPage is how many rows the record sheet reads at a time.
const recordsPage = 100

// recordsScreen is the maintenance record sheet (顾客维护记录表): every record, newest first,
// filtered by date range, kind, channel and customer, read page by page so that it stays instant
// with millions of records.
type recordsScreen struct {
	w *Window

	from      *widget.Entry
	to        *widget.Entry
	kind      *widget.Select
	channel   *widget.Select
	customer  *widget.Label
	clear     *widget.Button
	export    *widget.Button
	count     *widget.Label
	filterErr *widget.Label
	table     *widget.Table
	empty     *widget.Label
	root      fyne.CanvasObject

	query   crm.RecordQuery
	total   int
	pages   map[int][]crm.RecordRow
	loading map[int]bool
	gen     int  // increases with every query; older answers are dropped
	opened  bool // the sheet has been shown: it is loaded and kept up to date
}

// recordColumns are the sheet's columns: translation key and width.
var recordColumns = []struct {
	key   string
	width float32
}{
	{"records.col_at", 140}, {"records.col_code", 80}, {"records.col_customer", 110},
	{"records.col_phone", 120}, {"records.col_kind", 80}, {"records.col_channel", 60},
	{"records.col_content", 280}, {"records.col_feedback", 220}, {"records.col_next_step", 160},
	{"records.col_next_date", 100},
}

// newRecordsScreen builds the sheet; it counts the records when first shown.
func newRecordsScreen(w *Window) *recordsScreen {
	s := &recordsScreen{w: w}
	s.buildUI()
	return s
}

func (s *recordsScreen) title() string       { return i18n.T("nav.records") }
func (s *recordsScreen) icon() fyne.Resource { return theme.ListIcon() }
func (s *recordsScreen) content() fyne.CanvasObject {
	if !s.opened {
		s.opened = true
		s.reload()
	}
	return s.root
}

// tableLength is the sheet's size for the table: no rows while the table has never been laid out.
// Fyne's Table treats every row as visible until it has a size and makes a divider for each
// (moveIndicators): a refresh of the hidden sheet of a book of 2,000,000 records took 800 MB.
func (s *recordsScreen) tableLength() (int, int) {
	if s.table.Size().Height <= 0 {
		return 0, len(recordColumns)
	}
	return s.total, len(recordColumns)
}

func (s *recordsScreen) buildUI() {
	s.from = widget.NewEntry()
	s.from.SetPlaceHolder(i18n.T("records.from"))
	s.from.OnChanged = func(string) { s.reload() }
	s.to = widget.NewEntry()
	s.to.SetPlaceHolder(i18n.T("records.to"))
	s.to.OnChanged = func(string) { s.reload() }
	s.kind = widget.NewSelect(append([]string{i18n.T("records.all_kinds")}, kindLabels()...), func(string) { s.reload() })
	s.kind.SetSelectedIndex(0)
	s.channel = widget.NewSelect(append([]string{i18n.T("records.all_channels")}, channelLabels()...), func(string) { s.reload() })
	s.channel.SetSelectedIndex(0)
	s.customer = widget.NewLabel("")
	s.clear = widget.NewButtonWithIcon("", theme.CancelIcon(), func() { s.filterCustomer(nil) })
	s.clear.Hide()
	s.export = widget.NewButtonWithIcon(i18n.T("records.export"), theme.DocumentSaveIcon(), s.w.onExport)
	s.export.Importance = widget.HighImportance
	s.count = widget.NewLabel("")
	s.filterErr = errorLabel()

	s.table = widget.NewTableWithHeaders(
		s.tableLength,
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		s.updateCell)
	s.table.ShowHeaderColumn = false
	s.table.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	s.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 && id.Col < len(recordColumns) {
			o.(*widget.Label).SetText(i18n.T(recordColumns[id.Col].key))
		}
	}
	for i, c := range recordColumns {
		s.table.SetColumnWidth(i, c.width)
	}
	s.table.OnSelected = s.onSelect
	s.empty = widget.NewLabel("")
	s.empty.Alignment = fyne.TextAlignCenter
	s.empty.Wrapping = fyne.TextWrapWord
	s.empty.Hide()

	filters := container.NewGridWithColumns(4, s.from, s.to, s.kind, s.channel)
	who := container.NewHBox(s.customer, s.clear)
	// The message of an empty sheet is above it, under the count (over the sheet, its column
	// lines ran through the text).
	top := container.NewVBox(
		container.NewBorder(nil, nil, nil, s.export, filters),
		container.NewBorder(nil, nil, who, nil, s.count),
		s.filterErr, s.empty)
	s.root = container.NewBorder(top, nil, nil, nil, s.table)
	s.restoreFilters()
}

// restoreFilters puts back the date range, kind and channel of the last start and remembers each
// change (a date is remembered once it reads as one).
func (s *recordsScreen) restoreFilters() {
	w := s.w
	validDate := func(text string) bool { _, ok := parseOptionalDate(text); return ok }
	w.rememberEntry(s.from, prefRecordsFrom, validDate)
	w.rememberEntry(s.to, prefRecordsTo, validDate)
	w.rememberSelect(s.kind, prefRecordsKind, prefValues(true, crm.RecordKinds))
	w.rememberSelect(s.channel, prefRecordsChannel, prefValues(true, crm.Channels))
}

// readQuery turns the filter bar into a query; a date that does not parse is reported and
// leaves the query as it was.
func (s *recordsScreen) readQuery() (crm.RecordQuery, bool) {
	q := crm.RecordQuery{CustomerID: s.query.CustomerID}
	from, okFrom := parseOptionalDate(s.from.Text)
	to, okTo := parseOptionalDate(s.to.Text)
	switch {
	case !okFrom:
		setError(s.filterErr, fieldErrorText(&crm.FieldError{Key: "err.date", Args: map[string]any{"Value": s.from.Text}}))
		return q, false
	case !okTo:
		setError(s.filterErr, fieldErrorText(&crm.FieldError{Key: "err.date", Args: map[string]any{"Value": s.to.Text}}))
		return q, false
	}
	setError(s.filterErr, "")
	q.From, q.To = from, to
	if i := s.kind.SelectedIndex(); i > 0 {
		q.Kind = crm.RecordKinds[i-1]
	}
	if i := s.channel.SelectedIndex(); i > 0 {
		q.Channel = crm.Channels[i-1]
	}
	return q, true
}

// showEmpty shows text above the sheet.
func (s *recordsScreen) showEmpty(text string) {
	s.empty.SetText(text)
	if !s.empty.Visible() {
		s.empty.Show()
		s.root.Refresh() // the top grows: laid out again
	}
}

// hideEmpty hides the message of an empty sheet.
func (s *recordsScreen) hideEmpty() {
	if s.empty.Visible() {
		s.empty.Hide()
		s.root.Refresh() // the top shrinks: laid out again
	}
}

// reload counts the records of the query and drops the pages read so far; rows are read when
// the table shows them.
func (s *recordsScreen) reload() {
	if s.table == nil || s.channel == nil || !s.opened {
		return // still building, or never shown yet: the first show loads
	}
	q, ok := s.readQuery()
	if !ok {
		return
	}
	s.query = q
	s.gen++
	gen := s.gen
	s.pages = map[int][]crm.RecordRow{}
	s.loading = map[int]bool{}
	book := s.w.book
	s.w.async(func() func() {
		n, err := book.CountRecords(context.Background(), q)
		return func() {
			if gen != s.gen {
				return
			}
			if err != nil {
				s.total = 0
				s.showEmpty(i18n.T("customers.load_failed", "Error", err))
				s.table.Refresh()
				return
			}
			s.total = n
			s.count.SetText(i18n.T("records.count", "Count", n))
			switch {
			case n > 0:
				s.hideEmpty()
			case q == (crm.RecordQuery{}):
				s.showEmpty(i18n.T("records.none_yet"))
			default:
				s.showEmpty(i18n.T("empty.records_no_match"))
			}
			s.table.ScrollToTop()
			s.table.Refresh()
		}
	})
}

// row returns row i when its page has been read, asking for the page otherwise.
func (s *recordsScreen) row(i int) (*crm.RecordRow, bool) {
	p := i / recordsPage
	if rows, ok := s.pages[p]; ok {
		if j := i - p*recordsPage; j < len(rows) {
			return &rows[j], true
		}
		return nil, false
	}
	if !s.loading[p] {
		s.loading[p] = true
		s.loadPage(p)
	}
	return nil, false
}

func (s *recordsScreen) loadPage(p int) {
	q, gen := s.query, s.gen
	book := s.w.book
	s.w.async(func() func() {
		rows, err := book.RecordRows(context.Background(), q, p*recordsPage, recordsPage)
		return func() {
			if gen != s.gen {
				return
			}
			delete(s.loading, p)
			if err != nil {
				setError(s.filterErr, i18n.T("customers.load_failed", "Error", err))
				return
			}
			s.pages[p] = rows
			s.table.Refresh()
		}
	})
}

func (s *recordsScreen) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	l := o.(*widget.Label)
	r, ok := s.row(id.Row)
	if !ok {
		l.SetText("…")
		return
	}
	l.SetText(recordCell(r, id.Col))
}

// recordCell is the text of column col of a record row.
func recordCell(r *crm.RecordRow, col int) string {
	oneLine := func(s string) string { return strings.ReplaceAll(s, "\n", " ") }
	switch col {
	case 0:
		return r.At.Format(dateTimeLayout)
	case 1:
		return r.CustomerCode
	case 2:
		return r.CustomerName
	case 3:
		return crm.FormatPhone(r.Phone)
	case 4:
		return kindLabel(r.Kind)
	case 5:
		return channelLabel(r.Channel)
	case 6:
		return oneLine(r.Content)
	case 7:
		return oneLine(r.Feedback)
	case 8:
		return oneLine(r.NextStep)
	case 9:
		return r.NextDate.String()
	}
	return ""
}

// filterCustomer shows the records of one customer (nil: of everyone).
func (s *recordsScreen) filterCustomer(c *crm.Summary) {
	if c == nil {
		s.query.CustomerID = 0
		s.customer.SetText("")
		s.clear.Hide()
	} else {
		s.query.CustomerID = c.ID
		s.customer.SetText(i18n.T("records.of_customer", "Name", c.Name, "Code", c.Code))
		s.clear.Show()
	}
	s.reload()
}

// onSelect opens the record for editing.
func (s *recordsScreen) onSelect(id widget.TableCellID) {
	s.table.UnselectAll()
	r, ok := s.row(id.Row)
	if !ok {
		return
	}
	rec := r.Record
	s.w.logContact(&crm.Summary{ID: r.CustomerID, Code: r.CustomerCode, Name: r.CustomerName}, &rec, s.w.afterRecordChange)
}
