package ui

import (
	"image/color"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"carebook/assets/i18n"
)

// Native charts drawn from canvas primitives: horizontal bars for counts by category and columns
// for a time series. Every bar is tappable (the chart calls back with its key and series), shows
// a pointer and a hover shade, and takes its colours from the theme at each refresh, so that a
// chart reads in the light and the dark variant alike.

// chartSeries is one series of a chart: its name (shown in a legend when there are two or more)
// and its colour.
type chartSeries struct {
	name  string
	color fyne.ThemeColorName
}

// chartItem is one category (a row of bars) or one point of a time series (a column).
type chartItem struct {
	key    string
	label  string
	values []int // one per series
	// color, when set, replaces the colour of the first series for this item (plan completion:
	// on time, missed, open).
	color fyne.ThemeColorName
}

// barChart draws items as horizontal bars (one per series, grouped by item, labels on the left,
// counts after the bars) or, with columns set, as vertical columns (a time series: counts on top,
// labels below; only the first series).
type barChart struct {
	widget.BaseWidget
	series  []chartSeries
	columns bool
	// onTapped is called with the key and series of a tapped bar whose count is not zero.
	onTapped func(key string, series int)

	items []chartItem
	bars  [][]*chartBar // by item, then series
}

func newBarChart(series []chartSeries, onTapped func(key string, series int)) *barChart {
	c := &barChart{series: series, onTapped: onTapped}
	c.ExtendBaseWidget(c)
	return c
}

func newColumnChart(series chartSeries, onTapped func(key string, series int)) *barChart {
	c := newBarChart([]chartSeries{series}, onTapped)
	c.columns = true
	return c
}

// setItems shows items (each with a value per series) and refreshes.
func (c *barChart) setItems(items []chartItem) {
	c.items = items
	bars := make([][]*chartBar, len(items))
	for i := range items {
		bars[i] = make([]*chartBar, len(c.series))
		for j := range c.series {
			if i < len(c.bars) && j < len(c.bars[i]) {
				bars[i][j] = c.bars[i][j] // keep the widgets: a reload does not flicker
			} else {
				bars[i][j] = newChartBar(c)
			}
			b := bars[i][j]
			b.item, b.series, b.vertical = i, j, c.columns
		}
	}
	c.bars = bars
	c.Refresh()
}

// bar returns the bar of the item with key and of series s, nil when there is none.
func (c *barChart) bar(key string, s int) *chartBar {
	for i := range c.items {
		if c.items[i].key == key && s < len(c.bars[i]) {
			return c.bars[i][s]
		}
	}
	return nil
}

func (c *barChart) value(item, series int) int {
	if item < len(c.items) && series < len(c.items[item].values) {
		return c.items[item].values[series]
	}
	return 0
}

func (c *barChart) colorName(item, series int) fyne.ThemeColorName {
	if series == 0 && item < len(c.items) && c.items[item].color != "" {
		return c.items[item].color
	}
	return c.series[series].color
}

func (c *barChart) CreateRenderer() fyne.WidgetRenderer {
	return &barChartRenderer{c: c}
}

// chartCount shows a count, compactly when asked (columns are narrow): 12,345 → 1.2万 or 12.3k.
func chartCount(n int, compact bool) string {
	if !compact || n < 10_000 {
		return strconv.Itoa(n)
	}
	unit, _ := strconv.Atoi(i18n.T("chart.compact_unit"))
	if unit <= 0 {
		unit = 1000
	}
	x := float64(n) / float64(unit)
	text := strconv.FormatFloat(x, 'f', 1, 64)
	if x >= 100 {
		text = strconv.FormatFloat(x, 'f', 0, 64)
	}
	return i18n.T("chart.compact", "N", text)
}

// truncateText shortens s with an ellipsis to fit width at size.
func truncateText(s string, width, size float32) string {
	if fyne.MeasureText(s, size, fyne.TextStyle{}).Width <= width {
		return s
	}
	r := []rune(s)
	for len(r) > 0 {
		r = r[:len(r)-1]
		t := string(r) + "…"
		if fyne.MeasureText(t, size, fyne.TextStyle{}).Width <= width {
			return t
		}
	}
	return ""
}

type barChartRenderer struct {
	c       *barChart
	labels  []*canvas.Text
	counts  [][]*canvas.Text
	axis    *canvas.Rectangle
	legend  []fyne.CanvasObject // swatch, name, swatch, name…
	objects []fyne.CanvasObject
}

// sizes of the chart, in the theme's units.
func (r *barChartRenderer) textSize() float32 {
	return theme.SizeForWidget(theme.SizeNameText, r.c)
}

