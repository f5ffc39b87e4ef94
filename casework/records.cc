// JSON forms of case records, determinations and audit entries, and the identity keys of an
// application.
#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "case_store.h"
#include "imr/base/text.h"
#include "tsv.h"

namespace imr::casework {

using nlohmann::json;
using nlohmann::ordered_json;

Time CaseRecord::received_at() const { return parse_time(application.received).value_or(0); }

std::optional<Time> CaseRecord::next_due() const {
  switch (state) {
    case State::kEligible: return determination_due;
    case State::kAssigned:
    case State::kRecordsRequested: return records_due;
    case State::kRecordsReceived:
    case State::kUnderReview: return determination_due;
    default: return std::nullopt;
  }
}

namespace {

void put_time(ordered_json& j, const char* key, const std::optional<Time>& t) {
  j[key] = t ? json(to_iso_time(*t)) : json(nullptr);
}

std::optional<Time> get_time(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return std::nullopt;
  return parse_time(it->get<std::string>());
}

std::string get_str(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

ordered_json determination_json(const Determination& d) {
  ordered_json j;
  j["clinical_summary"] = d.clinical_summary;
  j["items"] = ordered_json::array();
  for (const auto& it : d.items)
    j["items"].push_back({{"decision", letter::to_string(it.decision)},
                          {"rationale", it.rationale},
                          {"reviewer_basis", it.reviewer_basis},
                          {"claims_administrator_basis", it.claims_administrator_basis}});
  return j;
}

ordered_json record_json(const CaseRecord& c) {
  ordered_json j;
  j["case_number"] = c.case_number;
  j["id"] = c.id;
  j["state"] = to_string(c.state);
  j["rules_version"] = c.rules_version;
  j["ineligible_reason"] = c.ineligible_reason ? json(to_string(*c.ineligible_reason)) : json(nullptr);
  j["ineligible_detail"] = c.ineligible_detail;
  j["reviewer_id"] = c.reviewer_id ? json(*c.reviewer_id) : json(nullptr);
  j["assignment_reason"] = c.assignment_reason;
  put_time(j, "noarfi_at", c.noarfi_at);
  put_time(j, "records_due", c.records_due);
  put_time(j, "records_received_at", c.records_received_at);
  put_time(j, "determination_due", c.determination_due);
  put_time(j, "decided_at", c.decided_at);
  put_time(j, "letter_issued_at", c.letter_issued_at);
  put_time(j, "closed_at", c.closed_at);
  put_time(j, "next_due", c.next_due());
  j["late_records_penalty"] = c.late_records_penalty;
  j["merged_into"] = c.merged_into;
  j["determination"] = c.determination ? determination_json(*c.determination) : ordered_json(nullptr);
  j["revision"] = c.revision;
  put_time(j, "updated_at", c.updated_at);
  j["application"] = ordered_json::parse(to_json(c.application));
  return j;
}

}  // namespace

Result<Determination> determination_from_json(std::string_view text) {
  json j = json::parse(text.begin(), text.end(), nullptr, false);
  if (j.is_discarded() || !j.is_object()) return invalid_argument("determination: must be a JSON object");
  Determination d;
  if (j.contains("clinical_summary") && !j["clinical_summary"].is_null()) {
    if (!j["clinical_summary"].is_string()) return invalid_argument("determination.clinical_summary: must be a string");
    d.clinical_summary = text::sanitize_utf8(j["clinical_summary"].get<std::string>());
  }
  if (!j.contains("items") || !j["items"].is_array() || j["items"].empty())
    return invalid_argument("determination.items: required: one {decision, rationale, ...} per disputed item");
  for (std::size_t k = 0; k < j["items"].size(); ++k) {
    const json& e = j["items"][k];
    std::string p = "determination.items[" + std::to_string(k) + "]";
    if (!e.is_object()) return invalid_argument(p + ": must be an object");
    ItemDecision it;
    auto word = e.find("decision");
    if (word == e.end() || !word->is_string()) return invalid_argument(p + ".decision: required: upheld or overturned");
    auto dec = letter::parse_decision(word->get<std::string>());
    if (!dec) return invalid_argument(p + ".decision: '" + word->get<std::string>() + "' is not upheld or overturned");
    it.decision = *dec;
    for (auto [key, dst] : {std::pair{"rationale", &it.rationale}, std::pair{"reviewer_basis", &it.reviewer_basis},
                            std::pair{"claims_administrator_basis", &it.claims_administrator_basis}}) {
      auto v = e.find(key);
      if (v == e.end() || v->is_null()) continue;
      if (!v->is_string()) return invalid_argument(p + "." + key + ": must be a string");
      *dst = text::sanitize_utf8(v->get<std::string>());
    }
    if (text::trim(it.rationale).empty()) return invalid_argument(p + ".rationale: required (the decision's reasons)");
    d.items.push_back(std::move(it));
  }
  return d;
}

std::string to_json(const CaseRecord& c) {
  return record_json(c).dump(-1, ' ', false, ordered_json::error_handler_t::replace);
}

std::string to_json(const AuditEntry& e) {
  ordered_json j;
  j["id"] = e.id;
  j["case_number"] = e.case_number;
  j["at"] = to_iso_time(e.at);
  j["actor"] = e.actor;
  j["event"] = e.event;
  j["from"] = e.from_state.empty() ? json(nullptr) : json(e.from_state);
  j["to"] = e.to_state;
  j["detail"] = e.detail;
  return j.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
}

namespace internal {

std::string worker_key(const Application& a) {
  return name_key(a.party(PartyKind::kWorker)) + "|" + a.date_of_injury;
}

std::string merge_key(const Application& a) {
  return name_key(a.party(PartyKind::kWorker)) + "|" + name_key(a.party(PartyKind::kPhysician)) + "|" + a.date_of_injury;
}

std::vector<std::string> treatment_keys(const Application& a) {
  std::set<std::string> keys;
  for (const auto& it : a.items) keys.insert(name_key(it.request));
  return {keys.begin(), keys.end()};
}

std::string duplicate_key(const Application& a) {
  std::string k = worker_key(a) + "|" + a.ur_decision_date;
  for (const auto& t : treatment_keys(a)) k += "|" + t;
  return k;
}

std::string case_number_for(const CaseRecord& c) {
  int y, m, d;
  civil(date_of(c.received_at()), y, m, d);
  char buf[32];
  std::snprintf(buf, sizeof buf, "CM%02d-%07lld", y % 100, static_cast<long long>(c.id));
  return buf;
}

std::string record_to_json(const CaseRecord& c) { return to_json(c); }

Result<CaseRecord> record_from_json(std::string_view text) {
  json j = json::parse(text.begin(), text.end(), nullptr, false);
  if (j.is_discarded() || !j.is_object()) return internal_error("case record is not a JSON object");
  CaseRecord c;
  auto app = application_from_json(j.value("application", json::object()).dump());
  if (!app.ok()) return app.status();
  c.application = std::move(*app);
  c.case_number = get_str(j, "case_number");
  c.id = j.value("id", std::int64_t{0});
  auto st = parse_state(get_str(j, "state"));
  if (!st) return internal_error("case record has no valid state");
  c.state = *st;
  c.rules_version = get_str(j, "rules_version");
  c.ineligible_reason = parse_ineligible_reason(get_str(j, "ineligible_reason"));
  c.ineligible_detail = get_str(j, "ineligible_detail");
  if (j.contains("reviewer_id") && j["reviewer_id"].is_number_integer()) c.reviewer_id = j["reviewer_id"].get<std::int64_t>();
  c.assignment_reason = get_str(j, "assignment_reason");
  c.noarfi_at = get_time(j, "noarfi_at");
  c.records_due = get_time(j, "records_due");
  c.records_received_at = get_time(j, "records_received_at");
  c.determination_due = get_time(j, "determination_due");
  c.decided_at = get_time(j, "decided_at");
  c.letter_issued_at = get_time(j, "letter_issued_at");
  c.closed_at = get_time(j, "closed_at");
  c.late_records_penalty = j.value("late_records_penalty", 0);
  c.merged_into = get_str(j, "merged_into");
  if (j.contains("determination") && j["determination"].is_object()) {
    auto d = determination_from_json(j["determination"].dump());
    if (!d.ok()) return d.status();
    c.determination = std::move(*d);
  }
  c.revision = j.value("revision", std::int64_t{0});
  c.updated_at = get_time(j, "updated_at").value_or(0);
  return c;
}

}  // namespace internal
}  // namespace imr::casework
