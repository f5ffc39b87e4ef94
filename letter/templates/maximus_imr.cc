// The late-2013/2014 "MAXIMUS FEDERAL SERVICES, INC. / Independent Medical Review" layout
// ("maximus-imr"): letterhead, header fields ("Dated:", "IMR Case Number:", "Date of UR
// Decision:", ... in one or two columns), optional HOW THE IMR FINAL DETERMINATION WAS MADE /
// qualifications, CLINICAL CASE SUMMARY, DOCUMENTS REVIEWED, then IMR DECISION(S) AND
// RATIONALE(S): per item a heading that ends in its decision ("1. X is not medically necessary and
// appropriate.", or "X: Upheld"), then guideline paragraphs and the rationale.
#include <re2/re2.h>

#include "../sections.h"
#include "imr/base/text.h"
#include "registry.h"

namespace imr::letter::templates {
namespace {

using sections::HeadingMatch;
using sections::HeadingPattern;

enum Section { kHow, kQualifications, kSummary, kDocuments, kDecisions, kSectionCount };

const HeadingPattern& section_pattern(Section s) {
  static const HeadingPattern how("how the imr final determination was made");
  static const HeadingPattern quals(
      "(?:medical )? qualifications of (?:the )? (?:expert|physician|medical) reviewer|"
      "(?:expert|physician|medical) reviewer (?:'|\\x{2019})?s? qualifications");
  static const HeadingPattern summary("(?:expert reviewer (?:'|\\x{2019})?s? )? (?:clinical )? case summary");
  static const HeadingPattern documents("documents reviewed");
  static const HeadingPattern decisions("imr decision (?:\\(s\\)|s)? and rationale (?:\\(s\\)|s)?");
  switch (s) {
    case kHow: return how;
    case kQualifications: return quals;
    case kSummary: return summary;
    case kDocuments: return documents;
    default: return decisions;
  }
}

const HeadingPattern& letterhead() {
  static const HeadingPattern p("maximus federal services ,? inc \\.? ,? independent medical review");
  return p;
}

bool ends_sentence(std::string_view t) {
  t = text::trim(t);
  return !t.empty() && (t.back() == '.' || t.back() == ':' || t.back() == '?');
}

// Sentences inside a partial-authorisation heading end at line ends too; they do not end the
// preceding rationale.
bool heading_sentence(std::string_view t) {
  return text::ends_with_icase(t, "was the original request.") ||
         text::ends_with_icase(t, "by the Claims Administrator.") || text::ends_with_icase(t, "IMR eligible.");
}

bool body_starts(std::string_view t) {
  static const RE2 kBody("(?i)^(?:Dear\\b|Final Determination\\b)|has completed the Independent Medical Review");
  return RE2::PartialMatch(t, kBody);
}

class MaximusImr final : public LetterTemplate {
 public:
  std::string_view name() const override { return "maximus-imr"; }

  int detect(const Document& doc) const override {
    bool decisions = false, head = false, docs = false;
    for (std::size_t i = 0; i < doc.lines.size(); ++i) {
      if (!decisions && section_pattern(kDecisions).match(doc, i)) decisions = true;
      else if (!head && letterhead().match(doc, i)) head = true;
      else if (!docs && section_pattern(kDocuments).match(doc, i)) docs = true;
    }
    if (!decisions && !(head && docs)) return 0;
    return (decisions ? 50 : 0) + (head ? 20 : 0) + (docs ? 10 : 0);
  }

