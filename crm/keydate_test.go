package crm

import "testing"

func TestKeyDateOccurrence(t *testing.T) {
	tests := []struct {
		name string
		k    KeyDate
		year int
		want string
	}{
		{"solar", KeyDate{Calendar: Solar, Month: 5, Day: 3}, 2026, "2026-05-03"},
		{"solar empty calendar", KeyDate{Month: 5, Day: 3}, 2026, "2026-05-03"},
		{"solar year ignored", KeyDate{Calendar: Solar, Year: 1992, Month: 5, Day: 3}, 2026, "2026-05-03"},
		{"Feb 29 in a common year → Feb 28", KeyDate{Calendar: Solar, Month: 2, Day: 29}, 2026, "2026-02-28"},
		{"Feb 29 in a leap year", KeyDate{Calendar: Solar, Month: 2, Day: 29}, 2028, "2028-02-29"},
		{"lunar Spring Festival", KeyDate{Calendar: Lunar, Month: 1, Day: 1}, 2026, "2026-02-17"},
		{"lunar Mid-Autumn", KeyDate{Calendar: Lunar, Month: 8, Day: 15}, 2026, "2026-09-25"},
		{"lunar day 30 in a 29-day month → 29", KeyDate{Calendar: Lunar, Month: 2, Day: 30}, 2025, "2025-03-28"}, // 三月初一 is 03-29,
		{"lunar day 30 in a 30-day month", KeyDate{Calendar: Lunar, Month: 1, Day: 30}, 2025, "2025-02-27"},
		{"leap-month date in a year without that leap", KeyDate{Calendar: Lunar, Year: 2020, Month: 4, Day: 1, Leap: true}, 2026, "2026-05-17"},
		{"leap-month date in a year with that leap: ordinary month", KeyDate{Calendar: Lunar, Year: 2020, Month: 4, Day: 1, Leap: true}, 2020, "2020-04-23"},
		{"2025 leap-6 date in 2026", KeyDate{Calendar: Lunar, Year: 2025, Month: 6, Day: 1, Leap: true}, 2026, "2026-07-14"},
		{"腊月 of lunar 2025 falls in solar 2026", KeyDate{Calendar: Lunar, Month: 12, Day: 20}, 2025, "2026-02-07"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.k.Occurrence(tt.year)
			if err != nil {
				t.Fatalf("Occurrence(%d): %v", tt.year, err)
			}
			if got.String() != tt.want {
				t.Errorf("%v.Occurrence(%d) = %v, want %s", tt.k, tt.year, got, tt.want)
			}
		})
	}
}

func TestKeyDateOccurrenceErrors(t *testing.T) {
	tests := []struct {
		name string
		k    KeyDate
		year int
	}{
		{"solar Feb 30", KeyDate{Calendar: Solar, Month: 2, Day: 30}, 2026},
		{"solar month 13", KeyDate{Calendar: Solar, Month: 13, Day: 1}, 2026},
		{"lunar day 31", KeyDate{Calendar: Lunar, Month: 1, Day: 31}, 2026},
		{"lunar year out of range", KeyDate{Calendar: Lunar, Month: 1, Day: 1}, 2101},
		{"unknown calendar", KeyDate{Calendar: "hebrew", Month: 1, Day: 1}, 2026},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, err := tt.k.Occurrence(tt.year); err == nil {
				t.Errorf("%v.Occurrence(%d) = %v, want an error", tt.k, tt.year, got)
			}
		})
	}
}

func TestKeyDateNextOccurrence(t *testing.T) {
	tests := []struct {
		name string
		k    KeyDate
		from string
		want string
	}{
		{"solar later this year", KeyDate{Calendar: Solar, Month: 5, Day: 3}, "2026-01-10", "2026-05-03"},
		{"solar same day", KeyDate{Calendar: Solar, Month: 5, Day: 3}, "2026-05-03", "2026-05-03"},
		{"solar passed → next year", KeyDate{Calendar: Solar, Month: 5, Day: 3}, "2026-05-04", "2027-05-03"},
		{"Feb 29 from 2026", KeyDate{Calendar: Solar, Month: 2, Day: 29}, "2026-01-01", "2026-02-28"},
		{"Feb 29 from 2027-03-01", KeyDate{Calendar: Solar, Month: 2, Day: 29}, "2027-03-01", "2028-02-29"},
		{"lunar 腊月 in January: previous lunar year", KeyDate{Calendar: Lunar, Month: 12, Day: 20}, "2026-01-10", "2026-02-07"},
		{"lunar New Year", KeyDate{Calendar: Lunar, Month: 1, Day: 1}, "2026-01-10", "2026-02-17"},
		{"lunar passed → next lunar year", KeyDate{Calendar: Lunar, Month: 8, Day: 15}, "2026-09-26", "2027-09-15"},
		{"lunar 正月初一 after New Year", KeyDate{Calendar: Lunar, Month: 1, Day: 1}, "2026-02-18", "2027-02-06"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.k.NextOccurrence(MustDate(tt.from))
			if err != nil {
				t.Fatalf("NextOccurrence(%s): %v", tt.from, err)
			}
			if got.String() != tt.want {
				t.Errorf("%v.NextOccurrence(%s) = %v, want %s", tt.k, tt.from, got, tt.want)
			}
		})
	}
	if got, err := (KeyDate{Calendar: Solar, Month: 2, Day: 30}).NextOccurrence(MustDate("2026-01-01")); err == nil {
		t.Errorf("NextOccurrence of Feb 30 = %v, want an error", got)
	}
	if got, err := (KeyDate{Calendar: Solar, Month: 5, Day: 3}).NextOccurrence(0); err == nil {
		t.Errorf("NextOccurrence from no day = %v, want an error", got)
	}
}

