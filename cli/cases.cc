// imr cases --due DATE | --overdue: open cases by their next deadline (records due while records
// are awaited, else the determination due), earliest first, as JSON lines.
#include "casework_flags.h"

namespace imr::cli {

void add_cases(CLI::App& app, Action& action) {
  auto* cmd = app.add_subcommand("cases", "Open cases whose next deadline falls by a date (--due) or has passed (--overdue)");
  static CaseworkFlags flags;
  static std::string due;
  static bool overdue = false;
  static int limit = 0;
  add_casework_flags(cmd, flags, false);
  auto* d = cmd->add_option("--due", due, "Cases due on or before this date (YYYY-MM-DD, through the end of the day)");
  cmd->add_flag("--overdue", overdue, "Cases whose deadline is before --now (default: the clock)")->excludes(d);
  cmd->add_option("--limit", limit, "At most this many")->check(CLI::Range(0, 100000000));
  cmd->callback([&action] {
    action = [] {
      if (due.empty() && !overdue) {
        std::cerr << "imr cases: give --due DATE or --overdue\n";
        return 2;  // wrong usage
      }
      auto actor = actor_of(flags);
      if (!actor.ok()) return fail("cases", actor.status());
      casework::CaseQuery q;
      q.limit = limit;
      if (overdue) {
        q.due_by = actor->now - 1;
      } else {
        auto day = casework::parse_date(due);
        if (!day) return fail("cases", invalid_argument("--due: '" + due + "' is not a date (YYYY-MM-DD)"));
        q.due_by = casework::end_of(*day);
      }
      auto book = open_casebook(flags);
      if (!book.ok()) return fail("cases", book.status());
      auto all = (*book)->list(q);
      if (!all.ok()) return fail("cases", all.status());
      for (const auto& c : *all) std::cout << casework::to_json(c) << "\n";
      return 0;
    };
  });
}

}  // namespace imr::cli
