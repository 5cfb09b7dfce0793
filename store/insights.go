package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"

	"carebook/crm"
)

// BookInsights is the whole book classified on a day (PRODUCT.md §2): every active customer
// created on or before the day, its purchase history summed up as of the end of the day, and
// what crm.Classify derives from it. IDs, Stats and Classification.Insights are parallel, in
// customer id order.
//
// Insights hands out the same BookInsights to every caller until the book changes: it is read
// only.
type BookInsights struct {
	Date           crm.Date
	IDs            []int64
	Stats          []crm.CustomerStats
	Classification crm.Classification

	// pos[id] is 1 + the position of customer id in IDs (0: not there), while ids are dense
	// enough (rowids: they are); nil otherwise, and IDs are searched.
	pos []int32
}

// newBookInsights classifies stats (of customers ids, ascending) on day d.
func newBookInsights(d crm.Date, ps crm.PlanSettings, ids []int64, stats []crm.CustomerStats) *BookInsights {
	b := &BookInsights{Date: d, IDs: ids, Stats: stats, Classification: crm.Classify(d, ps, stats)}
	if n := len(ids); n > 0 && ids[0] > 0 && ids[n-1] < int64(4*n+1024) {
		b.pos = make([]int32, ids[n-1]+1)
		for i, id := range ids {
			b.pos[id] = int32(i + 1)
		}
	}
	return b
}

// find returns the position of customer id in b.IDs.
func (b *BookInsights) find(id int64) (int, bool) {
	if b.pos != nil {
		if id < 0 || id >= int64(len(b.pos)) || b.pos[id] == 0 {
			return 0, false
		}
		return int(b.pos[id] - 1), true
	}
	return slices.BinarySearch(b.IDs, id)
}

// Insight returns the insight of customer id, and whether the customer is in the book's
// classification (an archived customer, or one created after the day, is not).
func (b *BookInsights) Insight(id int64) (crm.Insight, bool) {
	if i, ok := b.find(id); ok {
		return b.Classification.Insights[i], true
	}
	return crm.Insight{}, false
}

// insight is Insight without the copy: a pointer into the classification, nil when the
// customer is not in it.
func (b *BookInsights) insight(id int64) *crm.Insight {
	if i, ok := b.find(id); ok {
		return &b.Classification.Insights[i]
	}
	return nil
}

// Stat returns the purchase history of customer id summed up as of the day, and whether the
// customer is in the classification.
func (b *BookInsights) Stat(id int64) (crm.CustomerStats, bool) {
	if i, ok := b.find(id); ok {
		return b.Stats[i], true
	}
	return crm.CustomerStats{}, false
}

// The classification of a day reads every purchase of the book (half a second at a million),
// and the customer list filters and sorts by it at every keystroke: it is cached, per day, until
// the book changes.
//
// "Changes" is told by writeMu, the lock every write method holds from before its transaction
// to after the updates of memory that follow the commit: unlocking it moves the book's
// generation on, unless the holder said that what it did cannot change a classification
// (keepInsights: records, snoozes, templates, an edit of a card that keeps its tier, code and
// creation day, a read under the lock). So every write path, those to come included, drops the
// cache unless it is known not to matter. A classification is read in a transaction whose
// snapshot is taken while holding writeMu, with the generation of that moment: it describes
// exactly that generation, and is the answer only for it.
//
// The common writes (a purchase saved or deleted, a card saved, archived, restored or purged)
// change what the classification reads of one or two customers only, and the first card opened
// after one must not wait for the whole book to be read again (PRODUCT.md §8). Such a holder
// says which customers (touch), and Unlock records, for the generation it moves to, those
// customers, or "everything" when the holder touched none (the default: every write path not
// converted, those to come included) or too many; the log keeps the last insightLogGens
// generations, and a generation moved on outside it (insightsChanged) is "everything" too.
// When a day's classification is cached at an older generation and every generation since is
// in the log with its customers, Insights re-reads just those customers, in a transaction whose
// snapshot is taken under writeMu as above, and merges them into a copy of the old
// classification (BookInsights.updated); otherwise it reads the whole book. A holder touches
// only when the customers it names are the whole of what its write changes, and only in the
// write method itself, never in a helper that an unconverted write (import, bulk) shares.
// Touching outweighs keepInsights (a holder that both keeps and touches changed the customers
// it touched), never the other way round.

// insightLogGens is how many generations the log of touched customers covers: a
// classification cached before them is read again whole.
const insightLogGens = 64

