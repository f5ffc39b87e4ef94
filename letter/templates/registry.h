// The known letter layouts. Adding a layout: write letter/templates/<name>.cc defining a
// LetterTemplate, declare its accessor here, list it in registry.cc.
#pragma once

#include "imr/letter/reader.h"

namespace imr::letter::templates {

const LetterTemplate& dwc_2016();
// The older layouts (2013-2014), of which no published sample is at hand; see each file's opening comment.
const LetterTemplate& notice_2013();
const LetterTemplate& maximus_imr();
const LetterTemplate& medical_professional_review();

}  // namespace imr::letter::templates
