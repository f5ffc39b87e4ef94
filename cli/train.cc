// imr train --db URL --model FILE: trains the outcome model on every stored decided item.
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
  add_db_flag(cmd, flags);
  cmd->add_option("--model", model_path, "Where to write the model file")->required();
  cmd->add_option("--c", c, "Inverse regularisation strength (default 0.5)")->check(CLI::PositiveNumber);
  cmd->callback([&action] {
    action = [] {
      int rc = 0;
      auto engine = load_engine("train", rc);
      if (!engine) return rc;
      std::vector<corpus::StoredLetter> letters;
      auto t0 = std::chrono::steady_clock::now();
      auto index = load_corpus("train", flags, *engine, &letters, rc);
      if (!index) return rc;
      auto examples = review::training_examples(*engine, letters, &*index);
      review::TrainOptions opts;
      opts.c = c;
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
      double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      int over = 0;
      for (const auto& e : examples) over += e.overturned;
      std::cerr << "imr train: " << letters.size() << " letters, " << examples.size() << " items (" << over
                << " overturned), " << model->nonzero_weights() << " weights, threshold " << model->decision_threshold()
                << ", " << secs << " s -> " << model_path << "\n";
      return 0;
    };
  });
}

}  // namespace imr::cli
