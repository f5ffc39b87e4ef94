// Facts of a case: what the clinical summary (and the case file's structured fields) say about the
// patient, each with the byte span of the summary it came from, so a reviewer can check it.
//
// The vocabulary below is fixed: guideline files (data/review/guidelines/*.json) refer to these
// names and a test checks that they use no other. The patterns that find them are data
// (data/review/facts/*.tsv, format in each file's header); this module only applies them.
//
// A boolean fact the text does not mention is absent (unknown), never false: "no red flags" gives
// red_flags=false, silence gives nothing.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "imr/base/result.h"
#include "imr/corpus/normalize.h"
#include "imr/review/case.h"

namespace imr::review {

// [begin, end) in bytes of CaseFile::clinical_summary. Empty (begin == end) for facts taken from
// the case file's structured fields or derived from other facts.
struct Span {
  std::size_t begin = 0, end = 0;
  bool empty() const { return begin == end; }
};

enum class FactKind { kBool, kNumber, kText };

struct Fact {
  std::string name;
  FactKind kind = FactKind::kBool;
  bool flag = false;    // kBool
  double number = 0;    // kNumber
  std::string text;     // kText
  Span span;
  std::string evidence; // the summary text of `span`, or a short note ("case file: patient.age")
};

// The fact vocabulary: every name a guideline criterion may use, with its kind.
struct FactSpec {
  const char* name;
  FactKind kind;
  bool item_level;  // computed per disputed item (from its request and the summary)
  // A finding any one of several signs establishes (examination tests of a joint): one positive
  // mention wins over negative ones, since "Lachman negative" says nothing of a positive McMurray.
  // Otherwise a documented absence wins (patterns.tsv).
  bool any_sign = false;
  // A finding about one part of the body (a fracture, a tumour): a mention whose phrase names a
  // body region establishes it only for items aimed at that region or naming none (item_facts); a
  // thumb fracture is no red flag for a shoulder MRI. A mention naming no region holds for all.
  bool region_scoped = false;
};
const std::vector<FactSpec>& fact_vocabulary();
const FactSpec* find_fact_spec(const std::string& name);

// Facts by name (at most one per name: the extractor resolves conflicting mentions).
using FactSet = std::map<std::string, Fact>;

struct Medication {
  std::string name;                // lower-case as listed in data/review/facts/drugs.tsv
  std::string drug_class;          // opioid, nsaid, muscle_relaxant, ...
  std::optional<double> dose_mg;   // per dose
  std::optional<std::string> frequency;  // as written ("twice daily", "q6h")
  std::optional<double> doses_per_day;
  std::optional<double> morphine_equivalent_mg;  // opioids with a dose: mg/day x conversion factor
  Span span;
};

struct TreatmentToDate {
  std::string type;          // a corpus subcategory name: "PT/OT", "Chiropractic", "Acupuncture", ...
  std::optional<int> count;  // sessions/visits/injections when the text gives a number
  Span span;
};

struct ImagingDone {
  std::string modality;  // "MRI", "X-ray", "CT", "EMG/NCV", ...
  std::string region;    // normaliser region name, or "unspecified"
  Span span;
};

// A positive mention of a region-scoped fact (FactSpec::region_scoped) and the body regions its
// phrase names (normaliser names; empty: the whole case).
struct ScopedMention {
  std::string fact;
  std::vector<std::string> regions;
  Span span;
};

struct CaseFacts {
  FactSet facts;                          // case-level facts
  std::vector<ScopedMention> scoped;      // positive mentions of region-scoped facts
  std::vector<std::string> diagnoses;     // case file's, then the summary's
  std::vector<std::string> regions;       // body regions the summary names (normaliser names)
  std::vector<TreatmentToDate> treatments;
  std::vector<Medication> medications;
  std::vector<ImagingDone> imaging;
};

class FactExtractor {
 public:
  // Loads data/review/facts/*.tsv and data/normalize/regions.tsv from `data_dir` (default
  // imr::data_dir()). kInvalidArgument naming file:line for a malformed row or bad RE2 pattern.
  static Result<FactExtractor> load(const std::string& data_dir = "");

  // Case-level facts. Never fails; text it cannot read gives fewer facts.
  CaseFacts extract(const CaseFile& c) const;

  // Case facts plus the item-level facts for one disputed item (prior_sessions, requested_sessions,
  // total_sessions, requested_quantity, long_term_use, retrospective, same_treatment_before).
  // Region-scoped facts the summary establishes only for other body regions are left out (unknown).
  // A treatment a list of treatments to date leaves out is a first course (same_treatment_before
  // false, prior_sessions 0).
  FactSet item_facts(const CaseFacts& facts, const std::string& summary, const std::string& request,
                     const corpus::NormalizedItem& item) const;

  // The distinct body regions a text names (normaliser region names), in order of appearance.
  std::vector<std::string> regions_in(const std::string& text) const;

  // Names of the boolean facts a text asserts as present (a "+" rule matching, not negated), in
  // vocabulary order (audit uses it on rationales).
  std::vector<std::string> facts_mentioned(const std::string& text) const;

  struct Rules;  // opaque
  FactExtractor(FactExtractor&&) noexcept;
  FactExtractor& operator=(FactExtractor&&) noexcept;
  ~FactExtractor();

 private:
  explicit FactExtractor(Rules* rules);
  Rules* rules_;
};

}  // namespace imr::review
