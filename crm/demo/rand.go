package demo

import (
	"math/bits"
	"math/rand/v2"
	"strings"
)

// rng draws everything from one PCG stream. Only the PCG's Uint64 is used (its algorithm is
// fixed by its documentation); bounded draws are done here, in integers, so that the output
// does not depend on the Go release or on the machine.
type rng struct{ src *rand.PCG }

func newRNG(seed uint64) rng {
	return rng{rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)}
}

// intn returns a uniform int in [0, n), n > 0 (Lemire's multiply-and-reject).
func (r rng) intn(n int) int {
	un := uint64(n)
	hi, lo := bits.Mul64(r.src.Uint64(), un)
	if lo < un {
		thresh := -un % un
		for lo < thresh {
			hi, lo = bits.Mul64(r.src.Uint64(), un)
		}
	}
	return int(hi)
}

// between returns a uniform int in [lo, hi].
func (r rng) between(lo, hi int) int { return lo + r.intn(hi-lo+1) }

// per reports true with probability perMille/1000.
func (r rng) per(perMille int) bool { return r.intn(1000) < perMille }

// of returns a uniform element of s.
func of[T any](r rng, s []T) T { return s[r.intn(len(s))] }

// weighted picks items by integer weight.
type weighted[T any] struct {
	items []T
	cum   []int // cum[i] = weight of items[0..i]
}

func newWeighted[T any](items []T, weight func(T) int) weighted[T] {
	w := weighted[T]{cum: make([]int, 0, len(items))}
	total := 0
	for _, it := range items {
		x := weight(it)
		if x <= 0 {
			continue
		}
		total += x
		w.items = append(w.items, it)
		w.cum = append(w.cum, total)
	}
	return w
}

func (w *weighted[T]) pick(r rng) T {
	x := r.intn(w.cum[len(w.cum)-1])
	lo, hi := 0, len(w.cum)-1
	for lo < hi { // first i with cum[i] > x
		m := (lo + hi) / 2
		if w.cum[m] > x {
			hi = m
		} else {
			lo = m + 1
		}
	}
	return w.items[lo]
}

type wstr struct {
	s string
	w int
}

type wint struct {
	v uint64
	w int
}

// split cuts a pool literal on '|' when it has one, else on white space.
func split(s string) []string {
	if strings.Contains(s, "|") {
		return strings.Split(s, "|")
	}
	return strings.Fields(s)
}
