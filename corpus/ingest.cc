#include "imr/corpus/ingest.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>

#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#endif

#include "imr/base/files.h"
#include "imr/corpus/stats_index.h"
#include "imr/letter/reader.h"

namespace imr::corpus {
namespace {

using Clock = std::chrono::steady_clock;

// Readers fill a ring of slots indexed by file number; the writer drains it in file order, so
// the store's ids follow the input order whatever the threads' timing, and a reader may run at
// most `window` files ahead of the writer (the memory bound).
class Pipeline {
 public:
  Pipeline(const std::vector<std::string>& paths, const Normalizer& normalizer, int window)
      : paths_(paths), normalizer_(normalizer), slots_(static_cast<std::size_t>(window)) {}

  void reader() {
    yield_to_writer();
    for (;;) {
      std::size_t i;
      {
        std::unique_lock lock(mu_);
        room_.wait(lock, [&] { return stop_ || next_ >= paths_.size() || next_ < consumed_ + slots_.size(); });
        if (stop_ || next_ >= paths_.size()) return;
        i = next_++;
      }
      Result<StoredLetter> r = read(paths_[i]);
      {
        std::lock_guard lock(mu_);
        slots_[i % slots_.size()].emplace(std::move(r));
      }
      filled_.notify_all();
    }
  }

  // REQUIRES: called in order i = 0, 1, ... by the one writer.
  Result<StoredLetter> take(std::size_t i) {
    std::unique_lock lock(mu_);
    auto& slot = slots_[i % slots_.size()];
    filled_.wait(lock, [&] { return slot.has_value(); });
    Result<StoredLetter> r = std::move(*slot);
    slot.reset();
    consumed_ = i + 1;
    lock.unlock();
    room_.notify_all();
    return r;
  }

  void stop() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    room_.notify_all();
  }

 private:
  // The writer is the pipeline's one serial stage: ingest runs as fast as it commits. With as
  // many readers as cores, the kernel's fair share gave the writer two thirds of a core while
  // the readers, already a window ahead, took the rest; five nice levels down (weight 335
  // against 1024) the readers still use every cycle the writer leaves, and the writer's batches
  // no longer wait for a core. 100,000 letters: 49-51 s before, 42.5 s after. Best effort: a
  // thread that cannot be lowered (already at 19) runs as it is.
  static void yield_to_writer() {
#ifdef __linux__
    auto tid = static_cast<id_t>(::syscall(SYS_gettid));
    errno = 0;
    int nice = ::getpriority(PRIO_PROCESS, tid);
    if (errno == 0) ::setpriority(PRIO_PROCESS, tid, std::min(nice + 5, 19));
#endif
  }

  Result<StoredLetter> read(const std::string& path) {
    try {
      auto letter = letter::read_letter_file(path);
      if (!letter.ok()) {
        Status s = letter.status();
        return s.message().find(path) == std::string::npos ? s.with_context(path) : s;
      }
      return prepare_letter(std::move(*letter), normalizer_);
    } catch (const std::exception& e) {
      // A reader bug must cost one file, not the run.
      return internal_error(path + ": " + e.what());
    }
  }

  const std::vector<std::string>& paths_;
  const Normalizer& normalizer_;
  std::mutex mu_;
  std::condition_variable room_, filled_;
  std::vector<std::optional<Result<StoredLetter>>> slots_;
  std::size_t next_ = 0, consumed_ = 0;
  bool stop_ = false;
};

}  // namespace

Result<IngestReport> ingest(Store& store, const Normalizer& normalizer, const std::vector<std::string>& args,
                            const IngestOptions& options, const std::function<void(const IngestProgress&)>& on_progress) {
  IngestReport report;
  auto fail = [&](const std::string& path, const Status& s) {
    ++report.failed;
    if (static_cast<int>(report.failures.size()) < options.failures_kept) report.failures.push_back({path, s});
  };
  std::vector<std::string> paths = files::expand_inputs(args, {".pdf", ".txt"}, fail);
  report.files = static_cast<std::int64_t>(paths.size());

  int batch_size = std::max(1, options.batch_size);
  int window = options.window > 0 ? options.window : 2 * batch_size;
  int threads = options.threads > 0 ? options.threads : static_cast<int>(std::thread::hardware_concurrency());
  threads = std::clamp(threads, 1, std::max(1, static_cast<int>(paths.size())));

  Pipeline pipeline(paths, normalizer, window);
  std::vector<std::thread> pool;
  for (int t = 0; t < threads && !paths.empty(); ++t) pool.emplace_back([&] { pipeline.reader(); });

  auto start = Clock::now();
  auto last_report = start;
  auto progress = [&](std::size_t done, bool force) {
    if (!on_progress) return;
    auto now = Clock::now();
    if (!force && now - last_report < std::chrono::milliseconds(250)) return;
    last_report = now;
    on_progress({static_cast<std::int64_t>(done), report.files, report.added, report.already_present, report.failed,
                 std::chrono::duration<double>(now - start).count()});
  };

  // The saved statistics index grows with the letters as they are stored (its tail, in memory),
  // and is saved at the end. Without a tail (too many letters beyond the saved chunks, or the
  // tail failed) the end reads the new letters back from the tables instead.
  const std::int64_t chunk_letters = StatsIndexOptions{}.chunk_letters;
  std::unique_ptr<StatsIndex> stats_tail;
  if (auto t = StatsIndex::open_tail(store, chunk_letters); t.ok()) stats_tail = std::move(*t);
  std::vector<StatsFacts> added_facts;

  std::vector<StoredLetter> batch;
  batch.reserve(static_cast<std::size_t>(batch_size));
  auto flush = [&]() -> Status {
    if (batch.empty()) return {};
    auto added = store.put_letters(batch, stats_tail ? &added_facts : nullptr);
    if (!added.ok()) return added.status();
    for (bool a : *added) ++(a ? report.added : report.already_present);
    batch.clear();
    if (stats_tail && !stats_tail->add_stored(store, added_facts).ok()) stats_tail.reset();
    return {};
  };

  Status status;
  for (std::size_t i = 0; i < paths.size() && status.ok(); ++i) {
    Result<StoredLetter> r = pipeline.take(i);
    if (r.ok()) {
      batch.push_back(std::move(*r));
      if (static_cast<int>(batch.size()) >= batch_size) status = flush();
    } else {
      fail(paths[i], r.status());
    }
    progress(i + 1, false);
  }
  if (status.ok()) status = flush();
  pipeline.stop();
  for (auto& t : pool) t.join();
  if (!status.ok()) return status;
  progress(paths.size(), true);
  // Saved after the letters' transactions, each chunk in its own: a kill here loses no letter,
  // and the chunks saved so far stay valid (the next run or `imr stats` saves the rest).
  report.stats_index =
      stats_tail ? stats_tail->save(store) : StatsIndex::update_saved(store, report.added + chunk_letters);
  return report;
}

}  // namespace imr::corpus
