// Reading the review module's data files: TAB-separated rows, '#' comments and blank lines
// skipped. Errors name the file and line, so a bad row in a data file is found at once.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <re2/re2.h>

#include "imr/base/result.h"

namespace imr::review {

struct TsvRow {
  int line = 0;
  std::vector<std::string> fields;
};

// kNotFound when the file is missing; kInvalidArgument "FILE:LINE: expected N fields" when a row
// has fewer than `min_fields` fields (extra fields are kept).
Result<std::vector<TsvRow>> read_tsv(const std::string& path, std::size_t min_fields);

// Compiles a case-insensitive RE2; kInvalidArgument "WHERE: bad pattern: ..." when it does not compile.
Result<std::shared_ptr<RE2>> compile_icase(const std::string& pattern, const std::string& where);

}  // namespace imr::review
