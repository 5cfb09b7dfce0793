package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"carebook/crm"
	"carebook/store"
	"carebook/store/imports"
)

// The crash-safety test (PRODUCT.md §7, issue 8): real writer processes — this test binary
// started again with crashChildEnv set — log contacts (SaveRecords, SaveRecord) and import small
// CSV files of customers and purchases (store.Import, and the `carebook import` command itself)
// into one book, and are killed with SIGKILL at random moments. After every kill the book must
// pass PRAGMA integrity_check and foreign_key_check, open normally, hold every write the dead
// writers acknowledged, and hold every write all or nothing.
//
// A writer acknowledges a write on stdout only after the store call returned nil:
//
//	start                         the writer runs
//	open                          the book is open (when the writer keeps it open)
//	rec ID CONTENT                SaveRecord of one record
//	recs GROUP K ID,ID,…          SaveRecords of K records, contents "crash GROUP i/K"
//	imp GROUP N M                 an import of N customers (codes GROUPcInN) and M purchases
//	done                          the writer finished its writes
//	err MESSAGE                   a write failed: the test fails
//
// CAREBOOK_CRASH_ROUNDS (default 40) and CAREBOOK_CRASH_SEED set the number of rounds and the
// seed of the random choices, for longer runs or to replay a failure (the seed is printed).

const (
	crashChildEnv = "CAREBOOK_CRASH_CHILD" // the writer's mode: "store" or "cli"
	crashDBEnv    = "CAREBOOK_CRASH_DB"
	crashTagEnv   = "CAREBOOK_CRASH_TAG" // the round's prefix of every group: r12
	crashCustEnv  = "CAREBOOK_CRASH_CUSTOMERS"
	crashSeedEnv  = "CAREBOOK_CRASH_SEED"
	crashOpsEnv   = "CAREBOOK_CRASH_OPS" // how many writes before the writer stops by itself
	crashDirEnv   = "CAREBOOK_CRASH_DIR" // where the writer puts its CSV files
)

// crashHung is how long a writer may take before the test gives up on it.
const crashHung = 60 * time.Second

// crashDay is the day of the records and purchases the writers make.
var crashDay = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

