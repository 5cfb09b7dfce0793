package crm

import (
	"slices"
	"strconv"
	"strings"
)

// Holiday is a day of the holiday greeting list (节假日问候, PRODUCT.md §2).
type Holiday struct {
	Key        string // new_year, spring_festival, … (translated by the UI as "holiday.<key>")
	Calendar   Calendar
	Month, Day int  // Day 0 with Calendar Lunar: the last day of the lunar year (除夕)
	FemaleOnly bool // women's day
	Default    bool // enabled unless the user turns it off
}

// Holidays is the holiday list in calendar order.
var Holidays = []Holiday{
	{Key: "new_year", Calendar: Solar, Month: 1, Day: 1, Default: true},
	{Key: "new_years_eve", Calendar: Lunar, Month: 12, Day: 0},
	{Key: "spring_festival", Calendar: Lunar, Month: 1, Day: 1, Default: true},
	{Key: "lantern", Calendar: Lunar, Month: 1, Day: 15, Default: true},
	{Key: "womens_day", Calendar: Solar, Month: 3, Day: 8, FemaleOnly: true, Default: true},
	{Key: "labour_day", Calendar: Solar, Month: 5, Day: 1, Default: true},
	{Key: "dragon_boat", Calendar: Lunar, Month: 5, Day: 5, Default: true},
	{Key: "qixi", Calendar: Lunar, Month: 7, Day: 7},
	{Key: "mid_autumn", Calendar: Lunar, Month: 8, Day: 15, Default: true},
	{Key: "double_ninth", Calendar: Lunar, Month: 9, Day: 9},
	{Key: "national_day", Calendar: Solar, Month: 10, Day: 1, Default: true},
	{Key: "christmas", Calendar: Solar, Month: 12, Day: 25},
}

// HolidayByKey returns the holiday with key k.
func HolidayByKey(k string) (Holiday, bool) {
	for _, h := range Holidays {
		if h.Key == k {
			return h, true
		}
	}
	return Holiday{}, false
}

// PlanSettings are the numbers of the planner's rules (PRODUCT.md §2). Every one is a setting;
// DefaultPlanSettings gives the defaults of the spec.
type PlanSettings struct {
	Steps        []int        // routine 1-3-7: days after a purchase, ascending
	Grace        int          // days a routine step stays open
	LeadDays     int          // important dates show this many days ahead
	Cadence      map[Tier]int // keep-in-touch days by tier, 0 = off
	Dormant      int          // active while days since the last purchase ≤ Dormant (90)
	HalfLost     int          // dormant while ≤ HalfLost (180)
	Lost         int          // half-lost while ≤ Lost (365); lost beyond
	RecallRepeat int          // days between recalls (30)
	Holidays     map[string]bool
}

// DefaultPlanSettings returns the rules as PRODUCT.md §2 states them.
func DefaultPlanSettings() PlanSettings {
	s := PlanSettings{
		Steps:        []int{1, 3, 7},
		Grace:        7,
		LeadDays:     3,
		Cadence:      map[Tier]int{TierVIP: 7, TierMajor: 14, TierOrdinary: 30, TierSmall: 0},
		Dormant:      90,
		HalfLost:     180,
		Lost:         365,
		RecallRepeat: 30,
		Holidays:     map[string]bool{},
	}
	for _, h := range Holidays {
		s.Holidays[h.Key] = h.Default
	}
	return s
}

// Bounds of the plan settings.
const (
	MaxSteps     = 10
	MaxStepDays  = 365
	MaxGrace     = 365
	MaxLeadDays  = 60
	MaxCadence   = 365
	MaxChurnDays = 3650
	MaxRecall    = 365
)

// Setting keys under which PlanSettings are kept (Values / ParsePlanSettings).
const (
	SettingSteps        = "plan.steps"
	SettingGrace        = "plan.grace"
	SettingLeadDays     = "plan.lead_days"
	SettingCadence      = "plan.cadence." // + tier
	SettingDormant      = "plan.churn.dormant"
	SettingHalfLost     = "plan.churn.half_lost"
	SettingLost         = "plan.churn.lost"
	SettingRecallRepeat = "plan.recall_repeat"
	SettingHoliday      = "plan.holiday." // + holiday key
)

// Clone returns a deep copy of s.
func (s PlanSettings) Clone() PlanSettings {
	c := s
	c.Steps = slices.Clone(s.Steps)
	c.Cadence = make(map[Tier]int, len(s.Cadence))
	for k, v := range s.Cadence {
		c.Cadence[k] = v
	}
	c.Holidays = make(map[string]bool, len(s.Holidays))
	for k, v := range s.Holidays {
		c.Holidays[k] = v
	}
	return c
}

// RecallAfter is the number of days after the last purchase when a recall first falls due: the
// first dormant day (91).
func (s PlanSettings) RecallAfter() int { return s.Dormant + 1 }

