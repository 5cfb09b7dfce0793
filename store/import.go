package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"

	"carebook/crm"
)

// The database side of an import (PRODUCT.md §5 "Import"): the readers and the conversion
// (store/imports) turn files into a crm.ImportBatch; Import resolves it against the book — which
// rows update a customer, which create one, which purchase or record belongs to whom — and
// writes every accepted row in one transaction.
//
// It is set-based like the bulk inserts: the book is read with a handful of queries over the
// batch's keys (never one query per row), the rows are written with prepared statements, and the
// triggers that keep record_counts and plan_state are suspended meanwhile, the derived rows of
// the touched customers recomputed at the end of the same transaction.

// Translation keys of the problems Import adds to a row's report (English text; placeholders in
// Go text/template syntax):
//
//	import.no_customer    "No customer with code {{.Code}} or phone {{.Phone}}."  Code, Phone
//	import.merge_invalid  "Cannot update customer {{.Code}} with this row:"      Code (followed by
//	                      the field errors of the card the update would give)
const (
	keyNoCustomer   = "import.no_customer"
	keyMergeInvalid = "import.merge_invalid"
)

// ImportOptions are the options of Import.
type ImportOptions struct {
	// DryRun resolves the batch and fills in its Results exactly as the import would, in a
	// read-only transaction, and writes nothing.
	DryRun bool
	// Progress, when set, is called now and then (not for every row) with the number of rows
	// written so far and the number to write, first with 0 and last with done == total, before
	// the commit. It runs on the caller's goroutine while the import holds the book's write
	// lock: it must not call the Store (it may cancel the import's context).
	Progress func(done, total int)
	// Consume lets the import work on the batch's customer cards where they are instead of on
	// copies (100,000 cards are some 45 MB): for a caller that does not read b.Customers' cards
	// afterwards (carebook import). Their contents are then the import's, but for the ID and
	// Code each gets on success as always.
	Consume bool
}

// progressEvery is how many rows an import writes between two calls of Progress.
const progressEvery = 4096

// Import writes batch b into the book: one write transaction, all the accepted rows or nothing
// (an error, or ctx cancelled half-way, leaves the book as it was).
//
// Customers (b.Customers whose result row is not ImportSkipRow) are matched, in batch order,
// against the book and the customers before them in the batch: by code when the row has one,
// else by the first of its phones that a customer has (E.164, as normalised). A row that matches
// updates that customer (ImportUpdate): every non-empty text of the row replaces the stored one;
// gender, tier and the three assessments replace it when set (not unknown, ordinary, 0), or when
// the row's cell for them is not blank; do-not-disturb is set when the row sets it and cleared
// only by a cell that says so; the birthday replaces the stored one; phones and tags are joined
// (stored ones first, no duplicates); important dates are joined, a date of the same label
// replacing the stored one; the row's notes are appended on a new line unless the stored notes
// already contain them; the creation date changes only when the row's 建档日期 cell is not blank;
// the code and whether the customer is archived never change. When the card this would give is
// invalid (too many phones, notes too long…), the row is skipped with "import.merge_invalid" and
// the card's field errors. A row that matches nothing creates a customer (ImportCreate), whose
// code, when the row has none, is the next C-number after every one in the book and the batch.
// Either way the result's Code and Name become the customer's.
//
// Purchases and records are linked by CustomerCode, else (or when no customer has that code) by
// Phone, to a customer of the batch (created ones included) or else of the book; a row linked to
// none is skipped with a "customer_code" problem "import.no_customer" {Code, Phone}, and an invalid
// one with its field errors. The others are created.
//
// The services, complaints, and events with their invitations (b.Serve()) are linked the same
// way and matched against the book, so that importing a workbook again adds nothing: see
// importserve.go.
//
// b.Results is changed only when the import succeeds (or, with DryRun, once resolved); on
// success each written b.Customers[i].Customer also gets the ID and Code of the customer it
// created or updated. A batch whose entries point outside b.Results is refused.
func (s *Store) Import(ctx context.Context, b *crm.ImportBatch, o ImportOptions) error {
	if err := checkBatch(b); err != nil {
		return fmt.Errorf("import: %w", err)
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if o.DryRun {
		if err := s.importDryRun(ctx, b); err != nil {
			return fmt.Errorf("import: %w", err)
		}
		return nil
	}

	var p *importPlan
	err := s.bulkTx(ctx, false, func(ctx context.Context, tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA cache_size = %d", importCacheKiB)); err != nil {
			return err
		}
		var err error
		if p, err = s.resolveImport(ctx, tx, b, o.Consume); err != nil {
			return err
		}
		return p.write(ctx, tx, o.Progress)
	})
	if len(b.Records) > 0 {
		s.recordsChanged()
	}
	if err != nil {
		s.indexDrop() // a failed commit has an unknown outcome
		return fmt.Errorf("import: %w", err)
	}
	p.committed(s)
	return nil
}

// importCacheKiB is the page cache of an import's connection (negative: KiB).
var importCacheKiB = -16384

// importDryRun is Import with DryRun: a read-only transaction (on a connection with the page
// cache of the bulk writes: the look-ups seek all over a big book).
func (s *Store) importDryRun(ctx context.Context, b *crm.ImportBatch) error {
	return s.bulkTx(ctx, true, func(ctx context.Context, tx *sql.Tx) error {
		p, err := s.resolveImport(ctx, tx, b, false)
		if err != nil {
			return err
		}
		copy(b.Results, p.results)
		return nil
	})
}

