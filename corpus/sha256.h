// SHA-256 (FIPS 180-4), for content fingerprints. Internal to the corpus module.
#pragma once

#include <string>
#include <string_view>

namespace imr::corpus {

// Lower-case hex digest of `data` (64 characters).
std::string sha256_hex(std::string_view data);

}  // namespace imr::corpus
