package imports

import (
	"runtime"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"carebook/crm"
	"carebook/store"
)

// Translation keys of the problems Convert reports (besides crm's err.* keys of validation:
// err.phone, err.gender, err.tier, err.number, err.scale, err.amount, err.channel, err.kind,
// err.required, err.too_many…), with their placeholders:
//
//	import.date             "{{.Value}} is not a date."                              Value
//	import.datetime         "{{.Value}} is not a date and time."                     Value
//	import.yes_no           "{{.Value}} is not yes or no."                           Value
//	import.date_label       "{{.Value}}: write important dates as name:date."        Value
//	import.no_name          "No name."
//	import.no_customer_key  "No customer code or phone to find the customer by."
//	import.merged           "Same customer as row {{.Row}}: merged into it."         Row
//	import.not_merged       "Same customer as row {{.Row}}, but the two do not fit in one card:" Row
//	import.phone_dropped    warning: "{{.Value}} is not a phone number: kept in the notes." Value
const (
	keyDate          = "import.date"
	keyDateTime      = "import.datetime"
	keyYesNo         = "import.yes_no"
	keyDateLabel     = "import.date_label"
	keyNoName        = "import.no_name"
	keyNoCustomerKey = "import.no_customer_key"
	keyMerged        = "import.merged"
	keyNotMerged     = "import.not_merged"
	keyPhoneDropped  = "import.phone_dropped"
)

// Convert maps and converts tables, read with mappings (one per table; a missing one is
// guessed), into a batch: a result per data row of every table that is not skipped (Table its
// index, Line its row's Line) — except rows whose mapped cells are all empty, which are left out
// — and the customers, purchases and records to write.
//
// A valid row gets ImportCreate (the store turns a customer into an update when it matches one
// of the book, and links purchases and records); an invalid one ImportSkipRow with its problems
// (crm.FieldError: Field the column's header as written in the file, or the field's key when no
// column holds it; Key a translation key; Args its placeholders, Value the cell's text).
//
// Customers: a 建档日期/Created column sets Created (default today); columns of Field "" are
// appended to Notes as "header: value" lines, after the notes column's own text, and so is a
// second value of a one-value field and a phone that is not a phone next to a valid one (a
// warning: the row is still written; a row with no valid phone but some text in a phone column
// is skipped). A customer with the same code as an earlier row of the batch, or the same
// normalised phone when either has no code, is merged into the earlier one (its empty fields
// filled, phones, tags and dates joined, notes appended) and reported as skipped with
// "import.merged" {Row: the earlier row's line}.
//
// Purchases and records: CustomerCode from 顾客编号, Phone (normalised) from a phone column;
// neither → skipped with "import.no_customer_key". They are validated with
// crm.ValidatePurchase/ValidateRecord as if linked (the store links them). A record without a
// kind is routine (常规维护); without a channel, other; a purchase without a channel, offline.
func Convert(tables []crm.ImportTable, mappings []crm.ImportMapping, today crm.Date) *crm.ImportBatch {
	return convert(tables, mappings, today, false)
}