// insightDeltaMax is the most customers an update of a cached classification re-reads (the
// union over the generations it spans); beyond it the whole book is read again.
const insightDeltaMax = 2000

// writeLock is Store.writeMu: a mutex whose Unlock moves the book's generation on.
type writeLock struct {
	mu      sync.Mutex
	keep    bool    // the holder's write leaves the classifications as they are; guarded by mu
	touched []int64 // the customers the holder's write changes, when it said so; guarded by mu
	// log[g % insightLogGens] is what moved the book to generation g, for the last
	// insightLogGens generations; guarded by mu.
	log [insightLogGens]genChange
	gen atomic.Uint64
	// read says the holder only read (onlyRead); guarded by mu.
	read bool
	// writes moves on at every Unlock but a reader's: it tells that the book changed, whatever
	// changed (Store.Changes).
	writes atomic.Uint64
}

// genChange is what moved the book to generation gen: a write that changed the classification
// inputs of customers ids only (distinct, ascending), or, when ids is nil, of anyone.
type genChange struct {
	gen uint64
	ids []int64
}

func (l *writeLock) Lock() { l.mu.Lock() }

// Unlock moves the generation on, and logs what moved it (see touch), unless the holder kept
// the classifications and touched no one.
func (l *writeLock) Unlock() {
	switch n := len(l.touched); {
	case n == 0 && l.keep: // the generation stays
	case n == 0 || n > insightDeltaMax:
		g := l.gen.Add(1)
		l.log[g%insightLogGens] = genChange{gen: g} // everything may have changed
	default:
		slices.Sort(l.touched)
		g := l.gen.Add(1)
		l.log[g%insightLogGens] = genChange{gen: g, ids: slices.Compact(l.touched)}
	}
	if !l.read {
		l.writes.Add(1)
	}
	l.keep, l.touched, l.read = false, nil, false
	l.mu.Unlock()
}

// onlyRead says, while holding the lock, that the holder writes nothing: its Unlock moves
// neither the generation nor the count of writes.
func (l *writeLock) onlyRead() { l.keep, l.read = true, true }

// keepInsights says, while holding the lock, that what the holder writes changes no
// customer's classification (nor which customers are classified), so that its Unlock keeps
// the cached ones.
func (l *writeLock) keepInsights() { l.keep = true }

// touch says, while holding the lock, that what the holder writes changes the classification
// inputs (purchases, tier, code, creation day, archived, existence) of customers ids and of
// nobody else, so that its Unlock lets the cached classifications be updated rather than read
// again. It may be called more than once; touching no id says nothing (without keepInsights,
// the write is taken to change everything).
func (l *writeLock) touch(ids ...int64) { l.touched = append(l.touched, ids...) }

