package demo

import (
	"slices"
	"strconv"
	"strings"

	"carebook/crm"
)

// Events returns the events (活动) of the demo book, without IDs, by date: those History's
// invitation records name (the same name and day, one every four to seven weeks over the three
// years before o.Today and up to three weeks after it) and, when none of them has its invite
// window open on o.Today, one more a few days ahead whose window is, so that Today's Invite
// question has work (the events open today are for vip and major customers, unless narrower).
// Each has a purpose, a script (with {remark}), an audience by tiers, tags
// or lifecycle stages (some are for everyone) and an invite window of 7 to 14 days. It is
// deterministic for (o.Seed, o.Today) and panics when o.Today is unset.
func Events(o Options) []crm.Event {
	if o.Today.IsZero() {
		panic("demo: Options.Today is required")
	}
	h := newHist(o)
	r := newRNG(o.Seed ^ 0x510e527fade682d1)
	out := make([]crm.Event, 0, len(h.events)+1)
	open := false
	for _, ev := range h.events {
		e := newEvent(r, ev.name, ev.day, r.between(7, 14))
		open = open || crm.InviteWindowOpen(e, o.Today)
		out = append(out, e)
	}
	if !open {
		day := o.Today.AddDays(r.between(3, 8))
		_, mo, _ := day.YMD()
		out = append(out, newEvent(r, split(eventsByMonth[mo])[0], day, 14))
		slices.SortStableFunc(out, func(a, b crm.Event) int { return int(a.Date - b.Date) })
	}
	// An event being invited to today is for the bigger customers, unless it already has a
	// narrower audience: the Invite question of a big book stays a list one can work through.
	for i := range out {
		if a := &out[i].Audience; crm.InviteWindowOpen(out[i], o.Today) && (a.IsEveryone() || len(a.Tiers) > len(bigTiers)) {
			*a = crm.Audience{Tiers: bigTiers}
		}
	}
	return out
}

// eventKindOf maps an event name to its kind in eventKinds.
var eventKindOf = func() map[string]int {
	m := map[string]int{}
	for i, k := range eventKinds {
		for _, n := range k.names {
			m[n] = i
		}
	}
	return m
}()

func newEvent(r rng, name string, day crm.Date, window int) crm.Event {
	k, ok := eventKindOf[name]
	if !ok {
		panic("demo: no kind of event " + name)
	}
	kind := &eventKinds[k]
	rep := strings.NewReplacer("{e}", name, "{d}", dayText(day))
	return crm.Event{Name: name, Date: day, WindowDays: window, Audience: kind.audience(r),
		Purpose: rep.Replace(of(r, kind.purpose)), Script: rep.Replace(of(r, kind.script))}
}

// dayText is the day as the invitations write it: 11月28日.
func dayText(d crm.Date) string {
	_, m, dd := d.YMD()
	return strconv.Itoa(int(m)) + "月" + strconv.Itoa(dd) + "日"
}

// ServeData is what the Invite and Serve questions of the demo book hold.
type ServeData struct {
	Invitations []crm.Invitation
	Services    []crm.Service
	Complaints  []crm.Complaint
}

