package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"carebook/crm"
)

func searchCodes(t *testing.T, s *Store, q Query) []string {
	t.Helper()
	res, err := s.Search(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, r := range res {
		codes = append(codes, r.Code)
	}
	return codes
}

// searchBook saves a small book: codes A1… so that results are easy to read.
func searchBook(t *testing.T) *Store {
	t.Helper()
	s := openTest(t)
	for _, c := range []*crm.Customer{
		{Code: "A1", Name: "张三", Phones: []string{"13812345678"}, Tags: []string{"老客户"}, Tier: crm.TierVIP},
		{Code: "A2", Name: "李四", Remark: "健身房李哥", Phones: []string{"13900001111", "13812340000"}, Tags: []string{"健身", "老客户"}},
		{Code: "A3", Name: "王五", Phones: []string{"+14155550100"}, Tier: crm.TierMajor, Tags: []string{"VIP"}},
		{Code: "A4", Name: "赵六", Tier: crm.TierSmall},
		{Code: "A5", Name: "Zoe Smith", Tags: []string{"健身"}},
		{Code: "A6", Name: "曾小贤", Tier: crm.TierVIP},
	} {
		mustSave(t, s, c)
	}
	return s
}

func TestSearch(t *testing.T) {
	s := searchBook(t)
	cases := []struct {
		q    Query
		want []string
	}{
		// By the pinyin of the display name: jianshenfanglige (the remark), wangwu, zengxiaoxian,
		// zhangsan, zhaoliu, zoesmith.
		{Query{}, []string{"A2", "A3", "A6", "A1", "A4", "A5"}},
		{Query{Text: "zs"}, []string{"A1"}},
		{Query{Text: "zhangsan"}, []string{"A1"}},
		{Query{Text: "ZHANG san"}, []string{"A1"}},
		{Query{Text: "张"}, []string{"A1"}},
		{Query{Text: "zxx"}, []string{"A6"}}, // 曾 read as the surname zeng
		{Query{Text: "zengxiao"}, []string{"A6"}},
		{Query{Text: "138"}, []string{"A2", "A1"}},
		{Query{Text: "138-1234-5678"}, []string{"A1"}},
		{Query{Text: "0000"}, []string{"A2"}},
		{Query{Text: "4155550100"}, []string{"A3"}},
		{Query{Text: "健身"}, []string{"A2", "A5"}}, // remark of 李四 and tag of Zoe
		{Query{Text: "李哥"}, []string{"A2"}},
		{Query{Text: "jsflg"}, []string{"A2"}}, // remark initials
		{Query{Text: "老客户"}, []string{"A2", "A1"}},
		{Query{Text: "vip"}, []string{"A3"}}, // the tag, not the tier
		{Query{Text: "a4"}, []string{"A4"}},  // code
		{Query{Text: "nobody"}, nil},
		{Query{Tier: crm.TierVIP}, []string{"A6", "A1"}},
		{Query{Tier: crm.TierOrdinary}, []string{"A2", "A5"}},
		{Query{Tag: "健身"}, []string{"A2", "A5"}},
		{Query{Tag: "健"}, nil}, // tags match whole
		{Query{Tag: "老客户", Text: "zs"}, []string{"A1"}},
		{Query{Tag: "老客户", Tier: crm.TierVIP}, []string{"A1"}},
		{Query{Archived: true}, nil},
	}
	for _, c := range cases {
		if got := searchCodes(t, s, c.q); !slices.Equal(got, c.want) {
			t.Errorf("Search(%+v) = %v, want %v", c.q, got, c.want)
		}
	}

	res, err := s.Search(context.Background(), Query{Text: "lisi"})
	if err != nil || len(res) != 1 {
		t.Fatalf("lisi: %v %v", res, err)
	}
	want := crm.Summary{ID: res[0].ID, Code: "A2", Name: "李四", Remark: "健身房李哥", Phone: "+8613900001111",
		Tier: crm.TierOrdinary, Tags: []string{"健身", "老客户"}}
	c := mustLoad(t, s, res[0].ID)
	want.Key = crm.SearchKey(c)
	if got := res[0]; got.Key != want.Key || !slices.Equal(got.Tags, want.Tags) {
		t.Errorf("summary %+v, want %+v", got, want)
	}
}

// TestSearchIndexFollowsWrites checks that the in-memory index stays right after every write,
// and equals a fresh load from the file.
func TestSearchIndexFollowsWrites(t *testing.T) {
	ctx := context.Background()
	s := searchBook(t)
	searchCodes(t, s, Query{}) // load the index

	// Rename: found by the new name only, and moved in the order.
	c := mustLoad(t, s, idOf(t, s, "A1"))
	c.Name = "安然"
	c.Phones = []string{"13700000000"}
	c.Tags = []string{"新标签"}
	mustSave(t, s, c)
	if got := searchCodes(t, s, Query{Text: "zs"}); got != nil {
		t.Errorf("old name still found: %v", got)
	}
	if got := searchCodes(t, s, Query{Text: "anran"}); !slices.Equal(got, []string{"A1"}) {
		t.Errorf("new name not found: %v", got)
	}
	if got := searchCodes(t, s, Query{Text: "138"}); !slices.Equal(got, []string{"A2"}) {
		t.Errorf("old phone still found: %v", got)
	}
	if got := searchCodes(t, s, Query{Tag: "新标签"}); !slices.Equal(got, []string{"A1"}) {
		t.Errorf("new tag not found: %v", got)
	}
	if got := searchCodes(t, s, Query{}); got[0] != "A1" {
		t.Errorf("renamed customer not first: %v", got)
	}

	// New customer.
	mustSave(t, s, &crm.Customer{Code: "A7", Name: "张三丰"})
	if got := searchCodes(t, s, Query{Text: "zs"}); !slices.Equal(got, []string{"A7"}) {
		t.Errorf("new customer: %v", got)
	}

	// Archive hides, restore brings back.
	id := idOf(t, s, "A7")
	if err := s.ArchiveCustomer(ctx, id); err != nil {
		t.Fatal(err)
	}
	if got := searchCodes(t, s, Query{Text: "zs"}); got != nil {
		t.Errorf("archived still listed: %v", got)
	}
	if got := searchCodes(t, s, Query{Archived: true}); !slices.Equal(got, []string{"A7"}) {
		t.Errorf("archived list: %v", got)
	}
	if err := s.RestoreCustomer(ctx, id); err != nil {
		t.Fatal(err)
	}
	if got := searchCodes(t, s, Query{Text: "zs"}); !slices.Equal(got, []string{"A7"}) {
		t.Errorf("restored not listed: %v", got)
	}

	// Purge removes.
	if err := s.PurgeCustomer(ctx, id); err != nil {
		t.Fatal(err)
	}
	if got := searchCodes(t, s, Query{Text: "zs"}); got != nil {
		t.Errorf("purged still listed: %v", got)
	}

	// Bulk insert drops the index; the next search sees the new customers.
	if err := s.InsertCustomers(ctx, []crm.Customer{{Code: "B1", Name: "周星驰"}}); err != nil {
		t.Fatal(err)
	}
	if got := searchCodes(t, s, Query{Text: "zxc"}); !slices.Equal(got, []string{"B1"}) {
		t.Errorf("bulk-inserted: %v", got)
	}

	// The maintained index equals one loaded from scratch.
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
			t.Errorf("maintained index differs from a fresh one:\n%v\n%v", kept, fresh)
		}
	}
}

