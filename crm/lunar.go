package crm

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/golang-module/carbon/v2/calendar/lunar"
)

// The Chinese lunar calendar (农历), wrapped around carbon's table (lunar years 1900–2100).
//
// carbon's traps, all handled here:
//   - lunar→solar returns time.Unix(ts) where ts is midnight in UTC+8, so the result is always
//     read in a fixed UTC+8 zone, never in the machine's local zone;
//   - solar→lunar measures days in the Location of the time it is given, so it is always given
//     midnight UTC;
//   - it rolls a day that the month lacks (a 30th of a 29-day month) into the next month and
//     accepts a leap flag on any month, so both are checked here first;
//   - it indexes its table without bounds checks, so years are range-checked first.

// Supported lunar years (and solar years for SolarToLunar).
const (
	LunarMinYear = 1900
	LunarMaxYear = 2100
)

// cst is China Standard Time, the zone in which carbon computes lunar→solar timestamps.
var cst = time.FixedZone("CST", 8*3600)

// firstLunarDay is lunar 1900-01-01, the first day carbon's table knows; lastLunarDay is the last
// solar day it converts to lunar.
var (
	firstLunarDay = NewDate(1900, time.January, 31)
	lastLunarDay  = NewDate(LunarMaxYear, time.December, 31)
)

// Errors returned (wrapped) by the lunar functions.
var (
	ErrLunarRange = errors.New("outside the supported lunar calendar range 1900–2100")
	ErrLunarDay   = errors.New("no such day in that lunar month")
	ErrLunarMonth = errors.New("no such lunar month")
	ErrLunarLeap  = errors.New("that lunar year has no such leap month")
	ErrLunarParse = errors.New("not a lunar date")
)

// LunarDate is a date of the Chinese lunar calendar. Year is 0 when unknown; Leap means the day
// lies in the leap month (闰月) that follows the ordinary month Month.
type LunarDate struct {
	Year, Month, Day int
	Leap             bool
}

// LeapMonthOf returns the leap month of lunar year year (6 for 2025: 闰六月), or 0 when the
// year has none or is outside 1900–2100.
func LeapMonthOf(year int) int {
	if year < LunarMinYear || year > LunarMaxYear {
		return 0
	}
	return lunar.FromLunar(year, 1, 1, 0, 0, 0, false).LeapMonth()
}

// rawLunarToSolar converts without any check; callers guarantee the year range and
// 1 ≤ day ≤ 30 and that leap is only set on the year's leap month.
func rawLunarToSolar(year, month, day int, leap bool) Date {
	g := lunar.FromLunar(year, month, day, 0, 0, 0, leap).ToGregorian()
	return DateOf(g.Time.In(cst))
}

// LunarMonthDays returns the number of days (29 or 30) of lunar month month of year year, the
// leap month when leap is set.
func LunarMonthDays(year, month int, leap bool) (int, error) {
	if year < LunarMinYear || year > LunarMaxYear {
		return 0, fmt.Errorf("lunar month %d/%d: %w", year, month, ErrLunarRange)
	}
	if month < 1 || month > 12 {
		return 0, fmt.Errorf("lunar month %d/%d: %w", year, month, ErrLunarMonth)
	}
	lm := LeapMonthOf(year)
	if leap && lm != month {
		return 0, fmt.Errorf("lunar month %d/闰%d: %w", year, month, ErrLunarLeap)
	}
	start := rawLunarToSolar(year, month, 1, leap)
	var next Date
	switch {
	case !leap && lm == month:
		next = rawLunarToSolar(year, month, 1, true)
	case month < 12:
		next = rawLunarToSolar(year, month+1, 1, false)
	case year < LunarMaxYear:
		next = rawLunarToSolar(year+1, 1, 1, false)
	default:
		// 腊月 of 2100: its successor (lunar 2101) is outside carbon's table, whose entry for
		// 2100 (0x0d520) gives the twelfth month 29 days.
		return 29, nil
	}
	return next.Sub(start), nil
}

// LunarToSolar returns the solar date of l. It refuses (never rolls over) a day the month lacks,
// a leap flag on a month that is not the year's leap month, and years outside 1900–2100.
func LunarToSolar(l LunarDate) (Date, error) {
	if l.Day < 1 || l.Day > 30 {
		return 0, fmt.Errorf("lunar to solar %v: %w", l, ErrLunarDay)
	}
	n, err := LunarMonthDays(l.Year, l.Month, l.Leap)
	if err != nil {
		return 0, fmt.Errorf("lunar to solar %v: %w", l, err)
	}
	if l.Day > n {
		return 0, fmt.Errorf("lunar to solar %v: %w", l, ErrLunarDay)
	}
	return rawLunarToSolar(l.Year, l.Month, l.Day, l.Leap), nil
}

