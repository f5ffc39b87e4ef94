// Guideline basis paragraphs ("Decision based on MTUS ...") as citations.
#pragma once

#include <string_view>

#include "imr/letter/record.h"

namespace imr::letter {

// Parses a "Claims Administrator guideline:" / "MAXIMUS guideline:" paragraph (without that
// label). Never fails: a clause it cannot classify becomes a citation with source "other" and the
// clause as its title; "did not cite any medical evidence" yields no citations.
GuidelineBasis parse_guideline_basis(std::string_view paragraph);

}  // namespace imr::letter
