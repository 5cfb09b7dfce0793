package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"carebook/crm"
	"carebook/store/benchbook"
)

// The book of the record benchmarks (PRODUCT.md §8): benchCustomers customers,
// benchPurchases purchases and benchRecords records over three years, plus the card customer
// (benchbook.CardName: exactly 50 purchases and 200 records), built by benchbook and kept under
// os.TempDir(), keyed by its size, so that later runs reuse it (CAREBOOK_BENCH_REBUILD=1 builds
// it again). smallBook is a tenth of it, for the growth from 10,000 to 100,000 customers.
const (
	benchPurchases = 1_000_000
	benchRecords   = 2_000_000
	benchBatch     = benchbook.Batch
	smallCustomers = 10_000
)

var benchHolidays = benchbook.Holidays

// syntheticHistory returns the purchases and records of customers ids[i] (i in [lo, hi))
// (benchbook.History).
func syntheticHistory(r *rand.Rand, ids []int64, lo, hi, perP, perR int) ([]crm.Purchase, []crm.Record) {
	return benchbook.History(r, ids, lo, hi, perP, perR)
}

var bigBooks struct {
	mu    sync.Mutex
	books map[int]*Store
}

// benchSizes are the sizes of the figure benchmarks: sub-benchmarks customers=N.
var benchSizes = []int{smallCustomers, benchCustomers}

// recordsBook returns the big book, building it when it is not cached yet.
func recordsBook(b *testing.B) *Store {
	b.Helper()
	return recordsBookOf(b, benchCustomers)
}

// recordsBookOf returns the book of customers customers with 10 purchases and 20 records a
// customer on average, built (or completed with the card customer) when needed, and opened
// once per test binary.
func recordsBookOf(b *testing.B, customers int) *Store {
	b.Helper()
	bigBooks.mu.Lock()
	defer bigBooks.mu.Unlock()
	if s := bigBooks.books[customers]; s != nil {
		return s
	}
	// Keyed by size and schema (an older book would be migrated, and backed up first).
	path := benchbook.Path(SchemaVersion(), customers, customers*10, customers*20)
	if os.Getenv("CAREBOOK_BENCH_REBUILD") != "" {
		os.Remove(path)
	}
	ctx := context.Background()
	open := func(ctx context.Context, path string) (benchbook.Book, error) { return Open(ctx, path) }
	if err := benchbook.Ensure(ctx, path, customers, customers*10, customers*20, open); err != nil {
		b.Fatal(err)
	}
	s, err := Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	if bigBooks.books == nil {
		bigBooks.books = map[int]*Store{}
	}
	bigBooks.books[customers] = s
	return s
}

// closeRecordsBooks closes the books of recordsBookOf (TestMain).
func closeRecordsBooks() {
	bigBooks.mu.Lock()
	defer bigBooks.mu.Unlock()
	for _, s := range bigBooks.books {
		s.Close()
	}
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