// ChurnOf returns the churn state of a customer whose last purchase was on last, on day d; ""
// when last is 0 (no purchase).
func (s PlanSettings) ChurnOf(last, d Date) Churn {
	if last.IsZero() {
		return ""
	}
	switch r := d.Sub(last); {
	case r <= s.Dormant:
		return ChurnActive
	case r <= s.HalfLost:
		return ChurnDormant
	case r <= s.Lost:
		return ChurnHalfLost
	}
	return ChurnLost
}

// RecallEligible reports whether a customer of tier t in churn state c is to be recalled: vip
// and major customers once dormant, half-lost or lost; ordinary customers while dormant; small
// customers never.
func RecallEligible(t Tier, c Churn) bool {
	switch t {
	case TierVIP, TierMajor:
		return c == ChurnDormant || c == ChurnHalfLost || c == ChurnLost
	case TierOrdinary:
		return c == ChurnDormant
	}
	return false
}

// PurchaseWindow is the range of purchase dates that can have an open or expiring routine item
// on d: [d − last step − grace, d − first step].
func (s PlanSettings) PurchaseWindow(d Date) (from, to Date) {
	if len(s.Steps) == 0 {
		return d + 1, d // empty
	}
	return d.AddDays(-s.Steps[len(s.Steps)-1] - s.Grace), d.AddDays(-s.Steps[0])
}

// RecordWindow is the range of record dates that can close a routine or greeting item on d:
// [first day of the purchase window + first step, d] or [d − lead days, d], whichever is longer.
func (s PlanSettings) RecordWindow(d Date) (from, to Date) {
	from = d.AddDays(-s.LeadDays)
	if len(s.Steps) > 0 {
		pf, _ := s.PurchaseWindow(d)
		from = min(from, pf.AddDays(s.Steps[0]))
	}
	return from, d
}

// KeyDateWindow is the range of occurrences that open an important-date item on d:
// [d, d + lead days].
func (s PlanSettings) KeyDateWindow(d Date) (from, to Date) { return d, d.AddDays(s.LeadDays) }

// Validate returns every field error of s (nil when valid). Fields: "steps", "grace",
// "lead_days", "cadence.<tier>", "dormant", "half_lost", "lost", "recall_repeat".
func (s PlanSettings) Validate() Errors {
	var es Errors
	rng := func(field string, v, lo, hi int) {
		if v < lo || v > hi {
			es = append(es, FieldError{Field: field, Key: "err.range", Args: map[string]any{"Min": lo, "Max": hi}})
		}
	}
	switch {
	case len(s.Steps) == 0:
		es = append(es, FieldError{Field: "steps", Key: "err.required"})
	case len(s.Steps) > MaxSteps:
		es = append(es, FieldError{Field: "steps", Key: "err.too_many", Args: map[string]any{"Max": MaxSteps}})
	default:
		for i, v := range s.Steps {
			if v < 1 || v > MaxStepDays || (i > 0 && v <= s.Steps[i-1]) {
				es = append(es, FieldError{Field: "steps", Key: "err.steps", Args: map[string]any{"Max": MaxStepDays}})
				break
			}
		}
	}
	rng("grace", s.Grace, 1, MaxGrace)
	rng("lead_days", s.LeadDays, 0, MaxLeadDays)
	for _, t := range Tiers {
		rng("cadence."+string(t), s.Cadence[t], 0, MaxCadence)
	}
	rng("dormant", s.Dormant, 1, MaxChurnDays)
	rng("half_lost", s.HalfLost, 1, MaxChurnDays)
	rng("lost", s.Lost, 1, MaxChurnDays)
	if s.HalfLost <= s.Dormant {
		es = append(es, FieldError{Field: "half_lost", Key: "err.churn_order"})
	}
	if s.Lost <= s.HalfLost {
		es = append(es, FieldError{Field: "lost", Key: "err.churn_order"})
	}
	rng("recall_repeat", s.RecallRepeat, 1, MaxRecall)
	return es
}

// Values returns s as setting keys and text values, for the settings table.
func (s PlanSettings) Values() map[string]string {
	steps := make([]string, len(s.Steps))
	for i, v := range s.Steps {
		steps[i] = strconv.Itoa(v)
	}
	v := map[string]string{
		SettingSteps:        strings.Join(steps, ","),
		SettingGrace:        strconv.Itoa(s.Grace),
		SettingLeadDays:     strconv.Itoa(s.LeadDays),
		SettingDormant:      strconv.Itoa(s.Dormant),
		SettingHalfLost:     strconv.Itoa(s.HalfLost),
		SettingLost:         strconv.Itoa(s.Lost),
		SettingRecallRepeat: strconv.Itoa(s.RecallRepeat),
	}
	for _, t := range Tiers {
		v[SettingCadence+string(t)] = strconv.Itoa(s.Cadence[t])
	}
	for _, h := range Holidays {
		v[SettingHoliday+h.Key] = strconv.FormatBool(s.Holidays[h.Key])
	}
	return v
}

