// The HTTP edge: httplib in, one dispatcher, JSON out. Authentication, role checks, error
// mapping and auditing happen here once for every route, so handlers only do their work.
#include "imr/server/server.h"

#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <thread>

#include "call.h"
#include "http_error.h"
#include "imr/base/data.h"
#include "imr/base/text.h"
#include "server_context.h"

namespace imr::server {
namespace internal {

std::optional<std::string> Call::query(const char* name) const {
  if (!req.has_param(name)) return std::nullopt;
  std::string v = req.get_param_value(name);
  if (text::trim(v).empty()) return std::nullopt;
  return v;
}

Status Call::field_error(const std::string& field, const std::string& message) {
  error_field = field;
  return invalid_argument(message);
}

Result<Json> Call::json_body() {
  Json j = Json::parse(req.body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return field_error("body", "the request body must be a JSON object");
  return j;
}

void Call::reply(const Json& body, int status) {
  res.status = status;
  res.set_content(body.dump(-1, ' ', false, Json::error_handler_t::replace), "application/json");
}

namespace {

std::vector<std::string_view> segments(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < path.size()) {
    while (i < path.size() && path[i] == '/') ++i;
    std::size_t b = i;
    while (i < path.size() && path[i] != '/') ++i;
    if (i > b) out.push_back(path.substr(b, i - b));
  }
  return out;
}

// Whether `path` fits the route's pattern; fills the {name} values in order.
bool match(const char* pattern, std::string_view path, std::vector<std::string>& params) {
  auto want = segments(pattern), have = segments(path);
  if (want.size() != have.size()) return false;
  std::vector<std::string> got;
  for (std::size_t k = 0; k < want.size(); ++k) {
    if (want[k].front() == '{') got.emplace_back(have[k]);
    else if (want[k] != have[k]) return false;
  }
  params = std::move(got);
  return true;
}

void send_error(httplib::Response& res, const Status& s, const std::string& field) {
  res.status = http_status(s.code());
  res.set_content(error_body(s, field), "application/json");
}

// The bearer token of the request, if any ("Authorization: Bearer imr_...").
std::optional<std::string> bearer(const httplib::Request& req) {
  if (!req.has_header("Authorization")) return std::nullopt;
  std::string h(text::trim(req.get_header_value("Authorization")));
  if (!text::starts_with_icase(h, "bearer ")) return std::string();  // present but malformed
  return std::string(text::trim(std::string_view(h).substr(7)));
}

void dispatch_call(const Route& route, Call& call);

void dispatch(const ServerContext& ctx, ConnectionPool& pool, const httplib::Request& req, httplib::Response& res) {
  const Route* route = nullptr;
  std::vector<std::string> params;
  bool path_known = false;
  for (const auto& r : routes()) {
    std::vector<std::string> p;
    if (!match(r.path, req.path, p)) continue;
    path_known = true;
    if (req.method == r.method || (req.method == "HEAD" && std::string_view(r.method) == "GET")) {
      route = &r;
      params = std::move(p);
      break;
    }
  }
  if (!route) {
    if (path_known) {
      send_error(res, invalid_argument(req.method + " is not allowed on " + req.path), "");
      res.status = 405;
    } else {
      send_error(res, not_found("no such route: " + req.method + " " + req.path), "");
    }
    return;
  }
  Call call{req, res, ctx, Principal{}, Lease(pool), std::move(params), {}, {}};
  try {
    dispatch_call(*route, call);
  } catch (const NoConnection& e) {
    send_error(res, e.status, "");
  }
}

void dispatch_call(const Route& r, Call& call) {
  const Route* route = &r;
  const httplib::Request& req = call.req;
  httplib::Response& res = call.res;
  if (auto secret = bearer(req)) {
    if (secret->empty())
      return send_error(res, Status(Code::kUnauthenticated, "the Authorization header must be 'Bearer TOKEN'"), "Authorization");
    auto who = authenticate(*call.conn->db, *secret);
    if (!who.ok()) return send_error(res, who.status(), who.status().code() == Code::kUnauthenticated ? "Authorization" : "");
    call.who = *who;
  }
  Status s;
  if (!(route->roles & bit(call.who.role))) {
    s = call.who.role == Role::kPublic
            ? Status(Code::kUnauthenticated, std::string(route->method) + " " + route->path + " needs an API token")
            : Status(Code::kPermissionDenied, std::string("the ") + to_string(call.who.role) + " role may not " +
                                                  route->method + " " + route->path);
  } else {
    try {
      s = route->handler(call);
    } catch (const NoConnection&) {
      throw;
    } catch (const std::exception& e) {
      s = internal_error(std::string("unexpected failure: ") + e.what());
    }
  }
  if (!s.ok()) send_error(res, s, call.error_field);
  // Every mutation, allowed or not, leaves a trace with its actor.
  if (std::string_view(route->method) != "GET") {
    Status a = audit(*call.conn->db, call.who, std::string(route->method) + " " + route->path,
                     call.audit_target.empty() ? req.path : call.audit_target, res.status,
                     s.ok() ? "" : s.message());
    if (!a.ok()) std::cerr << "imr serve: audit log: " << a.message() << "\n";
  }
}

std::string resolve_web_dir(const std::string& flag) {
  namespace fs = std::filesystem;
  if (!flag.empty()) return flag;
  if (const char* env = std::getenv("IMR_WEB_DIR"); env && *env) return env;
  std::error_code ec;
  fs::path beside = fs::path(data_dir()).parent_path() / "web";
  if (fs::is_directory(beside / "", ec)) return beside.string();
  return "";
}

}  // namespace
}  // namespace internal

constexpr int kListenBacklog = 1024;

struct Server::Impl {
  explicit Impl(const ServerOptions& o) : ctx(o) {}
  internal::ServerContext ctx;
  httplib::Server http;
  int port = 0;
  socket_t listen_socket = INVALID_SOCKET;  // the socket httplib last created to listen on
  // Loads the statistics index while the server starts answering; stopped and joined first.
  std::atomic<bool> stopping{false};
  std::thread warm_stats;
  // Whether run() has been entered (1) and has returned (2): stop() may come before httplib's
  // loop is running (a signal during start-up), when httplib's own stop() does nothing.
  std::atomic<bool> stop_requested{false};
  std::atomic<int> run_state{0};
  ~Impl() {
    stopping = true;
    if (warm_stats.joinable()) warm_stats.join();
  }
};

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Server::~Server() { stop(); }

Result<std::unique_ptr<Server>> Server::start(const ServerOptions& options) {
  if (options.port < 0 || options.port > 65535) return invalid_argument("port must be from 0 to 65535");
  if (options.threads < 0 || options.threads > 1024) return invalid_argument("threads must be from 0 to 1024");
  ServerOptions opts = options;
  if (opts.db_connections <= 0) opts.db_connections = static_cast<int>(std::max(4u, 2 * std::thread::hardware_concurrency()));
  auto impl = std::make_unique<Impl>(opts);
  IMR_RETURN_IF_ERROR(impl->ctx.pool.warm_up());
  if (!options.model_path.empty()) {
    auto model = review::OutcomeModel::load(options.model_path);
    if (!model.ok()) return model.status().with_context("--model");
    impl->ctx.model.emplace(std::move(*model));
  }
  impl->ctx.web_dir = internal::resolve_web_dir(options.web_dir);

  httplib::Server& http = impl->http;
  // A thread serves one connection for as long as the client keeps it alive, so the default is
  // sized by connections, not cores: a browser alone opens six.
  int threads = options.threads > 0 ? options.threads : 64;
  http.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<std::size_t>(threads)); };
  http.set_payload_max_length(options.max_body_bytes);
  // A client may send 10,000 requests on one connection (httplib's default is 5, which makes a
  // busy client reconnect all the time: a third of the throughput under load went to new
  // connections); the 5 s idle timeout still frees the thread a quiet client holds.
  http.set_keep_alive_max_count(10000);
  // httplib writes a response's headers and body in separate sends; with Nagle's algorithm the
  // body then waits for the client's delayed ACK (40 ms on Linux), which made every answer on a
  // connection take at least 40 ms under a light load.
  http.set_tcp_nodelay(true);
  // SO_REUSEADDR only: httplib's default also sets SO_REUSEPORT, which would let a second server
  // silently share a port that is taken instead of failing at start.
  Impl* raw = impl.get();
  http.set_socket_options([raw](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, reinterpret_cast<const void*>(&yes), sizeof yes);
    raw->listen_socket = sock;
  });
  http.set_default_headers({{"X-Content-Type-Options", "nosniff"}, {"Referrer-Policy", "no-referrer"}});
  if (!impl->ctx.web_dir.empty() && !http.set_mount_point("/", impl->ctx.web_dir))
    return invalid_argument("web directory " + impl->ctx.web_dir + " cannot be served");
  http.set_file_extension_and_mimetype_mapping("js", "text/javascript");

  auto handler = [raw](const httplib::Request& req, httplib::Response& res) {
    internal::dispatch(raw->ctx, raw->ctx.pool, req, res);
  };
  // One catch-all per method; the route table (routes.cc) does the matching.
  http.Get(".*", handler);
  http.Post(".*", handler);
  http.Put(".*", handler);
  http.Patch(".*", handler);
  http.Delete(".*", handler);
  // Errors httplib raises itself (413 over the size limit, 400 for a malformed request) get
  // the same JSON shape as ours.
  http.set_error_handler([max = options.max_body_bytes](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return;
    Status s = res.status == 413 ? invalid_argument("request body larger than " + std::to_string(max) + " bytes")
                                 : invalid_argument("malformed request");
    res.set_content(internal::error_body(s, res.status == 413 ? "body" : ""), "application/json");
  });

  if (options.port == 0) {
    raw->port = http.bind_to_any_port(options.host);
    if (raw->port < 0) return io_error(options.host + ": cannot listen on any port");
  } else {
    if (!http.bind_to_port(options.host, options.port))
      return io_error(options.host + ":" + std::to_string(options.port) + ": cannot listen (port taken or address unknown)");
    raw->port = options.port;
  }
  // Debian's libcpp-httplib is compiled with a listen backlog of 5: when many clients connected at
  // once (100 at the start of a load test, a proxy opening its pool) the handshakes beyond it were
  // dropped and retried 1-3 s later. listen() again on the bound socket raises the queue (the
  // kernel caps it at net.core.somaxconn).
  if (raw->listen_socket != INVALID_SOCKET) ::listen(raw->listen_socket, kListenBacklog);
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

