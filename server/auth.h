// API tokens and the audit log over the server tables. Internal to server/.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "db.h"
#include "imr/base/result.h"
#include "imr/server/server.h"

namespace imr::server::internal {

// Who is calling: the public (no token) or a token's holder.
struct Principal {
  Role role = Role::kPublic;
  std::int64_t token_id = 0;  // 0 for the public
  std::string name = "public";
  std::optional<std::string> subject;  // casework identity (a reviewer's id), when set
  // How the audit log names the actor: "token:3 (alice, admin)" or "public".
  std::string actor() const;
};

// A new secret: "imr_" + 48 hex digits from the operating system's random source.
Result<std::string> new_token_secret();

Result<IssuedToken> insert_token(ServerDb& db, Role role, const std::string& name, const std::string& actor,
                                 const std::optional<std::string>& subject);

// The holder of `secret`. kUnauthenticated when it is unknown or revoked (the message never
// repeats the secret).
Result<Principal> authenticate(ServerDb& db, std::string_view secret);

struct TokenInfo {
  std::int64_t id = 0;
  std::string name, role, created_at, created_by;
  std::optional<std::string> subject, revoked_at;
};
Result<std::vector<TokenInfo>> list_tokens(ServerDb& db);
// kNotFound for an unknown id; revoking twice is not an error.
Status revoke_token(ServerDb& db, std::int64_t id);

struct AuditEntry {
  std::int64_t id = 0;
  std::string at, actor, role, action, target, detail;
  int status = 0;
};
Status audit(ServerDb& db, const Principal& who, const std::string& action, const std::string& target, int status,
             const std::string& detail);
// Newest first, at most `limit`.
Result<std::vector<AuditEntry>> list_audit(ServerDb& db, int limit);

}  // namespace imr::server::internal
