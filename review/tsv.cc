#include "tsv.h"

#include <fstream>

#include "imr/base/text.h"

namespace imr::review {

Result<std::vector<TsvRow>> read_tsv(const std::string& path, std::size_t min_fields) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return not_found(path + ": cannot open data file");
  std::vector<TsvRow> rows;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    auto t = text::trim(line);
    if (t.empty() || t.front() == '#') continue;
    TsvRow row;
    row.line = n;
    std::size_t start = 0;
    while (true) {
      auto tab = line.find('\t', start);
      row.fields.emplace_back(text::trim(std::string_view(line).substr(start, tab == std::string::npos ? std::string::npos : tab - start)));
      if (tab == std::string::npos) break;
      start = tab + 1;
    }
    if (row.fields.size() < min_fields)
      return invalid_argument(path + ":" + std::to_string(n) + ": expected " + std::to_string(min_fields) +
                              " TAB-separated fields, found " + std::to_string(row.fields.size()));
    rows.push_back(std::move(row));
  }
  return rows;
}

Result<std::shared_ptr<RE2>> compile_icase(const std::string& pattern, const std::string& where) {
  RE2::Options opts;
  opts.set_case_sensitive(false);
  opts.set_log_errors(false);
  auto re = std::make_shared<RE2>(pattern, opts);
  if (!re->ok()) return invalid_argument(where + ": bad pattern: " + re->error());
  return re;
}

}  // namespace imr::review
