// Statistics over a stored corpus held in memory, for a long-running process (the server).
//
// Store::stats answers unfiltered statistics (and those filtered by decision alone) from a rollup
// table at once, but any other filter (category, guideline, specialty, dates) makes the database
// join and scan: 6 to 40 s at a million letters on SQLite. A StatsIndex keeps the few fields
// statistics read, for every item, as small integers (about 30 bytes an item: 75 MB at a million
// letters), and answers any filter and grouping by one pass over them, in milliseconds.
//
// Contract: after refresh(store), stats(by, filters) gives exactly what store.stats(by, filters)
// gives for the letters loaded (same counts, same groups, same order; the tests compare the two
// on both backends). refresh loads only the letters added since the last refresh: letters are
// never updated or deleted, so the newest letter id loaded tells what is missing
// (Store::generation is that id on the store's side).
//
// Thread safety: every method may be called from many threads at once. Queries read under a
// shared lock; refresh reads the store without the lock and appends under an exclusive one, and
// refreshes run one at a time.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>

#include "imr/base/result.h"
#include "imr/corpus/store.h"

namespace imr::corpus {

class StatsIndex {
 public:
  StatsIndex();
  ~StatsIndex();
  StatsIndex(const StatsIndex&) = delete;
  StatsIndex& operator=(const StatsIndex&) = delete;

  // Loads the letters `store` holds beyond the newest one loaded. On failure what was loaded
  // before stays, and the next refresh tries again. When `stop` is given and becomes true, the
  // refresh ends early (kFailedPrecondition) loading nothing: for a process shutting down.
  Status refresh(Store& store, const std::atomic<bool>* stop = nullptr);

  // Returns once no refresh is under way (at once when none is).
  void wait_for_refresh() const;

  // The newest letter id loaded; 0 before any.
  std::int64_t loaded_through() const;

  // As Store::stats over the loaded letters. kInvalidArgument for a malformed filter, with the
  // store's message.
  Result<Stats> stats(GroupBy by, const Filters& filters) const;

  // Bytes held (arrays and names), for reports.
  std::size_t memory_bytes() const;

 private:
  struct Data;
  std::unique_ptr<Data> data_;
};

}  // namespace imr::corpus
