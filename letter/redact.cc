// redact_letter: the public version of a letter (conventions in redact.h).
//
// The text is cut into words (runs of ASCII letters and digits and of non-ASCII letters; the
// typographic apostrophe, quotes, dashes and the no-break space separate words as their ASCII
// counterparts do). A party becomes word patterns; a mention is a pattern found on word
// boundaries, grown to the left over given names, initials, name particles and a title, and to
// the right over a comma-form given name, a suffix (Jr., III) and degrees. Mentions of every party
// are found on the original text and replaced in one pass, so a replacement (a role phrase) is
// never searched again and parties cannot redact each other's replacements.
#include "imr/letter/redact.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace imr::letter {
namespace {

bool ascii_alnum(unsigned char c) { return std::isalnum(c) != 0; }
char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_lower(char c) { return c >= 'a' && c <= 'z'; }

bool ieq(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = lower(c);
  return out;
}

// Byte length of the word character at s[i], or 0 when s[i] does not start one. Non-ASCII code
// points are letters except the punctuation and spaces PDFs and word processors bring in.
std::size_t word_char(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return ascii_alnum(c) ? 1 : 0;
  std::size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
  if (i + n > s.size()) return 1;
  std::string_view cp = s.substr(i, n);
  static constexpr std::array<std::string_view, 9> kSeparators = {
      "\xC2\xA0",      // no-break space
      "\xE2\x80\x98",  // left single quote
      "\xE2\x80\x99",  // right single quote, typographic apostrophe
      "\xE2\x80\x9C", "\xE2\x80\x9D",  // double quotes
      "\xE2\x80\x93", "\xE2\x80\x94",  // en and em dash
      "\xE2\x80\x90", "\xE2\x80\x91",  // hyphens
  };
  for (std::string_view sep : kSeparators)
    if (cp == sep) return 0;
  return n;
}

struct Token {
  std::size_t b, e;
};

std::vector<Token> tokenize(std::string_view s) {
  std::vector<Token> out;
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t n = word_char(s, i);
    if (n == 0) {
      ++i;
      continue;
    }
    std::size_t b = i;
    while (i < s.size() && (n = word_char(s, i)) != 0) i += n;
    out.push_back({b, i});
  }
  return out;
}

std::vector<std::string> words_of(std::string_view s) {
  std::vector<std::string> out;
  for (const Token& t : tokenize(s)) out.push_back(to_lower(s.substr(t.b, t.e - t.b)));
  return out;
}

bool is_in(std::string_view word, std::initializer_list<std::string_view> set) {
  for (std::string_view w : set)
    if (ieq(word, w)) return true;
  return false;
}

bool is_title(std::string_view w) { return is_in(w, {"dr", "mr", "mrs", "ms", "miss", "prof", "doctor", "mx"}); }
bool is_particle(std::string_view w) {
  return is_in(w, {"de", "del", "della", "da", "di", "dos", "das", "van", "von", "der", "den", "la", "le", "du", "st", "ter", "ten", "bin", "ibn", "al"});
}
bool is_suffix(std::string_view w) { return is_in(w, {"jr", "sr", "ii", "iii", "iv"}); }
// Degrees and credentials written after a name, as word sequences ("M.D." is m, d).
const std::vector<std::vector<std::string_view>>& degrees() {
  static const std::vector<std::vector<std::string_view>> k = {
      {"m", "d"}, {"md"}, {"d", "o"}, {"do"}, {"d", "c"}, {"dc"}, {"ph", "d"}, {"phd"}, {"psy", "d"}, {"psyd"},
      {"pa", "c"}, {"pa"}, {"np"}, {"fnp"}, {"np", "c"}, {"pt"}, {"dpt"}, {"dpm"}, {"od"}, {"dds"}, {"dmd"},
      {"rn"}, {"lcsw"}, {"lac"}, {"l", "ac"}, {"esq"}, {"qme"}, {"facs"}, {"faaos"}, {"mph"}, {"ms"}, {"otr"}};
  return k;
}
// Words that make a name an organisation's.
bool is_company_word(std::string_view w) {
  return is_in(w, {"inc", "llc", "llp", "lp", "pc", "pllc", "corp", "corporation", "company", "co", "ltd", "group",
                   "law", "offices", "associates", "hospital", "clinic", "center", "centre", "medical", "services",
                   "insurance", "district", "county", "city", "university", "partners", "firm", "foundation",
                   "department", "school", "state", "agency", "authority", "trust", "bank", "market", "markets",
                   "stores", "industries", "systems", "solutions", "holdings", "enterprises"});
}
bool is_legal_suffix(std::string_view w) {
  return is_in(w, {"inc", "llc", "llp", "lp", "pc", "pllc", "corp", "corporation", "company", "co", "ltd"});
}

