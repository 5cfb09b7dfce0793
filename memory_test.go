package main

import (
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

// startUpMemory holds the start limit until end is called, until its time is up, or until the
// live heap passes 90% of the limit (a book too big for it), and then sets the usual limit.
func TestStartUpMemory(t *testing.T) {
	orig := debug.SetMemoryLimit(-1)
	defer debug.SetMemoryLimit(orig)
	const start, after = 1 << 40, 2 << 40 // far above the test's heap
	limit := func() int64 { return debug.SetMemoryLimit(-1) }
	waitFor := func(want int64) bool {
		for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
			if limit() == want {
				return true
			}
		}
		return false
	}

	end := startUpMemory(start, after, time.Hour)
	if limit() != start {
		t.Fatalf("limit %d at the start, want %d", limit(), start)
	}
	time.Sleep(200 * time.Millisecond)
	if limit() != start {
		t.Fatalf("limit %d before the end, want %d", limit(), start)
	}
	end()
	end()
	if limit() != after {
		t.Fatalf("limit %d after end, want %d", limit(), after)
	}

	// Its time up.
	startUpMemory(start, after, 100*time.Millisecond)
	if !waitFor(after) {
		t.Fatalf("limit %d after the start's time, want %d", limit(), after)
	}

	// A live heap past 90% of the start limit: 64 MB live under a 64 MB limit.
	const small = 64 << 20
	end = startUpMemory(small, after, time.Hour)
	defer end()
	held := make([]byte, small)
	for i := range held {
		held[i] = byte(i)
	}
	runtime.GC()
	if !waitFor(after) {
		t.Fatalf("limit %d with %d MB live, want %d", limit(), len(held)>>20, after)
	}
	runtime.KeepAlive(held)
}
