// Fact extraction: the data files say how summaries phrase a fact; this file applies them with
// RE2, resolves conflicting mentions and derives the facts that need arithmetic (months since
// injury, morphine equivalents, session totals).
#include "imr/review/facts.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <re2/re2.h>
#include <re2/set.h>

#include "imr/base/data.h"
#include "imr/base/text.h"
#include "tsv.h"

namespace imr::review {

const std::vector<FactSpec>& fact_vocabulary() {
  static const std::vector<FactSpec> v = {
      {"age", FactKind::kNumber, false},
      {"sex", FactKind::kText, false},
      {"months_since_injury", FactKind::kNumber, false},
      {"red_flags", FactKind::kBool, false, false, true},
      {"neurological_deficit", FactKind::kBool, false},
      {"radiculopathy", FactKind::kBool, false},
      {"functional_improvement", FactKind::kBool, false},
      {"pain_score", FactKind::kNumber, false},
      {"pain_relief_documented", FactKind::kBool, false},
      {"side_effects", FactKind::kBool, false},
      {"aberrant_behavior", FactKind::kBool, false},
      {"drug_screen_done", FactKind::kBool, false},
      {"imaging_done", FactKind::kBool, false},
      {"return_to_work", FactKind::kBool, false},
      {"failed_conservative_care", FactKind::kBool, false},
      {"surgery_done", FactKind::kBool, false},
      {"surgery_planned", FactKind::kBool, false},
      {"psychological_evaluation_done", FactKind::kBool, false},
      {"home_bound", FactKind::kBool, false},
      {"structural_joint_signs", FactKind::kBool, false, true},
      {"morphine_equivalent_mg", FactKind::kNumber, false},
      {"injection_relief_percent", FactKind::kNumber, false},
      {"injection_relief_weeks", FactKind::kNumber, false},
      {"prior_injection", FactKind::kBool, false},
      {"depression_or_anxiety", FactKind::kBool, false},
      {"insomnia", FactKind::kBool, false},
      {"gi_risk", FactKind::kBool, false},
      {"nsaid_use", FactKind::kBool, false},
      {"prior_sessions", FactKind::kNumber, true},
      {"requested_sessions", FactKind::kNumber, true},
      {"total_sessions", FactKind::kNumber, true},
      {"requested_quantity", FactKind::kNumber, true},
      {"long_term_use", FactKind::kBool, true},
      {"retrospective", FactKind::kBool, true},
      {"same_treatment_before", FactKind::kBool, true},
  };
  return v;
}

const FactSpec* find_fact_spec(const std::string& name) {
  for (const auto& s : fact_vocabulary())
    if (name == s.name) return &s;
  return nullptr;
}

namespace {

using RE = std::shared_ptr<RE2>;

struct PatternRule {
  std::string fact;
  char kind;  // '+', '-', '#'
  RE re;
};
struct TypedRule {
  std::string type;
  RE re;
};
struct DrugRule {
  std::string name;
  std::string drug_class;
  std::optional<double> mme_per_mg;
  std::optional<double> default_doses;
  RE whole;  // ^(?:name)$ to identify a candidate match
};

std::string_view sv_of(const re2::StringPiece& p) { return std::string_view(p.data(), p.size()); }

Fact make_bool(const std::string& name, bool v, const std::string& text, std::size_t b, std::size_t e) {
  Fact f;
  f.name = name;
  f.kind = FactKind::kBool;
  f.flag = v;
  f.span = {b, e};
  f.evidence = text.substr(b, e - b);
  return f;
}
Fact make_number(const std::string& name, double v, const std::string& text, std::size_t b, std::size_t e,
                 std::string note = "") {
  Fact f;
  f.name = name;
  f.kind = FactKind::kNumber;
  f.number = v;
  f.span = {b, e};
  f.evidence = note.empty() ? text.substr(b, e - b) : note;
  return f;
}

// English number words up to thirty, as summaries write small counts ("six sessions").
std::optional<int> parse_count(std::string_view w) {
  if (w.empty()) return std::nullopt;
  if (std::isdigit(static_cast<unsigned char>(w[0]))) return std::atoi(std::string(w).c_str());
  static const char* words[] = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                                "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
                                "eighteen", "nineteen", "twenty"};
  std::string l = text::to_lower(w);
  for (int i = 0; i <= 20; ++i)
    if (l == words[i]) return i;
  if (l == "thirty") return 30;
  if (l == "several" || l == "multiple") return std::nullopt;
  return std::nullopt;
}

// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
long days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097L + static_cast<long>(doe) - 719468L;
}

std::optional<long> parse_date_days(std::string_view s) {
  static const RE2 iso(R"((\d{4})-(\d{1,2})-(\d{1,2}))");
  static const RE2 us(R"((\d{1,2})[-/](\d{1,2})[-/](\d{4}|\d{2}))");
  int y = 0, m = 0, d = 0;
  std::string ys;
  re2::StringPiece in(s.data(), s.size());
  if (RE2::PartialMatch(in, iso, &y, &m, &d)) {
  } else if (RE2::PartialMatch(in, us, &m, &d, &ys)) {
    y = std::atoi(ys.c_str());
    if (ys.size() == 2) y += y < 50 ? 2000 : 1900;
  } else {
    return std::nullopt;
  }
  if (m < 1 || m > 12 || d < 1 || d > 31 || y < 1950 || y > 2100) return std::nullopt;
  return days_from_civil(y, m, d);
}

