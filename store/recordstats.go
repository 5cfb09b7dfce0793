package store

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"sync"

	"carebook/crm"
)

// The record sheet.
//
// The sheet is a virtualised table over every record, newest first, asking for pages at any
// offset; at millions of records neither count(*) nor OFFSET may walk the table. The book keeps
// record_counts (records per day, kind and channel, exact by triggers), and the store keeps a
// copy in memory (recordStats): a save or a delete of a record patches it, other writes drop it
// and the next reader reads it again (20–30 ms at two million records). A count is then a sum over the days of the range; a page at any offset is found by walking
// the days, newest first, to the one where the page starts, and reading from the end of that
// day with an offset smaller than that day's records. A filter on one customer reads that
// customer's records (a few hundred at most) through records_customer_at directly.
//
// Records of archived customers are left out of the sheet (as from the export), unless the
// query names the customer.

// cells is the number of kind × channel combinations.
var cells = len(crm.RecordKinds) * len(crm.Channels)

// recordStats are the counts of record_counts, by day, as of one state of the book.
type recordStats struct {
	days     []crm.Date           // ascending
	counts   [][]int32            // counts[i][kind*len(Channels)+channel]: records of days[i]
	archived map[crm.Date][]int32 // the same for archived customers' records (few)
}

// recordCache holds the recordStats of the committed book.
//
// Every write that changes records, or which customers are archived, must tell the cache (under
// writeMu, so one at a time): a write that knows what it changed (SaveRecord, DeleteRecord) runs
// between changeRecords and changedRecords, which patches the cached stats; the others (bulk
// inserts, archiving, restoring, purging) call recordsChanged once they end, which drops them.
// A reader keeps the stats it read only when no write began or ended meanwhile: cached stats
// always describe a book at rest.
type recordCache struct {
	mu      sync.Mutex
	gen     uint64       // incremented by every changedRecords
	writing int          // writes between changeRecords and changedRecords
	stats   *recordStats // nil: not known
}

// countDelta is the change of one cell of one day made by a write.
type countDelta struct {
	date     crm.Date
	cell     int
	archived bool // the record belongs to an archived customer
	n        int32
}

// changeRecords is called before a write that may change records or which customers are
// archived begins its transaction; it returns the stats as they are before the write.
func (s *Store) changeRecords() *recordStats {
	s.rc.mu.Lock()
	defer s.rc.mu.Unlock()
	s.rc.writing++
	return s.rc.stats
}

// changedRecords ends the write begun by changeRecords, which returned base. deltas is all the
// write changed (empty when it wrote nothing): the stats are patched. nil deltas (a write that
// does not say, or whose outcome is unknown) drops them.
func (s *Store) changedRecords(base *recordStats, deltas []countDelta) {
	s.rc.mu.Lock()
	defer s.rc.mu.Unlock()
	s.rc.writing--
	s.rc.gen++
	switch {
	case deltas == nil || base == nil || s.rc.stats != base:
		s.rc.stats = nil
	case len(deltas) > 0:
		s.rc.stats = base.patched(deltas)
	}
}

// recordsChanged drops the cached stats. Called after the commit (or failure) of a write that
// does not patch them, that is enough: a reader that read the stats before it stores them
// before this drop, or sees the generation move and keeps nothing.
func (s *Store) recordsChanged() {
	s.changedRecords(s.changeRecords(), nil)
}

// recordStats returns the cached stats, reading them in tx when there are none.
func (s *Store) recordStats(ctx context.Context, tx *sql.Tx) (*recordStats, error) {
	s.rc.mu.Lock()
	st, gen := s.rc.stats, s.rc.gen
	s.rc.mu.Unlock()
	if st != nil {
		return st, nil
	}
	st, err := readRecordStats(ctx, tx)
	if err != nil {
		return nil, err
	}
	s.rc.mu.Lock()
	if s.rc.gen == gen && s.rc.writing == 0 {
		s.rc.stats = st
	}
	s.rc.mu.Unlock()
	return st, nil
}

// patched returns st changed by deltas; st itself is not modified (readers may hold it).
func (st *recordStats) patched(deltas []countDelta) *recordStats {
	out := &recordStats{days: slices.Clone(st.days), counts: slices.Clone(st.counts), archived: st.archived}
	archCopied := false
	for _, d := range deltas {
		i := searchDays(out.days, d.date)
		if i == len(out.days) || out.days[i] != d.date {
			out.days = slices.Insert(out.days, i, d.date)
			out.counts = slices.Insert(out.counts, i, make([]int32, cells))
		} else {
			out.counts[i] = slices.Clone(out.counts[i])
		}
		out.counts[i][d.cell] += d.n
		if d.archived {
			if !archCopied {
				out.archived, archCopied = maps.Clone(st.archived), true
			}
			a := slices.Clone(out.archived[d.date])
			if a == nil {
				a = make([]int32, cells)
			}
			a[d.cell] += d.n
			out.archived[d.date] = a
		}
	}
	return out
}

// recordCell returns the day and cell of a record as stored.
func recordCell(at string, kind crm.RecordKind, ch crm.Channel) (crm.Date, int, error) {
	d, err := parseDay([]byte(at[:min(len(at), 10)]))
	if err != nil {
		return 0, 0, err
	}
	k, c := kindIndex(string(kind)), channelIndex(string(ch))
	if k < 0 || c < 0 {
		return 0, 0, fmt.Errorf("unknown kind %q or channel %q", kind, ch)
	}
	return d, k*len(crm.Channels) + c, nil
}

