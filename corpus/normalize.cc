// Normalisation of disputed items and citations. The domain knowledge (categories, drug names,
// body regions, retrospective markers, the guideline catalog) is in data/normalize/*; this file
// reads those files, compiles them once, and applies them. See data/normalize/README.md for the
// conventions the rules follow.
//
// Speed: the store normalises every item of the corpus (millions), so each item costs one pass of
// an RE2::Set over the request (all category rules at once, DFA; a dosed drug rule is there by its
// name and confirmed alone, see CategoryRule::gate), a few anchored RE2 calls to break
// ties and to scan body regions, and a handful of small grammar regexes for drugs and sessions.
// Everything compiled is immutable after load(), so normalize() and catalog() are safe to call
// from many threads at once on one Normalizer (RE2 and RE2::Set are thread-safe for matching).
#include "imr/corpus/normalize.h"

#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <tuple>

namespace imr::corpus {
namespace {

using re2::RE2;
using re2::StringPiece;

StringPiece sp(std::string_view s) { return StringPiece(s.data(), s.size()); }

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string trim(std::string_view s, std::string_view chars = " \t\r\n") {
  size_t b = s.find_first_not_of(chars);
  if (b == std::string_view::npos) return "";
  size_t e = s.find_last_not_of(chars);
  return std::string(s.substr(b, e - b + 1));
}

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t p = s.find(sep, start);
    out.emplace_back(s.substr(start, p == std::string_view::npos ? std::string_view::npos : p - start));
    if (p == std::string_view::npos) break;
    start = p + 1;
  }
  return out;
}

RE2::Options pattern_options() {
  RE2::Options o;
  o.set_case_sensitive(false);
  o.set_log_errors(false);
  o.set_max_mem(64 << 20);
  return o;
}

// One line of a rule file, with where it came from for error messages.
struct Line {
  int number;
  std::string text;
};

// Reads `path` and returns its meaningful lines: blank lines and lines starting with '#' are
// dropped, trailing CR/whitespace removed. kNotFound when the file cannot be opened.
Result<std::vector<Line>> read_lines(const std::string& path) {
  std::ifstream in(path);
  if (!in) return not_found(path + ": cannot open rule file");
  std::vector<Line> lines;
  std::string s;
  int n = 0;
  while (std::getline(in, s)) {
    ++n;
    while (!s.empty() && (s.back() == '\r' || s.back() == ' ' || s.back() == '\t')) s.pop_back();
    std::string t = trim(s);
    if (t.empty() || t[0] == '#') continue;
    lines.push_back({n, s});
  }
  return lines;
}

Status line_error(const std::string& path, int line, const std::string& what) {
  return invalid_argument(path + ":" + std::to_string(line) + ": " + what);
}

// Compiles `pattern`; kInvalidArgument naming file and line when RE2 rejects it.
Result<std::shared_ptr<RE2>> compile(const std::string& pattern, const std::string& path, int line) {
  auto re = std::make_shared<RE2>(pattern, pattern_options());
  if (!re->ok()) return line_error(path, line, "bad pattern \"" + pattern + "\": " + re->error());
  return re;
}

struct CategoryRule {
  int priority = 0;
  std::string category;
  std::string subcategory;
  std::shared_ptr<RE2> re;
  int name_group = 0;  // >0 for drug-lexicon rules: the submatch holding the drug name
  // Non-empty: what the rule set holds for this rule instead of `re`, a pattern matching
  // wherever `re` does (its prefix); a hit on it is confirmed with `re` itself. A dosed drug rule
  // ("name, then within 40 characters a dose") expands into dozens of states per name, and in
  // the set's shared DFA those multiply across rules. Gated, normalising 100,000 letters took
  // 7.5 s of CPU instead of 9.4 s.
  std::string gate;
};

struct RegionRule {
  std::string region;  // "none" consumes text without naming a region
  std::shared_ptr<RE2> re;
};