func TestSearchResultIsTheCallers(t *testing.T) {
	s := searchBook(t)
	res, err := s.Search(context.Background(), Query{Text: "zhangsan"})
	if err != nil || len(res) != 1 {
		t.Fatal(res, err)
	}
	res[0].Name = "changed"
	res = append(res[:0], crm.Summary{Code: "X"})
	_ = res
	if got := searchCodes(t, s, Query{Text: "zhangsan"}); !slices.Equal(got, []string{"A1"}) {
		t.Errorf("caller's changes leaked into the index: %v", got)
	}
	again, _ := s.Search(context.Background(), Query{Text: "zhangsan"})
	if again[0].Name != "张三" {
		t.Errorf("name %q", again[0].Name)
	}
}

func TestTags(t *testing.T) {
	ctx := context.Background()
	s := searchBook(t)
	tags, err := s.Tags(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []TagCount{{"健身", 2}, {"老客户", 2}, {"VIP", 1}}
	if !slices.Equal(tags, want) {
		t.Errorf("Tags = %v, want %v", tags, want)
	}
	if err := s.ArchiveCustomer(ctx, idOf(t, s, "A3")); err != nil {
		t.Fatal(err)
	}
	names, err := s.TagNames(ctx)
	if err != nil || !slices.Equal(names, []string{"健身", "老客户"}) {
		t.Errorf("TagNames = %v, %v", names, err)
	}
	if n, err := s.CountCustomers(ctx); err != nil || n != 5 {
		t.Errorf("CountCustomers = %d, %v", n, err)
	}
}

func TestSearchCanceled(t *testing.T) {
	s := searchBook(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Search(ctx, Query{}); err == nil {
		t.Error("search with a canceled context succeeded")
	}
}

// TestConcurrentSearchAndSave runs searches and writes in parallel (meant for -race).
func TestConcurrentSearchAndSave(t *testing.T) {
	ctx := context.Background()
	s := searchBook(t)
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 25 {
				c := &crm.Customer{Name: fmt.Sprintf("并发%d号%d", w, i), Tags: []string{"并发"}}
				if err := s.SaveCustomer(ctx, c); err != nil {
					errs <- err
					return
				}
				c.Name += "改"
				if err := s.SaveCustomer(ctx, c); err != nil {
					errs <- err
					return
				}
				if i%5 == 0 {
					if err := s.ArchiveCustomer(ctx, c.ID); err != nil {
						errs <- err
						return
					}
				}
			}
		}()
	}
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 100 {
				res, err := s.Search(ctx, Query{Text: []string{"bf", "并发", "zs", ""}[i%4]})
				if err != nil {
					errs <- err
					return
				}
				for _, r := range res {
					_ = r.Name + r.Key + r.Phone // read every summary while writers run
					_ = len(r.Tags)
				}
				if i%20 == 0 {
					if _, err := s.Tags(ctx); err != nil {
						errs <- err
						return
					}
					s.indexDrop() // force reloads racing with writes
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	res, err := s.Search(ctx, Query{Tag: "并发"})
	if err != nil || len(res) != 80 {
		t.Errorf("%d active concurrent customers, want 80 (%v)", len(res), err)
	}
	for _, r := range res {
		if r.Name[len(r.Name)-len("改"):] != "改" {
			t.Errorf("stale name %q in the index", r.Name)
		}
	}
}

func idOf(t *testing.T, s *Store, code string) int64 {
	t.Helper()
	var id int64
	if err := s.db.QueryRow(`SELECT id FROM customers WHERE code = ?`, code).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

func TestSearchShowsFieldPrefixMatchesFirst(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	for _, n := range []string{"曹长生", "赵思彤", "张三", "邹帅"} {
		if err := s.SaveCustomer(ctx, &crm.Customer{Name: n}); err != nil {
			t.Fatal(err)
		}
	}
	res, err := s.Search(ctx, Query{Text: "zs"})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range res {
		names = append(names, r.Name)
	}
	// 张三 (zs), 赵思彤 (zst) and 邹帅 (zs) start with zs, in pinyin order; 曹长生 (czs) follows.
	if got := strings.Join(names, ","); got != "张三,赵思彤,邹帅,曹长生" {
		t.Errorf("zs = %s", got)
	}
}
