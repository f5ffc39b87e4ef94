#include "registry.h"

namespace imr::letter {

const std::vector<const LetterTemplate*>& letter_templates() {
  static const std::vector<const LetterTemplate*> all = {
      &templates::dwc_2016(),
  };
  return all;
}

}  // namespace imr::letter
