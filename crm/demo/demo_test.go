package demo

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"carebook/crm"
)

var today = crm.MustDate("2026-03-15")

var (
	bookOnce sync.Once
	book100k []crm.Customer
)

// book returns 100,000 cards of seed 1, generated once for all tests.
func book(t testing.TB) []crm.Customer {
	t.Helper()
	bookOnce.Do(func() {
		book100k = Customers(Options{Customers: 100_000, Seed: 1, Today: today})
	})
	return book100k
}

func TestDeterministic(t *testing.T) {
	o := Options{Customers: 3000, Seed: 7, Today: today}
	a, b := Customers(o), Customers(o)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("same options gave different cards")
	}
	o.Seed = 8
	c := Customers(o)
	same := 0
	for i := range a {
		if a[i].Name == c[i].Name && a[i].Phones[0] == c[i].Phones[0] {
			same++
		}
	}
	if same != 0 {
		t.Errorf("seeds 7 and 8 share %d cards", same)
	}
	// A longer book starts with the shorter one.
	o.Seed, o.Customers = 7, 1000
	if d := Customers(o); !reflect.DeepEqual(d, a[:1000]) {
		t.Error("the first 1000 of 3000 cards differ from a book of 1000")
	}
}

// TestFingerprint pins the output, so that a change of Go release, machine or time zone (run
// it with TZ=UTC and TZ=America/Los_Angeles) cannot silently change the demo book. When you
// change the pools or the generator on purpose, update want.
func TestFingerprint(t *testing.T) {
	h := sha256.New()
	for _, c := range Customers(Options{Customers: 2000, Seed: 42, Today: today}) {
		// The fields the generator sets, by name, so that a new field of crm.Customer does not
		// change the fingerprint.
		fmt.Fprintf(h, "%s|%s|%s|%s|%q|%s|%s|%s|%s|%s|%s|", c.Code, c.Name, c.Remark, c.Gender,
			c.Phones, c.WeChat, c.Email, c.Address, c.Company, c.Title, c.Source)
		if b := c.Birthday; b != nil {
			fmt.Fprintf(h, "%s %d-%d-%d %v|", b.Calendar, b.Year, b.Month, b.Day, b.Leap)
		}
		for _, k := range c.Dates {
			fmt.Fprintf(h, "%s %s %d-%d-%d %v|", k.Label, k.Calendar, k.Year, k.Month, k.Day, k.Leap)
		}
		fmt.Fprintf(h, "%s|%s|%s|%s|%s|%q|%s|%v|%d%d%d|%s\n", c.Needs, c.LatentNeeds, c.Preferences,
			c.Interests, c.Notes, c.Tags, c.Tier, c.DoNotDisturb, c.Knowing, c.Closeness, c.Loyalty, c.Created)
	}
	got := hex.EncodeToString(h.Sum(nil)[:8])
	const want = "133c66506698cbf2"
	if got != want {
		t.Errorf("fingerprint = %s, want %s (TZ=%s)", got, want, time.Local)
	}
}

func TestCount(t *testing.T) {
	for _, n := range []int{-1, 0, 1, 7, 1234} {
		cs := Customers(Options{Customers: n, Seed: 1, Today: today})
		if want := max(n, 0); len(cs) != want {
			t.Errorf("Customers(%d): %d cards", n, len(cs))
		}
	}
	if got := code(1); got != "C000001" {
		t.Errorf("code(1) = %q", got)
	}
	if got := code(1234567); got != "C1234567" {
		t.Errorf("code(1234567) = %q", got)
	}
}

func TestTodayRequired(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic without Today")
		}
	}()
	Customers(Options{Customers: 1})
}

func TestCodes(t *testing.T) {
	cs := book(t)
	for i, c := range cs {
		if want := code(i + 1); c.Code != want {
			t.Fatalf("card %d: code %q, want %q", i, c.Code, want)
		}
	}
	if cs[99_999].Code != "C100000" {
		t.Errorf("last code %q", cs[99_999].Code)
	}
}

var mobileRE = regexp.MustCompile(`^\+861(3\d|5[0-35-9]|66|7[0135-8]|8\d|9[135-9])\d{8}$`)

