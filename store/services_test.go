package store

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"carebook/crm"
)

func TestServices(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	a := mustSave(t, s, card())
	b := mustSave(t, s, &crm.Customer{Name: "李四"})
	v := &crm.Service{CustomerID: a.ID, Date: crm.MustDate("2026-03-10"), Kind: crm.ServiceAfterSales, Title: " 换货 "}
	sameGen(t, s, "save service", func() error { return s.SaveService(ctx, v) })
	if v.ID == 0 || v.Title != "换货" || v.Status != crm.ServiceOpen || !v.CreatedAt.Equal(fixedNow) {
		t.Errorf("after insert: %+v", v)
	}
	got, err := s.Service(ctx, v.ID)
	if err != nil || *got != *v {
		t.Fatalf("Service = %+v, %v; want %+v", got, err, *v)
	}
	w := &crm.Service{CustomerID: a.ID, Date: crm.MustDate("2026-03-15"), Kind: crm.ServiceOnline, Title: "护理指导"}
	x := &crm.Service{CustomerID: b.ID, Date: crm.MustDate("2026-03-12"), Kind: crm.ServiceOffline, Title: "到店护理"}
	y := &crm.Service{CustomerID: b.ID, Date: crm.MustDate("2026-03-16"), Kind: crm.ServiceOffline, Title: "明天"}
	for _, sv := range []*crm.Service{w, x, y} {
		if err := s.SaveService(ctx, sv); err != nil {
			t.Fatal(err)
		}
	}
	ids := func(vs []crm.Service, err error) []int64 {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		var out []int64
		for _, v := range vs {
			out = append(out, v.ID)
		}
		return out
	}
	if got := ids(s.Services(ctx, a.ID)); !reflect.DeepEqual(got, []int64{w.ID, v.ID}) {
		t.Errorf("Services(a) = %v", got)
	}
	d := crm.MustDate("2026-03-15")
	if got := ids(s.OpenServices(ctx, d)); !reflect.DeepEqual(got, []int64{v.ID, x.ID, w.ID}) {
		t.Errorf("OpenServices = %v, want overdue first", got)
	}
	v.Status, v.DoneDate = crm.ServiceDone, d
	if err := s.SaveService(ctx, v); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Service(ctx, v.ID); got.Status != crm.ServiceDone || got.DoneDate != d {
		t.Errorf("after done: %+v", got)
	}
	if got := ids(s.OpenServices(ctx, d)); !reflect.DeepEqual(got, []int64{x.ID, w.ID}) {
		t.Errorf("OpenServices after done = %v", got)
	}
	if err := s.ArchiveCustomer(ctx, b.ID); err != nil {
		t.Fatal(err)
	}
	if got := ids(s.OpenServices(ctx, d)); !reflect.DeepEqual(got, []int64{w.ID}) {
		t.Errorf("OpenServices with b archived = %v", got)
	}
	if got := ids(s.Services(ctx, b.ID)); len(got) != 2 {
		t.Errorf("archiving dropped services: %v", got)
	}

	// Refused: nothing written.
	for _, tc := range []struct {
		field string
		edit  func(*crm.Service)
	}{
		{"title", func(v *crm.Service) { v.Title = "" }},
		{"kind", func(v *crm.Service) { v.Kind = "home" }},
		{"done_date", func(v *crm.Service) { v.Status = crm.ServiceDone }},
		{"customer", func(v *crm.Service) { v.CustomerID = 999 }},
	} {
		bad := *w
		tc.edit(&bad)
		fieldErr(t, s.SaveService(ctx, &bad), tc.field)
	}
	if got, _ := s.Service(ctx, w.ID); *got != *w || countRows(t, s, "services") != 4 {
		t.Errorf("refused service written: %+v", got)
	}

	missing := *w
	missing.ID = 999
	if err := s.SaveService(ctx, &missing); !errors.Is(err, ErrNotFound) {
		t.Errorf("update of a missing service: %v", err)
	}
	sameGen(t, s, "delete service", func() error { return s.DeleteService(ctx, w.ID) })
	if _, err := s.Service(ctx, w.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("after delete: %v", err)
	}
	if err := s.DeleteService(ctx, w.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("second delete: %v", err)
	}
}
