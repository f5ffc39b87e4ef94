// corpus_bench: query latency of a stored corpus, as users meet it (issue 3, "Scale").
//
//   corpus_bench --db URL [--runs N] [--json] [--stats-index]
//
// Opens the store once (as a server would), then for each named workload below runs it once to
// warm the caches and N more times, timing each run. Prints per workload p50, p99 and max in
// milliseconds; `--json` prints one object per workload per line instead. The workloads are the
// typical questions of issue 3: a treatment's letters, a drug, a phrase from rationales, with and
// without filters, and every statistics grouping.
//
// --stats-index: instead, loads a StatsIndex (stats_index.h; what the server answers filtered
// statistics from), prints its load time and size (from the tables, then from the chunks saved
// in the store), and times filtered statistics through it,
// each beside one run of the same question through the store.
//
// Each run is timed twice: wall-clock time, what a user waits, and the thread's CPU time, which
// other processes on a busy machine barely disturb (the benchmark machine has 2 cores, shared).
//
// Why a plain program and not Google Benchmark: the targets are percentiles (p99 < 20 ms), which
// need every run's time; Google Benchmark reports means of batches.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <functional>
#include <string>
#include <vector>

#include "imr/corpus/stats_index.h"
#include "imr/corpus/store.h"

namespace {

using imr::corpus::Filters;
using imr::corpus::GroupBy;
using imr::corpus::SearchQuery;

struct Workload {
  std::string name;
  std::function<imr::Status(imr::corpus::Store&)> run;
};

Workload search(std::string name, std::string text, Filters filters = {}) {
  return {std::move(name), [text, filters](imr::corpus::Store& store) -> imr::Status {
            SearchQuery q;
            q.text = text;
            q.filters = filters;
            q.limit = 20;
            auto hits = store.search(q);
            if (!hits.ok()) return hits.status();
            return imr::Status();
          }};
}

Workload stats(std::string name, GroupBy by, Filters filters = {}) {
  return {std::move(name), [by, filters](imr::corpus::Store& store) -> imr::Status {
            auto s = store.stats(by, filters);
            return s.ok() ? imr::Status() : s.status();
          }};
}

std::vector<Workload> workloads() {
  Filters overturned;
  overturned.decision = imr::letter::Decision::kOverturned;
  Filters injections;
  injections.category = "Injections";
  Filters mtus;
  mtus.guideline = "MTUS";
  Filters year;
  year.from = "2015-01-01";
  year.to = "2015-12-31";
  return {
      search("search: physical therapy", "physical therapy"),
      search("search: lumbar MRI", "MRI lumbar spine"),
      search("search: Norco", "Norco"),
      search("search: epidural steroid injection", "epidural steroid injection"),
      search("search: functional improvement", "functional improvement"),
      search("search: topical compound", "topical compound cream"),
      search("search: knee arthroscopy", "knee arthroscopy"),
      search("search: acupuncture, overturned", "acupuncture", overturned),
      search("search: injection, category Injections", "injection", injections),
      search("search: opioids, guideline MTUS", "opioids", mtus),
      search("search: TENS unit, 2015", "TENS unit", year),
      search("search: rare word (prolotherapy)", "prolotherapy"),
      stats("stats: totals", GroupBy::kNone),
      stats("stats --by category", GroupBy::kCategory),
      stats("stats --by subcategory", GroupBy::kSubcategory),
      stats("stats --by body-region", GroupBy::kBodyRegion),
      stats("stats --by guideline", GroupBy::kGuideline),
      stats("stats --by specialty", GroupBy::kSpecialty),
      stats("stats --by month", GroupBy::kMonth),
      stats("stats --by decision", GroupBy::kDecision),
      stats("stats --by category, overturned", GroupBy::kCategory, overturned),
  };
}

// Statistics whose filters the store's rollup cannot answer.
std::vector<std::pair<std::string, std::pair<GroupBy, Filters>>> filtered_stats() {
  std::vector<std::pair<std::string, std::pair<GroupBy, Filters>>> out;
  auto add = [&](std::string name, GroupBy by, auto&& set) {
    Filters f;
    set(f);
    out.push_back({std::move(name), {by, f}});
  };
  add("stats --by month, category Injections", GroupBy::kMonth, [](Filters& f) { f.category = "Injections"; });
  add("stats --by category, 2016-07..2016-12", GroupBy::kCategory, [](Filters& f) {
    f.from = "2016-07-01";
    f.to = "2016-12-31";
  });
  add("stats --by guideline, specialty Pain Management", GroupBy::kGuideline,
      [](Filters& f) { f.specialty = "Pain Management"; });
  add("stats --by body-region, guideline MTUS, overturned", GroupBy::kBodyRegion, [](Filters& f) {
    f.guideline = "MTUS";
    f.decision = imr::letter::Decision::kOverturned;
  });
  add("stats --by specialty, category Opioids", GroupBy::kSpecialty, [](Filters& f) { f.category = "Opioids"; });
  return out;
}

double thread_cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  if (v.empty()) return 0;
  // Nearest-rank: the smallest value with at least p of the runs at or below it.
  std::size_t rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(v.size())));
  return v[std::clamp<std::size_t>(rank, 1, v.size()) - 1];
}

}  // namespace