func TestCrashSafety(t *testing.T) {
	if mode := os.Getenv(crashChildEnv); mode != "" {
		crashWriter(mode)
		return
	}
	if runtime.GOOS == "windows" {
		t.Skip("SIGKILL: not on Windows")
	}
	if testing.Short() {
		t.Skip("crash safety: not with -short")
	}
	rounds := envInt(t, "CAREBOOK_CRASH_ROUNDS", 40)
	seed := uint64(time.Now().UnixNano())
	if v := os.Getenv(crashSeedEnv); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			t.Fatalf("%s=%q: %v", crashSeedEnv, v, err)
		}
		seed = n
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("crash test failed with %s=%d (rounds %d)", crashSeedEnv, seed, rounds)
		}
	})
	rng := rand.New(rand.NewPCG(seed, 0x43424f4b))
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	ctx := context.Background()

	// A fresh book killed while being created (its schema migrating) must open afterwards.
	fresh := max(rounds/4, 2)
	var freshCreating int
	var freshLeft [3]int // no file, an empty database, a book with its schema
	for i := range fresh {
		db := filepath.Join(dir, fmt.Sprintf("fresh%d.db", i))
		w := crashRun{exe: exe, db: db, mode: "store", tag: fmt.Sprintf("f%d", i), dir: dir, seed: rng.Uint64(),
			ops: 1 << 30, after: 1, kill: time.Duration(rng.IntN(20_000)) * time.Microsecond}
		res := w.start(t)
		if res.killed && res.started && !res.opened {
			freshCreating++ // killed before Open had created the book
		}
		_, err := os.Stat(db)
		got, err2 := checkBook(ctx, db)
		if err2 != nil {
			t.Fatalf("fresh book %d, writer killed %v after it started: %v", i, w.kill, err2)
		}
		switch {
		case err != nil:
			freshLeft[0]++
		case !got.schema:
			freshLeft[1]++
		default:
			freshLeft[2]++
		}
	}

	db := filepath.Join(dir, "book.db")
	ids := seedCrashBook(t, db)
	var tally crashTally
	var acked []string // every acknowledgment of every round: all must hold after every kill
	for round := range rounds {
		w := crashRun{exe: exe, db: db, mode: "store", tag: fmt.Sprintf("r%d", round), dir: dir,
			customers: ids, seed: rng.Uint64(), ops: 1 << 30,
			after: 1 + rng.IntN(16), kill: time.Duration(rng.IntN(40)) * time.Millisecond}
		if rng.IntN(8) == 0 {
			w.after, w.kill = 0, time.Duration(rng.IntN(200))*time.Millisecond // maybe before it runs
		}
		if rng.IntN(3) == 0 {
			w.mode = "cli" // `carebook import` itself, opening the book for every import
		}
		if rng.IntN(10) == 0 {
			w.ops = 1 + rng.IntN(5) // may finish before it is killed
		}
		res := w.start(t)
		tally.rounds++
		if res.killed {
			tally.kills++
			if res.started {
				tally.killsRunning++
			}
			if len(res.acks) > 0 {
				tally.killsWriting++
			}
		}
		acked = append(acked, res.acks...)
		how := fmt.Sprintf("round %d (%s writer, killed %v after output line %d, killed: %v)", round, w.mode, w.kill,
			w.after, res.killed)
		got, err := checkBook(ctx, db)
		if err != nil {
			t.Fatalf("%s: %v\nstderr: %s", how, err, res.stderr)
		}
		checkAcks(t, round, got, acked, &tally)
		if t.Failed() {
			t.Fatalf("%s: acknowledged writes missing", how)
		}
	}
	t.Logf("crash safety: %d rounds on one book, %d writers killed (%d once running, %d after acknowledging writes); "+
		"%d fresh books killed early (%d before Open had created them; left no file %d, an empty database %d, "+
		"a whole schema %d); %d acknowledged writes (%d records, "+
		"%d imports of %d customers and %d purchases) all present after every later kill; the book holds %d test "+
		"records and %d imports, each whole",
		tally.rounds, tally.kills, tally.killsRunning, tally.killsWriting, fresh, freshCreating, freshLeft[0], freshLeft[1], freshLeft[2], len(acked),
		tally.records, tally.imports, tally.customers, tally.purchases, tally.bookRecords, tally.bookImports)
	if tally.kills < tally.rounds/2 {
		t.Errorf("only %d of %d writers were killed", tally.kills, tally.rounds)
	}
	if tally.records == 0 || tally.imports == 0 {
		t.Errorf("no acknowledged records (%d) or imports (%d): the writers did not write", tally.records, tally.imports)
	}
}

func envInt(t *testing.T, name string, def int) int {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		t.Fatalf("%s=%q: want a positive number", name, v)
	}
	return n
}

