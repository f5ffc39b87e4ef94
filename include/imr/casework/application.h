// An application for Independent Medical Review as the IMR organisation receives it (DWC Form
// IMR, 8 CCR 9792.10.2), the parties a reviewer must have no tie to, and its JSON form.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "imr/base/result.h"
#include "imr/casework/deadlines.h"
#include "imr/letter/record.h"

namespace imr::casework {

// Who a party of a case is. Conflict checks compare a reviewer's affiliations with every party.
enum class PartyKind {
  kWorker, kAttorney, kEmployer, kInsurer, kClaimsAdministrator, kPhysician, kProviderGroup, kFacility, kManufacturer,
};
const char* to_string(PartyKind k);  // "worker", "attorney", "employer", "insurer", "claims_administrator", ...
std::optional<PartyKind> parse_party_kind(std::string_view s);

struct Party {
  PartyKind kind = PartyKind::kWorker;
  std::string name;
  bool operator==(const Party&) const = default;
};

// One disputed treatment as written on the RFA, with its normalised category and body region
// (filled by the corpus normaliser when the application leaves them empty).
struct RequestedItem {
  std::string request;
  std::string category, subcategory, body_region;
  bool operator==(const RequestedItem&) const = default;
};

struct Application {
  std::string received;  // ISO date or date-time the IMR organisation received it
  letter::Priority priority = letter::Priority::kStandard;
  bool formulary = false;          // a drug-formulary dispute (from 2018)
  bool is_signed = true;           // JSON "signed"
  bool ur_decision_attached = true;
  std::string ur_decision_date;    // ISO date of the written UR decision
  NoticeMethod ur_served_by = NoticeMethod::kElectronic;
  std::string ur_outcome = "denied";  // denied | modified | delayed | conditional_non_certification
  bool liability_dispute = false;
  bool administrator_agrees_to_proceed = false;
  NoticeMethod notice_method = NoticeMethod::kElectronic;  // how the NOARFI will be sent
  std::string claim_number;
  std::string date_of_injury;      // ISO date
  std::string physician_specialty; // the requesting physician's specialty
  std::string diagnosis;
  std::vector<Party> parties;      // worker, attorney, employer, insurer, physician, ...
  std::vector<RequestedItem> items;
  bool operator==(const Application&) const = default;

  // The first party of `kind`, or "".
  std::string party(PartyKind kind) const;
};

// Reads an application. kInvalidArgument naming the field for a wrong type, a missing required
// field (received, ur.date, date_of_injury, worker, items with a request) or a bad date/enum;
// unknown fields are ignored. Never throws, whatever the bytes.
Result<Application> application_from_json(std::string_view json);
std::string to_json(const Application& a);  // one line

}  // namespace imr::casework
