# Carebook — the two commands a new user types are `make run` and `make test`.
# Each installs what it needs first (scripts/setup.sh says what it installs).

export PATH := /usr/local/go/bin:$(HOME)/go/bin:$(PATH)
GO      ?= go
BIN     := bin/carebook
VERSION := $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2

.PHONY: all setup build run test vet fuzz bench screenshots smoke demo clean

all: build

setup:
	@scripts/setup.sh

build: setup
	@echo "carebook: building $(BIN)"
	@mkdir -p bin
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) .

# Opens Carebook on carebook.db in your config directory (created on first run).
run: build
	./$(BIN)

vet: setup
	@echo "carebook: go vet, gofmt and staticcheck"
	$(GO) vet ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || { gofmt -l .; echo "gofmt: files above need formatting"; exit 1; }
	$(GO) run $(STATICCHECK) ./...

test: vet
	@echo "carebook: running every test (with the race detector)"
	$(GO) test -race -count=1 -timeout 30m ./...
	@echo "carebook: calendar rules again in other time zones (dates must not depend on the machine's zone)"
	TZ=UTC $(GO) test -count=1 ./crm/...
	TZ=America/Los_Angeles $(GO) test -count=1 ./crm/...
	@$(MAKE) --no-print-directory fuzz

# Every fuzz target (func FuzzX in a _test.go file), one at a time (go test fuzzes one target
# per run) for FUZZTIME each. A failing input is saved under the package's testdata/fuzz/FuzzX/
# and from then on runs as a plain test case: keep it, and fix the code. New inputs are minimised
# for a second at most (the default minute ate the whole run of a slow target), and the corpus
# that earlier runs left in the Go cache is dropped first: it grows with every run, and
# re-running it would take the whole FUZZTIME of a target before any new input.
FUZZTIME ?= 4s
fuzz: setup
	@echo "carebook: fuzzing each target for $(FUZZTIME)"
	@$(GO) clean -fuzzcache
	@n=0; out=$$(mktemp); \
	for hit in $$(grep -rHo --include='*_test.go' '^func Fuzz[A-Za-z0-9_]*' . | sed 's/:func /:/' | sort); do \
		dir=$$(dirname "$${hit%%:*}"); name=$${hit##*:}; \
		if ! $(GO) test -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 1s "$$dir/" >"$$out" 2>&1; then \
			cat "$$out"; rm -f "$$out"; echo "carebook: fuzz target $$name in $$dir failed"; echo "fuzz: $$n passed, 1 failed"; exit 1; \
		fi; \
		execs=$$(grep -o 'execs: [0-9]*' "$$out" | tail -n 1 | cut -d' ' -f2); \
		echo "  $$name ($$dir): $${execs:-no} executions beyond the seed corpus"; \
		n=$$((n+1)); \
	done; rm -f "$$out"; \
	echo "carebook: $$n fuzz targets ran for $(FUZZTIME) each"; \
	echo "fuzz: $$n passed, 0 failed"

# Demo data for trying things by hand: make demo N=100000
N ?= 10000
demo: build
	./$(BIN) demo --db demo.db --customers $(N) --seed 1

# BenchmarkImportVsRows (store/imports, under a minute at 3x) runs on its own line, not twice;
# BenchmarkImportFile times each step of an import, for information: make bench leaves it out
# (go test -run '^$' -bench ImportFile -benchtime 3x ./store/imports/).
bench: setup
	$(GO) test -run '^$$' -bench . -skip 'ImportVsRows|ImportFile' -benchmem ./crm/... ./store/... ./ui/...
	$(GO) test -run '^$$' -bench TodayCommand -benchtime 5x .
	$(GO) test -run '^$$' -bench ImportVsRows -benchtime 3x ./store/imports/
	@echo "goals (PRODUCT.md §8): BenchmarkTodayCommand ms/today < 300 and MB-rss < 300; BenchmarkPlanToday is the plan in the store, BenchmarkPlanInput its loading alone; BenchmarkImportVsRows ratio ≤ 1.5 (import of 100,000 customer rows vs excelize Rows() on the same file)"

# Renders every screen with demo data into docs/screenshots through Fyne's test driver.
screenshots: setup
	CAREBOOK_SCREENSHOTS=$(CURDIR)/docs/screenshots $(GO) test -count=1 -run TestScreenshots ./ui/

# The built binary in a real (virtual) window: Xvfb, a demo book, a click on every section of the
# navigation with a capture of each, then File → Quit; in English (LANG=C) and in Chinese. Fails if
# the app exits, a capture is blank or a click changes nothing. Installs xvfb, xdotool and
# imagemagick if missing; prints where the captures are. See scripts/smoke.sh for its settings.
smoke: build
	CAREBOOK_BIN=$(BIN) scripts/smoke.sh

clean:
	rm -rf bin
