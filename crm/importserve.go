package crm

// The 服务, 客诉 and 活动 sheets of an import (PRODUCT.md §5): services, complaints, and events
// with their invitations. store/imports converts their rows; store.Import links them to
// customers (by code, else phone), matches them against the book so that importing a workbook
// again adds nothing, and writes them in the import's one transaction.

// Import kinds of the service, complaint and event sheets.
const (
	ImportServices   ImportKind = "services"
	ImportComplaints ImportKind = "complaints"
	ImportEvents     ImportKind = "events"
)

// ImportUnchanged is the translation key of a row that is skipped because the book already
// holds exactly what it says ("Already in the book: nothing to change.").
const ImportUnchanged = "xlsx.serve.unchanged"

// ImportService is a service appointment row, linked like ImportPurchase. It matches a service of
// the book with the same customer, date and title.
type ImportService struct {
	Row                 int
	CustomerCode, Phone string
	Service             Service
}

// ImportComplaint is a complaint row with its steps, linked like ImportPurchase. It matches a
// complaint of the book with the same customer, received date and description.
type ImportComplaint struct {
	Row                 int
	CustomerCode, Phone string
	Complaint           Complaint
}

// ImportEvent is a row of the 活动 sheet: an event and, when the row names a customer, that
// customer's invitation to it. Rows of one event (same name and date) repeat its columns; the
// first row the import writes gives the event. The event matches an event of the book with the
// same name and date; the invitation, the invitation of that event and customer.
type ImportEvent struct {
	Row   int
	Event Event
	// Invited is true when the row names a customer (CustomerCode or Phone): Invitation is then
	// its invitation (EventID and CustomerID set by the store).
	Invited             bool
	CustomerCode, Phone string
	Invitation          Invitation
}

// ImportServe holds the rows of a batch's service, complaint and event sheets.
type ImportServe struct {
	Services   []ImportService
	Complaints []ImportComplaint
	Events     []ImportEvent
}

// Len is the number of rows it holds.
func (s *ImportServe) Len() int { return len(s.Services) + len(s.Complaints) + len(s.Events) }

// Serve returns the rows of b's service, complaint and event sheets.
func (b *ImportBatch) Serve() *ImportServe { return &b.ServeRows }

// ServiceSheetRow is a service appointment with its customer, for the export.
type ServiceSheetRow struct {
	Service
	CustomerCode string
	CustomerName string
}

// ComplaintSheetRow is a complaint, with its steps, and its customer, for the export.
type ComplaintSheetRow struct {
	Complaint
	CustomerCode string
	CustomerName string
}

// EventSheetRow is a row of the 活动 sheet of the export: an event and one invitation to it, or the
// event alone (Invited false) when nobody is invited.
type EventSheetRow struct {
	Event
	Invited      bool
	Invitation   Invitation
	CustomerCode string
	CustomerName string
}
