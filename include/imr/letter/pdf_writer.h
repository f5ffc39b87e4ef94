// Writing records as PDF Final Determination Letters (the 2016 layout), with Cairo and Pango.
//
// The page follows the published 2016 letters: US Letter, a bordered header table of bold labels
// and plain values, centred bold section headings, justified-free serif body text wrapped to the
// margins, disputed-item headings in bold with the decision word in plain type, bold field leads
// ("Claims Administrator guideline:", "MAXIMUS guideline:", "Decision rationale:"), and "Page i
// of n" at the foot of every page. The wording is render_letter's (writer.h) with its default
// choices, so the text and the PDF of one record say the same thing.
//
// Contract (tested over every dev record and generated letters): for every record r the reader
// produced, read_letter(document_from_pdf(render_letter_pdf(r))) gives r's case number, header
// dates, priority, items (request, original request, authorised portion, decision) and reviewer
// credentials. Headings are set in a font whose PDF name contains "Bold" (Liberation Serif Bold,
// else DejaVu Serif Bold; see scripts/install-deps.sh), which is how document_from_pdf tells bold
// lines. Page numbers are drawn as glyph outlines, not text, so that text extraction (the reader,
// pdftotext, search) sees the letter's prose uninterrupted, as in the published letters, which
// carry no page-number text.
//
// Thread-safety: render_letter_pdf may be called from several threads at once (each call owns its
// Cairo surface and Pango context; fontconfig is initialised once per process).
#pragma once

#include <string>

#include "imr/base/result.h"
#include "imr/letter/record.h"

namespace imr::letter {

struct PdfOptions {
  // Body text size in points; headings are the same size, the header table one point smaller.
  double font_size = 11.0;
  // A Pango family list, first installed one wins. The default prefers the metric twin of Times
  // New Roman that the published letters use.
  std::string font_family = "Liberation Serif, Times New Roman, DejaVu Serif, serif";
  // Draw "Page i of n" at the foot of each page.
  bool page_numbers = true;
};

// Renders `letter` as a PDF document in memory. Fails with kInternal only when Cairo or Pango
// reports an error (out of memory, no usable font); every record, however odd its text, renders.
// Absent fields are left out, as in render_letter.
Result<std::string> render_letter_pdf(const Letter& letter, const PdfOptions& options = {});

// The same, written to `path` atomically (temp file + rename). kIoError when it cannot be written.
Status write_letter_pdf(const Letter& letter, const std::string& path, const PdfOptions& options = {});

}  // namespace imr::letter
