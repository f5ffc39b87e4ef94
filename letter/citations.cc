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

#include <fstream>
#include <mutex>

#include "imr/base/data.h"
#include "imr/base/text.h"
#include "imr/letter/citations.h"
#include "sections.h"

namespace imr::letter::sections {
namespace {

// Section names that contain commas (data/letter/mtus_sections.txt), lower-case, longest first.
const std::vector<std::string>& comma_sections() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    std::ifstream in(data_path("letter/mtus_sections.txt"));
    std::string line;
    while (std::getline(in, line)) {
      std::string t(text::trim(line));
      if (t.empty() || t[0] == '#' || t.find(',') == std::string::npos) continue;
      v.push_back(text::to_lower(t));
    }
    std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
    return v;
  }();
  return names;
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
std::vector<std::string> split_sections(std::string_view s) {
  std::vector<std::string> out;
  std::string rest = strip_end_punct(text::fold_space(s));
  const auto& known = comma_sections();
  while (!rest.empty()) {
    std::string lower = text::to_lower(rest);
    std::size_t take = std::string::npos;
    for (const auto& k : known) {
      if (lower.compare(0, k.size(), k) == 0 && (lower.size() == k.size() || lower[k.size()] == ',')) {
        take = k.size();
        break;
      }
    }
    if (take == std::string::npos) {
      take = rest.find(", ");
      // A fragment starting lower-case continues the previous name ("Opioids, criteria for use").
      while (take != std::string::npos && take + 2 < rest.size() &&
             std::islower(static_cast<unsigned char>(rest[take + 2])))
        take = rest.find(", ", take + 2);
      if (take == std::string::npos) take = rest.size();
    }
    std::string part = strip_end_punct(rest.substr(0, take));
    if (text::starts_with_icase(part, "and ")) part = part.substr(4);
    if (!part.empty()) out.push_back(part);
    rest = take >= rest.size() ? "" : strip_end_punct(rest.substr(take + 1));
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
  static const RE2 kNewPart("(?i)^(?:ACOEM\\s+)?(?:Chapter\\s+\\d+\\s+)?[A-Z][A-Za-z&,/\\- ]{2,80}?\\s\\(?(?:19|20)\\d\\d\\b");
  std::vector<std::string> parts;
  std::string cur;
  std::size_t pos = 0;
  while (pos <= s.size()) {
    std::size_t cut = s.find(" and ", pos);
    if (cut == std::string::npos) { cur += s.substr(pos); break; }
    std::string next = s.substr(cut + 5);
    static const RE2 kComplete("(?i)(?:19|20)\\d\\d|Section\\(s\\)|Page\\(s\\)");
    if (RE2::PartialMatch(cur + s.substr(pos, cut - pos), kComplete) && RE2::PartialMatch(next, kNewPart)) {
      cur += s.substr(pos, cut - pos);
      parts.push_back(cur);
      cur.clear();
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
  // The chapter runs to the first separator; parentheses belong to it ("Pain (Chronic)").
  std::size_t cut = std::string::npos;
  int depth = 0;
  for (std::size_t i = 0; i < rest.size(); ++i) {
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
  if (cut != std::string::npos) c.sections = split_sections(rest.substr(cut + 1));
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
  return b;
}

}  // namespace imr::letter::sections

namespace imr::letter {
GuidelineBasis parse_guideline_basis(std::string_view paragraph) { return sections::parse_basis(paragraph); }
}  // namespace imr::letter
