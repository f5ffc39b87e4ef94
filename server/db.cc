// ServerDb on SQLite and PostgreSQL. The server tables hold few rows (tokens, audit entries), so
// statements are prepared per call; what matters is that they are correct under concurrency.
#include "db.h"

#include <libpq-fe.h>
#include <sqlite3.h>

#include <chrono>
#include <ctime>

#include "imr/base/text.h"

namespace imr::server::internal {
namespace {

// Ordered migrations per backend; entry k takes the server schema from version k to k + 1.
// Never edit a shipped entry: add a new one. Same tables and columns in both backends.
//   server_tokens: one row per API token; only the SHA-256 of the token is kept. `subject` is
//     the casework identity the token acts as (a reviewer's id), when the role needs one.
//   server_audit: one row per mutation (any non-GET request that reached a handler), with its
//     actor, whatever the outcome.
const char* const kSqliteMigrations[] = {
    R"sql(
CREATE TABLE server_tokens (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  subject TEXT,
  token_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  revoked_at TEXT
);
CREATE TABLE server_audit (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  actor_token_id INTEGER,
  role TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  status INTEGER NOT NULL,
  detail TEXT NOT NULL
);
)sql",
};
const char* const kPostgresMigrations[] = {
    R"sql(
CREATE TABLE server_tokens (
  id BIGSERIAL PRIMARY KEY,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  subject TEXT,
  token_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  revoked_at TEXT
);
CREATE TABLE server_audit (
  id BIGSERIAL PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  actor_token_id BIGINT,
  role TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  status INTEGER NOT NULL,
  detail TEXT NOT NULL
);
)sql",
};
constexpr int kServerSchemaVersion = 1;
static_assert(std::size(kSqliteMigrations) == kServerSchemaVersion);
static_assert(std::size(kPostgresMigrations) == kServerSchemaVersion);

Status too_new(int v) {
  return failed_precondition("server schema version " + std::to_string(v) + " is newer than this imr supports (" +
                             std::to_string(kServerSchemaVersion) + "); use a newer imr");
}

class SqliteDb final : public ServerDb {
 public:
  explicit SqliteDb(sqlite3* db) : db_(db) {}
  ~SqliteDb() override { sqlite3_close_v2(db_); }

  Status exec(const std::string& sql, const std::vector<Value>& params,
              const std::function<void(const Row&)>& on_row) override {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) return error("prepare");
    for (std::size_t k = 0; k < params.size(); ++k) {
      const Value& v = params[k];
      int at = static_cast<int>(k + 1);
      if (v.kind == Value::kInt) sqlite3_bind_int64(stmt, at, v.i);
      else if (v.kind == Value::kText) sqlite3_bind_text(stmt, at, v.s.data(), static_cast<int>(v.s.size()), SQLITE_TRANSIENT);
      else sqlite3_bind_null(stmt, at);
    }
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      if (!on_row) continue;
      Row row(sqlite3_column_count(stmt));
      for (int c = 0; c < static_cast<int>(row.size()); ++c)
        if (sqlite3_column_type(stmt, c) != SQLITE_NULL)
          row[c] = std::string(reinterpret_cast<const char*>(sqlite3_column_text(stmt, c)),
                               static_cast<std::size_t>(sqlite3_column_bytes(stmt, c)));
      on_row(row);
    }
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE) return error("step");
    return {};
  }

  Result<std::int64_t> insert(const std::string& sql, const std::vector<Value>& params) override {
    IMR_RETURN_IF_ERROR(exec(sql, params, {}));
    return static_cast<std::int64_t>(sqlite3_last_insert_rowid(db_));
  }

  Status script(const char* sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
      std::string m = err ? err : "unknown error";
      sqlite3_free(err);
      return code_for(sqlite3_errcode(db_), "server tables: " + m);
    }
    return {};
  }

  Status migrate() {
    IMR_RETURN_IF_ERROR(script("PRAGMA busy_timeout = 30000"));
    // IMMEDIATE: the write lock first, so two processes never both decide to migrate.
    IMR_RETURN_IF_ERROR(script("BEGIN IMMEDIATE"));
    Status s = script("CREATE TABLE IF NOT EXISTS server_schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)");
    int v = 0;
    if (s.ok()) s = exec("SELECT coalesce(max(version), 0) FROM server_schema_version", {}, [&](const Row& r) { v = std::stoi(r[0].value_or("0")); });
    if (s.ok() && v > kServerSchemaVersion) s = too_new(v);
    for (int k = v; s.ok() && k < kServerSchemaVersion; ++k) {
      s = script(kSqliteMigrations[k]);
      if (s.ok()) s = exec("INSERT INTO server_schema_version (version, applied_at) VALUES (?, ?)", {Value::of(std::int64_t{k + 1}), Value::of(now_utc())}, {});
    }
    if (s.ok()) s = script("COMMIT");
    if (!s.ok()) script("ROLLBACK").ok();
    return s;
  }

 private:
  static Status code_for(int rc, std::string m) {
    switch (rc & 0xff) {
      case SQLITE_BUSY:
      case SQLITE_LOCKED: return conflict(std::move(m));
      case SQLITE_CANTOPEN:
      case SQLITE_IOERR:
      case SQLITE_FULL:
      case SQLITE_READONLY: return io_error(std::move(m));
      case SQLITE_CONSTRAINT: return conflict(std::move(m));
      default: return internal_error(std::move(m));
    }
  }
  Status error(const char* what) { return code_for(sqlite3_errcode(db_), std::string("server tables: ") + what + ": " + sqlite3_errmsg(db_)); }

  sqlite3* db_;
};

