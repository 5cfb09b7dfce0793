// Package benchbook builds the books of the performance benchmarks (PRODUCT.md §8): synthetic
// customers like the demo generator's, with purchases and records over three years, inserted
// with the bulk API in batches. A book is built once under os.TempDir(), keyed by its size and
// the schema version, and reused by later runs (delete it, or set CAREBOOK_BENCH_REBUILD=1 where
// the caller honours it, to build it again).
//
// It speaks to the book through the Book interface (which *store.Store satisfies), so that the
// store's own tests can use it without an import cycle.
package benchbook

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"

	"carebook/crm"
)

// Book is what Build writes through: *store.Store.
type Book interface {
	InsertCustomers(ctx context.Context, cs []crm.Customer) error
	InsertPurchases(ctx context.Context, ps []crm.Purchase) error
	InsertRecords(ctx context.Context, rs []crm.Record) error
	ArchiveCustomer(ctx context.Context, id int64) error
	Close() error
}

// Opener opens (creating it when missing) the book at path: store.Open.
type Opener func(ctx context.Context, path string) (Book, error)

// The card customer: one more customer than the book's size, with exactly CardPurchases
// purchases and CardRecords records, which the card benchmarks open (find it by CardName).
const (
	CardName      = "卡片基准"
	CardPurchases = 50
	CardRecords   = 200
)

// Batch is the number of customers whose history goes in one InsertPurchases and one
// InsertRecords call (about 100,000 records at 20 records a customer).
const Batch = 5_000

var (
	// FirstDay and LastDay bound the history.
	FirstDay = crm.MustDate("2023-03-01")
	LastDay  = crm.MustDate("2026-02-28")
	// Holidays get a burst of greetings, as a holiday's bulk "greeted" gives.
	Holidays = []crm.Date{crm.MustDate("2024-02-10"), crm.MustDate("2025-01-29"), crm.MustDate("2026-02-17")}
	// Today is the day after the history ends: the day of the `today` figure.
	Today = crm.MustDate("2026-03-02")
)

// Path is where the book of the given size and schema version is kept.
func Path(schema, customers, purchases, records int) string {
	return filepath.Join(os.TempDir(), fmt.Sprintf("carebook-bench-%d-%d-%d-s%d.db", customers, purchases, records, schema))
}

var (
	surnames = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
	given    = []rune("伟芳娜秀敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华玉萍红建文辉力宁斌飞鑫波浩凯俊帆峰雪梅琳晶欣怡佳雯婷慧颖倩思雨晨阳光荣国庆春秋冬子轩涵博宇泽然诗琪可馨梓")
	// Tags are the tags the customers get.
	Tags     = []string{"VIP", "老客户", "新客", "健身", "美容", "母婴", "团购", "高消费", "朋友介绍", "线上", "企业客户", "已流失"}
	prefixes = []string{"130", "131", "132", "135", "136", "137", "138", "139", "150", "151", "152", "157", "158", "159", "176", "177", "180", "181", "186", "187", "188", "189"}
)