struct CatalogRow {
  std::string source, key, name;
  std::shared_ptr<RE2> title;
  std::shared_ptr<RE2> section;  // null: no condition on sections
};

// Everything load() compiles. Shared (immutable) between copies of a Normalizer.
struct Compiled {
  std::map<std::pair<std::string, std::string>, bool> taxonomy;  // -> counts sessions
  std::vector<CategoryRule> rules;
  std::unique_ptr<RE2::Set> rule_set;  // rules[i] is pattern i of the set
  std::shared_ptr<RE2> any_drug;       // every lexicon name, longest first; group 1 is the name
  std::vector<RegionRule> regions;
  std::shared_ptr<RE2> any_region;  // alternation of all region rules, in file order
  std::shared_ptr<RE2> retrospective;
  std::vector<std::shared_ptr<RE2>> strip;
  std::vector<CatalogRow> catalog;
};

}  // namespace

struct Normalizer::Rules {
  std::shared_ptr<const Compiled> c;
};

namespace {

const std::set<std::string>& known_regions() {
  static const std::set<std::string> r = {"cervical", "thoracic", "lumbar",     "shoulder",
                                          "elbow",    "wrist/hand", "hip",      "knee",
                                          "ankle/foot", "head",     "none"};
  return r;
}

Status load_taxonomy(const std::string& path, Compiled& c) {
  auto lines = read_lines(path);
  if (!lines.ok()) return lines.status();
  for (const Line& l : *lines) {
    auto f = split(l.text, '\t');
    if (f.size() != 3) {
      return line_error(path, l.number, "expected 3 TAB-separated fields (category, subcategory, "
                                        "sessions), got " + std::to_string(f.size()));
    }
    if (f[2] != "yes" && f[2] != "no") {
      return line_error(path, l.number, "sessions must be \"yes\" or \"no\", got \"" + f[2] + "\"");
    }
    if (!c.taxonomy.emplace(std::make_pair(f[0], f[1]), f[2] == "yes").second) {
      return line_error(path, l.number, "duplicate category/subcategory \"" + f[0] + "/" + f[1] + "\"");
    }
  }
  if (!c.taxonomy.count({"Other", "Other"})) {
    return invalid_argument(path + ": must list Other/Other (the result when no rule matches)");
  }
  return {};
}

Status load_categories(const std::string& path, Compiled& c) {
  auto lines = read_lines(path);
  if (!lines.ok()) return lines.status();
  for (const Line& l : *lines) {
    auto f = split(l.text, '\t');
    if (f.size() < 4) {
      return line_error(path, l.number, "expected 4 TAB-separated fields (priority, category, "
                                        "subcategory, pattern), got " + std::to_string(f.size()));
    }
    // A pattern may itself contain TABs only by mistake; rejoin so the error names the pattern.
    std::string pattern = f[3];
    for (size_t i = 4; i < f.size(); ++i) pattern += "\t" + f[i];
    char* end = nullptr;
    long prio = std::strtol(f[0].c_str(), &end, 10);
    if (f[0].empty() || *end != '\0') {
      return line_error(path, l.number, "priority must be an integer, got \"" + f[0] + "\"");
    }
    if (!c.taxonomy.count({f[1], f[2]})) {
      return line_error(path, l.number, "\"" + f[1] + "/" + f[2] + "\" is not in taxonomy.tsv");
    }
    if (trim(pattern).empty()) return line_error(path, l.number, "empty pattern");
    auto re = compile(pattern, path, l.number);
    if (!re.ok()) return re.status();
    c.rules.push_back({static_cast<int>(prio), f[1], f[2], *re, 0});
  }
  return {};
}

Status load_drugs(const std::string& path, Compiled& c) {
  auto lines = read_lines(path);
  if (!lines.ok()) return lines.status();
  std::optional<int> bare, dosed;
  std::string dose;
  std::string section;
  std::vector<std::string> order;                      // sections in file order
  std::map<std::string, std::vector<std::string>> names;  // section -> names
  std::map<std::string, std::string> seen;             // name -> section
  for (const Line& l : *lines) {
    std::string t = trim(l.text);
    auto directive = [&](const char* word) {
      std::string w = word;
      return t.rfind(w + " ", 0) == 0 ? std::optional<std::string>(trim(t.substr(w.size())))
                                      : std::nullopt;
    };
    if (auto v = directive("priority"); v || (v = directive("dosed_priority"))) {
      char* end = nullptr;
      long p = std::strtol(v->c_str(), &end, 10);
      if (v->empty() || *end != '\0') return line_error(path, l.number, "priority must be an integer");
      (t.rfind("priority", 0) == 0 ? bare : dosed) = static_cast<int>(p);
      continue;
    }
    if (auto v = directive("dose_pattern")) {
      auto re = compile(*v, path, l.number);
      if (!re.ok()) return re.status();
      dose = *v;
      continue;
    }
    if (t.front() == '[') {
      if (t.back() != ']') return line_error(path, l.number, "section header must end with ']'");
      section = trim(t.substr(1, t.size() - 2));
      if (!c.taxonomy.count({"Pharmaceuticals", section})) {
        return line_error(path, l.number,
                          "\"Pharmaceuticals/" + section + "\" is not in taxonomy.tsv");
      }
      if (names.count(section)) return line_error(path, l.number, "section [" + section + "] repeated");
      order.push_back(section);
      names[section];
      continue;
    }
    if (section.empty()) return line_error(path, l.number, "drug names before any [Subcategory] section");
    for (const std::string& raw : split(t, ',')) {
      std::string name = lower(trim(raw));
      if (name.empty()) continue;
      auto [it, fresh] = seen.emplace(name, section);
      if (!fresh && it->second != section) {
        return line_error(path, l.number, "\"" + name + "\" is already listed under [" + it->second + "]");
      }
      if (fresh) names[section].push_back(name);
    }
  }
  if (!bare || !dosed || dose.empty()) {
    return invalid_argument(path + ": needs priority, dosed_priority and dose_pattern lines");
  }
  // Longest names first: at one starting place RE2 takes the first alternative that matches.
  auto alternation = [](std::vector<std::string> v) {
    std::sort(v.begin(), v.end(), [](const std::string& a, const std::string& b) {
      return a.size() != b.size() ? a.size() > b.size() : a < b;
    });
    std::string alt;
    for (const auto& n : v) alt += (alt.empty() ? "" : "|") + RE2::QuoteMeta(n);
    return alt;
  };
  std::vector<std::string> all;
  for (const std::string& s : order) {
    if (names[s].empty()) continue;
    std::string alt = alternation(names[s]);
    // Word boundaries by hand: \b fails after a name ending in a symbol ("tylenol #3").
    std::string name = "(?:^|[^a-z0-9])(" + alt + ")(?:$|[^a-z0-9])";
    std::string name_start = "(?:^|[^a-z0-9])(" + alt + ")";
    std::string dosed_pattern = name_start + "[^.;]{0,40}?(?:" + dose + ")";
    for (auto [prio, pattern, gate] :
         {std::tuple{*bare, name, std::string()}, std::tuple{*dosed, dosed_pattern, name_start}}) {
      auto re = std::make_shared<RE2>(pattern, pattern_options());
      if (!re->ok()) return invalid_argument(path + ": section [" + s + "]: " + re->error());
      c.rules.push_back({prio, "Pharmaceuticals", s, re, 1, gate});
    }
    all.insert(all.end(), names[s].begin(), names[s].end());
  }
  c.any_drug = std::make_shared<RE2>("(?:^|[^a-z0-9])(" + alternation(all) + ")(?:$|[^a-z0-9])",
                                     pattern_options());
  if (!c.any_drug->ok()) return invalid_argument(path + ": " + c.any_drug->error());
  return {};
}

Status load_regions(const std::string& path, Compiled& c) {
  auto lines = read_lines(path);
  if (!lines.ok()) return lines.status();
  std::string alt;
  for (const Line& l : *lines) {
    auto f = split(l.text, '\t');
    if (f.size() != 2) {
      return line_error(path, l.number, "expected 2 TAB-separated fields (region, pattern), got " +
                                            std::to_string(f.size()));
    }
    if (!known_regions().count(f[0])) {
      return line_error(path, l.number, "unknown region \"" + f[0] + "\"");
    }
    auto re = compile(f[1], path, l.number);
    if (!re.ok()) return re.status();
    c.regions.push_back({f[0], *re});
    alt += (alt.empty() ? "" : "|") + ("(?:" + f[1] + ")");
  }
  c.any_region = std::make_shared<RE2>(alt.empty() ? "$^" : alt, pattern_options());
  if (!c.any_region->ok()) return invalid_argument(path + ": " + c.any_region->error());
  return {};
}

Status load_retrospective(const std::string& path, Compiled& c) {
  auto lines = read_lines(path);
  if (!lines.ok()) return lines.status();
  std::string alt;
  for (const Line& l : *lines) {
    std::string p = trim(l.text);
    auto re = compile(p, path, l.number);
    if (!re.ok()) return re.status();
    alt += (alt.empty() ? "" : "|") + ("(?:" + p + ")");
  }
  c.retrospective = std::make_shared<RE2>(alt.empty() ? "$^" : alt, pattern_options());
  return {};
}

Status load_catalog(const std::string& path, Compiled& c) {
  auto lines = read_lines(path);
  if (!lines.ok()) return lines.status();
  for (const Line& l : *lines) {
    auto f = split(l.text, '\t');
    if (f.size() == 2 && f[0] == "strip") {
      auto re = compile(f[1], path, l.number);
      if (!re.ok()) return re.status();
      c.strip.push_back(*re);
      continue;
    }
    if (f.size() != 5) {
      return line_error(path, l.number, "expected \"strip<TAB>pattern\" or 5 TAB-separated fields "
                                        "(source, key, name, title pattern, section pattern), got " +
                                            std::to_string(f.size()));
    }
    if (f[0] != "MTUS" && f[0] != "ODG" && f[0] != "ACOEM" && f[0] != "other") {
      return line_error(path, l.number, "source must be MTUS, ODG, ACOEM or other, got \"" + f[0] + "\"");
    }
    if (f[1].rfind(f[0] + "/", 0) != 0) {
      return line_error(path, l.number, "key \"" + f[1] + "\" must start with \"" + f[0] + "/\"");
    }
    CatalogRow row{f[0], f[1], f[2], nullptr, nullptr};
    auto title = compile(f[3], path, l.number);
    if (!title.ok()) return title.status();
    row.title = *title;
    if (f[4] != "-") {
      auto section = compile(f[4], path, l.number);
      if (!section.ok()) return section.status();
      row.section = *section;
    }
    c.catalog.push_back(std::move(row));
  }
  return {};
}

// The IMR-eligible portion of a partial authorisation written in one string ("A was the original
// request. B was authorized ... The remaining IMR eligible portion of the original request, C is"):
// the text after the last "original request", without the trailing "is". Otherwise the request.
std::string eligible_portion(const std::string& request) {
  std::string low = lower(request);
  size_t p = low.rfind("original request");
  if (p == std::string::npos) return request;
  std::string rest = trim(std::string_view(request).substr(p + 16), " \t,:.");
  std::string rest_low = lower(rest);
  for (const char* tail : {" is:", " is"}) {
    size_t n = std::char_traits<char>::length(tail);
    if (rest_low.size() >= n && rest_low.compare(rest_low.size() - n, n, tail) == 0) {
      rest = trim(rest.substr(0, rest.size() - n), " \t,:.");
      break;
    }
  }
  // "X was the original request." alone, or "leaving the original request IMR eligible": no C.
  if (rest.size() < 3 || lower(rest).rfind("imr eligible", 0) == 0) return request;
  return rest;
}

// ---- sessions: counting grammar (arithmetic, not domain vocabulary) ----

const char* kNum =
    "(\\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    "fifteen|sixteen|seventeen|eighteen|nineteen|twenty[- ]four|twenty|thirty[- ]six|thirty|"
    "once|twice)";

std::optional<int> parse_num(std::string_view w) {
  static const std::map<std::string, int, std::less<>> words = {
      {"one", 1},       {"once", 1},      {"two", 2},        {"twice", 2},       {"three", 3},
      {"four", 4},      {"five", 5},      {"six", 6},        {"seven", 7},       {"eight", 8},
      {"nine", 9},      {"ten", 10},      {"eleven", 11},    {"twelve", 12},     {"thirteen", 13},
      {"fourteen", 14}, {"fifteen", 15},  {"sixteen", 16},   {"seventeen", 17},  {"eighteen", 18},
      {"nineteen", 19}, {"twenty", 20},   {"twenty four", 24}, {"twenty-four", 24}, {"thirty", 30},
      {"thirty six", 36}, {"thirty-six", 36}};
  if (w.empty()) return std::nullopt;
  if (w[0] >= '0' && w[0] <= '9') {
    if (w.size() > 4) return std::nullopt;
    return std::atoi(std::string(w).c_str());
  }
  auto it = words.find(w);
  if (it == words.end()) return std::nullopt;
  return it->second;
}

// "2-3" -> 3: a range asks for up to its upper bound.
int upper(const std::string& lo, const std::string& hi) {
  int a = parse_num(lo).value_or(0);
  int b = hi.empty() ? 0 : parse_num(hi).value_or(0);
  return std::max(a, b);
}

struct SessionGrammar {
  RE2 paren{"\\(\\s*(\\d+)\\s*(?:sessions?|visits?|treatments?)?\\s*\\)", pattern_options()};
  RE2 freq_dur{std::string("(?:^|[^a-z0-9])") + kNum + "(?:\\s*(?:-|to|or)\\s*" + kNum +
                   ")?\\s*(?:x|times?|visits?|sessions?|treatments?)?\\s*(?:(?:a|per|/|each|every)"
                   "\\s*(?:week|wk)|weekly)\\s*,?\\s*(?:for|x|times|over|by|during)?\\s*(?:a\\s+"
                   "total\\s+of\\s+)?" + kNum + "(?:\\s*(?:-|to)\\s*" + kNum + ")?\\s*(?:weeks?|wks?)",
               pattern_options()};
  RE2 count{std::string("(?:^|[^a-z0-9/])") + kNum + "(?:\\s*(?:-|to)\\s*" + kNum +
                ")?\\s+(?:[a-z/()-]+\\s+){0,3}?(?:sessions?|visits?|treatments?)\\b",
            pattern_options()};
  RE2 product{std::string("(?:^|[^a-z0-9/])") + kNum + "\\s*(?:x|times)\\s*" + kNum +
                  "\\b(\\s*(?:weeks?|wks?|days?|a\\b|per\\b))?",
              pattern_options()};
  RE2 single{std::string("(?:\\btimes|\\bx|#|\\bqty:?|\\bquantity:?)\\s*") + kNum + "\\b",
             pattern_options()};
};

const SessionGrammar& session_grammar() {
  static const SessionGrammar* g = new SessionGrammar();
  return *g;
}

std::optional<int> count_sessions(const std::string& text) {
  const SessionGrammar& g = session_grammar();
  StringPiece in = sp(text);
  std::string a, b, c, d, e;
  if (RE2::PartialMatch(in, g.paren, &a)) {
    if (auto n = parse_num(a); n && *n > 0) return n;
  }
  if (RE2::PartialMatch(in, g.freq_dur, &a, &b, &c, &d)) {
    int n = upper(a, b) * upper(c, d);
    if (n > 0) return n;
  }
  {
    int total = 0;
    StringPiece rest = in;
    while (RE2::FindAndConsume(&rest, g.count, &a, &b)) total += upper(a, b);
    if (total > 0) return total;
  }
  {
    StringPiece rest = in;
    while (RE2::FindAndConsume(&rest, g.product, &a, &b, &e)) {
      if (!e.empty()) continue;  // "2 times a week", "3 x 4 weeks": a rate, not a count
      int n = upper(a, "") * upper(b, "");
      if (n > 0) return n;
    }
  }
  if (RE2::PartialMatch(in, g.single, &a)) {
    if (auto n = parse_num(a); n && *n > 0) return n;
  }
  return std::nullopt;
}

// ---- drugs: strength and quantity grammar ----

struct DrugGrammar {
  // A strength is numbers joined by / or -, with a unit on at least one of them.
  RE2 strength{"(\\d+(?:\\.\\d+)?\\s*(?:mg|mcg|ml|g|%|percent)?(?:\\s*[/-]\\s*\\d*(?:\\.\\d+)?\\s*"
               "(?:mg|mcg|ml|g|%|percent)?)*)",
               pattern_options()};
  RE2 has_unit{"mg|mcg|%|percent", pattern_options()};
  RE2 hash_qty{"#\\s*(\\d+)", pattern_options()};
  RE2 word_qty{"\\b(?:qty|quantity)\\s*[:#]?\\s*(\\d+)", pattern_options()};
  RE2 unit_qty{"\\b(\\d+)\\s*(?:tablets|tabs|capsules|caps|pills|patches|count)\\b", pattern_options()};
  RE2 first_word{"([a-z][a-z0-9-]*)", pattern_options()};
};

const DrugGrammar& drug_grammar() {
  static const DrugGrammar* g = new DrugGrammar();
  return *g;
}

std::optional<std::string> find_strength(std::string_view text) {
  const DrugGrammar& g = drug_grammar();
  StringPiece rest = sp(text);
  std::string s;
  while (RE2::FindAndConsume(&rest, g.strength, &s)) {
    if (!RE2::PartialMatch(s, g.has_unit)) continue;
    std::string out;
    for (char ch : s) {
      if (ch != ' ' && ch != '\t') out += ch;
    }
    if (size_t p = out.find("percent"); p != std::string::npos) out.replace(p, 7, "%");
    while (!out.empty() && (out.back() == '-' || out.back() == '/')) out.pop_back();
    return out;
  }
  return std::nullopt;
}

std::optional<int> find_quantity(std::string_view text) {
  const DrugGrammar& g = drug_grammar();
  int n = 0;
  for (const RE2* re : {&g.hash_qty, &g.word_qty, &g.unit_qty}) {
    if (RE2::PartialMatch(sp(text), *re, &n)) return n;
  }
  return std::nullopt;
}

// When no lexicon name is present ("Anecream cream 4%"), the drug is named by the first word that
// is not a procedural prefix.
std::string first_word(std::string_view text) {
  static const std::set<std::string, std::less<>> skip = {
      "retrospective", "retro", "prospective", "post-op", "pre-op", "postoperative", "preoperative",
      "post", "pre", "op", "compound", "compounded", "one", "month", "supply", "of", "the", "a", "an",
      "for", "continue", "continued", "refill", "request", "dos", "topical", "container", "x", "and"};
  StringPiece rest = sp(text);
  std::string w;
  while (RE2::FindAndConsume(&rest, drug_grammar().first_word, &w)) {
    if (!skip.count(w)) return w;
  }
  return "";
}

}  // namespace