// convert is Convert; with compact, each table keeps only the cells store.Import reads
// (store.ImportColumnsRead: their columns first), its rows cut down chunk by chunk as soon as they are converted so
// that the cells of the whole file (32 bytes each: 100 MB for 100,000 rows of 31 columns) and
// the converted cards are never all in memory together. Only a batch that no preview shows may
// be compacted.
func convert(tables []crm.ImportTable, mappings []crm.ImportMapping, today crm.Date, compact bool) *crm.ImportBatch {
	b := &crm.ImportBatch{Tables: tables, Mappings: make([]crm.ImportMapping, len(tables))}
	rows := 0
	for i := range tables {
		if i < len(mappings) {
			b.Mappings[i] = mappings[i]
		} else {
			b.Mappings[i] = Guess(&tables[i])
		}
		if b.Mappings[i].Kind != crm.ImportSkip {
			rows += len(tables[i].Rows)
		}
	}
	b.Results = make([]crm.ImportRowResult, 0, rows)
	cv := &converter{b: b, today: today, codes: make(map[string]int, rows), phones: make(map[string]int, rows)}
	for ti := range tables {
		t, m := &tables[ti], &b.Mappings[ti]
		pl := newPlan(t, m)
		var done func([]crm.ImportRow)
		var keep []int
		if compact {
			keep = store.ImportColumnsRead(*m)
			done = func(rows []crm.ImportRow) { compactRows(rows, keep) }
		}
		converted := true
		switch m.Kind {
		case crm.ImportCustomers:
			b.Customers = slices.Grow(b.Customers, len(t.Rows))
			convertRows(pl, ti, t.Rows, done, cv.customer, func(c *crm.Customer, res crm.ImportRowResult) {
				cv.commitCustomer(pl, c, res)
			})
		case crm.ImportPurchases:
			b.Purchases = slices.Grow(b.Purchases, len(t.Rows))
			convertRows(pl, ti, t.Rows, done, cv.purchase, collect(b, &b.Purchases, func(p *crm.ImportPurchase) *int { return &p.Row }))
		case crm.ImportServices:
			sv := b.Serve()
			convertRows(pl, ti, t.Rows, done, cv.service, collect(b, &sv.Services, func(v *crm.ImportService) *int { return &v.Row }))
		case crm.ImportComplaints:
			sv := b.Serve()
			convertRows(pl, ti, t.Rows, done, cv.complaint, collect(b, &sv.Complaints, func(c *crm.ImportComplaint) *int { return &c.Row }))
		case crm.ImportEvents:
			sv := b.Serve()
			convertRows(pl, ti, t.Rows, done, cv.event, collect(b, &sv.Events, func(e *crm.ImportEvent) *int { return &e.Row }))
		case crm.ImportRecords:
			b.Records = slices.Grow(b.Records, len(t.Rows))
			convertRows(pl, ti, t.Rows, done, cv.record, collect(b, &b.Records, func(r *crm.ImportRecord) *int { return &r.Row }))
		default:
			converted = false
		}
		if compact {
			if !converted {
				compactRows(t.Rows, keep)
			}
			compactTable(t, m, keep)
		}
	}
	return b
}

// collect is the commit of convertRows for rows that link to customers later (purchases,
// records, services, complaints, events): a row to create goes to *list, its Row (row) set to
// its report line; every row's report line goes to b.Results.
func collect[T any](b *crm.ImportBatch, list *[]T, row func(*T) *int) func(*T, crm.ImportRowResult) {
	return func(v *T, res crm.ImportRowResult) {
		if res.Action == crm.ImportCreate {
			*row(v) = len(b.Results)
			*list = append(*list, *v)
		}
		b.Results = append(b.Results, res)
	}
}

// chunkRows is how many rows convertRows converts at a time, in parallel, before it commits
// them in order.
const chunkRows = 4096

// convertRows converts rows with convert, in chunks whose rows are converted in parallel (a row's
// conversion reads nothing but its own cells), and hands each non-empty row to commit in order,
// then the chunk to done (when not nil). The next chunk is converted while the last one is
// committed.
func convertRows[T any](p *plan, ti int, rows []crm.ImportRow, done func([]crm.ImportRow), convert func(*plan, int, *crm.ImportRow) (T, crm.ImportRowResult),
	commit func(*T, crm.ImportRowResult)) {
	type out struct {
		v     T
		res   crm.ImportRowResult
		empty bool
	}
	n := min(chunkRows, len(rows))
	bufs := [2][]out{make([]out, n), make([]out, n)}
	workers := max(1, min(runtime.GOMAXPROCS(0), len(rows)/256))
	start := func(chunk []crm.ImportRow, buf []out) *sync.WaitGroup {
		var wg sync.WaitGroup
		per := (len(chunk) + workers - 1) / workers
		for w := 0; w < len(chunk); w += per {
			wg.Go(func() {
				for i := w; i < min(w+per, len(chunk)); i++ {
					o := &buf[i]
					if o.empty = p.empty(&chunk[i]); !o.empty {
						o.v, o.res = convert(p, ti, &chunk[i])
					}
				}
			})
		}
		return &wg
	}
	chunkAt := func(lo int) []crm.ImportRow { return rows[lo:min(lo+chunkRows, len(rows))] }
	var pending *sync.WaitGroup
	if len(rows) > 0 {
		pending = start(chunkAt(0), bufs[0])
	}
	for k, lo := 0, 0; lo < len(rows); k, lo = k+1, lo+chunkRows {
		pending.Wait()
		chunk, buf := chunkAt(lo), bufs[k%2]
		if next := lo + chunkRows; next < len(rows) {
			pending = start(chunkAt(next), bufs[(k+1)%2])
		}
		for i := range chunk {
			if !buf[i].empty {
				commit(&buf[i].v, buf[i].res)
			}
			buf[i] = out{} // nothing of a committed row stays reachable from here
		}
		if done != nil {
			done(chunk)
		}
	}
}

