package main

import (
	"archive/zip"
	"context"
	"fmt"
	"html"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"carebook/assets/i18n"
	"carebook/crm"
	"carebook/store"
	"carebook/store/xlsx"
)

// insightsBook writes a book whose classification today is known: 甲 bought yesterday (new,
// active, important value, suggested vip), 乙 200 days ago (half-lost, general retain,
// ordinary), 丙 never (prospect, small); 甲 was contacted today.
func insightsBook(t *testing.T) (path string, today crm.Date) {
	t.Helper()
	ctx := context.Background()
	path = filepath.Join(t.TempDir(), "book.db")
	s, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	today = exportDay()
	for _, c := range []struct {
		code, name string
		bought     int // days ago; -1 never
		yuan       crm.Money
	}{{"C1", "甲", 1, 1000}, {"C2", "乙", 200, 100}, {"C3", "丙", -1, 0}} {
		cust := &crm.Customer{Code: c.code, Name: c.name, Created: today.AddDays(-400)}
		if err := s.SaveCustomer(ctx, cust); err != nil {
			t.Fatal(err)
		}
		if c.bought >= 0 {
			if err := s.SavePurchase(ctx, &crm.Purchase{CustomerID: cust.ID, Date: today.AddDays(-c.bought), Amount: c.yuan * 100, Channel: crm.Offline}); err != nil {
				t.Fatal(err)
			}
		}
		if c.code == "C1" {
			y, m, d := today.YMD()
			if err := s.SaveRecord(ctx, &crm.Record{CustomerID: cust.ID, At: time.Date(y, m, d, 0, 5, 0, 0, time.UTC), Kind: crm.KindRoutine, Channel: crm.ChannelPhone}); err != nil {
				t.Fatal(err)
			}
		}
	}
	return path, today
}

// The export command fills the derived columns of 顾客 from the book's classification on the
// export day, in the export's language, and adds the insight tables and native charts to 统计.
func TestExportInsights(t *testing.T) {
	db, today := insightsBook(t)
	for _, tc := range []struct {
		lang                     i18n.Lang
		customers, summary       string
		derived                  map[string][]string // by code: stage, churn, segment, suggested tier
		stageHeader, dateLabel   string
		stages                   [][]string
		tierHeader, weeksHeader  string
		lastWeek                 []string
		planLabel, onTimePercent string
	}{
		{
			lang: i18n.ZhHans, customers: "顾客", summary: "统计",
			derived: map[string][]string{
				"C1": {"新顾客", "活跃", "重要价值", "VIP"},
				"C2": {"半流失", "半流失", "一般保持", "普通"},
				"C3": {"潜在", "", "", "小"},
			},
			stageHeader: "阶段", dateLabel: "分析日期",
			stages:     [][]string{{"潜在", "1"}, {"新顾客", "1"}, {"回购", "0"}, {"长期", "0"}, {"休眠", "0"}, {"半流失", "1"}, {"完全流失", "0"}},
			tierHeader: "等级", weeksHeader: "周", lastWeek: []string{"1", "1"},
			planLabel: "按时完成", onTimePercent: "100%",
		},
		{
			lang: i18n.English, customers: "Customers", summary: "Summary",
			derived: map[string][]string{
				"C1": {"new", "active", "important_value", "vip"},
				"C2": {"half_lost", "half_lost", "general_retain", "ordinary"},
				"C3": {"prospect", "", "", "small"},
			},
			stageHeader: "Stage", dateLabel: "Analysed on",
			stages:     [][]string{{"prospect", "1"}, {"new", "1"}, {"repeat", "0"}, {"long_term", "0"}, {"dormant", "0"}, {"half_lost", "1"}, {"lost", "0"}},
			tierHeader: "Tier", weeksHeader: "Week", lastWeek: []string{"1", "1"},
			planLabel: "on time", onTimePercent: "100%",
		},
	} {
		t.Run(string(tc.lang), func(t *testing.T) {
			i18n.Set(tc.lang)
			defer i18n.Set(i18n.English)
			out := filepath.Join(t.TempDir(), "export.xlsx")
			if _, _, err := runCLI(t, "export", "--db", db, "-o", out); err != nil {
				t.Fatal(err)
			}
			f, err := excelize.OpenFile(out)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()

			rows, err := f.GetRows(tc.customers)
			if err != nil {
				t.Fatal(err)
			}
			at := slices.IndexFunc(xlsx.CustomerColumns, func(c xlsx.Column) bool { return c.Key == "stage" })
			for _, r := range rows[1:] {
				for len(r) < len(xlsx.CustomerColumns) {
					r = append(r, "")
				}
				if want := tc.derived[r[0]]; !slices.Equal(r[at:at+4], want) {
					t.Errorf("%s derived %q, want %q", r[0], r[at:at+4], want)
				}
			}
			if len(rows) != 4 {
				t.Errorf("%d customer rows", len(rows)-1)
			}

			sum, err := f.GetRows(tc.summary)
			if err != nil {
				t.Fatal(err)
			}
			find := func(label string) int {
				for i, r := range sum {
					if len(r) > 0 && r[0] == label {
						return i
					}
				}
				t.Fatalf("no %q in %s: %q", label, tc.summary, sum)
				return 0
			}
			if d := sum[find(tc.dateLabel)]; d[1] != today.String() {
				t.Errorf("analysis day %q", d)
			}
			s := find(tc.stageHeader)
			for i, want := range tc.stages {
				if got := sum[s+1+i]; !slices.Equal(got[:2], want) {
					t.Errorf("stage row %q, want %q", got, want)
				}
			}
			if tiers := sum[find(tc.tierHeader)]; len(tiers) != 3 {
				t.Errorf("tier header %q", tiers)
			}
			w := find(tc.weeksHeader)
			_, m1, d1 := crm.WeekStart(today).YMD()
			_, m2, d2 := today.YMD()
			if last := sum[w+crm.ContactWeeks]; last[0] != fmt.Sprintf("%d/%d–%d/%d", m1, d1, m2, d2) || !slices.Equal(last[1:], tc.lastWeek) {
				t.Errorf("this week %q", last)
			}
			// 甲's day-1 follow-up is due today and was done at 00:05: on time.
			if p := sum[find(tc.planLabel)]; !slices.Equal(p, []string{tc.planLabel, "1", "1"}) {
				t.Errorf("plan %q", p)
			}
			if p := sum[find(tc.planLabel)+3]; p[1] != tc.onTimePercent {
				t.Errorf("on-time rate %q", p)
			}

			// The two native charts, their data on 统计.
			zr, err := zip.OpenReader(out)
			if err != nil {
				t.Fatal(err)
			}
			defer zr.Close()
			charts := 0
			for _, zf := range zr.File {
				if !strings.HasPrefix(zf.Name, "xl/charts/chart") {
					continue
				}
				charts++
				rc, err := zf.Open()
				if err != nil {
					t.Fatal(err)
				}
				raw, _ := io.ReadAll(rc)
				rc.Close()
				body := html.UnescapeString(string(raw))
				if !strings.Contains(body, "'"+tc.summary+"'!$B$") || !strings.Contains(body, "<barChart>") {
					t.Errorf("%s does not chart %s: %.300s", zf.Name, tc.summary, body)
				}
			}
			if charts != 2 {
				t.Errorf("%d charts, want 2", charts)
			}
		})
	}
}
