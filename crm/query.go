package crm

// CustomerQuery selects customers for the customer list.
type CustomerQuery struct {
	Text     string // what the user typed; matched by MatchKey after NormalizeQuery
	Tier     Tier   // "" = any tier
	Tag      string // "" = any tag
	Archived bool   // false: active customers only; true: archived ones only
}
