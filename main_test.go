package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

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
	for _, q := range []string{"invite", "serve"} {
		if string(plan[q]) != "[]" {
			t.Errorf("%s = %s", q, plan[q])
		}
	}
	text, _, err := runCLI(t, "today", "--db", db, "--date", "2026-11-23")
	if err != nil || !strings.Contains(text, "Maintain (") || !strings.Contains(text, "Invite (0)") {
		t.Fatalf("text plan: %v\n%s", err, text)
	}
	if _, _, err := runCLI(t, "today", "--db", db, "--date", "2026-02-30"); err == nil || !strings.Contains(err.Error(), "2026-02-30") {
		t.Errorf("bad date: %v", err)
	}
	if !strings.Contains(text, "Nobody to serve today") {
		t.Errorf("text plan without the serve empty state:\n%s", text)
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
