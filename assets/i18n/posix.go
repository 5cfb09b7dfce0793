package i18n

import (
	"os"
	"strings"
)

// Fyne's lang package reads the system locale in its init and logs an error for the POSIX
// locales "C" and "POSIX", which are not language tags. This init runs first (carebook/… sorts
// before fyne.io/… in Go's package initialisation order and needs only the standard library), and
// spells those locales as the English they mean, so `LANG=C carebook …` starts quietly.
func init() {
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := os.Getenv(k)
		if v == "" {
			continue
		}
		base := strings.SplitN(v, ".", 2)[0]
		if base == "C" || base == "POSIX" {
			os.Setenv(k, "en_US.UTF-8")
		}
		return // the first one set is the one that counts
	}
}
