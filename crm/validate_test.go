package crm

import (
	"reflect"
	"strings"
	"testing"
)

// validCustomer is a full card that passes validation.
func validCustomer() *Customer {
	return &Customer{
		Code:        "C000001",
		Name:        "王小明",
		Remark:      "小明哥",
		Gender:      GenderMale,
		Phones:      []string{"+8613812345678", "+861012345678"},
		WeChat:      "wxm_1988",
		Email:       "wang@example.com",
		Address:     "北京市朝阳区建国路88号",
		Company:     "星光百货",
		Title:       "采购经理",
		Source:      "老客介绍",
		Birthday:    &KeyDate{Calendar: Lunar, Year: 1988, Month: 1, Day: 8},
		Dates:       []KeyDate{{Label: "结婚纪念日", Calendar: Solar, Year: 2015, Month: 10, Day: 1}},
		Needs:       "给太太买生日礼物\n预算三千",
		LatentNeeds: "换季护肤",
		Preferences: "喜欢淡香 🌸",
		Interests:   "最近在看\t羊绒大衣",
		Notes:       "周末才有空",
		Tags:        []string{"老客", "VIP群"},
		Tier:        TierVIP,
		Knowing:     3,
		Closeness:   0,
		Loyalty:     5,
	}
}

func TestValidateCustomerValid(t *testing.T) {
	if es := ValidateCustomer(validCustomer()); es != nil {
		t.Fatalf("valid card: %v", es)
	}
	minimal := &Customer{Name: "李", Gender: GenderUnknown, Tier: TierOrdinary}
	if es := ValidateCustomer(minimal); es != nil {
		t.Fatalf("minimal card: %v", es)
	}
	if err := ValidateCustomer(minimal).Err(); err != nil {
		t.Fatalf("Err() of a valid card = %v", err)
	}
}