// changedSince returns the customers whose classification inputs changed from generation from
// to generation to (distinct, ascending), and false when that is not known: a generation
// older than the log, one that may have changed everything, or more than insightDeltaMax
// customers. The caller holds the lock.
func (l *writeLock) changedSince(from, to uint64) ([]int64, bool) {
	if from > to || to-from > insightLogGens {
		return nil, false
	}
	ids := []int64{} // not nil: none changed is known too
	for g := from + 1; g <= to; g++ {
		c := l.log[g%insightLogGens]
		if c.gen != g || c.ids == nil {
			return nil, false
		}
		ids = append(ids, c.ids...)
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	if len(ids) > insightDeltaMax {
		return nil, false
	}
	return ids, true
}

// insightCacheDays is how many days' classifications are kept (today, and a day or two the
// Insights screen or the export looks at): about 15 MB each at 100,000 customers.
const insightCacheDays = 3

type insightCache struct {
	mu sync.Mutex
	// entries are the latest classification read of each day, most recently used first: those
	// of the current generation are answers, the older ones the bases of updates.
	entries []insightEntry
	// fill lets one classification be read at a time: callers asking for the same day wait
	// for it rather than reading it again.
	fill sync.Mutex
	// fullReads counts the classifications read from the whole book (not updated from a cached
	// one): tests tell by it which way Insights went. Guarded by fill.
	fullReads int
	// reclassified counts the answers of CustomerInsight given by crm's Reclassify (tests).
	reclassified atomic.Int64
}

type insightEntry struct {
	gen uint64
	bi  *BookInsights
}

// cached returns the classification of day d for generation gen, if it is cached.
func (c *insightCache) cached(d crm.Date, gen uint64) *BookInsights {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, e := range c.entries {
		if e.bi.Date == d && e.gen == gen {
			copy(c.entries[1:i+1], c.entries[:i])
			c.entries[0] = e
			return e.bi
		}
	}
	return nil
}

// latest returns the classification of day d cached for any generation, and that generation
// (nil when there is none).
func (c *insightCache) latest(d crm.Date) (*BookInsights, uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, e := range c.entries {
		if e.bi.Date == d {
			return e.bi, e.gen
		}
	}
	return nil, 0
}

// put keeps bi, read at generation gen, in place of the day's older one; the entries of the
// other days stay (of whichever generation: an older one may still be updated), up to
// insightCacheDays in all.
func (c *insightCache) put(gen uint64, bi *BookInsights) {
	c.mu.Lock()
	defer c.mu.Unlock()
	kept := c.entries[:0]
	for _, e := range c.entries {
		if e.bi.Date != bi.Date && len(kept) < insightCacheDays-1 {
			kept = append(kept, e)
		}
	}
	clear(c.entries[len(kept):])
	c.entries = append([]insightEntry{{gen, bi}}, kept...)
}

// Changes is a count that moves on with every write to the book (after its commit): a screen
// that remembers it with what it read knows whether to read again.
func (s *Store) Changes() uint64 { return s.writeMu.writes.Load() }

// insightsChanged drops the cached classifications (tests and benchmarks; the write methods
// go through writeMu): the generation it moves to is not in writeMu's log, so the next
// Insights of every day reads the whole book.
func (s *Store) insightsChanged() { s.writeMu.gen.Add(1) }

// Insights classifies the whole book on day d (crm.Classify with the book's churn settings).
// The answer is cached until the book changes, and shared: it must not be modified. After a
// write that changed a few customers only (see writeLock), the cached classification of an
// older generation is updated with them rather than read again.
func (s *Store) Insights(ctx context.Context, d crm.Date) (*BookInsights, error) {
	if d.IsZero() {
		return nil, fmt.Errorf("insights: no day")
	}
	if bi := s.ic.cached(d, s.writeMu.gen.Load()); bi != nil {
		return bi, nil
	}
	s.ic.fill.Lock()
	defer s.ic.fill.Unlock()
	if bi := s.ic.cached(d, s.writeMu.gen.Load()); bi != nil {
		return bi, nil // read by the caller this one waited for
	}
	base, baseGen := s.ic.latest(d)
	gen, bi, err := s.readInsights(ctx, d, base, baseGen)
	if err != nil {
		return nil, fmt.Errorf("insights: %w", err)
	}
	s.ic.put(gen, bi)
	return bi, nil
}

// readInsights classifies the book on day d, and returns the generation it describes. base,
// when not nil, is the classification of day d at generation baseGen: when writeMu's log tells
// which few customers changed since, just those are read, and merged into a copy of base;
// otherwise the whole book is read. The caller holds ic.fill.
func (s *Store) readInsights(ctx context.Context, d crm.Date, base *BookInsights, baseGen uint64) (uint64, *BookInsights, error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return 0, nil, err
	}
	defer conn.Close()
	// The snapshot of a read transaction is taken by its first read: under writeMu, so that no
	// write is between its commit and its move of the generation, and the customers changed
	// since baseGen are exactly those the log names up to the snapshot's generation.
	s.writeMu.Lock()
	gen := s.writeMu.gen.Load()
	var changed []int64
	delta := false
	if base != nil {
		changed, delta = s.writeMu.changedSince(baseGen, gen)
	}
	tx, err := conn.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	var ps crm.PlanSettings
	if err == nil {
		defer tx.Rollback()
		ps, err = planSettingsOn(ctx, conn)
	}
	s.writeMu.onlyRead()
	s.writeMu.Unlock()
	if err != nil {
		return 0, nil, err
	}
	if delta {
		ids, stats, err := customerStats(ctx, conn, d, changed)
		if err != nil {
			return 0, nil, err
		}
		return gen, base.updated(ps, changed, ids, stats), nil
	}
	s.ic.fullReads++
	ids, stats, err := customerStats(ctx, conn, d, nil)
	if err != nil {
		return 0, nil, err
	}
	return gen, newBookInsights(d, ps, ids, stats), nil
}

