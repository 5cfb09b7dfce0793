package crm

import (
	"strconv"
	"strings"
)

// CalendarEntry is one all-day event of a calendar export of the plan (store/ics writes them),
// already worded in the user's language.
type CalendarEntry struct {
	UID         string // stable across exports (see CalendarUID): importing again updates the event
	Day         Date   // the day of the event
	Summary     string // its title
	Description string // its notes; "\n" separates lines
}

// CalendarUID is the stable UID of the plan item of a customer, reason and ref (crm.PlanItem.Ref) due
// on a day: exporting the plan again gives the same item the same UID, so that a calendar
// importing the file again updates the event rather than adding a second one. Bytes of the
// reason and ref other than ASCII letters, digits, '_' and '.' are written %XX, so that the
// '-' between the parts is never ambiguous.
func CalendarUID(customerID int64, reason Reason, ref string, due Date) string {
	var b strings.Builder
	b.WriteString("plan-")
	b.WriteString(strconv.FormatInt(customerID, 10))
	b.WriteByte('-')
	b.WriteString(escapeUID(string(reason)))
	b.WriteByte('-')
	b.WriteString(escapeUID(ref))
	b.WriteByte('-')
	b.WriteString(due.String())
	b.WriteString("@carebook")
	return b.String()
}

// CalendarGroupUID is the stable UID of an event standing for many items: kind and key name the group
// (a holiday greeting: "holiday", the holiday's key), due its day.
func CalendarGroupUID(kind, key string, due Date) string {
	return "group-" + escapeUID(kind) + "-" + escapeUID(key) + "-" + due.String() + "@carebook"
}

func escapeUID(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}
