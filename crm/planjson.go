package crm

import (
	"bytes"
	"io"
	"runtime"
	"strconv"
	"sync"
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
		e.items(q.items)
		e.raw("]")
	}
	e.raw("}")
	return e.flush()
}

// jsonChunk is the number of items a goroutine encodes at a time in a long list.
const jsonChunk = 2048

// items writes items separated by commas. A long list is encoded a few chunks at a time, each
// by a goroutine, and written out in order.
func (e *jsonWriter) items(items []PlanItem) {
	workers := min(runtime.GOMAXPROCS(0), 4)
	if workers < 2 || len(items) < 4*jsonChunk {
		for i := range items {
			if i > 0 {
				e.raw(",")
			}
			e.item(&items[i])
			e.flushIfFull()
		}
		return
	}
	bufs := make([]jsonWriter, workers)
	for from := 0; from < len(items); from += workers * jsonChunk {
		var wg sync.WaitGroup
		for k := range bufs {
			lo := from + k*jsonChunk
			hi := min(lo+jsonChunk, len(items))
			if lo >= hi {
				break
			}
			wg.Go(func() {
				b := &bufs[k]
				b.buf = b.buf[:0]
				for i := lo; i < hi; i++ {
					if i > 0 {
						b.raw(",")
					}
					b.item(&items[i])
				}
			})
		}
		wg.Wait()
		for k := range bufs {
			e.flush()
			if e.err == nil && len(bufs[k].buf) > 0 {
				_, e.err = e.w.Write(bufs[k].buf)
			}
			bufs[k].buf = bufs[k].buf[:0]
		}
	}
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

// str writes s as a JSON string, escaped as encoding/json escapes it: runs of characters that
// need no escape are copied as they are.
func (e *jsonWriter) str(s string) {
	e.buf = append(e.buf, '"')
	start := 0
	for i := 0; i < len(s); {
		b := s[i]
		if b < utf8.RuneSelf {
			if jsonSafe[b] {
				i++
				continue
			}
			e.buf = append(e.buf, s[start:i]...)
			switch b {
			case '"', '\\':
				e.buf = append(e.buf, '\\', b)
			case '\n':
				e.buf = append(e.buf, '\\', 'n')
			case '\r':
				e.buf = append(e.buf, '\\', 'r')
			case '\t':
				e.buf = append(e.buf, '\\', 't')
			case '\b':
				e.buf = append(e.buf, '\\', 'b')
			case '\f':
				e.buf = append(e.buf, '\\', 'f')
			default: // other control characters, <, >, &
				e.buf = append(e.buf, '\\', 'u', '0', '0', hexDigit[b>>4], hexDigit[b&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			e.buf = append(e.buf, s[start:i]...)
			e.buf = append(e.buf, `\ufffd`...)
		case r == 0x2028 || r == 0x2029:
			e.buf = append(e.buf, s[start:i]...)
			e.buf = append(e.buf, '\\', 'u', '2', '0', '2', hexDigit[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	e.buf = append(e.buf, s[start:]...)
	e.buf = append(e.buf, '"')
}

const hexDigit = "0123456789abcdef"

// jsonSafe tells the ASCII characters a JSON string holds as they are (as encoding/json writes
// them: not control characters, quote, backslash, <, > or &).
var jsonSafe = func() (t [utf8.RuneSelf]bool) {
	for b := 0x20; b < utf8.RuneSelf; b++ {
		t[b] = b != '"' && b != '\\' && b != '<' && b != '>' && b != '&'
	}
	return t
}()

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

func (e *jsonWriter) key(k string) {
	e.buf = append(e.buf, ',', '"')
	e.buf = append(e.buf, k...)
	e.buf = append(e.buf, '"', ':')
}

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