// updated returns the classification of b's day with ps and with what b had of customers
// changed (distinct, ascending) replaced by ids and stats, their classification inputs read
// again (ascending; a subset of changed: those still classified on the day). Every customer
// is classified again (the means and the Pareto ranking are the whole book's). b is not
// modified: it is shared.
func (b *BookInsights) updated(ps crm.PlanSettings, changed, ids []int64, stats []crm.CustomerStats) *BookInsights {
	outIDs := make([]int64, 0, len(b.IDs)+len(ids))
	outStats := make([]crm.CustomerStats, 0, len(b.IDs)+len(ids))
	i, j := 0, 0 // the next customer of b, of ids
	for i < len(b.IDs) || j < len(ids) {
		if j < len(ids) && (i == len(b.IDs) || ids[j] <= b.IDs[i]) {
			if i < len(b.IDs) && b.IDs[i] == ids[j] {
				i++ // read again
			}
			outIDs, outStats = append(outIDs, ids[j]), append(outStats, stats[j])
			j++
			continue
		}
		if _, gone := slices.BinarySearch(changed, b.IDs[i]); !gone {
			outIDs, outStats = append(outIDs, b.IDs[i]), append(outStats, b.Stats[i])
		}
		i++
	}
	return newBookInsights(b.Date, ps, outIDs, outStats)
}

// planSettingsOn reads the planner's settings on conn (in its transaction).
func planSettingsOn(ctx context.Context, conn *sql.Conn) (crm.PlanSettings, error) {
	v := map[string]string{}
	err := rawQuery(ctx, conn, `SELECT key, value FROM settings WHERE key LIKE 'plan.%'`, nil, func(r []driver.Value) error {
		k, _ := r[0].(string)
		val, _ := r[1].(string)
		v[k] = val
		return nil
	})
	if err != nil {
		return crm.PlanSettings{}, fmt.Errorf("read plan settings: %w", err)
	}
	return crm.ParsePlanSettings(v), nil
}

// CustomerStats sums up, for every active customer created on or before d, the purchases dated
// on or before d: their number, first and last date, and the number and amount of those dated
// in (d − crm.RFMDays, d]. In customer id order.
func (s *Store) CustomerStats(ctx context.Context, d crm.Date) ([]int64, []crm.CustomerStats, error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("customer stats: %w", err)
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, nil, fmt.Errorf("customer stats: %w", err)
	}
	defer tx.Rollback()
	ids, stats, err := customerStats(ctx, conn, d, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("customer stats: %w", err)
	}
	return ids, stats, nil
}