// seedCrashBook creates the book with the customers the writers log contacts with.
func seedCrashBook(t *testing.T, db string) []int64 {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var ids []int64
	for i := range 8 {
		c := crm.Customer{Name: fmt.Sprintf("老顾客%d", i+1), Phones: []string{fmt.Sprintf("1381000%04d", i)}}
		if err := s.SaveCustomer(ctx, &c); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	return ids
}

type crashTally struct {
	rounds, kills, killsRunning, killsWriting int
	records, imports, customers, purchases    int // acknowledged, checked after every later kill
	bookRecords, bookImports                  int // in the book at the end, acknowledged or not
}

// crashRun is one writer process.
type crashRun struct {
	exe, db, mode, tag, dir string
	customers               []int64
	seed                    uint64
	ops                     int
	after                   int           // the kill's timer starts after this many lines of output…
	kill                    time.Duration // …and kills it after this long
}

type crashResult struct {
	acks                    []string // the acknowledgment lines
	started, opened, killed bool
	stderr                  string
}

// start runs the writer, kills it r.kill after its r.after-th line of output (after its start
// when r.after is 0; never when it finishes first) and returns what it acknowledged. Counting
// from the writer's output puts the kills among its writes however slow the machine is.
func (r crashRun) start(t *testing.T) crashResult {
	t.Helper()
	cmd := exec.Command(r.exe, "-test.run=^TestCrashSafety$")
	var ids []string
	for _, id := range r.customers {
		ids = append(ids, strconv.FormatInt(id, 10))
	}
	cmd.Env = append(os.Environ(), crashChildEnv+"="+r.mode, crashDBEnv+"="+r.db, crashTagEnv+"="+r.tag,
		crashCustEnv+"="+strings.Join(ids, ","), crashSeedEnv+"="+strconv.FormatUint(r.seed, 10),
		crashOpsEnv+"="+strconv.Itoa(r.ops), crashDirEnv+"="+r.dir)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string)
	go func() {
		defer close(lines)
		br := bufio.NewReader(out)
		for {
			l, err := br.ReadString('\n')
			if err != nil {
				return // EOF: a line cut short by the kill is not an acknowledgment
			}
			lines <- strings.TrimSuffix(l, "\n")
		}
	}()
	var timer <-chan time.Time
	if r.after == 0 {
		timer = time.After(r.kill)
	}
	hung := time.After(crashHung)
	var ls []string
	for reading := true; reading; {
		select {
		case l, ok := <-lines:
			if !ok {
				reading = false
				break
			}
			ls = append(ls, l)
			if len(ls) == r.after {
				timer = time.After(r.kill)
			}
		case <-timer:
			cmd.Process.Kill()
			timer = nil
		case <-hung:
			cmd.Process.Kill()
			t.Errorf("writer %s hung: killed after %v", r.tag, crashHung)
		}
	}
	err = cmd.Wait()
	res := crashResult{stderr: stderr.String()}
	var done bool
	for _, l := range ls {
		switch {
		case l == "start":
			res.started = true
		case l == "open":
			res.opened = true
		case l == "done":
			done = true
		case strings.HasPrefix(l, "rec ") || strings.HasPrefix(l, "recs ") || strings.HasPrefix(l, "imp "):
			res.acks = append(res.acks, l)
		case strings.HasPrefix(l, "err "):
			t.Fatalf("writer %s failed: %s\nstderr: %s", r.tag, l, res.stderr)
		}
	}
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee) && !ee.Exited():
		res.killed = true
	case err != nil || !done:
		t.Fatalf("writer %s exited without finishing (%v): %q\nstderr: %s", r.tag, err, ls, res.stderr)
	}
	return res
}

// crashWriter is the writer process: it writes until it is killed or has made its writes.
func crashWriter(mode string) {
	ack := func(format string, args ...any) {
		os.Stdout.Write([]byte(fmt.Sprintf(format, args...) + "\n")) // one write: whole or not at all
	}
	fail := func(err error) {
		ack("err %s", strings.ReplaceAll(err.Error(), "\n", " "))
		os.Exit(3)
	}
	db, tag, dir := os.Getenv(crashDBEnv), os.Getenv(crashTagEnv), os.Getenv(crashDirEnv)
	seed, _ := strconv.ParseUint(os.Getenv(crashSeedEnv), 10, 64)
	ops, _ := strconv.Atoi(os.Getenv(crashOpsEnv))
	var customers []int64
	for f := range strings.SplitSeq(os.Getenv(crashCustEnv), ",") {
		if id, err := strconv.ParseInt(f, 10, 64); err == nil {
			customers = append(customers, id)
		}
	}
	rng := rand.New(rand.NewPCG(seed, 7))
	ctx := context.Background()
	ack("start")

	var s *store.Store
	if mode == "store" {
		var err error
		if s, err = store.Open(ctx, db); err != nil {
			fail(err)
		}
		ack("open")
	}
	for op := range ops {
		group := fmt.Sprintf("%sg%d", tag, op)
		kind := rng.IntN(10)
		if len(customers) == 0 || mode == "cli" {
			kind = 9 // a fresh book, or the command line: imports only
		}
		switch {
		case kind < 4: // a bulk "greeted": several records at once
			k := 2 + rng.IntN(4)
			rs := make([]crm.Record, k)
			for i := range rs {
				rs[i] = crm.Record{CustomerID: customers[rng.IntN(len(customers))], At: crashDay.Add(time.Duration(op) * time.Minute),
					Kind: crm.KindGreeting, Channel: crm.ChannelWeChat, Content: fmt.Sprintf("crash %s %d/%d", group, i+1, k)}
			}
			if err := s.SaveRecords(ctx, rs); err != nil {
				fail(err)
			}
			var ids []string
			for _, r := range rs {
				ids = append(ids, strconv.FormatInt(r.ID, 10))
			}
			ack("recs %s %d %s", group, k, strings.Join(ids, ","))
		case kind < 6: // one logged contact
			r := crm.Record{CustomerID: customers[rng.IntN(len(customers))], At: crashDay.Add(time.Duration(op) * time.Minute),
				Kind: crm.KindRoutine, Channel: crm.ChannelPhone, Content: "crash " + group,
				Feedback: "顾客说下周来店里看看", NextStep: "约到店", NextDate: crm.DateOf(crashDay).AddDays(7)}
			if err := s.SaveRecord(ctx, &r); err != nil {
				fail(err)
			}
			ack("rec %d %s", r.ID, r.Content)
		default: // an import of customers with their purchases
			n := 1 + rng.IntN(4)
			paths, m, err := writeCrashCSV(dir, tag, group, n, rng)
			if err != nil {
				fail(err)
			}
			if mode == "cli" {
				if err := run(append([]string{"import", "--db", db}, paths...), io.Discard, io.Discard); err != nil {
					fail(err)
				}
			} else {
				im := imports.Importer{Lang: "zh"}
				b, err := im.Prepare(ctx, paths, crm.DateOf(crashDay))
				if err != nil {
					fail(err)
				}
				if c := b.Counts(); c.Created != n+m || c.Skipped != 0 {
					fail(fmt.Errorf("import of %d customers and %d purchases counts %+v", n, m, c))
				}
				if err := im.Apply(ctx, s, b, false, nil); err != nil {
					fail(err)
				}
			}
			ack("imp %s %d %d", group, n, m)
		}
	}
	if s != nil {
		if err := s.Close(); err != nil {
			fail(err)
		}
	}
	ack("done")
}