func TestValidateCustomerRules(t *testing.T) {
	long := func(n int) string { return strings.Repeat("字", n) }
	tests := []struct {
		name  string
		edit  func(c *Customer)
		field string
		key   string // "" = valid
	}{
		{"name required", func(c *Customer) { c.Name = "" }, "name", "err.required"},
		{"name blank", func(c *Customer) { c.Name = "  " }, "name", "err.required"},
		{"name at bound", func(c *Customer) { c.Name = long(50) }, "name", ""},
		{"name too long", func(c *Customer) { c.Name = long(51) }, "name", "err.too_long"},
		{"name newline", func(c *Customer) { c.Name = "王\n明" }, "name", "err.control_chars"},
		{"name RLO", func(c *Customer) { c.Name = "王\u202e明" }, "name", "err.control_chars"},
		{"name isolate", func(c *Customer) { c.Name = "王\u2066明" }, "name", "err.control_chars"},
		{"name invalid UTF-8", func(c *Customer) { c.Name = "王\xff" }, "name", "err.control_chars"},
		{"name emoji", func(c *Customer) { c.Name = "王明😀👨‍👩‍👧" }, "name", ""},
		{"remark at bound", func(c *Customer) { c.Remark = long(50) }, "remark", ""},
		{"remark too long", func(c *Customer) { c.Remark = long(51) }, "remark", "err.too_long"},
		{"code empty ok", func(c *Customer) { c.Code = "" }, "code", ""},
		{"code letters digits - _", func(c *Customer) { c.Code = "A-01_b" }, "code", ""},
		{"code at bound", func(c *Customer) { c.Code = strings.Repeat("C", 20) }, "code", ""},
		{"code too long", func(c *Customer) { c.Code = strings.Repeat("C", 21) }, "code", "err.too_long"},
		{"code space", func(c *Customer) { c.Code = "C 01" }, "code", "err.code"},
		{"code slash", func(c *Customer) { c.Code = "C/01" }, "code", "err.code"},
		{"gender bad", func(c *Customer) { c.Gender = "robot" }, "gender", "err.gender"},
		{"gender empty", func(c *Customer) { c.Gender = "" }, "gender", "err.gender"},
		{"phones none ok", func(c *Customer) { c.Phones = nil }, "phones", ""},
		{"phone typed form ok", func(c *Customer) { c.Phones = []string{"138 1234 5678"} }, "phones[0]", ""},
		{"phone letters", func(c *Customer) { c.Phones = []string{"+8613812345678", "abc123"} }, "phones[1]", "err.phone"},
		{"phone too short", func(c *Customer) { c.Phones = []string{"12345"} }, "phones[0]", "err.phone"},
		{"phone empty", func(c *Customer) { c.Phones = []string{""} }, "phones[0]", "err.required"},
		{"phones at bound", func(c *Customer) { c.Phones = manyPhones(10) }, "phones", ""},
		{"phones too many", func(c *Customer) { c.Phones = manyPhones(11) }, "phones", "err.too_many"},
		{"wechat at bound", func(c *Customer) { c.WeChat = strings.Repeat("w", 50) }, "wechat", ""},
		{"wechat too long", func(c *Customer) { c.WeChat = strings.Repeat("w", 51) }, "wechat", "err.too_long"},
		{"email empty ok", func(c *Customer) { c.Email = "" }, "email", ""},
		{"email at bound", func(c *Customer) { c.Email = strings.Repeat("a", 88) + "@example.com" }, "email", ""},
		{"email too long", func(c *Customer) { c.Email = strings.Repeat("a", 89) + "@example.com" }, "email", "err.too_long"},
		{"email no @", func(c *Customer) { c.Email = "wang.example.com" }, "email", "err.email"},
		{"email two @", func(c *Customer) { c.Email = "wang@x@example.com" }, "email", "err.email"},
		{"email no dot in domain", func(c *Customer) { c.Email = "wang@localhost" }, "email", "err.email"},
		{"email empty label", func(c *Customer) { c.Email = "wang@example..com" }, "email", "err.email"},
		{"email display name", func(c *Customer) { c.Email = "Wang <wang@example.com>" }, "email", "err.email"},
		{"email space", func(c *Customer) { c.Email = "wang ming@example.com" }, "email", "err.email"},
		{"address at bound", func(c *Customer) { c.Address = long(200) }, "address", ""},
		{"address too long", func(c *Customer) { c.Address = long(201) }, "address", "err.too_long"},
		{"address tab", func(c *Customer) { c.Address = "北京\t朝阳" }, "address", "err.control_chars"},
		{"company at bound", func(c *Customer) { c.Company = long(100) }, "company", ""},
		{"company too long", func(c *Customer) { c.Company = long(101) }, "company", "err.too_long"},
		{"title at bound", func(c *Customer) { c.Title = long(50) }, "title", ""},
		{"title too long", func(c *Customer) { c.Title = long(51) }, "title", "err.too_long"},
		{"source at bound", func(c *Customer) { c.Source = long(50) }, "source", ""},
		{"source too long", func(c *Customer) { c.Source = long(51) }, "source", "err.too_long"},
		{"birthday nil ok", func(c *Customer) { c.Birthday = nil }, "birthday", ""},
		{"birthday Feb 29 without year", func(c *Customer) { c.Birthday = &KeyDate{Calendar: Solar, Month: 2, Day: 29} }, "birthday", ""},
		{"birthday Feb 30", func(c *Customer) { c.Birthday = &KeyDate{Calendar: Solar, Month: 2, Day: 30} }, "birthday", "err.solar_date"},
		{"birthday year 1899", func(c *Customer) { c.Birthday = &KeyDate{Calendar: Solar, Year: 1899, Month: 1, Day: 1} }, "birthday", "err.year_range"},
		{"birthday lunar 30 in 29-day month", func(c *Customer) { c.Birthday = &KeyDate{Calendar: Lunar, Year: 2025, Month: 2, Day: 30} }, "birthday", "err.lunar_day"},
		{"birthday lunar leap mismatch", func(c *Customer) { c.Birthday = &KeyDate{Calendar: Lunar, Year: 2026, Month: 4, Day: 1, Leap: true} }, "birthday", "err.lunar_leap"},
		{"birthday needs no label", func(c *Customer) { c.Birthday = &KeyDate{Calendar: Solar, Month: 5, Day: 3} }, "birthday", ""},
		{"date bad day", func(c *Customer) { c.Dates[0].Day = 31; c.Dates[0].Month = 4 }, "dates[0]", "err.solar_date"},
		{"date calendar", func(c *Customer) { c.Dates[0].Calendar = "hebrew" }, "dates[0]", "err.calendar"},
		{"date label required", func(c *Customer) { c.Dates[0].Label = "" }, "dates[0].label", "err.label_required"},
		{"date label at bound", func(c *Customer) { c.Dates[0].Label = long(30) }, "dates[0].label", ""},
		{"date label too long", func(c *Customer) { c.Dates[0].Label = long(31) }, "dates[0].label", "err.too_long"},
		{"date label separator", func(c *Customer) { c.Dates[0].Label = "开业:周年" }, "dates[0].label", "err.separator"},
		{"date label control", func(c *Customer) { c.Dates[0].Label = "开业\x07" }, "dates[0].label", "err.control_chars"},
		{"needs at bound", func(c *Customer) { c.Needs = long(1000) }, "needs", ""},
		{"needs too long", func(c *Customer) { c.Needs = long(1001) }, "needs", "err.too_long"},
		{"needs newline and tab ok", func(c *Customer) { c.Needs = "一\n二\t三" }, "needs", ""},
		{"needs NUL", func(c *Customer) { c.Needs = "一\x00二" }, "needs", "err.control_chars"},
		{"needs CR", func(c *Customer) { c.Needs = "一\r二" }, "needs", "err.control_chars"},
		{"needs RLO", func(c *Customer) { c.Needs = "abc\u202edef" }, "needs", "err.control_chars"},
		{"latent needs too long", func(c *Customer) { c.LatentNeeds = long(1001) }, "latent_needs", "err.too_long"},
		{"latent needs control", func(c *Customer) { c.LatentNeeds = "\x1b[31m" }, "latent_needs", "err.control_chars"},
		{"preferences too long", func(c *Customer) { c.Preferences = long(1001) }, "preferences", "err.too_long"},
		{"preferences C1 control", func(c *Customer) { c.Preferences = "a\u0085b" }, "preferences", "err.control_chars"},
		{"interests too long", func(c *Customer) { c.Interests = long(1001) }, "interests", "err.too_long"},
		{"interests PDI", func(c *Customer) { c.Interests = "a\u2069b" }, "interests", "err.control_chars"},
		{"notes at bound", func(c *Customer) { c.Notes = long(5000) }, "notes", ""},
		{"notes too long", func(c *Customer) { c.Notes = long(5001) }, "notes", "err.too_long"},
		{"notes DEL", func(c *Customer) { c.Notes = "a\x7fb" }, "notes", "err.control_chars"},
		{"tags none ok", func(c *Customer) { c.Tags = nil }, "tags", ""},
		{"tags at bound", func(c *Customer) { c.Tags = manyTags(30) }, "tags", ""},
		{"tags too many", func(c *Customer) { c.Tags = manyTags(31) }, "tags", "err.too_many"},
		{"tag at bound", func(c *Customer) { c.Tags = []string{long(30)} }, "tags[0]", ""},
		{"tag too long", func(c *Customer) { c.Tags = []string{"ok", long(31)} }, "tags[1]", "err.too_long"},
		{"tag empty", func(c *Customer) { c.Tags = []string{""} }, "tags[0]", "err.required"},
		{"tag separator", func(c *Customer) { c.Tags = []string{"老客;新客"} }, "tags[0]", "err.separator"},
		{"tag control", func(c *Customer) { c.Tags = []string{"老\n客"} }, "tags[0]", "err.control_chars"},
		{"tier bad", func(c *Customer) { c.Tier = "gold" }, "tier", "err.tier"},
		{"tier empty", func(c *Customer) { c.Tier = "" }, "tier", "err.tier"},
		{"knowing 0 ok", func(c *Customer) { c.Knowing = 0 }, "knowing", ""},
		{"knowing 1 ok", func(c *Customer) { c.Knowing = 1 }, "knowing", ""},
		{"knowing 5 ok", func(c *Customer) { c.Knowing = 5 }, "knowing", ""},
		{"knowing 6", func(c *Customer) { c.Knowing = 6 }, "knowing", "err.scale"},
		{"knowing -1", func(c *Customer) { c.Knowing = -1 }, "knowing", "err.scale"},
		{"closeness 6", func(c *Customer) { c.Closeness = 6 }, "closeness", "err.scale"},
		{"loyalty -1", func(c *Customer) { c.Loyalty = -1 }, "loyalty", "err.scale"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := validCustomer()
			tt.edit(c)
			es := ValidateCustomer(c)
			if tt.key == "" {
				if es != nil {
					t.Fatalf("want valid, got %v", es)
				}
				return
			}
			if len(es) != 1 {
				t.Fatalf("want exactly one error %s: %s, got %v", tt.field, tt.key, es)
			}
			fe := es.For(tt.field)
			if fe == nil || fe.Key != tt.key {
				t.Fatalf("want %s: %s, got %v", tt.field, tt.key, es)
			}
			if es.Err() == nil {
				t.Fatal("Err() = nil for an invalid card")
			}
		})
	}
}

