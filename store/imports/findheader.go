package imports

import (
	"strings"

	"carebook/crm"
)

// headerSearchRows is how many rows under the first non-blank one FindHeader looks at.
const headerSearchRows = 10

// FindHeader moves a table's header down when the first non-blank row is not the header: lists
// kept in Excel often start with a title ("2026年客户名单", merged across the columns), a date
// or a note, and the real headers come a row or two later. Of the first row and the next
// headerSearchRows rows, the header is the first one with the most cells that name a field
// Carebook knows (of any kind), provided there are at least two; the rows above it are dropped.
// A table whose first row names a field as well as any other row is left as it is. It reports
// whether it moved the header.
func FindHeader(t *crm.ImportTable) bool {
	if t == nil || len(t.Rows) == 0 {
		return false
	}
	best, bestScore := -1, headerScore(t.Header)
	for i := 0; i < len(t.Rows) && i < headerSearchRows; i++ {
		if s := rowHeaderScore(&t.Rows[i]); s > bestScore && s >= 2 {
			best, bestScore = i, s
		}
	}
	if best < 0 {
		return false
	}
	row := t.Rows[best]
	t.Header = make([]string, len(row.Cells))
	for i, c := range row.Cells {
		t.Header[i] = strings.TrimSpace(c.Text)
	}
	t.HeaderLine = row.Line
	t.Rows = t.Rows[best+1:]
	return true
}

// headerScore counts the cells of a row that name a field of some kind.
func headerScore(cells []string) int {
	n := 0
	for _, h := range cells {
		for _, k := range []crm.ImportKind{crm.ImportCustomers, crm.ImportPurchases, crm.ImportRecords} {
			if f := MatchHeader(k, h); f != "" && f != FieldIgnore {
				n++
				break
			}
		}
	}
	return n
}

func rowHeaderScore(r *crm.ImportRow) int {
	cells := make([]string, 0, len(r.Cells))
	for _, c := range r.Cells {
		if c.Kind == crm.CellText {
			cells = append(cells, c.Text)
		}
	}
	return headerScore(cells)
}
