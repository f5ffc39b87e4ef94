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
    returned_.wait(lock, [&] { return !idle_.empty() || max_open_ <= 0 || open_ < max_open_; });
    if (!idle_.empty()) {
      c = std::move(idle_.back());
      idle_.pop_back();
    } else {
      ++open_;  // reserve the place before opening outside the lock
    }
  }
  if (!c) {
    auto opened = open();
    if (!opened.ok()) {
      std::lock_guard lock(mu_);
      --open_;
      returned_.notify_one();
      return opened.status();
    }
    c = std::move(*opened);
  }
  return std::shared_ptr<Connection>(c.release(), [this](Connection* p) {
    std::lock_guard lock(mu_);
    idle_.emplace_back(p);
    returned_.notify_one();
  });
}

}  // namespace imr::server::internal
