package crm

import (
	"reflect"
	"testing"
)

func TestSummaryList(t *testing.T) {
	a := &Summary{ID: 7, Name: "张三", Tags: []string{"VIP"}}
	b := &Summary{ID: 3, Name: "李四"}
	in := &Insight{Segment: SegmentImportantValue}
	l := NewSummaryList([]SummaryRef{{Sum: a, Insight: in}, {Sum: b}})

	if l.Len() != 2 || l.ID(0) != 7 || l.ID(1) != 3 {
		t.Fatalf("len %d, ids %d %d", l.Len(), l.ID(0), l.ID(1))
	}
	got := l.At(0)
	if got.Name != "张三" || got.Insight != in {
		t.Fatalf("At(0) = %+v", got)
	}
	got.Name = "changed" // a copy: the list keeps its answer
	if l.At(0).Name != "张三" || a.Insight != nil {
		t.Fatalf("At gave no copy: %+v, source insight %v", l.At(0), a.Insight)
	}
	for _, c := range []struct {
		id   int64
		want int
	}{{7, 0}, {3, 1}, {5, -1}} {
		if i := l.Index(c.id); i != c.want {
			t.Errorf("Index(%d) = %d, want %d", c.id, i, c.want)
		}
	}
	for _, c := range []struct {
		from, to int
		want     []string
	}{{0, 2, []string{"张三", "李四"}}, {1, 9, []string{"李四"}}, {-3, 1, []string{"张三"}}, {2, 5, nil}, {1, 0, nil}} {
		var names []string
		for _, s := range l.Slice(c.from, c.to) {
			names = append(names, s.Name)
		}
		if !reflect.DeepEqual(names, c.want) {
			t.Errorf("Slice(%d, %d) = %v, want %v", c.from, c.to, names, c.want)
		}
	}
	if all := l.All(); len(all) != 2 || all[0].Insight != in || all[1].Insight != nil {
		t.Errorf("All() = %+v", all)
	}
	var zero SummaryList
	if zero.Len() != 0 || zero.All() != nil || zero.Index(7) != -1 {
		t.Errorf("the zero list is not empty")
	}
}
