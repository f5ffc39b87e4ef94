// SHA-256 (FIPS 180-4): content fingerprints (corpus) and stored API-token hashes (server).
#pragma once

#include <string>
#include <string_view>

namespace imr {

// Lower-case hex digest of `data` (64 characters).
std::string sha256_hex(std::string_view data);

}  // namespace imr
