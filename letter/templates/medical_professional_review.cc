// The 2013 "MEDICAL PROFESSIONAL REVIEW" layout ("medical-professional-review"): the reviewer's
// report as capitalised sections — ISSUE AT DISPUTE (the disputed items, often as questions),
// CASE SUMMARY, DOCUMENTS REVIEWED FOR DETERMINATION, MEDICAL TREATMENT GUIDELINE(S) RELIED UPON
// BY PROFESSIONAL REVIEWER AND WHY, RATIONALE FOR WHY THE REQUESTED TREATMENT/SERVICE IS/WAS NOT
// MEDICALLY NECESSARY, MEDICAL REVIEWER QUALIFICATIONS — optionally preceded by header fields or
// a cover letter. The guideline and rationale sections come once per item or once for all items
// (then split at "1.", "2." when they are numbered that way). The decision is taken, in order,
// from a DETERMINATION section, the cover letter's "has determined" sentences, the rationale's
// conclusion, or the rationale heading's own wording.
#include <re2/re2.h>

#include "../sections.h"
#include "imr/base/text.h"
#include "registry.h"

namespace imr::letter::templates {
namespace {

using sections::HeadingMatch;
using sections::HeadingPattern;
using sections::ItemField;

enum class Kind { kTitle, kIssue, kSummary, kDocuments, kQualifications, kDetermination, kField };

struct Named {
  Kind kind;
  HeadingPattern pattern;
};

const std::vector<const Named*>& named_sections() {
  static const Named title{Kind::kTitle, HeadingPattern("medical professional review")};
  static const Named issue{Kind::kIssue, HeadingPattern("issue (?:\\(s\\)|s)? (?:at|in) dispute")};
  static const Named summary{Kind::kSummary, HeadingPattern("(?:clinical )? case summary")};
  static const Named documents{Kind::kDocuments,
                               HeadingPattern("documents reviewed (?: for (?:the )? (?:determination|decision|review))?")};
  static const Named quals{Kind::kQualifications,
                           HeadingPattern("(?:medical |professional |physician |expert )? reviewer (?:'|\\x{2019})?s? "
                                          "qualifications|qualifications of (?:the )? (?:medical |professional |expert |physician )? reviewer")};
  static const Named determination{Kind::kDetermination, HeadingPattern("(?:final )? (?:determination|decision) (?:\\(s\\)|s)?")};
  static const std::vector<const Named*> all = {&title, &issue, &summary, &documents, &quals, &determination};
  return all;
}

struct Section {
  Kind kind;
  HeadingMatch where;
  ItemField field = ItemField::kRationale;  // kField only
  std::optional<Decision> label_decision;   // kField rationale only
  std::vector<std::string> lines;           // its text: the rest of the heading line, then its lines
};

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) sections::append_line(out, l);
  return text::fold_space(out);
}

// Splits lines at entries numbered 1, 2, 3, ... in sequence; text before "1" is dropped. Empty
// when the lines are not numbered that way.
std::vector<std::string> numbered_entries(const std::vector<std::string>& lines) {
  static const RE2 kNumber("^\\(?(\\d{1,2})[.)](?:\\s|$)");
  std::vector<std::vector<std::string>> parts;
  for (const auto& l : lines) {
    int k = 0;
    if (RE2::PartialMatch(l, kNumber, &k) && k == static_cast<int>(parts.size()) + 1) {
      parts.emplace_back();
      parts.back().push_back(sections::strip_enumerator(l));
    } else if (!parts.empty()) {
      parts.back().push_back(l);
    }
  }
  std::vector<std::string> out;
  for (const auto& p : parts) out.push_back(joined(p));
  return out;
}

// "Is the request for X medically necessary?" -> "X".
std::string request_of_issue(std::string issue) {
  static const RE2 kLead(
      "(?i)^\\s*(?:(?:whether\\s+(?:or\\s+not\\s+)?|(?:is|are|was|were)\\s+)(?:the\\s+)?(?:requests?\\s+for\\s+(?:the\\s+)?|"
      "requested\\s+)?|(?:the\\s+)?medical\\s+necessity\\s+(?:of|for)\\s+(?:the\\s+)?(?:requested\\s+)?|"
      "(?:the\\s+)?requests?\\s+for\\s+(?:the\\s+)?)");
  static const RE2 kTail(
      "(?i)[\\s,]*(?:(?:is|are|was|were)\\s+)?(?:medically\\s+necessary(?:\\s+and\\s+appropriate)?)?\\s*[?.]?\\s*$");
  issue = sections::strip_enumerator(issue);
  RE2::Replace(&issue, kLead, "");
  RE2::Replace(&issue, kTail, "");
  return text::fold_space(issue);
}

