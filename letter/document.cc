// Text of any supported shape -> Document (lines in reading order).
#include <algorithm>

#include "imr/base/text.h"
#include "imr/letter/document.h"

namespace imr::letter {
namespace {

bool is_blank(std::string_view s) { return text::trim(s).empty(); }

// The seed shape writes a blank line after every line: nearly every second line is empty.
bool looks_like_seed_shape(const std::vector<std::string_view>& raw) {
  if (raw.size() < 8) return false;
  std::size_t pairs = 0, empty_after = 0;
  for (std::size_t i = 0; i + 1 < raw.size(); i += 2) {
    if (is_blank(raw[i])) continue;
    ++pairs;
    if (raw[i + 1].empty() || raw[i + 1] == "\f") ++empty_after;
  }
  return pairs >= 4 && empty_after * 10 >= pairs * 9;
}

// Splits a -layout line into cells separated by runs of 3+ spaces.
std::vector<std::string> cells(std::string_view line) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && line[i] == ' ') ++i;
    std::size_t start = i, spaces = 0, end = i;
    while (i < line.size()) {
      if (line[i] == ' ') {
        ++spaces;
        if (spaces >= 3) break;
      } else {
        spaces = 0;
        end = i + 1;
      }
      ++i;
    }
    if (end > start) out.emplace_back(line.substr(start, end - start));
  }
  // "Label:" followed by its value in the next cell is one field: keep them together.
  std::vector<std::string> merged;
  for (auto& c : out) {
    if (!merged.empty() && merged.back().back() == ':' && c.find(':') == std::string::npos)
      merged.back() += " " + c;
    else
      merged.push_back(std::move(c));
  }
  return merged;
}

bool is_section_heading_start(std::string_view t) {
  return text::starts_with_icase(t, "HOW THE IMR FINAL DETERMINATION") ||
         text::starts_with_icase(t, "Notice of Independent Medical Review") ||
         text::starts_with_icase(t, "INDEPENDENT MEDICAL REVIEW") ||
         text::starts_with_icase(t, "MEDICAL PROFESSIONAL REVIEW") ||
         text::starts_with_icase(t, "MAXIMUS FEDERAL SERVICES");
}

}  // namespace

Document document_from_text(std::string_view input, std::string source) {
  Document doc;
  doc.source = std::move(source);
  std::string clean = text::ascii_punctuation(text::sanitize_utf8(input));
  std::vector<std::string_view> raw = text::lines(clean);
  bool seed = looks_like_seed_shape(raw);
  doc.shape = seed ? "seed" : "text";

  int page = 0;
  bool pending_blank = false;
  bool in_header = true;  // before the first section heading, -layout rows hold several cells
  for (std::size_t i = 0; i < raw.size(); ++i) {
    std::string_view line = raw[i];
    while (!line.empty() && line.front() == '\f') { ++page; line.remove_prefix(1); pending_blank = true; }
    if (seed) {
      // In the seed shape the empty line after each line is layout, not a paragraph break; a
      // line holding only spaces is the paragraph break.
      if (line.empty()) continue;
    }
    if (is_blank(line)) { pending_blank = true; continue; }
    std::string_view t = text::trim(line);
    if (in_header && is_section_heading_start(t)) in_header = false;
    std::vector<std::string> parts;
    if (in_header && line.find("   ") != std::string_view::npos) {
      parts = cells(line);
      if (parts.size() > 1) doc.shape = "layout";
    } else {
      parts.emplace_back(t);
    }
    for (auto& p : parts) {
      Line l;
      l.text = text::fold_space(p);
      l.page = page;
      l.blank_before = pending_blank;
      pending_blank = false;
      doc.lines.push_back(std::move(l));
    }
  }
  return doc;
}

}  // namespace imr::letter
