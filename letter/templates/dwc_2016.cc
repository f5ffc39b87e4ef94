// The 2014-2017 MAXIMUS layout ("dwc-2016"): optional header block ("Case Number:" ...), then
// HOW THE IMR FINAL DETERMINATION WAS MADE / CLINICAL CASE SUMMARY / IMR ISSUES, DECISIONS AND
// RATIONALES, each disputed item a heading ending in its decision word followed by
// "Claims Administrator guideline:", "MAXIMUS guideline:" and "Decision rationale:" paragraphs.
// The seed documents (no header block) are the same layout.
#include <re2/re2.h>

#include "../sections.h"
#include "imr/base/text.h"
#include "registry.h"

namespace imr::letter::templates {
namespace {

using sections::find_line;

bool starts(std::string_view line, std::string_view prefix) { return text::starts_with_icase(line, prefix); }

bool is_field_marker(std::string_view t) {
  return starts(t, "Claims Administrator guideline") || starts(t, "MAXIMUS guideline") ||
         starts(t, "Decision rationale") || starts(t, "Expert Reviewer guideline");
}

// The decision word that ends an item heading: "...: Upheld", "... is: Overturned", or the word
// alone on its line. Returns the heading text before it (possibly empty).
std::optional<std::pair<Decision, std::string>> heading_end(std::string_view t) {
  static const RE2 kEnd("(?i)^(.*?)[\\s:]*\\b(upheld|overturned)\\s*\\.?$");
  std::string before, word;
  if (!RE2::FullMatch(t, kEnd, &before, &word)) return std::nullopt;
  return std::make_pair(*parse_decision(word), before);
}

bool ends_sentence(std::string_view t) {
  t = text::trim(t);
  return !t.empty() && (t.back() == '.' || t.back() == '!' || t.back() == '?');
}

// Sentences inside a partial-authorisation heading end at line ends too; they are not the end
// of the preceding rationale.
bool heading_sentence(std::string_view t) {
  return text::ends_with_icase(t, "was the original request.") ||
         text::ends_with_icase(t, "by the Claims Administrator.") || text::ends_with_icase(t, "IMR eligible.");
}

class Dwc2016 final : public LetterTemplate {
 public:
  std::string_view name() const override { return "dwc-2016"; }

  int detect(const Document& doc) const override {
    int score = 0;
    for (const auto& l : doc.lines) {
      const auto& t = l.text;
      if (starts(t, "HOW THE IMR FINAL DETERMINATION WAS MADE")) score += 10;
      else if (starts(t, "IMR ISSUES, DECISIONS AND RATIONALES")) score += 10;
      else if (starts(t, "Claims Administrator guideline:")) score += 3;
      else if (starts(t, "MAXIMUS guideline:")) score += 3;
      if (score >= 40) break;
    }
    return score >= 10 ? score : 0;
  }

  Result<Letter> parse(const Document& doc) const override {
    Letter letter;
    letter.source = doc.source;
    letter.template_name = std::string(name());
    const std::size_t n = doc.lines.size();

    std::size_t how = find_line(doc, 0, [](auto t) { return starts(t, "HOW THE IMR FINAL DETERMINATION WAS MADE"); });
    std::size_t summary = find_line(doc, how == std::string::npos ? 0 : how,
                                    [](auto t) { return starts(t, "CLINICAL CASE SUMMARY"); });
    std::size_t issues = find_line(doc, summary == std::string::npos ? 0 : summary,
                                   [](auto t) { return starts(t, "IMR ISSUES, DECISIONS AND RATIONALES"); });
    if (issues == std::string::npos) {
      // Some letters lose the heading; the first guideline paragraph still marks the items.
      std::size_t first = find_line(doc, 0, [](auto t) { return starts(t, "Claims Administrator guideline"); });
      if (first == std::string::npos) return unrecognized("no \"IMR ISSUES, DECISIONS AND RATIONALES\" section and no disputed items");
      issues = summary != std::string::npos ? summary : first;
      letter.warnings.push_back("the \"IMR ISSUES, DECISIONS AND RATIONALES\" heading is missing");
    }

    std::size_t header_end = how != std::string::npos ? how : (summary != std::string::npos ? summary : issues);
    sections::parse_header(doc, 0, header_end, letter);

    if (how != std::string::npos) {
      std::size_t q_end = summary != std::string::npos ? summary : issues;
      std::string q;
      for (std::size_t i = how + 1; i < q_end; ++i) q += doc.lines[i].text + "\n";
      letter.reviewer = sections::parse_reviewer(q);
    }

    if (summary != std::string::npos && summary < issues) {
      std::string s = sections::join(doc, summary + 1, issues);
      static const RE2 kIntro("(?i)^The (?:expert|physician|professional) reviewer developed the following clinical case summary.*?medical records:\\s*");
      RE2::Replace(&s, kIntro, "");
      s = text::fold_space(s);
      if (!s.empty()) letter.clinical_summary = s;
      letter.patient = sections::parse_patient(s);
    } else {
      letter.warnings.push_back("no CLINICAL CASE SUMMARY section");
    }

    auto items = parse_items(doc, issues + 1, n, letter);
    if (!items.ok()) return items.status();
    letter.items = std::move(items.value());

    return letter;
  }