// compactRows cuts rows down to their cells of the columns keep (a blank cell where a row is
// shorter), their texts copied out of the row's text, all from one allocation: the cells the
// rows were read with are left to the garbage collector.
func compactRows(rows []crm.ImportRow, keep []int) {
	cells := make([]crm.ImportCell, len(keep)*len(rows))
	for i := range rows {
		r := &rows[i]
		row := cells[i*len(keep) : (i+1)*len(keep) : (i+1)*len(keep)]
		for k, j := range keep {
			if j < len(r.Cells) {
				row[k] = r.Cells[j]
				row[k].Text = strings.Clone(row[k].Text)
			}
		}
		if len(row) == 0 {
			row = nil
		}
		r.Cells = row
	}
}

// compactTable reorders t's header and m's columns as compactRows cuts its rows: the columns
// keep first, in that order, then the others (store.Import reads which fields they hold).
func compactTable(t *crm.ImportTable, m *crm.ImportMapping, keep []int) {
	n := max(len(t.Header), len(m.Columns))
	order := slices.Clone(keep)
	for j := range n {
		if !slices.Contains(keep, j) {
			order = append(order, j)
		}
	}
	header := make([]string, 0, len(t.Header))
	cols := make([]crm.ImportColumn, 0, len(m.Columns))
	for _, j := range order {
		if j < len(t.Header) {
			header = append(header, t.Header[j])
		}
		if j < len(m.Columns) {
			cols = append(cols, m.Columns[j])
		}
	}
	t.Header, m.Columns = header, cols
}

// plan is how the columns of a table are read: each column's field and header.
type plan struct {
	fields  []string
	headers []string
	byField map[string]string // field → header of its first column
}

func newPlan(t *crm.ImportTable, m *crm.ImportMapping) *plan {
	n := max(len(t.Header), len(m.Columns))
	for i := range t.Rows {
		n = max(n, len(t.Rows[i].Cells))
	}
	p := &plan{fields: make([]string, n), headers: make([]string, n), byField: map[string]string{}}
	for i := range n {
		if i < len(m.Columns) {
			p.fields[i], p.headers[i] = m.Columns[i].Field, m.Columns[i].Header
		}
		if i < len(t.Header) {
			p.headers[i] = t.Header[i]
		}
		if f := p.fields[i]; f != "" && f != FieldIgnore {
			if _, ok := p.byField[f]; !ok {
				p.byField[f] = p.headers[i]
			}
		}
	}
	return p
}

// header is the header of field's first column, or the field's key when no column holds it.
func (p *plan) header(field string) string {
	if h, ok := p.byField[field]; ok {
		return h
	}
	return field
}

// empty reports whether every mapped cell of row is empty.
func (p *plan) empty(row *crm.ImportRow) bool {
	for i := range row.Cells {
		if f := p.fields[i]; f == "" || f == FieldIgnore {
			continue
		}
		c := &row.Cells[i]
		if c.Kind == crm.CellNumber || c.Kind == crm.CellDate || strings.TrimSpace(c.Text) != "" {
			return false
		}
	}
	return true
}

// converter holds what the rows of a batch share: the index of customers by code and phone, for
// merging duplicates.
type converter struct {
	b      *crm.ImportBatch
	today  crm.Date
	codes  map[string]int // code → index in b.Customers
	phones map[string]int // normalised phone → index in b.Customers
}

// problems collects the problems of a row.
type problems []crm.FieldError

func (ps *problems) add(field, key string, args map[string]any) {
	*ps = append(*ps, crm.FieldError{Field: field, Key: key, Args: args})
}

func value(s string) map[string]any { return map[string]any{"Value": s} }

// customerFields maps crm.ValidateCustomer's fields (before any "[i]" or ".label") to columns.
var customerFields = map[string]string{"phones": fieldPhone}