// A match that stops inside a word ("chiropract" of "chiropractic") is extended to the word's end,
// so that evidence reads whole and a count written after the word is found.
std::size_t word_end(const std::string& t, std::size_t e) {
  while (e < t.size() && e > 0 && std::isalnum(static_cast<unsigned char>(t[e - 1])) &&
         std::isalnum(static_cast<unsigned char>(t[e])))
    ++e;
  return e;
}

bool is_clause_boundary(char c) { return c == '.' || c == ';' || c == ':' || c == '\n'; }

// The sentence [b, e) that contains position p.
std::pair<std::size_t, std::size_t> sentence_at(const std::string& t, std::size_t p) {
  std::size_t b = p;
  while (b > 0 && !(t[b - 1] == '.' && (b >= t.size() || t[b] == ' ' || t[b] == '\n'))) --b;
  std::size_t e = p;
  while (e < t.size() && !(t[e] == '.' && (e + 1 >= t.size() || t[e + 1] == ' ' || t[e + 1] == '\n'))) ++e;
  return {b, e};
}

// One pass over a text telling which of a list of rules can match anywhere in it (RE2::Set: one
// DFA for the union), so that the per-rule scans run only for those. Exact: a rule the set rules
// out has no match. When the set cannot be built or runs out of DFA memory every rule is tried.
class RuleFilter {
 public:
  void build(const std::vector<const RE2*>& rules) {
    n_ = rules.size();
    if (rules.empty()) return;
    RE2::Options opts = rules.front()->options();
    opts.set_max_mem(64 << 20);
    auto set = std::make_unique<RE2::Set>(opts, RE2::UNANCHORED);
    for (const RE2* r : rules) {
      if (r->options().case_sensitive() != opts.case_sensitive() || set->Add(r->pattern(), nullptr) < 0) return;
    }
    if (set->Compile()) set_ = std::move(set);
  }
  std::vector<char> which(const std::string& t) const {
    std::vector<char> out(n_, 1);
    if (!set_) return out;
    std::vector<int> hits;
    RE2::Set::ErrorInfo err{};
    if (!set_->Match(t, &hits, &err) && err.kind != RE2::Set::kNoError) return out;
    std::fill(out.begin(), out.end(), 0);
    for (int h : hits) out[static_cast<std::size_t>(h)] = 1;
    return out;
  }

 private:
  std::size_t n_ = 0;
  std::unique_ptr<RE2::Set> set_;
};

}  // namespace

struct FactExtractor::Rules {
  RuleFilter pattern_filter, treatment_filter, imaging_filter;
  std::unique_ptr<RE2::Set> drug_set;  // every drug's name pattern, anchored at both ends, in file order
  std::vector<PatternRule> patterns;
  RE negation;
  std::vector<TypedRule> treatments;
  std::vector<RE> count_after, count_before;
  RE planned;
  RE history;  // a sentence listing the treatments given to date
  std::vector<TypedRule> imaging;
  std::vector<TypedRule> regions;  // type = region name ("none" rules consume without a region)
  std::vector<DrugRule> drugs;
  RE any_drug;

  bool negated(const std::string& t, std::size_t b) const {
    std::size_t start = b > 60 ? b - 60 : 0;
    std::size_t cut = start;
    for (std::size_t i = start; i < b; ++i)
      if (is_clause_boundary(t[i])) cut = i + 1;
    std::string_view window(t.data() + cut, b - cut);
    auto but = window.rfind(" but ");
    if (but != std::string_view::npos) window = window.substr(but + 5);
    return RE2::PartialMatch(re2::StringPiece(window.data(), window.size()), *negation);
  }
  bool planned_at(const std::string& t, std::size_t p) const {
    auto [b, e] = sentence_at(t, p);
    return RE2::PartialMatch(re2::StringPiece(t.data() + b, e - b), *planned);
  }
};

FactExtractor::FactExtractor(Rules* r) : rules_(r) {}
FactExtractor::FactExtractor(FactExtractor&& o) noexcept : rules_(o.rules_) { o.rules_ = nullptr; }
FactExtractor& FactExtractor::operator=(FactExtractor&& o) noexcept {
  std::swap(rules_, o.rules_);
  return *this;
}
FactExtractor::~FactExtractor() { delete rules_; }

