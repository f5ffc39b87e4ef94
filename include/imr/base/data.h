// Where imr's data files (letter vocabulary, normalisation rules, guideline criteria, deadline
// rules) are found: $IMR_DATA_DIR when set, else the source tree's data/ compiled in.
#pragma once

#include <string>

namespace imr {

// The data directory, without trailing slash.
std::string data_dir();
// data_dir() + "/" + relative.
std::string data_path(const std::string& relative);

}  // namespace imr