// customer converts a customer row.
func (cv *converter) customer(p *plan, ti int, row *crm.ImportRow) (crm.Customer, crm.ImportRowResult) {
	var (
		c        crm.Customer
		probs    problems
		warnings problems
		extra    []string                        // "header: value" lines for the notes
		badPhone []struct{ header, text string } // phone texts that are not phones
		dndSet   bool
	)
	note := func(header, v string) {
		if header == "" {
			extra = append(extra, v)
		} else {
			extra = append(extra, header+": "+v)
		}
	}
	setText := func(dst *string, header, v string) {
		switch {
		case v == "":
		case *dst == "":
			*dst = v
		case *dst != v:
			note(header, v)
		}
	}
	for i := range row.Cells {
		cell := row.Cells[i]
		field, header := p.fields[i], p.headers[i]
		if field == FieldIgnore {
			continue
		}
		text := cellText(cell)
		switch field {
		case "code":
			setText(&c.Code, header, numberText(cell))
		case "name":
			setText(&c.Name, header, text)
		case "remark":
			setText(&c.Remark, header, text)
		case "wechat":
			if !isBlank(text) {
				setText(&c.WeChat, header, numberText(cell))
			}
		case "email":
			if !isBlank(text) {
				setText(&c.Email, header, text)
			}
		case "address":
			setText(&c.Address, header, text)
		case "company":
			setText(&c.Company, header, text)
		case "title":
			setText(&c.Title, header, text)
		case "source":
			setText(&c.Source, header, text)
		case "needs":
			setText(&c.Needs, header, text)
		case "latent_needs":
			setText(&c.LatentNeeds, header, text)
		case "preferences":
			setText(&c.Preferences, header, text)
		case "interests":
			setText(&c.Interests, header, text)
		case "notes":
			setText(&c.Notes, header, text)
		case "gender":
			if isBlank(text) {
				continue
			}
			if v, ok := genderTable.lookup(text); !ok {
				probs.add(header, "err.gender", value(text))
			} else if c.Gender == "" {
				c.Gender = crm.Gender(v)
			}
		case "tier":
			if isBlank(text) {
				continue
			}
			if v, ok := tierTable.lookup(text); !ok {
				probs.add(header, "err.tier", value(text))
			} else if c.Tier == "" {
				c.Tier = crm.Tier(v)
			}
		case "do_not_disturb":
			if isBlank(text) {
				continue
			}
			if v, ok := yesNoTable.lookup(numberText(cell)); !ok {
				probs.add(header, keyYesNo, value(text))
			} else if !dndSet {
				c.DoNotDisturb, dndSet = v == "yes", true
			}
		case fieldPhone:
			for _, ph := range splitPhones(numberText(cell)) {
				if isBlank(ph) {
					continue
				}
				e164, err := normalizePhone(ph)
				if err != nil {
					badPhone = append(badPhone, struct{ header, text string }{header, ph})
					continue
				}
				if !slices.Contains(c.Phones, e164) {
					c.Phones = append(c.Phones, e164)
				}
			}
		case "tags":
			for _, tag := range splitList(text) {
				if !slices.Contains(c.Tags, tag) {
					c.Tags = append(c.Tags, tag)
				}
			}
		case "birthday":
			if isBlank(text) && cell.Kind == crm.CellText {
				continue
			}
			k, err := ParseKeyDateCell(cell)
			switch {
			case err != nil:
				probs.add(header, keyDate, value(text))
			case k != nil && c.Birthday == nil:
				c.Birthday = k
			}
		case "dates":
			cv.dates(&c, &probs, header, text)
		case "knowing", "closeness", "loyalty":
			n, ok := parseScale(cell)
			if !ok {
				probs.add(header, "err.number", value(text))
				continue
			}
			dst := &c.Loyalty
			switch field {
			case "knowing":
				dst = &c.Knowing
			case "closeness":
				dst = &c.Closeness
			}
			if *dst == 0 {
				*dst = n
			}
		case "created":
			if isBlank(text) && cell.Kind == crm.CellText {
				continue
			}
			d, err := ParseDateCell(cell)
			switch {
			case err != nil:
				probs.add(header, keyDate, value(text))
			case c.Created.IsZero():
				c.Created = d
			}
		default: // "" or a field customers do not have: kept in the notes
			if text != "" {
				note(header, text)
			}
		}
	}
	for _, bp := range badPhone {
		header, ph := bp.header, bp.text
		if len(c.Phones) == 0 {
			probs.add(header, "err.phone", value(ph))
		} else {
			warnings.add(header, keyPhoneDropped, value(ph))
			note(header, ph)
		}
	}
	if len(extra) > 0 {
		if c.Notes != "" {
			c.Notes += "\n"
		}
		c.Notes += strings.Join(extra, "\n")
	}
	if c.Created.IsZero() {
		c.Created = cv.today
	}
	for _, fe := range validateCustomer(&c) {
		base, _, _ := strings.Cut(fe.Field, "[")
		base, _, _ = strings.Cut(base, ".")
		if f, ok := customerFields[base]; ok {
			base = f
		}
		if fe.Field == "name" && fe.Key == "err.required" {
			fe.Key = keyNoName
		}
		fe.Field = p.header(base)
		probs = append(probs, fe)
	}
	res := crm.ImportRowResult{Table: ti, Line: row.Line, Code: c.Code, Name: c.DisplayName(), Action: crm.ImportCreate}
	if len(probs) > 0 {
		res.Action = crm.ImportSkipRow
		res.Problems = append(probs, warnings...)
		return c, res
	}
	res.Problems = warnings
	return c, res
}