// SolarToLunar returns the lunar date of the solar day d (1900-01-31 … 2100-12-31).
func SolarToLunar(d Date) (LunarDate, error) {
	if d < firstLunarDay || d > lastLunarDay {
		return LunarDate{}, fmt.Errorf("solar to lunar %v: %w", d, ErrLunarRange)
	}
	y, m, day := d.YMD()
	l := lunar.FromGregorian(time.Date(y, m, day, 0, 0, 0, 0, time.UTC)).ToLunar()
	if l.Error != nil {
		return LunarDate{}, fmt.Errorf("solar to lunar %v: %w", d, l.Error)
	}
	out := LunarDate{Year: l.Year(), Month: l.Month(), Day: l.Day()}
	// carbon's IsLeapMonth only compares the month number, so tell the leap month from the
	// ordinary month of the same number by where the leap month starts.
	if LeapMonthOf(out.Year) == out.Month && d >= rawLunarToSolar(out.Year, out.Month, 1, true) {
		out.Leap = true
	}
	return out, nil
}

// Chinese names of lunar months and days.
var (
	lunarMonthNames = [...]string{"正", "二", "三", "四", "五", "六", "七", "八", "九", "十", "冬", "腊"}
	cnDigits        = [...]string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}
)

// lunarDayName returns 初一…初十, 十一…十九, 二十, 廿一…廿九, 三十.
func lunarDayName(d int) string {
	switch {
	case d >= 1 && d <= 10:
		return "初" + cnDigits[d]
	case d > 10 && d < 20:
		return "十" + cnDigits[d-10]
	case d == 20:
		return "二十"
	case d > 20 && d < 30:
		return "廿" + cnDigits[d-20]
	case d == 30:
		return "三十"
	}
	return strconv.Itoa(d) + "日"
}

// String shows l in Chinese: "农历八月十五", "1988年农历正月初八", "农历闰四月初一".
func (l LunarDate) String() string {
	var b strings.Builder
	if l.Year != 0 {
		b.WriteString(strconv.Itoa(l.Year))
		b.WriteString("年")
	}
	b.WriteString("农历")
	if l.Leap {
		b.WriteString("闰")
	}
	if l.Month >= 1 && l.Month <= 12 {
		b.WriteString(lunarMonthNames[l.Month-1])
	} else {
		b.WriteString(strconv.Itoa(l.Month))
	}
	b.WriteString("月")
	b.WriteString(lunarDayName(l.Day))
	return b.String()
}

// validate checks l against the calendar: month 1–12, day 1–30; with a year, the year's range,
// the leap month and the month's length.
func (l LunarDate) validate() error {
	if l.Month < 1 || l.Month > 12 {
		return fmt.Errorf("lunar date %v: %w", l, ErrLunarMonth)
	}
	if l.Day < 1 || l.Day > 30 {
		return fmt.Errorf("lunar date %v: %w", l, ErrLunarDay)
	}
	if l.Year == 0 {
		return nil
	}
	_, err := LunarToSolar(l)
	return err
}

// ParseLunar reads a lunar date: the forms of String ("农历八月十五", "1988年农历正月初八",
// "农历闰四月初一"), 阴历 for 农历, no prefix when the text is clearly lunar ("腊月廿三",
// "闰四月初一", "八月十五"), 十一月/十二月 or 冬月/腊月, 廿 or 二十, 卅 or 三十, an optional
// trailing 日, Arabic numerals after a prefix ("农历8月15日"), and "1990-08-15(农历)" (also
// with full-width brackets, "/" or "." separators, or no year). The result passes validation:
// with a year, the day exists in that year.
func ParseLunar(s string) (LunarDate, error) {
	l, err := parseLunar(s)
	if err != nil {
		return LunarDate{}, fmt.Errorf("parse lunar %q: %w", s, err)
	}
	if err := l.validate(); err != nil {
		return LunarDate{}, fmt.Errorf("parse lunar %q: %w", s, err)
	}
	return l, nil
}

// stripSpace removes every white space rune.
func stripSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

func parseLunar(s string) (LunarDate, error) {
	t := stripSpace(s)
	for _, suffix := range []string{"(农历)", "（农历）", "(阴历)", "（阴历）"} {
		if rest, ok := strings.CutSuffix(t, suffix); ok {
			return parseNumericLunar(rest)
		}
	}
	var l LunarDate
	// Optional year: Arabic or Chinese digits followed by 年.
	if i := strings.Index(t, "年"); i >= 0 {
		y, ok := parseYear(t[:i])
		if !ok {
			return l, ErrLunarParse
		}
		l.Year = y
		t = t[i+len("年"):]
	}
	prefixed := false
	for _, p := range []string{"农历", "阴历"} {
		if rest, ok := strings.CutPrefix(t, p); ok {
			t, prefixed = rest, true
			break
		}
	}
	lunarish := prefixed // the text is clearly lunar
	if rest, ok := strings.CutPrefix(t, "闰"); ok {
		t, l.Leap, lunarish = rest, true, true
	}
	ms, rest, ok := strings.Cut(t, "月")
	if !ok {
		return l, ErrLunarParse
	}
	switch ms {
	case "正", "冬", "腊":
		lunarish = true
	}
	m, arabicMonth, ok := parseLunarMonth(ms)
	if !ok {
		return l, ErrLunarParse
	}
	ds, withRi := strings.CutSuffix(rest, "日")
	d, arabicDay, ok := parseLunarDay(ds)
	if !ok {
		return l, ErrLunarParse
	}
	if strings.HasPrefix(ds, "初") || strings.HasPrefix(ds, "廿") || strings.HasPrefix(ds, "卅") {
		lunarish = true
	}
	// "八月十五" (Chinese numerals, no 日) reads as lunar; "8月15日" or "十一月十五日" do not.
	if !arabicMonth && !arabicDay && !withRi {
		lunarish = true
	}
	if !lunarish {
		return l, ErrLunarParse
	}
	l.Month, l.Day = m, d
	return l, nil
}

