// Dates as letters write them ("12/06/04", "10-13-16", "3-27-2004", "January 5, 2016").
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace imr::letter {

// Returns "YYYY-MM-DD" or nullopt when `s` is not a valid date. A two-digit year is 19xx when it
// is greater than the two-digit form of `letter_year` (the letter's own year), else 20xx; with no
// letter year, 2017 is assumed (the corpus's era).
std::optional<std::string> parse_date(std::string_view s, std::optional<int> letter_year = std::nullopt);

// True for a valid ISO date string.
bool is_iso_date(std::string_view s);

}  // namespace imr::letter
