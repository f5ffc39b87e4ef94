// The 2013 "Notice of Independent Medical Review Determination" ("notice-2013"). A cover letter
// (header fields such as "Dated:", "Date of UR Decision:", "MAXIMUS Case Number:") whose numbered
// sentences give each decision: "MAXIMUS Federal Services, Inc. has determined the request for X
// is (not) medically necessary and appropriate". Then the attachment INDEPENDENT MEDICAL REVIEW
// DECISION AND RATIONALE: "Medical Qualifications of the Expert Reviewer:", "Case Summary:" and,
// per item, a heading ("1) Regarding the request for X:"), its guideline paragraphs and the
// rationale. The cover sentences are authoritative for request and decision; the attachment's
// blocks supply bases and rationale, matched to the sentences by order or by request text.
#include <re2/re2.h>

#include "../sections.h"
#include "imr/base/text.h"
#include "registry.h"

namespace imr::letter::templates {
namespace {

using sections::HeadingPattern;

const HeadingPattern& title() {
  static const HeadingPattern p("notice of independent medical review determination");
  return p;
}
const HeadingPattern& attachment() {
  static const HeadingPattern p("independent medical review decision (?:\\(s\\)|s)? and rationale (?:\\(s\\)|s)?");
  return p;
}
const HeadingPattern& qualifications() {
  static const HeadingPattern p(
      "(?:medical )? qualifications of (?:the )? (?:expert|physician|medical) reviewer|"
      "(?:expert|physician|medical) reviewer (?:'|\\x{2019})?s? qualifications");
  return p;
}
const HeadingPattern& case_summary() {
  static const HeadingPattern p("(?:expert reviewer (?:'|\\x{2019})?s? )? (?:clinical )? case summary");
  return p;
}
const HeadingPattern& documents() {
  static const HeadingPattern p(
      "(?:summary of )? (?:medical )? (?:documents|records) reviewed (?: for (?:this )? (?:decision|determination))?");
  return p;
}

bool ends_sentence(std::string_view t) {
  t = text::trim(t);
  return !t.empty() && (t.back() == '.' || t.back() == ':' || t.back() == '?');
}

// Text that opens the letter body: the header block ends before it.
bool body_starts(std::string_view t) {
  static const RE2 kBody("(?i)^(?:Dear\\b|Final Determination\\b)|has completed the Independent Medical Review|has determined");
  return RE2::PartialMatch(t, kBody);
}

// "1) Regarding the request for X:" -> "X:"
std::string clean_heading(std::string heading) {
  heading = sections::strip_enumerator(heading);
  static const RE2 kRegarding("(?i)^\\s*(?:Regarding|Re:)\\s+(?:the\\s+)?(?:requests?\\s+for\\s+(?:the\\s+)?)?");
  RE2::Replace(&heading, kRegarding, "");
  return text::fold_space(heading);
}

class Notice2013 final : public LetterTemplate {
 public:
  std::string_view name() const override { return "notice-2013"; }

  int detect(const Document& doc) const override {
    int score = 0, sentences = 0;
    bool main = false;
    for (std::size_t i = 0; i < doc.lines.size(); ++i) {
      const auto& t = doc.lines[i].text;
      if (title().match(doc, i) || attachment().match(doc, i)) { score += 50; main = true; }
      else if (qualifications().match(doc, i)) score += 10;
      else if (sentences < 5 && text::to_lower(t).find("has determined the request") != std::string::npos) {
        score += 2;
        ++sentences;
      }
    }
    return main ? score : 0;
  }

