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
// contiguous memory, and only the customers it hits are looked at. A write rebuilds the one
// chunk it touches.

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

type chunk struct {
	sums  []crm.Summary // list order; never shared with callers (they get copies)
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

// rebuild lays the keys out in blob again and points the summaries' keys into it.
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
	p, ok := x.places[id]
	if !ok {
		return entry{}, false
	}
	ci, i := x.find(p)
	if ci < 0 || i >= len(x.chunks[ci].sums) || x.chunks[ci].sums[i].ID != id {
		return entry{}, false
	}
	c := x.chunks[ci]
	return entry{sum: c.sums[i], sort: c.sorts[i]}, true
}

func (x *index) remove(id int64) {
	p, ok := x.places[id]
	if !ok {
		return
	}
	delete(x.places, id)
	ci, i := x.find(p)
	if ci < 0 || i >= len(x.chunks[ci].sums) || x.chunks[ci].sums[i].ID != id {
		return
	}
	c := x.chunks[ci]
	c.sums = slices.Delete(c.sums, i, i+1)
	c.sorts = slices.Delete(c.sorts, i, i+1)
	if len(c.sums) == 0 {
		x.chunks = slices.Delete(x.chunks, ci, ci+1)
		return
	}
	c.rebuild()
}

func (x *index) put(e entry) {
	x.remove(e.sum.ID)
	p := place{e.sort, e.sum.Code}
	x.places[e.sum.ID] = p
	ci, i := x.find(p)
	if ci < 0 {
		c := &chunk{sums: []crm.Summary{e.sum}, sorts: []string{e.sort}}
		c.rebuild()
		x.chunks = []*chunk{c}
		return
	}
	c := x.chunks[ci]
	c.sums = slices.Insert(c.sums, i, e.sum)
	c.sorts = slices.Insert(c.sorts, i, e.sort)
	if len(c.sums) < 2*chunkSize {
		c.rebuild()
		return
	}
	half := len(c.sums) / 2
	d := &chunk{sums: slices.Clone(c.sums[half:]), sorts: slices.Clone(c.sorts[half:])}
	c.sums, c.sorts = slices.Clip(c.sums[:half]), slices.Clip(c.sorts[:half])
	c.rebuild()
	d.rebuild()
	x.chunks = slices.Insert(x.chunks, ci+1, d)
}

// search returns the summaries matching q, whose text is already normalised, in list order (or
// q.Sort's). It gives the same answer as filtering every summary with crm.MatchKey(sum.Key,
// text). bi is the classification of q.Day when q uses it (nil otherwise): each result gets its
// insight, and the filters on the derived fields keep only classified customers that pass.
//
// The hits are gathered as pointers into the index, ranked and sorted as such, and copied once;
// when they need neither (no text, list order), they are copied as they come.
func (x *index) search(ctx context.Context, q Query, text string, bi *BookInsights) ([]crm.Summary, error) {
	filtered := q.Stage != "" || q.Churn != "" || q.Segment != "" || q.Suggested != ""
	direct := text == "" && q.Sort == crm.SortName
	var hits []hit
	var out []crm.Summary
	if text == "" && q.Tier == "" && q.Tag == "" && !filtered {
		if direct {
			out = make([]crm.Summary, 0, len(x.places))
		} else {
			hits = make([]hit, 0, len(x.places))
		}
	}
	keep := func(s *crm.Summary) {
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
		if direct {
			out = append(out, *s)
			out[len(out)-1].Insight = in
			return
		}
		hits = append(hits, hit{s, in})
	}
	scan := text == "" || strings.IndexByte(text, keySep) >= 0 // (the latter never happens)
	for ci, c := range x.chunks {
		if ci%64 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		if scan {
			for i := range c.sums {
				if s := &c.sums[i]; crm.MatchKey(s.Key, text) {
					keep(s)
				}
			}
			continue
		}
		i := 0
		for off := 0; off < len(c.blob); {
			j := strings.Index(c.blob[off:], text)
			if j < 0 {
				break
			}
			for int(c.ends[i]) < off+j {
				i++
			}
			keep(&c.sums[i])
			off = int(c.ends[i]) + 1
			i++
		}
	}
	if direct {
		return out, nil
	}
	hits = rankPrefixFirst(hits, text)
	if q.Sort != crm.SortName {
		hits = sortByInsight(hits, q.Sort)
	}
	out = make([]crm.Summary, len(hits))
	for i, h := range hits {
		out[i] = *h.sum
		out[i].Insight = h.in
	}
	return out, nil
}

// hit is a summary a search found (in the index) and its insight.
type hit struct {
	sum *crm.Summary
	in  *crm.Insight
}

// sortByInsight orders hits by o's key of their insights, stably; those without a key go last.
func sortByInsight(hits []hit, o crm.CustomerSort) []hit {
	type keyed struct {
		key int64
		at  int32 // position in hits
	}
	keys := make([]keyed, len(hits))
	for i := range hits {
		key, ok := o.SortKey(hits[i].in)
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
	sorted := make([]hit, len(hits))
	for i, k := range keys {
		sorted[i] = hits[k.at]
	}
	return sorted
}

// rankPrefixFirst moves the hits where the query starts a field (name, initials, phone…) before
// those where it only occurs inside one, keeping list order within each group: typing "zs"
// shows 张三 before 赵思彤.
func rankPrefixFirst(hits []hit, text string) []hit {
	if text == "" {
		return hits
	}
	ranked := make([]hit, 0, len(hits))
	var inner []hit
	for _, h := range hits {
		if crm.PrefixMatch(h.sum.Key, text) {
			ranked = append(ranked, h)
		} else {
			inner = append(inner, h)
		}
	}
	return append(ranked, inner...)
}

// all calls f with every summary, in list order.
func (x *index) all(f func(*crm.Summary)) {
	for _, c := range x.chunks {
		for i := range c.sums {
			f(&c.sums[i])
		}
	}
}

// update changes, in place, fields of customer id's summary that neither its place nor its key
// depends on (the tier); callers hold copies, so they see the change at their next search.
func (x *index) update(id int64, f func(*crm.Summary)) {
	p, ok := x.places[id]
	if !ok {
		return
	}
	ci, i := x.find(p)
	if ci < 0 || i >= len(x.chunks[ci].sums) || x.chunks[ci].sums[i].ID != id {
		return
	}
	f(&x.chunks[ci].sums[i])
}
