// Reading Final Determination Letters into records.
//
// Template detection is explicit: every known layout is a LetterTemplate (one file each under
// letter/templates/, listed once in letter/templates/registry.cc). Each scores how sure it is
// that a Document is in its layout; the best score above zero parses it.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "imr/base/result.h"
#include "imr/letter/document.h"
#include "imr/letter/record.h"

namespace imr::letter {

class LetterTemplate {
 public:
  virtual ~LetterTemplate() = default;
  // The record's "template" value, e.g. "dwc-2016".
  virtual std::string_view name() const = 0;
  // 0 when the document is not in this layout; higher is surer. Cheap: looks at headings only.
  virtual int detect(const Document& doc) const = 0;
  // Parses the document. Fails with kUnrecognized when essential parts (the disputed items) are
  // missing; recoverable oddities become Letter::warnings instead.
  virtual Result<Letter> parse(const Document& doc) const = 0;
};

// Every known template, in a fixed order (ties in detect() go to the earlier one).
const std::vector<const LetterTemplate*>& letter_templates();

// Picks the template and parses. kUnrecognized ("not an IMR determination letter: ...") when no
// template claims the document.
Result<Letter> read_letter(const Document& doc);

// Reads a file: ".pdf" (or %PDF magic) through poppler, anything else as text. Errors name the
// file and the reason: empty file, binary data, broken/encrypted PDF, not a letter.
Result<Letter> read_letter_file(const std::string& path);

// Reads bytes already in memory; `source` is what the record's "source" says.
Result<Letter> read_letter_bytes(std::string_view bytes, const std::string& source);

}  // namespace imr::letter