// ParseSteps reads "1, 3, 7" (also with "，" "、" or spaces) as step days.
func ParseSteps(text string) ([]int, bool) {
	f := strings.FieldsFunc(text, func(r rune) bool {
		return r == ',' || r == '，' || r == '、' || r == ';' || r == ' ' || r == '\t'
	})
	out := make([]int, 0, len(f))
	for _, p := range f {
		n, err := strconv.Atoi(p)
		if err != nil {
			return nil, false
		}
		out = append(out, n)
	}
	return out, len(out) > 0
}

// ParsePlanSettings reads settings kept by Values. Missing or unreadable values, and a result
// that does not validate, fall back to the defaults field by field, so a damaged settings table
// never stops the planner.
func ParsePlanSettings(v map[string]string) PlanSettings {
	s := DefaultPlanSettings()
	num := func(key string, dst *int) {
		if t, ok := v[key]; ok {
			if n, err := strconv.Atoi(strings.TrimSpace(t)); err == nil {
				*dst = n
			}
		}
	}
	if t, ok := v[SettingSteps]; ok {
		if st, ok := ParseSteps(t); ok {
			s.Steps = st
		}
	}
	num(SettingGrace, &s.Grace)
	num(SettingLeadDays, &s.LeadDays)
	num(SettingDormant, &s.Dormant)
	num(SettingHalfLost, &s.HalfLost)
	num(SettingLost, &s.Lost)
	num(SettingRecallRepeat, &s.RecallRepeat)
	for _, t := range Tiers {
		n := s.Cadence[t]
		num(SettingCadence+string(t), &n)
		s.Cadence[t] = n
	}
	for _, h := range Holidays {
		if t, ok := v[SettingHoliday+h.Key]; ok {
			if b, err := strconv.ParseBool(t); err == nil {
				s.Holidays[h.Key] = b
			}
		}
	}
	// Fall back field by field where the stored value is out of bounds.
	d := DefaultPlanSettings()
	for _, e := range s.Validate() {
		switch {
		case e.Field == "steps":
			s.Steps = d.Steps
		case e.Field == "grace":
			s.Grace = d.Grace
		case e.Field == "lead_days":
			s.LeadDays = d.LeadDays
		case strings.HasPrefix(e.Field, "cadence."):
			t := Tier(strings.TrimPrefix(e.Field, "cadence."))
			s.Cadence[t] = d.Cadence[t]
		case e.Field == "dormant", e.Field == "half_lost", e.Field == "lost":
			s.Dormant, s.HalfLost, s.Lost = d.Dormant, d.HalfLost, d.Lost
		case e.Field == "recall_repeat":
			s.RecallRepeat = d.RecallRepeat
		}
	}
	return s
}

// Template keys (话术): the message a plan item copies. TemplateKey of an item picks one.
const (
	TemplateThanks        = "thanks"         // routine, first step: thanks after the purchase
	TemplateUsage         = "usage"          // routine, later steps: how is it going
	TemplateFollowUp      = "follow_up"      // the next step promised
	TemplateBirthday      = "birthday"       // birthday wishes
	TemplateImportantDate = "important_date" // anniversary wishes
	TemplateHoliday       = "holiday"        // holiday greeting
	TemplateCare          = "care"           // keep in touch
	TemplateRecall        = "recall"         // come back
	TemplateInvitation    = "invitation"     // invite to an event
	TemplateService       = "service"        // a service appointment
	TemplateComplaint     = "complaint"      // complaint follow-up
)

// TemplateKeys lists every template key in display order.
var TemplateKeys = []string{TemplateThanks, TemplateUsage, TemplateFollowUp, TemplateBirthday,
	TemplateImportantDate, TemplateHoliday, TemplateCare, TemplateRecall, TemplateInvitation,
	TemplateService, TemplateComplaint}

// TemplateKey returns the key of the message template for the item.
func (it *PlanItem) TemplateKey() string {
	switch it.Reason {
	case ReasonRoutine:
		if it.Step <= 1 {
			return TemplateThanks
		}
		return TemplateUsage
	case ReasonFollowUp:
		return TemplateFollowUp
	case ReasonBirthday:
		return TemplateBirthday
	case ReasonImportantDate:
		return TemplateImportantDate
	case ReasonHoliday:
		return TemplateHoliday
	case ReasonCadence:
		return TemplateCare
	case ReasonRecall:
		return TemplateRecall
	case ReasonInvitation:
		return TemplateInvitation
	case ReasonComplaint:
		return TemplateComplaint
	}
	return TemplateService
}

// TemplateVars fill the placeholders of a template.
type TemplateVars struct {
	Name    string // {name}
	Remark  string // {remark}: the remark name, else the name
	Holiday string // {holiday}: the holiday's name
	Event   string // {event}
	Date    string // {date}: the item's date as the UI writes it
}

// FillTemplate replaces {name}, {remark}, {holiday}, {event} and {date} in body; other braces
// are left as they are.
func FillTemplate(body string, v TemplateVars) string {
	remark := v.Remark
	if remark == "" {
		remark = v.Name
	}
	return strings.NewReplacer("{name}", v.Name, "{remark}", remark, "{holiday}", v.Holiday,
		"{event}", v.Event, "{date}", v.Date).Replace(body)
}
