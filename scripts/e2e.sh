#!/usr/bin/env bash
# End-to-end UI tests: installs Debian's chromium and playwright-core (npm ci; never a downloaded
# browser), builds a small corpus (imr synth + ingest into a temporary SQLite database), starts
# `imr serve` on a free port, runs tests/e2e/ui.test.mjs at laptop and phone widths, stops the
# server. Screenshots: $BUILD/e2e-screenshots/.
# Environment: BUILD (build directory with imr, default build), E2E_LETTERS (default 300).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD="$(cd "${BUILD:-build}" 2>/dev/null && pwd || echo "${BUILD:-build}")"
IMR="$BUILD/imr"
[ -x "$IMR" ] || { echo "e2e: $IMR missing; build first (ninja -C $BUILD imr)"; exit 2; }

if [ ! -x /usr/bin/chromium ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi
command -v npm >/dev/null || { echo "e2e: npm missing (scripts/install-deps.sh installs it)"; exit 2; }
(cd tests/e2e && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)

tmp="$(mktemp -d /tmp/imr-e2e.XXXXXX)"
pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
db="sqlite:$tmp/imr.db"
"$IMR" synth --count "${E2E_LETTERS:-300}" --seed 6 --out "$tmp/letters" >/dev/null
"$IMR" ingest --db "$db" "$tmp/letters" >/dev/null
token="$("$IMR" token create --db "$db" --role reviewer --name e2e-reviewer 2>/dev/null)"
admin="$("$IMR" token create --db "$db" --role admin --name e2e-admin 2>/dev/null)"

"$IMR" serve --db "$db" --port 0 --web "$PWD/web" >"$tmp/serve.log" 2>&1 &
pid=$!
url=""
for _ in $(seq 1 100); do
  url="$(sed -n 's/.*listening on \(http[^ ]*\).*/\1/p' "$tmp/serve.log")"
  [ -n "$url" ] && break
  kill -0 "$pid" 2>/dev/null || { cat "$tmp/serve.log"; exit 1; }
  sleep 0.1
done
[ -n "$url" ] || { echo "e2e: server did not start"; cat "$tmp/serve.log"; exit 1; }
echo "e2e: server at $url"
mkdir -p "$BUILD/e2e-screenshots"
IMR_E2E_URL="$url" IMR_E2E_TOKEN="$token" IMR_E2E_ADMIN_TOKEN="$admin" IMR_E2E_SHOTS="$BUILD/e2e-screenshots" \
  node --test --test-concurrency=1 tests/e2e/ui.test.mjs
echo "e2e: screenshots in $BUILD/e2e-screenshots/"
