// The outcome model: probability that an IMR reviewer overturns the denial of an item, from
// L2-regularised, class-balanced logistic regression (liblinear) over hashed n-grams of the
// request and the claims administrator's basis, the summary's facts, the guideline's status
// crossed with how its criteria are met, the corpus's smoothed overturn rates for like requests
// (PrecedentStats) and the case context; calibrated by Platt scaling on out-of-fold scores, then
// averaged with the guideline rule's estimate (rule_estimate): a few hundred decided items fit
// noise that the knowledge base does not, and the average shrinks the fitted model toward the
// knowledge. Trained from whatever corpus the user stored; nothing is shipped.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "imr/base/result.h"
#include "imr/review/engine.h"

namespace imr::review {

struct SparseFeatures {
  std::vector<std::pair<std::uint32_t, double>> values;  // sorted by index, no duplicates
  std::vector<std::string> names;  // parallel to values when built with names (training, reasons)
  double rule_estimate = 0.12;      // the guideline rule's p(overturn) for the item (rule_estimate)
};

// Features of one item. `with_names` keeps readable names for reasons and the model file.
SparseFeatures item_features(const CaseFile& c, const ItemAnalysis& a, bool with_names = false);

struct TrainingExample {
  SparseFeatures features;
  bool overturned = false;
  std::int64_t group = 0;  // letter id: calibration folds keep a letter's items together
};

struct TrainOptions {
  double c = 0.2;          // liblinear C (inverse regularisation); small corpora need strong regularisation
  int calibration_folds = 4;  // out-of-fold scores for Platt scaling; 0 = no calibration
  double positive_weight = 0;  // class weight of "overturned"; 0 = upheld / overturned (balanced classes)
  // Weight of the guideline rule's estimate in p(overturn) = (1 - w) * calibrated model + w * rule.
  // 0.5: on the dev corpus the average beat both the model and the rule on every fold seed.
  double rule_weight = 0.5;
  int threads = 0;             // fits run in parallel (0: the machine's cores); the model is the same
};

class OutcomeModel {
 public:
  // kFailedPrecondition when the examples do not contain both outcomes.
  static Result<OutcomeModel> train(const std::vector<TrainingExample>& examples, const TrainOptions& options = {});
  // Text file; errors name the path.
  static Result<OutcomeModel> load(const std::string& path);
  Status save(const std::string& path) const;

  // The calibrated model's probability averaged with f.rule_estimate (weight rule_weight()).
  double p_overturn(const SparseFeatures& f) const;
  // p >= threshold -> overturned; the training share of overturned items (see train).
  double decision_threshold() const { return threshold_; }
  double rule_weight() const { return rule_weight_; }
  // The features pushing this prediction most, strongest first (needs f built with names).
  std::vector<Reason> reasons(const SparseFeatures& f, int k = 5) const;
  std::size_t nonzero_weights() const { return weights_.size(); }

 private:
  double raw_score(const SparseFeatures& f) const;
  std::vector<std::pair<std::uint32_t, double>> weights_;  // sorted by index
  double bias_ = 0, platt_a_ = -1, platt_b_ = 0, threshold_ = 0.5, rule_weight_ = 0;
};

// Every stored item's features and outcome, for training. Precedent statistics come from `index`
// without the item's counting fold (out-of-fold, CorpusIndex::stat_fold), and the list of similar
// items is not searched (the model does not use it). Letters are processed on `threads` threads
// (0: the machine's cores); the result, in letter order, does not depend on it.
std::vector<TrainingExample> training_examples(const Engine& engine, const std::vector<corpus::StoredLetter>& letters,
                                               const CorpusIndex* index, int threads = 0);

struct EvalOptions {
  int folds = 5;
  TrainOptions train;
  std::uint64_t seed = 1;
};

struct EvalMetric {
  double value = 0, baseline = 0;
};

// One item's out-of-fold estimate, for looking at what the engine gets wrong.
struct EvalPrediction {
  std::string case_number;  // or the letter key when the letter has none
  int item = 0;             // 0-based index in the letter
  std::string request, governing;  // governing: the catalog key the engine chose ("" when none)
  bool operation = false;      // a surgical procedure that is not itself a service of one
  bool perioperative = false;  // a service of an operation (guideline `perioperative`)
  bool overturned = false;     // the reviewer's decision
  double p_overturn = 0, rule_p_overturn = 0;
};

struct EvalReport {
  int letters = 0, items = 0, overturned = 0;
  std::vector<EvalPrediction> predictions;  // every item, in the order the folds were reviewed
  EvalMetric auc, balanced_accuracy, brier;
  EvalMetric guideline_top1;   // baseline: always the corpus's most cited guideline
  int guideline_items = 0;     // items whose reviewer cited a guideline (top-1 denominator)
  int kb_matched = 0;          // items a knowledge-base file matched
  double rule_auc = 0;         // the guideline rule alone (no model), for comparison
};

// k-fold cross-validation by letter: each fold's items are reviewed with a model and precedent
// index built from the other folds only.
Result<EvalReport> cross_validate(const Engine& engine, const std::vector<corpus::StoredLetter>& letters,
                                  const EvalOptions& options = {});

}  // namespace imr::review
