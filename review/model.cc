// Outcome model: hashed features -> liblinear logistic regression -> Platt scaling.
//
// Prediction does not need liblinear: the weights are kept sparse and a prediction is one sparse
// dot product, which keeps `imr review` fast and the model file a plain text file.
#include "imr/review/model.h"

#include <linear.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <numeric>
#include <random>
#include <sstream>
#include <tuple>
#include <unordered_map>

#include "imr/base/text.h"
#include "parallel.h"

namespace imr::review {

namespace {

constexpr std::uint32_t kDim = 1u << 20;  // hashed feature space

std::uint32_t hash_name(std::string_view s) {
  std::uint32_t h = 2166136261u;
  for (unsigned char c : s) {
    h ^= c;
    h *= 16777619u;
  }
  return h % kDim + 1;  // liblinear indices start at 1
}

// Collects named features; duplicates add up.
class Builder {
 public:
  explicit Builder(bool names) : names_(names) {}
  void add(std::string name, double v = 1) { named_.emplace_back(std::move(name), v); }
  // Text n-grams under a prefix, each weighted 1/sqrt(count) so long texts do not dominate.
  void add_text(const std::string& prefix, const std::string& text, bool bigrams, double scale = 1) {
    auto terms = hashed_terms(text, bigrams);
    if (terms.empty()) return;
    double w = scale / std::sqrt(static_cast<double>(terms.size()));
    // The term hash mixed with the prefix's: no string per term (training builds millions).
    const std::uint64_t p = hash_name(prefix);
    for (auto t : terms) {
      std::uint64_t x = (p << 32 | t) * 0x9E3779B97F4A7C15ull;
      std::uint32_t h = static_cast<std::uint32_t>((x >> 32) % kDim) + 1;
      entries_.push_back({h, w});
      if (names_ && !name_of_.count(h)) name_of_[h] = prefix + "text";
    }
  }
  SparseFeatures done() {
    for (auto& [name, v] : named_) {
      std::uint32_t h = hash_name(name);
      entries_.push_back({h, v});
      if (names_ && !name_of_.count(h)) name_of_[h] = name;
    }
    std::sort(entries_.begin(), entries_.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    SparseFeatures f;
    for (const auto& [h, v] : entries_) {
      if (!f.values.empty() && f.values.back().first == h) f.values.back().second += v;  // collisions add up
      else f.values.emplace_back(h, v);
    }
    if (names_)
      for (const auto& [h, v] : f.values) f.names.push_back(name_of_[h]);
    return f;
  }

 private:
  bool names_;
  std::vector<std::pair<std::uint32_t, double>> entries_;
  std::vector<std::pair<std::string, double>> named_;
  std::unordered_map<std::uint32_t, std::string> name_of_;
};

std::string bucket(double v, std::initializer_list<double> edges) {
  int i = 0;
  for (double e : edges) {
    if (v < e) break;
    ++i;
  }
  return std::to_string(i);
}

// Platt (2007, Lin/Lin/Weng) Newton fit of P(y=1|f) = 1/(1+exp(A f + B)).
void fit_platt(const std::vector<double>& f, const std::vector<int>& y, double& A, double& B) {
  double prior1 = 0, prior0 = 0;
  for (int v : y) (v ? prior1 : prior0) += 1;
  const double hi = (prior1 + 1) / (prior1 + 2), lo = 1 / (prior0 + 2);
  std::vector<double> t(y.size());
  for (std::size_t i = 0; i < y.size(); ++i) t[i] = y[i] ? hi : lo;
  A = 0;
  B = std::log((prior0 + 1) / (prior1 + 1));
  auto objective = [&](double a, double b) {
    double fv = 0;
    for (std::size_t i = 0; i < f.size(); ++i) {
      double fApB = f[i] * a + b;
      fv += fApB >= 0 ? t[i] * fApB + std::log1p(std::exp(-fApB)) : (t[i] - 1) * fApB + std::log1p(std::exp(fApB));
    }
    return fv;
  };
  double fval = objective(A, B);
  for (int iter = 0; iter < 100; ++iter) {
    double h11 = 1e-12, h22 = 1e-12, h21 = 0, g1 = 0, g2 = 0;
    for (std::size_t i = 0; i < f.size(); ++i) {
      double fApB = f[i] * A + B;
      double p = fApB >= 0 ? std::exp(-fApB) / (1 + std::exp(-fApB)) : 1 / (1 + std::exp(fApB));
      double q = 1 - p, d2 = p * q, d1 = t[i] - p;
      h11 += f[i] * f[i] * d2;
      h22 += d2;
      h21 += f[i] * d2;
      g1 += f[i] * d1;
      g2 += d1;
    }
    if (std::fabs(g1) < 1e-5 && std::fabs(g2) < 1e-5) break;
    double det = h11 * h22 - h21 * h21;
    double dA = -(h22 * g1 - h21 * g2) / det, dB = -(-h21 * g1 + h11 * g2) / det;
    double gd = g1 * dA + g2 * dB, step = 1;
    while (step >= 1e-10) {
      double nA = A + step * dA, nB = B + step * dB, nf = objective(nA, nB);
      if (nf < fval + 1e-4 * step * gd) {
        A = nA, B = nB, fval = nf;
        break;
      }
      step /= 2;
    }
    if (step < 1e-10) break;
  }
}

void quiet(const char*) {}

// Trains liblinear on examples[idx]; returns sparse weights and bias.
std::pair<std::vector<std::pair<std::uint32_t, double>>, double> fit_linear(const std::vector<TrainingExample>& ex,
                                                                             const std::vector<std::size_t>& idx,
                                                                             const TrainOptions& o) {
  // liblinear's solver does O(dimension) work per step, so the hashed space (2^20) is mapped onto
  // the features these rows use (1..n, bias n+1) and the weights mapped back: the same solution,
  // since an unused feature's weight stays 0 under L2 regularisation.
  std::vector<std::uint32_t> used;
  for (std::size_t k = 0; k < idx.size(); ++k)
    for (const auto& [i, v] : ex[idx[k]].features.values) used.push_back(i);
  std::sort(used.begin(), used.end());
  used.erase(std::unique(used.begin(), used.end()), used.end());
  const int dim = static_cast<int>(used.size());
  std::vector<std::vector<feature_node>> rows(idx.size());
  std::vector<feature_node*> x(idx.size());
  std::vector<double> y(idx.size());
  int pos = 0;
  for (std::size_t k = 0; k < idx.size(); ++k) {
    const auto& e = ex[idx[k]];
    auto& row = rows[k];
    row.reserve(e.features.values.size() + 2);
    auto u = used.begin();
    for (const auto& [i, v] : e.features.values) {  // values and `used` both ascending
      u = std::lower_bound(u, used.end(), i);
      row.push_back({static_cast<int>(u - used.begin()) + 1, v});
    }
    row.push_back({dim + 1, 1.0});  // bias feature
    row.push_back({-1, 0});
    x[k] = row.data();
    y[k] = e.overturned ? 1 : -1;
    pos += e.overturned;
  }
  problem prob{};
  prob.l = static_cast<int>(idx.size());
  prob.n = dim + 1;
  prob.y = y.data();
  prob.x = x.data();
  prob.bias = -1;
  parameter param{};
  param.solver_type = L2R_LR;
  param.C = o.c;
  param.eps = 0.01;
  int labels[2] = {1, -1};
  double weights[2] = {1, 1};
  const int neg = prob.l - pos;
  weights[0] = o.positive_weight > 0 ? o.positive_weight : (pos > 0 ? static_cast<double>(neg) / pos : 1);
  param.nr_weight = 2;
  param.weight_label = labels;
  param.weight = weights;
  model* m = ::train(&prob, &param);
  std::vector<std::pair<std::uint32_t, double>> w;
  // liblinear orders labels as first seen; w is for the first label.
  double sign = m->label[0] == 1 ? 1 : -1;
  for (int i = 0; i < dim; ++i)
    if (m->w[i] != 0) w.emplace_back(used[static_cast<std::size_t>(i)], sign * m->w[i]);
  double bias = sign * m->w[dim];
  free_and_destroy_model(&m);
  return {std::move(w), bias};
}

double dot(const std::vector<std::pair<std::uint32_t, double>>& w, const SparseFeatures& f) {
  double s = 0;
  auto a = w.begin();
  for (const auto& [i, v] : f.values) {
    a = std::lower_bound(a, w.end(), i, [](const auto& p, std::uint32_t k) { return p.first < k; });
    if (a == w.end()) break;
    if (a->first == i) s += a->second * v;
  }
  return s;
}

}  // namespace

SparseFeatures item_features([[maybe_unused]] const CaseFile& c, const ItemAnalysis& a, bool with_names) {
  Builder b(with_names);
  b.add("bias:item");
  b.add_text("req:", a.request, true);
  // The summary's words are many and the corpus small: they count less than the structured facts.
  // The summary enters through its facts, not its words: a bag of summary words has thousands of
  // dimensions per few hundred decided items and fitted noise in cross-validation (and it was
  // most of the training cost).
  if (a.claims_administrator_basis) b.add_text("ca:", *a.claims_administrator_basis, false);
  b.add("category=" + a.normalized.category);
  b.add("subcategory=" + a.normalized.subcategory);
  b.add("region=" + a.normalized.body_region);
  if (a.normalized.retrospective) b.add("retrospective");
  if (a.normalized.drug) b.add("drug=" + a.normalized.drug->name);
  for (const auto& [name, f] : a.facts) {
    if (f.kind == FactKind::kBool) b.add("fact:" + name + "=" + (f.flag ? "yes" : "no"));
    else if (f.kind == FactKind::kText) b.add("fact:" + name + "=" + text::to_lower(f.text));
    else if (name == "age") b.add("fact:age~" + bucket(f.number, {30, 40, 50, 60}));
    else if (name == "months_since_injury") b.add("fact:months_since_injury~" + bucket(f.number, {3, 6, 12, 24, 60}));
    else if (name == "pain_score") b.add("fact:pain_score~" + bucket(f.number, {4, 7, 9}));
    else if (name == "morphine_equivalent_mg") b.add("fact:morphine_equivalent_mg~" + bucket(f.number, {50, 90, 120}));
    else b.add("fact:" + name + "~" + bucket(f.number, {2, 6, 10, 13, 25}));
  }
  if (a.guideline) {
    b.add("treatment=" + a.guideline->id);
    const std::string status = to_string(a.guideline->status);
    b.add("status=" + status);
    int met = 0, unmet = 0, unknown = 0;
    for (const auto& r : a.criteria) {
      b.add(std::string("criterion ") + to_string(r.outcome) + ": " + a.guideline->id + "/" + r.criterion->id);
      met += r.outcome == Outcome::kMet;
      unmet += r.outcome == Outcome::kUnmet;
      unknown += r.outcome == Outcome::kUnknown;
    }
    b.add("criteria met", met);
    b.add("criteria unmet", unmet);
    b.add("criteria unknown", unknown * 0.5);
    if (!a.criteria.empty() && unmet == 0 && unknown == 0) b.add("all criteria met");
    if (unmet == 0 && met > 0) b.add("no criterion unmet");
    // The guideline's position crossed with how the case meets it: an unmet criterion weighs
    // differently for a recommended treatment than for one the guideline recommends against
    // (whose criteria describe the exception). Shared across treatments, so it generalises to
    // treatments the corpus has few of.
    const std::string state = unmet > 0 ? "some unmet" : met > 0 && unknown == 0 ? "all met" : met > 0 ? "met and unknown" : "all unknown";
    b.add("status=" + status + " x criteria " + state);
  } else {
    b.add("no guideline file");
  }
  // Case context: how many items, whether an operation is among them, and this item's kind
  // crossed with both (associated services follow the operation's fate).
  const std::string sub = a.normalized.subcategory;
  const std::size_t n = a.case_subcategories.size();
  const std::string items = n <= 1 ? "1" : n <= 3 ? "2-3" : "4+";
  b.add("case items~" + items);
  b.add("case items~" + items + " x " + sub);
  const bool surgery_case = std::find(a.case_subcategories.begin(), a.case_subcategories.end(), "Surgical procedure") !=
                            a.case_subcategories.end();
  if (surgery_case) {
    b.add("case includes an operation");
    b.add("case includes an operation x " + sub);
  }
  // Services of an operation, pooled across their subcategories (preoperative labs, postoperative
  // therapy, an assistant surgeon, ...): the few of each kind share what they have in common.
  if (a.perioperative) {
    b.add("perioperative");
    b.add(a.operation_in_dispute ? "perioperative, operation in dispute" : "perioperative, operation not in dispute");
  }
  if (auto it = a.facts.find("months_since_injury"); it != a.facts.end())
    b.add(sub + " x months since injury~" + bucket(it->second.number, {3, 6, 12, 24}));
  if (auto it = a.facts.find("same_treatment_before"); it != a.facts.end()) b.add(sub + " x same treatment before");
  const double rule = rule_estimate(a);
  b.add("guideline rule estimate", 4 * rule);
  // The corpus's experience as centred log-odds (0 = the corpus rate), from the smoothed rates:
  // a level with few items stays near its parent, so rare requests add nothing spurious.
  if (const auto& ps = a.precedent_stats; ps && ps->treatment_n > 0) {
    auto logit = [](double p) { return std::log(p / (1 - p)); };
    const double base = logit(ps->corpus_rate);
    b.add("precedent treatment log-odds", logit(ps->treatment_rate) - base);
    b.add("precedent region log-odds", logit(ps->region_rate) - logit(ps->treatment_rate));
    b.add("precedent request log-odds", logit(ps->request_rate) - logit(ps->region_rate));
    b.add("precedent items~" + bucket(ps->treatment_n, {5, 20, 100}));
  } else {
    b.add("no precedents");
  }
  SparseFeatures f = b.done();
  f.rule_estimate = rule;
  return f;
}

double OutcomeModel::raw_score(const SparseFeatures& f) const { return dot(weights_, f) + bias_; }

double OutcomeModel::p_overturn(const SparseFeatures& f) const {
  const double model = 1 / (1 + std::exp(platt_a_ * raw_score(f) + platt_b_));
  return (1 - rule_weight_) * model + rule_weight_ * f.rule_estimate;
}

std::vector<Reason> OutcomeModel::reasons(const SparseFeatures& f, int k) const {
  // Contributions to the calibrated log-odds of overturn (-A * w * x), text terms grouped.
  std::map<std::string, double> by_name;
  for (std::size_t j = 0; j < f.values.size(); ++j) {
    auto [i, v] = f.values[j];
    auto it = std::lower_bound(weights_.begin(), weights_.end(), i, [](const auto& p, std::uint32_t x) { return p.first < x; });
    if (it == weights_.end() || it->first != i) continue;
    std::string name = j < f.names.size() ? f.names[j] : "feature " + std::to_string(i);
    if (name == "bias:item") continue;
    by_name[name] += -platt_a_ * it->second * v;
  }
  std::vector<Reason> out;
  for (auto& [n, w] : by_name) {
    std::string label = n == "req:text" ? "words of the request" : n == "sum:text" ? "words of the clinical summary"
                        : n == "ca:text" ? "words of the claims administrator's basis" : n;
    out.push_back({label, w});
  }
  std::sort(out.begin(), out.end(), [](const Reason& a, const Reason& b) { return std::fabs(a.weight) > std::fabs(b.weight); });
  if (static_cast<int>(out.size()) > k) out.resize(k);
  return out;
}

Result<OutcomeModel> OutcomeModel::train(const std::vector<TrainingExample>& ex, const TrainOptions& o) {
  int pos = 0;
  for (const auto& e : ex) pos += e.overturned;
  if (pos == 0 || pos == static_cast<int>(ex.size()))
    return failed_precondition("training needs both upheld and overturned items (have " + std::to_string(ex.size()) +
                               " items, " + std::to_string(pos) + " overturned)");
  if (!(o.rule_weight >= 0 && o.rule_weight <= 1)) return invalid_argument("rule weight: expected 0..1");
  OutcomeModel m;
  m.rule_weight_ = o.rule_weight;
  set_print_string_function(&quiet);  // once, before any thread fits
  std::vector<std::size_t> all(ex.size());
  std::iota(all.begin(), all.end(), 0);
  // Out-of-fold scores for calibration, folds by letter so a letter's items stay together.
  std::vector<double> oof(ex.size(), 0);
  std::vector<int> y(ex.size());
  for (std::size_t i = 0; i < ex.size(); ++i) y[i] = ex[i].overturned;
  const int folds = std::max(o.calibration_folds, 0);
  // Calibration folds by letter; calibration is skipped when a fold's training part lacks a class.
  std::vector<std::vector<std::size_t>> tr(folds), te(folds);
  bool calibrated = folds >= 2;
  if (calibrated) {
    for (std::size_t i = 0; i < ex.size(); ++i) {
      const int fi = static_cast<int>((static_cast<std::uint64_t>(ex[i].group) * 2654435761u) % folds);
      for (int f = 0; f < folds; ++f) (f == fi ? te[f] : tr[f]).push_back(i);
    }
    for (int f = 0; f < folds; ++f) {
      int tpos = 0;
      for (auto i : tr[f]) tpos += y[i];
      if (!te[f].empty() && (tpos == 0 || tpos == static_cast<int>(tr[f].size()))) calibrated = false;
    }
  }
  // The final fit and the folds' fits are independent: job 0 (the largest) the final model, job
  // f + 1 fold f, each writing only its own outputs, so threads do not change the result.
  std::vector<std::pair<std::uint32_t, double>> final_w;
  double final_bias = 0;
  const std::size_t jobs = calibrated ? static_cast<std::size_t>(folds) + 1 : 1;
  parallel_for(jobs, o.threads, [&](std::size_t j) {
    if (j == 0) {
      std::tie(final_w, final_bias) = fit_linear(ex, all, o);
      return;
    }
    const std::size_t f = j - 1;
    if (te[f].empty()) return;
    auto [w, bias] = fit_linear(ex, tr[f], o);
    for (auto i : te[f]) oof[i] = dot(w, ex[i].features) + bias;
  });
  m.weights_ = std::move(final_w);
  m.bias_ = final_bias;
  // The decision threshold: for a calibrated probability, p >= the training share of overturned
  // items is the decision that maximises expected balanced accuracy (both classes weigh the
  // same); the rule's estimate is on the same scale. Searching the out-of-fold scores for the
  // best threshold instead fitted their noise (dev corpus, 5 fold seeds: balanced accuracy 0.673
  // against 0.713 here). Without calibration the model's part is the class-balanced fit's own
  // probability, whose threshold is 0.5.
  const double prevalence = static_cast<double>(pos) / static_cast<double>(ex.size());
  if (calibrated) {
    fit_platt(oof, y, m.platt_a_, m.platt_b_);
    m.threshold_ = prevalence;
  } else {
    m.platt_a_ = -1;
    m.platt_b_ = 0;
    m.threshold_ = (1 - m.rule_weight_) * 0.5 + m.rule_weight_ * prevalence;
  }
  return m;
}

Status OutcomeModel::save(const std::string& path) const {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return io_error(path + ": cannot write model");
  out.precision(17);
  out << "imr-outcome-model 3\n";
  out << "bias " << bias_ << "\nplatt " << platt_a_ << " " << platt_b_ << "\nthreshold " << threshold_ << "\n";
  out << "rule_weight " << rule_weight_ << "\n";
  out << "weights " << weights_.size() << "\n";
  for (const auto& [i, v] : weights_) out << i << " " << v << "\n";
  out.flush();
  if (!out) return io_error(path + ": write failed");
  return {};
}

Result<OutcomeModel> OutcomeModel::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return not_found(path + ": cannot open model file");
  std::string magic;
  int version = 0;
  in >> magic >> version;
  if (magic != "imr-outcome-model") return unrecognized(path + ": not an imr outcome model");
  // Version 2 changed the features (hashing, precedent statistics): older weights would mean nothing.
  // Version 3 added the weight of the guideline rule's estimate; a version 2 model has the same
  // features and is read with weight 0 (the model alone, as it was trained).
  if (version != 2 && version != 3)
    return unrecognized(path + ": outcome model version " + std::to_string(version) + ", expected 3; retrain with imr train");
  OutcomeModel m;
  std::string key;
  std::size_t n = 0;
  if (!(in >> key >> m.bias_) || key != "bias") return unrecognized(path + ": bad model header (bias)");
  if (!(in >> key >> m.platt_a_ >> m.platt_b_) || key != "platt") return unrecognized(path + ": bad model header (platt)");
  if (!(in >> key >> m.threshold_) || key != "threshold") return unrecognized(path + ": bad model header (threshold)");
  if (version >= 3 &&
      (!(in >> key >> m.rule_weight_) || key != "rule_weight" || !(m.rule_weight_ >= 0 && m.rule_weight_ <= 1)))
    return unrecognized(path + ": bad model header (rule_weight)");
  if (!(in >> key >> n) || key != "weights" || n > kDim) return unrecognized(path + ": bad model header (weights)");
  m.weights_.reserve(n);
  for (std::size_t k = 0; k < n; ++k) {
    std::uint32_t i = 0;
    double v = 0;
    if (!(in >> i >> v)) return unrecognized(path + ": truncated weights at row " + std::to_string(k + 1));
    m.weights_.emplace_back(i, v);
  }
  std::sort(m.weights_.begin(), m.weights_.end());
  return m;
}

std::vector<TrainingExample> training_examples(const Engine& engine, const std::vector<corpus::StoredLetter>& letters,
                                               const CorpusIndex* index, int threads) {
  // Letters in parallel, each into its own slot, then concatenated in letter order: the same
  // examples whatever the thread count.
  std::vector<std::vector<TrainingExample>> per_letter(letters.size());
  parallel_for(letters.size(), threads, [&](std::size_t l) {
    const auto& sl = letters[l];
    CaseFile c = case_from_letter(sl.letter);
    CaseFacts facts = engine.extractor().extract(c);
    IndexUse use;
    use.exclude_letter_id = sl.id;
    use.exclude_fold = CorpusIndex::stat_fold(sl.id);
    use.list_precedents = false;
    auto analyses = engine.analyze_case(c, facts, index, use);
    auto& out = per_letter[l];
    for (std::size_t i = 0; i < analyses.size() && i < sl.letter.items.size(); ++i) {
      TrainingExample e;
      e.features = item_features(c, analyses[i], false);
      e.overturned = sl.letter.items[i].decision == letter::Decision::kOverturned;
      e.group = sl.id;
      out.push_back(std::move(e));
    }
  });
  std::vector<TrainingExample> out;
  std::size_t n = 0;
  for (const auto& v : per_letter) n += v.size();
  out.reserve(n);
  for (auto& v : per_letter)
    for (auto& e : v) out.push_back(std::move(e));
  return out;
}

namespace {

double auc(const std::vector<double>& p, const std::vector<int>& y) {
  std::vector<std::size_t> idx(p.size());
  std::iota(idx.begin(), idx.end(), 0);
  std::sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return p[a] < p[b]; });
  double rank_sum = 0, pos = 0;
  for (std::size_t i = 0; i < idx.size();) {
    std::size_t j = i;
    while (j < idx.size() && p[idx[j]] == p[idx[i]]) ++j;
    double avg_rank = (i + j + 1) / 2.0;  // 1-based average rank of ties
    for (std::size_t k = i; k < j; ++k)
      if (y[idx[k]]) rank_sum += avg_rank, ++pos;
    i = j;
  }
  double neg = p.size() - pos;
  if (pos == 0 || neg == 0) return 0.5;
  return (rank_sum - pos * (pos + 1) / 2) / (pos * neg);
}

}  // namespace

