#include "tsv.h"

#include <fstream>
#include <sstream>

#include "imr/base/text.h"

namespace imr::casework::internal {

Status read_tsv(const std::string& path,
                const std::function<Status(const std::vector<std::string>& fields, int line)>& fn) {
  std::ifstream in(path);
  if (!in) return not_found(path + ": cannot read data file");
  std::string raw;
  for (int n = 1; std::getline(in, raw); ++n) {
    if (!raw.empty() && raw.back() == '\r') raw.pop_back();
    auto t = text::trim(raw);
    if (t.empty() || t.front() == '#') continue;
    std::vector<std::string> fields;
    std::size_t start = 0;
    for (;;) {
      auto tab = raw.find('\t', start);
      fields.emplace_back(text::trim(std::string_view(raw).substr(start, tab == std::string::npos ? std::string::npos : tab - start)));
      if (tab == std::string::npos) break;
      start = tab + 1;
    }
    Status s = fn(fields, n);
    if (!s.ok()) return Status(s.code(), path + ":" + std::to_string(n) + ": " + s.message());
  }
  return {};
}

std::string name_key(std::string_view s) { return text::to_lower(text::fold_space(s)); }

}  // namespace imr::casework::internal
