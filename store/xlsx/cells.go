package xlsx

import (
	"strconv"
	"strings"
	"time"

	"carebook/crm"
)

// Excel's 1900 date system counts the days since 1899-12-30 from 1900-03-01 on; before that it
// has the 1900-02-29 that never was (kept for Lotus 1-2-3), which LibreOffice does not have: the
// two show such serials a day apart, so dates before 1900-03-01 are written as text.
var (
	excelEpoch   = crm.NewDate(1899, time.December, 30)
	excelMar1900 = crm.NewDate(1900, time.March, 1)
	excelMax     = crm.NewDate(9999, time.December, 31)
)

// dateSerial returns Excel's serial number of d; ok is false outside 1900-03-01…9999-12-31.
func dateSerial(d crm.Date) (serial int, ok bool) {
	if d < excelMar1900 || d > excelMax {
		return 0, false
	}
	return int(d - excelEpoch), true
}

// dateCell is the cell of a date: its serial (the column's style shows it as a date), nil when
// unset, the text YYYY-MM-DD when it has no serial (see dateSerial).
func dateCell(d crm.Date) any {
	if d.IsZero() {
		return nil
	}
	if s, ok := dateSerial(d); ok {
		return s
	}
	return d.String()
}

// dateTimeCell is the cell of a local date-time (its wall clock, whatever its location), to the
// second; nil when zero.
func dateTimeCell(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	s, ok := dateSerial(crm.DateOf(t))
	if !ok {
		return t.Format("2006-01-02 15:04")
	}
	h, m, sec := t.Clock()
	return float64(s) + float64(h*3600+m*60+sec)/86400
}

// intCell is a 1–5 score; nil when 0 (not assessed).
func intCell(n int) any {
	if n == 0 {
		return nil
	}
	return n
}

// textCell is a text cell; nil (no cell) when empty. excelize writes a string as an inline
// string, never as a formula, whatever it starts with.
func textCell(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// isSolarWithYear reports whether k is a real solar date with its year (Excel can hold it as a
// date).
func isSolarWithYear(k *crm.KeyDate) bool {
	return k.Calendar != crm.Lunar && k.Year != 0 && crm.ValidSolar(k.Year, k.Month, k.Day)
}

// keyDateCell is the birthday cell: a real date when solar with a year, else text.
func keyDateCell(k *crm.KeyDate, l Lang) any {
	if k == nil || k.Month == 0 {
		return nil
	}
	if isSolarWithYear(k) {
		if s, ok := dateSerial(crm.NewDate(k.Year, time.Month(k.Month), k.Day)); ok {
			return s
		}
	}
	return keyDateText(nil, k, l)
}

// keyDateText appends k as text to b (nil: a new string): a solar date with a year as
// 2015-10-01, without a year as 5月3日 (en 5/3), a lunar date as 农历八月十五, 1988年农历正月初八 in
// both languages.
func keyDateText(b *strings.Builder, k *crm.KeyDate, l Lang) string {
	var s string
	switch {
	case k.Calendar == crm.Lunar:
		s = k.String()
	case isSolarWithYear(k):
		s = crm.NewDate(k.Year, time.Month(k.Month), k.Day).String()
	case k.Year == 0 && l.en():
		s = strconv.Itoa(k.Month) + "/" + strconv.Itoa(k.Day)
	default:
		s = k.String()
	}
	if b != nil {
		b.WriteString(s)
	}
	return s
}

// maxPhoneCache bounds the cache of formatted phones: memory does not grow with the rows.
const maxPhoneCache = 1 << 17

// phones formats phones with crm.FormatPhone, which parses the number (some 30 µs): each
// distinct number is formatted once, as records repeat their customers' phones.
type phones map[string]string

func (c phones) format(e164 string) string {
	if s, ok := c[e164]; ok {
		return s
	}
	if len(c) >= maxPhoneCache {
		clear(c)
	}
	s := crm.FormatPhone(e164)
	c[strings.Clone(e164)] = s
	return s
}