// commitCustomer adds a converted customer row to the batch: merged into an earlier customer
// of the batch that it duplicates, else a new one.
func (cv *converter) commitCustomer(p *plan, c *crm.Customer, res crm.ImportRowResult) {
	if res.Action == crm.ImportCreate {
		if j, ok := cv.duplicate(c); ok {
			cv.merge(j, c, &res, p)
		} else {
			j := len(cv.b.Customers)
			cv.b.Customers = append(cv.b.Customers, crm.ImportCustomer{Row: len(cv.b.Results), Customer: *c})
			cv.index(j)
		}
	}
	cv.b.Results = append(cv.b.Results, res)
}

// validateCustomer normalises c (crm.NormalizeCustomer) and validates it
// (crm.ValidateCustomer); its phones, already normalised and deduplicated, are only counted
// (parsing a phone again would take most of the import's time).
func validateCustomer(c *crm.Customer) crm.Errors {
	phones := c.Phones
	c.Phones = nil
	crm.NormalizeCustomer(c)
	es := crm.ValidateCustomer(c)
	c.Phones = phones
	if len(phones) > crm.MaxPhones {
		es = append(es, crm.FieldError{Field: "phones", Key: "err.too_many", Args: map[string]any{"Max": crm.MaxPhones}})
	}
	return es
}

// dates reads an important dates cell: label:date entries separated by ; (or , ， 、 ；).
func (cv *converter) dates(c *crm.Customer, probs *problems, header, text string) {
	for _, e := range splitList(text) {
		// The label as typed (full-width characters kept), the date folded to half-width: the
		// label ends at the first ":" or "：", which cannot be in a label.
		e = strings.TrimSpace(e)
		cut := strings.IndexAny(e, ":：")
		ok := cut >= 0
		label, date := e, ""
		if ok {
			_, w := utf8.DecodeRuneInString(e[cut:])
			label, date = e[:cut], foldText(e[cut+w:])
		}
		label, date = strings.TrimSpace(label), strings.TrimSpace(date)
		if !ok || label == "" || date == "" {
			probs.add(header, keyDateLabel, value(e))
			continue
		}
		k, err := parseKeyDateText(date)
		if err != nil {
			probs.add(header, keyDate, value(date))
			continue
		}
		k.Label = label
		if !slices.Contains(c.Dates, k) {
			c.Dates = append(c.Dates, k)
		}
	}
}

// duplicate finds an earlier customer of the batch that c is: the same code, else (when either
// has no code) the same normalised phone.
func (cv *converter) duplicate(c *crm.Customer) (int, bool) {
	if c.Code != "" {
		if j, ok := cv.codes[c.Code]; ok {
			return j, true
		}
	}
	for _, ph := range c.Phones {
		if j, ok := cv.phones[ph]; ok && (c.Code == "" || cv.b.Customers[j].Customer.Code == "") {
			return j, true
		}
	}
	return 0, false
}

// index adds customer j's code and phones to the index.
func (cv *converter) index(j int) {
	c := &cv.b.Customers[j].Customer
	if c.Code != "" {
		if _, ok := cv.codes[c.Code]; !ok {
			cv.codes[c.Code] = j
		}
	}
	for _, ph := range c.Phones {
		if _, ok := cv.phones[ph]; !ok {
			cv.phones[ph] = j
		}
	}
}

