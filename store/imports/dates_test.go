package imports

import (
	"errors"
	"testing"
	"time"

	"carebook/crm"
)

func text(s string) crm.ImportCell     { return crm.ImportCell{Text: s} }
func serial(n float64) crm.ImportCell  { return crm.ImportCell{Kind: crm.CellDate, Number: n} }
func number(n float64) crm.ImportCell  { return crm.ImportCell{Kind: crm.CellNumber, Number: n} }
func boolCell(s string) crm.ImportCell { return crm.ImportCell{Kind: crm.CellBool, Text: s} }
func d(s string) crm.Date              { return crm.MustDate(s) }
func solar(y, m, day int) *crm.KeyDate {
	return &crm.KeyDate{Calendar: crm.Solar, Year: y, Month: m, Day: day}
}
func lunar(y, m, day int) *crm.KeyDate {
	return &crm.KeyDate{Calendar: crm.Lunar, Year: y, Month: m, Day: day}
}
func wall(s string) time.Time { t, _ := time.Parse("2006-01-02 15:04:05", s); return t }

func TestParseDateCell(t *testing.T) {
	for _, tc := range []struct {
		name string
		cell crm.ImportCell
		want crm.Date // 0 with ok: empty
		ok   bool
	}{
		{"serial", serial(46348), d("2026-11-22"), true},
		{"serial with time", serial(46348.75), d("2026-11-22"), true},
		{"serial 1", serial(1), d("1900-01-01"), true},
		{"serial 59", serial(59), d("1900-02-28"), true},
		{"serial 60 (1900-02-29, never was)", serial(60), 0, false},
		{"serial 61", serial(61), d("1900-03-01"), true},
		{"serial max", serial(2958465), d("9999-12-31"), true},
		{"serial beyond", serial(2958466), 0, false},
		{"serial 0", serial(0), 0, false},
		{"serial negative", serial(-3), 0, false},
		{"number serial", number(46348), d("2026-11-22"), true},
		{"number yyyymmdd", number(20261122), d("2026-11-22"), true},
		{"dashes", text("2026-11-22"), d("2026-11-22"), true},
		{"slashes", text("2026/11/22"), d("2026-11-22"), true},
		{"dots", text("2026.11.22"), d("2026-11-22"), true},
		{"single digits", text("2026/1/2"), d("2026-01-02"), true},
		{"compact", text("20261122"), d("2026-11-22"), true},
		{"chinese", text("1992年5月3日"), d("1992-05-03"), true},
		{"chinese 号", text("1992年5月3号"), d("1992-05-03"), true},
		{"chinese no 日", text("1992年5月3"), d("1992-05-03"), true},
		{"chinese spaces", text("1992 年 5 月 3 日"), d("1992-05-03"), true},
		{"full-width", text("２０２６－１１－２２"), d("2026-11-22"), true},
		{"with time", text("2026-11-22 09:34"), d("2026-11-22"), true},
		{"with seconds", text("2026-11-22 09:34:56"), d("2026-11-22"), true},
		{"ISO T", text("2026-11-22T09:34:56Z"), d("2026-11-22"), true},
		{"before excel", text("1899-12-01"), d("1899-12-01"), true},
		{"trimmed", text("  2026-11-22 "), d("2026-11-22"), true},
		{"empty", text(""), 0, true},
		{"spaces", text("   "), 0, true},
		{"feb 30", text("2026-02-30"), 0, false},
		{"feb 29 common year", text("2026-02-29"), 0, false},
		{"feb 29 leap year", text("2024-02-29"), d("2024-02-29"), true},
		{"month 13", text("2026-13-01"), 0, false},
		{"year 0", text("0000-01-01"), 0, false},
		{"no year", text("11/22"), 0, false},
		{"two-digit year", text("26-11-22"), 0, false},
		{"mixed separators", text("2026-11/22"), 0, false},
		{"trailing junk", text("2026-11-22x"), 0, false},
		{"bad time", text("2026-11-22 25:00"), 0, false},
		{"words", text("tomorrow"), 0, false},
		{"lunar is not a date", text("农历八月十五"), 0, false},
		{"bool", boolCell("TRUE"), 0, false},
		{"nine digits", text("202611221"), 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseDateCell(tc.cell)
			if tc.ok != (err == nil) || got != tc.want {
				t.Fatalf("ParseDateCell(%+v) = %v, %v; want %v, ok %v", tc.cell, got, err, tc.want, tc.ok)
			}
			if err != nil && !errors.Is(err, ErrDate) {
				t.Fatalf("error %v does not wrap ErrDate", err)
			}
		})
	}
}