  Result<Letter> parse(const Document& doc) const override {
    Letter letter;
    letter.source = doc.source;
    letter.template_name = std::string(name());
    const std::size_t n = doc.lines.size();
    using sections::find_line;
    using sections::join;

    // First occurrence of each section heading.
    std::optional<HeadingMatch> sec[kSectionCount];
    for (std::size_t i = 0; i < n; ++i) {
      for (int s = 0; s < kSectionCount; ++s) {
        if (sec[s]) continue;
        if (auto m = section_pattern(static_cast<Section>(s)).match(doc, i)) {
          sec[s] = m;
          i = m->last;
          break;
        }
      }
    }
    std::size_t first_section = n;
    for (const auto& s : sec)
      if (s) first_section = std::min(first_section, s->first);

    std::size_t items_begin = sec[kDecisions] ? sec[kDecisions]->last + 1 : first_section == n ? 0 : first_section;
    // "The Final Determination was based on decisions for the disputed items/services set forth below:"
    for (std::size_t i = items_begin; i < std::min(n, items_begin + 3); ++i)
      if (text::ends_with_icase(doc.lines[i].text, "set forth below:")) { items_begin = i + 1; break; }

    std::size_t header_end = std::min(first_section, find_line(doc, 0, body_starts));
    sections::parse_header_lines(doc, 0, header_end, letter);

    // A section runs to the next section heading after it.
    auto section_end = [&](const HeadingMatch& m) {
      std::size_t e = n;
      for (const auto& s : sec)
        if (s && s->first > m.last) e = std::min(e, s->first);
      return e;
    };
    auto section_text = [&](const HeadingMatch& m) { return m.rest + " " + join(doc, m.last + 1, section_end(m)); };

    std::size_t items_end = n;
    if (sec[kDocuments] && sec[kDocuments]->first >= items_begin) items_end = sec[kDocuments]->first;
    static const RE2 kStop("(?i)^(?:cc\\s*:|Sincerely\\b)");
    items_end = std::min(items_end, find_line(doc, items_begin, [](auto t) { return RE2::PartialMatch(t, kStop); }));

    auto heading_start = [&](std::size_t i, std::size_t label) {
      const std::string& t = doc.lines[i].text;
      if (sections::starts_with_number(t) || text::starts_with_icase(t, "Regarding")) return true;
      // Unnumbered: the heading is the last sentence before the label, and it states the decision
      // or ends in a colon ("Acupuncture, 6 sessions:"; the rationale then gives the decision).
      const std::string& prev = i > 0 ? doc.lines[i - 1].text : std::string();
      bool fresh = i == items_begin || doc.lines[i].blank_before || (ends_sentence(prev) && !heading_sentence(prev));
      std::string run = join(doc, i, label);
      return fresh && (run.ends_with(':') || sections::trailing_decision(run).has_value());
    };
    auto blocks = sections::item_blocks(doc, items_begin, items_end, heading_start);
    if (blocks.empty()) return unrecognized("no disputed items found (no guideline or rationale paragraphs)");

    const std::size_t first_item = blocks.front().heading_first;
    if (sec[kQualifications]) letter.reviewer = sections::parse_reviewer(section_text(*sec[kQualifications]));
    else if (sec[kHow]) letter.reviewer = sections::parse_reviewer(section_text(*sec[kHow]));
    if (letter.reviewer == Reviewer{}) letter.reviewer = sections::parse_reviewer(join(doc, 0, first_item));

    if (sec[kSummary] && sec[kSummary]->first < first_item) {
      std::string s = sections::strip_summary_leadin(section_text(*sec[kSummary]));
      if (!s.empty()) {
        letter.clinical_summary = s;
        letter.patient = sections::parse_patient(s);
      }
    } else {
      letter.warnings.push_back("no CLINICAL CASE SUMMARY section");
    }

    for (std::size_t k = 0; k < blocks.size(); ++k) {
      const auto& b = blocks[k];
      std::string where = "item " + std::to_string(k + 1);
      DisputedItem item;
      std::string heading = sections::strip_enumerator(join(doc, b.heading_first, b.heading_end));
      static const RE2 kRegarding("(?i)^\\s*Regarding\\s+(?:the\\s+)?(?:requests?\\s+for\\s+(?:the\\s+)?)?");
      RE2::Replace(&heading, kRegarding, "");
      auto td = sections::trailing_decision(heading);
      if (td) heading = td->second;
      sections::split_request(heading, item);
      if (b.claims_administrator_basis) item.claims_administrator_basis = sections::parse_basis(*b.claims_administrator_basis);
      if (b.reviewer_basis) item.reviewer_basis = sections::parse_basis(*b.reviewer_basis);
      if (b.rationale) {
        std::string r = sections::strip_rationale_leadin(*b.rationale);
        if (!r.empty()) item.rationale = r;
      }
      if (!item.rationale) letter.warnings.push_back(where + ": no decision rationale");
      if (td) item.decision = td->first;
      else if (auto c = item.rationale ? sections::concluding_decision(*item.rationale) : std::nullopt) item.decision = *c;
      else if (b.label_decision) item.decision = *b.label_decision;
      else letter.warnings.push_back(where + ": the letter does not state the decision; recorded as upheld");
      if (item.request.empty()) letter.warnings.push_back(where + ": no request text found");
      letter.items.push_back(std::move(item));
    }

    return letter;
  }
};

}  // namespace

const LetterTemplate& maximus_imr() {
  static const MaximusImr t;
  return t;
}

}  // namespace imr::letter::templates
