package benchfile

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"carebook/crm"
	"carebook/store/xlsx"
)

// bareWorkbook writes sheets with nothing but excelize StreamWriters: a header row, a number
// format per date or amount column, and the rows as given, a new sheet every xlsx.MaxDataRows rows.
type bareWorkbook struct {
	f                      *excelize.File
	sheets                 int
	date, dateTime, amount int
	sw                     *excelize.StreamWriter
	cols                   []xlsx.Column
	row                    int
	cell                   []byte
}

func newBareWorkbook() *bareWorkbook {
	f := excelize.NewFile()
	dateFmt, dateTimeFmt := "yyyy-mm-dd", "yyyy-mm-dd hh:mm"
	w := &bareWorkbook{f: f}
	w.date, _ = f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt})
	w.dateTime, _ = f.NewStyle(&excelize.Style{CustomNumFmt: &dateTimeFmt})
	w.amount, _ = f.NewStyle(&excelize.Style{NumFmt: 2})
	return w
}

// begin starts a sheet of columns cols (ending the one before).
func (w *bareWorkbook) begin(cols []xlsx.Column) error {
	if err := w.end(); err != nil {
		return err
	}
	name := "S" + strconv.Itoa(w.sheets)
	if w.sheets++; w.sheets == 1 {
		_ = w.f.SetSheetName("Sheet1", name)
	} else if _, err := w.f.NewSheet(name); err != nil {
		return err
	}
	var err error
	if w.sw, err = w.f.NewStreamWriter(name); err != nil {
		return err
	}
	header := make([]any, len(cols))
	for c, col := range cols {
		header[c] = col.Zh
		if st := map[xlsx.Kind]int{xlsx.KindDate: w.date, xlsx.KindKeyDate: w.date, xlsx.KindDateTime: w.dateTime, xlsx.KindAmount: w.amount}[col.Kind]; st != 0 {
			_ = w.sw.SetColStyle(c+1, c+1, st)
		}
	}
	w.cols, w.row = cols, 1
	return w.sw.SetRow("A1", header)
}

// add writes one row.
func (w *bareWorkbook) add(row []any) error {
	if w.row > xlsx.MaxDataRows {
		if err := w.begin(w.cols); err != nil {
			return err
		}
	}
	w.row++
	w.cell = strconv.AppendInt(append(w.cell[:0], 'A'), int64(w.row), 10)
	return w.sw.SetRow(string(w.cell), row)
}

func (w *bareWorkbook) end() error {
	if w.sw == nil {
		return nil
	}
	err := w.sw.Flush()
	w.sw = nil
	return err
}

// save ends the last sheet and writes the workbook to path.
func (w *bareWorkbook) save(path string) error {
	defer w.f.Close()
	if err := w.end(); err != nil {
		return err
	}
	return w.f.SaveAs(path)
}

