package crm

import (
	"errors"
	"testing"
	"time"
)

func TestLunarToSolarKnownDates(t *testing.T) {
	tests := []struct {
		name string
		l    LunarDate
		want string
	}{
		{"2026 Spring Festival", LunarDate{2026, 1, 1, false}, "2026-02-17"},
		{"2026 Mid-Autumn", LunarDate{2026, 8, 15, false}, "2026-09-25"},
		{"2025 Spring Festival", LunarDate{2025, 1, 1, false}, "2025-01-29"},
		{"2024 Spring Festival", LunarDate{2024, 1, 1, false}, "2024-02-10"},
		{"2024 Mid-Autumn", LunarDate{2024, 8, 15, false}, "2024-09-17"},
		{"2025 Mid-Autumn (after 闰六月)", LunarDate{2025, 8, 15, false}, "2025-10-06"},
		{"2000 Spring Festival", LunarDate{2000, 1, 1, false}, "2000-02-05"},
		{"1949 Spring Festival", LunarDate{1949, 1, 1, false}, "1949-01-29"},
		{"2025 闰六月初一", LunarDate{2025, 6, 1, true}, "2025-07-25"},
		{"2025 六月初一", LunarDate{2025, 6, 1, false}, "2025-06-25"},
		{"2023 闰二月初一", LunarDate{2023, 2, 1, true}, "2023-03-22"},
		{"2020 闰四月初一", LunarDate{2020, 4, 1, true}, "2020-05-23"},
		{"first supported day", LunarDate{1900, 1, 1, false}, "1900-01-31"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := LunarToSolar(tt.l)
			if err != nil {
				t.Fatalf("LunarToSolar(%v): %v", tt.l, err)
			}
			if got.String() != tt.want {
				t.Errorf("LunarToSolar(%v) = %v, want %v", tt.l, got, tt.want)
			}
			back, err := SolarToLunar(got)
			if err != nil {
				t.Fatalf("SolarToLunar(%v): %v", got, err)
			}
			if back != tt.l {
				t.Errorf("SolarToLunar(%v) = %+v, want %+v", got, back, tt.l)
			}
		})
	}
}

func TestLunarToSolarRefuses(t *testing.T) {
	tests := []struct {
		name string
		l    LunarDate
		want error
	}{
		{"day 30 of a 29-day month", LunarDate{2025, 2, 30, false}, ErrLunarDay},
		{"day 31", LunarDate{2026, 1, 31, false}, ErrLunarDay},
		{"day 0", LunarDate{2026, 1, 0, false}, ErrLunarDay},
		{"month 13", LunarDate{2026, 13, 1, false}, ErrLunarMonth},
		{"month 0", LunarDate{2026, 0, 1, false}, ErrLunarMonth},
		{"leap flag in a year without leap month", LunarDate{2026, 4, 1, true}, ErrLunarLeap},
		{"leap flag on the wrong month", LunarDate{2025, 5, 1, true}, ErrLunarLeap},
		{"year before 1900", LunarDate{1899, 1, 1, false}, ErrLunarRange},
		{"year after 2100", LunarDate{2101, 1, 1, false}, ErrLunarRange},
		{"year 0", LunarDate{0, 8, 15, false}, ErrLunarRange},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := LunarToSolar(tt.l)
			if !errors.Is(err, tt.want) {
				t.Errorf("LunarToSolar(%+v) = %v, %v; want error %v", tt.l, d, err, tt.want)
			}
		})
	}
}

func TestSolarToLunarRange(t *testing.T) {
	for _, s := range []string{"1900-01-30", "1899-12-31", "2101-01-01", "0001-01-01"} {
		if l, err := SolarToLunar(MustDate(s)); !errors.Is(err, ErrLunarRange) {
			t.Errorf("SolarToLunar(%s) = %+v, %v; want range error", s, l, err)
		}
	}
	if _, err := SolarToLunar(0); err == nil {
		t.Error("SolarToLunar(0) succeeded")
	}
	if _, err := SolarToLunar(MustDate("2100-12-31")); err != nil {
		t.Errorf("SolarToLunar(2100-12-31): %v", err)
	}
}

func TestLeapMonthOf(t *testing.T) {
	tests := []struct{ year, want int }{
		{2020, 4}, {2023, 2}, {2025, 6}, {2026, 0}, {2024, 0}, {2028, 5},
		{1899, 0}, {2101, 0}, {0, 0}, {-5, 0},
	}
	for _, tt := range tests {
		if got := LeapMonthOf(tt.year); got != tt.want {
			t.Errorf("LeapMonthOf(%d) = %d, want %d", tt.year, got, tt.want)
		}
	}
}

