// document_from_pdf: the PDF path of the letter reader, on top of poppler-cpp.
//
// poppler's text_list() returns words in the reading order pdftotext prints (flows, then blocks,
// then lines), so lines are rebuilt by walking that order and starting a new line whenever a word
// leaves the current baseline or moves back to the left. One layout needs more: tables of labels
// and values such as the header on page 1, which poppler returns column by column; the values are
// put back beside their labels (see attach_table_values).
#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-page.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdint>
#include <exception>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "imr/base/text.h"
#include "imr/letter/document.h"

namespace imr::letter {
namespace {

// A letter is a few pages. A PDF that claims far more is not a letter, and walking a forged page
// tree of millions of entries would look like a hang.
constexpr int kMaxPages = 1000;

// poppler prints recoverable syntax errors to stderr; the reader reports failure through Status
// instead, so its messages are dropped.
void drop_poppler_message(const std::string&, void*) {}

// A valid one-page PDF with nothing on its page (offsets in its xref table are exact).
constexpr char kEmptyPdf[] =
    "%PDF-1.0\n"
    "1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    "2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 1 1]>>endobj\n"
    "xref\n"
    "0 4\n"
    "0000000000 65535 f \n"
    "0000000009 00000 n \n"
    "0000000052 00000 n \n"
    "0000000101 00000 n \n"
    "trailer<</Size 4/Root 1 0 R>>\n"
    "startxref\n"
    "160\n"
    "%%EOF\n";

// Process-wide set-up, done once. poppler-cpp builds poppler's global parameters (font tables and
// a scan of the system font directories) when the first document opens and tears them down when
// the last one closes, so a reader that holds one letter at a time would pay that on every letter
// (a few milliseconds; most of the time of a small PDF). An empty document kept open for the life
// of the process keeps them; it is never freed, by design.
void init_poppler() {
  static const poppler::document* const keeper = [] {
    poppler::set_debug_error_function(drop_poppler_message, nullptr);
    return poppler::document::load_from_raw_data(kEmptyPdf, static_cast<int>(sizeof kEmptyPdf - 1));
  }();
  (void)keeper;
}

// poppler itself accepts a header anywhere in the first 1024 bytes, as Acrobat does.
bool has_pdf_header(std::string_view bytes) {
  return bytes.substr(0, 1024).find("%PDF-") != std::string_view::npos;
}

// A complete PDF ends with "%%EOF" (Acrobat looks for it in the last 1024 bytes). Without it the
// file was cut short; poppler would rebuild what it can and silently return part of the letter.
bool has_eof_marker(std::string_view bytes) {
  std::string_view tail = bytes.size() > 1024 ? bytes.substr(bytes.size() - 1024) : bytes;
  return tail.find("%%EOF") != std::string_view::npos;
}

// Appends UTF-16 code units as UTF-8. Unpaired surrogates become U+FFFD so lines are valid UTF-8.
void append_utf8(const poppler::ustring& u, std::string& out) {
  const std::size_t n = u.size();
  for (std::size_t i = 0; i < n; ++i) {
    std::uint32_t c = u[i];
    if (c >= 0xD800 && c <= 0xDBFF && i + 1 < n && u[i + 1] >= 0xDC00 && u[i + 1] <= 0xDFFF) {
      c = 0x10000 + ((c - 0xD800) << 10) + (u[i + 1] - 0xDC00);
      ++i;
    } else if (c >= 0xD800 && c <= 0xDFFF) {
      c = 0xFFFD;
    }
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else if (c < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (c >> 6)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (c >> 12)));
      out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (c >> 18)));
      out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
  }
}

// Font names carry the weight ("TimesNewRomanPS-BoldMT", "Arial,Bold", "ABCDEF+Calibri-Bold").
bool is_bold_font(std::string_view name) {
  for (std::size_t i = 0; i + 4 <= name.size(); ++i) {
    if ((name[i] | 0x20) == 'b' && (name[i + 1] | 0x20) == 'o' && (name[i + 2] | 0x20) == 'l' &&
        (name[i + 3] | 0x20) == 'd')
      return true;
  }
  return false;
}

// How bold a line is. The letters set a question in bold and its one-word answer in plain type:
// the disputed-item headings read "MRI of the right shoulder: Upheld" with only "Upheld" plain
// (every item heading in the corpus), and the header labels read "Priority: Standard". Such a line
// counts as bold (kAnswered), so that the item headings are bold lines; a bold lead-in followed by
// prose ("Claims Administrator guideline: Decision based on ...") does not.
enum class Weight { kBold, kAnswered, kPlain };