Result<FactExtractor> FactExtractor::load(const std::string& dir_in) {
  const std::string dir = dir_in.empty() ? data_dir() : dir_in;
  auto rules = std::make_unique<Rules>();
  const std::string f_patterns = dir + "/review/facts/patterns.tsv";
  auto rows = read_tsv(f_patterns, 3);
  if (!rows.ok()) return rows.status();
  for (const auto& r : *rows) {
    std::string where = f_patterns + ":" + std::to_string(r.line);
    const FactSpec* spec = find_fact_spec(r.fields[0]);
    if (!spec || spec->item_level) return invalid_argument(where + ": unknown case-level fact \"" + r.fields[0] + "\"");
    if (r.fields[1] != "+" && r.fields[1] != "-" && r.fields[1] != "#")
      return invalid_argument(where + ": kind must be +, - or #");
    char kind = r.fields[1][0];
    if ((kind == '#') != (spec->kind == FactKind::kNumber))
      return invalid_argument(where + ": kind " + r.fields[1] + " does not fit fact " + r.fields[0]);
    auto re = compile_icase(r.fields[2], where);
    if (!re.ok()) return re.status();
    if (kind == '#' && (*re)->NumberOfCapturingGroups() < 1) return invalid_argument(where + ": # rule needs a capture group");
    rules->patterns.push_back({r.fields[0], kind, *re});
  }
  {
    const std::string f = dir + "/review/facts/negation.tsv";
    auto nrows = read_tsv(f, 1);
    if (!nrows.ok()) return nrows.status();
    std::string alt;
    for (const auto& r : *nrows) {
      auto check = compile_icase(r.fields[0], f + ":" + std::to_string(r.line));
      if (!check.ok()) return check.status();
      alt += (alt.empty() ? "" : "|") + std::string("(?:") + r.fields[0] + ")";
    }
    auto re = compile_icase(alt.empty() ? "$^" : alt, f);
    if (!re.ok()) return re.status();
    rules->negation = *re;
  }
  auto typed = [&](const std::string& f, std::vector<TypedRule>& out) -> Status {
    auto trows = read_tsv(f, 2);
    if (!trows.ok()) return trows.status();
    for (const auto& r : *trows) {
      auto re = compile_icase(r.fields[1], f + ":" + std::to_string(r.line));
      if (!re.ok()) return re.status();
      out.push_back({r.fields[0], *re});
    }
    return {};
  };
  IMR_RETURN_IF_ERROR(typed(dir + "/review/facts/treatments.tsv", rules->treatments));
  IMR_RETURN_IF_ERROR(typed(dir + "/review/facts/imaging.tsv", rules->imaging));
  IMR_RETURN_IF_ERROR(typed(dir + "/normalize/regions.tsv", rules->regions));
  {
    const std::string f = dir + "/review/facts/count.tsv";
    auto crows = read_tsv(f, 2);
    if (!crows.ok()) return crows.status();
    std::string planned, history;
    for (const auto& r : *crows) {
      std::string where = f + ":" + std::to_string(r.line);
      if (r.fields[0] == "planned" || r.fields[0] == "history") {
        std::string& into = r.fields[0] == "planned" ? planned : history;
        into += (into.empty() ? "" : "|") + std::string("(?:") + r.fields[1] + ")";
        continue;
      }
      // count_before patterns must match at the end of the text before a mention.
      auto re = compile_icase(r.fields[1], where);
      if (!re.ok()) return re.status();
      if ((*re)->NumberOfCapturingGroups() < 1) return invalid_argument(where + ": needs a capture group");
      if (r.fields[0] == "count_after") rules->count_after.push_back(*re);
      else if (r.fields[0] == "count_before") rules->count_before.push_back(*re);
      else return invalid_argument(where + ": kind must be count_after, count_before, planned or history");
    }
    auto re = compile_icase(planned.empty() ? "$^" : planned, f);
    if (!re.ok()) return re.status();
    rules->planned = *re;
    re = compile_icase(history.empty() ? "$^" : history, f);
    if (!re.ok()) return re.status();
    rules->history = *re;
  }
  {
    const std::string f = dir + "/review/facts/drugs.tsv";
    auto drows = read_tsv(f, 4);
    if (!drows.ok()) return drows.status();
    std::string alt;
    for (const auto& r : *drows) {
      std::string where = f + ":" + std::to_string(r.line);
      DrugRule d;
      d.name = r.fields[0];
      d.drug_class = r.fields[1];
      if (r.fields[2] != "-") d.mme_per_mg = std::atof(r.fields[2].c_str());
      if (r.fields[3] != "-") d.default_doses = std::atof(r.fields[3].c_str());
      auto re = compile_icase("^(?:" + d.name + ")$", where);
      if (!re.ok()) return re.status();
      d.whole = *re;
      alt += (alt.empty() ? "" : "|") + std::string("(?:") + d.name + ")";
      rules->drugs.push_back(std::move(d));
    }
    auto re = compile_icase("\\b(" + (alt.empty() ? std::string("$^") : alt) + ")\\b", f);
    if (!re.ok()) return re.status();
    rules->any_drug = *re;
  }
  auto raw = [](const auto& v) {
    std::vector<const RE2*> out;
    for (const auto& r : v) out.push_back(r.re.get());
    return out;
  };
  rules->pattern_filter.build(raw(rules->patterns));
  rules->treatment_filter.build(raw(rules->treatments));
  rules->imaging_filter.build(raw(rules->imaging));
  {
    RE2::Options opts;
    opts.set_case_sensitive(false);
    opts.set_log_errors(false);
    opts.set_max_mem(64 << 20);
    auto set = std::make_unique<RE2::Set>(opts, RE2::ANCHOR_BOTH);
    bool ok = true;
    for (const auto& d : rules->drugs) ok = ok && set->Add("(?:" + d.name + ")", nullptr) >= 0;
    if (ok && !rules->drugs.empty() && set->Compile()) rules->drug_set = std::move(set);
  }
  return FactExtractor(rules.release());
}