func TestLunarMonthDays(t *testing.T) {
	tests := []struct {
		name        string
		year, month int
		leap        bool
		want        int
		wantErr     error
	}{
		{"2025 正月", 2025, 1, false, 30, nil},
		{"2025 二月", 2025, 2, false, 29, nil},
		{"2025 闰六月", 2025, 6, true, 29, nil},
		{"2025 六月", 2025, 6, false, 30, nil},
		{"2025 腊月", 2025, 12, false, 29, nil},
		{"2100 腊月", 2100, 12, false, 29, nil},
		{"no leap in 2026", 2026, 6, true, 0, ErrLunarLeap},
		{"month 13", 2026, 13, false, 0, ErrLunarMonth},
		{"year 1899", 1899, 1, false, 0, ErrLunarRange},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := LunarMonthDays(tt.year, tt.month, tt.leap)
			if !errors.Is(err, tt.wantErr) || got != tt.want {
				t.Errorf("LunarMonthDays(%d, %d, %v) = %d, %v; want %d, %v", tt.year, tt.month, tt.leap, got, err, tt.want, tt.wantErr)
			}
		})
	}
}

// TestLunarRoundTrip converts every solar day 1901..2099 to lunar and back, and checks that
// consecutive solar days are consecutive lunar days (so carbon's table is read consistently,
// leap months included) and that each lunar month has the length LunarMonthDays reports.
func TestLunarRoundTrip(t *testing.T) {
	start, end := MustDate("1901-01-01"), MustDate("2099-12-31")
	prev, err := SolarToLunar(start - 1)
	if err != nil {
		t.Fatal(err)
	}
	for d := start; d <= end; d++ {
		l, err := SolarToLunar(d)
		if err != nil {
			t.Fatalf("SolarToLunar(%v): %v", d, err)
		}
		back, err := LunarToSolar(l)
		if err != nil {
			t.Fatalf("LunarToSolar(%+v) (from %v): %v", l, d, err)
		}
		if back != d {
			t.Fatalf("round trip %v → %+v → %v", d, l, back)
		}
		if l.Day == 1 {
			n, err := LunarMonthDays(prev.Year, prev.Month, prev.Leap)
			if err != nil || n != prev.Day {
				t.Fatalf("%v: previous month %+v ended on day %d, LunarMonthDays = %d, %v", d, prev, prev.Day, n, err)
			}
			switch {
			case l.Leap:
				if l.Year != prev.Year || l.Month != prev.Month || prev.Leap || LeapMonthOf(l.Year) != l.Month {
					t.Fatalf("%v: leap month %+v does not follow its ordinary month %+v", d, l, prev)
				}
			case l.Month == 1:
				if l.Year != prev.Year+1 || prev.Month != 12 {
					t.Fatalf("%v: new year %+v after %+v", d, l, prev)
				}
			default:
				if l.Year != prev.Year || l.Month != prev.Month+1 {
					t.Fatalf("%v: month %+v after %+v", d, l, prev)
				}
			}
		} else if l.Year != prev.Year || l.Month != prev.Month || l.Leap != prev.Leap || l.Day != prev.Day+1 {
			t.Fatalf("%v: %+v after %+v", d, l, prev)
		}
		prev = l
	}
}

// TestLunarIndependentOfLocalZone swaps the process's local zone: carbon reads it, we must not.
func TestLunarIndependentOfLocalZone(t *testing.T) {
	saved := time.Local
	defer func() { time.Local = saved }()
	zones := []*time.Location{
		time.UTC,
		time.FixedZone("PST", -8*3600),
		time.FixedZone("UTC-12", -12*3600),
		time.FixedZone("UTC+14", 14*3600),
		time.FixedZone("CST", 8*3600),
	}
	for _, z := range zones {
		time.Local = z
		if d, err := LunarToSolar(LunarDate{2026, 1, 1, false}); err != nil || d != MustDate("2026-02-17") {
			t.Errorf("zone %s: LunarToSolar(2026-1-1) = %v, %v", z, d, err)
		}
		if l, err := SolarToLunar(MustDate("2026-09-25")); err != nil || l != (LunarDate{2026, 8, 15, false}) {
			t.Errorf("zone %s: SolarToLunar(2026-09-25) = %+v, %v", z, l, err)
		}
		if n, err := LunarMonthDays(2025, 6, true); err != nil || n != 29 {
			t.Errorf("zone %s: LunarMonthDays(2025, 闰6) = %d, %v", z, n, err)
		}
	}
}

func TestLunarDateString(t *testing.T) {
	tests := []struct {
		l    LunarDate
		want string
	}{
		{LunarDate{0, 8, 15, false}, "农历八月十五"},
		{LunarDate{1988, 1, 8, false}, "1988年农历正月初八"},
		{LunarDate{0, 4, 1, true}, "农历闰四月初一"},
		{LunarDate{0, 11, 10, false}, "农历冬月初十"},
		{LunarDate{0, 12, 23, false}, "农历腊月廿三"},
		{LunarDate{0, 10, 20, false}, "农历十月二十"},
		{LunarDate{0, 2, 30, false}, "农历二月三十"},
		{LunarDate{0, 3, 11, false}, "农历三月十一"},
		{LunarDate{0, 13, 31, false}, "农历13月31日"}, // invalid values never panic
	}
	for _, tt := range tests {
		if got := tt.l.String(); got != tt.want {
			t.Errorf("%+v.String() = %q, want %q", tt.l, got, tt.want)
		}
	}
}

