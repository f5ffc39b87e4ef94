#!/usr/bin/env bash
# End-to-end speed of `imr parse`, side by side with the baselines of issue 2:
#   text: `imr parse DIR` against `cat FILES | wc -w` over the same files     (target: <= 4x, aim 2x)
#   PDF:  `imr parse DIR` against `pdftotext` run on each file, one after another (target: <= 0.5x)
#
#   scripts/bench-parse.sh [BUILD_DIR]
#
#   BUILD_DIR  a build with build/imr (default: build-bench beside the sources; configured as
#              Release and `imr` built when missing)
#   env: DEV=../shared/corpus/dev (text/ and pdf/), COUNT=20000 (large text set), RUNS=5,
#        IMR_BIN to use another binary.
#
# Inputs: the dev letters (DEV/text, DEV/pdf) and COUNT text letters generated with `imr synth`
# (or, without that verb, the dev text letters copied to COUNT files) in a temp dir that is
# removed at the end. Uses hyperfine when installed (apt-get install -y hyperfine), else the
# fastest of RUNS timed runs. imr runs with all cores (its default) and with --jobs 1; the
# baselines are single processes, as written above.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$repo/build-bench}"
dev="${DEV:-$repo/../shared/corpus/dev}"
count="${COUNT:-20000}"
runs="${RUNS:-5}"
imr="${IMR_BIN:-$build/imr}"

if [ ! -x "$imr" ]; then
  echo "== building imr (Release) in $build"
  cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  ninja -C "$build" imr
fi
for tool in wc pdftotext; do
  command -v "$tool" >/dev/null || { echo "bench-parse: $tool not found (apt-get install -y poppler-utils)" >&2; exit 2; }
done
if [ ! -d "$dev/text" ] || [ ! -d "$dev/pdf" ]; then
  echo "bench-parse: SKIP: $dev/text and $dev/pdf not found (set DEV=...)" >&2
  exit 0
fi
dev="$(cd "$dev" && pwd)"

tmp="$(mktemp -d "${TMPDIR:-/tmp}/imr-bench-parse.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

# --- inputs ----------------------------------------------------------------------------------
big="$tmp/text-$count"
if "$imr" synth --help >/dev/null 2>&1; then
  big_how="imr synth --count $count --seed 1"
  "$imr" synth --count "$count" --seed 1 --out "$big" >/dev/null 2>&1
  rm -f "$big/expected.jsonl"
