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

}  // namespace imr::letter
