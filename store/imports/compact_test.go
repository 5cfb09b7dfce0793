package imports

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/xuri/excelize/v2"

	"carebook/crm"
	"carebook/store"
	"carebook/store/xlsx"
)

// writeCompactWorkbook writes a customers sheet of n rows (more than one conversion chunk): code,
// name, phone, gender, tier, 建档日期, a hobby column (kept in the notes) and 免打扰, with the
// cells of the fields whose blank cells an update tells apart (gender, tier, created, 免打扰)
// cycling through a value, a placeholder ("-", "无") and nothing.
func writeCompactWorkbook(t *testing.T, path string, n int, second bool) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	if err := sw.SetRow("A1", []any{"顾客编号", "姓名", "手机", "性别", "等级", "建档日期", "爱好", "免打扰"}); err != nil {
		t.Fatal(err)
	}
	for i := range n {
		gender, tier, created, dnd := "女", "VIP", any("2025-03-01"), "是"
		if second {
			switch i % 3 {
			case 0:
				gender, tier, created, dnd = "未知", "普通", "2024-01-02", "否"
			case 1:
				gender, tier, created, dnd = "-", "无", "-", "-"
			default:
				gender, tier, created, dnd = "", "", "", ""
			}
		}
		row := []any{fmt.Sprintf("C%06d", i+1), fmt.Sprintf("顾客%d", i), fmt.Sprintf("1381%07d", i),
			gender, tier, created, fmt.Sprintf("爱好%d", i%7), dnd}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, row); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	src, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	dst, err := os.Create(to)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		t.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		t.Fatal(err)
	}
}

// Prepare's batch (its rows cut down to the cells the store reads, chunk by chunk as they
// are converted) imports exactly as the full batch of Read, Guess and Convert does: the same
// report and the same cards, updates that tell a blank cell from a value included.
func TestPrepareCompactsTables(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	const n = chunkRows + 1000
	today := crm.MustDate("2026-11-23")
	first, second := filepath.Join(dir, "first.xlsx"), filepath.Join(dir, "second.xlsx")
	writeCompactWorkbook(t, first, n, false)
	writeCompactWorkbook(t, second, n, true)
	im := Importer{Lang: xlsx.LangZh}

	base := filepath.Join(dir, "base.db")
	s, err := store.Open(ctx, base)
	if err != nil {
		t.Fatal(err)
	}
	b, err := im.Prepare(ctx, []string{first}, today)
	if err != nil {
		t.Fatal(err)
	}
	if err := im.Apply(ctx, s, b, false, nil); err != nil {
		t.Fatal(err)
	}
	if c := b.Counts(); c.Created != n {
		t.Fatalf("first import: %+v, want %d created", c, n)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	// The full batch.
	tables, err := im.Read(ctx, []string{second}, nil)
	if err != nil {
		t.Fatal(err)
	}
	mappings := make([]crm.ImportMapping, len(tables))
	for i := range tables {
		mappings[i] = im.Guess(&tables[i])
	}
	full := im.Convert(tables, mappings, today)
	if len(full.Tables[0].Rows[0].Cells) != 8 {
		t.Fatalf("full batch: %d cells in a row, want 8", len(full.Tables[0].Rows[0].Cells))
	}
	// Prepare's.
	compact, err := im.Prepare(ctx, []string{second}, today)
	if err != nil {
		t.Fatal(err)
	}
	m := compact.Mappings[0]
	if m.Kind != crm.ImportCustomers || len(compact.Tables[0].Rows) != n || compact.Tables[0].HeaderLine != 1 {
		t.Fatalf("compact batch: kind %q, %d rows, header line %d", m.Kind, len(compact.Tables[0].Rows), compact.Tables[0].HeaderLine)
	}
	var fields []string
	for _, c := range m.Columns {
		fields = append(fields, c.Field)
	}
	if want := []string{"gender", "tier", "created", "do_not_disturb", "code", "name", "phone", "preferences"}; !reflect.DeepEqual(fields, want) ||
		!reflect.DeepEqual(compact.Tables[0].Header, []string{"性别", "等级", "建档日期", "免打扰", "顾客编号", "姓名", "手机", "爱好"}) {
		t.Fatalf("compact columns %q header %q, want %q", fields, compact.Tables[0].Header, want)
	}
	for i, r := range compact.Tables[0].Rows {
		if len(r.Cells) != 4 || r.Line != i+2 {
			t.Fatalf("compact row %d: line %d, %d cells", i, r.Line, len(r.Cells))
		}
	}
	if !reflect.DeepEqual(compact.Results, full.Results) || !reflect.DeepEqual(compact.Customers, full.Customers) {
		t.Fatal("Prepare converts otherwise than Convert")
	}

	// Both into copies of the same book.
	cards := map[string][]crm.Customer{}
	for name, batch := range map[string]*crm.ImportBatch{"full": full, "compact": compact} {
		path := filepath.Join(dir, name+".db")
		copyFile(t, base, path)
		s, err := store.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		if err := im.Apply(ctx, s, batch, false, nil); err != nil {
			t.Fatal(err)
		}
		if c := batch.Counts(); c.Updated != n {
			t.Fatalf("%s: %+v, want %d updated", name, c, n)
		}
		for _, ic := range batch.Customers {
			c, err := s.Customer(ctx, ic.Customer.ID)
			if err != nil {
				t.Fatal(err)
			}
			c.UpdatedAt = c.CreatedAt // the time of the import
			cards[name] = append(cards[name], *c)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if !reflect.DeepEqual(compact.Results, full.Results) {
		t.Fatal("the two imports report otherwise")
	}
	for i := range cards["full"] {
		f, c := cards["full"][i], cards["compact"][i]
		if !reflect.DeepEqual(f, c) {
			t.Fatalf("row %d: full import gives %+v, Prepare's %+v", i, f, c)
		}
	}
	// The cells that tell: a value sets the field, a placeholder or nothing keeps the stored one.
	for i, want := range []struct {
		gender crm.Gender
		tier   crm.Tier
		dnd    bool
	}{{crm.GenderUnknown, crm.TierOrdinary, false}, {crm.GenderFemale, crm.TierVIP, true}, {crm.GenderFemale, crm.TierVIP, true}} {
		c := cards["compact"][i]
		if c.Gender != want.gender || c.Tier != want.tier || c.DoNotDisturb != want.dnd {
			t.Errorf("row %d: gender %s tier %s do not disturb %v, want %+v", i, c.Gender, c.Tier, c.DoNotDisturb, want)
		}
	}
}