// Serve builds the invitations, service appointments and complaints of the demo book from
// History's purchases and records: feed it every batch History hands out (Add), then Build.
//
//   - Invitations: one for every invitation record of History naming one of the events, when
//     the customer is in the event's audience on the day invited (tags, tier, lifecycle
//     stage); its status follows the customer's answer — accepted, declined, or invited when
//     the customer has not made up its mind —, and for an event past, accepted becomes
//     attended (always when the customer bought on the event's day) or no_show.
//   - Service appointments: about one per 20 customers a year, a few days to three weeks after
//     a purchase, titled after the item (上门安装…, …退换货, 保养提醒…); those past are done,
//     some of the last two weeks still open (overdue), those from today on open.
//   - Complaints: about one per 50 customers a year, from History's complaint records (the same
//     day, channel and description), with a category, a severity and the five steps in order
//     (several follow-ups for complex ones); closed with a resolution and a satisfaction when
//     the last step lies on or before today, else open with the steps taken so far.
//
// Build then adds, for customers who bought in the last two months, a few items open on today:
// services (overdue and due today) and complaints (simple, general and a complex one).
// Everything is deterministic for (o.Seed, o.Today): each customer draws from its own stream.
type Serve struct {
	h        *hist
	o        Options
	cs       []crm.Customer
	ids      []int64
	index    map[int64]int32
	events   []crm.Event
	evByText map[string][]int
	itemOf   map[string]itemRef
	yes, no  map[string]bool
	plaints  map[string]bool
	ps       crm.PlanSettings
	out      ServeData
	recent   []recentBuy
}

type itemRef struct {
	cat  int
	item int
}

type recentBuy struct {
	idx  int32
	item itemRef
	day  crm.Date
}

// NewServe starts the serve data of customers (Customers' output, with the store's ids) and
// events (Events(o)'s output, saved: with their IDs).
func NewServe(o Options, customers []crm.Customer, ids []int64, events []crm.Event) *Serve {
	s := &Serve{h: newHist(o), o: o, cs: customers, ids: ids, events: events, index: make(map[int64]int32, len(ids)),
		evByText: map[string][]int{}, itemOf: map[string]itemRef{}, yes: map[string]bool{}, no: map[string]bool{},
		plaints: map[string]bool{}, ps: crm.DefaultPlanSettings()}
	for i, id := range ids {
		s.index[id] = int32(i)
	}
	for i, e := range events {
		ds := dayText(e.Date)
		for _, tpl := range eventInvite {
			t := strings.ReplaceAll(strings.ReplaceAll(tpl, "{d}", ds), "{e}", e.Name)
			s.evByText[t] = append(s.evByText[t], i)
		}
	}
	for ci, c := range s.h.cats {
		for ii, it := range c.items {
			if _, dup := s.itemOf[it.name]; !dup {
				s.itemOf[it.name] = itemRef{ci, ii}
			}
			for _, p := range it.plaint {
				s.plaints[p.s] = true
			}
		}
	}
	for _, f := range s.h.fbEventYes {
		s.yes[f.text] = true
	}
	for _, f := range s.h.fbEventNo {
		s.no[f.text] = true
	}
	return s
}

// Add takes one batch of History's purchases and records (in customer order).
func (s *Serve) Add(ps []crm.Purchase, rs []crm.Record) {
	pi, ri := 0, 0
	for pi < len(ps) || ri < len(rs) {
		idx := int32(-1)
		if pi < len(ps) {
			idx = s.index[ps[pi].CustomerID]
		}
		if ri < len(rs) {
			if j := s.index[rs[ri].CustomerID]; idx < 0 || j < idx {
				idx = j
			}
		}
		id := s.ids[idx]
		pj, rj := pi, ri
		for pj < len(ps) && ps[pj].CustomerID == id {
			pj++
		}
		for rj < len(rs) && rs[rj].CustomerID == id {
			rj++
		}
		s.customer(idx, id, ps[pi:pj], rs[ri:rj])
		pi, ri = pj, rj
	}
}

// stageOn is the lifecycle stage on d of a customer with purchases ps (by date).
func (s *Serve) stageOn(ps []crm.Purchase, d crm.Date) crm.Stage {
	n := 0
	for n < len(ps) && ps[n].Date <= d {
		n++
	}
	if n == 0 {
		return crm.StageProspect
	}
	switch s.ps.ChurnOf(ps[n-1].Date, d) {
	case crm.ChurnLost:
		return crm.StageLost
	case crm.ChurnHalfLost:
		return crm.StageHalfLost
	case crm.ChurnDormant:
		return crm.StageDormant
	}
	switch {
	case n >= crm.LongTermPurchases && d.Sub(ps[0].Date) >= crm.LongTermDays:
		return crm.StageLongTerm
	case n >= 2:
		return crm.StageRepeat
	}
	return crm.StageNew
}

