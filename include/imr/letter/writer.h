// Writing records back into letters (the 2016 layout, as text).
#pragma once

#include <string>

#include "imr/letter/record.h"

namespace imr::letter {

enum class TextShape {
  kHeader,  // header block one label per line ("Case Number: CM16-0213037"), then the body
  kSeed,    // the seed shape: no header block, a blank line after every line, trailing spaces
};

struct RenderOptions {
  TextShape shape = TextShape::kHeader;
  int width = 95;  // wrap body paragraphs at this many characters
};

// Renders a letter. Contract (property-tested): for every record r that the reader produced,
// read_letter(document_from_text(render_letter(r))) reproduces r's fields (except source,
// template and warnings).
std::string render_letter(const Letter& letter, const RenderOptions& options = {});

// The reviewer's qualifications as the letter states them under "HOW THE IMR FINAL DETERMINATION
// WAS MADE" (LC 4610.6(f): qualifications described, name kept confidential). Built from the
// credentials alone, so it can carry no name. For a board-certified reviewer the credentials are a
// sentence of the paragraph ("The expert reviewer is Board Certified in X, has a subspecialty in Y
// and is licensed to practice in Z."); otherwise the paragraph is followed, after a '\n', by the
// list form ("The Expert Reviewer has the following credentials:", "State(s) of Licensure: ...",
// "Certification(s)/Specialty: ..." one per line). Both forms read back through read_letter to the
// same Reviewer. render_letter and render_letter_pdf (pdf_writer.h) write exactly this text with
// their default wording.
std::string qualifications_paragraph(const Reviewer& reviewer);

}  // namespace imr::letter
