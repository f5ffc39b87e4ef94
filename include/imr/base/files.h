// Reading files and walking directory trees with bounded memory.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "imr/base/result.h"

namespace imr::files {

// Reads a whole file. Fails with kNotFound, kIoError, or kUnrecognized when the file is larger
// than `max_bytes` (a letter is never that large; this bounds memory on hostile input).
Result<std::string> read_file(const std::string& path, std::size_t max_bytes = 64u << 20);

// Writes `data` to `path` atomically (temp file + rename).
Status write_file(const std::string& path, const std::string& data);

// Expands files and directories (recursively) into the files whose extension is in `extensions`
// (lower-case, with dot, e.g. ".pdf"). Explicitly named files are kept whatever their extension.
// Order is deterministic: arguments in order, each directory sorted by path.
// A path that does not exist or a directory with no matching file is reported through `on_error`
// and skipped.
std::vector<std::string> expand_inputs(const std::vector<std::string>& args,
                                       const std::vector<std::string>& extensions,
                                       const std::function<void(const std::string& path, const Status&)>& on_error);

}  // namespace imr::files
