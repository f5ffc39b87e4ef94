// Issuing a Final Determination Letter as files: the 2016 layout as text and PDF, and the redacted
// public version of both (the letter module writes and redacts; this only decides what is written).
#pragma once

#include <map>
#include <string>

#include "imr/base/result.h"
#include "imr/casework/application.h"
#include "imr/letter/record.h"

namespace imr::casework {

// Writes the letter of `application`'s case into `dir` (created when missing): "<case>.txt" and
// "<case>.pdf" (the organisation's copies), "<case>.public.txt" and "<case>.public.pdf" (the
// redacted public version: the names of the application's parties removed, as published).
// Returns kind -> path ("text", "pdf", "public_text", "public_pdf"). kIoError when a file cannot
// be written, kInvalidArgument when a party's name cannot be redacted safely; a partly written
// set is removed again so a failure leaves nothing behind.
Result<std::map<std::string, std::string>> write_letter_files(const letter::Letter& letter, const Application& application,
                                                              const std::string& dir);

}  // namespace imr::casework
