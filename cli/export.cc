// imr export [--format csv|jsonl] [--output FILE]: every item with its letter and normalised fields.
#include <fstream>
#include <iostream>

#include "corpus_flags.h"
#include "imr/corpus/export.h"

namespace imr::cli {

void add_export(CLI::App& app, Action& action) {
  auto* cmd = app.add_subcommand("export", "Write every disputed item with its letter's and normalised fields (CSV or JSON Lines)");
  static CorpusFlags flags;
  static std::string format = "csv", output;
  add_db_flag(cmd, flags);
  cmd->add_option("--format", format, "csv (default) or jsonl")->check(CLI::IsMember({"csv", "jsonl"}));
  cmd->add_option("-o,--output", output, "Write here instead of standard output");
  cmd->callback([&action] {
    action = [] {
      int rc = 0;
      auto store = open_store("export", flags, corpus::OpenMode::kExisting, rc);
      if (!store) return rc;
      std::ofstream file;
      if (!output.empty()) {
        file.open(output, std::ios::binary | std::ios::trunc);
        if (!file) {
          std::cerr << "imr export: " << output << ": cannot write\n";
          return exit_code(io_error(""));
        }
      }
      std::ostream& out = output.empty() ? std::cout : file;
      Status s = corpus::export_corpus(*store, *corpus::parse_export_format(format), out);
      if (!s.ok()) {
        std::cerr << "imr export: " << s.message() << (output.empty() ? "" : " (" + output + ")") << "\n";
        return exit_code(s);
      }
      return 0;
    };
  });
}

}  // namespace imr::cli
