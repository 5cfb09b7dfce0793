package store

import (
	"context"

	"carebook/crm"
)

// WorkCalendar returns the working-day calendar of the complaint deadlines: the official
// arrangement shipped with Carebook (assets.CNWorkdays); years beyond it fall back to
// Monday–Friday.
func (s *Store) WorkCalendar(ctx context.Context) (crm.WorkCalendar, error) {
	return workCalendar()
}
