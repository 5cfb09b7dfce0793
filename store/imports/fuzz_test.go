package imports

import (
	"math"
	"testing"

	"carebook/crm"
)

func FuzzParseDateCell(f *testing.F) {
	for _, s := range []string{"2026-11-22", "2026/11/22", "2026.11.22", "20261122", "1992年5月3日", "2026-11-22 09:34",
		"2026-11-22T09:34:56Z", "２０２６－１１－２２", "2026-02-30", "", "0000-01-01", "9999-12-31", "1992 年 5 月 3 号"} {
		f.Add(s, 0.0, uint8(crm.CellText))
	}
	for _, n := range []float64{1, 59, 60, 61, 46348.75, 2958465, 2958466, -1, 20261122, math.NaN(), math.Inf(1)} {
		f.Add("", n, uint8(crm.CellDate))
		f.Add("", n, uint8(crm.CellNumber))
	}
	f.Fuzz(func(t *testing.T, s string, n float64, kind uint8) {
		c := crm.ImportCell{Text: s, Number: n, Kind: crm.CellKind(kind % 4)}
		d, err := ParseDateCell(c)
		if err != nil {
			if d != 0 {
				t.Fatalf("%+v: error %v with date %v", c, err, d)
			}
			return
		}
		if d == 0 {
			if c.Kind == crm.CellNumber || c.Kind == crm.CellDate || foldText(s) != "" {
				t.Fatalf("%+v: no date, no error", c)
			}
			return
		}
		y, m, day := d.YMD()
		if !crm.ValidSolar(y, int(m), day) || y < 1 || y > 9999 {
			t.Fatalf("%+v → invalid %v", c, d)
		}
		if c.Kind == crm.CellText {
			back, err := ParseDateCell(crm.ImportCell{Text: d.String()})
			if err != nil || back != d {
				t.Fatalf("%+v → %v; its canonical form reads back as %v, %v", c, d, back, err)
			}
		}
		// The date-time of the same cell falls on the same day.
		at, err := ParseDateTimeCell(c)
		if err == nil && crm.DateOf(at) != d && !(c.Kind != crm.CellText) {
			t.Fatalf("%+v: date %v, date-time %v", c, d, at)
		}
	})
}

func FuzzParseKeyDateCell(f *testing.F) {
	for _, s := range []string{"1992-05-03", "11/22", "5/3", "11月22日", "农历八月十五", "阴历正月初八", "腊月廿三", "闰四月初一",
		"1988年农历正月初八", "1990-08-15(农历)", "1990-08-15（农历）", "1990-08-15(阴历)", "农历1990-08-15", "2月30日",
		"2020年农历闰四月初一", "农历八月卅", "二〇二〇年农历正月初一", "1992-05-03(公历)", ""} {
		f.Add(s, 0.0, uint8(crm.CellText))
	}
	for _, n := range []float64{33727, 1, 60, 73415, 2958465} {
		f.Add("", n, uint8(crm.CellDate))
	}
	f.Fuzz(func(t *testing.T, s string, n float64, kind uint8) {
		c := crm.ImportCell{Text: s, Number: n, Kind: crm.CellKind(kind % 4)}
		k, err := ParseKeyDateCell(c)
		if err != nil {
			if k != nil {
				t.Fatalf("%+v: error %v with %+v", c, err, k)
			}
			return
		}
		if k == nil {
			return
		}
		if fe := k.Validate("date"); fe != nil {
			t.Fatalf("%+v → %+v invalid: %v", c, k, fe)
		}
		// Its text form, as the export writes it, reads back the same.
		back, err := ParseKeyDateCell(crm.ImportCell{Text: k.String()})
		if err != nil || back == nil || *back != *k {
			t.Fatalf("%+v → %+v; %q reads back as %+v, %v", c, k, k.String(), back, err)
		}
	})
}

func FuzzMatchHeader(f *testing.F) {
	for _, cols := range fieldsByKind {
		for _, c := range cols {
			f.Add(c.Zh)
			f.Add(c.En)
		}
	}
	for _, s := range []string{"手机（必填）", "*姓名:", "ＥＭＡＩＬ", "客户微信", "金额(元)", "(必(必填)填)", "", "【必填】手机", "\xff"} {
		f.Add(s)
	}
	kinds := []crm.ImportKind{crm.ImportCustomers, crm.ImportPurchases, crm.ImportRecords, crm.ImportSkip}
	f.Fuzz(func(t *testing.T, s string) {
		for _, k := range kinds {
			got := MatchHeader(k, s)
			if again := MatchHeader(k, s); again != got {
				t.Fatalf("MatchHeader(%s, %q) = %q, then %q", k, s, got, again)
			}
			if n := MatchHeader(k, normalizeHeader(s)); n != got {
				t.Fatalf("MatchHeader(%s, %q) = %q, but of its normal form %q: %q", k, s, got, normalizeHeader(s), n)
			}
		}
		if n := normalizeHeader(s); normalizeHeader(n) != n {
			t.Fatalf("normalizeHeader(%q) = %q, not idempotent: %q", s, n, normalizeHeader(n))
		}
		// A canonical header, decorated with s's white space, still maps to its key.
		for k, cols := range fieldsByKind {
			for _, c := range cols {
				if MatchHeader(k, c.Zh) != c.Key || MatchHeader(k, c.En) != c.Key {
					t.Fatalf("canonical %q/%q of %s", c.Zh, c.En, c.Key)
				}
			}
		}
	})
}
