package crm

import "testing"

// A batch's serve rows stay with it; another batch has its own.
func TestImportBatchServe(t *testing.T) {
	a, b := &ImportBatch{}, &ImportBatch{}
	a.Serve().Services = append(a.Serve().Services, ImportService{Row: 3})
	if got := a.Serve(); len(got.Services) != 1 || got.Services[0].Row != 3 || got.Len() != 1 {
		t.Errorf("a.Serve() = %+v", got)
	}
	if got := b.Serve(); got.Len() != 0 || got == a.Serve() {
		t.Errorf("b.Serve() = %+v, shared with a", got)
	}
}
