package store

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"carebook/crm"
)

// Tables of the batches the tests build: customers, purchases, records.
const (
	tableCustomers = iota
	tablePurchases
	tableRecords
)

// batchBuilder builds an ImportBatch as store/imports would: a result per row, each table's
// rows numbered from line 2.
type batchBuilder struct{ b crm.ImportBatch }

func newBatch() *batchBuilder {
	bb := &batchBuilder{}
	bb.b.Tables = []crm.ImportTable{{Sheet: "顾客"}, {Sheet: "消费记录"}, {Sheet: "维护记录"}}
	bb.b.Mappings = []crm.ImportMapping{{Kind: crm.ImportCustomers}, {Kind: crm.ImportPurchases}, {Kind: crm.ImportRecords}}
	return bb
}

// row adds a result row to table t, with cells for the file's row when given.
func (bb *batchBuilder) row(t int, code, name string, cells ...crm.ImportCell) int {
	tb := &bb.b.Tables[t]
	line := len(tb.Rows) + 2
	tb.Rows = append(tb.Rows, crm.ImportRow{Line: line, Cells: cells})
	bb.b.Results = append(bb.b.Results, crm.ImportRowResult{Table: t, Line: line, Action: crm.ImportCreate, Code: code, Name: name})
	return len(bb.b.Results) - 1
}

func (bb *batchBuilder) customer(c crm.Customer, cells ...crm.ImportCell) int {
	r := bb.row(tableCustomers, c.Code, c.Name, cells...)
	bb.b.Customers = append(bb.b.Customers, crm.ImportCustomer{Row: r, Customer: c})
	return r
}

func (bb *batchBuilder) purchase(code, phone string, p crm.Purchase) int {
	r := bb.row(tablePurchases, code, "")
	bb.b.Purchases = append(bb.b.Purchases, crm.ImportPurchase{Row: r, CustomerCode: code, Phone: phone, Purchase: p})
	return r
}

func (bb *batchBuilder) record(code, phone string, rec crm.Record) int {
	r := bb.row(tableRecords, code, "")
	bb.b.Records = append(bb.b.Records, crm.ImportRecord{Row: r, CustomerCode: code, Phone: phone, Record: rec})
	return r
}

// skip marks row r as skipped by the conversion.
func (bb *batchBuilder) skip(r int) {
	bb.b.Results[r].Action = crm.ImportSkipRow
	bb.b.Results[r].Problems = []crm.FieldError{{Field: "phone", Key: "err.phone"}}
}

// columns maps the customers table's columns to fields.
func (bb *batchBuilder) columns(fields ...string) {
	for _, f := range fields {
		bb.b.Mappings[tableCustomers].Columns = append(bb.b.Mappings[tableCustomers].Columns, crm.ImportColumn{Header: f, Field: f})
	}
}

func text(s string) crm.ImportCell { return crm.ImportCell{Text: s} }

func mustImport(t *testing.T, s *Store, b *crm.ImportBatch) {
	t.Helper()
	if err := s.Import(context.Background(), b, ImportOptions{}); err != nil {
		t.Fatalf("import: %v", err)
	}
	checkDerived(t, s)
}

func idByCode(t *testing.T, s *Store, code string) int64 {
	t.Helper()
	var id int64
	if err := s.db.QueryRow(`SELECT id FROM customers WHERE code = ?`, code).Scan(&id); err != nil {
		t.Fatalf("customer %s: %v", code, err)
	}
	return id
}