// writeCrashCSV writes the CSV files of one import: n customers (code GROUPcInN, a phone made
// from the group) and one to three purchases each, linked by code. It returns their paths and the
// number of purchases.
func writeCrashCSV(dir, tag, group string, n int, rng *rand.Rand) ([]string, int, error) {
	var cust, purch strings.Builder
	cust.WriteString("客户编号,客户姓名,手机号,爱好\r\n")
	purch.WriteString("客户编号,消费日期,消费金额,商品名称\r\n")
	var m int
	for i := 1; i <= n; i++ {
		code := fmt.Sprintf("%sc%dn%d", group, i, n)
		fmt.Fprintf(&cust, "%s,顾客%s,%s,喝茶\r\n", code, code, crashPhone(group, i))
		k := 1 + rng.IntN(3)
		for j := 0; j < k; j++ {
			m++
			fmt.Fprintf(&purch, "%s,2025-11-%02d,%d.50,%s p%d/%d\r\n", code, 1+j, 100+rng.IntN(900), code, j+1, k)
		}
	}
	c := filepath.Join(dir, tag+"-customers.csv")
	p := filepath.Join(dir, tag+"-purchases.csv")
	if err := os.WriteFile(c, []byte(cust.String()), 0o600); err != nil {
		return nil, 0, err
	}
	if err := os.WriteFile(p, []byte(purch.String()), 0o600); err != nil {
		return nil, 0, err
	}
	return []string{c, p}, m, nil
}

// crashPhone is the mobile number of customer i of an import group: 139 and eight digits from
// the group's round and number (the imports match customers by code: the phones need not be
// unique, only valid).
func crashPhone(group string, i int) string {
	var round, op int
	if _, err := fmt.Sscanf(group, "r%dg%d", &round, &op); err != nil {
		fmt.Sscanf(group, "f%dg%d", &round, &op)
	}
	return fmt.Sprintf("139%08d", ((round*10000+op)*10+i)%100_000_000)
}

// crashBook is what a book holds of the writers' writes.
type crashBook struct {
	records map[string]int64 // content → id, of every record with a "crash " content
	// imports maps an import group to its customers (by index) with their purchases' items.
	imports map[string]*crashImport
	schema  bool // the file has the book's tables
}

type crashImport struct {
	n         int
	customers map[int]crashCustomer
}

type crashCustomer struct {
	phone     string
	purchases []string
}