bool all_space(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }) ||
         s == "\xC2\xA0";
}
// Between parts of one name ("De La Cruz", "Smith-Jones", "O'Neil").
bool name_joint(std::string_view s) {
  if (s.empty() || s.size() > 4) return false;
  for (std::size_t i = 0; i < s.size();) {
    if (s[i] == ' ' || s[i] == '-' || s[i] == '\'') { ++i; continue; }
    if (s.substr(i, 3) == "\xE2\x80\x99" || s.substr(i, 3) == "\xE2\x80\x90" || s.substr(i, 3) == "\xE2\x80\x91") { i += 3; continue; }
    return false;
  }
  return true;
}
// After an initial or a title: "J. Smith", "J Smith", "J.A. Smith", "Dr. Smith".
bool dot_joint(std::string_view s) {
  std::size_t i = 0;
  if (i < s.size() && s[i] == '.') ++i;
  for (; i < s.size(); ++i)
    if (s[i] != ' ') return false;
  return !s.empty() && s.size() <= 4;
}
// Between the words of an organisation or a literal: short runs of spaces and punctuation.
bool loose_joint(std::string_view s) { return s.size() <= 4 && s.find_first_of("!?;:()") == std::string_view::npos; }

enum class Kind { kPerson, kOrganisation, kLiteral };

struct Pattern {
  Kind kind;
  PartyRole role;
  std::vector<std::vector<std::string>> sequences;  // lower-cased words; for people, surnames
  std::vector<std::string> given;                   // people: given names (two letters or more)
};

struct Mention {
  std::size_t start, end;            // what the role and marker styles replace
  std::size_t name_start, name_end;  // what the gap style removes (the name words)
  PartyRole role;
};

