package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"carebook/assets/i18n"
	"carebook/crm"
	"carebook/store"
	"carebook/store/ics"
	"carebook/ui"
)

// runICS is `carebook ics -o FILE.ics [--db PATH] [--from DATE] [--days N]`: the plan of the
// days [from, from+N) as an iCalendar file, worded in the UI language (see ui.WriteCalendar).
func runICS(args []string, stdout, stderr io.Writer) error {
	fs, db := newFlags("ics", stderr)
	out := fs.String("o", "", i18n.T("ics.cli_flag_out"))
	fromText := fs.String("from", "", i18n.T("ics.cli_flag_from"))
	daysText := fs.String("days", strconv.Itoa(ui.CalendarDays), i18n.T("ics.cli_flag_days", "Max", ui.MaxCalendarDays))
	if err := parseInterspersed(fs, args); err != nil {
		return err
	}
	if *out == "" || fs.NArg() > 0 {
		return errors.New(i18n.T("ics.cli_needs_out"))
	}
	days, err := strconv.Atoi(strings.TrimSpace(*daysText))
	if err != nil || days < 1 || days > ui.MaxCalendarDays {
		return errors.New(i18n.T("ics.cli_bad_days", "Max", ui.MaxCalendarDays, "Value", *daysText))
	}
	now := time.Now()
	from := crm.DateOf(now)
	if *fromText != "" {
		d, err := crm.ParseDate(*fromText)
		if err != nil {
			return errors.New(i18n.T("cli.bad_date", "Value", *fromText))
		}
		from = d
	}
	path := *out
	if !strings.EqualFold(filepath.Ext(path), ".ics") {
		path += ".ics"
	}
	ctx := context.Background()
	s, err := openBookReadOnly(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	to := from.AddDays(days - 1)
	n, err := ui.WriteCalendar(ctx, s, writeICS, path, from, days, now, nil)
	switch {
	case errors.Is(err, ui.ErrNoCalendarEntries):
		return errors.New(i18n.T("ics.empty", "From", from.String(), "To", to.String()))
	case err != nil && store.Cause(err) == store.ErrCorrupt:
		return bookError(s.Path(), err)
	case err != nil:
		return errors.New(i18n.T("ics.failed", "Error", err))
	}
	fmt.Fprintln(stdout, i18n.T("ics.cli_done", "Count", n, "From", from.String(), "To", to.String(), "Path", mustAbs(path)))
	return nil
}

// withICSUsage adds the ics command to the usage text, before its closing paragraph.
func withICSUsage(usage string) string {
	if i := strings.LastIndex(usage, "\n\n"); i > 0 {
		return usage[:i] + "\n" + i18n.T("ics.usage") + usage[i:]
	}
	return usage + "\n" + i18n.T("ics.usage")
}

// writeICS is the window's and the command's ui.CalendarFunc: store/ics.
func writeICS(path, name string, alarm time.Duration, now time.Time, entries []crm.CalendarEntry) error {
	return ics.WriteFile(path, entries, ics.Options{Name: name, Stamp: now, Alarm: alarm})
}