// checkBook checks the file as the dead writer left it (integrity, foreign keys), reads what
// the writers wrote, checking that every write is all there or not at all, and opens it with
// store.Open, which must see the same customers.
func checkBook(ctx context.Context, path string) (*crashBook, error) {
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return &crashBook{}, nil // killed before it created the book
	}
	db, err := sql.Open("sqlite", "file:"+path+"?mode=rw&_pragma=busy_timeout(5000)")
	if err != nil {
		return nil, err
	}
	defer db.Close()
	if err := checkPragmas(ctx, db); err != nil {
		return nil, err
	}
	var objects int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema").Scan(&objects); err != nil {
		return nil, err
	}
	book, customers := &crashBook{}, 0
	if objects > 0 { // else killed before its schema was created: an empty database
		if book, customers, err = readCrashBook(ctx, db); err != nil {
			return nil, err
		}
		book.schema = true
	}
	db.Close()
	s, err := store.Open(ctx, path)
	if err != nil {
		return nil, fmt.Errorf("the book does not open after the kill: %w", err)
	}
	defer s.Close()
	if n, err := s.CountCustomers(ctx); err != nil || n != customers {
		return nil, fmt.Errorf("the opened book counts %d customers (%v), the file has %d", n, err, customers)
	}
	return book, nil
}

