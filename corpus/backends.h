// The two store backends, opened by Store::open. Internal to the corpus module.
#pragma once

#include <memory>
#include <string>

#include "imr/corpus/store.h"

namespace imr::corpus::internal {

// The schema version this binary writes. Each backend lists exactly this many migrations.
constexpr int kSchemaVersion = 8;

Result<std::unique_ptr<Store>> open_sqlite(const std::string& path, OpenMode mode);
Result<std::unique_ptr<Store>> open_postgres(const std::string& url);

}  // namespace imr::corpus::internal
