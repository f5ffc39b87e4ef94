// The review engine: for each disputed item of a case, the facts, the matching guideline and its
// criteria, the precedents, the estimated probability of overturn and a draft rationale.
//
// An Engine holds the rules (normaliser, fact patterns, knowledge base); it is immutable after
// load and may be shared by threads. The corpus index and model are optional: without them the
// suggestion comes from the guideline alone.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "imr/base/result.h"
#include "imr/corpus/normalize.h"
#include "imr/letter/record.h"
#include "imr/review/case.h"
#include "imr/review/facts.h"
#include "imr/review/guidelines.h"
#include "imr/review/precedents.h"

namespace imr::review {

class OutcomeModel;

// Everything computed about one disputed item.
struct ItemAnalysis {
  std::string request;
  corpus::NormalizedItem normalized;
  std::vector<std::string> request_regions;
  FactSet facts;  // case-level and item-level
  const Guideline* guideline = nullptr;           // nullptr when no knowledge-base file matches
  const GuidelineCitation* governing = nullptr;
  std::vector<CriterionResult> criteria;
  PrecedentSummary precedents;                    // empty without a corpus index (or list_precedents off)
  std::optional<PrecedentStats> precedent_stats;  // none without a corpus index
  std::optional<std::string> claims_administrator_basis;
  // The subcategories of every item of the case, this one included: items are decided together
  // (an operation and its associated services stand or fall with it).
  std::vector<std::string> case_subcategories;
  // Services that accompany an operation (guideline `perioperative`) stand or fall with it. When
  // another item of the case is an operation, `operation_estimate` is its guideline rule estimate
  // (the highest of several); when none is, the operation was not denied, and the item's
  // `surgery_planned` fact is taken as true unless the summary says otherwise.
  bool perioperative = false;
  bool operation_in_dispute = false;
  std::optional<double> operation_estimate;
};

struct Reason {
  std::string feature;  // what the model saw ("criterion unmet: functional-improvement")
  double weight = 0;    // contribution to the log-odds of overturn (+ toward overturn)
};

struct ItemReview {
  ItemAnalysis analysis;
  letter::Decision decision = letter::Decision::kUpheld;
  double p_overturn = 0;
  bool from_model = false;     // false: the probability is the guideline rule's estimate
  std::vector<Reason> reasons;  // main reasons, strongest first
  std::vector<letter::Citation> citations;  // governing first, then the other citations of the file
  std::string rationale;        // draft, in the reviewers' manner
};

struct CaseReview {
  CaseFile case_file;
  CaseFacts facts;
  std::vector<ItemReview> items;
};

// How an analysis consults the corpus index.
struct IndexUse {
  std::int64_t exclude_letter_id = -1;  // a letter is never its own precedent (evaluation, training)
  int exclude_fold = -1;                // statistics without this counting fold (training: out-of-fold)
  bool list_precedents = true;          // the most similar items (a scan of the bucket); training skips it
};

class Engine {
 public:
  // Loads the normaliser, fact patterns and knowledge base. `data_dir` defaults to imr::data_dir();
  // `guidelines_dir` to <data_dir>/review/guidelines. Errors name the file.
  static Result<Engine> load(const std::string& data_dir = "", const std::string& guidelines_dir = "");

  // Analyses one item. `index` may be null; `exclude_letter_id` keeps a letter out of its own
  // precedents (evaluation, training).
  ItemAnalysis analyze(const CaseFile& c, const CaseFacts& facts, const CaseItem& item, const CorpusIndex* index,
                       std::int64_t exclude_letter_id = -1) const;

  // Analyses every item of a case (each request normalised once).
  std::vector<ItemAnalysis> analyze_case(const CaseFile& c, const CaseFacts& facts, const CorpusIndex* index,
                                         const IndexUse& use = {}) const;

  // Reviews every item of a case. `index` and `model` may be null.
  CaseReview review(const CaseFile& c, const CorpusIndex* index, const OutcomeModel* model) const;

  // The normalised item and treatment id for a request (used to classify corpus items).
  corpus::NormalizedItem normalize(const std::string& request) const;
  std::string treatment_id(const std::string& request, const corpus::NormalizedItem& n) const;

  const corpus::Normalizer& normalizer() const { return normalizer_; }
  const FactExtractor& extractor() const { return extractor_; }
  const KnowledgeBase& knowledge_base() const { return kb_; }

 private:
  Engine(corpus::Normalizer n, FactExtractor f, KnowledgeBase kb)
      : normalizer_(std::move(n)), extractor_(std::move(f)), kb_(std::move(kb)) {}
  corpus::Normalizer normalizer_;
  FactExtractor extractor_;
  KnowledgeBase kb_;
};

// The suggestion without a model: not recommended / under study or any criterion unmet -> upheld;
// every criterion met (or status recommended without criteria) -> overturned; otherwise upheld
// (the documentation does not establish necessity). A perioperative service is at most as likely
// to be overturned as the disputed operation it accompanies. Returns the estimated p_overturn.
double rule_estimate(const ItemAnalysis& a);

// Whether the item is an operation itself (a surgical procedure), not a service of one.
bool is_operation(const ItemAnalysis& a);

// Draft rationale: the file's template for the decision with placeholders filled ({request},
// {treatment}, {guideline}, {section}, {unmet}, {met}, {unknown}, {status}), or a built-in
// sentence pattern when the file has none or no file matched.
std::string draft_rationale(const ItemAnalysis& a, letter::Decision d);

// The review as JSON: {"items": [{"request","decision","p_overturn","citations","criteria",
// "rationale","facts","precedents","reasons",...}], "facts": {...}}.
std::string review_to_json(const CaseReview& r);
// Human-readable text report.
std::string review_to_text(const CaseReview& r);
// The draft Final Determination Letter as a record (render with letter::render_letter).
letter::Letter review_to_letter(const CaseReview& r);

}  // namespace imr::review
