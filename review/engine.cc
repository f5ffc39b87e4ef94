// The engine: analysis of an item (facts -> guideline -> criteria -> precedents), the suggestion
// (model, else the guideline rule) and the draft in the reviewers' manner.
#include "imr/review/engine.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <nlohmann/json.hpp>
#include <sstream>

#include "imr/base/data.h"
#include "imr/base/text.h"
#include "imr/review/model.h"

namespace imr::review {

Result<Engine> Engine::load(const std::string& data_dir_in, const std::string& guidelines_dir) {
  const std::string dir = data_dir_in.empty() ? data_dir() : data_dir_in;
  auto n = corpus::Normalizer::load(dir);
  if (!n.ok()) return n.status();
  auto f = FactExtractor::load(dir);
  if (!f.ok()) return f.status();
  auto kb = KnowledgeBase::load(guidelines_dir.empty() ? dir + "/review/guidelines" : guidelines_dir);
  if (!kb.ok()) {
    // No knowledge base yet is a usable state (suggestions then come from precedents and the
    // model); a malformed one is not.
    if (kb.status().code() != Code::kNotFound) return kb.status();
    kb = KnowledgeBase{};
  }
  return Engine(std::move(*n), std::move(*f), std::move(*kb));
}

corpus::NormalizedItem Engine::normalize(const std::string& request) const {
  letter::DisputedItem d;
  d.request = request;
  return normalizer_.normalize(d);
}

std::string Engine::treatment_id(const std::string& request, const corpus::NormalizedItem& n) const {
  const Guideline* g = kb_.match(request, n, extractor_.regions_in(request));
  return g ? g->id : "";
}

namespace {

constexpr const char* kOperationSubcategory = "Surgical procedure";

// One item's analysis given every item's normalisation (`normalized`, parallel to c.items).
ItemAnalysis analyze_one(const Engine& e, const CaseFile& c, const CaseFacts& facts, std::size_t k,
                         const std::vector<corpus::NormalizedItem>& normalized, const CorpusIndex* index,
                         const IndexUse& use) {
  const CaseItem& item = c.items[k];
  ItemAnalysis a;
  a.request = item.request;
  a.claims_administrator_basis = item.claims_administrator_basis;
  a.normalized = normalized[k];
  a.request_regions = e.extractor().regions_in(item.request);
  a.facts = e.extractor().item_facts(facts, c.clinical_summary, item.request, a.normalized);
  for (const auto& n : normalized) a.case_subcategories.push_back(n.subcategory);
  a.guideline = e.knowledge_base().match(item.request, a.normalized, a.request_regions);
  a.perioperative = a.guideline && e.knowledge_base().perioperative(*a.guideline, item.request);
  for (std::size_t i = 0; i < normalized.size(); ++i)
    if (i != k && normalized[i].subcategory == kOperationSubcategory) a.operation_in_dispute = true;
  if (a.perioperative && !a.operation_in_dispute && !a.facts.count("surgery_planned")) {
    // The services are disputed but the operation is not: utilization review let it through.
    Fact f;
    f.name = "surgery_planned";
    f.kind = FactKind::kBool;
    f.flag = true;
    f.evidence = "case file: the operation these services accompany is not in dispute";
    a.facts["surgery_planned"] = std::move(f);
  }
  if (a.guideline) {
    a.governing = KnowledgeBase::governing(*a.guideline, a.normalized.body_region, a.request_regions);
    a.criteria = evaluate(*a.guideline, a.facts);
  }
  if (index) {
    const std::string tid = a.guideline ? a.guideline->id : "";
    if (use.list_precedents)
      a.precedents = index->find(item.request, tid, a.normalized.subcategory, a.normalized.body_region, 5,
                                 use.exclude_letter_id);
    a.precedent_stats = index->stats(tid, a.normalized.subcategory, a.normalized.body_region, item.request,
                                     use.exclude_fold);
  }
  return a;
}

// Gives each perioperative item the rule estimate of the disputed operation it accompanies.
void link_perioperative(std::vector<ItemAnalysis>& items) {
  std::optional<double> op;
  for (const auto& a : items)
    if (is_operation(a)) {
      const double p = rule_estimate(a);
      op = op ? std::max(*op, p) : p;
    }
  if (!op) return;
  for (auto& a : items)
    if (a.perioperative && a.operation_in_dispute) a.operation_estimate = op;
}

}  // namespace

ItemAnalysis Engine::analyze(const CaseFile& c, const CaseFacts& facts, const CaseItem& item, const CorpusIndex* index,
                             std::int64_t exclude_letter_id) const {
  std::vector<corpus::NormalizedItem> normalized;
  std::size_t k = 0;
  for (std::size_t i = 0; i < c.items.size(); ++i) {
    if (&c.items[i] == &item) k = i;
    normalized.push_back(normalize(c.items[i].request));
  }
  if (k >= c.items.size() || &c.items[k] != &item) {
    // An item that is not one of the case's own: analysed as an extra item of the case.
    CaseFile extended = c;
    extended.items.push_back(item);
    normalized.push_back(normalize(item.request));
    IndexUse use;
    use.exclude_letter_id = exclude_letter_id;
    return analyze_one(*this, extended, facts, extended.items.size() - 1, normalized, index, use);
  }
  IndexUse use;
  use.exclude_letter_id = exclude_letter_id;
  // The whole case: a perioperative item's estimate depends on the operation's analysis.
  return std::move(analyze_case(c, facts, index, use)[k]);
}

std::vector<ItemAnalysis> Engine::analyze_case(const CaseFile& c, const CaseFacts& facts, const CorpusIndex* index,
                                               const IndexUse& use) const {
  std::vector<corpus::NormalizedItem> normalized;
  for (const auto& it : c.items) normalized.push_back(normalize(it.request));
  std::vector<ItemAnalysis> out;
  for (std::size_t k = 0; k < c.items.size(); ++k) out.push_back(analyze_one(*this, c, facts, k, normalized, index, use));
  link_perioperative(out);
  return out;
}

bool is_operation(const ItemAnalysis& a) {
  return a.normalized.subcategory == kOperationSubcategory && !a.perioperative;
}

double rule_estimate(const ItemAnalysis& a) {
  double p = 0.12;  // roughly the share of IMR items overturned
  if (a.guideline) {
    int met = 0, unmet = 0, unknown = 0;
    for (const auto& r : a.criteria) {
      met += r.outcome == Outcome::kMet;
      unmet += r.outcome == Outcome::kUnmet;
      unknown += r.outcome == Outcome::kUnknown;
    }
    switch (a.guideline->status) {
      case RecommendationStatus::kNotRecommended: p = 0.04; break;
      case RecommendationStatus::kUnderStudy: p = 0.06; break;
      case RecommendationStatus::kRecommended: p = unmet ? 0.10 : 0.45; break;
      case RecommendationStatus::kRecommendedWithCriteria:
        p = unmet ? 0.07 : (met > 0 && unknown == 0) ? 0.6 : met > unknown ? 0.3 : 0.15;
        break;
    }
  }
  // The corpus's own experience with requests like this one, as far as it goes (the smoothed rate
  // falls back to the treatment's and the corpus's rate when few items are alike).
  if (a.precedent_stats && a.precedent_stats->treatment_n > 0) p = 0.6 * p + 0.4 * a.precedent_stats->request_rate;
  if (a.operation_estimate) p = std::min(p, *a.operation_estimate);
  return p;
}

namespace {

std::string lower_first(std::string s) {
  if (s.size() > 1 && std::isupper(static_cast<unsigned char>(s[0])) && std::islower(static_cast<unsigned char>(s[1])))
    s[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
  return s;
}
std::string strip_period(std::string s) {
  while (!s.empty() && (s.back() == '.' || s.back() == ' ')) s.pop_back();
  return s;
}

std::string join_criteria(const ItemAnalysis& a, Outcome o) {
  std::string out;
  for (const auto& r : a.criteria)
    if (r.outcome == o) out += (out.empty() ? "" : "; ") + lower_first(strip_period(r.criterion->text));
  return out;
}

std::string guideline_phrase(const ItemAnalysis& a) {
  if (!a.governing) return "the applicable guidelines";
  const auto& g = *a.governing;
  std::string s = g.source == "MTUS" ? "the California MTUS " + g.title
                  : g.source == "ODG" ? "the Official Disability Guidelines (" + g.title + ")"
                                      : g.title;
  return s;
}

void replace_all(std::string& s, const std::string& from, const std::string& to) {
  for (std::size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size())) s.replace(p, from.size(), to);
}

}  // namespace

std::string draft_rationale(const ItemAnalysis& a, letter::Decision d) {
  const bool upheld = d == letter::Decision::kUpheld;
  const std::string unmet = join_criteria(a, Outcome::kUnmet), met = join_criteria(a, Outcome::kMet),
                    unknown = join_criteria(a, Outcome::kUnknown);
  const std::string conclusion = "Therefore, the request for " + a.request + " is " + (upheld ? "not " : "") +
                                 "medically necessary.";
  if (a.guideline) {
    const std::string& tmpl = upheld ? a.guideline->rationale_upheld : a.guideline->rationale_overturned;
    if (!tmpl.empty()) {
      std::string s = tmpl;
      replace_all(s, "{request}", a.request);
      replace_all(s, "{treatment}", a.guideline->name);
      replace_all(s, "{guideline}", guideline_phrase(a));
      replace_all(s, "{section}", a.governing ? a.governing->section : "");
      replace_all(s, "{unmet}", !unmet.empty() ? unmet : !unknown.empty() ? unknown : "the documentation the guideline requires");
      replace_all(s, "{met}", met.empty() ? "the guideline's criteria" : met);
      replace_all(s, "{unknown}", unknown);
      replace_all(s, "{status}", to_string(a.guideline->status));
      if (s.find("medically necessary") == std::string::npos) s += " " + conclusion;
      return s;
    }
  }
  std::ostringstream out;
  if (a.guideline) {
    const std::string g = guideline_phrase(a);
    const std::string sec = a.governing && !a.governing->section.empty() ? ", " + a.governing->section + "," : "";
    const std::string name = lower_first(a.guideline->name);
    switch (a.guideline->status) {
      case RecommendationStatus::kRecommended: out << g << sec << " recommend " << name << ". "; break;
      case RecommendationStatus::kRecommendedWithCriteria:
        out << g << sec << " recommend " << name << " when specific criteria are met. ";
        break;
      case RecommendationStatus::kNotRecommended: out << g << sec << " do not recommend " << name << ". "; break;
      case RecommendationStatus::kUnderStudy:
        out << g << sec << " consider " << name << " under study and do not recommend it for routine use. ";
        break;
    }
  } else {
    out << "The applicable guidelines support a treatment when the records document its indication and the "
           "expected functional benefit. ";
  }
  if (upheld) {
    if (!unmet.empty()) out << "In this case, the documentation does not establish the following: " << unmet << ". ";
    if (!unknown.empty()) out << "The records provided do not address " << unknown << ". ";
    if (unmet.empty() && unknown.empty() && a.guideline &&
        (a.guideline->status == RecommendationStatus::kNotRecommended ||
         a.guideline->status == RecommendationStatus::kUnderStudy))
      out << "There are no exceptional factors documented that would support an exception to the guidelines. ";
    if (unmet.empty() && unknown.empty() && !a.guideline)
      out << "The submitted records do not establish the medical necessity of this request. ";
  } else {
    if (!met.empty()) out << "In this case, the records document the following: " << met << ". ";
    else out << "In this case, the records support the request as consistent with the guidelines. ";
  }
  out << conclusion;
  return out.str();
}

CaseReview Engine::review(const CaseFile& c, const CorpusIndex* index, const OutcomeModel* model) const {
  CaseReview r;
  r.case_file = c;
  r.facts = extractor_.extract(c);
  for (auto& analysis : analyze_case(c, r.facts, index)) {
    ItemReview ir;
    ir.analysis = std::move(analysis);
    const ItemAnalysis& a = ir.analysis;
    if (model) {
      SparseFeatures f = item_features(c, a, /*with_names=*/true);
      ir.p_overturn = model->p_overturn(f);
      ir.reasons = model->reasons(f, 5);
      ir.from_model = true;
      ir.decision = ir.p_overturn >= model->decision_threshold() ? letter::Decision::kOverturned
                                                                 : letter::Decision::kUpheld;
    } else {
      ir.p_overturn = rule_estimate(a);
      ir.decision = ir.p_overturn >= 0.35 ? letter::Decision::kOverturned : letter::Decision::kUpheld;
      for (const auto& cr : a.criteria)
        if (cr.outcome != Outcome::kUnknown)
          ir.reasons.push_back({std::string("criterion ") + to_string(cr.outcome) + ": " + cr.criterion->id,
                                cr.outcome == Outcome::kMet ? 0.5 : -0.5});
      if (a.guideline) ir.reasons.push_back({std::string("guideline status: ") + to_string(a.guideline->status), 0});
    }
    if (a.guideline) {
      std::vector<const GuidelineCitation*> order;
      if (a.governing) order.push_back(a.governing);
      for (const auto& g : a.guideline->governing)
        if (&g != a.governing) order.push_back(&g);
      for (const auto* g : order) {
        letter::Citation cit;
        cit.source = g->source;
        cit.title = g->title;
        if (!g->section.empty()) cit.sections.push_back(g->section);
        if (!g->pages.empty()) cit.pages.push_back(g->pages);
        ir.citations.push_back(std::move(cit));
      }
    } else if (!a.precedents.top.empty()) {
      // No knowledge-base file: the guideline the closest precedents' reviewers cited.
      for (const auto& p : a.precedents.top)
        if (p.item->cited_key == a.precedents.cited_key && !p.item->cited_key.empty()) {
          letter::Citation cit;
          auto slash = p.item->cited_key.find('/');
          cit.source = p.item->cited_key.substr(0, slash);
          cit.title = slash == std::string::npos ? p.item->cited_key : p.item->cited_key.substr(slash + 1);
          ir.citations.push_back(std::move(cit));
          break;
        }
    }
    ir.rationale = draft_rationale(a, ir.decision);
    r.items.push_back(std::move(ir));
  }
  return r;
}

namespace {

using ojson = nlohmann::ordered_json;

ojson fact_json(const Fact& f) {
  ojson j;
  j["fact"] = f.name;
  if (f.kind == FactKind::kBool) j["value"] = f.flag;
  else if (f.kind == FactKind::kNumber) j["value"] = f.number;
  else j["value"] = f.text;
  if (!f.span.empty()) j["span"] = {f.span.begin, f.span.end};
  j["evidence"] = f.evidence;
  return j;
}

std::string value_text(const Fact& f) {
  if (f.kind == FactKind::kBool) return f.flag ? "yes" : "no";
  if (f.kind == FactKind::kNumber) {
    std::ostringstream s;
    s << f.number;
    return s.str();
  }
  return f.text;
}

}  // namespace

std::string review_to_json(const CaseReview& r) {
  ojson j;
  ojson facts = ojson::array();
  for (const auto& [name, f] : r.facts.facts) facts.push_back(fact_json(f));
  j["facts"] = facts;
  j["diagnoses"] = r.facts.diagnoses;
  j["regions"] = r.facts.regions;
  ojson meds = ojson::array();
  for (const auto& m : r.facts.medications) {
    ojson x;
    x["name"] = m.name;
    x["class"] = m.drug_class;
    x["dose_mg"] = m.dose_mg ? ojson(*m.dose_mg) : ojson(nullptr);
    x["frequency"] = m.frequency ? ojson(*m.frequency) : ojson(nullptr);
    x["morphine_equivalent_mg"] = m.morphine_equivalent_mg ? ojson(*m.morphine_equivalent_mg) : ojson(nullptr);
    x["span"] = {m.span.begin, m.span.end};
    meds.push_back(x);
  }
  j["medications"] = meds;
  ojson treats = ojson::array();
  for (const auto& t : r.facts.treatments) {
    ojson x;
    x["type"] = t.type;
    x["count"] = t.count ? ojson(*t.count) : ojson(nullptr);
    x["span"] = {t.span.begin, t.span.end};
    treats.push_back(x);
  }
  j["treatments_to_date"] = treats;
  ojson imaging = ojson::array();
  for (const auto& im : r.facts.imaging) imaging.push_back({{"modality", im.modality}, {"region", im.region}, {"span", {im.span.begin, im.span.end}}});
  j["imaging"] = imaging;
  ojson items = ojson::array();
  for (const auto& it : r.items) {
    const auto& a = it.analysis;
    ojson x;
    x["request"] = a.request;
    x["decision"] = letter::to_string(it.decision);
    x["p_overturn"] = std::round(it.p_overturn * 1000) / 1000;
    x["from_model"] = it.from_model;
    ojson cits = ojson::array();
    for (std::size_t i = 0; i < it.citations.size(); ++i) {
      const auto& c = it.citations[i];
      ojson cj;
      cj["source"] = c.source;
      cj["title"] = c.title;
      cj["sections"] = c.sections;
      cj["pages"] = c.pages;
      cj["governing"] = i == 0;
      if (a.guideline && i == 0 && a.governing) cj["catalog_key"] = a.governing->catalog_key;
      cits.push_back(cj);
    }
    x["citations"] = cits;
    ojson crits = ojson::array();
    for (const auto& cr : a.criteria) {
      ojson cj;
      cj["id"] = cr.criterion->id;
      cj["text"] = cr.criterion->text;
      cj["section"] = cr.criterion->section;
      cj["outcome"] = to_string(cr.outcome);
      ojson ev = ojson::array();
      for (const auto& f : cr.evidence) ev.push_back(fact_json(f));
      cj["evidence"] = ev;
      crits.push_back(cj);
    }
    x["criteria"] = crits;
    x["rationale"] = it.rationale;
    if (a.guideline)
      x["treatment"] = {{"id", a.guideline->id}, {"name", a.guideline->name}, {"status", to_string(a.guideline->status)}};
    else
      x["treatment"] = nullptr;
    x["normalized"] = {{"category", a.normalized.category}, {"subcategory", a.normalized.subcategory},
                       {"body_region", a.normalized.body_region}};
    ojson item_facts = ojson::array();
    for (const auto& [name, f] : a.facts) {
      const FactSpec* s = find_fact_spec(name);
      if (s && s->item_level) item_facts.push_back(fact_json(f));
    }
    x["item_facts"] = item_facts;
    ojson precs = ojson::array();
    for (const auto& p : a.precedents.top) {
      ojson pj;
      pj["letter"] = p.item->letter_key;
      pj["item"] = p.item->item;
      pj["request"] = p.item->request;
      pj["decision"] = letter::to_string(p.item->decision);
      pj["similarity"] = std::round(p.similarity * 1000) / 1000;
      pj["guideline"] = p.item->cited_key;
      pj["reasons"] = p.item->reasons;
      precs.push_back(pj);
    }
    x["precedents"] = precs;
    x["precedent_uphold_rate"] = a.precedents.close ? ojson(std::round(a.precedents.uphold_rate * 1000) / 1000) : ojson(nullptr);
    ojson reasons = ojson::array();
    for (const auto& re : it.reasons) reasons.push_back({{"feature", re.feature}, {"weight", std::round(re.weight * 1000) / 1000}});
    x["reasons"] = reasons;
    items.push_back(x);
  }
  j["items"] = items;
  return j.dump(2, ' ', false, ojson::error_handler_t::replace);
}

std::string review_to_text(const CaseReview& r) {
  std::ostringstream o;
  o << "Facts from the clinical summary:\n";
  for (const auto& [name, f] : r.facts.facts) {
    o << "  " << name << " = " << value_text(f);
    if (!f.span.empty()) o << "  [" << f.span.begin << "," << f.span.end << ") \"" << f.evidence << "\"";
    else if (!f.evidence.empty()) o << "  (" << f.evidence << ")";
    o << "\n";
  }
  if (!r.facts.medications.empty()) {
    o << "  medications:";
    for (const auto& m : r.facts.medications) {
      o << " " << m.name;
      if (m.dose_mg) o << " " << *m.dose_mg << "mg";
      if (m.morphine_equivalent_mg) o << " (MED " << *m.morphine_equivalent_mg << ")";
      o << ";";
    }
    o << "\n";
  }
  if (!r.facts.treatments.empty()) {
    o << "  treatments to date:";
    for (const auto& t : r.facts.treatments) o << " " << t.type << (t.count ? " x" + std::to_string(*t.count) : "") << ";";
    o << "\n";
  }
  int n = 0;
  for (const auto& it : r.items) {
    const auto& a = it.analysis;
    o << "\nItem " << ++n << ": " << a.request << "\n";
    o << "  suggested: " << (it.decision == letter::Decision::kUpheld ? "UPHELD" : "OVERTURNED") << "  p(overturn) = "
      << std::round(it.p_overturn * 1000) / 1000 << (it.from_model ? " (model)" : " (guideline rule)") << "\n";
    o << "  treatment: " << (a.guideline ? a.guideline->id + " — " + a.guideline->name + " (" + to_string(a.guideline->status) + ")" : "(no guideline file matches)")
      << "  [" << a.normalized.subcategory << ", " << a.normalized.body_region << "]\n";
    for (std::size_t i = 0; i < it.citations.size(); ++i) {
      const auto& c = it.citations[i];
      o << "  " << (i == 0 ? "governing: " : "also:      ") << c.source << " " << c.title;
      for (const auto& s : c.sections) o << ", " << s;
      for (const auto& p : c.pages) o << ", pp. " << p;
      o << "\n";
    }
    for (const auto& cr : a.criteria) {
      o << "  [" << to_string(cr.outcome) << "] " << cr.criterion->text << "\n";
      for (const auto& f : cr.evidence) {
        o << "      " << f.name << " = " << value_text(f);
        if (!f.span.empty()) o << "  [" << f.span.begin << "," << f.span.end << ") \"" << f.evidence << "\"";
        o << "\n";
      }
    }
    if (!a.precedents.top.empty()) {
      o << "  precedents (uphold rate " << std::round(a.precedents.uphold_rate * 100) << "% of " << a.precedents.close
        << " close):\n";
      for (const auto& p : a.precedents.top)
        o << "    " << p.item->letter_key << " #" << p.item->item + 1 << " " << letter::to_string(p.item->decision)
          << "  " << p.item->request << "  (" << (p.item->cited_key.empty() ? "no citation" : p.item->cited_key)
          << ", sim " << std::round(p.similarity * 100) / 100 << ")\n";
    }
    if (!it.reasons.empty()) {
      o << "  main reasons:";
      for (const auto& re : it.reasons) o << " " << re.feature << " (" << (re.weight >= 0 ? "+" : "") << std::round(re.weight * 100) / 100 << ");";
      o << "\n";
    }
    o << "  draft rationale: " << it.rationale << "\n";
  }
  return o.str();
}

letter::Letter review_to_letter(const CaseReview& r) {
  letter::Letter l;
  l.source = "draft";
  l.template_name = "dwc-2016";
  l.patient.age = r.case_file.age;
  l.patient.sex = r.case_file.sex;
  l.date_of_injury = r.case_file.date_of_injury;
  l.decision_date = r.case_file.review_date;
  l.priority = r.case_file.priority;
  l.clinical_summary = r.case_file.clinical_summary;
  for (std::size_t i = 0; i < r.items.size(); ++i) {
    const auto& it = r.items[i];
    letter::DisputedItem d;
    d.request = it.analysis.request;
    d.decision = it.decision;
    if (i < r.case_file.items.size() && r.case_file.items[i].claims_administrator_basis)
      d.claims_administrator_basis = letter::GuidelineBasis{*r.case_file.items[i].claims_administrator_basis, {}};
    letter::GuidelineBasis basis;
    for (const auto& c : it.citations) {
      std::string s = c.source == "MTUS" ? "Decision based on MTUS " + c.title : "Decision based on Non-MTUS Citation " + c.title;
      if (!c.sections.empty()) s += (c.source == "MTUS" ? ", Section(s): " : ", ") + c.sections.front();
      basis.text += (basis.text.empty() ? "" : " ") + s + ".";
    }
    basis.citations = it.citations;
    if (!basis.text.empty()) d.reviewer_basis = basis;
    d.rationale = it.rationale;
    l.items.push_back(std::move(d));
  }
  return l;
}

}  // namespace imr::review
