package crm

// Import (PRODUCT.md §5 "Import"): files are read into tables (store/xlsx, store/csvfile,
// store/vcard), the tables are mapped and converted into an ImportBatch with a per-row report
// (store/imports), and the store writes the accepted rows in one transaction (store.Import).
// These are the types they share with the UI; they hold no logic that needs a file or the book.

// ImportFileError is a file an import cannot read: missing, not the format its name says,
// broken, too big. Key and Args are a translated message for the user ("import.err_*").
type ImportFileError struct {
	File string
	Key  string
	Args map[string]any
	Err  error // the cause, for the log
}

func (e *ImportFileError) Error() string {
	if e.Err != nil {
		return "import " + e.File + ": " + e.Key + ": " + e.Err.Error()
	}
	return "import " + e.File + ": " + e.Key
}

func (e *ImportFileError) Unwrap() error { return e.Err }

// CellKind says what a cell read from a file holds.
type CellKind int

// Cell kinds.
const (
	CellText   CellKind = iota // text (CSV cells, text cells of a workbook, vCard values)
	CellNumber                 // a number (Number is set, Text shows it)
	CellDate                   // a number with a date format: Number is the Excel serial date
	CellBool                   // a TRUE/FALSE cell (Text is "TRUE" or "FALSE")
)

// ImportCell is one cell as read: its text as the user sees it in the file and, for numbers and
// dates, the raw number.
type ImportCell struct {
	Text   string
	Number float64
	Kind   CellKind
}

// ImportRow is a data row of a table.
type ImportRow struct {
	Line  int // 1-based row (CSV line, vCard: the card's first line) in the file, for the report
	Cells []ImportCell
}

// ImportTable is what a reader returns for one sheet, one CSV file or one vCard file: its header
// row and its data rows (blank rows left out).
type ImportTable struct {
	File       string // the file's base name
	Sheet      string // the sheet's name; "" for CSV and vCard
	HeaderLine int    // 1-based row of the header in the file
	Header     []string
	Rows       []ImportRow
}

// ImportKind is what the rows of a table are.
type ImportKind string

// Import kinds: the sheets of PRODUCT.md §5 that an import reads (the summary and derived
// columns are never read).
const (
	ImportCustomers ImportKind = "customers"
	ImportPurchases ImportKind = "purchases"
	ImportRecords   ImportKind = "records"
	// A table that is not imported: the summary, or one the user leaves out. (The services,
	// complaints and events sheets: crm/importserve.go.)
	ImportSkip ImportKind = ""
)

// ImportColumn is the mapping of one column of a table: the field of ImportKind it fills, or ""
// when the column is kept in the customer's notes (customers) or ignored (other kinds).
type ImportColumn struct {
	Header string
	Field  string // a column key of PRODUCT.md §5 (store/xlsx: Column.Key), e.g. "phone"
}

// ImportFieldIgnore is the Field of a column that is ignored silently: not imported and, for
// customers, not kept in the notes either.
const ImportFieldIgnore = "-"

// ImportMapping is how a table is read: its kind and a field per column. The importer guesses
// it from the sheet name and headers; the user may change it in the preview.
type ImportMapping struct {
	Kind    ImportKind
	Columns []ImportColumn
}

// ImportAction is what an import does with one row.
type ImportAction string

// Import actions.
const (
	ImportCreate  ImportAction = "create" // a new customer (or purchase, record, service)
	ImportUpdate  ImportAction = "update" // an existing customer: same code, else same phone
	ImportSkipRow ImportAction = "skip"   // not written, with a reason
)

// ImportRowResult is the report line of one row.
type ImportRowResult struct {
	Table  int // index of the table in the preview
	Line   int // ImportRow.Line
	Action ImportAction
	// Who the row is about: the customer's code (when known) and display name.
	Code, Name string
	// Why a row is skipped, or a warning on a row that is written (e.g. an unknown column kept
	// in notes is not a warning; a second phone that is not a phone is). Translated by the UI:
	// Key is a translation key, Args its placeholders; Field names the column.
	Problems []FieldError
}

// ImportCustomer is a customer row to write: the customer (ID set when it updates one) and the
// row it came from.
type ImportCustomer struct {
	Row      int // index in ImportBatch.Results
	Customer Customer
}

// ImportPurchase is a purchase row: the purchase and the customer it belongs to, by the code or
// the normalised phone the row gives (resolved by the store, against the book and the
// customers of the same batch).
type ImportPurchase struct {
	Row                 int
	CustomerCode, Phone string
	Purchase            Purchase
}

// ImportRecord is a maintenance record row, linked like ImportPurchase.
type ImportRecord struct {
	Row                 int
	CustomerCode, Phone string
	Record              Record
}

// ImportBatch is everything one import writes, converted and validated, with the report of
// every row. The store resolves links and updates, fills in Results (a row whose customer
// cannot be found is skipped then) and writes all the accepted rows or none.
type ImportBatch struct {
	Tables    []ImportTable
	Mappings  []ImportMapping // one per table
	Customers []ImportCustomer
	Purchases []ImportPurchase
	Records   []ImportRecord
	// ServeRows are the rows of the 服务, 客诉 and 活动 sheets (see Serve).
	ServeRows ImportServe
	Results   []ImportRowResult
}

// ImportCounts sums up a report.
type ImportCounts struct {
	Created, Updated, Skipped int
}

// Counts sums up the results by action.
func (b *ImportBatch) Counts() ImportCounts {
	var n ImportCounts
	for i := range b.Results {
		switch b.Results[i].Action {
		case ImportCreate:
			n.Created++
		case ImportUpdate:
			n.Updated++
		case ImportSkipRow:
			n.Skipped++
		}
	}
	return n
}
