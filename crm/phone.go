package crm

import (
	"errors"
	"fmt"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// defaultRegion is the region assumed for numbers typed without a country code.
const defaultRegion = "CN"

// errNotPhone is returned (wrapped) when a text is not a valid phone number.
var errNotPhone = errors.New("not a valid phone number")

// NormalizePhone parses a phone typed by a user (default region CN: "138 1234 5678",
// "+86 138-1234-5678", "010-12345678", "+1 415 555 0100") and returns E.164
// ("+8613812345678"); error when it is not a valid number.
func NormalizePhone(s string) (string, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return "", fmt.Errorf("normalize phone %q: %w", s, errNotPhone)
	}
	n, err := phonenumbers.Parse(t, defaultRegion)
	if err != nil {
		return "", fmt.Errorf("normalize phone %q: %w", s, err)
	}
	if !phonenumbers.IsValidNumber(n) {
		return "", fmt.Errorf("normalize phone %q: %w", s, errNotPhone)
	}
	return phonenumbers.Format(n, phonenumbers.E164), nil
}

// FormatPhone shows an E.164 number for people: Chinese numbers in national form
// "138 1234 5678", others international.
func FormatPhone(e164 string) string {
	n, err := phonenumbers.Parse(e164, defaultRegion)
	if err != nil || !phonenumbers.IsValidNumber(n) {
		return e164
	}
	if phonenumbers.GetRegionCodeForNumber(n) == defaultRegion {
		return phonenumbers.Format(n, phonenumbers.NATIONAL)
	}
	return phonenumbers.Format(n, phonenumbers.INTERNATIONAL)
}