func TestValidateCustomerArgs(t *testing.T) {
	c := validCustomer()
	c.Name = strings.Repeat("x", 51)
	c.Phones = []string{"abc123"}
	c.Knowing = 9
	es := ValidateCustomer(c)
	if len(es) != 3 {
		t.Fatalf("want 3 errors (every field reported), got %v", es)
	}
	if fe := es.For("name"); fe.Args["Max"] != MaxName {
		t.Errorf("name args = %v", fe.Args)
	}
	if fe := es.For("phones[0]"); fe.Args["Value"] != "abc123" {
		t.Errorf("phone args = %v", fe.Args)
	}
	if fe := es.For("knowing"); fe.Args["Min"] != 1 || fe.Args["Max"] != 5 {
		t.Errorf("scale args = %v", fe.Args)
	}
	if es := ValidateCustomer(nil); es.For("name") == nil {
		t.Errorf("ValidateCustomer(nil) = %v", es)
	}
}

func TestNormalizeCustomer(t *testing.T) {
	c := &Customer{
		Code:        " C01 ",
		Name:        "\u3000王小明 ",
		Remark:      " 小明 ",
		Gender:      "",
		Phones:      []string{" 138 1234 5678 ", "", "+86 138-1234-5678", "abc123", "010-12345678", "  "},
		WeChat:      " wx ",
		Email:       " a@b.cn ",
		Address:     " 北京 ",
		Company:     " 公司 ",
		Title:       " 经理 ",
		Source:      " 介绍 ",
		Birthday:    &KeyDate{Calendar: "", Month: 5, Day: 3, Leap: true},
		Dates:       []KeyDate{{Label: " 开业 ", Calendar: "Lunar", Month: 3, Day: 3, Leap: true}, {Label: "婚", Calendar: Solar, Month: 1, Day: 1, Leap: true}},
		Needs:       " 一\r\n二\r三 ",
		LatentNeeds: "\n潜在\n",
		Preferences: " 喜好 ",
		Interests:   " 关注 ",
		Notes:       " 备注\t ",
		Tags:        []string{" 老客 ", "", "老客", "VIP", "vip", "  "},
		Tier:        "",
	}
	NormalizeCustomer(c)
	want := &Customer{
		Code:        "C01",
		Name:        "王小明",
		Remark:      "小明",
		Gender:      GenderUnknown,
		Phones:      []string{"+8613812345678", "abc123", "+861012345678"},
		WeChat:      "wx",
		Email:       "a@b.cn",
		Address:     "北京",
		Company:     "公司",
		Title:       "经理",
		Source:      "介绍",
		Birthday:    &KeyDate{Calendar: Solar, Month: 5, Day: 3},
		Dates:       []KeyDate{{Label: "开业", Calendar: Lunar, Month: 3, Day: 3, Leap: true}, {Label: "婚", Calendar: Solar, Month: 1, Day: 1}},
		Needs:       "一\n二\n三",
		LatentNeeds: "潜在",
		Preferences: "喜好",
		Interests:   "关注",
		Notes:       "备注",
		Tags:        []string{"老客", "VIP", "vip"},
		Tier:        TierOrdinary,
	}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("NormalizeCustomer:\n got %+v\nwant %+v", c, want)
	}
	if es := ValidateCustomer(c); len(es) != 1 || es.For("phones[1]") == nil {
		t.Errorf("after normalising, want only phones[1] invalid, got %v", es)
	}

	// Gender and tier keep their value (lower-cased); an empty list stays empty.
	d := &Customer{Name: "x", Gender: " Female ", Tier: "VIP"}
	NormalizeCustomer(d)
	if d.Gender != GenderFemale || d.Tier != TierVIP || len(d.Phones) != 0 || len(d.Tags) != 0 {
		t.Errorf("NormalizeCustomer = %+v", d)
	}
	NormalizeCustomer(nil) // must not panic
}

func TestNormalizeCustomerKeepsCallerSlices(t *testing.T) {
	phones := []string{"138 1234 5678", "13812345678"}
	tags := []string{" a ", "a"}
	c := &Customer{Name: "x", Phones: phones, Tags: tags}
	NormalizeCustomer(c)
	if phones[0] != "138 1234 5678" || tags[0] != " a " {
		t.Errorf("NormalizeCustomer changed the caller's slices: %v %v", phones, tags)
	}
}

func manyPhones(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = "+86138123456" + string(rune('0'+i/10)) + string(rune('0'+i%10))
	}
	return out
}

func manyTags(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = "tag" + string(rune('A'+i))
	}
	return out
}
