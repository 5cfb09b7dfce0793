package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"carebook/assets"
)

// cjkFont is the shipped font that carries Chinese glyphs, so that Chinese never shows as boxes
// on a machine without a CJK system font.
var cjkFont = fyne.NewStaticResource("DroidSansFallbackFull.ttf", assets.CJKFont)

// AppIcon is Carebook's icon, for the window and the app.
var AppIcon = fyne.NewStaticResource("carebook.png", assets.Icon)

// careTheme is Fyne's default theme (light or dark, following the system) with Carebook's teal
// as primary colour and a font that covers Chinese.
type careTheme struct {
	fyne.Theme
	variant *fyne.ThemeVariant // nil: follow the system (screenshots fix it)
}

func newTheme() fyne.Theme { return careTheme{Theme: theme.DefaultTheme()} }

// fixedTheme is careTheme always in variant v, for screenshots in light and dark.
func fixedTheme(v fyne.ThemeVariant) fyne.Theme {
	return careTheme{Theme: theme.DefaultTheme(), variant: &v}
}

var (
	tealLight = color.NRGBA{R: 0x0f, G: 0x76, B: 0x6e, A: 0xff}
	tealDark  = color.NRGBA{R: 0x2d, G: 0xd4, B: 0xbf, A: 0xff}
)

func (t careTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if t.variant != nil {
		v = *t.variant
	}
	switch n {
	case theme.ColorNamePrimary, theme.ColorNameHyperlink:
		if v == theme.VariantDark {
			return tealDark
		}
		return tealLight
	case theme.ColorNameFocus:
		if v == theme.VariantDark {
			return color.NRGBA{R: 0x2d, G: 0xd4, B: 0xbf, A: 0x7f}
		}
		return color.NRGBA{R: 0x0f, G: 0x76, B: 0x6e, A: 0x7f}
	case theme.ColorNameSelection:
		if v == theme.VariantDark {
			return color.NRGBA{R: 0x2d, G: 0xd4, B: 0xbf, A: 0x40}
		}
		return color.NRGBA{R: 0x0f, G: 0x76, B: 0x6e, A: 0x30}
	}
	return t.Theme.Color(n, v)
}

func (t careTheme) Font(s fyne.TextStyle) fyne.Resource {
	if s.Monospace || s.Symbol {
		return t.Theme.Font(s)
	}
	return cjkFont
}
