// imr eval --db URL [--folds 5] [--json] [--predictions FILE]: k-fold cross-validation of the
// engine on the corpus.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "imr/review/model.h"
#include "review_common.h"

namespace imr::cli {

void add_eval(CLI::App& app, Action& action) {
  auto* cmd = app.add_subcommand("eval", "Cross-validate the engine: AUC, balanced accuracy, Brier, guideline top-1 vs baselines");
  static CorpusFlags flags;
  static int folds = 5;
  static bool json = false;
  static std::string predictions;
  static std::uint64_t seed = 1;
  static double c = review::TrainOptions{}.c;
  static double rule_weight = review::TrainOptions{}.rule_weight;
  add_db_flag(cmd, flags);
  cmd->add_option("--folds", folds, "Number of folds (default 5)")->check(CLI::Range(2, 100));
  cmd->add_option("--seed", seed, "Shuffle seed for the folds (default 1)");
  cmd->add_option("--c", c, "Inverse regularisation strength (default 0.2)")->check(CLI::PositiveNumber);
  cmd->add_option("--rule-weight", rule_weight, "Weight of the guideline rule's estimate in p(overturn), 0-1 (default 0.5; 0: the model alone)")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_flag("--json", json, "One JSON object");
  cmd->add_option("--predictions", predictions,
                  "Write each item's out-of-fold estimate to FILE, one JSON object per line "
                  "(case_number, item, request, governing, operation, perioperative, overturned, p_overturn, "
                  "rule_p_overturn)");
  cmd->callback([&action] {
    action = [] {
      int rc = 0;
      auto engine = load_engine("eval", rc);
      if (!engine) return rc;
      std::vector<corpus::StoredLetter> letters;
      auto index = load_corpus("eval", flags, *engine, &letters, rc);
      if (!index) return rc;
      review::EvalOptions o;
      o.folds = folds;
      o.seed = seed;
      o.train.c = c;
      o.train.rule_weight = rule_weight;
      auto r = review::cross_validate(*engine, letters, o);
      if (!r.ok()) {
        std::cerr << "imr eval: " << r.status().message() << "\n";
        return exit_code(r.status());
      }
      if (!predictions.empty()) {
        std::ofstream out(predictions);
        for (const auto& e : r->predictions)
          out << nlohmann::ordered_json{{"case_number", e.case_number}, {"item", e.item}, {"request", e.request},
                                        {"governing", e.governing}, {"operation", e.operation},
                                        {"perioperative", e.perioperative}, {"overturned", e.overturned},
                                        {"p_overturn", e.p_overturn}, {"rule_p_overturn", e.rule_p_overturn}}
                     .dump()
              << "\n";
        if (!out.flush()) {
          std::cerr << "imr eval: --predictions " << predictions << ": cannot write\n";
          return exit_code(io_error(predictions + ": cannot write"));
        }
      }
      if (json) {
        nlohmann::ordered_json j;
        j["letters"] = r->letters;
        j["items"] = r->items;
        j["overturned"] = r->overturned;
        j["folds"] = folds;
        auto m = [](const review::EvalMetric& x) { return nlohmann::ordered_json{{"value", x.value}, {"baseline", x.baseline}}; };
        j["auc"] = m(r->auc);
        j["balanced_accuracy"] = m(r->balanced_accuracy);
        j["brier"] = m(r->brier);
        j["guideline_top1"] = m(r->guideline_top1);
        j["guideline_items"] = r->guideline_items;
        j["kb_matched"] = r->kb_matched;
        j["rule_auc"] = r->rule_auc;
        std::cout << j.dump(2) << "\n";
        return 0;
      }
      std::printf("%d letters, %d items (%d overturned), %d-fold cross-validation by letter\n", r->letters, r->items,
                  r->overturned, folds);
      std::printf("%-22s %8s %18s\n", "metric", "engine", "baseline");
      std::printf("%-22s %8.3f %18.3f  (always upheld)\n", "AUC", r->auc.value, r->auc.baseline);
      std::printf("%-22s %8.3f %18.3f  (always upheld)\n", "balanced accuracy", r->balanced_accuracy.value, r->balanced_accuracy.baseline);
      std::printf("%-22s %8.3f %18.3f  (always upheld; lower is better)\n", "Brier", r->brier.value, r->brier.baseline);
      std::printf("%-22s %8.3f %18.3f  (always the most cited guideline; %d items cite one)\n", "guideline top-1",
                  r->guideline_top1.value, r->guideline_top1.baseline, r->guideline_items);
      std::printf("knowledge base matched %d of %d items; guideline rule alone: AUC %.3f\n", r->kb_matched, r->items, r->rule_auc);
      return 0;
    };
  });
}

}  // namespace imr::cli
