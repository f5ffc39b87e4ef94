#include "sections.h"

#include <re2/re2.h>

#include <algorithm>
#include <cctype>

#include "imr/base/text.h"
#include "imr/letter/dates.h"

namespace imr::letter::sections {

std::size_t find_line(const Document& doc, std::size_t from, const std::function<bool(std::string_view)>& pred) {
  for (std::size_t i = from; i < doc.lines.size(); ++i)
    if (pred(doc.lines[i].text)) return i;
  return std::string::npos;
}

void append_line(std::string& out, std::string_view line) {
  line = text::trim(line);
  if (line.empty()) return;
  // A line broken after a hyphen ("10-30-" / "2016", "right-" / "sided") continues the word:
  // join without a space and keep the hyphen, which is the letter's own character.
  bool hyphen_break = out.size() >= 2 && out.back() == '-' &&
                      std::isalnum(static_cast<unsigned char>(out[out.size() - 2])) &&
                      std::isalnum(static_cast<unsigned char>(line.front()));
  if (!out.empty() && !hyphen_break && out.back() != '\n') out.push_back(' ');
  out.append(line);
}

std::string join(const Document& doc, std::size_t begin, std::size_t end) {
  std::string out;
  end = std::min(end, doc.lines.size());
  for (std::size_t i = begin; i < end; ++i) append_line(out, doc.lines[i].text);
  return out;
}

std::string join_paragraphs(const Document& doc, std::size_t begin, std::size_t end) {
  std::string out;
  end = std::min(end, doc.lines.size());
  for (std::size_t i = begin; i < end; ++i) {
    if (!out.empty() && doc.lines[i].blank_before) out += "\n\n";
    append_line(out, doc.lines[i].text);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Header block

namespace {

enum class HeaderField { kCaseNumber, kDateAssigned, kDecisionDate, kPriority, kDateOfInjury, kUrDenialDate,
                         kApplicationReceived, kReceivedTail, kClaimNumber };

struct Token {
  bool is_label;
  HeaderField field;  // labels
  std::string value;  // values
};

std::optional<HeaderField> field_of(std::string_view label) {
  std::string l = text::to_lower(text::fold_space(label));
  if (l == "case number") return HeaderField::kCaseNumber;
  if (l == "date assigned") return HeaderField::kDateAssigned;
  if (l == "decision date") return HeaderField::kDecisionDate;
  if (l == "priority") return HeaderField::kPriority;
  if (l == "date of injury") return HeaderField::kDateOfInjury;
  if (l == "ur denial date") return HeaderField::kUrDenialDate;
  if (l == "application received" || l == "application") return HeaderField::kApplicationReceived;
  if (l == "received") return HeaderField::kReceivedTail;
  // Older letters (2013-2014): "Dated:" is the decision date, "Date of UR Decision:" the UR denial
  // date; "Claim Number:" is recognised only so its value is not taken for another field.
  if (l == "dated") return HeaderField::kDecisionDate;
  if (l == "date of ur decision" || l == "ur decision date") return HeaderField::kUrDenialDate;
  if (l.rfind("claim", 0) == 0) return HeaderField::kClaimNumber;
  return std::nullopt;
}

bool is_date_field(HeaderField f) {
  return f == HeaderField::kDateAssigned || f == HeaderField::kDecisionDate || f == HeaderField::kDateOfInjury ||
         f == HeaderField::kUrDenialDate || f == HeaderField::kApplicationReceived;
}

std::optional<std::string>& slot(Letter& l, HeaderField f) {
  switch (f) {
    case HeaderField::kDateAssigned: return l.date_assigned;
    case HeaderField::kDecisionDate: return l.decision_date;
    case HeaderField::kDateOfInjury: return l.date_of_injury;
    case HeaderField::kUrDenialDate: return l.ur_denial_date;
    default: return l.application_received;
  }
}

}  // namespace

void parse_header(const Document& doc, std::size_t begin, std::size_t end, Letter& letter) {
  static const RE2 kLabel(
      "(?i)(case\\s+number|date\\s+assigned|decision\\s+date|priority|date\\s+of\\s+injury|ur\\s+denial\\s+date|"
      "date\\s+of\\s+ur\\s+decision|ur\\s+decision\\s+date|dated\\b|claims?\\s+(?:number|no\\b\\.?)|"
      "application\\s+received|application|received)\\s*:?");
  static const RE2 kCaseNumber("(?i)^[A-Z]{2}\\d{2}-\\d{4,}$");
  std::vector<Token> tokens;
  end = std::min(end, doc.lines.size());
  for (std::size_t i = begin; i < end; ++i) {
    std::string_view rest = doc.lines[i].text;
    re2::StringPiece input(rest.data(), rest.size());
    auto emit_values = [&](std::string_view chunk) {
      for (auto& w : text::split_list(chunk, ' ')) tokens.push_back({false, HeaderField::kCaseNumber, w});
    };
    re2::StringPiece m[2];
    std::size_t pos = 0;
    while (pos < rest.size() &&
           kLabel.Match(input, pos, input.size(), RE2::UNANCHORED, m, 2)) {
      std::size_t at = static_cast<std::size_t>(m[0].data() - input.data());
      // A label must start a word (not "Unreceived").
      if (at > 0 && std::isalpha(static_cast<unsigned char>(rest[at - 1]))) {
        emit_values(rest.substr(pos, at + m[0].size() - pos));
        pos = at + m[0].size();
        continue;
      }
      emit_values(rest.substr(pos, at - pos));
      auto f = field_of(std::string_view(m[1].data(), m[1].size()));
      if (f) tokens.push_back({true, *f, {}});
      pos = at + m[0].size();
    }
    if (pos < rest.size()) emit_values(rest.substr(pos));
  }

  std::optional<int> year;
  std::vector<HeaderField> date_labels;
  std::vector<std::string> dates;
  for (const auto& t : tokens) {
    if (t.is_label) {
      if (is_date_field(t.field)) date_labels.push_back(t.field);
      continue;
    }
    if (RE2::FullMatch(t.value, kCaseNumber)) {
      if (!letter.case_number) letter.case_number = text::to_lower(t.value).substr(0, 2) == "cm" ? "CM" + t.value.substr(2) : t.value;
    } else if (auto p = parse_priority(t.value)) {
      if (!letter.priority) letter.priority = p;
    } else if (auto d = parse_date(t.value)) {
      dates.push_back(*d);
    }
  }
  (void)year;
  if (date_labels.size() == dates.size()) {
    // Both column orders (labels then values, or label beside value) keep labels and values in
    // the same relative order, so pairing in order is right for every shape seen.
    for (std::size_t k = 0; k < dates.size(); ++k) slot(letter, date_labels[k]) = dates[k];
    return;
  }
  // Counts differ (a value is missing): pair each date with the nearest label before it.
  std::vector<HeaderField> pending;
  for (const auto& t : tokens) {
    if (t.is_label) {
      if (is_date_field(t.field)) pending.push_back(t.field);
      continue;
    }
    if (auto d = parse_date(t.value); d && !pending.empty()) {
      slot(letter, pending.back()) = *d;
      pending.pop_back();
    }
  }
  letter.warnings.push_back("header: " + std::to_string(date_labels.size()) + " date labels but " +
                            std::to_string(dates.size()) + " dates; some header dates may be missing");
}

std::optional<int> letter_year(const Letter& l) {
  for (const auto* d : {&l.decision_date, &l.date_assigned}) {
    if (*d && d->value().size() >= 4) return std::stoi(d->value().substr(0, 4));
  }
  if (l.case_number && l.case_number->size() >= 4 && std::isdigit(static_cast<unsigned char>((*l.case_number)[2])) &&
      std::isdigit(static_cast<unsigned char>((*l.case_number)[3])))
    return 2000 + std::stoi(l.case_number->substr(2, 2));
  return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// Reviewer

namespace {

std::vector<std::string> split_names(std::string_view s, bool split_and) {
  std::string t = text::fold_space(s);
  while (!t.empty() && (t.back() == '.' || t.back() == ',' || t.back() == ';')) t.pop_back();
  std::vector<std::string> out;
  std::string cur;
  auto flush = [&] {
    std::string v = text::fold_space(cur);
    if (!v.empty()) out.push_back(v);
    cur.clear();
  };
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (t[i] == ',' || t[i] == ';') { flush(); continue; }
    if (split_and && t.compare(i, 5, " and ") == 0) { flush(); i += 4; continue; }
    cur.push_back(t[i]);
  }
  flush();
  // "and X" left after a comma ("A, B, and C")
  for (auto& v : out)
    if (v.rfind("and ", 0) == 0) v = v.substr(4);
  return out;
}

}  // namespace

Reviewer parse_reviewer(std::string_view q) {
  Reviewer r;
  std::string flat = text::fold_space(q);
  static const RE2 kStates("(?i)State\\(s\\) of Licensure:\\s*(.*?)\\s*(?:Certification\\(s\\)/Specialty:|$)");
  static const RE2 kSpecs("(?i)Certification\\(s\\)/Specialty:\\s*(.*?)\\s*(?:State\\(s\\) of Licensure:|$)");
  std::string states, specs;
  if (RE2::PartialMatch(flat, kStates, &states)) r.licensure_states = split_names(states, false);
  if (RE2::PartialMatch(flat, kSpecs, &specs)) r.specialties = split_names(specs, false);
  if (!r.licensure_states.empty() || !r.specialties.empty()) return r;

  // Sentence form: "is Board Certified in X[, has a subspecialty in Y] and is licensed to practice in Z."
  static const RE2 kBoard("(?i)Board Certified in (.*?)(?:,? (?:and )?has a subspecialty in (.*?))?,? and is licensed to practi[cs]e in (.*?)\\.(?:\\s|$)");
  std::string x, y, z;
  if (RE2::PartialMatch(flat, kBoard, &x, &y, &z)) {
    r.board_certified = true;
    r.specialties = split_names(x, false);
    if (!y.empty()) r.subspecialties = split_names(y, false);
    r.licensure_states = split_names(z, true);
    return r;
  }
  // Non-physician reviewers (2013-2014): "is Licensed in Chiropractic[, has a subspecialty in Y]
  // and is licensed to practice in Z." The field is a specialty, but not a board certification.
  static const RE2 kLicensedIn(
      "(?i)\\bis licensed in (.*?)(?:,? (?:and )?has a subspecialty in (.*?))?,? and is licensed to practi[cs]e in (.*?)\\.(?:\\s|$)");
  if (RE2::PartialMatch(flat, kLicensedIn, &x, &y, &z)) {
    r.specialties = split_names(x, false);
    if (!y.empty()) r.subspecialties = split_names(y, false);
    r.licensure_states = split_names(z, true);
    return r;
  }
  static const RE2 kLicensed("(?i)licensed to practi[cs]e in (.*?)\\.(?:\\s|$)");
  if (RE2::PartialMatch(flat, kLicensed, &z)) r.licensure_states = split_names(z, true);
  static const RE2 kBoardOnly("(?i)Board Certified in (.*?)(?:,? and |\\.(?:\\s|$))");
  if (RE2::PartialMatch(flat, kBoardOnly, &x)) {
    r.board_certified = true;
    r.specialties = split_names(x, false);
  }
  return r;
}

// ---------------------------------------------------------------------------------------------
// Patient

Patient parse_patient(std::string_view summary) {
  Patient p;
  static const RE2 kAge("(?i)\\b(\\d{1,3})[- ](?:years?|yr)[- ]old\\b");
  static const RE2 kAgeAlt("(?i)\\bage(?:d)?:?\\s+(\\d{1,3})\\b");
  int age = 0;
  re2::StringPiece in(summary.data(), summary.size());
  if (RE2::PartialMatch(in, kAge, &age) || RE2::PartialMatch(in, kAgeAlt, &age)) {
    if (age > 0 && age < 120) p.age = age;
  }
  static const RE2 kSex("(?i)\\b(male|female|man|woman|gentleman|lady)\\b");
  std::string w;
  if (RE2::PartialMatch(in, kSex, &w)) {
    w = text::to_lower(w);
    p.sex = (w == "female" || w == "woman" || w == "lady") ? Sex::kFemale : Sex::kMale;
  }
  return p;
}

std::optional<std::string> injury_date_from_summary(std::string_view summary, std::optional<int> year) {
  static const RE2 kInjury(
      "(?i)(?:injur(?:y|ies|ed)|date of injury|DOI)\\D{0,40}?(\\d{1,2}[/-]\\d{1,2}[/-]\\d{2,4}|"
      "(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\\.? \\d{1,2}, \\d{4})");
  std::string d;
  re2::StringPiece in(summary.data(), summary.size());
  if (RE2::PartialMatch(in, kInjury, &d)) return parse_date(d, year);
  return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// Items

void split_request(std::string heading, DisputedItem& item) {
  heading = text::fold_space(heading);
  static const RE2 kRemaining(
      "(?is)^(.*?),? was the original request\\.?\\s*(.*?),? (?:was|were) authorized by the Claims Administrator\\.?\\s*"
      "The remaining IMR eligible portion of the original request,?\\s*(.*)$");
  static const RE2 kLeaving(
      "(?is)^(.*?),? was the original request\\.?\\s*The Claims Administrator authorized (.*?),? leaving the original "
      "request IMR eligible\\.?\\s*The original request,?\\s*(.*)$");
  std::string a, b, c;
  auto clean = [](std::string s) {
    s = text::fold_space(s);
    while (!s.empty() && (s.back() == ':' || s.back() == ',' || s.back() == ' ')) s.pop_back();
    if (text::ends_with_icase(s, " is")) s.resize(s.size() - 3);
    else if (text::ends_with_icase(s, " are")) s.resize(s.size() - 4);
    while (!s.empty() && (s.back() == ':' || s.back() == ',' || s.back() == ' ')) s.pop_back();
    return s;
  };
  if (RE2::FullMatch(heading, kRemaining, &a, &b, &c) || RE2::FullMatch(heading, kLeaving, &a, &b, &c)) {
    item.original_request = clean(a);
    item.authorized_portion = clean(b);
    item.request = clean(c);
    return;
  }
  item.request = clean(heading);
}

std::string strip_rationale_leadin(std::string r) {
  static const RE2 kLead("(?i)^\\s*The (?:Expert|Physician|Professional|Medical) Reviewer(?:'|\\x{2019})?s decision rationale:\\s*");
  RE2::Replace(&r, kLead, "");
  return text::fold_space(r);
}

}  // namespace imr::letter::sections

// ---------------------------------------------------------------------------------------------
// Pieces for the older layouts (2013-2014)

namespace imr::letter::sections {

void parse_header_lines(const Document& doc, std::size_t begin, std::size_t end, Letter& letter) {
  // Names, addresses and the disputed treatment sit among the header fields in these letters;
  // only the label lines and their values go to parse_header.
  static const RE2 kFreeText("(?i)^(?:Treatment|Employee|Injured Worker|Patient|Provider|Requesting|Dear\\b|Re:)");
  Document h;
  end = std::min(end, doc.lines.size());
  for (std::size_t i = begin; i < end; ++i)
    if (!RE2::PartialMatch(doc.lines[i].text, kFreeText)) h.lines.push_back(doc.lines[i]);
  parse_header(h, 0, h.lines.size(), letter);
}

namespace {

const RE2& enumerator_re() {
  static const RE2 re("^(?:\\(?(?:\\d{1,2}|[IVXivx]{1,4}|[A-Za-z])[.)]|\\((?:\\d{1,2}|[A-Za-z]|[ivxIVX]{1,4})\\))\\s*");
  return re;
}

}  // namespace

bool starts_with_number(std::string_view line) {
  static const RE2 kNumber("^\\(?\\d{1,2}[.)](?:\\s|$)");
  return RE2::PartialMatch(line, kNumber);
}

std::string strip_enumerator(std::string_view line) {
  std::string s(text::trim(line));
  // A lone letter or roman numeral is an enumerator only when a space follows ("A. CASE
  // SUMMARY", not "A.M." or "I.V.").
  static const RE2 kSpaced("^(?:\\(?(?:\\d{1,2}|[IVXivx]{1,4}|[A-Za-z])[.)]|\\((?:\\d{1,2}|[A-Za-z]|[ivxIVX]{1,4})\\))(?:\\s|$)");
  if (RE2::PartialMatch(s, kSpaced)) RE2::Replace(&s, enumerator_re(), "");
  return s;
}

HeadingPattern::HeadingPattern(std::string_view pattern) {
  std::string p = "(?i)";
  for (char c : pattern)
    if (c != ' ') p.push_back(c);
  re_ = std::make_unique<RE2>(p);
}

HeadingPattern::~HeadingPattern() = default;

std::optional<HeadingMatch> HeadingPattern::match(const Document& doc, std::size_t i) const {
  if (i >= doc.lines.size()) return std::nullopt;
  // Compact text (white space removed) of up to three lines, at most kMaxCompact bytes: headings
  // are far shorter, and the bound keeps the cost per line constant however long the line is.
  // detect() runs every pattern on every line, so this is the reader's innermost loop.
  constexpr std::size_t kMaxCompact = 512;
  char compact[kMaxCompact];
  std::size_t n = 0, line_end[3], lines = 0, from0 = 0;
  bool full = false;
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; };
  for (std::size_t k = 0; k < 3 && i + k < doc.lines.size() && !full; ++k) {
    const std::string& t = doc.lines[i + k].text;
    std::size_t from = 0;
    if (k == 0) {
      // An enumerator ("12.", "(a)", "IV)") has '(' first or '.'/')' in its first six bytes;
      // only then is the (allocating, regex) strip needed.
      std::string_view head = std::string_view(t).substr(0, 6);
      std::size_t kept = (!t.empty() && t[0] == '(') || head.find_first_of(".)") != std::string_view::npos
                             ? strip_enumerator(t).size()
                             : text::trim(t).size();
      // A line holding only a number ("23." closing a wrapped page list) starts no heading.
      if (kept == 0) return std::nullopt;
      from = from0 = t.size() - kept;
    }
    for (std::size_t b = from; b < t.size(); ++b) {
      if (space(t[b])) continue;
      if (n == kMaxCompact) { full = true; break; }
      compact[n++] = t[b];
    }
    if (!full) line_end[lines++] = n;
  }
  re2::StringPiece in(compact, n), m;
  if (!re_->Match(in, 0, in.size(), RE2::ANCHOR_START, &m, 1) || m.empty()) return std::nullopt;
  std::size_t e = m.size();
  HeadingMatch hm;
  hm.first = i;
  for (std::size_t k = 0; k < lines; ++k) {
    if (e == line_end[k]) {  // the heading ends its line
      hm.last = i + k;
      return hm;
    }
  }
  if (e >= n) return std::nullopt;
  char next = compact[e];
  if (next != ':' && next != '-' && next != '.') return std::nullopt;
  // Where compact byte e came from.
  std::size_t seen = 0;
  for (std::size_t k = 0; i + k < doc.lines.size(); ++k) {
    const std::string& t = doc.lines[i + k].text;
    for (std::size_t b = k == 0 ? from0 : 0; b < t.size(); ++b) {
      if (space(t[b])) continue;
      if (seen++ == e) {
        hm.last = i + k;
        hm.rest = std::string(text::trim(std::string_view(t).substr(b + 1)));
        return hm;
      }
    }
  }
  return std::nullopt;
}

std::optional<HeadingMatch> HeadingPattern::find(const Document& doc, std::size_t from, std::size_t end) const {
  end = std::min(end, doc.lines.size());
  for (std::size_t i = from; i < end; ++i)
    if (auto m = match(doc, i)) return m;
  return std::nullopt;
}

std::optional<ItemFieldLabel> match_item_field(const Document& doc, std::size_t line) {
  struct Wording {
    ItemField field;
    HeadingPattern pattern;
  };
  // Claims administrator wordings first: the generic "Guideline(s) Relied Upon" is the reviewer's.
  static const Wording kWordings[] = {
      {ItemField::kClaimsAdministratorBasis, HeadingPattern("claims administrator (?:'|\\x{2019})?s? guidelines? (?:\\(s\\))?")},
      {ItemField::kClaimsAdministratorBasis,
       HeadingPattern("(?:medical treatment )? guidelines? (?:\\(s\\))? relied upon by (?:the )? claims administrator")},
      {ItemField::kReviewerBasis, HeadingPattern("maximus guidelines? (?:\\(s\\))?")},
      {ItemField::kReviewerBasis,
       HeadingPattern("(?:expert|physician|professional|medical) reviewer (?:'|\\x{2019})?s? guidelines? (?:\\(s\\))?")},
      {ItemField::kReviewerBasis,
       HeadingPattern("(?:medical treatment )? guidelines? (?:\\(s\\))? relied upon (?: by (?:the )? "
                      "(?:expert|physician|professional|medical) reviewer )? (?: and why )?")},
      {ItemField::kRationale, HeadingPattern("decision rationale")},
      {ItemField::kRationale, HeadingPattern("rationale for (?:the )? (?:decision|determination)")},
      {ItemField::kRationale,
       HeadingPattern("(?:the )? (?:expert|physician|professional|medical) reviewer (?:'|\\x{2019})?s? "
                      "(?:decision and rationale|decision rationale|rationale)")},
      {ItemField::kRationale,
       HeadingPattern("rationale for why (?:the )? requested (?:treatment|service|treatment/service|treatment or service) "
                      "(?:is/was|is or was|is|was) (?:not )? medically necessary")},
      {ItemField::kRationale, HeadingPattern("rationale")},
  };
  for (const auto& w : kWordings) {
    auto m = w.pattern.match(doc, line);
    if (!m) continue;
    ItemFieldLabel l{w.field, *m, std::nullopt};
    if (w.field == ItemField::kRationale) {
      std::string head = text::to_lower(join(doc, m->first, m->last + 1));
      if (!m->rest.empty()) head.resize(head.size() - std::min(head.size(), m->rest.size()));
      if (head.find("medically necessary") != std::string::npos)
        l.decision = head.find("not medically necessary") != std::string::npos ? Decision::kUpheld : Decision::kOverturned;
    }
    return l;
  }
  return std::nullopt;
}

std::vector<ItemBlock> item_blocks(const Document& doc, std::size_t begin, std::size_t end,
                                   const std::function<bool(std::size_t, std::size_t)>& heading_start) {
  end = std::min(end, doc.lines.size());
  struct Found {
    std::size_t line;
    ItemFieldLabel label;
  };
  std::vector<std::vector<Found>> groups;
  for (std::size_t i = begin; i < end;) {
    auto l = match_item_field(doc, i);
    if (!l) { ++i; continue; }
    auto rank = [](ItemField f) { return static_cast<int>(f); };
    bool fresh = groups.empty();
    if (!fresh)
      for (const auto& f : groups.back())
        if (rank(f.label.field) >= rank(l->field)) fresh = true;
    if (fresh) groups.emplace_back();
    std::size_t next = l->where.last + 1;
    groups.back().push_back({i, std::move(*l)});
    i = next;
  }

  std::vector<ItemBlock> blocks;
  std::size_t floor = begin;
  for (const auto& g : groups) {
    ItemBlock b;
    b.first_label = g.front().line;
    b.heading_first = b.heading_end = b.first_label;
    std::size_t lowest = b.first_label >= 6 ? std::max(floor, b.first_label - 6) : floor;
    for (std::size_t i = b.first_label; i-- > lowest;) {
      if (heading_start(i, b.first_label)) { b.heading_first = i; break; }
    }
    if (!blocks.empty()) blocks.back().end = b.heading_first;
    floor = g.back().label.where.last + 1;
    blocks.push_back(std::move(b));
  }
  if (!blocks.empty()) blocks.back().end = end;

  for (std::size_t k = 0; k < blocks.size(); ++k) {
    ItemBlock& b = blocks[k];
    const auto& g = groups[k];
    for (std::size_t j = 0; j < g.size(); ++j) {
      const auto& f = g[j];
      std::size_t stop = j + 1 < g.size() ? g[j + 1].line : b.end;
      std::string text = f.label.where.rest;
      for (std::size_t i = f.label.where.last + 1; i < stop; ++i) append_line(text, doc.lines[i].text);
      text = text::fold_space(text);
      switch (f.label.field) {
        case ItemField::kClaimsAdministratorBasis: b.claims_administrator_basis = text; break;
        case ItemField::kReviewerBasis: b.reviewer_basis = text; break;
        case ItemField::kRationale:
          b.rationale = text;
          b.label_decision = f.label.decision;
          break;
      }
    }
  }
  return blocks;
}

std::optional<std::pair<Decision, std::string>> trailing_decision(std::string_view text) {
  static const RE2 kNecessary(
      "(?is)^(.*?)[\\s:,\\-]*(?:\\b(?:is|are|was|were)\\s+)?(?:(not)\\s+)?medically\\s+necessary"
      "(?:\\s+and\\s+appropriate)?\\s*[.:]?\\s*$");
  static const RE2 kWord("(?is)^(.*?)[\\s:,\\-]*\\b(upheld|overturned|uphold|overturn)\\s*\\.?\\s*$");
  std::string before, word;
  std::string t = text::fold_space(text);
  if (RE2::FullMatch(t, kNecessary, &before, &word))
    return std::make_pair(word.empty() ? Decision::kOverturned : Decision::kUpheld, before);
  if (RE2::FullMatch(t, kWord, &before, &word))
    return std::make_pair(text::to_lower(word).rfind("uphe", 0) == 0 || text::iequals(word, "uphold")
                              ? Decision::kUpheld
                              : Decision::kOverturned,
                          before);
  return std::nullopt;
}

std::optional<Decision> concluding_decision(std::string_view rationale) {
  static const RE2 kStatement(
      "(?i)\\b(?:is|are|was|were)\\s+(not\\s+)?(?:(?:deemed|considered|found|determined|shown|established)\\s+"
      "(?:to\\s+be\\s+|as\\s+)?)?(not\\s+)?medically\\s+necessary");
  re2::StringPiece in(rationale.data(), rationale.size());
  std::string a, b;
  std::optional<Decision> last;
  while (RE2::FindAndConsume(&in, kStatement, &a, &b))
    last = (a.empty() && b.empty()) ? Decision::kOverturned : Decision::kUpheld;
  return last;
}

std::vector<std::pair<std::string, Decision>> determination_sentences(std::string_view text) {
  static const RE2 kSentence(
      "(?is)has\\s+determined\\s+(?:that\\s+)?(?:the\\s+)?(?:requests?\\s+for\\s+(?:the\\s+)?)?(.{1,400}?)\\s+"
      "(?:is|are|was|were)\\s+(not\\s+)?medically\\s+necessary");
  std::string folded = text::fold_space(text);
  re2::StringPiece in(folded);
  std::string request, neg;
  std::vector<std::pair<std::string, Decision>> out;
  while (RE2::FindAndConsume(&in, kSentence, &request, &neg))
    out.emplace_back(text::fold_space(request), neg.empty() ? Decision::kOverturned : Decision::kUpheld);
  return out;
}

std::string strip_summary_leadin(std::string summary) {
  static const RE2 kIntro(
      "(?is)^\\s*The (?:expert|physician|professional|medical) reviewer (?:developed|prepared|wrote) the following "
      "(?:clinical )?(?:case )?summary.{0,200}?(?:records?|file|documents?)\\s*[:.]\\s*");
  RE2::Replace(&summary, kIntro, "");
  return text::fold_space(summary);
}

}  // namespace imr::letter::sections