std::vector<std::string> FactExtractor::regions_in(const std::string& t) const {
  // Left to right; at each position the first rule of regions.tsv matching there wins (the
  // normaliser's convention), "none" rules consume their text without naming a region.
  std::vector<std::pair<std::size_t, std::string>> found;
  // Each rule's next match from the current position, kept while it lies ahead: a rule is
  // searched again only when the position passes its match (RE2 sees the whole text as context,
  // so the leftmost match from p is the kept one when it starts at or after p).
  const std::size_t kNone = std::string::npos;
  std::vector<std::pair<std::size_t, std::size_t>> next(rules_->regions.size(), {0, 0});
  std::vector<char> searched(rules_->regions.size(), 0);
  for (std::size_t p = 0; p < t.size();) {
    std::size_t best_b = std::string::npos, best_e = 0;
    const std::string* best_region = nullptr;
    for (std::size_t k = 0; k < rules_->regions.size(); ++k) {
      const auto& r = rules_->regions[k];
      auto& [nb, ne] = next[k];
      if (!searched[k] || (nb != kNone && nb < p)) {
        re2::StringPiece m;
        re2::StringPiece in(t);
        searched[k] = 1;
        if (r.re->Match(in, p, t.size(), RE2::UNANCHORED, &m, 1)) {
          nb = m.data() - t.data();
          ne = nb + std::max<std::size_t>(m.size(), 1);
        } else {
          nb = kNone;
        }
      }
      if (nb != kNone && nb < best_b) {
        best_b = nb;
        best_e = ne;
        best_region = &r.type;
      }
    }
    if (!best_region) break;
    if (*best_region != "none") found.emplace_back(best_b, *best_region);
    p = best_e;
  }
  std::vector<std::string> out;
  for (auto& [pos, r] : found)
    if (std::find(out.begin(), out.end(), r) == out.end()) out.push_back(r);
  return out;
}

std::vector<std::string> FactExtractor::facts_mentioned(const std::string& t) const {
  std::vector<std::string> out;
  re2::StringPiece all(t);
  for (const auto& r : rules_->patterns) {
    if (r.kind != '+' || std::find(out.begin(), out.end(), r.fact) != out.end()) continue;
    re2::StringPiece m;
    std::size_t pos = 0;
    while (pos < t.size() && r.re->Match(all, pos, t.size(), RE2::UNANCHORED, &m, 1)) {
      std::size_t b = m.data() - t.data();
      pos = b + std::max<std::size_t>(m.size(), 1);
      if (!rules_->negated(t, b)) {
        out.push_back(r.fact);
        break;
      }
    }
  }
  return out;
}