// checkBatch refuses a batch whose entries name rows that are not in b.Results.
func checkBatch(b *crm.ImportBatch) error {
	n := len(b.Results)
	for _, rows := range []struct {
		what string
		n    int
		row  func(int) int
	}{
		{"customer", len(b.Customers), func(i int) int { return b.Customers[i].Row }},
		{"purchase", len(b.Purchases), func(i int) int { return b.Purchases[i].Row }},
		{"record", len(b.Records), func(i int) int { return b.Records[i].Row }},
	} {
		for i := range rows.n {
			if r := rows.row(i); r < 0 || r >= n {
				return fmt.Errorf("%s %d: row %d is not in the report (%d rows)", rows.what, i, r, n)
			}
		}
	}
	return checkServe(b)
}

// importCard is a customer an import writes: a new one, or one of the book it updates.
type importCard struct {
	id     int64         // the book's id; 0 for a new customer until it is written
	stored *crm.Customer // the card as in the book; nil for a new customer
	card   *crm.Customer // the card as it will be written (nil: a skipped row's)
	listed bool          // in importPlan.cards
	// rows are the indexes in ImportBatch.Customers of the rows written into it.
	rows      []int
	key, sort string // search key and name sort key, computed before writing
}

// bookCustomer is a customer of the book found by a code or a phone.
type bookCustomer struct {
	id         int64
	code, name string // name: the display name
	archived   bool
}

// importLink is an accepted purchase or record and its customer: one of the batch's, else one
// of the book's.
type importLink struct {
	i    int         // index in ImportBatch.Purchases or Records
	card *importCard // the batch's customer, or nil
	id   int64       // the book's customer when card is nil
}

func (l importLink) customerID() int64 {
	if l.card != nil {
		return l.card.id
	}
	return l.id
}

// importPlan is a batch resolved against the book: what to write.
type importPlan struct {
	b       *crm.ImportBatch
	results []crm.ImportRowResult // b.Results as the import leaves them
	ts      string                // timestamp of the rows written
	today   crm.Date

	cards     []*importCard // customers to write, in the order of their first row
	byCode    map[string]*importCard
	byPhone   map[string]*importCard
	byID      map[int64]*importCard // the book's customers among them (and those tried)
	bookCode  map[string]bookCustomer
	bookPhone map[string]bookCustomer
	stored    map[int64]*crm.Customer // the book's cards a customer row may update
	lastCode  int64                   // the highest C-number of the book and the batch
	consume   bool                    // take b's customer cards rather than copy them

	purchases, records []importLink
	serve              *servePlan // services, complaints and events (importserve.go); nil when none

	cellIndex map[int]map[int]int // table → ImportRow.Line → index in Rows, built when needed
	// indexDropped: more than indexPutMost cards were written with new keys, so the search
	// index is dropped after the commit (the cards' keys are dropped once written).
	indexDropped bool
}

// resolveImport reads what the batch needs from the book through q and decides what every row
// does. It changes neither the book nor b, unless consume: then it takes b's customer cards
// (ImportOptions.Consume).
func (s *Store) resolveImport(ctx context.Context, q querier, b *crm.ImportBatch, consume bool) (*importPlan, error) {
	now := s.now()
	p := &importPlan{
		b: b, results: slices.Clone(b.Results), ts: stamp(now), today: crm.DateOf(now), consume: consume,
		byCode: map[string]*importCard{}, byPhone: map[string]*importCard{}, byID: map[int64]*importCard{},
	}
	cards, invalid := p.prepareCustomers()
	if err := p.readBook(ctx, q, cards); err != nil {
		return nil, err
	}
	inBook, err := s.lastCode(ctx, q)
	if err != nil {
		return nil, err
	}
	p.lastCode = max(p.lastCode, inBook)
	for i := range b.Customers {
		if err := checkEvery(ctx, i); err != nil {
			return nil, err
		}
		if p.results[b.Customers[i].Row].Action == crm.ImportSkipRow {
			continue
		}
		p.customer(i, &cards[i], invalid[i])
	}
	p.links()
	if err := p.resolveServe(ctx, q); err != nil {
		return nil, err
	}
	return p, nil
}

// checkEvery returns ctx's error every 1024th i.
func checkEvery(ctx context.Context, i int) error {
	if i%1024 == 0 {
		return ctx.Err()
	}
	return nil
}

// prepareCustomers returns copies of the batch's customer cards (the cards themselves when the
// plan consumes the batch), normalised, and their field errors; it notes the highest C-number
// they give. A card that creates a customer is written from its copy here (one copy of every
// card, not two: 100,000 cards are some 45 MB).
func (p *importPlan) prepareCustomers() ([]importCard, []crm.Errors) {
	ics := p.b.Customers
	cards := make([]importCard, len(ics))
	invalid := make([]crm.Errors, len(ics))
	// Phone parsing costs as much as the writes: it runs on every core.
	parallel(len(ics), func(i int) {
		if p.results[ics[i].Row].Action == crm.ImportSkipRow {
			return
		}
		var c *crm.Customer
		if p.consume {
			c = &ics[i].Customer // the card itself: the batch gives it up
		} else {
			clone := cloneCard(&ics[i].Customer)
			c = &clone
		}
		cards[i].card = c
		c.ID = 0
		invalid[i] = prepareFast(c)
	})
	for i := range cards {
		if cards[i].card != nil && len(invalid[i]) == 0 {
			p.lastCode = max(p.lastCode, codeNumber(cards[i].card.Code))
		}
	}
	return cards, invalid
}

// cloneCard returns a copy of c that shares nothing changeable with it.
func cloneCard(c *crm.Customer) crm.Customer {
	out := *c
	out.Phones, out.Tags, out.Dates = slices.Clone(c.Phones), slices.Clone(c.Tags), slices.Clone(c.Dates)
	if c.Birthday != nil {
		bd := *c.Birthday
		out.Birthday = &bd
	}
	return out
}

