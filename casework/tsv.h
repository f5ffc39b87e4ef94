// Reading the casework data files: TAB-separated lines, '#' starts a comment line, blank lines
// are skipped. Internal to the casework module.
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "imr/base/result.h"

namespace imr::casework::internal {

// Calls `line` with the trimmed fields of each data line and its 1-based line number; stops at
// and returns the first error, prefixed with "path:line". kNotFound when the file is missing.
Status read_tsv(const std::string& path,
                const std::function<Status(const std::vector<std::string>& fields, int line)>& line);

// Lower-cased, white space folded: how names of parties and specialties are compared.
std::string name_key(std::string_view s);

// The default data of type T (T::load() from the data directory), loaded once per process,
// thread-safe: the value, or an empty T and the error that kept it from loading.
template <typename T>
const std::pair<T, std::string>& load_once() {
  static const std::pair<T, std::string> loaded = [] {
    auto r = T::load();
    if (r.ok()) return std::pair<T, std::string>(std::move(*r), "");
    return std::pair<T, std::string>(T(), r.status().to_string());
  }();
  return loaded;
}

}  // namespace imr::casework::internal
