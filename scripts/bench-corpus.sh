#!/usr/bin/env bash
# Scale of the corpus store (issue 3, item 8), on `imr synth` corpora, both backends:
#   ingest throughput beside `imr parse` of the same files      (target: ingest <= 2x parse)
#   bytes per letter on disk                                    (SQLite file + WAL; pg_database_size)
#   search and stats latency p50/p99 (build/bench/corpus_bench) (target: search p99 < 20 ms on SQLite at 1M;
#                                                                 stats < 1 s)
#
#   scripts/bench-corpus.sh [BUILD_DIR]        (default: build)
#
# env: SIZES="100000 1000000"   corpus sizes, in letters
#      BACKENDS="sqlite postgresql"
#      WORK=/tmp/imr-bench-corpus  synth corpora and databases; kept, so a second run reuses the
#                                  corpora (delete it to free the disk: ~5 GB per million letters)
#      RUNS=50                     timed runs per query workload
#      PG_URL=postgresql://...     an existing server's database to use (it is emptied); default: a
#                                  throwaway cluster (scripts/pg-test-cluster.sh) in $WORK/pg
# Output: one Markdown section per size and backend, and a summary table at the end (also in
# $WORK/summary.md). Times are wall-clock seconds; peak memory is the maximum resident set size.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$repo/build}"
imr="$build/imr"
bench="$build/bench/corpus_bench"
sizes="${SIZES:-100000 1000000}"
backends="${BACKENDS:-sqlite postgresql}"
work="${WORK:-/tmp/imr-bench-corpus}"
runs="${RUNS:-50}"

for bin in "$imr" "$bench"; do
  [ -x "$bin" ] || { echo "bench-corpus: $bin not built (ninja -C $build imr corpus_bench)" >&2; exit 2; }
done
command -v /usr/bin/time >/dev/null || { echo "bench-corpus: /usr/bin/time missing (apt-get install -y time)" >&2; exit 2; }
mkdir -p "$work"

pg_url=""
if [[ " $backends " == *" postgresql "* ]]; then
  if [ -n "${PG_URL:-}" ]; then
    pg_url="$PG_URL"
  else
    eval "$(IMR_PG_DIR="$work/pg" bash "$repo/scripts/pg-test-cluster.sh" start)"
    pg_url="$IMR_TEST_PG_URL"
    trap 'IMR_PG_DIR="$work/pg" bash "$repo/scripts/pg-test-cluster.sh" stop >/dev/null 2>&1 || true' EXIT
  fi
fi

# timed OUT_PREFIX CMD...: runs CMD, stores wall seconds and peak RSS (MB) in OUT_PREFIX.{s,mb}.
timed() {
  local out="$1"
  shift
  /usr/bin/time -f "%e %M" -o "$out.time" "$@"
  awk '{ printf "%s", $1 }' "$out.time" >"$out.s"
  awk '{ printf "%.0f", $2 / 1024 }' "$out.time" >"$out.mb"
}

summary="$work/summary.md"
{
  echo "corpus scale benchmark: $(date -u +%Y-%m-%d), $(nproc) cores, $(uname -m); build: $build"
  echo
  echo "| letters | backend | parse s | ingest s | ingest/parse | letters/s | ingest peak MB | bytes/letter | search p50 ms | search p99 ms | slowest search p99 ms | search CPU p99 ms | stats max ms |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
} >"$summary"

for n in $sizes; do
  corpus="$work/synth-$n"
  if [ ! -f "$corpus/.done" ]; then
    echo "== synth $n letters into $corpus" >&2
    rm -rf "$corpus"
    "$imr" synth --count "$n" --seed 7 --out "$corpus" >&2
    rm -f "$corpus/expected.jsonl"
    touch "$corpus/.done"
  fi
  echo "== imr parse of $n letters" >&2
  timed "$work/parse-$n" "$imr" parse "$corpus" >/dev/null
  parse_s=$(cat "$work/parse-$n.s")

  for backend in $backends; do
    echo "== $backend: ingest $n letters" >&2
    if [ "$backend" = sqlite ]; then
      db="$work/$n.db"
      rm -f "$db" "$db-wal" "$db-shm"
      url="sqlite:$db"
    else
      url="$pg_url"
      psql -q "$pg_url" -c 'DROP SCHEMA public CASCADE; CREATE SCHEMA public;' >/dev/null
    fi
    timed "$work/ingest-$backend-$n" "$imr" ingest --db "$url" "$corpus" >"$work/ingest-$backend-$n.out"
    ingest_s=$(cat "$work/ingest-$backend-$n.s")
    ingest_mb=$(cat "$work/ingest-$backend-$n.mb")
    if [ "$backend" = sqlite ]; then
      bytes=$(( $(stat -c %s "$db") + $( [ -f "$db-wal" ] && stat -c %s "$db-wal" || echo 0) ))
    else
      psql -q "$pg_url" -c 'VACUUM ANALYZE' >/dev/null
      bytes=$(psql -tA "$pg_url" -c 'SELECT pg_database_size(current_database())')
    fi
    echo "== $backend: query latency at $n letters ($runs runs per workload)" >&2
    "$bench" --db "$url" --runs "$runs" --json >"$work/query-$backend-$n.jsonl"
    echo
    echo "### $n letters, $backend"
    echo
    echo "ingest: $(cat "$work/ingest-$backend-$n.out"); ${ingest_s} s (parse alone ${parse_s} s); peak ${ingest_mb} MB; $bytes bytes on disk"
    echo
    echo "| workload | p50 ms | p99 ms | max ms | CPU p50 ms | CPU p99 ms |"
    echo "|---|---|---|---|---|---|"
    jq -r '"| \(.workload) | \(.p50_ms) | \(.p99_ms) | \(.max_ms) | \(.cpu_p50_ms) | \(.cpu_p99_ms) |"' "$work/query-$backend-$n.jsonl"
    jq -rs --arg n "$n" --arg b "$backend" --arg ps "$parse_s" --arg is "$ingest_s" --arg mb "$ingest_mb" --arg bytes "$bytes" '
      (map(select(.workload | startswith("search"))) ) as $s
      | (map(select(.workload | startswith("stats"))) ) as $t
      | ($s | map(.p50_ms) | sort | .[(length / 2 | floor)]) as $p50
      | ($s | map(.p99_ms) | sort | .[(length / 2 | floor)]) as $p99
      | "| \($n) | \($b) | \($ps) | \($is) | \((($is | tonumber) / ($ps | tonumber) * 100 | round) / 100)x | \((($n | tonumber) / ($is | tonumber)) | round) | \($mb) | \((($bytes | tonumber) / ($n | tonumber)) | round) | \($p50) | \($p99) | \($s | map(.p99_ms) | max) | \($s | map(.cpu_p99_ms) | sort | .[(length / 2 | floor)]) | \($t | map(.max_ms) | max) |"' \
      "$work/query-$backend-$n.jsonl" >>"$summary"
  done
done
echo
echo "search p50/p99 in the summary: the median over the search workloads of each workload's p50/p99."
cat "$summary"
