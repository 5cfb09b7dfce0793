package store

import (
	"context"
	"testing"

	"carebook/crm"
)

// The stats sum up only what is dated on or before the day, leave out archived customers and
// customers created later, and the classification follows.
func TestInsights(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	d := crm.MustDate("2026-11-22")
	save := func(c *crm.Customer) *crm.Customer {
		t.Helper()
		if err := s.SaveCustomer(ctx, c); err != nil {
			t.Fatal(err)
		}
		return c
	}
	buy := func(c *crm.Customer, date string, yuan crm.Money) {
		t.Helper()
		if err := s.SavePurchase(ctx, &crm.Purchase{CustomerID: c.ID, Date: crm.MustDate(date), Amount: yuan * 100, Channel: crm.Offline}); err != nil {
			t.Fatal(err)
		}
	}
	a := save(&crm.Customer{Name: "甲", Created: crm.MustDate("2024-01-01")})
	buy(a, "2024-06-01", 100)
	buy(a, "2025-12-01", 200)
	buy(a, "2026-11-20", 300)
	buy(a, "2026-11-23", 999) // after the day
	b := save(&crm.Customer{Name: "乙", Created: crm.MustDate("2025-01-01")})
	buy(b, "2025-05-01", 50) // 570 days before: lost, nothing this year
	save(&crm.Customer{Name: "丙", Created: crm.MustDate("2026-11-01")})
	save(&crm.Customer{Name: "丁", Created: crm.MustDate("2026-11-23")}) // created after the day
	e := save(&crm.Customer{Name: "戊", Created: crm.MustDate("2026-01-01")})
	buy(e, "2026-10-01", 10)
	if err := s.ArchiveCustomer(ctx, e.ID); err != nil {
		t.Fatal(err)
	}

	bi, err := s.Insights(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	if len(bi.IDs) != 3 {
		t.Fatalf("customers %v", bi.IDs)
	}
	want := crm.CustomerStats{ID: a.ID, Code: a.Code, Tier: crm.TierOrdinary, Purchases: 3,
		FirstPurchase: crm.MustDate("2024-06-01"), LastPurchase: crm.MustDate("2026-11-20"), YearPurchases: 2, YearAmount: 50000}
	if bi.Stats[0] != want {
		t.Errorf("甲 stats %+v\nwant %+v", bi.Stats[0], want)
	}
	ia, _ := bi.Insight(a.ID)
	ib, _ := bi.Insight(b.ID)
	ic, _ := bi.Insight(bi.IDs[2])
	if ia.Stage != crm.StageRepeat || ia.Churn != crm.ChurnActive || ia.SuggestedTier != crm.TierVIP || ia.Segment != crm.SegmentImportantValue {
		t.Errorf("甲 %+v", ia)
	}
	if ib.Stage != crm.StageLost || ib.SuggestedTier != crm.TierSmall || ib.Segment != crm.SegmentGeneralWinback {
		t.Errorf("乙 %+v", ib)
	}
	if ic.Stage != crm.StageProspect || ic.HasPurchases() {
		t.Errorf("丙 %+v", ic)
	}
	if _, ok := bi.Insight(e.ID); ok {
		t.Errorf("an archived customer is classified")
	}
}
