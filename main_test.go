package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"carebook/assets/i18n"
	"carebook/crm"
	"carebook/store"
)

func runCLI(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(args, &out, &errOut)
	return out.String(), errOut.String(), err
}

func TestVersionAndUnknownCommand(t *testing.T) {
	i18n.Set(i18n.English)
	out, _, err := runCLI(t, "version")
	if err != nil || !strings.HasPrefix(out, "carebook ") {
		t.Fatalf("version: %q %v", out, err)
	}
	if _, _, err := runCLI(t, "frobnicate"); err == nil || !strings.Contains(err.Error(), "frobnicate") {
		t.Fatalf("unknown command: %v", err)
	}
}

func summaries(t *testing.T, path string) []crm.Summary {
	t.Helper()
	s, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	res, err := s.Search(context.Background(), crm.CustomerQuery{})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestDemoIsDeterministicAndOnlyFillsNewBooks(t *testing.T) {
	i18n.Set(i18n.English)
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.db"), filepath.Join(dir, "b.db")
	for _, p := range []string{a, b} {
		out, _, err := runCLI(t, "demo", "--db", p, "--customers", "300", "--seed", "9", "--today", "2026-11-22")
		if err != nil {
			t.Fatalf("demo: %v", err)
		}
		if !strings.Contains(out, "Wrote 300 customers") {
			t.Errorf("demo said %q", out)
		}
	}
	sa, sb := summaries(t, a), summaries(t, b)
	if len(sa) != 300 || !reflect.DeepEqual(sa, sb) {
		t.Fatalf("two demo books with the same seed differ (%d, %d customers)", len(sa), len(sb))
	}
	if ea, eb := demoServe(t, a), demoServe(t, b); !reflect.DeepEqual(ea, eb) || len(ea.events) == 0 {
		t.Fatalf("two demo books with the same seed differ in events, invitations or the serve question")
	}
	// A second demo on an existing book is refused and changes nothing.
	if _, _, err := runCLI(t, "demo", "--db", a, "--customers", "5"); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("demo on an existing book: %v", err)
	}
	if got := len(summaries(t, a)); got != 300 {
		t.Errorf("existing book now has %d customers", got)
	}
	for _, args := range [][]string{
		{"demo", "--customers", "5"},                                          // no --db
		{"demo", "--db", filepath.Join(dir, "c.db"), "--today", "2026-02-30"}, // impossible day
		{"demo", "--db", filepath.Join(dir, "d.db"), "--customers", "-1"},
	} {
		if _, _, err := runCLI(t, args...); err == nil {
			t.Errorf("%v: want an error", args)
		}
	}
}

// demoBook is what the demo book holds of the Invite and Serve questions.
type demoBook struct {
	events      []crm.Event
	invitations [][]crm.Invitation
	invite      []crm.PlanItem
	serve       []crm.PlanItem
}

func demoServe(t *testing.T, path string) demoBook {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var b demoBook
	if b.events, err = s.Events(ctx, 0, 0); err != nil {
		t.Fatal(err)
	}
	for i := range b.events {
		b.events[i].CreatedAt, b.events[i].UpdatedAt = time.Time{}, time.Time{}
		vs, err := s.Invitations(ctx, b.events[i].ID)
		if err != nil {
			t.Fatal(err)
		}
		b.invitations = append(b.invitations, vs)
	}
	p, err := s.Plan(ctx, crm.MustDate("2026-11-22"))
	if err != nil {
		t.Fatal(err)
	}
	b.invite, b.serve = p.Invite, p.Serve
	return b
}

// TestDemoServe checks that the demo book has events with invitations, service appointments
// and complaints, and work in Today's Invite and Serve questions on --today: an event whose
// window is open, services overdue and due, complaints open (one of them complex).
func TestDemoServe(t *testing.T) {
	i18n.Set(i18n.English)
	db := filepath.Join(t.TempDir(), "book.db")
	out, _, err := runCLI(t, "demo", "--db", db, "--customers", "600", "--seed", "4", "--today", "2026-11-22")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "events with") || !strings.Contains(out, "complaints.") {
		t.Errorf("demo said %q", out)
	}
	b := demoServe(t, db)
	if len(b.events) < 24 {
		t.Errorf("%d events", len(b.events))
	}
	invited := 0
	for _, vs := range b.invitations {
		invited += len(vs)
	}
	if invited == 0 || len(b.invite) == 0 {
		t.Errorf("%d invitations, %d to invite today", invited, len(b.invite))
	}
	reasons := map[crm.Reason]int{}
	overdue := 0
	for _, it := range b.serve {
		reasons[it.Reason]++
		if it.Overdue > 0 {
			overdue++
		}
	}
	if reasons[crm.ReasonComplaint] < 3 || reasons[crm.ReasonOnline]+reasons[crm.ReasonOffline]+reasons[crm.ReasonAfterSales] < 3 || overdue == 0 {
		t.Errorf("serve today: %v, %d overdue", reasons, overdue)
	}
	s, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	open, err := s.OpenComplaints(context.Background(), crm.MustDate("2026-11-22"))
	if err != nil {
		t.Fatal(err)
	}
	complex := 0
	for _, c := range open {
		if c.Severity == crm.SeverityComplex {
			complex++
		}
	}
	if complex == 0 {
		t.Errorf("no complex complaint open among %d", len(open))
	}
}