// A line being built: its text so far (raw UTF-8, words joined), its box and its weight.
// Coordinates are poppler's: points, y growing downwards.
struct RawLine {
  std::string text;
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  int page = 0;
  int words = 0;              // space-separated words
  Weight weight = Weight::kBold;
  bool all_plain = true;      // no bold word at all
  bool has_value = false;     // a table value has been attached (attach_table_values)
  bool dropped = false;       // merged into another line

  double height() const { return y1 - y0; }
  bool ends_with_colon() const {
    std::string_view t = text::trim(text);
    return !t.empty() && t.back() == ':';
  }
};

// True when `a` and `b` share a baseline: they overlap vertically by at least half the smaller.
bool same_baseline(double a0, double a1, double b0, double b1) {
  double overlap = std::min(a1, b1) - std::max(a0, b0);
  return overlap >= 0.5 * std::min(a1 - a0, b1 - b0);
}

// Appends the words of one page to `lines` in poppler's reading order.
void read_page(const poppler::page& page, int index, std::vector<RawLine>& lines) {
  std::vector<poppler::text_box> boxes = page.text_list(poppler::page::text_list_include_font);
  RawLine* line = nullptr;
  double prev_x1 = 0;
  bool prev_space_after = false;
  for (const poppler::text_box& box : boxes) {
    const poppler::ustring word = box.text();
    if (word.empty()) continue;
    const poppler::rectf r = box.bbox();
    const double x0 = r.left(), y0 = r.top(), x1 = r.right(), y1 = r.bottom();
    const double size = std::max(box.get_font_size(), 1.0);
    // A word continues the line when it sits on the line's baseline and does not step back to
    // the left (stepping back is the start of the next line or of the next column).
    const bool continues = line != nullptr && same_baseline(line->y0, line->y1, y0, y1) &&
                           x0 >= prev_x1 - 0.25 * size;
    const bool bold = box.has_font_info() && is_bold_font(box.get_font_name(0));
    bool new_word = true;
    if (continues) {
      // poppler marks the spaces it saw inside a line; between two of its lines that we join
      // (same baseline, split by poppler into blocks) the gap itself says there is a space.
      new_word = prev_space_after || x0 - prev_x1 > 0.15 * size;
      const bool after_colon = !line->text.empty() && line->text.back() == ':';
      if (new_word) line->text.push_back(' ');
      line->x0 = std::min(line->x0, x0);
      line->y0 = std::min(line->y0, y0);
      line->x1 = std::max(line->x1, x1);
      line->y1 = std::max(line->y1, y1);
      if (bold) {
        if (line->weight == Weight::kAnswered) line->weight = Weight::kPlain;
      } else if (line->weight == Weight::kBold && new_word && after_colon) {
        line->weight = Weight::kAnswered;
      } else if (!(line->weight == Weight::kAnswered && !new_word)) {  // glued to the answer: same word
        line->weight = Weight::kPlain;
      }
    } else {
      line = &lines.emplace_back();
      line->x0 = x0, line->y0 = y0, line->x1 = x1, line->y1 = y1;
      line->page = index;
      line->weight = bold ? Weight::kBold : Weight::kPlain;
    }
    if (new_word) ++line->words;
    if (bold) line->all_plain = false;
    append_utf8(word, line->text);
    prev_x1 = x1;
    prev_space_after = box.has_space_after();
  }
}

// Label tables: the header of a letter is a table of bold labels ("Case Number:") with plain
// values beside them. poppler reads each column of the table as a block, so all the labels come
// before all the values. Each plain line that sits on the baseline of an earlier bold label
// ending in ':', to its right, is moved up to follow that label on its line. A label set over
// two lines ("Application" / "Received:") is joined first, so that its value, which sits beside
// the first part, lands after the whole label.
void attach_table_values(std::vector<RawLine>& lines) {
  // How far back a value may be from its label: a table column has a handful of rows.
  constexpr std::size_t kWindow = 16;
  for (std::size_t v = 0; v < lines.size(); ++v) {
    RawLine& value = lines[v];
    if (value.dropped || !value.all_plain) continue;
    for (std::size_t l = v > kWindow ? v - kWindow : 0; l < v; ++l) {
      RawLine& label = lines[l];
      if (label.dropped || label.weight != Weight::kBold || label.has_value || label.page != value.page) continue;
      if (value.x0 <= label.x1 || !same_baseline(label.y0, label.y1, value.y0, value.y1)) continue;
      if (!label.ends_with_colon()) {
        // Second half of a two-line label: the next line, bold, right below, same left edge.
        if (l + 1 >= v) continue;
        RawLine& rest = lines[l + 1];
        if (rest.dropped || rest.weight != Weight::kBold || rest.has_value || rest.page != label.page || !rest.ends_with_colon() ||
            std::abs(rest.x0 - label.x0) > 2.0 || rest.y0 < label.y1 - 1.0 || rest.y0 - label.y1 > label.height())
          continue;
        label.text.push_back(' ');
        label.text += rest.text;
        label.words += rest.words;
        label.x1 = std::max(label.x1, rest.x1);
        rest.dropped = true;
      }
      label.text.push_back(' ');
      label.text += value.text;
      label.x1 = std::max(label.x1, value.x1);
      label.has_value = true;
      label.words += value.words;
      label.weight = value.words == 1 ? Weight::kAnswered : Weight::kPlain;
      value.dropped = true;
      break;
    }
  }
}

