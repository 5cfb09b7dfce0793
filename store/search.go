package store

import (
	"context"
	"fmt"
	"sort"

	"carebook/crm"
)

// Query selects customers for the customer list (crm.CustomerQuery): Text is matched against
// the search key (name, remark, code, phones, tags, pinyin and pinyin initials); Tier and Tag
// filter ("" = any); Archived picks archived customers instead of active ones.
type Query = crm.CustomerQuery

// TagCount is a tag and the number of active customers carrying it.
type TagCount struct {
	Tag   string
	Count int
}

// indexPut adds or replaces a customer in the index, if it is loaded.
func (s *Store) indexPut(e entry) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.idx != nil {
		s.idx.put(e)
	}
}

func (s *Store) indexSetArchived(id int64, archived bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.idx == nil {
		return
	}
	if e, ok := s.idx.get(id); ok {
		e.sum.Archived = archived
		s.idx.put(e)
	}
}

func (s *Store) indexRemove(id int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.idx != nil {
		s.idx.remove(id)
	}
}

func (s *Store) indexDrop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.idx = nil
}

// withIndex runs f on the loaded index under the read lock, loading it first if need be.
func (s *Store) withIndex(ctx context.Context, f func(*index) error) error {
	for {
		s.mu.RLock()
		if x := s.idx; x != nil {
			defer s.mu.RUnlock()
			return f(x)
		}
		s.mu.RUnlock()
		if err := s.loadIndex(ctx); err != nil {
			return err
		}
	}
}

// loadIndex reads every customer's summary. It holds writeMu so that no write commits between
// the snapshot it reads and the moment it installs the index.
func (s *Store) loadIndex(ctx context.Context) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	s.writeMu.onlyRead()
	s.mu.RLock()
	loaded := s.idx != nil
	s.mu.RUnlock()
	if loaded {
		return nil
	}
	x, err := s.readIndex(ctx)
	if err != nil {
		return fmt.Errorf("load customer list: %w", err)
	}
	s.mu.Lock()
	s.idx = x
	s.mu.Unlock()
	return nil
}

func (s *Store) readIndex(ctx context.Context) (*index, error) {
	tx, err := s.readTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()

	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM customers`).Scan(&n); err != nil {
		return nil, err
	}
	es := make([]entry, 0, n) // by id
	find := func(id int64) int {
		i := sort.Search(len(es), func(i int) bool { return es[i].sum.ID >= id })
		if i < len(es) && es[i].sum.ID == id {
			return i
		}
		return -1
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, code, name, remark, tier, archived_at IS NOT NULL, search_key, name_sort
		FROM customers ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var e entry
		var tier string
		if err := rows.Scan(&e.sum.ID, &e.sum.Code, &e.sum.Name, &e.sum.Remark, &tier, &e.sum.Archived,
			&e.sum.Key, &e.sort); err != nil {
			return nil, err
		}
		e.sum.Tier = crm.Tier(tier)
		es = append(es, e)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}

	rows, err = tx.QueryContext(ctx, `SELECT customer_id, e164 FROM customer_phones WHERE pos = 0 ORDER BY customer_id, pos`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var phone string
		if err := rows.Scan(&id, &phone); err != nil {
			return nil, err
		}
		if i := find(id); i >= 0 {
			es[i].sum.Phone = phone
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}

	// Tags come in primary-key order (customer, tag); each customer's are put back in pos order.
	// Equal tags share one string.
	rows, err = tx.QueryContext(ctx, `SELECT customer_id, pos, tag FROM customer_tags ORDER BY customer_id, tag`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	type posTag struct {
		pos int
		tag string
	}
	names := make(map[string]string)
	cur := -1 // index in es of the customer whose tags are being read
	var tags []posTag
	flush := func() {
		if cur < 0 || len(tags) == 0 {
			return
		}
		sort.Slice(tags, func(i, j int) bool { return tags[i].pos < tags[j].pos })
		list := make([]string, len(tags))
		for i, t := range tags {
			list[i] = t.tag
		}
		es[cur].sum.Tags = list
		tags = tags[:0]
	}
	var curID int64
	for rows.Next() {
		var id int64
		var pt posTag
		if err := rows.Scan(&id, &pt.pos, &pt.tag); err != nil {
			return nil, err
		}
		if cur < 0 || curID != id {
			flush()
			curID, cur = id, find(id)
		}
		if cur < 0 {
			continue
		}
		if name, ok := names[pt.tag]; ok {
			pt.tag = name
		} else {
			names[pt.tag] = pt.tag
		}
		tags = append(tags, pt)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	flush()
	return newIndex(es), nil
}

// SearchList returns the customers matching q in list order: by the pinyin of the display
// name, then code (or in q.Sort's order, equal ones in list order). The text is normalised
// (crm.NormalizeQuery) and matched with crm.MatchKey; the empty text matches everyone. A query
// that filters or sorts by the derived fields (q.UsesInsights) classifies the book on q.Day
// (zero: today), through the cache of Insights, and gives each summary its Insight.
//
// The answer copies no summary (the customer list shows a few of many thousands): it points into
// the search index, whose summaries a write replaces rather than changes.
func (s *Store) SearchList(ctx context.Context, q Query) (crm.SummaryList, error) {
	text := crm.NormalizeQuery(q.Text)
	var bi *BookInsights
	if q.UsesInsights() {
		day := q.Day
		if day.IsZero() {
			day = crm.DateOf(s.now())
		}
		var err error
		if bi, err = s.Insights(ctx, day); err != nil {
			return crm.SummaryList{}, fmt.Errorf("search customers: %w", err)
		}
	}
	var out crm.SummaryList
	err := s.withIndex(ctx, func(x *index) (err error) {
		out, err = x.search(ctx, q, text, bi)
		return err
	})
	if err != nil {
		return crm.SummaryList{}, fmt.Errorf("search customers: %w", err)
	}
	return out, nil
}

// Search is SearchList with every summary copied out: for callers that use them all. The
// summaries' Tags slices and Insights are shared and must not be modified.
func (s *Store) Search(ctx context.Context, q Query) ([]crm.Summary, error) {
	l, err := s.SearchList(ctx, q)
	if err != nil {
		return nil, err
	}
	return l.All(), nil
}

// Tags returns the tags of active customers with how many carry each, ordered by the pinyin of
// the tag.
func (s *Store) Tags(ctx context.Context) ([]TagCount, error) {
	counts := make(map[string]int)
	err := s.withIndex(ctx, func(x *index) error {
		x.all(func(s *crm.Summary) {
			if !s.Archived {
				for _, t := range s.Tags {
					counts[t]++
				}
			}
		})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list tags: %w", err)
	}
	type keyed struct {
		TagCount
		key string
	}
	ks := make([]keyed, 0, len(counts))
	for t, n := range counts {
		full, _ := crm.Pinyin(t)
		ks = append(ks, keyed{TagCount{t, n}, full})
	}
	sort.Slice(ks, func(i, j int) bool {
		if ks[i].key != ks[j].key {
			return ks[i].key < ks[j].key
		}
		return ks[i].Tag < ks[j].Tag
	})
	out := make([]TagCount, len(ks))
	for i, k := range ks {
		out[i] = k.TagCount
	}
	return out, nil
}

// TagNames returns the tags of active customers, as Tags orders them.
func (s *Store) TagNames(ctx context.Context) ([]string, error) {
	tcs, err := s.Tags(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(tcs))
	for i, tc := range tcs {
		out[i] = tc.Tag
	}
	return out, nil
}
