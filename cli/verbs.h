// Each CLI verb registers itself on the CLI11 app and returns the exit code when it ran.
// Verbs stay thin: parse flags, call a library function, print. Exit codes come from exit_code().
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

#include "imr/base/result.h"

namespace imr::cli {

// The one mapping from Status codes to process exit codes: 0 ok, 1 bad input (some input could
// not be used), 2 wrong usage, 3 the operating system refused, 4 illegal in the current state,
// 5 internal error.
int exit_code(const Status& status);

// A verb's action: runs after CLI11 parsed the flags, returns the process exit code.
using Action = std::function<int()>;

// One registration function per verb (cli/<verb>.cc). Each adds its subcommand to `app` and
// stores its action in `action` when the subcommand is chosen.
void add_parse(CLI::App& app, Action& action);
void add_render(CLI::App& app, Action& action);
void add_synth(CLI::App& app, Action& action);
void add_ingest(CLI::App& app, Action& action);
void add_search(CLI::App& app, Action& action);
void add_stats(CLI::App& app, Action& action);
void add_export(CLI::App& app, Action& action);
// casework (cli/case.cc, cases.cc, reviewer.cc, simulate.cc)
void add_case(CLI::App& app, Action& action);
void add_cases(CLI::App& app, Action& action);
void add_reviewer(CLI::App& app, Action& action);
void add_simulate(CLI::App& app, Action& action);
void add_serve(CLI::App& app, Action& action);
void add_token(CLI::App& app, Action& action);
// review engine (cli/case_from_letter.cc, train.cc, eval.cc, review.cc, audit.cc)
void add_case_from_letter(CLI::App& app, Action& action);
void add_train(CLI::App& app, Action& action);
void add_eval(CLI::App& app, Action& action);
void add_review(CLI::App& app, Action& action);
void add_audit(CLI::App& app, Action& action);

}  // namespace imr::cli
