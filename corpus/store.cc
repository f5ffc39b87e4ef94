// Choosing a backend by URL.
#include <cstdlib>

#include "backends.h"
#include "imr/base/text.h"
#include "imr/corpus/store.h"

namespace imr::corpus {

Result<std::unique_ptr<Store>> Store::open(const std::string& url, OpenMode mode) {
  std::string u(text::trim(url));
  if (u.empty()) return invalid_argument("empty database URL");
  if (text::starts_with_icase(u, "postgresql://") || text::starts_with_icase(u, "postgres://"))
    return internal::open_postgres(u);
  if (text::starts_with_icase(u, "sqlite:")) {
    std::string path = u.substr(7);
    // Accept sqlite://PATH as well as sqlite:PATH.
    if (path.rfind("//", 0) == 0) path = path.substr(2);
    return internal::open_sqlite(path, mode);
  }
  auto scheme = u.find("://");
  if (scheme != std::string::npos)
    return invalid_argument(u.substr(0, scheme) + ": unknown database URL scheme (use sqlite:PATH, a path, or postgresql://...)");
  return internal::open_sqlite(u, mode);
}

int Store::latest_schema_version() { return internal::kSchemaVersion; }

std::optional<GroupBy> parse_group_by(const std::string& word) {
  std::string w = text::to_lower(text::trim(word));
  if (w == "category") return GroupBy::kCategory;
  if (w == "subcategory") return GroupBy::kSubcategory;
  if (w == "body-region" || w == "body_region") return GroupBy::kBodyRegion;
  if (w == "guideline") return GroupBy::kGuideline;
  if (w == "specialty") return GroupBy::kSpecialty;
  if (w == "month") return GroupBy::kMonth;
  if (w == "decision") return GroupBy::kDecision;
  return std::nullopt;
}

std::string resolve_db_url(const std::string& flag) {
  if (!flag.empty()) return flag;
  const char* env = std::getenv("IMR_DB");
  if (env && *env) return env;
  return "imr.db";
}

}  // namespace imr::corpus
