// Session, token and audit routes.
#include "call.h"
#include "imr/base/text.h"
#include "server_context.h"

namespace imr::server::internal {

Status get_health(Call& c) {
  c.reply({{"status", "ok"}, {"schema_version", c.conn->store->schema_version()}});
  return {};
}

// Who the caller is, so the UI can show what the role may do. Never echoes the token.
Status get_session(Call& c) {
  Json out;
  out["role"] = to_string(c.who.role);
  out["name"] = c.who.name;
  out["token_id"] = c.who.token_id ? Json(c.who.token_id) : Json(nullptr);
  out["redacted"] = c.who.role == Role::kPublic;
  c.reply(out);
  return {};
}

Status get_tokens(Call& c) {
  auto tokens = list_tokens(*c.conn->db);
  if (!tokens.ok()) return tokens.status();
  Json out = Json::array();
  for (const auto& t : *tokens) {
    Json j;
    j["id"] = t.id;
    j["name"] = t.name;
    j["role"] = t.role;
    j["subject"] = t.subject ? Json(*t.subject) : Json(nullptr);
    j["created_at"] = t.created_at;
    j["created_by"] = t.created_by;
    j["revoked_at"] = t.revoked_at ? Json(*t.revoked_at) : Json(nullptr);
    out.push_back(std::move(j));
  }
  c.reply({{"tokens", out}});
  return {};
}

// Body {"role": "intake|reviewer|admin", "name": "...", "subject": "..."?}. The answer holds the
// secret, once.
Status post_token(Call& c) {
  auto body = c.json_body();
  if (!body.ok()) return body.status();
  const Json& b = *body;
  if (!b.contains("role") || !b["role"].is_string()) return c.field_error("role", "role is required: intake, reviewer or admin");
  auto role = parse_role(b["role"].get<std::string>());
  if (!role || *role == Role::kPublic)
    return c.field_error("role", "role must be intake, reviewer or admin, not '" + b["role"].get<std::string>() + "'");
  if (!b.contains("name") || !b["name"].is_string() || text::trim(b["name"].get<std::string>()).empty())
    return c.field_error("name", "name is required: who holds the token");
  if (b["name"].get<std::string>().size() > 200) return c.field_error("name", "name must be at most 200 characters");
  std::optional<std::string> subject;
  if (b.contains("subject") && !b["subject"].is_null()) {
    if (!b["subject"].is_string()) return c.field_error("subject", "subject must be a string");
    subject = b["subject"].get<std::string>();
  }
  auto t = insert_token(*c.conn->db, *role, b["name"].get<std::string>(), c.who.actor(), subject);
  if (!t.ok()) return t.status();
  c.audit_target = "token:" + std::to_string(t->id);
  c.reply({{"id", t->id}, {"token", t->token}, {"role", to_string(t->role)}, {"name", t->name}}, 201);
  return {};
}

Status delete_token(Call& c) {
  const std::string& id = c.path_params.at(0);
  bool digits = !id.empty() && id.size() <= 18;
  for (char ch : id) digits = digits && ch >= '0' && ch <= '9';
  if (!digits) return c.field_error("id", "token id must be a whole number, not '" + id + "'");
  IMR_RETURN_IF_ERROR(revoke_token(*c.conn->db, std::stoll(id)));
  c.audit_target = "token:" + id;
  c.reply({{"revoked", std::stoll(id)}});
  return {};
}

Status get_audit(Call& c) {
  int limit = 100;
  if (auto l = c.query("limit")) {
    bool digits = !l->empty() && l->size() <= 5;
    for (char ch : *l) digits = digits && ch >= '0' && ch <= '9';
    if (!digits || std::stoi(*l) < 1 || std::stoi(*l) > 10000)
      return c.field_error("limit", "limit must be a whole number from 1 to 10000");
    limit = std::stoi(*l);
  }
  auto entries = list_audit(*c.conn->db, limit);
  if (!entries.ok()) return entries.status();
  Json out = Json::array();
  for (const auto& e : *entries)
    out.push_back({{"id", e.id}, {"at", e.at}, {"actor", e.actor}, {"role", e.role}, {"action", e.action},
                   {"target", e.target}, {"status", e.status}, {"detail", e.detail}});
  c.reply({{"entries", out}});
  return {};
}

}  // namespace imr::server::internal
