package assets

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// The embedded icon is the one icongen draws: running the generator again writes the same bytes
// (edit assets/icongen/main.go and run it, never the PNG by hand).
func TestIconIsGenerated(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the generator")
	}
	out := filepath.Join(t.TempDir(), "icon.png")
	cmd := exec.Command("go", "run", "./icongen/main.go", "-o", out)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("icongen: %v\n%s", err, msg)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, Icon) {
		t.Fatal("assets/icon.png differs from what assets/icongen draws: run go run assets/icongen/main.go")
	}
}

// The icon is a 512 px square tile with transparent rounded corners, teal around a white book
// and a coral heart, as the design says.
func TestIconDesign(t *testing.T) {
	img, err := png.Decode(bytes.NewReader(Icon))
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 512 || b.Dy() != 512 {
		t.Fatalf("icon is %v, want 512×512", b)
	}
	at := func(x, y int) color.NRGBA { return color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA) }
	near := func(c color.NRGBA, r, g, b uint8) bool {
		d := func(a, b uint8) int {
			if a > b {
				return int(a - b)
			}
			return int(b - a)
		}
		return c.A == 0xff && d(c.R, r) <= 24 && d(c.G, g) <= 24 && d(c.B, b) <= 24
	}
	for _, tc := range []struct {
		name    string
		x, y    int
		r, g, b uint8
		clear   bool
	}{
		{name: "top-left corner", x: 2, y: 2, clear: true},
		{name: "bottom-right corner", x: 509, y: 509, clear: true},
		{name: "corner inside the margin", x: 30, y: 30, clear: true},
		{name: "tile top", x: 256, y: 40, r: 0x14, g: 0x9a, b: 0x8e},
		{name: "tile bottom", x: 256, y: 470, r: 0x0f, g: 0x76, b: 0x6e},
		{name: "tile left", x: 40, y: 256, r: 0x12, g: 0x88, b: 0x7e},
		{name: "left page", x: 170, y: 280, r: 0xff, g: 0xff, b: 0xff},
		{name: "right page", x: 340, y: 280, r: 0xe6, g: 0xf4, b: 0xf1},
		{name: "heart", x: 220, y: 130, r: 0xfb, g: 0x71, b: 0x5e},
		{name: "heart", x: 256, y: 190, r: 0xfb, g: 0x71, b: 0x5e},
		{name: "cover below the pages", x: 256, y: 412, r: 0x99, g: 0xf6, b: 0xe4},
	} {
		c := at(tc.x, tc.y)
		if tc.clear {
			if c.A != 0 {
				t.Errorf("%s (%d,%d) = %v, want transparent", tc.name, tc.x, tc.y, c)
			}
			continue
		}
		if !near(c, tc.r, tc.g, tc.b) {
			t.Errorf("%s (%d,%d) = %v, want about #%02x%02x%02x", tc.name, tc.x, tc.y, c, tc.r, tc.g, tc.b)
		}
	}

	// At 32 px (a taskbar) the mark still stands out: the book's middle is light, the tile dark.
	small := image.NewGray(image.Rect(0, 0, 32, 32))
	for y := 0; y < 32; y++ {
		for x := 0; x < 32; x++ {
			var sum, n int
			for yy := y * 16; yy < y*16+16; yy++ {
				for xx := x * 16; xx < x*16+16; xx++ {
					sum += int(color.GrayModel.Convert(img.At(xx, yy)).(color.Gray).Y)
					n++
				}
			}
			small.SetGray(x, y, color.Gray{Y: uint8(sum / n)})
		}
	}
	if page, tile := small.GrayAt(10, 17).Y, small.GrayAt(3, 28).Y; int(page)-int(tile) < 100 {
		t.Errorf("at 32 px the page (%d) is not much lighter than the tile (%d)", page, tile)
	}
}
