// What the public may see of a letter. Internal to server/.
//
// Published determinations describe the reviewer's qualifications but never name anyone (LC
// 4610.6(f)); this server goes further for the public role and removes the reviewer block
// entirely, so that no combination of credentials can single a reviewer out, and masks personal
// names written into free text. Everything public-facing passes through here.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "imr/letter/record.h"

namespace imr::server::internal {

// The letter without reviewer identity (licensure states, specialties, subspecialties, board
// certification), without its source path (file names may carry names) or reader warnings
// (they quote the text), and with personal names in every free-text field replaced by "[name]".
letter::Letter redact_letter(const letter::Letter& letter);

// Replaces personal names: a courtesy title and the capitalised words after it ("Dr. Jane Roe",
// "Mr. Smith") and the capitalised words before a professional suffix ("Jane Roe, M.D.").
// Text without such names comes back unchanged.
std::string redact_names(std::string_view text);

// The name words redact_letter() masks anywhere in the letter ("Jane", "Roe"), so that a
// fragment cut from the letter without its title (a search snippet) can be masked too.
std::vector<std::string> name_words(const letter::Letter& letter);

// redact_names(), then every whole word of `words` (ignoring the snippet marks "[...]" and
// edge punctuation) replaced by "[name]".
std::string redact_fragment(std::string_view text, const std::vector<std::string>& words);

}  // namespace imr::server::internal