Result<Normalizer> Normalizer::load(const std::string& data_dir) {
  std::string dir = data_dir;
  if (dir.empty()) {
    const char* env = std::getenv("IMR_DATA_DIR");
    dir = env && *env ? env : IMR_DATA_DIR;
  }
  dir += "/normalize/";
  auto c = std::make_shared<Compiled>();
  // Taxonomy first: the other files are checked against it.
  IMR_RETURN_IF_ERROR(load_taxonomy(dir + "taxonomy.tsv", *c));
  IMR_RETURN_IF_ERROR(load_categories(dir + "categories.tsv", *c));
  IMR_RETURN_IF_ERROR(load_drugs(dir + "drugs.txt", *c));
  IMR_RETURN_IF_ERROR(load_regions(dir + "regions.tsv", *c));
  IMR_RETURN_IF_ERROR(load_retrospective(dir + "retrospective.txt", *c));
  IMR_RETURN_IF_ERROR(load_catalog(dir + "guidelines.tsv", *c));

  c->rule_set = std::make_unique<RE2::Set>(pattern_options(), RE2::UNANCHORED);
  for (const CategoryRule& r : c->rules) {
    std::string err;
    if (c->rule_set->Add(r.gate.empty() ? r.re->pattern() : r.gate, &err) < 0) {
      return internal_error("category rule set: " + err);
    }
  }
  if (!c->rule_set->Compile()) return internal_error("category rule set: out of memory compiling");
  return Normalizer(new Rules{std::move(c)});
}

