package store

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"carebook/crm"
)

// card returns a card with every field set.
func card() *crm.Customer {
	return &crm.Customer{
		Name:     "张三",
		Remark:   "老张",
		Gender:   crm.GenderMale,
		Phones:   []string{"138 1234 5678", "+86 139-8765-4321", "010-12345678"},
		WeChat:   "zhangsan88",
		Email:    "zs@example.com",
		Address:  "上海市静安区南京西路 1 号",
		Company:  "张氏贸易有限公司",
		Title:    "总经理",
		Source:   "朋友介绍",
		Birthday: &crm.KeyDate{Calendar: crm.Lunar, Year: 2020, Month: 4, Day: 1, Leap: true}, // 闰四月初一
		Dates: []crm.KeyDate{
			{Label: "结婚纪念日", Calendar: crm.Solar, Year: 2015, Month: 10, Day: 1},
			{Label: "开业", Calendar: crm.Lunar, Month: 3, Day: 3},
		},
		Needs:        "护肤套装",
		LatentNeeds:  "送礼",
		Preferences:  "不喜欢香味重的",
		Interests:    "最近在健身",
		Notes:        "第一行\n第二行",
		Tags:         []string{"老客户", "健身"},
		Tier:         crm.TierVIP,
		DoNotDisturb: true,
		Knowing:      3,
		Closeness:    4,
		Loyalty:      5,
		Created:      crm.MustDate("2024-05-06"),
	}
}

func mustSave(t *testing.T, s *Store, c *crm.Customer) *crm.Customer {
	t.Helper()
	if err := s.SaveCustomer(context.Background(), c); err != nil {
		t.Fatalf("save %s: %v", c.Name, err)
	}
	return c
}