CaseFacts FactExtractor::extract(const CaseFile& c) const {
  CaseFacts out;
  const std::string& t = c.clinical_summary;
  re2::StringPiece all(t);

  // Pattern facts.
  const std::vector<char> may_match = rules_->pattern_filter.which(t);
  for (std::size_t k = 0; k < rules_->patterns.size(); ++k) {
    if (!may_match[k]) continue;
    const auto& r = rules_->patterns[k];
    re2::StringPiece m[3];
    std::size_t pos = 0;
    int groups = std::min(2, r.re->NumberOfCapturingGroups());
    while (pos <= t.size() && r.re->Match(all, pos, t.size(), RE2::UNANCHORED, m, 1 + groups)) {
      std::size_t b = m[0].data() - t.data(), e = word_end(t, b + m[0].size());
      pos = e > b ? e : b + 1;
      auto it = out.facts.find(r.fact);
      if (r.kind == '#') {
        double v = std::atof(std::string(sv_of(m[1])).c_str());
        if (groups >= 2 && m[2].data()) {
          std::string unit = text::to_lower(sv_of(m[2]));
          if (unit.rfind("month", 0) == 0) v *= 4.3;
          else if (unit.rfind("day", 0) == 0) v /= 7;
          else if (unit.rfind("year", 0) == 0) v *= 52;
        }
        if (r.fact == "pain_score" && v > 10) continue;
        if (r.fact == "injection_relief_percent" && v > 100) continue;
        // Last match wins: summaries end with the most recent findings.
        if (it == out.facts.end() || it->second.span.begin <= b)
          out.facts[r.fact] = make_number(r.fact, v, t, b, e);
        continue;
      }
      bool value = r.kind == '+' && !rules_->negated(t, b);
      const FactSpec* spec = find_fact_spec(r.fact);
      if (value && spec && spec->region_scoped) {
        // The mention's phrase: back and forward to the nearest list or clause boundary (at most
        // 80 bytes each way), as diagnoses are listed "left shoulder tear, left thumb fracture".
        static const std::string stops = ",;.:()\n";
        std::size_t pb = b, pe = e;
        while (pb > 0 && b - pb < 80 && stops.find(t[pb - 1]) == std::string::npos &&
               !(pb >= 5 && text::iequals(std::string_view(t).substr(pb - 5, 5), " and ")))
          --pb;
        while (pe < t.size() && pe - e < 80 && stops.find(t[pe]) == std::string::npos &&
               !(pe + 5 <= t.size() && text::iequals(std::string_view(t).substr(pe, 5), " and ")))
          ++pe;
        out.scoped.push_back({r.fact, regions_in(t.substr(pb, pe - pb)), {b, e}});
      }
      if (it == out.facts.end()) {
        out.facts[r.fact] = make_bool(r.fact, value, t, b, e);
      } else if (spec && spec->any_sign) {
        if (!it->second.flag && value) out.facts[r.fact] = make_bool(r.fact, true, t, b, e);  // one sign suffices
      } else if (it->second.flag && !value) {
        out.facts[r.fact] = make_bool(r.fact, false, t, b, e);  // a documented absence wins
      } else if (!it->second.flag && value) {
        // keep the absence, unless this positive mention overlaps nothing negative (it does not
        // change the result either way: absence wins)
      }
    }
  }

  // Age and sex: the case file's fields first, else the summary's "48 year old male".
  static const RE2 age_re(R"((?i)\b(\d{1,2})[- ]years?[- ]old\b)");
  static const RE2 sex_re(R"((?i)\b(male|female|man|woman|gentleman)\b)");
  if (c.age) {
    out.facts["age"] = make_number("age", *c.age, t, 0, 0, "case file: patient.age");
  } else {
    re2::StringPiece m[2];
    if (age_re.Match(all, 0, t.size(), RE2::UNANCHORED, m, 2)) {
      std::size_t b = m[0].data() - t.data();
      out.facts["age"] = make_number("age", std::atoi(std::string(sv_of(m[1])).c_str()), t, b, b + m[0].size());
    }
  }
  {
    Fact f;
    f.name = "sex";
    f.kind = FactKind::kText;
    if (c.sex) {
      f.text = letter::to_string(*c.sex);
      f.evidence = "case file: patient.sex";
      out.facts["sex"] = f;
    } else {
      re2::StringPiece m[2];
      if (sex_re.Match(all, 0, t.size(), RE2::UNANCHORED, m, 2)) {
        std::string w = text::to_lower(sv_of(m[1]));
        f.text = (w == "female" || w == "woman") ? "female" : "male";
        f.span = {static_cast<std::size_t>(m[0].data() - t.data()), static_cast<std::size_t>(m[0].data() - t.data()) + m[0].size()};
        f.evidence = std::string(sv_of(m[0]));
        out.facts["sex"] = f;
      }
    }
  }

  // Months since injury: injury date (case file, else "injury on DATE") to the review date (case
  // file, else the latest date the summary mentions).
  {
    static const RE2 date_re(R"((\d{4}-\d{1,2}-\d{1,2}|\b\d{1,2}[-/]\d{1,2}[-/](?:\d{4}|\d{2})\b))");
    static const RE2 doi_re(R"((?i)(?:injur\w*|claim|date of injury)[^.]{0,40}?(\d{4}-\d{1,2}-\d{1,2}|\b\d{1,2}[-/]\d{1,2}[-/](?:\d{4}|\d{2})\b))");
    std::optional<long> doi;
    Span doi_span;
    if (c.date_of_injury) doi = parse_date_days(*c.date_of_injury);
    if (!doi) {
      re2::StringPiece m[2];
      if (doi_re.Match(all, 0, t.size(), RE2::UNANCHORED, m, 2)) {
        doi = parse_date_days(sv_of(m[1]));
        doi_span = {static_cast<std::size_t>(m[0].data() - t.data()), static_cast<std::size_t>(m[0].data() - t.data()) + m[0].size()};
      }
    }
    std::optional<long> ref;
    Span ref_span;
    if (c.review_date) ref = parse_date_days(*c.review_date);
    if (!ref) {
      re2::StringPiece m;
      std::size_t pos = 0;
      while (pos < t.size() && date_re.Match(all, pos, t.size(), RE2::UNANCHORED, &m, 1)) {
        std::size_t b = m.data() - t.data();
        pos = b + m.size();
        auto d = parse_date_days(sv_of(m));
        if (d && (!ref || *d > *ref)) {
          ref = d;
          ref_span = {b, pos};
        }
      }
    }
    if (doi && ref && *ref >= *doi) {
      double months = (*ref - *doi) / 30.44;
      Fact f = make_number("months_since_injury", std::round(months * 10) / 10, t, doi_span.begin, doi_span.end,
                           "injury date to " + std::string(c.review_date ? "review date" : "latest date in summary"));
      out.facts["months_since_injury"] = f;
    }
  }

  // Diagnoses: the case file's, then those the summary lists.
  out.diagnoses = c.diagnoses;
  {
    static const RE2 dx_re(R"((?i)diagnos[ie]s(?:\s+\w+){0,6}?\s*(?:of|include[ds]?|including|as|were|was|is|:)\s+([^.]{3,400}))");
    re2::StringPiece m[2];
    if (dx_re.Match(all, 0, t.size(), RE2::UNANCHORED, m, 2)) {
      std::string list(sv_of(m[1]));
      static const RE2 sep(R"((?i),\s*(?:and\s+)?|\s+and\s+|;\s*)");
      RE2::GlobalReplace(&list, sep, "\x1f");
      for (auto& d : text::split_list(list, '\x1f'))
        if (out.diagnoses.size() < 20) out.diagnoses.push_back(d);
    }
  }
  out.regions = regions_in(t);

  // Treatments to date with counts.
  const std::vector<char> treatment_may = rules_->treatment_filter.which(t);
  for (std::size_t k = 0; k < rules_->treatments.size(); ++k) {
    if (!treatment_may[k]) continue;
    const auto& tr = rules_->treatments[k];
    re2::StringPiece m;
    std::size_t pos = 0;
    while (pos < t.size() && tr.re->Match(all, pos, t.size(), RE2::UNANCHORED, &m, 1)) {
      std::size_t b = m.data() - t.data(), e = word_end(t, b + m.size());
      pos = e > b ? e : b + 1;
      if (rules_->planned_at(t, b) || rules_->negated(t, b)) continue;
      TreatmentToDate td;
      td.type = tr.type;
      td.span = {b, e};
      auto [sb, se] = sentence_at(t, b);
      std::string_view after(t.data() + e, std::min<std::size_t>(se, t.size()) - e);
      std::string_view before(t.data() + std::max(sb, b > 40 ? b - 40 : 0), b - std::max(sb, b > 40 ? b - 40 : 0));
      std::string num;
      for (const auto& re : rules_->count_after)
        if (RE2::PartialMatch(re2::StringPiece(after.data(), after.size()), *re, &num)) break;
      if (num.empty())
        for (const auto& re : rules_->count_before)
          if (RE2::PartialMatch(re2::StringPiece(before.data(), before.size()), *re, &num)) break;
      td.count = parse_count(num);
      if (td.count && (*td.count <= 0 || *td.count > 200)) td.count.reset();
      out.treatments.push_back(td);
    }
  }

  // Medications with dose, frequency and morphine equivalents.
  {
    static const RE2 dose_re(R"((?i)^[^.;]{0,20}?(\d+(?:\.\d+)?)(?:\s*/\s*\d+(?:\.\d+)?)?\s*(?:mg|mcg|milligrams?)\b)");
    static const RE2 freq_re(R"((?i)^[^.;]{0,40}?\b(once (?:a |per )?day|once daily|daily|q\.?d\.?|twice (?:a |per )?day|twice daily|b\.?i\.?d\.?|three times (?:a |per )?day|t\.?i\.?d\.?|four times (?:a |per )?day|q\.?i\.?d\.?|q\s*\d{1,2}\s*(?:h|hrs?|hours?)|every \d{1,2}(?:\s*-\s*\d{1,2})? hours?|at bedtime|nightly|q\.?h\.?s\.?|as needed|p\.?r\.?n\.?)\b)");
    re2::StringPiece m;
    std::size_t pos = 0;
    while (pos < t.size() && rules_->any_drug->Match(all, pos, t.size(), RE2::UNANCHORED, &m, 1)) {
      std::size_t b = m.data() - t.data(), e = b + m.size();
      pos = e > b ? e : b + 1;
      // The first rule of drugs.tsv matching the whole mention (one set match, not a scan of every rule).
      const DrugRule* rule = nullptr;
      std::vector<int> ids;
      RE2::Set::ErrorInfo err{};
      if (rules_->drug_set && (rules_->drug_set->Match(m, &ids, &err) || err.kind == RE2::Set::kNoError)) {
        if (!ids.empty()) rule = &rules_->drugs[static_cast<std::size_t>(*std::min_element(ids.begin(), ids.end()))];
      } else {
        for (const auto& d : rules_->drugs)
          if (RE2::FullMatch(m, *d.whole)) {
            rule = &d;
            break;
          }
      }
      if (!rule) continue;
      Medication med;
      med.name = text::to_lower(sv_of(m));
      med.drug_class = rule->drug_class;
      std::string_view after(t.data() + e, t.size() - e);
      re2::StringPiece dm[2];
      re2::StringPiece ain(after.data(), after.size());
      std::size_t end = e;
      if (dose_re.Match(ain, 0, after.size(), RE2::ANCHOR_START, dm, 2)) {
        med.dose_mg = std::atof(std::string(sv_of(dm[1])).c_str());
        end = dm[0].data() - t.data() + dm[0].size();
      }
      re2::StringPiece fm[2];
      if (freq_re.Match(ain, 0, after.size(), RE2::ANCHOR_START, fm, 2)) {
        std::string f = text::to_lower(sv_of(fm[1]));
        med.frequency = f;
        end = std::max<std::size_t>(end, fm[0].data() - t.data() + fm[0].size());
        int n = 0, n2 = 0;
        static const RE2 every(R"((?:q\s*|every )(\d{1,2}))");
        if (RE2::PartialMatch(f, every, &n) && n > 0) med.doses_per_day = 24.0 / n;
        else if (f.find("twice") != std::string::npos || f.find('b') == 0) med.doses_per_day = 2;
        else if (f.find("three") != std::string::npos || f.find('t') == 0) med.doses_per_day = 3;
        else if (f.find("four") != std::string::npos || (f.find('q') == 0 && f.find('i') != std::string::npos)) med.doses_per_day = 4;
        else if (f.find("need") != std::string::npos || f.find('p') == 0) med.doses_per_day = rule->default_doses;
        else med.doses_per_day = 1;
        (void)n2;
      } else {
        med.doses_per_day = rule->default_doses;
      }
      med.span = {b, end};
      if (rule->mme_per_mg && med.dose_mg && med.doses_per_day)
        med.morphine_equivalent_mg = *med.dose_mg * *med.doses_per_day * *rule->mme_per_mg;
      // One entry per drug: the first mention with a dose is the most informative.
      auto same = std::find_if(out.medications.begin(), out.medications.end(),
                               [&](const Medication& x) { return x.name == med.name; });
      if (same == out.medications.end()) out.medications.push_back(med);
      else if (!same->dose_mg && med.dose_mg) *same = med;
    }
    double mme = 0;
    const Medication* first_opioid = nullptr;
    for (const auto& med : out.medications) {
      if (med.morphine_equivalent_mg) {
        mme += *med.morphine_equivalent_mg;
        if (!first_opioid) first_opioid = &med;
      }
      if (med.drug_class == "nsaid" && !out.facts.count("nsaid_use"))
        out.facts["nsaid_use"] = make_bool("nsaid_use", true, t, med.span.begin, med.span.end);
    }
    if (first_opioid)
      out.facts["morphine_equivalent_mg"] =
          make_number("morphine_equivalent_mg", std::round(mme * 10) / 10, t, first_opioid->span.begin,
                      first_opioid->span.end);
  }

  // Imaging done: a modality in a sentence that reports it and does not plan it.
  const std::vector<char> imaging_may = rules_->imaging_filter.which(t);
  for (std::size_t k = 0; k < rules_->imaging.size(); ++k) {
    if (!imaging_may[k]) continue;
    const auto& im = rules_->imaging[k];
    re2::StringPiece m;
    std::size_t pos = 0;
    static const RE2 reported(R"((?i)revealed|showed|shows|demonstrat|noted|dated|performed|impression|findings|was (?:negative|positive|normal|unremarkable)|\bon \d)");
    while (pos < t.size() && im.re->Match(all, pos, t.size(), RE2::UNANCHORED, &m, 1)) {
      std::size_t b = m.data() - t.data(), e = b + m.size();
      pos = e > b ? e : b + 1;
      auto [sb, se] = sentence_at(t, b);
      re2::StringPiece sent(t.data() + sb, se - sb);
      if (!RE2::PartialMatch(sent, reported) || rules_->planned_at(t, b)) continue;
      ImagingDone d;
      d.modality = im.type;
      auto regs = regions_in(std::string(sent.data(), sent.size()));
      d.region = regs.empty() ? "unspecified" : regs.front();
      d.span = {sb, se};
      out.imaging.push_back(d);
      break;  // one per modality is enough for the list
    }
  }
  if (!out.imaging.empty() && !out.facts.count("imaging_done"))
    out.facts["imaging_done"] =
        make_bool("imaging_done", true, t, out.imaging.front().span.begin, out.imaging.front().span.end);
  return out;
}

