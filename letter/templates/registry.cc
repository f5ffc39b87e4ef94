#include "registry.h"

namespace imr::letter {

const std::vector<const LetterTemplate*>& letter_templates() {
  static const std::vector<const LetterTemplate*> all = {
      &templates::dwc_2016(),
      &templates::notice_2013(),
      &templates::maximus_imr(),
      &templates::medical_professional_review(),
  };
  return all;
}

}  // namespace imr::letter
