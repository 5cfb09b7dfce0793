package ics

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/emersion/go-ical"

	"carebook/crm"
)

var stamp = time.Date(2026, 11, 22, 9, 30, 0, 0, time.FixedZone("CST", 8*3600))

func day(t *testing.T, s string) crm.Date {
	t.Helper()
	d, err := crm.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// decode reads a written calendar back with go-ical's decoder.
func decode(t *testing.T, b []byte) *ical.Calendar {
	t.Helper()
	cal, err := ical.NewDecoder(bytes.NewReader(b)).Decode()
	if err != nil {
		t.Fatalf("decode: %v\n%s", err, b)
	}
	return cal
}

func text(t *testing.T, p ical.Props, name string) string {
	t.Helper()
	s, err := p.Text(name)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return s
}

// checkLines asserts that every line ends in CRLF, has at most 75 octets and is valid UTF-8 on
// its own (no character split by the folding).
func checkLines(t *testing.T, b []byte) {
	t.Helper()
	if !bytes.HasSuffix(b, []byte("\r\n")) {
		t.Fatal("the file does not end in CRLF")
	}
	for i, line := range bytes.Split(b[:len(b)-2], []byte("\r\n")) {
		if bytes.ContainsAny(line, "\r\n") {
			t.Errorf("line %d has a bare CR or LF: %q", i+1, line)
		}
		if len(line) > 75 {
			t.Errorf("line %d has %d octets: %q", i+1, len(line), line)
		}
		if !utf8.Valid(line) {
			t.Errorf("line %d splits a character: %q", i+1, line)
		}
	}
}

func TestWriteRoundTrip(t *testing.T) {
	long := strings.Repeat("春季新品会邀请您和家人一起来店里看看，", 12) + "谢谢！"
	entries := []Entry{
		{UID: crm.CalendarUID(7, crm.ReasonBirthday, "birthday:2026-11-23", day(t, "2026-11-23")), Day: day(t, "2026-11-23"),
			Summary: "生日：张三", Description: "生日 11月23日\n电话：138 1234 5678"},
		{UID: crm.CalendarUID(8, crm.ReasonInvitation, "event:3", day(t, "2026-11-20")), Day: day(t, "2026-11-22"),
			Summary: "邀约：李四 — 春季新品会", Description: long},
		// Escaping: commas, semicolons, backslashes and line breaks (CRLF too) come back as they were.
		{UID: "x", Day: day(t, "2026-12-31"), Summary: "服务：王五, 上门; 安装\\调试",
			Description: "第一行\r\n第二行, 带逗号; 分号\n\n第四行"},
	}
	var buf bytes.Buffer
	if err := Write(&buf, entries, Options{Stamp: stamp, Alarm: 9 * time.Hour}); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	checkLines(t, b)
	cal := decode(t, b)
	if got := text(t, cal.Props, ical.PropProductID); got != ProductID {
		t.Errorf("PRODID = %q", got)
	}
	if got := text(t, cal.Props, ical.PropVersion); got != "2.0" {
		t.Errorf("VERSION = %q", got)
	}
	if got := text(t, cal.Props, "X-WR-CALNAME"); got != DefaultName {
		t.Errorf("X-WR-CALNAME = %q", got)
	}
	events := cal.Events()
	if len(events) != len(entries) {
		t.Fatalf("%d events, want %d", len(events), len(entries))
	}
	wantDesc := []string{entries[0].Description, long, "第一行\n第二行, 带逗号; 分号\n\n第四行"}
	for i, ev := range events {
		e := entries[i]
		if got := text(t, ev.Props, ical.PropUID); got != e.UID {
			t.Errorf("event %d UID = %q, want %q", i, got, e.UID)
		}
		if got := text(t, ev.Props, ical.PropSummary); got != e.Summary {
			t.Errorf("event %d SUMMARY = %q, want %q", i, got, e.Summary)
		}
		if got := text(t, ev.Props, ical.PropDescription); got != wantDesc[i] {
			t.Errorf("event %d DESCRIPTION = %q, want %q", i, got, wantDesc[i])
		}
		start := ev.Props.Get(ical.PropDateTimeStart)
		if start.ValueType() != ical.ValueDate || start.Params.Get(ical.ParamValue) != "DATE" {
			t.Errorf("event %d DTSTART is not an all-day date: %+v", i, start)
		}
		st, err := ev.DateTimeStart(time.Local)
		if err != nil || crm.DateOf(st) != e.Day {
			t.Errorf("event %d starts %v (%v), want %v", i, st, err, e.Day)
		}
		end, err := ev.DateTimeEnd(time.Local)
		if err != nil || crm.DateOf(end) != e.Day.AddDays(1) {
			t.Errorf("event %d ends %v (%v), want the next day", i, end, err)
		}
		ds, err := ev.Props.DateTime(ical.PropDateTimeStamp, nil)
		if err != nil || !ds.Equal(stamp) {
			t.Errorf("event %d DTSTAMP = %v (%v), want %v", i, ds, err, stamp)
		}
		if len(ev.Children) != 1 || ev.Children[0].Name != ical.CompAlarm {
			t.Fatalf("event %d: want one VALARM, got %+v", i, ev.Children)
		}
		trig, err := ev.Children[0].Props.Get(ical.PropTrigger).Duration()
		if err != nil || trig != 9*time.Hour {
			t.Errorf("event %d alarm at %v (%v), want 9h", i, trig, err)
		}
	}
	for _, want := range []string{"\r\nX-WR-CALNAME:顾客维护本\r\n", "\r\nTRIGGER:PT9H\r\n", "\r\nDTSTART;VALUE=DATE:20261123\r\n",
		"\r\nDTEND;VALUE=DATE:20261124\r\n", "\r\nDTSTAMP:20261122T013000Z\r\n", "\r\nSUMMARY:服务：王五\\, 上门\\; 安装\\\\调试\r\n"} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("the file lacks %q", want)
		}
	}
	// The long Chinese text was folded (3-octet characters: a line cannot end on 75 exactly).
	if !bytes.Contains(b, []byte("\r\n ")) {
		t.Error("nothing was folded")
	}
}

