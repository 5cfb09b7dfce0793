#!/usr/bin/env bash
# Real-window smoke test: the built binary in a virtual X server (Xvfb) on a demo book. For each
# language pass it starts Carebook with its own HOME, waits for the window, clicks every section of
# the left navigation, captures each screen to a PNG, and then quits through the window's own menu
# (File menu → Quit, as a user would). It fails when the app exits early, a capture is blank, a
# click changes nothing (two consecutive captures identical), or the app does not quit with
# status 0 within SMOKE_QUIT_TIMEOUT seconds. The captures are kept for a human to look at; their
# directory is printed at the end.
#
# Usage: scripts/smoke.sh            (make smoke builds the binary first and calls this)
# Environment:
#   CAREBOOK_BIN   the binary (default: runs `make build` and uses bin/carebook)
#   SMOKE_OUT      where captures and logs go (default: a new /tmp/carebook-smoke-XXXX)
#   SMOKE_LANGS    LANG of each pass (default "C zh_CN.UTF-8": English, then Simplified Chinese)
#   SMOKE_DB       open this book instead of a new demo book (the app may write to it: backups)
#   SMOKE_CUSTOMERS  customers in the demo book (default 3000)
#   SMOKE_WAIT     seconds to wait after each click before the first capture (default 1)
#   SMOKE_NAV_X, SMOKE_NAV_Y0, SMOKE_NAV_ROW   navigation geometry, see below
set -euo pipefail
cd "$(dirname "$0")/.."

# --- geometry --------------------------------------------------------------------------------
# The window is moved to 0,0 and sized WIN_W×WIN_H on a SCREEN_W×SCREEN_H screen, with
# FYNE_SCALE=1 so that sizes are in pixels. The navigation list (left of the HSplit, below the
# menu bar, the 48 px logo, the app name and a separator) was measured on captures of this
# window: the first row ("Today") is centred at y=143 and rows are 38.3 px apart; x=86 is the
# middle of the nav column. These do not depend on the window height. A click landing up to half
# a row (19 px) off still hits the right row; if the header grows by more, set SMOKE_NAV_Y0.
SCREEN_W=1280 SCREEN_H=800
WIN_W=1200 WIN_H=760
NAV_X=${SMOKE_NAV_X:-86}
NAV_Y0=${SMOKE_NAV_Y0:-143}
NAV_ROW=${SMOKE_NAV_ROW:-38.3}
# The first menu of the in-window menu bar sits at the top-left corner; its last item is Quit.
MENU_X=30 MENU_Y=13
# The pointer rests here, from before the window opens and after each click: on the empty right
# end of the menu bar, where nothing reacts to it, so that no hover highlight (which Fyne keeps
# even after the pointer leaves the window) can make two captures differ.
REST_X=$((WIN_W - 60)) REST_Y=13
# The 7 navigation rows, in order; clicked starting from row 1 and ending with row 0 (Today, the
# screen shown at start) so that every click must change the screen.
NAV_NAMES=(today customers records events complaints insights settings)
NAV_ORDER=(1 2 3 4 5 6 0)

WAIT=${SMOKE_WAIT:-1}
QUIT_TIMEOUT=${SMOKE_QUIT_TIMEOUT:-10}
LANGS=${SMOKE_LANGS:-C zh_CN.UTF-8}
CUSTOMERS=${SMOKE_CUSTOMERS:-3000}
# A capture is blank below either threshold: a solid or nearly solid window has a handful of
# colours and a standard deviation near 0; a real screen has hundreds of colours (anti-aliased
# text) and a deviation around 0.1–0.2.
MIN_COLOURS=32
MIN_STDDEV=0.02

say() { echo "smoke: $*"; }
fail() {
  echo "smoke: FAIL: $*" >&2
  if [ -n "${APP_LOG:-}" ] && [ -s "$APP_LOG" ]; then
    echo "smoke: the app's output ($APP_LOG):" >&2
    tail -n 30 "$APP_LOG" >&2
  fi
  [ -n "${OUT:-}" ] && echo "smoke: captures and logs kept in $OUT" >&2
  exit 1
}

# --- tools -----------------------------------------------------------------------------------
missing=()
command -v Xvfb >/dev/null 2>&1 || missing+=(xvfb)
command -v xdotool >/dev/null 2>&1 || missing+=(xdotool)
{ command -v import && command -v identify; } >/dev/null 2>&1 || missing+=(imagemagick)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing what the smoke test needs: ${missing[*]}"
  scripts/setup.sh "${missing[@]}"
  for tool in Xvfb xdotool import identify; do
    command -v "$tool" >/dev/null 2>&1 || fail "$tool is still missing after installing ${missing[*]}"
  done
fi

if [ -z "${CAREBOOK_BIN:-}" ]; then
  make --no-print-directory build
  CAREBOOK_BIN=bin/carebook
fi
[ -x "$CAREBOOK_BIN" ] || fail "no binary at $CAREBOOK_BIN"
BIN=$(cd "$(dirname "$CAREBOOK_BIN")" && pwd)/$(basename "$CAREBOOK_BIN")

