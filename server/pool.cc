#include "pool.h"

namespace imr::server::internal {

Result<std::unique_ptr<Connection>> ConnectionPool::open() {
  auto c = std::make_unique<Connection>();
  // The corpus store first: it creates or checks the corpus schema, so a file that is not an imr
  // database is refused before the server adds its tables to it.
  auto store = corpus::Store::open(url_, corpus::OpenMode::kCreate);
  if (!store.ok()) return store.status();
  c->store = std::move(*store);
  auto db = ServerDb::open(url_);
  if (!db.ok()) return db.status();
  c->db = std::move(*db);
  return c;
}

Status ConnectionPool::warm_up() {
  auto c = open();
  if (!c.ok()) return c.status();
  std::lock_guard lock(mu_);
  ++open_;
  idle_.push_back(std::move(*c));
  return {};
}

Result<std::shared_ptr<Connection>> ConnectionPool::acquire() {
  std::unique_ptr<Connection> c;
  {
    std::unique_lock lock(mu_);
    if (waiters_.empty() && !idle_.empty()) {
      c = std::move(idle_.back());
      idle_.pop_back();
    } else if (waiters_.empty() && (max_open_ <= 0 || open_ < max_open_)) {
      ++open_;  // reserve the place before opening outside the lock
    } else {
      Waiter me;
      waiters_.push_back(&me);
      me.cv.wait(lock, [&] { return me.ready; });
      c = std::move(me.conn);  // null: a place was reserved for us to open one
    }
  }
  if (!c) {
    auto opened = open();
    if (!opened.ok()) {
      std::lock_guard lock(mu_);
      free_place();
      return opened.status();
    }
    c = std::move(*opened);
  }
  return std::shared_ptr<Connection>(c.release(), [this](Connection* p) { give_back(p); });
}

void ConnectionPool::give_back(Connection* c) {
  std::lock_guard lock(mu_);
  if (waiters_.empty()) {
    idle_.emplace_back(c);
    return;
  }
  Waiter* w = waiters_.front();
  waiters_.pop_front();
  w->conn.reset(c);
  w->ready = true;
  w->cv.notify_one();
}

void ConnectionPool::free_place() {
  if (waiters_.empty()) {
    --open_;
    return;
  }
  Waiter* w = waiters_.front();  // the place passes to the longest waiter, who opens one
  waiters_.pop_front();
  w->ready = true;
  w->cv.notify_one();
}

}  // namespace imr::server::internal