NormalizedItem Normalizer::normalize(const letter::DisputedItem& item) const {
  const Compiled& c = *rules_->c;
  NormalizedItem out;
  const std::string text = lower(eligible_portion(item.request));
  const StringPiece in = sp(text);

  // Category: highest priority wins; then earliest start; then the longer match (the longer drug
  // name for lexicon rules); then file order.
  std::vector<int> hits;
  RE2::Set::ErrorInfo set_error;
  if (!c.rule_set->Match(in, &hits, &set_error) && set_error.kind != RE2::Set::kNoError) {
    // The set's DFA ran out of memory (a pathological text): fall back to one rule at a time.
    hits.clear();
    for (size_t i = 0; i < c.rules.size(); ++i) {
      if (RE2::PartialMatch(in, *c.rules[i].re)) hits.push_back(static_cast<int>(i));
    }
  } else {
    std::erase_if(hits, [&](int i) { return !c.rules[i].gate.empty() && !RE2::PartialMatch(in, *c.rules[i].re); });
  }
  int best = -1;
  int best_prio = 0;
  for (int i : hits) {
    if (best < 0 || c.rules[i].priority > best_prio) best = i, best_prio = c.rules[i].priority;
  }
  // Ties are rare; only they pay for locating the matches.
  size_t tied = 0;
  for (int i : hits) tied += c.rules[i].priority == best_prio;
  if (tied > 1) {
    size_t best_start = 0, best_len = 0;
    best = -1;
    for (int i : hits) {
      const CategoryRule& r = c.rules[i];
      if (r.priority != best_prio) continue;
      StringPiece m[2];
      if (!r.re->Match(in, 0, in.size(), RE2::UNANCHORED, m, r.name_group + 1)) continue;
      size_t start = m[r.name_group].data() - in.data(), len = m[r.name_group].size();
      if (best < 0 || start < best_start ||
          (start == best_start && (len > best_len || (len == best_len && i < best)))) {
        best = i, best_start = start, best_len = len;
      }
    }
  }
  if (best >= 0) {
    out.category = c.rules[best].category;
    out.subcategory = c.rules[best].subcategory;
  } else {
    out.category = "Other";
    out.subcategory = "Other";
  }

  // Body region: scan left to right; at each place the first rule (file order) that matches there.
  std::set<std::string> found;
  size_t pos = 0;
  StringPiece m;
  while (pos <= in.size() && c.any_region->Match(in, pos, in.size(), RE2::UNANCHORED, &m, 1)) {
    size_t start = m.data() - in.data();
    for (const RegionRule& r : c.regions) {
      StringPiece rm;
      if (r.re->Match(in, start, in.size(), RE2::ANCHOR_START, &rm, 1)) {
        if (r.region != "none") found.insert(r.region);
        break;
      }
    }
    pos = start + std::max<size_t>(m.size(), 1);
  }
  out.body_region = found.empty() ? "unspecified" : found.size() == 1 ? *found.begin() : "multiple";

  out.retrospective = RE2::PartialMatch(lower(item.request), *c.retrospective) ||
                      (item.original_request &&
                       RE2::PartialMatch(lower(*item.original_request), *c.retrospective));

  auto tax = c.taxonomy.find({out.category, out.subcategory});
  if (tax != c.taxonomy.end() && tax->second) out.sessions = count_sessions(text);

  if (out.category == "Pharmaceuticals") {
    Drug d;
    size_t after = 0;
    StringPiece dm[2];
    if (c.any_drug->Match(in, 0, in.size(), RE2::UNANCHORED, dm, 2)) {
      d.name = std::string(dm[1].data(), dm[1].size());
      after = dm[1].data() + dm[1].size() - in.data();
    } else {
      d.name = first_word(text);
    }
    d.strength = find_strength(std::string_view(text).substr(after));
    if (!d.strength && after > 0) d.strength = find_strength(text);
    d.quantity = find_quantity(text);
    out.drug = std::move(d);
  }
  return out;
}

