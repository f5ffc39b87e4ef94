// JSON form of the record. Key order follows record.md (nlohmann::ordered_json keeps insertion
// order) so the output is stable and diffable.
#include "imr/letter/json.h"

#include <nlohmann/json.hpp>

#include "imr/base/text.h"

namespace imr::letter {
namespace {
using json = nlohmann::ordered_json;

json str_or_null(const std::optional<std::string>& s) {
  return s ? json(text::sanitize_utf8(*s)) : json(nullptr);
}

json string_list(const std::vector<std::string>& v) {
  json a = json::array();
  for (const auto& s : v) a.push_back(text::sanitize_utf8(s));
  return a;
}

json basis_json(const std::optional<GuidelineBasis>& b) {
  if (!b) return nullptr;
  json cites = json::array();
  for (const auto& c : b->citations) {
    cites.push_back(json{{"source", c.source},
                         {"title", text::sanitize_utf8(c.title)},
                         {"edition", str_or_null(c.edition)},
                         {"sections", string_list(c.sections)},
                         {"pages", string_list(c.pages)}});
  }
  return json{{"text", text::sanitize_utf8(b->text)}, {"citations", std::move(cites)}};
}

json to_json(const Letter& l) {
  json items = json::array();
  for (const auto& it : l.items) {
    json j;
    j["request"] = text::sanitize_utf8(it.request);
    j["original_request"] = str_or_null(it.original_request);
    j["authorized_portion"] = str_or_null(it.authorized_portion);
    j["decision"] = to_string(it.decision);
    j["claims_administrator_basis"] = basis_json(it.claims_administrator_basis);
    j["reviewer_basis"] = basis_json(it.reviewer_basis);
    j["rationale"] = str_or_null(it.rationale);
    items.push_back(std::move(j));
  }
  json j;
  j["source"] = text::sanitize_utf8(l.source);
  j["template"] = l.template_name;
  j["case_number"] = str_or_null(l.case_number);
  j["date_assigned"] = str_or_null(l.date_assigned);
  j["decision_date"] = str_or_null(l.decision_date);
  j["date_of_injury"] = str_or_null(l.date_of_injury);
  j["ur_denial_date"] = str_or_null(l.ur_denial_date);
  j["application_received"] = str_or_null(l.application_received);
  j["priority"] = l.priority ? json(to_string(*l.priority)) : json(nullptr);
  j["reviewer"] = json{{"licensure_states", string_list(l.reviewer.licensure_states)},
                       {"specialties", string_list(l.reviewer.specialties)},
                       {"subspecialties", string_list(l.reviewer.subspecialties)},
                       {"board_certified", l.reviewer.board_certified ? json(*l.reviewer.board_certified) : json(nullptr)}};
  j["patient"] = json{{"age", l.patient.age ? json(*l.patient.age) : json(nullptr)},
                      {"sex", l.patient.sex ? json(to_string(*l.patient.sex)) : json(nullptr)}};
  j["clinical_summary"] = str_or_null(l.clinical_summary);
  j["items"] = std::move(items);
  j["warnings"] = string_list(l.warnings);
  return j;
}

// Field readers: each fails with the field's path in the message.
struct Reader {
  Status status;
  void fail(const std::string& path, const std::string& why) {
    if (status.ok()) status = invalid_argument(path + ": " + why);
  }
  std::optional<std::string> opt_string(const json& j, const char* key, const std::string& path) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return std::nullopt;
    if (!it->is_string()) { fail(path + key, "must be a string or null"); return std::nullopt; }
    return it->get<std::string>();
  }
  std::string string(const json& j, const char* key, const std::string& path) {
    auto s = opt_string(j, key, path);
    return s ? *s : std::string();
  }
  std::vector<std::string> list(const json& j, const char* key, const std::string& path) {
    std::vector<std::string> out;
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return out;
    if (!it->is_array()) { fail(path + key, "must be a list of strings"); return out; }
    for (const auto& e : *it) {
      if (!e.is_string()) { fail(path + key, "must be a list of strings"); return out; }
      out.push_back(e.get<std::string>());
    }
    return out;
  }
  std::optional<GuidelineBasis> basis(const json& j, const char* key, const std::string& path) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return std::nullopt;
    std::string p = path + key;
    if (it->is_string()) return GuidelineBasis{it->get<std::string>(), {}};  // labels' plain-text form
    if (!it->is_object()) { fail(p, "must be an object, a string or null"); return std::nullopt; }
    GuidelineBasis b;
    b.text = string(*it, "text", p + ".");
    auto cs = it->find("citations");
    if (cs != it->end() && !cs->is_null()) {
      if (!cs->is_array()) { fail(p + ".citations", "must be a list"); return b; }
      for (std::size_t i = 0; i < cs->size(); ++i) {
        const json& c = (*cs)[i];
        std::string cp = p + ".citations[" + std::to_string(i) + "].";
        if (!c.is_object()) { fail(cp, "must be an object"); return b; }
        Citation cit;
        cit.source = string(c, "source", cp);
        cit.title = string(c, "title", cp);
        cit.edition = opt_string(c, "edition", cp);
        cit.sections = list(c, "sections", cp);
        cit.pages = list(c, "pages", cp);
        b.citations.push_back(std::move(cit));
      }
    }
    return b;
  }
};

}  // namespace