func (r *barChartRenderer) captionSize() float32 {
	return theme.SizeForWidget(theme.SizeNameCaptionText, r.c)
}

// thickness is the height of one bar of a row.
func (r *barChartRenderer) thickness() float32 {
	if len(r.c.series) > 1 {
		return r.captionSize() + 5
	}
	return r.textSize() + 8
}

func (r *barChartRenderer) rowHeight() float32 {
	n := float32(len(r.c.series))
	return n*r.thickness() + (n-1)*2
}

func (r *barChartRenderer) legendHeight() float32 {
	if len(r.c.series) < 2 {
		return 0
	}
	return fyne.MeasureText("Ag", r.captionSize(), fyne.TextStyle{}).Height + theme.Padding()
}

// rebuild makes the canvas objects match the items and series.
func (r *barChartRenderer) rebuild() {
	c := r.c
	if len(r.labels) != len(c.items) || (len(r.counts) > 0 && len(r.counts[0]) != len(c.series)) {
		r.labels = make([]*canvas.Text, len(c.items))
		r.counts = make([][]*canvas.Text, len(c.items))
		for i := range c.items {
			r.labels[i] = canvas.NewText("", nil)
			r.counts[i] = make([]*canvas.Text, len(c.series))
			for j := range c.series {
				r.counts[i][j] = canvas.NewText("", nil)
			}
		}
	}
	if r.axis == nil {
		r.axis = canvas.NewRectangle(nil)
	}
	if len(c.series) > 1 && len(r.legend) != 2*len(c.series) {
		r.legend = nil
		for range c.series {
			r.legend = append(r.legend, canvas.NewRectangle(nil), canvas.NewText("", nil))
		}
	}
	r.objects = r.objects[:0]
	if c.columns {
		r.objects = append(r.objects, r.axis)
	}
	r.objects = append(r.objects, r.legend...)
	for i := range c.items {
		r.objects = append(r.objects, r.labels[i])
		for j := range c.series {
			r.objects = append(r.objects, c.bars[i][j], r.counts[i][j])
		}
	}
}

func (r *barChartRenderer) Refresh() {
	c := r.c
	r.rebuild()
	fg := theme.ColorForWidget(theme.ColorNameForeground, c)
	ts, cs := r.textSize(), r.captionSize()
	for i, it := range c.items {
		r.labels[i].Text = it.label
		r.labels[i].Color = fg
		r.labels[i].TextSize = ts
		if c.columns {
			r.labels[i].TextSize = cs
			r.labels[i].Alignment = fyne.TextAlignCenter
		}
		for j := range c.series {
			t := r.counts[i][j]
			t.Text = strconv.Itoa(c.value(i, j))
			t.Color = fg
			t.TextSize = ts
			if len(c.series) > 1 || c.columns {
				t.TextSize = cs
			}
			if c.columns {
				t.Alignment = fyne.TextAlignCenter
			}
		}
	}
	r.axis.FillColor = theme.ColorForWidget(theme.ColorNameSeparator, c)
	for k, s := range c.series {
		if len(r.legend) < 2*(k+1) {
			break
		}
		r.legend[2*k].(*canvas.Rectangle).FillColor = theme.ColorForWidget(s.color, c)
		r.legend[2*k].(*canvas.Rectangle).CornerRadius = 2
		name := r.legend[2*k+1].(*canvas.Text)
		name.Text, name.Color, name.TextSize = s.name, fg, cs
	}
	r.Layout(c.Size())
	for _, row := range c.bars {
		for _, b := range row {
			b.Refresh()
		}
	}
	canvas.Refresh(c)
}

func (r *barChartRenderer) maxValue() int {
	m := 1
	for i := range r.c.items {
		for j := range r.c.series {
			m = max(m, r.c.value(i, j))
		}
	}
	return m
}

func (r *barChartRenderer) Layout(size fyne.Size) {
	if len(r.labels) != len(r.c.items) {
		r.rebuild()
	}
	if r.c.columns {
		r.layoutColumns(size)
	} else {
		r.layoutBars(size)
	}
}

