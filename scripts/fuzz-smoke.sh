#!/usr/bin/env bash
# Builds the libFuzzer targets in fuzz/ with clang and runs each briefly from a seed corpus.
# Fails (exit 1) on any crash, sanitizer report, leak, timeout (> 10 s on one input) or
# out-of-memory; the reproducer is kept in BUILD_DIR/fuzz-artifacts/.
#
#   scripts/fuzz-smoke.sh [BUILD_DIR] [SECONDS]
#
#   BUILD_DIR  where to configure and build (default: build-fuzz beside the sources)
#   SECONDS    how long each fuzzer runs (default: 30; or $FUZZ_SECONDS)
#
# Seeds are assembled in a temp dir from files in the repository (tests/golden/letters: letters
# and their expected records), ../shared when present (seeds, a few dev-corpus letters), letters
# generated with `imr synth` when an imr binary is at hand ($IMR_BIN, build/imr or BUILD_DIR/imr),
# and a tiny hand-written PDF. Nothing is written into the source tree.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$repo/build-fuzz}"
seconds="${2:-${FUZZ_SECONDS:-30}}"
shared="$repo/../shared"
targets=(text_fuzz json_fuzz pdf_fuzz case_fuzz casework_fuzz stats_chunk_fuzz)

for tool in clang clang++ cmake ninja; do
  command -v "$tool" >/dev/null || { echo "fuzz-smoke: $tool not found (apt-get install -y clang cmake ninja-build)" >&2; exit 2; }
done

echo "== configure and build (${targets[*]}) in $build"
CC=clang CXX=clang++ cmake -S "$repo" -B "$build" -G Ninja -DIMR_FUZZ=ON -DIMR_TESTS=OFF -DIMR_BENCH=OFF >/dev/null
ninja -C "$build" "${targets[@]}"

work="$(mktemp -d "${TMPDIR:-/tmp}/imr-fuzz-smoke.XXXXXX")"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work"/seeds/{text_fuzz,json_fuzz,pdf_fuzz,case_fuzz,casework_fuzz,stats_chunk_fuzz}

# --- seeds -----------------------------------------------------------------------------------
n=0
add_seed() {  # add_seed TARGET FILE: copy under a unique name
  n=$((n + 1))
  cp "$2" "$work/seeds/$1/$n-$(basename "$2")"
}
# One record per line of a JSON Lines file -> one JSON seed each (at most $3 lines).
add_json_lines() {
  local file="$1" max="${2:-50}" i=0
  while IFS= read -r line && [ "$i" -lt "$max" ]; do
    i=$((i + 1)); n=$((n + 1))
    printf '%s' "$line" >"$work/seeds/json_fuzz/$n-line.json"
  done <"$file"
}

while IFS= read -r -d '' f; do
  case "$f" in
    *.txt) add_seed text_fuzz "$f" ;;
    *.json) add_seed json_fuzz "$f" ;;
    *.jsonl) add_json_lines "$f" ;;
    *.pdf) add_seed pdf_fuzz "$f" ;;
  esac
done < <(find "$repo/tests" -type f \( -name '*.txt' -o -name '*.json' -o -name '*.jsonl' -o -name '*.pdf' \) -print0 2>/dev/null | sort -z)

