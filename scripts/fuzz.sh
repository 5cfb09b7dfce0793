#!/usr/bin/env bash
# Fuzzes every target (func FuzzX in a _test.go file), one at a time (go test fuzzes one target
# per run), for FUZZTIME each (default 4s).
#
# A failing input is saved under the package's testdata/fuzz/FuzzX/ and from then on runs as a
# plain test case: keep it, and fix the code. New inputs are minimised for a second at most (the
# default minute ate the whole run of a slow target), and the corpus that earlier runs left in
# the Go cache is dropped first: it grows with every run, and re-running it would take the whole
# FUZZTIME of a target before any new input.
#
# Go 1.26's fuzzing coordinator can end a clean run with "context deadline exceeded" when
# -fuzztime expires while a worker is mid-call (golang/go#75804, fixed in Go 1.27): no input
# failed and none is written. Such a run is tried again (at most twice); a run that writes a
# failing input, or fails any other way, fails at once.
set -uo pipefail

GO=${GO:-go}
FUZZTIME=${FUZZTIME:-4s}
cd "$(dirname "$0")/.."

echo "carebook: fuzzing each target for $FUZZTIME"
"$GO" clean -fuzzcache

out=$(mktemp)
trap 'rm -f "$out"' EXIT

# A run failed only through the coordinator's deadline race: it says so, and wrote no input.
deadline_race() {
  grep -q 'context deadline exceeded' "$1" && ! grep -q 'Failing input written to' "$1"
}

n=0
for hit in $(grep -rHo --include='*_test.go' '^func Fuzz[A-Za-z0-9_]*' . | sed 's/:func /:/' | sort); do
  dir=$(dirname "${hit%%:*}")
  name=${hit##*:}
  for try in 1 2 3; do
    if "$GO" test -run '^$' -fuzz "^$name\$" -fuzztime "$FUZZTIME" -fuzzminimizetime 1s "$dir/" >"$out" 2>&1; then
      break
    fi
    if [ "$try" -lt 3 ] && deadline_race "$out"; then
      echo "  $name ($dir): ended with Go's fuzz deadline race (golang/go#75804, no failing input); trying again"
      continue
    fi
    cat "$out"
    echo "carebook: fuzz target $name in $dir failed"
    echo "fuzz: $n passed, 1 failed"
    exit 1
  done
  execs=$(grep -o 'execs: [0-9]*' "$out" | tail -n 1 | cut -d' ' -f2)
  echo "  $name ($dir): ${execs:-no} executions beyond the seed corpus"
  n=$((n + 1))
done
echo "carebook: $n fuzz targets ran for $FUZZTIME each"
echo "fuzz: $n passed, 0 failed"
