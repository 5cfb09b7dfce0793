package imports

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"carebook/crm"
)

// ErrDate is returned (wrapped) when a cell is not a date (or a date-time) of a form the import
// reads.
var ErrDate = errors.New("not a date")

// Excel's 1900 date system: serial 1 is 1900-01-01 and serial 60 the 1900-02-29 that never was
// (kept for Lotus 1-2-3), so from serial 61 (1900-03-01) on a serial counts the days since
// 1899-12-30, and before it the days since 1899-12-31. The largest serial is 9999-12-31.
var (
	excelEpoch     = crm.NewDate(1899, time.December, 30)
	excelEarly     = crm.NewDate(1899, time.December, 31)
	excelMaxSerial = float64(crm.NewDate(9999, time.December, 31) - excelEpoch)
)

// serialDate returns the day of an Excel serial (its fraction, the time of day, is dropped).
func serialDate(n float64) (crm.Date, bool) {
	if math.IsNaN(n) || n < 1 || n >= excelMaxSerial+1 {
		return 0, false
	}
	days := int(math.Floor(n))
	switch {
	case days == 60:
		return 0, false
	case days < 60:
		return excelEarly + crm.Date(days), true
	}
	return excelEpoch + crm.Date(days), true
}

// serialDateTime returns the wall clock of an Excel serial date-time, to the second, in
// time.UTC (as the store keeps a record's date-time): the fraction of the day rounded to the
// nearest second, as the exporter wrote it.
func serialDateTime(n float64) (time.Time, bool) {
	d, ok := serialDate(n)
	if !ok {
		return time.Time{}, false
	}
	secs := int(math.Round((n - math.Floor(n)) * 86400))
	y, m, day := d.YMD()
	return time.Date(y, m, day, 0, 0, secs, 0, time.UTC), true
}

// cellIsNumber reports whether c holds a number (a date or a plain number) and returns it.
func cellIsNumber(c crm.ImportCell) (float64, bool) {
	return c.Number, c.Kind == crm.CellNumber || c.Kind == crm.CellDate
}

// ParseDateCell reads a date: an Excel serial (CellDate, or a CellNumber: a serial, or
// 20261122 as a number), or text "2026-11-22", "2026/11/22", "2026.11.22", "20261122",
// "1992年5月3日" (also 号, full-width digits), optionally followed by a time ("2026-11-22 09:34":
// its day). An empty cell gives 0 and no error; a returned date is a real date of years
// 1…9999. The error wraps ErrDate.
func ParseDateCell(c crm.ImportCell) (crm.Date, error) {
	if n, ok := cellIsNumber(c); ok {
		if d, ok := compactNumberDate(n); ok && c.Kind == crm.CellNumber {
			return d, nil
		}
		if d, ok := serialDate(n); ok {
			return d, nil
		}
		return 0, fmt.Errorf("parse date %q (%v): %w", c.Text, n, ErrDate)
	}
	t := foldText(c.Text)
	if t == "" {
		return 0, nil
	}
	if c.Kind != crm.CellText {
		return 0, fmt.Errorf("parse date %q: %w", c.Text, ErrDate)
	}
	d, rest, ok := parseDatePrefix(t)
	if !ok || (rest != "" && !validTime(rest)) {
		return 0, fmt.Errorf("parse date %q: %w", c.Text, ErrDate)
	}
	return d, nil
}

// compactNumberDate reads a number 20261122 as a date.
func compactNumberDate(n float64) (crm.Date, bool) {
	if n != math.Trunc(n) || n < 1000_01_01 || n > 9999_12_31 {
		return 0, false
	}
	v := int(n)
	y, m, d := v/10000, v/100%100, v%100
	if !crm.ValidSolar(y, m, d) {
		return 0, false
	}
	return crm.NewDate(y, time.Month(m), d), true
}

