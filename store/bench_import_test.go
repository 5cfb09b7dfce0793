package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"carebook/crm"
)

// importBatch returns a batch of benchCustomers synthetic customers, coded K000000…, and when
// history, their purchases and records (about 2 and 10 per customer: 200,000 and 1,000,000)
// linked by code, as store/imports would give it. changed gives every customer a new email and
// tag, so that importing it over the plain batch updates every card.
func importBatch(history, changed bool) *crm.ImportBatch {
	cs := syntheticCustomers(benchCustomers, 5)
	b := &crm.ImportBatch{}
	ids := make([]int64, len(cs))
	for i := range cs {
		c := cs[i]
		c.Code = fmt.Sprintf("K%06d", i)
		if changed {
			c.Email, c.Tags = fmt.Sprintf("k%d@example.com", i), append(c.Tags, "导入")
		}
		b.Results = append(b.Results, crm.ImportRowResult{Line: i + 2, Action: crm.ImportCreate, Code: c.Code, Name: c.Name})
		b.Customers = append(b.Customers, crm.ImportCustomer{Row: i, Customer: c})
		ids[i] = int64(i)
	}
	if !history {
		return b
	}
	ps, rs := syntheticHistory(rand.New(rand.NewPCG(5, 5)), ids, 0, len(ids), 2, 10)
	for i := range ps {
		b.Results = append(b.Results, crm.ImportRowResult{Table: 1, Line: i + 2, Action: crm.ImportCreate})
		b.Purchases = append(b.Purchases, crm.ImportPurchase{Row: len(b.Results) - 1,
			CustomerCode: fmt.Sprintf("K%06d", ps[i].CustomerID), Purchase: ps[i]})
		b.Purchases[i].Purchase.CustomerID = 0
	}
	for i := range rs {
		b.Results = append(b.Results, crm.ImportRowResult{Table: 2, Line: i + 2, Action: crm.ImportCreate})
		b.Records = append(b.Records, crm.ImportRecord{Row: len(b.Results) - 1,
			CustomerCode: fmt.Sprintf("K%06d", rs[i].CustomerID), Record: rs[i]})
		b.Records[i].Record.CustomerID = 0
	}
	return b
}

// BenchmarkImport imports benchCustomers customers into a new book ("create"), the same
// customers changed into a book that has them ("update", every row an update), and into a new
// book with their history ("create+history", ~200,000 purchases and ~1,000,000 records).
// Reported as rows/s (customers, purchases and records).
func BenchmarkImport(b *testing.B) {
	for _, bc := range []struct {
		name             string
		history, prefill bool
	}{
		{"create", false, false},
		{"update", false, true},
		{"dry-run-update", false, true},
		{"create+history", true, false},
	} {
		b.Run(bc.name, func(b *testing.B) {
			ctx := context.Background()
			var total time.Duration
			rows := 0
			for b.Loop() {
				b.StopTimer()
				s, err := Open(ctx, filepath.Join(b.TempDir(), "book.db"))
				if err != nil {
					b.Fatal(err)
				}
				if bc.prefill {
					if err := s.Import(ctx, importBatch(false, false), ImportOptions{}); err != nil {
						b.Fatal(err)
					}
				}
				batch := importBatch(bc.history, bc.prefill)
				b.StartTimer()
				start := time.Now()
				if err := s.Import(ctx, batch, ImportOptions{DryRun: bc.name == "dry-run-update"}); err != nil {
					b.Fatal(err)
				}
				total += time.Since(start)
				rows += len(batch.Results)
				b.StopTimer()
				if n := batch.Counts(); n.Skipped != 0 || bc.prefill && n.Updated != benchCustomers {
					b.Fatalf("counts %+v", n)
				}
				s.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(rows)/total.Seconds(), "rows/s")
		})
	}
}
