// Database connections for worker threads. Internal to server/.
//
// A corpus::Store and a ServerDb are each single-threaded, so a request borrows one Connection
// for its whole length (a streamed export keeps it until the last byte) and gives it back. The
// pool opens connections lazily and keeps at most as many as were ever in use at once (bounded
// by the worker threads), so N server processes on one PostgreSQL hold at most N x threads
// connections.
#pragma once

#include <memory>
#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

#include "db.h"
#include "imr/base/result.h"
#include "imr/casework/casebook.h"
#include "imr/corpus/store.h"

namespace imr::server::internal {

struct Connection {
  std::unique_ptr<corpus::Store> store;
  std::unique_ptr<ServerDb> db;
  std::unique_ptr<casework::Casebook> casebook;  // opened on first casework request
};

class ConnectionPool {
 public:
  // At most `max_open` connections exist at once (0: no bound); callers beyond it wait. This, not
  // the number of HTTP threads, bounds the memory the stores' page caches take.
  explicit ConnectionPool(std::string db_url, int max_open = 0) : url_(std::move(db_url)), max_open_(max_open) {}
  // A connection for this caller alone; it returns to the pool when the last copy is dropped.
  // The pool must outlive every lease. kIoError etc. when a new connection cannot be opened.
  Result<std::shared_ptr<Connection>> acquire();
  // Opens one connection now (migrating both schemas) so that start-up reports a bad database.
  Status warm_up();

 private:
  Result<std::unique_ptr<Connection>> open();
  std::string url_;
  int max_open_;
  std::mutex mu_;
  std::condition_variable returned_;
  int open_ = 0;  // connections in existence, idle or leased
  std::vector<std::unique_ptr<Connection>> idle_;
};

}  // namespace imr::server::internal
