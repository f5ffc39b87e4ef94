// Guideline files: strict loading (a typo in a knowledge-base file is a load error naming file and
// field, not a criterion that silently never applies) and the criteria evaluator.
#include "imr/review/guidelines.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <re2/re2.h>
#include <sstream>

#include "imr/base/data.h"
#include "imr/base/text.h"

namespace imr::review {

const char* to_string(RecommendationStatus s) {
  switch (s) {
    case RecommendationStatus::kRecommended: return "recommended";
    case RecommendationStatus::kRecommendedWithCriteria: return "recommended_with_criteria";
    case RecommendationStatus::kNotRecommended: return "not_recommended";
    case RecommendationStatus::kUnderStudy: return "under_study";
  }
  return "recommended_with_criteria";
}

const char* to_string(Outcome o) {
  switch (o) {
    case Outcome::kMet: return "met";
    case Outcome::kUnmet: return "unmet";
    case Outcome::kUnknown: return "unknown";
  }
  return "unknown";
}

int Guideline::match_keys() const {
  return !subcategories.empty() + !regions.empty() + !patterns.empty();
}

namespace {

using json = nlohmann::json;

Outcome eval_condition(const Condition& c, const FactSet& facts, std::vector<Fact>& evidence) {
  auto it = facts.find(c.fact);
  const Fact* f = it == facts.end() ? nullptr : &it->second;
  if (f && std::none_of(evidence.begin(), evidence.end(), [&](const Fact& e) { return e.name == f->name; }))
    evidence.push_back(*f);
  if (c.present) return (f != nullptr) == *c.present ? Outcome::kMet : Outcome::kUnmet;
  if (!f) return Outcome::kUnknown;
  if (c.is_bool) {
    if (f->kind != FactKind::kBool) return Outcome::kUnknown;
    return f->flag == *c.is_bool ? Outcome::kMet : Outcome::kUnmet;
  }
  if (c.is_text) {
    if (f->kind != FactKind::kText) return Outcome::kUnknown;
    return text::iequals(f->text, *c.is_text) ? Outcome::kMet : Outcome::kUnmet;
  }
  if (c.min || c.max) {
    if (f->kind != FactKind::kNumber) return Outcome::kUnknown;
    if (c.min && f->number < *c.min) return Outcome::kUnmet;
    if (c.max && f->number > *c.max) return Outcome::kUnmet;
    return Outcome::kMet;
  }
  return Outcome::kUnknown;
}

Status field_error(const std::string& file, const std::string& field, const std::string& problem) {
  return invalid_argument(file + ": " + field + ": " + problem);
}

Status string_list(const json& j, const std::string& file, const std::string& field, std::vector<std::string>& out) {
  if (!j.is_array()) return field_error(file, field, "expected an array of strings");
  for (std::size_t i = 0; i < j.size(); ++i) {
    if (!j[i].is_string()) return field_error(file, field + "[" + std::to_string(i) + "]", "expected a string");
    out.push_back(j[i].get<std::string>());
  }
  return {};
}

Status opt_string(const json& j, const char* key, const std::string& file, const std::string& field, std::string& out,
                  bool required = false) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) {
    if (required) return field_error(file, field, "missing");
    return {};
  }
  if (!it->is_string()) return field_error(file, field, "expected a string");
  out = it->get<std::string>();
  return {};
}

Result<Condition> parse_condition(const json& j, const std::string& file, const std::string& path) {
  if (!j.is_object()) return field_error(file, path, "expected an object");
  Condition c;
  IMR_RETURN_IF_ERROR(opt_string(j, "fact", file, path + ".fact", c.fact, true));
  const FactSpec* spec = find_fact_spec(c.fact);
  if (!spec) return field_error(file, path + ".fact", "unknown fact \"" + c.fact + "\" (see include/imr/review/facts.h)");
  int kinds = 0;
  if (auto it = j.find("is"); it != j.end()) {
    ++kinds;
    if (it->is_boolean()) {
      if (spec->kind != FactKind::kBool) return field_error(file, path + ".is", "fact " + c.fact + " is not boolean");
      c.is_bool = it->get<bool>();
    } else if (it->is_string()) {
      if (spec->kind != FactKind::kText) return field_error(file, path + ".is", "fact " + c.fact + " is not text");
      c.is_text = it->get<std::string>();
    } else {
      return field_error(file, path + ".is", "expected true, false or a string");
    }
  }
  for (const char* key : {"min", "max"}) {
    if (auto it = j.find(key); it != j.end()) {
      if (!it->is_number()) return field_error(file, path + "." + key, "expected a number");
      if (spec->kind != FactKind::kNumber) return field_error(file, path + "." + key, "fact " + c.fact + " is not a number");
      (std::string(key) == "min" ? c.min : c.max) = it->get<double>();
    }
  }
  if (c.min || c.max) ++kinds;
  if (auto it = j.find("present"); it != j.end()) {
    ++kinds;
    if (!it->is_boolean()) return field_error(file, path + ".present", "expected true or false");
    c.present = it->get<bool>();
  }
  if (kinds != 1) return field_error(file, path, "expected exactly one of is, min/max, present");
  return c;
}

}  // namespace

