#!/usr/bin/env bash
# Where a PostgreSQL ingest's time goes (issue 3, ingest <= 2x parse): `imr parse` of a corpus,
# then `imr ingest` of it into a fresh database three times:
#   full          the schema as shipped
#   no-gin        without the two GIN text indexes (then the time to build them afterwards)
#   no-gin-no-trigger  also without the trigger that computes the item vectors: items are not
#                 searchable afterwards, so this is a measurement, never a way to run
#
#   scripts/bench-pg-ingest-parts.sh CORPUS_DIR [BUILD_DIR]
#
# env: PG_URL=postgresql://...  a server whose user may create databases (each variant gets one,
#                               dropped at the end); default: a throwaway cluster
#                               (scripts/pg-test-cluster.sh)
# Run it on a quiet machine: parse and ingest both use every core.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
corpus="${1:?usage: bench-pg-ingest-parts.sh CORPUS_DIR [BUILD_DIR]}"
build="${2:-$repo/build}"
imr="$build/imr"
[ -x "$imr" ] || { echo "bench-pg-ingest-parts: $imr not built" >&2; exit 2; }
[ -d "$corpus" ] || { echo "bench-pg-ingest-parts: $corpus: no such directory" >&2; exit 2; }
command -v psql >/dev/null || { echo "bench-pg-ingest-parts: psql missing (apt-get install -y postgresql-client)" >&2; exit 2; }

work="$(mktemp -d /tmp/imr-pg-parts.XXXXXX)"
chmod 755 "$work"  # the throwaway cluster runs as the postgres user
pg_url="${PG_URL:-}"
dbs=()
cleanup() {
  for db in "${dbs[@]}"; do sql "$(url_of postgres)" -qc "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true; done
  if [ -z "${PG_URL:-}" ]; then IMR_PG_DIR="$work/pg" bash "$repo/scripts/pg-test-cluster.sh" stop >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
if [ -z "$pg_url" ]; then
  eval "$(IMR_PG_DIR="$work/pg" bash "$repo/scripts/pg-test-cluster.sh" start)"
  pg_url="$IMR_TEST_PG_URL"
fi

# url_of DB: PG_URL with its database name replaced (postgresql://[auth@host]/NAME[?query]).
url_of() {
  local query="" rest="$pg_url"
  if [[ "$rest" == *\?* ]]; then query="?${rest#*\?}"; rest="${rest%%\?*}"; fi
  echo "${rest%/*}/$1$query"
}

sql() { PGOPTIONS="-c client_min_messages=warning" psql "$@"; }
seconds() { awk '{ printf "%s", $1 }' "$1"; }

# The corpus read once first: every run then reads it from the page cache, as the first would not.
find "$corpus" -type f -exec cat {} + >/dev/null
/usr/bin/time -f "%e" -o "$work/parse.time" "$imr" parse "$corpus" >/dev/null
parse_s="$(seconds "$work/parse.time")"

declare -A ingest_s
build_s=""
for variant in full no-gin no-gin-no-trigger; do
  db="imr_parts_${variant//-/_}_$$"
  sql "$(url_of postgres)" -qc "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
  dbs+=("$db")
  url="$(url_of "$db")"
  "$imr" stats --db "$url" >/dev/null  # creates the schema
  case "$variant" in
    no-gin) sql "$url" -qc "DROP INDEX item_texts_search" -c "DROP INDEX letter_texts_search" ;;
    no-gin-no-trigger)
      sql "$url" -qc "DROP INDEX item_texts_search" -c "DROP INDEX letter_texts_search" \
        -c "DROP TRIGGER item_texts_search_vector ON item_texts" ;;
  esac
  /usr/bin/time -f "%e" -o "$work/$variant.time" "$imr" ingest --db "$url" "$corpus" >"$work/$variant.out" 2>&1 ||
    { cat "$work/$variant.out"; exit 1; }
  ingest_s[$variant]="$(seconds "$work/$variant.time")"
  if [ "$variant" = no-gin ]; then
    start=$(date +%s.%N)
    sql "$url" -qc "SET maintenance_work_mem = '1GB'" \
      -c "CREATE INDEX item_texts_search ON item_texts USING gin (search_vector)" \
      -c "CREATE INDEX letter_texts_search ON letter_texts USING gin (search_vector)"
    build_s=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
  fi
done

files=$(sed -n 's/^\([0-9]*\) files:.*/\1/p' "$work/full.out" | tail -n 1)
echo "PostgreSQL ingest, by part: $files files in $corpus, $(date -u +%Y-%m-%d), $(nproc) cores"
echo
echo "| run | seconds | / parse |"
echo "|---|---|---|"
echo "| imr parse | $parse_s | 1.00 |"
for variant in full no-gin no-gin-no-trigger; do
  awk -v v="$variant" -v s="${ingest_s[$variant]}" -v p="$parse_s" 'BEGIN { printf "| imr ingest, %s | %s | %.2f |\n", v, s, s / p }'
done
echo "| building the two GIN indexes after the no-gin ingest | $build_s | |"
