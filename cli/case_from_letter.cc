// imr case-from-letter [FILE.jsonl|-] | --db URL KEY...: the case a letter was decided on, without
// its decisions, reviewer basis or rationale (to review it afresh or to evaluate the engine).
#include <fstream>
#include <iostream>

#include "corpus_flags.h"
#include "imr/letter/json.h"
#include "imr/review/case.h"

namespace imr::cli {

void add_case_from_letter(CLI::App& app, Action& action) {
  auto* cmd = app.add_subcommand("case-from-letter",
                                 "Turn parsed letters (JSON lines) or stored letters (--db URL KEY) into case files without decisions");
  static CorpusFlags flags;
  static std::vector<std::string> args;
  static bool lines = false;
  add_db_flag(cmd, flags);
  cmd->add_option("input", args, "Record JSON lines file (default or '-': standard input); with --db: letter keys or case numbers");
  cmd->add_flag("--lines", lines, "One case file per line (default: pretty-printed)");
  cmd->callback([&action] {
    action = [] {
      const int indent = lines ? -1 : 2;
      if (!flags.db.empty()) {
        if (args.empty()) {
          std::cerr << "imr case-from-letter: --db needs at least one letter key or case number\n";
          return 2;
        }
        int rc = 0;
        auto store = open_store("case-from-letter", flags, corpus::OpenMode::kExisting, rc);
        if (!store) return rc;
        for (const auto& key : args) {
          auto l = store->get_letter(key);
          if (!l.ok()) {
            std::cerr << "imr case-from-letter: " << key << ": " << l.status().message() << "\n";
            rc = exit_code(l.status());
            continue;
          }
          std::cout << review::case_to_json(review::case_from_letter(l->letter), indent) << "\n";
        }
        return rc;
      }
      std::ifstream file;
      const std::string name = args.empty() ? "-" : args.front();
      if (name != "-") {
        file.open(name, std::ios::binary);
        if (!file) {
          std::cerr << "imr case-from-letter: " << name << ": cannot open\n";
          return exit_code(not_found(""));
        }
      }
      std::istream& in = name == "-" ? std::cin : file;
      int rc = 0, n = 0;
      for (std::string line; std::getline(in, line);) {
        ++n;
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        auto l = letter::letter_from_json(line);
        if (!l.ok()) {
          std::cerr << "imr case-from-letter: " << (name == "-" ? "stdin" : name) << ":" << n << ": " << l.status().message() << "\n";
          rc = exit_code(Status(Code::kUnrecognized, l.status().message()));  // bad input line: exit 1
          continue;
        }
        std::cout << review::case_to_json(review::case_from_letter(*l), indent) << "\n";
      }
      return rc;
    };
  });
}

}  // namespace imr::cli
