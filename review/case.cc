// Case file JSON: strict about the fields issue 4 fixes, silent about any other field.
#include "imr/review/case.h"

#include <nlohmann/json.hpp>

#include "imr/base/text.h"

namespace imr::review {

namespace {

using json = nlohmann::json;

Status type_error(const std::string& field, const char* expected) {
  return invalid_argument(field + ": expected " + expected);
}

// Optional string field: absent or null is nullopt; anything but a string is an error.
Status opt_string(const json& obj, const char* key, const std::string& path, std::optional<std::string>& out) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return {};
  if (!it->is_string()) return type_error(path, "a string");
  out = it->get<std::string>();
  return {};
}

}  // namespace

Result<CaseFile> case_from_json(std::string_view text) {
  json j = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return invalid_argument("case file: not valid JSON");
  if (!j.is_object()) return invalid_argument("case file: expected a JSON object");
  CaseFile c;
  if (auto it = j.find("patient"); it != j.end() && !it->is_null()) {
    if (!it->is_object()) return type_error("patient", "an object");
    if (auto a = it->find("age"); a != it->end() && !a->is_null()) {
      if (!a->is_number_integer() || a->get<long long>() < 0 || a->get<long long>() > 120)
        return type_error("patient.age", "an integer 0-120");
      c.age = static_cast<int>(a->get<long long>());
    }
    if (auto s = it->find("sex"); s != it->end() && !s->is_null()) {
      if (!s->is_string()) return type_error("patient.sex", "\"male\" or \"female\"");
      std::string v = text::to_lower(s->get<std::string>());
      if (v == "male" || v == "m") c.sex = letter::Sex::kMale;
      else if (v == "female" || v == "f") c.sex = letter::Sex::kFemale;
      else return type_error("patient.sex", "\"male\" or \"female\"");
    }
  }
  IMR_RETURN_IF_ERROR(opt_string(j, "date_of_injury", "date_of_injury", c.date_of_injury));
  IMR_RETURN_IF_ERROR(opt_string(j, "review_date", "review_date", c.review_date));
  if (auto it = j.find("diagnoses"); it != j.end() && !it->is_null()) {
    if (!it->is_array()) return type_error("diagnoses", "an array of strings");
    for (size_t i = 0; i < it->size(); ++i) {
      if (!(*it)[i].is_string()) return type_error("diagnoses[" + std::to_string(i) + "]", "a string");
      c.diagnoses.push_back((*it)[i].get<std::string>());
    }
  }
  std::optional<std::string> summary;
  IMR_RETURN_IF_ERROR(opt_string(j, "clinical_summary", "clinical_summary", summary));
  c.clinical_summary = summary.value_or("");
  std::optional<std::string> priority;
  IMR_RETURN_IF_ERROR(opt_string(j, "priority", "priority", priority));
  if (priority) {
    c.priority = letter::parse_priority(*priority);
    if (!c.priority) return type_error("priority", "\"standard\" or \"expedited\"");
  }
  auto items = j.find("items");
  if (items == j.end() || items->is_null()) return invalid_argument("items: missing (expected an array of items)");
  if (!items->is_array()) return type_error("items", "an array of items");
  if (items->empty()) return invalid_argument("items: expected at least one item");
  for (size_t i = 0; i < items->size(); ++i) {
    const json& it = (*items)[i];
    std::string path = "items[" + std::to_string(i) + "]";
    if (!it.is_object()) return type_error(path, "an object");
    auto r = it.find("request");
    if (r == it.end() || r->is_null()) return invalid_argument(path + ".request: missing");
    if (!r->is_string()) return type_error(path + ".request", "a string");
    CaseItem item;
    item.request = std::string(text::trim(r->get<std::string>()));
    if (item.request.empty()) return invalid_argument(path + ".request: empty");
    IMR_RETURN_IF_ERROR(opt_string(it, "claims_administrator_basis", path + ".claims_administrator_basis",
                                   item.claims_administrator_basis));
    c.items.push_back(std::move(item));
  }
  return c;
}

std::string case_to_json(const CaseFile& c, int indent) {
  nlohmann::ordered_json j;
  nlohmann::ordered_json p = nlohmann::ordered_json::object();
  p["age"] = c.age ? nlohmann::ordered_json(*c.age) : nlohmann::ordered_json(nullptr);
  p["sex"] = c.sex ? nlohmann::ordered_json(letter::to_string(*c.sex)) : nlohmann::ordered_json(nullptr);
  j["patient"] = p;
  j["date_of_injury"] = c.date_of_injury ? nlohmann::ordered_json(*c.date_of_injury) : nlohmann::ordered_json(nullptr);
  j["diagnoses"] = c.diagnoses;
  j["clinical_summary"] = c.clinical_summary;
  j["priority"] = c.priority ? nlohmann::ordered_json(letter::to_string(*c.priority)) : nlohmann::ordered_json(nullptr);
  j["items"] = nlohmann::ordered_json::array();
  for (const auto& item : c.items) {
    nlohmann::ordered_json ji;
    ji["request"] = item.request;
    if (item.claims_administrator_basis) ji["claims_administrator_basis"] = *item.claims_administrator_basis;
    j["items"].push_back(ji);
  }
  if (c.review_date) j["review_date"] = *c.review_date;
  return j.dump(indent, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

CaseFile case_from_letter(const letter::Letter& l) {
  CaseFile c;
  c.age = l.patient.age;
  c.sex = l.patient.sex;
  c.date_of_injury = l.date_of_injury;
  c.clinical_summary = l.clinical_summary.value_or("");
  c.priority = l.priority;
  c.review_date = l.decision_date;
  for (const auto& item : l.items) {
    CaseItem ci;
    ci.request = item.request;
    if (item.claims_administrator_basis) ci.claims_administrator_basis = item.claims_administrator_basis->text;
    c.items.push_back(std::move(ci));
  }
  return c;
}

}  // namespace imr::review
