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
// Saved chunks. Loading every letter from the tables takes about 30 s at a million letters, so
// the index is also kept in the store, as chunks of `chunk_letters` consecutive letters each
// (Store::put_stats_index_chunk), which a process loads in a fraction of a second. A chunk is
// self-contained (its own names) and stays true forever (letters never change); only the newest,
// partial chunk is ever rewritten, to cover more letters. The chunks are a cache: a missing,
// unreadable or foreign-format chunk only means its letters are read from the tables again, so
// every answer is the same with or without them.
//
// Thread safety: every method may be called from many threads at once. Queries read under a
// shared lock; refresh and load_saved read the store without the lock and append under an
// exclusive one; refresh, load_saved and save run one at a time.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>

#include "imr/base/result.h"
#include "imr/corpus/store.h"

namespace imr::corpus {

struct StatsIndexOptions {
  // Letters per saved chunk. Larger means fewer rows and less per-chunk overhead, but more bytes
  // rewritten whenever the last, partial chunk grows (each ingest rewrites it whole). At 16,384
  // letters a chunk is about 300 KB, and a million letters 62 chunks.
  int chunk_letters = 16384;
};

class StatsIndex {
 public:
  explicit StatsIndex(const StatsIndexOptions& options = {});
  ~StatsIndex();
  StatsIndex(const StatsIndex&) = delete;
  StatsIndex& operator=(const StatsIndex&) = delete;

  // Loads the letters `store` holds beyond the newest one loaded. On failure what was loaded
  // before stays, and the next refresh tries again. When `stop` is given and becomes true, the
  // refresh ends early (kFailedPrecondition) loading nothing: for a process shutting down.
  Status refresh(Store& store, const std::atomic<bool>* stop = nullptr);

  // Loads the chunks saved in `store` that continue what is loaded (from the first letter when
  // nothing is), in order, while they chain (each starts where the one before ends) and reach
  // no further than the store's newest letter. A chunk that cannot be read (corrupt, another
  // format) is replaced by its letters read from the tables, and save() rewrites it. Call
  // refresh() after it for the letters beyond the last chunk. On failure (the store's, or `stop`
  // as for refresh) what was loaded before stays.
  Status load_saved(Store& store, const std::atomic<bool>* stop = nullptr);

  // Writes to `store` every chunk that changed since it was loaded or saved: letters read from the
  // tables by refresh (or in place of an unreadable chunk), the last partial chunk grown. Each
  // chunk is written in its own transaction (see Store::put_stats_index_chunk), so a process
  // killed while saving leaves every chunk whole. On failure the chunks written before stay.
  Status save(Store& store);

  // Letters loaded that save() would write (in chunks changed since loaded or saved).
  std::int64_t unsaved_letters() const;

  // What a process that starts does (imr stats, imr serve): load_saved, then refresh, then save
  // when more than one chunk's worth of letters had to be read from the tables (fewer are left
  // for the next ingest to save: not worth a write from a reader). Returns the loading's status;
  // a failure to save leaves the index complete and is only put into `*save_status` when given.
  Status load(Store& store, Status* save_status = nullptr, const std::atomic<bool>* stop = nullptr);

  // Brings the chunks saved in `store` up to the newest letter, cheaply: reads only the last
  // saved chunk (and the chunk list), then the letters beyond it from the tables, and saves what
  // changed. For `imr ingest` at the end of a run. Does nothing when the letters beyond the saved
  // chunks number (by id) more than `max_letters_read`: a small ingest into a large store whose
  // chunks were never saved stays small, and the next load() saves them.
  static Status update_saved(Store& store, std::int64_t max_letters_read, const StatsIndexOptions& options = {});

  // The index update_saved works on, for a writer to extend as it stores letters (add_stored) and
  // save at the end: the last saved chunk and the letters beyond it, read from the store now. Its
  // answers would be wrong (it lacks the earlier chunks); it only saves. A null pointer (not an
  // error) when more than `max_letters_read` letters lie beyond the saved chunks, as for
  // update_saved. `imr ingest` uses it so that its letters' chunks come from the letters it has in
  // memory rather than from the tables read again at the end (5 s for 300,000 letters, warm).
  static Result<std::unique_ptr<StatsIndex>> open_tail(Store& store, std::int64_t max_letters_read,
                                                       const StatsIndexOptions& options = {});

  // Appends letters the caller has just stored (Store::put_letters' `added_facts`) when they
  // continue what is loaded, ids consecutive from loaded_through() + 1. Otherwise (another
  // writer's letters came between, or ids skip) it refreshes from `store` instead, which reads
  // those letters and these from the tables. REQUIRES: `facts` are committed letters of `store`.
  Status add_stored(Store& store, const std::vector<StatsFacts>& facts);

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