CriterionResult evaluate(const Criterion& c, const FactSet& facts) {
  CriterionResult r;
  r.criterion = &c;
  if (c.conditions.empty()) return r;
  int met = 0, unmet = 0;
  for (const auto& cond : c.conditions) {
    Outcome o = eval_condition(cond, facts, r.evidence);
    met += o == Outcome::kMet;
    unmet += o == Outcome::kUnmet;
  }
  const int n = static_cast<int>(c.conditions.size());
  if (c.all) r.outcome = unmet > 0 ? Outcome::kUnmet : met == n ? Outcome::kMet : Outcome::kUnknown;
  else r.outcome = met > 0 ? Outcome::kMet : unmet == n ? Outcome::kUnmet : Outcome::kUnknown;
  return r;
}

std::vector<CriterionResult> evaluate(const Guideline& g, const FactSet& facts) {
  std::vector<CriterionResult> out;
  for (const auto& c : g.criteria) out.push_back(evaluate(c, facts));
  return out;
}

Result<Guideline> KnowledgeBase::parse(const std::string& text, const std::string& file) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false, /*ignore_comments=*/true);
  if (j.is_discarded()) return invalid_argument(file + ": not valid JSON");
  if (!j.is_object()) return invalid_argument(file + ": expected a JSON object");
  Guideline g;
  g.file = file;
  IMR_RETURN_IF_ERROR(opt_string(j, "id", file, "id", g.id, true));
  if (g.id.empty()) return field_error(file, "id", "empty");
  IMR_RETURN_IF_ERROR(opt_string(j, "name", file, "name", g.name, true));
  auto m = j.find("match");
  if (m == j.end() || !m->is_object()) return field_error(file, "match", "expected an object");
  if (auto it = m->find("subcategories"); it != m->end())
    IMR_RETURN_IF_ERROR(string_list(*it, file, "match.subcategories", g.subcategories));
  if (auto it = m->find("regions"); it != m->end()) IMR_RETURN_IF_ERROR(string_list(*it, file, "match.regions", g.regions));
  if (auto it = m->find("patterns"); it != m->end()) IMR_RETURN_IF_ERROR(string_list(*it, file, "match.patterns", g.patterns));
  for (std::size_t i = 0; i < g.patterns.size(); ++i) {
    RE2::Options o;
    o.set_case_sensitive(false);
    o.set_log_errors(false);
    RE2 re(g.patterns[i], o);
    if (!re.ok()) return field_error(file, "match.patterns[" + std::to_string(i) + "]", "bad RE2 pattern: " + re.error());
  }
  if (g.match_keys() == 0) return field_error(file, "match", "needs at least one of subcategories, regions, patterns");
  if (auto it = j.find("priority"); it != j.end() && !it->is_null()) {
    if (!it->is_number_integer()) return field_error(file, "priority", "expected an integer");
    g.priority = it->get<int>();
  }
  if (auto it = j.find("perioperative"); it != j.end() && !it->is_null()) {
    if (it->is_boolean()) {
      g.perioperative = it->get<bool>();
    } else if (it->is_array() && !it->empty()) {
      for (std::size_t i = 0; i < it->size(); ++i) {
        const std::string path = "perioperative[" + std::to_string(i) + "]";
        if (!(*it)[i].is_string()) return field_error(file, path, "expected an RE2 pattern");
        RE2::Options o;
        o.set_case_sensitive(false);
        o.set_log_errors(false);
        RE2 re((*it)[i].get<std::string>(), o);
        if (!re.ok()) return field_error(file, path, "bad RE2 pattern: " + re.error());
        g.perioperative_when.push_back((*it)[i].get<std::string>());
      }
      g.perioperative = true;
    } else {
      return field_error(file, "perioperative", "expected true, false or a non-empty array of patterns");
    }
  }
  auto gov = j.find("governing");
  if (gov == j.end() || !gov->is_array() || gov->empty())
    return field_error(file, "governing", "expected a non-empty array of citations");
  for (std::size_t i = 0; i < gov->size(); ++i) {
    const json& c = (*gov)[i];
    std::string path = "governing[" + std::to_string(i) + "]";
    if (!c.is_object()) return field_error(file, path, "expected an object");
    GuidelineCitation gc;
    if (auto it = c.find("when_regions"); it != c.end())
      IMR_RETURN_IF_ERROR(string_list(*it, file, path + ".when_regions", gc.when_regions));
    IMR_RETURN_IF_ERROR(opt_string(c, "source", file, path + ".source", gc.source, true));
    IMR_RETURN_IF_ERROR(opt_string(c, "title", file, path + ".title", gc.title, true));
    IMR_RETURN_IF_ERROR(opt_string(c, "catalog_key", file, path + ".catalog_key", gc.catalog_key, true));
    IMR_RETURN_IF_ERROR(opt_string(c, "section", file, path + ".section", gc.section));
    if (auto it = c.find("pages"); it != c.end() && it->is_number()) gc.pages = std::to_string(it->get<int>());
    else IMR_RETURN_IF_ERROR(opt_string(c, "pages", file, path + ".pages", gc.pages));
    static const char* sources[] = {"MTUS", "ODG", "ACOEM", "other"};
    if (std::find(std::begin(sources), std::end(sources), gc.source) == std::end(sources))
      return field_error(file, path + ".source", "expected MTUS, ODG, ACOEM or other");
    g.governing.push_back(std::move(gc));
  }
  std::string status;
  IMR_RETURN_IF_ERROR(opt_string(j, "status", file, "status", status, true));
  if (status == "recommended") g.status = RecommendationStatus::kRecommended;
  else if (status == "recommended_with_criteria") g.status = RecommendationStatus::kRecommendedWithCriteria;
  else if (status == "not_recommended") g.status = RecommendationStatus::kNotRecommended;
  else if (status == "under_study") g.status = RecommendationStatus::kUnderStudy;
  else return field_error(file, "status", "expected recommended, recommended_with_criteria, not_recommended or under_study");
  if (auto cr = j.find("criteria"); cr != j.end() && !cr->is_null()) {
    if (!cr->is_array()) return field_error(file, "criteria", "expected an array");
    for (std::size_t i = 0; i < cr->size(); ++i) {
      const json& c = (*cr)[i];
      std::string path = "criteria[" + std::to_string(i) + "]";
      if (!c.is_object()) return field_error(file, path, "expected an object");
      Criterion crit;
      IMR_RETURN_IF_ERROR(opt_string(c, "id", file, path + ".id", crit.id, true));
      IMR_RETURN_IF_ERROR(opt_string(c, "text", file, path + ".text", crit.text, true));
      IMR_RETURN_IF_ERROR(opt_string(c, "section", file, path + ".section", crit.section));
      auto all = c.find("all");
      auto any = c.find("any");
      if ((all == c.end()) == (any == c.end())) return field_error(file, path, "expected exactly one of \"all\", \"any\"");
      crit.all = all != c.end();
      const json& conds = crit.all ? *all : *any;
      std::string cpath = path + (crit.all ? ".all" : ".any");
      if (!conds.is_array() || conds.empty()) return field_error(file, cpath, "expected a non-empty array of conditions");
      for (std::size_t k = 0; k < conds.size(); ++k) {
        auto cond = parse_condition(conds[k], file, cpath + "[" + std::to_string(k) + "]");
        if (!cond.ok()) return cond.status();
        crit.conditions.push_back(std::move(*cond));
      }
      for (const auto& prev : g.criteria)
        if (prev.id == crit.id) return field_error(file, path + ".id", "duplicate criterion id \"" + crit.id + "\"");
      g.criteria.push_back(std::move(crit));
    }
  }
  if (auto r = j.find("rationale"); r != j.end() && !r->is_null()) {
    if (!r->is_object()) return field_error(file, "rationale", "expected an object");
    IMR_RETURN_IF_ERROR(opt_string(*r, "upheld", file, "rationale.upheld", g.rationale_upheld));
    IMR_RETURN_IF_ERROR(opt_string(*r, "overturned", file, "rationale.overturned", g.rationale_overturned));
  }
  return g;
}