// customerStats reads, in the transaction open on conn, the customers from plan_state (narrow
// rows), then their purchases summed up by one pass over purchases_customer_date, which holds
// every column the sums need (schema 4), both in customer id order, and merges them. With only
// not nil, it reads just the customers of only (those of them that are classified on d), by
// look-ups of the same index.
func customerStats(ctx context.Context, conn *sql.Conn, d crm.Date, only []int64) ([]int64, []crm.CustomerStats, error) {
	custArgs := []any{unixDayOf(d)}
	purchaseArgs := []any{d.String(), d.AddDays(-crm.RFMDays).String()}
	custOnly, purchaseOnly := "", ""
	if only != nil {
		list, err := jsonList(only)
		if err != nil {
			return nil, nil, fmt.Errorf("customers: %w", err)
		}
		custOnly, purchaseOnly = ` AND customer_id IN (SELECT value FROM json_each(?2))`, ` AND customer_id IN (SELECT value FROM json_each(?3))`
		custArgs, purchaseArgs = append(custArgs, list), append(purchaseArgs, list)
	}
	var ids []int64
	var stats []crm.CustomerStats
	err := rawQuery(ctx, conn, `SELECT customer_id, code, tier FROM plan_state
		WHERE archived = 0 AND created <= ?1`+custOnly+` ORDER BY customer_id`, custArgs, func(v []driver.Value) error {
		st := crm.CustomerStats{ID: rawInt(v[0]), Tier: crm.TierSmall}
		st.Code, _ = v[1].(string)
		if r := rawInt(v[2]); r >= 0 && int(r) < len(crm.Tiers) {
			st.Tier = crm.Tiers[r]
		}
		ids = append(ids, st.ID)
		stats = append(stats, st)
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("customers: %w", err)
	}
	i := 0 // the first customer of stats whose id may come next
	err = rawQuery(ctx, conn, `SELECT customer_id, count(*), min(date), max(date),
			count(*) FILTER (WHERE date > ?2), coalesce(sum(amount_fen) FILTER (WHERE date > ?2), 0)
		FROM purchases INDEXED BY purchases_customer_date
		WHERE date <= ?1`+purchaseOnly+` GROUP BY customer_id ORDER BY customer_id`,
		purchaseArgs, func(v []driver.Value) error {
			id := rawInt(v[0])
			for i < len(ids) && ids[i] < id {
				i++
			}
			if i == len(ids) || ids[i] != id {
				return nil // archived, or created after d
			}
			st := &stats[i]
			var err error
			if st.FirstPurchase, err = storedDay(v[2]); err != nil {
				return fmt.Errorf("customer %d: first purchase: %w", id, err)
			}
			if st.LastPurchase, err = storedDay(v[3]); err != nil {
				return fmt.Errorf("customer %d: last purchase: %w", id, err)
			}
			st.Purchases, st.YearPurchases, st.YearAmount = int(rawInt(v[1])), int(rawInt(v[4])), crm.Money(rawInt(v[5]))
			return nil
		})
	if err != nil {
		return nil, nil, fmt.Errorf("purchases: %w", err)
	}
	return ids, stats, nil
}

// CustomerInsight returns what the classification of day d derives for customer id (through
// the cache of Insights), the means its R, F and M were compared with, and whether the
// customer is classified (an archived one, or one created after d, is not).
//
// After a write that changed a few customers (a purchase saved, mostly), the card opened next
// does not wait for the whole book to be classified again: when the day's classification is
// cached at a generation whose changes writeMu's log still names, the changed customers are
// read again and crm's Reclassify answers for this one customer exactly what the classification
// of the whole book would. The cache is left for Insights to bring up to date, unless the
// cached classification is half the log old: then it is updated here, so that the log never
// runs out under a run of cards (and a whole-book read, a second at 100,000 customers, never
// falls on a card).
func (s *Store) CustomerInsight(ctx context.Context, d crm.Date, id int64) (crm.Insight, crm.RFMMeans, bool, error) {
	if d.IsZero() {
		return crm.Insight{}, crm.RFMMeans{}, false, fmt.Errorf("customer insight: no day")
	}
	gen := s.writeMu.gen.Load()
	if base, baseGen := s.ic.latest(d); base != nil && baseGen != gen && gen-baseGen <= insightLogGens/2 {
		in, m, ok, known, err := s.customerInsightAfter(ctx, base, baseGen, id)
		if err != nil {
			return crm.Insight{}, crm.RFMMeans{}, false, fmt.Errorf("customer insight: %w", err)
		}
		if known {
			return in, m, ok, nil
		}
	}
	bi, err := s.Insights(ctx, d)
	if err != nil {
		return crm.Insight{}, crm.RFMMeans{}, false, err
	}
	in, ok := bi.Insight(id)
	return in, bi.Classification.Means, ok, nil
}

// customerInsightAfter answers CustomerInsight from base, the classification of its day at
// generation baseGen, and the customers changed since (read again in a transaction whose
// snapshot is taken under writeMu, as readInsights does). known is false when the log does not
// say which customers changed since baseGen.
func (s *Store) customerInsightAfter(ctx context.Context, base *BookInsights, baseGen uint64, id int64) (in crm.Insight, m crm.RFMMeans, ok, known bool, err error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return in, m, false, false, err
	}
	defer conn.Close()
	s.writeMu.Lock()
	changed, known := s.writeMu.changedSince(baseGen, s.writeMu.gen.Load())
	var ps crm.PlanSettings
	var tx *sql.Tx
	if known {
		tx, err = conn.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
		if err == nil {
			defer tx.Rollback()
			ps, err = planSettingsOn(ctx, conn)
		}
	}
	s.writeMu.onlyRead()
	s.writeMu.Unlock()
	if err != nil || !known {
		return in, m, false, false, err
	}
	_, added, err := customerStats(ctx, conn, base.Date, changed)
	if err != nil {
		return in, m, false, false, err
	}
	var gone []int // base's positions of the changed customers
	for _, c := range changed {
		if i, found := base.find(c); found {
			gone = append(gone, i)
		}
	}
	slices.Sort(gone)
	var x *crm.CustomerStats
	if _, wasChanged := slices.BinarySearch(changed, id); wasChanged {
		for i := range added {
			if added[i].ID == id {
				x = &added[i]
			}
		}
	} else if i, found := base.find(id); found {
		x = &base.Stats[i]
	}
	in, m = base.Classification.Reclassify(ps, base.Stats, gone, added, x)
	s.ic.reclassified.Add(1)
	return in, m, x != nil, true, nil
}
