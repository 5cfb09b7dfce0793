package crm

import (
	"strings"
	"testing"
	"time"
)

func TestParseMoney(t *testing.T) {
	cases := []struct {
		in   string
		want Money
		ok   bool
	}{
		{"128", 12800, true},
		{"128.5", 12850, true},
		{"128.50", 12850, true},
		{"0.01", 1, true},
		{".5", 50, true},
		{"¥1,280.00", 128000, true},
		{"1280元", 128000, true},
		{" 99.9 ", 9990, true},
		{"0", 0, true},
		{"1.234", 0, false}, // three decimals
		{"-5", 0, false},    // no sign: a purchase is never negative
		{"1e3", 0, false},
		{"abc", 0, false},
		{"", 0, false},
		{".", 0, false},
		{"12.", 0, false},
		{"1234567890123", 0, false}, // too large to be typed
	}
	for _, c := range cases {
		got, err := ParseMoney(c.in)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("ParseMoney(%q) = %d, %v; want %d, ok=%v", c.in, got, err, c.want, c.ok)
		}
	}
	for _, m := range []Money{0, 1, 99, 100, 12850, 128000, MaxMoney} {
		back, err := ParseMoney(m.String())
		if err != nil || back != m {
			t.Errorf("round trip %d → %q → %d, %v", m, m.String(), back, err)
		}
	}
}

func TestValidatePurchase(t *testing.T) {
	ok := Purchase{CustomerID: 1, Date: MustDate("2026-11-19"), Amount: 12800, Items: "面霜", Channel: Online}
	cases := []struct {
		name  string
		edit  func(*Purchase)
		field string
	}{
		{"valid", func(*Purchase) {}, ""},
		{"no customer", func(p *Purchase) { p.CustomerID = 0 }, "customer"},
		{"no date", func(p *Purchase) { p.Date = 0 }, "date"},
		{"negative amount", func(p *Purchase) { p.Amount = -1 }, "amount"},
		{"amount too large", func(p *Purchase) { p.Amount = MaxMoney + 1 }, "amount"},
		{"items too long", func(p *Purchase) { p.Items = strings.Repeat("货", MaxItems+1) }, "items"},
		{"bad channel", func(p *Purchase) { p.Channel = "shop" }, "channel"},
		{"zero amount (a gift) is fine", func(p *Purchase) { p.Amount = 0 }, ""},
	}
	for _, c := range cases {
		p := ok
		c.edit(&p)
		es := ValidatePurchase(&p)
		if c.field == "" && len(es) != 0 || c.field != "" && es.For(c.field) == nil {
			t.Errorf("%s: errors %v, want field %q", c.name, es, c.field)
		}
	}
}

func TestValidateRecord(t *testing.T) {
	at := time.Date(2026, 11, 22, 15, 4, 0, 0, time.UTC)
	ok := Record{CustomerID: 1, At: at, Kind: KindRoutine, Channel: ChannelWeChat, Content: "回访使用感受"}
	cases := []struct {
		name  string
		edit  func(*Record)
		field string
	}{
		{"valid", func(*Record) {}, ""},
		{"no customer", func(r *Record) { r.CustomerID = 0 }, "customer"},
		{"no time", func(r *Record) { r.At = time.Time{} }, "at"},
		{"year out of range", func(r *Record) { r.At = time.Date(1850, 1, 1, 0, 0, 0, 0, time.UTC) }, "at"},
		{"bad kind", func(r *Record) { r.Kind = "chat" }, "kind"},
		{"bad channel", func(r *Record) { r.Channel = "fax" }, "channel"},
		{"content too long", func(r *Record) { r.Content = strings.Repeat("字", MaxContent+1) }, "content"},
		{"feedback too long", func(r *Record) { r.Feedback = strings.Repeat("字", MaxFeedback+1) }, "feedback"},
		{"next step too long", func(r *Record) { r.NextStep = strings.Repeat("字", MaxNextStep+1) }, "next_step"},
		{"control characters", func(r *Record) { r.Content = "a\u202eb" }, "content"},
		{"next date before the record", func(r *Record) { r.NextDate = MustDate("2026-11-21") }, "next_date"},
		{"next date the same day is fine", func(r *Record) { r.NextDate = MustDate("2026-11-22") }, ""},
	}
	for _, c := range cases {
		r := ok
		c.edit(&r)
		es := ValidateRecord(&r)
		if c.field == "" && len(es) != 0 || c.field != "" && es.For(c.field) == nil {
			t.Errorf("%s: errors %v, want field %q", c.name, es, c.field)
		}
	}
}
