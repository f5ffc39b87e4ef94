// Flags and helpers shared by the casework verbs (case, cases, reviewer, simulate): --db,
// --actor, --now, JSON input from a file or stdin, and the one way they report a failure.
#pragma once

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>

#include "imr/casework/casebook.h"
#include "imr/corpus/store.h"
#include "verbs.h"

namespace imr::cli {

struct CaseworkFlags {
  std::string db, actor, now;
};

inline void add_casework_flags(CLI::App* cmd, CaseworkFlags& f, bool mutating) {
  cmd->add_option("--db", f.db, "Database URL: sqlite:PATH, a path, or postgresql://... (default: $IMR_DB, else imr.db)");
  if (mutating) {
    cmd->add_option("--actor", f.actor, "Who makes the change, for the audit log (default: $IMR_ACTOR, else $USER)");
    cmd->add_option("--now", f.now, "The current time, YYYY-MM-DD[THH:MM[:SS]] (default: the clock; for tests and replays)");
  } else {
    cmd->add_option("--now", f.now, "The current time for deadlines, YYYY-MM-DD[THH:MM[:SS]] (default: the clock)");
  }
}

// Prints "imr VERB: message" and returns the exit code. A request the readers or the Casebook
// refuse as malformed is bad input (exit 1), not wrong usage of the command line (2).
inline int fail(const std::string& verb, const Status& s) {
  std::cerr << "imr " << verb << ": " << s.message() << "\n";
  return exit_code(s.code() == Code::kInvalidArgument ? Status(Code::kUnrecognized, s.message()) : s);
}

inline Result<casework::Actor> actor_of(const CaseworkFlags& f) {
  casework::Actor a;
  a.name = f.actor;
  for (const char* env : {"IMR_ACTOR", "USER"})
    if (a.name.empty() && std::getenv(env)) a.name = std::getenv(env);
  if (a.name.empty()) a.name = "imr";
  if (f.now.empty()) {
    a.now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  } else {
    auto t = casework::parse_time(f.now);
    if (!t) return invalid_argument("--now: '" + f.now + "' is not YYYY-MM-DD[THH:MM[:SS]]");
    a.now = *t;
  }
  return a;
}

inline Result<std::unique_ptr<casework::Casebook>> open_casebook(const CaseworkFlags& f) {
  return casework::Casebook::open(corpus::resolve_db_url(f.db));
}

// The whole of FILE, or of stdin for "-" or "".
inline Result<std::string> read_input(const std::string& path) {
  if (path.empty() || path == "-") return std::string(std::istreambuf_iterator<char>(std::cin), {});
  std::ifstream in(path, std::ios::binary);
  if (!in) return not_found(path + ": cannot read");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace imr::cli