// Customers returns n deterministic cards like the demo generator's: 1–2 phones, 0–3 tags, a
// birthday (a fifth lunar), and for a third one other date.
func Customers(n int, seed uint64) []crm.Customer {
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
			c.Tags = append(c.Tags, Tags[r.IntN(len(Tags))])
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

var (
	items    = []string{"面霜", "精华液", "洗面奶", "面膜套装", "防晒霜", "口红", "香水"}
	contents = []string{"电话回访，使用感受良好", "微信问候，发送保养提示", "到店服务，做了皮肤检测", "邀约参加会员日", "跟进投诉处理结果"}
)

func purchase(r *rand.Rand, id int64, span int) crm.Purchase {
	return crm.Purchase{CustomerID: id, Date: FirstDay.AddDays(r.IntN(span)),
		Amount: crm.Money(100 * (50 + r.IntN(3000))), Items: items[r.IntN(len(items))],
		Channel: crm.SaleChannels[r.IntN(2)]}
}

func record(r *rand.Rand, id int64, span, j int) crm.Record {
	day := FirstDay.AddDays(r.IntN(span))
	kind := crm.RecordKinds[r.IntN(len(crm.RecordKinds))]
	if j < len(Holidays) && r.IntN(5) == 0 {
		day, kind = Holidays[j], crm.KindGreeting
	}
	y, m, d := day.YMD()
	rec := crm.Record{CustomerID: id,
		At:   time.Date(y, m, d, 8+r.IntN(13), r.IntN(60), r.IntN(60), 0, time.UTC),
		Kind: kind, Channel: crm.Channels[r.IntN(len(crm.Channels))],
		Content: contents[r.IntN(len(contents))], Feedback: "满意"}
	if r.IntN(4) == 0 {
		rec.NextStep, rec.NextDate = "再次回访", day.AddDays(7+r.IntN(30))
	}
	return rec
}

// History returns the purchases and records of customers ids[i] (i in [lo, hi)): perP
// purchases and perR records each on average, spread over the three years, one customer after
// the other (as the demo generator writes them). A fifth of the customers get a greeting on
// each of Holidays.
func History(r *rand.Rand, ids []int64, lo, hi, perP, perR int) ([]crm.Purchase, []crm.Record) {
	span := LastDay.Sub(FirstDay) + 1
	var ps []crm.Purchase
	var rs []crm.Record
	for i := lo; i < hi; i++ {
		id := ids[i]
		for range perP/2 + r.IntN(perP+1) {
			ps = append(ps, purchase(r, id, span))
		}
		n := perR/2 + r.IntN(perR+1)
		for j := range n {
			rs = append(rs, record(r, id, span, j))
		}
	}
	return ps, rs
}

// Card returns the card customer (named CardName, with two phones, tags and key dates).
func Card() crm.Customer {
	return crm.Customer{Name: CardName, Remark: "老卡", Gender: crm.GenderFemale,
		Phones: []string{"13800138000", "13912345678"}, Tags: []string{"VIP", "老客户"}, Tier: crm.TierVIP,
		Birthday: &crm.KeyDate{Calendar: crm.Solar, Year: 1985, Month: 6, Day: 18},
		Dates:    []crm.KeyDate{{Label: "结婚纪念日", Calendar: crm.Solar, Year: 2010, Month: 10, Day: 1}},
		Needs:    "护肤", Created: crm.MustDate("2023-02-01")}
}

// AddCard inserts the card customer with exactly CardPurchases purchases and CardRecords
// records, and returns its id.
func AddCard(ctx context.Context, b Book) (int64, error) {
	cs := []crm.Customer{Card()}
	if err := b.InsertCustomers(ctx, cs); err != nil {
		return 0, fmt.Errorf("card customer: %w", err)
	}
	id := cs[0].ID
	r := rand.New(rand.NewPCG(50, 200))
	span := LastDay.Sub(FirstDay) + 1
	ps := make([]crm.Purchase, CardPurchases)
	for i := range ps {
		ps[i] = purchase(r, id, span)
	}
	rs := make([]crm.Record, CardRecords)
	for j := range rs {
		rs[j] = record(r, id, span, j)
	}
	if err := b.InsertPurchases(ctx, ps); err != nil {
		return 0, fmt.Errorf("card purchases: %w", err)
	}
	if err := b.InsertRecords(ctx, rs); err != nil {
		return 0, fmt.Errorf("card records: %w", err)
	}
	return id, nil
}

// Build writes a new book of customers synthetic customers (plus the card customer),
// purchases purchases and records records (on average) to path, through a temporary file so
// that an interrupted build is not reused, and logs its progress to stderr.
func Build(ctx context.Context, path string, customers, purchases, records int, open Opener) error {
	tmp := path + ".tmp"
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(tmp + suffix)
	}
	s, err := open(ctx, tmp)
	if err != nil {
		return fmt.Errorf("bench book: %w", err)
	}
	if err := build(ctx, s, customers, purchases, records); err != nil {
		return errors.Join(fmt.Errorf("bench book: %w", err), s.Close())
	}
	if err := s.Close(); err != nil {
		return fmt.Errorf("bench book: %w", err)
	}
	return os.Rename(tmp, path)
}

