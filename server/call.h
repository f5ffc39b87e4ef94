// One API request as a handler sees it, and the shape of a handler. Internal to server/.
#pragma once

#include <httplib.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "auth.h"
#include "imr/base/result.h"
#include "pool.h"

namespace imr::server::internal {

using Json = nlohmann::ordered_json;

struct ServerContext;  // what every handler may read: options, the pool (server.cc)

// Thrown by Lease when no connection can be had (the database is unreachable); dispatch answers
// with the status. The only exception in the server's control flow: it lets a handler write
// `c.conn->store` without a check at every use.
struct NoConnection {
  Status status;
};

// The request's database connection, borrowed from the pool on first use and for the rest of the
// request: a request answered from memory (a cached search for the public) never waits for one.
class Lease {
 public:
  explicit Lease(ConnectionPool& pool) : pool_(pool) {}
  Connection* operator->() { return &get(); }
  Connection& operator*() { return get(); }
  // Gives the connection back before the handler ends (to wait for something without holding
  // one); a later use borrows again.
  void release() { conn_.reset(); }
  // A share of the lease, for work that outlives the handler (a streamed export).
  std::shared_ptr<Connection> share() {
    get();
    return conn_;
  }

 private:
  Connection& get() {
    if (!conn_) {
      auto c = pool_.acquire();
      if (!c.ok()) throw NoConnection{c.status()};
      conn_ = std::move(*c);
    }
    return *conn_;
  }
  ConnectionPool& pool_;
  std::shared_ptr<Connection> conn_;
};

struct Call {
  const httplib::Request& req;
  httplib::Response& res;
  const ServerContext& server;
  Principal who;
  Lease conn;                            // borrowed on first use (see ConnectionPool)
  std::vector<std::string> path_params;  // the {name} segments of the route, in order
  std::string error_field;               // set by field_error(): the request field at fault
  std::string audit_target;              // what a mutation acted on, for the audit log

  // A query parameter; nullopt when absent. An empty value counts as absent.
  std::optional<std::string> query(const char* name) const;
  // kInvalidArgument whose message names `field`, remembered for the error body.
  Status field_error(const std::string& field, const std::string& message);
  // The request body as a JSON object, or kInvalidArgument (field "body").
  Result<Json> json_body();
  // Answers with `body` as JSON.
  void reply(const Json& body, int status = 200);
};

using Handler = Status (*)(Call&);

// Which roles a route admits, as a bit set over Role.
constexpr unsigned bit(Role r) { return 1u << static_cast<unsigned>(r); }
constexpr unsigned kAnyone = bit(Role::kPublic) | bit(Role::kIntake) | bit(Role::kReviewer) | bit(Role::kAdmin);
constexpr unsigned kStaff = bit(Role::kIntake) | bit(Role::kReviewer) | bit(Role::kAdmin);
constexpr unsigned kAdminOnly = bit(Role::kAdmin);
constexpr unsigned kIntakeAdmin = bit(Role::kIntake) | bit(Role::kAdmin);
constexpr unsigned kReviewerAdmin = bit(Role::kReviewer) | bit(Role::kAdmin);

struct Route {
  const char* method;  // "GET", "POST", "PUT", "PATCH", "DELETE"
  const char* path;    // "/api/letters/{key}/items/{i}": {x} matches one non-empty segment
  unsigned roles;      // who may call it; others get 401 (public) or 403 (a token's holder)
  Handler handler;
};

// Every route of the API, in one table (routes.cc).
const std::vector<Route>& routes();

// Handlers, named verb_noun after their route (corpus_api.cc, admin_api.cc).
Status get_health(Call& c);
Status get_session(Call& c);
Status get_search(Call& c);
Status get_stats(Call& c);
Status get_letter(Call& c);
Status get_letter_item(Call& c);
Status get_export(Call& c);
Status get_tokens(Call& c);
Status post_token(Call& c);
Status delete_token(Call& c);
Status get_audit(Call& c);
Status post_review(Call& c);
Status post_review_letter(Call& c);
Status get_cases(Call& c);
Status get_case(Call& c);
Status get_case_audit(Call& c);
Status get_case_letter(Call& c);
Status post_case(Call& c);
Status post_case_event(Call& c);
Status get_reviewers(Call& c);
Status post_reviewer(Call& c);

}  // namespace imr::server::internal