std::vector<std::string> issues_of(const std::vector<std::string>& lines) {
  auto entries = numbered_entries(lines);
  if (!entries.empty()) return entries;
  std::string all = joined(lines);
  if (all.empty()) return {};
  // Several questions in one paragraph: one item each.
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t q = all.find('?'); q != std::string::npos; q = all.find('?', start)) {
    std::string one(text::trim(all.substr(start, q + 1 - start)));
    if (!one.empty()) out.push_back(one);
    start = q + 1;
  }
  std::string tail(text::trim(all.substr(std::min(start, all.size()))));
  if (out.size() <= 1) return {all};
  if (!tail.empty()) out.back() += " " + tail;
  return out;
}

bool body_starts(std::string_view t) {
  static const RE2 kBody("(?i)^(?:Dear\\b|Final Determination\\b)|has completed the Independent Medical Review|has determined");
  return RE2::PartialMatch(t, kBody);
}

class MedicalProfessionalReview final : public LetterTemplate {
 public:
  std::string_view name() const override { return "medical-professional-review"; }

  int detect(const Document& doc) const override {
    static const HeadingPattern kTitle("medical professional review");
    static const HeadingPattern kIssue("issue (?:\\(s\\)|s)? (?:at|in) dispute");
    static const HeadingPattern kDocuments("documents reviewed for (?:the )? determination");
    static const HeadingPattern kGuideline("medical treatment guidelines? (?:\\(s\\))? relied upon by (?:the )? professional reviewer");
    static const HeadingPattern kRationale("rationale for why (?:the )? requested treatment");
    static const HeadingPattern kQuals("medical reviewer (?:'|\\x{2019})?s? qualifications");
    bool title = false;
    int score = 0, kinds = 0;
    bool seen[5] = {};
    for (std::size_t i = 0; i < doc.lines.size(); ++i) {
      if (!title && kTitle.match(doc, i)) { title = true; score += 50; continue; }
      const HeadingPattern* others[] = {&kIssue, &kDocuments, &kGuideline, &kRationale, &kQuals};
      const int weight[] = {20, 10, 20, 20, 10};
      for (int k = 0; k < 5; ++k) {
        if (seen[k] || !others[k]->match(doc, i)) continue;
        seen[k] = true;
        score += weight[k];
        ++kinds;
        break;
      }
    }
    // Without the title, two of its own headings are needed: any one alone could be a phrase elsewhere.
    return title || kinds >= 2 ? score : 0;
  }

