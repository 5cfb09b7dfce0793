package store

import (
	"context"
	"database/sql"
	"errors"
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

// The book of the record benchmarks (PRODUCT.md §8): benchCustomers customers,
// benchPurchases purchases and benchRecords records over three years, inserted with the bulk
// API in batches like the demo generator's. It is built once and kept under os.TempDir(), keyed
// by its size, so that later runs reuse it (CAREBOOK_BENCH_REBUILD=1 builds it again).
const (
	benchPurchases = 1_000_000
	benchRecords   = 2_000_000
	// benchBatch is the number of customers whose history goes in one InsertPurchases and one
	// InsertRecords call (about 100,000 records).
	benchBatch = 5_000
)

var (
	benchFirstDay = crm.MustDate("2023-03-01")
	benchLastDay  = crm.MustDate("2026-02-28")
	// benchHolidays get a burst of greetings, as a holiday's bulk "greeted" gives.
	benchHolidays = []crm.Date{crm.MustDate("2024-02-10"), crm.MustDate("2025-01-29"), crm.MustDate("2026-02-17")}
)

// syntheticHistory returns the purchases and records of customers ids[i] (i in [lo, hi)):
// perCustomerP purchases and perCustomerR records each on average, spread over the three years,
// one customer after the other (as the demo generator writes them). A fifth of the customers
// get a greeting on each of benchHolidays.
func syntheticHistory(r *rand.Rand, ids []int64, lo, hi, perP, perR int) ([]crm.Purchase, []crm.Record) {
	span := benchLastDay.Sub(benchFirstDay) + 1
	var ps []crm.Purchase
	var rs []crm.Record
	items := []string{"面霜", "精华液", "洗面奶", "面膜套装", "防晒霜", "口红", "香水"}
	contents := []string{"电话回访，使用感受良好", "微信问候，发送保养提示", "到店服务，做了皮肤检测", "邀约参加会员日", "跟进投诉处理结果"}
	for i := lo; i < hi; i++ {
		id := ids[i]
		for range perP/2 + r.IntN(perP+1) {
			ps = append(ps, crm.Purchase{CustomerID: id, Date: benchFirstDay.AddDays(r.IntN(span)),
				Amount: crm.Money(100 * (50 + r.IntN(3000))), Items: items[r.IntN(len(items))],
				Channel: crm.SaleChannels[r.IntN(2)]})
		}
		n := perR/2 + r.IntN(perR+1)
		for j := range n {
			day := benchFirstDay.AddDays(r.IntN(span))
			kind := crm.RecordKinds[r.IntN(len(crm.RecordKinds))]
			if j < len(benchHolidays) && r.IntN(5) == 0 {
				day, kind = benchHolidays[j], crm.KindGreeting
			}
			y, m, d := day.YMD()
			rec := crm.Record{CustomerID: id,
				At:   time.Date(y, m, d, 8+r.IntN(13), r.IntN(60), r.IntN(60), 0, time.UTC),
				Kind: kind, Channel: crm.Channels[r.IntN(len(crm.Channels))],
				Content: contents[r.IntN(len(contents))], Feedback: "满意"}
			if r.IntN(4) == 0 {
				rec.NextStep, rec.NextDate = "再次回访", day.AddDays(7+r.IntN(30))
			}
			rs = append(rs, rec)
		}
	}
	return ps, rs
}

var bigBook struct {
	once sync.Once
	s    *Store
	err  error
}

// recordsBook returns the big book, building it when it is not cached yet.
func recordsBook(b *testing.B) *Store {
	b.Helper()
	bigBook.once.Do(func() {
		migs, err := embeddedMigrations()
		if err != nil {
			bigBook.err = err
			return
		}
		// Keyed by size and schema (an older book would be migrated, and backed up first).
		path := filepath.Join(os.TempDir(), fmt.Sprintf("carebook-bench-%d-%d-%d-s%d.db",
			benchCustomers, benchPurchases, benchRecords, len(migs)))
		if os.Getenv("CAREBOOK_BENCH_REBUILD") != "" {
			os.Remove(path)
		}
		if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			if bigBook.err = buildRecordsBook(path); bigBook.err != nil {
				return
			}
		}
		bigBook.s, bigBook.err = Open(context.Background(), path)
	})
	if bigBook.err != nil {
		b.Fatal(bigBook.err)
	}
	return bigBook.s
}

