#include "auth.h"

#include <fstream>

#include "imr/base/sha256.h"
#include "imr/base/text.h"

namespace imr::server {

const char* to_string(Role role) {
  switch (role) {
    case Role::kPublic: return "public";
    case Role::kIntake: return "intake";
    case Role::kReviewer: return "reviewer";
    case Role::kAdmin: return "admin";
  }
  return "public";
}

std::optional<Role> parse_role(std::string_view word) {
  std::string w = text::to_lower(text::trim(word));
  if (w == "public") return Role::kPublic;
  if (w == "intake") return Role::kIntake;
  if (w == "reviewer") return Role::kReviewer;
  if (w == "admin") return Role::kAdmin;
  return std::nullopt;
}

namespace internal {

std::string Principal::actor() const {
  if (token_id == 0) return name;  // "public", or the CLI's actor ("cli:root")
  return "token:" + std::to_string(token_id) + " (" + name + ", " + to_string(role) + ")";
}

Result<std::string> new_token_secret() {
  std::ifstream urandom("/dev/urandom", std::ios::binary);
  unsigned char bytes[24];
  if (!urandom.read(reinterpret_cast<char*>(bytes), sizeof bytes)) return io_error("/dev/urandom: cannot read");
  static const char kHex[] = "0123456789abcdef";
  std::string out = "imr_";
  for (unsigned char b : bytes) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

Result<IssuedToken> insert_token(ServerDb& db, Role role, const std::string& name, const std::string& actor,
                                 const std::optional<std::string>& subject) {
  std::string n(text::trim(name));
  if (role == Role::kPublic) return invalid_argument("role: the public role needs no token");
  if (n.empty()) return invalid_argument("name: a token needs a name (who holds it)");
  if (n.size() > 200) return invalid_argument("name: at most 200 characters");
  auto secret = new_token_secret();
  if (!secret.ok()) return secret.status();
  auto id = db.insert(
      "INSERT INTO server_tokens (name, role, subject, token_hash, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)",
      {Value::of(n), Value::of(std::string(to_string(role))), subject ? Value::of(*subject) : Value::null(),
       Value::of(sha256_hex(*secret)), Value::of(now_utc()), Value::of(actor)});
  if (!id.ok()) return id.status();
  return IssuedToken{*id, *secret, role, n};
}

Result<Principal> authenticate(ServerDb& db, std::string_view secret) {
  std::optional<Principal> found;
  Status s = db.exec("SELECT id, name, role, subject FROM server_tokens WHERE token_hash = ? AND revoked_at IS NULL",
                     {Value::of(sha256_hex(secret))}, [&](const Row& r) {
                       Principal p;
                       p.token_id = std::stoll(r[0].value_or("0"));
                       p.name = r[1].value_or("");
                       p.role = parse_role(r[2].value_or("")).value_or(Role::kPublic);
                       p.subject = r[3];
                       found = p;
                     });
  if (!s.ok()) return s;
  if (!found || found->role == Role::kPublic)
    return Status(Code::kUnauthenticated, "unknown or revoked API token");
  return *found;
}

Result<std::vector<TokenInfo>> list_tokens(ServerDb& db) {
  std::vector<TokenInfo> out;
  Status s = db.exec("SELECT id, name, role, subject, created_at, created_by, revoked_at FROM server_tokens ORDER BY id", {},
                     [&](const Row& r) {
                       out.push_back({std::stoll(r[0].value_or("0")), r[1].value_or(""), r[2].value_or(""),
                                      r[4].value_or(""), r[5].value_or(""), r[3], r[6]});
                     });
  if (!s.ok()) return s;
  return out;
}

Status revoke_token(ServerDb& db, std::int64_t id) {
  bool exists = false;
  IMR_RETURN_IF_ERROR(db.exec("SELECT 1 FROM server_tokens WHERE id = ?", {Value::of(id)}, [&](const Row&) { exists = true; }));
  if (!exists) return not_found("token " + std::to_string(id) + " does not exist");
  return db.exec("UPDATE server_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                 {Value::of(now_utc()), Value::of(id)}, {});
}

Status audit(ServerDb& db, const Principal& who, const std::string& action, const std::string& target, int status,
             const std::string& detail) {
  return db.exec(
      "INSERT INTO server_audit (at, actor, actor_token_id, role, action, target, status, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      {Value::of(now_utc()), Value::of(who.actor()), who.token_id ? Value::of(who.token_id) : Value::null(),
       Value::of(std::string(to_string(who.role))), Value::of(action), Value::of(target),
       Value::of(std::int64_t{status}), Value::of(detail)},
      {});
}

Result<std::vector<AuditEntry>> list_audit(ServerDb& db, int limit) {
  std::vector<AuditEntry> out;
  Status s = db.exec("SELECT id, at, actor, role, action, target, status, detail FROM server_audit ORDER BY id DESC LIMIT ?",
                     {Value::of(std::int64_t{limit})}, [&](const Row& r) {
                       AuditEntry e;
                       e.id = std::stoll(r[0].value_or("0"));
                       e.at = r[1].value_or("");
                       e.actor = r[2].value_or("");
                       e.role = r[3].value_or("");
                       e.action = r[4].value_or("");
                       e.target = r[5].value_or("");
                       e.status = std::stoi(r[6].value_or("0"));
                       e.detail = r[7].value_or("");
                       out.push_back(std::move(e));
                     });
  if (!s.ok()) return s;
  return out;
}

}  // namespace internal
}  // namespace imr::server
