// The case file: what a reviewer is given for one application — the patient, the clinical summary
// and the disputed items — without any decision. Outside tools write it, so its field names are
// fixed (issue 4); fields it does not know are ignored.
//
//   {"patient": {"age": 48, "sex": "male"}, "date_of_injury": "2016-10-13", "diagnoses": ["..."],
//    "clinical_summary": "free text", "priority": "standard",
//    "items": [{"request": "MRI of the lumbar spine", "claims_administrator_basis": "optional text"}]}
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "imr/base/result.h"
#include "imr/letter/record.h"

namespace imr::review {

struct CaseItem {
  std::string request;                                     // required, non-empty
  std::optional<std::string> claims_administrator_basis;
};

struct CaseFile {
  std::optional<int> age;                    // patient.age
  std::optional<letter::Sex> sex;            // patient.sex: "male" / "female"
  std::optional<std::string> date_of_injury; // as written (ISO when the tool writes ISO)
  std::vector<std::string> diagnoses;
  std::string clinical_summary;              // may be empty; facts are then all unknown
  std::optional<letter::Priority> priority;  // "standard" / "expedited"
  std::vector<CaseItem> items;               // at least one
  // Optional extra: the day the review happens (YYYY-MM-DD); months since injury count to it.
  std::optional<std::string> review_date;
};

// Parses a case file. kInvalidArgument with the field path on the first problem, e.g.
// "items[2].request: expected a string", "patient.age: expected an integer 0-120",
// "items: expected at least one item". Never throws.
Result<CaseFile> case_from_json(std::string_view json);

// The case file as one JSON object (the same field names); indent -1 is one line.
std::string case_to_json(const CaseFile& c, int indent = 2);

// The case a letter was decided on: its patient, dates, summary and requests, without decisions,
// reviewer basis or rationale. review_date is the letter's decision date when it has one.
CaseFile case_from_letter(const letter::Letter& l);

}  // namespace imr::review
