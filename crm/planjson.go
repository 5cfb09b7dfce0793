package crm

import (
	"bytes"
	"io"
	"strconv"
	"unicode/utf8"
)

// JSON returns the plan as `carebook today --json` prints it (PRODUCT.md §4): one object
// {"date", "maintain", "invite", "serve"}; every item has customer {id, code, name}, reason, due,
// overdue_days and the keys of its reason. Lists are [] when empty, never null; a date that is
// not known (a cadence item of a customer never contacted) is null.
func (p *Plan) JSON() ([]byte, error) {
	var b bytes.Buffer
	if err := p.WriteJSON(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// WriteJSON writes p.JSON() to w, item by item: a plan of 100,000 items is written in a few
// tens of milliseconds, without building it in memory first.
func (p *Plan) WriteJSON(w io.Writer) error {
	e := jsonWriter{buf: make([]byte, 0, 64<<10), w: w}
	e.raw(`{"date":`)
	e.date(p.Date)
	for _, q := range []struct {
		key   string
		items []PlanItem
	}{{"maintain", p.Maintain}, {"invite", p.Invite}, {"serve", p.Serve}} {
		e.raw(`,"` + q.key + `":[`)
		for i := range q.items {
			if i > 0 {
				e.raw(",")
			}
			e.item(&q.items[i])
			e.flushIfFull()
		}
		e.raw("]")
	}
	e.raw("}")
	return e.flush()
}

// jsonWriter writes JSON into a buffer it flushes to w now and then; the first error sticks.
type jsonWriter struct {
	buf []byte
	w   io.Writer
	err error
}

func (e *jsonWriter) raw(s string) { e.buf = append(e.buf, s...) }

func (e *jsonWriter) flushIfFull() {
	if len(e.buf) > 56<<10 {
		e.flush()
	}
}

func (e *jsonWriter) flush() error {
	if e.err == nil && len(e.buf) > 0 {
		_, e.err = e.w.Write(e.buf)
	}
	e.buf = e.buf[:0]
	return e.err
}

// str writes s as a JSON string, escaped as encoding/json escapes it.
func (e *jsonWriter) str(s string) {
	e.buf = append(e.buf, '"')
	for i, r := range s {
		switch {
		case r == '"' || r == '\\':
			e.buf = append(e.buf, '\\', byte(r))
		case r == '\n':
			e.buf = append(e.buf, '\\', 'n')
		case r == '\r':
			e.buf = append(e.buf, '\\', 'r')
		case r == '\t':
			e.buf = append(e.buf, '\\', 't')
		case r == '\b':
			e.buf = append(e.buf, '\\', 'b')
		case r == '\f':
			e.buf = append(e.buf, '\\', 'f')
		case r < 0x20 || r == '<' || r == '>' || r == '&' || r == 0x2028 || r == 0x2029:
			e.buf = append(e.buf, `\u00`...)
			e.buf = append(e.buf, "0123456789abcdef"[r>>4&0xf], "0123456789abcdef"[r&0xf])
			if r >= 0x100 {
				e.buf = e.buf[:len(e.buf)-4]
				e.buf = append(e.buf, "0123456789abcdef"[r>>12&0xf], "0123456789abcdef"[r>>8&0xf],
					"0123456789abcdef"[r>>4&0xf], "0123456789abcdef"[r&0xf])
			}
		case r == utf8.RuneError:
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				e.buf = append(e.buf, `\ufffd`...)
			} else {
				e.buf = utf8.AppendRune(e.buf, r)
			}
		default:
			e.buf = utf8.AppendRune(e.buf, r)
		}
	}
	e.buf = append(e.buf, '"')
}

func (e *jsonWriter) int(n int64) { e.buf = strconv.AppendInt(e.buf, n, 10) }

// date writes d as "YYYY-MM-DD", or null when unset.
func (e *jsonWriter) date(d Date) {
	if d.IsZero() {
		e.raw("null")
		return
	}
	y, m, day := d.YMD()
	e.buf = append(e.buf, '"')
	e.buf = append(e.buf, byte('0'+y/1000%10), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
		byte('0'+int(m)/10), byte('0'+int(m)%10), '-', byte('0'+day/10), byte('0'+day%10), '"')
}

func (e *jsonWriter) key(k string) { e.raw(`,"` + k + `":`) }

// item writes one plan item with the keys of its reason.
func (e *jsonWriter) item(it *PlanItem) {
	e.raw(`{"customer":{"id":`)
	e.int(it.Customer.ID)
	e.raw(`,"code":`)
	e.str(it.Customer.Code)
	e.raw(`,"name":`)
	e.str(it.Customer.Name)
	e.raw(`},"reason":`)
	e.str(string(it.Reason))
	e.key("due")
	e.date(it.Due)
	e.key("overdue_days")
	e.int(int64(it.Overdue))
	switch it.Reason {
	case ReasonRoutine:
		e.key("step")
		e.int(int64(it.Step))
		e.key("purchase_date")
		e.date(it.PurchaseDate)
	case ReasonFollowUp:
		e.key("next_step")
		e.str(it.NextStep)
	case ReasonBirthday, ReasonImportantDate:
		e.key("occurs")
		e.date(it.Occurs)
		e.key("label")
		e.str(it.Label)
	case ReasonHoliday:
		e.key("holiday")
		e.str(it.Holiday)
	case ReasonCadence:
		e.key("last_contact")
		e.date(it.LastContact)
	case ReasonRecall:
		e.key("churn")
		e.str(string(it.Churn))
	case ReasonInvitation:
		ev := EventRef{}
		if it.Event != nil {
			ev = *it.Event
		}
		e.raw(`,"event":{"id":`)
		e.int(ev.ID)
		e.raw(`,"name":`)
		e.str(ev.Name)
		e.raw(`,"date":`)
		e.date(ev.Date)
		e.raw("}")
		e.key("purpose")
		e.str(it.Purpose)
		e.key("script")
		e.str(it.Script)
	case ReasonOnline, ReasonOffline, ReasonAfterSales, ReasonComplaint:
		e.key("title")
		e.str(it.Title)
	}
	e.raw("}")
}