// itemOfPurchase is the first item of a purchase.
func (s *Serve) itemOfPurchase(p *crm.Purchase) (itemRef, bool) {
	name, _, _ := strings.Cut(p.Items, "、")
	if i := strings.LastIndex(name, "×"); i > 0 {
		name = name[:i]
	}
	ref, ok := s.itemOf[name]
	return ref, ok
}

func (s *Serve) customer(idx int32, id int64, ps []crm.Purchase, rs []crm.Record) {
	seed := splitmix64(s.o.Seed ^ 0x5be0cd19137e2179 + uint64(idx)*0x9e3779b97f4a7c15)
	r := newRNG(seed)
	c := &s.cs[idx]
	today := s.o.Today

	// Invitations: from the invitation records naming an event.
	first := len(s.out.Invitations)
	for k := range rs {
		rec := &rs[k]
		if rec.Kind != crm.KindInvitation {
			continue
		}
		evs := s.evByText[rec.Content]
		day := rec.Date()
		ei := -1
		for _, i := range evs {
			if e := &s.events[i]; e.Date >= day && e.Date.Sub(day) <= 14 {
				ei = i
				break
			}
		}
		if ei < 0 {
			continue
		}
		e := &s.events[ei]
		if !e.Audience.Matches(c.Tags, c.Tier, s.stageOn(ps, day), "") {
			continue
		}
		st := crm.InvitationInvited
		switch {
		case s.yes[rec.Feedback]:
			st = crm.InvitationAccepted
		case s.no[rec.Feedback]:
			st = crm.InvitationDeclined
		}
		if e.Date < today {
			switch st {
			case crm.InvitationAccepted:
				st = crm.InvitationNoShow
				if r.per(600) || slices.ContainsFunc(ps, func(p crm.Purchase) bool { return p.Date == e.Date }) {
					st = crm.InvitationAttended
				}
			case crm.InvitationInvited:
				if r.per(300) {
					st = crm.InvitationDeclined
				}
			}
		}
		v := crm.Invitation{EventID: e.ID, CustomerID: id, Status: st, Date: day, Note: rec.Feedback}
		if j := slices.IndexFunc(s.out.Invitations[first:], func(x crm.Invitation) bool { return x.EventID == e.ID }); j >= 0 {
			s.out.Invitations[first+j] = v // the later answer
		} else {
			s.out.Invitations = append(s.out.Invitations, v)
		}
	}

	// Events whose window is open today: some of their audience already invited (those History
	// logged, and others invited without a record), the rest still to invite.
	if !c.DoNotDisturb {
		for i := range s.events {
			e := &s.events[i]
			if !crm.InviteWindowOpen(*e, today) ||
				slices.ContainsFunc(s.out.Invitations[first:], func(x crm.Invitation) bool { return x.EventID == e.ID }) ||
				!r.per(invitePer[min(c.Tier.Rank(), 3)]/2) {
				continue
			}
			lo := max(e.Date.AddDays(-e.WindowDays), c.Created)
			if lo > today {
				continue
			}
			day := lo.AddDays(r.intn(today.Sub(lo) + 1))
			if !e.Audience.Matches(c.Tags, c.Tier, s.stageOn(ps, day), "") {
				continue
			}
			st := crm.InvitationInvited
			switch x := r.intn(100); {
			case x < 35:
				st = crm.InvitationAccepted
			case x < 50:
				st = crm.InvitationDeclined
			}
			s.out.Invitations = append(s.out.Invitations, crm.Invitation{EventID: e.ID, CustomerID: id, Status: st, Date: day})
		}
	}

	// Service appointments after purchases: about 0.05 a year per customer.
	if len(ps) > 0 {
		years := float64(today.Sub(max(c.Created, s.h.start))) / 365
		ppm := int(55_000 * years / float64(len(ps))) // per million purchases
		for k := range ps {
			if r.intn(1_000_000) >= ppm {
				continue
			}
			if sv, ok := s.service(r, id, &ps[k]); ok {
				s.out.Services = append(s.out.Services, sv)
			}
		}
		last := &ps[len(ps)-1]
		if today.Sub(last.Date) <= 60 && !c.DoNotDisturb {
			if ref, ok := s.itemOfPurchase(last); ok {
				s.recent = append(s.recent, recentBuy{idx: idx, item: ref, day: last.Date})
			}
		}
	}

	// Complaints: about one in six of the complaints History logged.
	for k := range rs {
		rec := &rs[k]
		if rec.Kind != crm.KindComplaint || !s.plaints[rec.Content] || !r.per(170) {
			continue
		}
		cat := crm.ComplaintCategory(s.pickW(r, complaintCategories))
		if c.Company != "" && r.per(400) {
			cat = crm.ComplaintBatch
		}
		sev := crm.Severity(s.pickW(r, severities))
		s.out.Complaints = append(s.out.Complaints, s.complaint(r, id, rec.Date(), rec.Channel, cat, sev, rec.Content, -1))
	}
}

