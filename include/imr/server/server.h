// The HTTP/JSON server: the corpus (search, statistics, letters, export), API tokens with roles,
// and the web UI's static files, from one process. `imr serve` is a thin wrapper over Server.
//
// Requests flow one way: HTTP → one route table (server/routes.cc) → handlers → library APIs
// (corpus::Store, ...). Errors are imr::Status values mapped to HTTP codes in one place
// (server/http_error.cc) and answered as {"error": {"code", "message", "field"}}.
//
// Roles (a request without a token is public):
//   public    read-only: search, statistics, redacted letters (no reviewer identity, no names)
//   intake    + unredacted letters, export
//   reviewer  + unredacted letters, export; in casework only the cases assigned to them
//   admin     everything, including tokens and the audit log
// Tokens are random, shown once when created, and stored only as their SHA-256. Every mutation
// (any non-GET request that reaches a handler) is written to the audit log with its actor.
//
// Concurrency: each worker thread borrows a database connection (corpus store + server tables)
// from a pool for the length of one request, so several threads, and several processes sharing
// one PostgreSQL database, serve at once.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "imr/base/result.h"

namespace imr::server {

enum class Role { kPublic, kIntake, kReviewer, kAdmin };
// "public", "intake", "reviewer", "admin"; parse returns nullopt for anything else.
const char* to_string(Role role);
std::optional<Role> parse_role(std::string_view word);

struct ServerOptions {
  std::string db_url = "imr.db";   // corpus store URL (see corpus::Store::open)
  std::string host = "127.0.0.1";  // listen address; "0.0.0.0" for every interface
  int port = 8080;                 // 0 picks a free port (see Server::port())
  // HTTP worker threads; 0 = 64. httplib holds a thread for each open keep-alive connection, so
  // this is how many clients are served at once (a client beyond it waits for one to go idle for
  // 5 s); the database work stays bounded by `db_connections`.
  int threads = 0;
  // Database connections at most (corpus store + server tables each); requests beyond wait for
  // one. Bounds memory (each SQLite connection keeps a page cache) and database load whatever
  // `threads` is. 0 = 2 x hardware concurrency (at least 4).
  int db_connections = 0;
  // Directory of the web UI's static files; empty = $IMR_WEB_DIR, else "web" beside the data
  // directory. A missing directory serves the API only.
  std::string web_dir;
  std::size_t max_body_bytes = 1 << 20;  // larger request bodies are refused with 413
  // Bytes of search and statistics answers kept for repeated questions (each answer valid only
  // while the store is unchanged; see server/response_cache.h). 0 turns the cache off.
  std::size_t cache_bytes = 64u << 20;
  // Outcome model written by `imr train`, used by the review routes; empty = the guideline
  // rule's estimate. Loaded at start: a bad file fails start, naming it.
  std::string model_path;
};

class Server {
 public:
  // Opens the database once (creating/migrating its tables) and binds the socket, so errors
  // surface before serving: kIoError (database unreachable, port taken), kInvalidArgument (bad
  // URL or options), kFailedPrecondition (database written by a newer imr).
  static Result<std::unique_ptr<Server>> start(const ServerOptions& options);
  ~Server();

  int port() const;          // the bound port
  std::string url() const;   // "http://HOST:PORT/"
  // Serves until stop() is called (from another thread or a signal handler's thread). Loads the
  // statistics index in the background meanwhile and logs one line to stderr when it has.
  Status run();
  void stop();

 private:
  struct Impl;
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// An API token as created: `token` is the secret, returned here once and never stored.
struct IssuedToken {
  std::int64_t id = 0;
  std::string token;
  Role role = Role::kPublic;
  std::string name;
};

// Creates a token in the database at `db_url` (creating the server tables when missing) and
// audits it with `actor` (e.g. "cli:root"). kInvalidArgument for the public role (it needs no
// token) or an empty name.
Result<IssuedToken> create_token(const std::string& db_url, Role role, const std::string& name,
                                 const std::string& actor, const std::optional<std::string>& subject = {});

}  // namespace imr::server