// ParseDateTimeCell reads a date-time: an Excel serial with a fraction (CellDate or
// CellNumber: the wall clock the exporter wrote, to the nearest second), or text
// "2026-11-01 09:34", "2026/11/01 9:34", "2026-11-01T09:34:56", "2026年11月1日 9:34", or a bare
// date (00:00). The time is in time.UTC, its wall clock being what counts (crm.Record.At). An
// empty cell gives the zero time and no error. The error wraps ErrDate.
func ParseDateTimeCell(c crm.ImportCell) (time.Time, error) {
	if n, ok := cellIsNumber(c); ok {
		if c.Kind == crm.CellNumber {
			if d, ok := compactNumberDate(n); ok {
				return d.Time(), nil
			}
		}
		if t, ok := serialDateTime(n); ok {
			return t, nil
		}
		return time.Time{}, fmt.Errorf("parse date-time %q (%v): %w", c.Text, n, ErrDate)
	}
	t := foldText(c.Text)
	if t == "" {
		return time.Time{}, nil
	}
	if c.Kind != crm.CellText {
		return time.Time{}, fmt.Errorf("parse date-time %q: %w", c.Text, ErrDate)
	}
	d, rest, ok := parseDatePrefix(t)
	if !ok {
		return time.Time{}, fmt.Errorf("parse date-time %q: %w", c.Text, ErrDate)
	}
	h, m, s, ok := parseTime(rest)
	if !ok {
		return time.Time{}, fmt.Errorf("parse date-time %q: %w", c.Text, ErrDate)
	}
	y, mo, day := d.YMD()
	return time.Date(y, mo, day, h, m, s, 0, time.UTC), nil
}

// ParseKeyDateCell reads a birthday or another important date: everything ParseDateCell reads
// (a solar date with its year), "11/22", "11-22", "11月22日" (no year), and the lunar forms
// "农历八月十五", "阴历正月初八", "腊月廿三", "闰四月初一", "1988年农历正月初八", "1990-08-15(农历)"
// (also （农历）, (阴历), "农历1990-08-15", "1990-08-15农历"); "(公历)"/"(阳历)" after a date say
// it is solar. The result passes KeyDate.Validate (a year, when given, lies in 1900–2100); its
// label is empty. An empty cell gives nil and no error. The error wraps ErrDate.
func ParseKeyDateCell(c crm.ImportCell) (*crm.KeyDate, error) {
	var k crm.KeyDate
	if n, ok := cellIsNumber(c); ok {
		d, err := ParseDateCell(c)
		if err != nil {
			return nil, err
		}
		y, m, day := d.YMD()
		k = crm.KeyDate{Calendar: crm.Solar, Year: y, Month: int(m), Day: day}
		if fe := k.Validate("date"); fe != nil {
			return nil, fmt.Errorf("parse date %q (%v): %w: %v", c.Text, n, ErrDate, fe)
		}
		return &k, nil
	}
	t := foldText(c.Text)
	if t == "" {
		return nil, nil
	}
	if c.Kind != crm.CellText {
		return nil, fmt.Errorf("parse date %q: %w", c.Text, ErrDate)
	}
	k, err := parseKeyDateText(t)
	if err != nil {
		return nil, fmt.Errorf("parse date %q: %w", c.Text, err)
	}
	return &k, nil
}

// parseKeyDateText reads folded text (foldText) as ParseKeyDateCell does.
func parseKeyDateText(t string) (crm.KeyDate, error) {
	t = strings.ReplaceAll(t, " ", "")
	for _, s := range []string{"(公历)", "(阳历)", "(新历)", "公历", "阳历", "新历"} {
		t = strings.TrimSuffix(t, s)
	}
	for _, s := range []string{"公历", "阳历", "新历"} {
		t = strings.TrimPrefix(t, s)
	}
	// "农历1990-08-15" and "1990-08-15农历" → "1990-08-15(农历)".
	for _, p := range []string{"农历", "阴历"} {
		if rest, ok := strings.CutPrefix(t, p); ok && rest != "" && isDigit(rest[0]) && !strings.ContainsRune(rest, '月') {
			t = rest + "(农历)"
		}
		if rest, ok := strings.CutSuffix(t, p); ok && rest != "" && isDigit(rest[len(rest)-1]) {
			t = rest + "(农历)"
		}
	}
	if d, rest, ok := parseDatePrefix(t); ok && (rest == "" || validTime(rest)) {
		y, m, day := d.YMD()
		k := crm.KeyDate{Calendar: crm.Solar, Year: y, Month: int(m), Day: day}
		if fe := k.Validate("date"); fe != nil {
			return crm.KeyDate{}, fmt.Errorf("%w: %v", ErrDate, fe)
		}
		return k, nil
	}
	k, err := crm.ParseKeyDate(t)
	if err != nil {
		return crm.KeyDate{}, fmt.Errorf("%w: %w", ErrDate, err)
	}
	return k, nil
}