func TestKeyDateValidate(t *testing.T) {
	tests := []struct {
		name    string
		k       KeyDate
		wantKey string // "" = valid
	}{
		{"solar ok", KeyDate{Calendar: Solar, Month: 5, Day: 3}, ""},
		{"solar with year ok", KeyDate{Calendar: Solar, Year: 1992, Month: 5, Day: 3}, ""},
		{"empty calendar is solar", KeyDate{Month: 5, Day: 3}, ""},
		{"Feb 29 without year", KeyDate{Calendar: Solar, Month: 2, Day: 29}, ""},
		{"Feb 29 in a leap year", KeyDate{Calendar: Solar, Year: 2000, Month: 2, Day: 29}, ""},
		{"Feb 29 in a common year", KeyDate{Calendar: Solar, Year: 2025, Month: 2, Day: 29}, "err.solar_date"},
		{"Feb 30", KeyDate{Calendar: Solar, Month: 2, Day: 30}, "err.solar_date"},
		{"Apr 31", KeyDate{Calendar: Solar, Month: 4, Day: 31}, "err.solar_date"},
		{"solar month 0", KeyDate{Calendar: Solar, Month: 0, Day: 1}, "err.solar_date"},
		{"solar day 0", KeyDate{Calendar: Solar, Month: 1, Day: 0}, "err.solar_date"},
		{"solar year 1899", KeyDate{Calendar: Solar, Year: 1899, Month: 1, Day: 1}, "err.year_range"},
		{"solar year 2101", KeyDate{Calendar: Solar, Year: 2101, Month: 1, Day: 1}, "err.year_range"},
		{"lunar ok", KeyDate{Calendar: Lunar, Month: 8, Day: 15}, ""},
		{"lunar day 30 without year", KeyDate{Calendar: Lunar, Month: 2, Day: 30}, ""},
		{"lunar leap without year", KeyDate{Calendar: Lunar, Month: 4, Day: 1, Leap: true}, ""},
		{"lunar day 30 in a 29-day month", KeyDate{Calendar: Lunar, Year: 2025, Month: 2, Day: 30}, "err.lunar_day"},
		{"lunar day 30 in a 30-day month", KeyDate{Calendar: Lunar, Year: 2025, Month: 1, Day: 30}, ""},
		{"lunar day 31", KeyDate{Calendar: Lunar, Month: 1, Day: 31}, "err.lunar_day"},
		{"lunar day 0", KeyDate{Calendar: Lunar, Month: 1, Day: 0}, "err.lunar_day"},
		{"lunar month 13", KeyDate{Calendar: Lunar, Month: 13, Day: 1}, "err.lunar_day"},
		{"lunar leap on the year's leap month", KeyDate{Calendar: Lunar, Year: 2025, Month: 6, Day: 29, Leap: true}, ""},
		{"lunar leap day 30 of a 29-day leap month", KeyDate{Calendar: Lunar, Year: 2025, Month: 6, Day: 30, Leap: true}, "err.lunar_day"},
		{"lunar leap in a year without leap", KeyDate{Calendar: Lunar, Year: 2026, Month: 4, Day: 1, Leap: true}, "err.lunar_leap"},
		{"lunar leap on another month", KeyDate{Calendar: Lunar, Year: 2023, Month: 3, Day: 1, Leap: true}, "err.lunar_leap"},
		{"lunar year 1899", KeyDate{Calendar: Lunar, Year: 1899, Month: 1, Day: 1}, "err.year_range"},
		{"unknown calendar", KeyDate{Calendar: "hebrew", Month: 1, Day: 1}, "err.calendar"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fe := tt.k.Validate("birthday")
			switch {
			case tt.wantKey == "" && fe != nil:
				t.Errorf("Validate(%+v) = %v, want nil", tt.k, fe)
			case tt.wantKey != "" && (fe == nil || fe.Key != tt.wantKey || fe.Field != "birthday"):
				t.Errorf("Validate(%+v) = %v, want birthday: %s", tt.k, fe, tt.wantKey)
			}
		})
	}
	fe := KeyDate{Calendar: Lunar, Year: 2025, Month: 2, Day: 30}.Validate("dates[1]")
	if fe == nil || fe.Args["Max"] != 29 || fe.Field != "dates[1]" {
		t.Errorf("lunar_day args = %v, want Max 29 on dates[1]", fe)
	}
}

