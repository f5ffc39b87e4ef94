// Precedents: decided items of the corpus most like a new one (same treatment, same region, similar
// request), with their outcome, the guideline the reviewer cited and the rationale's reasons.
//
// The index is built in memory from stored letters (Store::export_items) once; a lookup then scans
// only the items of the same treatment (or subcategory) bucket, so it stays fast on large corpora.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "imr/base/result.h"
#include "imr/corpus/store.h"

namespace imr::review {

class Engine;

// One decided item as the index keeps it.
struct CorpusItem {
  std::int64_t letter_id = 0;
  std::string letter_key;  // case number or fingerprint key
  int item = 0;
  std::string request;
  letter::Decision decision = letter::Decision::kUpheld;
  std::string subcategory, body_region;
  std::string treatment_id;  // the knowledge-base guideline it matches, "" when none
  std::string cited_key;     // catalog key of the reviewer's first citation, "" when none
  std::string cited_name;    // "MTUS Chronic Pain Medical Treatment Guidelines, Opioids" for people
  std::vector<std::string> reasons;  // the rationale's sentences that give reasons (at most 3)
  std::vector<std::pair<std::uint32_t, float>> terms;  // request terms, tf-idf weighted, unit length
};

struct Precedent {
  const CorpusItem* item = nullptr;
  double similarity = 0;  // 0..~1.3: request cosine + same-region and same-treatment bonuses
};

struct PrecedentSummary {
  std::vector<Precedent> top;  // best first, at most `k`
  int close = 0;               // precedents counted for the rate (similarity >= threshold, else top)
  int upheld = 0;
  double uphold_rate = 0;      // smoothed toward the corpus rate: (upheld + 2 * prior) / (close + 2)
  std::string cited_key;       // the catalog key most cited among the top precedents ("" when none)
};

// Overturn rates of the corpus at three levels of likeness to an item, each smoothed toward the
// level above it (empirical Bayes: a level with n items and o overturns gives
// (o + m * parent) / (n + m), m = kPrecedentPrior): the treatment (knowledge-base id, else the
// subcategory), the treatment in the same body region, and the same request wording (its
// distinct words, numbers left out, within the treatment). Counting only, so it costs O(1) per
// item on any corpus size; the model and the guideline rule use it, `find` gives the examples.
struct PrecedentStats {
  int treatment_n = 0, region_n = 0, request_n = 0;  // decided items counted at each level
  double corpus_rate = 0.12;                          // overturn rate of the counted corpus
  double treatment_rate = 0.12, region_rate = 0.12, request_rate = 0.12;  // smoothed
};
inline constexpr double kPrecedentPrior = 8;

// The key under which `stats` pools requests of the same wording: the request's distinct words
// of two or more letters, lower-case, sorted, numbers and units dropped ("Norco 10/325 #60" and
// "norco 10/325mg #90" share it).
std::string request_signature(const std::string& request);

class CorpusIndex {
 public:
  // Builds the index over `letters` (copied: the index owns its items). `engine` classifies each
  // item (treatment id) and extracts reasons.
  static CorpusIndex build(const std::vector<corpus::StoredLetter>& letters, const Engine& engine);
  // Reads every stored letter through Store::export_items and builds the index. Also returns the
  // letters when `letters_out` is given (for training and evaluation).
  static Result<CorpusIndex> load(corpus::Store& store, const Engine& engine,
                                  std::vector<corpus::StoredLetter>* letters_out = nullptr);

  // The `k` most similar decided items to a request of the given treatment id / subcategory /
  // region, skipping items of letter `exclude_letter_id` (a letter is never its own precedent).
  PrecedentSummary find(const std::string& request, const std::string& treatment_id, const std::string& subcategory,
                        const std::string& body_region, int k = 5, std::int64_t exclude_letter_id = -1) const;

  // Counting folds: every letter belongs to one of kStatFolds folds by its id. Training computes
  // an item's statistics without its own fold (out-of-fold), so an item's label never feeds its
  // own feature; leaving out only its letter would not do: the left-out label shifts the rate
  // against the item's own outcome, which the model would learn.
  static constexpr int kStatFolds = 5;
  static int stat_fold(std::int64_t letter_id);
  // The smoothed overturn rates for an item; `exclude_fold` (-1: none) leaves one fold's letters out.
  PrecedentStats stats(const std::string& treatment_id, const std::string& subcategory, const std::string& body_region,
                       const std::string& request, int exclude_fold = -1) const;

  std::size_t size() const { return items_.size(); }
  double overall_uphold_rate() const { return prior_; }

 private:
  std::vector<std::unique_ptr<CorpusItem>> items_;
  std::unordered_map<std::string, std::vector<const CorpusItem*>> by_bucket_;  // "t:<id>" and "s:<subcategory>"
  std::unordered_map<std::uint32_t, float> idf_;
  double prior_ = 0.88;
  struct Counts {
    int n[kStatFolds] = {}, over[kStatFolds] = {};
  };
  std::unordered_map<std::string, Counts> counts_;  // "t:", "r:", "q:" keys; "" the whole corpus
  std::vector<std::pair<std::uint32_t, float>> vectorize(const std::string& text) const;
};

// Hashed word unigrams and bigrams of a text (lower-case, letters and digits), for similarity and
// the outcome model. The same text always gives the same hashes.
std::vector<std::uint32_t> hashed_terms(const std::string& text, bool bigrams = true);

}  // namespace imr::review