int Server::port() const { return impl_->port; }

std::string Server::url() const {
  std::string host = impl_->ctx.options.host == "0.0.0.0" ? "127.0.0.1" : impl_->ctx.options.host;
  return "http://" + host + ":" + std::to_string(impl_->port) + "/";
}

Status Server::run() {
  // The statistics index loads in the background. Started here, not in start(), so that what the
  // caller prints once the server has started (imr serve: the URL, first) comes before this
  // thread's line. A failure is not the server's: the first filtered statistics request loads the
  // index again and reports what is wrong.
  if (!impl_->warm_stats.joinable())
    impl_->warm_stats = std::thread([impl = impl_.get()] {
    auto started = std::chrono::steady_clock::now();
    auto conn = impl->ctx.pool.acquire();
    // From the chunks the store has saved, then the letters beyond them (stats_index.h).
    if (!conn.ok() || !impl->ctx.stats_index.load(*(*conn)->store, nullptr, &impl->stopping).ok()) return;
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    char line[160];
    std::snprintf(line, sizeof line, "imr serve: statistics index: letters through id %lld, %.0f MB, loaded in %.1f s\n",
                  static_cast<long long>(impl->ctx.stats_index.loaded_through()),
                  static_cast<double>(impl->ctx.stats_index.memory_bytes()) / 1048576.0, s);
    std::cerr << line << std::flush;
  });
  impl_->run_state = 1;
  // A stop() that came before this point is kept, not lost (see stop()).
  bool listened = impl_->stop_requested || impl_->http.listen_after_bind();
  impl_->run_state = 2;
  if (!listened) return io_error("the server stopped listening");
  return {};
}

void Server::stop() {
  if (!impl_) return;
  impl_->stop_requested = true;
  // run() not entered: it will see stop_requested and return at once. Entered and not yet
  // listening: wait until httplib's loop runs (a few milliseconds) to stop it, or run() returns.
  while (impl_->run_state == 1) {
    if (impl_->http.is_running()) {
      impl_->http.stop();
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

Result<IssuedToken> create_token(const std::string& db_url, Role role, const std::string& name, const std::string& actor,
                                 const std::optional<std::string>& subject) {
  internal::ConnectionPool pool(db_url);
  auto conn = pool.acquire();
  if (!conn.ok()) return conn.status();
  auto t = internal::insert_token(*(*conn)->db, role, name, actor, subject);
  if (!t.ok()) return t;
  internal::Principal who;  // the command line: whoever may write the database file administers it
  who.name = actor;
  who.role = Role::kAdmin;
  Status a = internal::audit(*(*conn)->db, who, "token create", "token:" + std::to_string(t->id), 201,
                             "role " + std::string(to_string(role)) + ", name " + t->name + ", by " + actor);
  if (!a.ok()) return a;
  return t;
}

}  // namespace imr::server
