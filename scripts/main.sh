#!/usr/bin/env bash
# The main job on the embedded default (SQLite): installs what is needed, builds, generates a
# sample corpus of synthetic letters, reads them, stores them in imr.db, and prints statistics
# and a sample search.  Environment: JOBS (build jobs), SAMPLE (letters, default 2000), IMR_DB.
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS="${JOBS:-$(nproc)}"
SAMPLE="${SAMPLE:-2000}"
export IMR_DB="${IMR_DB:-imr.db}"

bash scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
ninja -C build -j"$JOBS" imr

echo "== generating a sample corpus: $SAMPLE synthetic letters in sample/"
rm -rf sample
./build/imr synth --count "$SAMPLE" --seed 2016 --out sample
echo "== reading them (imr parse)"
./build/imr parse sample > sample/records.jsonl
python3 - sample/records.jsonl <<'PY' 2>/dev/null || wc -l sample/records.jsonl
import json, sys, collections
recs = [json.loads(l) for l in open(sys.argv[1])]
items = [i for r in recs for i in r["items"]]
print(f"letters {len(recs)}, items {len(items)}, overturned {sum(i['decision']=='overturned' for i in items)}, "
      f"layouts {dict(collections.Counter(r['template'] for r in recs))}")
PY
echo "== storing them in $IMR_DB (imr ingest)"
./build/imr ingest sample
echo "== statistics by category (imr stats --by category)"
./build/imr stats --by category
echo "== sample search (imr search \"physical therapy lumbar\" --limit 5)"
./build/imr search "physical therapy lumbar" --limit 5
# The web UI and API over the same database, in the foreground until Ctrl-C. IMR_MAIN_SERVE=0
# skips it (CI); PORT and HOST choose where it listens.
if [ "${IMR_MAIN_SERVE:-1}" != 0 ]; then
  echo "== serving the web UI and API (imr serve): open http://${HOST:-127.0.0.1}:${PORT:-8080}/ (Ctrl-C stops)"
  exec ./build/imr serve --port "${PORT:-8080}" --host "${HOST:-127.0.0.1}"
fi
