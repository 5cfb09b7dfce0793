package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"carebook/crm"
)

// TestIndexMatchesBruteForce checks the chunked index against the plain definition (filter every
// summary with crm.MatchKey, order by name sort key then code) through many puts and removes,
// so that chunks split, shrink and disappear.
func TestIndexMatchesBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	cards := syntheticCustomers(3000, 5)
	ref := map[int64]entry{}
	mk := func(id int64, c *crm.Customer) entry {
		c.ID, c.Code = id, fmt.Sprintf("C%06d", id)
		c.Archived = r.IntN(10) == 0
		crm.NormalizeCustomer(c)
		return newEntry(c, crm.SearchKey(c), nameSortKey(c))
	}
	var es []entry
	for i := range 1500 {
		e := mk(int64(i+1), &cards[i])
		ref[e.sum.ID] = e
		es = append(es, e)
	}
	x := newIndex(slices.Clone(es))

	queries := []Query{{}, {Text: "z"}, {Text: "zh"}, {Text: "138"}, {Text: "王"}, {Text: "c0001"}, {Text: "xyz"},
		{Archived: true}, {Tier: crm.TierVIP}, {Tag: "VIP", Text: "l"}, {Text: "a", Archived: true}, {Text: "laowang"}}
	check := func(step string) {
		t.Helper()
		var all []entry
		for _, e := range ref {
			all = append(all, e)
		}
		slices.SortFunc(all, func(a, b entry) int {
			return strings.Compare(a.sort+"\x00"+a.sum.Code, b.sort+"\x00"+b.sum.Code)
		})
		for _, q := range queries {
			text := crm.NormalizeQuery(q.Text)
			// Field-prefix matches first, each group in list order.
			var want []string
			for _, prefix := range []bool{true, false} {
				for _, e := range all {
					s := e.sum
					if s.Archived == q.Archived && (q.Tier == "" || s.Tier == q.Tier) &&
						(q.Tag == "" || slices.Contains(s.Tags, q.Tag)) && crm.MatchKey(s.Key, text) &&
						crm.PrefixMatch(s.Key, text) == prefix {
						want = append(want, s.Code)
					}
				}
			}
			res, err := x.search(context.Background(), q, text, nil)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, s := range res.All() {
				got = append(got, s.Code)
				if s.Key != ref[s.ID].sum.Key || s.Name != ref[s.ID].sum.Name || s.Tier != ref[s.ID].sum.Tier {
					t.Fatalf("%s: summary %+v differs from %+v", step, s, ref[s.ID].sum)
				}
			}
			if !slices.Equal(got, want) {
				t.Fatalf("%s: search %+v: %d results, want %d", step, q, len(got), len(want))
			}
		}
		for _, c := range x.chunks {
			if len(c.sums) == 0 || len(c.sums) >= 2*chunkSize {
				t.Fatalf("%s: chunk of %d", step, len(c.sums))
			}
		}
	}
	check("built")
	next := 1500
	for round := range 6 {
		// An answer given before the writes keeps what it had (chunks are replaced, not changed).
		kept, err := x.search(context.Background(), Query{Text: "l"}, "l", nil)
		if err != nil {
			t.Fatal(err)
		}
		was := kept.All()
		for range 400 {
			switch r.IntN(4) {
			case 0: // a new customer
				e := mk(int64(next+1), &cards[next])
				next++
				ref[e.sum.ID] = e
				x.put(e)
			case 1: // an edit: another name
				id := int64(1 + r.IntN(next))
				if _, ok := ref[id]; !ok {
					continue
				}
				c := cards[r.IntN(len(cards))]
				e := mk(id, &c)
				ref[id] = e
				x.put(e)
			case 2: // a purge
				id := int64(1 + r.IntN(next))
				delete(ref, id)
				x.remove(id)
			case 3: // new tiers for a few customers, some in the same chunk
				var ids []int64
				tier := crm.Tiers[r.IntN(len(crm.Tiers))]
				for range 1 + r.IntN(20) {
					id := int64(1 + r.IntN(next))
					if e, ok := ref[id]; ok {
						e.sum.Tier = tier
						ref[id] = e
						ids = append(ids, id)
					}
				}
				x.update(ids, func(s *crm.Summary) { s.Tier = tier })
			}
		}
		if now := kept.All(); !reflect.DeepEqual(now, was) {
			t.Fatalf("round %d: an answer given before the writes changed", round)
		}
		check(fmt.Sprint("round ", round))
	}
	// Remove everything, then add one.
	for id := range ref {
		x.remove(id)
		delete(ref, id)
	}
	if len(x.chunks) != 0 {
		t.Fatalf("%d chunks left", len(x.chunks))
	}
	e := mk(99999, &cards[0])
	ref[e.sum.ID] = e
	x.put(e)
	check("emptied")
}
