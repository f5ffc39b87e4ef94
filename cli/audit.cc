// imr audit --db URL [--json] [--examples N]: consistency checks over stored determinations.
#include <iostream>

#include "imr/review/audit.h"
#include "review_common.h"

namespace imr::cli {

void add_audit(CLI::App& app, Action& action) {
  auto* cmd = app.add_subcommand("audit", "Check stored determinations: decision vs rationale, missing or non-governing citations, unsupported facts");
  static CorpusFlags flags;
  static bool json = false;
  static int examples = 5;
  add_db_flag(cmd, flags);
  cmd->add_flag("--json", json, "JSON output");
  cmd->add_option("--examples", examples, "Examples per finding (default 5)")->check(CLI::Range(0, 100000));
  cmd->callback([&action] {
    action = [] {
      int rc = 0;
      auto engine = load_engine("audit", rc);
      if (!engine) return rc;
      std::vector<corpus::StoredLetter> letters;
      auto store = open_store("audit", flags, corpus::OpenMode::kExisting, rc);
      if (!store) return rc;
      std::int64_t last = -1;
      Status s = store->export_items([&](const corpus::ExportRow& row) -> Status {
        if (row.letter.id != last) letters.push_back(row.letter), last = row.letter.id;
        return {};
      });
      if (!s.ok()) {
        std::cerr << "imr audit: " << s.message() << "\n";
        return exit_code(s);
      }
      auto r = review::audit(*engine, letters, examples);
      if (!r.ok()) {
        std::cerr << "imr audit: " << r.status().message() << "\n";
        return exit_code(r.status());
      }
      std::cout << (json ? review::audit_to_json(*r) + "\n" : review::audit_to_text(*r));
      return 0;
    };
  });
}

}  // namespace imr::cli