// merge merges c, a later row, into customer j: empty fields filled, phones, tags and dates
// joined, notes appended, the earliest created date, the highest tier but ordinary… — and
// reports the row as skipped. When the merged card would be invalid (too many phones…), j is
// left as it is and the row is skipped with the reasons.
func (cv *converter) merge(j int, c *crm.Customer, res *crm.ImportRowResult, p *plan) {
	ic := &cv.b.Customers[j]
	earlier := cv.b.Results[ic.Row].Line
	m := ic.Customer
	m.Phones = slices.Clone(m.Phones)
	m.Tags = slices.Clone(m.Tags)
	m.Dates = slices.Clone(m.Dates)
	for _, f := range []struct{ dst, src *string }{
		{&m.Code, &c.Code}, {&m.Name, &c.Name}, {&m.Remark, &c.Remark}, {&m.WeChat, &c.WeChat},
		{&m.Email, &c.Email}, {&m.Address, &c.Address}, {&m.Company, &c.Company}, {&m.Title, &c.Title},
		{&m.Source, &c.Source}, {&m.Needs, &c.Needs}, {&m.LatentNeeds, &c.LatentNeeds},
		{&m.Preferences, &c.Preferences}, {&m.Interests, &c.Interests},
	} {
		if *f.dst == "" {
			*f.dst = *f.src
		}
	}
	if c.Notes != "" && c.Notes != m.Notes && !strings.Contains(m.Notes, c.Notes) {
		if m.Notes != "" {
			m.Notes += "\n"
		}
		m.Notes += c.Notes
	}
	if m.Gender == crm.GenderUnknown {
		m.Gender = c.Gender
	}
	if m.Tier == crm.TierOrdinary {
		m.Tier = c.Tier
	}
	if m.Birthday == nil {
		m.Birthday = c.Birthday
	}
	for _, x := range c.Phones {
		if !slices.Contains(m.Phones, x) {
			m.Phones = append(m.Phones, x)
		}
	}
	for _, x := range c.Tags {
		if !slices.Contains(m.Tags, x) {
			m.Tags = append(m.Tags, x)
		}
	}
	for _, x := range c.Dates {
		if !slices.Contains(m.Dates, x) {
			m.Dates = append(m.Dates, x)
		}
	}
	m.DoNotDisturb = m.DoNotDisturb || c.DoNotDisturb
	for _, f := range []struct{ dst, src *int }{{&m.Knowing, &c.Knowing}, {&m.Closeness, &c.Closeness}, {&m.Loyalty, &c.Loyalty}} {
		if *f.dst == 0 {
			*f.dst = *f.src
		}
	}
	m.Created = min(m.Created, c.Created)
	res.Action = crm.ImportSkipRow
	res.Code, res.Name = m.Code, m.DisplayName()
	if es := validateCustomer(&m); len(es) > 0 {
		res.Problems = append(res.Problems, crm.FieldError{Key: keyNotMerged, Args: map[string]any{"Row": earlier}})
		for _, fe := range es {
			base, _, _ := strings.Cut(fe.Field, "[")
			if f, ok := customerFields[base]; ok {
				base = f
			}
			fe.Field = p.header(base)
			res.Problems = append(res.Problems, fe)
		}
		return
	}
	res.Problems = append([]crm.FieldError{{Key: keyMerged, Args: map[string]any{"Row": earlier}}}, res.Problems...)
	ic.Customer = m
	cv.index(j)
}

// link reads the customer columns of a purchase or record row: code, phone and name.
func link(p *plan, row *crm.ImportRow, probs *problems) (code, phone, name string) {
	for i := range row.Cells {
		cell := row.Cells[i]
		switch p.fields[i] {
		case "customer_code":
			if code == "" {
				code = numberText(cell)
			}
		case "customer":
			if name == "" {
				name = cellText(cell)
			}
		case fieldPhone:
			if phone != "" {
				continue
			}
			for _, ph := range splitPhones(numberText(cell)) {
				if isBlank(ph) {
					continue
				}
				e164, err := normalizePhone(ph)
				if err != nil {
					probs.add(p.headers[i], "err.phone", value(ph))
				} else {
					phone = e164
				}
				break
			}
		}
	}
	if code == "" && phone == "" && len(*probs) == 0 {
		probs.add("", keyNoCustomerKey, nil)
	}
	return code, phone, name
}