func TestPhones(t *testing.T) {
	t.Parallel()
	cs := book(t)
	seen := make(map[string]int, len(cs)*2)
	landlines := 0
	for i, c := range cs {
		if len(c.Phones) < 1 || len(c.Phones) > 2 {
			t.Fatalf("%s: %d phones", c.Code, len(c.Phones))
		}
		for _, p := range c.Phones {
			if j, dup := seen[p]; dup {
				t.Fatalf("phone %s on %s and %s", p, cs[j].Code, c.Code)
			}
			seen[p] = i
			if !mobileRE.MatchString(p) {
				landlines++
				if !strings.HasPrefix(p, "+86") || len(p) < 13 || len(p) > 14 || p[3] == '1' && len(p) == 14 {
					t.Fatalf("%s: odd phone %s", c.Code, p)
				}
			}
		}
		if !mobileRE.MatchString(c.Phones[0]) {
			t.Fatalf("%s: first phone %s is not a mobile", c.Code, c.Phones[0])
		}
		// TestValid round-trips every phone of the first 20,000 cards; here every landline
		// (the kind whose rules vary by city) and the phones of the first 2,000 cards.
		for j, p := range c.Phones {
			if i >= 2000 && (j == 0 || mobileRE.MatchString(p)) {
				continue
			}
			n, err := crm.NormalizePhone(p)
			if err != nil || n != p {
				t.Fatalf("%s: NormalizePhone(%s) = %q, %v", c.Code, p, n, err)
			}
		}
	}
	if landlines < 1000 {
		t.Errorf("only %d landlines in 100k", landlines)
	}
}

// clone copies a card deeply enough for NormalizeCustomer not to touch the original.
func clone(c crm.Customer) crm.Customer {
	c.Phones = slices.Clone(c.Phones)
	c.Tags = slices.Clone(c.Tags)
	c.Dates = slices.Clone(c.Dates)
	if c.Birthday != nil {
		b := *c.Birthday
		c.Birthday = &b
	}
	return c
}

func TestValid(t *testing.T) {
	t.Parallel()
	cs := book(t)[:20_000]
	for _, c := range cs {
		n := clone(c)
		crm.NormalizeCustomer(&n)
		if es := crm.ValidateCustomer(&n); es != nil {
			t.Fatalf("%s %s: %v", c.Code, c.Name, es)
		}
		if !reflect.DeepEqual(n, c) {
			t.Fatalf("%s: NormalizeCustomer changed the card:\n%+v\n%+v", c.Code, c, n)
		}
	}
}

