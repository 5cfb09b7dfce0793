package demo

import (
	"reflect"
	"slices"
	"testing"

	"carebook/crm"
)

// serveOf generates the events (IDs 1, 2…) and the serve data of a book of n customers (ids
// 1, 2…), feeding Serve with History's batches as the demo command does.
func serveOf(t *testing.T, o Options) ([]crm.Customer, []crm.Purchase, []crm.Event, ServeData) {
	t.Helper()
	cs := Customers(o)
	evs := Events(o)
	for i := range evs {
		evs[i].ID = int64(i + 1)
	}
	ids := make([]int64, len(cs))
	for i := range ids {
		ids[i] = int64(i + 1)
	}
	s := NewServe(o, cs, ids, evs)
	var ps []crm.Purchase
	if err := History(o, cs, ids, func(p []crm.Purchase, r []crm.Record) error {
		s.Add(p, r)
		ps = append(ps, p...)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return cs, ps, evs, s.Build()
}

func TestServeDeterministic(t *testing.T) {
	o := Options{Customers: 1500, Seed: 5, Today: today}
	_, _, e1, s1 := serveOf(t, o)
	_, _, e2, s2 := serveOf(t, o)
	if !reflect.DeepEqual(e1, e2) || !reflect.DeepEqual(s1, s2) {
		t.Fatal("the same options gave different events or serve data")
	}
	if len(s1.Invitations) == 0 || len(s1.Services) == 0 || len(s1.Complaints) == 0 {
		t.Fatalf("empty serve data: %d invitations, %d services, %d complaints", len(s1.Invitations), len(s1.Services), len(s1.Complaints))
	}
	o.Seed = 6
	if _, _, _, s3 := serveOf(t, o); reflect.DeepEqual(s1, s3) {
		t.Error("another seed gave the same serve data")
	}
}

// TestServeConsistent checks the events, invitations, services and complaints against their
// rules and against the customers and their purchases.
func TestServeConsistent(t *testing.T) {
	const n = 4000
	o := Options{Customers: n, Seed: 1, Today: today}
	cs, ps, evs, sd := serveOf(t, o)
	start := today.AddDays(-3 * 365)
	byID := func(id int64) *crm.Customer { return &cs[id-1] }
	purchasesOf := map[int64][]crm.Purchase{}
	for _, p := range ps {
		purchasesOf[p.CustomerID] = append(purchasesOf[p.CustomerID], p)
	}

	// Events: about one a month over the three years, windows of 7 to 14 days, at least one
	// window open today.
	if len(evs) < 24 || len(evs) > 42 {
		t.Errorf("%d events over three years", len(evs))
	}
	open := 0
	for i, e := range evs {
		e := e
		crm.NormalizeEvent(&e)
		if errs := crm.ValidateEvent(&e); errs != nil {
			t.Errorf("event %d: %v", i, errs)
		}
		if e.WindowDays < 7 || e.WindowDays > 14 || e.Purpose == "" || e.Script == "" {
			t.Errorf("event %+v", e)
		}
		if i > 0 && e.Date < evs[i-1].Date {
			t.Errorf("events not by date at %d", i)
		}
		if crm.InviteWindowOpen(e, today) {
			open++
		}
	}
	if open == 0 {
		t.Error("no event with its invite window open today")
	}

	// Invitations: for an event, of a customer in its audience, invited within its window,
	// realistic statuses.
	s := &Serve{ps: crm.DefaultPlanSettings()}
	statuses := map[bool]map[crm.InvitationStatus]int{false: {}, true: {}}
	seen := map[[2]int64]bool{}
	for _, v := range sd.Invitations {
		if errs := crm.ValidateInvitation(&v); errs != nil {
			t.Fatalf("invitation %+v: %v", v, errs)
		}
		e := evs[v.EventID-1]
		c := byID(v.CustomerID)
		if !e.Audience.Matches(c.Tags, c.Tier, s.stageOn(purchasesOf[v.CustomerID], v.Date), "") {
			t.Errorf("invitation of %s (%v %v) to %s (%+v), not in its audience", c.Name, c.Tier, c.Tags, e.Name, e.Audience)
		}
		if c.DoNotDisturb {
			t.Errorf("do-not-disturb %s invited", c.Name)
		}
		if v.Date > today || v.Date > e.Date || v.Date < e.Date.AddDays(-e.WindowDays) || v.Date < c.Created {
			t.Errorf("invitation to %s on %s dated %s", e.Name, e.Date, v.Date)
		}
		key := [2]int64{v.EventID, v.CustomerID}
		if seen[key] {
			t.Errorf("two invitations of %d to %d", v.CustomerID, v.EventID)
		}
		seen[key] = true
		statuses[e.Date < today][v.Status]++
	}
	past, upcoming := statuses[true], statuses[false]
	if past[crm.InvitationAccepted] != 0 || past[crm.InvitationAttended] == 0 || past[crm.InvitationNoShow] == 0 || past[crm.InvitationDeclined] == 0 {
		t.Errorf("statuses of past events: %v", past)
	}
	if upcoming[crm.InvitationAttended]+upcoming[crm.InvitationNoShow] != 0 || upcoming[crm.InvitationInvited]+upcoming[crm.InvitationAccepted] == 0 {
		t.Errorf("statuses of upcoming events: %v", upcoming)
	}

	// Services: about one per 20 customers a year (of the customers' years in the book); after the customer's first day; done ones
	// done by today; some open and overdue today.
	customerYears := 0.0
	for i := range cs {
		customerYears += float64(today.Sub(max(cs[i].Created, start))) / 365
	}
	about := func(got int, want float64) bool { return float64(got) >= want*0.6 && float64(got) <= want*1.6 }
	if got, want := len(sd.Services), customerYears/20; !about(got, want) {
		t.Errorf("%d services, want about %.0f", got, want)
	}
	openDue, overdue := 0, 0
	for _, v := range sd.Services {
		if errs := crm.ValidateService(&v); errs != nil {
			t.Fatalf("service %+v: %v", v, errs)
		}
		c := byID(v.CustomerID)
		if v.Date < max(c.Created, start) || v.Date > today.AddDays(30) {
			t.Errorf("service of %s (created %s) dated %s", c.Name, c.Created, v.Date)
		}
		switch {
		case v.Status == crm.ServiceDone && (v.DoneDate < v.Date || v.DoneDate > today):
			t.Errorf("service %+v done on %s", v, v.DoneDate)
		case v.Status == crm.ServiceOpen && v.Date < today.AddDays(-14):
			t.Errorf("service open for long: %+v", v)
		case v.Status == crm.ServiceOpen && v.Date < today:
			overdue++
		case v.Status == crm.ServiceOpen && v.Date == today:
			openDue++
		}
	}
	if overdue == 0 || openDue == 0 {
		t.Errorf("open services today: %d overdue, %d due", overdue, openDue)
	}

	// Complaints: about one per 50 customers a year; steps in the order of the five steps and
	// by date, none before received; closed ones closed on their last step with a resolution
	// and a satisfaction; a few open today, one of them complex.
	if got, want := len(sd.Complaints), customerYears/50; !about(got, want) {
		t.Errorf("%d complaints, want about %.0f", got, want)
	}
	openNow, complexOpen := 0, 0
	for _, c := range sd.Complaints {
		if errs := crm.ValidateComplaint(&c); errs != nil {
			t.Fatalf("complaint %+v: %v", c, errs)
		}
		if c.Received < byID(c.CustomerID).Created || c.Received > today || len(c.Steps) == 0 {
			t.Errorf("complaint %+v", c)
		}
		for i, st := range c.Steps {
			if st.Date < c.Received || st.Date > today || st.Note == "" {
				t.Errorf("complaint received %s: step %+v", c.Received, st)
			}
			if i > 0 && (st.Date < c.Steps[i-1].Date ||
				slices.Index(crm.ComplaintSteps, st.Step) < slices.Index(crm.ComplaintSteps, c.Steps[i-1].Step)) {
				t.Errorf("complaint steps out of order: %+v", c.Steps)
			}
		}
		if c.Steps[0].Step != crm.StepListen {
			t.Errorf("complaint starts with %s", c.Steps[0].Step)
		}
		if c.Closed.IsZero() {
			openNow++
			if c.Severity == crm.SeverityComplex {
				complexOpen++
			}
			if c.Resolution != "" || c.Satisfaction != 0 {
				t.Errorf("open complaint with a result: %+v", c)
			}
			continue
		}
		// Closed once a solution is agreed (complex: after the follow-ups), followed up after.
		closedOn := c.LatestStep()
		if c.Severity != crm.SeverityComplex {
			for _, st := range c.Steps {
				if st.Step == crm.StepAgree {
					closedOn = st.Date
				}
			}
		}
		if c.Closed != closedOn || c.Resolution == "" || c.Satisfaction == 0 || c.LatestStep() > today {
			t.Errorf("closed complaint %+v", c)
		}
	}
	if openNow < 3 || complexOpen == 0 {
		t.Errorf("%d complaints open today, %d complex", openNow, complexOpen)
	}
}

// TestEventNamesHaveKinds checks that every event name History may draw has a kind.
func TestEventNamesHaveKinds(t *testing.T) {
	for _, names := range eventsByMonth {
		for _, name := range split(names) {
			if _, ok := eventKindOf[name]; !ok {
				t.Errorf("event %s has no kind", name)
			}
		}
	}
}