// A paragraph break shows as a vertical gap clearly wider than the leading between lines of a
// paragraph (about a quarter of the line height in these letters), or as a jump back up the page
// (the next column or block of a table).
bool paragraph_break(const RawLine& prev, const RawLine& cur) {
  double h = std::min(prev.height(), cur.height());
  double gap = cur.y0 - prev.y1;
  return gap > 0.6 * h || cur.y1 < prev.y0;
}

Result<Document> read_document(std::string_view bytes, std::string source) {
  if (!has_pdf_header(bytes)) return unrecognized(source + ": not a PDF file");
  if (bytes.size() > static_cast<std::size_t>(INT_MAX)) return unrecognized(source + ": PDF is too large");
  if (!has_eof_marker(bytes)) return unrecognized(source + ": PDF is damaged or truncated");
  init_poppler();
  // load_from_raw_data reads `bytes` in place; they outlive the document.
  std::unique_ptr<poppler::document> doc(
      poppler::document::load_from_raw_data(bytes.data(), static_cast<int>(bytes.size())));
  if (!doc) return unrecognized(source + ": PDF is damaged or truncated");
  // Locked means the empty user password did not open it. The published letters only restrict
  // copying (owner password), which poppler-cpp does not enforce on text extraction.
  if (doc->is_locked()) return unrecognized(source + ": PDF is password-protected");
  const int pages = doc->pages();
  if (pages <= 0) return unrecognized(source + ": PDF is damaged or truncated (no pages)");
  if (pages > kMaxPages)
    return unrecognized(source + ": PDF has " + std::to_string(pages) + " pages, too many for a letter");

  std::vector<RawLine> raw;
  raw.reserve(64 * static_cast<std::size_t>(pages));
  for (int i = 0; i < pages; ++i) {
    std::unique_ptr<poppler::page> page(doc->create_page(i));
    if (page) read_page(*page, i, raw);
  }
  attach_table_values(raw);

  Document out;
  out.source = std::move(source);
  out.has_font_info = true;
  out.shape = "pdf";
  out.lines.reserve(raw.size());
  const RawLine* prev = nullptr;
  for (const RawLine& r : raw) {
    if (r.dropped) continue;
    std::string line_text = text::fold_space(text::ascii_punctuation(r.text));
    if (line_text.empty()) continue;
    // A page break is not a paragraph break: paragraphs run on across pages.
    const bool blank_before = prev != nullptr && prev->page == r.page && paragraph_break(*prev, r);
    bool bold = r.weight != Weight::kPlain;
    // The one-word answer may wrap onto a line of its own below its bold question ending in ':'.
    if (!bold && r.all_plain && r.words == 1 && !blank_before && !out.lines.empty() &&
        *out.lines.back().bold && out.lines.back().text.back() == ':')
      bold = true;
    out.lines.push_back(Line{std::move(line_text), bold, r.page, blank_before});
    prev = &r;
  }
  if (out.lines.empty()) return unrecognized(out.source + ": PDF has no text layer (scanned image?)");
  return out;
}

}  // namespace

Result<Document> document_from_pdf(std::string_view bytes, std::string source) {
  // poppler-cpp rarely throws, but an exception (bad_alloc on a hostile file) must not cross the
  // API; it is reported as an unreadable PDF naming the file.
  try {
    return read_document(bytes, source);
  } catch (const std::exception& e) {
    return unrecognized(source + ": PDF could not be read (" + e.what() + ")");
  } catch (...) {
    return unrecognized(source + ": PDF could not be read");
  }
}

}  // namespace imr::letter
