package crm

import "testing"

func TestPinyin(t *testing.T) {
	cases := []struct{ in, full, initials string }{
		{"张三", "zhangsan", "zs"},
		{"曾国藩", "zengguofan", "zgf"},
		{"单雄信", "shanxiongxin", "sxx"},
		{"李Lily", "lilily", "llily"},
		{"王5", "wang5", "w5"},
		{"", "", ""},
	}
	for _, c := range cases {
		f, i := Pinyin(c.in)
		if f != c.full || i != c.initials {
			t.Errorf("Pinyin(%q) = %q, %q; want %q, %q", c.in, f, i, c.full, c.initials)
		}
	}
}

func TestSearchKeyMatches(t *testing.T) {
	c := &Customer{Name: "张三", Remark: "老张-健身房", Code: "C000042",
		Phones: []string{"+8613812345678"}, Tags: []string{"老客户"}}
	key := SearchKey(c)
	cases := []struct {
		q    string
		want bool
	}{
		{"zs", true},        // pinyin initials of the name
		{"zhangsan", true},  // full pinyin
		{"zhang san", true}, // spaces ignored
		{"ZS", true},        // case ignored
		{"张三", true},
		{"健身", true},            // remark name
		{"ljsf", false},         // initials of 老张健身房 skip the dash: lzjsf
		{"lzjsf", true},         // remark initials
		{"13812345678", true},   // national number
		{"138-1234", true},      // dashes ignored
		{"8613812345678", true}, // with country code
		{"老客户", true},           // tag
		{"c000042", true},       // code
		{"sz", false},           // order matters
		{"三老", false},           // never across fields
		{"", true},
	}
	for _, c := range cases {
		if got := MatchKey(key, NormalizeQuery(c.q)); got != c.want {
			t.Errorf("MatchKey(%q) = %v, want %v (key %q)", c.q, got, c.want, key)
		}
	}
}

func TestPrefixMatch(t *testing.T) {
	zs := SearchKey(&Customer{Name: "张三", Phones: []string{"+8613812345678"}})
	czs := SearchKey(&Customer{Name: "曹长生"})
	cases := []struct {
		key, q string
		want   bool
	}{
		{zs, "zs", true},    // initials start with it
		{zs, "张", true},     // the name starts with it
		{zs, "1381", true},  // the national number starts with it
		{zs, "三", false},    // inside the name
		{zs, "5678", false}, // inside the number
		{czs, "zs", false},  // inside "czs"
		{czs, "czs", true},
		{zs, "", true},
	}
	for _, c := range cases {
		if got := PrefixMatch(c.key, NormalizeQuery(c.q)); got != c.want {
			t.Errorf("PrefixMatch(%q, %q) = %v, want %v", c.key, c.q, got, c.want)
		}
	}
}

func TestPinyinVariantsFindOtherReadings(t *testing.T) {
	key := SearchKey(&Customer{Name: "曹长生"})
	for _, q := range []string{"czs", "ccs", "caochangsheng", "caozhangsheng"} {
		if !MatchKey(key, q) {
			t.Errorf("曹长生 not found by %q (key %q)", q, key)
		}
	}
	// A surname keeps its surname reading only: 曾 is zeng, never ceng.
	if MatchKey(SearchKey(&Customer{Name: "曾国藩"}), "cengguofan") {
		t.Errorf("曾 as a surname read ceng")
	}
	fulls, _ := PinyinVariants("乐乐乐乐乐乐")
	if len(fulls) > maxPinyinVariants {
		t.Errorf("%d variants, want at most %d", len(fulls), maxPinyinVariants)
	}
}
