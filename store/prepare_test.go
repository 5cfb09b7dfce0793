package store

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"carebook/crm"
)

// TestMobilePrefixDecides: whether the parser takes a Chinese mobile number in E.164 depends on
// its first five digits only, as knownMobile assumes: numbers of every prefix 13000…19999 that
// differ in the digits after it get the same verdict.
func TestMobilePrefixDecides(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	perPrefix := 3
	if testing.Short() {
		perPrefix = 2
	}
	for prefix := 13000; prefix <= 19999; prefix++ {
		var want bool
		for k := range perPrefix {
			p := fmt.Sprintf("+86%d%06d", prefix, rng.IntN(1_000_000))
			if k == 1 {
				p = fmt.Sprintf("+86%d%06d", prefix, 999_999-k)
			}
			n, err := crm.NormalizePhone(p)
			ok := err == nil && n == p
			if k == 0 {
				want = ok
			} else if ok != want {
				t.Fatalf("%s: valid %v, but another number of prefix %d: %v", p, ok, prefix, want)
			}
		}
	}
}

// TestPrepareFast: prepareFast gives the card and the errors prepare gives.
func TestPrepareFast(t *testing.T) {
	phones := []string{"+8613812345678", " +8613912345678 ", "+8613812345678", "", "  ", "+861012345678", "138 1234 5678",
		"+8612012345678", "+8617951234567", "abc", "+14155550100", "+8619912345678", "+861381234567"}
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range 600 {
		c := crm.Customer{Name: " 张三 ", Code: "C000001", Tier: crm.TierVIP, Tags: []string{" a", "a", "b"}}
		if i%7 == 0 {
			c.Name = ""
		}
		switch n := rng.IntN(14); {
		case n == 0:
			c.Phones = nil
		case n == 1:
			c.Phones = []string{}
		default:
			for range rng.IntN(13) {
				c.Phones = append(c.Phones, phones[rng.IntN(len(phones))])
			}
		}
		a, b := c, c
		a.Phones, b.Phones = append([]string(nil), c.Phones...), append([]string(nil), c.Phones...)
		if c.Phones != nil && len(c.Phones) == 0 {
			a.Phones, b.Phones = []string{}, []string{}
		}
		ea, eb := prepare(&a), prepareFast(&b)
		if !reflect.DeepEqual(a, b) || !reflect.DeepEqual(ea, eb) {
			t.Fatalf("phones %q:\nprepare     %+v %v\nprepareFast %+v %v", c.Phones, a, ea, b, eb)
		}
	}
}
