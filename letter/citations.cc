// Guideline basis paragraphs -> citations.
//
// The paragraphs are free text written by people, in a few recurring forms:
//   "Decision based on MTUS Chronic Pain Medical Treatment 2016, Section(s): Opioids, criteria for use."
//   "Decision based on MTUS ACOEM Chapter 12 Low Back Complaints Page(s): 301"
//   "Decision based on MTUS Knee Complaints 2004, and Chronic Pain Medical Treatment 2016, Section(s): ..."
//   "Decision based on Non-MTUS Citation Official Disability Guidelines (ODG) Low Back, Platelet-rich plasma (PRP)."
//   "The Claims Administrator did not cite any medical evidence for its decision."
// Each "Decision based on" clause is one or more citations. What cannot be classified is kept
// as source "other" with the clause as its title, so nothing cited is dropped.
#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <mutex>

#include "imr/base/data.h"
#include "imr/base/text.h"
#include "imr/letter/citations.h"
#include "sections.h"

namespace imr::letter::sections {
namespace {

// Names from a data file under data/letter/ (one per line, '#' comments), lower-case, longest
// first so that a prefix match takes the most specific name.
std::vector<std::string> load_names(const char* file) {
  std::vector<std::string> v;
  std::ifstream in(data_path(std::string("letter/") + file));
  std::string line;
  while (std::getline(in, line)) {
    std::string t(text::trim(line));
    if (t.empty() || t[0] == '#') continue;
    v.push_back(text::to_lower(t));
  }
  std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
  return v;
}

// MTUS section names that contain commas (mtus_sections.txt).
const std::vector<std::string>& comma_sections() {
  static const std::vector<std::string> names = [] {
    auto v = load_names("mtus_sections.txt");
    std::erase_if(v, [](const std::string& n) { return n.find(',') == std::string::npos; });
    return v;
  }();
  return names;
}

// The length of the longest name in `names` that `s` starts with (case-insensitive) and that is
// followed by the end or a non-letter; 0 when none.
std::size_t known_prefix(std::string_view s, const std::vector<std::string>& names) {
  std::string lower = text::to_lower(s.substr(0, 160));
  for (const auto& n : names) {
    if (lower.compare(0, n.size(), n) == 0 &&
        (lower.size() == n.size() || !std::isalpha(static_cast<unsigned char>(lower[n.size()]))))
      return n.size();
  }
  return 0;
}

std::string strip_end_punct(std::string s) {
  while (!s.empty() && (s.back() == '.' || s.back() == ',' || s.back() == ';' || s.back() == ':' || s.back() == ' ' ||
                        s.back() == '-'))
    s.pop_back();
  std::size_t i = 0;
  while (i < s.size() && (s[i] == ',' || s[i] == ':' || s[i] == ';' || s[i] == ' ' || s[i] == '-' || s[i] == '.')) ++i;
  return s.substr(i);
}

// "Diagnostic Criteria, Special Studies" -> two; "Opioids, criteria for use" -> one.
// Walks one folded copy by offset (never re-copying the rest), so time is linear in the length.
std::vector<std::string> split_sections(std::string_view s) {
  std::vector<std::string> out;
  const std::string all = strip_end_punct(text::fold_space(s));
  const std::string lower = text::to_lower(all);
  const auto& known = comma_sections();
  auto lead_punct = [](char c) { return c == ',' || c == ':' || c == ';' || c == ' ' || c == '-' || c == '.'; };
  std::size_t pos = 0;  // start of the part being read
  while (pos < all.size()) {
    std::size_t end = std::string::npos;
    for (const auto& k : known) {
      if (lower.compare(pos, k.size(), k) == 0 && (pos + k.size() == lower.size() || lower[pos + k.size()] == ',')) {
        end = pos + k.size();
        break;
      }
    }
    if (end == std::string::npos) {
      end = all.find(", ", pos);
      // A fragment starting lower-case continues the previous name ("Opioids, criteria for use").
      while (end != std::string::npos && end + 2 < all.size() && std::islower(static_cast<unsigned char>(all[end + 2])))
        end = all.find(", ", end + 2);
      if (end == std::string::npos) end = all.size();
    }
    std::string part = strip_end_punct(all.substr(pos, end - pos));
    if (text::starts_with_icase(part, "and ")) part = part.substr(4);
    if (!part.empty()) out.push_back(part);
    pos = end >= all.size() ? all.size() : end + 1;
    while (pos < all.size() && lead_punct(all[pos])) ++pos;
  }
  return out;
}

std::vector<std::string> split_pages(std::string_view s) {
  std::vector<std::string> out;
  for (auto& p : text::split_list(strip_end_punct(std::string(s)), ',')) {
    std::string t = strip_end_punct(p);
    if (text::starts_with_icase(t, "and ")) t = t.substr(4);
    if (!t.empty()) out.push_back(t);
  }
  return out;
}

// One MTUS part: "[ACOEM ][Chapter 12 ]Low Back Complaints 2004[ Guidelines][, Section(s): ...][ Page(s): ...]"
Citation parse_mtus_part(const std::string& part) {
  static const RE2 kPart(
      "(?i)^(?:ACOEM\\s*)?(?:Chapter\\s+(\\d+)\\s*[:,-]?\\s*)?(.*?)\\s*(?:\\(?((?:19|20)\\d\\d)\\)?)?\\s*"
      "(?:Guidelines?)?\\s*(?:,?\\s*Section\\(s\\):\\s*(.*?))?\\s*(?:,?\\s*Page\\(s\\):\\s*(.*?))?\\s*$");
  Citation c;
  c.source = "MTUS";
  std::string chapter, title, year, sections, pages;
  if (RE2::FullMatch(part, kPart, &chapter, &title, &year, &sections, &pages)) {
    c.title = strip_end_punct(title);
    if (c.title.empty() && !chapter.empty()) c.title = "Chapter " + chapter;
    if (!year.empty()) c.edition = year;
    c.sections = split_sections(sections);
    c.pages = split_pages(pages);
  } else {
    c.title = strip_end_punct(part);
  }
  if (c.title.empty()) c.title = "MTUS";
  return c;
}

std::vector<Citation> parse_mtus_clause(const std::string& s) {
  // Parts are joined with ", and " (or " and "); a new part names a guideline and an edition year.
  static const RE2 kNewPart("(?i)^(?:ACOEM\\s+)?(?:Chapter\\s+\\d+\\s+)?[A-Z][A-Za-z&/\\- ]{2,80}?\\s\\(?(?:19|20)\\d\\d\\b");
  static const RE2 kComplete("(?i)(?:19|20)\\d\\d|Section\\(s\\)|Page\\(s\\)");
  std::vector<std::string> parts;
  std::string cur;
  // Whether `cur` already names an edition, sections or pages. Kept as each piece is added rather
  // than re-matching all of `cur` (a match cannot span pieces: they are joined by " and "), and the
  // rest of the clause is looked at in place, so time stays linear in the clause's length.
  bool cur_complete = false;
  std::size_t pos = 0;
  while (pos <= s.size()) {
    std::size_t cut = s.find(" and ", pos);
    if (cut == std::string::npos) { cur += s.substr(pos); break; }
    re2::StringPiece piece(s.data() + pos, cut - pos), next(s.data() + cut + 5, s.size() - cut - 5);
    if (!cur_complete) cur_complete = RE2::PartialMatch(piece, kComplete);
    static const std::vector<std::string> parts_known = load_names("mtus_parts.txt");
    // A known part name decides; otherwise fall back to "Title Words YYYY" without commas.
    bool new_part = known_prefix(std::string_view(next.data(), next.size()), parts_known) > 0 ||
                    RE2::PartialMatch(next, kNewPart);
    if (cur_complete && new_part) {
      cur.append(piece.data(), piece.size());
      parts.push_back(cur);
      cur.clear();
      cur_complete = false;
    } else {
      cur += s.substr(pos, cut + 5 - pos);
    }
    pos = cut + 5;
  }
  parts.push_back(cur);
  std::vector<Citation> out;
  for (auto& p : parts) {
    std::string t = strip_end_punct(p);
    if (!t.empty()) out.push_back(parse_mtus_part(t));
  }
  return out;
}

Citation parse_odg(std::string rest) {
  Citation c;
  c.source = "ODG";
  static const RE2 kPrefix(
      "(?i)^.*?(?:Official Disability Guidelines|\\bODG\\b)(?:\\s*\\(ODG\\))?(?:\\s+Guidelines)?"
      "(?:,?\\s*\\d+(?:st|nd|rd|th) Edition)?(?:,?\\s*(?:19|20)\\d\\d)?(?:,?\\s*Web Version)?");
  RE2::Replace(&rest, kPrefix, "");
  static const RE2 kChapterWord("(?i)^[\\s,:\\-]*(?:Chapter\\s*:\\s*)?");
  RE2::Replace(&rest, kChapterWord, "");
  static const RE2 kNoise("(?i)\\s*\\((?:updated|online version)[^)]*\\)|\\s*\\bOnline Version\\b|\\s*\\bProcedure Summary\\b");
  RE2::GlobalReplace(&rest, kNoise, "");
  rest = strip_end_punct(text::fold_space(rest));
  if (rest.empty()) {
    c.title = "Official Disability Guidelines";
    return c;
  }
  // A known chapter name with separators in it (odg_chapters.txt) is the title as a whole;
  // otherwise the chapter runs to the first separator; parentheses belong to it ("Pain (Chronic)").
  static const std::vector<std::string> chapters = load_names("odg_chapters.txt");
  std::size_t known = known_prefix(rest, chapters);
  std::size_t cut = std::string::npos;
  int depth = 0;
  if (known > 0) {
    cut = rest.find_first_not_of(' ', known);
    if (cut != std::string::npos && rest[cut] != ',' && rest[cut] != ':' && rest[cut] != ';' && rest[cut] != '-' && rest[cut] != '/') cut = known;
  }
  for (std::size_t i = known; known == 0 && i < rest.size(); ++i) {
    char ch = rest[i];
    if (ch == '(') ++depth;
    else if (ch == ')') depth = std::max(0, depth - 1);
    else if (depth == 0 && (ch == ',' || ch == ':' || ch == ';' || ch == '/' ||
                            (ch == '-' && i > 0 && rest[i - 1] == ' ' && i + 1 < rest.size() && rest[i + 1] == ' '))) {
      cut = i;
      break;
    }
  }
  std::string title = strip_end_punct(rest.substr(0, cut));
  static const RE2 kChapterSuffix("(?i)\\s+(?:chapter|section)$");
  RE2::Replace(&title, kChapterSuffix, "");
  c.title = title;
  if (cut != std::string::npos && cut < rest.size()) c.sections = split_sections(rest.substr(cut + (rest[cut] == ' ' ? 0 : 1)));
  return c;
}

Citation parse_acoem(std::string rest) {
  Citation c;
  c.source = "ACOEM";
  static const RE2 kPage("(?i)(?:,?\\s*(?:pages?|pg\\.?|p\\.)\\s*([0-9][0-9\\-, ]*))");
  std::string pages;
  if (RE2::PartialMatch(rest, kPage, &pages)) {
    c.pages = split_pages(pages);
    RE2::Replace(&rest, kPage, "");
  }
  static const RE2 kPrefix(
      "(?i)^.*?(?:American College of Occupational and Environmental Medicine(?:\\s*\\(ACOEM\\))?|ACOEM)"
      "(?:\\s+Occupational Medicine Practice Guidelines|\\s+Guidelines?|\\s+Practice Guidelines)?"
      "(?:,?\\s*\\d+(?:st|nd|rd|th) ed(?:ition|\\.)?)?,?");
  RE2::Replace(&rest, kPrefix, "");
  static const RE2 kChapter("(?i)^[\\s,:\\-]*Chapter\\s+(\\d+)[\\s,:\\-]*");
  std::string ch;
  if (RE2::PartialMatch(rest, kChapter, &ch)) RE2::Replace(&rest, kChapter, "");
  rest = strip_end_punct(text::fold_space(rest));
  std::size_t cut = rest.find_first_of(",/:;");
  c.title = strip_end_punct(rest.substr(0, cut));
  if (cut != std::string::npos) c.sections = split_sections(rest.substr(cut + 1));
  if (c.title.empty()) c.title = ch.empty() ? "ACOEM Practice Guidelines" : "Chapter " + ch;
  return c;
}

std::vector<Citation> parse_non_mtus_clause(std::string s) {
  std::vector<Citation> out;
  // "… and Other Medical Treatment Guidelines <X>" names a further, non-guideline source.
  static const RE2 kOther("(?i)^(.*?)\\s*(?:,|;|\\.)?\\s*\\band Other Medical Treatment Guidelines?\\s*(.*)$");
  std::string head, other;
  if (RE2::FullMatch(s, kOther, &head, &other)) s = head;
  static const RE2 kAndOdg("(?i)^(.*?)\\s+and (?:the )?(Official Disability Guidelines.*)$");
  std::string first, second;
  std::vector<std::string> pieces;
  if (RE2::FullMatch(s, kAndOdg, &first, &second)) pieces = {first, second};
  else pieces = {s};
  static const RE2 kOdg("(?i)Official Disability Guidelines|\\bODG\\b");
  static const RE2 kAcoem("(?i)\\bACOEM\\b|American College of Occupational");
  for (auto& p : pieces) {
    p = strip_end_punct(text::fold_space(p));
    if (p.empty()) continue;
    re2::StringPiece sp(p);
    if (RE2::PartialMatch(sp, kOdg)) out.push_back(parse_odg(p));
    else if (RE2::PartialMatch(sp, kAcoem)) out.push_back(parse_acoem(p));
    else out.push_back(Citation{"other", p, std::nullopt, {}, {}});
  }
  other = strip_end_punct(text::fold_space(other));
  if (!other.empty()) out.push_back(Citation{"other", other, std::nullopt, {}, {}});
  return out;
}

// ---- Older prose (2013-2014 letters) ------------------------------------------------------
//   "The Claims Administrator based its decision on the Chronic Pain Medical Treatment Guidelines
//    (2009), Lidoderm, page 56-57, which is part of the MTUS."
//   "The Expert Reviewer based his/her decision on the ACOEM Practice Guidelines, 2nd Edition
//    (2004), Chapter 12, Low Back Complaints, pages 303-305, which is part of the MTUS, and the
//    Official Disability Guidelines (ODG), Low Back Chapter, MRI, which is not part of the MTUS."

// Commas inside parentheses do not separate ("(ODG), Pain (Chronic), Opioids").
std::vector<std::string> split_commas(std::string_view s) {
  std::vector<std::string> out;
  std::string cur;
  int depth = 0;
  for (char c : s) {
    if (c == '(') ++depth;
    if (c == ')') depth = std::max(0, depth - 1);
    if (c == ',' && depth == 0) {
      out.push_back(text::fold_space(cur));
      cur.clear();
      continue;
    }
    cur.push_back(c);
  }
  out.push_back(text::fold_space(cur));
  std::erase_if(out, [](const std::string& t) { return t.empty(); });
  return out;
}

// One MTUS guideline written as prose: name token(s), edition, chapter, title, topics, pages.
Citation parse_prose_mtus(const std::string& part) {
  static const RE2 kPages("(?i)^(?:pages?|page\\(s\\)|pgs?\\.?|pp?\\.)\\s*:?\\s*(.+)$");
  static const RE2 kPageNumbers("^[0-9][0-9\\-\\s]*$");
  static const RE2 kEditionOnly("(?i)^(?:\\d+(?:st|nd|rd|th)\\s+Edition)?\\s*,?\\s*\\(?((?:19|20)\\d\\d)?\\)?$");
  static const RE2 kChapter("(?i)^Chapter\\s+(\\d+)\\s*[:\\-]?\\s*(.*)$");
  static const RE2 kName("(?i)guideline|\\bACOEM\\b|American College|\\bMTUS\\b|Medical Treatment Utilization");
  static const RE2 kYear("\\(?\\b((?:19|20)\\d\\d)\\b\\)?");
  static const RE2 kNameWords(
      "(?i)\\((?:ACOEM|MTUS|ODG|CPMTG|MTG)\\)|\\b\\d+(?:st|nd|rd|th)\\s+Edition\\b|^\\s*the\\s+|\\b(?:CA|California)\\b|"
      "\\bMTUS\\b|Medical Treatment Utilization Schedule|American College of Occupational and Environmental Medicine|"
      "\\bACOEM\\b|Occupational Medicine Practice Guidelines?|Practice Guidelines?|\\bGuidelines?\\b");
  Citation c;
  c.source = "MTUS";
  std::string chapter;
  std::vector<std::string> topics;
  bool in_pages = false;
  const std::vector<std::string> tokens = split_commas(part);
  // ACOEM chapter names hold commas ("Forearm, Wrist, and Hand Complaints"): a title runs on to
  // a token ending in "Complaints" within the next two.
  auto chapter_title = [&](std::size_t& k) {
    for (std::size_t j = k; j < std::min(tokens.size(), k + 3); ++j) {
      if (!text::ends_with_icase(tokens[j], "Complaints")) continue;
      std::string t = tokens[k];
      for (std::size_t m = k + 1; m <= j; ++m) t += ", " + tokens[m];
      k = j;
      return t;
    }
    return tokens[k];
  };
  for (std::size_t k = 0; k < tokens.size(); ++k) {
    const std::string& t = tokens[k];
    std::string v, rest, year;
    if (RE2::FullMatch(t, kPages, &v)) {
      for (auto& p : split_pages(v)) c.pages.push_back(p);
      in_pages = true;
      continue;
    }
    if (in_pages && RE2::FullMatch(t, kPageNumbers)) {
      c.pages.push_back(strip_end_punct(t));
      continue;
    }
    in_pages = false;
    if (RE2::FullMatch(t, kEditionOnly, &year)) {
      if (!year.empty() && !c.edition) c.edition = year;
      continue;
    }
    if (RE2::FullMatch(t, kChapter, &v, &rest)) {
      chapter = v;
      rest = strip_end_punct(rest);
      if (!rest.empty() && c.title.empty()) c.title = rest;
      continue;
    }
    if (RE2::PartialMatch(t, kName)) {
      if (RE2::PartialMatch(t, kYear, &year) && !c.edition) c.edition = year;
      std::string name = t;
      RE2::GlobalReplace(&name, kYear, "");
      RE2::GlobalReplace(&name, kNameWords, " ");
      name = strip_end_punct(text::fold_space(name));
      if (!name.empty() && c.title.empty()) c.title = name;
      continue;
    }
    if (c.title.empty()) c.title = strip_end_punct(chapter_title(k));
    else topics.push_back(t);
  }
  std::string joined;
  for (const auto& t : topics) joined += (joined.empty() ? "" : ", ") + t;
  c.sections = split_sections(joined);
  if (c.title.empty()) c.title = chapter.empty() ? "MTUS" : "Chapter " + chapter;
  return c;
}

// One clause naming one or more guidelines, each possibly followed by whether it is part of the MTUS.
std::vector<Citation> parse_prose_clause(std::string clause) {
  static const RE2 kJoin(
      "(?i)(?:,|;)?\\s+(?:and|as well as|along with)\\s+(?:on\\s+)?(?:the\\s+)?(?:CA\\s+|California\\s+)?"
      "(MTUS|Chronic Pain|ACOEM|American College|Official Disability|ODG\\b|Medical Treatment Utilization)");
  static const RE2 kMember(
      "(?i),?\\s*(?:which|that)\\s+(?:is|are)\\s+(not\\s+)?(?:a\\s+)?part\\s+of\\s+(?:the\\s+)?(?:California\\s+|CA\\s+)?"
      "(?:MTUS|Medical\\s+Treatment\\s+Utilization\\s+Schedule)");
  static const RE2 kWhy(
      "(?i),?\\s+(?:(?:was|were|is|are)\\s+(?:relied|used|applied|cited|chosen|selected)\\b|because\\b|as\\s+(?:it|they)\\b)");
  static const RE2 kOdg("(?i)Official Disability Guidelines|\\bODG\\b");
  static const RE2 kAcoem("(?i)\\bACOEM\\b|American College of Occupational");
  static const RE2 kMtusName("(?i)\\bMTUS\\b|Chronic Pain Medical Treatment|Medical Treatment Utilization");
  static const RE2 kAdopted("(?i)\\b2004\\b|\\b2nd\\s+Ed");

  std::vector<std::string> parts;
  {
    re2::StringPiece in(clause), m[2];
    std::size_t start = 0, pos = 0;
    while (pos < clause.size() && kJoin.Match(in, pos, in.size(), RE2::UNANCHORED, m, 2)) {
      std::size_t at = static_cast<std::size_t>(m[0].data() - in.data());
      std::size_t name = static_cast<std::size_t>(m[1].data() - in.data());
      if (at > start) parts.push_back(clause.substr(start, at - start));
      start = name;
      pos = name + m[1].size();
    }
    parts.push_back(clause.substr(start));
  }
  std::vector<Citation> out;
  for (auto p : parts) {
    std::string no;
    re2::StringPiece in(p), m;
    std::optional<bool> member;
    if (kMember.Match(in, 0, in.size(), RE2::UNANCHORED, &m, 1)) {
      RE2::PartialMatch(m, kMember, &no);
      member = no.empty();
      p.resize(static_cast<std::size_t>(m.data() - in.data()));
    }
    in = re2::StringPiece(p);
    if (kWhy.Match(in, 0, in.size(), RE2::UNANCHORED, &m, 1)) p.resize(static_cast<std::size_t>(m.data() - in.data()));
    p = strip_end_punct(text::fold_space(p));
    if (text::starts_with_icase(p, "the ")) p = p.substr(4);
    if (p.empty()) continue;
    bool odg = RE2::PartialMatch(p, kOdg), acoem = RE2::PartialMatch(p, kAcoem);
    bool mtus = member ? *member
                       : !odg && (RE2::PartialMatch(p, kMtusName) || (acoem && RE2::PartialMatch(p, kAdopted)));
    if (mtus) out.push_back(parse_prose_mtus(p));
    else if (odg) out.push_back(parse_odg(p));
    else if (acoem) out.push_back(parse_acoem(p));
    else out.push_back(Citation{"other", p, std::nullopt, {}, {}});
  }
  return out;
}

// The clauses of a paragraph with no "Decision based on": what follows "based its/his/her decision
// on" or "relied (up)on" to the end of its sentence; failing those, whole sentences that open
// with a guideline's name or say whether it is part of the MTUS.
std::vector<std::string> prose_clauses(const std::string& text) {
  std::vector<std::string> sentences;
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    bool end = text[i] == '.' && (i + 1 == text.size() ||
                                  (text[i + 1] == ' ' && i + 2 < text.size() &&
                                   std::isupper(static_cast<unsigned char>(text[i + 2]))));
    if (!end) continue;
    sentences.push_back(text.substr(start, i - start));
    start = i + 1;
  }
  if (start < text.size()) sentences.push_back(text.substr(start));