func TestParseLunar(t *testing.T) {
	tests := []struct {
		in   string
		want LunarDate
	}{
		{"农历八月十五", LunarDate{0, 8, 15, false}},
		{"阴历正月初八", LunarDate{0, 1, 8, false}},
		{"腊月廿三", LunarDate{0, 12, 23, false}},
		{"闰四月初一", LunarDate{0, 4, 1, true}},
		{"农历闰四月初一", LunarDate{0, 4, 1, true}},
		{"1988年农历正月初八", LunarDate{1988, 1, 8, false}},
		{"1988年正月初八", LunarDate{1988, 1, 8, false}},
		{"2020年农历闰四月初一", LunarDate{2020, 4, 1, true}},
		{"二〇二〇年农历闰四月初一", LunarDate{2020, 4, 1, true}},
		{"农历十一月初十", LunarDate{0, 11, 10, false}},
		{"农历冬月初十", LunarDate{0, 11, 10, false}},
		{"农历十二月廿三", LunarDate{0, 12, 23, false}},
		{"农历腊月二十三", LunarDate{0, 12, 23, false}},
		{"农历三月卅", LunarDate{0, 3, 30, false}},
		{"农历三月三十", LunarDate{0, 3, 30, false}},
		{"农历三月廿", LunarDate{0, 3, 20, false}},
		{"农历八月十五日", LunarDate{0, 8, 15, false}},
		{"农历8月15日", LunarDate{0, 8, 15, false}},
		{"八月十五", LunarDate{0, 8, 15, false}},
		{" 农历 八月 十五 ", LunarDate{0, 8, 15, false}},
		{"1990-08-15(农历)", LunarDate{1990, 8, 15, false}},
		{"1990-08-15（农历）", LunarDate{1990, 8, 15, false}},
		{"1990/8/15(阴历)", LunarDate{1990, 8, 15, false}},
		{"08-15(农历)", LunarDate{0, 8, 15, false}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseLunar(tt.in)
			if err != nil {
				t.Fatalf("ParseLunar(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("ParseLunar(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseLunarRefuses(t *testing.T) {
	for _, in := range []string{
		"", "8月15日", "2026-08-15", "十一月十五日", // solar, not lunar
		"农历十三月初一", "农历八月三十一", "农历八月初十一", "农历八月", "农历零月初一",
		"2026年农历闰四月初一", // 2026 has no leap month
		"2025年农历二月三十",  // that month has 29 days
		"1899年农历正月初一",  // out of range
		"0000-08-15(农历)", "1990-13-15(农历)", "(农历)", "abc(农历)",
		"一二年农历八月十五",
	} {
		if got, err := ParseLunar(in); err == nil {
			t.Errorf("ParseLunar(%q) = %+v, want an error", in, got)
		}
	}
}

func TestParseLunarStringRoundTrip(t *testing.T) {
	for _, year := range []int{0, 2025} {
		for m := 1; m <= 12; m++ {
			for _, leap := range []bool{false, true} {
				if leap && m != 6 {
					continue
				}
				for d := 1; d <= 30; d++ {
					l := LunarDate{year, m, d, leap}
					if year != 0 {
						if n, _ := LunarMonthDays(year, m, leap); d > n {
							continue
						}
					}
					got, err := ParseLunar(l.String())
					if err != nil || got != l {
						t.Errorf("ParseLunar(%q) = %+v, %v; want %+v", l.String(), got, err, l)
					}
				}
			}
		}
	}
}

func FuzzParseLunar(f *testing.F) {
	for _, s := range []string{
		"农历八月十五", "1988年农历正月初八", "农历闰四月初一", "腊月廿三", "阴历正月初八",
		"1990-08-15(农历)", "1990-08-15（农历）", "农历三月卅", "二〇二〇年闰四月初一",
		"农历8月15日", "八月十五", "", "年月", "农历月", "(农历)",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		l, err := ParseLunar(s)
		if err != nil {
			return
		}
		k := KeyDate{Calendar: Lunar, Year: l.Year, Month: l.Month, Day: l.Day, Leap: l.Leap}
		if fe := k.Validate("date"); fe != nil {
			t.Fatalf("ParseLunar(%q) = %+v, which does not validate: %v", s, l, fe)
		}
		again, err := ParseLunar(l.String())
		if err != nil || again != l {
			t.Fatalf("ParseLunar(%q) = %+v; its String %q reads back as %+v, %v", s, l, l.String(), again, err)
		}
	})
}
