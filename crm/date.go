package crm

import (
	"fmt"
	"time"
)

// Date is a local calendar date with no time of day and no time zone. It counts days so that
// arithmetic (due = P + 3) is integer arithmetic; the zero value means "no date".
type Date int32

// epochOffset makes 0001-01-01 day 1 so that the zero Date stays "unset".
const epochOffset = 719163 // days from 0001-01-01 to 1970-01-01, plus one

// NewDate returns the date y-m-d. It does not validate; use ValidSolar first when the parts come
// from a user.
func NewDate(y int, m time.Month, d int) Date {
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return Date(t.Unix()/86400 + epochOffset)
}

// DateOf returns the calendar date shown by t's wall clock, whatever its location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return NewDate(y, m, d)
}

// ParseDate reads "2006-01-02".
func ParseDate(s string) (Date, error) {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return 0, fmt.Errorf("parse date %q: %w", s, err)
	}
	return DateOf(t), nil
}

// MustDate is ParseDate for constants in tests and tables; it panics on a bad literal.
func MustDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// IsZero reports whether d is unset.
func (d Date) IsZero() bool { return d == 0 }

// Time returns midnight UTC of d, for formatting and weekday arithmetic.
func (d Date) Time() time.Time { return time.Unix(int64(d-epochOffset)*86400, 0).UTC() }

// YMD returns the year, month and day.
func (d Date) YMD() (int, time.Month, int) { return d.Time().Date() }

// Year returns the year of d.
func (d Date) Year() int { y, _, _ := d.YMD(); return y }

// AddDays returns d + n days.
func (d Date) AddDays(n int) Date { return d + Date(n) }

// Sub returns d − e in days.
func (d Date) Sub(e Date) int { return int(d - e) }

// Weekday returns the day of the week.
func (d Date) Weekday() time.Weekday { return d.Time().Weekday() }

// String formats d as YYYY-MM-DD, or "" when unset.
func (d Date) String() string {
	if d == 0 {
		return ""
	}
	y, m, day := d.YMD()
	if y < 0 || y > 9999 {
		return d.Time().Format("2006-01-02")
	}
	b := [10]byte{byte('0' + y/1000), byte('0' + y/100%10), byte('0' + y/10%10), byte('0' + y%10), '-',
		byte('0' + int(m)/10), byte('0' + int(m)%10), '-', byte('0' + day/10), byte('0' + day%10)}
	return string(b[:])
}

// ValidSolar reports whether y-m-d is a real Gregorian date (Feb 30 is not). A year of 0 means
// "no year": Feb 29 is then allowed.
func ValidSolar(y, m, d int) bool {
	if m < 1 || m > 12 || d < 1 {
		return false
	}
	if y == 0 {
		y = 2000 // a leap year, so Feb 29 is accepted without a year
	}
	if y < 1 || y > 9999 {
		return false
	}
	return d <= DaysInSolarMonth(y, time.Month(m))
}

// DaysInSolarMonth returns the number of days of month m of year y.
func DaysInSolarMonth(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}