  static const RE2 kStarter(
      "(?i)\\b(?:based\\s+(?:its|his/her|his|her|their|the)\\s+(?:decision|determination)s?\\s+(?:up)?on|"
      "relied\\s+(?:up)?on)\\s+");
  static const RE2 kNamed(
      "(?i)^\\s*(?:the\\s+)?(?:CA\\s+|California\\s+)?(?:MTUS|Chronic Pain Medical Treatment|ACOEM|American College of "
      "Occupational|Official Disability|ODG|Medical Treatment Utilization Schedule)");
  static const RE2 kMemberWords("(?i)part\\s+of\\s+(?:the\\s+)?(?:California\\s+|CA\\s+)?MTUS");
  std::vector<std::string> out;
  for (const auto& s : sentences) {
    re2::StringPiece in(s), m;
    if (!kStarter.Match(in, 0, in.size(), RE2::UNANCHORED, &m, 1)) continue;
    // The object names a guideline ("relied upon the Official ..."), not "relied upon because".
    std::string rest = s.substr(static_cast<std::size_t>(m.data() - in.data()) + m.size());
    std::string_view object = rest;
    if (text::starts_with_icase(object, "the ")) object.remove_prefix(4);
    if (!object.empty() && std::isupper(static_cast<unsigned char>(object.front()))) out.push_back(rest);
  }
  if (!out.empty()) return out;
  for (const auto& s : sentences)
    if (RE2::PartialMatch(s, kNamed) || RE2::PartialMatch(s, kMemberWords)) out.push_back(s);
  return out;
}

}  // namespace

