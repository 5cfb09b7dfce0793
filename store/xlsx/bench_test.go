package xlsx

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"carebook/crm"
)

// synthSource is a Source generated on the fly: every row is computed from its index into one
// reused struct, from per-customer pools made once. Records and purchases are in date order.
type synthSource struct {
	customers, purchases, records int

	codes, names, phones, phonesShown []string // per customer
	from                              time.Time
}

var (
	synthContents  = []string{"购买后1天回访，询问使用感受", "生日问候", "邀请参加新品体验会", "售后：更换配件", "客诉：物流慢，已致歉", "三个月未到店，电话召回", "节日问候"}
	synthFeedbacks = []string{"", "很满意", "下周再联系", "", "会来", "价格有点高", ""}
	synthItems     = []string{"面霜", "精华液 x2", "洗面奶", "套装礼盒", "防晒霜", "面膜 x10"}
	synthSurnames  = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗")
	synthGiven     = []rune("伟芳娜秀敏静丽强磊军洋勇艳杰娟涛明超兰霞")
)

func newSynthSource(customers, purchases, records int) *synthSource {
	s := &synthSource{customers: customers, purchases: purchases, records: records,
		from: time.Date(2023, 1, 1, 9, 0, 0, 0, time.UTC)}
	for i := range customers {
		s.codes = append(s.codes, fmt.Sprintf("C%06d", i+1))
		s.names = append(s.names, string(synthSurnames[i%len(synthSurnames)])+string(synthGiven[i/7%len(synthGiven)]))
		n := fmt.Sprintf("%08d", (i*7919)%100_000_000)
		s.phones = append(s.phones, "+86138"+n)
		s.phonesShown = append(s.phonesShown, "138 "+n[:4]+" "+n[4:])
	}
	return s
}

func (s *synthSource) ExportCounts(context.Context, crm.Date, crm.Date) (int, int, int, error) {
	return s.customers, s.purchases, s.records, nil
}

var synthKinds, synthChannels = crm.RecordKinds, crm.Channels

func (s *synthSource) record(i int, r *crm.RecordRow) {
	c := (i * 7) % s.customers
	r.CustomerCode, r.CustomerName, r.Phone = s.codes[c], s.names[c], s.phones[c]
	r.At = s.from.Add(time.Duration(i) * 47 * time.Second)
	r.Kind = synthKinds[i%len(synthKinds)]
	r.Channel = synthChannels[i%len(synthChannels)]
	r.Content = synthContents[i%len(synthContents)]
	r.Feedback = synthFeedbacks[i%len(synthFeedbacks)]
	r.NextStep, r.NextDate = "", 0
	if i%3 == 0 {
		r.NextStep, r.NextDate = "再次回访", crm.DateOf(r.At)+7
	}
}

func (s *synthSource) purchase(i int, p *crm.PurchaseRow) {
	c := (i * 13) % s.customers
	p.CustomerCode, p.CustomerName = s.codes[c], s.names[c]
	p.Date = crm.DateOf(s.from) + crm.Date(i/1000)
	p.Amount = crm.Money(1000 + (i*3571)%500_000)
	p.Items = synthItems[i%len(synthItems)]
	p.Channel = crm.SaleChannels[i%2]
}

func (s *synthSource) customer(i int, c *crm.CustomerRow, bd *crm.KeyDate, phones, tags []string) {
	c.Code, c.Name, c.Remark = s.codes[i], s.names[i], ""
	if i%5 == 0 {
		c.Remark = "老" + s.names[i]
	}
	c.Gender = crm.Genders[i%3]
	phones[0] = s.phones[i]
	c.Phones = phones[:1]
	c.WeChat, c.Email = "", ""
	if i%2 == 0 {
		c.WeChat = "wx" + s.codes[i]
	}
	*bd = crm.KeyDate{Calendar: crm.Solar, Year: 1960 + i%45, Month: 1 + i%12, Day: 1 + i%28}
	if i%5 == 0 {
		bd.Calendar, bd.Year = crm.Lunar, 0
	}
	c.Birthday = bd
	c.Needs, c.Preferences = "护肤", "茶"
	c.Tags = tags[:i%3]
	c.Tier = crm.Tiers[i%4]
	c.DoNotDisturb = i%10 == 0
	c.Knowing, c.Closeness, c.Loyalty = i%6, (i+1)%6, (i+2)%6
	c.Created = crm.DateOf(s.from) + crm.Date(i%900)
	c.LastContact = s.from.Add(time.Duration(i) * time.Hour)
	c.LastPurchase = crm.DateOf(s.from) + crm.Date(i%1000)
}

