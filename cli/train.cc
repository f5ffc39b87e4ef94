// imr train --db URL --model FILE: trains the outcome model on every stored decided item.
#include <algorithm>
#include <chrono>
#include <iostream>

#include "imr/review/model.h"
#include "review_common.h"

namespace imr::cli {

void add_train(CLI::App& app, Action& action) {
  auto* cmd = app.add_subcommand("train", "Train the overturn-probability model on the stored corpus (liblinear, calibrated)");
  static CorpusFlags flags;
  static std::string model_path;
  static double c = review::TrainOptions{}.c;
  static double rule_weight = review::TrainOptions{}.rule_weight;
  static int threads = 0;
  add_db_flag(cmd, flags);
  cmd->add_option("--threads", threads, "Worker threads (default: the machine's cores); the model does not depend on it")
      ->check(CLI::Range(0, 256));
  cmd->add_option("--model", model_path, "Where to write the model file")->required();
  cmd->add_option("--c", c, "Inverse regularisation strength (default 0.2)")->check(CLI::PositiveNumber);
  cmd->add_option("--rule-weight", rule_weight, "Weight of the guideline rule's estimate in p(overturn), 0-1 (default 0.5; 0: the model alone)")
      ->check(CLI::Range(0.0, 1.0));
  cmd->callback([&action] {
    action = [] {
      int rc = 0;
      auto engine = load_engine("train", rc);
      if (!engine) return rc;
      std::vector<corpus::StoredLetter> letters;
      auto t0 = std::chrono::steady_clock::now();
      auto index = load_corpus("train", flags, *engine, &letters, rc);
      if (!index) return rc;
      auto t1 = std::chrono::steady_clock::now();
      auto examples = review::training_examples(*engine, letters, &*index, threads);
      auto t2 = std::chrono::steady_clock::now();
      review::TrainOptions opts;
      opts.c = c;
      opts.rule_weight = rule_weight;
      opts.threads = threads;
      auto model = review::OutcomeModel::train(examples, opts);
      if (!model.ok()) {
        std::cerr << "imr train: " << model.status().message() << "\n";
        return exit_code(model.status());
      }
      Status s = model->save(model_path);
      if (!s.ok()) {
        std::cerr << "imr train: " << s.message() << "\n";
        return exit_code(s);
      }
      auto t3 = std::chrono::steady_clock::now();
      auto s_of = [](auto a, auto b) { return std::chrono::duration<double>(b - a).count(); };
      const double secs = s_of(t0, t3);
      int over = 0;
      for (const auto& e : examples) over += e.overturned;
      std::cerr << "imr train: " << letters.size() << " letters, " << examples.size() << " items (" << over
                << " overturned), " << model->nonzero_weights() << " weights, threshold " << model->decision_threshold()
                << ", " << secs << " s (load and index " << s_of(t0, t1) << " s, features " << s_of(t1, t2)
                << " s, fit " << s_of(t2, t3) << " s; " << static_cast<long>(examples.size() / std::max(secs, 1e-9))
                << " items/s) -> " << model_path << "\n";
      return 0;
    };
  });
}

}  // namespace imr::cli
