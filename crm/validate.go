package crm

// Translation keys used by ValidateCustomer and KeyDate.Validate, with their English text and
// placeholders (Go text/template syntax):
//
//	err.required        "This field is required."
//	err.too_long        "At most {{.Max}} characters."                       Max
//	err.too_many        "At most {{.Max}} entries."                          Max (phones, tags)
//	err.control_chars   "Remove the control or text-direction characters."  (also invalid UTF-8)
//	err.separator       "Cannot contain any of {{.Chars}}."                  Chars (tags, date labels)
//	err.phone           "{{.Value}} is not a phone number."                  Value
//	err.email           "{{.Value}} is not an email address."                Value
//	err.code            "Only letters, digits, - and _."
//	err.gender          "{{.Value}} is not a gender."                        Value
//	err.tier            "{{.Value}} is not a tier."                          Value
//	err.scale           "Between {{.Min}} and {{.Max}}, or not assessed."    Min, Max (1, 5)
//	err.label_required  "Give this date a name."
//	err.calendar        "{{.Value}} is not a calendar (solar or lunar)."     Value
//	err.year_range      "The year must be between {{.Min}} and {{.Max}}."    Min, Max (1900, 2100)
//	err.solar_date      "{{.Month}}月{{.Day}}日 is not a date."              Year (0 = none), Month, Day
//	err.lunar_day       "Lunar month {{.Month}} has no day {{.Day}} (it has {{.Max}} days)."
//	                                                                         Year (0 = none), Month, Day, Max
//	err.lunar_leap      "Lunar year {{.Year}} has no leap month {{.Month}}." Year, Month

