#!/usr/bin/env bash
# Installs what building Carebook needs on Debian/Ubuntu: a C compiler and the OpenGL/X11
# headers that Fyne links against. Only what is missing is installed; it says what it does.
set -euo pipefail

need_pkgs=(gcc pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev
  libxinerama-dev libxi-dev libxxf86vm-dev libxkbcommon-dev)
# Extra packages asked for by the caller (e.g. xvfb for screenshots and the window smoke test).
need_pkgs+=("$@")

missing=()
for p in "${need_pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "carebook setup: missing ${missing[*]} and apt-get is not available; install them with your package manager." >&2
    exit 1
  fi
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
    echo "carebook setup: sudo is needed to install system packages."
  fi
  echo "carebook setup: installing ${missing[*]} (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "carebook setup: system packages present (${#need_pkgs[@]} checked)"
fi

if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then
  export PATH="/usr/local/go/bin:$PATH"
fi
if ! command -v go >/dev/null 2>&1; then
  echo "carebook setup: Go is not installed; install Go 1.24 or newer from your distribution or go.dev." >&2
  exit 1
fi
echo "carebook setup: downloading Go modules"
go mod download