Result<EvalReport> cross_validate(const Engine& engine, const std::vector<corpus::StoredLetter>& letters,
                                  const EvalOptions& o) {
  if (o.folds < 2) return invalid_argument("--folds: expected at least 2");
  if (static_cast<int>(letters.size()) < o.folds)
    return failed_precondition("the corpus has " + std::to_string(letters.size()) + " letters, fewer than " +
                               std::to_string(o.folds) + " folds");
  EvalReport r;
  r.letters = static_cast<int>(letters.size());
  // Letters shuffled deterministically, then dealt into folds.
  std::vector<std::size_t> order(letters.size());
  std::iota(order.begin(), order.end(), 0);
  std::mt19937_64 rng(o.seed);
  std::shuffle(order.begin(), order.end(), rng);
  std::vector<int> fold_of(letters.size());
  for (std::size_t k = 0; k < order.size(); ++k) fold_of[order[k]] = static_cast<int>(k % o.folds);

  std::vector<double> p, rule_p;
  std::vector<int> y, predicted;
  int top1 = 0, top1_base = 0;
  std::map<std::string, int> cited_counts_all;
  for (int f = 0; f < o.folds; ++f) {
    std::vector<corpus::StoredLetter> train, test;
    for (std::size_t i = 0; i < letters.size(); ++i) (fold_of[i] == f ? test : train).push_back(letters[i]);
    CorpusIndex index = CorpusIndex::build(train, engine);
    auto examples = training_examples(engine, train, &index);
    auto model = OutcomeModel::train(examples, o.train);
    // Baseline guideline: the training folds' most cited guideline.
    std::map<std::string, int> cited;
    for (const auto& sl : train)
      for (const auto& it : sl.items)
        if (!it.reviewer_catalog.empty()) ++cited[it.reviewer_catalog.front().key];
    std::string most_cited;
    int most = 0;
    for (auto& [k, n] : cited)
      if (n > most) most = n, most_cited = k;
    for (const auto& sl : test) {
      CaseFile c = case_from_letter(sl.letter);
      CaseFacts facts = engine.extractor().extract(c);
      auto analyses = engine.analyze_case(c, facts, &index);
      for (std::size_t i = 0; i < c.items.size(); ++i) {
        const ItemAnalysis& a = analyses[i];
        const bool over = sl.letter.items[i].decision == letter::Decision::kOverturned;
        double pi = rule_estimate(a);
        rule_p.push_back(pi);
        int pred = pi >= 0.35;
        if (model.ok()) {
          pi = model->p_overturn(item_features(c, a, false));
          pred = pi >= model->decision_threshold();
        }
        p.push_back(pi);
        y.push_back(over);
        r.predictions.push_back({sl.letter.case_number.value_or(sl.key), static_cast<int>(i),
                                 c.items[i].request, a.governing ? a.governing->catalog_key : "",
                                 is_operation(a), a.perioperative, over, pi, rule_p.back()});
        predicted.push_back(pred);
        r.kb_matched += a.guideline != nullptr;
        if (i < sl.items.size() && !sl.items[i].reviewer_catalog.empty()) {
          const std::string& truth = sl.items[i].reviewer_catalog.front().key;
          ++r.guideline_items;
          std::string guess = a.governing ? a.governing->catalog_key : a.precedents.cited_key;
          if (guess.empty()) guess = most_cited;
          top1 += text::iequals(guess, truth);
          top1_base += text::iequals(most_cited, truth);
        }
      }
    }
  }
  r.items = static_cast<int>(y.size());
  r.overturned = static_cast<int>(std::count(y.begin(), y.end(), 1));
  r.auc = {auc(p, y), 0.5};
  r.rule_auc = auc(rule_p, y);
  double tp = 0, tn = 0, brier = 0, brier_base = 0;
  for (std::size_t i = 0; i < y.size(); ++i) {
    if (y[i] && predicted[i]) ++tp;
    if (!y[i] && !predicted[i]) ++tn;
    brier += (p[i] - y[i]) * (p[i] - y[i]);
    brier_base += y[i];  // always upheld: p_overturn = 0
  }
  double pos = r.overturned, neg = r.items - r.overturned;
  r.balanced_accuracy = {0.5 * (pos ? tp / pos : 0) + 0.5 * (neg ? tn / neg : 0), 0.5};
  r.brier = {r.items ? brier / r.items : 0, r.items ? brier_base / r.items : 0};
  r.guideline_top1 = {r.guideline_items ? static_cast<double>(top1) / r.guideline_items : 0,
                      r.guideline_items ? static_cast<double>(top1_base) / r.guideline_items : 0};
  return r;
}

}  // namespace imr::review