// customer resolves customer row i (its normalised card prepared.card, invalid its field
// errors); prepared becomes the customer to write when the row creates one.
func (p *importPlan) customer(i int, prepared *importCard, invalid crm.Errors) {
	c := prepared.card
	res := &p.results[p.b.Customers[i].Row]
	if len(invalid) > 0 {
		res.Action = crm.ImportSkipRow
		res.Problems = append(slices.Clip(res.Problems), invalid...)
		return
	}
	t := p.match(c)
	if t == nil {
		t = prepared
		t.card.Archived = false
		if t.card.Code == "" {
			p.lastCode++
			t.card.Code = formatCode(p.lastCode)
		}
		if t.card.Created.IsZero() {
			t.card.Created = p.today
		}
		p.list(t, i)
		res.Action, res.Code, res.Name = crm.ImportCreate, t.card.Code, t.card.DisplayName()
		return
	}
	m := mergeCard(t.card, c, func(field string) bool { return p.explicit(res, field) })
	if es := validateMerged(&m); len(es) > 0 {
		res.Action, res.Code, res.Name = crm.ImportSkipRow, t.card.Code, c.DisplayName()
		res.Problems = append(append(slices.Clip(res.Problems),
			crm.FieldError{Key: keyMergeInvalid, Args: map[string]any{"Code": t.card.Code}}), es...)
		return
	}
	*t.card = m
	p.list(t, i)
	res.Action, res.Code, res.Name = crm.ImportUpdate, m.Code, m.DisplayName()
}

// match returns the customer that card c updates, nil when it is a new one.
func (p *importPlan) match(c *crm.Customer) *importCard {
	if c.Code != "" {
		if t := p.byCode[c.Code]; t != nil {
			return t
		}
		if bc, ok := p.bookCode[c.Code]; ok {
			return p.bookCard(bc.id)
		}
		return nil
	}
	for _, ph := range c.Phones {
		if t := p.byPhone[ph]; t != nil {
			return t
		}
		if bc, ok := p.bookPhone[ph]; ok {
			return p.bookCard(bc.id)
		}
	}
	return nil
}

// bookCard returns the importCard of the book's customer id.
func (p *importPlan) bookCard(id int64) *importCard {
	if t := p.byID[id]; t != nil {
		return t
	}
	stored := p.stored[id] // every customer a customer row's key finds is loaded
	card := cloneCard(stored)
	t := &importCard{id: id, stored: stored, card: &card}
	p.byID[id] = t
	p.register(t)
	return t
}

// list adds t to the customers to write (once) after row i was written into it.
func (p *importPlan) list(t *importCard, i int) {
	if !t.listed {
		t.listed = true
		p.cards = append(p.cards, t)
	}
	t.rows = append(t.rows, i)
	p.register(t)
}

// register makes t found by its code and phones (a key keeps the first customer that has it).
func (p *importPlan) register(t *importCard) {
	if _, ok := p.byCode[t.card.Code]; !ok {
		p.byCode[t.card.Code] = t
	}
	for _, ph := range t.card.Phones {
		if _, ok := p.byPhone[ph]; !ok {
			p.byPhone[ph] = t
		}
	}
}

// validateMerged returns the field errors of a card merged from two valid, normalised cards:
// its phones, valid on both, are only counted (parsing every phone again would cost as much as
// the rest of an import of updates).
func validateMerged(m *crm.Customer) crm.Errors {
	v := *m
	v.Phones = nil
	es := crm.ValidateCustomer(&v)
	if len(m.Phones) > crm.MaxPhones {
		es = append(crm.Errors{{Field: "phones", Key: "err.too_many", Args: map[string]any{"Max": crm.MaxPhones}}}, es...)
	}
	return es
}

// mergeCard returns stored updated with the imported row c (see Import). explicit reports
// whether the row's cell of a field is not blank.
func mergeCard(stored, c *crm.Customer, explicit func(field string) bool) crm.Customer {
	m := cloneCard(stored)
	for _, f := range []struct{ dst, src *string }{
		{&m.Name, &c.Name}, {&m.Remark, &c.Remark}, {&m.WeChat, &c.WeChat}, {&m.Email, &c.Email},
		{&m.Address, &c.Address}, {&m.Company, &c.Company}, {&m.Title, &c.Title}, {&m.Source, &c.Source},
		{&m.Needs, &c.Needs}, {&m.LatentNeeds, &c.LatentNeeds}, {&m.Preferences, &c.Preferences},
		{&m.Interests, &c.Interests},
	} {
		if *f.src != "" {
			*f.dst = *f.src
		}
	}
	if c.Gender != crm.GenderUnknown || explicit("gender") {
		m.Gender = c.Gender
	}
	if c.Tier != crm.TierOrdinary || explicit("tier") {
		m.Tier = c.Tier
	}
	if c.DoNotDisturb || explicit("do_not_disturb") {
		m.DoNotDisturb = c.DoNotDisturb
	}
	for _, f := range []struct{ dst, src *int }{{&m.Knowing, &c.Knowing}, {&m.Closeness, &c.Closeness}, {&m.Loyalty, &c.Loyalty}} {
		if *f.src != 0 {
			*f.dst = *f.src
		}
	}
	if !c.Created.IsZero() && explicit("created") {
		m.Created = c.Created
	}
	if c.Birthday != nil {
		bd := *c.Birthday
		bd.ID = 0
		if m.Birthday != nil {
			bd.ID = m.Birthday.ID
		}
		m.Birthday = &bd
	}
	for _, d := range c.Dates {
		d.ID = 0
		if j := slices.IndexFunc(m.Dates, func(o crm.KeyDate) bool { return o.Label == d.Label }); j >= 0 {
			d.ID = m.Dates[j].ID
			m.Dates[j] = d
		} else {
			m.Dates = append(m.Dates, d)
		}
	}
	for _, ph := range c.Phones {
		if !slices.Contains(m.Phones, ph) {
			m.Phones = append(m.Phones, ph)
		}
	}
	for _, t := range c.Tags {
		if !slices.Contains(m.Tags, t) {
			m.Tags = append(m.Tags, t)
		}
	}
	if c.Notes != "" && !strings.Contains(m.Notes, c.Notes) {
		if m.Notes != "" {
			m.Notes += "\n"
		}
		m.Notes += c.Notes
	}
	return m
}

