// The determination record: what a Final Determination Letter says, as data.
//
// Field names and meanings are fixed by ../shared/docs/record.md (tools outside imr read them).
// A field the letter does not carry is std::nullopt / empty, never invented.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace imr::letter {

enum class Decision { kUpheld, kOverturned };
enum class Priority { kStandard, kExpedited };
enum class Sex { kMale, kFemale };

// "upheld" / "overturned"; parse is case-insensitive and returns nullopt for anything else.
const char* to_string(Decision d);
std::optional<Decision> parse_decision(std::string_view word);
const char* to_string(Priority p);
std::optional<Priority> parse_priority(std::string_view word);
const char* to_string(Sex s);

// One guideline a basis paragraph cites, e.g. MTUS "Chronic Pain Medical Treatment" 2016,
// sections {"Opioids, criteria for use"}.
struct Citation {
  std::string source;                  // "MTUS", "ODG", "ACOEM" or "other"
  std::string title;                   // guideline part or chapter as written, normalised spacing
  std::optional<std::string> edition;  // "2004", "2016", ... when written
  std::vector<std::string> sections;
  std::vector<std::string> pages;
  bool operator==(const Citation&) const = default;
};

// A "Claims Administrator guideline:" or "MAXIMUS guideline:" paragraph.
struct GuidelineBasis {
  std::string text;                 // the paragraph, whitespace folded
  std::vector<Citation> citations;  // empty when the paragraph says no evidence was cited
  bool operator==(const GuidelineBasis&) const = default;
};

// One disputed item/service and the decision on it.
struct DisputedItem {
  std::string request;                             // as the IMR decided it
  std::optional<std::string> original_request;     // partial authorisations only
  std::optional<std::string> authorized_portion;   // what the claims administrator authorised
  Decision decision = Decision::kUpheld;
  std::optional<GuidelineBasis> claims_administrator_basis;
  std::optional<GuidelineBasis> reviewer_basis;
  std::optional<std::string> rationale;
  bool operator==(const DisputedItem&) const = default;
};

struct Reviewer {
  std::vector<std::string> licensure_states;
  std::vector<std::string> specialties;
  std::vector<std::string> subspecialties;
  std::optional<bool> board_certified;  // true only when the letter says "Board Certified"
  bool operator==(const Reviewer&) const = default;
};

struct Patient {
  std::optional<int> age;
  std::optional<Sex> sex;
  bool operator==(const Patient&) const = default;
};

// Dates are ISO "YYYY-MM-DD" strings (the record's wire form); see letter/dates.h to parse them.
struct Letter {
  std::string source;    // the path as given
  std::string template_name;  // which layout was recognised ("dwc-2016", ...); JSON "template"
  std::optional<std::string> case_number;
  std::optional<std::string> date_assigned;
  std::optional<std::string> decision_date;
  std::optional<std::string> date_of_injury;
  std::optional<std::string> ur_denial_date;
  std::optional<std::string> application_received;
  std::optional<Priority> priority;
  Reviewer reviewer;
  Patient patient;
  std::optional<std::string> clinical_summary;
  std::vector<DisputedItem> items;
  std::vector<std::string> warnings;  // what the reader could not make sense of, for a person
  bool operator==(const Letter&) const = default;
};

}  // namespace imr::letter
