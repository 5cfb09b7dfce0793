// Command benchreport prints the figures of PRODUCT.md §8 measured as whole processes, each
// next to its goal, on the benchmark books of 10,000 and 100,000 customers (10 purchases and 20
// records a customer; store/benchbook), so that their growth shows: `carebook today`, search as
// you type, opening a card, the export against a bare excelize StreamWriter and the import
// against a bare excelize Rows() read, side by side, and the peak RSS of every process
// (rusage). `make bench` runs it after the go benchmarks; it builds the books and workbooks it
// needs when missing (minutes for 100,000 customers) and reuses them after.
//
// Search and card run in a child process of this program (-child search|card) that opens the
// book as the GUI does and makes the store calls of each keystroke or card; the bare export and
// the bare read are children too (-child bare-export|rows). The GUI's first frame is measured by
// scripts/firstframe.sh when it exists: it is run as `scripts/firstframe.sh BIN BOOK` (also
// given as CAREBOOK_BIN and CAREBOOK_DB) and prints one line `firstframe_ms=<n> rss_mb=<n>`
// (and mapped_ms=<n>, shown when given): the real binary under Xvfb.
package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/xuri/excelize/v2"

	"carebook/crm"
	"carebook/store"
	"carebook/store/benchbook"
	"carebook/store/benchbook/benchfile"
)

const isDarwin = runtime.GOOS == "darwin"

func main() {
	var o options
	flag.StringVar(&o.sizes, "sizes", "10000,100000", "book sizes (customers), comma-separated; growth is last / first")
	flag.StringVar(&o.bin, "bin", "", "carebook binary (default: go build . into a temporary directory)")
	flag.IntVar(&o.runs, "runs", 5, "runs of the quick commands (today); the median is shown")
	flag.IntVar(&o.heavyRuns, "heavy-runs", 1, "runs of export and import, each side by side with its yardstick")
	flag.StringVar(&o.child, "child", "", "internal: prepare|search|card|bare-export|rows")
	flag.StringVar(&o.db, "db", "", "internal: the book of a child")
	flag.StringVar(&o.file, "file", "", "internal: the output (bare-export) or input (rows) file of a child")
	flag.Parse()
	var err error
	if o.child != "" {
		err = runChild(o)
	} else {
		err = report(o)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchreport:", err)
		os.Exit(1)
	}
}

type options struct {
	sizes           string
	bin             string
	runs, heavyRuns int
	child, db, file string
}

// today is the day of the `today` figure: the day after the books' history ends.
const today = "2026-03-02"

// row is one line of the table: a figure at each size.
type row struct {
	name string
	unit string
	vals []float64 // per size; NaN-free: measured reports whether a value exists
	have []bool
	goal float64 // the value must be ≤ goal at the largest size; 0: information only
	note string  // shown instead of values (e.g. "not measured")
}

func (r *row) set(i int, v float64) {
	r.vals[i], r.have[i] = v, true
}