func (s *Serve) pickW(r rng, ws []wstr) string {
	w := newWeighted(ws, func(x wstr) int { return x.w })
	return w.pick(r).s
}

// service draws a service appointment after purchase p.
func (s *Serve) service(r rng, id int64, p *crm.Purchase) (crm.Service, bool) {
	ref, ok := s.itemOfPurchase(p)
	if !ok {
		return crm.Service{}, false
	}
	cat := &s.h.cats[ref.cat]
	kinds := [3]crm.ServiceKind{crm.ServiceOnline, crm.ServiceOffline, crm.ServiceAfterSales}
	k := r.intn(100)
	var kind int
	switch {
	case cat.durable && k < 60, !cat.durable && k < 35:
		kind = 2
	case k < 80 && cat.durable, k < 70:
		kind = 0
	default:
		kind = 1
	}
	day := p.Date.AddDays(r.between(1, 21))
	return s.serviceOn(r, id, ref, kinds[kind], day), true
}

// serviceOn makes the service of kind about item ref dated day: done when past (some of the
// last two weeks still open), open from today on.
func (s *Serve) serviceOn(r rng, id int64, ref itemRef, kind crm.ServiceKind, day crm.Date) crm.Service {
	today := s.o.Today
	cat := &s.h.cats[ref.cat]
	pools := serviceTitles[catDefs[ref.cat].name]
	ki := slices.Index(crm.ServiceKinds, kind)
	title := strings.ReplaceAll(of(r, pools[ki]), "{i}", cat.items[ref.item].short)
	v := crm.Service{CustomerID: id, Date: day, Kind: kind, Title: title, Status: crm.ServiceOpen, Notes: of(r, serviceNotes)}
	switch {
	case day >= today:
	case today.Sub(day) <= 14 && r.per(350):
	default:
		v.Status = crm.ServiceDone
		v.DoneDate = min(day.AddDays(r.intn(2)*r.between(1, 3)), today)
	}
	return v
}

