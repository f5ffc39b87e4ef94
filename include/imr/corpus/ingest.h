// Ingest: reading letter files in parallel and storing them in batches.
//
// Files are read by a pool of threads; one writer (the calling thread) stores them in input order,
// `batch_size` letters per transaction. At most `window` letters are held in memory whatever the
// number of files. A killed ingest leaves every committed batch whole and nothing of the others;
// running it again stores the rest (letters already stored are counted as already present).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "imr/base/result.h"
#include "imr/corpus/normalize.h"
#include "imr/corpus/store.h"

namespace imr::corpus {

struct IngestOptions {
  int threads = 0;         // reader threads; 0 = std::thread::hardware_concurrency()
  int batch_size = 500;    // letters per transaction: larger is faster, smaller loses less to a kill
  int window = 0;          // letters read ahead of the writer; 0 = 2 * batch_size
  int failures_kept = 20;  // how many failures the report lists (all are counted)
};

struct IngestFailure {
  std::string path;
  Status status;  // the reason, naming the file
};

struct IngestReport {
  std::int64_t files = 0;            // files found under the arguments
  std::int64_t added = 0;            // letters stored by this run
  std::int64_t already_present = 0;  // letters the store already had (or seen earlier in this run)
  std::int64_t failed = 0;           // arguments and files that could not be read as letters
  std::vector<IngestFailure> failures;  // the first `failures_kept`
  // Bringing the saved statistics index up to date (StatsIndex::open_tail, add_stored, save). Not
  // OK means only that the next `imr stats` reads more letters from the tables: the letters are
  // stored either way.
  Status stats_index;
};

struct IngestProgress {
  std::int64_t done = 0, total = 0;  // files handled so far / found
  std::int64_t added = 0, already_present = 0, failed = 0;
  double seconds = 0;  // since the start
};

// Expands `args` (files and directories; *.pdf and *.txt inside directories) and stores every
// letter. A file that cannot be read is counted and listed, never fatal. Fails only when the
// store fails (disk full, server gone): then batches committed before stay stored.
// `on_progress`, when set, is called from the calling thread a few times a second and at the end.
// At the end the saved statistics index is brought up to date when no more than one chunk of
// letters lay beyond it when the run began (see IngestReport::stats_index): from the letters this
// run stored, kept in memory as it stores them (about 30 bytes an item), unless another writer's
// letters came between, which are then read from the tables.
Result<IngestReport> ingest(Store& store, const Normalizer& normalizer, const std::vector<std::string>& args,
                            const IngestOptions& options = {},
                            const std::function<void(const IngestProgress&)>& on_progress = {});

}  // namespace imr::corpus
