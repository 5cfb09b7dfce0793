#!/usr/bin/env bash
# firstframe.sh BINARY BOOK [SETTLE_SECONDS]: starts Carebook's real window on BOOK under a private
# Xvfb (software OpenGL: Mesa's llvmpipe) with a fresh HOME, and prints one line:
#   firstframe_ms=N mapped_ms=N rss_mb=N rss_file_mb=N
# firstframe_ms: from exec to the first capture of the window that is not blank (one colour);
# mapped_ms: from exec to the window being mapped (xdotool search --sync);
# rss_mb: the process's peak RSS (VmHWM) after SETTLE_SECONDS (default 8), once Today's plan and
# the customer list have loaded; rss_file_mb: the file-backed part of its RSS then (the binary
# and the GL libraries: Mesa's llvmpipe maps some 60 MB of LLVM that a GPU driver would not).
# Needs Xvfb, xdotool and ImageMagick's import (Debian: xvfb xdotool imagemagick).
set -euo pipefail
bin=$(realpath "$1"); book=$(realpath "$2"); settle=${3:-8}
for c in Xvfb xdotool import; do
	command -v "$c" >/dev/null || { echo "firstframe: $c is missing (apt-get install xvfb xdotool imagemagick)" >&2; exit 2; }
done
tmp=$(mktemp -d)
display=""
for n in $(seq 90 130); do
	[ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ] || { display=":$n"; break; }
done
[ -n "$display" ] || { echo "firstframe: no free X display" >&2; exit 2; }
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
app=""
cleanup() {
	if [ -n "$app" ]; then
		kill "$app" 2>/dev/null || true
		for _ in $(seq 1 100); do kill -0 "$app" 2>/dev/null || break; sleep 0.1; done
		kill -9 "$app" 2>/dev/null || true
		wait "$app" 2>/dev/null || true
	fi
	kill "$xvfb" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT
export DISPLAY=$display
for _ in $(seq 1 50); do xdotool getdisplaygeometry >/dev/null 2>&1 && break; sleep 0.1; done
ms() { echo $(( ($(date +%s%N) - start) / 1000000 )); }
start=$(date +%s%N)
HOME=$tmp XDG_CONFIG_HOME=$tmp/config "$bin" --db "$book" >"$tmp/log" 2>&1 &
app=$!
win=$(timeout 30 xdotool search --sync --onlyvisible --name "$(basename "$book")" | head -1)
mapped=$(ms)
first=""
for _ in $(seq 1 200); do
	if import -window "$win" "$tmp/f.png" 2>/dev/null &&
		[ "$(convert "$tmp/f.png" -format '%k' info: 2>/dev/null || echo 1)" -gt 16 ]; then
		first=$(ms)
		break
	fi
	kill -0 "$app" 2>/dev/null || { echo "firstframe: the app exited:" >&2; cat "$tmp/log" >&2; exit 1; }
	sleep 0.02
done
[ -n "$first" ] || { echo "firstframe: no frame in time" >&2; exit 1; }
sleep "$settle"
kill -0 "$app" 2>/dev/null || { echo "firstframe: the app exited:" >&2; cat "$tmp/log" >&2; exit 1; }
hwm=$(awk '/^VmHWM:/{print int($2/1024)}' "/proc/$app/status")
file=$(awk '/^RssFile:/{print int($2/1024)}' "/proc/$app/status")
echo "firstframe_ms=$first mapped_ms=$mapped rss_mb=$hwm rss_file_mb=$file"