// "John A. Smith, M.D." -> surname {smith}, given {john}; "Smith, John" the same; "Maria de la
// Cruz" -> surname {de, la, cruz} and {cruz}; "Smith-Jones" -> {smith, jones}, {smith}, {jones}.
Pattern person_pattern(std::string_view name, PartyRole role) {
  Pattern p{Kind::kPerson, role, {}, {}};
  // Comma segments; a segment of degrees or suffixes only is dropped.
  std::vector<std::string_view> segments;
  std::size_t start = 0;
  while (start <= name.size()) {
    std::size_t comma = name.find(',', start);
    std::string_view seg = name.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    auto w = words_of(seg);
    bool credentials = !w.empty();
    for (std::size_t i = 0; i < w.size(); ++i) {
      bool ok = is_suffix(w[i]);
      for (const auto& d : degrees()) {
        if (i + d.size() <= w.size() && std::equal(d.begin(), d.end(), w.begin() + static_cast<long>(i))) ok = true;
      }
      if (!ok && !(w[i].size() == 1 && i > 0)) credentials = false;
    }
    if (!w.empty() && !credentials) segments.push_back(seg);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  // Whitespace-separated chunks of the natural-order name, each a list of words.
  auto chunks_of = [](std::string_view s) {
    std::vector<std::vector<std::string>> out;
    std::size_t i = 0;
    while (i < s.size()) {
      while (i < s.size() && s[i] == ' ') ++i;
      std::size_t j = s.find(' ', i);
      if (j == std::string_view::npos) j = s.size();
      auto w = words_of(s.substr(i, j - i));
      if (!w.empty() && !(w.size() == 1 && is_title(w[0]))) out.push_back(std::move(w));
      i = j;
    }
    return out;
  };
  std::vector<std::vector<std::string>> surname_chunks, given_chunks;
  if (segments.size() >= 2) {  // "Smith, John A."
    surname_chunks = chunks_of(segments[0]);
    given_chunks = chunks_of(segments[1]);
  } else if (!segments.empty()) {
    auto chunks = chunks_of(segments[0]);
    while (!chunks.empty() && chunks.back().size() == 1 && is_suffix(chunks.back()[0])) chunks.pop_back();
    if (!chunks.empty()) {
      std::size_t s = chunks.size() - 1;
      while (s > 0 && chunks[s - 1].size() == 1 && is_particle(chunks[s - 1][0])) --s;
      surname_chunks.assign(chunks.begin() + static_cast<long>(s), chunks.end());
      given_chunks.assign(chunks.begin(), chunks.begin() + static_cast<long>(s));
    }
  }
  std::vector<std::string> surname;
  for (const auto& c : surname_chunks) surname.insert(surname.end(), c.begin(), c.end());
  if (!surname.empty()) p.sequences.push_back(surname);
  // Each substantial part of a compound surname on its own ("Cruz", "Jones").
  if (surname.size() > 1)
    for (const auto& w : surname)
      if (w.size() >= 3 && !is_particle(w)) p.sequences.push_back({w});
  for (const auto& c : given_chunks)
    for (const auto& w : c)
      if (w.size() >= 2) p.given.push_back(w);
  return p;
}

Pattern organisation_pattern(std::string_view name, PartyRole role) {
  Pattern p{Kind::kOrganisation, role, {}, {}};
  auto w = words_of(name);
  if (!w.empty() && w.front() == "the" && w.size() > 1) w.erase(w.begin());
  if (!w.empty()) p.sequences.push_back(w);
  while (w.size() > 1 && is_legal_suffix(w.back())) w.pop_back();
  if (!w.empty() && w != p.sequences.front()) p.sequences.push_back(w);
  return p;
}

Result<Pattern> pattern_for(const Party& party) {
  auto w = words_of(party.name);
  bool substantial = std::any_of(w.begin(), w.end(), [](const std::string& x) { return x.size() >= 2; });
  if (!substantial)
    return invalid_argument("party name \"" + party.name + "\" (" + to_string(party.role) +
                            ") has no word of two characters or more");
  if (party.role == PartyRole::kOther) return Pattern{Kind::kLiteral, party.role, {w}, {}};
  bool company = party.role == PartyRole::kEmployer ||
                 std::any_of(w.begin(), w.end(), [](const std::string& x) { return is_company_word(x); }) ||
                 party.name.find('&') != std::string::npos;
  Pattern p = company ? organisation_pattern(party.name, party.role) : person_pattern(party.name, party.role);
  if (p.sequences.empty()) return Pattern{Kind::kLiteral, party.role, {w}, {}};
  return p;
}

class Finder {
 public:
  Finder(std::string_view text) : s_(text), t_(tokenize(text)) {}

  void find(const Pattern& p, std::vector<Mention>& out) const {
    for (std::size_t i = 0; i < t_.size(); ++i) {
      for (const auto& seq : p.sequences) {
        std::size_t j;
        if (!match(i, seq, p.kind == Kind::kPerson, j)) continue;
        Mention m{t_[i].b, t_[j].e, t_[i].b, t_[j].e, p.role};
        bool grown = false;
        if (p.kind == Kind::kPerson) grown = grow_person(p, i, j, m);
        else grown = grow_organisation(j, m);
        // A lone word written in lower case is the ordinary word it may also be.
        if (!grown && seq.size() == 1 && !is_upper(s_[t_[i].b]) && is_lower(s_[t_[i].b])) continue;
        out.push_back(m);
      }
      // A given name alone, capitalised: "Maria reported", "Mr. John".
      if (p.kind == Kind::kPerson && is_upper(s_[t_[i].b])) {
        for (const auto& g : p.given) {
          if (!ieq(word(i), g)) continue;
          Mention m{t_[i].b, t_[i].e, t_[i].b, t_[i].e, p.role};
          if (i > 0 && is_title(word(i - 1)) && dot_joint(gap(i - 1, i))) m.start = t_[i - 1].b;
          out.push_back(m);
          break;
        }
      }
    }
  }

 private:
  std::string_view word(std::size_t i) const { return s_.substr(t_[i].b, t_[i].e - t_[i].b); }
  std::string_view gap(std::size_t a, std::size_t b) const { return s_.substr(t_[a].e, t_[b].b - t_[a].e); }

  bool match(std::size_t i, const std::vector<std::string>& seq, bool person, std::size_t& last) const {
    if (i + seq.size() > t_.size()) return false;
    for (std::size_t k = 0; k < seq.size(); ++k) {
      if (!ieq(word(i + k), seq[k])) return false;
      if (k > 0 && !(person ? name_joint(gap(i + k - 1, i + k)) : loose_joint(gap(i + k - 1, i + k)))) return false;
    }
    last = i + seq.size() - 1;
    return true;
  }

  bool is_given(const Pattern& p, std::string_view w) const {
    return std::any_of(p.given.begin(), p.given.end(), [&](const std::string& g) { return ieq(w, g); });
  }
  bool is_initial(std::size_t k) const { return t_[k].e - t_[k].b == 1 && is_upper(s_[t_[k].b]); }

  // A '.' right after `pos` ends an abbreviation ("M.D.", "J."), not the sentence, when what
  // follows is not the start of a new sentence; it is then part of the mention.
  std::size_t swallow_dot(std::size_t pos) const {
    if (pos >= s_.size() || s_[pos] != '.') return pos;
    std::size_t k = pos + 1;
    if (k >= s_.size()) return pos;
    if (s_[k] != ' ') return k;  // "M.D.," "J.)"
    while (k < s_.size() && s_[k] == ' ') ++k;
    if (k < s_.size() && (is_lower(s_[k]) || std::isdigit(static_cast<unsigned char>(s_[k])))) return pos + 1;
    return pos;
  }

  // How many words of a degree ("M.D." is two) start at token n; 0 when none does.
  std::size_t degree_length(std::size_t n) const {
    std::size_t used = 0;
    for (const auto& d : degrees()) {
      if (n + d.size() > t_.size()) continue;
      bool ok = true;
      for (std::size_t q = 0; q < d.size() && ok; ++q) {
        ok = ieq(word(n + q), d[q]);
        if (ok && q > 0) {
          std::string_view dg = gap(n + q - 1, n + q);
          ok = dg == "." || dg == "-";
        }
      }
      if (ok && d.size() > used) used = d.size();
    }
    return used;
  }

  bool grow_person(const Pattern& p, std::size_t i, std::size_t j, Mention& m) const {
    bool grown = false;
    // Left: given names, initials and particles, then a title.
    std::size_t k = i;
    while (k > 0) {
      std::string_view w = word(k - 1);
      std::string_view g = gap(k - 1, k);
      if (is_title(w) && dot_joint(g)) {
        m.start = t_[k - 1].b;
        grown = true;
        break;
      }
      if ((is_given(p, w) || is_particle(w)) && all_space(g)) {
        m.start = m.name_start = t_[k - 1].b;
        grown = true;
        --k;
        continue;
      }
      if (is_initial(k - 1) && dot_joint(g)) {
        m.start = m.name_start = t_[k - 1].b;
        grown = true;
        --k;
        continue;
      }
      break;
    }
    // Right: ", John A." (comma form), suffixes and degrees.
    std::size_t n = j + 1;
    if (n < t_.size()) {
      std::string_view g = gap(j, n);
      if (g.size() >= 1 && g[0] == ',' && all_space(g.substr(1)) && degree_length(n) == 0 &&
          (is_given(p, word(n)) || is_initial(n))) {
        std::size_t last = n;
        while (last + 1 < t_.size() && (is_given(p, word(last + 1)) || is_initial(last + 1)) &&
               (all_space(gap(last, last + 1)) || dot_joint(gap(last, last + 1))))
          ++last;
        m.end = m.name_end = is_initial(last) ? swallow_dot(t_[last].e) : t_[last].e;
        grown = true;
        n = last + 1;
      }
    }
    while (n < t_.size()) {
      std::string_view g = gap(n - 1, n);
      std::string_view gg = g;
      if (!gg.empty() && gg[0] == '.') gg.remove_prefix(1);  // "Jr.," after an abbreviation
      if (!gg.empty() && gg[0] == ',') gg.remove_prefix(1);
      if (!all_space(gg) && !gg.empty()) break;
      if (!is_upper(s_[t_[n].b])) break;
      if (is_suffix(word(n))) {
        m.end = m.name_end = swallow_dot(t_[n].e);
        grown = true;
        ++n;
        continue;
      }
      const std::size_t used = degree_length(n);
      if (used == 0) break;
      m.end = swallow_dot(t_[n + used - 1].e);
      grown = true;
      n += used;
    }
    return grown;
  }

  bool grow_organisation(std::size_t j, Mention& m) const {
    bool grown = false;
    std::size_t n = j + 1;
    while (n < t_.size() && is_legal_suffix(word(n)) && loose_joint(gap(n - 1, n))) {
      m.end = m.name_end = swallow_dot(t_[n].e);
      grown = true;
      ++n;
    }
    return grown;
  }

  std::string_view s_;
  std::vector<Token> t_;
};

const char* role_phrase(PartyRole role) {
  switch (role) {
    case PartyRole::kWorker: return "the injured worker";
    case PartyRole::kPhysician: return "the physician";
    case PartyRole::kEmployer: return "the employer";
    case PartyRole::kAttorney: return "the attorney";
    case PartyRole::kOther: break;
  }
  return "[REDACTED]";
}

// True when s[pos] starts a sentence: the text's start, or after ". ", "! ", "? ".
bool sentence_start(std::string_view s, std::size_t pos) {
  std::size_t k = pos;
  while (k > 0 && s[k - 1] == ' ') --k;
  if (k == 0) return true;
  char c = s[k - 1];
  return k < pos && (c == '.' || c == '!' || c == '?');
}

std::string apply(std::string_view text, const std::vector<Pattern>& patterns, const RedactOptions& options,
                  RedactStats* stats) {
  Finder finder(text);
  std::vector<Mention> found;
  for (const Pattern& p : patterns) finder.find(p, found);
  if (found.empty()) return std::string(text);
  // Earliest first; of two starting together, the longer.
  std::sort(found.begin(), found.end(), [](const Mention& a, const Mention& b) {
    return a.start != b.start ? a.start < b.start : a.end > b.end;
  });
  std::string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  for (Mention m : found) {
    if (m.start < pos) continue;  // inside a mention already replaced
    if (stats) ++stats->mentions;
    if (options.style == RedactStyle::kGap) {
      out.append(text.substr(pos, m.name_start - pos));
      pos = m.name_end;
      continue;
    }
    std::string phrase = options.style == RedactStyle::kMarker ? "[REDACTED]" : role_phrase(m.role);
    // "the Acme Company" -> "the employer", not "the the employer".
    if (phrase.starts_with("the ") && m.start >= pos + 4 && ieq(text.substr(m.start - 4, 4), "the ") &&
        (m.start == pos + 4 || !ascii_alnum(static_cast<unsigned char>(text[m.start - 5]))))
      m.start -= 4;
    if (is_upper(text[m.start]) && sentence_start(text, m.start)) phrase[0] = static_cast<char>(std::toupper(phrase[0]));
    out.append(text.substr(pos, m.start - pos));
    out += phrase;
    pos = m.end;
  }
  out.append(text.substr(pos));
  return out;
}

Result<std::vector<Pattern>> patterns_for(const std::vector<Party>& parties) {
  std::vector<Pattern> out;
  for (const Party& p : parties) {
    auto pat = pattern_for(p);
    if (!pat.ok()) return pat.status();
    out.push_back(std::move(*pat));
  }
  return out;
}

}  // namespace

