//go:build ignore

// Icongen draws Carebook's app icon — a white open book (the customer notebook) with a warm heart
// (care) rising from its spine, on a teal rounded square — and writes it as a PNG. The drawing is
// vector paths in a 1024×1024 design grid, rasterised with golang.org/x/image/vector (exact-area
// anti-aliasing) at the size asked for, so the same command always writes the same file:
//
//	go run assets/icongen/main.go                       # writes assets/icon.png, 512×512
//	go run assets/icongen/main.go -size 32 -o /tmp/i.png # a preview at another size
package main

import (
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"os"

	"golang.org/x/image/vector"
)

// Colours: the app's primary teal (#0f766e, ui/theme.go) at the bottom of the tile, a lighter teal
// at its top; white pages over a pale teal cover; a coral heart.
var (
	tileTop    = color.NRGBA{0x14, 0x9a, 0x8e, 0xff}
	tileBottom = color.NRGBA{0x0f, 0x76, 0x6e, 0xff}
	cover      = color.NRGBA{0x99, 0xf6, 0xe4, 0xff}
	page       = color.NRGBA{0xff, 0xff, 0xff, 0xff}
	pageShade  = color.NRGBA{0xe6, 0xf4, 0xf1, 0xff}
	heart      = color.NRGBA{0xfb, 0x71, 0x5e, 0xff}
)

// design is the size of the grid every coordinate below is given in.
const design = 1024

func main() {
	size := flag.Int("size", 512, "width and height of the icon in pixels")
	out := flag.String("o", "assets/icon.png", "PNG file to write")
	flag.Parse()
	if *size < 16 || *size > 4096 {
		fmt.Fprintln(os.Stderr, "icongen: -size must be between 16 and 4096")
		os.Exit(2)
	}
	img := render(*size)
	f, err := os.Create(*out)
	if err != nil {
		fmt.Fprintln(os.Stderr, "icongen:", err)
		os.Exit(1)
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		fmt.Fprintln(os.Stderr, "icongen: encode:", err)
		os.Exit(1)
	}
	if err := f.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "icongen:", err)
		os.Exit(1)
	}
	fmt.Printf("icongen: wrote %s (%d×%d)\n", *out, *size, *size)
}

// pen draws paths given in design coordinates onto an image of another size.
type pen struct {
	dst   *image.NRGBA
	scale float32
	r     *vector.Rasterizer
}

func newPen(dst *image.NRGBA) *pen {
	n := dst.Bounds().Dx()
	return &pen{dst: dst, scale: float32(n) / design, r: vector.NewRasterizer(n, n)}
}

func (p *pen) moveTo(x, y float32) { p.r.MoveTo(x*p.scale, y*p.scale) }
func (p *pen) lineTo(x, y float32) { p.r.LineTo(x*p.scale, y*p.scale) }
func (p *pen) cubeTo(x1, y1, x2, y2, x3, y3 float32) {
	s := p.scale
	p.r.CubeTo(x1*s, y1*s, x2*s, y2*s, x3*s, y3*s)
}

// fill paints the path drawn since the last fill with src (a colour or an image the size of dst),
// then starts a new path.
func (p *pen) fill(src image.Image) {
	p.r.ClosePath()
	p.r.Draw(p.dst, p.dst.Bounds(), src, image.Point{})
	n := p.dst.Bounds().Dx()
	p.r.Reset(n, n)
}

