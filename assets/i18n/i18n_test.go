package i18n

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestDetect(t *testing.T) {
	cases := []struct {
		in   []string
		want Lang
	}{
		{[]string{"zh_CN.UTF-8"}, ZhHans},
		{[]string{"zh_SG"}, ZhHans},
		{[]string{"zh"}, ZhHans},
		{[]string{"zh_TW.UTF-8"}, ZhHant},
		{[]string{"zh_HK"}, ZhHant},
		{[]string{"zh-Hant-MO"}, ZhHant},
		{[]string{"en_US.UTF-8"}, English},
		{[]string{"C"}, English},
		{[]string{"POSIX"}, English},
		{[]string{"C.UTF-8"}, English},
		{[]string{"de_DE"}, English},
		{[]string{""}, English},
		{nil, English},
		{[]string{"", "", "zh_CN.UTF-8"}, ZhHans}, // LC_ALL and LC_MESSAGES unset, LANG decides
		{[]string{"C", "zh_CN.UTF-8"}, English},   // LC_ALL=C wins
	}
	for _, c := range cases {
		if got := Detect(c.in...); got != c.want {
			t.Errorf("Detect(%q) = %s, want %s", c.in, got, c.want)
		}
	}
}

func TestEveryLanguageHasEveryKey(t *testing.T) {
	en := Keys(English)
	if len(en) < 50 {
		t.Fatalf("only %d English keys", len(en))
	}
	for _, l := range Languages {
		have := map[string]bool{}
		for _, k := range Keys(l) {
			have[k] = true
		}
		for _, k := range en {
			if !have[k] {
				t.Errorf("%s lacks %s", l, k)
			}
		}
		if len(have) != len(en) {
			t.Errorf("%s has %d keys, English %d", l, len(have), len(en))
		}
	}
}

// TestEveryUsedKeyExists scans the Go sources for T("key") and crm error keys and checks that each
// is translated, so no user sees a raw key.
func TestEveryUsedKeyExists(t *testing.T) {
	have := map[string]bool{}
	for _, k := range Keys(English) {
		have[k] = true
	}
	re := regexp.MustCompile(`(?:\bT\(|Key:\s*)"([a-z_]+\.[a-z_.]+)"`)
	root := filepath.Join("..", "..")
	checked := 0
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, m := range re.FindAllStringSubmatch(string(data), -1) {
			checked++
			if !have[m[1]] {
				t.Errorf("%s uses untranslated key %q", p, m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 50 {
		t.Errorf("found only %d keys in the sources; is the pattern still right?", checked)
	}
}

func TestTPlaceholders(t *testing.T) {
	Set(ZhHans)
	defer Set(English)
	if got := T("customers.count", "Count", 3); got != "共 3 位顾客" {
		t.Errorf("T = %q", got)
	}
	if got := TIn(English, "customers.count", map[string]any{"Count": 12}); got != "12 customers" {
		t.Errorf("TIn = %q", got)
	}
	if got := T("no.such.key"); got != "no.such.key" {
		t.Errorf("missing key = %q", got)
	}
	Set("xx")
	if Current() != English {
		t.Errorf("unknown language should select English, got %s", Current())
	}
}
