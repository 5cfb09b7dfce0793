// Package benchfile builds the workbooks of the import benchmarks (PRODUCT.md §8): the demo
// generator's customers exported by Carebook, kept under os.TempDir() and reused.
package benchfile

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"carebook/crm"
	"carebook/crm/demo"
	"carebook/store/xlsx"
)

// Today is the demo book's today, and the import's.
var Today = crm.MustDate("2026-03-01")

// Path is where the workbook of n customer rows is kept (bump the version after changing
// Workbook).
func Path(n int) string {
	return filepath.Join(os.TempDir(), fmt.Sprintf("carebook-bench-customers-%d-v1.xlsx", n))
}

// Workbook returns the benchmark workbook of n customers, building it when missing: the demo
// generator's customers (names, one or two phones, WeChat IDs, addresses, solar and lunar
// birthdays, important dates, needs, tags, tiers, scores, notes…) exported by Carebook
// (xlsx.Export, Chinese), with the derived columns filled in, as a user who moves a book to
// another computer has it: the 顾客 sheet of n rows and 31 columns (text cells, real date cells
// for birthdays, 建档日期 and the last contact and purchase, numbers for the scores), the other
// sheets empty.
func Workbook(ctx context.Context, n int) (string, error) {
	path := Path(n)
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	cards := demo.Customers(demo.Options{Customers: n, Seed: 1, Today: Today})
	src := &source{customers: make([]crm.CustomerRow, len(cards))}
	for i := range cards {
		row := crm.CustomerRow{Customer: cards[i]}
		if i%7 != 0 { // some customers were never contacted, nor bought anything
			row.LastContact = time.Date(2026, 2, 1+i%28, 9+i%10, i%60, 0, 0, time.UTC)
			row.LastPurchase = Today - crm.Date(i%400)
		}
		src.customers[i] = row
	}
	stages := []string{"新客", "成长期", "成熟期", "衰退期"}
	churns := []string{"活跃", "沉睡", "流失预警"}
	segments := []string{"重要价值客户", "重要发展客户", "一般维持客户", "重要挽留客户"}
	tiers := []string{"VIP", "重要", "普通", "小"}
	k := 0
	o := xlsx.Options{Lang: xlsx.LangZh, Derive: func(*crm.CustomerRow) (string, string, string, string) {
		k++
		return stages[k%len(stages)], churns[k%len(churns)], segments[k%len(segments)], tiers[k%len(tiers)]
	}}
	// Export writes a temporary file and renames it: an interrupted run leaves no half file.
	if err := xlsx.Export(ctx, src, path, o); err != nil {
		return "", fmt.Errorf("bench file: %w", err)
	}
	return path, nil
}

// source is a book of customers only, with empty service, complaint and event sheets.
type source struct{ customers []crm.CustomerRow }

func (s *source) ExportCounts(context.Context, crm.Date, crm.Date) (int, int, int, error) {
	return len(s.customers), 0, 0, nil
}

func (s *source) EachCustomer(_ context.Context, fn func(*crm.CustomerRow) error) error {
	for i := range s.customers {
		c := s.customers[i]
		if err := fn(&c); err != nil {
			return err
		}
	}
	return nil
}

func (s *source) EachPurchase(context.Context, crm.Date, crm.Date, func(*crm.PurchaseRow) error) error {
	return nil
}

func (s *source) EachRecord(context.Context, crm.Date, crm.Date, func(*crm.RecordRow) error) error {
	return nil
}

func (s *source) EachService(context.Context, crm.Date, crm.Date, func(*crm.ServiceSheetRow) error) error {
	return nil
}

func (s *source) EachComplaint(context.Context, crm.Date, crm.Date, func(*crm.ComplaintSheetRow) error) error {
	return nil
}

func (s *source) EachEventRow(context.Context, crm.Date, crm.Date, func(*crm.EventSheetRow) error) error {
	return nil
}