// checkDerived checks every table derived from the customers, purchases and records: plan_state,
// record_counts (and the cached stats), the search columns and the in-memory search index,
// phones' national digits, dense positions, and that every suspended trigger is back.
func checkDerived(t *testing.T, s *Store) {
	t.Helper()
	ctx := context.Background()
	checkPlanState(t, s)
	checkCounts(t, s)
	var triggers int
	if err := s.db.QueryRow(`SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND name LIKE 'records\_count\_%' ESCAPE '\'`).Scan(&triggers); err != nil || triggers != 3 {
		t.Fatalf("%d record count triggers (%v), want 3", triggers, err)
	}
	ids, err := queryInts(s.db, `SELECT id FROM customers ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	cards, err := loadCards(ctx, s.db, ids)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := s.db.Query(`SELECT id, search_key, name_sort FROM customers`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		var key, sortKey string
		if err := rows.Scan(&id, &key, &sortKey); err != nil {
			t.Fatal(err)
		}
		c := cards[id]
		if key != crm.SearchKey(c) || sortKey != nameSortKey(c) {
			t.Errorf("customer %s: search key %q, sort %q; want %q, %q", c.Code, key, sortKey, crm.SearchKey(c), nameSortKey(c))
		}
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	var bad int
	err = s.db.QueryRow(`SELECT
		(SELECT count(*) FROM customer_phones WHERE national <> CASE WHEN e164 LIKE '+86_%' THEN substr(e164, 4) ELSE substr(e164, 2) END)
		+ (SELECT count(*) FROM (SELECT customer_id FROM customer_phones GROUP BY customer_id HAVING max(pos) <> count(*) - 1))
		+ (SELECT count(*) FROM (SELECT customer_id FROM customer_tags GROUP BY customer_id HAVING max(pos) <> count(*) - 1))
		+ (SELECT count(*) FROM (SELECT customer_id FROM important_dates WHERE kind = 'other' GROUP BY customer_id
			HAVING max(pos) <> count(*) - 1))`).Scan(&bad)
	if err != nil || bad != 0 {
		t.Errorf("phones, tags or dates: %d inconsistent (%v)", bad, err)
	}
	// The index as maintained (if loaded) equals one loaded from scratch.
	for _, q := range []Query{{}, {Archived: true}} {
		kept, err := s.Search(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		s.indexDrop()
		fresh, err := s.Search(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(kept) != fmt.Sprint(fresh) {
			t.Errorf("search index differs from a fresh one:\n%v\n%v", kept, fresh)
		}
	}
}

func queryInts(q querier, query string, args ...any) ([]int64, error) {
	rows, err := q.QueryContext(context.Background(), query, args...)
	if err != nil {
		return nil, err
	}
	var out []int64
	err = eachRow(rows, func() error {
		var n int64
		err := rows.Scan(&n)
		out = append(out, n)
		return err
	})
	return out, err
}

// dumpBook returns every row of every table, to compare a book before and after.
func dumpBook(t *testing.T, s *Store) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, table := range append(slices.Clone(allTables), "plan_state", "sqlite_schema") {
		rows, err := s.db.Query(`SELECT * FROM ` + table)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			out[table] = append(out[table], fmt.Sprint(vals...))
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
		slices.Sort(out[table])
	}
	return out
}

func sameBook(t *testing.T, before, after map[string][]string) {
	t.Helper()
	for table, rows := range before {
		if !slices.Equal(rows, after[table]) {
			t.Errorf("%s changed: %d rows before, %d after", table, len(rows), len(after[table]))
		}
	}
}

func TestImportCreates(t *testing.T) {
	s := openTest(t)
	mustSave(t, s, &crm.Customer{Name: "老客户"}) // C000001
	bb := newBatch()
	full := *card()
	full.Code = "X-1"
	r1 := bb.customer(full)
	r2 := bb.customer(crm.Customer{Name: "李四", Phones: []string{"13900001111"}, Created: crm.MustDate("2020-02-02")})
	r3 := bb.customer(crm.Customer{Name: "王五", Code: "C000007"})
	r4 := bb.customer(crm.Customer{Name: "赵六"})
	mustImport(t, s, &bb.b)

	want := map[int][2]string{r1: {"X-1", "老张"}, r2: {"C000008", "李四"}, r3: {"C000007", "王五"}, r4: {"C000009", "赵六"}}
	for r, w := range want {
		res := bb.b.Results[r]
		if res.Action != crm.ImportCreate || res.Code != w[0] || res.Name != w[1] {
			t.Errorf("row %d: %+v, want create %v", r, res, w)
		}
	}
	got := mustLoad(t, s, bb.b.Customers[0].Customer.ID)
	wantCard := card()
	wantCard.Code = "X-1"
	crm.NormalizeCustomer(wantCard)
	got.ID, got.CreatedAt, got.UpdatedAt, got.Birthday.ID = 0, time.Time{}, time.Time{}, 0
	for i := range got.Dates {
		got.Dates[i].ID = 0
	}
	if !reflect.DeepEqual(got, wantCard) {
		t.Errorf("imported card\n%+v\nwant\n%+v", got, wantCard)
	}
	if c := mustLoad(t, s, idByCode(t, s, "C000008")); c.Created != crm.MustDate("2020-02-02") {
		t.Errorf("created %v", c.Created)
	}
	if c := mustLoad(t, s, idByCode(t, s, "C000009")); c.Created != crm.DateOf(fixedNow) {
		t.Errorf("default created %v, want today", c.Created)
	}
	// The next card saved gets the next number.
	if c := mustSave(t, s, &crm.Customer{Name: "孙七"}); c.Code != "C000010" {
		t.Errorf("next code %s", c.Code)
	}
}

// stored is the customer every update test starts from.
func stored() *crm.Customer {
	return &crm.Customer{
		Code: "A1", Name: "张三", Remark: "老张", Gender: crm.GenderMale, Phones: []string{"13812345678"},
		Email: "old@example.com", Company: "旧公司",
		Birthday: &crm.KeyDate{Calendar: crm.Solar, Year: 1980, Month: 5, Day: 3},
		Dates: []crm.KeyDate{
			{Label: "结婚纪念日", Calendar: crm.Solar, Year: 2010, Month: 10, Day: 1},
			{Label: "开业", Calendar: crm.Lunar, Month: 3, Day: 3},
		},
		Notes: "第一行\n喜欢红茶", Tags: []string{"老客户"}, Tier: crm.TierVIP, DoNotDisturb: true,
		Knowing: 3, Created: crm.MustDate("2021-01-01"),
	}
}

func TestImportUpdates(t *testing.T) {
	for _, tc := range []struct {
		name string
		row  crm.Customer
		// cells of the file's row for the fields mapped (columns), when the test needs them
		columns []string
		cells   []crm.ImportCell
		want    func(c *crm.Customer)
	}{
		{
			name: "by code: non-empty fields replace, lists joined",
			row: crm.Customer{Code: "A1", Name: "张三丰", Phones: []string{"13900001111", "13812345678"},
				Email: "new@example.com", Tags: []string{"健身", "老客户"}, Tier: crm.TierOrdinary,
				Birthday: &crm.KeyDate{Calendar: crm.Lunar, Month: 8, Day: 15},
				Dates: []crm.KeyDate{
					{Label: "开业", Calendar: crm.Solar, Year: 2012, Month: 6, Day: 6},
					{Label: "孩子生日", Calendar: crm.Solar, Month: 1, Day: 9},
				},
				Notes: "新备注", Closeness: 4, Created: crm.MustDate("2026-03-15")},
			want: func(c *crm.Customer) {
				c.Name, c.Email = "张三丰", "new@example.com"
				c.Phones = append(c.Phones, "+8613900001111")
				c.Tags = append(c.Tags, "健身")
				c.Birthday = &crm.KeyDate{Calendar: crm.Lunar, Month: 8, Day: 15}
				c.Dates[1] = crm.KeyDate{Label: "开业", Calendar: crm.Solar, Year: 2012, Month: 6, Day: 6}
				c.Dates = append(c.Dates, crm.KeyDate{Label: "孩子生日", Calendar: crm.Solar, Month: 1, Day: 9})
				c.Notes += "\n新备注"
				c.Closeness = 4
			},
		},
		{
			name: "by phone, without code",
			row:  crm.Customer{Name: "张三", Phones: []string{"+86 138-1234-5678"}, Company: "新公司", Gender: crm.GenderUnknown},
			want: func(c *crm.Customer) { c.Company = "新公司" },
		},
		{
			name: "by the second phone",
			row:  crm.Customer{Name: "张三", Phones: []string{"13700000000", "13812345678"}},
			want: func(c *crm.Customer) { c.Phones = append(c.Phones, "+8613700000000") },
		},
		{
			name: "notes already there are not repeated",
			row:  crm.Customer{Code: "A1", Name: "张三", Notes: "喜欢红茶"},
			want: func(c *crm.Customer) {},
		},
		{
			name:    "explicit cells: created, tier, do-not-disturb",
			row:     crm.Customer{Code: "A1", Name: "张三", Tier: crm.TierOrdinary, Created: crm.MustDate("2019-09-09")},
			columns: []string{"code", "created", "tier", "do_not_disturb"},
			cells:   []crm.ImportCell{text("A1"), {Kind: crm.CellDate, Number: 43717, Text: "2019-09-09"}, text("普通"), text("否")},
			want: func(c *crm.Customer) {
				c.Created, c.Tier, c.DoNotDisturb = crm.MustDate("2019-09-09"), crm.TierOrdinary, false
			},
		},
		{
			name:    "blank cells change nothing",
			row:     crm.Customer{Code: "A1", Name: "张三", Tier: crm.TierOrdinary, Created: crm.MustDate("2026-03-15")},
			columns: []string{"code", "created", "tier", "do_not_disturb"},
			cells:   []crm.ImportCell{text("A1"), text(""), text(" - "), text("")},
			want:    func(c *crm.Customer) {},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := openTest(t)
			old := mustSave(t, s, stored())
			mustSave(t, s, &crm.Customer{Code: "B1", Name: "别人", Phones: []string{"13600000000"}})
			bb := newBatch()
			bb.columns(tc.columns...)
			r := bb.customer(tc.row, tc.cells...)
			mustImport(t, s, &bb.b)
			if res := bb.b.Results[r]; res.Action != crm.ImportUpdate || res.Code != "A1" {
				t.Fatalf("result %+v, want update of A1", res)
			}
			if n := countRows(t, s, "customers"); n != 2 {
				t.Fatalf("%d customers, want 2", n)
			}
			got := mustLoad(t, s, old.ID)
			want := mustLoad(t, s, old.ID) // for the ids and stamps
			*want = *stored()
			crm.NormalizeCustomer(want)
			tc.want(want)
			if bb.b.Customers[0].Customer.ID != old.ID {
				t.Errorf("batch card id %d, want %d", bb.b.Customers[0].Customer.ID, old.ID)
			}
			// Dates keep their ids when changed in place.
			if got.Dates[0].ID != old.Dates[0].ID || got.Dates[1].ID != old.Dates[1].ID || got.Birthday.ID != old.Birthday.ID {
				t.Errorf("date ids changed: %+v %+v, were %+v %+v", got.Birthday, got.Dates, old.Birthday, old.Dates)
			}
			clear := func(c *crm.Customer) {
				c.ID, c.CreatedAt, c.UpdatedAt = 0, time.Time{}, time.Time{}
				if c.Birthday != nil {
					c.Birthday.ID = 0
				}
				for i := range c.Dates {
					c.Dates[i].ID = 0
				}
			}
			clear(got)
			clear(want)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("updated card\n%+v\nwant\n%+v", got, want)
			}
		})
	}
}

// Importing the same cards again updates them and writes nothing.
func TestImportSameCardsAgainWritesNothing(t *testing.T) {
	s := openTest(t)
	mustSave(t, s, stored())
	before := dumpBook(t, s)
	bb := newBatch()
	r := bb.customer(*stored())
	mustImport(t, s, &bb.b)
	if bb.b.Results[r].Action != crm.ImportUpdate {
		t.Errorf("result %+v", bb.b.Results[r])
	}
	sameBook(t, before, dumpBook(t, s))
}

func TestImportSameBatchRowsMerge(t *testing.T) {
	s := openTest(t)
	bb := newBatch()
	r1 := bb.customer(crm.Customer{Name: "张三", Phones: []string{"13812345678"}, Tags: []string{"A"}})
	r2 := bb.customer(crm.Customer{Name: "张三", Remark: "老张", Phones: []string{"13900001111", "138 1234 5678"}, Tags: []string{"B"}})
	r3 := bb.customer(crm.Customer{Name: "李四", Phones: []string{"13900001111"}, Notes: "同一个人"}) // the first's second phone
	r4 := bb.customer(crm.Customer{Code: "K9", Name: "王五"})
	r5 := bb.customer(crm.Customer{Code: "K9", Name: "王五", Email: "w@example.com"})
	mustImport(t, s, &bb.b)
	for r, w := range map[int]crm.ImportAction{r1: crm.ImportCreate, r2: crm.ImportUpdate, r3: crm.ImportUpdate,
		r4: crm.ImportCreate, r5: crm.ImportUpdate} {
		if got := bb.b.Results[r]; got.Action != w {
			t.Errorf("row %d: %+v, want %s", r, got, w)
		}
	}
	if n := countRows(t, s, "customers"); n != 2 {
		t.Fatalf("%d customers, want 2", n)
	}
	c := mustLoad(t, s, idByCode(t, s, "C000001"))
	if c.Name != "李四" || c.Remark != "老张" || !slices.Equal(c.Phones, []string{"+8613812345678", "+8613900001111"}) ||
		!slices.Equal(c.Tags, []string{"A", "B"}) || c.Notes != "同一个人" {
		t.Errorf("merged card %+v", c)
	}
	if bb.b.Results[r3].Code != "C000001" || bb.b.Results[r3].Name != "老张" {
		t.Errorf("result %+v", bb.b.Results[r3])
	}
	if c := mustLoad(t, s, idByCode(t, s, "K9")); c.Email != "w@example.com" {
		t.Errorf("K9 %+v", c)
	}
}

func TestImportSkippedRowsAreNotWritten(t *testing.T) {
	s := openTest(t)
	mustSave(t, s, stored())
	bb := newBatch()
	r1 := bb.customer(crm.Customer{Name: "新人", Phones: []string{"13900001111"}})
	r2 := bb.customer(crm.Customer{Code: "A1", Name: "张三", Email: "skipped@example.com"})
	r3 := bb.purchase("A1", "", crm.Purchase{Date: crm.MustDate("2026-01-01"), Amount: 100})
	r4 := bb.record("A1", "", crm.Record{At: at("2026-01-01 10:00:00"), Kind: crm.KindRoutine})
	bb.skip(r1)
	bb.skip(r2)
	bb.skip(r3)
	bb.skip(r4)
	before := dumpBook(t, s)
	mustImport(t, s, &bb.b)
	sameBook(t, before, dumpBook(t, s))
	for _, r := range []int{r1, r2, r3, r4} {
		if res := bb.b.Results[r]; res.Action != crm.ImportSkipRow || len(res.Problems) != 1 {
			t.Errorf("row %d: %+v", r, res)
		}
	}
}

// A row whose update would give an invalid card is skipped with the reasons.
func TestImportInvalidMergeSkipsRow(t *testing.T) {
	s := openTest(t)
	c := stored()
	for i := range crm.MaxTags - 1 {
		c.Tags = append(c.Tags, fmt.Sprintf("t%d", i))
	}
	mustSave(t, s, c)
	bb := newBatch()
	r1 := bb.customer(crm.Customer{Code: "A1", Name: "张三", Tags: []string{"x", "y"}})
	r2 := bb.customer(crm.Customer{Code: "A1", Name: "张三", Email: "ok@example.com"})
	r3 := bb.customer(crm.Customer{Name: ""}) // invalid as given
	mustImport(t, s, &bb.b)
	res := bb.b.Results[r1]
	if res.Action != crm.ImportSkipRow || len(res.Problems) != 2 || res.Problems[0].Key != keyMergeInvalid ||
		res.Problems[0].Args["Code"] != "A1" || res.Problems[1].Field != "tags" {
		t.Errorf("row 1: %+v", res)
	}
	if res := bb.b.Results[r2]; res.Action != crm.ImportUpdate {
		t.Errorf("row 2: %+v", res)
	}
	if res := bb.b.Results[r3]; res.Action != crm.ImportSkipRow || res.Problems[0].Field != "name" {
		t.Errorf("row 3: %+v", res)
	}
	got := mustLoad(t, s, idByCode(t, s, "A1"))
	if len(got.Tags) != crm.MaxTags || got.Email != "ok@example.com" {
		t.Errorf("card %+v", got)
	}
}

func TestImportLinksPurchasesAndRecords(t *testing.T) {
	s := openTest(t)
	a := mustSave(t, s, stored()) // A1, 13812345678
	mustSave(t, s, &crm.Customer{Code: "Z9", Name: "归档", Phones: []string{"13500000000"}})
	if err := s.ArchiveCustomer(context.Background(), idByCode(t, s, "Z9")); err != nil {
		t.Fatal(err)
	}
	bb := newBatch()
	bb.customer(crm.Customer{Code: "N1", Name: "新客", Phones: []string{"13900001111"}})
	bb.customer(crm.Customer{Name: "新客二", Phones: []string{"13700000000"}}) // C000001
	day := crm.MustDate("2026-02-01")
	p := func(n int) crm.Purchase {
		return crm.Purchase{Date: day.AddDays(n), Amount: crm.Money(100 * n), Items: "面霜"}
	}
	r := func(n int) crm.Record {
		return crm.Record{At: at(fmt.Sprintf("2026-02-%02d 10:00:00", n)), Kind: crm.KindRecall, Channel: crm.ChannelPhone,
			NextStep: "回访", NextDate: day.AddDays(30)}
	}
	type link struct {
		row        int
		code, name string // "" code: skipped
	}
	links := []link{
		{bb.purchase("A1", "", p(1)), "A1", "老张"},
		{bb.purchase("", "138 1234 5678", p(2)), "A1", "老张"},
		{bb.purchase("N1", "", p(3)), "N1", "新客"},
		{bb.purchase("", "+8613700000000", p(4)), "C000001", "新客二"},
		{bb.purchase("NOPE", "13900001111", p(5)), "N1", "新客"}, // unknown code, known phone
		{bb.purchase("Z9", "", p(6)), "Z9", "归档"},
		{bb.purchase("NOPE", "13600000000", p(7)), "", ""},
		{bb.record("A1", "", r(1)), "A1", "老张"},
		{bb.record("", "13812345678", r(2)), "A1", "老张"},
		{bb.record("C000001", "", r(3)), "C000001", "新客二"},
		{bb.record("", "13900001111", r(4)), "N1", "新客"},
		{bb.record("", "13600000000", r(5)), "", ""},
	}
	mustImport(t, s, &bb.b)
	for _, l := range links {
		res := bb.b.Results[l.row]
		if l.code == "" {
			want := []crm.FieldError{{Field: "customer_code", Key: keyNoCustomer, Args: map[string]any{}}}
			if res.Action != crm.ImportSkipRow || len(res.Problems) != 1 || res.Problems[0].Field != want[0].Field ||
				res.Problems[0].Key != want[0].Key || res.Problems[0].Args["Phone"] != "136 0000 0000" {
				t.Errorf("row %d: %+v, want skipped", l.row, res)
			}
			continue
		}
		if res.Action != crm.ImportCreate || res.Code != l.code || res.Name != l.name {
			t.Errorf("row %d: %+v, want created for %s %s", l.row, res, l.code, l.name)
		}
	}
	counts := map[string][2]int{"A1": {2, 2}, "N1": {2, 1}, "C000001": {1, 1}, "Z9": {1, 0}}
	for code, n := range counts {
		id := idByCode(t, s, code)
		ps, err := s.Purchases(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		rs, err := s.CustomerRecords(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if len(ps) != n[0] || len(rs) != n[1] {
			t.Errorf("%s: %d purchases, %d records; want %v", code, len(ps), len(rs), n)
		}
	}
	if rs, _ := s.CustomerRecords(context.Background(), a.ID); len(rs) == 2 && rs[0].At != at("2026-02-02 10:00:00") {
		t.Errorf("latest record of A1 %+v", rs[0])
	}
	// The purchases were written by date.
	ids, err := queryInts(s.db, `SELECT id FROM purchases ORDER BY date`)
	if err != nil || !slices.IsSorted(ids) {
		t.Errorf("purchases not in date order: %v %v", ids, err)
	}
}

// An invalid purchase or record is skipped with its field errors.
func TestImportInvalidLinkedRowsSkipped(t *testing.T) {
	s := openTest(t)
	mustSave(t, s, stored())
	bb := newBatch()
	r1 := bb.purchase("A1", "", crm.Purchase{Date: crm.MustDate("2026-01-01"), Amount: -5})
	r2 := bb.record("A1", "", crm.Record{At: at("2026-01-01 10:00:00"), Kind: "bogus"})
	mustImport(t, s, &bb.b)
	if res := bb.b.Results[r1]; res.Action != crm.ImportSkipRow || res.Problems[0].Field != "amount" {
		t.Errorf("purchase: %+v", res)
	}
	if res := bb.b.Results[r2]; res.Action != crm.ImportSkipRow || res.Problems[0].Field != "kind" {
		t.Errorf("record: %+v", res)
	}
	if countRows(t, s, "purchases")+countRows(t, s, "records") != 0 {
		t.Error("invalid rows written")
	}
}

// mixedBatch is a batch of every kind of row against the book of stored(): updates, creates,
// links and one unlinkable row.
func mixedBatch(n int) *crm.ImportBatch {
	bb := newBatch()
	bb.customer(crm.Customer{Code: "A1", Name: "张三", Tags: []string{"导入"}})
	for i := range n {
		bb.customer(crm.Customer{Name: fmt.Sprintf("客户%d", i), Phones: []string{fmt.Sprintf("139%08d", i)}})
		bb.purchase("", fmt.Sprintf("139%08d", i), crm.Purchase{Date: crm.MustDate("2026-01-01").AddDays(i % 50), Amount: 100})
		bb.record("", fmt.Sprintf("139%08d", i), crm.Record{At: at("2026-01-01 10:00:00").Add(time.Duration(i) * time.Hour),
			Kind: crm.RecordKinds[i%len(crm.RecordKinds)], Channel: crm.ChannelWeChat})
	}
	bb.record("A1", "", crm.Record{At: at("2026-03-01 09:00:00"), Kind: crm.KindRecall})
	bb.purchase("NOPE", "", crm.Purchase{Date: crm.MustDate("2026-01-01"), Amount: 1})
	return &bb.b
}

func TestImportDryRun(t *testing.T) {
	s := openTest(t)
	mustSave(t, s, stored())
	before := dumpBook(t, s)
	dry := mixedBatch(50)
	if err := s.Import(context.Background(), dry, ImportOptions{DryRun: true}); err != nil {
		t.Fatal(err)
	}
	sameBook(t, before, dumpBook(t, s))
	real := mixedBatch(50)
	mustImport(t, s, real)
	if !reflect.DeepEqual(dry.Results, real.Results) {
		t.Errorf("dry run results differ from the import's:\n%+v\n%+v", dry.Results, real.Results)
	}
	if n := real.Counts(); n != (crm.ImportCounts{Created: 50 + 50 + 51, Updated: 1, Skipped: 1}) {
		t.Errorf("counts %+v", n)
	}
}

// An import that fails late, or is cancelled, leaves the book as it was.
func TestImportAllOrNothing(t *testing.T) {
	for _, tc := range []struct {
		name string
		prep func(t *testing.T, s *Store) // before the import
		opts func(cancel context.CancelFunc) ImportOptions
		want error
		text string // in the error
	}{
		{
			name: "constraint fails on the last record",
			prep: func(t *testing.T, s *Store) {
				rawExecDB(t, s, `CREATE TRIGGER test_boom BEFORE INSERT ON records WHEN NEW.at >= '2026-03-01'
					BEGIN SELECT RAISE(ABORT, 'boom'); END`)
			},
			opts: func(context.CancelFunc) ImportOptions { return ImportOptions{} },
			text: "boom",
		},
		{
			name: "cancelled from Progress",
			opts: func(cancel context.CancelFunc) ImportOptions {
				return ImportOptions{Progress: func(done, total int) {
					if done > 0 {
						cancel()
					}
				}}
			},
			want: context.Canceled,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := openTest(t)
			mustSave(t, s, stored())
			if _, err := s.Search(context.Background(), Query{}); err != nil { // a loaded index
				t.Fatal(err)
			}
			if tc.prep != nil {
				tc.prep(t, s)
			}
			before := dumpBook(t, s)
			b := mixedBatch(1400) // more rows than progressEvery
			results := slices.Clone(b.Results)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			err := s.Import(ctx, b, tc.opts(cancel))
			if err == nil || tc.want != nil && !errors.Is(err, tc.want) {
				t.Fatalf("import: %v, want an error (%v)", err, tc.want)
			}
			if !strings.Contains(err.Error(), tc.text) {
				t.Errorf("import: %v, want %q", err, tc.text)
			}
			sameBook(t, before, dumpBook(t, s))
			if !reflect.DeepEqual(b.Results, results) {
				t.Error("a failed import changed the results")
			}
			rawExecDB(t, s, `DROP TRIGGER IF EXISTS test_boom`)
			checkDerived(t, s)
			// The book still takes the import.
			mustImport(t, s, mixedBatch(10))
		})
	}
}

func rawExecDB(t *testing.T, s *Store, q string) {
	t.Helper()
	if _, err := s.db.Exec(q); err != nil {
		t.Fatal(err)
	}
}

func TestImportProgress(t *testing.T) {
	s := openTest(t)
	mustSave(t, s, stored())
	var calls [][2]int
	b := mixedBatch(1400)
	err := s.Import(context.Background(), b, ImportOptions{Progress: func(done, total int) {
		calls = append(calls, [2]int{done, total})
	}})
	if err != nil {
		t.Fatal(err)
	}
	total := 1 + 3*1400 + 1
	if len(calls) < 3 || len(calls) > total/progressEvery+2 || calls[0] != [2]int{0, total} ||
		calls[len(calls)-1] != [2]int{total, total} || !slices.IsSortedFunc(calls, func(a, b [2]int) int { return a[0] - b[0] }) {
		t.Errorf("progress calls %v", calls)
	}
}

// Derived tables stay right after a big mixed import into a book with history, with the search
// index loaded, and after small ones that update it in place.
func TestImportKeepsDerivedTablesConsistent(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	cards := demoBook(t, s, 60, crm.MustDate("2026-03-15"))
	if _, err := s.Search(ctx, Query{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CountRecords(ctx, crm.RecordQuery{}); err != nil { // cached stats
		t.Fatal(err)
	}
	bb := newBatch()
	for i, c := range cards {
		switch i % 3 {
		case 0: // update by code: a new tag and a later record
			bb.customer(crm.Customer{Code: c.Code, Name: c.Name, Tags: []string{"导入"}, Tier: crm.TierMajor})
			bb.record(c.Code, "", crm.Record{At: at("2026-03-14 18:00:00"), Kind: crm.KindRecall, Channel: crm.ChannelPhone})
		case 1: // an older purchase and record by phone
			if len(c.Phones) > 0 {
				bb.purchase("", c.Phones[0], crm.Purchase{Date: crm.MustDate("2020-01-01"), Amount: 5})
				bb.record("", c.Phones[0], crm.Record{At: at("2020-01-01 08:00:00"), Kind: crm.KindGreeting})
			}
		}
		bb.customer(crm.Customer{Name: "新" + c.Name, Phones: []string{fmt.Sprintf("199%08d", i)}, Tags: []string{"新"}})
		bb.purchase("", fmt.Sprintf("199%08d", i), crm.Purchase{Date: crm.MustDate("2026-03-01"), Amount: 99})
	}
	mustImport(t, s, &bb.b)
	if n := bb.b.Counts(); n.Skipped != 0 || n.Updated != 20 {
		t.Errorf("counts %+v", n)
	}
	// Small imports put the customers into the loaded index one by one.
	for i := range 3 {
		if _, err := s.Search(ctx, Query{}); err != nil {
			t.Fatal(err)
		}
		bb := newBatch()
		bb.customer(crm.Customer{Code: cards[i].Code, Name: "改名" + cards[i].Name})
		bb.customer(crm.Customer{Name: fmt.Sprintf("小批%d", i)})
		bb.record(cards[i].Code, "", crm.Record{At: at("2026-03-15 09:00:00"), Kind: crm.KindRoutine})
		if err := s.Import(ctx, &bb.b, ImportOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	checkDerived(t, s)
	if got := searchCodes(t, s, Query{Text: "改名"}); len(got) != 3 {
		t.Errorf("renamed customers found: %v", got)
	}
}

// TestImportNewCardsInBatches: new customers written in multi-row statements get the ids, phones,
// tags and dates that writing them one by one gives, in batch order, updates of the book's
// customers (which add dates of their own) between them.
func TestImportNewCardsInBatches(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	a := mustSave(t, s, stored())
	b := mustSave(t, s, &crm.Customer{Code: "B1", Name: "李四", Birthday: &crm.KeyDate{Calendar: crm.Lunar, Month: 8, Day: 15}})
	var maxDate int64
	if err := s.db.QueryRow(`SELECT max(id) FROM important_dates`).Scan(&maxDate); err != nil {
		t.Fatal(err)
	}
	bb := newBatch()
	type want struct {
		id    int64 // 0: new; -1: a later row of a customer updated by an earlier one
		card  crm.Customer
		dates []string // "kind pos" of the dates the row adds, in the order they are written
	}
	var rows []want
	updates := map[int64]int{} // customer → dates the batch added to it so far
	next := b.ID + 1
	for i := range 3*newCardBatch + 5 {
		if i%17 == 5 {
			old := a
			if i%2 == 1 {
				old = b
			}
			label := fmt.Sprintf("纪念日%d", i)
			bb.customer(crm.Customer{Code: old.Code, Name: old.Name, Dates: []crm.KeyDate{{Label: label, Calendar: crm.Solar, Month: 1 + i%12, Day: 2}}})
			// The rows of a customer are written together, where its first row is.
			loaded := mustLoad(t, s, old.ID)
			d := fmt.Sprintf("other %d", len(loaded.Dates)+updates[old.ID])
			if updates[old.ID] == 0 {
				rows = append(rows, want{id: old.ID, dates: []string{d}})
			} else {
				for j := range rows {
					if rows[j].id == old.ID {
						rows[j].dates = append(rows[j].dates, d)
					}
				}
				rows = append(rows, want{id: -1})
			}
			updates[old.ID]++
			continue
		}
		c := crm.Customer{Code: fmt.Sprintf("N%04d", i), Name: fmt.Sprintf("新%d", i), Tags: []string{"甲", "乙", "甲"}[:i%4%3+1]}
		for k := range i % 3 {
			c.Phones = append(c.Phones, fmt.Sprintf("+86139%04d%04d", i, k))
		}
		var dates []string
		if i%2 == 0 {
			c.Birthday = &crm.KeyDate{Calendar: crm.Solar, Year: 1980 + i%30, Month: 1 + i%12, Day: 1 + i%28}
			dates = append(dates, "birthday 0")
		}
		for k := range i % 3 {
			c.Dates = append(c.Dates, crm.KeyDate{Label: fmt.Sprintf("日子%d", k), Calendar: crm.Lunar, Month: 1 + k, Day: 3})
			dates = append(dates, fmt.Sprintf("other %d", k))
		}
		bb.customer(c)
		crm.NormalizeCustomer(&c)
		c.ID, c.Created = next, crm.DateOf(fixedNow)
		next++
		rows = append(rows, want{card: c, dates: dates})
	}
	mustImport(t, s, &bb.b)
	if n := bb.b.Counts(); n.Skipped != 0 {
		t.Fatalf("counts %+v", n)
	}
	var wantDates []string
	for i, w := range rows {
		id := w.id
		if id < 0 {
			continue
		}
		if id == 0 {
			id = w.card.ID
			got := mustLoad(t, s, id)
			got.CreatedAt, got.UpdatedAt = time.Time{}, time.Time{}
			if got.Birthday != nil {
				got.Birthday.ID = 0
			}
			for j := range got.Dates {
				got.Dates[j].ID = 0
			}
			if !reflect.DeepEqual(*got, w.card) {
				t.Errorf("row %d: loaded\n%+v\nwant\n%+v", i, *got, w.card)
			}
			if bb.b.Customers[i].Customer.ID != id {
				t.Errorf("row %d: batch card id %d, want %d", i, bb.b.Customers[i].Customer.ID, id)
			}
		}
		for _, d := range w.dates {
			wantDates = append(wantDates, fmt.Sprintf("%d %s", id, d))
		}
	}
	// The dates in the order of their ids: the order of the writes.
	dbRows, err := s.db.QueryContext(ctx, `SELECT customer_id, kind, pos FROM important_dates WHERE id > ? ORDER BY id`, maxDate)
	if err != nil {
		t.Fatal(err)
	}
	defer dbRows.Close()
	var gotDates []string
	for dbRows.Next() {
		var id int64
		var kind string
		var pos int
		if err := dbRows.Scan(&id, &kind, &pos); err != nil {
			t.Fatal(err)
		}
		gotDates = append(gotDates, fmt.Sprintf("%d %s %d", id, kind, pos))
	}
	if !slices.Equal(gotDates, wantDates) {
		t.Errorf("dates in id order\n%q\nwant\n%q", gotDates, wantDates)
	}
	checkDerived(t, s)
}

// TestImportConsume: an import that takes the batch's cards (ImportOptions.Consume) writes the
// same book and the same results as one that copies them: new cards, rows of one batch merged,
// a card of the book updated, a skipped row and an invalid one; every written row's card gets
// its ID and Code either way.
func TestImportConsume(t *testing.T) {
	build := func() *batchBuilder {
		bb := newBatch()
		bb.customer(crm.Customer{Name: "张三", Phones: []string{"13812345678"}, Tags: []string{"A"}})
		bb.customer(crm.Customer{Name: "张三", Remark: "老张", Phones: []string{"13900001111", "138 1234 5678"}, Tags: []string{"B"}})
		bb.customer(crm.Customer{Code: "K9", Name: "王五", Birthday: &crm.KeyDate{Calendar: crm.Solar, Month: 3, Day: 8}})
		bb.customer(crm.Customer{Name: "赵六", Phones: []string{"13700000000"}, Notes: "来自表格"}) // updates the book's 赵六
		bb.skip(bb.customer(crm.Customer{Name: "跳过", Phones: []string{"13600000000"}}))
		bb.customer(crm.Customer{Name: "坏号码", Phones: []string{"12"}})
		return bb
	}
	books := make([]map[string]crm.Customer, 2)
	var results [2][]crm.ImportRowResult
	for k, consume := range []bool{false, true} {
		s := openTest(t)
		old := &crm.Customer{Name: "赵六", Phones: []string{"13700000000"}, Tags: []string{"老客户"}}
		if err := s.SaveCustomer(context.Background(), old); err != nil {
			t.Fatal(err)
		}
		bb := build()
		if err := s.Import(context.Background(), &bb.b, ImportOptions{Consume: consume}); err != nil {
			t.Fatal(err)
		}
		checkDerived(t, s)
		results[k] = bb.b.Results
		ids, err := queryInts(s.db, `SELECT id FROM customers ORDER BY id`)
		if err != nil {
			t.Fatal(err)
		}
		cards, err := loadCards(context.Background(), s.db, ids)
		if err != nil {
			t.Fatal(err)
		}
		books[k] = map[string]crm.Customer{}
		for _, c := range cards {
			books[k][c.Code] = *c
		}
		for i, ic := range bb.b.Customers {
			if bb.b.Results[ic.Row].Action == crm.ImportSkipRow {
				continue
			}
			if ic.Customer.ID == 0 || books[k][ic.Customer.Code].ID != ic.Customer.ID {
				t.Errorf("consume %v: batch card %d got id %d, code %q", consume, i, ic.Customer.ID, ic.Customer.Code)
			}
		}
		// Copied, the batch's cards are as given; taken, they were normalised where they are.
		if got := bb.b.Customers[1].Customer.Phones; slices.Contains(got, "138 1234 5678") == consume {
			t.Errorf("consume %v: the batch card's phones are %q", consume, got)
		}
	}
	if !reflect.DeepEqual(books[0], books[1]) {
		t.Errorf("the books differ:\ncopied %+v\ntaken  %+v", books[0], books[1])
	}
	if !reflect.DeepEqual(results[0], results[1]) {
		t.Errorf("the results differ:\ncopied %+v\ntaken  %+v", results[0], results[1])
	}
	if len(books[1]) != 3 {
		t.Errorf("%d customers, want 3 (张三, 王五, 赵六)", len(books[1]))
	}
}
