// The guideline knowledge base: one JSON file per treatment under data/review/guidelines/ (format
// in data/review/README.md) saying which requests it covers, the governing guideline by the MTUS
// hierarchy, the recommendation status and the criteria as conditions on facts (facts.h).
// Adding a treatment is adding a file.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "imr/base/result.h"
#include "imr/corpus/normalize.h"
#include "imr/review/facts.h"

namespace imr::review {

enum class RecommendationStatus { kRecommended, kRecommendedWithCriteria, kNotRecommended, kUnderStudy };
// "recommended", "recommended_with_criteria", "not_recommended", "under_study".
const char* to_string(RecommendationStatus s);

struct GuidelineCitation {
  std::vector<std::string> when_regions;  // empty: applies to every region
  std::string source;                     // MTUS, ODG, ACOEM, other
  std::string title;
  std::string catalog_key;                // key of data/normalize/guidelines.tsv ("MTUS/...")
  std::string section;
  std::string pages;
};

// One condition on one fact. Exactly one of is/min-max/present is set.
struct Condition {
  std::string fact;
  std::optional<bool> is_bool;         // {"is": true}
  std::optional<std::string> is_text;  // {"is": "female"}
  std::optional<double> min, max;      // {"min": 18}, {"max": 10}, both allowed
  std::optional<bool> present;         // {"present": true}: the fact is known at all
};

struct Criterion {
  std::string id, text, section;
  bool all = true;  // "all" (every condition) or "any" (one condition)
  std::vector<Condition> conditions;
};

struct Guideline {
  std::string file;  // where it was loaded from
  std::string id, name;
  std::vector<std::string> subcategories, regions;  // match keys; empty = not a key
  std::vector<std::string> patterns;                // RE2 sources, case-insensitive
  int priority = 0;
  // A service that accompanies an operation (preoperative tests and clearance, assistant surgeon,
  // postoperative therapy, drugs and equipment): it stands or falls with the operation. Files of
  // treatments also given without an operation (cold units, slings, EKGs) list `perioperative_when`
  // instead: RE2 patterns, case-insensitive, one of which the request must match ("post-op ...").
  bool perioperative = false;
  std::vector<std::string> perioperative_when;
  std::vector<GuidelineCitation> governing;
  RecommendationStatus status = RecommendationStatus::kRecommendedWithCriteria;
  std::vector<Criterion> criteria;
  std::string rationale_upheld, rationale_overturned;  // templates with {placeholders}
  int match_keys() const;  // how many of subcategories/regions/patterns are given
};

enum class Outcome { kMet, kUnmet, kUnknown };
const char* to_string(Outcome o);  // "met", "unmet", "unknown"

struct CriterionResult {
  const Criterion* criterion = nullptr;
  Outcome outcome = Outcome::kUnknown;
  std::vector<Fact> evidence;  // the facts the conditions read (known ones), with their spans
};

// Evaluates conditions on `facts`. A condition on an unknown fact is unknown (except "present").
// all: unmet if any condition unmet, met if all met, else unknown. any: met if any met, unmet if
// all unmet, else unknown. A criterion without conditions is unknown.
CriterionResult evaluate(const Criterion& c, const FactSet& facts);
std::vector<CriterionResult> evaluate(const Guideline& g, const FactSet& facts);

class KnowledgeBase {
 public:
  // Loads every *.json of `dir` (default data_path("review/guidelines")), in name order.
  // kInvalidArgument "FILE: FIELD: problem" for a malformed file (unknown fact, bad pattern,
  // unknown status, missing field); kNotFound when the directory does not exist. Duplicate ids
  // are an error naming both files.
  static Result<KnowledgeBase> load(const std::string& dir = "");
  // Parses one file's JSON (for tests and tools); `file` names it in errors.
  static Result<Guideline> parse(const std::string& json, const std::string& file);

  // The guideline for a request: every given match key must hold (subcategory equals the item's;
  // a region is the item's body region or one the request names; a pattern matches the request).
  // Highest priority wins, then the most match keys, then the first file. nullptr when none.
  const Guideline* match(const std::string& request, const corpus::NormalizedItem& item,
                         const std::vector<std::string>& request_regions) const;

  // The governing citation: the first entry whose when_regions (if any) contains the item's
  // region or one of `regions`; when no entry holds, the first entry (a file always has one).
  static const GuidelineCitation* governing(const Guideline& g, const std::string& body_region,
                                            const std::vector<std::string>& regions);

  // Whether a request the guideline matched is a service of an operation (Guideline::perioperative;
  // `g` must be one of this knowledge base's guidelines).
  bool perioperative(const Guideline& g, const std::string& request) const;

  const std::vector<Guideline>& guidelines() const { return guidelines_; }
  const Guideline* find(const std::string& id) const;

 private:
  std::vector<Guideline> guidelines_;
  std::vector<std::vector<std::shared_ptr<void>>> compiled_;  // RE2 per pattern, type-erased
  std::vector<std::vector<std::shared_ptr<void>>> perioperative_when_;  // RE2 per perioperative_when pattern
};

}  // namespace imr::review