func report(o options) error {
	var sizes []int
	for _, s := range strings.Split(o.sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 100 {
			return fmt.Errorf("bad -sizes %q", o.sizes)
		}
		sizes = append(sizes, n)
	}
	dir, err := os.MkdirTemp("", "carebook-benchreport-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	self, err := os.Executable()
	if err != nil {
		return err
	}
	bin := o.bin
	if bin == "" {
		bin = filepath.Join(dir, "carebook")
		if runtime.GOOS == "windows" {
			bin += ".exe"
		}
		say("building the carebook binary")
		cmd := exec.Command("go", "build", "-o", bin, ".")
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("go build: %w", err)
		}
	}
	// The books and workbooks are made ready in a child process: on Linux a child's peak RSS
	// (rusage) is at least its parent's at the fork, so the parent must stay small.
	prep := exec.Command(self, "-child", "prepare", "-sizes", o.sizes)
	prep.Stdout, prep.Stderr = os.Stderr, os.Stderr
	if err := prep.Run(); err != nil {
		return fmt.Errorf("preparing the books: %w", err)
	}
	books := make([]string, len(sizes))
	workbooks := make([]string, len(sizes))
	for i, n := range sizes {
		books[i], workbooks[i] = benchbook.Path(store.SchemaVersion(), n, n*10, n*20), benchfile.Path(n)
	}
	mk := func(name, unit string, goal float64) *row {
		return &row{name: name, unit: unit, goal: goal, vals: make([]float64, len(sizes)), have: make([]bool, len(sizes))}
	}
	var (
		ffMs, ffRSS         = mk("GUI first frame", "ms", 1000), mk("GUI after 8 s: peak RSS", "MB", 300)
		ffMapped            = mk("GUI window mapped", "ms", 0)
		todayMs, todayRSS   = mk("carebook today --json > file", "ms", 300), mk("carebook today: peak RSS", "MB", 300)
		keyP95, keyMax      = mk("search keystroke p95", "ms", 20), mk("search keystroke max", "ms", 0)
		listLoad, searchRSS = mk("search: first list (index load)", "ms", 0), mk("search process: peak RSS", "MB", 300)
		cardWarm, cardCold  = mk("card open p95 (50 purchases, 200 records)", "ms", 50), mk("card open, first in the process (classifies the book)", "ms", 0)
		cardAfter           = mk("card open after a purchase is saved, p95", "ms", 50)
		cardRSS             = mk("card process: peak RSS", "MB", 300)
		expS, bareS         = mk("carebook export (whole book)", "s", 0), mk("bare excelize StreamWriter, same cells", "s", 0)
		expRatio            = mk("export / bare StreamWriter", "×", 1.3)
		expCPU              = mk("export / bare, CPU time (less noisy)", "×", 0)
		expRSS, bareRSS     = mk("carebook export: peak RSS", "MB", 300), mk("bare StreamWriter: peak RSS", "MB", 0)
		impS, rowsS         = mk("carebook import (customer rows, new book)", "s", 0), mk("bare excelize Rows() read", "s", 0)
		impRatio            = mk("import / Rows()", "×", 1.5)
		impCPU              = mk("import / Rows(), CPU time (less noisy)", "×", 0)
		impRSS, rowsRSS     = mk("carebook import: peak RSS", "MB", 300), mk("bare Rows(): peak RSS", "MB", 0)
	)
	ff := filepath.Join("scripts", "firstframe.sh")
	_, ffErr := os.Stat(ff)
	env := append(os.Environ(), "LANG=zh_CN.UTF-8", "LC_ALL=zh_CN.UTF-8")
	for i, n := range sizes {
		book := books[i]
		say("%d customers: GUI first frame", n)
		if ffErr == nil {
			// A hung script (no window, no frame) must not stall the report.
			fctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			out, _, err := run(exec.CommandContext(fctx, ff, bin, book), append(env, "CAREBOOK_BIN="+bin, "CAREBOOK_DB="+book), nil)
			cancel()
			if err != nil {
				say("firstframe.sh: %v", err)
			} else if ms, rss, ok := parseFirstFrame(out); ok {
				ffMs.set(i, ms)
				ffRSS.set(i, rss)
				if m, ok := parseKV(out)["mapped_ms"]; ok {
					ffMapped.set(i, m)
				}
			} else {
				say("firstframe.sh printed %q, not firstframe_ms=<n> rss_mb=<n>", strings.TrimSpace(string(out)))
			}
		}

		say("%d customers: carebook today --json > file (%d runs after one to warm the cache)", n, o.runs)
		args := []string{"today", "--db", book, "--json", "--date", today}
		// The JSON (13 MB at 100,000 customers) goes to a file, as `carebook today --json > FILE`
		// does: read through a pipe into this process, its copying was charged to the command.
		todayOut := filepath.Join(dir, "today.json")
		todayCmd := func() (*exec.Cmd, func(), error) {
			f, err := os.Create(todayOut)
			if err != nil {
				return nil, nil, err
			}
			cmd := exec.Command(bin, args...)
			cmd.Stdout = f
			return cmd, func() { f.Close() }, nil
		}
		var times []float64
		var rss float64
		for k := range o.runs + 1 {
			cmd, done, err := todayCmd()
			if err != nil {
				return fmt.Errorf("today: %w", err)
			}
			start := time.Now()
			_, r, err := run(cmd, env, nil)
			d := time.Since(start)
			done()
			if err != nil {
				return fmt.Errorf("today: %w", err)
			}
			if k > 0 { // the first warms the cache
				times, rss = append(times, ms(d)), max(rss, r)
			}
		}
		todayMs.set(i, median(times))
		todayRSS.set(i, rss)

		say("%d customers: search as you type (child process)", n)
		out, r, err := run(exec.Command(self, "-child", "search", "-db", book), env, nil)
		if err != nil {
			return fmt.Errorf("search: %w", err)
		}
		kv := parseKV(out)
		keyP95.set(i, kv["p95_ms"])
		keyMax.set(i, kv["max_ms"])
		listLoad.set(i, kv["load_ms"])
		searchRSS.set(i, r)

		say("%d customers: opening the card (child process)", n)
		out, r, err = run(exec.Command(self, "-child", "card", "-db", book), env, nil)
		if err != nil {
			return fmt.Errorf("card: %w", err)
		}
		kv = parseKV(out)
		cardWarm.set(i, kv["p95_ms"])
		cardCold.set(i, kv["first_ms"])
		cardAfter.set(i, kv["after_write_p95_ms"])
		cardRSS.set(i, r)

		say("%d customers: export vs bare StreamWriter, %d× side by side (a minute or more each at 100,000)", n, o.heavyRuns)
		var te, tb, re, rb, ce, cb float64
		for k := range o.heavyRuns {
			exp := func() error {
				start := time.Now()
				_, r, c, err := runCPU(exec.Command(bin, "export", "--db", book, "-o", filepath.Join(dir, "export.xlsx")), env, nil)
				te, re, ce = te+time.Since(start).Seconds(), max(re, r), ce+c
				return err
			}
			bare := func() error {
				start := time.Now()
				_, r, c, err := runCPU(exec.Command(self, "-child", "bare-export", "-db", book, "-file", filepath.Join(dir, "bare.xlsx")), env, nil)
				tb, rb, cb = tb+time.Since(start).Seconds(), max(rb, r), cb+c
				return err
			}
			if err := alternate(k, exp, bare); err != nil {
				return fmt.Errorf("export: %w", err)
			}
		}
		h := float64(o.heavyRuns)
		expS.set(i, te/h)
		bareS.set(i, tb/h)
		expRatio.set(i, te/tb)
		expCPU.set(i, ce/cb)
		expRSS.set(i, re)
		bareRSS.set(i, rb)

		say("%d customers: import of %d rows vs bare Rows(), %d× side by side", n, n, o.heavyRuns)
		var ti, tr, ri, rr, ci, cr float64
		for k := range o.heavyRuns {
			imp := func() error {
				db := filepath.Join(dir, fmt.Sprintf("import-%d-%d.db", n, k))
				start := time.Now()
				_, r, c, err := runCPU(exec.Command(bin, "import", "--db", db, workbooks[i]), env, nil)
				ti, ri, ci = ti+time.Since(start).Seconds(), max(ri, r), ci+c
				for _, suffix := range []string{"", "-wal", "-shm"} {
					os.Remove(db + suffix)
				}
				return err
			}
			rows := func() error {
				start := time.Now()
				_, r, c, err := runCPU(exec.Command(self, "-child", "rows", "-file", workbooks[i]), env, nil)
				tr, rr, cr = tr+time.Since(start).Seconds(), max(rr, r), cr+c
				return err
			}
			if err := alternate(k, imp, rows); err != nil {
				return fmt.Errorf("import: %w", err)
			}
		}
		impS.set(i, ti/h)
		rowsS.set(i, tr/h)
		impRatio.set(i, ti/tr)
		impCPU.set(i, ci/cr)
		impRSS.set(i, ri)
		rowsRSS.set(i, rr)
	}
	if ffErr != nil {
		ffMs.note, ffRSS.note, ffMapped.note = "not measured (no scripts/firstframe.sh)", "not measured", "not measured"
	}
	rows := []*row{ffMs, ffMapped, ffRSS, todayMs, todayRSS, keyP95, keyMax, listLoad, searchRSS, cardWarm, cardCold, cardAfter, cardRSS,
		expS, bareS, expRatio, expCPU, expRSS, bareRSS, impS, rowsS, impRatio, impCPU, impRSS, rowsRSS}
	printTable(os.Stdout, sizes, rows)
	fmt.Printf("\nWhole processes (start, open the book, work, exit); times are medians of %d runs for today, the mean of %d for export and import;\n"+
		"peak RSS from rusage; goals (PRODUCT.md §8) apply to the largest book. Machine: %d CPUs, shared: timings are noisy.\n",
		o.runs, o.heavyRuns, runtime.NumCPU())
	return nil
}