// layoutBars: label | bars, with each bar's count right after its end.
func (r *barChartRenderer) layoutBars(size fyne.Size) {
	c := r.c
	pad := theme.Padding()
	ts := r.textSize()
	y0 := r.layoutLegend(size)
	labelW := float32(0)
	for _, it := range c.items {
		labelW = max(labelW, fyne.MeasureText(it.label, ts, fyne.TextStyle{}).Width)
	}
	labelW = min(labelW, size.Width*0.45)
	countW := float32(0)
	for i := range c.items {
		for j := range c.series {
			t := r.counts[i][j]
			countW = max(countW, fyne.MeasureText(t.Text, t.TextSize, fyne.TextStyle{}).Width)
		}
	}
	countW += pad
	barX := labelW + 2*pad
	trackW := max(0, size.Width-barX-countW)
	m := float32(r.maxValue())
	th, rh := r.thickness(), r.rowHeight()
	for i, it := range c.items {
		y := y0 + float32(i)*(rh+pad)
		l := r.labels[i]
		l.Text = truncateText(it.label, labelW, ts)
		lh := fyne.MeasureText("Ag", ts, fyne.TextStyle{}).Height
		l.Move(fyne.NewPos(0, y+(rh-lh)/2))
		l.Resize(fyne.NewSize(labelW, lh))
		for j := range c.series {
			by := y + float32(j)*(th+2)
			v := float32(c.value(i, j))
			fill := trackW * v / m
			if v > 0 {
				fill = max(fill, 2)
			}
			b := c.bars[i][j]
			b.fill, b.track = fill, trackW
			b.Move(fyne.NewPos(barX, by))
			b.Resize(fyne.NewSize(size.Width-barX, th))
			t := r.counts[i][j]
			tsz := fyne.MeasureText(t.Text, t.TextSize, fyne.TextStyle{})
			t.Move(fyne.NewPos(barX+fill+pad/2, by+(th-tsz.Height)/2))
			t.Resize(tsz)
		}
	}
}

// layoutLegend places the legend (two series or more) at the top and returns its height.
func (r *barChartRenderer) layoutLegend(size fyne.Size) float32 {
	h := r.legendHeight()
	if h == 0 {
		return 0
	}
	pad := theme.Padding()
	cs := r.captionSize()
	x := float32(0)
	sw := cs * 0.9
	for k := 0; k+1 < len(r.legend); k += 2 {
		sq := r.legend[k]
		name := r.legend[k+1].(*canvas.Text)
		ns := fyne.MeasureText(name.Text, cs, fyne.TextStyle{})
		sq.Move(fyne.NewPos(x, (ns.Height-sw)/2))
		sq.Resize(fyne.NewSize(sw, sw))
		name.Move(fyne.NewPos(x+sw+pad, 0))
		name.Resize(ns)
		x += sw + pad + ns.Width + 3*pad
	}
	return h
}

// layoutColumns: a column per item over its label, its count on top.
func (r *barChartRenderer) layoutColumns(size fyne.Size) {
	c := r.c
	n := len(c.items)
	if n == 0 {
		r.axis.Resize(fyne.NewSize(0, 0))
		return
	}
	pad := theme.Padding()
	cs := r.captionSize()
	lh := fyne.MeasureText("Ag", cs, fyne.TextStyle{}).Height
	plotTop, plotBottom := lh+pad/2, size.Height-lh-pad
	plotH := max(0, plotBottom-plotTop)
	slot := size.Width / float32(n)
	// Counts: compact when one does not fit its slot.
	compact := false
	for i := range c.items {
		if fyne.MeasureText(strconv.Itoa(c.value(i, 0)), cs, fyne.TextStyle{}).Width > slot-2 {
			compact = true
		}
	}
	// Labels: every step-th one when they do not all fit, always the last (the current one).
	labelW := float32(0)
	for _, it := range c.items {
		labelW = max(labelW, fyne.MeasureText(it.label, cs, fyne.TextStyle{}).Width)
	}
	step := 1
	for float32(step)*slot < labelW+pad && step < n {
		step++
	}
	m := float32(r.maxValue())
	for i, it := range c.items {
		x := float32(i) * slot
		v := float32(c.value(i, 0))
		fill := plotH * v / m
		if v > 0 {
			fill = max(fill, 2)
		}
		b := c.bars[i][0]
		b.fill, b.track = fill, plotH
		b.Move(fyne.NewPos(x, plotTop))
		b.Resize(fyne.NewSize(slot, plotH))
		t := r.counts[i][0]
		t.Text = chartCount(c.value(i, 0), compact)
		t.Move(fyne.NewPos(x, plotBottom-fill-lh))
		t.Resize(fyne.NewSize(slot, lh))
		l := r.labels[i]
		l.Text = ""
		if (n-1-i)%step == 0 {
			l.Text = it.label
		}
		l.Move(fyne.NewPos(x-slot, plotBottom+pad/2))
		l.Resize(fyne.NewSize(3*slot, lh)) // centred under the column, free to overhang
	}
	r.axis.Move(fyne.NewPos(0, plotBottom))
	r.axis.Resize(fyne.NewSize(size.Width, 1))
}