// readCrashBook reads the writers' records and imports from the file (and how many customers
// it has) and checks that each write is whole: all its records, or all its customers with their
// phones and purchases, or nothing.
func readCrashBook(ctx context.Context, db *sql.DB) (*crashBook, int, error) {
	book := &crashBook{records: map[string]int64{}, imports: map[string]*crashImport{}}
	recordGroups := map[string][]string{} // group → the i/K of its records present
	err := eachRow(ctx, db, `SELECT id, content FROM records WHERE content LIKE 'crash %'`, func(rows *sql.Rows) error {
		var id int64
		var content string
		if err := rows.Scan(&id, &content); err != nil {
			return err
		}
		if _, dup := book.records[content]; dup {
			return fmt.Errorf("record %q twice", content)
		}
		book.records[content] = id
		if f := strings.Fields(content); len(f) == 3 {
			recordGroups[f[1]] = append(recordGroups[f[1]], f[2])
		}
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	type place struct {
		im *crashImport
		i  int
	}
	imported := map[int64]place{}
	var customers int
	err = eachRow(ctx, db, `SELECT c.id, c.code, c.name, coalesce((SELECT e164 FROM customer_phones p
		WHERE p.customer_id = c.id AND p.pos = 0), '') FROM customers c`, func(rows *sql.Rows) error {
		var id int64
		var code, name, phone string
		if err := rows.Scan(&id, &code, &name, &phone); err != nil {
			return err
		}
		customers++
		if strings.HasPrefix(name, "老顾客") {
			return nil
		}
		var i, n int
		k := strings.LastIndex(code, "c")
		if k <= 0 {
			return fmt.Errorf("customer %q: not one of the test's", code)
		}
		if _, err := fmt.Sscanf(code[k:], "c%dn%d", &i, &n); err != nil {
			return fmt.Errorf("customer %q: not one of the test's", code)
		}
		group := code[:k]
		im := book.imports[group]
		if im == nil {
			im = &crashImport{n: n, customers: map[int]crashCustomer{}}
			book.imports[group] = im
		}
		im.customers[i] = crashCustomer{phone: phone}
		imported[id] = place{im, i}
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	err = eachRow(ctx, db, `SELECT customer_id, items FROM purchases ORDER BY date DESC, id DESC`, func(rows *sql.Rows) error {
		var id int64
		var items string
		if err := rows.Scan(&id, &items); err != nil {
			return err
		}
		pl, ok := imported[id]
		if !ok {
			return fmt.Errorf("purchase %q of customer %d, not an imported one", items, id)
		}
		c := pl.im.customers[pl.i]
		c.purchases = append(c.purchases, items)
		pl.im.customers[pl.i] = c
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	// All or nothing: a group's records and an import's customers, phones and purchases.
	for g, parts := range recordGroups {
		var k int
		fmt.Sscanf(parts[0], "%d/%d", new(int), &k)
		if len(parts) != k {
			return nil, 0, fmt.Errorf("records of %s half there: %v of %d", g, parts, k)
		}
		for i := 1; i <= k; i++ {
			if _, ok := book.records[fmt.Sprintf("crash %s %d/%d", g, i, k)]; !ok {
				return nil, 0, fmt.Errorf("records of %s half there: %v, no %d/%d", g, parts, i, k)
			}
		}
	}
	for g, im := range book.imports {
		if len(im.customers) != im.n {
			return nil, 0, fmt.Errorf("import %s half there: %d of its %d customers", g, len(im.customers), im.n)
		}
		for i := 1; i <= im.n; i++ {
			c, ok := im.customers[i]
			if !ok {
				return nil, 0, fmt.Errorf("import %s half there: no customer %d", g, i)
			}
			if want := "+86" + crashPhone(g, i); c.phone != want {
				return nil, 0, fmt.Errorf("import %s: customer %d has phone %q, want %q", g, i, c.phone, want)
			}
			if len(c.purchases) == 0 {
				return nil, 0, fmt.Errorf("import %s: customer %d without its purchases", g, i)
			}
			code := fmt.Sprintf("%sc%dn%d", g, i, im.n)
			for j := range c.purchases { // newest first: pK/K … p1/K
				if want := fmt.Sprintf("%s p%d/%d", code, len(c.purchases)-j, len(c.purchases)); c.purchases[j] != want {
					return nil, 0, fmt.Errorf("import %s: customer %d's purchases %q", g, i, c.purchases)
				}
			}
		}
	}
	return book, customers, nil
}

// checkPragmas runs PRAGMA integrity_check and foreign_key_check.
func checkPragmas(ctx context.Context, db *sql.DB) error {
	var msgs []string
	err := eachRow(ctx, db, "PRAGMA integrity_check", func(rows *sql.Rows) error {
		var m string
		msgs = append(msgs, m)
		return rows.Scan(&msgs[len(msgs)-1])
	})
	if err != nil {
		return fmt.Errorf("integrity_check: %w", err)
	}
	if len(msgs) != 1 || msgs[0] != "ok" {
		return fmt.Errorf("integrity_check: %q", msgs)
	}
	var bad int
	if err := eachRow(ctx, db, "PRAGMA foreign_key_check", func(*sql.Rows) error { bad++; return nil }); err != nil {
		return fmt.Errorf("foreign_key_check: %w", err)
	}
	if bad > 0 {
		return fmt.Errorf("foreign_key_check: %d rows refer to missing ones", bad)
	}
	return nil
}

// eachRow runs query and calls f for each of its rows.
func eachRow(ctx context.Context, db *sql.DB, query string, f func(*sql.Rows) error) error {
	rows, err := db.QueryContext(ctx, query)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := f(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// checkAcks checks that every acknowledged write is in the book as acknowledged.
func checkAcks(t *testing.T, round int, got *crashBook, acks []string, tally *crashTally) {
	t.Helper()
	tally.records, tally.imports, tally.customers, tally.purchases = 0, 0, 0, 0
	for _, a := range acks {
		f := strings.Fields(a)
		switch f[0] {
		case "rec":
			content := strings.Join(f[2:], " ")
			if id := got.records[content]; strconv.FormatInt(id, 10) != f[1] {
				t.Errorf("round %d: acknowledged %q: the book has record %d", round, a, id)
			}
			tally.records++
		case "recs":
			k, _ := strconv.Atoi(f[2])
			ids := strings.Split(f[3], ",")
			for i := 1; i <= k; i++ {
				content := fmt.Sprintf("crash %s %d/%d", f[1], i, k)
				if id := got.records[content]; len(ids) != k || strconv.FormatInt(id, 10) != ids[i-1] {
					t.Errorf("round %d: acknowledged %q: the book has %q as record %d", round, a, content, id)
				}
			}
			tally.records += k
		case "imp":
			n, _ := strconv.Atoi(f[2])
			m, _ := strconv.Atoi(f[3])
			im := got.imports[f[1]]
			if im == nil || im.n != n {
				t.Errorf("round %d: acknowledged %q: not in the book", round, a)
				continue
			}
			var p int
			for _, c := range im.customers {
				p += len(c.purchases)
			}
			if p != m {
				t.Errorf("round %d: acknowledged %q: the book has %d purchases", round, a, p)
			}
			tally.imports++
			tally.customers += n
			tally.purchases += m
		}
	}
	tally.bookRecords, tally.bookImports = len(got.records), len(got.imports)
}