const char* to_string(PartyRole role) {
  switch (role) {
    case PartyRole::kWorker: return "worker";
    case PartyRole::kPhysician: return "physician";
    case PartyRole::kEmployer: return "employer";
    case PartyRole::kAttorney: return "attorney";
    case PartyRole::kOther: break;
  }
  return "other";
}

std::optional<PartyRole> parse_party_role(std::string_view word) {
  std::string w = to_lower(word);
  if (w.size() > 1 && w.back() == 's' && w != "others") w.pop_back();  // plural keys: "physicians"
  if (w == "worker" || w == "employee" || w == "injured worker" || w == "patient") return PartyRole::kWorker;
  if (w == "physician" || w == "doctor" || w == "provider") return PartyRole::kPhysician;
  if (w == "employer") return PartyRole::kEmployer;
  if (w == "attorney" || w == "lawyer") return PartyRole::kAttorney;
  if (w == "other" || w == "others" || w == "name") return PartyRole::kOther;
  return std::nullopt;
}

Result<std::string> redact_text(std::string_view text, const std::vector<Party>& parties, const RedactOptions& options,
                                RedactStats* stats) {
  auto patterns = patterns_for(parties);
  if (!patterns.ok()) return patterns.status();
  return apply(text, *patterns, options, stats);
}