// explicit reports whether the file's row of res has a column mapped to field whose cell is
// not blank (a date, number or text other than a placeholder such as "-" or "无").
func (p *importPlan) explicit(res *crm.ImportRowResult, field string) bool {
	b := p.b
	if res.Table < 0 || res.Table >= len(b.Tables) || res.Table >= len(b.Mappings) {
		return false
	}
	cols := b.Mappings[res.Table].Columns
	if !slices.ContainsFunc(cols, func(c crm.ImportColumn) bool { return c.Field == field }) {
		return false
	}
	t := &b.Tables[res.Table]
	if p.cellIndex == nil {
		p.cellIndex = map[int]map[int]int{}
	}
	lines := p.cellIndex[res.Table]
	if lines == nil {
		lines = make(map[int]int, len(t.Rows))
		for i := range t.Rows {
			lines[t.Rows[i].Line] = i
		}
		p.cellIndex[res.Table] = lines
	}
	ri, ok := lines[res.Line]
	if !ok {
		return false
	}
	cells := t.Rows[ri].Cells
	for j, c := range cols {
		if c.Field == field && j < len(cells) && !blankCell(cells[j]) {
			return true
		}
	}
	return false
}

// importExplicitFields are the fields whose cells explicit reads: the only cells of a batch's
// tables that Import looks at.
var importExplicitFields = []string{"gender", "tier", "do_not_disturb", "created"}

// ImportColumnsRead returns the indexes of the columns, of a table read with m, whose cells
// Import reads (to tell an update's blank cell from a missing one; of the other columns it reads
// only which fields they hold): a batch that no preview shows any more may put those columns
// first, in that order, in its tables' headers and mappings, the other columns after them, and
// keep only those cells in its rows, and Import gives the same result.
func ImportColumnsRead(m crm.ImportMapping) []int {
	if m.Kind != crm.ImportCustomers {
		return nil
	}
	var keep []int
	for j, c := range m.Columns {
		if slices.Contains(importExplicitFields, c.Field) {
			keep = append(keep, j)
		}
	}
	return keep
}

// importBlanks are the texts that mean "nothing" in a structured cell (as store/imports reads
// them).
var importBlanks = map[string]bool{"-": true, "--": true, "—": true, "/": true, "无": true, "暂无": true,
	"無": true, "n/a": true, "na": true, "null": true, "none": true, "nil": true}

func blankCell(c crm.ImportCell) bool {
	if c.Kind != crm.CellText {
		return false
	}
	t := strings.ToLower(strings.TrimSpace(c.Text))
	return t == "" || importBlanks[t]
}

// links resolves the purchases and records.
func (p *importPlan) links() {
	for i := range p.b.Purchases {
		ip := &p.b.Purchases[i]
		pu := ip.Purchase
		pu.ID, pu.CustomerID = 0, 1 // validated as if linked
		if l, ok := p.link(ip.Row, ip.CustomerCode, ip.Phone, preparePurchase(&pu)); ok {
			l.i = i
			p.purchases = append(p.purchases, l)
		}
	}
	for i := range p.b.Records {
		ir := &p.b.Records[i]
		r := ir.Record
		r.ID, r.CustomerID = 0, 1
		if l, ok := p.link(ir.Row, ir.CustomerCode, ir.Phone, prepareRecord(&r)); ok {
			l.i = i
			p.records = append(p.records, l)
		}
	}
}

// link resolves the customer of a purchase or record row (invalid: its field errors) and fills
// in its result.
func (p *importPlan) link(row int, code, phone string, invalid crm.Errors) (importLink, bool) {
	res := &p.results[row]
	if res.Action == crm.ImportSkipRow {
		return importLink{}, false
	}
	if len(invalid) > 0 {
		res.Action = crm.ImportSkipRow
		res.Problems = append(slices.Clip(res.Problems), invalid...)
		return importLink{}, false
	}
	code, phone = strings.TrimSpace(code), importPhone(phone)
	l, c, ok := p.find(code, phone)
	if !ok {
		shown := phone
		if shown != "" {
			shown = crm.FormatPhone(phone)
		}
		res.Action = crm.ImportSkipRow
		res.Problems = append(slices.Clip(res.Problems), crm.FieldError{Field: "customer_code", Key: keyNoCustomer,
			Args: map[string]any{"Code": code, "Phone": shown}})
		return importLink{}, false
	}
	res.Action, res.Code, res.Name = crm.ImportCreate, c.code, c.name
	return l, true
}

// importPhone is a link's phone as stored: E.164 when it parses, else as given.
func importPhone(ph string) string {
	ph = strings.TrimSpace(ph)
	if ph == "" || strings.HasPrefix(ph, "+") {
		return ph
	}
	if n, err := crm.NormalizePhone(ph); err == nil {
		return n
	}
	return ph
}