func (r *barChartRenderer) MinSize() fyne.Size {
	c := r.c
	pad := theme.Padding()
	if c.columns {
		cs := r.captionSize()
		lh := fyne.MeasureText("Ag", cs, fyne.TextStyle{}).Height
		return fyne.NewSize(float32(len(c.items))*20, 4*lh+80)
	}
	n := float32(len(c.items))
	h := r.legendHeight() + n*r.rowHeight() + max(0, n-1)*pad
	return fyne.NewSize(200, h)
}

func (r *barChartRenderer) Objects() []fyne.CanvasObject {
	if r.objects == nil {
		r.rebuild()
	}
	return r.objects
}

func (r *barChartRenderer) Destroy() {}

// chartBar is one bar: its track (the full length, faint), its fill and a hover shade. It is
// laid out by its chart, which sets fill and track (lengths along the bar).
type chartBar struct {
	widget.BaseWidget
	chart    *barChart
	item     int
	series   int
	vertical bool // a column: filled from the bottom
	fill     float32
	track    float32
	hovered  bool
}

var (
	_ fyne.Tappable      = (*chartBar)(nil)
	_ desktop.Hoverable  = (*chartBar)(nil)
	_ desktop.Cursorable = (*chartBar)(nil)
)

func newChartBar(c *barChart) *chartBar {
	b := &chartBar{chart: c}
	b.ExtendBaseWidget(b)
	return b
}

func (b *chartBar) count() int { return b.chart.value(b.item, b.series) }

// Tapped opens what the bar stands for (nothing for an empty bar).
func (b *chartBar) Tapped(*fyne.PointEvent) {
	if b.count() > 0 && b.chart.onTapped != nil && b.item < len(b.chart.items) {
		b.chart.onTapped(b.chart.items[b.item].key, b.series)
	}
}

func (b *chartBar) Cursor() desktop.Cursor {
	if b.count() > 0 {
		return desktop.PointerCursor
	}
	return desktop.DefaultCursor
}

func (b *chartBar) MouseIn(*desktop.MouseEvent) {
	b.hovered = b.count() > 0
	b.Refresh()
}

func (b *chartBar) MouseMoved(*desktop.MouseEvent) {}

func (b *chartBar) MouseOut() {
	b.hovered = false
	b.Refresh()
}

func (b *chartBar) CreateRenderer() fyne.WidgetRenderer {
	r := &chartBarRenderer{b: b, track: canvas.NewRectangle(nil), fill: canvas.NewRectangle(nil), shade: canvas.NewRectangle(nil)}
	r.Refresh()
	return r
}

type chartBarRenderer struct {
	b                  *chartBar
	track, fill, shade *canvas.Rectangle
}

func (r *chartBarRenderer) Layout(size fyne.Size) {
	b := r.b
	if b.vertical {
		w := min(size.Width*0.7, max(size.Width-4, 1))
		x := (size.Width - w) / 2
		r.track.Hide()
		r.fill.Move(fyne.NewPos(x, size.Height-b.fill))
		r.fill.Resize(fyne.NewSize(w, b.fill))
		r.shade.Move(fyne.NewPos(0, 0))
		r.shade.Resize(size)
		return
	}
	r.track.Show()
	r.track.Move(fyne.NewPos(0, 0))
	r.track.Resize(fyne.NewSize(b.track, size.Height))
	r.fill.Move(fyne.NewPos(0, 0))
	r.fill.Resize(fyne.NewSize(b.fill, size.Height))
	r.shade.Move(fyne.NewPos(0, 0))
	r.shade.Resize(size)
}

func (r *chartBarRenderer) MinSize() fyne.Size { return fyne.NewSize(1, 1) }

func (r *chartBarRenderer) Refresh() {
	b := r.b
	r.track.FillColor = theme.ColorForWidget(theme.ColorNameInputBackground, b)
	r.fill.FillColor = theme.ColorForWidget(b.chart.colorName(b.item, b.series), b)
	r.fill.CornerRadius, r.track.CornerRadius = 2, 2
	r.shade.FillColor = color.Transparent
	if b.hovered {
		r.shade.FillColor = theme.ColorForWidget(theme.ColorNameHover, b)
	}
	r.Layout(b.Size())
	r.track.Refresh()
	r.fill.Refresh()
	r.shade.Refresh()
}

func (r *chartBarRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.track, r.fill, r.shade}
}

func (r *chartBarRenderer) Destroy() {}
