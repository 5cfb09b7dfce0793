package xlsx

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"carebook/crm"
)

func TestDerivedCells(t *testing.T) {
	for _, tc := range []struct {
		l    Lang
		in   crm.Insight
		want [4]string
	}{
		{LangZh, crm.Insight{Stage: crm.StageLongTerm, Churn: crm.ChurnActive, Segment: crm.SegmentImportantWinback, SuggestedTier: crm.TierMajor},
			[4]string{"长期", "活跃", "重要挽留", "重要"}},
		{LangZh, crm.Insight{Stage: crm.StageProspect, SuggestedTier: crm.TierSmall, R: -1}, [4]string{"潜在", "", "", "小"}},
		{LangEn, crm.Insight{Stage: crm.StageHalfLost, Churn: crm.ChurnHalfLost, Segment: crm.SegmentGeneralDevelop, SuggestedTier: crm.TierVIP},
			[4]string{"half_lost", "half_lost", "general_develop", "vip"}},
	} {
		a, b, c, d := DerivedCells(tc.l, tc.in)
		if got := [4]string{a, b, c, d}; got != tc.want {
			t.Errorf("%s %+v: %q, want %q", tc.l, tc.in, got, tc.want)
		}
	}
	// Every stage, churn state and segment has its Chinese label.
	for _, s := range crm.Stages {
		if valueText(StageValues, string(s), LangZh) == string(s) {
			t.Errorf("no label for stage %s", s)
		}
	}
	for _, s := range crm.ChurnStates {
		if valueText(ChurnValues, string(s), LangZh) == string(s) {
			t.Errorf("no label for churn %s", s)
		}
	}
	for _, s := range crm.Segments {
		if valueText(SegmentValues, string(s), LangZh) == string(s) {
			t.Errorf("no label for segment %s", s)
		}
	}
}

// When the statistics fail, the export fails and leaves no file.
func TestInsightsErrorFailsExport(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.xlsx")
	boom := errors.New("boom")
	err := Export(context.Background(), sampleSource(), path, Options{Lang: LangZh,
		Insights: func() (*crm.BookStats, error) { return nil, boom }})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("a file was left: %v", err)
	}
}