// find returns the customer of code, else of phone: one of the batch's, else of the book's.
func (p *importPlan) find(code, phone string) (importLink, bookCustomer, bool) {
	fromCard := func(t *importCard) (importLink, bookCustomer, bool) {
		return importLink{card: t}, bookCustomer{id: t.id, code: t.card.Code, name: t.card.DisplayName()}, true
	}
	fromBook := func(bc bookCustomer) (importLink, bookCustomer, bool) {
		if t := p.byID[bc.id]; t != nil && t.listed {
			return fromCard(t)
		}
		return importLink{id: bc.id}, bc, true
	}
	if code != "" {
		if t := p.byCode[code]; t != nil && t.listed {
			return fromCard(t)
		}
		if bc, ok := p.bookCode[code]; ok {
			return fromBook(bc)
		}
	}
	if phone != "" {
		if t := p.byPhone[phone]; t != nil && t.listed {
			return fromCard(t)
		}
		if bc, ok := p.bookPhone[phone]; ok {
			return fromBook(bc)
		}
	}
	return importLink{}, bookCustomer{}, false
}

// readBook finds the book's customers that have a code or a phone of the batch, and loads the
// cards of those the customer rows may update.
func (p *importPlan) readBook(ctx context.Context, q querier, cards []importCard) error {
	var codes, phones []string
	candidates := map[string]bool{} // keys of customer rows
	for i := range cards {
		if cards[i].card == nil || cards[i].card.Name == "" { // skipped (or invalid: it cannot be written)
			continue
		}
		if c := cards[i].card.Code; c != "" { // matched by its code only
			codes = append(codes, c)
			candidates["c"+c] = true
			continue
		}
		for _, ph := range cards[i].card.Phones {
			phones = append(phones, ph)
			candidates["p"+ph] = true
		}
	}
	for _, ip := range p.b.Purchases {
		codes, phones = append(codes, strings.TrimSpace(ip.CustomerCode)), append(phones, importPhone(ip.Phone))
	}
	for _, ir := range p.b.Records {
		codes, phones = append(codes, strings.TrimSpace(ir.CustomerCode)), append(phones, importPhone(ir.Phone))
	}
	codes, phones = serveKeys(p.b, codes, phones)
	var err error
	if p.bookCode, err = bookByCode(ctx, q, codes); err != nil {
		return err
	}
	if p.bookPhone, err = bookByPhone(ctx, q, phones); err != nil {
		return err
	}
	var ids []int64
	seen := map[int64]bool{}
	add := func(bc bookCustomer) {
		if !seen[bc.id] {
			seen[bc.id] = true
			ids = append(ids, bc.id)
		}
	}
	for c, bc := range p.bookCode {
		if candidates["c"+c] {
			add(bc)
		}
	}
	for ph, bc := range p.bookPhone {
		if candidates["p"+ph] {
			add(bc)
		}
	}
	p.stored, err = loadCards(ctx, q, ids)
	return err
}

// jsonList is values as a JSON array, for json_each.
func jsonList[T any](values []T) (string, error) {
	if values == nil {
		values = []T{}
	}
	b, err := json.Marshal(values)
	return string(b), err
}

