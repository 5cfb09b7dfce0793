package crm

import "time"

// Gender of a customer.
type Gender string

// Genders.
const (
	GenderUnknown Gender = "unknown"
	GenderMale    Gender = "male"
	GenderFemale  Gender = "female"
)

// Genders lists every gender in display order.
var Genders = []Gender{GenderUnknown, GenderMale, GenderFemale}

// Tier is the level the salesperson gives a customer (VIP/重要/普通/小).
type Tier string

// Tiers, from most to least important.
const (
	TierVIP      Tier = "vip"
	TierMajor    Tier = "major"
	TierOrdinary Tier = "ordinary"
	TierSmall    Tier = "small"
)

// Tiers lists every tier, vip first; planner order follows it.
var Tiers = []Tier{TierVIP, TierMajor, TierOrdinary, TierSmall}

// Rank orders tiers: vip 0 … small 3; an unknown tier sorts last.
func (t Tier) Rank() int {
	switch t {
	case TierVIP:
		return 0
	case TierMajor:
		return 1
	case TierOrdinary:
		return 2
	case TierSmall:
		return 3
	}
	return len(Tiers)
}

// Calendar says how an important date recurs.
type Calendar string

// Calendars.
const (
	Solar Calendar = "solar"
	Lunar Calendar = "lunar"
)

// KeyDate is a birthday or another important date (结婚纪念日, 开业…). Year is 0 when unknown.
// Leap is meaningful only for lunar dates: the date lies in the leap month (闰月) of Month.
type KeyDate struct {
	ID       int64
	Label    string // empty for the birthday
	Calendar Calendar
	Year     int
	Month    int
	Day      int
	Leap     bool
}

// Customer is the customer information card (顾客信息卡).
type Customer struct {
	ID      int64
	Code    string // 客户编号; assigned C000001… by the store when empty
	Name    string
	Remark  string // 备注名
	Gender  Gender
	Phones  []string // normalised E.164, e.g. +8613812345678
	WeChat  string
	Email   string
	Address string
	Company string
	Title   string
	Source  string // 来源

	Birthday *KeyDate  // nil when unknown
	Dates    []KeyDate // other important dates, each with a label

	Needs       string // 需求
	LatentNeeds string // 潜在需求
	Preferences string // 喜好
	Interests   string // 近期关注
	Notes       string

	Tags         []string
	Tier         Tier
	DoNotDisturb bool // 免打扰: no greetings, no invitations
	Knowing      int  // 了解程度 1–5, 0 = not assessed
	Closeness    int  // 亲密程度 1–5, 0 = not assessed
	Loyalty      int  // 忠诚程度 1–5, 0 = not assessed

	Created   Date // 建档日期: the planner counts the customer from this day
	Archived  bool
	CreatedAt time.Time
	UpdatedAt time.Time
}

// DisplayName is the remark name when there is one, else the name.
func (c *Customer) DisplayName() string {
	if c.Remark != "" {
		return c.Remark
	}
	return c.Name
}

// Summary is the light row of the customer list: enough to show, search and filter without
// loading the card.
type Summary struct {
	ID       int64
	Code     string
	Name     string
	Remark   string
	Phone    string // first phone, E.164
	Tier     Tier
	Tags     []string
	Archived bool
	// Key is the search key built by SearchKey: lower-case name, remark, code, phone digits,
	// tags, full pinyin and pinyin initials, separated by '\x00'.
	Key string
	// Insight is the customer's classification on the day of a search that filters or sorts by
	// it (CustomerQuery.UsesInsights); nil otherwise, and for a customer it does not hold. It
	// is shared: read only.
	Insight *Insight
}