func render(n int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, n, n))
	p := newPen(img)
	bg := gradient(n)

	// The tile: a rounded square with a small margin, like the platforms' own app icons.
	roundedRect(p, 48, 48, 976, 976, 210)
	p.fill(bg)

	// The cover, showing as a pale rim under and beside the pages and through the spine.
	for _, side := range []float32{-1, 1} {
		m := mirror(side)
		p.moveTo(m(512), 468)
		p.lineTo(m(512), 842)
		p.cubeTo(m(440), 800, m(320), 784, m(158), 800)
		p.lineTo(m(158), 420)
		p.cubeTo(m(300), 404, m(430), 420, m(512), 468)
		p.fill(image.NewUniform(cover))
	}

	// The pages: each lifts away from the spine and lies flat towards its outer edge.
	for _, side := range []float32{-1, 1} {
		m := mirror(side)
		fillColour := page
		if side > 0 {
			fillColour = pageShade
		}
		p.moveTo(m(498), 436)
		p.cubeTo(m(440), 384, m(320), 362, m(190), 378)
		p.lineTo(m(190), 762)
		p.cubeTo(m(320), 746, m(440), 764, m(498), 806)
		p.lineTo(m(498), 436)
		p.fill(image.NewUniform(fillColour))
	}

	// The heart, with the tile's colour around it so it stands clear of the pages it overlaps.
	heartPath(p, 512, 312, 17.2)
	p.fill(bg)
	heartPath(p, 512, 312, 15)
	p.fill(image.NewUniform(heart))
	return img
}

// mirror returns a function placing a left-half x coordinate on the given side (-1 left, 1 right).
func mirror(side float32) func(float32) float32 {
	return func(x float32) float32 {
		if side < 0 {
			return x
		}
		return design - x
	}
}

// roundedRect adds a rectangle with corners of radius r (circular arcs drawn as cubic curves).
func roundedRect(p *pen, x0, y0, x1, y1, r float32) {
	const k = 0.5523 // cubic control distance for a quarter circle
	p.moveTo(x0+r, y0)
	p.lineTo(x1-r, y0)
	p.cubeTo(x1-r+k*r, y0, x1, y0+r-k*r, x1, y0+r)
	p.lineTo(x1, y1-r)
	p.cubeTo(x1, y1-r+k*r, x1-r+k*r, y1, x1-r, y1)
	p.lineTo(x0+r, y1)
	p.cubeTo(x0+r-k*r, y1, x0, y1-r+k*r, x0, y1-r)
	p.lineTo(x0, y0+r)
	p.cubeTo(x0, y0+r-k*r, x0+r-k*r, y0, x0+r, y0)
}

// heartPath adds a heart whose centre (the middle of its 24-unit box) is at (cx, cy), s design
// units per box unit. The outline is the familiar 24×24 "favourite" heart.
func heartPath(p *pen, cx, cy, s float32) {
	pt := func(x, y float32) (float32, float32) { return cx + (x-12)*s, cy + (y-12.2)*s }
	move := func(x, y float32) { p.moveTo(pt(x, y)) }
	line := func(x, y float32) { p.lineTo(pt(x, y)) }
	cube := func(x1, y1, x2, y2, x3, y3 float32) {
		ax, ay := pt(x1, y1)
		bx, by := pt(x2, y2)
		cx, cy := pt(x3, y3)
		p.cubeTo(ax, ay, bx, by, cx, cy)
	}
	move(12, 21.35)
	line(10.55, 20.03)
	cube(5.4, 15.36, 2, 12.28, 2, 8.5)
	cube(2, 5.42, 4.42, 3, 7.5, 3)
	cube(9.24, 3, 10.91, 3.81, 12, 5.09)
	cube(13.09, 3.81, 14.76, 3, 16.5, 3)
	cube(19.58, 3, 22, 5.42, 22, 8.5)
	cube(22, 12.28, 18.6, 15.36, 13.45, 20.04)
	line(12, 21.35)
}

// gradient is an n×n image going from tileTop at the top to tileBottom at the bottom.
func gradient(n int) *image.NRGBA {
	g := image.NewNRGBA(image.Rect(0, 0, n, n))
	for y := 0; y < n; y++ {
		t := (float64(y) + 0.5) / float64(n)
		c := color.NRGBA{
			R: mix(tileTop.R, tileBottom.R, t),
			G: mix(tileTop.G, tileBottom.G, t),
			B: mix(tileTop.B, tileBottom.B, t),
			A: 0xff,
		}
		draw.Draw(g, image.Rect(0, y, n, y+1), image.NewUniform(c), image.Point{}, draw.Src)
	}
	return g
}

func mix(a, b uint8, t float64) uint8 {
	return uint8(float64(a)*(1-t) + float64(b)*t + 0.5)
}
