package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestParseFirstFrame(t *testing.T) {
	for _, tc := range []struct {
		out     string
		ms, rss float64
		ok      bool
	}{
		{"firstframe_ms=812 rss_mb=143.5\n", 812, 143.5, true},
		{"starting Xvfb\nfirstframe_ms=1200 rss_mb=310\n", 1200, 310, true},
		{"firstframe_ms=812\n", 0, 0, false},
		{"error: no display\n", 0, 0, false},
	} {
		ms, rss, ok := parseFirstFrame([]byte(tc.out))
		if ok != tc.ok || ok && (ms != tc.ms || rss != tc.rss) {
			t.Errorf("%q: %v %v %v, want %v %v %v", tc.out, ms, rss, ok, tc.ms, tc.rss, tc.ok)
		}
	}
}

func TestMedianAndP95(t *testing.T) {
	if m := median([]float64{5, 1, 3}); m != 3 {
		t.Errorf("median %v", m)
	}
	if m := median([]float64{4, 1, 3, 2}); m != 2.5 {
		t.Errorf("median %v", m)
	}
	xs := make([]float64, 100)
	for i := range xs {
		xs[i] = float64(100 - i)
	}
	if p := p95(xs); p != 96 {
		t.Errorf("p95 %v", p)
	}
}

// TestTableVerdicts: the verdict is the largest book's value against the goal; growth is
// largest / smallest; rows without a goal are information.
func TestTableVerdicts(t *testing.T) {
	mk := func(name, unit string, goal float64, vals ...float64) *row {
		r := &row{name: name, unit: unit, goal: goal, vals: vals, have: []bool{true, true}}
		return r
	}
	var b bytes.Buffer
	printTable(&b, []int{10_000, 100_000}, []*row{
		mk("fast", "ms", 300, 20, 150),
		mk("slow", "ms", 20, 5, 49.7),
		mk("ratio", "×", 1.5, 1.2, 1.4),
		mk("info", "s", 0, 1, 12),
		{name: "gui", unit: "ms", goal: 1000, note: "not measured", vals: []float64{0, 0}, have: []bool{false, false}},
	})
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 6 {
		t.Fatalf("%d lines:\n%s", len(lines), b.String())
	}
	for i, want := range []string{"", "7.5|.*< 300 ms|.*ok|", "9.9|.*< 20.0 ms|.*MISS|", "1.2|.*≤ 1.50×|.*ok|", "12.0|.*(info)|", "not measured"} {
		if want == "" {
			continue
		}
		parts := strings.Split(want, ".*")
		line := lines[i]
		for _, p := range parts {
			j := strings.Index(line, p)
			if j < 0 {
				t.Errorf("line %d %q: no %q", i, lines[i], p)
				break
			}
			line = line[j+len(p):]
		}
	}
}
