// imr review CASE.json [--db URL] [--model FILE] [--json] [--letter]: the engine's review of a case.
#include <fstream>
#include <iostream>
#include <sstream>

#include "imr/letter/writer.h"
#include "imr/review/model.h"
#include "review_common.h"

namespace imr::cli {

void add_review(CLI::App& app, Action& action) {
  auto* cmd = app.add_subcommand("review", "Review a case file: per item decision, probability, guideline, criteria, precedents, draft");
  static CorpusFlags flags;
  static std::string case_path, model_path;
  static bool json = false, as_letter = false;
  cmd->add_option("case", case_path, "Case file (JSON; '-' for standard input)")->required();
  cmd->add_option("--db", flags.db, "Corpus for precedents (sqlite:PATH, a path, or postgresql://...); none by default");
  cmd->add_option("--model", model_path, "Outcome model from `imr train` (default: the guideline rule's estimate)");
  cmd->add_flag("--json", json, "JSON output");
  cmd->add_flag("--letter", as_letter, "Render the draft Final Determination Letter");
  cmd->callback([&action] {
    action = [] {
      std::stringstream ss;
      if (case_path == "-") {
        ss << std::cin.rdbuf();
      } else {
        std::ifstream in(case_path, std::ios::binary);
        if (!in) {
          std::cerr << "imr review: " << case_path << ": cannot open\n";
          return exit_code(not_found(""));
        }
        ss << in.rdbuf();
      }
      auto c = review::case_from_json(ss.str());
      if (!c.ok()) {
        std::cerr << "imr review: " << case_path << ": " << c.status().message() << "\n";
        // A malformed case file is input that cannot be used (exit 1), not wrong usage of the verb.
        return exit_code(Status(Code::kUnrecognized, c.status().message()));
      }
      int rc = 0;
      auto engine = load_engine("review", rc);
      if (!engine) return rc;
      std::optional<review::CorpusIndex> index;
      if (!flags.db.empty()) {
        index = load_corpus("review", flags, *engine, nullptr, rc);
        if (!index) return rc;
      }
      std::optional<review::OutcomeModel> model;
      if (!model_path.empty()) {
        auto m = review::OutcomeModel::load(model_path);
        if (!m.ok()) {
          std::cerr << "imr review: " << m.status().message() << "\n";
          return exit_code(m.status());
        }
        model = std::move(*m);
      }
      auto r = engine->review(*c, index ? &*index : nullptr, model ? &*model : nullptr);
      if (as_letter) std::cout << letter::render_letter(review::review_to_letter(r));
      else if (json) std::cout << review::review_to_json(r) << "\n";
      else std::cout << review::review_to_text(r);
      return 0;
    };
  });
}

}  // namespace imr::cli