func TestParseKeyDateCell(t *testing.T) {
	leap := lunar(0, 4, 1)
	leap.Leap = true
	leapYear := lunar(2020, 4, 1)
	leapYear.Leap = true
	for _, tc := range []struct {
		name string
		cell crm.ImportCell
		want *crm.KeyDate
		ok   bool
	}{
		{"serial", serial(33727), solar(1992, 5, 3), true},
		{"number serial", number(33727), solar(1992, 5, 3), true},
		{"serial year 9999 out of range", serial(2958465), nil, false},
		{"iso", text("1992-05-03"), solar(1992, 5, 3), true},
		{"slashes", text("1992/5/3"), solar(1992, 5, 3), true},
		{"dots", text("1992.05.03"), solar(1992, 5, 3), true},
		{"compact", text("19920503"), solar(1992, 5, 3), true},
		{"chinese with year", text("1992年5月3日"), solar(1992, 5, 3), true},
		{"text before 1900-03-01 (export)", text("1900-01-15"), solar(1900, 1, 15), true},
		{"year before 1900", text("1899-05-03"), nil, false},
		{"month/day", text("11/22"), solar(0, 11, 22), true},
		{"month/day en export", text("5/3"), solar(0, 5, 3), true},
		{"month-day", text("11-22"), solar(0, 11, 22), true},
		{"chinese no year", text("11月22日"), solar(0, 11, 22), true},
		{"feb 29 no year", text("2月29日"), solar(0, 2, 29), true},
		{"feb 30", text("2月30日"), nil, false},
		{"solar marked", text("1992-05-03(公历)"), solar(1992, 5, 3), true},
		{"lunar", text("农历八月十五"), lunar(0, 8, 15), true},
		{"yinli", text("阴历正月初八"), lunar(0, 1, 8), true},
		{"la yue", text("腊月廿三"), lunar(0, 12, 23), true},
		{"dong yue", text("冬月初一"), lunar(0, 11, 1), true},
		{"leap", text("闰四月初一"), leap, true},
		{"leap with year", text("2020年农历闰四月初一"), leapYear, true},
		{"leap in a year without it", text("2021年农历闰四月初一"), nil, false},
		{"with year", text("1988年农历正月初八"), lunar(1988, 1, 8), true},
		{"suffix", text("1990-08-15(农历)"), lunar(1990, 8, 15), true},
		{"full-width suffix", text("1990-08-15（农历）"), lunar(1990, 8, 15), true},
		{"yinli suffix", text("1990-08-15(阴历)"), lunar(1990, 8, 15), true},
		{"prefix numeric", text("农历1990-08-15"), lunar(1990, 8, 15), true},
		{"suffix no brackets", text("1990-08-15农历"), lunar(1990, 8, 15), true},
		{"lunar day 31", text("农历八月卅一"), nil, false},
		{"empty", text(""), nil, true},
		{"junk", text("abc"), nil, false},
		{"bool", boolCell("FALSE"), nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseKeyDateCell(tc.cell)
			if tc.ok != (err == nil) {
				t.Fatalf("ParseKeyDateCell(%+v) = %+v, %v; want ok %v", tc.cell, got, err, tc.ok)
			}
			if err != nil {
				if !errors.Is(err, ErrDate) {
					t.Fatalf("error %v does not wrap ErrDate", err)
				}
				return
			}
			if (got == nil) != (tc.want == nil) || got != nil && *got != *tc.want {
				t.Fatalf("ParseKeyDateCell(%+v) = %+v; want %+v", tc.cell, got, tc.want)
			}
		})
	}
}

func TestParseDateTimeCell(t *testing.T) {
	// What the exporter writes for 2026-11-01 09:34:56: serial + seconds/86400.
	exported := float64(46327) + float64(9*3600+34*60+56)/86400
	for _, tc := range []struct {
		name string
		cell crm.ImportCell
		want string // "" with ok: zero
		ok   bool
	}{
		{"exported serial", serial(exported), "2026-11-01 09:34:56", true},
		{"serial midnight", serial(46327), "2026-11-01 00:00:00", true},
		{"serial last second", serial(46327 + 86399.0/86400), "2026-11-01 23:59:59", true},
		{"serial rounds to next day", serial(46327.9999999), "2026-11-02 00:00:00", true},
		{"serial early", serial(59.5), "1900-02-28 12:00:00", true},
		{"serial 60", serial(60.5), "", false},
		{"number serial", number(exported), "2026-11-01 09:34:56", true},
		{"text", text("2026-11-01 09:34"), "2026-11-01 09:34:00", true},
		{"text one-digit hour", text("2026/11/01 9:34"), "2026-11-01 09:34:00", true},
		{"text seconds", text("2026-11-01 09:34:56"), "2026-11-01 09:34:56", true},
		{"text fraction", text("2026-11-01 09:34:56.250"), "2026-11-01 09:34:56", true},
		{"text T", text("2026-11-01T09:34"), "2026-11-01 09:34:00", true},
		{"chinese", text("2026年11月1日 9:34"), "2026-11-01 09:34:00", true},
		{"bare date", text("2026-11-01"), "2026-11-01 00:00:00", true},
		{"compact", text("20261101"), "2026-11-01 00:00:00", true},
		{"empty", text(""), "", true},
		{"hour 24", text("2026-11-01 24:00"), "", false},
		{"minute 60", text("2026-11-01 09:60"), "", false},
		{"one-digit minute", text("2026-11-01 9:3"), "", false},
		{"junk after time", text("2026-11-01 09:34pm"), "", false},
		{"no date", text("09:34"), "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseDateTimeCell(tc.cell)
			if tc.ok != (err == nil) {
				t.Fatalf("ParseDateTimeCell(%+v) = %v, %v; want ok %v", tc.cell, got, err, tc.ok)
			}
			var want time.Time
			if tc.want != "" {
				want = wall(tc.want)
			}
			if !got.Equal(want) || got.Location() != time.UTC {
				t.Fatalf("ParseDateTimeCell(%+v) = %v; want %v UTC", tc.cell, got, want)
			}
		})
	}
}

// Every second of a day, written as the exporter writes it, reads back to the same second.
func TestDateTimeSerialEverySecond(t *testing.T) {
	for _, day := range []int{61, 46327, 2958465} {
		for s := 0; s < 86400; s++ {
			n := float64(day) + float64(s)/86400
			got, err := ParseDateTimeCell(serial(n))
			if err != nil {
				t.Fatal(err)
			}
			h, m, sec := got.Clock()
			if h*3600+m*60+sec != s || crm.DateOf(got) != excelEpoch+crm.Date(day) {
				t.Fatalf("serial %v → %v; want second %d of day %d", n, got, s, day)
			}
		}
	}
}
