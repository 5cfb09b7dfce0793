package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"carebook/assets/i18n"
)

// demoChildEnv makes the test binary run `carebook demo` with the arguments in it (one per line).
const demoChildEnv = "CAREBOOK_DEMO_CHILD"

// TestDemoStopsOnInterrupt: PRODUCT.md §6, long work can be cancelled. Ctrl+C during `carebook
// demo` stops it between two batches, says so, and removes the unfinished book, so that the same
// command can be run again (it refuses a book that exists).
func TestDemoStopsOnInterrupt(t *testing.T) {
	if args := os.Getenv(demoChildEnv); args != "" {
		i18n.Set(i18n.English)
		if err := run(strings.Split(args, "\n"), os.Stdout, os.Stderr); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	if runtime.GOOS == "windows" {
		t.Skip("SIGINT: not on Windows")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "demo.db")
	cmd := exec.Command(exe, "-test.run=^TestDemoStopsOnInterrupt$")
	cmd.Env = append(os.Environ(), demoChildEnv+"=demo\n--db\n"+db+"\n--customers\n5000\n--today\n2026-11-22")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Ctrl+C once it has begun writing (the customers, or a batch of their history).
	lines := bufio.NewScanner(out)
	begun := false
	for lines.Scan() {
		if !begun && strings.HasPrefix(lines.Text(), "Generating") {
			begun = true
			if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
				t.Fatal(err)
			}
		}
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err = <-done:
	case <-time.After(60 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatal("demo did not stop within a minute of Ctrl+C")
	}
	if !begun {
		t.Fatalf("demo never began: %v\n%s", err, stderr.String())
	}
	if err == nil {
		t.Fatal("demo ended successfully after Ctrl+C")
	}
	if !strings.Contains(stderr.String(), "Stopped. The unfinished demo book") {
		t.Errorf("no stopped message: %q", stderr.String())
	}
	for _, p := range []string{db, db + "-wal", db + "-shm", db + ".lock"} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s is left after Ctrl+C (%v)", filepath.Base(p), err)
		}
	}
	// The same command runs again.
	var again bytes.Buffer
	if err := run([]string{"demo", "--db", db, "--customers", "20", "--today", "2026-11-22"}, &again, &again); err != nil {
		t.Fatalf("demo again: %v\n%s", err, again.String())
	}
}