Result<Letter> redact_letter(const Letter& letter, const std::vector<Party>& parties, const RedactOptions& options,
                             RedactStats* stats) {
  auto patterns = patterns_for(parties);
  if (!patterns.ok()) return patterns.status();
  Letter out = letter;
  auto fix = [&](std::string& s) { s = apply(s, *patterns, options, stats); };
  auto fix_opt = [&](std::optional<std::string>& s) {
    if (s) fix(*s);
  };
  auto fix_basis = [&](std::optional<GuidelineBasis>& b) {
    if (!b) return;
    fix(b->text);
    for (Citation& c : b->citations) {
      fix(c.title);
      fix_opt(c.edition);
      for (auto& x : c.sections) fix(x);
      for (auto& x : c.pages) fix(x);
    }
  };
  fix(out.source);
  fix_opt(out.clinical_summary);
  for (DisputedItem& item : out.items) {
    fix(item.request);
    fix_opt(item.original_request);
    fix_opt(item.authorized_portion);
    fix_basis(item.claims_administrator_basis);
    fix_basis(item.reviewer_basis);
    fix_opt(item.rationale);
  }
  for (auto& w : out.warnings) fix(w);
  return out;
}

Result<std::vector<Party>> parties_from_json(std::string_view text) {
  using nlohmann::json;
  json j = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return invalid_argument("parties: not valid JSON");
  std::vector<Party> out;
  auto add = [&](const json& v, PartyRole role, const std::string& where) -> Status {
    if (v.is_string()) {
      out.push_back({v.get<std::string>(), role});
      return {};
    }
    if (v.is_array()) {
      for (const json& x : v) {
        if (!x.is_string()) return invalid_argument("parties: " + where + ": names must be strings");
        out.push_back({x.get<std::string>(), role});
      }
      return {};
    }
    return invalid_argument("parties: " + where + ": expected a name or a list of names");
  };
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) {
      auto role = parse_party_role(it.key());
      if (!role) return invalid_argument("parties: unknown role \"" + it.key() + "\" (worker, physician, employer, attorney, other)");
      Status s = add(it.value(), *role, it.key());
      if (!s.ok()) return s;
    }
  } else if (j.is_array()) {
    for (std::size_t i = 0; i < j.size(); ++i) {
      const json& x = j[i];
      const std::string where = "item " + std::to_string(i + 1);
      if (x.is_string()) {
        out.push_back({x.get<std::string>(), PartyRole::kOther});
      } else if (x.is_object() && x.contains("name") && x["name"].is_string()) {
        PartyRole role = PartyRole::kOther;
        if (x.contains("role")) {
          if (!x["role"].is_string()) return invalid_argument("parties: " + where + ": role must be a string");
          auto r = parse_party_role(x["role"].get<std::string>());
          if (!r) return invalid_argument("parties: " + where + ": unknown role \"" + x["role"].get<std::string>() + "\"");
          role = *r;
        }
        out.push_back({x["name"].get<std::string>(), role});
      } else {
        return invalid_argument("parties: " + where + ": expected a name or {\"name\": ..., \"role\": ...}");
      }
    }
  } else {
    return invalid_argument("parties: expected an object of roles or an array of names");
  }
  for (const Party& p : out) {
    auto w = words_of(p.name);
    if (!std::any_of(w.begin(), w.end(), [](const std::string& x) { return x.size() >= 2; }))
      return invalid_argument("parties: name \"" + p.name + "\" has no word of two characters or more");
  }
  return out;
}

}  // namespace imr::letter
