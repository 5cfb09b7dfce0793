package crm

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Errors returned (wrapped) by the key-date functions.
var (
	ErrKeyDate      = errors.New("invalid important date")
	ErrKeyDateParse = errors.New("not a date")
)

// Year range accepted for the optional year of an important date (both calendars).
const (
	MinKeyDateYear = LunarMinYear
	MaxKeyDateYear = LunarMaxYear
)

// isLunar reports whether k recurs by the lunar calendar (an empty calendar means solar).
func (k KeyDate) isLunar() bool { return k.Calendar == Lunar }

// Occurrence returns the solar date of k in the solar year y for solar dates (Feb 29 → Feb 28
// in common years), or, for lunar dates, the occurrence in the lunar year that starts in solar
// year y (i.e. lunar year y): same lunar month and day, a missing day 30 → day 29, a leap-month
// date kept in the ORDINARY month of that number (PRODUCT.md §2). k.Year is ignored.
func (k KeyDate) Occurrence(lunarOrSolarYear int) (Date, error) {
	y := lunarOrSolarYear
	switch k.Calendar {
	case Solar, "":
		if !ValidSolar(0, k.Month, k.Day) {
			return 0, fmt.Errorf("occurrence of %v in %d: %w", k, y, ErrKeyDate)
		}
		if y < 1 || y > 9999 {
			return 0, fmt.Errorf("occurrence of %v in %d: year out of range: %w", k, y, ErrKeyDate)
		}
		d := k.Day
		if n := DaysInSolarMonth(y, time.Month(k.Month)); d > n {
			d = n // Feb 29 → Feb 28
		}
		return NewDate(y, time.Month(k.Month), d), nil
	case Lunar:
		if k.Month < 1 || k.Month > 12 || k.Day < 1 || k.Day > 30 {
			return 0, fmt.Errorf("occurrence of %v in %d: %w", k, y, ErrKeyDate)
		}
		n, err := LunarMonthDays(y, k.Month, false)
		if err != nil {
			return 0, fmt.Errorf("occurrence of %v in %d: %w", k, y, err)
		}
		d := min(k.Day, n) // a missing 30th → the 29th
		s, err := LunarToSolar(LunarDate{Year: y, Month: k.Month, Day: d})
		if err != nil {
			return 0, fmt.Errorf("occurrence of %v in %d: %w", k, y, err)
		}
		return s, nil
	}
	return 0, fmt.Errorf("occurrence of %v: calendar %q: %w", k, k.Calendar, ErrKeyDate)
}

// NextOccurrence returns the first occurrence of k on or after d. For lunar dates it looks at
// the lunar years that start in d's year, the year before and the year after, so that dates
// around the lunar New Year are right.
func (k KeyDate) NextOccurrence(d Date) (Date, error) {
	if d.IsZero() {
		return 0, fmt.Errorf("next occurrence of %v: no day: %w", k, ErrKeyDate)
	}
	y := d.Year()
	var (
		best    Date
		lastErr error
	)
	for _, yy := range []int{y - 1, y, y + 1} {
		o, err := k.Occurrence(yy)
		if err != nil {
			lastErr = err
			continue
		}
		if o >= d && (best == 0 || o < best) {
			best = o
		}
	}
	if best == 0 {
		if lastErr == nil {
			lastErr = ErrKeyDate
		}
		return 0, fmt.Errorf("next occurrence of %v after %v: %w", k, d, lastErr)
	}
	return best, nil
}

// Validate checks the month and day against the calendar and returns the error for field
// (e.g. "birthday", "dates[0]"), or nil. Solar: a real date (without a year Feb 29 is
// accepted). Lunar: month 1–12 and day 1–30; with a year, the day must exist in that lunar
// month of that year and the leap flag must match the year's leap month. A year, when set,
// must lie in 1900–2100. The label is not checked here.
func (k KeyDate) Validate(field string) *FieldError {
	fe := func(key string, args map[string]any) *FieldError {
		return &FieldError{Field: field, Key: key, Args: args}
	}
	if k.Year != 0 && (k.Year < MinKeyDateYear || k.Year > MaxKeyDateYear) {
		return fe("err.year_range", map[string]any{"Min": MinKeyDateYear, "Max": MaxKeyDateYear})
	}
	switch k.Calendar {
	case Solar, "":
		if !ValidSolar(k.Year, k.Month, k.Day) {
			return fe("err.solar_date", map[string]any{"Year": k.Year, "Month": k.Month, "Day": k.Day})
		}
		return nil
	case Lunar:
	default:
		return fe("err.calendar", map[string]any{"Value": string(k.Calendar)})
	}
	args := map[string]any{"Year": k.Year, "Month": k.Month, "Day": k.Day, "Max": 30}
	if k.Month < 1 || k.Month > 12 || k.Day < 1 || k.Day > 30 {
		return fe("err.lunar_day", args)
	}
	if k.Year == 0 {
		return nil
	}
	if k.Leap && LeapMonthOf(k.Year) != k.Month {
		return fe("err.lunar_leap", map[string]any{"Year": k.Year, "Month": k.Month})
	}
	n, err := LunarMonthDays(k.Year, k.Month, k.Leap)
	if err != nil { // unreachable after the checks above; keep the form honest anyway
		return fe("err.lunar_day", args)
	}
	if k.Day > n {
		args["Max"] = n
		return fe("err.lunar_day", args)
	}
	return nil
}