// complaint makes a complaint received on day with the five steps in order (several follow-ups
// for a complex one); closed when its last step lies on or before today, else open with the
// steps taken by today. stop, when ≥ 0, keeps it open with at most its first stop steps.
func (s *Serve) complaint(r rng, id int64, day crm.Date, ch crm.Channel, cat crm.ComplaintCategory, sev crm.Severity, desc string, stop int) crm.Complaint {
	today := s.o.Today
	c := crm.Complaint{CustomerID: id, Received: day, Channel: ch, Category: cat, Severity: sev, Description: desc}
	if ch == "" {
		c.Channel = crm.ChannelPhone
	}
	step := func(k crm.ComplaintStepKind, d crm.Date) {
		c.Steps = append(c.Steps, crm.ComplaintStep{Step: k, Date: d, Note: of(r, stepNotes[k])})
	}
	d := day
	step(crm.StepListen, d)
	step(crm.StepEmpathise, d)
	// Mostly within the deadline (1 or 3 working days), now and then late.
	switch sev {
	case crm.SeveritySimple:
		d = d.AddDays(r.intn(2) * r.intn(2))
	case crm.SeverityGeneral:
		d = d.AddDays(r.between(1, 2))
	default:
		d = d.AddDays(r.between(2, 4))
	}
	step(crm.StepClarify, d)
	switch sev {
	case crm.SeveritySimple:
		d = d.AddDays(r.intn(2))
	case crm.SeverityGeneral:
		d = d.AddDays(r.intn(3))
	default:
		d = d.AddDays(r.between(1, 4))
	}
	step(crm.StepAgree, d)
	// A simple or general complaint is closed once a solution is agreed, and followed up
	// (回访) after; a complex one is closed after its follow-ups.
	closed := d
	follow := 0
	switch {
	case sev == crm.SeverityComplex: // a follow-up every few days until closed
		follow = r.between(2, 4)
	case r.per(700):
		follow = 1
	}
	for range follow {
		d = d.AddDays(r.between(3, 6))
		step(crm.StepFollowUp, d)
	}
	if sev == crm.SeverityComplex {
		closed = d
	}
	if stop >= 0 {
		c.Steps = c.Steps[:min(stop, len(c.Steps))]
	} else if d <= today {
		c.Closed = closed
		c.Resolution = of(r, resolutions[cat])
		sat := newWeighted(satisfactions, func(x wint) int { return x.w })
		c.Satisfaction = int(sat.pick(r).v)
		if cat == crm.ComplaintMalicious {
			c.Satisfaction = min(c.Satisfaction, 3)
		}
		return c
	}
	n := 0 // open: the steps taken so far
	for n < len(c.Steps) && c.Steps[n].Date <= today {
		n++
	}
	c.Steps = c.Steps[:n]
	return c
}

// Build returns the serve data, with a few items open on today for customers who bought in
// the last two months.
func (s *Serve) Build() ServeData {
	today := s.o.Today
	r := newRNG(s.o.Seed ^ 0x1f83d9abfb41bd6b)
	if len(s.recent) > 0 {
		pick := func() recentBuy { return s.recent[r.intn(len(s.recent))] }
		for _, x := range []struct {
			kind crm.ServiceKind
			days int
		}{{crm.ServiceAfterSales, -3}, {crm.ServiceOnline, -1}, {crm.ServiceOffline, 0}, {crm.ServiceAfterSales, 2}} {
			b := pick()
			v := s.serviceOn(r, s.ids[b.idx], b.item, x.kind, today.AddDays(x.days))
			v.Status, v.DoneDate = crm.ServiceOpen, 0
			s.out.Services = append(s.out.Services, v)
		}
		for _, x := range []struct {
			sev   crm.Severity
			cat   crm.ComplaintCategory
			days  int
			steps int
		}{{crm.SeverityComplex, crm.ComplaintDifficult, -9, 4}, {crm.SeverityGeneral, crm.ComplaintUrgent, -4, 3}, {crm.SeveritySimple, crm.ComplaintUrgent, -1, 2}} {
			b := pick()
			it := &s.h.cats[b.item.cat].items[b.item.item]
			desc := "顾客反映" + it.short + "有质量问题，要求处理"
			if len(it.plaint) > 0 {
				desc = of(r, it.plaint).s
			}
			s.out.Complaints = append(s.out.Complaints, s.complaint(r, s.ids[b.idx], max(today.AddDays(x.days), b.day),
				crm.ChannelPhone, x.cat, x.sev, desc, x.steps))
		}
	}
	return s.out
}