func TestTodayCommand(t *testing.T) {
	i18n.Set(i18n.English)
	db := filepath.Join(t.TempDir(), "book.db")
	if _, _, err := runCLI(t, "demo", "--db", db, "--customers", "300", "--seed", "3", "--today", "2026-11-22"); err != nil {
		t.Fatal(err)
	}
	out, _, err := runCLI(t, "today", "--db", db, "--date", "2026-11-23", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var plan map[string]json.RawMessage
	if err := json.Unmarshal([]byte(out), &plan); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if len(plan) != 4 || string(plan["date"]) != `"2026-11-23"` {
		t.Fatalf("keys/date: %s", out[:min(len(out), 300)])
	}
	var maintain []map[string]any
	if err := json.Unmarshal(plan["maintain"], &maintain); err != nil || len(maintain) == 0 {
		t.Fatalf("maintain: %v %d", err, len(maintain))
	}
	for _, it := range maintain {
		for _, k := range []string{"customer", "reason", "due", "overdue_days"} {
			if _, ok := it[k]; !ok {
				t.Fatalf("item without %s: %v", k, it)
			}
		}
	}
	// The demo book has an event whose invite window is open, and open service appointments
	// and complaints.
	for q, keys := range map[string][]string{"invite": {"event", "purpose", "script"}, "serve": {"title"}} {
		var items []map[string]any
		if err := json.Unmarshal(plan[q], &items); err != nil || len(items) == 0 {
			t.Fatalf("%s: %v %d", q, err, len(items))
		}
		for _, k := range keys {
			if _, ok := items[0][k]; !ok {
				t.Errorf("%s item without %s: %v", q, k, items[0])
			}
		}
	}
	text, _, err := runCLI(t, "today", "--db", db, "--date", "2026-11-23")
	if err != nil || !strings.Contains(text, "Maintain (") || !strings.Contains(text, "Invite (") || strings.Contains(text, "Invite (0)") {
		t.Fatalf("text plan: %v\n%s", err, text)
	}
	if _, _, err := runCLI(t, "today", "--db", db, "--date", "2026-02-30"); err == nil || !strings.Contains(err.Error(), "2026-02-30") {
		t.Errorf("bad date: %v", err)
	}
	// An empty book: the serve question's empty state.
	empty := filepath.Join(t.TempDir(), "empty.db")
	s, err := store.Open(context.Background(), empty)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	text, _, err = runCLI(t, "today", "--db", empty, "--date", "2026-11-23")
	if err != nil || !strings.Contains(text, "Nobody to serve today") {
		t.Errorf("text plan without the serve empty state: %v\n%s", err, text)
	}
}

func TestTodayCommandServe(t *testing.T) {
	i18n.Set(i18n.English)
	db := filepath.Join(t.TempDir(), "book.db")
	ctx := context.Background()
	s, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	c := &crm.Customer{Name: "张三", Tier: crm.TierVIP, Created: crm.MustDate("2026-01-01")}
	if err := s.SaveCustomer(ctx, c); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveService(ctx, &crm.Service{CustomerID: c.ID, Date: crm.MustDate("2026-11-21"), Kind: crm.ServiceAfterSales,
		Title: "更换配件", Status: crm.ServiceOpen}); err != nil {
		t.Fatal(err)
	}
	// Received on the eve of the National Day holiday: 3 working days → Oct 8, 9, 10 (a
	// make-up Saturday).
	if err := s.SaveComplaint(ctx, &crm.Complaint{CustomerID: c.ID, Received: crm.MustDate("2026-09-30"),
		Category: crm.ComplaintUrgent, Severity: crm.SeverityGeneral, Description: "物流延误"}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	out, _, err := runCLI(t, "today", "--db", db, "--date", "2026-11-23", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var plan struct {
		Serve []map[string]any `json:"serve"`
	}
	if err := json.Unmarshal([]byte(out), &plan); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	want := []map[string]any{
		{"customer": map[string]any{"id": float64(c.ID), "code": c.Code, "name": "张三"}, "reason": "complaint",
			"due": "2026-10-10", "overdue_days": float64(44), "title": "物流延误"},
		{"customer": map[string]any{"id": float64(c.ID), "code": c.Code, "name": "张三"}, "reason": "after_sales",
			"due": "2026-11-21", "overdue_days": float64(2), "title": "更换配件"},
	}
	if !reflect.DeepEqual(plan.Serve, want) {
		t.Fatalf("serve = %v\nwant %v", plan.Serve, want)
	}
}
