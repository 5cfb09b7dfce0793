package store

import (
	"cmp"
	"context"
	"math"
	"slices"
	"sort"
	"strings"

	"carebook/crm"
)

// The customer list searches an in-memory index of every customer's crm.Summary, in list order
// (name sort key, then code). A keystroke must cost well under 20 ms at 100,000 customers, so
// the search keys are not scattered over the heap: the index is cut into chunks of a few
// hundred customers, and each chunk keeps its customers' keys back to back in one string (the
// summaries' Key fields point into it). A query is then a handful of strings.Index calls over
// contiguous memory, and only the customers it hits are looked at.
//
// A chunk is never changed once it is in the index: a write replaces the one chunk it touches
// with a changed copy. A search's answer (crm.SummaryList) can then point at the summaries it
// found instead of copying them, and keeps its answer whatever is written after.

// keySep ends every key in a chunk's blob. crm.NormalizeQuery drops control characters, so a
// query never contains it and a match never spans two customers.
const keySep = '\x01'

// chunkSize is the number of customers per chunk; a chunk is split when it doubles.
const chunkSize = 512

// entry is one customer as the index receives it.
type entry struct {
	sum  crm.Summary
	sort string // name_sort
}

func newEntry(c *crm.Customer, key, sortKey string) entry {
	var phone string
	if len(c.Phones) > 0 {
		phone = c.Phones[0]
	}
	return entry{sort: sortKey, sum: crm.Summary{
		ID: c.ID, Code: c.Code, Name: c.Name, Remark: c.Remark, Phone: phone, Tier: c.Tier,
		Tags: slices.Clip(slices.Clone(c.Tags)), Archived: c.Archived, Key: key,
	}}
}

// place is where a customer sorts: its name sort key, then its code (unique).
type place struct{ sort, code string }

func (a place) less(b place) bool {
	if a.sort != b.sort {
		return a.sort < b.sort
	}
	return a.code < b.code
}

// chunk is a run of customers in list order. Once in the index, it is read only: searches hand
// out pointers to its summaries.
type chunk struct {
	sums  []crm.Summary // list order
	sorts []string
	blob  string  // every sums[i].Key followed by keySep
	ends  []int32 // ends[i]: offset in blob of the keySep after sums[i].Key
}

func (c *chunk) place(i int) place { return place{c.sorts[i], c.sums[i].Code} }

func (c *chunk) last() place { return c.place(len(c.sums) - 1) }

// position returns where p sorts in c.
func (c *chunk) position(p place) int {
	return sort.Search(len(c.sums), func(i int) bool { return !c.place(i).less(p) })
}

// edited returns a new chunk of sums and sorts (which it keeps), its keys laid out.
func edited(sums []crm.Summary, sorts []string) *chunk {
	c := &chunk{sums: sums, sorts: sorts}
	c.rebuild()
	return c
}

// rebuild lays the keys out in blob again and points the summaries' keys into it; only for a
// chunk not in the index yet.
func (c *chunk) rebuild() {
	n := 0
	for i := range c.sums {
		n += len(c.sums[i].Key) + 1
	}
	var b strings.Builder
	b.Grow(n)
	ends := make([]int32, len(c.sums))
	for i := range c.sums {
		b.WriteString(c.sums[i].Key)
		ends[i] = int32(b.Len())
		b.WriteByte(keySep)
	}
	c.blob, c.ends = b.String(), ends
	start := 0
	for i := range c.sums {
		c.sums[i].Key = c.blob[start:ends[i]]
		start = int(ends[i]) + 1
	}
}

type index struct {
	chunks []*chunk
	places map[int64]place // where each customer sorts, to find it by id
}

