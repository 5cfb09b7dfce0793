package store

import (
	"slices"
	"strings"
	"sync/atomic"

	"carebook/crm"
)

// mobilePrefixes caches, for each five-digit prefix 1abcd (a ≥ 3) of an 11-digit Chinese mobile
// number, whether crm.NormalizePhone accepts the number in E.164 ("+861abcd……") and leaves it as
// it is: 0 not known yet, 1 yes, 2 no. The numbering plan decides on the first five digits at
// most (TestMobilePrefixDecides checks it against the parser), and parsing a number costs some
// 20 µs — as much as writing the whole card, and a bulk write parses each phone twice
// (NormalizeCustomer, ValidateCustomer).
var mobilePrefixes [10000]atomic.Uint32

// knownMobile reports whether p is a Chinese mobile number in E.164 that crm.NormalizePhone
// accepts and leaves as it is.
func knownMobile(p string) bool {
	if len(p) != 14 || p[:4] != "+861" || p[4] < '3' || p[4] == '7' && p[5] == '9' {
		return false // 179…: carrier prefixes (17951…), which the parser may strip
	}
	for i := 5; i < len(p); i++ {
		if p[i] < '0' || p[i] > '9' {
			return false
		}
	}
	slot := &mobilePrefixes[int(p[4]-'0')*1000+int(p[5]-'0')*100+int(p[6]-'0')*10+int(p[7]-'0')]
	switch slot.Load() {
	case 1:
		return true
	case 2:
		return false
	}
	n, err := crm.NormalizePhone(p)
	ok := err == nil && n == p
	if ok {
		slot.Store(1)
	} else {
		slot.Store(2)
	}
	return ok
}

// prepareFast is prepare for the bulk writes (imports, InsertCustomers): the same card and the
// same errors, without parsing the phones again when they are all Chinese mobile numbers in
// E.164 — as the importer and the demo generator give them.
func prepareFast(c *crm.Customer) crm.Errors {
	if len(c.Phones) > crm.MaxPhones {
		return prepare(c)
	}
	// NormalizeCustomer's phones: trimmed, without empty ones and duplicates; each is already
	// its own normal form and valid, so that ValidateCustomer has nothing to say about them.
	phones := c.Phones[:0:0]
	for _, p := range c.Phones {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if !knownMobile(p) {
			return prepare(c)
		}
		if !slices.Contains(phones, p) {
			phones = append(phones, p)
		}
	}
	c.Phones = nil
	crm.NormalizeCustomer(c)
	es := crm.ValidateCustomer(c)
	c.Phones = phones
	return es
}
