// Package ics writes already-worded plan entries as an iCalendar file (RFC 5545) with
// github.com/emersion/go-ical: one all-day VEVENT per entry, so that the plan of the coming days
// shows in the user's calendar. It knows no language: the caller words the entries.
package ics

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/emersion/go-ical"

	"carebook/crm"
)

// ProductID is the calendar's PRODID.
const ProductID = "-//Carebook//顾客维护本//ZH"

// DefaultName is the calendar's name (X-WR-CALNAME) when Options.Name is empty.
const DefaultName = "顾客维护本"

// ErrEmpty is returned by Write when there is nothing to write: an iCalendar file must hold at
// least one event.
var ErrEmpty = errors.New("no calendar entries")

// Entry is one all-day event, worded by the caller (see crm.CalendarEntry).
type Entry = crm.CalendarEntry

// Options are the calendar's settings.
type Options struct {
	Name  string    // X-WR-CALNAME; DefaultName when empty
	Stamp time.Time // DTSTAMP of every event (the export's time); required
	// Alarm, when positive, adds a display alarm this long after the start of the event's day
	// (9*time.Hour: at 09:00 local time).
	Alarm time.Duration
}

// lineLimit is the longest content line in octets, without its CRLF (RFC 5545 §3.1).
const lineLimit = 75

// Write writes entries as a calendar to w: CRLF line endings, lines folded at 75 octets on
// UTF-8 character boundaries. Entries must have distinct UIDs and a day; with none it returns
// ErrEmpty and writes nothing.
func Write(w io.Writer, entries []Entry, opts Options) error {
	if len(entries) == 0 {
		return ErrEmpty
	}
	if opts.Stamp.IsZero() {
		return errors.New("write calendar: no DTSTAMP")
	}
	name := opts.Name
	if name == "" {
		name = DefaultName
	}
	cal := ical.NewCalendar()
	cal.Props.SetText(ical.PropVersion, "2.0")
	cal.Props.SetText(ical.PropProductID, ProductID)
	cal.Props.SetText(ical.PropCalendarScale, "GREGORIAN")
	cal.Props.SetText(ical.PropMethod, "PUBLISH")
	calName := ical.NewProp("X-WR-CALNAME")
	calName.SetText(clean(name))
	calName.Params.Del(ical.ParamValue) // TEXT, as calendars expect it, without VALUE=TEXT
	cal.Props.Set(calName)
	stamp := opts.Stamp.UTC().Truncate(time.Second)
	seen := make(map[string]bool, len(entries))
	for i := range entries {
		e := &entries[i]
		if e.UID == "" || e.Day.IsZero() {
			return fmt.Errorf("write calendar: entry %d has no UID or day", i)
		}
		if seen[e.UID] {
			return fmt.Errorf("write calendar: UID %q twice", e.UID)
		}
		seen[e.UID] = true
		cal.Children = append(cal.Children, event(e, stamp, opts.Alarm))
	}
	var buf bytes.Buffer
	if err := ical.NewEncoder(&buf).Encode(cal); err != nil {
		return fmt.Errorf("write calendar: %w", err)
	}
	if _, err := w.Write(fold(buf.Bytes())); err != nil {
		return fmt.Errorf("write calendar: %w", err)
	}
	return nil
}

func event(e *Entry, stamp time.Time, alarm time.Duration) *ical.Component {
	ev := ical.NewEvent()
	ev.Props.SetText(ical.PropUID, clean(e.UID))
	ev.Props.SetDateTime(ical.PropDateTimeStamp, stamp)
	day := e.Day.Time()
	ev.Props.SetDate(ical.PropDateTimeStart, day)
	ev.Props.SetDate(ical.PropDateTimeEnd, e.Day.AddDays(1).Time()) // exclusive: one whole day
	ev.Props.SetText(ical.PropSummary, clean(e.Summary))
	if e.Description != "" {
		ev.Props.SetText(ical.PropDescription, clean(e.Description))
	}
	ev.Props.SetText(ical.PropTransparency, "TRANSPARENT") // a reminder, not a busy day
	if alarm > 0 {
		a := ical.NewComponent(ical.CompAlarm)
		a.Props.SetText(ical.PropAction, "DISPLAY")
		a.Props.SetText(ical.PropDescription, clean(e.Summary))
		trigger := ical.NewProp(ical.PropTrigger)
		trigger.SetDuration(alarm)
		if alarm%time.Minute == 0 { // PT9H rather than PT32400S
			trigger.Value = "PT" + strconv.FormatInt(int64(alarm/time.Minute), 10) + "M"
			if alarm%time.Hour == 0 {
				trigger.Value = "PT" + strconv.FormatInt(int64(alarm/time.Hour), 10) + "H"
			}
		}
		a.Props.Set(trigger)
		ev.Children = append(ev.Children, a)
	}
	return ev.Component
}

// clean makes text fit a TEXT value: line breaks become "\n" (go-ical escapes them), other
// control characters and invalid UTF-8 are dropped.
func clean(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t':
			return r
		case r == '\r':
			return '\n'
		case r < 0x20 || r == 0x7f || r == utf8.RuneError:
			return -1
		}
		return r
	}, strings.ToValidUTF8(s, ""))
}

// fold folds every CRLF-terminated line of b longer than 75 octets: a CRLF and a space before
// the octet that would pass the limit, never inside a UTF-8 character (RFC 5545 §3.1).
func fold(b []byte) []byte {
	out := make([]byte, 0, len(b)+len(b)/64*3)
	for len(b) > 0 {
		i := bytes.Index(b, []byte("\r\n"))
		line := b
		if i >= 0 {
			line, b = b[:i], b[i+2:]
		} else {
			b = nil
		}
		limit := lineLimit
		for len(line) > limit {
			cut := limit
			for cut > 0 && !utf8.RuneStart(line[cut]) {
				cut--
			}
			out = append(out, line[:cut]...)
			out = append(out, "\r\n "...)
			line = line[cut:]
			limit = lineLimit - 1 // the continuation's leading space counts
		}
		out = append(out, line...)
		out = append(out, "\r\n"...)
	}
	return out
}

// WriteFile writes entries to the file at path as Write does, whole or not at all: into a
// temporary file beside it, renamed over path once complete. With no entries it returns
// ErrEmpty and leaves path as it was.
func WriteFile(path string, entries []Entry, opts Options) error {
	if len(entries) == 0 {
		return ErrEmpty
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".carebook-*.ics")
	if err != nil {
		return fmt.Errorf("write calendar: %w", err)
	}
	tmp := f.Name()
	err = Write(f, entries, opts)
	if cerr := f.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("write calendar: %w", cerr)
	}
	if err == nil {
		if rerr := os.Rename(tmp, path); rerr != nil {
			err = fmt.Errorf("write calendar: %w", rerr)
		}
	}
	if err != nil {
		_ = os.Remove(tmp)
		return err
	}
	return nil
}
