// A letter as lines of text, before any layout is recognised: the common input of every template.
//
// Text files come in several shapes (pdftotext default and -layout, the "seed" shape with a blank
// line after every line); PDFs come through poppler-cpp with font information. Each is turned
// into a Document here so that templates never see where the text came from.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "imr/base/result.h"

namespace imr::letter {

struct Line {
  std::string text;             // trimmed; typographic punctuation mapped to ASCII
  std::optional<bool> bold;     // known for PDF input: true when every word on the line is bold
  int page = 0;                 // 0-based
  bool blank_before = false;    // a paragraph break preceded this line in the source
};

struct Document {
  std::string source;            // the path as given
  std::vector<Line> lines;       // non-blank lines in reading order
  bool has_font_info = false;    // true when Line::bold is meaningful (PDF input)
  std::string shape;             // "text", "seed", "layout", "pdf": how the source was written
};

// Builds a Document from text of any supported shape. Detects the seed shape (every other line
// blank) and the two-column header block of pdftotext -layout, and splits that block so the
// header labels come out one per line ("Date Of Injury: 10/13/2016"). Never fails: text that is
// no letter still becomes a Document; templates decide.
Document document_from_text(std::string_view text, std::string source);

// Reads a PDF from memory with poppler-cpp, ignoring the copy-protection permission bits
// (published letters carry them; they are public records). Fails with kUnrecognized for bytes that
// are not a PDF, a broken PDF, a PDF that needs a password, or one with no text layer.
Result<Document> document_from_pdf(std::string_view bytes, std::string source);

}  // namespace imr::letter
