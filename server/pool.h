// Database connections for worker threads. Internal to server/.
//
// A corpus::Store and a ServerDb are each single-threaded, so a request borrows one Connection
// for its whole length (a streamed export keeps it until the last byte) and gives it back. The
// pool opens connections lazily and keeps at most as many as were ever in use at once (bounded
// by the worker threads), so N server processes on one PostgreSQL hold at most N x threads
// connections.
#pragma once

#include <condition_variable>
#include <deque>
#include <memory>
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
  // At most `max_open` connections exist at once (0: no bound); callers beyond it wait, and are
  // served in the order they came (a returned connection goes straight to the longest waiter: with
  // a plain condition variable an unlucky request could wait for seconds under load). This, not
  // the number of HTTP threads, bounds the memory the stores' page caches take.
  explicit ConnectionPool(std::string db_url, int max_open = 0) : url_(std::move(db_url)), max_open_(max_open) {}
  // A connection for this caller alone; it returns to the pool when the last copy is dropped.
  // The pool must outlive every lease. kIoError etc. when a new connection cannot be opened.
  Result<std::shared_ptr<Connection>> acquire();
  // Opens one connection now (migrating both schemas) so that start-up reports a bad database.
  Status warm_up();

 private:
  // A caller waiting for a connection: handed one (`conn`), or a place to open one (`conn` null).
  struct Waiter {
    std::unique_ptr<Connection> conn;
    bool ready = false;
    std::condition_variable cv;
  };
  Result<std::unique_ptr<Connection>> open();
  void give_back(Connection* c);
  void free_place();  // a place reserved for opening was not used (mu_ held)
  std::string url_;
  int max_open_;
  std::mutex mu_;
  int open_ = 0;  // connections in existence (idle or leased) or being opened
  std::vector<std::unique_ptr<Connection>> idle_;
  std::deque<Waiter*> waiters_;  // oldest first
};

}  // namespace imr::server::internal