func TestKeyDateString(t *testing.T) {
	tests := []struct {
		k    KeyDate
		want string
	}{
		{KeyDate{Calendar: Solar, Month: 5, Day: 3}, "5月3日"},
		{KeyDate{Calendar: Solar, Year: 1992, Month: 5, Day: 3}, "1992年5月3日"},
		{KeyDate{Calendar: Solar, Month: 11, Day: 22, Leap: true}, "11月22日"},
		{KeyDate{Calendar: Lunar, Month: 8, Day: 15}, "农历八月十五"},
		{KeyDate{Calendar: Lunar, Year: 1988, Month: 1, Day: 8}, "1988年农历正月初八"},
		{KeyDate{Calendar: Lunar, Month: 4, Day: 1, Leap: true}, "农历闰四月初一"},
	}
	for _, tt := range tests {
		if got := tt.k.String(); got != tt.want {
			t.Errorf("%+v.String() = %q, want %q", tt.k, got, tt.want)
		}
	}
}

func TestParseKeyDate(t *testing.T) {
	solar := func(y, m, d int) KeyDate { return KeyDate{Calendar: Solar, Year: y, Month: m, Day: d} }
	lunar := func(y, m, d int, leap bool) KeyDate {
		return KeyDate{Calendar: Lunar, Year: y, Month: m, Day: d, Leap: leap}
	}
	tests := []struct {
		in   string
		want KeyDate
	}{
		{"2026-11-22", solar(2026, 11, 22)},
		{"2026/11/22", solar(2026, 11, 22)},
		{"2026.11.22", solar(2026, 11, 22)},
		{"2026-1-5", solar(2026, 1, 5)},
		{"11/22", solar(0, 11, 22)},
		{"11-22", solar(0, 11, 22)},
		{"11月22日", solar(0, 11, 22)},
		{"11月22号", solar(0, 11, 22)},
		{"1992年5月3日", solar(1992, 5, 3)},
		{" 5月3日 ", solar(0, 5, 3)},
		{"2月29日", solar(0, 2, 29)},
		{"2028-02-29", solar(2028, 2, 29)},
		{"农历八月十五", lunar(0, 8, 15, false)},
		{"阴历正月初八", lunar(0, 1, 8, false)},
		{"腊月廿三", lunar(0, 12, 23, false)},
		{"闰四月初一", lunar(0, 4, 1, true)},
		{"1988年农历正月初八", lunar(1988, 1, 8, false)},
		{"1990-08-15(农历)", lunar(1990, 8, 15, false)},
		{"1990-08-15（农历）", lunar(1990, 8, 15, false)},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseKeyDate(tt.in)
			if err != nil {
				t.Fatalf("ParseKeyDate(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("ParseKeyDate(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
			again, err := ParseKeyDate(got.String())
			if err != nil || again != got {
				t.Errorf("ParseKeyDate(String %q) = %+v, %v; want %+v", got.String(), again, err, got)
			}
		})
	}
}

func TestParseKeyDateRefuses(t *testing.T) {
	for _, in := range []string{
		"", "   ", "abc", "2月30日", "2026-02-29", "2026-13-01", "13/01", "1899-05-03",
		"26-11-22", "2026-11", "2026-11-22-1", "11/22/2026", "5月", "年5月3日", "0000-01-01",
		"2025年农历二月三十", "2026年闰四月初一", "45678",
	} {
		if got, err := ParseKeyDate(in); err == nil {
			t.Errorf("ParseKeyDate(%q) = %+v, want an error", in, got)
		}
	}
}

func FuzzParseKeyDate(f *testing.F) {
	for _, s := range []string{
		"2026-11-22", "2026/11/22", "2026.11.22", "11/22", "11月22日", "1992年5月3日",
		"农历八月十五", "阴历正月初八", "腊月廿三", "闰四月初一", "1990-08-15(农历)",
		"1988年农历正月初八", "2月29日", "2月30日", "", "/", "年月日", "9999-99-99",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k, err := ParseKeyDate(s)
		if err != nil {
			return
		}
		if fe := k.Validate("date"); fe != nil {
			t.Fatalf("ParseKeyDate(%q) = %+v, which does not validate: %v", s, k, fe)
		}
		again, err := ParseKeyDate(k.String())
		if err != nil || again != k {
			t.Fatalf("ParseKeyDate(%q) = %+v; its String %q reads back as %+v, %v", s, k, k.String(), again, err)
		}
		if _, err := k.NextOccurrence(MustDate("2026-06-01")); err != nil {
			t.Fatalf("ParseKeyDate(%q) = %+v has no next occurrence: %v", s, k, err)
		}
	})
}
