// imr parse [--jobs N] PATH...: letters -> records (JSON Lines), in input order.
#include <cstdio>
#include <iostream>

#include "imr/base/files.h"
#include "imr/base/parallel.h"
#include "imr/letter/json.h"
#include "imr/letter/reader.h"
#include "verbs.h"

namespace imr::cli {

void add_parse(CLI::App& app, Action& action) {
  auto* cmd = app.add_subcommand("parse", "Read letters (.pdf, .txt; files or directories) and print one JSON record per letter");
  static std::vector<std::string> paths;
  static int jobs = 0;
  static bool pretty = false;
  cmd->add_option("paths", paths, "Letter files or directories (searched recursively)")->required();
  cmd->add_option("-j,--jobs", jobs, "Worker threads (default: all cores)")->check(CLI::Range(0, 256));
  cmd->add_flag("--pretty", pretty, "Indented JSON instead of one line per letter");
  cmd->callback([&action] {
    action = [] {
      int rc = 0;
      auto files = files::expand_inputs(paths, {".pdf", ".txt"}, [&](const std::string&, const Status& s) {
        std::cerr << "imr parse: " << s.message() << "\n";
        rc = 1;
      });
      std::string out;
      parallel_ordered<Result<letter::Letter>>(
          files.size(), jobs, [&](std::size_t i) { return letter::read_letter_file(files[i]); },
          [&](std::size_t, Result<letter::Letter>& r) {
            if (!r.ok()) {
              std::cerr << "imr parse: " << r.status().message() << "\n";
              rc = 1;
              return;
            }
            out = pretty ? letter::to_json_pretty(*r) : letter::to_json_line(*r);
            out.push_back('\n');
            std::fwrite(out.data(), 1, out.size(), stdout);
          });
      std::fflush(stdout);
      return rc;
    };
  });
}

}  // namespace imr::cli