// foldText trims a cell's text and folds full-width digits, letters and punctuation to ASCII
// (and the ideographic space to a space).
func foldText(s string) string {
	s = trimSpace(s)
	// Full-width forms are U+FF01…U+FF5E (EF BC 81…EF BD 9E), the ideographic space and 【】
	// U+3000, U+3010, U+3011 (E3 80 80, E3 80 90, E3 80 91).
	folded := false
	for i := 0; i < len(s) && !folded; i++ {
		folded = s[i] == 0xEF || s[i] == 0xE3 && i+1 < len(s) && s[i+1] == 0x80
	}
	if folded {
		s = strings.TrimSpace(strings.Map(foldRune, s))
	}
	return s
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

// digits reads 1 to max ASCII digits at the start of s.
func digits(s string, max int) (n int, rest string, ok bool) {
	i := 0
	for i < len(s) && i < max && isDigit(s[i]) {
		n = n*10 + int(s[i]-'0')
		i++
	}
	return n, s[i:], i > 0
}

// parseDatePrefix reads a solar date with a four-digit year at the start of folded text t:
// "2026-11-22", "2026/11/22", "2026.11.22", "20261122", "2026年11月22日" (日 or 号 optional).
// rest is what follows, trimmed of spaces and a 'T'.
func parseDatePrefix(t string) (d crm.Date, rest string, ok bool) {
	var y, m, day int
	switch {
	case len(t) >= 8 && allDigits(t[:8]) && (len(t) == 8 || !isDigit(t[8])):
		y, m, day, rest = atoi(t[:4]), atoi(t[4:6]), atoi(t[6:8]), t[8:]
	default:
		var r string
		var ok1, ok2, ok3 bool
		if len(t) < 5 || !allDigits(t[:4]) {
			return 0, "", false
		}
		y, r = atoi(t[:4]), strings.TrimLeft(t[4:], " ")
		if r == "" {
			return 0, "", false
		}
		var sep string
		switch {
		case strings.HasPrefix(r, "年"):
			sep = "年"
		case r[0] == '-' || r[0] == '/' || r[0] == '.':
			sep = r[:1]
		default:
			return 0, "", false
		}
		r = strings.TrimLeft(r[len(sep):], " ")
		m, r, ok1 = digits(r, 2)
		if sep == "年" {
			r, ok2 = strings.CutPrefix(strings.TrimLeft(r, " "), "月")
			r = strings.TrimLeft(r, " ")
		} else {
			r, ok2 = strings.CutPrefix(r, sep)
		}
		day, r, ok3 = digits(r, 2)
		if !ok1 || !ok2 || !ok3 {
			return 0, "", false
		}
		if sep == "年" {
			if s, ok := strings.CutPrefix(strings.TrimLeft(r, " "), "日"); ok {
				r = s
			} else if s, ok := strings.CutPrefix(strings.TrimLeft(r, " "), "号"); ok {
				r = s
			}
		}
		rest = r
		if rest != "" && isDigit(rest[0]) {
			return 0, "", false
		}
	}
	if y == 0 || !crm.ValidSolar(y, m, day) {
		return 0, "", false
	}
	rest = strings.TrimLeft(rest, " ")
	if r, ok := strings.CutPrefix(rest, "T"); ok {
		rest = r
	}
	return crm.NewDate(y, time.Month(m), day), rest, true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// validTime reports whether s is a time of day parseTime reads.
func validTime(s string) bool {
	_, _, _, ok := parseTime(s)
	return ok
}

// parseTime reads "" (midnight), "9:34", "09:34", "09:34:56", "09:34:56.789" (the fraction
// dropped), optionally followed by "Z"; hours 0–23.
func parseTime(s string) (h, m, sec int, ok bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, 0, 0, true
	}
	s = strings.TrimSuffix(s, "Z")
	h, r, okH := digits(s, 2)
	if !okH || !strings.HasPrefix(r, ":") {
		return 0, 0, 0, false
	}
	m, r2, okM := digits(r[1:], 2)
	if !okM || len(r)-1-len(r2) != 2 { // minutes have two digits: "9:3" is not a time
		return 0, 0, 0, false
	}
	r = r2
	if rest, found := strings.CutPrefix(r, ":"); found {
		var okS bool
		sec, r, okS = digits(rest, 2)
		if !okS || len(rest)-len(r) != 2 {
			return 0, 0, 0, false
		}
		if frac, found := strings.CutPrefix(r, "."); found {
			if frac == "" || !allDigits(frac) {
				return 0, 0, 0, false
			}
			r = ""
		}
	}
	if r != "" || h > 23 || m > 59 || sec > 59 {
		return 0, 0, 0, false
	}
	return h, m, sec, true
}
