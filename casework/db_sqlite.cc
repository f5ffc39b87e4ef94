// SQLite connection for the casework tables: the same file (WAL) as the corpus.
#include <sqlite3.h>

#include <filesystem>
#include <map>

#include "db.h"

namespace imr::casework::internal {
namespace {

Code sqlite_code(int rc) {
  int primary = rc & 0xff;
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) return Code::kConflict;
  if (primary == SQLITE_CONSTRAINT) return Code::kInvalidArgument;
  if (primary == SQLITE_NOTADB || primary == SQLITE_CORRUPT) return Code::kUnrecognized;
  if (primary == SQLITE_CANTOPEN || primary == SQLITE_IOERR || primary == SQLITE_FULL || primary == SQLITE_READONLY ||
      primary == SQLITE_PERM)
    return Code::kIoError;
  return Code::kInternal;
}

class SqliteDb final : public Db {
 public:
  SqliteDb(sqlite3* db, std::string name) : db_(db), name_(std::move(name)) {}
  ~SqliteDb() override {
    for (auto& entry : statements_) sqlite3_finalize(entry.second);
    sqlite3_close_v2(db_);
  }
  bool is_postgres() const override { return false; }
  const std::string& name() const override { return name_; }

  Status script(const std::string& sql) override {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) == SQLITE_OK) return {};
    Status s(sqlite_code(sqlite3_errcode(db_)), name_ + ": " + (err ? err : "error"));
    sqlite3_free(err);
    return s;
  }

  Status run(const std::string& sql, const std::vector<Param>& params, const RowFn& on_row) override {
    sqlite3_stmt*& stmt = statements_[sql];
    if (!stmt && sqlite3_prepare_v3(db_, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK)
      return failure();
    for (int k = 0; k < static_cast<int>(params.size()); ++k) {
      const Param& p = params[k];
      if (p.kind == Param::kInt) sqlite3_bind_int64(stmt, k + 1, p.i);
      else if (p.kind == Param::kText) sqlite3_bind_text(stmt, k + 1, p.s.c_str(), static_cast<int>(p.s.size()), SQLITE_TRANSIENT);
      else sqlite3_bind_null(stmt, k + 1);
    }
    Status result;
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      if (!on_row) continue;
      Row row(sqlite3_column_count(stmt));
      for (int c = 0; c < static_cast<int>(row.size()); ++c)
        if (auto* t = sqlite3_column_text(stmt, c)) row[c].emplace(reinterpret_cast<const char*>(t), sqlite3_column_bytes(stmt, c));
      result = on_row(row);
      if (!result.ok()) break;
    }
    if (result.ok() && rc != SQLITE_DONE && rc != SQLITE_ROW) result = failure();
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    return result;
  }

  Status begin() override { return script("BEGIN IMMEDIATE"); }
  Status commit() override { return script("COMMIT"); }
  void rollback() override {
    if (!sqlite3_get_autocommit(db_)) (void)script("ROLLBACK");
  }

 private:
  Status failure() const { return Status(sqlite_code(sqlite3_errcode(db_)), name_ + ": " + sqlite3_errmsg(db_)); }

  sqlite3* db_;
  std::string name_;
  std::map<std::string, sqlite3_stmt*> statements_;
};

}  // namespace

Result<std::unique_ptr<Db>> open_sqlite_db(const std::string& path) {
  if (path.empty()) return invalid_argument("empty SQLite database path");
  std::error_code ec;
  if (path != ":memory:" && std::filesystem::is_directory(path, ec))
    return invalid_argument(path + ": is a directory, not a database file");
  sqlite3* handle = nullptr;
  if (sqlite3_open_v2(path.c_str(), &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr) !=
      SQLITE_OK) {
    std::string m = handle ? sqlite3_errmsg(handle) : "out of memory";
    sqlite3_close_v2(handle);
    return io_error(path + ": cannot open database: " + m);
  }
  auto db = std::make_unique<SqliteDb>(handle, path);
  // Same settings as the corpus store: writers wait for each other; WAL + NORMAL keeps every
  // commit atomic across a killed process.
  for (const char* pragma : {"PRAGMA busy_timeout = 30000", "PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL",
                             "PRAGMA foreign_keys = ON"}) {
    Status s = db->script(pragma);
    if (!s.ok()) return s.code() == Code::kUnrecognized ? unrecognized(path + ": not an imr database") : s;
  }
  return std::unique_ptr<Db>(std::move(db));
}

}  // namespace imr::casework::internal
