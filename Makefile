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

# Every fuzz target for FUZZTIME each; scripts/fuzz.sh says how failing inputs are kept and how
# it tells Go 1.26's fuzz deadline race (golang/go#75804) from a failing input.
FUZZTIME ?= 4s
fuzz: setup
	@GO="$(GO)" FUZZTIME="$(FUZZTIME)" scripts/fuzz.sh

# Demo data for trying things by hand: make demo N=100000
N ?= 10000
demo: build
	./$(BIN) demo --db demo.db --customers $(N) --seed 1

# BenchmarkImportVsRows (store/imports, under a minute at 3x) runs on its own line, not twice;
# BenchmarkImportFile times each step of an import, for information: make bench leaves it out
# (go test -run '^$' -bench ImportFile -benchtime 3x ./store/imports/).
bench: setup
	@echo "bench: the books of 10,000 and 100,000 customers (10 purchases, 20 records each) are built under $${TMPDIR:-/tmp} when missing — minutes for 100,000 — and reused after"
	@echo "bench: go benchmarks of the figures of PRODUCT.md §8 (benchstat-friendly; the full sweep is: go test -run '^\$$' -bench . ./...)"
	$(GO) test -run '^$$' -bench 'SearchKeystroke|OpenCard' -benchtime 5x -timeout 60m ./store/
	$(GO) test -run '^$$' -bench 'ExportVsStream/customers=10000$$' -benchtime 2x -timeout 60m ./store/xlsx/
	$(GO) test -run '^$$' -bench 'ImportVsRows' -benchtime 2x -timeout 60m ./store/imports/
	$(GO) test -run '^$$' -bench TodayCommand -benchtime 5x -timeout 60m .
	@echo "bench: whole processes with their peak RSS (export and import of the 100,000 book take minutes)"
	$(GO) run ./scripts/benchreport

# Renders every screen with demo data into docs/screenshots through Fyne's test driver.
screenshots: setup
	CAREBOOK_SCREENSHOTS=$(CURDIR)/docs/screenshots $(GO) test -count=1 -run TestScreenshots ./ui/

# The built binary in a real (virtual) window: Xvfb, a demo book, a click on every section of the
# navigation with a capture of each, then File → Quit; in English (LANG=C) and in Chinese. Fails if
# the app exits, a capture is blank or a click changes nothing. Installs xvfb, xdotool and
# imagemagick if missing; prints where the captures are. See scripts/smoke.sh for its settings.
smoke: build
	CAREBOOK_BIN=$(BIN) scripts/smoke.sh

# Packages for users (neither runs in make test): make package writes dist/Carebook.tar.xz for
# Linux (binary, .desktop entry and icon; "sudo make install" inside it installs them), and make
# windows writes dist/carebook.exe, cross-compiled with Debian's MinGW-w64 C compiler, with the
# icon and version information embedded. Both use fyne package (fyne.io/tools, pinned below) and
# FyneApp.toml. fyne package writes build files (fyne_metadata_init.go, and fyne.syso for Windows)
# into the directory it packages, so it packages a copy of the source in dist/src/<os>/carebook
# and never touches the working tree.
FYNE_TOOLS := fyne.io/tools/cmd/fyne@v1.7.4
FYNE       := $(CURDIR)/bin/tools/fyne
MINGW_CC   := x86_64-w64-mingw32-gcc

# $(call package-source,os): copies the source to dist/src/os/carebook.
define package-source
	@echo "carebook: copying the source to dist/src/$(1)/carebook to package it"
	@rm -rf dist/src/$(1) && mkdir -p dist/src/$(1)/carebook
	@tar --exclude=./.git --exclude=./dist --exclude=./bin --exclude=./docs --exclude='*.db' --exclude='*.db-*' -cf - . | tar -xf - -C dist/src/$(1)/carebook
endef

.PHONY: package windows fyne-tool

fyne-tool:
	@echo "carebook: installing fyne package ($(FYNE_TOOLS)) in bin/tools"
	@GOBIN=$(CURDIR)/bin/tools $(GO) install $(FYNE_TOOLS)

package: setup fyne-tool
	$(call package-source,linux)
	@echo "carebook: packaging $(VERSION) for Linux"
	@rm -f dist/Carebook.tar.xz
	cd dist && GOFLAGS=-ldflags=-X=main.version=$(VERSION) $(FYNE) package -os linux --src src/linux/carebook --release
	@rm -rf dist/src/linux
	@echo "carebook: dist/Carebook.tar.xz holds:"
	@tar -tJvf dist/Carebook.tar.xz | sed 's/^/  /'

# scripts/setup.sh installs the MinGW-w64 cross compiler (gcc-mingw-w64-x86-64) with the rest.
windows: fyne-tool
	@scripts/setup.sh gcc-mingw-w64-x86-64
	$(call package-source,windows)
	@echo "carebook: cross-compiling $(VERSION) for Windows with $(MINGW_CC) (a few minutes the first time)"
	@rm -f dist/carebook.exe
	cd dist && CC=$(MINGW_CC) CGO_ENABLED=1 GOOS=windows GOARCH=amd64 GOFLAGS=-ldflags=-X=main.version=$(VERSION) \
		$(FYNE) package -os windows --src src/windows/carebook --release
	mv dist/src/windows/carebook/Carebook.exe dist/carebook.exe
	@rm -rf dist/src/windows
	@file dist/carebook.exe 2>/dev/null || ls -l dist/carebook.exe

clean:
	rm -rf bin dist
