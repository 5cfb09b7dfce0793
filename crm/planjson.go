package crm

import (
	"encoding/json"
	"strconv"
)

// JSON returns the plan as `carebook today --json` prints it (PRODUCT.md §4): one object
// {"date", "maintain", "invite", "serve"}; every item has customer {id, code, name}, reason, due,
// overdue_days and the keys of its reason. Lists are [] when empty, never null; a date that is
// not known (a cadence item of a customer never contacted) is null.
func (p *Plan) JSON() ([]byte, error) {
	out := jsonPlan{Date: p.Date.String(), Maintain: jsonItems(p.Maintain), Invite: jsonItems(p.Invite),
		Serve: jsonItems(p.Serve)}
	return json.Marshal(out)
}

type jsonPlan struct {
	Date     string     `json:"date"`
	Maintain []jsonItem `json:"maintain"`
	Invite   []jsonItem `json:"invite"`
	Serve    []jsonItem `json:"serve"`
}

// jsonItem: the optional keys are raw JSON so that a key is either absent (nil) or present with
// its value, null included.
type jsonItem struct {
	Customer     CustomerRef     `json:"customer"`
	Reason       Reason          `json:"reason"`
	Due          string          `json:"due"`
	OverdueDays  int             `json:"overdue_days"`
	Step         json.RawMessage `json:"step,omitempty"`
	PurchaseDate json.RawMessage `json:"purchase_date,omitempty"`
	NextStep     json.RawMessage `json:"next_step,omitempty"`
	Occurs       json.RawMessage `json:"occurs,omitempty"`
	Label        json.RawMessage `json:"label,omitempty"`
	Holiday      json.RawMessage `json:"holiday,omitempty"`
	LastContact  json.RawMessage `json:"last_contact,omitempty"`
	Churn        json.RawMessage `json:"churn,omitempty"`
	Event        json.RawMessage `json:"event,omitempty"`
	Purpose      json.RawMessage `json:"purpose,omitempty"`
	Script       json.RawMessage `json:"script,omitempty"`
	Title        json.RawMessage `json:"title,omitempty"`
}

func rawString(s string) json.RawMessage {
	b, _ := json.Marshal(s) // a string always marshals
	return b
}

func rawDate(d Date) json.RawMessage {
	if d.IsZero() {
		return json.RawMessage("null")
	}
	return rawString(d.String())
}

func jsonItems(items []PlanItem) []jsonItem {
	out := make([]jsonItem, len(items))
	for i := range items {
		it := &items[i]
		j := jsonItem{Customer: it.Customer, Reason: it.Reason, Due: it.Due.String(), OverdueDays: it.Overdue}
		switch it.Reason {
		case ReasonRoutine:
			j.Step = json.RawMessage(strconv.Itoa(it.Step))
			j.PurchaseDate = rawDate(it.PurchaseDate)
		case ReasonFollowUp:
			j.NextStep = rawString(it.NextStep)
		case ReasonBirthday, ReasonImportantDate:
			j.Occurs = rawDate(it.Occurs)
			j.Label = rawString(it.Label)
		case ReasonHoliday:
			j.Holiday = rawString(it.Holiday)
		case ReasonCadence:
			j.LastContact = rawDate(it.LastContact)
		case ReasonRecall:
			j.Churn = rawString(string(it.Churn))
		case ReasonInvitation:
			ev := EventRef{}
			if it.Event != nil {
				ev = *it.Event
			}
			b, _ := json.Marshal(struct {
				ID   int64  `json:"id"`
				Name string `json:"name"`
				Date string `json:"date"`
			}{ev.ID, ev.Name, ev.Date.String()})
			j.Event = b
			j.Purpose = rawString(it.Purpose)
			j.Script = rawString(it.Script)
		case ReasonOnline, ReasonOffline, ReasonAfterSales, ReasonComplaint:
			j.Title = rawString(it.Title)
		}
		out[i] = j
	}
	return out
}
