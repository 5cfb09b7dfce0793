package crm

// SummaryList is the answer of a customer search: the summaries it found, in list order, each
// copied out only when asked for. A keystroke that matches most of a book of 100,000 customers
// would otherwise copy every summary (14 MB) to show the twenty the list has room for.
//
// It refers to summaries that whoever made it never changes again (the store's search index
// replaces what a write changes instead of changing it), so a list keeps the answer it was given
// however the book changes afterwards. The zero SummaryList is empty.
type SummaryList struct {
	refs []SummaryRef
}

// SummaryRef is one customer of a SummaryList: its summary and its insight (nil when the search
// did not classify, or the customer is not classified). Both are read only.
type SummaryRef struct {
	Sum     *Summary
	Insight *Insight
}

// NewSummaryList makes a list of refs, which it keeps: the caller must not change refs, nor
// what they point to, afterwards.
func NewSummaryList(refs []SummaryRef) SummaryList { return SummaryList{refs: refs} }

// Len is the number of customers in the list.
func (l SummaryList) Len() int { return len(l.refs) }

// At returns a copy of the i-th summary, with its Insight (0 ≤ i < Len). Its Tags are shared:
// read only.
func (l SummaryList) At(i int) Summary {
	r := l.refs[i]
	s := *r.Sum
	s.Insight = r.Insight
	return s
}

// ID returns the id of the i-th customer, without copying its summary.
func (l SummaryList) ID(i int) int64 { return l.refs[i].Sum.ID }

// Index returns the position of customer id in the list, or -1.
func (l SummaryList) Index(id int64) int {
	for i, r := range l.refs {
		if r.Sum.ID == id {
			return i
		}
	}
	return -1
}

// Slice returns copies of the summaries from position from to to (to excluded; clamped to the
// list), as At gives them.
func (l SummaryList) Slice(from, to int) []Summary {
	from, to = max(from, 0), min(to, len(l.refs))
	if from >= to {
		return nil
	}
	out := make([]Summary, to-from)
	for i := range out {
		out[i] = l.At(from + i)
	}
	return out
}

// All returns copies of every summary, in list order (nil when the list is empty).
func (l SummaryList) All() []Summary { return l.Slice(0, len(l.refs)) }