int main(int argc, char** argv) {
  std::string url;
  int runs = 50;
  bool json = false, index_mode = false;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--db") && i + 1 < argc) url = argv[++i];
    else if (!std::strcmp(argv[i], "--runs") && i + 1 < argc) runs = std::max(1, std::atoi(argv[++i]));
    else if (!std::strcmp(argv[i], "--json")) json = true;
    else if (!std::strcmp(argv[i], "--stats-index")) index_mode = true;
    else {
      std::fprintf(stderr, "usage: corpus_bench --db URL [--runs N] [--json] [--stats-index]\n");
      return 2;
    }
  }
  if (url.empty()) {
    std::fprintf(stderr, "corpus_bench: --db URL is required\n");
    return 2;
  }
  auto store = imr::corpus::Store::open(url, imr::corpus::OpenMode::kExisting);
  if (!store.ok()) {
    std::fprintf(stderr, "corpus_bench: %s\n", store.status().message().c_str());
    return 1;
  }
  if (index_mode) {
    imr::corpus::StatsIndex index;
    auto t0 = std::chrono::steady_clock::now();
    auto loaded = index.refresh(**store);
    double load_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (!loaded.ok()) {
      std::fprintf(stderr, "corpus_bench: %s\n", loaded.message().c_str());
      return 1;
    }
    std::printf("stats index: loaded %lld letters in %.1f s, %.1f MB\n",
                static_cast<long long>(index.loaded_through()), load_s, index.memory_bytes() / 1048576.0);
    {
      // The same from the chunks saved in the store (what `imr stats` and `imr serve` load).
      imr::corpus::StatsIndex saved;
      auto s0 = std::chrono::steady_clock::now();
      auto from_chunks = saved.load_saved(**store);
      double saved_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - s0).count();
      if (!from_chunks.ok()) {
        std::fprintf(stderr, "corpus_bench: %s\n", from_chunks.message().c_str());
        return 1;
      }
      std::printf("stats index: loaded %lld letters from saved chunks in %.2f s (the rest: %lld letters from the tables)\n",
                  static_cast<long long>(saved.loaded_through()), saved_s,
                  static_cast<long long>(index.loaded_through() - saved.loaded_through()));
    }
    std::printf("| workload | index p50 ms | index p99 ms | store, one run, ms |\n|---|---|---|---|\n");
    for (const auto& [name, q] : filtered_stats()) {
      std::vector<double> ms;
      for (int r = 0; r <= runs; ++r) {
        auto a = std::chrono::steady_clock::now();
        auto st = index.stats(q.first, q.second);
        auto b = std::chrono::steady_clock::now();
        if (!st.ok()) return 1;
        if (r > 0) ms.push_back(std::chrono::duration<double, std::milli>(b - a).count());
      }
      auto a = std::chrono::steady_clock::now();
      auto via_store = (*store)->stats(q.first, q.second);
      auto b = std::chrono::steady_clock::now();
      if (!via_store.ok()) return 1;
      std::printf("| %s | %.2f | %.2f | %.0f |\n", name.c_str(), percentile(ms, 0.50), percentile(ms, 0.99),
                  std::chrono::duration<double, std::milli>(b - a).count());
      std::fflush(stdout);
    }
    return 0;
  }
  if (!json)
    std::printf("| workload | p50 ms | p99 ms | max ms | CPU p50 ms | CPU p99 ms |\n|---|---|---|---|---|---|\n");
  for (const auto& w : workloads()) {
    std::vector<double> ms, cpu;
    for (int r = 0; r <= runs; ++r) {
      double c0 = thread_cpu_ms();
      auto t0 = std::chrono::steady_clock::now();
      auto status = w.run(**store);
      auto t1 = std::chrono::steady_clock::now();
      double c1 = thread_cpu_ms();
      if (!status.ok()) {
        std::fprintf(stderr, "corpus_bench: %s: %s\n", w.name.c_str(), status.message().c_str());
        return 1;
      }
      if (r > 0) {  // run 0 warms the caches
        ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
        cpu.push_back(c1 - c0);
      }
    }
    double p50 = percentile(ms, 0.50), p99 = percentile(ms, 0.99), mx = *std::max_element(ms.begin(), ms.end());
    if (json)
      std::printf("{\"workload\": \"%s\", \"runs\": %d, \"p50_ms\": %.3f, \"p99_ms\": %.3f, \"max_ms\": %.3f,"
                  " \"cpu_p50_ms\": %.3f, \"cpu_p99_ms\": %.3f}\n",
                  w.name.c_str(), runs, p50, p99, mx, percentile(cpu, 0.50), percentile(cpu, 0.99));
    else
      std::printf("| %s | %.2f | %.2f | %.2f | %.2f | %.2f |\n", w.name.c_str(), p50, p99, mx, percentile(cpu, 0.50),
                  percentile(cpu, 0.99));
    std::fflush(stdout);
  }
  return 0;
}
