package store

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"carebook/crm"
)

// at returns a record date-time: the wall clock of s in UTC.
func at(s string) time.Time {
	t, err := time.Parse(atLayout, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestSaveRecord(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	c := mustSave(t, s, card())

	// A date-time in any location is stored as its wall clock, to the second.
	zone := time.FixedZone("UTC-8", -8*3600)
	r := &crm.Record{CustomerID: c.ID, At: time.Date(2026, 3, 14, 23, 30, 15, 999, zone), Kind: crm.KindRoutine,
		Content: " 电话回访 ", NextStep: "送样品", NextDate: crm.MustDate("2026-03-20")}
	if err := s.SaveRecord(ctx, r); err != nil {
		t.Fatal(err)
	}
	if r.ID == 0 || r.At != at("2026-03-14 23:30:15") || r.Content != "电话回访" || r.Channel != crm.ChannelOther ||
		!r.CreatedAt.Equal(fixedNow) || !r.UpdatedAt.Equal(fixedNow) {
		t.Errorf("after insert: %+v", r)
	}
	if r.Date() != crm.MustDate("2026-03-14") {
		t.Errorf("day %v", r.Date())
	}
	got, err := s.Record(ctx, r.ID)
	if err != nil || !reflect.DeepEqual(got, r) {
		t.Fatalf("Record = %+v, %v; want %+v", got, err, r)
	}

	later := fixedNow.Add(time.Hour)
	s.now = func() time.Time { return later }
	r.Kind, r.Channel, r.NextDate, r.Feedback = crm.KindGreeting, crm.ChannelWeChat, 0, "很满意"
	r.At = at("2026-03-15 08:00:00")
	if err := s.SaveRecord(ctx, r); err != nil {
		t.Fatal(err)
	}
	if !r.CreatedAt.Equal(fixedNow) || !r.UpdatedAt.Equal(later) {
		t.Errorf("after update: created %v, updated %v", r.CreatedAt, r.UpdatedAt)
	}
	if got, err := s.Record(ctx, r.ID); err != nil || !reflect.DeepEqual(got, r) {
		t.Errorf("after update: %+v, %v; want %+v", got, err, r)
	}

	missing := *r
	missing.ID = 9999
	if err := s.SaveRecord(ctx, &missing); !errors.Is(err, ErrNotFound) {
		t.Errorf("update of a missing record: %v", err)
	}
	if _, err := s.Record(ctx, 9999); !errors.Is(err, ErrNotFound) {
		t.Errorf("Record(missing): %v", err)
	}
}

func TestSaveRecordRefusesInvalid(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	c := mustSave(t, s, card())
	ok := crm.Record{CustomerID: c.ID, At: at("2026-03-01 10:00:00"), Kind: crm.KindRoutine, Channel: crm.ChannelPhone}
	for _, tc := range []struct {
		field string
		edit  func(r *crm.Record)
	}{
		{"kind", func(r *crm.Record) { r.Kind = "chat" }},
		{"channel", func(r *crm.Record) { r.Channel = "fax" }},
		{"at", func(r *crm.Record) { r.At = time.Time{} }},
		{"next_date", func(r *crm.Record) { r.NextDate = crm.MustDate("2026-02-28") }},
		{"customer", func(r *crm.Record) { r.CustomerID = 0 }},
		{"customer", func(r *crm.Record) { r.CustomerID = c.ID + 1 }},
	} {
		r := ok
		tc.edit(&r)
		fieldErr(t, s.SaveRecord(ctx, &r), tc.field)
		if r.ID != 0 {
			t.Errorf("%s: ID assigned", tc.field)
		}
	}
	r := ok
	if err := s.SaveRecord(ctx, &r); err != nil {
		t.Fatal(err)
	}
	bad := r
	bad.CustomerID = 777
	fieldErr(t, s.SaveRecord(ctx, &bad), "customer")
	if n := countRows(t, s, "records"); n != 1 {
		t.Errorf("%d records written", n)
	}
	if got, _ := s.Record(ctx, r.ID); got.CustomerID != c.ID {
		t.Errorf("refused update written: %+v", got)
	}
}

func TestDeleteRecord(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	c := mustSave(t, s, card())
	r := &crm.Record{CustomerID: c.ID, At: at("2026-03-01 10:00:00"), Kind: crm.KindRoutine}
	if err := s.SaveRecord(ctx, r); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteRecord(ctx, r.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Record(ctx, r.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("after delete: %v", err)
	}
	if err := s.DeleteRecord(ctx, r.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("second delete: %v", err)
	}
}

func TestCustomerRecordsNewestFirst(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	a := mustSave(t, s, card())
	b := mustSave(t, s, &crm.Customer{Name: "李四"})
	var rs []crm.Record
	for i, when := range []string{"2026-03-01 10:00:00", "2026-03-02 09:00:00", "2026-03-01 10:00:00",
		"2026-02-28 23:59:59", "2026-03-02 09:00:00"} {
		rs = append(rs, crm.Record{CustomerID: a.ID, At: at(when), Kind: crm.KindRoutine, Content: fmt.Sprint(i)})
	}
	rs = append(rs, crm.Record{CustomerID: b.ID, At: at("2026-03-01 12:00:00"), Kind: crm.KindOther, Content: "b"})
	if err := s.InsertRecords(ctx, rs); err != nil {
		t.Fatal(err)
	}
	got, err := s.CustomerRecords(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, r := range got {
		order = append(order, r.Content)
	}
	if want := []string{"4", "1", "2", "0", "3"}; !slices.Equal(order, want) {
		t.Errorf("order %v, want %v", order, want)
	}
	if !reflect.DeepEqual(got[0], rs[4]) {
		t.Errorf("stored %+v, given back %+v", got[0], rs[4])
	}
}

func TestInsertRecords(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	c := mustSave(t, s, card())
	batch := func() []crm.Record {
		rs := make([]crm.Record, 10)
		for i := range rs {
			rs[i] = crm.Record{CustomerID: c.ID, At: at("2026-03-01 10:00:00").Add(time.Duration(i) * time.Hour),
				Kind: crm.KindRoutine, Channel: crm.ChannelPhone, Content: " x "}
		}
		return rs
	}
	for _, tc := range []struct {
		name  string
		edit  func(r *crm.Record)
		field string
	}{
		{"invalid", func(r *crm.Record) { r.Kind = "" }, "kind"},
		{"no customer", func(r *crm.Record) { r.CustomerID = c.ID + 1 }, "customer"},
		{"has an id", func(r *crm.Record) { r.ID = 3 }, ""},
	} {
		rs := batch()
		tc.edit(&rs[5])
		err := s.InsertRecords(ctx, rs)
		var re *RowError
		if !errors.As(err, &re) || re.Row != 5 {
			t.Fatalf("%s: %v, want a RowError for row 5", tc.name, err)
		}
		if tc.field != "" {
			fieldErr(t, err, tc.field)
		}
		for _, table := range []string{"records", "record_counts"} {
			if n := countRows(t, s, table); n != 0 {
				t.Fatalf("%s: %d rows written to %s", tc.name, n, table)
			}
		}
		if n, err := s.CountRecords(ctx, crm.RecordQuery{}); err != nil || n != 0 {
			t.Fatalf("%s: CountRecords = %d, %v", tc.name, n, err)
		}
	}
	rs := batch()
	rs[3].At = time.Date(2026, 3, 1, 13, 0, 0, 5, time.FixedZone("X", 3600)) // kept as 13:00:00
	if err := s.InsertRecords(ctx, rs); err != nil {
		t.Fatal(err)
	}
	got, _ := s.CustomerRecords(ctx, c.ID)
	if len(got) != len(rs) {
		t.Fatalf("%d records", len(got))
	}
	for i, r := range rs {
		if g := got[len(got)-1-i]; !reflect.DeepEqual(g, r) || r.ID == 0 || r.Content != "x" {
			t.Errorf("record %d: stored %+v, given back %+v", i, g, r)
		}
	}
	if rs[3].At != at("2026-03-01 13:00:00") {
		t.Errorf("At given back as %v", rs[3].At)
	}
	checkCounts(t, s)
	// The counting trigger is back: a single save is counted too.
	if err := s.SaveRecord(ctx, &crm.Record{CustomerID: c.ID, At: at("2026-03-02 10:00:00"), Kind: crm.KindOther}); err != nil {
		t.Fatal(err)
	}
	checkCounts(t, s)
	if n, _ := s.CountRecords(ctx, crm.RecordQuery{}); n != 11 {
		t.Errorf("CountRecords = %d", n)
	}
}

func TestActivity(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	a := mustSave(t, s, card())
	b := mustSave(t, s, &crm.Customer{Name: "李四"})
	if act, err := s.Activity(ctx, a.ID); err != nil || act != (crm.Activity{}) {
		t.Errorf("no history: %+v, %v", act, err)
	}
	ps := []crm.Purchase{
		{CustomerID: a.ID, Date: crm.MustDate("2026-01-10"), Amount: 100_00},
		{CustomerID: a.ID, Date: crm.MustDate("2026-02-20"), Amount: 50_50},
		{CustomerID: a.ID, Date: crm.MustDate("2025-12-01"), Amount: 1},
		{CustomerID: b.ID, Date: crm.MustDate("2026-03-01"), Amount: 7},
	}
	rs := []crm.Record{
		{CustomerID: a.ID, At: at("2026-02-21 09:00:00"), Kind: crm.KindRoutine},
		{CustomerID: a.ID, At: at("2026-02-21 18:30:00"), Kind: crm.KindGreeting},
		{CustomerID: a.ID, At: at("2026-01-01 18:30:00"), Kind: crm.KindGreeting},
		{CustomerID: b.ID, At: at("2026-03-10 18:30:00"), Kind: crm.KindGreeting},
	}
	if err := errors.Join(s.InsertPurchases(ctx, ps), s.InsertRecords(ctx, rs)); err != nil {
		t.Fatal(err)
	}
	act, err := s.Activity(ctx, a.ID)
	want := crm.Activity{LastContact: at("2026-02-21 18:30:00"), LastPurchase: crm.MustDate("2026-02-20"),
		Purchases: 3, PurchaseTotal: 150_51, Records: 3}
	if err != nil || act != want {
		t.Errorf("Activity = %+v, %v; want %+v", act, err, want)
	}
}

// checkCounts compares record_counts, and the cached stats when there are some, with the
// records themselves.
func checkCounts(t *testing.T, s *Store) {
	t.Helper()
	var bad int
	err := s.db.QueryRow(`SELECT count(*) FROM
		(SELECT date, kind, channel, count(*) AS n FROM records GROUP BY date, kind, channel) a
		FULL JOIN (SELECT * FROM record_counts WHERE n <> 0) b USING (date, kind, channel)
		WHERE a.n IS NOT b.n`).Scan(&bad)
	if err != nil || bad != 0 {
		t.Errorf("record_counts: %d wrong counts, %v", bad, err)
	}
	s.rc.mu.Lock()
	cached := s.rc.stats
	s.rc.mu.Unlock()
	if cached == nil {
		return
	}
	tx, err := s.readTx(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	fresh, err := readRecordStats(context.Background(), tx)
	if err != nil {
		t.Fatal(err)
	}
	if !sameStats(cached, fresh) {
		t.Errorf("cached stats %+v, fresh %+v", cached, fresh)
	}
}

// sameStats compares two stats, ignoring days and cells of no records.
func sameStats(a, b *recordStats) bool {
	flatten := func(st *recordStats) (map[crm.Date][]int32, map[crm.Date][]int32) {
		all, arch := map[crm.Date][]int32{}, map[crm.Date][]int32{}
		for i, d := range st.days {
			if slices.ContainsFunc(st.counts[i], func(n int32) bool { return n != 0 }) {
				all[d] = st.counts[i]
			}
		}
		for d, c := range st.archived {
			if slices.ContainsFunc(c, func(n int32) bool { return n != 0 }) {
				arch[d] = c
			}
		}
		return all, arch
	}
	a1, a2 := flatten(a)
	b1, b2 := flatten(b)
	return reflect.DeepEqual(a1, b1) && reflect.DeepEqual(a2, b2)
}

// sheetBook is a book for the record sheet tests: customers a (two phones), b (none), c
// (archived) and d, and a few hundred records over three weeks, many at the same date-times,
// some on the first and last second of a day.
type sheetBook struct {
	s          *Store
	a, b, c, d *crm.Customer
}

func newSheetBook(t *testing.T) *sheetBook {
	t.Helper()
	ctx := context.Background()
	s := openTest(t)
	sb := &sheetBook{s: s,
		a: mustSave(t, s, &crm.Customer{Name: "张三", Phones: []string{"13812345678", "13987654321"}}),
		b: mustSave(t, s, &crm.Customer{Name: "李四"}),
		c: mustSave(t, s, &crm.Customer{Name: "王五", Phones: []string{"13700001111"}}),
		d: mustSave(t, s, &crm.Customer{Name: "赵六", Phones: []string{"13600002222"}}),
	}
	r := rand.New(rand.NewPCG(1, 2))
	custs := []int64{sb.a.ID, sb.b.ID, sb.c.ID, sb.d.ID}
	clock := []string{"00:00:00", "09:30:00", "09:30:00", "14:00:00", "23:59:59"}
	var rs []crm.Record
	for i := range 400 {
		day := crm.MustDate("2026-02-01").AddDays(r.IntN(21))
		rs = append(rs, crm.Record{CustomerID: custs[r.IntN(len(custs))],
			At:   at(day.String() + " " + clock[r.IntN(len(clock))]),
			Kind: crm.RecordKinds[r.IntN(3)], Channel: crm.Channels[r.IntN(3)], Content: fmt.Sprint(i)})
	}
	if err := s.InsertRecords(ctx, rs[:300]); err != nil {
		t.Fatal(err)
	}
	for i := range rs[300:] {
		if err := s.SaveRecord(ctx, &rs[300+i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.ArchiveCustomer(ctx, sb.c.ID); err != nil {
		t.Fatal(err)
	}
	return sb
}

// referenceSheet returns the ids of the sheet's rows for q, worked out the slow way, and each
// row's customer columns.
func referenceSheet(t *testing.T, s *Store, q crm.RecordQuery) ([]int64, map[int64][3]string) {
	t.Helper()
	rows, err := s.db.Query(`SELECT r.id, r.customer_id, r.at, r.kind, r.channel, c.archived_at IS NOT NULL,
		c.code, c.name, coalesce((SELECT e164 FROM customer_phones WHERE customer_id = c.id AND pos = 0), '')
		FROM records r JOIN customers c ON c.id = r.customer_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	type row struct {
		id  int64
		at  string
		cus [3]string
	}
	var all []row
	for rows.Next() {
		var x row
		var cust int64
		var kind, ch string
		var archived bool
		if err := rows.Scan(&x.id, &cust, &x.at, &kind, &ch, &archived, &x.cus[0], &x.cus[1], &x.cus[2]); err != nil {
			t.Fatal(err)
		}
		day := crm.MustDate(x.at[:10])
		if (q.CustomerID == 0 && archived) || (q.CustomerID != 0 && cust != q.CustomerID) ||
			(q.From != 0 && day < q.From) || (q.To != 0 && day > q.To) ||
			(q.Kind != "" && string(q.Kind) != kind) || (q.Channel != "" && string(q.Channel) != ch) {
			continue
		}
		all = append(all, x)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(all, func(x, y row) int {
		if x.at != y.at {
			if x.at > y.at {
				return -1
			}
			return 1
		}
		return -cmpInt(x.id, y.id)
	})
	ids := make([]int64, len(all))
	cus := make(map[int64][3]string, len(all))
	for i, x := range all {
		ids[i], cus[x.id] = x.id, x.cus
	}
	return ids, cus
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// sheetQueries are the filters tried: none, each alone, and combined.
func (sb *sheetBook) queries() map[string]crm.RecordQuery {
	from, to := crm.MustDate("2026-02-05"), crm.MustDate("2026-02-12")
	return map[string]crm.RecordQuery{
		"all":                   {},
		"from":                  {From: from},
		"to":                    {To: to},
		"from_to":               {From: from, To: to},
		"one_day":               {From: to, To: to},
		"kind":                  {Kind: crm.KindGreeting},
		"channel":               {Channel: crm.ChannelSMS},
		"customer":              {CustomerID: sb.a.ID},
		"archived_customer":     {CustomerID: sb.c.ID},
		"from_to_kind_channel":  {From: from, To: to, Kind: crm.KindRoutine, Channel: crm.ChannelPhone},
		"customer_kind":         {CustomerID: sb.d.ID, Kind: crm.KindInvitation},
		"customer_from_to_chan": {CustomerID: sb.b.ID, From: from, To: to, Channel: crm.ChannelPhone},
		"nothing_kind":          {Kind: crm.KindComplaint},
		"empty_range":           {From: to, To: from},
		"before_everything":     {To: crm.MustDate("2026-01-01")},
		"nobody":                {CustomerID: 9999},
	}
}

// check compares CountRecords and pages of RecordRows at the start, middle and end of each
// query with the reference; all: and every page of 13 rows, one after the other.
func (sb *sheetBook) check(t *testing.T, all bool) {
	t.Helper()
	ctx := context.Background()
	for name, q := range sb.queries() {
		if !all && !slices.Contains([]string{"all", "from_to", "kind", "channel", "customer", "archived_customer",
			"from_to_kind_channel"}, name) {
			continue
		}
		want, cus := referenceSheet(t, sb.s, q)
		n, err := sb.s.CountRecords(ctx, q)
		if err != nil || n != len(want) {
			t.Errorf("%s: CountRecords = %d, %v; want %d", name, n, err, len(want))
			continue
		}
		page := func(offset, limit int) []int64 {
			rows, err := sb.s.RecordRows(ctx, q, offset, limit)
			if err != nil {
				t.Fatalf("%s: RecordRows(%d, %d): %v", name, offset, limit, err)
			}
			ids := make([]int64, len(rows))
			for i, r := range rows {
				ids[i] = r.ID
				if c, ok := cus[r.ID]; !ok || c != [3]string{r.CustomerCode, r.CustomerName, r.Phone} {
					t.Errorf("%s: row %d: customer %q %q %q, want %q", name, r.ID, r.CustomerCode, r.CustomerName, r.Phone, c)
				}
			}
			return ids
		}
		ref := func(offset, limit int) []int64 {
			lo, hi := min(offset, len(want)), min(offset+limit, len(want))
			return append([]int64{}, want[lo:hi]...)
		}
		offsets := []int{0, len(want) / 2, max(0, len(want)-7), len(want)}
		if all {
			offsets = append(offsets, 1, len(want)-1, len(want)+5)
		}
		for _, offset := range offsets {
			if offset < 0 {
				continue
			}
			for _, limit := range []int{7, 100}[:1+boolInt(all)] {
				if got, exp := page(offset, limit), ref(offset, limit); !slices.Equal(got, exp) {
					t.Errorf("%s: page (%d, %d) = %v, want %v", name, offset, limit, got, exp)
				}
			}
		}
		if !all {
			continue
		}
		// Every page of 13 rows, one after the other, is the whole sheet.
		var pages []int64
		for off := 0; off < len(want)+13; off += 13 {
			pages = append(pages, page(off, 13)...)
		}
		if !slices.Equal(pages, want) {
			t.Errorf("%s: pages of 13 give %d rows, want %d", name, len(pages), len(want))
		}
	}
}

func TestRecordSheet(t *testing.T) {
	sb := newSheetBook(t)
	sb.check(t, true)
	checkCounts(t, sb.s)

	// A row carries the whole record.
	ctx := context.Background()
	rows, err := sb.s.RecordRows(ctx, crm.RecordQuery{CustomerID: sb.a.ID}, 0, 1)
	if err != nil || len(rows) != 1 {
		t.Fatal(rows, err)
	}
	r, err := sb.s.Record(ctx, rows[0].ID)
	if err != nil || !reflect.DeepEqual(rows[0].Record, *r) || rows[0].Phone != "+8613812345678" {
		t.Errorf("row %+v, record %+v, %v", rows[0], r, err)
	}
	if rows, err := sb.s.RecordRows(ctx, crm.RecordQuery{}, 0, 0); err != nil || len(rows) != 0 {
		t.Errorf("limit 0: %v, %v", rows, err)
	}
	if rows, err := sb.s.RecordRows(ctx, crm.RecordQuery{}, -3, 5); err != nil || len(rows) != 0 {
		t.Errorf("negative offset: %v, %v", rows, err)
	}
}

// TestRecordSheetAfterWrites checks the sheet, and that the cached counts follow, after every
// kind of write: new records, records moved to another day, kind, channel or customer,
// deleted records, bulk inserts, archiving, restoring and purging customers.
func TestRecordSheetAfterWrites(t *testing.T) {
	ctx := context.Background()
	sb := newSheetBook(t)
	s := sb.s
	sb.check(t, false) // the counts are cached now

	steps := []struct {
		name string
		do   func() error
	}{
		{"new record", func() error {
			return s.SaveRecord(ctx, &crm.Record{CustomerID: sb.a.ID, At: at("2026-03-05 10:00:00"), Kind: crm.KindGreeting,
				Channel: crm.ChannelSMS})
		}},
		{"new record of an archived customer", func() error {
			return s.SaveRecord(ctx, &crm.Record{CustomerID: sb.c.ID, At: at("2026-02-10 10:00:00"), Kind: crm.KindRoutine,
				Channel: crm.ChannelPhone})
		}},
		{"record moved", func() error {
			rs, err := s.CustomerRecords(ctx, sb.b.ID)
			if err != nil {
				return err
			}
			r := rs[len(rs)/2]
			r.At, r.Kind, r.Channel = at("2026-01-20 08:00:00"), crm.KindComplaint, crm.ChannelEmail
			return s.SaveRecord(ctx, &r)
		}},
		{"record moved to an archived customer", func() error {
			rs, err := s.CustomerRecords(ctx, sb.d.ID)
			if err != nil {
				return err
			}
			r := rs[0]
			r.CustomerID = sb.c.ID
			return s.SaveRecord(ctx, &r)
		}},
		{"record moved back", func() error {
			rs, err := s.CustomerRecords(ctx, sb.c.ID)
			if err != nil {
				return err
			}
			r := rs[1]
			r.CustomerID = sb.a.ID
			return s.SaveRecord(ctx, &r)
		}},
		{"record deleted", func() error {
			rs, err := s.CustomerRecords(ctx, sb.a.ID)
			if err != nil {
				return err
			}
			return s.DeleteRecord(ctx, rs[3].ID)
		}},
		{"archived customer's record deleted", func() error {
			rs, err := s.CustomerRecords(ctx, sb.c.ID)
			if err != nil {
				return err
			}
			return s.DeleteRecord(ctx, rs[0].ID)
		}},
		{"refused save", func() error {
			err := s.SaveRecord(ctx, &crm.Record{CustomerID: 9999, At: at("2026-02-10 10:00:00"), Kind: crm.KindRoutine})
			if err == nil {
				return errors.New("saved")
			}
			return nil
		}},
		{"bulk insert", func() error {
			var rs []crm.Record
			for i := range 30 {
				rs = append(rs, crm.Record{CustomerID: sb.d.ID, At: at("2026-02-15 12:00:00").Add(time.Duration(i) * time.Minute),
					Kind: crm.KindRoutine, Channel: crm.ChannelVisit})
			}
			return s.InsertRecords(ctx, rs)
		}},
		{"customer restored", func() error { return s.RestoreCustomer(ctx, sb.c.ID) }},
		{"customer archived", func() error { return s.ArchiveCustomer(ctx, sb.b.ID) }},
		{"customer purged", func() error { return s.PurgeCustomer(ctx, sb.a.ID) }},
		{"archived customer purged", func() error { return s.PurgeCustomer(ctx, sb.b.ID) }},
	}
	for _, step := range steps {
		before, _ := s.CountRecords(ctx, crm.RecordQuery{})
		if err := step.do(); err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		s.rc.mu.Lock()
		patched := s.rc.stats != nil
		s.rc.mu.Unlock()
		if want := !slices.Contains([]string{"bulk insert", "customer restored", "customer archived", "customer purged",
			"archived customer purged"}, step.name); patched != want {
			t.Errorf("%s: stats kept %v, want %v", step.name, patched, want)
		}
		checkCounts(t, s) // the patched stats, before anything reads them again
		after, _ := s.CountRecords(ctx, crm.RecordQuery{})
		t.Logf("%s: %d → %d records on the sheet", step.name, before, after)
		sb.check(t, false)
		if t.Failed() {
			t.Fatalf("after %s", step.name)
		}
	}
	if n, _ := s.CountRecords(ctx, crm.RecordQuery{CustomerID: sb.a.ID}); n != 0 {
		t.Errorf("a purged customer still has %d records", n)
	}
}

// TestRecordStatsNotKeptAcrossWrites: stats read while a write is under way are used but not
// cached.
func TestRecordStatsNotKeptAcrossWrites(t *testing.T) {
	ctx := context.Background()
	sb := newSheetBook(t)
	s := sb.s
	base := s.changeRecords()
	if _, err := s.CountRecords(ctx, crm.RecordQuery{}); err != nil {
		t.Fatal(err)
	}
	s.rc.mu.Lock()
	cached := s.rc.stats
	s.rc.mu.Unlock()
	if cached != nil {
		t.Error("stats read during a write were cached")
	}
	s.changedRecords(base, nil)
	if _, err := s.CountRecords(ctx, crm.RecordQuery{}); err != nil {
		t.Fatal(err)
	}
	if s.rc.stats == nil {
		t.Error("stats read at rest were not cached")
	}
}

// TestMigrationCountsExistingRecords upgrades a schema 1 book holding records.
func TestMigrationCountsExistingRecords(t *testing.T) {
	ctx := context.Background()
	all, err := embeddedMigrations()
	if err != nil {
		t.Fatal(err)
	}
	path := t.TempDir() + "/book.db"
	s, err := open(ctx, path, all[:1])
	if err != nil {
		t.Fatal(err)
	}
	c := mustSave(t, s, card())
	for i := range 50 {
		if _, err := s.db.Exec(`INSERT INTO records (customer_id, at, kind, channel) VALUES (?, ?, ?, ?)`,
			c.ID, fmt.Sprintf("2026-02-%02d 10:00:00", 1+i%20), crm.RecordKinds[i%7], crm.Channels[i%6]); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	s, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	checkCounts(t, s)
	if n, err := s.CountRecords(ctx, crm.RecordQuery{From: crm.MustDate("2026-02-11")}); err != nil || n != 20 {
		t.Errorf("CountRecords = %d, %v", n, err)
	}
}

// TestBulkInsertsWriteByDate: a batch given customer by customer is written by date(-time), so
// that ids follow it; every row gets back its own id.
func TestBulkInsertsWriteByDate(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	a := mustSave(t, s, card())
	b := mustSave(t, s, &crm.Customer{Name: "李四"})
	rs := []crm.Record{
		{CustomerID: a.ID, At: at("2026-03-03 10:00:00"), Kind: crm.KindRoutine, Content: "a3"},
		{CustomerID: a.ID, At: at("2026-03-01 10:00:00"), Kind: crm.KindRoutine, Content: "a1"},
		{CustomerID: b.ID, At: at("2026-03-02 10:00:00"), Kind: crm.KindRoutine, Content: "b2"},
		{CustomerID: b.ID, At: at("2026-03-01 10:00:00"), Kind: crm.KindRoutine, Content: "b1"},
	}
	ps := []crm.Purchase{
		{CustomerID: a.ID, Date: crm.MustDate("2026-03-03"), Amount: 3},
		{CustomerID: a.ID, Date: crm.MustDate("2026-03-01"), Amount: 1},
		{CustomerID: b.ID, Date: crm.MustDate("2026-03-02"), Amount: 2},
		{CustomerID: b.ID, Date: crm.MustDate("2026-03-01"), Amount: 11},
	}
	if err := errors.Join(s.InsertRecords(ctx, rs), s.InsertPurchases(ctx, ps)); err != nil {
		t.Fatal(err)
	}
	var contents []string
	if err := s.EachRecord(ctx, 0, 0, func(r *crm.RecordRow) error {
		if got, err := s.Record(ctx, r.ID); err != nil || got.Content != r.Content {
			t.Errorf("record %d: %v, %v", r.ID, got, err)
		}
		contents = append(contents, r.Content)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if want := []string{"a1", "b1", "b2", "a3"}; !slices.Equal(contents, want) {
		t.Errorf("by date-time and id: %v, want %v", contents, want)
	}
	if !(rs[1].ID < rs[3].ID && rs[3].ID < rs[2].ID && rs[2].ID < rs[0].ID) {
		t.Errorf("record ids %d %d %d %d do not follow the date-times", rs[0].ID, rs[1].ID, rs[2].ID, rs[3].ID)
	}
	if !(ps[1].ID < ps[3].ID && ps[3].ID < ps[2].ID && ps[2].ID < ps[0].ID) {
		t.Errorf("purchase ids %d %d %d %d do not follow the dates", ps[0].ID, ps[1].ID, ps[2].ID, ps[3].ID)
	}
	for _, p := range ps {
		got, _ := s.Purchases(ctx, p.CustomerID)
		if !slices.Contains(got, p) {
			t.Errorf("purchase %+v not stored as given back", p)
		}
	}
}
