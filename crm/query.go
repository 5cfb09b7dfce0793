package crm

// CustomerQuery selects customers for the customer list.
type CustomerQuery struct {
	Text     string // what the user typed; matched by MatchKey after NormalizeQuery
	Tier     Tier   // "" = any tier
	Tag      string // "" = any tag
	Archived bool   // false: active customers only; true: archived ones only

	// The derived fields (PRODUCT.md §2) of the book classified on Day; zero Day is today.
	// A filter on them, or a sort by them, leaves out (or puts last) the customers the
	// classification does not hold: archived ones and those created after Day.
	Day       Date
	Stage     Stage   // "" = any lifecycle stage
	Churn     Churn   // "" = any churn state (a customer without purchases has none)
	Segment   Segment // "" = any RFM segment (a customer without purchases has none)
	Suggested Tier    // "" = any suggested tier
	Sort      CustomerSort
}

// UsesInsights reports whether q filters or sorts by the classification of the book.
func (q *CustomerQuery) UsesInsights() bool {
	return q.Stage != "" || q.Churn != "" || q.Segment != "" || q.Suggested != "" || q.Sort != SortName
}

// MatchesInsight reports whether a customer with insight in passes q's filters on the derived
// fields.
func (q *CustomerQuery) MatchesInsight(in *Insight) bool {
	return (q.Stage == "" || in.Stage == q.Stage) && (q.Churn == "" || in.Churn == q.Churn) &&
		(q.Segment == "" || in.Segment == q.Segment) && (q.Suggested == "" || in.SuggestedTier == q.Suggested)
}

// CustomerSort is the order of the customer list.
type CustomerSort string

// The orders of the customer list. Whatever the order, customers that compare equal keep the
// list order (by name).
const (
	// SortName is the list order: the pinyin of the display name, then the code.
	SortName CustomerSort = ""
	// SortLastPurchase puts the most recent last purchase first; customers without one last.
	SortLastPurchase CustomerSort = "last_purchase"
	// SortAmount puts the greatest M (amount of the last RFMDays) first.
	SortAmount CustomerSort = "amount"
	// SortRecency puts the greatest R (days since the last purchase) first: those slipping
	// away; customers without a purchase last.
	SortRecency CustomerSort = "recency"
)

// CustomerSorts lists the orders of the customer list, the default first.
var CustomerSorts = []CustomerSort{SortName, SortLastPurchase, SortAmount, SortRecency}

// SortKey is the key of a customer with insight in under order o (smaller first); ok is false
// for a customer that goes after every keyed one (no purchase, or not classified: in nil).
func (o CustomerSort) SortKey(in *Insight) (key int64, ok bool) {
	if in == nil {
		return 0, false
	}
	switch o {
	case SortLastPurchase:
		if !in.HasPurchases() {
			return 0, false
		}
		return int64(in.R), true
	case SortAmount:
		return -int64(in.M), true
	case SortRecency:
		if !in.HasPurchases() {
			return 0, false
		}
		return -int64(in.R), true
	}
	return 0, true
}