Result<KnowledgeBase> KnowledgeBase::load(const std::string& dir_in) {
  namespace fs = std::filesystem;
  const std::string dir = dir_in.empty() ? data_path("review/guidelines") : dir_in;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return not_found(dir + ": guideline directory not found");
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.is_regular_file() && e.path().extension() == ".json") files.push_back(e.path().string());
  if (ec) return io_error(dir + ": " + ec.message());
  std::sort(files.begin(), files.end());
  KnowledgeBase kb;
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    if (!in) return io_error(f + ": cannot read");
    std::stringstream ss;
    ss << in.rdbuf();
    auto g = parse(ss.str(), f);
    if (!g.ok()) return g.status();
    if (const Guideline* dup = kb.find(g->id)) return invalid_argument(f + ": id: \"" + g->id + "\" already used by " + dup->file);
    // Case-insensitive, as parse() checked them.
    auto compile = [](const std::vector<std::string>& patterns) {
      std::vector<std::shared_ptr<void>> res;
      RE2::Options o;
      o.set_case_sensitive(false);
      for (const auto& p : patterns) res.push_back(std::make_shared<RE2>(p, o));
      return res;
    };
    kb.compiled_.push_back(compile(g->patterns));
    kb.perioperative_when_.push_back(compile(g->perioperative_when));
    kb.guidelines_.push_back(std::move(*g));
  }
  return kb;
}