// alternate runs a then b on even runs, b then a on odd ones.
func alternate(k int, a, b func() error) error {
	if k%2 == 1 {
		a, b = b, a
	}
	return errors.Join(a(), b())
}

// run runs cmd with env and returns its output, its peak RSS in MB and an error that includes
// its stderr.
func run(cmd *exec.Cmd, env []string, stdin io.Reader) ([]byte, float64, error) {
	out, rss, _, err := runCPU(cmd, env, stdin)
	return out, rss, err
}

// runCPU is run that also returns the CPU time (user and system) of the process in seconds:
// a figure that the other work of a shared machine disturbs less than the wall clock.
func runCPU(cmd *exec.Cmd, env []string, stdin io.Reader) ([]byte, float64, float64, error) {
	var out, errb bytes.Buffer
	cmd.Env, cmd.Stdin, cmd.Stderr = env, stdin, &errb
	if cmd.Stdout == nil { // else the caller's (a file: the output is not read)
		cmd.Stdout = &out
	}
	err := cmd.Run()
	var rss, cpu float64
	if ps := cmd.ProcessState; ps != nil {
		rss, cpu = peakRSS(ps), (ps.UserTime() + ps.SystemTime()).Seconds()
	}
	if err != nil {
		return out.Bytes(), rss, cpu, fmt.Errorf("%s: %w: %s", strings.Join(cmd.Args, " "), err, strings.TrimSpace(errb.String()))
	}
	return out.Bytes(), rss, cpu, nil
}