import (
	"net/mail"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Field bounds, in runes (characters), and list sizes.
const (
	MaxName      = 50
	MaxRemark    = 50
	MaxCode      = 20
	MaxWeChat    = 50
	MaxEmail     = 100
	MaxAddress   = 200
	MaxCompany   = 100
	MaxTitle     = 50
	MaxSource    = 50
	MaxLabel     = 30
	MaxTag       = 30
	MaxTags      = 30
	MaxPhones    = 10
	MaxLongText  = 1000 // needs, latent needs, preferences, interests
	MaxNotes     = 5000
	MinScale     = 1
	MaxScale     = 5
	listSepChars = ";；,，、" // separate tags and dates in Excel cells (PRODUCT.md §5)
	labelSepRune = "：:"    // separates a date's label from the date in Excel cells
)

// NormalizeCustomer tidies a card before validation and saving: trims every text field of
// spaces, tabs and line breaks (trimSpace; and turns CRLF/CR into LF in the multi-line ones),
// normalises phones that parse to E.164 (leaves
// unparseable ones as typed so validation can report them), drops empty and duplicate phones,
// trims and dedupes tags (case-sensitive, order kept, empty dropped), lower-cases gender and
// tier and defaults them to unknown and ordinary, trims date labels, defaults a key date's
// calendar to solar and clears Leap on solar dates.
func NormalizeCustomer(c *Customer) {
	if c == nil {
		return
	}
	for _, p := range []*string{&c.Code, &c.Name, &c.Remark, &c.WeChat, &c.Email, &c.Address,
		&c.Company, &c.Title, &c.Source} {
		*p = trimSpace(*p)
	}
	for _, p := range []*string{&c.Needs, &c.LatentNeeds, &c.Preferences, &c.Interests, &c.Notes} {
		*p = trimSpace(normalizeNewlines(*p))
	}

	phones := c.Phones[:0:0]
	seen := map[string]bool{}
	for _, p := range c.Phones {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if n, err := NormalizePhone(p); err == nil {
			p = n
		}
		if seen[p] {
			continue
		}
		seen[p] = true
		phones = append(phones, p)
	}
	c.Phones = phones

	tags := c.Tags[:0:0]
	seenTag := map[string]bool{}
	for _, t := range c.Tags {
		t = trimSpace(t)
		if t == "" || seenTag[t] {
			continue
		}
		seenTag[t] = true
		tags = append(tags, t)
	}
	c.Tags = tags

	c.Gender = Gender(strings.ToLower(strings.TrimSpace(string(c.Gender))))
	if c.Gender == "" {
		c.Gender = GenderUnknown
	}
	c.Tier = Tier(strings.ToLower(strings.TrimSpace(string(c.Tier))))
	if c.Tier == "" {
		c.Tier = TierOrdinary
	}

	if c.Birthday != nil {
		normalizeKeyDate(c.Birthday)
	}
	for i := range c.Dates {
		normalizeKeyDate(&c.Dates[i])
	}
}

func normalizeKeyDate(k *KeyDate) {
	k.Label = trimSpace(k.Label)
	k.Calendar = Calendar(strings.ToLower(strings.TrimSpace(string(k.Calendar))))
	if k.Calendar == "" {
		k.Calendar = Solar
	}
	if k.Calendar == Solar {
		k.Leap = false
	}
}

// trimSpace trims spaces (Unicode's, the ideographic space too), tabs and line breaks from both
// ends of s, but not the other control characters that Unicode counts as space (vertical tab,
// form feed, U+0085): validation refuses those rather than have them quietly vanish.
func trimSpace(s string) string {
	return strings.TrimFunc(s, func(r rune) bool {
		return r == '\t' || r == '\n' || r == '\r' || unicode.IsSpace(r) && !unicode.IsControl(r)
	})
}

func normalizeNewlines(s string) string {
	if !strings.Contains(s, "\r") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

// ValidateCustomer returns every field error of the card (nil when valid), at most one per
// field. Call NormalizeCustomer first: validation does not trim.
func ValidateCustomer(c *Customer) Errors {
	var es Errors
	add := func(fe *FieldError) {
		if fe != nil {
			es = append(es, *fe)
		}
	}
	if c == nil {
		return Errors{{Field: "name", Key: "err.required"}}
	}

	if strings.TrimSpace(c.Name) == "" {
		add(&FieldError{Field: "name", Key: "err.required"})
	} else {
		add(checkText("name", c.Name, MaxName, false))
	}
	add(checkText("remark", c.Remark, MaxRemark, false))
	if fe := checkText("code", c.Code, MaxCode, false); fe != nil {
		add(fe)
	} else if !validCode(c.Code) {
		add(&FieldError{Field: "code", Key: "err.code"})
	}
	if !validGender(c.Gender) {
		add(&FieldError{Field: "gender", Key: "err.gender", Args: map[string]any{"Value": string(c.Gender)}})
	}

	if len(c.Phones) > MaxPhones {
		add(&FieldError{Field: "phones", Key: "err.too_many", Args: map[string]any{"Max": MaxPhones}})
	}
	for i, p := range c.Phones {
		field := "phones[" + strconv.Itoa(i) + "]"
		if strings.TrimSpace(p) == "" {
			add(&FieldError{Field: field, Key: "err.required"})
			continue
		}
		if _, err := NormalizePhone(p); err != nil {
			add(&FieldError{Field: field, Key: "err.phone", Args: map[string]any{"Value": p}})
		}
	}

	add(checkText("wechat", c.WeChat, MaxWeChat, false))
	if fe := checkText("email", c.Email, MaxEmail, false); fe != nil {
		add(fe)
	} else if c.Email != "" && !validEmail(c.Email) {
		add(&FieldError{Field: "email", Key: "err.email", Args: map[string]any{"Value": c.Email}})
	}
	add(checkText("address", c.Address, MaxAddress, false))
	add(checkText("company", c.Company, MaxCompany, false))
	add(checkText("title", c.Title, MaxTitle, false))
	add(checkText("source", c.Source, MaxSource, false))

	if c.Birthday != nil {
		add(c.Birthday.Validate("birthday"))
	}
	for i, k := range c.Dates {
		field := "dates[" + strconv.Itoa(i) + "]"
		add(k.Validate(field))
		lf := field + ".label"
		switch {
		case strings.TrimSpace(k.Label) == "":
			add(&FieldError{Field: lf, Key: "err.label_required"})
		case checkText(lf, k.Label, MaxLabel, false) != nil:
			add(checkText(lf, k.Label, MaxLabel, false))
		case strings.ContainsAny(k.Label, listSepChars+labelSepRune):
			add(&FieldError{Field: lf, Key: "err.separator", Args: map[string]any{"Chars": listSepChars + labelSepRune}})
		}
	}

	add(checkText("needs", c.Needs, MaxLongText, true))
	add(checkText("latent_needs", c.LatentNeeds, MaxLongText, true))
	add(checkText("preferences", c.Preferences, MaxLongText, true))
	add(checkText("interests", c.Interests, MaxLongText, true))
	add(checkText("notes", c.Notes, MaxNotes, true))

	if len(c.Tags) > MaxTags {
		add(&FieldError{Field: "tags", Key: "err.too_many", Args: map[string]any{"Max": MaxTags}})
	}
	for i, t := range c.Tags {
		field := "tags[" + strconv.Itoa(i) + "]"
		switch {
		case strings.TrimSpace(t) == "":
			add(&FieldError{Field: field, Key: "err.required"})
		case checkText(field, t, MaxTag, false) != nil:
			add(checkText(field, t, MaxTag, false))
		case strings.ContainsAny(t, listSepChars):
			add(&FieldError{Field: field, Key: "err.separator", Args: map[string]any{"Chars": listSepChars}})
		}
	}

	if c.Tier.Rank() == len(Tiers) {
		add(&FieldError{Field: "tier", Key: "err.tier", Args: map[string]any{"Value": string(c.Tier)}})
	}
	add(checkScale("knowing", c.Knowing))
	add(checkScale("closeness", c.Closeness))
	add(checkScale("loyalty", c.Loyalty))

	if len(es) == 0 {
		return nil
	}
	return es
}

// checkText refuses invalid UTF-8, control characters (multi-line text may hold \n and \t) and
// bidirectional embedding/override/isolate characters, then text longer than max runes.
func checkText(field, s string, max int, multiLine bool) *FieldError {
	if !utf8.ValidString(s) {
		return &FieldError{Field: field, Key: "err.control_chars"}
	}
	for _, r := range s {
		if multiLine && (r == '\n' || r == '\t') {
			continue
		}
		if unicode.IsControl(r) || (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069) {
			return &FieldError{Field: field, Key: "err.control_chars"}
		}
	}
	if utf8.RuneCountInString(s) > max {
		return &FieldError{Field: field, Key: "err.too_long", Args: map[string]any{"Max": max}}
	}
	return nil
}

func checkScale(field string, v int) *FieldError {
	if v == 0 || (v >= MinScale && v <= MaxScale) {
		return nil
	}
	return &FieldError{Field: field, Key: "err.scale", Args: map[string]any{"Min": MinScale, "Max": MaxScale}}
}

// validCode: letters, digits, '-' and '_' only (empty is fine: the store assigns one).
func validCode(s string) bool {
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' && r != '_' {
			return false
		}
	}
	return true
}

func validGender(g Gender) bool {
	for _, x := range Genders {
		if x == g {
			return true
		}
	}
	return false
}

// validEmail: a bare address (no display name) that net/mail accepts, with exactly one @ and a
// domain of at least two non-empty dot-separated labels.
func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || strings.Count(s, "@") != 1 {
		return false
	}
	_, domain, _ := strings.Cut(s, "@")
	labels := strings.Split(domain, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" {
			return false
		}
	}
	return true
}
