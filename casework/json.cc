// JSON forms of applications and reviewer registrations. Parsing never throws: nlohmann is asked
// for a discarded value on bad syntax, and every field's type is checked before it is read.
#include <nlohmann/json.hpp>

#include "imr/base/text.h"
#include "imr/casework/application.h"
#include "imr/casework/calendar.h"
#include "imr/casework/reviewer.h"

namespace imr::casework {
namespace {

using nlohmann::json;

const char* const kPartyNames[] = {"worker",   "attorney",       "employer", "insurer",     "claims_administrator",
                                   "physician", "provider_group", "facility", "manufacturer"};
const char* const kAffiliationNames[] = {"employer", "insurer", "provider_group", "facility", "manufacturer", "person"};

template <std::size_t N>
int find_name(const char* const (&names)[N], std::string_view s) {
  std::string w = text::to_lower(text::trim(s));
  for (std::size_t k = 0; k < N; ++k)
    if (w == names[k]) return static_cast<int>(k);
  return -1;
}

// A field reader that remembers the first error.
class Fields {
 public:
  Fields(const json& j, std::string prefix) : j_(j), prefix_(std::move(prefix)) {}
  Status status() const { return status_; }

  const json* get(const char* key) const {
    auto it = j_.find(key);
    return it == j_.end() || it->is_null() ? nullptr : &*it;
  }
  void fail(const std::string& key, const std::string& why) {
    if (status_.ok()) status_ = invalid_argument(prefix_ + key + ": " + why);
  }
  void str(const char* key, std::string& out, bool required = false) {
    const json* v = get(key);
    if (!v) {
      if (required) fail(key, "required");
      return;
    }
    if (!v->is_string()) return fail(key, "must be a string");
    out = text::sanitize_utf8(v->get_ref<const std::string&>());
    if (required && text::trim(out).empty()) fail(key, "must not be empty");
  }
  void date(const char* key, std::string& out, bool required, bool with_time = false) {
    str(key, out, required);
    if (!out.empty() && !(with_time ? parse_time(out).has_value() : parse_date(out).has_value()))
      fail(key, "'" + out + "' is not a date (YYYY-MM-DD" + (with_time ? "[THH:MM[:SS]]" : "") + ")");
  }
  void flag(const char* key, bool& out) {
    const json* v = get(key);
    if (!v) return;
    if (!v->is_boolean()) return fail(key, "must be true or false");
    out = v->get<bool>();
  }
  void integer(const char* key, int& out, int lo, int hi) {
    const json* v = get(key);
    if (!v) return;
    if (!v->is_number_integer()) return fail(key, "must be an integer");
    auto n = v->get<std::int64_t>();
    if (n < lo || n > hi) return fail(key, "must be between " + std::to_string(lo) + " and " + std::to_string(hi));
    out = static_cast<int>(n);
  }
  void strings(const char* key, std::vector<std::string>& out) {
    const json* v = get(key);
    if (!v) return;
    if (!v->is_array()) return fail(key, "must be a list of strings");
    for (const auto& e : *v) {
      if (!e.is_string()) return fail(key, "must be a list of strings");
      std::string s(text::trim(text::sanitize_utf8(e.get_ref<const std::string&>())));
      if (!s.empty()) out.push_back(s);
    }
  }
  void method(const char* key, NoticeMethod& out) {
    std::string s;
    str(key, s);
    if (s.empty()) return;
    auto m = parse_notice_method(s);
    if (!m) return fail(key, "'" + s + "' is not mail, electronic, fax or email");
    out = *m;
  }

