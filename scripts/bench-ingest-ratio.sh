#!/usr/bin/env bash
# Ingest against parse, in turns (issue 3: an ingest costs at most 2x `imr parse` of the same
# files). This machine's speed drifts by about 10% within minutes, so one parse timed beside one
# ingest says little: the script times `imr parse DIR`, then `imr ingest DIR` into a fresh store,
# RUNS times over, and prints each pair's ratio and the median ratio. Beside the times, the CPU
# seconds each used: imr's own (user + system) and, for a PostgreSQL server on this machine, the
# server's, so a ratio can be read as the reader's cost plus the store's.
#
#   scripts/bench-ingest-ratio.sh CORPUS_DIR [BUILD_DIR]
#
# env: BACKEND=sqlite|postgresql  the store (default sqlite: a file in a temporary directory)
#      RUNS=3                     pairs to time
#      PG_URL=postgresql://...    a server whose user may create databases (each run gets one,
#                                 dropped at the end); default: a throwaway cluster
#                                 (scripts/pg-test-cluster.sh)
# Run it on a quiet machine: parse and ingest both use every core.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
corpus="${1:?usage: bench-ingest-ratio.sh CORPUS_DIR [BUILD_DIR]}"
build="${2:-$repo/build}"
imr="$build/imr"
backend="${BACKEND:-sqlite}"
runs="${RUNS:-3}"
[ -x "$imr" ] || { echo "bench-ingest-ratio: $imr not built" >&2; exit 2; }
[ -d "$corpus" ] || { echo "bench-ingest-ratio: $corpus: no such directory" >&2; exit 2; }
[[ "$backend" == sqlite || "$backend" == postgresql ]] ||
  { echo "bench-ingest-ratio: BACKEND must be sqlite or postgresql, not '$backend'" >&2; exit 2; }
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "bench-ingest-ratio: RUNS must be a positive number, not '$runs'" >&2; exit 2; }
if [ "$backend" = postgresql ]; then
  command -v psql >/dev/null || { echo "bench-ingest-ratio: psql missing (apt-get install -y postgresql-client)" >&2; exit 2; }
fi

work="$(mktemp -d /tmp/imr-ingest-ratio.XXXXXX)"
chmod 755 "$work"  # the throwaway cluster runs as the postgres user
pg_url="${PG_URL:-}"
db=""
[ "$backend" = postgresql ] && db="imr_ratio_$$"  # one database, made anew for each run
sql() { PGOPTIONS="-c client_min_messages=warning" psql "$@"; }
# url_of DB: the server URL with its database name replaced (postgresql://[auth@host]/NAME[?query]).
url_of() {
  local query="" rest="$pg_url"
  if [[ "$rest" == *\?* ]]; then query="?${rest#*\?}"; rest="${rest%%\?*}"; fi
  echo "${rest%/*}/$1$query"
}
cleanup() {
  if [ -n "$db" ]; then sql "$(url_of postgres)" -qc "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true; fi
  if [ "$backend" = postgresql ] && [ -z "${PG_URL:-}" ]; then
    IMR_PG_DIR="$work/pg" bash "$repo/scripts/pg-test-cluster.sh" stop >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
if [ "$backend" = postgresql ] && [ -z "$pg_url" ]; then
  eval "$(IMR_PG_DIR="$work/pg" bash "$repo/scripts/pg-test-cluster.sh" start)"
  pg_url="$IMR_TEST_PG_URL"
fi

# A fresh, empty store for each ingest; prints its URL.
fresh_store() {
  if [ "$backend" = sqlite ]; then
    rm -f "$work"/ingest.db*
    echo "$work/ingest.db"
  else
    sql "$(url_of postgres)" -qc "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
    url_of "$db"
  fi
}
seconds() { awk '{ printf "%s", $1 }' "$1"; }
cpu() { awk '{ printf "%.1f", $2 + $3 }' "$1"; }
# server_cpu: CPU seconds the local PostgreSQL server has used so far, its postmaster and every
# process it started, living (utime + stime) or ended (the postmaster's cutime + cstime, where an
# ended backend's time goes once reaped). Empty when the server is not on this machine or its
# data directory cannot be read; the SQLite store works in imr's own process.
server_cpu() {
  [ "$backend" = postgresql ] || return 0
  local dir pid
  dir="$(sql "$(url_of postgres)" -Atc "SHOW data_directory" 2>/dev/null)" || return 0
  pid="$(head -1 "$dir/postmaster.pid" 2>/dev/null)" || return 0
  [[ "$pid" =~ ^[0-9]+$ ]] && [ -r "/proc/$pid/stat" ] || return 0
  local hz; hz="$(getconf CLK_TCK)"
  # /proc/PID/stat: field 4 is the parent; 14-17 utime, stime, cutime, cstime. The name (field 2)
  # is in parentheses and may hold spaces, so fields are counted after its closing one.
  local total=0 stat line rest ppid fields
  for stat in /proc/[0-9]*/stat; do
    line="$(cat "$stat" 2>/dev/null)" || continue
    rest="${line##*) }"
    read -r -a fields <<<"$rest"
    ppid="${fields[1]}"
    if [ "${stat#/proc/}" = "$pid/stat" ]; then
      total=$((total + fields[11] + fields[12] + fields[13] + fields[14]))
    elif [ "$ppid" = "$pid" ]; then
      total=$((total + fields[11] + fields[12]))
    fi
  done
  awk -v t="$total" -v hz="$hz" 'BEGIN { printf "%.2f", t / hz }'
}

# The corpus read once first: every run then reads it from the page cache, as the first would not.
find "$corpus" -type f -exec cat {} + >/dev/null
files=$(find "$corpus" -type f \( -name '*.txt' -o -name '*.pdf' \) | wc -l)
echo "imr ingest ($backend) against imr parse: $files files in $corpus, $(date -u +%Y-%m-%d), $(nproc) cores"
echo
echo "| run | imr parse, s | imr ingest, s | ingest / parse | CPU s: parse / ingest (imr) / ingest (server) |"
echo "|---|---|---|---|---|"
ratios=()
for ((k = 1; k <= runs; ++k)); do
  /usr/bin/time -f "%e %U %S" -o "$work/parse.time" "$imr" parse "$corpus" >/dev/null
  url="$(fresh_store)"
  server_before="$(server_cpu)"
  /usr/bin/time -f "%e %U %S" -o "$work/ingest.time" "$imr" ingest --db "$url" "$corpus" >"$work/ingest.out" 2>&1 ||
    { cat "$work/ingest.out" >&2; exit 1; }
  grep -q " 0 failed" "$work/ingest.out" || { echo "bench-ingest-ratio: some letters failed:" >&2; cat "$work/ingest.out" >&2; exit 1; }
  p="$(seconds "$work/parse.time")"
  i="$(seconds "$work/ingest.time")"
  r=$(awk -v p="$p" -v i="$i" 'BEGIN { printf "%.2f", i / p }')
  ratios+=("$r")
  server="-"
  if [ -n "$server_before" ]; then
    sleep 1  # the ingest's backend has exited; the postmaster reaps it and adds its CPU to its own
    server=$(awk -v a="$server_before" -v b="$(server_cpu)" 'BEGIN { printf "%.1f", b - a }')
  fi
  echo "| $k | $p | $i | $r | $(cpu "$work/parse.time") / $(cpu "$work/ingest.time") / $server |"
done
median=$(printf '%s\n' "${ratios[@]}" | sort -n | awk '{ v[NR] = $1 } END { printf "%.2f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
echo
echo "median ingest / parse: $median"