// Folding cuts on character boundaries whatever the text's mix of 1-, 2-, 3- and 4-octet
// characters, and the decoder puts it back exactly.
func TestFoldingMixedWidths(t *testing.T) {
	for _, unit := range []string{"张", "a张", "ab张", "é张😀", "😀", "x"} {
		for n := 1; n < 60; n += 7 {
			s := strings.Repeat(unit, n)
			var buf bytes.Buffer
			err := Write(&buf, []Entry{{UID: "u", Day: 20000, Summary: s, Description: s + s}}, Options{Stamp: stamp})
			if err != nil {
				t.Fatal(err)
			}
			checkLines(t, buf.Bytes())
			ev := decode(t, buf.Bytes()).Events()[0]
			if got := text(t, ev.Props, ical.PropSummary); got != s {
				t.Fatalf("%q×%d: SUMMARY came back as %q", unit, n, got)
			}
			if got := text(t, ev.Props, ical.PropDescription); got != s+s {
				t.Fatalf("%q×%d: DESCRIPTION came back as %q", unit, n, got)
			}
		}
	}
}

func TestWriteNoAlarmAndName(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, []Entry{{UID: "a", Day: 20000, Summary: "s"}}, Options{Name: "我的计划", Stamp: stamp}); err != nil {
		t.Fatal(err)
	}
	cal := decode(t, buf.Bytes())
	if got := text(t, cal.Props, "X-WR-CALNAME"); got != "我的计划" {
		t.Errorf("X-WR-CALNAME = %q", got)
	}
	ev := cal.Events()[0]
	if len(ev.Children) != 0 {
		t.Errorf("no alarm asked, got %d children", len(ev.Children))
	}
	if ev.Props.Get(ical.PropDescription) != nil {
		t.Error("an empty description should be left out")
	}
}

