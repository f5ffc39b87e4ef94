// Audit of stored determinations: the checks a quality reviewer would run over many letters.
//   decision-contradicts-rationale  the decision word and the rationale's conclusion disagree
//   no-guideline-cited              the reviewer's basis cites no guideline
//   not-governing-guideline         the reviewer cites none of the treatment's governing guidelines
//                                   (knowledge base), e.g. ODG where the MTUS speaks
//   fact-absent-from-summary        the rationale, where it speaks of the case, asserts a fact the
//                                   clinical summary does not mention at all
#pragma once

#include <string>
#include <vector>

#include "imr/base/result.h"
#include "imr/corpus/store.h"
#include "imr/review/engine.h"

namespace imr::review {

struct AuditExample {
  std::string letter_key;
  int item = 0;  // 0-based
  std::string request;
  std::string detail;
};

struct AuditFinding {
  std::string kind;         // one of the names above
  std::string description;  // for people
  int count = 0;
  std::vector<AuditExample> examples;  // at most max_examples
};

struct AuditReport {
  int letters = 0, items = 0;
  std::vector<AuditFinding> findings;  // always the four kinds, in the order above
};

// Loads data/review/audit.tsv from `data_dir` (default imr::data_dir()); errors name file:line.
Result<AuditReport> audit(const Engine& engine, const std::vector<corpus::StoredLetter>& letters,
                          int max_examples = 5, const std::string& data_dir = "");

std::string audit_to_json(const AuditReport& r);
std::string audit_to_text(const AuditReport& r);

}  // namespace imr::review
