// Small text utilities shared by the readers and writers. All work on UTF-8 bytes; none allocate
// more than their output.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace imr::text {

// Removes leading and trailing ASCII white space (and NBSP encoded as UTF-8).
std::string_view trim(std::string_view s);
// Collapses every run of white space to one space and trims.
std::string fold_space(std::string_view s);
std::string to_lower(std::string_view s);
bool starts_with_icase(std::string_view s, std::string_view prefix);
bool ends_with_icase(std::string_view s, std::string_view suffix);
bool iequals(std::string_view a, std::string_view b);
// Splits on `sep`, trimming each part and dropping empty parts.
std::vector<std::string> split_list(std::string_view s, char sep);
// Splits into lines on \n, dropping a trailing \r from each.
std::vector<std::string_view> lines(std::string_view s);
// True when the bytes are valid UTF-8.
bool valid_utf8(std::string_view s);
// Replaces invalid UTF-8 sequences with U+FFFD so output JSON is always valid.
std::string sanitize_utf8(std::string_view s);
// Maps layout artefacts PDFs carry (ligatures, NBSP, soft hyphen) to plain text; keeps quotes
// and dashes, which are the letter's own characters.
std::string ascii_punctuation(std::string_view s);

}  // namespace imr::text