  Result<Letter> parse(const Document& doc) const override {
    Letter letter;
    letter.source = doc.source;
    letter.template_name = std::string(name());
    const std::size_t n = doc.lines.size();
    using sections::join;

    std::vector<Section> secs;
    for (std::size_t i = 0; i < n; ++i) {
      std::optional<Section> s;
      for (const auto* named : named_sections()) {
        if (auto m = named->pattern.match(doc, i)) { s = Section{named->kind, *m}; break; }
      }
      if (!s) {
        if (auto f = sections::match_item_field(doc, i)) s = Section{Kind::kField, f->where, f->field, f->decision};
      }
      if (!s) continue;
      secs.push_back(std::move(*s));
      i = secs.back().where.last;
    }
    for (std::size_t k = 0; k < secs.size(); ++k) {
      Section& s = secs[k];
      std::size_t end = k + 1 < secs.size() ? secs[k + 1].where.first : n;
      if (!s.where.rest.empty()) s.lines.push_back(s.where.rest);
      for (std::size_t i = s.where.last + 1; i < end; ++i) s.lines.push_back(doc.lines[i].text);
    }

    // Header: everything before the first section other than the title, up to a cover letter's body.
    std::size_t header_end = sections::find_line(doc, 0, body_starts);
    for (const auto& s : secs)
      if (s.kind != Kind::kTitle) { header_end = std::min(header_end, s.where.first); break; }
    sections::parse_header_lines(doc, 0, std::min(header_end, n), letter);

    auto all_of = [&](Kind kind, std::optional<ItemField> field = std::nullopt) {
      std::vector<const Section*> out;
      for (const auto& s : secs)
        if (s.kind == kind && (!field || s.field == *field)) out.push_back(&s);
      return out;
    };
    std::vector<std::string> issues;
    for (const auto* s : all_of(Kind::kIssue))
      for (auto& i : issues_of(s->lines)) issues.push_back(std::move(i));
    auto guidelines = all_of(Kind::kField, ItemField::kReviewerBasis);
    auto ca_guidelines = all_of(Kind::kField, ItemField::kClaimsAdministratorBasis);
    auto rationales = all_of(Kind::kField, ItemField::kRationale);
    auto determinations = all_of(Kind::kDetermination);
    auto sentences = sections::determination_sentences(join(doc, 0, n));

    // A DETERMINATION section lists the decisions, one numbered entry per item ("1. X: Upheld") or
    // one section per item; its entries also name the items when ISSUE AT DISPUTE runs them
    // together ("Whether A and B are medically necessary").
    std::vector<std::string> det_entries;
    if (determinations.size() == 1) {
      det_entries = numbered_entries(determinations[0]->lines);
      if (det_entries.empty()) det_entries.push_back(joined(determinations[0]->lines));
    } else {
      for (const auto* d : determinations) det_entries.push_back(joined(d->lines));
    }
    const bool requests_from_determination = det_entries.size() > std::max<std::size_t>(issues.size(), 1);

    std::size_t count = requests_from_determination ? det_entries.size() : issues.size();
    if (count == 0) count = std::max({rationales.size(), guidelines.size(), sentences.size()});
    if (count == 0) return unrecognized("no ISSUE AT DISPUTE and no rationale section");
    if (issues.empty()) letter.warnings.push_back("no ISSUE AT DISPUTE section; the disputed items are unnamed");

    // One text per item from sections that come once per item, or once for all items (split at
    // their numbering, else shared). `shared` reports the latter.
    auto per_item = [&](const std::vector<const Section*>& found, const char* what, bool* shared) {
      std::vector<std::optional<std::string>> out(count);
      if (shared) *shared = false;
      if (found.empty()) return out;
      if (found.size() == count) {
        for (std::size_t k = 0; k < count; ++k) out[k] = joined(found[k]->lines);
        return out;
      }
      if (found.size() == 1) {
        auto parts = numbered_entries(found[0]->lines);
        if (parts.size() == count) {
          for (std::size_t k = 0; k < count; ++k) out[k] = parts[k];
          return out;
        }
        for (auto& o : out) o = joined(found[0]->lines);
        if (shared) *shared = true;
        return out;
      }
      letter.warnings.push_back(std::to_string(found.size()) + " " + what + " sections for " + std::to_string(count) +
                                " disputed items; assigned in order");
      for (std::size_t k = 0; k < std::min(count, found.size()); ++k) out[k] = joined(found[k]->lines);
      return out;
    };
    bool shared_rationale = false;
    auto reviewer_basis = per_item(guidelines, "guideline", nullptr);
    auto ca_basis = per_item(ca_guidelines, "claims administrator guideline", nullptr);
    auto rationale = per_item(rationales, "rationale", &shared_rationale);
    if (shared_rationale && count > 1)
      letter.warnings.push_back("one rationale for " + std::to_string(count) + " disputed items; each item carries all of it");

    for (std::size_t k = 0; k < count; ++k) {
      DisputedItem item;
      std::string where = "item " + std::to_string(k + 1);
      auto stated = det_entries.size() == count ? sections::trailing_decision(det_entries[k]) : std::nullopt;
      if (requests_from_determination && stated) sections::split_request(request_of_issue(stated->second), item);
      else if (k < issues.size()) sections::split_request(request_of_issue(issues[k]), item);
      else if (sentences.size() == count) sections::split_request(sentences[k].first, item);
      if (item.request.empty()) letter.warnings.push_back(where + ": no request text found");
      if (ca_basis[k]) item.claims_administrator_basis = sections::parse_basis(*ca_basis[k]);
      if (reviewer_basis[k]) item.reviewer_basis = sections::parse_basis(*reviewer_basis[k]);
      if (rationale[k]) {
        std::string r = sections::strip_rationale_leadin(*rationale[k]);
        if (!r.empty()) item.rationale = r;
      }
      if (!item.rationale) letter.warnings.push_back(where + ": no rationale");

      std::optional<Decision> d;
      if (stated) d = stated->first;
      else if (det_entries.size() == count) d = sections::concluding_decision(det_entries[k]);
      if (!d && sentences.size() == count) d = sentences[k].second;
      if (!d && item.rationale && !shared_rationale) d = sections::concluding_decision(*item.rationale);
      if (!d && k < rationales.size() && rationales.size() == count) d = rationales[k]->label_decision;
      if (!d && rationales.size() == 1 && count == 1) d = rationales[0]->label_decision;
      if (d) item.decision = *d;
      else letter.warnings.push_back(where + ": the letter does not state the decision; recorded as upheld");
      letter.items.push_back(std::move(item));
    }

    auto quals = all_of(Kind::kQualifications);
    if (!quals.empty()) letter.reviewer = sections::parse_reviewer(joined(quals[0]->lines));
    if (letter.reviewer == Reviewer{}) letter.reviewer = sections::parse_reviewer(join(doc, 0, n));

    auto summary = all_of(Kind::kSummary);
    if (!summary.empty()) {
      std::string s = sections::strip_summary_leadin(joined(summary[0]->lines));
      if (!s.empty()) {
        letter.clinical_summary = s;
        letter.patient = sections::parse_patient(s);
      }
    } else {
      letter.warnings.push_back("no CASE SUMMARY section");
    }
    return letter;
  }
};

}  // namespace

const LetterTemplate& medical_professional_review() {
  static const MedicalProfessionalReview t;
  return t;
}

}  // namespace imr::letter::templates