func say(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bench report: "+format+"\n", args...)
}

func ms(d time.Duration) float64 { return float64(d) / 1e6 }

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func p95(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)*95/100]
}

// parseKV reads the key=value words of a child's output.
func parseKV(out []byte) map[string]float64 {
	kv := map[string]float64{}
	for _, f := range strings.Fields(string(out)) {
		k, v, ok := strings.Cut(f, "=")
		if !ok {
			continue
		}
		if x, err := strconv.ParseFloat(v, 64); err == nil {
			kv[k] = x
		}
	}
	return kv
}

// parseFirstFrame reads the line of scripts/firstframe.sh: firstframe_ms=<n> rss_mb=<n>.
func parseFirstFrame(out []byte) (ms, rss float64, ok bool) {
	kv := parseKV(out)
	ms, ok1 := kv["firstframe_ms"]
	rss, ok2 := kv["rss_mb"]
	return ms, rss, ok1 && ok2
}

func printTable(w io.Writer, sizes []int, rows []*row) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight|tabwriter.Debug)
	head := []string{"figure"}
	for _, n := range sizes {
		head = append(head, fmt.Sprintf("%dk", n/1000))
	}
	head = append(head, fmt.Sprintf("growth ×(%dk/%dk)", sizes[len(sizes)-1]/1000, sizes[0]/1000), "goal", "ok/MISS")
	fmt.Fprintln(tw, strings.Join(head, "\t")+"\t")
	last := len(sizes) - 1
	for _, r := range rows {
		cells := []string{r.name + " (" + r.unit + ")"}
		if r.note != "" {
			cells = append(cells, r.note)
			for range sizes {
				cells = append(cells, "")
			}
			cells = append(cells, goalText(r), "")
			fmt.Fprintln(tw, strings.Join(cells, "\t")+"\t")
			continue
		}
		for i := range sizes {
			if r.have[i] {
				cells = append(cells, num(r.vals[i]))
			} else {
				cells = append(cells, "—")
			}
		}
		growth := "—"
		if r.have[0] && r.have[last] && r.vals[0] > 0 {
			growth = fmt.Sprintf("%.1f", r.vals[last]/r.vals[0])
		}
		verdict := ""
		if r.goal > 0 && r.have[last] {
			verdict = "ok"
			if r.vals[last] > r.goal {
				verdict = "MISS"
			}
		}
		cells = append(cells, growth, goalText(r), verdict)
		fmt.Fprintln(tw, strings.Join(cells, "\t")+"\t")
	}
	tw.Flush()
}

