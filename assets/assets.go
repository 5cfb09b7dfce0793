// Package assets embeds Carebook's icon and the CJK font shipped for machines without one.
package assets

import _ "embed"

// Icon is the application icon (PNG, 512×512).
//
//go:embed icon.png
var Icon []byte

// CJKFont is Droid Sans Fallback (Apache 2.0): Latin and Chinese glyphs, so Chinese renders on a
// machine without any CJK system font.
//
//go:embed fonts/DroidSansFallbackFull.ttf
var CJKFont []byte

// CNWorkdays is the official arrangement of public holidays and make-up working days of
// mainland China (a copy of the shared data file cn-workdays.json): the default working-day
// calendar of complaint deadlines (crm.ParseWorkCalendar).
//
//go:embed data/cn-workdays.json
var CNWorkdays []byte
