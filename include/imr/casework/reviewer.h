// The reviewer registry's record of an expert reviewer: credentials, affiliations, availability
// and capacity. Deliberately no name: a reviewer is known by id everywhere a Reviewer travels
// (assignments, explanations, letters, exports, JSON). Names are confidential outside the IMR
// organisation (LC 4610.6(f); Zuniga v. WCAB 2018) and live only in the Casebook's separate
// identity table, reachable through Casebook::reviewer_name (organisation-internal).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "imr/base/result.h"

namespace imr::casework {

// Ties a reviewer must declare. A tie to a party of a case is a conflict for that case.
enum class AffiliationKind {
  kEmployer,              // the reviewer works for, or has worked for, this employer
  kInsurer,               // insurer or claims administrator (any tie: employment, contract, ownership)
  kProviderGroup,         // a provider group or practice
  kFacility,              // a hospital or treating facility
  kManufacturer,          // a drug or device maker (financial tie)
  kPerson,                // a person: family, former patient, colleague (worker, attorney, physician)
};
const char* to_string(AffiliationKind k);  // "employer", "insurer", "provider_group", "facility", "manufacturer", "person"
std::optional<AffiliationKind> parse_affiliation_kind(std::string_view s);

struct Affiliation {
  AffiliationKind kind = AffiliationKind::kEmployer;
  std::string name;
  bool operator==(const Affiliation&) const = default;
};

// What the Final Determination Letter may say about the reviewer (no name).
struct Credentials {
  std::vector<std::string> licence_states;        // unrestricted licences only
  std::vector<std::string> board_certifications;  // by specialty ("Orthopaedic Surgery")
  std::vector<std::string> specialties;
  std::vector<std::string> subspecialties;
  int years_active_practice = 0;
  int weekly_practice_hours = 0;
  bool operator==(const Credentials&) const = default;
};

struct Reviewer {
  std::int64_t id = 0;  // assigned by the registry
  Credentials credentials;
  std::vector<Affiliation> affiliations;
  bool available = true;
  int capacity = 0;      // open cases at most
  int active_cases = 0;  // open cases now (maintained by the Casebook)
  bool operator==(const Reviewer&) const = default;
};

// Reads a reviewer registration: {"name": ..., "licence_states": [...], "board_certifications":
// [...], "specialties": [...], "subspecialties": [...], "years_active_practice": N,
// "weekly_practice_hours": N, "affiliations": [{"kind": "insurer", "name": ...}], "available":
// true, "capacity": N}. The name is returned separately and is required. kInvalidArgument names
// the bad field. Never throws.
struct ReviewerRegistration {
  std::string name;
  Reviewer reviewer;
};
Result<ReviewerRegistration> reviewer_from_json(std::string_view json);
// Without the name: safe to show outside the organisation only without affiliations, which can
// identify a person; `with_affiliations` is for the organisation's own tools.
std::string to_json(const Reviewer& r, bool with_affiliations);

}  // namespace imr::casework