// newIndex builds the index of es (in any order).
func newIndex(es []entry) *index {
	order := make([]int32, len(es)) // sorting indexes moves 4 bytes, not a whole entry
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int {
		pa, pb := place{es[a].sort, es[a].sum.Code}, place{es[b].sort, es[b].sum.Code}
		switch {
		case pa.less(pb):
			return -1
		case pb.less(pa):
			return 1
		}
		return 0
	})
	x := &index{places: make(map[int64]place, len(es))}
	for start := 0; start < len(order); start += chunkSize {
		part := order[start:min(start+chunkSize, len(order))]
		c := &chunk{sums: make([]crm.Summary, len(part)), sorts: make([]string, len(part))}
		for i, k := range part {
			e := &es[k]
			c.sums[i], c.sorts[i] = e.sum, e.sort
			x.places[e.sum.ID] = place{e.sort, e.sum.Code}
		}
		c.rebuild()
		x.chunks = append(x.chunks, c)
	}
	return x
}

// find returns the chunk where p is or would go (the first whose last customer does not sort
// before p, else the last chunk) and the position in it; -1 when the index is empty.
func (x *index) find(p place) (int, int) {
	if len(x.chunks) == 0 {
		return -1, 0
	}
	ci := sort.Search(len(x.chunks), func(i int) bool { return !x.chunks[i].last().less(p) })
	ci = min(ci, len(x.chunks)-1)
	return ci, x.chunks[ci].position(p)
}

// get returns the summary of customer id.
func (x *index) get(id int64) (entry, bool) {
	ci, i, ok := x.at(id)
	if !ok {
		return entry{}, false
	}
	c := x.chunks[ci]
	return entry{sum: c.sums[i], sort: c.sorts[i]}, true
}

// at returns the chunk and position of customer id, or false.
func (x *index) at(id int64) (ci, i int, ok bool) {
	p, ok := x.places[id]
	if !ok {
		return 0, 0, false
	}
	ci, i = x.find(p)
	if ci < 0 || i >= len(x.chunks[ci].sums) || x.chunks[ci].sums[i].ID != id {
		return 0, 0, false
	}
	return ci, i, true
}

func (x *index) remove(id int64) {
	ci, i, ok := x.at(id)
	delete(x.places, id)
	if !ok {
		return
	}
	c := x.chunks[ci]
	if len(c.sums) == 1 {
		x.chunks = slices.Delete(x.chunks, ci, ci+1)
		return
	}
	x.chunks[ci] = edited(slices.Delete(slices.Clone(c.sums), i, i+1), slices.Delete(slices.Clone(c.sorts), i, i+1))
}

func (x *index) put(e entry) {
	x.remove(e.sum.ID)
	p := place{e.sort, e.sum.Code}
	x.places[e.sum.ID] = p
	ci, i := x.find(p)
	if ci < 0 {
		x.chunks = []*chunk{edited([]crm.Summary{e.sum}, []string{e.sort})}
		return
	}
	c := x.chunks[ci]
	sums := slices.Insert(slices.Clone(c.sums), i, e.sum)
	sorts := slices.Insert(slices.Clone(c.sorts), i, e.sort)
	if len(sums) < 2*chunkSize {
		x.chunks[ci] = edited(sums, sorts)
		return
	}
	half := len(sums) / 2
	x.chunks[ci] = edited(slices.Clip(sums[:half]), slices.Clip(sorts[:half]))
	x.chunks = slices.Insert(x.chunks, ci+1, edited(sums[half:], sorts[half:]))
}

