package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"

	"carebook/crm"
)

// WorkCalendar returns the working-day calendar of the complaint deadlines: the official
// arrangement shipped with Carebook (assets.CNWorkdays) with the user's own days
// (CalendarDays) overriding it; years beyond the official one fall back to Monday–Friday,
// plus the user's days.
func (s *Store) WorkCalendar(ctx context.Context) (crm.WorkCalendar, error) {
	days, err := s.CalendarDays(ctx)
	if err != nil {
		return crm.WorkCalendar{}, fmt.Errorf("work calendar: %w", err)
	}
	cal, err := workCalendar()
	if err != nil {
		return crm.WorkCalendar{}, fmt.Errorf("work calendar: %w", err)
	}
	return cal.WithDays(days), nil
}

// CalendarDays returns the user's own days of the working-day calendar, by date.
func (s *Store) CalendarDays(ctx context.Context) ([]crm.CalendarDay, error) {
	days, err := readAll(ctx, s, `SELECT date, off, name FROM calendar_days ORDER BY date`, nil, scanCalendarDay)
	if err != nil {
		return nil, fmt.Errorf("calendar days: %w", err)
	}
	return days, nil
}

func scanCalendarDay(rows *sql.Rows, c *crm.CalendarDay) error {
	var date string
	if err := rows.Scan(&date, &c.Off, &c.Name); err != nil {
		return err
	}
	d, err := crm.ParseDate(date)
	if err != nil {
		return fmt.Errorf("stored date %q: %w", date, err)
	}
	c.Date = d
	return nil
}

// SetCalendarDay makes date a day off (off) or a working day in the user's calendar, with a
// name (may be empty), replacing the entry of that date there is. An invalid day
// (crm.ValidateCalendarDay) is refused with a crm.Errors and nothing is written.
func (s *Store) SetCalendarDay(ctx context.Context, date crm.Date, off bool, name string) error {
	c := crm.CalendarDay{Date: date, Off: off, Name: name}
	crm.NormalizeCalendarDay(&c)
	if errs := crm.ValidateCalendarDay(&c); len(errs) > 0 {
		return fmt.Errorf("set calendar day: %w", errs)
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	s.writeMu.keepInsights() // the calendar changes no classification
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("set calendar day: %w", err)
	}
	defer tx.Rollback()
	ts := stamp(s.now())
	_, err = tx.ExecContext(ctx, `INSERT INTO calendar_days (date, off, name, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (date) DO UPDATE SET off = excluded.off, name = excluded.name, updated_at = excluded.updated_at`,
		c.Date.String(), c.Off, c.Name, ts, ts)
	if err != nil {
		return fmt.Errorf("set calendar day: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("set calendar day: %w", err)
	}
	return nil
}

// DeleteCalendarDay removes date from the user's calendar (the official arrangement applies to
// it again); ErrNotFound when it is not there.
func (s *Store) DeleteCalendarDay(ctx context.Context, date crm.Date) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	s.writeMu.keepInsights()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("delete calendar day: %w", err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `DELETE FROM calendar_days WHERE date = ?`, date.String())
	if err != nil {
		return fmt.Errorf("delete calendar day: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("delete calendar day: %w", err)
	} else if n == 0 {
		return fmt.Errorf("delete calendar day %s: %w", date, ErrNotFound)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("delete calendar day: %w", err)
	}
	return nil
}

// bookCalendar is the book's effective working-day calendar (see WorkCalendar), read through
// conn, in the transaction open on it.
func bookCalendar(ctx context.Context, conn *sql.Conn) (crm.WorkCalendar, error) {
	var days []crm.CalendarDay
	err := rawQuery(ctx, conn, `SELECT date, off, name FROM calendar_days ORDER BY date`, nil, func(v []driver.Value) error {
		d, err := storedDay(v[0])
		if err != nil {
			return err
		}
		name, _ := v[2].(string)
		days = append(days, crm.CalendarDay{Date: d, Off: rawInt(v[1]) != 0, Name: name})
		return nil
	})
	if err != nil {
		return crm.WorkCalendar{}, fmt.Errorf("calendar days: %w", err)
	}
	cal, err := workCalendar()
	if err != nil {
		return crm.WorkCalendar{}, err
	}
	return cal.WithDays(days), nil
}