  Result<Letter> parse(const Document& doc) const override {
    Letter letter;
    letter.source = doc.source;
    letter.template_name = std::string(name());
    const std::size_t n = doc.lines.size();
    using sections::find_line;
    using sections::join;

    auto att = attachment().find(doc, 0);
    const std::size_t cover_end = att ? att->first : n;
    std::size_t header_end = std::min(cover_end, find_line(doc, 0, body_starts));
    sections::parse_header_lines(doc, 0, header_end, letter);

    auto sentences = sections::determination_sentences(join(doc, 0, cover_end));

    const std::size_t body = att ? att->last + 1 : 0;
    auto quals = qualifications().find(doc, body);
    auto summary = case_summary().find(doc, body);
    std::size_t items_begin = summary ? summary->last + 1 : quals ? quals->last + 1 : body;
    static const RE2 kStop("(?i)^(?:cc\\s*:|Sincerely\\b)");
    std::size_t items_end = std::min(n, find_line(doc, items_begin, [](auto t) { return RE2::PartialMatch(t, kStop); }));

    auto heading_start = [&](std::size_t i, std::size_t label) {
      const std::string& t = doc.lines[i].text;
      if (sections::starts_with_number(t)) return true;
      if (text::starts_with_icase(t, "Regarding")) return true;
      // An unnumbered heading ("Lidoderm patches #30:") is a sentence of its own ending in a colon
      // or a decision.
      bool fresh = i == items_begin || ends_sentence(doc.lines[i - 1].text) || doc.lines[i].blank_before;
      std::string run = join(doc, i, label);
      return fresh && (run.ends_with(':') || sections::trailing_decision(run).has_value());
    };
    auto blocks = sections::item_blocks(doc, items_begin, items_end, heading_start);
    if (sentences.empty() && blocks.empty())
      return unrecognized("no determination sentences (\"has determined the request for ...\") and no disputed items");

    // Reviewer: the qualifications section, else whatever precedes the case summary, else the whole letter.
    std::size_t first_item = blocks.empty() ? items_end : blocks.front().heading_first;
    if (quals) {
      std::size_t q_end = summary && summary->first > quals->last ? summary->first : first_item;
      letter.reviewer = sections::parse_reviewer(quals->rest + " " + join(doc, quals->last + 1, q_end));
    } else {
      letter.reviewer = sections::parse_reviewer(join(doc, body, summary ? summary->first : first_item));
    }
    if (letter.reviewer == Reviewer{}) letter.reviewer = sections::parse_reviewer(join(doc, 0, n));

    if (summary) {
      std::size_t s_end = first_item;
      if (auto d = documents().find(doc, summary->last + 1, s_end)) s_end = d->first;
      std::string s = sections::strip_summary_leadin(summary->rest + " " + join(doc, summary->last + 1, s_end));
      if (!s.empty()) {
        letter.clinical_summary = s;
        letter.patient = sections::parse_patient(s);
      }
    } else {
      letter.warnings.push_back("no \"Case Summary\" section");
    }

    // Pair blocks with sentences: by order when the counts agree, else by request text.
    std::vector<std::string> headings;
    for (const auto& b : blocks) headings.push_back(clean_heading(join(doc, b.heading_first, b.heading_end)));
    std::vector<int> block_of(sentences.size(), -1);
    std::vector<bool> used(blocks.size(), false);
    if (sentences.size() == blocks.size()) {
      for (std::size_t k = 0; k < sentences.size(); ++k) { block_of[k] = static_cast<int>(k); used[k] = true; }
    } else if (!sentences.empty() && !blocks.empty()) {
      letter.warnings.push_back(std::to_string(sentences.size()) + " determination sentences but " +
                                std::to_string(blocks.size()) + " item sections in the attachment; matched by request text");
      for (std::size_t k = 0; k < sentences.size(); ++k) {
        std::string want = text::to_lower(sentences[k].first);
        for (std::size_t j = 0; j < blocks.size(); ++j) {
          std::string have = text::to_lower(headings[j]);
          if (used[j] || have.empty()) continue;
          if (have.find(want) != std::string::npos || want.find(have) != std::string::npos) {
            block_of[k] = static_cast<int>(j);
            used[j] = true;
            break;
          }
        }
      }
    }

    auto fill = [&](const sections::ItemBlock& b, DisputedItem& item) {
      if (b.claims_administrator_basis) item.claims_administrator_basis = sections::parse_basis(*b.claims_administrator_basis);
      if (b.reviewer_basis) item.reviewer_basis = sections::parse_basis(*b.reviewer_basis);
      if (b.rationale) {
        std::string r = sections::strip_rationale_leadin(*b.rationale);
        if (!r.empty()) item.rationale = r;
      }
    };
    for (std::size_t k = 0; k < sentences.size(); ++k) {
      DisputedItem item;
      sections::split_request(sentences[k].first, item);
      item.decision = sentences[k].second;
      if (block_of[k] >= 0) fill(blocks[block_of[k]], item);
      else letter.warnings.push_back("item " + std::to_string(k + 1) + ": no guideline or rationale section found");
      letter.items.push_back(std::move(item));
    }
    // Blocks no sentence claimed (or all of them, when the cover sentences are missing).
    for (std::size_t j = 0; j < blocks.size(); ++j) {
      if (used[j]) continue;
      const auto& b = blocks[j];
      DisputedItem item;
      std::string heading = headings[j];
      auto td = sections::trailing_decision(heading);
      if (td) heading = td->second;
      sections::split_request(heading, item);
      fill(b, item);
      std::string where = "item " + std::to_string(letter.items.size() + 1);
      if (td) item.decision = td->first;
      else if (auto c = item.rationale ? sections::concluding_decision(*item.rationale) : std::nullopt) item.decision = *c;
      else if (b.label_decision) item.decision = *b.label_decision;
      else letter.warnings.push_back(where + ": the letter does not state the decision; recorded as upheld");
      if (item.request.empty()) letter.warnings.push_back(where + ": no request text found");
      letter.items.push_back(std::move(item));
    }
    for (std::size_t k = 0; k < letter.items.size(); ++k)
      if (!letter.items[k].rationale && block_of.size() > k && block_of[k] >= 0)
        letter.warnings.push_back("item " + std::to_string(k + 1) + ": no rationale");

    return letter;
  }
};

}  // namespace

const LetterTemplate& notice_2013() {
  static const Notice2013 t;
  return t;
}

}  // namespace imr::letter::templates
