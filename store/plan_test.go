package store

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"

	"carebook/crm"
	"carebook/crm/demo"
)

// demoBook fills s with n demo customers and their history as of today.
func demoBook(t testing.TB, s *Store, n int, today crm.Date) []crm.Customer {
	t.Helper()
	ctx := context.Background()
	opts := demo.Options{Customers: n, Seed: 11, Today: today}
	cards := demo.Customers(opts)
	if err := s.InsertCustomers(ctx, cards); err != nil {
		t.Fatal(err)
	}
	ids := make([]int64, len(cards))
	for i := range cards {
		ids[i] = cards[i].ID
	}
	err := demo.History(opts, cards, ids, func(ps []crm.Purchase, rs []crm.Record) error {
		if err := s.InsertPurchases(ctx, ps); err != nil {
			return err
		}
		return s.InsertRecords(ctx, rs)
	})
	if err != nil {
		t.Fatal(err)
	}
	return cards
}

// wholeHistory reads the whole book back, one customer at a time (the slow, obvious way).
func wholeHistory(t *testing.T, s *Store) *crm.History {
	t.Helper()
	ctx := context.Background()
	rows, err := s.db.QueryContext(ctx, `SELECT id FROM customers ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	h := &crm.History{}
	for _, id := range ids {
		c, err := s.Customer(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		h.Customers = append(h.Customers, *c)
		ps, err := s.Purchases(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		h.Purchases = append(h.Purchases, ps...)
		rs, err := s.CustomerRecords(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		h.Records = append(h.Records, rs...)
	}
	zs, err := s.db.QueryContext(ctx, `SELECT customer_id, reason, ref, until FROM snoozes`)
	if err != nil {
		t.Fatal(err)
	}
	defer zs.Close()
	for zs.Next() {
		var z crm.Snooze
		var until string
		if err := zs.Scan(&z.CustomerID, &z.Reason, &z.Ref, &until); err != nil {
			t.Fatal(err)
		}
		z.Until = crm.MustDate(until)
		h.Snoozes = append(h.Snoozes, z)
	}
	return h
}

// checkPlanState compares plan_state with a recomputation from the records and purchases.
func checkPlanState(t *testing.T, s *Store) {
	t.Helper()
	var n int
	err := s.db.QueryRow(`SELECT count(*) FROM customers c LEFT JOIN plan_state p ON p.customer_id = c.id
		WHERE p.customer_id IS NULL OR p.code <> c.code OR p.name <> c.name OR p.remark <> c.remark
		OR p.tier <> (CASE c.tier WHEN 'vip' THEN 0 WHEN 'major' THEN 1 WHEN 'ordinary' THEN 2 ELSE 3 END)
		OR p.gender <> (CASE c.gender WHEN 'male' THEN 1 WHEN 'female' THEN 2 ELSE 0 END)
		OR p.dnd <> c.dnd OR p.created <> unixepoch(c.created) / 86400 OR p.archived <> (c.archived_at IS NOT NULL)
		OR p.last_id IS NOT (SELECT id FROM records WHERE customer_id = c.id ORDER BY at DESC, id DESC LIMIT 1)
		OR p.last_at IS NOT (SELECT unixepoch(at) FROM records WHERE customer_id = c.id ORDER BY at DESC, id DESC LIMIT 1)
		OR p.last_next IS NOT (SELECT unixepoch(next_date) / 86400 FROM records WHERE customer_id = c.id ORDER BY at DESC, id DESC LIMIT 1)
		OR p.last_next_step IS NOT (SELECT next_step FROM records WHERE customer_id = c.id ORDER BY at DESC, id DESC LIMIT 1)
		OR p.last_recall IS NOT (SELECT unixepoch(substr(max(at), 1, 10)) / 86400 FROM records WHERE customer_id = c.id AND kind = 'recall')
		OR p.last_purchase IS NOT (SELECT unixepoch(max(date)) / 86400 FROM purchases WHERE customer_id = c.id)`).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	var extra int
	if err := s.db.QueryRow(`SELECT count(*) FROM plan_state WHERE customer_id NOT IN (SELECT id FROM customers)`).Scan(&extra); err != nil {
		t.Fatal(err)
	}
	if n != 0 || extra != 0 {
		t.Fatalf("plan_state: %d customers out of date, %d rows without a customer", n, extra)
	}
}

// The planner's summary stays right through bulk inserts, saves, edits, deletes, archive and
// purge.
func TestPlanStateFollowsEveryWrite(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	cards := demoBook(t, s, 120, crm.MustDate("2026-11-22"))
	checkPlanState(t, s)

	c := &cards[0]
	r := crm.Record{CustomerID: c.ID, At: at("2030-01-01 10:00:00"), Kind: crm.KindRecall, Channel: crm.ChannelPhone, NextDate: crm.MustDate("2030-01-05"), NextStep: "再联系"}
	if err := s.SaveRecord(ctx, &r); err != nil {
		t.Fatal(err)
	}
	checkPlanState(t, s)
	r.At = at("2020-01-01 10:00:00") // no longer the latest
	r.NextDate = crm.MustDate("2020-01-02")
	if err := s.SaveRecord(ctx, &r); err != nil {
		t.Fatal(err)
	}
	checkPlanState(t, s)
	if err := s.DeleteRecord(ctx, r.ID); err != nil {
		t.Fatal(err)
	}
	checkPlanState(t, s)
	p := crm.Purchase{CustomerID: c.ID, Date: crm.MustDate("2030-02-01"), Amount: 100}
	if err := s.SavePurchase(ctx, &p); err != nil {
		t.Fatal(err)
	}
	checkPlanState(t, s)
	p.Date = crm.MustDate("2019-02-01")
	if err := s.SavePurchase(ctx, &p); err != nil {
		t.Fatal(err)
	}
	checkPlanState(t, s)
	if err := s.DeletePurchase(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	checkPlanState(t, s)
	full, err := s.Customer(ctx, cards[1].ID)
	if err != nil {
		t.Fatal(err)
	}
	full.Tier, full.DoNotDisturb, full.Gender, full.Name, full.Remark = crm.TierVIP, true, crm.GenderFemale, "新名字", "小新"
	if err := s.SaveCustomer(ctx, full); err != nil {
		t.Fatal(err)
	}
	checkPlanState(t, s)
	if err := s.ArchiveCustomer(ctx, cards[2].ID); err != nil {
		t.Fatal(err)
	}
	checkPlanState(t, s)
	if err := s.RestoreCustomer(ctx, cards[2].ID); err != nil {
		t.Fatal(err)
	}
	if err := s.PurgeCustomer(ctx, cards[3].ID); err != nil {
		t.Fatal(err)
	}
	checkPlanState(t, s)
	rs := []crm.Record{
		{CustomerID: cards[4].ID, At: at("2026-11-22 09:00:00"), Kind: crm.KindGreeting, Channel: crm.ChannelWeChat},
		{CustomerID: cards[5].ID, At: at("2026-11-22 09:00:00"), Kind: crm.KindGreeting, Channel: crm.ChannelWeChat},
	}
	if err := s.SaveRecords(ctx, rs); err != nil {
		t.Fatal(err)
	}
	checkPlanState(t, s)
}

// The plan the store loads set-based equals the plan of the whole history read back the obvious
// way, on every day around the demo's today (holidays included), on days in the past (the book
// as of then), with snoozes, edge customers and settings changed.
func TestPlanEqualsPlanFromWholeHistory(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	today := crm.MustDate("2026-11-22")
	cards := demoBook(t, s, 300, today)
	// Edge customers: archived, do-not-disturb, created later, birthdays on Feb 29 and lunar 30.
	edge := []crm.Customer{
		{Name: "归档", Tier: crm.TierVIP, Created: crm.MustDate("2025-01-01"), Birthday: &crm.KeyDate{Calendar: crm.Solar, Month: 12, Day: 1}},
		{Name: "免打扰", Tier: crm.TierVIP, DoNotDisturb: true, Created: crm.MustDate("2025-01-01"), Birthday: &crm.KeyDate{Calendar: crm.Solar, Month: 12, Day: 1}},
		{Name: "新客", Tier: crm.TierMajor, Gender: crm.GenderFemale, Created: crm.MustDate("2026-12-10"), Birthday: &crm.KeyDate{Calendar: crm.Solar, Month: 2, Day: 29}},
		{Name: "农历三十", Tier: crm.TierOrdinary, Created: crm.MustDate("2024-01-01"), Birthday: &crm.KeyDate{Calendar: crm.Lunar, Month: 10, Day: 30},
			Dates: []crm.KeyDate{{Label: "开业", Calendar: crm.Lunar, Month: 11, Day: 1, Leap: false}}},
	}
	for i := range edge {
		if err := s.SaveCustomer(ctx, &edge[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.ArchiveCustomer(ctx, edge[0].ID); err != nil {
		t.Fatal(err)
	}
	// Snooze a few of today's items.
	plan, err := s.Plan(ctx, today)
	if err != nil {
		t.Fatal(err)
	}
	for i, it := range plan.Maintain {
		if i%5 == 0 {
			if err := s.Snooze(ctx, crm.Snooze{CustomerID: it.Customer.ID, Reason: it.Reason, Ref: it.Ref, Until: today.AddDays(3)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	_ = cards
	h := wholeHistory(t, s)

	days := []crm.Date{crm.MustDate("2025-01-29"), crm.MustDate("2025-10-06"), crm.MustDate("2026-03-08"),
		crm.MustDate("2026-05-01"), crm.MustDate("2026-06-19")}
	for d := crm.MustDate("2026-09-20"); d <= crm.MustDate("2026-12-31"); d++ {
		days = append(days, d)
	}
	check := func(ps crm.PlanSettings) {
		t.Helper()
		if err := s.SetPlanSettings(ctx, ps); err != nil {
			t.Fatal(err)
		}
		items := 0
		for _, d := range days {
			got, err := s.Plan(ctx, d)
			if err != nil {
				t.Fatal(err)
			}
			want := crm.PlanFromHistory(d, ps, h)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("plan of %s differs:\n%s", d, diffPlans(got, want))
			}
			items += len(got.Maintain)
		}
		if items < len(days) {
			t.Fatalf("only %d items over %d days: the test proves little", items, len(days))
		}
	}
	check(crm.DefaultPlanSettings())
	other := crm.DefaultPlanSettings()
	other.Steps, other.Grace, other.LeadDays = []int{2, 10}, 3, 10
	other.Cadence[crm.TierSmall] = 60
	other.Dormant, other.HalfLost, other.Lost, other.RecallRepeat = 60, 120, 300, 14
	for k := range other.Holidays {
		other.Holidays[k] = true
	}
	check(other)
}

func diffPlans(got, want crm.Plan) string {
	idx := func(p crm.Plan) map[string]crm.PlanItem {
		m := map[string]crm.PlanItem{}
		for _, it := range p.Maintain {
			m[fmt.Sprintf("%d/%s/%s", it.Customer.ID, it.Reason, it.Ref)] = it
		}
		return m
	}
	g, w := idx(got), idx(want)
	out := fmt.Sprintf("%d items, want %d; expired %d, want %d\n", len(got.Maintain), len(want.Maintain), got.Expired, want.Expired)
	n := 0
	for k, it := range w {
		if x, ok := g[k]; !ok {
			out += fmt.Sprintf("missing %+v\n", it)
		} else if !reflect.DeepEqual(x, it) {
			out += fmt.Sprintf("differs\n got %+v\nwant %+v\n", x, it)
		} else {
			continue
		}
		if n++; n > 5 {
			break
		}
	}
	for k, it := range g {
		if _, ok := w[k]; !ok {
			out += fmt.Sprintf("extra %+v\n", it)
			if n++; n > 10 {
				break
			}
		}
	}
	return out
}

func TestPlanSettingsStoredAndInvalidRefused(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	got, err := s.PlanSettings(ctx)
	if err != nil || !reflect.DeepEqual(got, crm.DefaultPlanSettings()) {
		t.Fatalf("defaults: %v %v", got, err)
	}
	ps := crm.DefaultPlanSettings()
	ps.Steps, ps.Cadence[crm.TierVIP], ps.Holidays["christmas"] = []int{1, 2}, 5, true
	if err := s.SetPlanSettings(ctx, ps); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.PlanSettings(ctx); !reflect.DeepEqual(got, ps) {
		t.Fatalf("stored %v, want %v", got, ps)
	}
	bad := ps.Clone()
	bad.Grace = 0
	var es crm.Errors
	if err := s.SetPlanSettings(ctx, bad); !errors.As(err, &es) || es.For("grace") == nil {
		t.Fatalf("invalid settings: %v", err)
	}
	if got, _ := s.PlanSettings(ctx); !reflect.DeepEqual(got, ps) {
		t.Fatalf("invalid settings changed the book: %v", got)
	}
}

func TestSaveRecordsAllOrNothingAndSnoozeUpsert(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	c := crm.Customer{Name: "张三", Created: crm.MustDate("2026-01-01")}
	if err := s.SaveCustomer(ctx, &c); err != nil {
		t.Fatal(err)
	}
	rs := []crm.Record{
		{CustomerID: c.ID, At: at("2026-11-22 09:00:00"), Kind: crm.KindGreeting, Channel: crm.ChannelWeChat},
		{CustomerID: c.ID + 99, At: at("2026-11-22 09:00:00"), Kind: crm.KindGreeting, Channel: crm.ChannelWeChat},
	}
	if err := s.SaveRecords(ctx, rs); err == nil {
		t.Fatal("a record of a missing customer was accepted")
	}
	if n, _ := s.CountRecords(ctx, crm.RecordQuery{}); n != 0 {
		t.Fatalf("%d records written by a failed batch", n)
	}
	if err := s.SaveRecords(ctx, rs[:1]); err != nil || rs[0].ID == 0 {
		t.Fatal(err)
	}
	if n, _ := s.CountRecords(ctx, crm.RecordQuery{}); n != 1 {
		t.Fatalf("%d records", n)
	}
	z := crm.Snooze{CustomerID: c.ID, Reason: crm.ReasonCadence, Ref: "2026-11-22", Until: crm.MustDate("2026-11-25")}
	if err := s.Snooze(ctx, z); err != nil {
		t.Fatal(err)
	}
	z.Until = crm.MustDate("2026-11-30")
	if err := s.Snooze(ctx, z); err != nil {
		t.Fatal(err)
	}
	in, err := s.PlanInput(ctx, crm.MustDate("2026-11-26"), crm.DefaultPlanSettings())
	if err != nil || len(in.Snoozes) != 1 || in.Snoozes[0].Until != z.Until {
		t.Fatalf("snoozes %v %v", in, err)
	}
	if err := s.Snooze(ctx, crm.Snooze{CustomerID: c.ID + 99, Reason: crm.ReasonCadence, Until: z.Until}); err == nil {
		t.Fatal("snooze of a missing customer accepted")
	}
	// Templates: stored per language, empty restores the default.
	if err := s.SetTemplate(ctx, "zh-Hans", crm.TemplateBirthday, "{name}生日快乐"); err != nil {
		t.Fatal(err)
	}
	if m, _ := s.Templates(ctx, "zh-Hans"); m[crm.TemplateBirthday] != "{name}生日快乐" {
		t.Fatalf("templates %v", m)
	}
	if m, _ := s.Templates(ctx, "en"); len(m) != 0 {
		t.Fatalf("en templates %v", m)
	}
	if err := s.SetTemplate(ctx, "zh-Hans", crm.TemplateBirthday, " "); err != nil {
		t.Fatal(err)
	}
	if m, _ := s.Templates(ctx, "zh-Hans"); len(m) != 0 {
		t.Fatalf("templates after reset %v", m)
	}
	if err := s.SetTemplate(ctx, "zh-Hans", "nonsense", "x"); err == nil {
		t.Fatal("unknown template accepted")
	}
}
