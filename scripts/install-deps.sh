#!/usr/bin/env bash
# Installs every Debian 12 package imr needs to build, test and run (as root, or via sudo).
# Idempotent: packages already present are skipped by apt-get. Set IMR_SKIP_APT=1 to skip.
set -euo pipefail
[ "${IMR_SKIP_APT:-0}" = 1 ] && exit 0
PACKAGES=(
  build-essential cmake ninja-build pkg-config git
  clang libclang-rt-14-dev               
  libgtest-dev libgmock-dev libbenchmark-dev
  libpoppler-cpp-dev poppler-utils qpdf
  libre2-dev nlohmann-json3-dev libcli11-dev
  libsqlite3-dev sqlite3 libpq-dev postgresql
  liblinear-dev libcairo2-dev libpango1.0-dev fonts-liberation2 libcpp-httplib-dev
  hyperfine jq time
)
# Web UI tests and load: Debian's chromium (never a downloaded browser), wrk; npm for
# playwright-core (a node that already ships npm is kept).
PACKAGES+=(chromium wrk curl)
command -v npm >/dev/null || PACKAGES+=(nodejs npm)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
