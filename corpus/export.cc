#include "imr/corpus/export.h"

#include <nlohmann/json.hpp>

#include "imr/base/text.h"

namespace imr::corpus {
namespace {

using Json = nlohmann::ordered_json;

Json opt(const std::optional<std::string>& v) { return v ? Json(*v) : Json(nullptr); }
Json opt(const std::optional<int>& v) { return v ? Json(*v) : Json(nullptr); }

Json catalog_keys(const std::vector<CatalogCitation>& cites) {
  Json out = Json::array();
  for (const auto& c : cites)
    if (std::find(out.begin(), out.end(), Json(c.key)) == out.end()) out.push_back(c.key);
  return out;
}

// The row as JSON, keys in export_columns() order.
Json row_json(const ExportRow& row) {
  const letter::Letter& l = row.letter.letter;
  const letter::DisputedItem& it = l.items[row.item];
  const StoredItem& si = row.letter.items[row.item];
  const NormalizedItem& n = si.normalized;
  Json j;
  j["letter_key"] = row.letter.key;
  j["case_number"] = opt(l.case_number);
  j["source"] = l.source;
  j["template"] = l.template_name;
  j["date_assigned"] = opt(l.date_assigned);
  j["decision_date"] = opt(l.decision_date);
  j["date_of_injury"] = opt(l.date_of_injury);
  j["ur_denial_date"] = opt(l.ur_denial_date);
  j["application_received"] = opt(l.application_received);
  j["priority"] = l.priority ? Json(letter::to_string(*l.priority)) : Json(nullptr);
  j["reviewer_licensure_states"] = l.reviewer.licensure_states;
  j["reviewer_specialties"] = l.reviewer.specialties;
  j["reviewer_subspecialties"] = l.reviewer.subspecialties;
  j["reviewer_board_certified"] = l.reviewer.board_certified ? Json(*l.reviewer.board_certified) : Json(nullptr);
  j["patient_age"] = opt(l.patient.age);
  j["patient_sex"] = l.patient.sex ? Json(letter::to_string(*l.patient.sex)) : Json(nullptr);
  j["item"] = row.item;
  j["request"] = it.request;
  j["original_request"] = opt(it.original_request);
  j["authorized_portion"] = opt(it.authorized_portion);
  j["decision"] = letter::to_string(it.decision);
  j["category"] = n.category;
  j["subcategory"] = n.subcategory;
  j["body_region"] = n.body_region;
  j["drug_name"] = n.drug ? Json(n.drug->name) : Json(nullptr);
  j["drug_strength"] = n.drug ? opt(n.drug->strength) : Json(nullptr);
  j["drug_quantity"] = n.drug ? opt(n.drug->quantity) : Json(nullptr);
  j["retrospective"] = n.retrospective;
  j["sessions"] = opt(n.sessions);
  j["reviewer_guidelines"] = catalog_keys(si.reviewer_catalog);
  j["claims_administrator_guidelines"] = catalog_keys(si.claims_administrator_catalog);
  j["rationale"] = opt(it.rationale);
  j["clinical_summary"] = opt(l.clinical_summary);
  return j;
}

std::string csv_cell(const Json& v) {
  if (v.is_null()) return "";
  if (v.is_string()) return csv_field(v.get<std::string>());
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_array()) {
    std::string joined;
    for (const auto& e : v) joined += (joined.empty() ? "" : "; ") + e.get<std::string>();
    return csv_field(joined);
  }
  return v.dump();
}

}  // namespace

std::optional<ExportFormat> parse_export_format(const std::string& word) {
  std::string w = text::to_lower(text::trim(word));
  if (w == "csv") return ExportFormat::kCsv;
  if (w == "jsonl" || w == "json-lines" || w == "ndjson") return ExportFormat::kJsonl;
  return std::nullopt;
}

const std::vector<std::string>& export_columns() {
  static const std::vector<std::string> kColumns = {
      "letter_key", "case_number", "source", "template", "date_assigned", "decision_date", "date_of_injury",
      "ur_denial_date", "application_received", "priority", "reviewer_licensure_states", "reviewer_specialties",
      "reviewer_subspecialties", "reviewer_board_certified", "patient_age", "patient_sex", "item", "request",
      "original_request", "authorized_portion", "decision", "category", "subcategory", "body_region", "drug_name",
      "drug_strength", "drug_quantity", "retrospective", "sessions", "reviewer_guidelines",
      "claims_administrator_guidelines", "rationale", "clinical_summary"};
  return kColumns;
}

std::string csv_field(const std::string& value) {
  bool quote = value.find_first_of(",\"\r\n") != std::string::npos ||
               (!value.empty() && (value.front() == ' ' || value.back() == ' ' || value.front() == '\t'));
  if (!quote) return value;
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

Status export_corpus(Store& store, ExportFormat format, std::ostream& out) {
  if (format == ExportFormat::kCsv) {
    std::string header;
    for (const auto& c : export_columns()) header += (header.empty() ? "" : ",") + c;
    out << header << "\r\n";
  }
  Status s = store.export_items([&](const ExportRow& row) -> Status {
    Json j = row_json(row);
    if (format == ExportFormat::kJsonl) {
      out << j.dump(-1, ' ', false, Json::error_handler_t::replace) << '\n';
    } else {
      std::string line;
      bool first = true;
      for (const auto& [key, value] : j.items()) {
        if (!first) line.push_back(',');
        first = false;
        line += csv_cell(value);
      }
      out << line << "\r\n";
    }
    if (!out) return io_error("export: cannot write output");
    return {};
  });
  IMR_RETURN_IF_ERROR(s);
  out.flush();
  if (!out) return io_error("export: cannot write output");
  return {};
}

}  // namespace imr::corpus