func build(ctx context.Context, s Book, customers, purchases, records int) error {
	start := time.Now()
	cs := Customers(customers, 1)
	if err := s.InsertCustomers(ctx, cs); err != nil {
		return err
	}
	ids := make([]int64, len(cs))
	for i := range cs {
		ids[i] = cs[i].ID
	}
	fmt.Fprintf(os.Stderr, "bench book: %d customers in %v\n", len(cs), time.Since(start).Round(time.Millisecond))
	r := rand.New(rand.NewPCG(3, 4))
	var tp, tr time.Duration
	var np, nr int
	var slowest time.Duration
	for lo := 0; lo < len(ids); lo += Batch {
		hi := min(lo+Batch, len(ids))
		ps, rs := History(r, ids, lo, hi, purchases/customers, records/customers)
		t0 := time.Now()
		if err := s.InsertPurchases(ctx, ps); err != nil {
			return err
		}
		t1 := time.Now()
		if err := s.InsertRecords(ctx, rs); err != nil {
			return err
		}
		t2 := time.Now()
		tp, tr, np, nr = tp+t1.Sub(t0), tr+t2.Sub(t1), np+len(ps), nr+len(rs)
		slowest = max(slowest, t2.Sub(t1))
	}
	fmt.Fprintf(os.Stderr, "bench book: %d purchases in %v (%.0f/s), %d records in %v (%.0f/s; slowest batch: %v); total %v\n",
		np, tp.Round(time.Millisecond), float64(np)/tp.Seconds(), nr, tr.Round(time.Millisecond),
		float64(nr)/tr.Seconds(), slowest.Round(time.Millisecond), time.Since(start).Round(time.Second))
	// Archive a few customers, as a real book has.
	for _, id := range []int64{17, 4242, 77777} {
		if id > int64(customers) {
			continue
		}
		if err := s.ArchiveCustomer(ctx, id); err != nil {
			return err
		}
	}
	_, err := AddCard(ctx, s)
	return err
}

// Typing is a realistic typed query: what the search box holds after each keystroke.
type Typing struct {
	Name string
	Keys []string
}

// Typings are the queries of the search-as-you-type figure: a surname and given name in
// Chinese, pinyin initials, a full pinyin, phone digits, a tag and a remark word.
var Typings = []Typing{
	{"chinese", []string{"张", "张伟"}},
	{"chinese3", []string{"王", "王秀", "王秀英"}},
	{"initials", []string{"z", "zs", "zsy"}},
	{"pinyin", []string{"z", "zh", "zha", "zhan", "zhang"}},
	{"pinyin_full", []string{"l", "li", "lix", "lixi", "lixiu"}},
	{"phone", []string{"1", "13", "138", "1381", "13812"}},
	{"tag", []string{"健", "健身"}},
	{"remark", []string{"老", "老王"}},
	{"card", []string{"卡", "卡片", "卡片基", "卡片基准"}},
}

// ListRows is how many rows the customer list shows at once (a tall window: 20 rows).
const ListRows = 20

// Keystroke does what the customer list does when the search box holds text: it searches, and
// copies out the rows it has room for (ui/customers.go). It returns how many customers match.
func Keystroke(ctx context.Context, s Searcher, text string) (int, error) {
	l, err := s.SearchList(ctx, crm.CustomerQuery{Text: text})
	if err != nil {
		return 0, err
	}
	if rows := l.Slice(0, ListRows); len(rows) > 0 && rows[0].ID == 0 {
		return 0, fmt.Errorf("search %q: a row without a customer", text)
	}
	return l.Len(), nil
}

// Keystrokes returns every query of Typings in order, each keystroke once.
func Keystrokes() []string {
	var ks []string
	for _, t := range Typings {
		ks = append(ks, t.Keys...)
	}
	return ks
}

// CardBook is what opening a customer card asks the book (ui/customers.go, ui/card.go,
// ui/timeline.go, ui/cardinsights.go, ui/cardserve.go): *store.Store.
type CardBook interface {
	Customer(ctx context.Context, id int64) (*crm.Customer, error)
	Purchases(ctx context.Context, customerID int64) ([]crm.Purchase, error)
	CustomerRecords(ctx context.Context, customerID int64) ([]crm.Record, error)
	Activity(ctx context.Context, customerID int64) (crm.Activity, error)
	CustomerInsight(ctx context.Context, d crm.Date, id int64) (crm.Insight, crm.RFMMeans, bool, error)
	Services(ctx context.Context, customerID int64) ([]crm.Service, error)
	Complaints(ctx context.Context, customerID int64) ([]crm.Complaint, error)
	WorkCalendar(ctx context.Context) (crm.WorkCalendar, error)
}