func mustLoad(t *testing.T, s *Store, id int64) *crm.Customer {
	t.Helper()
	c, err := s.Customer(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func countRows(t *testing.T, s *Store, table string) int {
	t.Helper()
	var n int
	if err := s.db.QueryRow(`SELECT count(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestSaveLoadRoundTrip(t *testing.T) {
	s := openTest(t)
	c := mustSave(t, s, card())
	if c.ID == 0 || c.Code != "C000001" {
		t.Fatalf("assigned ID %d, code %q", c.ID, c.Code)
	}
	wantPhones := []string{"+8613812345678", "+8613987654321", "+861012345678"}
	if !reflect.DeepEqual(c.Phones, wantPhones) {
		t.Errorf("phones normalised to %q", c.Phones)
	}
	if c.Birthday.ID == 0 || c.Dates[0].ID == 0 || c.Dates[1].ID == 0 {
		t.Errorf("date ids not assigned: %+v %+v", c.Birthday, c.Dates)
	}
	at := fixedNow.UTC().Truncate(time.Millisecond)
	if !c.CreatedAt.Equal(at) || !c.UpdatedAt.Equal(at) {
		t.Errorf("timestamps %v %v, want %v", c.CreatedAt, c.UpdatedAt, at)
	}

	got := mustLoad(t, s, c.ID)
	if !reflect.DeepEqual(got, c) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, c)
	}
	if got.Birthday == nil || !got.Birthday.Leap || got.Birthday.Calendar != crm.Lunar {
		t.Errorf("lunar leap birthday lost: %+v", got.Birthday)
	}
	var national string
	if err := s.db.QueryRow(`SELECT national FROM customer_phones WHERE customer_id = ? AND pos = 0`, c.ID).Scan(&national); err != nil || national != "13812345678" {
		t.Errorf("national digits %q, %v", national, err)
	}

	// Saving never archives, not even a new card that says it is archived.
	a := &crm.Customer{Name: "周七", Archived: true}
	mustSave(t, s, a)
	if a.Archived || mustLoad(t, s, a.ID).Archived {
		t.Error("a new card was saved archived")
	}
	if res, _ := s.Search(context.Background(), Query{Text: "周七"}); len(res) != 1 {
		t.Errorf("new card not listed: %v", res)
	}

	// A minimal card round-trips too (no phones, tags or dates: nil, not empty slices).
	m := mustSave(t, s, &crm.Customer{Name: "李四"})
	got = mustLoad(t, s, m.ID)
	if !reflect.DeepEqual(got, m) {
		t.Errorf("minimal round trip:\n got %+v\nwant %+v", got, m)
	}
	if got.Gender != crm.GenderUnknown || got.Tier != crm.TierOrdinary || got.Created != crm.DateOf(fixedNow) {
		t.Errorf("defaults: gender %q tier %q created %v", got.Gender, got.Tier, got.Created)
	}
}

func TestUpdateReplacesListsAndKeepsDateIDs(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	c := mustSave(t, s, card())
	birthdayID, weddingID := c.Birthday.ID, c.Dates[0].ID

	later := fixedNow.Add(24 * time.Hour)
	s.now = func() time.Time { return later }
	c.Name = "张叁"
	c.Phones = []string{"+8613987654321"}
	c.Tags = []string{"健身", "VIP客户"}
	c.Birthday.Day = 2
	c.Dates = []crm.KeyDate{c.Dates[0], {Label: "孩子生日", Calendar: crm.Solar, Month: 6, Day: 1}}
	c.Created = 0 // zero keeps the stored creation date
	mustSave(t, s, c)

	got := mustLoad(t, s, c.ID)
	if !reflect.DeepEqual(got, c) {
		t.Errorf("after update:\n got %+v\nwant %+v", got, c)
	}
	if got.Created != crm.MustDate("2024-05-06") {
		t.Errorf("created changed to %v", got.Created)
	}
	if got.Birthday.ID != birthdayID || got.Dates[0].ID != weddingID {
		t.Errorf("date ids changed: %d→%d, %d→%d", birthdayID, got.Birthday.ID, weddingID, got.Dates[0].ID)
	}
	if !got.CreatedAt.Equal(fixedNow.UTC().Truncate(time.Millisecond)) || !got.UpdatedAt.Equal(later.UTC().Truncate(time.Millisecond)) {
		t.Errorf("timestamps %v %v", got.CreatedAt, got.UpdatedAt)
	}
	if n := countRows(t, s, "important_dates"); n != 3 {
		t.Errorf("%d important_dates rows, want 3", n)
	}
	// The kept tag keeps its created_at.
	var tagCreated string
	if err := s.db.QueryRow(`SELECT created_at FROM customer_tags WHERE customer_id = ? AND tag = '健身'`, c.ID).Scan(&tagCreated); err != nil || tagCreated != stamp(fixedNow) {
		t.Errorf("kept tag created_at %q, %v", tagCreated, err)
	}

	// Dropping the birthday and every list.
	c.Birthday, c.Dates, c.Tags, c.Phones = nil, nil, nil, nil
	mustSave(t, s, c)
	got = mustLoad(t, s, c.ID)
	if got.Birthday != nil || got.Dates != nil || got.Tags != nil || got.Phones != nil {
		t.Errorf("lists not cleared: %+v", got)
	}
	for _, table := range []string{"important_dates", "customer_tags", "customer_phones"} {
		if n := countRows(t, s, table); n != 0 {
			t.Errorf("%s: %d rows left", table, n)
		}
	}

	// Updating a customer that does not exist.
	if err := s.SaveCustomer(ctx, &crm.Customer{ID: 999, Name: "王五"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("update of a missing customer: %v", err)
	}
}

func TestAutoCodes(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	a := mustSave(t, s, &crm.Customer{Name: "甲"})
	b := mustSave(t, s, &crm.Customer{Name: "乙"})
	if a.Code != "C000001" || b.Code != "C000002" {
		t.Errorf("codes %q %q", a.Code, b.Code)
	}
	mustSave(t, s, &crm.Customer{Name: "丙", Code: "C000123"})
	mustSave(t, s, &crm.Customer{Name: "丁", Code: "VIP-900"})
	mustSave(t, s, &crm.Customer{Name: "戊", Code: "C12x"})
	d := mustSave(t, s, &crm.Customer{Name: "己"})
	if d.Code != "C000124" {
		t.Errorf("after C000123: %q", d.Code)
	}
	// Editing keeps the code; an empty code on an update keeps it too.
	d.Code = ""
	mustSave(t, s, d)
	if d.Code != "C000124" || mustLoad(t, s, d.ID).Code != "C000124" {
		t.Errorf("code lost on update: %q", d.Code)
	}

	// The bulk path numbers after the book and after the batch's own C-numbers.
	batch := []crm.Customer{{Name: "庚"}, {Name: "辛", Code: "C000200"}, {Name: "壬"}}
	if err := s.InsertCustomers(ctx, batch); err != nil {
		t.Fatal(err)
	}
	if batch[0].Code != "C000201" || batch[1].Code != "C000200" || batch[2].Code != "C000202" {
		t.Errorf("bulk codes %q %q %q", batch[0].Code, batch[1].Code, batch[2].Code)
	}
	if e := mustSave(t, s, &crm.Customer{Name: "癸"}); e.Code != "C000203" {
		t.Errorf("after bulk: %q", e.Code)
	}
}

func TestDuplicateCodeRefused(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	a := mustSave(t, s, &crm.Customer{Name: "甲", Code: "K1"})
	b := mustSave(t, s, &crm.Customer{Name: "乙"})

	check := func(err error) {
		t.Helper()
		var errs crm.Errors
		if !errors.As(err, &errs) {
			t.Fatalf("err = %v, want crm.Errors", err)
		}
		if fe := errs.For("code"); fe == nil || fe.Key != "err.code_taken" {
			t.Errorf("errors %v, want code err.code_taken", errs)
		}
	}
	check(s.SaveCustomer(ctx, &crm.Customer{Name: "丙", Code: "K1"}))
	b.Code, b.Name = a.Code, "乙改"
	check(s.SaveCustomer(ctx, b))
	if got := mustLoad(t, s, b.ID); got.Code != "C000001" || got.Name != "乙" {
		t.Errorf("refused update written: %+v", got)
	}
	if n := countRows(t, s, "customers"); n != 2 {
		t.Errorf("%d customers", n)
	}

	// Bulk: against the book, and twice in one batch.
	for _, batch := range [][]crm.Customer{
		{{Name: "丁"}, {Name: "戊", Code: "K1"}},
		{{Name: "丁", Code: "K2"}, {Name: "戊", Code: "K2"}},
	} {
		err := s.InsertCustomers(ctx, batch)
		var re *RowError
		if !errors.As(err, &re) || re.Row != 1 {
			t.Errorf("bulk duplicate: %v, want RowError at row 1", err)
		}
		check(err)
	}
	if n := countRows(t, s, "customers"); n != 2 {
		t.Errorf("%d customers after refused batches", n)
	}
}

func TestInvalidCardWritesNothing(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	c := card()
	c.Name = "  "
	c.Phones = append(c.Phones, "12345")
	err := s.SaveCustomer(ctx, c)
	var errs crm.Errors
	if !errors.As(err, &errs) {
		t.Fatalf("err = %v, want crm.Errors", err)
	}
	if errs.For("name") == nil || errs.For("phones[3]") == nil {
		t.Errorf("errors %v, want name and phones[3]", errs)
	}
	if c.ID != 0 || c.Code != "" {
		t.Errorf("refused card got ID %d code %q", c.ID, c.Code)
	}
	for _, table := range []string{"customers", "customer_phones", "customer_tags", "important_dates"} {
		if n := countRows(t, s, table); n != 0 {
			t.Errorf("%s: %d rows", table, n)
		}
	}

	// An invalid edit leaves the stored card as it was.
	good := mustSave(t, s, card())
	edit := mustLoad(t, s, good.ID)
	edit.Name = "王五"
	edit.Birthday = &crm.KeyDate{Calendar: crm.Solar, Year: 2023, Month: 2, Day: 29}
	if err := s.SaveCustomer(ctx, edit); !errors.As(err, &errs) || errs.For("birthday") == nil {
		t.Errorf("Feb 29 2023: %v", err)
	}
	if got := mustLoad(t, s, good.ID); !reflect.DeepEqual(got, good) {
		t.Errorf("refused edit changed the card:\n got %+v\nwant %+v", got, good)
	}

	// Bulk: the whole batch fails with the row.
	batch := []crm.Customer{*card(), {Name: "赵六", Email: "not-an-email"}}
	err = s.InsertCustomers(ctx, batch)
	var re *RowError
	if !errors.As(err, &re) || re.Row != 1 || !errors.As(err, &errs) || errs.For("email") == nil {
		t.Errorf("bulk invalid: %v", err)
	}
	if n := countRows(t, s, "customers"); n != 1 {
		t.Errorf("%d customers after a refused batch", n)
	}
}

func TestArchiveRestorePurge(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	c := mustSave(t, s, card())

	if err := s.ArchiveCustomer(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	if !mustLoad(t, s, c.ID).Archived {
		t.Error("not archived")
	}
	if err := s.ArchiveCustomer(ctx, c.ID); err != nil {
		t.Errorf("archiving twice: %v", err)
	}
	if n, err := s.CountCustomers(ctx); err != nil || n != 0 {
		t.Errorf("CountCustomers = %d, %v", n, err)
	}
	// Saving an archived card keeps it archived.
	got := mustLoad(t, s, c.ID)
	got.Archived = false
	mustSave(t, s, got)
	if !mustLoad(t, s, c.ID).Archived {
		t.Error("SaveCustomer restored an archived customer")
	}

	if err := s.RestoreCustomer(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	if mustLoad(t, s, c.ID).Archived {
		t.Error("not restored")
	}
	if n, err := s.CountCustomers(ctx); err != nil || n != 1 {
		t.Errorf("CountCustomers = %d, %v", n, err)
	}

	// Purge cascades to everything about the customer.
	if _, err := s.db.Exec(`INSERT INTO purchases (customer_id, date, amount_fen, items, channel) VALUES (?, '2026-01-02', 12345, '面霜', 'offline')`, c.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec(`INSERT INTO records (customer_id, at, kind, channel, content) VALUES (?, '2026-01-05 10:00:00', 'routine', 'wechat', '回访')`, c.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.PurgeCustomer(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Customer(ctx, c.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("after purge: %v", err)
	}
	for _, table := range []string{"customers", "customer_phones", "customer_tags", "important_dates", "purchases", "records"} {
		if n := countRows(t, s, table); n != 0 {
			t.Errorf("%s: %d rows after purge", table, n)
		}
	}

	for name, f := range map[string]func(context.Context, int64) error{
		"archive": s.ArchiveCustomer, "restore": s.RestoreCustomer, "purge": s.PurgeCustomer,
	} {
		if err := f(ctx, c.ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("%s of a missing customer: %v", name, err)
		}
	}
	if _, err := s.Customer(ctx, 12345); !errors.Is(err, ErrNotFound) {
		t.Errorf("Customer(12345): %v", err)
	}
}

func TestInsertCustomersRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	batch := []crm.Customer{*card(), {Name: "李四", Phones: []string{"13900001111"}, Tags: []string{"新客"}}, {Name: "王五", Created: crm.MustDate("2025-01-01")}}
	if err := s.InsertCustomers(ctx, batch); err != nil {
		t.Fatal(err)
	}
	for i := range batch {
		c := &batch[i]
		if c.ID == 0 {
			t.Fatalf("row %d: no ID", i)
		}
		if got := mustLoad(t, s, c.ID); !reflect.DeepEqual(got, c) {
			t.Errorf("row %d:\n got %+v\nwant %+v", i, got, c)
		}
	}
	if batch[1].Created != crm.DateOf(fixedNow) || batch[2].Created != crm.MustDate("2025-01-01") {
		t.Errorf("created %v %v", batch[1].Created, batch[2].Created)
	}
	if err := s.InsertCustomers(ctx, []crm.Customer{batch[0]}); err == nil {
		t.Error("inserting a saved card (with an ID) was accepted")
	}
	if err := s.InsertCustomers(ctx, nil); err != nil {
		t.Errorf("empty batch: %v", err)
	}
}

func TestCanceledContextWritesNothing(t *testing.T) {
	s := openTest(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.SaveCustomer(ctx, card()); err == nil {
		t.Error("save with a canceled context succeeded")
	}
	if err := s.InsertCustomers(ctx, []crm.Customer{*card()}); err == nil {
		t.Error("bulk insert with a canceled context succeeded")
	}
	if n := countRows(t, s, "customers"); n != 0 {
		t.Errorf("%d customers", n)
	}
}

// TestInsertCustomersLargeBatch goes through the parallel normalisation (meant for -race).
func TestInsertCustomersLargeBatch(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	batch := syntheticCustomers(1200, 9)
	batch[600].Code = "C777777"
	if err := s.InsertCustomers(ctx, batch); err != nil {
		t.Fatal(err)
	}
	if n, err := s.CountCustomers(ctx); err != nil || n != len(batch) {
		t.Fatalf("CountCustomers = %d, %v", n, err)
	}
	if batch[0].Code != "C777778" || batch[1199].Code != "C778976" {
		t.Errorf("codes %s … %s", batch[0].Code, batch[1199].Code)
	}
	for _, i := range []int{0, 600, 1199} {
		if got := mustLoad(t, s, batch[i].ID); !reflect.DeepEqual(got, &batch[i]) {
			t.Errorf("row %d:\n got %+v\nwant %+v", i, got, &batch[i])
		}
	}
	res, err := s.Search(ctx, Query{})
	if err != nil || len(res) != len(batch) {
		t.Fatalf("Search: %d, %v", len(res), err)
	}
	// An invalid row late in a big batch fails it whole.
	more := syntheticCustomers(600, 10)
	more[577].Phones = []string{"not a phone"}
	var re *RowError
	if err := s.InsertCustomers(ctx, more); !errors.As(err, &re) || re.Row != 577 {
		t.Errorf("invalid row 577: %v", err)
	}
	if n, _ := s.CountCustomers(ctx); n != len(batch) {
		t.Errorf("%d customers after a refused batch", n)
	}
}