CatalogCitation Normalizer::catalog(const letter::Citation& citation) const {
  const Compiled& c = *rules_->c;
  CatalogCitation out;
  std::string src = lower(citation.source);
  out.source = src == "mtus" ? "MTUS" : src == "odg" ? "ODG" : src == "acoem" ? "ACOEM" : "other";
  if (!citation.sections.empty()) out.topic = citation.sections.front();

  std::string title = citation.title;
  for (const auto& re : c.strip) RE2::GlobalReplace(&title, *re, " ");
  static const RE2 kSpaces("\\s+");
  RE2::GlobalReplace(&title, kSpaces, " ");
  title = trim(title, " \t,.:;-/");

  for (const CatalogRow& row : c.catalog) {
    if (row.source != out.source || !RE2::PartialMatch(title, *row.title)) continue;
    if (row.section) {
      bool any = false;
      for (const std::string& s : citation.sections) any = any || RE2::PartialMatch(s, *row.section);
      if (!any) continue;
    }
    out.key = row.key;
    out.guideline = row.name;
    return out;
  }
  if (out.source == "other") {
    // Outside citations (articles, other payers' policies) are too varied to key one by one.
    out.key = "other";
    out.guideline = citation.title;
    return out;
  }
  out.key = out.source + "/" + (title.empty() ? "Unspecified" : title);
  out.guideline = title.empty() ? out.source : out.source + " " + title;
  return out;
}

Normalizer::Normalizer(Rules* rules) : rules_(rules) {}
// Copies share the compiled rules (immutable); a moved-from Normalizer may only be assigned or destroyed.
Normalizer::Normalizer(const Normalizer& o) : rules_(o.rules_ ? new Rules(*o.rules_) : nullptr) {}
Normalizer& Normalizer::operator=(const Normalizer& o) {
  if (this != &o) {
    delete rules_;
    rules_ = o.rules_ ? new Rules(*o.rules_) : nullptr;
  }
  return *this;
}
Normalizer::Normalizer(Normalizer&& o) noexcept : rules_(o.rules_) { o.rules_ = nullptr; }
Normalizer& Normalizer::operator=(Normalizer&& o) noexcept {
  if (this != &o) {
    delete rules_;
    rules_ = o.rules_;
    o.rules_ = nullptr;
  }
  return *this;
}
Normalizer::~Normalizer() { delete rules_; }

}  // namespace imr::corpus
