// Package i18n holds Carebook's translations (简体中文, 繁體中文, English) and the current
// language. Every user-visible string goes through T.
package i18n

//go:generate go run gen.go

import (
	"embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
)

// Lang is a language code: "zh-Hans", "zh-Hant" or "en".
type Lang string

// The languages Carebook speaks.
const (
	ZhHans  Lang = "zh-Hans"
	ZhHant  Lang = "zh-Hant"
	English Lang = "en"
)

// Languages lists every language in the order the Settings screen offers them.
var Languages = []Lang{ZhHans, ZhHant, English}

// Name is the language's own name, shown in every UI language alike.
func (l Lang) Name() string {
	switch l {
	case ZhHans:
		return "简体中文"
	case ZhHant:
		return "繁體中文"
	default:
		return "English"
	}
}

//go:embed translations/*.json
var files embed.FS

var (
	loadOnce sync.Once
	tables   map[Lang]map[string]string
	current  atomic.Value // Lang
)

func load() {
	tables = make(map[Lang]map[string]string, len(Languages))
	for _, l := range Languages {
		data, err := files.ReadFile("translations/" + string(l) + ".json")
		if err != nil {
			panic(fmt.Sprintf("i18n: missing embedded translation %s: %v", l, err))
		}
		m := map[string]string{}
		if err := json.Unmarshal(data, &m); err != nil {
			panic(fmt.Sprintf("i18n: bad embedded translation %s: %v", l, err))
		}
		tables[l] = m
	}
}

// Set makes l the language of T. An unknown language selects English.
func Set(l Lang) {
	if !Known(l) {
		l = English
	}
	current.Store(l)
}

// Current returns the language T speaks.
func Current() Lang {
	if l, ok := current.Load().(Lang); ok {
		return l
	}
	return English
}

// Known reports whether Carebook has a translation for l.
func Known(l Lang) bool {
	for _, x := range Languages {
		if x == l {
			return true
		}
	}
	return false
}

// Detect picks the language for a POSIX locale such as "zh_CN.UTF-8", "zh_TW", "zh-Hant-HK",
// "en_US" or "C": Chinese locales of Taiwan, Hong Kong and Macau (or marked Hant) give 繁體中文,
// other Chinese ones 简体中文, anything else — including "C", "POSIX" and the empty string —
// English. The first non-empty candidate decides (pass LC_ALL, LC_MESSAGES, LANG in that order).
func Detect(candidates ...string) Lang {
	for _, c := range candidates {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		c = strings.ToLower(strings.SplitN(strings.SplitN(c, ".", 2)[0], "@", 2)[0])
		c = strings.ReplaceAll(c, "_", "-")
		if c != "zh" && !strings.HasPrefix(c, "zh-") {
			return English
		}
		switch {
		case strings.Contains(c, "hant"), strings.HasSuffix(c, "-tw"), strings.HasSuffix(c, "-hk"), strings.HasSuffix(c, "-mo"):
			return ZhHant
		default:
			return ZhHans
		}
	}
	return English
}

// T translates key into the current language. Args are name/value pairs filling "{{.Name}}"
// placeholders, or a single map[string]any. A key missing from the current language falls back to
// English, then to the key itself.
func T(key string, args ...any) string {
	return TIn(Current(), key, args...)
}

// TIn translates key into language l.
func TIn(l Lang, key string, args ...any) string {
	loadOnce.Do(load)
	s, ok := tables[l][key]
	if !ok {
		if s, ok = tables[English][key]; !ok {
			s = key
		}
	}
	if len(args) == 0 || !strings.Contains(s, "{{") {
		return s
	}
	var pairs []string
	add := func(k string, v any) { pairs = append(pairs, "{{."+k+"}}", fmt.Sprint(v)) }
	if m, ok := args[0].(map[string]any); ok && len(args) == 1 {
		for k, v := range m {
			add(k, v)
		}
	} else {
		for i := 0; i+1 < len(args); i += 2 {
			add(fmt.Sprint(args[i]), args[i+1])
		}
	}
	return strings.NewReplacer(pairs...).Replace(s)
}

// Keys returns the sorted keys of language l, for tests that check every language is complete.
func Keys(l Lang) []string {
	loadOnce.Do(load)
	keys := make([]string, 0, len(tables[l]))
	for k := range tables[l] {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