bool KnowledgeBase::perioperative(const Guideline& g, const std::string& request) const {
  if (!g.perioperative) return false;
  if (g.perioperative_when.empty()) return true;
  const std::less<const Guideline*> before;
  if (before(&g, guidelines_.data()) || !before(&g, guidelines_.data() + guidelines_.size())) return false;  // not ours
  const std::size_t i = static_cast<std::size_t>(&g - guidelines_.data());
  return std::any_of(perioperative_when_[i].begin(), perioperative_when_[i].end(), [&](const std::shared_ptr<void>& re) {
    return RE2::PartialMatch(request, *static_cast<RE2*>(re.get()));
  });
}

const Guideline* KnowledgeBase::find(const std::string& id) const {
  for (const auto& g : guidelines_)
    if (g.id == id) return &g;
  return nullptr;
}

const Guideline* KnowledgeBase::match(const std::string& request, const corpus::NormalizedItem& item,
                                      const std::vector<std::string>& request_regions) const {
  const Guideline* best = nullptr;
  for (std::size_t i = 0; i < guidelines_.size(); ++i) {
    const Guideline& g = guidelines_[i];
    if (!g.subcategories.empty() &&
        std::none_of(g.subcategories.begin(), g.subcategories.end(),
                     [&](const std::string& s) { return text::iequals(s, item.subcategory) || text::iequals(s, item.category); }))
      continue;
    if (!g.regions.empty() &&
        std::none_of(g.regions.begin(), g.regions.end(), [&](const std::string& r) {
          return r == item.body_region || std::find(request_regions.begin(), request_regions.end(), r) != request_regions.end();
        }))
      continue;
    if (!g.patterns.empty() && std::none_of(compiled_[i].begin(), compiled_[i].end(), [&](const std::shared_ptr<void>& re) {
          return RE2::PartialMatch(request, *static_cast<RE2*>(re.get()));
        }))
      continue;
    if (!best || g.priority > best->priority || (g.priority == best->priority && g.match_keys() > best->match_keys()))
      best = &g;
  }
  return best;
}

const GuidelineCitation* KnowledgeBase::governing(const Guideline& g, const std::string& body_region,
                                                  const std::vector<std::string>& regions) {
  for (const auto& c : g.governing) {
    if (c.when_regions.empty()) return &c;
    for (const auto& r : c.when_regions)
      if (r == body_region || std::find(regions.begin(), regions.end(), r) != regions.end()) return &c;
  }
  return g.governing.empty() ? nullptr : &g.governing.front();
}

}  // namespace imr::review
