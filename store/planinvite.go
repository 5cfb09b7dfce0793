package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"carebook/crm"
)

// inviteNeeds is what the open events' audiences look at.
type inviteNeeds struct {
	tags  []string // the tags some audience names
	class bool     // some audience names stages or segments
}

// loadInvite reads into in the events whose invite window is open on d, each with the
// customers invited to it as of d (invitations dated on or before d, or undated), and tells f
// to keep the customers they may invite: those not do-not-disturb, of the tiers some audience
// allows (every tier when one has no tier list).
func loadInvite(ctx context.Context, conn *sql.Conn, d crm.Date, in *crm.PlanInput, f *planFilter) (inviteNeeds, error) {
	var needs inviteNeeds
	// An open window ends before the event's day and begins at most MaxInviteWindow days before.
	err := rawQuery(ctx, conn, `SELECT id, name, date, purpose, script, audience, window_days FROM events
		WHERE date > ? AND date <= ? ORDER BY date, id`, []any{d.String(), d.AddDays(crm.MaxInviteWindow).String()},
		func(v []driver.Value) error {
			date, err := storedDay(v[2])
			if err != nil {
				return err
			}
			e := crm.Event{ID: rawInt(v[0]), Date: date, WindowDays: int(rawInt(v[6]))}
			e.Name, _ = v[1].(string)
			e.Purpose, _ = v[3].(string)
			e.Script, _ = v[4].(string)
			if !crm.InviteWindowOpen(e, d) {
				return nil
			}
			audience, _ := v[5].(string)
			if err := json.Unmarshal([]byte(audience), &e.Audience); err != nil {
				return fmt.Errorf("event %d: audience: %w", e.ID, err)
			}
			in.Events = append(in.Events, crm.PlanEvent{Event: e})
			return nil
		})
	if err != nil || len(in.Events) == 0 {
		return needs, err
	}
	ids := make([]string, len(in.Events))
	at := map[int64]int{}
	tiers := map[crm.Tier]bool{}
	allTiers := false
	for i, e := range in.Events {
		ids[i] = strconv.FormatInt(e.ID, 10)
		at[e.ID] = i
		for _, t := range e.Audience.Tags {
			if !slices.Contains(needs.tags, t) {
				needs.tags = append(needs.tags, t)
			}
		}
		needs.class = needs.class || e.Audience.NeedsClass()
		allTiers = allTiers || len(e.Audience.Tiers) == 0
		for _, t := range e.Audience.Tiers {
			tiers[t] = true
		}
	}
	err = rawQuery(ctx, conn, `SELECT event_id, customer_id FROM invitations
		WHERE event_id IN (`+strings.Join(ids, ",")+`) AND (date IS NULL OR date <= ?)`, []any{d.String()},
		func(v []driver.Value) error {
			e := &in.Events[at[rawInt(v[0])]]
			e.Invited = append(e.Invited, rawInt(v[1]))
			return nil
		})
	if err != nil {
		return needs, fmt.Errorf("invitations: %w", err)
	}
	f.invite = true
	if !allTiers {
		f.inviteTiers = tiers
	}
	return needs, nil
}

// loadAudienceTags sets, in the customers of in, their tags that some open audience names, in
// the card's order.
func loadAudienceTags(ctx context.Context, conn *sql.Conn, tags []string, in *crm.PlanInput) error {
	if len(tags) == 0 || len(in.Customers) == 0 {
		return nil
	}
	at := make(map[int64]int, len(in.Customers))
	for i := range in.Customers {
		at[in.Customers[i].ID] = i
	}
	marks := strings.TrimSuffix(strings.Repeat("?,", len(tags)), ",")
	args := make([]any, len(tags))
	for i, t := range tags {
		args[i] = t
	}
	return rawQuery(ctx, conn, `SELECT customer_id, tag FROM customer_tags WHERE tag IN (`+marks+`)
		ORDER BY customer_id, pos`, args, func(v []driver.Value) error {
		if i, ok := at[rawInt(v[0])]; ok {
			tag, _ := v[1].(string)
			in.Customers[i].Tags = append(in.Customers[i].Tags, tag)
		}
		return nil
	})
}

// classifyAudience sets the stage and segment of the customers of in from the book's
// classification of day d (the one the customer list filters by, cached until the book
// changes).
func (s *Store) classifyAudience(ctx context.Context, d crm.Date, in *crm.PlanInput) error {
	bi, err := s.Insights(ctx, d)
	if err != nil {
		return err
	}
	for i := range in.Customers {
		c := &in.Customers[i]
		if x := bi.insight(c.ID); x != nil {
			c.Stage, c.Segment = x.Stage, x.Segment
		}
	}
	return nil
}
