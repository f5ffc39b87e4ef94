#include "imr/letter/reader.h"

#include <algorithm>
#include <filesystem>

#include "imr/base/files.h"
#include "imr/base/text.h"
#include "sections.h"

namespace imr::letter {

Result<Letter> read_letter(const Document& doc) {
  // Templates by detect() score, best first; ties keep registry order. When the best claimant
  // cannot parse the letter (a layout that borrows another's headings), the next one tries.
  std::vector<std::pair<int, const LetterTemplate*>> ranked;
  for (const auto* t : letter_templates()) {
    int s = t->detect(doc);
    if (s > 0) ranked.emplace_back(s, t);
  }
  if (ranked.empty()) return unrecognized("not an IMR determination letter (no known layout's headings found)");
  std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  Status first_error;
  for (const auto& [score, t] : ranked) {
    auto letter = t->parse(doc);
    if (letter.ok()) {
      // Every layout: a letter without a header date of injury usually states it in the summary.
      if (!letter->date_of_injury && letter->clinical_summary)
        letter->date_of_injury =
            sections::injury_date_from_summary(*letter->clinical_summary, sections::letter_year(*letter));
      return letter;
    }
    if (first_error.ok()) first_error = letter.status();
  }
  return first_error;
}

namespace {

bool looks_binary(std::string_view bytes) {
  // Text letters are UTF-8 or Latin-1; NUL bytes or many control bytes mean binary data.
  std::size_t n = std::min<std::size_t>(bytes.size(), 8192), bad = 0;
  for (std::size_t i = 0; i < n; ++i) {
    unsigned char c = static_cast<unsigned char>(bytes[i]);
    if (c == 0) return true;
    if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f') ++bad;
  }
  return bad * 20 > n;
}

}  // namespace

Result<Letter> read_letter_bytes(std::string_view bytes, const std::string& source) {
  auto fail = [&](const Status& s) -> Result<Letter> { return s.with_context(source); };
  if (text::trim(bytes).empty()) return fail(unrecognized("empty file"));
  bool pdf = bytes.substr(0, std::min<std::size_t>(bytes.size(), 1024)).find("%PDF-") != std::string_view::npos;
  std::string ext = text::to_lower(std::filesystem::path(source).extension().string());
  if (pdf) {
    auto doc = document_from_pdf(bytes, source);
    if (!doc.ok()) return doc.status();  // already names the source
    auto letter = read_letter(*doc);
    if (!letter.ok()) return fail(letter.status());
    return letter;
  }
  if (ext == ".pdf") return fail(unrecognized("not a PDF file (no %PDF header)"));
  if (looks_binary(bytes)) return fail(unrecognized("binary data, not a text letter"));
  auto letter = read_letter(document_from_text(bytes, source));
  if (!letter.ok()) return fail(letter.status());
  return letter;
}

Result<Letter> read_letter_file(const std::string& path) {
  auto bytes = files::read_file(path);
  if (!bytes.ok()) return bytes.status();
  return read_letter_bytes(*bytes, path);
}

}  // namespace imr::letter