func (s *synthSource) EachCustomer(_ context.Context, fn func(*crm.CustomerRow) error) error {
	var (
		c      crm.CustomerRow
		bd     crm.KeyDate
		phones = make([]string, 1)
		tags   = []string{"老客户", "VIP"}
	)
	for i := range s.customers {
		s.customer(i, &c, &bd, phones, tags)
		if err := fn(&c); err != nil {
			return err
		}
	}
	return nil
}

func (s *synthSource) EachPurchase(_ context.Context, _, _ crm.Date, fn func(*crm.PurchaseRow) error) error {
	var p crm.PurchaseRow
	for i := range s.purchases {
		s.purchase(i, &p)
		if err := fn(&p); err != nil {
			return err
		}
	}
	return nil
}

func (s *synthSource) EachRecord(_ context.Context, _, _ crm.Date, fn func(*crm.RecordRow) error) error {
	var r crm.RecordRow
	for i := range s.records {
		s.record(i, &r)
		if err := fn(&r); err != nil {
			return err
		}
	}
	return nil
}

// bareExport writes the same cells as Export with nothing but a StreamWriter per sheet: the
// values are mapped in the simplest way (the phones come formatted from the pool), dates carry
// the number formats they need, and there is no header style, frozen pane, auto-filter or width.
// It is the yardstick of PRODUCT.md §8.
func bareExport(s *synthSource, path string) error {
	f := excelize.NewFile()
	defer f.Close()
	dateFmt, dateTimeFmt := "yyyy-mm-dd", "yyyy-mm-dd hh:mm"
	date, _ := f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt})
	dateTime, _ := f.NewStyle(&excelize.Style{CustomNumFmt: &dateTimeFmt})
	amount, _ := f.NewStyle(&excelize.Style{NumFmt: 2})
	epoch := crm.NewDate(1899, 12, 30)
	serial := func(d crm.Date) any {
		if d == 0 {
			return nil
		}
		return int(d - epoch)
	}
	text := func(s string) any {
		if s == "" {
			return nil
		}
		return s
	}
	label := func(vs []Value, k string) any { return textCell(valueText(vs, k, LangZh)) }
	sheets := 0
	sheet := func(cols []Column, n int, row func(i int, out []any) []any) error {
		var sw *excelize.StreamWriter
		out := make([]any, 0, len(cols))
		for i := 0; i == 0 || i < n; {
			name := "S" + strconv.Itoa(sheets)
			if sheets++; sheets == 1 {
				_ = f.SetSheetName("Sheet1", name)
			} else if _, err := f.NewSheet(name); err != nil {
				return err
			}
			var err error
			if sw, err = f.NewStreamWriter(name); err != nil {
				return err
			}
			header := make([]any, len(cols))
			for c, col := range cols {
				header[c] = col.Zh
				if st := map[Kind]int{KindDate: date, KindKeyDate: date, KindDateTime: dateTime, KindAmount: amount}[col.Kind]; st != 0 {
					_ = sw.SetColStyle(c+1, c+1, st)
				}
			}
			if err := sw.SetRow("A1", header); err != nil {
				return err
			}
			for r := 2; i < n && r <= MaxDataRows+1; r, i = r+1, i+1 {
				if err := sw.SetRow("A"+strconv.Itoa(r), row(i, out[:0])); err != nil {
					return err
				}
			}
			if err := sw.Flush(); err != nil {
				return err
			}
			if n == 0 {
				break
			}
		}
		return nil
	}
	var rec crm.RecordRow
	if err := sheet(RecordColumns, s.records, func(i int, out []any) []any {
		s.record(i, &rec)
		c := (i * 7) % s.customers
		return append(out, float64(rec.At.Unix())/86400+25569, rec.CustomerCode, rec.CustomerName, s.phonesShown[c],
			label(RecordKindValues, string(rec.Kind)), label(RecordChannelValues, string(rec.Channel)),
			text(rec.Content), text(rec.Feedback), text(rec.NextStep), serial(rec.NextDate))
	}); err != nil {
		return err
	}
	var (
		cust   crm.CustomerRow
		bd     crm.KeyDate
		phones = make([]string, 1)
		tags   = []string{"老客户", "VIP"}
		sb     []byte
	)
	if err := sheet(CustomerColumns, s.customers, func(i int, out []any) []any {
		s.customer(i, &cust, &bd, phones, tags)
		var birthday any
		if bd.Calendar == crm.Solar {
			birthday = serial(crm.NewDate(bd.Year, time.Month(bd.Month), bd.Day))
		} else {
			birthday = bd.String()
		}
		var tagText any
		if len(cust.Tags) > 0 {
			sb = append(sb[:0], cust.Tags[0]...)
			for _, t := range cust.Tags[1:] {
				sb = append(append(sb, "; "...), t...)
			}
			tagText = string(sb)
		}
		dnd := "否"
		if cust.DoNotDisturb {
			dnd = "是"
		}
		score := func(n int) any {
			if n == 0 {
				return nil
			}
			return n
		}
		return append(out, cust.Code, cust.Name, text(cust.Remark), label(GenderValues, string(cust.Gender)), s.phonesShown[i],
			text(cust.WeChat), nil, nil, nil, nil, nil, birthday, nil, text(cust.Needs), nil, text(cust.Preferences), nil,
			label(TierValues, string(cust.Tier)), tagText, dnd, score(cust.Knowing), score(cust.Closeness), score(cust.Loyalty),
			nil, serial(cust.Created), nil, nil, nil, nil, float64(cust.LastContact.Unix())/86400+25569, serial(cust.LastPurchase))
	}); err != nil {
		return err
	}
	var p crm.PurchaseRow
	if err := sheet(PurchaseColumns, s.purchases, func(i int, out []any) []any {
		s.purchase(i, &p)
		return append(out, p.CustomerCode, p.CustomerName, serial(p.Date), p.Amount.Yuan(), text(p.Items),
			label(SaleChannelValues, string(p.Channel)))
	}); err != nil {
		return err
	}
	for _, cols := range [][]Column{ServiceColumns, ComplaintColumns, EventColumns, SummaryColumns} {
		if err := sheet(cols, 0, nil); err != nil {
			return err
		}
	}
	return f.SaveAs(path)
}