// OpenCard makes every call of the book that opening the card of customer id on day makes: the
// customer, its timeline (purchases, records, activity), its derived fields (insight,
// portrait from the purchases) and its services, complaints and the work calendar. It checks
// that the card customer's history is all there.
func OpenCard(ctx context.Context, b CardBook, id int64, day crm.Date) error {
	c, err := b.Customer(ctx, id)
	if err != nil {
		return err
	}
	ps, err := b.Purchases(ctx, id)
	if err != nil {
		return err
	}
	rs, err := b.CustomerRecords(ctx, id)
	if err != nil {
		return err
	}
	if _, err := b.Activity(ctx, id); err != nil {
		return err
	}
	if _, _, _, err := b.CustomerInsight(ctx, day, id); err != nil {
		return err
	}
	ps2, err := b.Purchases(ctx, id)
	if err != nil {
		return err
	}
	_ = crm.PortraitOf(ps2, day)
	if _, err := b.Services(ctx, id); err != nil {
		return err
	}
	if _, err := b.Complaints(ctx, id); err != nil {
		return err
	}
	if _, err := b.WorkCalendar(ctx); err != nil {
		return err
	}
	if c.Name == CardName && (len(ps) != CardPurchases || len(rs) != CardRecords) {
		return fmt.Errorf("card customer %d: %d purchases and %d records, want %d and %d", id, len(ps), len(rs), CardPurchases, CardRecords)
	}
	return nil
}

// PurchaseBook is a CardBook that also saves purchases: *store.Store.
type PurchaseBook interface {
	CardBook
	SavePurchase(ctx context.Context, p *crm.Purchase) error
}

// OpenCardAfterPurchase saves a change to one of customer id's purchases (its amount and date:
// the book's classification must follow), then opens the card as OpenCard does, and puts the
// purchase back as it was. It returns how long the opening took. The book keeps its purchases
// (a new one would leave the card customer with more than OpenCard checks for).
func OpenCardAfterPurchase(ctx context.Context, b PurchaseBook, id int64, day crm.Date) (time.Duration, error) {
	ps, err := b.Purchases(ctx, id)
	if err != nil {
		return 0, err
	}
	if len(ps) == 0 {
		return 0, fmt.Errorf("customer %d has no purchase to change", id)
	}
	orig := ps[len(ps)-1] // the oldest
	p := orig
	p.Amount, p.Date = orig.Amount+100, day
	if err := b.SavePurchase(ctx, &p); err != nil {
		return 0, err
	}
	start := time.Now()
	err = OpenCard(ctx, b, id, day)
	took := time.Since(start)
	if berr := b.SavePurchase(ctx, &orig); berr != nil {
		return 0, errors.Join(err, fmt.Errorf("put the purchase back: %w", berr))
	}
	return took, err
}

// Searcher finds customers as the customer list does: *store.Store.
type Searcher interface {
	SearchList(ctx context.Context, q crm.CustomerQuery) (crm.SummaryList, error)
}

// FindCard returns the id of the card customer of the book, or 0 when it has none.
func FindCard(ctx context.Context, s Searcher) (int64, error) {
	res, err := s.SearchList(ctx, crm.CustomerQuery{Text: CardName})
	if err != nil {
		return 0, fmt.Errorf("find card customer: %w", err)
	}
	for _, c := range res.All() {
		if c.Name == CardName {
			return c.ID, nil
		}
	}
	return 0, nil
}

// Ensure makes sure that the book of the given size is at path: it builds it when it is
// missing (this takes minutes for 100,000 customers), and adds the card customer to a book
// built before there was one. open must give a Book that is also a Searcher.
func Ensure(ctx context.Context, path string, customers, purchases, records int, open Opener) error {
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		fmt.Fprintf(os.Stderr, "bench book: building %s (%d customers, %d purchases, %d records; minutes for 100,000 customers)\n",
			path, customers, purchases, records)
		return Build(ctx, path, customers, purchases, records, open)
	}
	b, err := open(ctx, path)
	if err != nil {
		return fmt.Errorf("bench book: %w", err)
	}
	s, ok := b.(Searcher)
	if !ok {
		return errors.Join(errors.New("bench book: the book cannot search"), b.Close())
	}
	id, err := FindCard(ctx, s)
	if err == nil && id == 0 {
		fmt.Fprintf(os.Stderr, "bench book: adding the card customer %s to %s\n", CardName, path)
		_, err = AddCard(ctx, b)
	}
	return errors.Join(err, b.Close())
}