// AsLunar returns k as a LunarDate (meaningful for lunar dates).
func (k KeyDate) AsLunar() LunarDate {
	return LunarDate{Year: k.Year, Month: k.Month, Day: k.Day, Leap: k.Leap}
}

// String shows the date in its own calendar in Chinese: "5月3日", "1992年5月3日" (solar),
// "农历八月十五", "1988年农历正月初八", "农历闰四月初一" (lunar).
func (k KeyDate) String() string {
	if k.isLunar() {
		return k.AsLunar().String()
	}
	s := strconv.Itoa(k.Month) + "月" + strconv.Itoa(k.Day) + "日"
	if k.Year != 0 {
		s = strconv.Itoa(k.Year) + "年" + s
	}
	return s
}

// ParseKeyDate reads the forms of PRODUCT.md §5 back: "2026-11-22", "2026/11/22", "2026.11.22",
// "11/22", "11-22", "11月22日", "1992年5月3日", and every lunar form ParseLunar reads. The label
// and ID are left empty; the result passes Validate. (Excel serial dates are the importer's.)
func ParseKeyDate(s string) (KeyDate, error) {
	k, err := parseKeyDate(s)
	if err != nil {
		return KeyDate{}, fmt.Errorf("parse date %q: %w", s, err)
	}
	if fe := k.Validate("date"); fe != nil {
		return KeyDate{}, fmt.Errorf("parse date %q: %w: %v", s, ErrKeyDateParse, fe)
	}
	return k, nil
}

func parseKeyDate(s string) (KeyDate, error) {
	t := stripSpace(s)
	if t == "" {
		return KeyDate{}, ErrKeyDateParse
	}
	if l, err := parseLunar(t); err == nil {
		return KeyDate{Calendar: Lunar, Year: l.Year, Month: l.Month, Day: l.Day, Leap: l.Leap}, nil
	}
	k := KeyDate{Calendar: Solar}
	// "1992年5月3日", "5月3日", "5月3号", "5月3".
	if ms, rest, ok := strings.Cut(t, "月"); ok {
		if ys, mm, ok := strings.Cut(ms, "年"); ok {
			y, ok := parseYear(ys)
			if !ok {
				return k, ErrKeyDateParse
			}
			k.Year, ms = y, mm
		}
		rest = strings.TrimSuffix(strings.TrimSuffix(rest, "日"), "号")
		m, ok1 := atoiSmall(ms, 2)
		d, ok2 := atoiSmall(rest, 2)
		if !ok1 || !ok2 {
			return k, ErrKeyDateParse
		}
		k.Month, k.Day = m, d
		return k, nil
	}
	// "2026-11-22", "2026/11/22", "2026.11.22", "11/22", "11-22".
	for _, sep := range []string{"-", "/", "."} {
		if !strings.Contains(t, sep) {
			continue
		}
		parts := strings.Split(t, sep)
		switch len(parts) {
		case 3:
			y, ok0 := atoiSmall(parts[0], 4)
			m, ok1 := atoiSmall(parts[1], 2)
			d, ok2 := atoiSmall(parts[2], 2)
			if !ok0 || !ok1 || !ok2 || len(parts[0]) != 4 || y == 0 {
				return k, ErrKeyDateParse
			}
			k.Year, k.Month, k.Day = y, m, d
			return k, nil
		case 2:
			m, ok1 := atoiSmall(parts[0], 2)
			d, ok2 := atoiSmall(parts[1], 2)
			if !ok1 || !ok2 {
				return k, ErrKeyDateParse
			}
			k.Month, k.Day = m, d
			return k, nil
		}
		return k, ErrKeyDateParse
	}
	return k, ErrKeyDateParse
}