func goalText(r *row) string {
	if r.goal == 0 {
		return "(info)"
	}
	if r.unit == "×" {
		return "≤ " + num(r.goal) + "×"
	}
	return "< " + num(r.goal) + " " + r.unit
}

func num(v float64) string {
	switch {
	case v >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case v >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	default:
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
}

// runChild is the work of one child process; it prints key=value words on stdout.
func runChild(o options) error {
	ctx := context.Background()
	switch o.child {
	case "prepare":
		open := func(ctx context.Context, path string) (benchbook.Book, error) { return store.Open(ctx, path) }
		for _, f := range strings.Split(o.sizes, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil {
				return err
			}
			book := benchbook.Path(store.SchemaVersion(), n, n*10, n*20)
			if _, err := os.Stat(book); err != nil {
				say("building the book of %d customers at %s (this takes minutes for 100,000)", n, book)
			}
			if err := benchbook.Ensure(ctx, book, n, n*10, n*20, open); err != nil {
				return err
			}
			if _, err := os.Stat(benchfile.Path(n)); err != nil {
				say("building the workbook of %d customer rows at %s", n, benchfile.Path(n))
			}
			if _, err := benchfile.Workbook(ctx, n); err != nil {
				return err
			}
		}
	case "search":
		s, err := store.Open(ctx, o.db)
		if err != nil {
			return err
		}
		defer s.Close()
		start := time.Now()
		if _, err := s.Search(ctx, crm.CustomerQuery{}); err != nil { // the list as the screen opens
			return err
		}
		load := ms(time.Since(start))
		var times []float64
		for range 5 {
			for _, k := range benchbook.Keystrokes() {
				start := time.Now()
				if _, err := benchbook.Keystroke(ctx, s, k); err != nil {
					return err
				}
				times = append(times, ms(time.Since(start)))
			}
		}
		fmt.Printf("load_ms=%.3f p95_ms=%.3f max_ms=%.3f keys=%d\n", load, p95(times), slices.Max(times), len(times))
	case "card":
		s, err := store.Open(ctx, o.db)
		if err != nil {
			return err
		}
		defer s.Close()
		id, err := benchbook.FindCard(ctx, s)
		if err != nil {
			return err
		}
		if id == 0 {
			return errors.New("the book has no card customer")
		}
		start := time.Now()
		if err := benchbook.OpenCard(ctx, s, id, crm.MustDate(today)); err != nil {
			return err
		}
		first := ms(time.Since(start))
		var times []float64
		for range 40 {
			start := time.Now()
			if err := benchbook.OpenCard(ctx, s, id, crm.MustDate(today)); err != nil {
				return err
			}
			times = append(times, ms(time.Since(start)))
		}
		var after []float64
		for range 20 {
			d, err := benchbook.OpenCardAfterPurchase(ctx, s, id, crm.MustDate(today))
			if err != nil {
				return err
			}
			after = append(after, ms(d))
		}
		fmt.Printf("first_ms=%.3f p95_ms=%.3f after_write_p95_ms=%.3f\n", first, p95(times), p95(after))
	case "bare-export":
		s, err := store.OpenReadOnly(ctx, o.db)
		if err != nil {
			return err
		}
		defer s.Close()
		return benchfile.BareExport(ctx, s, o.file)
	case "rows":
		// What store/imports' BenchmarkImportVsRows reads: every sheet, Rows() and Columns() with
		// the reader's options.
		opts := excelize.Options{RawCellValue: true, UnzipSizeLimit: 2 << 30}
		f, err := excelize.OpenFile(o.file, opts)
		if err != nil {
			return err
		}
		defer f.Close()
		cells := 0
		for _, sheet := range f.GetSheetList() {
			rows, err := f.Rows(sheet)
			if err != nil {
				return err
			}
			for rows.Next() {
				cols, err := rows.Columns(opts)
				if err != nil {
					rows.Close()
					return err
				}
				cells += len(cols)
			}
			if err := errors.Join(rows.Error(), rows.Close()); err != nil {
				return err
			}
		}
		w := bufio.NewWriter(os.Stdout)
		fmt.Fprintf(w, "cells=%d\n", cells)
		return w.Flush()
	default:
		return fmt.Errorf("unknown child %q", o.child)
	}
	return nil
}
