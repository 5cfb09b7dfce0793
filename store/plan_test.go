package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

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
	if h.Events, err = s.Events(ctx, 0, 0); err != nil {
		t.Fatal(err)
	}
	for _, e := range h.Events {
		vs, err := s.Invitations(ctx, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		h.Invitations = append(h.Invitations, vs...)
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
	// The line says what the columns say.
	rows, err := s.db.Query(`SELECT line, customer_id, code, name, remark, tier, gender, dnd, created,
		last_at, last_id, last_next, coalesce(last_next_step, ''), last_recall, last_purchase FROM plan_state`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	day := func(v sql.NullInt64) crm.Date {
		if !v.Valid {
			return 0
		}
		return unixDay + crm.Date(v.Int64)
	}
	for rows.Next() {
		var line string
		var want crm.PlanCustomer
		var tier, gender, created int64
		var lastAt, lastID, next, recall, purchase sql.NullInt64
		if err := rows.Scan(&line, &want.ID, &want.Code, &want.Name, &want.Remark, &tier, &gender, &want.DoNotDisturb,
			&created, &lastAt, &lastID, &next, &want.NextStep, &recall, &purchase); err != nil {
			t.Fatal(err)
		}
		want.Tier, want.Gender, want.Created = planTiers[tier], planGenders[gender], unixDay+crm.Date(created)
		if lastID.Valid {
			want.LastRecordAt, want.LastRecordID = time.Unix(lastAt.Int64, 0).UTC(), lastID.Int64
		}
		want.NextDate, want.LastRecall, want.LastPurchase = day(next), day(recall), day(purchase)
		var got crm.PlanCustomer
		if _, err := parsePlanLine(line, &got); err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("plan_state line %q: %+v %v, want %+v", line, got, err, want)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	// Every trigger is there (a bulk insert suspends some).
	var triggers int
	if err := s.db.QueryRow(`SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND name LIKE 'plan\_%' ESCAPE '\'`).Scan(&triggers); err != nil || triggers != 8 {
		t.Fatalf("%d plan triggers (%v), want 8", triggers, err)
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

	// Two records at the same time: the later ID is the latest; moving one to another customer.
	same := []crm.Record{
		{CustomerID: cards[6].ID, At: at("2030-05-05 08:00:00"), Kind: crm.KindRoutine, Channel: crm.ChannelSMS, NextDate: crm.MustDate("2030-05-09"), NextStep: "甲"},
		{CustomerID: cards[6].ID, At: at("2030-05-05 08:00:00"), Kind: crm.KindRecall, Channel: crm.ChannelSMS, NextDate: crm.MustDate("2030-05-07"), NextStep: "乙\n第二行"},
	}
	for i := range same {
		if err := s.SaveRecord(ctx, &same[i]); err != nil {
			t.Fatal(err)
		}
	}
	checkPlanState(t, s)
	same[1].CustomerID = cards[7].ID
	if err := s.SaveRecord(ctx, &same[1]); err != nil {
		t.Fatal(err)
	}
	checkPlanState(t, s)
	p2 := crm.Purchase{CustomerID: cards[6].ID, Date: crm.MustDate("2031-01-01"), Amount: 1}
	if err := s.SavePurchase(ctx, &p2); err != nil {
		t.Fatal(err)
	}
	p2.CustomerID = cards[7].ID
	if err := s.SavePurchase(ctx, &p2); err != nil {
		t.Fatal(err)
	}
	checkPlanState(t, s)

	// Texts with the line's separators, days before 1970 (negative numbers).
	odd := crm.Customer{Name: "a|b c", Remark: "| |", Created: crm.MustDate("1960-02-29")}
	if err := s.SaveCustomer(ctx, &odd); err != nil {
		t.Fatal(err)
	}
	oldRecord := crm.Record{CustomerID: odd.ID, At: at("1961-03-01 10:00:00"), Kind: crm.KindRecall, Channel: crm.ChannelPhone,
		NextDate: crm.MustDate("1961-03-02"), NextStep: "| x\ty"}
	if err := s.SaveRecord(ctx, &oldRecord); err != nil {
		t.Fatal(err)
	}
	oldBuy := crm.Purchase{CustomerID: odd.ID, Date: crm.MustDate("1962-01-01"), Amount: 1}
	if err := s.SavePurchase(ctx, &oldBuy); err != nil {
		t.Fatal(err)
	}
	checkPlanState(t, s)
	in, err := s.PlanInput(ctx, crm.MustDate("1961-03-05"), crm.DefaultPlanSettings())
	if err != nil || len(in.Customers) != 1 || in.Customers[0].Name != odd.Name || in.Customers[0].NextStep != oldRecord.NextStep ||
		!in.Customers[0].LastRecordAt.Equal(oldRecord.At) || in.Customers[0].LastRecall != oldRecord.Date() || in.Customers[0].LastPurchase != 0 {
		t.Fatalf("as of 1961: %+v %v", in, err)
	}

	// Bulk inserts into a book with history, new customers among them; a failed batch leaves
	// the triggers in place.
	more := demo.Customers(demo.Options{Customers: 30, Seed: 5, Today: crm.MustDate("2026-11-22")})
	for i := range more {
		more[i].Code = ""
	}
	if err := s.InsertCustomers(ctx, more); err != nil {
		t.Fatal(err)
	}
	checkPlanState(t, s)
	bulkPs := []crm.Purchase{{CustomerID: more[0].ID, Date: crm.MustDate("2026-01-02"), Amount: 5},
		{CustomerID: cards[8].ID, Date: crm.MustDate("2032-01-02"), Amount: 5}, {CustomerID: cards[8].ID, Date: crm.MustDate("2020-01-02"), Amount: 5}}
	if err := s.InsertPurchases(ctx, bulkPs); err != nil {
		t.Fatal(err)
	}
	bulkRs := []crm.Record{
		{CustomerID: more[0].ID, At: at("2026-01-03 10:00:00"), Kind: crm.KindRecall, Channel: crm.ChannelPhone},
		{CustomerID: cards[8].ID, At: at("2032-01-03 10:00:00"), Kind: crm.KindOther, Channel: crm.ChannelPhone, NextDate: crm.MustDate("2032-02-01")},
		{CustomerID: cards[8].ID, At: at("2019-01-03 10:00:00"), Kind: crm.KindRecall, Channel: crm.ChannelPhone},
	}
	if err := s.InsertRecords(ctx, bulkRs); err != nil {
		t.Fatal(err)
	}
	checkPlanState(t, s)
	bad := []crm.Record{{CustomerID: cards[9].ID, At: at("2033-01-01 10:00:00"), Kind: crm.KindRoutine, Channel: crm.ChannelPhone},
		{CustomerID: 1 << 40, At: at("2033-01-01 10:00:00"), Kind: crm.KindRoutine, Channel: crm.ChannelPhone}}
	if err := s.InsertRecords(ctx, bad); err == nil {
		t.Fatal("a record of a missing customer was accepted")
	}
	if err := s.InsertPurchases(ctx, []crm.Purchase{{CustomerID: 1 << 40, Date: crm.MustDate("2033-01-01")}}); err == nil {
		t.Fatal("a purchase of a missing customer was accepted")
	}
	checkPlanState(t, s)
	r3 := crm.Record{CustomerID: cards[9].ID, At: at("2034-01-01 10:00:00"), Kind: crm.KindRecall, Channel: crm.ChannelPhone}
	if err := s.SaveRecord(ctx, &r3); err != nil {
		t.Fatal(err)
	}
	p3 := crm.Purchase{CustomerID: cards[9].ID, Date: crm.MustDate("2034-01-01"), Amount: 5}
	if err := s.SavePurchase(ctx, &p3); err != nil {
		t.Fatal(err)
	}
	checkPlanState(t, s)
	if err := s.ArchiveCustomer(ctx, cards[9].ID); err != nil {
		t.Fatal(err)
	}
	if err := s.PurgeCustomer(ctx, cards[9].ID); err != nil {
		t.Fatal(err)
	}
	checkPlanState(t, s)
}

// PlanInput as of a past day sees the book as it was then: later records, purchases and
// customers are left out, and a customer's history is summed up as of that day.
func TestPlanInputAsOfPastDay(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	old := crm.Customer{Name: "老客", Tier: crm.TierVIP, Created: crm.MustDate("2025-01-01")}
	later := crm.Customer{Name: "新客", Tier: crm.TierVIP, Created: crm.MustDate("2025-07-01")}
	for _, c := range []*crm.Customer{&old, &later} {
		if err := s.SaveCustomer(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	save := func(r crm.Record) crm.Record {
		t.Helper()
		if err := s.SaveRecord(ctx, &r); err != nil {
			t.Fatal(err)
		}
		return r
	}
	buy := func(day string) crm.Purchase {
		t.Helper()
		p := crm.Purchase{CustomerID: old.ID, Date: crm.MustDate(day), Amount: 100}
		if err := s.SavePurchase(ctx, &p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	buy("2025-01-10")
	first := buy("2025-02-01")
	recall := save(crm.Record{CustomerID: old.ID, At: at("2025-05-20 10:00:00"), Kind: crm.KindRecall, Channel: crm.ChannelPhone})
	then := save(crm.Record{CustomerID: old.ID, At: at("2025-06-01 09:30:00"), Kind: crm.KindRoutine, Channel: crm.ChannelPhone,
		NextDate: crm.MustDate("2025-06-05"), NextStep: "回访"})
	// After the planned day: a purchase, a recall, a record with another next date.
	buy("2025-06-20")
	save(crm.Record{CustomerID: old.ID, At: at("2025-06-21 10:00:00"), Kind: crm.KindRecall, Channel: crm.ChannelPhone})
	save(crm.Record{CustomerID: old.ID, At: at("2025-06-22 10:00:00"), Kind: crm.KindRoutine, Channel: crm.ChannelPhone,
		NextDate: crm.MustDate("2025-07-01"), NextStep: "再访"})
	checkPlanState(t, s)

	d := crm.MustDate("2025-06-10")
	in, err := s.PlanInput(ctx, d, crm.DefaultPlanSettings())
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Customers) != 1 {
		t.Fatalf("customers %+v, want the old one only", in.Customers)
	}
	c := in.Customers[0]
	if c.ID != old.ID || !c.LastRecordAt.Equal(then.At) || c.LastRecordID != then.ID || c.NextDate != then.NextDate ||
		c.NextStep != "回访" || c.LastRecall != recall.Date() || c.LastPurchase != first.Date {
		t.Fatalf("as of %s: %+v", d, c)
	}
	for _, r := range in.Records {
		if r.Date > d {
			t.Fatalf("record of %s in the plan of %s", r.Date, d)
		}
	}
	for _, p := range in.Purchases {
		if p.Date > d {
			t.Fatalf("purchase of %s in the plan of %s", p.Date, d)
		}
	}
	plan, err := s.Plan(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	var follow bool
	for _, it := range plan.Maintain {
		follow = follow || (it.Reason == crm.ReasonFollowUp && it.RecordID == then.ID && it.Due == then.NextDate)
		if it.Customer.ID == later.ID {
			t.Fatalf("a customer created later is in the plan: %+v", it)
		}
	}
	if !follow {
		t.Fatalf("no follow-up of record %d in %+v", then.ID, plan.Maintain)
	}
	// Before every record and purchase (the keep-in-touch contact is due a week after the
	// customer was created): nothing summed up at all.
	in, err = s.PlanInput(ctx, crm.MustDate("2025-01-09"), crm.DefaultPlanSettings())
	if err != nil || len(in.Customers) != 1 {
		t.Fatalf("%+v %v", in, err)
	}
	if c := in.Customers[0]; c.LastRecordID != 0 || !c.LastRecordAt.IsZero() || c.NextDate != 0 || c.NextStep != "" ||
		c.LastRecall != 0 || c.LastPurchase != 0 {
		t.Fatalf("before any history: %+v", c)
	}
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
		{Name: "闰月", Tier: crm.TierSmall, Gender: crm.GenderFemale, Created: crm.MustDate("2024-01-01"),
			Birthday: &crm.KeyDate{Calendar: crm.Lunar, Month: 6, Day: 10, Leap: true},
			Dates:    []crm.KeyDate{{Label: "腊月三十", Calendar: crm.Lunar, Month: 12, Day: 30}, {Label: "二月二十九", Calendar: crm.Solar, Month: 2, Day: 29, Year: 2000}}},
		{Name: "未来", Tier: crm.TierMajor, Created: crm.MustDate("2024-06-01")},
	}
	for i := range edge {
		if err := s.SaveCustomer(ctx, &edge[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.ArchiveCustomer(ctx, edge[0].ID); err != nil {
		t.Fatal(err)
	}
	// History of the edge customers: the do-not-disturb one still gets follow-ups; two records at
	// the same time; records and purchases after the demo's today (every day tested is "past" for
	// that customer).
	future := edge[len(edge)-1].ID
	for _, r := range []crm.Record{
		{CustomerID: edge[1].ID, At: at("2026-09-01 10:00:00"), Kind: crm.KindRoutine, Channel: crm.ChannelPhone, NextDate: crm.MustDate("2026-10-02"), NextStep: "问问"},
		{CustomerID: edge[3].ID, At: at("2026-10-10 10:00:00"), Kind: crm.KindOther, Channel: crm.ChannelPhone, NextDate: crm.MustDate("2026-10-20"), NextStep: "甲"},
		{CustomerID: edge[3].ID, At: at("2026-10-10 10:00:00"), Kind: crm.KindOther, Channel: crm.ChannelPhone, NextDate: crm.MustDate("2026-10-12"), NextStep: "乙"},
		{CustomerID: future, At: at("2025-03-01 10:00:00"), Kind: crm.KindRecall, Channel: crm.ChannelPhone},
		{CustomerID: future, At: at("2027-01-05 10:00:00"), Kind: crm.KindRecall, Channel: crm.ChannelPhone, NextDate: crm.MustDate("2027-01-06")},
	} {
		if err := s.SaveRecord(ctx, &r); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range []crm.Purchase{{CustomerID: future, Date: crm.MustDate("2024-07-01"), Amount: 100},
		{CustomerID: future, Date: crm.MustDate("2027-01-01"), Amount: 100}} {
		if err := s.SavePurchase(ctx, &p); err != nil {
			t.Fatal(err)
		}
	}
	// Events with every kind of audience, open on some of the days tested, and invitations
	// dated before, within and after them, or undated.
	tag := ""
	for _, c := range cards {
		if len(c.Tags) > 0 {
			tag = c.Tags[0]
			break
		}
	}
	if tag == "" {
		t.Fatal("no demo customer has a tag")
	}
	events := []crm.Event{
		{Name: "全员", Date: crm.MustDate("2026-10-15"), WindowDays: 10},
		{Name: "标签与等级", Date: crm.MustDate("2026-11-30"), WindowDays: 14,
			Audience: crm.Audience{Tags: []string{tag, "没有人"}, Tiers: []crm.Tier{crm.TierVIP, crm.TierMajor, crm.TierOrdinary}}},
		{Name: "召回", Date: crm.MustDate("2026-12-20"), WindowDays: 30,
			Audience: crm.Audience{Stages: []crm.Stage{crm.StageDormant, crm.StageHalfLost, crm.StageLost, crm.StageProspect}}},
		{Name: "价值", Date: crm.MustDate("2025-08-20"), WindowDays: 20,
			Audience: crm.Audience{Segments: []crm.Segment{crm.SegmentImportantValue, crm.SegmentImportantRetain}, Tiers: []crm.Tier{crm.TierVIP, crm.TierMajor}}},
		{Name: "春节", Date: crm.MustDate("2026-02-20"), WindowDays: 366},
	}
	for i := range events {
		if err := s.SaveEvent(ctx, &events[i]); err != nil {
			t.Fatal(err)
		}
	}
	for i, c := range cards {
		if i%7 != 0 {
			continue
		}
		e := events[(i/7)%len(events)]
		var day crm.Date
		switch i % 3 {
		case 0:
			day = e.Date.AddDays(-e.WindowDays / 2)
		case 1:
			day = e.Date.AddDays(3)
		}
		if _, err := s.SetInvitation(ctx, e.ID, c.ID, crm.InvitationInvited, day, ""); err != nil {
			t.Fatal(err)
		}
	}

	// Snooze a few of today's items.
	plan, err := s.Plan(ctx, today)
	if err != nil {
		t.Fatal(err)
	}
	for i, it := range append(plan.Maintain, plan.Invite...) {
		if i%5 == 0 {
			if err := s.Snooze(ctx, crm.Snooze{CustomerID: it.Customer.ID, Reason: it.Reason, Ref: it.Ref, Until: today.AddDays(3)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	_ = cards
	h := wholeHistory(t, s)

	// Around the demo's today (mid-autumn 2026-09-25, national day 2026-10-01), in the past (the
	// lunar leap month 6 of 2025 and qixi, the spring festival of 2026 with new year's eve, Feb 28
	// of a common year, the lantern festival, women's day) and single holidays.
	days := []crm.Date{crm.MustDate("2025-01-29"), crm.MustDate("2025-10-06"), crm.MustDate("2026-05-01"),
		crm.MustDate("2026-06-19"), crm.MustDate("2027-01-01")}
	for _, r := range [][2]string{{"2026-09-20", "2026-12-31"}, {"2025-07-20", "2025-09-02"}, {"2026-02-12", "2026-03-10"}} {
		for d := crm.MustDate(r[0]); d <= crm.MustDate(r[1]); d++ {
			days = append(days, d)
		}
	}
	check := func(ps crm.PlanSettings) {
		t.Helper()
		if err := s.SetPlanSettings(ctx, ps); err != nil {
			t.Fatal(err)
		}
		items, invites := 0, 0
		for _, d := range days {
			got, err := s.Plan(ctx, d)
			if err != nil {
				t.Fatal(err)
			}
			want := crm.PlanFromHistory(d, ps, h)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("plan of %s differs:\n%s", d, diffPlans(got, want))
			}
			checkPlanInput(t, s, d, ps, h)
			items += len(got.Maintain)
			invites += len(got.Invite)
		}
		if invites < len(days) {
			t.Fatalf("only %d invite items over %d days: the test proves little", invites, len(days))
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

// checkPlanInput compares what PlanInput loads for d with the whole history summed up as of d:
// each customer it hands over carries the card and history of the reference, and it holds every
// purchase of the routine window and every routine, greeting and recall record of the record
// window.
func checkPlanInput(t *testing.T, s *Store, d crm.Date, ps crm.PlanSettings, h *crm.History) {
	t.Helper()
	in, err := s.PlanInput(context.Background(), d, ps)
	if err != nil {
		t.Fatal(err)
	}
	ref := crm.PlanInputAsOf(d, ps, h)
	byID := map[int64]crm.PlanCustomer{}
	for _, c := range ref.Customers {
		byID[c.ID] = c
	}
	for _, c := range in.Customers {
		w, ok := byID[c.ID]
		if !ok {
			t.Fatalf("%s: customer %d should not be in the plan input", d, c.ID)
		}
		// Important dates: only those that may occur in the lead window, from the card.
		c.Birthday, c.Dates, w.Birthday, w.Dates = nil, nil, nil, nil
		if !reflect.DeepEqual(c, w) {
			t.Fatalf("%s: customer %d\n got %+v\nwant %+v", d, c.ID, c, w)
		}
	}
	type pkey struct {
		id, customer int64
		date         crm.Date
	}
	purchases := map[pkey]bool{}
	for _, p := range in.Purchases {
		purchases[pkey{p.ID, p.CustomerID, p.Date}] = true
	}
	pf, pt := ps.PurchaseWindow(d)
	for _, p := range ref.Purchases {
		if p.Date >= pf && p.Date <= pt && !purchases[pkey{p.ID, p.CustomerID, p.Date}] {
			t.Fatalf("%s: purchase %+v missing", d, p)
		}
	}
	records := map[crm.PlanRecord]int{}
	for _, r := range in.Records {
		records[r]++
	}
	rf, rt := ps.RecordWindow(d)
	for _, r := range ref.Records {
		if r.Date >= rf && r.Date <= rt && (r.Kind == crm.KindRoutine || r.Kind == crm.KindGreeting || r.Kind == crm.KindRecall) {
			if records[r] == 0 {
				t.Fatalf("%s: record %+v missing", d, r)
			}
			records[r]--
		}
	}
}

func diffPlans(got, want crm.Plan) string {
	idx := func(p crm.Plan) map[string]crm.PlanItem {
		m := map[string]crm.PlanItem{}
		for _, list := range [][]crm.PlanItem{p.Maintain, p.Invite, p.Serve} {
			for _, it := range list {
				m[fmt.Sprintf("%d/%s/%s", it.Customer.ID, it.Reason, it.Ref)] = it
			}
		}
		return m
	}
	g, w := idx(got), idx(want)
	out := fmt.Sprintf("%d+%d items, want %d+%d; expired %d, want %d\n", len(got.Maintain), len(got.Invite),
		len(want.Maintain), len(want.Invite), got.Expired, want.Expired)
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
	es, ok := s.SetPlanSettings(ctx, bad).(crm.Errors)
	if !ok || es.For("grace") == nil {
		t.Fatalf("invalid settings: %v", es)
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
	// The first invalid record is refused with its field errors.
	invalid := []crm.Record{rs[0], {CustomerID: c.ID, At: at("2026-11-22 09:00:00"), Kind: "nonsense", Channel: crm.ChannelWeChat}}
	var es crm.Errors
	if err := s.SaveRecords(ctx, invalid); !errors.As(err, &es) || es.For("kind") == nil {
		t.Fatalf("invalid record: %v", err)
	}
	if n, _ := s.CountRecords(ctx, crm.RecordQuery{}); n != 0 {
		t.Fatalf("%d records written by an invalid batch", n)
	}
	if err := s.SaveRecords(ctx, rs[:1]); err != nil || rs[0].ID == 0 {
		t.Fatal(err)
	}
	if n, _ := s.CountRecords(ctx, crm.RecordQuery{}); n != 1 {
		t.Fatalf("%d records", n)
	}
	// The record sheet's counts (cached by the calls above) follow a batch.
	batch := []crm.Record{
		{CustomerID: c.ID, At: at("2026-11-23 09:00:00"), Kind: crm.KindGreeting, Channel: crm.ChannelWeChat},
		{CustomerID: c.ID, At: at("2026-11-24 09:00:00"), Kind: crm.KindRoutine, Channel: crm.ChannelPhone},
	}
	if err := s.SaveRecords(ctx, batch); err != nil {
		t.Fatal(err)
	}
	for _, q := range []crm.RecordQuery{{}, {Kind: crm.KindGreeting}, {From: crm.MustDate("2026-11-24")}, {Channel: crm.ChannelPhone}} {
		var want int
		if err := s.db.QueryRow(`SELECT count(*) FROM records WHERE (? = '' OR kind = ?) AND (? = '' OR channel = ?) AND at >= ?`,
			q.Kind, q.Kind, q.Channel, q.Channel, q.From.String()).Scan(&want); err != nil {
			t.Fatal(err)
		}
		if n, err := s.CountRecords(ctx, q); err != nil || n != want {
			t.Fatalf("count %+v: %d %v, want %d", q, n, err, want)
		}
	}
	checkPlanState(t, s)
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