// peakMemory samples the memory the Go runtime holds from the OS (all of it, less what it
// returned) every 20 ms until stop is called, which returns the peak. It starts by returning
// what it can, so that a run does not inherit the previous one's.
func peakMemory() (stop func() uint64) {
	debug.FreeOSMemory()
	var peak atomic.Uint64
	done := make(chan struct{})
	finished := make(chan struct{})
	sample := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
	go func() {
		defer close(finished)
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(sample)
			if v := sample[0].Value.Uint64() - sample[1].Value.Uint64(); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() uint64 {
		close(done)
		<-finished
		return peak.Load()
	}
}

// BenchmarkExport times Export against bareExport on the same synthetic book and reports both,
// their ratio (PRODUCT.md §8: at most 1.3) and the peak memory of each (bare SaveAs builds
// the whole zip in memory; Export writes it to the file). "full" is the book
// of §8 (100,000 customers, 2,000,000 records, 1,000,000 purchases; a minute or two per
// iteration); "small" a tenth of it for quick runs: go test -run '^$' -bench Export/small.
func BenchmarkExport(b *testing.B) {
	for _, size := range []struct {
		name                          string
		customers, purchases, records int
	}{
		{"small", 10_000, 100_000, 200_000},
		{"full", 100_000, 1_000_000, 2_000_000},
	} {
		b.Run(size.name, func(b *testing.B) {
			src := newSynthSource(size.customers, size.purchases, size.records)
			dir := b.TempDir()
			var bare, ours time.Duration
			var bareMem, oursMem uint64
			var bareSize, oursSize int64
			b.ResetTimer()
			for range b.N {
				// Export first: the bare run leaves a large heap goal behind (SaveAs builds the
				// zip in memory), which would inflate the export's peak.
				stop := peakMemory()
				start := time.Now()
				if err := Export(context.Background(), src, filepath.Join(dir, "export.xlsx"), Options{Lang: LangZh}); err != nil {
					b.Fatal(err)
				}
				ours += time.Since(start)
				oursMem = max(oursMem, stop())

				stop = peakMemory()
				start = time.Now()
				if err := bareExport(src, filepath.Join(dir, "bare.xlsx")); err != nil {
					b.Fatal(err)
				}
				bare += time.Since(start)
				bareMem = max(bareMem, stop())
			}
			b.StopTimer()
			if fi, err := os.Stat(filepath.Join(dir, "bare.xlsx")); err == nil {
				bareSize = fi.Size()
			}
			if fi, err := os.Stat(filepath.Join(dir, "export.xlsx")); err == nil {
				oursSize = fi.Size()
			}
			n := float64(b.N)
			ratio := ours.Seconds() / bare.Seconds()
			b.ReportMetric(bare.Seconds()/n, "bare-s/op")
			b.ReportMetric(ours.Seconds()/n, "export-s/op")
			b.ReportMetric(ratio, "ratio")
			b.ReportMetric(float64(bareMem)/(1<<20), "bare-peak-MB")
			b.ReportMetric(float64(oursMem)/(1<<20), "export-peak-MB")
			b.Logf("%s: export %.2fs (%d MB file, peak memory %d MB), bare StreamWriter %.2fs (%d MB, peak memory %d MB): %.2f× (target ≤ 1.3×)",
				size.name, ours.Seconds()/n, oursSize>>20, oursMem>>20, bare.Seconds()/n, bareSize>>20, bareMem>>20, ratio)
		})
	}
}
