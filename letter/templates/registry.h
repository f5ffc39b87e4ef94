// The known letter layouts. Adding a layout: write letter/templates/<name>.cc defining a
// LetterTemplate, declare its accessor here, list it in registry.cc.
#pragma once

#include "imr/letter/reader.h"

namespace imr::letter::templates {

const LetterTemplate& dwc_2016();

}  // namespace imr::letter::templates
