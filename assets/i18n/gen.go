//go:build ignore

// gen writes translations/*.json from translations.tsv (key, en, zh-Hans, zh-Hant; "\n" for a
// new line). Run: go generate ./assets/i18n
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

func main() {
	f, err := os.Open("translations.tsv")
	if err != nil {
		panic(err)
	}
	defer f.Close()
	langs := []string{"en", "zh-Hans", "zh-Hant"}
	tables := map[string]map[string]string{}
	for _, l := range langs {
		tables[l] = map[string]string{}
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		if line == 1 || strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) != 4 {
			panic(fmt.Sprintf("translations.tsv:%d: want 4 columns, have %d", line, len(cols)))
		}
		for i, l := range langs {
			if _, dup := tables[l][cols[0]]; dup {
				panic(fmt.Sprintf("translations.tsv:%d: duplicate key %s", line, cols[0]))
			}
			tables[l][cols[0]] = strings.ReplaceAll(cols[i+1], `\n`, "\n")
		}
	}
	for _, l := range langs {
		data, err := json.MarshalIndent(tables[l], "", "  ")
		if err != nil {
			panic(err)
		}
		if err := os.WriteFile("translations/"+l+".json", append(data, '\n'), 0o644); err != nil {
			panic(err)
		}
	}
}