// parseNumericLunar reads "1990-08-15", "1990/8/15", "08-15" (the part before "(农历)").
func parseNumericLunar(s string) (LunarDate, error) {
	var parts []string
	for _, sep := range []string{"-", "/", "."} {
		if strings.Contains(s, sep) {
			parts = strings.Split(s, sep)
			break
		}
	}
	var nums []int
	for _, p := range parts {
		n, ok := atoiSmall(p, 4)
		if !ok {
			return LunarDate{}, ErrLunarParse
		}
		nums = append(nums, n)
	}
	switch len(nums) {
	case 3:
		if len(parts[0]) != 4 || nums[0] == 0 {
			return LunarDate{}, ErrLunarParse
		}
		return LunarDate{Year: nums[0], Month: nums[1], Day: nums[2]}, nil
	case 2:
		return LunarDate{Month: nums[0], Day: nums[1]}, nil
	}
	return LunarDate{}, ErrLunarParse
}

// atoiSmall parses 1 to maxLen ASCII digits.
func atoiSmall(s string, maxLen int) (int, bool) {
	if len(s) == 0 || len(s) > maxLen {
		return 0, false
	}
	n := 0
	for _, r := range s {
		if r < '0' || r > '9' {
			return 0, false
		}
		n = n*10 + int(r-'0')
	}
	return n, true
}

// parseYear reads "1988" or "一九八八"/"一九八〇" (four digits), which must be non-zero.
func parseYear(s string) (int, bool) {
	if n, ok := atoiSmall(s, 4); ok && len(s) == 4 && n > 0 {
		return n, true
	}
	rs := []rune(s)
	if len(rs) != 4 {
		return 0, false
	}
	n := 0
	for _, r := range rs {
		i := -1
		for j, c := range []rune("〇一二三四五六七八九") {
			if r == c {
				i = j
			}
		}
		if r == '零' {
			i = 0
		}
		if i < 0 {
			return 0, false
		}
		n = n*10 + i
	}
	return n, n > 0
}

// cnNumber reads a Chinese number from 1 to 39: 一…十, 十一…十九, 二十…二十九, 三十…三十九,
// 廿X, 卅X.
func cnNumber(s string) (int, bool) {
	rs := []rune(s)
	digit := func(r rune) int {
		for i := 1; i <= 9; i++ {
			if string(r) == cnDigits[i] {
				return i
			}
		}
		return 0
	}
	switch len(rs) {
	case 1:
		switch rs[0] {
		case '十':
			return 10, true
		case '廿':
			return 20, true
		case '卅':
			return 30, true
		}
		d := digit(rs[0])
		return d, d > 0
	case 2:
		switch {
		case rs[0] == '十':
			d := digit(rs[1])
			return 10 + d, d > 0
		case rs[0] == '廿':
			d := digit(rs[1])
			return 20 + d, d > 0
		case rs[0] == '卅':
			d := digit(rs[1])
			return 30 + d, d > 0
		case rs[1] == '十':
			d := digit(rs[0])
			return d * 10, d >= 2 && d <= 3
		}
	case 3:
		if rs[1] != '十' {
			return 0, false
		}
		t, d := digit(rs[0]), digit(rs[2])
		return t*10 + d, (t == 2 || t == 3) && d > 0
	}
	return 0, false
}

// parseLunarMonth reads the month part before 月: 正, 冬, 腊, 一…十二, or 1…12.
func parseLunarMonth(s string) (m int, arabic, ok bool) {
	switch s {
	case "正":
		return 1, false, true
	case "冬":
		return 11, false, true
	case "腊":
		return 12, false, true
	}
	if n, ok := atoiSmall(s, 2); ok {
		return n, true, n >= 1 && n <= 12
	}
	n, ok := cnNumber(s)
	return n, false, ok && n >= 1 && n <= 12
}

// parseLunarDay reads 初一…初十, 十一…, 二十/廿, 廿X/二十X, 三十/卅, or 1…30.
func parseLunarDay(s string) (d int, arabic, ok bool) {
	if rest, ok := strings.CutPrefix(s, "初"); ok {
		n, ok := cnNumber(rest)
		return n, false, ok && n >= 1 && n <= 10
	}
	if n, ok := atoiSmall(s, 2); ok {
		return n, true, n >= 1 && n <= 30
	}
	n, ok := cnNumber(s)
	return n, false, ok && n >= 1 && n <= 30
}