if [ -d "$shared/seeds" ]; then
  for f in "$shared"/seeds/*.txt; do [ -f "$f" ] && add_seed text_fuzz "$f"; done
  [ -f "$shared/seeds/expected.jsonl" ] && add_json_lines "$shared/seeds/expected.jsonl"
fi
if [ -d "$shared/corpus/dev" ]; then
  for f in $(ls "$shared"/corpus/dev/text/*.txt 2>/dev/null | head -10); do add_seed text_fuzz "$f"; done
  for f in $(ls "$shared"/corpus/dev/pdf/*.pdf 2>/dev/null | head -10); do add_seed pdf_fuzz "$f"; done
  [ -f "$shared/corpus/dev/labels.jsonl" ] && add_json_lines "$shared/corpus/dev/labels.jsonl" 10
fi

imr_bin="${IMR_BIN:-}"
for cand in "$repo/build/imr" "$build/imr"; do
  [ -z "$imr_bin" ] && [ -x "$cand" ] && imr_bin="$cand"
done
if [ -n "$imr_bin" ] && "$imr_bin" synth --help >/dev/null 2>&1; then
  if "$imr_bin" synth --count 20 --seed 11 --out "$work/synth" >/dev/null 2>&1; then
    while IFS= read -r -d '' f; do add_seed text_fuzz "$f"; done < <(find "$work/synth" -name '*.txt' -print0 | sort -z)
    [ -f "$work/synth/expected.jsonl" ] && add_json_lines "$work/synth/expected.jsonl" 20
    # Case files as outside tools write them: generated letters turned into cases.
    if "$imr_bin" case-from-letter "$work/synth/expected.jsonl" >"$work/cases.jsonl" 2>/dev/null; then
      i=0
      while IFS= read -r line && [ "$i" -lt 20 ]; do
        i=$((i + 1))
        printf '%s' "$line" >"$work/seeds/case_fuzz/synth-$i.json"
      done <"$work/cases.jsonl"
    fi
  fi
fi

# A valid one-page PDF with a line of text, so the PDF fuzzer starts inside poppler's text path.
pdf_stream='BT /F1 12 Tf 50 700 Td (IMR ISSUES, DECISIONS AND RATIONALES) Tj ET'
{
  printf '%%PDF-1.4\n'
  printf '1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n'
  printf '2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n'
  printf '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Resources<</Font<</F1 4 0 R>>>>/Contents 5 0 R>>endobj\n'
  printf '4 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica-Bold>>endobj\n'
  printf '5 0 obj<</Length %d>>stream\n%s\nendstream endobj\n' "${#pdf_stream}" "$pdf_stream"
  printf 'trailer<</Root 1 0 R>>\n%%%%EOF\n'
} >"$work/seeds/pdf_fuzz/handmade.pdf"
printf 'not a letter\n' >"$work/seeds/text_fuzz/tiny.txt"
printf '{"source":"a.txt","items":[]}' >"$work/seeds/json_fuzz/tiny.json"
# Invented case file, application, reviewer registration and determination (casework JSON).
cat >"$work/seeds/case_fuzz/case.json" <<'JSON'
{"patient": {"age": 48, "sex": "male"}, "date_of_injury": "2016-10-13", "diagnoses": ["lumbar radiculopathy"],
 "clinical_summary": "The patient has had 12 sessions of physical therapy without functional improvement. No red flags. Norco 10/325 mg three times a day. Pain 7/10.",
 "priority": "standard", "items": [{"request": "Physical therapy 2x4 lumbar spine"}, {"request": "MRI of the lumbar spine", "claims_administrator_basis": "MTUS ACOEM Low Back"}]}
JSON
cat >"$work/seeds/casework_fuzz/application.json" <<'JSON'
{"received":"2024-03-20T09:00","ur":{"date":"2024-03-01","served_by":"electronic","outcome":"denied"},"claim_number":"C-1","date_of_injury":"2023-05-01","worker":"Pat Example","employer":"Example Warehouse Inc","insurer":"Example Insurance","physician":{"name":"Dr. Sample","specialty":"Orthopaedic Surgery"},"items":[{"request":"MRI of the lumbar spine"},{"request":"Norco 10/325mg #60"}]}
JSON
cat >"$work/seeds/casework_fuzz/reviewer.json" <<'JSON'
{"name":"Dr. Invented Person","licence_states":["California"],"board_certifications":["Orthopaedic Surgery"],"specialties":["Orthopedic Surgery"],"years_active_practice":12,"weekly_practice_hours":30,"capacity":5,"affiliations":[{"kind":"facility","name":"Example Hospital"}]}
JSON
cat >"$work/seeds/casework_fuzz/decision.json" <<'JSON'
{"clinical_summary":"A 45 year old with low back pain.","items":[{"decision":"upheld","rationale":"Not medically necessary.","reviewer_basis":"MTUS Low Back Complaints 2004"},{"decision":"overturned","rationale":"Medically necessary.","reviewer_basis":"MTUS Chronic Pain Medical Treatment 2016"}]}
JSON

# A statistics index chunk (corpus/stats_chunk.h) without its checksum (the fuzz target appends
# it): one letter with a date and a specialty, one overturned item citing one guideline.
printf 'imrS\x01\x00\x01\x01\x01\x01\x00\x01\x04\x0a2016-03-01\x07Surgery\x00\x04MTUS\x01\x01\x01\x00\x01\x01\x02\x01\x03\x03' \
  >"$work/seeds/stats_chunk_fuzz/one-letter.bin"

# --- run -------------------------------------------------------------------------------------
artifacts="$build/fuzz-artifacts"
mkdir -p "$artifacts"
failed=()
for t in "${targets[@]}"; do
  seeds=$(ls "$work/seeds/$t" | wc -l)
  echo "== $t: $seeds seeds, ${seconds}s"
  mkdir -p "$work/corpus/$t"
  log="$work/$t.log"
  # -timeout: one input taking longer is a hang. -rss_limit_mb bounds memory per process.
  if "$build/fuzz/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
       -artifact_prefix="$artifacts/$t-" "$work/corpus/$t" "$work/seeds/$t" >"$log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    echo "   ok: ${runs:-?} inputs, no crash"
  else
    echo "   FAILED: $t (log tail below; reproducer in $artifacts/)" >&2
    grep -E 'ERROR|SUMMARY|Test unit written|==[0-9]+==|deadly signal|timeout' "$log" | head -20 >&2 || true
    tail -30 "$log" >&2
    failed+=("$t")
  fi
done

if [ "${#failed[@]}" -gt 0 ]; then
  echo "fuzz-smoke: FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "fuzz-smoke: all ${#targets[@]} fuzzers ran ${seconds}s each without a crash"
