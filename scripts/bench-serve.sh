#!/usr/bin/env bash
# Load test of `imr serve` with wrk: search (rotating queries) and statistics, printing
# requests/s and p99 latency per workload.
#   DB=URL          use this existing corpus (else LETTERS synthetic letters are made and
#                   ingested into a temporary SQLite database)
#   LETTERS=20000   size of the synthetic corpus
#   CONNS=100 DURATION=20s SERVE_THREADS=128 (one connection per server thread)
#   WRK_THREADS     threads of each wrk process (one wrk per server process); default 2 with one
#                   server, 1 each with two, so that the load generator has the same two threads
#                   however many servers it drives
#   PROCESSES=1     server processes on the same database (2 to measure two processes sharing
#                   one PostgreSQL; wrk then drives each with CONNS/2 connections at once)
#   BUILD=build     build directory holding imr
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD="$(cd "${BUILD:-build}" 2>/dev/null && pwd || echo "${BUILD:-build}")"
IMR="$BUILD/imr"
LETTERS="${LETTERS:-20000}" CONNS="${CONNS:-100}" DURATION="${DURATION:-20s}"
SERVE_THREADS="${SERVE_THREADS:-128}" PROCESSES="${PROCESSES:-1}"
WRK_THREADS="${WRK_THREADS:-$(( PROCESSES >= 2 ? 1 : 2 ))}"
command -v wrk >/dev/null || { echo "bench-serve: wrk missing (apt-get install wrk)"; exit 2; }
[ -x "$IMR" ] || { echo "bench-serve: $IMR missing; build first"; exit 2; }

tmp="$(mktemp -d /tmp/imr-bench-serve.XXXXXX)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

db="${DB:-}"
if [ -z "$db" ]; then
  db="sqlite:$tmp/imr.db"
  echo "== $LETTERS synthetic letters into $db"
  "$IMR" synth --count "$LETTERS" --seed 42 --out "$tmp/letters" >/dev/null
  "$IMR" ingest --db "$db" "$tmp/letters" >/dev/null
  rm -rf "$tmp/letters"
fi

urls=()
for k in $(seq 1 "$PROCESSES"); do
  "$IMR" serve --db "$db" --port 0 --threads "$SERVE_THREADS" --web "$PWD/web" >"$tmp/serve$k.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 1200); do  # up to 2 min: opening a large store on a busy machine
    u="$(sed -n 's/.*listening on \(http[^ ]*\).*/\1/p' "$tmp/serve$k.log")"
    [ -n "$u" ] && break
    sleep 0.1
  done
  [ -n "$u" ] || { echo "bench-serve: server $k did not start"; cat "$tmp/serve$k.log"; exit 1; }
  urls+=("$u")
done
echo "== servers: ${urls[*]} ($SERVE_THREADS threads each)"
# Each server loads its statistics index in the background at start (stats_index.h); measure
# once it has, as a server runs most of its life.
for k in $(seq 1 "$PROCESSES"); do
  for _ in $(seq 1 1200); do
    grep -q "statistics index" "$tmp/serve$k.log" && break
    sleep 0.5
  done
  sed -n 's/^imr serve: //p' "$tmp/serve$k.log" | grep "statistics index" || echo "server $k: statistics index not loaded after 10 min"
done

# search: twelve popular queries in turn; after the first round the server's answer cache
# (server/response_cache.h) serves them, as it would the popular searches of a real day.
# search-uncached: every request distinct (two words of a vocabulary and a per-request nonce the
# cache keys on), so each one is ranked: the cost of a question nobody asked before.
cat >"$tmp/search.lua" <<'LUA'
local queries = {"physical%20therapy", "lumbar%20epidural%20steroid%20injection", "norco", "mri%20knee",
  "acupuncture", "cervical%20fusion", "tramadol%20chronic%20pain", "shoulder%20arthroscopy",
  "functional%20restoration%20program", "gabapentin", "home%20health", "chiropractic%20lumbar"}
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", "/api/search?limit=20&q=" .. queries[(n % #queries) + 1])
end
LUA
cat >"$tmp/search-uncached.lua" <<'LUA'
local words = {"physical", "therapy", "lumbar", "epidural", "injection", "norco", "mri", "knee", "acupuncture",
  "cervical", "fusion", "tramadol", "pain", "shoulder", "arthroscopy", "functional", "restoration", "gabapentin",
  "home", "health", "chiropractic", "topical", "compound", "tens", "unit", "opioid", "omeprazole", "sleep"}
local n = 0
request = function()
  n = n + 1
  local a = words[math.random(#words)]
  local b = words[math.random(#words)]
  return wrk.format("GET", "/api/search?limit=20&q=" .. a .. "%20" .. b .. "&nonce=" .. tostring(n) .. "-" ..
    tostring(math.random(1000000000)))
end
LUA
cat >"$tmp/stats.lua" <<'LUA'
local bys = {"category", "guideline", "month", "decision", "body-region", "specialty"}
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", "/api/stats?by=" .. bys[(n % #bys) + 1])
end
LUA

run() {  # NAME SCRIPT
  local per=$((CONNS / PROCESSES))
  local k=0 wrks=()
  for u in "${urls[@]}"; do
    k=$((k + 1))
    # --timeout 10s: a slow answer is a latency (it shows in p99), not a socket error.
    wrk -t"$WRK_THREADS" -c"$per" -d"$DURATION" --timeout 10s --latency -s "$tmp/$2" "$u" >"$tmp/$1.$k.txt" 2>&1 &
    wrks+=($!)
  done
  wait "${wrks[@]}"
  for f in "$tmp/$1".*.txt; do
    local rps p99 errs
    rps="$(awk '/Requests\/sec/ {print $2}' "$f")"
    p99="$(awk '$1 == "99%" {print $2}' "$f")"
    errs="$(grep -E 'Non-2xx|Socket errors' "$f" | tr '\n' ' ' || true)"
    printf '%-16s %s  requests/s %-10s p99 %-8s %s\n' "$1" "$(basename "$f" .txt)" "$rps" "$p99" "${errs:-no errors}"
  done
}
# Warm-up, not reported: the first requests of a fresh process open its database connections and
# read the corpus's pages from disk; the workloads measure the server in steady state. Each
# popular query is asked once first, one at a time (a common query costs seconds on PostgreSQL at
# a million letters: the first asking waits for it, as on a real server's first day).
popular="$(sed -n 's/^local queries = {\(.*\)/\1/p; s/^  \("[a-z%0-9]*",.*\)/\1/p' "$tmp/search.lua" | tr -d '"{} ' | tr ',' ' ')"
for u in "${urls[@]}"; do
  for q in $popular; do
    curl -s -o /dev/null --max-time 120 "${u}api/search?limit=20&q=$q" || echo "warm-up: $q did not answer"
  done
done
for u in "${urls[@]}"; do
  for script in search.lua stats.lua search-uncached.lua; do
    wrk -t1 -c4 -d3s -s "$tmp/$script" "$u" >/dev/null 2>&1
  done
done
echo "== wrk -c $CONNS -d $DURATION --latency ($PROCESSES wrk process(es) of $WRK_THREADS thread(s))"
run search search.lua
run stats stats.lua
run search-uncached search-uncached.lua  # last: its backlog must not land in another workload
for p in "${pids[@]}"; do
  echo "server pid $p: max RSS $(awk '/VmHWM/ {print $2 " " $3}' /proc/"$p"/status 2>/dev/null)"
done
