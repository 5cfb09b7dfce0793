package crm

import (
	"cmp"
	"slices"
)

// EventSummary is an event with its invitations counted by status, for the list of events.
type EventSummary struct {
	Event
	// Counts holds the invitations by status; a status without any may be missing (0).
	Counts map[InvitationStatus]int
}

// Funnel is where the invitations to an event stand (PRODUCT.md §1 Invitation). The statuses
// of an invitation follow each other, so the stages are cumulative: Accepted counts everyone
// who said yes (whether they then came or not), Invited everyone asked.
type Funnel struct {
	Invited  int // every invitation
	Waiting  int // invited, no answer yet
	Accepted int // accepted, attended or no-show
	Declined int
	Attended int
	NoShow   int
}

// FunnelOf sums up invitation counts by status.
func FunnelOf(counts map[InvitationStatus]int) Funnel {
	f := Funnel{
		Waiting:  counts[InvitationInvited],
		Declined: counts[InvitationDeclined],
		Attended: counts[InvitationAttended],
		NoShow:   counts[InvitationNoShow],
	}
	f.Accepted = counts[InvitationAccepted] + f.Attended + f.NoShow
	f.Invited = f.Waiting + f.Accepted + f.Declined
	return f
}

// AcceptRate is the share of the invited who accepted, 0–1 (0 when nobody was invited).
func (f Funnel) AcceptRate() float64 { return ratio(f.Accepted, f.Invited) }

// AttendRate is the share of those who accepted who came, 0–1 (0 when nobody accepted).
func (f Funnel) AttendRate() float64 { return ratio(f.Attended, f.Accepted) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// InvitationRow is an invitation with what names its customer: code, name, remark name, main
// phone (E.164, "" when none) and whether the card is archived.
type InvitationRow struct {
	Invitation
	Code     string
	Name     string
	Remark   string
	Phone    string
	Archived bool
}

// SortEventsForList orders events for the list as of day d: the coming ones first (dated d or
// later), soonest first, then the past ones, latest first; ties by id.
func SortEventsForList(es []EventSummary, d Date) {
	slices.SortStableFunc(es, func(a, b EventSummary) int {
		ap, bp := a.Date < d, b.Date < d
		switch {
		case ap != bp:
			if ap {
				return 1
			}
			return -1
		case ap:
			return cmp.Or(cmp.Compare(b.Date, a.Date), cmp.Compare(a.ID, b.ID))
		}
		return cmp.Or(cmp.Compare(a.Date, b.Date), cmp.Compare(a.ID, b.ID))
	})
}