 private:
  Result<std::vector<DisputedItem>> parse_items(const Document& doc, std::size_t begin, std::size_t end,
                                                Letter& letter) const {
    // Skip "The Final Determination was based on decisions for the disputed items/services set forth below:"
    std::size_t start = begin;
    for (std::size_t i = begin; i < std::min(end, begin + 4); ++i) {
      if (text::ends_with_icase(doc.lines[i].text, "set forth below:")) { start = i + 1; break; }
    }
    // Heading ends: a line ending in the decision word whose next line opens a field paragraph.
    struct Heading { std::size_t first, last; Decision decision; };
    std::vector<std::size_t> ends;
    for (std::size_t i = start; i + 1 < end; ++i) {
      if (is_field_marker(doc.lines[i + 1].text) && heading_end(doc.lines[i].text)) ends.push_back(i);
    }
    if (ends.empty()) return unrecognized("no disputed items found (no heading ending in Upheld or Overturned)");

    std::vector<Heading> headings;
    std::size_t floor = start;
    for (std::size_t k = 0; k < ends.size(); ++k) {
      std::size_t last = ends[k];
      std::size_t first = last;
      while (first > floor) {
        const Line& prev = doc.lines[first - 1];
        const Line& cur = doc.lines[first];
        bool include;
        if (doc.has_font_info && prev.bold.has_value()) {
          include = *prev.bold;
        } else {
          bool paragraph_break = cur.blank_before && cur.page == prev.page;
          include = !paragraph_break && (!ends_sentence(prev.text) || heading_sentence(prev.text)) &&
                    !text::ends_with_icase(text::trim(prev.text), "medically necessary") &&
                    !is_field_marker(prev.text);
        }
        if (!include) break;
        --first;
      }
      headings.push_back({first, last, heading_end(doc.lines[last].text)->first});
      // The next heading cannot start before this item's rationale has begun.
      std::size_t rationale = find_line(doc, last + 1, [](auto t) { return starts(t, "Decision rationale"); });
      floor = (rationale != std::string::npos && (k + 1 >= ends.size() || rationale < ends[k + 1])) ? rationale + 1 : last + 1;
    }

    std::vector<DisputedItem> items;
    for (std::size_t k = 0; k < headings.size(); ++k) {
      const Heading& h = headings[k];
      DisputedItem item;
      item.decision = h.decision;
      std::string heading = sections::join(doc, h.first, h.last);
      auto tail = heading_end(doc.lines[h.last].text);
      heading += (heading.empty() ? "" : " ") + tail->second;
      sections::split_request(heading, item);
      if (item.request.empty()) letter.warnings.push_back("item " + std::to_string(k + 1) + ": the request text is empty");

      std::size_t body_end = k + 1 < headings.size() ? headings[k + 1].first : end;
      // Field paragraphs, each starting at its marker line and running to the next marker.
      std::string* target = nullptr;
      std::string ca, mx, rat;
      bool has_ca = false, has_mx = false;
      for (std::size_t i = h.last + 1; i < body_end; ++i) {
        const std::string& t = doc.lines[i].text;
        std::string_view rest = t;
        if (starts(t, "Claims Administrator guideline")) { target = &ca; has_ca = true; rest = rest.substr(rest.find(':') + 1); }
        else if (starts(t, "MAXIMUS guideline") || starts(t, "Expert Reviewer guideline")) { target = &mx; has_mx = true; rest = rest.substr(rest.find(':') + 1); }
        else if (starts(t, "Decision rationale")) { target = &rat; auto c = rest.find(':'); rest = c == std::string_view::npos ? "" : rest.substr(c + 1); }
        if (!target) continue;
        sections::append_line(*target, rest);
      }
      if (has_ca) item.claims_administrator_basis = sections::parse_basis(ca);
      if (has_mx) item.reviewer_basis = sections::parse_basis(mx);
      std::string r = sections::strip_rationale_leadin(rat);
      if (!r.empty()) item.rationale = r;
      else letter.warnings.push_back("item " + std::to_string(k + 1) + ": no decision rationale");
      items.push_back(std::move(item));
    }
    return items;
  }
};

}  // namespace

const LetterTemplate& dwc_2016() {
  static const Dwc2016 t;
  return t;
}

}  // namespace imr::letter::templates
