//go:build unix

package main

import (
	"os"
	"syscall"
)

// peakRSS returns the peak resident set size of a finished child process in MB (0 when the
// system does not say).
func peakRSS(ps *os.ProcessState) float64 {
	u, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0
	}
	if isDarwin {
		return float64(u.Maxrss) / (1 << 20) // bytes
	}
	return float64(u.Maxrss) / 1024 // KiB
}
