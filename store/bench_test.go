package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"carebook/crm"
)

// benchCustomers is the size of the book of the benchmarks (PRODUCT.md §8).
const benchCustomers = 100_000

var (
	surnames = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
	given    = []rune("伟芳娜秀敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华玉萍红建文辉力宁斌飞鑫波浩凯俊帆峰雪梅琳晶欣怡佳雯婷慧颖倩思雨晨阳光荣国庆春秋冬子轩涵博宇泽然诗琪可馨梓")
	benchTag = []string{"VIP", "老客户", "新客", "健身", "美容", "母婴", "团购", "高消费", "朋友介绍", "线上", "企业客户", "已流失"}
	prefixes = []string{"130", "131", "132", "135", "136", "137", "138", "139", "150", "151", "152", "157", "158", "159", "176", "177", "180", "181", "186", "187", "188", "189"}
)

// syntheticCustomers returns n deterministic cards like the demo generator's: 1–2 phones,
// 0–3 tags, a birthday (a fifth lunar), and for a third one other date.
func syntheticCustomers(n int, seed uint64) []crm.Customer {
	r := rand.New(rand.NewPCG(seed, 7))
	pick := func(rs []rune) string { return string(rs[r.IntN(len(rs))]) }
	phone := func() string { return prefixes[r.IntN(len(prefixes))] + fmt.Sprintf("%08d", r.IntN(100_000_000)) }
	out := make([]crm.Customer, n)
	for i := range out {
		c := &out[i]
		c.Name = pick(surnames) + pick(given)
		if r.IntN(2) == 0 {
			c.Name += pick(given)
		}
		if r.IntN(5) == 0 {
			c.Remark = "老" + string([]rune(c.Name)[0])
		}
		c.Gender = []crm.Gender{crm.GenderFemale, crm.GenderMale, crm.GenderUnknown}[r.IntN(3)]
		c.Phones = []string{phone()}
		if r.IntN(3) == 0 {
			c.Phones = append(c.Phones, phone())
		}
		for range r.IntN(4) {
			c.Tags = append(c.Tags, benchTag[r.IntN(len(benchTag))])
		}
		c.Tier = []crm.Tier{crm.TierVIP, crm.TierMajor, crm.TierOrdinary, crm.TierOrdinary, crm.TierOrdinary, crm.TierSmall}[r.IntN(6)]
		bd := &crm.KeyDate{Calendar: crm.Solar, Year: 1950 + r.IntN(56), Month: 1 + r.IntN(12), Day: 1 + r.IntN(28)}
		if r.IntN(5) == 0 {
			bd.Calendar, bd.Year = crm.Lunar, 0
		}
		c.Birthday = bd
		if r.IntN(3) == 0 {
			c.Dates = []crm.KeyDate{{Label: "结婚纪念日", Calendar: crm.Solar, Year: 1990 + r.IntN(35), Month: 1 + r.IntN(12), Day: 1 + r.IntN(28)}}
		}
		c.Needs = "护肤"
		c.Created = crm.MustDate("2023-01-01").AddDays(r.IntN(1100))
	}
	return out
}

var bench struct {
	once sync.Once
	dir  string
	s    *Store
	err  error
}

// benchBook returns a book of benchCustomers synthetic customers, built once per test binary in
// a temporary directory that TestMain removes.
func benchBook(b *testing.B) *Store {
	b.Helper()
	bench.once.Do(func() {
		bench.dir, bench.err = os.MkdirTemp("", "carebook-bench-")
		if bench.err != nil {
			return
		}
		ctx := context.Background()
		bench.s, bench.err = Open(ctx, filepath.Join(bench.dir, "bench.db"))
		if bench.err != nil {
			return
		}
		bench.err = bench.s.InsertCustomers(ctx, syntheticCustomers(benchCustomers, 1))
	})
	if bench.err != nil {
		b.Fatal(bench.err)
	}
	return bench.s
}

func TestMain(m *testing.M) {
	code := m.Run()
	if bigBook.s != nil {
		bigBook.s.Close()
	}
	if bench.s != nil {
		bench.s.Close()
	}
	if bench.dir != "" {
		os.RemoveAll(bench.dir)
	}
	os.Exit(code)
}

// BenchmarkInsertCustomers inserts benchCustomers customers into a new book per iteration.
func BenchmarkInsertCustomers(b *testing.B) {
	ctx := context.Background()
	var total time.Duration
	for b.Loop() {
		b.StopTimer()
		cs := syntheticCustomers(benchCustomers, 2)
		s, err := Open(ctx, filepath.Join(b.TempDir(), "book.db"))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		if err := s.InsertCustomers(ctx, cs); err != nil {
			b.Fatal(err)
		}
		total += time.Since(start)
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(benchCustomers)*float64(b.N)/total.Seconds(), "customers/s")
}

// BenchmarkSearch measures a search-as-you-type keystroke over benchCustomers customers
// (target: under 20 ms at the 95th percentile), reported as ns/op and p95-ms.
func BenchmarkSearch(b *testing.B) {
	s := benchBook(b)
	ctx := context.Background()
	if _, err := s.Search(ctx, Query{}); err != nil { // load the index
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name string
		q    Query
	}{
		{"zs", Query{Text: "zs"}},
		{"zhangwei", Query{Text: "zhangwei"}},
		{"张", Query{Text: "张"}},
		{"138", Query{Text: "138"}},
		{"13812", Query{Text: "13812"}},
		{"vip_tag", Query{Tag: "VIP"}},
		{"tier_vip_w", Query{Text: "w", Tier: crm.TierVIP}},
		{"nomatch", Query{Text: "xyzzy"}},
		{"all", Query{}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var times []time.Duration
			n := 0
			for b.Loop() {
				start := time.Now()
				res, err := s.Search(ctx, bc.q)
				times = append(times, time.Since(start))
				if err != nil {
					b.Fatal(err)
				}
				n = len(res)
			}
			slices.Sort(times)
			b.ReportMetric(float64(times[len(times)*95/100])/1e6, "p95-ms")
			b.ReportMetric(float64(n), "results")
		})
	}
}

// BenchmarkSearchIndexLoad measures the first search: loading the index of benchCustomers.
func BenchmarkSearchIndexLoad(b *testing.B) {
	s := benchBook(b)
	ctx := context.Background()
	for b.Loop() {
		s.indexDrop()
		if _, err := s.Search(ctx, Query{Text: "zs"}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSaveCustomer measures one edit of a card in the full book, index update included.
func BenchmarkSaveCustomer(b *testing.B) {
	s := benchBook(b)
	ctx := context.Background()
	if _, err := s.Search(ctx, Query{}); err != nil {
		b.Fatal(err)
	}
	c, err := s.Customer(ctx, 1)
	if err != nil {
		b.Fatal(err)
	}
	i := 0
	for b.Loop() {
		i++
		c.Notes = fmt.Sprint("edit ", i)
		if err := s.SaveCustomer(ctx, c); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNewCustomer measures saving a new card (code assignment included) in the full book.
func BenchmarkNewCustomer(b *testing.B) {
	s := benchBook(b)
	ctx := context.Background()
	if _, err := s.Search(ctx, Query{}); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if err := s.SaveCustomer(ctx, &crm.Customer{Name: "新顾客", Phones: []string{"13800001234"}}); err != nil {
			b.Fatal(err)
		}
	}
}