OUT=${SMOKE_OUT:-$(mktemp -d /tmp/carebook-smoke-XXXX)}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

# --- clean-up --------------------------------------------------------------------------------
XVFB_PID="" APP_PID="" APP_LOG=""
cleanup() {
  local rc=$?
  if [ -n "$APP_PID" ] && kill -0 "$APP_PID" 2>/dev/null; then
    kill "$APP_PID" 2>/dev/null || true
    sleep 0.5
    kill -9 "$APP_PID" 2>/dev/null || true
  fi
  if [ -n "$XVFB_PID" ] && kill -0 "$XVFB_PID" 2>/dev/null; then
    kill "$XVFB_PID" 2>/dev/null || true
    wait "$XVFB_PID" 2>/dev/null || true
  fi
  rm -rf "$OUT/home-"*
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# alive PID: the process runs (not gone, not a zombie waiting to be reaped).
alive() {
  kill -0 "$1" 2>/dev/null || return 1
  [ -r "/proc/$1/stat" ] || return 0
  ! grep -q '^[0-9]* (.*) Z ' "/proc/$1/stat"
}

# --- the book --------------------------------------------------------------------------------
if [ -n "${SMOKE_DB:-}" ]; then
  BOOK=$(cd "$(dirname "$SMOKE_DB")" && pwd)/$(basename "$SMOKE_DB")
  say "book: $BOOK (given)"
else
  BOOK=$OUT/book.db
  say "book: $CUSTOMERS demo customers as of $(date +%F) in $BOOK"
  "$BIN" demo --db "$BOOK" --customers "$CUSTOMERS" --seed 1 --today "$(date +%F)" >"$OUT/demo.log" 2>&1 ||
    { cat "$OUT/demo.log" >&2; fail "the demo book could not be made"; }
fi
# The window title ends with the book's path: search for it as a regular expression.
TITLE_RE=$(printf '%s$' "$BOOK" | sed 's/[][\.*^+?(){}|]/\\&/g')

# --- the X server ----------------------------------------------------------------------------
# -displayfd makes Xvfb pick a free display number and write it once it accepts clients.
: >"$OUT/display"
Xvfb -displayfd 3 -screen 0 "${SCREEN_W}x${SCREEN_H}x24" -nolisten tcp 3>"$OUT/display" >"$OUT/xvfb.log" 2>&1 &
XVFB_PID=$!
for _ in $(seq 1 100); do
  grep -q '^[0-9][0-9]*$' "$OUT/display" 2>/dev/null && break
  alive "$XVFB_PID" || { cat "$OUT/xvfb.log" >&2; fail "Xvfb did not start"; }
  sleep 0.1
done
grep -q '^[0-9][0-9]*$' "$OUT/display" || fail "Xvfb gave no display number within 10 s"
export DISPLAY=:$(cat "$OUT/display")
say "Xvfb on $DISPLAY at ${SCREEN_W}x${SCREEN_H}x24"

# capture FILE: the window's pixels to FILE; prints their signature (a hash of the pixels).
capture() {
  # import can wait forever on a window that vanishes under it: bounded.
  timeout 20 import -window "$WID" "$1" 2>>"$OUT/import.log" || fail "could not capture the window into $1"
  identify -format '%#' "$1"
}

# check_not_blank FILE
check_not_blank() {
  local stats colours sd
  stats=$(identify -format '%k %[fx:standard_deviation]' "$1")
  colours=${stats% *} sd=${stats#* }
  awk -v k="$colours" -v sd="$sd" -v mk="$MIN_COLOURS" -v msd="$MIN_STDDEV" 'BEGIN { exit !(k >= mk && sd >= msd) }' ||
    fail "$(basename "$1") is blank ($colours colours, standard deviation $sd)"
  echo "$colours colours, deviation $sd"
}

# settle FILE: captures until two captures in a row are the same (the screen finished loading),
# at most 7 captures 0.2 s apart; prints the last signature. A blinking text cursor never
# settles: the last capture is kept then.
settle() {
  local sig prev=""
  sig=$(capture "$1")
  for _ in 1 2 3 4 5 6; do
    [ "$sig" = "$prev" ] && break
    prev=$sig
    sleep 0.2
    alive "$APP_PID" || fail "the app exited while showing $(basename "$1" .png)"
    sig=$(capture "$1")
  done
  echo "$sig"
}

# --- one pass per language -------------------------------------------------------------------
pass() {
  local lang=$1 tag home wid_list t0 t1 prev sig stats n i y file status
  tag=$(echo "$lang" | tr -c 'A-Za-z0-9\n' '_' | tr 'A-Z' 'a-z')
  tag=${tag%%_utf_8}
  home=$OUT/home-$tag
  mkdir -p "$home"
  APP_LOG=$OUT/app-$tag.log
  say "[$lang] starting $BIN --db $BOOK (HOME=$home)"
  xdotool mousemove "$REST_X" "$REST_Y"
  t0=$(date +%s.%N)
  env -u LC_ALL -u LC_MESSAGES -u LANGUAGE LANG="$lang" \
    HOME="$home" XDG_CONFIG_HOME="$home/.config" XDG_DATA_HOME="$home/.local/share" \
    XDG_CACHE_HOME="$home/.cache" FYNE_SCALE=1 \
    "$BIN" --db "$BOOK" >"$APP_LOG" 2>&1 &
  APP_PID=$!
  say "[$lang] app pid $APP_PID"

  if ! wid_list=$(timeout 30 xdotool search --sync --onlyvisible --name "$TITLE_RE" 2>/dev/null); then
    alive "$APP_PID" || fail "[$lang] the app exited before showing its window"
    # Another window instead (a refused or damaged book opens the recovery window): name it and
    # keep a picture of the screen.
    local others="" w
    for w in $(xdotool search --onlyvisible --name . 2>/dev/null); do
      others+=" “$(xdotool getwindowname "$w" 2>/dev/null)”"
    done
    timeout 20 import -window root "$OUT/smoke-$tag-nowindow.png" 2>>"$OUT/import.log" || true
    fail "[$lang] no window titled …$BOOK within 30 s; windows open:${others:- none} (see smoke-$tag-nowindow.png)"
  fi
  WID=$(echo "$wid_list" | head -n 1)
  # The first frame: the window drawn (not blank), as the app opened it.
  file=$OUT/smoke-$tag-0-start.png
  for _ in $(seq 1 100); do
    alive "$APP_PID" || fail "[$lang] the app exited at start"
    capture "$file" >/dev/null
    [ "$(identify -format '%k' "$file")" -ge "$MIN_COLOURS" ] && break
    sleep 0.1
  done
  t1=$(date +%s.%N)
  say "[$lang] window $WID: first frame captured $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s after start (for information: includes the X server's and the capture's own time)"
  xdotool windowmove "$WID" 0 0
  xdotool windowsize "$WID" "$WIN_W" "$WIN_H"
  xdotool mousemove "$REST_X" "$REST_Y"
  sleep "$WAIT"
  prev=$(settle "$file")
  [ "$(identify -format '%wx%h' "$file")" = "${WIN_W}x${WIN_H}" ] ||
    fail "[$lang] the window is $(identify -format '%wx%h' "$file"), not the ${WIN_W}x${WIN_H} asked for: the navigation's coordinates would be wrong"
  stats=$(check_not_blank "$file")
  say "[$lang] start: $stats"

  n=1
  for i in "${NAV_ORDER[@]}"; do
    y=$(awk -v y0="$NAV_Y0" -v h="$NAV_ROW" -v i="$i" 'BEGIN { printf "%d", y0 + i * h + 0.5 }')
    xdotool mousemove "$NAV_X" "$y" click 1
    xdotool mousemove "$REST_X" "$REST_Y"
    sleep "$WAIT"
    alive "$APP_PID" || fail "[$lang] the app exited after a click on ${NAV_NAMES[$i]}"
    file=$OUT/smoke-$tag-$n-${NAV_NAMES[$i]}.png
    sig=$(settle "$file")
    stats=$(check_not_blank "$file")
    say "[$lang] ${NAV_NAMES[$i]} (row $i, y=$y): $stats"
    [ "$sig" != "$prev" ] || fail "[$lang] the click on ${NAV_NAMES[$i]} changed nothing ($(basename "$file") is the same as the capture before)"
    prev=$sig
    n=$((n + 1))
  done

  # Quit as a user would: open the first menu of the window's menu bar, go up to its last item
  # (Quit) and press Enter.
  xdotool mousemove "$MENU_X" "$MENU_Y" click 1
  sleep 0.5
  xdotool key Up
  sleep 0.2
  xdotool key Return
  t0=$(date +%s.%N)
  for _ in $(seq 1 $((QUIT_TIMEOUT * 10))); do
    alive "$APP_PID" || break
    sleep 0.1
  done
  if alive "$APP_PID"; then
    # What it was doing: the window if it still has one, and every goroutine's stack (a Go
    # program prints them to its stderr, the app's log, when it gets SIGQUIT).
    timeout 20 import -window "$WID" "$OUT/smoke-$tag-quit.png" 2>>"$OUT/import.log" || true
    kill -QUIT "$APP_PID" 2>/dev/null || true
    sleep 1
    fail "[$lang] the app did not quit within $QUIT_TIMEOUT s of File → Quit (its goroutines' stacks are in $APP_LOG; the window, if any, in smoke-$tag-quit.png)"
  fi
  t1=$(date +%s.%N)
  status=0
  wait "$APP_PID" || status=$?
  APP_PID=""
  [ "$status" -eq 0 ] || fail "[$lang] the app quit with status $status"
  # A book closed cleanly removes its lock file (and checkpoints its WAL).
  [ ! -e "$BOOK.lock" ] || fail "[$lang] the app quit without closing the book: $BOOK.lock is left"
  say "[$lang] quit cleanly (status 0) $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s after File → Quit"
}

for lang in $LANGS; do
  pass "$lang"
done
say "PASS: ${#NAV_ORDER[@]} screens in each of: $LANGS"
say "captures in $OUT"