else
  big_how="dev text letters copied to $count files"
  mkdir -p "$big"
  i=0
  while [ "$i" -lt "$count" ]; do
    for f in "$dev"/text/*.txt; do
      [ "$i" -ge "$count" ] && break
      d="$big/$(printf '%03d' $((i / 1000)))"
      mkdir -p "$d"
      cp "$f" "$d/$i.txt"
      i=$((i + 1))
    done
  done
fi

bytes_of() { find "$1" -type f -name "$2" -print0 | xargs -0 cat | wc -c; }
files_of() { find "$1" -type f -name "$2" | wc -l; }

# --- timing ----------------------------------------------------------------------------------
# measure NAME COMMAND: prints the mean (hyperfine) or the fastest of $runs runs, in seconds.
declare -A secs cmds
measure() {
  local name="$1" cmd="$2"
  cmds[$name]="$cmd"
  if command -v hyperfine >/dev/null; then
    hyperfine --style none --warmup 1 --runs "$runs" --export-csv "$tmp/h.csv" -n "$name" "$cmd" >/dev/null 2>&1
    secs[$name]=$(awk -F, 'NR == 2 { print $2 }' "$tmp/h.csv")
  else
    local best="" t0 t1 t
    bash -c "$cmd" >/dev/null 2>&1 || true  # warm-up: file cache
    for _ in $(seq "$runs"); do
      t0=$(date +%s.%N)
      bash -c "$cmd" >/dev/null 2>&1 || true
      t1=$(date +%s.%N)
      t=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }')
      if [ -z "$best" ] || awk -v t="$t" -v b="$best" 'BEGIN { exit !(t < b) }'; then best="$t"; fi
    done
    secs[$name]="$best"
  fi
}

q() { printf '%q' "$1"; }
echo "== measuring (runs: $runs; $(nproc) cores; $(command -v hyperfine >/dev/null && echo hyperfine mean || echo "fastest of $runs"))" >&2

measure dev_text_imr     "$(q "$imr") parse $(q "$dev/text") > /dev/null"
measure dev_text_imr_j1  "$(q "$imr") parse --jobs 1 $(q "$dev/text") > /dev/null"
measure dev_text_wc      "find $(q "$dev/text") -name '*.txt' -print0 | xargs -0 cat | wc -w > /dev/null"
measure big_text_imr     "$(q "$imr") parse $(q "$big") > /dev/null"
measure big_text_imr_j1  "$(q "$imr") parse --jobs 1 $(q "$big") > /dev/null"
measure big_text_wc      "find $(q "$big") -name '*.txt' -print0 | xargs -0 cat | wc -w > /dev/null"
measure dev_pdf_imr      "$(q "$imr") parse $(q "$dev/pdf") > /dev/null"
measure dev_pdf_imr_j1   "$(q "$imr") parse --jobs 1 $(q "$dev/pdf") > /dev/null"
measure dev_pdf_pdftotext "for f in $(q "$dev/pdf")/*.pdf; do pdftotext \"\$f\" - ; done > /dev/null"
measure dev_pdf_pdftotext_par "find $(q "$dev/pdf") -name '*.pdf' -print0 | xargs -0 -n 1 -P $(nproc) sh -c 'pdftotext \"\$0\" -' > /dev/null"

# --- report ----------------------------------------------------------------------------------
dev_text_bytes=$(bytes_of "$dev/text" '*.txt'); dev_text_files=$(files_of "$dev/text" '*.txt')
big_bytes=$(bytes_of "$big" '*.txt'); big_files=$(files_of "$big" '*.txt')
dev_pdf_files=$(files_of "$dev/pdf" '*.pdf')

row() {  # row LABEL NAME UNITS UNIT_NAME BASELINE_NAME
  local label="$1" name="$2" units="$3" unit="$4" base="${5:-}"
  awk -v l="$label" -v s="${secs[$name]}" -v u="$units" -v un="$unit" -v b="${base:+${secs[$base]}}" 'BEGIN {
    rate = (un == "MB/s") ? u / s / 1e6 : u / s
    ratio = (b == "") ? "" : sprintf("%.2fx", s / b)
    printf "| %-52s | %8.3f s | %8.1f %-9s | %-7s |\n", l, s, rate, un, ratio }'
}

echo
echo "imr parse benchmark: $(date -u +%Y-%m-%d), $(nproc) cores, $(uname -m); imr: $imr"
echo
printf '| %-52s | %10s | %-18s | %-7s |\n' workload time throughput "vs base"
printf '|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' $(seq 54))" "------------" "--------------------" "---------"
row "text, dev ($dev_text_files letters): cat | wc -w (base)" dev_text_wc "$dev_text_bytes" "MB/s"
row "text, dev: imr parse" dev_text_imr "$dev_text_bytes" "MB/s" dev_text_wc
row "text, dev: imr parse --jobs 1" dev_text_imr_j1 "$dev_text_bytes" "MB/s" dev_text_wc
row "text, $big_files letters: cat | wc -w (base)" big_text_wc "$big_bytes" "MB/s"
row "text, $big_files letters: imr parse" big_text_imr "$big_bytes" "MB/s" big_text_wc
row "text, $big_files letters: imr parse --jobs 1" big_text_imr_j1 "$big_bytes" "MB/s" big_text_wc
row "pdf, dev ($dev_pdf_files letters): pdftotext each (base)" dev_pdf_pdftotext "$dev_pdf_files" "letters/s"
row "pdf, dev: pdftotext each, $(nproc) at a time" dev_pdf_pdftotext_par "$dev_pdf_files" "letters/s" dev_pdf_pdftotext
row "pdf, dev: imr parse" dev_pdf_imr "$dev_pdf_files" "letters/s" dev_pdf_pdftotext
row "pdf, dev: imr parse --jobs 1" dev_pdf_imr_j1 "$dev_pdf_files" "letters/s" dev_pdf_pdftotext
echo
echo "text: $dev_text_files dev letters ($(awk -v b="$dev_text_bytes" 'BEGIN{printf "%.2f", b/1e6}') MB);" \
     "$big_files letters ($(awk -v b="$big_bytes" 'BEGIN{printf "%.1f", b/1e6}') MB) from: $big_how"
echo "targets: text imr parse <= 4x cat|wc -w (aim 2x); pdf imr parse <= 0.5x pdftotext each"
echo
echo "commands (DEV=$dev; BIG=a temp dir of the $big_files letters):"
for name in dev_text_wc dev_text_imr dev_text_imr_j1 big_text_wc big_text_imr big_text_imr_j1 \
            dev_pdf_pdftotext dev_pdf_pdftotext_par dev_pdf_imr dev_pdf_imr_j1; do
  c="${cmds[$name]//$dev/\$DEV}"
  c="${c//$big/\$BIG}"
  printf '  %-22s %s\n' "$name" "$c"
done
