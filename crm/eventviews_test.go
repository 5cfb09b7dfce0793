package crm

import (
	"math"
	"testing"
)

func TestFunnelOf(t *testing.T) {
	tests := []struct {
		name           string
		counts         map[InvitationStatus]int
		want           Funnel
		accept, attend float64
	}{
		{"none", nil, Funnel{}, 0, 0},
		{"only invited", map[InvitationStatus]int{InvitationInvited: 4}, Funnel{Invited: 4, Waiting: 4}, 0, 0},
		{"all statuses", map[InvitationStatus]int{InvitationInvited: 3, InvitationAccepted: 2, InvitationDeclined: 2,
			InvitationAttended: 2, InvitationNoShow: 1},
			Funnel{Invited: 10, Waiting: 3, Accepted: 5, Declined: 2, Attended: 2, NoShow: 1}, 0.5, 0.4},
		{"everyone came", map[InvitationStatus]int{InvitationAttended: 3}, Funnel{Invited: 3, Accepted: 3, Attended: 3}, 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := FunnelOf(tt.counts)
			if f != tt.want {
				t.Errorf("FunnelOf = %+v, want %+v", f, tt.want)
			}
			if got := f.AcceptRate(); math.Abs(got-tt.accept) > 1e-9 {
				t.Errorf("AcceptRate = %v, want %v", got, tt.accept)
			}
			if got := f.AttendRate(); math.Abs(got-tt.attend) > 1e-9 {
				t.Errorf("AttendRate = %v, want %v", got, tt.attend)
			}
		})
	}
}

func TestSortEventsForList(t *testing.T) {
	d := MustDate("2026-11-22")
	ev := func(id int64, date string) EventSummary {
		return EventSummary{Event: Event{ID: id, Date: MustDate(date)}}
	}
	es := []EventSummary{ev(1, "2026-10-01"), ev(2, "2026-12-24"), ev(3, "2026-11-22"), ev(4, "2026-11-21"),
		ev(5, "2026-12-01"), ev(6, "2025-05-01"), ev(7, "2026-12-01")}
	SortEventsForList(es, d)
	var got []int64
	for _, e := range es {
		got = append(got, e.ID)
	}
	want := []int64{3, 5, 7, 2, 4, 1, 6}
	if len(got) != len(want) {
		t.Fatalf("got %v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("order %v, want %v", got, want)
		}
	}
}
