// Audit: conclusion patterns are data (data/review/audit.tsv); the rest reuses the engine.
#include "imr/review/audit.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <re2/re2.h>
#include <sstream>

#include "imr/base/data.h"
#include "imr/base/text.h"
#include "tsv.h"

namespace imr::review {

namespace {

// End of the last match of `re` in t whose text passes `keep`; npos when none.
template <typename Keep>
std::size_t last_match_end(const std::string& t, const RE2& re, Keep keep) {
  re2::StringPiece all(t), m;
  std::size_t pos = 0, last = std::string::npos;
  while (pos < t.size() && re.Match(all, pos, t.size(), RE2::UNANCHORED, &m, 1)) {
    std::size_t b = m.data() - t.data();
    pos = b + std::max<std::size_t>(m.size(), 1);
    if (keep(std::string_view(m.data(), m.size()))) last = pos;
  }
  return last;
}

bool has_word_not(std::string_view s) {
  std::string l = text::to_lower(s);
  return l.find(" not ") != std::string::npos || l.rfind("not ", 0) == 0 || l.find("n't") != std::string::npos;
}

// Sentences of a rationale that speak of the case rather than quote the guideline.
std::string case_sentences(const std::string& t) {
  static const RE2 cue(R"((?i)\b(?:in this case|this (?:patient|worker|claimant)|the (?:injured worker|patient|claimant|employee)|(?:he|she) (?:has|had|is|was|reports|reported))\b)");
  std::string out;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= t.size(); ++i) {
    if (i < t.size() && !(t[i] == '.' && (i + 1 == t.size() || t[i + 1] == ' '))) continue;
    std::string s = t.substr(start, i - start);
    start = i + 1;
    if (RE2::PartialMatch(s, cue)) out += s + ". ";
  }
  return out;
}

}  // namespace

Result<AuditReport> audit(const Engine& engine, const std::vector<corpus::StoredLetter>& letters, int max_examples,
                          const std::string& data_dir_in) {
  const std::string file = (data_dir_in.empty() ? data_dir() : data_dir_in) + "/review/audit.tsv";
  auto rows = read_tsv(file, 2);
  if (!rows.ok()) return rows.status();
  std::string up, over;
  for (const auto& r : *rows) {
    std::string where = file + ":" + std::to_string(r.line);
    auto check = compile_icase(r.fields[1], where);
    if (!check.ok()) return check.status();
    if (r.fields[0] == "upheld") up += (up.empty() ? "" : "|") + std::string("(?:") + r.fields[1] + ")";
    else if (r.fields[0] == "overturned") over += (over.empty() ? "" : "|") + std::string("(?:") + r.fields[1] + ")";
    else return invalid_argument(where + ": kind must be upheld or overturned");
  }
  auto up_re = compile_icase(up.empty() ? "$^" : up, file);
  auto over_re = compile_icase(over.empty() ? "$^" : over, file);
  if (!up_re.ok()) return up_re.status();
  if (!over_re.ok()) return over_re.status();

  AuditReport rep;
  rep.findings = {
      {"decision-contradicts-rationale", "the decision word and the rationale's conclusion disagree", 0, {}},
      {"no-guideline-cited", "the reviewer's basis cites no guideline", 0, {}},
      {"not-governing-guideline", "the reviewer cites none of the treatment's governing guidelines", 0, {}},
      {"fact-absent-from-summary", "the rationale asserts a fact of the case that the clinical summary does not mention", 0, {}},
  };
  auto note = [&](int k, const corpus::StoredLetter& sl, int item, std::string detail) {
    auto& f = rep.findings[k];
    ++f.count;
    if (static_cast<int>(f.examples.size()) < max_examples)
      f.examples.push_back({sl.letter.case_number.value_or(sl.key), item, sl.letter.items[item].request, std::move(detail)});
  };
  rep.letters = static_cast<int>(letters.size());
  for (const auto& sl : letters) {
    CaseFile c = case_from_letter(sl.letter);
    CaseFacts facts = engine.extractor().extract(c);
    // Facts the summary mentions at all (either way).
    for (std::size_t i = 0; i < sl.letter.items.size(); ++i) {
      ++rep.items;
      const auto& it = sl.letter.items[i];
      const int idx = static_cast<int>(i);
      if (it.rationale) {
        const std::string& t = *it.rationale;
        std::size_t up_end = last_match_end(t, **up_re, [](std::string_view) { return true; });
        std::size_t over_end = last_match_end(t, **over_re, [](std::string_view s) { return !has_word_not(s); });
        std::optional<letter::Decision> concl;
        if (up_end != std::string::npos && (over_end == std::string::npos || up_end >= over_end)) concl = letter::Decision::kUpheld;
        else if (over_end != std::string::npos) concl = letter::Decision::kOverturned;
        if (concl && *concl != it.decision)
          note(0, sl, idx, std::string("decision ") + letter::to_string(it.decision) + ", rationale concludes " +
                               (*concl == letter::Decision::kUpheld ? "not medically necessary" : "medically necessary"));
        std::string cs = case_sentences(t);
        for (const auto& name : engine.extractor().facts_mentioned(cs))
          if (!facts.facts.count(name)) note(3, sl, idx, "rationale asserts " + name + "; the summary does not mention it");
      }
      const bool cites = it.reviewer_basis && !it.reviewer_basis->citations.empty();
      if (!cites) {
        note(1, sl, idx, it.reviewer_basis ? "basis: " + it.reviewer_basis->text.substr(0, 160) : "no reviewer basis paragraph");
        continue;
      }
      CaseItem ci{it.request, std::nullopt};
      ItemAnalysis a = engine.analyze(c, facts, ci, nullptr);
      if (a.guideline && i < sl.items.size()) {
        const auto& cited = sl.items[i].reviewer_catalog;
        bool governing = std::any_of(a.guideline->governing.begin(), a.guideline->governing.end(), [&](const GuidelineCitation& g) {
          return std::any_of(cited.begin(), cited.end(), [&](const corpus::CatalogCitation& cc) { return text::iequals(cc.key, g.catalog_key); });
        });
        if (!governing)
          note(2, sl, idx, "cites " + (cited.empty() ? std::string("?") : cited.front().key) + "; " + a.guideline->id +
                               " is governed by " + (a.governing ? a.governing->catalog_key : std::string("?")));
      }
    }
  }
  return rep;
}

std::string audit_to_json(const AuditReport& r) {
  nlohmann::ordered_json j;
  j["letters"] = r.letters;
  j["items"] = r.items;
  j["findings"] = nlohmann::ordered_json::array();
  for (const auto& f : r.findings) {
    nlohmann::ordered_json fj;
    fj["kind"] = f.kind;
    fj["description"] = f.description;
    fj["count"] = f.count;
    fj["examples"] = nlohmann::ordered_json::array();
    for (const auto& e : f.examples)
      fj["examples"].push_back({{"letter", e.letter_key}, {"item", e.item}, {"request", e.request}, {"detail", e.detail}});
    j["findings"].push_back(fj);
  }
  return j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

std::string audit_to_text(const AuditReport& r) {
  std::ostringstream o;
  o << r.letters << " letters, " << r.items << " items\n";
  for (const auto& f : r.findings) {
    o << "\n" << f.kind << ": " << f.count << "  (" << f.description << ")\n";
    for (const auto& e : f.examples)
      o << "  " << e.letter_key << " item " << e.item + 1 << ": " << e.request << "\n    " << e.detail << "\n";
  }
  return o.str();
}

}  // namespace imr::review
