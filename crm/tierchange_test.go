package crm

import (
	"slices"
	"testing"
)

func TestTierMoves(t *testing.T) {
	changes := []TierChange{
		{ID: 1, From: TierOrdinary, To: TierVIP},
		{ID: 2, From: TierSmall, To: TierMajor},
		{ID: 3, From: TierOrdinary, To: TierVIP},
		{ID: 4, From: TierVIP, To: TierSmall},
		{ID: 5, From: TierOrdinary, To: TierSmall},
	}
	want := []TierMove{{TierVIP, TierSmall, 1}, {TierOrdinary, TierVIP, 2}, {TierOrdinary, TierSmall, 1}, {TierSmall, TierMajor, 1}}
	if got := TierMoves(changes); !slices.Equal(got, want) {
		t.Errorf("got %v\nwant %v", got, want)
	}
	if got := TierMoves(nil); got != nil {
		t.Errorf("no changes: %v", got)
	}
}