// buildRecordsBook writes the big book to path (through a temporary file, so that an
// interrupted build is not reused) and logs the bulk insert rates.
func buildRecordsBook(path string) error {
	ctx := context.Background()
	tmp := path + ".tmp"
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(tmp + suffix)
	}
	s, err := Open(ctx, tmp)
	if err != nil {
		return err
	}
	defer s.Close()
	start := time.Now()
	cs := syntheticCustomers(benchCustomers, 1)
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
	for lo := 0; lo < len(ids); lo += benchBatch {
		hi := min(lo+benchBatch, len(ids))
		ps, rs := syntheticHistory(r, ids, lo, hi, benchPurchases/benchCustomers, benchRecords/benchCustomers)
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
	fmt.Fprintf(os.Stderr, "bench book: %d purchases in %v (%.0f/s), %d records in %v (%.0f/s; slowest batch of ~%d: %v); total %v\n",
		np, tp.Round(time.Millisecond), float64(np)/tp.Seconds(), nr, tr.Round(time.Millisecond),
		float64(nr)/tr.Seconds(), nr/(len(ids)/benchBatch), slowest.Round(time.Millisecond),
		time.Since(start).Round(time.Second))
	// Archive a few customers, as a real book has.
	for _, id := range []int64{17, 4242, 77777} {
		if err := s.ArchiveCustomer(ctx, id); err != nil {
			return err
		}
	}
	if err := s.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// latency runs f in a loop and reports its 95th percentile.
func latency(b *testing.B, f func() error) {
	b.Helper()
	var times []time.Duration
	for b.Loop() {
		start := time.Now()
		if err := f(); err != nil {
			b.Fatal(err)
		}
		times = append(times, time.Since(start))
	}
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)*95/100])/1e6, "p95-ms")
}

// BenchmarkRecordRows asks for a page of 100 rows of the record sheet at the start, the middle
// and the end, without and with filters (target: under 50 ms each). The counts are cached as
// the UI leaves them; "cold" pages drop them first (the first page after a write).
func BenchmarkRecordRows(b *testing.B) {
	s := recordsBook(b)
	ctx := context.Background()
	cust := customerWithRecords(b, s)
	for _, bc := range []struct {
		name string
		q    crm.RecordQuery
	}{
		{"all", crm.RecordQuery{}},
		{"kind", crm.RecordQuery{Kind: crm.KindRoutine}},
		{"channel", crm.RecordQuery{Channel: crm.ChannelWeChat}},
		{"kind_channel", crm.RecordQuery{Kind: crm.KindGreeting, Channel: crm.ChannelSMS}},
		{"range", crm.RecordQuery{From: crm.MustDate("2025-01-01"), To: crm.MustDate("2025-03-31")}},
		{"range_kind_channel", crm.RecordQuery{From: crm.MustDate("2025-01-01"), To: crm.MustDate("2025-03-31"),
			Kind: crm.KindGreeting, Channel: crm.ChannelWeChat}},
		{"customer", crm.RecordQuery{CustomerID: cust}},
	} {
		n, err := s.CountRecords(ctx, bc.q)
		if err != nil {
			b.Fatal(err)
		}
		for _, at := range []struct {
			name   string
			offset int
		}{{"start", 0}, {"middle", n / 2}, {"end", max(0, n-100)}} {
			b.Run(bc.name+"/"+at.name, func(b *testing.B) {
				latency(b, func() error {
					rows, err := s.RecordRows(ctx, bc.q, at.offset, 100)
					if err == nil && len(rows) != min(100, n-at.offset) {
						err = fmt.Errorf("%d rows at %d of %d", len(rows), at.offset, n)
					}
					return err
				})
			})
		}
	}
	// The worst case: deep in the holiday burst, with a filter that the index does not cover,
	// right after a write dropped the cached counts.
	q := crm.RecordQuery{Kind: crm.KindGreeting, Channel: crm.ChannelPhone}
	holiday := crm.RecordQuery{From: benchHolidays[1], To: benchHolidays[1], Kind: q.Kind, Channel: q.Channel}
	after := crm.RecordQuery{From: benchHolidays[1] + 1, Kind: q.Kind, Channel: q.Channel}
	inBurst, err1 := s.CountRecords(ctx, holiday)
	newer, err2 := s.CountRecords(ctx, after)
	if err := errors.Join(err1, err2); err != nil {
		b.Fatal(err)
	}
	b.Run("holiday_burst_end_cold", func(b *testing.B) {
		latency(b, func() error {
			s.recordsChanged()
			_, err := s.RecordRows(ctx, q, newer+inBurst-100, 100)
			return err
		})
	})
}

// customerWithRecords returns a customer of the big book with records.
func customerWithRecords(b *testing.B, s *Store) int64 {
	var id int64
	if err := s.db.QueryRow(`SELECT customer_id FROM records WHERE id = 1000`).Scan(&id); err != nil {
		b.Fatal(err)
	}
	return id
}

