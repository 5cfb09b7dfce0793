package crm

import (
	"cmp"
	"encoding/binary"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// PlanDay answers the daily 3 questions for day d from the book as of the end of d (PRODUCT.md §2,
// §3). in may hold more than d needs (later purchases and records are ignored); items snoozed past
// d are left out. Each list is in the order of §3: overdue first, then tier (vip → small), then
// due date, then name.
func PlanDay(d Date, s PlanSettings, in *PlanInput) Plan {
	p := Plan{Date: d}
	if d.IsZero() {
		return p
	}
	base := planner{d: d, s: s, snoozed: map[snoozeKey]bool{}, holidays: HolidaysOn(d, s.Holidays),
		window: newOccurrenceWindow(s.KeyDateWindow(d))}
	for _, z := range in.Snoozes {
		if z.Until > d {
			base.snoozed[snoozeKey{z.CustomerID, z.Reason, z.Ref}] = true
		}
	}
	at := newCustomerIndex(in.Customers, d)
	base.routine = map[int64][]Date{}
	base.greeting = map[int64][]Date{}
	for _, r := range in.Records {
		if r.Date > d || at.find(r.CustomerID) < 0 {
			continue
		}
		switch r.Kind {
		case KindRoutine:
			base.routine[r.CustomerID] = append(base.routine[r.CustomerID], r.Date)
		case KindGreeting:
			base.greeting[r.CustomerID] = append(base.greeting[r.CustomerID], r.Date)
		}
	}

	// A big book is planned in two halves of its customers at once: each half counts its items,
	// then writes them into its own part of the list and orders them; the two orders are merged
	// and every item moved once to its place.
	parts := make([]planPart, planParts(len(in.Customers)))
	each := func(fn func(pt *planPart)) {
		var wg sync.WaitGroup
		for k := range parts {
			if k == len(parts)-1 {
				fn(&parts[k])
			} else {
				wg.Go(func() { fn(&parts[k]) })
			}
		}
		wg.Wait()
	}
	for k := range parts {
		parts[k].planner = base
		parts[k].lo, parts[k].hi = k*len(in.Customers)/len(parts), (k+1)*len(in.Customers)/len(parts)
	}
	each(func(pt *planPart) {
		pt.counting = true
		pt.planCustomers(in, at, pt.lo, pt.hi)
		pt.counting = false
	})
	n := 0
	for k := range parts {
		parts[k].from = n
		n += parts[k].n
	}
	items := make([]PlanItem, n)
	each(func(pt *planPart) {
		pt.expired = 0
		pt.items = items[pt.from : pt.from : pt.from+pt.n]
		pt.planCustomers(in, at, pt.lo, pt.hi)
		pt.keys = itemKeys(items, pt.from, pt.from+len(pt.items))
		sortKeys(pt.keys, items)
	})
	keys := parts[0].keys
	for k := 1; k < len(parts); k++ {
		keys = mergeKeys(keys, parts[k].keys, items)
	}
	for k := range parts {
		if len(parts[k].items) != parts[k].n {
			panic("crm: plan: a part wrote another number of items than it counted")
		}
		p.Expired += parts[k].expired
	}
	permute(items, keys)
	p.Maintain = items
	p.Invite = base.invite(in, at)
	p.Serve = base.serve(in, at)
	return p
}

// invite answers the Invite question (PRODUCT.md §3 question 2): for every event whose invite
// window is open on the planned day (event date − window ≤ D < event date), each customer of
// the plan in its audience who is not do-not-disturb and has no invitation to it yet; due: the
// window's first day; with the event's purpose and script; in the order of §3. nil when there
// are none.
func (pl planner) invite(in *PlanInput, at customerIndex) []PlanItem {
	pl.items, pl.counting, pl.n = nil, false, 0
	for i := range in.Events {
		e := &in.Events[i]
		if !InviteWindowOpen(e.Event, pl.d) {
			continue
		}
		invited := make(map[int64]bool, len(e.Invited))
		for _, id := range e.Invited {
			invited[id] = true
		}
		ref := &EventRef{ID: e.ID, Name: e.Name, Date: e.Date}
		refKey := "event:" + strconv.FormatInt(e.ID, 10)
		due := InviteWindowStart(e.Event)
		for ci := range in.Customers {
			c := &in.Customers[ci]
			if c.DoNotDisturb || invited[c.ID] || at.find(c.ID) != ci ||
				!e.Audience.Matches(c.Tags, c.Tier, c.Stage, c.Segment) {
				continue
			}
			pl.add(c, PlanItem{Reason: ReasonInvitation, Due: due, Event: ref, Purpose: e.Purpose,
				Script: e.Script, Ref: refKey, SourceID: e.ID})
		}
	}
	if len(pl.items) == 0 {
		return nil
	}
	return sortItems(pl.items)
}

// serve answers the Serve question (PRODUCT.md §3 question 3): the service appointments open on
// the planned day and dated on or before it (reason: their kind; due: their date), and every
// complaint open on the day and received on or before it (due: its deadline, crm.ComplaintDue),
// of the customers of the plan; in the order of §3. nil when there are none.
func (pl planner) serve(in *PlanInput, at customerIndex) []PlanItem {
	pl.items, pl.counting, pl.n = nil, false, 0
	d := pl.d
	for i := range in.Services {
		v := &in.Services[i]
		if v.Date.IsZero() || v.Date > d || (!v.Done.IsZero() && v.Done <= d) {
			continue
		}
		ci := at.find(v.CustomerID)
		if ci < 0 {
			continue
		}
		pl.add(&in.Customers[ci], PlanItem{Reason: Reason(v.Kind), Due: v.Date, Title: v.Title,
			SourceID: v.ID, Ref: "service:" + strconv.FormatInt(v.ID, 10)})
	}
	for i := range in.Complaints {
		c := &in.Complaints[i]
		if c.Received.IsZero() || c.Received > d || (!c.Closed.IsZero() && c.Closed <= d) {
			continue
		}
		ci := at.find(c.CustomerID)
		if ci < 0 {
			continue
		}
		latest := c.LatestStep
		if latest > d {
			latest = 0
		}
		pl.add(&in.Customers[ci], PlanItem{Reason: ReasonComplaint,
			Due: ComplaintDue(c.Severity, c.Received, latest, in.Workdays), Title: c.Title,
			SourceID: c.ID, Ref: "complaint:" + strconv.FormatInt(c.ID, 10)})
	}
	if len(pl.items) == 0 {
		return nil
	}
	return sortItems(pl.items)
}

// planPart is the planner of the customers [lo, hi) of a PlanInput: it counts its items (n)
// first, then writes them from index from of the plan's list.
type planPart struct {
	planner
	lo, hi, from int
	keys         []itemKey
}

// planParts says in how many parts (1 or 2) to plan a book of n customers.
var planParts = func(n int) int {
	if n >= 10_000 && runtime.GOMAXPROCS(0) > 1 {
		return 2
	}
	return 1
}

// planCustomers collects the items of the customers in.Customers[lo:hi]: their routine steps,
// follow-ups, dates, holidays, cadence and recall.
func (pl *planner) planCustomers(in *PlanInput, at customerIndex, lo, hi int) {
	for _, pu := range in.Purchases {
		if i := at.find(pu.CustomerID); i >= lo && i < hi && pu.Date <= pl.d {
			pl.routineItems(&in.Customers[i], pu)
		}
	}
	for i := lo; i < hi; i++ {
		c := &in.Customers[i]
		if at.find(c.ID) != i {
			continue // created after the day, or a second entry of the same ID
		}
		pl.followUp(c)
		pl.keyDates(c)
		pl.holiday(c)
		pl.cadenceOrRecall(c)
	}
}

// customerIndex finds a customer of a PlanInput by ID: those created on or before the planned
// day, the last entry of an ID. IDs are rowids, mostly dense: a slice by ID when they are.
type customerIndex struct {
	dense  []int32
	sparse map[int64]int32
}

func newCustomerIndex(cs []PlanCustomer, d Date) customerIndex {
	var most int64
	for i := range cs {
		most = max(most, cs[i].ID)
	}
	var x customerIndex
	if most <= int64(4*len(cs)+1024) {
		x.dense = make([]int32, most+1)
		for i := range x.dense {
			x.dense[i] = -1
		}
	} else {
		x.sparse = make(map[int64]int32, len(cs))
	}
	for i := range cs {
		c := &cs[i]
		if c.Created > d {
			continue
		}
		if x.dense != nil && c.ID >= 0 {
			x.dense[c.ID] = int32(i)
		} else if x.dense == nil {
			x.sparse[c.ID] = int32(i)
		}
	}
	return x
}

// find returns the index of customer id, -1 when there is none.
func (x customerIndex) find(id int64) int {
	if x.dense != nil {
		if id < 0 || id >= int64(len(x.dense)) {
			return -1
		}
		return int(x.dense[id])
	}
	if i, ok := x.sparse[id]; ok {
		return int(i)
	}
	return -1
}

type snoozeKey struct {
	customer int64
	reason   Reason
	ref      string
}

// planner collects the items of one day.
type planner struct {
	d        Date
	s        PlanSettings
	snoozed  map[snoozeKey]bool
	routine  map[int64][]Date // days of routine records by customer
	greeting map[int64][]Date // days of greeting records by customer
	window   occurrenceWindow
	holidays []Holiday
	items    []PlanItem
	expired  int
	// When counting, items are only counted (in n), not kept.
	counting bool
	n        int
	// The refs of the day's holiday items and of days, made once: most items of a big book
	// share one.
	holidayRefs map[string]string
	dayRefs     map[Date]string
}

// holidayRef is the ref of the greeting of holiday key on the planned day.
func (pl *planner) holidayRef(key string) string {
	ref, ok := pl.holidayRefs[key]
	if !ok {
		if pl.holidayRefs == nil {
			pl.holidayRefs = map[string]string{}
		}
		ref = key + ":" + pl.d.String()
		pl.holidayRefs[key] = ref
	}
	return ref
}

// dayRef is the ref of a cadence or recall item due on d: the day.
func (pl *planner) dayRef(d Date) string {
	ref, ok := pl.dayRefs[d]
	if !ok {
		if pl.dayRefs == nil {
			pl.dayRefs = map[Date]string{}
		}
		ref = d.String()
		pl.dayRefs[d] = ref
	}
	return ref
}

// add appends the item unless it is snoozed past the planned day.
func (pl *planner) add(c *PlanCustomer, it PlanItem) {
	if len(pl.snoozed) > 0 && pl.snoozed[snoozeKey{c.ID, it.Reason, it.Ref}] {
		return
	}
	if pl.counting {
		pl.n++
		return
	}
	it.Customer = CustomerRef{ID: c.ID, Code: c.Code, Name: c.Name, Remark: c.Remark, Tier: c.Tier}
	it.Overdue = max(0, pl.d.Sub(it.Due))
	pl.items = append(pl.items, it)
}

// anyIn reports whether one of days lies in [from, to].
func anyIn(days []Date, from, to Date) bool {
	for _, x := range days {
		if x >= from && x <= to {
			return true
		}
	}
	return false
}

// routineItems: for every step s, due = P + s; open while due ≤ D < due + grace without a
// routine record dated in [due, D]; on D = due + grace it expires (missed).
func (pl *planner) routineItems(c *PlanCustomer, pu PlanPurchase) {
	for _, step := range pl.s.Steps {
		due := pu.Date.AddDays(step)
		switch {
		case due <= pl.d && pl.d < due.AddDays(pl.s.Grace):
			if anyIn(pl.routine[c.ID], due, pl.d) {
				continue
			}
			pl.add(c, PlanItem{Reason: ReasonRoutine, Due: due, Step: step, PurchaseID: pu.ID,
				PurchaseDate: pu.Date, Ref: strconv.FormatInt(pu.ID, 10) + ":" + strconv.Itoa(step)})
		case pl.d == due.AddDays(pl.s.Grace):
			if !anyIn(pl.routine[c.ID], due, pl.d-1) {
				pl.expired++
			}
		}
	}
}

// followUp: the latest record's next date N ≤ D opens an item due N; a newer record (which then
// is the latest) closes it.
func (pl *planner) followUp(c *PlanCustomer) {
	if c.LastRecordID == 0 || c.NextDate.IsZero() || c.NextDate > pl.d {
		return
	}
	pl.add(c, PlanItem{Reason: ReasonFollowUp, Due: c.NextDate, RecordID: c.LastRecordID,
		NextStep: c.NextStep, Ref: strconv.FormatInt(c.LastRecordID, 10)})
}

// keyDates: an occurrence O in [D, D + lead] opens an item unless a greeting record is dated in
// [O − lead, D]. Not for do-not-disturb customers.
func (pl *planner) keyDates(c *PlanCustomer) {
	if c.DoNotDisturb {
		return
	}
	one := func(k *KeyDate, reason Reason, ref string) {
		o, ok := pl.window.occurs(k)
		if !ok || anyIn(pl.greeting[c.ID], o.AddDays(-pl.s.LeadDays), pl.d) {
			return
		}
		pl.add(c, PlanItem{Reason: reason, Due: o, Occurs: o, Label: k.Label,
			KeyDate: k, Ref: ref + ":" + o.String()})
	}
	if c.Birthday != nil {
		one(c.Birthday, ReasonBirthday, "birthday")
	}
	for i := range c.Dates {
		k := &c.Dates[i]
		ref := "date" + strconv.Itoa(i)
		if k.ID != 0 {
			ref = strconv.FormatInt(k.ID, 10)
		}
		one(k, ReasonImportantDate, ref)
	}
}

// holiday: on the holiday itself every customer who is not do-not-disturb (women's day: every
// female one) gets an item, unless a greeting record is dated that day.
func (pl *planner) holiday(c *PlanCustomer) {
	if c.DoNotDisturb || len(pl.holidays) == 0 || anyIn(pl.greeting[c.ID], pl.d, pl.d) {
		return
	}
	for _, h := range pl.holidays {
		if h.FemaleOnly && c.Gender != GenderFemale {
			continue
		}
		pl.add(c, PlanItem{Reason: ReasonHoliday, Due: pl.d, Holiday: h.Key, Ref: pl.holidayRef(h.Key)})
	}
}

// cadenceOrRecall: recall-eligible customers get a recall item when due = max(last purchase +
// 91, last recall + 30) ≤ D; the others a cadence item when due = (latest record's day, else
// the created date) + cadence(tier) ≤ D.
func (pl *planner) cadenceOrRecall(c *PlanCustomer) {
	churn := pl.s.ChurnOf(c.LastPurchase, pl.d)
	if RecallEligible(c.Tier, churn) {
		due := c.LastPurchase.AddDays(pl.s.RecallAfter())
		if !c.LastRecall.IsZero() {
			due = max(due, c.LastRecall.AddDays(pl.s.RecallRepeat))
		}
		if due <= pl.d {
			pl.add(c, PlanItem{Reason: ReasonRecall, Due: due, Churn: churn, LastPurchase: c.LastPurchase,
				Ref: pl.dayRef(due)})
		}
		return
	}
	cad := pl.s.Cadence[c.Tier]
	if cad <= 0 {
		return
	}
	var last Date
	base := c.Created
	if !c.LastRecordAt.IsZero() {
		last = DateOf(c.LastRecordAt)
		base = last
	}
	if base.IsZero() {
		return
	}
	if due := base.AddDays(cad); due <= pl.d {
		pl.add(c, PlanItem{Reason: ReasonCadence, Due: due, LastContact: last, Cadence: cad, Ref: pl.dayRef(due)})
	}
}

// reasonRank orders the reasons of one customer's items on the same due day.
func reasonRank(r Reason) int {
	switch r {
	case ReasonRoutine:
		return 0
	case ReasonFollowUp:
		return 1
	case ReasonBirthday:
		return 2
	case ReasonImportantDate:
		return 3
	case ReasonHoliday:
		return 4
	case ReasonCadence:
		return 5
	case ReasonRecall:
		return 6
	case ReasonOnline:
		return 7
	case ReasonOffline:
		return 8
	case ReasonAfterSales:
		return 9
	case ReasonComplaint:
		return 10
	}
	return 11
}

// sortItems puts items in the order of PRODUCT.md §3 (see compareItems), in place, and returns
// them. Items are large: the sort orders small keys and moves each item once.
func sortItems(items []PlanItem) []PlanItem {
	keys := itemKeys(items, 0, len(items))
	sortKeys(keys, items)
	permute(items, keys)
	return items
}

// itemKey is what orders an item: its rank (itemRank), its name's first 8 bytes (big-endian: most
// ties end there) and its index in the list.
type itemKey struct {
	rank, name uint64
	i          int32
}

// itemKeys returns the keys of items[from:to].
func itemKeys(items []PlanItem, from, to int) []itemKey {
	keys := make([]itemKey, to-from)
	for i := from; i < to; i++ {
		it := &items[i]
		var name [8]byte
		copy(name[:], it.Customer.Name)
		keys[i-from] = itemKey{itemRank(it), binary.BigEndian.Uint64(name[:]), int32(i)}
	}
	return keys
}

// compareKeys orders two keys of items as compareItems orders the items.
func compareKeys(a, b itemKey, items []PlanItem) int {
	if c := cmp.Compare(a.rank, b.rank); c != 0 {
		return c
	}
	if c := cmp.Compare(a.name, b.name); c != 0 {
		return c
	}
	return cmp.Or(compareItems(&items[a.i], &items[b.i]), cmp.Compare(a.i, b.i))
}

func sortKeys(keys []itemKey, items []PlanItem) {
	slices.SortFunc(keys, func(a, b itemKey) int { return compareKeys(a, b, items) })
}

// mergeKeys merges two sorted lists of keys into a new one.
func mergeKeys(a, b []itemKey, items []PlanItem) []itemKey {
	out := make([]itemKey, 0, len(a)+len(b))
	for len(a) > 0 && len(b) > 0 {
		if compareKeys(b[0], a[0], items) < 0 {
			out, b = append(out, b[0]), b[1:]
		} else {
			out, a = append(out, a[0]), a[1:]
		}
	}
	out = append(out, a...)
	return append(out, b...)
}

// permute puts the item of index keys[i].i at index i, for every i, in place: it follows each
// cycle of the permutation, moving each item once. keys is used up.
func permute(items []PlanItem, keys []itemKey) {
	for i := range keys {
		if keys[i].i < 0 || int(keys[i].i) == i {
			continue
		}
		hold := items[i]
		j := i
		for {
			from := int(keys[j].i)
			keys[j].i = -1
			if from == i {
				items[j] = hold
				break
			}
			items[j] = items[from]
			j = from
		}
	}
}

// itemRank packs the first keys of the order of PRODUCT.md §3: overdue first, then tier (vip →
// small), then due date.
func itemRank(it *PlanItem) uint64 {
	var late uint64 = 1
	if it.Overdue > 0 {
		late = 0
	}
	return late<<62 | uint64(it.Customer.Tier.Rank())<<58 | uint64(uint32(it.Due))
}

// compareItems orders plan items as PRODUCT.md §3 says: overdue first, then tier (vip → small),
// then due date, then name; then code, customer, reason and ref, so that the order is total.
func compareItems(x, y *PlanItem) int {
	if c := cmp.Compare(itemRank(x), itemRank(y)); c != 0 {
		return c
	}
	if c := strings.Compare(x.Customer.Name, y.Customer.Name); c != 0 {
		return c
	}
	if c := strings.Compare(x.Customer.Code, y.Customer.Code); c != 0 {
		return c
	}
	if c := cmp.Compare(x.Customer.ID, y.Customer.ID); c != 0 {
		return c
	}
	if c := cmp.Compare(reasonRank(x.Reason), reasonRank(y.Reason)); c != 0 {
		return c
	}
	return strings.Compare(x.Ref, y.Ref)
}

// SortPlanItems sorts items in the order of PRODUCT.md §3 (for lists merged from several rules).
func SortPlanItems(items []PlanItem) { sortItems(items) }

// HolidaysOn returns the enabled holidays that fall on d (usually none, rarely two).
func HolidaysOn(d Date, enabled map[string]bool) []Holiday {
	var out []Holiday
	var lunar, next *LunarDate
	for _, h := range Holidays {
		if !enabled[h.Key] {
			continue
		}
		switch {
		case h.Calendar == Solar:
			_, m, day := d.YMD()
			if int(m) == h.Month && day == h.Day {
				out = append(out, h)
			}
		case h.Day == 0: // the last day of the lunar year: tomorrow is lunar 1-1
			if next == nil {
				l, err := SolarToLunar(d.AddDays(1))
				if err != nil {
					continue
				}
				next = &l
			}
			if !next.Leap && next.Month == 1 && next.Day == 1 {
				out = append(out, h)
			}
		default:
			if lunar == nil {
				l, err := SolarToLunar(d)
				if err != nil {
					continue
				}
				lunar = &l
			}
			if !lunar.Leap && lunar.Month == h.Month && lunar.Day == h.Day {
				out = append(out, h)
			}
		}
	}
	return out
}

// HolidayDate returns the day of holiday h in the solar year y (for lunar holidays: the one that
// falls in y; 除夕 may fall in the January or February of y).
func HolidayDate(h Holiday, y int) (Date, bool) {
	if h.Calendar == Solar {
		if !ValidSolar(y, h.Month, h.Day) {
			return 0, false
		}
		return NewDate(y, time.Month(h.Month), h.Day), true
	}
	for _, ly := range []int{y - 1, y} {
		var d Date
		if h.Day == 0 {
			first, err := LunarToSolar(LunarDate{Year: ly + 1, Month: 1, Day: 1})
			if err != nil {
				continue
			}
			d = first - 1
		} else {
			var err error
			d, err = LunarToSolar(LunarDate{Year: ly, Month: h.Month, Day: h.Day})
			if err != nil {
				continue
			}
		}
		if d.Year() == y {
			return d, true
		}
	}
	return 0, false
}

// occurrenceWindow answers "does this important date occur in [from, to], and on which day"
// without converting each date: it knows the solar and lunar month and day of every day of the
// window (a few days).
type occurrenceWindow struct {
	days []windowDay
}

type windowDay struct {
	date             Date
	month, day       int  // solar
	lastFeb28        bool // Feb 28 of a common year: Feb 29 occurs on it
	lunarOK          bool
	lMonth, lDay     int
	lLeap            bool
	lastOf29DayMonth bool // the 29th of a 29-day lunar month: day 30 occurs on it
}

func newOccurrenceWindow(from, to Date) occurrenceWindow {
	var w occurrenceWindow
	for d := from; d <= to; d++ {
		y, m, day := d.YMD()
		wd := windowDay{date: d, month: int(m), day: day,
			lastFeb28: m == time.February && day == 28 && DaysInSolarMonth(y, time.February) == 28}
		if l, err := SolarToLunar(d); err == nil {
			wd.lunarOK, wd.lMonth, wd.lDay, wd.lLeap = true, l.Month, l.Day, l.Leap
			if l.Day == 29 {
				if n, err := LunarMonthDays(l.Year, l.Month, l.Leap); err == nil && n == 29 {
					wd.lastOf29DayMonth = true
				}
			}
		}
		w.days = append(w.days, wd)
	}
	return w
}

// occurs returns the first day of the window on which k occurs: solar dates on their month and
// day (Feb 29 on Feb 28 in common years); lunar dates in the ordinary month of their number, on
// their day (a missing day 30 on the 29th). The year of k is ignored.
func (w occurrenceWindow) occurs(k *KeyDate) (Date, bool) {
	for _, wd := range w.days {
		if k.Calendar == Lunar {
			if wd.lunarOK && !wd.lLeap && wd.lMonth == k.Month &&
				(wd.lDay == k.Day || (k.Day == 30 && wd.lastOf29DayMonth)) {
				return wd.date, true
			}
			continue
		}
		if wd.month == k.Month && (wd.day == k.Day || (k.Month == 2 && k.Day == 29 && wd.lastFeb28)) {
			return wd.date, true
		}
	}
	return 0, false
}

// History is a whole book, as PlanFromHistory reads it: every customer (archived ones too), every
// purchase, every record and the snoozes.
type History struct {
	Customers   []Customer
	Purchases   []Purchase
	Records     []Record
	Snoozes     []Snooze
	Events      []Event
	Invitations []Invitation
}

// PlanFromHistory plans day d from a whole history, keeping only what is dated on or before d:
// the reference the store's set-based loading is tested against.
func PlanFromHistory(d Date, s PlanSettings, h *History) Plan {
	in := PlanInputAsOf(d, s, h)
	return PlanDay(d, s, in)
}

// PlanInputAsOf sums a whole history up as of the end of d: the customers not archived and
// created on or before d with their latest record and purchase, and every purchase and record
// dated on or before d; the service appointments and complaints open on d (with the zero
// calendar: Monday–Friday); the events whose invite window is open on d, with the invitations
// dated on or before d (or undated), and, when their audiences need them, the customers' tags
// and their stage and segment classified as of d with settings s.
func PlanInputAsOf(d Date, s PlanSettings, h *History) *PlanInput {
	in := &PlanInput{Snoozes: h.Snoozes}
	idx := map[int64]int{}
	for i := range h.Customers {
		c := &h.Customers[i]
		if c.Archived || c.Created > d {
			continue
		}
		idx[c.ID] = len(in.Customers)
		pc := PlanCustomer{ID: c.ID, Code: c.Code, Name: c.Name, Remark: c.Remark, Gender: c.Gender,
			Tier: c.Tier, DoNotDisturb: c.DoNotDisturb, Created: c.Created, Birthday: c.Birthday,
			Dates: c.Dates}
		in.Customers = append(in.Customers, pc)
	}
	for _, p := range h.Purchases {
		i, ok := idx[p.CustomerID]
		if !ok || p.Date > d {
			continue
		}
		c := &in.Customers[i]
		c.LastPurchase = max(c.LastPurchase, p.Date)
		in.Purchases = append(in.Purchases, PlanPurchase{ID: p.ID, CustomerID: p.CustomerID, Date: p.Date})
	}
	for _, r := range h.Records {
		i, ok := idx[r.CustomerID]
		if !ok || r.Date() > d {
			continue
		}
		c := &in.Customers[i]
		if c.LastRecordID == 0 || r.At.After(c.LastRecordAt) || (r.At.Equal(c.LastRecordAt) && r.ID > c.LastRecordID) {
			c.LastRecordAt, c.LastRecordID, c.NextDate, c.NextStep = r.At, r.ID, r.NextDate, r.NextStep
		}
		if r.Kind == KindRecall {
			c.LastRecall = max(c.LastRecall, r.Date())
		}
		in.Records = append(in.Records, PlanRecord{CustomerID: r.CustomerID, Kind: r.Kind, Date: r.Date()})
	}
	planEventsAsOf(d, s, h, in, idx)
	return in
}

// planEventsAsOf adds to in the events of h whose invite window is open on d with the
// invitations dated on or before d (or undated), and, when their audiences need them, the
// customers' tags that some of the audiences name (in the card's order) and their stage and
// segment as of d.
func planEventsAsOf(d Date, s PlanSettings, h *History, in *PlanInput, idx map[int64]int) {
	byEvent := map[int64]int{}
	tags := map[string]bool{}
	var class bool
	for _, e := range h.Events {
		if InviteWindowOpen(e, d) {
			byEvent[e.ID] = len(in.Events)
			in.Events = append(in.Events, PlanEvent{Event: e})
			for _, t := range e.Audience.Tags {
				tags[t] = true
			}
			class = class || e.Audience.NeedsClass()
		}
	}
	for _, v := range h.Invitations {
		if i, ok := byEvent[v.EventID]; ok && (v.Date.IsZero() || v.Date <= d) {
			in.Events[i].Invited = append(in.Events[i].Invited, v.CustomerID)
		}
	}
	for _, c := range h.Customers {
		if i, ok := idx[c.ID]; ok && len(tags) > 0 {
			for _, t := range c.Tags {
				if tags[t] {
					in.Customers[i].Tags = append(in.Customers[i].Tags, t)
				}
			}
		}
	}
	if !class {
		return
	}
	stats := make([]CustomerStats, len(in.Customers))
	for i, c := range in.Customers {
		stats[i] = CustomerStats{ID: c.ID, Code: c.Code, Tier: c.Tier}
	}
	for _, p := range h.Purchases {
		i, ok := idx[p.CustomerID]
		if !ok || p.Date > d {
			continue
		}
		st := &stats[i]
		st.Purchases++
		if st.FirstPurchase.IsZero() || p.Date < st.FirstPurchase {
			st.FirstPurchase = p.Date
		}
		st.LastPurchase = max(st.LastPurchase, p.Date)
		if p.Date > d.AddDays(-RFMDays) {
			st.YearPurchases++
			st.YearAmount += p.Amount
		}
	}
	cl := Classify(d, s, stats)
	for i := range in.Customers {
		in.Customers[i].Stage, in.Customers[i].Segment = cl.Insights[i].Stage, cl.Insights[i].Segment
	}
}