FactSet FactExtractor::item_facts(const CaseFacts& cf, const std::string& t, const std::string& request,
                                  const corpus::NormalizedItem& item) const {
  FactSet f = cf.facts;
  // Region-scoped findings hold for this item only through a mention naming its region or none;
  // an item aimed at no particular region keeps them.
  {
    std::vector<std::string> item_regions = regions_in(request);
    if (item.body_region != "multiple" && item.body_region != "unspecified" && !item.body_region.empty())
      item_regions.push_back(item.body_region);
    for (const auto& spec : fact_vocabulary()) {
      auto it = f.find(spec.name);
      if (!spec.region_scoped || item_regions.empty() || it == f.end() || !it->second.flag) continue;
      const ScopedMention* applies = nullptr;
      for (const auto& m : cf.scoped) {
        if (m.fact != spec.name) continue;
        bool here = m.regions.empty();
        for (const auto& r : m.regions)
          here = here || std::find(item_regions.begin(), item_regions.end(), r) != item_regions.end();
        if (here && (!applies || m.span.begin < applies->span.begin)) applies = &m;
      }
      if (!applies) {
        f.erase(it);  // the summary's findings concern other parts of the body: unknown here
        continue;
      }
      it->second.span = applies->span;
      it->second.evidence = t.substr(applies->span.begin, applies->span.end - applies->span.begin);
    }
  }
  Fact retro;
  retro.name = "retrospective";
  retro.kind = FactKind::kBool;
  retro.flag = item.retrospective;
  retro.evidence = "request: " + request;
  f["retrospective"] = retro;
  auto note_number = [&](const char* name, double v, Span s, std::string ev) {
    Fact x;
    x.name = name;
    x.kind = FactKind::kNumber;
    x.number = v;
    x.span = s;
    x.evidence = std::move(ev);
    f[name] = x;
  };
  if (item.sessions) note_number("requested_sessions", *item.sessions, {}, "request: " + request);
  if (item.drug && item.drug->quantity) note_number("requested_quantity", *item.drug->quantity, {}, "request: " + request);
  else if (item.sessions) note_number("requested_quantity", *item.sessions, {}, "request: " + request);

  // Prior treatment of the same type.
  std::optional<int> prior;
  const TreatmentToDate* prior_mention = nullptr;
  for (const auto& td : cf.treatments) {
    if (td.type != item.subcategory) continue;
    if (!prior_mention) prior_mention = &td;
    if (td.count && (!prior || *td.count > *prior)) {
      prior = td.count;
      prior_mention = &td;
    }
  }
  if (prior) {
    note_number("prior_sessions", *prior, prior_mention->span,
                t.substr(prior_mention->span.begin, prior_mention->span.end - prior_mention->span.begin));
    if (item.sessions) note_number("total_sessions", *prior + *item.sessions, prior_mention->span, "prior + requested");
  }
  std::optional<Span> before;
  if (item.drug) {
    std::string name = text::to_lower(item.drug->name);
    for (const auto& med : cf.medications)
      if (med.name == name) {
        // A drug named only where the summary reports the request is not a drug taken before.
        if (!rules_->planned_at(t, med.span.begin)) before = med.span;
        break;
      }
    if (!before) {
      // The summary may name the drug in a list without a dose; any non-planned mention counts.
      std::string lower = text::to_lower(t);
      for (std::size_t p = lower.find(name); p != std::string::npos && !name.empty(); p = lower.find(name, p + 1)) {
        bool word = (p == 0 || !std::isalnum(static_cast<unsigned char>(lower[p - 1]))) &&
                    (p + name.size() >= lower.size() || !std::isalnum(static_cast<unsigned char>(lower[p + name.size()])));
        if (word && !rules_->planned_at(t, p)) {
          before = Span{p, p + name.size()};
          break;
        }
      }
    }
  } else if (prior_mention) {
    before = prior_mention->span;
  } else if (std::any_of(rules_->treatments.begin(), rules_->treatments.end(),
                         [&](const TypedRule& r) { return r.type == item.subcategory; })) {
    // A treatment the summary's list of treatments to date leaves out was not given before: the
    // request is a first course ("treatment to date has included medications and imaging" for a
    // physical therapy request). Only for treatments treatments.tsv can recognise, and only when
    // such a list is reported (not planned); silence alone leaves it unknown.
    re2::StringPiece m;
    re2::StringPiece all(t);
    std::size_t pos = 0;
    while (pos < t.size() && rules_->history->Match(all, pos, t.size(), RE2::UNANCHORED, &m, 1)) {
      std::size_t b = m.data() - t.data();
      pos = b + std::max<std::size_t>(m.size(), 1);
      if (rules_->planned_at(t, b) || rules_->negated(t, b)) continue;
      auto [sb, se] = sentence_at(t, b);
      Fact x = make_bool("same_treatment_before", false, t, sb, se);
      f["same_treatment_before"] = x;
      note_number("prior_sessions", 0, {sb, se}, "not among the treatments to date");
      if (item.sessions) note_number("total_sessions", *item.sessions, {sb, se}, "requested; none before");
      break;
    }
  }
  if (before) {
    Fact x = make_bool("same_treatment_before", true, t, before->begin, before->end);
    f["same_treatment_before"] = x;
    static const RE2 long_term(R"((?i)long[- ]term|chronic(?:ally)? (?:use|taking)|since \d{4}|for (?:several|many|\d+) (?:months|years)|ongoing use|continued use|refill)");
    auto mit = cf.facts.find("months_since_injury");
    bool months = mit != cf.facts.end() && mit->second.number >= 3;
    if (months || RE2::PartialMatch(t, long_term)) {
      Fact lt = make_bool("long_term_use", true, t, before->begin, before->end);
      if (months) lt.evidence += " (" + std::to_string(static_cast<int>(mit->second.number)) + " months since injury)";
      f["long_term_use"] = lt;
    }
  }
  return f;
}

}  // namespace imr::review
