// The casework module's SQL connection: one small interface over SQLite and libpq, with the
// corpus module's parameter and row types (corpus/sql_store.h) so the two modules speak the same
// statement vocabulary. Statements are written with `?` placeholders for both backends.
// Internal to the casework module.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "../corpus/sql_store.h"
#include "imr/base/result.h"

namespace imr::casework::internal {

using corpus::internal::Param;
using corpus::internal::Row;
using corpus::internal::RowFn;

class Db {
 public:
  virtual ~Db() = default;
  virtual bool is_postgres() const = 0;
  // One statement with parameters; `on_row` (may be empty) sees each result row.
  virtual Status run(const std::string& sql, const std::vector<Param>& params, const RowFn& on_row = {}) = 0;
  // Several statements without parameters (migrations).
  virtual Status script(const std::string& sql) = 0;
  // A write transaction: SQLite takes the write lock at once (BEGIN IMMEDIATE) so that writers
  // queue instead of failing half-way; PostgreSQL locks rows as statements reach them.
  virtual Status begin() = 0;
  virtual Status commit() = 0;
  virtual void rollback() = 0;
  virtual const std::string& name() const = 0;
};

// "postgresql://..." / "postgres://...", "sqlite:PATH", "sqlite::memory:" or a bare path.
Result<std::unique_ptr<Db>> open_db(const std::string& url);
Result<std::unique_ptr<Db>> open_sqlite_db(const std::string& path);
Result<std::unique_ptr<Db>> open_postgres_db(const std::string& url);

}  // namespace imr::casework::internal
