#!/usr/bin/env bash
# Installs what is needed, builds, and runs every test:
#   1. the release build's suites (ctest), with a throwaway PostgreSQL server for the store tests;
#   2. the same suites built with AddressSanitizer + UndefinedBehaviorSanitizer;
#   3. a short libFuzzer run of every reader of outside input (scripts/fuzz-smoke.sh).
# Tests that need ../shared (the real letters) print SKIP when it is absent.
# Environment: JOBS (parallel build/test jobs, default nproc), IMR_SKIP_SANITIZE=1, IMR_SKIP_FUZZ=1,
# FUZZ_SECONDS (per fuzzer, default 20).
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS="${JOBS:-$(nproc)}"

bash scripts/install-deps.sh

step() { printf '\n== %s (%s)\n' "$1" "$(date +%H:%M:%S)"; }

step "release build"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
ninja -C build -j"$JOBS"

step "PostgreSQL for the store tests"
export IMR_PG_DIR="/tmp/imr-pg-test-$$"
eval "$(bash scripts/pg-test-cluster.sh start)"
trap 'bash scripts/pg-test-cluster.sh stop >/dev/null 2>&1 || true' EXIT
echo "IMR_TEST_PG_URL=$IMR_TEST_PG_URL"

step "tests (release)"
ctest --test-dir build --output-on-failure -j"$JOBS" --timeout 900

if [ "${IMR_SKIP_E2E:-0}" != 1 ]; then
  step "end-to-end UI tests (Debian chromium, playwright-core)"
  BUILD=build bash scripts/e2e.sh
fi

if [ "${IMR_SKIP_SANITIZE:-0}" != 1 ]; then
  step "sanitizer build (ASan + UBSan)"
  cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DIMR_SANITIZE=ON -DIMR_BENCH=OFF >/dev/null
  ninja -C build-asan -j"$JOBS"
  step "tests (ASan + UBSan)"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0" \
    ctest --test-dir build-asan --output-on-failure -j"$JOBS" --timeout 1800
fi

if [ "${IMR_SKIP_FUZZ:-0}" != 1 ]; then
  step "fuzz smoke (libFuzzer, ${FUZZ_SECONDS:-20}s per target)"
  bash scripts/fuzz-smoke.sh build-fuzz "${FUZZ_SECONDS:-20}"
fi
step "all tests passed"
