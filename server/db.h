// The server's own small database: API tokens and the audit log, in the same database as the
// corpus (SQLite file or PostgreSQL), in tables of their own (server_*). Internal to server/.
//
// The corpus store's SQL layer is internal to corpus/, so the server keeps this narrow one: one
// connection, statements with `?` parameters, its own versioned migrations (additive; the
// corpus schema is never touched). A ServerDb is used by one thread at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "imr/base/result.h"

namespace imr::server::internal {

// A statement parameter: NULL, an integer or text.
struct Value {
  enum Kind { kNull, kInt, kText } kind = kNull;
  std::int64_t i = 0;
  std::string s;
  static Value null() { return {}; }
  static Value of(std::int64_t v) { return {kInt, v, {}}; }
  static Value of(std::string v) { return {kText, 0, std::move(v)}; }
};

// A result row, every column as text (NULL as nullopt).
using Row = std::vector<std::optional<std::string>>;

class ServerDb {
 public:
  virtual ~ServerDb() = default;

  // Opens the database named like a corpus store URL ("sqlite:PATH", a bare path,
  // "postgresql://...") and applies missing server migrations in one transaction. Several
  // processes may open one database at once: migrations are serialised (PostgreSQL advisory
  // lock, SQLite write lock). kIoError when unreachable, kFailedPrecondition when the server
  // schema is newer than this binary.
  static Result<std::unique_ptr<ServerDb>> open(const std::string& url);

  // Runs one statement; `on_row` (may be empty) sees each result row.
  virtual Status exec(const std::string& sql, const std::vector<Value>& params,
                      const std::function<void(const Row&)>& on_row) = 0;
  // Runs an INSERT and returns the new row's id (the statement must not end in RETURNING).
  virtual Result<std::int64_t> insert(const std::string& sql, const std::vector<Value>& params) = 0;
};

// The current time as ISO-8601 UTC text ("2026-11-23T12:30:05Z"), as the server tables store it.
std::string now_utc();

}  // namespace imr::server::internal
