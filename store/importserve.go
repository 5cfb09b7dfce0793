package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"carebook/crm"
)

// The services, complaints, and events with their invitations, of an import (the 服务, 客诉 and
// 活动 sheets; crm.ImportBatch.Serve). Their rows are linked to customers like purchases, then
// matched against the book and the rows before them, so that importing the same workbook again
// adds nothing:
//   - a service matches the service of the same customer, date and title;
//   - a complaint, the complaint of the same customer, received date and description (its steps
//     are replaced by the row's when they differ);
//   - an event, the event of the same name and date (the first row of an event gives it);
//   - an invitation, the invitation of the same event and customer.
//
// A row that matches nothing creates (ImportCreate); one that matches and differs updates
// (ImportUpdate); one that matches and says nothing new is skipped with crm.ImportUnchanged; a
// later row of the batch with the same key as an earlier one is skipped with
// "xlsx.serve.duplicate" {Row}. An event row counts as created or updated when its event or
// its invitation is.

// keyServeDuplicate: "Same as row {{.Row}}: left out." Row
const keyServeDuplicate = "xlsx.serve.duplicate"

// customerRef names a customer of an import: one of the book's by id, or a new one of the batch.
type customerRef struct {
	id   int64
	card *importCard // a new customer of the batch (id 0)
}

func (l importLink) ref() customerRef {
	if l.card != nil && l.card.id == 0 {
		return customerRef{card: l.card}
	}
	return customerRef{id: l.customerID()}
}

type serviceKey struct {
	who   customerRef
	date  crm.Date
	title string
}

type complaintKey struct {
	who         customerRef
	received    crm.Date
	description string
}

type eventKey struct {
	name string
	date crm.Date
}

// serveService is a service an import writes: a new one (id 0) or an update of the book's id.
type serveService struct {
	link importLink
	id   int64
	v    crm.Service
}

type serveComplaint struct {
	link importLink
	id   int64
	c    crm.Complaint
}

// serveEvent is an event of the batch: the book's (id set) or a new one; write when it is
// created or changed.
type serveEvent struct {
	id    int64
	e     crm.Event
	write bool
}

type serveInvitation struct {
	ev   *serveEvent
	link importLink
	v    crm.Invitation
}

// servePlan is what an import writes of the batch's services, complaints and events.
type servePlan struct {
	services    []serveService
	complaints  []serveComplaint
	events      []*serveEvent // in the order of their first row
	invitations []serveInvitation
}

func (sp *servePlan) rows() int {
	if sp == nil {
		return 0
	}
	n := len(sp.services) + len(sp.complaints) + len(sp.invitations)
	for _, e := range sp.events {
		if e.write {
			n++
		}
	}
	return n
}

// serveKeys adds the customer codes and phones of the batch's service, complaint and event rows
// to codes and phones (the customers readBook looks up).
func serveKeys(b *crm.ImportBatch, codes, phones []string) ([]string, []string) {
	sv := b.Serve()
	for _, r := range sv.Services {
		codes, phones = append(codes, strings.TrimSpace(r.CustomerCode)), append(phones, importPhone(r.Phone))
	}
	for _, r := range sv.Complaints {
		codes, phones = append(codes, strings.TrimSpace(r.CustomerCode)), append(phones, importPhone(r.Phone))
	}
	for _, r := range sv.Events {
		if r.Invited {
			codes, phones = append(codes, strings.TrimSpace(r.CustomerCode)), append(phones, importPhone(r.Phone))
		}
	}
	return codes, phones
}

// checkServe refuses serve rows that name rows not in b.Results.
func checkServe(b *crm.ImportBatch) error {
	sv, n := b.Serve(), len(b.Results)
	for _, r := range []struct {
		what string
		rows []int
	}{
		{"service", rowsOf(sv.Services, func(v crm.ImportService) int { return v.Row })},
		{"complaint", rowsOf(sv.Complaints, func(v crm.ImportComplaint) int { return v.Row })},
		{"event", rowsOf(sv.Events, func(v crm.ImportEvent) int { return v.Row })},
	} {
		for i, row := range r.rows {
			if row < 0 || row >= n {
				return fmt.Errorf("%s %d: row %d is not in the report (%d rows)", r.what, i, row, n)
			}
		}
	}
	return nil
}