// BenchmarkCountRecords counts the sheet's rows, with cached counts ("warm", as the UI leaves
// them) and right after a write dropped them ("cold").
func BenchmarkCountRecords(b *testing.B) {
	s := recordsBook(b)
	ctx := context.Background()
	for _, bc := range []struct {
		name string
		q    crm.RecordQuery
	}{
		{"all", crm.RecordQuery{}},
		{"range_kind_channel", crm.RecordQuery{From: crm.MustDate("2025-01-01"), To: crm.MustDate("2025-03-31"),
			Kind: crm.KindGreeting, Channel: crm.ChannelWeChat}},
		{"customer", crm.RecordQuery{CustomerID: customerWithRecords(b, s)}},
	} {
		for _, cold := range []bool{false, true} {
			name := bc.name + "/warm"
			if cold {
				name = bc.name + "/cold"
			}
			b.Run(name, func(b *testing.B) {
				latency(b, func() error {
					if cold {
						s.recordsChanged()
					}
					_, err := s.CountRecords(ctx, bc.q)
					return err
				})
			})
		}
	}
}

// BenchmarkActivity sums up one customer's history for the card (target: under 5 ms).
func BenchmarkActivity(b *testing.B) {
	s := recordsBook(b)
	ctx := context.Background()
	id := customerWithRecords(b, s)
	latency(b, func() error {
		a, err := s.Activity(ctx, id)
		if err == nil && a.Records == 0 {
			err = errors.New("no records")
		}
		return err
	})
}

// BenchmarkEachRecord reads the whole maintenance log as the export does (target: under ~5 s).
// bare_scan is the floor: SQLite stepping through the same rows and columns, decoding nothing.
func BenchmarkEachRecord(b *testing.B) {
	s := recordsBook(b)
	ctx := context.Background()
	b.Run("each", func(b *testing.B) {
		for b.Loop() {
			n := 0
			if err := s.EachRecord(ctx, 0, 0, func(*crm.RecordRow) error { n++; return nil }); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(n), "rows")
		}
	})
	b.Run("bare_scan", func(b *testing.B) {
		for b.Loop() {
			rows, err := s.db.QueryContext(ctx, `SELECT `+recordColumns+` FROM records INDEXED BY records_sheet ORDER BY at, id`)
			if err != nil {
				b.Fatal(err)
			}
			dest := make([]any, 11)
			for i := range dest {
				dest[i] = new(sql.RawBytes)
			}
			n := 0
			for rows.Next() {
				if err := rows.Scan(dest...); err != nil {
					b.Fatal(err)
				}
				n++
			}
			if err := rows.Close(); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(n), "rows")
		}
	})
}

// BenchmarkEachCustomer reads every card as the export does (target: well under 2 s).
func BenchmarkEachCustomer(b *testing.B) {
	s := recordsBook(b)
	ctx := context.Background()
	for b.Loop() {
		n := 0
		if err := s.EachCustomer(ctx, func(*crm.CustomerRow) error { n++; return nil }); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(n), "rows")
	}
}

// BenchmarkEachPurchase reads every purchase as the export does.
func BenchmarkEachPurchase(b *testing.B) {
	s := recordsBook(b)
	ctx := context.Background()
	for b.Loop() {
		n := 0
		if err := s.EachPurchase(ctx, 0, 0, func(*crm.PurchaseRow) error { n++; return nil }); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(n), "rows")
	}
}

// BenchmarkExportCounts counts the rows of the export's sheets (the progress bar).
func BenchmarkExportCounts(b *testing.B) {
	s := recordsBook(b)
	ctx := context.Background()
	for _, bc := range []struct {
		name     string
		from, to crm.Date
	}{{"all", 0, 0}, {"year", crm.MustDate("2025-01-01"), crm.MustDate("2025-12-31")}} {
		b.Run(bc.name, func(b *testing.B) {
			latency(b, func() error {
				_, _, _, err := s.ExportCounts(ctx, bc.from, bc.to)
				return err
			})
		})
	}
}

// BenchmarkInsertRecords inserts one more demo-sized batch (~100,000 records of 5,000
// customers) into the full book, then deletes it again (untimed) so that the cached book stays
// as built.
func BenchmarkInsertRecords(b *testing.B) {
	s := recordsBook(b)
	ctx := context.Background()
	ids := make([]int64, benchBatch)
	for i := range ids {
		ids[i] = int64(1000 + i)
	}
	r := rand.New(rand.NewPCG(9, 9))
	var total time.Duration
	n := 0
	for b.Loop() {
		b.StopTimer()
		_, rs := syntheticHistory(r, ids, 0, len(ids), 0, benchRecords/benchCustomers)
		var maxID int64
		if err := s.db.QueryRow(`SELECT max(id) FROM records`).Scan(&maxID); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		if err := s.InsertRecords(ctx, rs); err != nil {
			b.Fatal(err)
		}
		total += time.Since(start)
		n += len(rs)
		b.StopTimer()
		if _, err := s.db.Exec(`DELETE FROM records WHERE id > ?`, maxID); err != nil {
			b.Fatal(err)
		}
		s.recordsChanged()
		b.StartTimer()
	}
	b.ReportMetric(float64(n)/total.Seconds(), "records/s")
}
