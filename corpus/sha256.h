// SHA-256 for content fingerprints: the base-level helper, named in the corpus namespace.
#pragma once

#include "imr/base/sha256.h"

namespace imr::corpus {

using imr::sha256_hex;

}  // namespace imr::corpus
