// PostgreSQL connection for the casework tables (libpq, text parameters).
#include <libpq-fe.h>

#include "db.h"
#include "imr/base/text.h"

namespace imr::casework::internal {
namespace {

// Hides a password in the URL before it appears in any message.
std::string without_password(std::string url) {
  auto at = url.find('@');
  auto scheme = url.find("://");
  if (at != std::string::npos && scheme != std::string::npos) {
    auto colon = url.find(':', scheme + 3);
    if (colon != std::string::npos && colon < at) url.replace(colon + 1, at - colon - 1, "***");
  }
  return url;
}

class PostgresDb final : public Db {
 public:
  PostgresDb(PGconn* conn, std::string name) : conn_(conn), name_(std::move(name)) {}
  ~PostgresDb() override { PQfinish(conn_); }
  bool is_postgres() const override { return true; }
  const std::string& name() const override { return name_; }

  Status script(const std::string& sql) override { return consume(PQexec(conn_, sql.c_str()), {}); }

  Status run(const std::string& sql, const std::vector<Param>& params, const RowFn& on_row) override {
    std::vector<std::string> values(params.size());
    std::vector<const char*> pointers(params.size(), nullptr);
    for (std::size_t k = 0; k < params.size(); ++k) {
      if (params[k].kind == Param::kNull) continue;
      values[k] = params[k].kind == Param::kInt ? std::to_string(params[k].i) : params[k].s;
      pointers[k] = values[k].c_str();
    }
    PGresult* res = PQexecParams(conn_, corpus::internal::numbered_placeholders(sql).c_str(),
                                 static_cast<int>(params.size()), nullptr, pointers.data(), nullptr, nullptr, 0);
    return consume(res, on_row);
  }

  Status begin() override { return script("BEGIN"); }
  Status commit() override { return script("COMMIT"); }
  void rollback() override {
    if (PQtransactionStatus(conn_) != PQTRANS_IDLE) (void)script("ROLLBACK");
  }

 private:
  // Checks a result, hands its rows to `on_row`, frees it.
  Status consume(PGresult* res, const RowFn& on_row) {
    ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    Status s;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
      const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
      std::string sqlstate = state ? state : "08000";
      Code code = sqlstate.rfind("40", 0) == 0 || sqlstate == "55P03" ? Code::kConflict
                  : sqlstate.rfind("23", 0) == 0 || sqlstate.rfind("22", 0) == 0 ? Code::kInvalidArgument
                  : sqlstate.rfind("08", 0) == 0 || PQstatus(conn_) == CONNECTION_BAD ? Code::kIoError
                  : sqlstate == "P0001" ? Code::kFailedPrecondition
                                        : Code::kInternal;
      s = Status(code, name_ + ": " + std::string(text::trim(res ? PQresultErrorMessage(res) : PQerrorMessage(conn_))));
    } else if (on_row) {
      int rows = PQntuples(res), cols = PQnfields(res);
      for (int r = 0; r < rows && s.ok(); ++r) {
        Row row(cols);
        for (int c = 0; c < cols; ++c)
          if (!PQgetisnull(res, r, c)) row[c].emplace(PQgetvalue(res, r, c), PQgetlength(res, r, c));
        s = on_row(row);
      }
    }
    PQclear(res);
    return s;
  }

  PGconn* conn_;
  std::string name_;
};

}  // namespace

Result<std::unique_ptr<Db>> open_postgres_db(const std::string& url) {
  std::string name = without_password(url);
  PGconn* conn = PQconnectdb(url.c_str());
  if (!conn || PQstatus(conn) != CONNECTION_OK) {
    std::string m = conn ? std::string(text::trim(PQerrorMessage(conn))) : "out of memory";
    PQfinish(conn);
    return io_error(name + ": cannot connect: " + m);
  }
  PQsetNoticeProcessor(conn, [](void*, const char*) {}, nullptr);
  auto db = std::make_unique<PostgresDb>(conn, name);
  IMR_RETURN_IF_ERROR(db->script("SET client_min_messages = warning"));
  return std::unique_ptr<Db>(std::move(db));
}

Result<std::unique_ptr<Db>> open_db(const std::string& url) {
  std::string u(text::trim(url));
  if (u.empty()) return invalid_argument("empty database URL");
  if (text::starts_with_icase(u, "postgresql://") || text::starts_with_icase(u, "postgres://")) return open_postgres_db(u);
  if (text::starts_with_icase(u, "sqlite:")) {
    std::string path = u.substr(7);
    if (path.rfind("//", 0) == 0) path = path.substr(2);
    return open_sqlite_db(path);
  }
  if (u.find("://") != std::string::npos)
    return invalid_argument(u + ": unknown database URL scheme (use sqlite:PATH, a path, or postgresql://...)");
  return open_sqlite_db(u);
}

}  // namespace imr::casework::internal
