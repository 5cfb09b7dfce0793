package store

import (
	"testing"
	"time"

	"carebook/crm"
)

func TestParseDayAndTimes(t *testing.T) {
	// Every day from 1899 to 2101 (leap years, century years) parses as crm.ParseDate does.
	for d := crm.MustDate("1899-01-01"); d <= crm.MustDate("2101-12-31"); d++ {
		s := d.String()
		got, err := parseDay([]byte(s))
		if err != nil || got != d {
			t.Fatalf("parseDay(%s) = %v (%s), %v", s, got, got, err)
		}
	}
	for _, s := range []string{"0001-01-01", "9999-12-31", "2000-02-29", "1600-03-01"} {
		want, _ := crm.ParseDate(s)
		if got, err := parseDay([]byte(s)); err != nil || got != want {
			t.Errorf("parseDay(%s) = %v, %v; want %v", s, got, err, want)
		}
	}
	for _, bad := range []string{"2026-02-30", "2025-02-29", "2026-13-01", "2026-00-10", "2026-1-01", "abcd-ef-gh", "2026-03-01x"} {
		if _, err := parseDay([]byte(bad)); err == nil {
			t.Errorf("parseDay(%s) accepted", bad)
		}
	}
	if d, err := parseDay(nil); err != nil || d != 0 {
		t.Errorf("parseDay(empty) = %v, %v", d, err)
	}

	want := time.Date(2024, 2, 29, 23, 59, 58, 0, time.UTC)
	if got, err := parseAt([]byte("2024-02-29 23:59:58")); err != nil || got != want {
		t.Errorf("parseAt = %v, %v", got, err)
	}
	for _, bad := range []string{"2024-02-30 10:00:00", "2024-02-01 24:00:00", "2024-02-01 10:60:00", "2024-02-01T10:00:00", "2024-02-01"} {
		if _, err := parseAt([]byte(bad)); err == nil {
			t.Errorf("parseAt(%s) accepted", bad)
		}
	}
	stampNow := time.Date(2026, 3, 15, 2, 30, 0, 123e6, time.UTC)
	if got := parseStampBytes([]byte(stamp(stampNow))); got != stampNow || got != parseStamp(stamp(stampNow)) {
		t.Errorf("parseStampBytes = %v", got)
	}
	var c stampCache
	for i := range 20 {
		ts := stampNow.Add(time.Duration(i%10) * time.Second)
		if got := c.parse([]byte(stamp(ts))); got != ts {
			t.Errorf("stampCache: %v, want %v", got, ts)
		}
	}
}