 private:
  const json& j_;
  std::string prefix_;
  Status status_;
};

Result<json> parse_object(std::string_view text, const char* what) {
  json j = json::parse(text.begin(), text.end(), nullptr, false);
  if (j.is_discarded()) return invalid_argument(std::string(what) + ": not valid JSON");
  if (!j.is_object()) return invalid_argument(std::string(what) + ": must be a JSON object");
  return j;
}

}  // namespace

const char* to_string(PartyKind k) { return kPartyNames[static_cast<int>(k)]; }
std::optional<PartyKind> parse_party_kind(std::string_view s) {
  int k = find_name(kPartyNames, s);
  return k < 0 ? std::nullopt : std::optional(static_cast<PartyKind>(k));
}
const char* to_string(AffiliationKind k) { return kAffiliationNames[static_cast<int>(k)]; }
std::optional<AffiliationKind> parse_affiliation_kind(std::string_view s) {
  int k = find_name(kAffiliationNames, s);
  return k < 0 ? std::nullopt : std::optional(static_cast<AffiliationKind>(k));
}

std::string Application::party(PartyKind kind) const {
  for (const auto& p : parties)
    if (p.kind == kind) return p.name;
  return "";
}

Result<Application> application_from_json(std::string_view text) {
  auto parsed = parse_object(text, "application");
  if (!parsed.ok()) return parsed.status();
  const json& j = *parsed;
  Application a;
  Fields f(j, "application.");
  f.date("received", a.received, true, true);
  std::string priority;
  f.str("priority", priority);
  if (!priority.empty()) {
    auto p = letter::parse_priority(priority);
    if (!p) f.fail("priority", "'" + priority + "' is not standard or expedited");
    else a.priority = *p;
  }
  f.flag("formulary", a.formulary);
  f.flag("signed", a.is_signed);
  f.flag("liability_dispute", a.liability_dispute);
  f.flag("administrator_agrees_to_proceed", a.administrator_agrees_to_proceed);
  f.method("notice", a.notice_method);
  f.str("claim_number", a.claim_number);
  f.date("date_of_injury", a.date_of_injury, true);
  f.str("diagnosis", a.diagnosis);
  if (const json* ur = f.get("ur"); !ur || !ur->is_object()) {
    f.fail("ur", "required: an object with date, served_by, outcome, attached");
  } else {
    Fields u(*ur, "application.ur.");
    u.date("date", a.ur_decision_date, true);
    u.method("served_by", a.ur_served_by);
    u.str("outcome", a.ur_outcome);
    a.ur_outcome = text::to_lower(a.ur_outcome);
    static const char* const kOutcomes[] = {"denied", "modified", "delayed", "conditional_non_certification"};
    if (find_name(kOutcomes, a.ur_outcome) < 0)
      u.fail("outcome", "'" + a.ur_outcome + "' is not denied, modified, delayed or conditional_non_certification");
    u.flag("attached", a.ur_decision_attached);
    if (!u.status().ok()) return u.status();
  }
  // Parties: one field per kind; physician is an object with the specialty, group and facility.
  for (PartyKind k : {PartyKind::kWorker, PartyKind::kAttorney, PartyKind::kEmployer, PartyKind::kInsurer,
                      PartyKind::kClaimsAdministrator}) {
    std::string name;
    f.str(to_string(k), name, k == PartyKind::kWorker);
    if (!name.empty()) a.parties.push_back({k, name});
  }
  if (const json* ph = f.get("physician")) {
    if (!ph->is_object()) {
      f.fail("physician", "must be an object with name, specialty, group, facility");
    } else {
      Fields p(*ph, "application.physician.");
      std::string name, group, facility;
      p.str("name", name);
      p.str("specialty", a.physician_specialty);
      p.str("group", group);
      p.str("facility", facility);
      if (!p.status().ok()) return p.status();
      if (!name.empty()) a.parties.push_back({PartyKind::kPhysician, name});
      if (!group.empty()) a.parties.push_back({PartyKind::kProviderGroup, group});
      if (!facility.empty()) a.parties.push_back({PartyKind::kFacility, facility});
    }
  }
  std::vector<std::string> makers;
  f.strings("manufacturers", makers);
  for (auto& m : makers) a.parties.push_back({PartyKind::kManufacturer, m});
  const json* items = f.get("items");
  if (!items || !items->is_array() || items->empty()) {
    f.fail("items", "required: a non-empty list of {request, category, subcategory, body_region}");
  } else {
    for (std::size_t k = 0; k < items->size() && f.status().ok(); ++k) {
      const json& e = (*items)[k];
      std::string prefix = "application.items[" + std::to_string(k) + "].";
      if (!e.is_object()) return invalid_argument(prefix.substr(0, prefix.size() - 1) + ": must be an object");
      Fields i(e, prefix);
      RequestedItem it;
      i.str("request", it.request, true);
      i.str("category", it.category);
      i.str("subcategory", it.subcategory);
      i.str("body_region", it.body_region);
      if (!i.status().ok()) return i.status();
      a.items.push_back(std::move(it));
    }
  }
  if (!f.status().ok()) return f.status();
  return a;
}

std::string to_json(const Application& a) {
  nlohmann::ordered_json j;
  j["received"] = a.received;
  j["priority"] = letter::to_string(a.priority);
  j["formulary"] = a.formulary;
  j["signed"] = a.is_signed;
  j["ur"] = {{"date", a.ur_decision_date},
             {"served_by", to_string(a.ur_served_by)},
             {"outcome", a.ur_outcome},
             {"attached", a.ur_decision_attached}};
  j["liability_dispute"] = a.liability_dispute;
  j["administrator_agrees_to_proceed"] = a.administrator_agrees_to_proceed;
  j["notice"] = to_string(a.notice_method);
  j["claim_number"] = a.claim_number;
  j["date_of_injury"] = a.date_of_injury;
  j["diagnosis"] = a.diagnosis;
  for (PartyKind k : {PartyKind::kWorker, PartyKind::kAttorney, PartyKind::kEmployer, PartyKind::kInsurer,
                      PartyKind::kClaimsAdministrator}) {
    std::string n = a.party(k);
    if (!n.empty()) j[to_string(k)] = n;
  }
  j["physician"] = {{"name", a.party(PartyKind::kPhysician)},
                    {"specialty", a.physician_specialty},
                    {"group", a.party(PartyKind::kProviderGroup)},
                    {"facility", a.party(PartyKind::kFacility)}};
  j["manufacturers"] = nlohmann::ordered_json::array();
  for (const auto& p : a.parties)
    if (p.kind == PartyKind::kManufacturer) j["manufacturers"].push_back(p.name);
  j["items"] = nlohmann::ordered_json::array();
  for (const auto& it : a.items)
    j["items"].push_back({{"request", it.request},
                          {"category", it.category},
                          {"subcategory", it.subcategory},
                          {"body_region", it.body_region}});
  return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

Result<ReviewerRegistration> reviewer_from_json(std::string_view text) {
  auto parsed = parse_object(text, "reviewer");
  if (!parsed.ok()) return parsed.status();
  const json& j = *parsed;
  ReviewerRegistration reg;
  Reviewer& r = reg.reviewer;
  Fields f(j, "reviewer.");
  f.str("name", reg.name, true);
  f.strings("licence_states", r.credentials.licence_states);
  f.strings("board_certifications", r.credentials.board_certifications);
  f.strings("specialties", r.credentials.specialties);
  f.strings("subspecialties", r.credentials.subspecialties);
  f.integer("years_active_practice", r.credentials.years_active_practice, 0, 80);
  f.integer("weekly_practice_hours", r.credentials.weekly_practice_hours, 0, 168);
  f.flag("available", r.available);
  r.capacity = 20;
  f.integer("capacity", r.capacity, 0, 100000);
  if (const json* aff = f.get("affiliations")) {
    if (!aff->is_array()) f.fail("affiliations", "must be a list of {kind, name}");
    else
      for (std::size_t k = 0; k < aff->size() && f.status().ok(); ++k) {
        const json& e = (*aff)[k];
        std::string prefix = "reviewer.affiliations[" + std::to_string(k) + "].";
        if (!e.is_object()) return invalid_argument(prefix.substr(0, prefix.size() - 1) + ": must be an object");
        Fields a(e, prefix);
        std::string kind, name;
        a.str("kind", kind, true);
        a.str("name", name, true);
        if (!a.status().ok()) return a.status();
        auto pk = parse_affiliation_kind(kind);
        if (!pk) return invalid_argument(prefix + "kind: '" + kind +
                                         "' is not employer, insurer, provider_group, facility, manufacturer or person");
        r.affiliations.push_back({*pk, name});
      }
  }
  if (f.status().ok() && r.credentials.specialties.empty()) f.fail("specialties", "at least one specialty is required");
  if (!f.status().ok()) return f.status();
  return reg;
}

std::string to_json(const Reviewer& r, bool with_affiliations) {
  nlohmann::ordered_json j;
  j["id"] = r.id;
  j["licence_states"] = r.credentials.licence_states;
  j["board_certifications"] = r.credentials.board_certifications;
  j["specialties"] = r.credentials.specialties;
  j["subspecialties"] = r.credentials.subspecialties;
  j["years_active_practice"] = r.credentials.years_active_practice;
  j["weekly_practice_hours"] = r.credentials.weekly_practice_hours;
  j["available"] = r.available;
  j["capacity"] = r.capacity;
  j["active_cases"] = r.active_cases;
  if (with_affiliations) {
    j["affiliations"] = nlohmann::ordered_json::array();
    for (const auto& a : r.affiliations) j["affiliations"].push_back({{"kind", to_string(a.kind)}, {"name", a.name}});
  }
  return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace imr::casework