func TestWriteRejects(t *testing.T) {
	tests := []struct {
		name    string
		entries []Entry
		opts    Options
	}{
		{"no entries", nil, Options{Stamp: stamp}},
		{"no stamp", []Entry{{UID: "a", Day: 20000, Summary: "s"}}, Options{}},
		{"no UID", []Entry{{Day: 20000, Summary: "s"}}, Options{Stamp: stamp}},
		{"no day", []Entry{{UID: "a", Summary: "s"}}, Options{Stamp: stamp}},
		{"UID twice", []Entry{{UID: "a", Day: 20000}, {UID: "a", Day: 20001}}, Options{Stamp: stamp}},
	}
	for _, tt := range tests {
		var buf bytes.Buffer
		err := Write(&buf, tt.entries, tt.opts)
		if err == nil {
			t.Errorf("%s: no error", tt.name)
		}
		if buf.Len() != 0 {
			t.Errorf("%s: wrote %d bytes", tt.name, buf.Len())
		}
	}
	if err := Write(&bytes.Buffer{}, nil, Options{Stamp: stamp}); !errors.Is(err, ErrEmpty) {
		t.Errorf("no entries: %v, want ErrEmpty", err)
	}
}

func TestUIDs(t *testing.T) {
	d := crm.Date(20000)
	tests := []struct {
		id     int64
		reason crm.Reason
		ref    string
		due    crm.Date
		want   string
	}{
		{7, crm.ReasonFollowUp, "123", d, "plan-7-follow_up-123-" + d.String() + "@carebook"},
		{7, crm.ReasonRoutine, "45:3", d, "plan-7-routine-45%3A3-" + d.String() + "@carebook"},
		{7, crm.ReasonRoutine, "45-3", d, "plan-7-routine-45%2D3-" + d.String() + "@carebook"},
		{7, crm.ReasonImportantDate, "纪", d, "plan-7-important_date-%E7%BA%AA-" + d.String() + "@carebook"},
	}
	seen := map[string]bool{}
	for _, tt := range tests {
		got := crm.CalendarUID(tt.id, tt.reason, tt.ref, tt.due)
		if got != tt.want {
			t.Errorf("crm.CalendarUID(%d, %s, %q) = %q, want %q", tt.id, tt.reason, tt.ref, got, tt.want)
		}
		if again := crm.CalendarUID(tt.id, tt.reason, tt.ref, tt.due); again != got {
			t.Errorf("UID not stable: %q then %q", got, again)
		}
		if seen[got] {
			t.Errorf("UID %q for two items", got)
		}
		seen[got] = true
	}
	// Each part tells items apart.
	base := crm.CalendarUID(1, crm.ReasonBirthday, "r", d)
	for _, other := range []string{crm.CalendarUID(2, crm.ReasonBirthday, "r", d), crm.CalendarUID(1, crm.ReasonHoliday, "r", d),
		crm.CalendarUID(1, crm.ReasonBirthday, "s", d), crm.CalendarUID(1, crm.ReasonBirthday, "r", d+1), crm.CalendarGroupUID("holiday", "r", d)} {
		if other == base {
			t.Errorf("%q names two items", base)
		}
	}
	if g := crm.CalendarGroupUID("holiday", "mid_autumn", d); g != "group-holiday-mid_autumn-"+d.String()+"@carebook" {
		t.Errorf("GroupUID = %q", g)
	}
}

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "plan.ics")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	// Nothing to write, or an entry that cannot be written: the file is left as it was, and no
	// temporary file stays behind.
	if err := WriteFile(path, nil, Options{Stamp: stamp}); !errors.Is(err, ErrEmpty) {
		t.Errorf("no entries: %v", err)
	}
	if err := WriteFile(path, []Entry{{UID: "a"}}, Options{Stamp: stamp}); err == nil {
		t.Error("an entry without a day was written")
	}
	if b, _ := os.ReadFile(path); string(b) != "old" {
		t.Errorf("the file changed: %q", b)
	}
	if err := WriteFile(path, []Entry{{UID: "a", Day: 20000, Summary: "生日：张三"}}, Options{Stamp: stamp}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := text(t, decode(t, b).Events()[0].Props, ical.PropSummary); got != "生日：张三" {
		t.Errorf("SUMMARY = %q", got)
	}
	if err := WriteFile(filepath.Join(dir, "missing", "plan.ics"), []Entry{{UID: "a", Day: 20000}}, Options{Stamp: stamp}); err == nil {
		t.Error("no error writing into a missing folder")
	}
	files, _ := os.ReadDir(dir)
	if len(files) != 1 {
		t.Errorf("files left: %v", files)
	}
}