var wechatRE = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9_-]{5,19}$`)
var emailRE = regexp.MustCompile(`^[a-z0-9.]+@(qq|163|126)\.com$`)

func TestText(t *testing.T) {
	for _, c := range book(t) {
		n := utf8.RuneCountInString(c.Name)
		if n < 2 || n > 4 {
			t.Fatalf("%s: name %q", c.Code, c.Name)
		}
		for _, r := range c.Name {
			if !unicode.Is(unicode.Han, r) {
				t.Fatalf("%s: name %q", c.Code, c.Name)
			}
		}
		if c.WeChat != "" && !wechatRE.MatchString(c.WeChat) {
			t.Fatalf("%s: WeChat %q", c.Code, c.WeChat)
		}
		if c.Email != "" && !emailRE.MatchString(c.Email) {
			t.Fatalf("%s: email %q", c.Code, c.Email)
		}
		if (c.Company == "") != (c.Title == "") {
			t.Fatalf("%s: company %q, title %q", c.Code, c.Company, c.Title)
		}
		if len(c.Tags) > 3 {
			t.Fatalf("%s: tags %v", c.Code, c.Tags)
		}
		if c.Knowing < 0 || c.Knowing > 5 || c.Closeness < 0 || c.Closeness > 5 || c.Loyalty < 0 || c.Loyalty > 5 {
			t.Fatalf("%s: intimacy %d %d %d", c.Code, c.Knowing, c.Closeness, c.Loyalty)
		}
	}
}

func TestDates(t *testing.T) {
	y, m, d := today.YMD()
	earliest := crm.NewDate(y-3, m, d)
	var lunar, leap, lunar30, feb29 int
	for _, c := range book(t) {
		if c.Created > today || c.Created < earliest {
			t.Fatalf("%s: created %v", c.Code, c.Created)
		}
		if b := c.Birthday; b != nil {
			if b.Label != "" {
				t.Fatalf("%s: birthday label %q", c.Code, b.Label)
			}
			if b.Year > y-16 {
				t.Fatalf("%s: born in %d", c.Code, b.Year)
			}
			if fe := b.Validate("birthday"); fe != nil {
				t.Fatalf("%s: %v", c.Code, fe)
			}
			if b.Calendar == crm.Lunar {
				lunar++
				if b.Leap {
					leap++
					if crm.LeapMonthOf(b.Year) != b.Month {
						t.Fatalf("%s: leap birthday %+v", c.Code, *b)
					}
				}
				if b.Day == 30 && b.Year != 0 {
					lunar30++
				}
			} else if b.Month == 2 && b.Day == 29 {
				feb29++
				if b.Year == 0 || crm.DaysInSolarMonth(b.Year, time.February) != 29 {
					t.Fatalf("%s: Feb 29 in %d", c.Code, b.Year)
				}
			}
		}
		labels := map[string]bool{}
		for _, k := range c.Dates {
			if k.Label == "" || labels[k.Label] {
				t.Fatalf("%s: dates %+v", c.Code, c.Dates)
			}
			labels[k.Label] = true
			if k.Year >= y {
				t.Fatalf("%s: %s in %d", c.Code, k.Label, k.Year)
			}
		}
	}
	t.Logf("100k: %d lunar birthdays, %d in a leap month, %d on a lunar 30th with a year, %d on Feb 29",
		lunar, leap, lunar30, feb29)
	if lunar == 0 || leap == 0 || lunar30 == 0 || feb29 == 0 {
		t.Error("a kind of birthday is missing")
	}
}

// share returns the percentage of cards for which f holds.
func share(cs []crm.Customer, f func(*crm.Customer) bool) float64 {
	n := 0
	for i := range cs {
		if f(&cs[i]) {
			n++
		}
	}
	return 100 * float64(n) / float64(len(cs))
}

func TestDistribution(t *testing.T) {
	cs := book(t)[:20_000]
	check := func(what string, got, want, tol float64) {
		t.Helper()
		if got < want-tol || got > want+tol {
			t.Errorf("%s: %.1f%%, want %.0f±%.0f", what, got, want, tol)
		} else {
			t.Logf("%s: %.1f%%", what, got)
		}
	}
	for _, tc := range []struct {
		tier crm.Tier
		want float64
	}{{crm.TierVIP, 5}, {crm.TierMajor, 15}, {crm.TierOrdinary, 60}, {crm.TierSmall, 20}} {
		check("tier "+string(tc.tier), share(cs, func(c *crm.Customer) bool { return c.Tier == tc.tier }), tc.want, 3)
	}
	check("male", share(cs, func(c *crm.Customer) bool { return c.Gender == crm.GenderMale }), 45, 3)
	check("female", share(cs, func(c *crm.Customer) bool { return c.Gender == crm.GenderFemale }), 50, 3)
	check("gender unknown", share(cs, func(c *crm.Customer) bool { return c.Gender == crm.GenderUnknown }), 5, 2)
	check("remark", share(cs, func(c *crm.Customer) bool { return c.Remark != "" }), 20, 3)
	check("second phone", share(cs, func(c *crm.Customer) bool { return len(c.Phones) == 2 }), 15, 3)
	check("wechat", share(cs, func(c *crm.Customer) bool { return c.WeChat != "" }), 40, 5)
	check("email", share(cs, func(c *crm.Customer) bool { return c.Email != "" }), 15, 3)
	check("company", share(cs, func(c *crm.Customer) bool { return c.Company != "" }), 15, 3)
	check("birthday", share(cs, func(c *crm.Customer) bool { return c.Birthday != nil }), 75, 3)
	check("other dates", share(cs, func(c *crm.Customer) bool { return len(c.Dates) > 0 }), 15, 3)
	check("do not disturb", share(cs, func(c *crm.Customer) bool { return c.DoNotDisturb }), 3, 1.5)
	bd := slices.DeleteFunc(slices.Clone(cs), func(c crm.Customer) bool { return c.Birthday == nil })
	check("lunar birthdays", share(bd, func(c *crm.Customer) bool { return c.Birthday.Calendar == crm.Lunar }), 35, 5)
	check("birthday year known", share(bd, func(c *crm.Customer) bool { return c.Birthday.Year != 0 }), 70, 3)

	// Intimacy follows the tier.
	var sum, n [4]int
	for _, c := range cs {
		if c.Knowing > 0 {
			r := c.Tier.Rank()
			sum[r] += c.Knowing + c.Closeness + c.Loyalty
			n[r]++
		}
	}
	prev := 16.0
	for r := range 4 {
		mean := float64(sum[r]) / float64(n[r])
		if mean >= prev {
			t.Errorf("intimacy of %s (%.2f) not below the tier above (%.2f)", crm.Tiers[r], mean, prev)
		}
		prev = mean
	}

	// Every source, a compound and a polyphonic surname show up.
	srcs := map[string]bool{}
	var compound, poly bool
	for _, c := range book(t) {
		srcs[c.Source] = true
		compound = compound || strings.HasPrefix(c.Name, "欧阳")
		poly = poly || strings.HasPrefix(c.Name, "曾") || strings.HasPrefix(c.Name, "单")
	}
	for _, s := range sources {
		if !srcs[s.s] {
			t.Errorf("source %q never used", s.s)
		}
	}
	if !compound || !poly {
		t.Errorf("compound surname %v, polyphonic surname %v", compound, poly)
	}
}

func BenchmarkCustomers100k(b *testing.B) {
	for b.Loop() {
		Customers(Options{Customers: 100_000, Seed: 1, Today: today})
	}
}
