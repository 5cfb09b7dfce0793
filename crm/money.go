package crm

import (
	"fmt"
	"strconv"
	"strings"
)

// Money is an amount in fen (分, 1/100 yuan). Amounts are never floats.
type Money int64

// MaxMoney bounds one purchase: 100,000,000.00 yuan.
const MaxMoney Money = 100_000_000_00

// ParseMoney reads an amount in yuan as people type it: "128", "128.5", "128.50", "¥1,280.00",
// "1280元". At most two decimals; no sign (a purchase is never negative).
func ParseMoney(s string) (Money, error) {
	t := strings.TrimSpace(s)
	t = strings.TrimPrefix(strings.TrimPrefix(t, "¥"), "￥")
	t = strings.TrimSuffix(t, "元")
	t = strings.ReplaceAll(strings.ReplaceAll(t, ",", ""), "，", "")
	t = strings.TrimSpace(t)
	whole, frac, hasDot := strings.Cut(t, ".")
	if whole == "" && !hasDot || whole == "" && frac == "" || len(frac) > 2 || hasDot && frac == "" {
		return 0, fmt.Errorf("parse money %q: not an amount with at most two decimals", s)
	}
	for _, part := range []string{whole, frac} {
		for _, r := range part {
			if r < '0' || r > '9' {
				return 0, fmt.Errorf("parse money %q: not an amount", s)
			}
		}
	}
	if len(whole) > 12 {
		return 0, fmt.Errorf("parse money %q: too large", s)
	}
	var yuan int64
	if whole != "" {
		v, err := strconv.ParseInt(whole, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("parse money %q: %w", s, err)
		}
		yuan = v
	}
	fen := int64(0)
	if frac != "" {
		for len(frac) < 2 {
			frac += "0"
		}
		v, _ := strconv.ParseInt(frac, 10, 64)
		fen = v
	}
	return Money(yuan*100 + fen), nil
}

// String shows the amount in yuan with two decimals: "1280.00".
func (m Money) String() string {
	sign := ""
	if m < 0 {
		sign, m = "-", -m
	}
	return fmt.Sprintf("%s%d.%02d", sign, int64(m)/100, int64(m)%100)
}

// Yuan returns the amount in yuan for Excel, whose numbers are floats; only for display.
func (m Money) Yuan() float64 { return float64(m) / 100 }
