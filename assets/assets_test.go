package assets

import (
	"bytes"
	"os"
	"testing"

	"carebook/crm"
)

// The embedded working-day calendar is the shared data file, and it parses.
func TestCNWorkdays(t *testing.T) {
	c, err := crm.ParseWorkCalendar(CNWorkdays)
	if err != nil {
		t.Fatal(err)
	}
	if !c.Covers(2025) || !c.Covers(2026) {
		t.Fatalf("years %v", c.Years)
	}
	shared, err := os.ReadFile("../../shared/data/cn-workdays.json")
	if os.IsNotExist(err) {
		t.Skip("no ../shared beside the repository")
	}
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(shared, CNWorkdays) {
		t.Fatal("assets/data/cn-workdays.json differs from ../shared/data/cn-workdays.json: copy it again")
	}
}
