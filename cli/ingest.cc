// imr ingest [--db URL] [--jobs N] [--batch N] PATH...: store letters in the corpus.
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <iostream>

#include "corpus_flags.h"
#include "imr/corpus/ingest.h"
#include "imr/corpus/normalize.h"

namespace imr::cli {
namespace {

std::string duration(double s) {
  if (!std::isfinite(s) || s < 0) return "?";
  long t = std::lround(s);
  char buf[32];
  if (t >= 3600)
    std::snprintf(buf, sizeof buf, "%ldh%02ldm", t / 3600, (t / 60) % 60);
  else if (t >= 60)
    std::snprintf(buf, sizeof buf, "%ldm%02lds", t / 60, t % 60);
  else
    std::snprintf(buf, sizeof buf, "%lds", t);
  return buf;
}

void print_progress(const corpus::IngestProgress& p) {
  double rate = p.seconds > 0 ? p.done / p.seconds : 0;
  double eta = rate > 0 ? (p.total - p.done) / rate : NAN;
  std::fprintf(stderr, "\r\033[K%lld/%lld letters  %.0f/s  ETA %s", static_cast<long long>(p.done),
               static_cast<long long>(p.total), rate, duration(eta).c_str());
  std::fflush(stderr);
}

}  // namespace

void add_ingest(CLI::App& app, Action& action) {
  auto* cmd = app.add_subcommand("ingest", "Store letters (.pdf, .txt; files or directories) in the corpus database");
  static CorpusFlags flags;
  static std::vector<std::string> paths;
  static corpus::IngestOptions options;
  add_db_flag(cmd, flags);
  cmd->add_option("paths", paths, "Letter files or directories (searched recursively)")->required();
  cmd->add_option("-j,--jobs", options.threads, "Reader threads (default: all cores)")->check(CLI::Range(0, 256));
  cmd->add_option("--batch", options.batch_size, "Letters per transaction (default 500)")->check(CLI::Range(1, 100000));
  cmd->callback([&action] {
    action = [] {
      int rc = 0;
      auto store = open_store("ingest", flags, corpus::OpenMode::kCreate, rc);
      if (!store) return rc;
      auto normalizer = corpus::Normalizer::load();
      if (!normalizer.ok()) {
        std::cerr << "imr ingest: " << normalizer.status().message() << "\n";
        return exit_code(normalizer.status());
      }
      bool tty = isatty(STDERR_FILENO);
      auto report = corpus::ingest(*store, *normalizer, paths, options,
                                   tty ? std::function<void(const corpus::IngestProgress&)>(print_progress) : nullptr);
      if (tty) std::fprintf(stderr, "\r\033[K");
      if (!report.ok()) {
        std::cerr << "imr ingest: " << report.status().message()
                  << " (batches committed before this error are stored; run again to finish)\n";
        return exit_code(report.status());
      }
      for (const auto& f : report->failures) std::cerr << "imr ingest: failed: " << f.status.message() << "\n";
      if (!report->stats_index.ok())
        std::cerr << "imr ingest: warning: the letters are stored, but the saved statistics index was not updated"
                  << " (the next `imr stats` will be slower): " << report->stats_index.message() << "\n";
      if (report->failed > static_cast<std::int64_t>(report->failures.size()))
        std::cerr << "imr ingest: ... and " << report->failed - static_cast<std::int64_t>(report->failures.size())
                  << " more failures\n";
      std::cout << report->files << " files: " << report->added << " added, " << report->already_present
                << " already present, " << report->failed << " failed\n";
      return report->failed > 0 ? 1 : 0;
    };
  });
}

}  // namespace imr::cli