// BareExport writes the cells of xlsx.Export(src, path, xlsx.Options{Lang: xlsx.LangZh}) with nothing but
// excelize StreamWriters (bareWorkbook), reading the rows through the same iterators: the
// values mapped in the simplest way (phones formatted once each through a plain map), no header style,
// frozen pane, auto-filter, widths or summary. It is the yardstick of PRODUCT.md §8 for a
// real book.
func BareExport(ctx context.Context, src xlsx.Source, path string) error {
	w := newBareWorkbook()
	epoch := crm.NewDate(1899, 12, 30)
	serial := func(d crm.Date) any {
		if d == 0 {
			return nil
		}
		return int(d - epoch)
	}
	moment := func(t time.Time) any {
		if t.IsZero() {
			return nil
		}
		h, m, s := t.Clock()
		return float64(crm.DateOf(t)-epoch) + float64(h*3600+m*60+s)/86400
	}
	text := func(s string) any {
		if s == "" {
			return nil
		}
		return s
	}
	label := func(vs []xlsx.Value, k string) any {
		for i := range vs {
			if vs[i].Key == k {
				return text(vs[i].Zh)
			}
		}
		return text(k)
	}
	join := func(ss []string) any { return text(strings.Join(ss, xlsx.ListSeparator)) }
	keyDate := func(k *crm.KeyDate) any {
		if k == nil || k.Month == 0 {
			return nil
		}
		if k.Calendar == crm.Solar && k.Year != 0 {
			return serial(crm.NewDate(k.Year, time.Month(k.Month), k.Day))
		}
		return k.String()
	}
	// Formatting a phone parses it (some 30 µs): a plain map keeps each number's text, so that
	// the yardstick measures excelize's writing rather than the phone parser.
	formatted := map[string]string{}
	format := func(e164 string) string {
		p, ok := formatted[e164]
		if !ok {
			p = crm.FormatPhone(e164)
			formatted[e164] = p
		}
		return p
	}
	out := make([]any, 0, 40)
	if err := w.begin(xlsx.RecordColumns); err != nil {
		return err
	}
	if err := src.EachRecord(ctx, 0, 0, func(r *crm.RecordRow) error {
		var phone any
		if r.Phone != "" {
			phone = format(r.Phone)
		}
		return w.add(append(out[:0], moment(r.At), r.CustomerCode, r.CustomerName, phone,
			label(xlsx.RecordKindValues, string(r.Kind)), label(xlsx.RecordChannelValues, string(r.Channel)),
			text(r.Content), text(r.Feedback), text(r.NextStep), serial(r.NextDate)))
	}); err != nil {
		return err
	}
	if err := w.begin(xlsx.CustomerColumns); err != nil {
		return err
	}
	if err := src.EachCustomer(ctx, func(c *crm.CustomerRow) error {
		phones := make([]string, len(c.Phones))
		for i, p := range c.Phones {
			phones[i] = format(p)
		}
		dates := make([]string, len(c.Dates))
		for i := range c.Dates {
			k := &c.Dates[i]
			day := k.String()
			if k.Calendar == crm.Solar && k.Year != 0 {
				day = crm.NewDate(k.Year, time.Month(k.Month), k.Day).String()
			}
			dates[i] = k.Label + ":" + day
		}
		gender := string(c.Gender)
		if gender == "" {
			gender = string(crm.GenderUnknown)
		}
		dnd := "no"
		if c.DoNotDisturb {
			dnd = "yes"
		}
		score := func(n int) any {
			if n == 0 {
				return nil
			}
			return n
		}
		return w.add(append(out[:0], c.Code, c.Name, text(c.Remark), label(xlsx.GenderValues, gender), join(phones),
			text(c.WeChat), text(c.Email), text(c.Address), text(c.Company), text(c.Title), text(c.Source),
			keyDate(c.Birthday), join(dates), text(c.Needs), text(c.LatentNeeds), text(c.Preferences), text(c.Interests),
			label(xlsx.TierValues, string(c.Tier)), join(c.Tags), label(xlsx.YesNoValues, dnd),
			score(c.Knowing), score(c.Closeness), score(c.Loyalty), text(c.Notes), serial(c.Created),
			nil, nil, nil, nil, moment(c.LastContact), serial(c.LastPurchase)))
	}); err != nil {
		return err
	}
	if err := w.begin(xlsx.PurchaseColumns); err != nil {
		return err
	}
	if err := src.EachPurchase(ctx, 0, 0, func(p *crm.PurchaseRow) error {
		return w.add(append(out[:0], p.CustomerCode, p.CustomerName, serial(p.Date), p.Amount.Yuan(), text(p.Items),
			label(xlsx.SaleChannelValues, string(p.Channel))))
	}); err != nil {
		return err
	}
	for _, cols := range [][]xlsx.Column{xlsx.ServiceColumns, xlsx.ComplaintColumns, xlsx.EventColumns, xlsx.SummaryColumns} {
		if err := w.begin(cols); err != nil {
			return err
		}
	}
	return w.save(path)
}