func readRecordStats(ctx context.Context, tx *sql.Tx) (*recordStats, error) {
	st := &recordStats{archived: make(map[crm.Date][]int32)}
	// One row per day (the primary key orders by date) listing its counts, "kind channel n …":
	// a thirtieth of the rows of record_counts to go through database/sql.
	rows, err := tx.QueryContext(ctx, `SELECT date, group_concat(kind || ' ' || channel || ' ' || n, ' ')
		FROM record_counts WHERE n <> 0 GROUP BY date ORDER BY date`)
	if err != nil {
		return nil, fmt.Errorf("record counts: %w", err)
	}
	defer rows.Close()
	var date, list sql.RawBytes
	for rows.Next() {
		if err := rows.Scan(&date, &list); err != nil {
			return nil, fmt.Errorf("record counts: %w", err)
		}
		d, err := parseDay(date)
		if err != nil {
			return nil, fmt.Errorf("record counts: %w", err)
		}
		counts := make([]int32, cells)
		if err := parseCounts(list, func(cell, n int) { counts[cell] += int32(n) }); err != nil {
			return nil, fmt.Errorf("record counts of %s: %w", date, err)
		}
		st.days = append(st.days, d)
		st.counts = append(st.counts, counts)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("record counts: %w", err)
	}

	// Archived customers are few; their records are counted through records_customer_at.
	rows, err = tx.QueryContext(ctx, `SELECT r.date, group_concat(r.kind || ' ' || r.channel || ' 1', ' ')
		FROM customers c JOIN records r ON r.customer_id = c.id
		WHERE c.archived_at IS NOT NULL GROUP BY r.date`)
	if err != nil {
		return nil, fmt.Errorf("record counts of archived customers: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := rows.Scan(&date, &list); err != nil {
			return nil, fmt.Errorf("record counts of archived customers: %w", err)
		}
		d, err := parseDay(date)
		if err != nil {
			return nil, fmt.Errorf("record counts of archived customers: %w", err)
		}
		counts := make([]int32, cells)
		if err := parseCounts(list, func(cell, n int) { counts[cell] += int32(n) }); err != nil {
			return nil, fmt.Errorf("record counts of archived customers on %s: %w", date, err)
		}
		st.archived[d] = counts
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("record counts of archived customers: %w", err)
	}
	return st, nil
}

// parseCounts calls put with the cell and count of every "kind channel n" triple of list
// (separated by single spaces).
func parseCounts(list []byte, put func(cell, n int)) error {
	var field [3][]byte
	for len(list) > 0 {
		for f := range field {
			end := bytes.IndexByte(list, ' ')
			if end < 0 {
				end = len(list)
			}
			field[f], list = list[:end], list[min(end+1, len(list)):]
		}
		k, c := kindIndex(string(field[0])), channelIndex(string(field[1]))
		n, ok := digits(field[2], 0, len(field[2]))
		if k < 0 || c < 0 || !ok || len(field[2]) == 0 {
			return fmt.Errorf("malformed counts: kind %q, channel %q, count %q", field[0], field[1], field[2])
		}
		put(k*len(crm.Channels)+c, n)
	}
	return nil
}

// filter is which kind × channel cells a query selects.
type filter []bool

func newFilter(q crm.RecordQuery) filter {
	f := make(filter, cells)
	for k, kind := range crm.RecordKinds {
		for c, ch := range crm.Channels {
			f[k*len(crm.Channels)+c] = (q.Kind == "" || q.Kind == kind) && (q.Channel == "" || q.Channel == ch)
		}
	}
	return f
}

// sum returns the selected records of day i, archived customers' left out.
func (st *recordStats) sum(i int, f filter) int {
	n := 0
	arch := st.archived[st.days[i]]
	for cell, on := range f {
		if on {
			n += int(st.counts[i][cell])
			if arch != nil {
				n -= int(arch[cell])
			}
		}
	}
	return n
}

// span returns the indexes [lo, hi) of st.days within the query's dates.
func (st *recordStats) span(q crm.RecordQuery) (int, int) {
	lo, hi := 0, len(st.days)
	if q.From != 0 {
		lo = searchDays(st.days, q.From)
	}
	if q.To != 0 {
		hi = searchDays(st.days, q.To+1)
	}
	return lo, max(lo, hi)
}

// searchDays returns the index of the first day ≥ d.
func searchDays(days []crm.Date, d crm.Date) int {
	lo, hi := 0, len(days)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if days[m] < d {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

func (st *recordStats) count(q crm.RecordQuery) int {
	lo, hi := st.span(q)
	f := newFilter(q)
	n := 0
	for i := lo; i < hi; i++ {
		n += st.sum(i, f)
	}
	return n
}

// locate returns the day where the selected record at offset lies (newest first) and its offset
// among the selected records of that day and the days before it; ok is false past the end.
func (st *recordStats) locate(q crm.RecordQuery, offset int) (day crm.Date, skip int, ok bool) {
	lo, hi := st.span(q)
	f := newFilter(q)
	for i := hi - 1; i >= lo; i-- {
		n := st.sum(i, f)
		if offset < n {
			return st.days[i], offset, true
		}
		offset -= n
	}
	return 0, 0, false
}

// hasArchived reports whether archived customers have records.
func (st *recordStats) hasArchived() bool { return len(st.archived) > 0 }
