// imr simulate --months M --cases-per-month N --reviewers R --seed S [--db URL]: a synthetic
// stretch of the IMR process; prints the report as one JSON object. In memory unless --db is
// given; with --db every simulated day is one transaction and a re-run resumes a killed one.
#include <unistd.h>

#include <cstdio>

#include "casework_flags.h"
#include "imr/casework/simulate.h"

namespace imr::cli {

void add_simulate(CLI::App& app, Action& action) {
  auto* cmd = app.add_subcommand("simulate", "Simulate the IMR process with synthetic applications and reviewers");
  static casework::SimulationOptions options;
  static std::string db;
  cmd->add_option("--months", options.months, "Months to simulate (default 12)")->check(CLI::Range(1, 240));
  cmd->add_option("--cases-per-month", options.cases_per_month, "Applications per month (default 15000)")->check(CLI::Range(1, 10000000));
  cmd->add_option("--reviewers", options.reviewers, "Reviewers in the registry (default 400)")->check(CLI::Range(1, 1000000));
  cmd->add_option("--seed", options.seed, "Random seed (same seed, same run)");
  cmd->add_option("--start", options.start, "First simulated day (default 2024-01-01)");
  cmd->add_option("--db", db, "Database URL to simulate in (default: memory; a re-run with the same flags resumes)");
  cmd->callback([&action] {
    action = [] {
      if (!casework::parse_date(options.start)) return fail("simulate", invalid_argument("--start: not a date"));
      auto book = casework::Casebook::open(db.empty() ? "memory:" : db);
      if (!book.ok()) return fail("simulate", book.status());
      if (isatty(STDERR_FILENO))
        options.progress = [](int done, int days) {
          std::fprintf(stderr, "\r\033[Kday %d/%d", done, days);
          if (done == days) std::fprintf(stderr, "\r\033[K");
          std::fflush(stderr);
        };
      auto report = casework::simulate(**book, options);
      if (!report.ok()) return fail("simulate", report.status());
      std::cout << casework::to_json(*report) << "\n";
      return 0;
    };
  });
}

}  // namespace imr::cli
