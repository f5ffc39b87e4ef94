#include "imr/letter/record.h"

#include "imr/base/text.h"

namespace imr::letter {

const char* to_string(Decision d) { return d == Decision::kUpheld ? "upheld" : "overturned"; }

std::optional<Decision> parse_decision(std::string_view word) {
  auto w = text::trim(word);
  if (text::iequals(w, "upheld")) return Decision::kUpheld;
  if (text::iequals(w, "overturned")) return Decision::kOverturned;
  return std::nullopt;
}

const char* to_string(Priority p) { return p == Priority::kStandard ? "standard" : "expedited"; }

std::optional<Priority> parse_priority(std::string_view word) {
  auto w = text::trim(word);
  if (text::iequals(w, "standard") || text::iequals(w, "regular")) return Priority::kStandard;
  if (text::iequals(w, "expedited") || text::iequals(w, "urgent")) return Priority::kExpedited;
  return std::nullopt;
}

const char* to_string(Sex s) { return s == Sex::kMale ? "male" : "female"; }

}  // namespace imr::letter