GuidelineBasis parse_basis(std::string_view paragraph) {
  GuidelineBasis b;
  b.text = text::fold_space(paragraph);
  static const RE2 kClause("(?i)Decision based on\\s+");
  std::vector<std::string> clauses;
  {
    re2::StringPiece in(b.text);
    re2::StringPiece m;
    std::size_t prev = std::string::npos;
    std::size_t pos = 0;
    while (pos <= b.text.size() && kClause.Match(in, pos, in.size(), RE2::UNANCHORED, &m, 1)) {
      std::size_t at = static_cast<std::size_t>(m.data() - in.data());
      if (prev != std::string::npos) clauses.push_back(b.text.substr(prev, at - prev));
      prev = at + m.size();
      pos = prev;
    }
    if (prev != std::string::npos) clauses.push_back(b.text.substr(prev));
  }
  static const RE2 kNonMtus("(?i)^Non\\s*-?\\s*MTUS\\s*(?:Citation\\s*)?:?\\s*(.*)$");
  static const RE2 kMtus("(?i)^(?:the\\s+)?(?:CA\\s+|California\\s+)?MTUS\\b\\s*(?:Guidelines?\\s*)?:?\\s*(.*)$");
  for (auto& c : clauses) {
    std::string body = strip_end_punct(c);
    std::string rest;
    if (RE2::FullMatch(body, kNonMtus, &rest)) {
      for (auto& x : parse_non_mtus_clause(rest)) b.citations.push_back(std::move(x));
    } else if (RE2::FullMatch(body, kMtus, &rest)) {
      for (auto& x : parse_mtus_clause(rest)) b.citations.push_back(std::move(x));
    } else if (!body.empty()) {
      for (auto& x : parse_non_mtus_clause(body)) b.citations.push_back(std::move(x));
    }
  }
  if (clauses.empty()) {
    for (const auto& c : prose_clauses(b.text))
      for (auto& x : parse_prose_clause(c)) b.citations.push_back(std::move(x));
  }
  return b;
}

}  // namespace imr::letter::sections

namespace imr::letter {
GuidelineBasis parse_guideline_basis(std::string_view paragraph) { return sections::parse_basis(paragraph); }
}  // namespace imr::letter