// `?` outside quoted literals become $1, $2, ... (the server's statements hold no `?` in text).
std::string numbered(const std::string& sql) {
  std::string out;
  int n = 0;
  bool quoted = false;
  for (char c : sql) {
    if (c == '\'') quoted = !quoted;
    if (c == '?' && !quoted) out += "$" + std::to_string(++n);
    else out += c;
  }
  return out;
}

class PostgresDb final : public ServerDb {
 public:
  explicit PostgresDb(PGconn* conn) : conn_(conn) {}
  ~PostgresDb() override { PQfinish(conn_); }

  Status exec(const std::string& sql, const std::vector<Value>& params,
              const std::function<void(const Row&)>& on_row) override {
    std::vector<std::string> text(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    for (std::size_t k = 0; k < params.size(); ++k) {
      if (params[k].kind == Value::kNull) continue;
      text[k] = params[k].kind == Value::kInt ? std::to_string(params[k].i) : params[k].s;
      values[k] = text[k].c_str();
    }
    // Without parameters, the simple protocol: it also runs multi-statement migration scripts.
    PGresult* res = params.empty() ? PQexec(conn_, sql.c_str())
                                   : PQexecParams(conn_, numbered(sql).c_str(), static_cast<int>(params.size()), nullptr,
                                                  values.data(), nullptr, nullptr, 0);
    ExecStatusType st = PQresultStatus(res);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
      std::string state = PQresultErrorField(res, PG_DIAG_SQLSTATE) ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : "";
      std::string m = "server tables: " + text::fold_space(PQresultErrorMessage(res));
      PQclear(res);
      if (PQstatus(conn_) != CONNECTION_OK) return io_error(m);
      // 23xxx integrity violations and 40xxx serialisation failures: a concurrent change won.
      if (state.rfind("23", 0) == 0 || state.rfind("40", 0) == 0) return conflict(m);
      return internal_error(m);
    }
    if (on_row) {
      int rows = PQntuples(res), cols = PQnfields(res);
      for (int r = 0; r < rows; ++r) {
        Row row(cols);
        for (int c = 0; c < cols; ++c)
          if (!PQgetisnull(res, r, c)) row[c] = std::string(PQgetvalue(res, r, c), PQgetlength(res, r, c));
        on_row(row);
      }
    }
    PQclear(res);
    return {};
  }

  Result<std::int64_t> insert(const std::string& sql, const std::vector<Value>& params) override {
    std::int64_t id = 0;
    IMR_RETURN_IF_ERROR(exec(sql + " RETURNING id", params, [&](const Row& r) { id = std::stoll(r[0].value_or("0")); }));
    return id;
  }

  Status migrate() {
    IMR_RETURN_IF_ERROR(exec("BEGIN", {}, {}));
    // One migrator at a time per database (a key of our own, distinct from the corpus store's).
    Status s = exec("SELECT pg_advisory_xact_lock(7243190442)", {}, {});
    if (s.ok()) s = exec("CREATE TABLE IF NOT EXISTS server_schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)", {}, {});
    int v = 0;
    if (s.ok()) s = exec("SELECT coalesce(max(version), 0) FROM server_schema_version", {}, [&](const Row& r) { v = std::stoi(r[0].value_or("0")); });
    if (s.ok() && v > kServerSchemaVersion) s = too_new(v);
    for (int k = v; s.ok() && k < kServerSchemaVersion; ++k) {
      s = exec(kPostgresMigrations[k], {}, {});
      if (s.ok()) s = exec("INSERT INTO server_schema_version (version, applied_at) VALUES (?, ?)", {Value::of(std::int64_t{k + 1}), Value::of(now_utc())}, {});
    }
    if (s.ok()) s = exec("COMMIT", {}, {});
    if (!s.ok()) exec("ROLLBACK", {}, {}).ok();
    return s;
  }

 private:
  PGconn* conn_;
};

}  // namespace

std::string now_utc() {
  std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

Result<std::unique_ptr<ServerDb>> ServerDb::open(const std::string& url) {
  std::string u(text::trim(url));
  if (text::starts_with_icase(u, "postgresql://") || text::starts_with_icase(u, "postgres://")) {
    PGconn* conn = PQconnectdb(u.c_str());
    if (!conn) return io_error("database: cannot connect: out of memory");
    if (PQstatus(conn) != CONNECTION_OK) {
      std::string m = text::fold_space(PQerrorMessage(conn));
      PQfinish(conn);
      return io_error("database: cannot connect: " + m);
    }
    PQsetNoticeProcessor(conn, [](void*, const char*) {}, nullptr);  // "relation exists, skipping"
    auto db = std::make_unique<PostgresDb>(conn);
    IMR_RETURN_IF_ERROR(db->migrate());
    return std::unique_ptr<ServerDb>(std::move(db));
  }
  std::string path = u;
  if (text::starts_with_icase(u, "sqlite:")) {
    path = u.substr(7);
    if (path.rfind("//", 0) == 0) path = path.substr(2);
  } else if (u.find("://") != std::string::npos) {
    return invalid_argument(u.substr(0, u.find("://")) + ": unknown database URL scheme");
  }
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
    std::string m = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close_v2(db);
    return io_error(path + ": " + m);
  }
  auto out = std::make_unique<SqliteDb>(db);
  IMR_RETURN_IF_ERROR(out->migrate());
  return std::unique_ptr<ServerDb>(std::move(out));
}

}  // namespace imr::server::internal