std::string to_json_line(const Letter& letter) {
  return to_json(letter).dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string to_json_pretty(const Letter& letter) {
  return to_json(letter).dump(2, ' ', false, json::error_handler_t::replace);
}

Result<Letter> letter_from_json(std::string_view text_in) {
  json j = json::parse(text_in.begin(), text_in.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return invalid_argument("not valid JSON");
  if (!j.is_object()) return invalid_argument("a record must be a JSON object");
  Reader r;
  Letter l;
  l.source = r.string(j, "source", "");
  l.template_name = r.string(j, "template", "");
  l.case_number = r.opt_string(j, "case_number", "");
  l.date_assigned = r.opt_string(j, "date_assigned", "");
  l.decision_date = r.opt_string(j, "decision_date", "");
  l.date_of_injury = r.opt_string(j, "date_of_injury", "");
  l.ur_denial_date = r.opt_string(j, "ur_denial_date", "");
  l.application_received = r.opt_string(j, "application_received", "");
  if (auto p = r.opt_string(j, "priority", "")) {
    l.priority = parse_priority(*p);
    if (!l.priority) r.fail("priority", "must be \"standard\" or \"expedited\"");
  }
  if (auto it = j.find("reviewer"); it != j.end() && !it->is_null()) {
    if (!it->is_object()) r.fail("reviewer", "must be an object");
    else {
      l.reviewer.licensure_states = r.list(*it, "licensure_states", "reviewer.");
      l.reviewer.specialties = r.list(*it, "specialties", "reviewer.");
      l.reviewer.subspecialties = r.list(*it, "subspecialties", "reviewer.");
      if (auto b = it->find("board_certified"); b != it->end() && !b->is_null()) {
        if (!b->is_boolean()) r.fail("reviewer.board_certified", "must be true, false or null");
        else l.reviewer.board_certified = b->get<bool>();
      }
    }
  }
  if (auto it = j.find("patient"); it != j.end() && !it->is_null()) {
    if (!it->is_object()) r.fail("patient", "must be an object");
    else {
      if (auto a = it->find("age"); a != it->end() && !a->is_null()) {
        if (!a->is_number_integer()) r.fail("patient.age", "must be a whole number or null");
        else l.patient.age = a->get<int>();
      }
      if (auto s = r.opt_string(*it, "sex", "patient.")) {
        if (*s == "male") l.patient.sex = Sex::kMale;
        else if (*s == "female") l.patient.sex = Sex::kFemale;
        else r.fail("patient.sex", "must be \"male\", \"female\" or null");
      }
    }
  }
  l.clinical_summary = r.opt_string(j, "clinical_summary", "");
  if (auto it = j.find("items"); it != j.end() && !it->is_null()) {
    if (!it->is_array()) r.fail("items", "must be a list");
    else {
      for (std::size_t i = 0; i < it->size(); ++i) {
        const json& e = (*it)[i];
        std::string p = "items[" + std::to_string(i) + "].";
        if (!e.is_object()) { r.fail(p, "must be an object"); break; }
        DisputedItem item;
        item.request = r.string(e, "request", p);
        item.original_request = r.opt_string(e, "original_request", p);
        item.authorized_portion = r.opt_string(e, "authorized_portion", p);
        auto d = r.opt_string(e, "decision", p);
        auto dec = d ? parse_decision(*d) : std::nullopt;
        if (!dec) r.fail(p + "decision", "must be \"upheld\" or \"overturned\"");
        else item.decision = *dec;
        item.claims_administrator_basis = r.basis(e, "claims_administrator_basis", p);
        item.reviewer_basis = r.basis(e, "reviewer_basis", p);
        item.rationale = r.opt_string(e, "rationale", p);
        l.items.push_back(std::move(item));
      }
    }
  }
  l.warnings = r.list(j, "warnings", "");
  if (!r.status.ok()) return r.status;
  return l;
}

}  // namespace imr::letter