// purchase converts a purchase row.
func (cv *converter) purchase(p *plan, ti int, row *crm.ImportRow) (crm.ImportPurchase, crm.ImportRowResult) {
	var probs problems
	code, phone, name := link(p, row, &probs)
	var pu crm.Purchase
	amountSet := false
	for i := range row.Cells {
		cell := row.Cells[i]
		header, text := p.headers[i], cellText(row.Cells[i])
		switch p.fields[i] {
		case "date":
			if pu.Date != 0 {
				continue
			}
			d, err := ParseDateCell(cell)
			if err != nil {
				probs.add(header, keyDate, value(text))
			}
			pu.Date = d
		case "amount":
			if amountSet || text == "" && cell.Kind == crm.CellText {
				continue
			}
			m, err := parseAmount(cell)
			if err != nil {
				probs.add(header, "err.amount", value(text))
			}
			pu.Amount, amountSet = m, true
		case "items":
			if pu.Items == "" {
				pu.Items = text
			}
		case "channel":
			if isBlank(text) || pu.Channel != "" {
				continue
			}
			v, ok := saleChannelTable.lookup(text)
			if !ok {
				probs.add(header, "err.channel", value(text))
			}
			pu.Channel = crm.SaleChannel(v)
		}
	}
	if !amountSet && len(probs) == 0 {
		probs.add(p.header("amount"), "err.required", nil)
	}
	crm.NormalizePurchase(&pu)
	if len(probs) == 0 {
		pu.CustomerID = 1 // linked by the store
		for _, fe := range crm.ValidatePurchase(&pu) {
			fe.Field = p.header(fe.Field)
			probs = append(probs, fe)
		}
		pu.CustomerID = 0
	}
	res := crm.ImportRowResult{Table: ti, Line: row.Line, Code: code, Name: name, Action: crm.ImportCreate}
	if len(probs) > 0 {
		res.Action, res.Problems = crm.ImportSkipRow, probs
	}
	return crm.ImportPurchase{CustomerCode: code, Phone: phone, Purchase: pu}, res
}

// recordFields maps crm.ValidateRecord's fields to columns.
var recordFields = map[string]string{"at": "date"}

// record converts a maintenance record row.
func (cv *converter) record(p *plan, ti int, row *crm.ImportRow) (crm.ImportRecord, crm.ImportRowResult) {
	var probs problems
	code, phone, name := link(p, row, &probs)
	var r crm.Record
	for i := range row.Cells {
		cell := row.Cells[i]
		header, text := p.headers[i], cellText(row.Cells[i])
		switch p.fields[i] {
		case "date":
			if !r.At.IsZero() {
				continue
			}
			t, err := ParseDateTimeCell(cell)
			if err != nil {
				probs.add(header, keyDateTime, value(text))
			}
			r.At = t
		case "kind":
			if isBlank(text) || r.Kind != "" {
				continue
			}
			v, ok := recordKindTable.lookup(text)
			if !ok {
				probs.add(header, "err.kind", value(text))
			}
			r.Kind = crm.RecordKind(v)
		case "channel":
			if isBlank(text) || r.Channel != "" {
				continue
			}
			v, ok := recordChannelTable.lookup(text)
			if !ok {
				probs.add(header, "err.channel", value(text))
			}
			r.Channel = crm.Channel(v)
		case "content":
			if r.Content == "" {
				r.Content = text
			}
		case "feedback":
			if r.Feedback == "" {
				r.Feedback = text
			}
		case "next_step":
			if r.NextStep == "" {
				r.NextStep = text
			}
		case "next_date":
			if r.NextDate != 0 || isBlank(text) && cell.Kind == crm.CellText {
				continue
			}
			d, err := ParseDateCell(cell)
			if err != nil {
				probs.add(header, keyDate, value(text))
			}
			r.NextDate = d
		}
	}
	if r.Kind == "" {
		r.Kind = crm.KindRoutine
	}
	crm.NormalizeRecord(&r)
	if len(probs) == 0 {
		r.CustomerID = 1 // linked by the store
		for _, fe := range crm.ValidateRecord(&r) {
			if f, ok := recordFields[fe.Field]; ok {
				fe.Field = f
			}
			fe.Field = p.header(fe.Field)
			probs = append(probs, fe)
		}
		r.CustomerID = 0
	}
	res := crm.ImportRowResult{Table: ti, Line: row.Line, Code: code, Name: name, Action: crm.ImportCreate}
	if len(probs) > 0 {
		res.Action, res.Problems = crm.ImportSkipRow, probs
	}
	return crm.ImportRecord{CustomerCode: code, Phone: phone, Record: r}, res
}