// distinctNonEmpty returns the distinct non-empty strings of ss.
func distinctNonEmpty(ss []string) []string {
	seen := make(map[string]bool, len(ss))
	var out []string
	for _, s := range ss {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

const bookCustomerColumns = `c.id, c.code, CASE WHEN c.remark <> '' THEN c.remark ELSE c.name END,
	c.archived_at IS NOT NULL`

// bookByCode returns the customers of the book that have one of codes.
func bookByCode(ctx context.Context, q querier, codes []string) (map[string]bookCustomer, error) {
	out := map[string]bookCustomer{}
	codes = distinctNonEmpty(codes)
	if len(codes) == 0 {
		return out, nil
	}
	list, err := jsonList(codes)
	if err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, `SELECT `+bookCustomerColumns+` FROM customers c
		WHERE c.code IN (SELECT value FROM json_each(?))`, list)
	if err != nil {
		return nil, fmt.Errorf("find codes: %w", err)
	}
	var bc bookCustomer
	err = eachRow(rows, func() error {
		if err := rows.Scan(&bc.id, &bc.code, &bc.name, &bc.archived); err != nil {
			return err
		}
		out[bc.code] = bc
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("find codes: %w", err)
	}
	return out, nil
}

// bookByPhone returns the customers of the book that have one of phones (E.164): for a phone
// several customers have, an active one before an archived one, then the first entered.
func bookByPhone(ctx context.Context, q querier, phones []string) (map[string]bookCustomer, error) {
	out := map[string]bookCustomer{}
	want := map[string]bool{}
	var nationals []string
	for _, ph := range distinctNonEmpty(phones) {
		if strings.HasPrefix(ph, "+") {
			want[ph] = true
			nationals = append(nationals, nationalDigits(ph))
		}
	}
	if len(want) == 0 {
		return out, nil
	}
	list, err := jsonList(distinctNonEmpty(nationals))
	if err != nil {
		return nil, err
	}
	// Through the national index, as the look-ups of what people type.
	rows, err := q.QueryContext(ctx, `SELECT `+bookCustomerColumns+`, p.e164 FROM customer_phones p
		JOIN customers c ON c.id = p.customer_id
		WHERE p.national IN (SELECT value FROM json_each(?))`, list)
	if err != nil {
		return nil, fmt.Errorf("find phones: %w", err)
	}
	var bc bookCustomer
	var e164 string
	err = eachRow(rows, func() error {
		if err := rows.Scan(&bc.id, &bc.code, &bc.name, &bc.archived, &e164); err != nil {
			return err
		}
		if !want[e164] {
			return nil
		}
		if o, ok := out[e164]; !ok || bc.archived != o.archived && o.archived || bc.archived == o.archived && bc.id < o.id {
			out[e164] = bc
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("find phones: %w", err)
	}
	return out, nil
}

// loadCards reads the whole cards of customers ids: four queries, whatever their number.
func loadCards(ctx context.Context, q querier, ids []int64) (map[int64]*crm.Customer, error) {
	out := make(map[int64]*crm.Customer, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	list, err := jsonList(ids)
	if err != nil {
		return nil, err
	}
	const in = ` IN (SELECT value FROM json_each(?))`
	rows, err := q.QueryContext(ctx, `SELECT `+customerColumns+` FROM customers WHERE id`+in, list)
	if err != nil {
		return nil, fmt.Errorf("load customers: %w", err)
	}
	err = eachRow(rows, func() error {
		c, err := scanCustomerRow(rows.Scan)
		if err == nil {
			out[c.ID] = c
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("load customers: %w", err)
	}
	for _, list2 := range []struct {
		query string
		add   func(c *crm.Customer, s string)
	}{
		{`SELECT customer_id, e164 FROM customer_phones WHERE customer_id` + in + ` ORDER BY customer_id, pos`,
			func(c *crm.Customer, s string) { c.Phones = append(c.Phones, s) }},
		{`SELECT customer_id, tag FROM customer_tags WHERE customer_id` + in + ` ORDER BY customer_id, pos`,
			func(c *crm.Customer, s string) { c.Tags = append(c.Tags, s) }},
	} {
		rows, err := q.QueryContext(ctx, list2.query, list)
		if err != nil {
			return nil, fmt.Errorf("load customers: %w", err)
		}
		var id int64
		var s string
		err = eachRow(rows, func() error {
			if err := rows.Scan(&id, &s); err != nil {
				return err
			}
			if c := out[id]; c != nil {
				list2.add(c, s)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("load customers: %w", err)
		}
	}
	rows, err = q.QueryContext(ctx, `SELECT customer_id, id, kind, label, calendar, coalesce(year, 0), month, day, leap
		FROM important_dates WHERE customer_id`+in+` ORDER BY customer_id, kind, pos, id`, list)
	if err != nil {
		return nil, fmt.Errorf("load customers: %w", err)
	}
	var (
		id        int64
		d         crm.KeyDate
		kind, cal string
	)
	err = eachRow(rows, func() error {
		if err := rows.Scan(&id, &d.ID, &kind, &d.Label, &cal, &d.Year, &d.Month, &d.Day, &d.Leap); err != nil {
			return err
		}
		d.Calendar = crm.Calendar(cal)
		c := out[id]
		switch {
		case c == nil:
		case kind == "birthday":
			bd := d
			c.Birthday = &bd
		default:
			c.Dates = append(c.Dates, d)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load customers: %w", err)
	}
	return out, nil
}

// importProgress calls ImportOptions.Progress now and then, and looks at ctx as often.
type importProgress struct {
	ctx         context.Context
	report      func(done, total int)
	done, total int
	next        int // done at the next report
}

func (pr *importProgress) start() error {
	pr.next = progressEvery
	if pr.report != nil {
		pr.report(0, pr.total)
	}
	return pr.ctx.Err()
}

// add counts n more rows written.
func (pr *importProgress) add(n int) error {
	pr.done += n
	if pr.done < pr.next {
		return nil
	}
	pr.next = pr.done + progressEvery
	if pr.report != nil && pr.done < pr.total {
		pr.report(pr.done, pr.total)
	}
	return pr.ctx.Err()
}

func (pr *importProgress) finish() error {
	if pr.report != nil {
		pr.report(pr.total, pr.total)
	}
	return pr.ctx.Err()
}

// importStmts are the prepared statements of an import.
type importStmts struct {
	*bulkStmts
	update, updateDate, purchase, record *sql.Stmt
}

func prepareImport(ctx context.Context, tx *sql.Tx) (*importStmts, error) {
	b, err := prepareBulk(ctx, tx)
	if err != nil {
		return nil, err
	}
	st := &importStmts{bulkStmts: b}
	for _, p := range []struct {
		stmt **sql.Stmt
		sql  string
	}{
		{&st.update, updateCustomerSQL},
		{&st.updateDate, `UPDATE important_dates SET label = ?, calendar = ?, year = ?, month = ?, day = ?, leap = ?,
			updated_at = ? WHERE id = ?`},
		{&st.purchase, insertPurchaseSQL},
		{&st.record, insertRecordSQL},
	} {
		if *p.stmt, err = tx.PrepareContext(ctx, p.sql); err != nil {
			st.close()
			return nil, err
		}
	}
	return st, nil
}

func (st *importStmts) close() {
	st.bulkStmts.close()
	for _, s := range []*sql.Stmt{st.update, st.updateDate, st.purchase, st.record} {
		if s != nil {
			s.Close()
		}
	}
}

// write writes the plan in tx.
func (p *importPlan) write(ctx context.Context, tx *sql.Tx, report func(done, total int)) error {
	pr := &importProgress{ctx: ctx, report: report, total: len(p.cards) + len(p.purchases) + len(p.records) + p.serve.rows()}
	if err := pr.start(); err != nil {
		return err
	}
	// The triggers that count records and sum up the history for the planner are dropped for
	// the batch and created again at the end, in this transaction (as the bulk inserts do).
	var suspend []string
	if len(p.records) > 0 {
		suspend = append(suspend, "records_count_insert", "plan_record_insert")
	}
	if len(p.purchases) > 0 {
		suspend = append(suspend, "plan_purchase_insert")
	}
	var resume []string
	for _, name := range suspend {
		create, err := suspendTrigger(ctx, tx, name)
		if err != nil {
			return err
		}
		if create != "" {
			resume = append(resume, create)
		}
	}
	st, err := prepareImport(ctx, tx)
	if err != nil {
		return err
	}
	defer st.close()
	// The rows are written with a context that is never cancelled: the driver watches a
	// cancellable one with a goroutine and a progress handler for each statement. ctx is looked
	// at every progressEvery rows instead, and its end rolls the transaction back.
	exec := context.WithoutCancel(ctx)

	keys, stopKeys := keysAhead(p.cards)
	defer stopKeys()
	// New customers are written in multi-row statements; the writer is synced before an update
	// (which may add dates of its own).
	nw := newNewCardWriter(tx, p.ts)
	defer nw.close()
	keyed := 0 // cards written with new keys so far
	for i, t := range p.cards {
		keys(i)
		if t.key != "" {
			if keyed++; keyed > indexPutMost {
				// committed drops the search index: the keys of the cards written from now on
				// are not needed once written (10 MB per 100,000 cards).
				p.indexDropped = true
			}
		}
		if t.stored == nil {
			id, err := nw.add(exec, tx, t.card, t.key, t.sort)
			if err != nil {
				return err
			}
			t.id, t.card.ID = id, id
		} else {
			if err := nw.sync(exec); err != nil {
				return err
			}
			if err := p.writeCard(exec, tx, st, t); err != nil {
				return fmt.Errorf("customer %s: %w", t.card.Code, err)
			}
		}
		if p.indexDropped {
			t.key, t.sort = "", ""
		}
		if err := pr.add(1); err != nil {
			return err
		}
	}
	if err := nw.sync(exec); err != nil {
		return err
	}
	if err := p.writePurchases(exec, st, pr); err != nil {
		return err
	}
	counts, err := p.writeRecords(exec, st, pr)
	if err != nil {
		return err
	}
	if err := p.writeServe(exec, tx, pr); err != nil {
		return err
	}
	if err := p.refreshDerived(ctx, tx, counts); err != nil {
		return err
	}
	for _, create := range resume {
		if _, err := tx.ExecContext(ctx, create); err != nil {
			return err
		}
	}
	return pr.finish()
}

// keysAhead computes the search and sort keys of the cards that change (crm.SearchKey and
// nameSortKey: pinyin, some 9 µs a card) in order, in a goroutine of its own, while the cards
// are written on another core; wait(i) returns once card i's are computed. stop ends the
// goroutine early (the keys of the cards not waited for are then left unset).
func keysAhead(cards []*importCard) (wait func(i int), stop func()) {
	const chunk = 256
	ready := make(chan int, len(cards)/chunk+1) // never full: the goroutine ends on its own
	var stopped atomic.Bool
	go func() {
		defer close(ready)
		for lo := 0; lo < len(cards) && !stopped.Load(); lo += chunk {
			hi := min(lo+chunk, len(cards))
			for _, t := range cards[lo:hi] {
				if t.stored == nil || !sameCard(t.stored, t.card) {
					t.key, t.sort = crm.SearchKey(t.card), nameSortKey(t.card)
				}
			}
			ready <- hi
		}
	}()
	done := 0
	return func(i int) {
		for i >= done {
			hi, ok := <-ready
			if !ok {
				return
			}
			done = hi
		}
	}, func() { stopped.Store(true) }
}

// sameCard reports whether a and b are the same card, as written.
func sameCard(a, b *crm.Customer) bool {
	return slices.Equal(customerArgs(a, "", ""), customerArgs(b, "", "")) &&
		slices.Equal(a.Phones, b.Phones) && slices.Equal(a.Tags, b.Tags) && slices.Equal(a.Dates, b.Dates) &&
		(a.Birthday == nil) == (b.Birthday == nil) && (a.Birthday == nil || *a.Birthday == *b.Birthday)
}

// writeCard writes what an import changed of one of the book's customers (new ones go through
// newCardWriter).
func (p *importPlan) writeCard(ctx context.Context, tx *sql.Tx, st *importStmts, t *importCard) error {
	c, old := t.card, t.stored
	if t.key == "" { // the same card: nothing written
		return nil
	}
	if _, err := st.update.ExecContext(ctx, append(customerArgs(c, t.key, t.sort), p.ts, t.id)...); err != nil {
		return err
	}
	// An import only adds phones, tags and dates at the end and changes dates in place; else
	// (a card the import had to tidy) they are replaced as SaveCustomer does.
	if extends(old.Phones, c.Phones) {
		for i := len(old.Phones); i < len(c.Phones); i++ {
			ph := c.Phones[i]
			if _, err := st.phone.ExecContext(ctx, t.id, i, ph, nationalDigits(ph), p.ts, p.ts); err != nil {
				return fmt.Errorf("phone %d: %w", i+1, err)
			}
		}
	} else if err := replacePhones(ctx, tx, t.id, c.Phones, p.ts); err != nil {
		return err
	}
	if extends(old.Tags, c.Tags) {
		for i := len(old.Tags); i < len(c.Tags); i++ {
			if _, err := st.tag.ExecContext(ctx, t.id, c.Tags[i], i, p.ts, p.ts); err != nil {
				return fmt.Errorf("tag %q: %w", c.Tags[i], err)
			}
		}
	} else if err := replaceTags(ctx, tx, t.id, c.Tags, p.ts); err != nil {
		return err
	}
	return p.writeDates(ctx, tx, st, t)
}

// extends reports whether list is old followed by zero or more values.
func extends(old, list []string) bool {
	return len(list) >= len(old) && slices.Equal(old, list[:len(old)])
}

// writeDates writes the birthday and important dates an import changed or added.
func (p *importPlan) writeDates(ctx context.Context, tx *sql.Tx, st *importStmts, t *importCard) error {
	old, c := t.stored, t.card
	inPlace := len(c.Dates) >= len(old.Dates) && (old.Birthday == nil || c.Birthday != nil && c.Birthday.ID == old.Birthday.ID)
	for i := range old.Dates {
		inPlace = inPlace && c.Dates[i].ID == old.Dates[i].ID
	}
	if !inPlace {
		_, _, err := replaceDates(ctx, tx, t.id, c.Birthday, c.Dates, p.ts)
		return err
	}
	change := func(d *crm.KeyDate) error {
		args := dateArgs(d.ID, t.id, "", 0, d, p.ts, p.ts) // id, customer, kind, pos, label … leap
		_, err := st.updateDate.ExecContext(ctx, append(args[4:10], p.ts, d.ID)...)
		return err
	}
	insert := func(d *crm.KeyDate, kind string, pos int) error {
		res, err := st.date.ExecContext(ctx, dateArgs(nil, t.id, kind, pos, d, p.ts, p.ts)...)
		if err != nil {
			return err
		}
		d.ID, err = res.LastInsertId()
		return err
	}
	switch {
	case c.Birthday == nil || old.Birthday != nil && *c.Birthday == *old.Birthday:
	case old.Birthday == nil:
		if err := insert(c.Birthday, "birthday", 0); err != nil {
			return fmt.Errorf("birthday: %w", err)
		}
	default:
		if err := change(c.Birthday); err != nil {
			return fmt.Errorf("birthday: %w", err)
		}
	}
	for i := range c.Dates {
		var err error
		switch {
		case i >= len(old.Dates):
			err = insert(&c.Dates[i], "other", i)
		case c.Dates[i] != old.Dates[i]:
			err = change(&c.Dates[i])
		}
		if err != nil {
			return fmt.Errorf("date %d: %w", i+1, err)
		}
	}
	return nil
}

// writePurchases inserts the accepted purchases, by date (see chronological).
func (p *importPlan) writePurchases(ctx context.Context, st *importStmts, pr *importProgress) error {
	dates := make([]crm.Date, len(p.purchases))
	for k, l := range p.purchases {
		dates[k] = p.b.Purchases[l.i].Purchase.Date
	}
	for _, k := range chronological(dates) {
		l := p.purchases[k]
		pu := p.b.Purchases[l.i].Purchase
		preparePurchase(&pu)
		pu.CustomerID = l.customerID()
		if _, err := st.purchase.ExecContext(ctx, append(purchaseValues(&pu), p.ts, p.ts)...); err != nil {
			return fmt.Errorf("purchase of row %d: %w", p.results[p.b.Purchases[l.i].Row].Line, err)
		}
		if err := pr.add(1); err != nil {
			return err
		}
	}
	return nil
}

// recordCount is a cell of record_counts.
type recordCount struct{ date, kind, channel string }

// writeRecords inserts the accepted records, by date-time (see chronological), and returns how
// many it added to each cell of record_counts.
func (p *importPlan) writeRecords(ctx context.Context, st *importStmts, pr *importProgress) (map[recordCount]int, error) {
	ats := make([]string, len(p.records))
	for k, l := range p.records {
		ats[k] = formatAt(p.b.Records[l.i].Record.At)
	}
	counts := map[recordCount]int{}
	for _, k := range chronological(ats) {
		l := p.records[k]
		r := p.b.Records[l.i].Record
		prepareRecord(&r)
		r.CustomerID = l.customerID()
		if _, err := st.record.ExecContext(ctx, append(recordValues(&r), p.ts, p.ts)...); err != nil {
			return nil, fmt.Errorf("record of row %d: %w", p.results[p.b.Records[l.i].Row].Line, err)
		}
		counts[recordCount{ats[k][:10], string(r.Kind), string(r.Channel)}]++
		if err := pr.add(1); err != nil {
			return nil, err
		}
	}
	return counts, nil
}

// refreshDerived brings plan_state and record_counts up to date with the purchases and records
// written while their triggers were suspended.
func (p *importPlan) refreshDerived(ctx context.Context, tx *sql.Tx, counts map[recordCount]int) error {
	links := append(slices.Clip(p.purchases), p.records...)
	ids := distinctCustomers(len(links), func(i int) int64 { return links[i].customerID() })
	if err := refreshPlanState(ctx, tx, ids, len(p.records) > 0, len(p.purchases) > 0); err != nil {
		return err
	}
	if len(counts) == 0 {
		return nil
	}
	add, err := tx.PrepareContext(ctx, `INSERT INTO record_counts (date, kind, channel, n) VALUES (?, ?, ?, ?)
		ON CONFLICT (date, kind, channel) DO UPDATE SET n = n + excluded.n`)
	if err != nil {
		return err
	}
	defer add.Close()
	for k, n := range counts {
		if _, err := add.ExecContext(ctx, k.date, k.kind, k.channel, n); err != nil {
			return err
		}
	}
	return nil
}

// indexPutMost is the most customers an import puts into a loaded search index one by one;
// after a bigger one the index is dropped and read again by the next search.
const indexPutMost = 256

// committed updates what the store keeps in memory, and the batch, once the import committed.
func (p *importPlan) committed(s *Store) {
	copy(p.b.Results, p.results)
	s.codeUsed(p.lastCode)
	written := 0
	for _, t := range p.cards {
		for _, i := range t.rows {
			c := &p.b.Customers[i].Customer
			c.ID, c.Code = t.id, t.card.Code
		}
		if t.key != "" {
			written++
		}
	}
	if written > indexPutMost || p.indexDropped {
		s.indexDrop()
		return
	}
	for _, t := range p.cards {
		if t.key != "" {
			c := *t.card
			c.ID = t.id
			s.indexPut(newEntry(&c, t.key, t.sort))
		}
	}
}