// search returns the summaries matching q, whose text is already normalised, in list order (or
// q.Sort's). It gives the same answer as filtering every summary with crm.MatchKey(sum.Key,
// text). bi is the classification of q.Day when q uses it (nil otherwise): each result gets its
// insight, and the filters on the derived fields keep only classified customers that pass.
//
// The answer points into the index's chunks (read only) and copies no summary.
func (x *index) search(ctx context.Context, q Query, text string, bi *BookInsights) (crm.SummaryList, error) {
	filtered := q.Stage != "" || q.Churn != "" || q.Segment != "" || q.Suggested != ""
	// hits are the matches where the text starts a field of the key (name, initials, phone…),
	// inner those where it only occurs inside one: the list shows hits first, then inner, each
	// in list order (typing "zs" shows 张三 before 赵思彤).
	var hits, inner []crm.SummaryRef
	if text == "" && q.Tier == "" && q.Tag == "" && !filtered {
		hits = make([]crm.SummaryRef, 0, len(x.places))
	}
	keep := func(s *crm.Summary, prefix bool) {
		if s.Archived != q.Archived || (q.Tier != "" && s.Tier != q.Tier) || (q.Tag != "" && !slices.Contains(s.Tags, q.Tag)) {
			return
		}
		var in *crm.Insight
		if bi != nil {
			in = bi.insight(s.ID)
			if filtered && (in == nil || !q.MatchesInsight(in)) {
				return
			}
		}
		if prefix {
			hits = append(hits, crm.SummaryRef{Sum: s, Insight: in})
		} else {
			inner = append(inner, crm.SummaryRef{Sum: s, Insight: in})
		}
	}
	scan := text == "" || strings.IndexByte(text, keySep) >= 0 // (the latter never happens)
	fieldStart := "\x00" + text                                // the text at the start of a field but the first
	for ci, c := range x.chunks {
		if ci%64 == 0 {
			if err := ctx.Err(); err != nil {
				return crm.SummaryList{}, err
			}
		}
		if scan {
			for i := range c.sums {
				if s := &c.sums[i]; crm.MatchKey(s.Key, text) {
					keep(s, crm.PrefixMatch(s.Key, text))
				}
			}
			continue
		}
		// One pass over the chunk's keys: each match is followed to the end of its key, where the
		// next search starts. Whether the text starts a field is told by what precedes the first
		// match, or else by a field start later in the same key (as crm.PrefixMatch tells it).
		i := 0
		for off := 0; off < len(c.blob); {
			j := strings.Index(c.blob[off:], text)
			if j < 0 {
				break
			}
			at := off + j
			for int(c.ends[i]) < at {
				i++
			}
			start := 0
			if i > 0 {
				start = int(c.ends[i-1]) + 1
			}
			end := int(c.ends[i])
			prefix := at == start || c.blob[at-1] == 0 || strings.Contains(c.blob[at:end], fieldStart)
			keep(&c.sums[i], prefix)
			off = end + 1
			i++
		}
	}
	hits = append(hits, inner...)
	if q.Sort != crm.SortName {
		hits = sortByInsight(hits, q.Sort)
	}
	return crm.NewSummaryList(hits), nil
}

// sortByInsight orders hits by o's key of their insights, stably; those without a key go last.
func sortByInsight(hits []crm.SummaryRef, o crm.CustomerSort) []crm.SummaryRef {
	type keyed struct {
		key int64
		at  int32 // position in hits
	}
	keys := make([]keyed, len(hits))
	for i := range hits {
		key, ok := o.SortKey(hits[i].Insight)
		if !ok {
			key = math.MaxInt64
		}
		keys[i] = keyed{key, int32(i)}
	}
	slices.SortFunc(keys, func(a, b keyed) int {
		if c := cmp.Compare(a.key, b.key); c != 0 {
			return c
		}
		return cmp.Compare(a.at, b.at)
	})
	sorted := make([]crm.SummaryRef, len(hits))
	for i, k := range keys {
		sorted[i] = hits[k.at]
	}
	return sorted
}

// all calls f with every summary, in list order.
func (x *index) all(f func(*crm.Summary)) {
	for _, c := range x.chunks {
		for i := range c.sums {
			f(&c.sums[i])
		}
	}
}

// update changes fields of the summaries of customers ids that neither their place nor their
// key depends on (the tier), in a copy of each chunk they are in (one copy per chunk, however
// many of its customers change): answers already given keep what they had.
func (x *index) update(ids []int64, f func(*crm.Summary)) {
	copied := make(map[int]bool)
	for _, id := range ids {
		ci, i, ok := x.at(id)
		if !ok {
			continue
		}
		if !copied[ci] {
			c := x.chunks[ci]
			x.chunks[ci] = &chunk{sums: slices.Clone(c.sums), sorts: c.sorts, blob: c.blob, ends: c.ends}
			copied[ci] = true
		}
		f(&x.chunks[ci].sums[i])
	}
}