func rowsOf[T any](xs []T, row func(T) int) []int {
	out := make([]int, len(xs))
	for i, x := range xs {
		out[i] = row(x)
	}
	return out
}

// resolveServe links and matches the batch's service, complaint and event rows (after the
// customers, purchases and records are resolved) and fills in their results.
func (p *importPlan) resolveServe(ctx context.Context, q querier) error {
	sv := p.b.Serve()
	if sv.Len() == 0 {
		return nil
	}
	sp := &servePlan{}
	p.serve = sp

	// Link every row first: the book's rows of the customers found are then read at once.
	svcLinks := make([]*importLink, len(sv.Services))
	for i := range sv.Services {
		r := &sv.Services[i]
		v := r.Service
		v.ID, v.CustomerID = 0, 1 // validated as if linked
		crm.NormalizeService(&v)
		if l, ok := p.link(r.Row, r.CustomerCode, r.Phone, crm.ValidateService(&v)); ok {
			svcLinks[i] = &l
		}
	}
	cmpLinks := make([]*importLink, len(sv.Complaints))
	for i := range sv.Complaints {
		r := &sv.Complaints[i]
		c := cloneComplaint(&r.Complaint)
		c.ID, c.CustomerID = 0, 1
		crm.NormalizeComplaint(&c)
		if l, ok := p.link(r.Row, r.CustomerCode, r.Phone, crm.ValidateComplaint(&c)); ok {
			cmpLinks[i] = &l
		}
	}
	evLinks := make([]*importLink, len(sv.Events))
	evOK := make([]bool, len(sv.Events))
	for i := range sv.Events {
		r := &sv.Events[i]
		res := &p.results[r.Row]
		if res.Action == crm.ImportSkipRow {
			continue
		}
		e := r.Event
		crm.NormalizeEvent(&e)
		invalid := crm.ValidateEvent(&e)
		if !r.Invited {
			if len(invalid) > 0 {
				res.Action = crm.ImportSkipRow
				res.Problems = append(slices.Clip(res.Problems), invalid...)
				continue
			}
			evOK[i] = true
			continue
		}
		v := r.Invitation
		v.EventID, v.CustomerID = 1, 1
		crm.NormalizeInvitation(&v)
		invalid = append(invalid, crm.ValidateInvitation(&v)...)
		if l, ok := p.link(r.Row, r.CustomerCode, r.Phone, invalid); ok {
			evLinks[i], evOK[i] = &l, true
		}
	}

	var ids []int64
	seen := map[int64]bool{}
	for _, ls := range [][]*importLink{svcLinks, cmpLinks, evLinks} {
		for _, l := range ls {
			if l == nil {
				continue
			}
			if id := l.ref().id; id != 0 && !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
	}
	var names []string
	for i := range sv.Events {
		if evOK[i] {
			names = append(names, strings.TrimSpace(sv.Events[i].Event.Name))
		}
	}
	book, err := readServeBook(ctx, q, ids, names)
	if err != nil {
		return err
	}

	// Services.
	svcSeen := map[serviceKey]int{} // → line of the row
	for i, l := range svcLinks {
		if l == nil {
			continue
		}
		r := &sv.Services[i]
		res := &p.results[r.Row]
		v := r.Service
		v.ID, v.CustomerID = 0, 0
		crm.NormalizeService(&v)
		k := serviceKey{l.ref(), v.Date, v.Title}
		if duplicate(res, svcSeen, k) {
			continue
		}
		if old, ok := book.services[k]; ok && k.who.id != 0 {
			keepService(&v, old, p.columns(res))
			if old.Kind == v.Kind && old.Status == v.Status && old.DoneDate == v.DoneDate && old.Notes == v.Notes {
				unchanged(res)
				continue
			}
			res.Action = crm.ImportUpdate
			sp.services = append(sp.services, serveService{link: *l, id: old.ID, v: v})
			continue
		}
		sp.services = append(sp.services, serveService{link: *l, v: v})
	}

	// Complaints.
	cmpSeen := map[complaintKey]int{}
	for i, l := range cmpLinks {
		if l == nil {
			continue
		}
		r := &sv.Complaints[i]
		res := &p.results[r.Row]
		c := cloneComplaint(&r.Complaint)
		c.ID, c.CustomerID = 0, 0
		crm.NormalizeComplaint(&c)
		k := complaintKey{l.ref(), c.Received, c.Description}
		if duplicate(res, cmpSeen, k) {
			continue
		}
		if old, ok := book.complaints[k]; ok && k.who.id != 0 {
			keepComplaint(&c, old, p.columns(res))
			if sameComplaint(old, &c) {
				unchanged(res)
				continue
			}
			res.Action = crm.ImportUpdate
			sp.complaints = append(sp.complaints, serveComplaint{link: *l, id: old.ID, c: c})
			continue
		}
		sp.complaints = append(sp.complaints, serveComplaint{link: *l, c: c})
	}

	// Events and invitations.
	events := map[eventKey]*serveEvent{}
	type invitationKey struct {
		ev  *serveEvent
		who customerRef
	}
	invSeen := map[invitationKey]int{}
	for i := range sv.Events {
		if !evOK[i] {
			continue
		}
		r := &sv.Events[i]
		res := &p.results[r.Row]
		e := r.Event
		e.ID = 0
		crm.NormalizeEvent(&e)
		k := eventKey{e.Name, e.Date}
		var evAct crm.ImportAction // of this row's event: "" when an earlier row gave it
		ev := events[k]
		if ev == nil {
			ev = &serveEvent{e: e, write: true}
			evAct = crm.ImportCreate
			if old, ok := book.events[k]; ok {
				keepEvent(&e, old, p.columns(res))
				ev.e = e
				ev.id, ev.e.ID = old.ID, old.ID
				evAct = crm.ImportUpdate
				if sameEvent(old, &e) {
					ev.write, evAct = false, ""
				}
			}
			events[k] = ev
			sp.events = append(sp.events, ev)
		}
		var invAct crm.ImportAction
		if l := evLinks[i]; l != nil {
			ik := invitationKey{ev, l.ref()}
			if duplicate(res, invSeen, ik) {
				continue
			}
			v := r.Invitation
			v.ID, v.EventID, v.CustomerID = 0, 0, 0
			crm.NormalizeInvitation(&v)
			invAct = crm.ImportCreate
			if old, ok := book.invitations[[2]int64{ev.id, ik.who.id}]; ok && ev.id != 0 && ik.who.id != 0 {
				has := p.columns(res)
				if !has("status") {
					v.Status = old.Status
				}
				if !has("invited") {
					v.Date = old.Date
				}
				if !has("note") {
					v.Note = old.Note
				}
				invAct = crm.ImportUpdate
				if old.Status == v.Status && old.Date == v.Date && old.Note == v.Note {
					invAct = ""
				}
			}
			if invAct != "" {
				sp.invitations = append(sp.invitations, serveInvitation{ev: ev, link: *l, v: v})
			}
		}
		switch {
		case evAct == crm.ImportCreate || invAct == crm.ImportCreate:
			res.Action = crm.ImportCreate
		case evAct == crm.ImportUpdate || invAct == crm.ImportUpdate:
			res.Action = crm.ImportUpdate
		default:
			unchanged(res)
		}
		if !r.Invited {
			res.Name = e.Name
		}
	}
	return nil
}

// duplicate skips the row of res when an earlier row of the batch had key k; else it notes k.
func duplicate[K comparable](res *crm.ImportRowResult, seen map[K]int, k K) bool {
	line, dup := seen[k]
	if !dup {
		seen[k] = res.Line
		return false
	}
	res.Action = crm.ImportSkipRow
	res.Problems = append(slices.Clip(res.Problems), crm.FieldError{Key: keyServeDuplicate, Args: map[string]any{"Row": line}})
	return true
}

// columns returns whether the table of res has a column mapped to a field: a field without a
// column keeps the book's value when a row updates one.
func (p *importPlan) columns(res *crm.ImportRowResult) func(field string) bool {
	var cols []crm.ImportColumn
	if res.Table >= 0 && res.Table < len(p.b.Mappings) {
		cols = p.b.Mappings[res.Table].Columns
	}
	return func(field string) bool {
		return slices.ContainsFunc(cols, func(c crm.ImportColumn) bool { return c.Field == field })
	}
}

// keepService keeps in v what old has of the fields the sheet has no column for.
func keepService(v, old *crm.Service, has func(string) bool) {
	switch {
	case !has("status") && !has("done_date"):
		v.Status, v.DoneDate = old.Status, old.DoneDate
	case !has("done_date") && v.Status == crm.ServiceDone && old.Status == crm.ServiceDone:
		v.DoneDate = old.DoneDate
	}
	if !has("notes") {
		v.Notes = old.Notes
	}
}

// keepComplaint keeps in c what old has of the fields the sheet has no column for; the steps of
// a kind without a date or note column are old's.
func keepComplaint(c, old *crm.Complaint, has func(string) bool) {
	if !has("channel") {
		c.Channel = old.Channel
	}
	if !has("resolution") {
		c.Resolution = old.Resolution
	}
	if !has("satisfaction") {
		c.Satisfaction = old.Satisfaction
	}
	if !has("closed") {
		c.Closed = old.Closed
	}
	kept := false
	for _, k := range crm.ComplaintSteps {
		if has(xlsxStepDate(k)) || has(xlsxStepNote(k)) {
			continue
		}
		for _, st := range old.Steps {
			if st.Step == k {
				st.ID = 0
				c.Steps, kept = append(c.Steps, st), true
			}
		}
	}
	if kept {
		crm.NormalizeComplaint(c)
	}
}

// xlsxStepDate and xlsxStepNote are the keys of a step's columns (store/xlsx's StepDateKey and
// StepNoteKey, which the store does not import).
func xlsxStepDate(k crm.ComplaintStepKind) string { return string(k) + "_date" }
func xlsxStepNote(k crm.ComplaintStepKind) string { return string(k) + "_note" }

// keepEvent keeps in e what old has of the fields the sheet has no column for.
func keepEvent(e, old *crm.Event, has func(string) bool) {
	if !has("purpose") {
		e.Purpose = old.Purpose
	}
	if !has("script") {
		e.Script = old.Script
	}
	if !has("audience") {
		e.Audience = old.Audience
	}
	if !has("window_days") {
		e.WindowDays = old.WindowDays
	}
	if !has("event_notes") {
		e.Notes = old.Notes
	}
}

// unchanged skips the row of res: the book already holds it.
func unchanged(res *crm.ImportRowResult) {
	res.Action = crm.ImportSkipRow
	res.Problems = append(slices.Clip(res.Problems), crm.FieldError{Key: crm.ImportUnchanged})
}

func cloneComplaint(c *crm.Complaint) crm.Complaint {
	out := *c
	out.Steps = slices.Clone(c.Steps)
	for i := range out.Steps {
		out.Steps[i].ID = 0
	}
	return out
}

// sameComplaint reports whether the book's complaint old holds what c (normalised) says.
func sameComplaint(old, c *crm.Complaint) bool {
	if old.Channel != c.Channel || old.Category != c.Category || old.Severity != c.Severity ||
		old.Resolution != c.Resolution || old.Satisfaction != c.Satisfaction || old.Closed != c.Closed ||
		len(old.Steps) != len(c.Steps) {
		return false
	}
	a, b := canonicalSteps(old.Steps), canonicalSteps(c.Steps)
	return slices.Equal(a, b)
}

// canonicalSteps are steps without ids, by date, step and note.
func canonicalSteps(steps []crm.ComplaintStep) []crm.ComplaintStep {
	out := slices.Clone(steps)
	for i := range out {
		out[i].ID = 0
	}
	slices.SortStableFunc(out, func(a, b crm.ComplaintStep) int {
		return cmp.Or(cmp.Compare(a.Date, b.Date),
			cmp.Compare(slices.Index(crm.ComplaintSteps, a.Step), slices.Index(crm.ComplaintSteps, b.Step)),
			strings.Compare(a.Note, b.Note))
	})
	return out
}

// sameEvent reports whether the book's event old holds what e (normalised) says.
func sameEvent(old, e *crm.Event) bool {
	return old.Purpose == e.Purpose && old.Script == e.Script && old.WindowDays == e.WindowDays &&
		old.Notes == e.Notes && sameAudience(old.Audience, e.Audience)
}

func sameAudience(a, b crm.Audience) bool {
	return slices.Equal(a.Tags, b.Tags) && slices.Equal(a.Tiers, b.Tiers) && slices.Equal(a.Stages, b.Stages) &&
		slices.Equal(a.Segments, b.Segments)
}

// serveBook is what an import's service, complaint and event rows are matched against.
type serveBook struct {
	services    map[serviceKey]*crm.Service
	complaints  map[complaintKey]*crm.Complaint
	events      map[eventKey]*crm.Event
	invitations map[[2]int64]*crm.Invitation // event id, customer id
}

// readServeBook reads the services and complaints of customers ids, the events named names and
// their invitations: a handful of queries, whatever their number. The first (lowest id) of
// several with one key is kept.
func readServeBook(ctx context.Context, q querier, ids []int64, names []string) (*serveBook, error) {
	sb := &serveBook{services: map[serviceKey]*crm.Service{}, complaints: map[complaintKey]*crm.Complaint{},
		events: map[eventKey]*crm.Event{}, invitations: map[[2]int64]*crm.Invitation{}}
	idList, err := jsonList(ids)
	if err != nil {
		return nil, err
	}
	const in = ` IN (SELECT value FROM json_each(?))`
	services, err := queryAll(ctx, q, `SELECT `+serviceColumns+` FROM services WHERE customer_id`+in+` ORDER BY id`,
		[]any{idList}, scanService)
	if err != nil {
		return nil, fmt.Errorf("find services: %w", err)
	}
	for i := range services {
		v := &services[i]
		k := serviceKey{customerRef{id: v.CustomerID}, v.Date, v.Title}
		if _, ok := sb.services[k]; !ok {
			sb.services[k] = v
		}
	}

	complaints, err := queryAll(ctx, q, `SELECT `+complaintColumns+` FROM complaints WHERE customer_id`+in+` ORDER BY id`,
		[]any{idList}, scanComplaint)
	if err != nil {
		return nil, fmt.Errorf("find complaints: %w", err)
	}
	byID := make(map[int64]*crm.Complaint, len(complaints))
	for i := range complaints {
		byID[complaints[i].ID] = &complaints[i]
	}
	type stepRow struct {
		of int64
		s  crm.ComplaintStep
	}
	steps, err := queryAll(ctx, q, `SELECT complaint_id, id, step, date, note FROM complaint_steps
		WHERE complaint_id IN (SELECT id FROM complaints WHERE customer_id`+in+`) ORDER BY date, id`, []any{idList},
		func(rows *sql.Rows, r *stepRow) error {
			var kind, date string
			if err := rows.Scan(&r.of, &r.s.ID, &kind, &date, &r.s.Note); err != nil {
				return err
			}
			r.s.Step = crm.ComplaintStepKind(kind)
			var err error
			r.s.Date, err = parseDay([]byte(date))
			return err
		})
	if err != nil {
		return nil, fmt.Errorf("find complaints: %w", err)
	}
	for _, r := range steps {
		if c := byID[r.of]; c != nil {
			c.Steps = append(c.Steps, r.s)
		}
	}
	for i := range complaints {
		c := &complaints[i]
		k := complaintKey{customerRef{id: c.CustomerID}, c.Received, c.Description}
		if _, ok := sb.complaints[k]; !ok {
			sb.complaints[k] = c
		}
	}

	nameList, err := jsonList(names)
	if err != nil {
		return nil, err
	}
	events, err := queryAll(ctx, q, `SELECT `+eventColumns+` FROM events WHERE name`+in+` ORDER BY id`,
		[]any{nameList}, scanEvent)
	if err != nil {
		return nil, fmt.Errorf("find events: %w", err)
	}
	var eventIDs []int64
	for i := range events {
		e := &events[i]
		k := eventKey{e.Name, e.Date}
		if _, ok := sb.events[k]; !ok {
			sb.events[k] = e
			eventIDs = append(eventIDs, e.ID)
		}
	}
	evList, err := jsonList(eventIDs)
	if err != nil {
		return nil, err
	}
	invs, err := queryAll(ctx, q, `SELECT `+invitationColumns+` FROM invitations WHERE event_id`+in,
		[]any{evList}, scanInvitation)
	if err != nil {
		return nil, fmt.Errorf("find invitations: %w", err)
	}
	for i := range invs {
		sb.invitations[[2]int64{invs[i].EventID, invs[i].CustomerID}] = &invs[i]
	}
	return sb, nil
}

// scanComplaint decodes a row of complaintColumns (without steps).
func scanComplaint(rows *sql.Rows, c *crm.Complaint) error {
	var received, channel, category, severity, createdAt, updatedAt string
	var closed sql.NullString
	if err := rows.Scan(&c.ID, &c.CustomerID, &received, &channel, &category, &severity, &c.Description,
		&c.Resolution, &c.Satisfaction, &closed, &createdAt, &updatedAt); err != nil {
		return err
	}
	var err error
	if c.Received, err = parseDay([]byte(received)); err != nil {
		return fmt.Errorf("complaint %d: %w", c.ID, err)
	}
	if c.Closed, err = parseDate(closed); err != nil {
		return fmt.Errorf("complaint %d: %w", c.ID, err)
	}
	c.Channel, c.Category, c.Severity = crm.Channel(channel), crm.ComplaintCategory(category), crm.Severity(severity)
	c.CreatedAt, c.UpdatedAt = parseStamp(createdAt), parseStamp(updatedAt)
	return nil
}

// writeServe writes the planned services, complaints, events and invitations in tx, after the
// customers (whose ids they need).
func (p *importPlan) writeServe(ctx context.Context, tx *sql.Tx, pr *importProgress) error {
	sp := p.serve
	if sp == nil {
		return nil
	}
	ts := p.ts
	stmt := func(query string) (*sql.Stmt, error) { return tx.PrepareContext(ctx, query) }
	var stmts []*sql.Stmt
	defer func() {
		for _, s := range stmts {
			s.Close()
		}
	}()
	prepare := func(queries ...string) ([]*sql.Stmt, error) {
		var out []*sql.Stmt
		for _, q := range queries {
			s, err := stmt(q)
			if err != nil {
				return nil, err
			}
			stmts = append(stmts, s)
			out = append(out, s)
		}
		return out, nil
	}
	st, err := prepare(insertServiceSQL,
		`UPDATE services SET customer_id = ?, date = ?, kind = ?, title = ?, status = ?, done_date = ?, notes = ?,
			updated_at = ? WHERE id = ?`,
		insertComplaintSQL,
		`UPDATE complaints SET customer_id = ?, received = ?, channel = ?, category = ?, severity = ?, description = ?,
			resolution = ?, satisfaction = ?, closed = ?, updated_at = ? WHERE id = ?`,
		`DELETE FROM complaint_steps WHERE complaint_id = ?`,
		insertComplaintStepSQL,
		insertEventSQL,
		`UPDATE events SET name = ?, date = ?, purpose = ?, script = ?, audience = ?, window_days = ?, notes = ?,
			updated_at = ? WHERE id = ?`,
		`INSERT INTO invitations (event_id, customer_id, status, date, note, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (event_id, customer_id) DO UPDATE SET status = excluded.status, date = excluded.date,
			note = excluded.note, updated_at = excluded.updated_at`)
	if err != nil {
		return err
	}
	insSvc, updSvc, insCmp, updCmp, delSteps, insStep, insEv, updEv, setInv :=
		st[0], st[1], st[2], st[3], st[4], st[5], st[6], st[7], st[8]

	for _, s := range sp.services {
		v := s.v
		v.CustomerID = s.link.customerID()
		if s.id == 0 {
			_, err = insSvc.ExecContext(ctx, append(serviceValues(&v), ts, ts)...)
		} else {
			_, err = updSvc.ExecContext(ctx, append(serviceValues(&v), ts, s.id)...)
		}
		if err != nil {
			return fmt.Errorf("service %q: %w", v.Title, err)
		}
		if err := pr.add(1); err != nil {
			return err
		}
	}
	for _, s := range sp.complaints {
		c := s.c
		c.CustomerID = s.link.customerID()
		id := s.id
		if id == 0 {
			res, err := insCmp.ExecContext(ctx, append(complaintValues(&c), ts, ts)...)
			if err != nil {
				return fmt.Errorf("complaint: %w", err)
			}
			if id, err = res.LastInsertId(); err != nil {
				return fmt.Errorf("complaint: %w", err)
			}
		} else {
			if _, err := updCmp.ExecContext(ctx, append(complaintValues(&c), ts, id)...); err != nil {
				return fmt.Errorf("complaint %d: %w", id, err)
			}
			if _, err := delSteps.ExecContext(ctx, id); err != nil {
				return fmt.Errorf("complaint %d: %w", id, err)
			}
		}
		for i, step := range c.Steps {
			if _, err := insStep.ExecContext(ctx, id, string(step.Step), step.Date.String(), step.Note, ts, ts); err != nil {
				return fmt.Errorf("complaint %d: step %d: %w", id, i+1, err)
			}
		}
		if err := pr.add(1); err != nil {
			return err
		}
	}
	for _, ev := range sp.events {
		if !ev.write {
			continue
		}
		vals, err := eventValues(&ev.e)
		if err != nil {
			return fmt.Errorf("event %q: %w", ev.e.Name, err)
		}
		if ev.id == 0 {
			res, err := insEv.ExecContext(ctx, append(vals, ts, ts)...)
			if err != nil {
				return fmt.Errorf("event %q: %w", ev.e.Name, err)
			}
			if ev.id, err = res.LastInsertId(); err != nil {
				return fmt.Errorf("event %q: %w", ev.e.Name, err)
			}
		} else if _, err := updEv.ExecContext(ctx, append(vals, ts, ev.id)...); err != nil {
			return fmt.Errorf("event %q: %w", ev.e.Name, err)
		}
		if err := pr.add(1); err != nil {
			return err
		}
	}
	for _, inv := range sp.invitations {
		v := inv.v
		if _, err := setInv.ExecContext(ctx, inv.ev.id, inv.link.customerID(), string(v.Status), nullDay(v.Date),
			v.Note, ts, ts); err != nil {
			return fmt.Errorf("invitation to %q: %w", inv.ev.e.Name, err)
		}
		if err := pr.add(1); err != nil {
			return err
		}
	}
	return nil
}
