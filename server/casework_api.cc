// Casework routes: applications through their lifecycle, the reviewer registry, assignment and
// letters, over casework::Casebook. A reviewer's token acts for the registry id in its subject
// and sees only the cases assigned to it; nothing here ever returns a reviewer's name.
#include <chrono>

#include "call.h"
#include "imr/casework/casebook.h"
#include "imr/letter/json.h"
#include "imr/letter/writer.h"
#include "server_context.h"

namespace imr::server::internal {
namespace {

Result<casework::Casebook*> casebook(Call& c) {
  if (!c.conn->casebook) {
    auto cb = casework::Casebook::open(c.server.options.db_url);
    if (!cb.ok()) return cb.status();
    c.conn->casebook = std::move(*cb);
  }
  return c.conn->casebook.get();
}

casework::Actor actor(const Call& c) {
  auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch());
  return {c.who.actor(), static_cast<casework::Time>(now.count())};
}

bool is_reviewer(const Call& c) { return c.who.role == Role::kReviewer; }

// The reviewer's own registry id; kPermissionDenied when the token carries none.
Result<std::int64_t> reviewer_id(const Call& c) {
  if (!c.who.subject) return Status(Code::kPermissionDenied, "this reviewer token is not linked to a registry id (--subject)");
  try {
    return std::stoll(*c.who.subject);
  } catch (...) {
    return Status(Code::kPermissionDenied, "this reviewer token's subject is not a registry id");
  }
}

// The case, when the caller may see it. A reviewer asking for someone else's case gets the same
// 404 as for a case that does not exist, so case numbers cannot be probed.
Result<casework::CaseRecord> visible_case(Call& c, casework::Casebook& cb) {
  auto rec = cb.get(c.path_params.at(0));
  if (!rec.ok()) return rec.status();
  if (is_reviewer(c)) {
    auto me = reviewer_id(c);
    if (!me.ok()) return me.status();
    if (rec->reviewer_id != *me) return not_found("case " + c.path_params.at(0) + " does not exist");
  }
  return rec;
}

Status reply_case(Call& c, const Result<casework::CaseRecord>& rec, int status = 200) {
  if (!rec.ok()) return rec.status();
  c.audit_target = "case:" + rec->case_number;
  c.reply(Json::parse(casework::to_json(*rec)), status);
  return {};
}

}  // namespace

Status get_cases(Call& c) {
  auto cb = casebook(c);
  if (!cb.ok()) return cb.status();
  casework::CaseQuery q;
  if (auto s = c.query("state")) {
    q.state = casework::parse_state(*s);
    if (!q.state) return c.field_error("state", "state must be a case state (received, eligible, ...), not '" + *s + "'");
  }
  if (auto d = c.query("due_by")) {
    q.due_by = casework::parse_time(*d);
    if (!q.due_by) return c.field_error("due_by", "due_by must be an ISO date or date-time, not '" + *d + "'");
  }
  auto list = (*cb)->list(q);
  if (!list.ok()) return list.status();
  std::optional<std::int64_t> me;
  if (is_reviewer(c)) {
    auto id = reviewer_id(c);
    if (!id.ok()) return id.status();
    me = *id;
  }
  Json out = Json::array();
  for (const auto& rec : *list)
    if (!me || rec.reviewer_id == me) out.push_back(Json::parse(casework::to_json(rec)));
  c.reply({{"cases", out}});
  return {};
}

Status get_case(Call& c) {
  auto cb = casebook(c);
  if (!cb.ok()) return cb.status();
  return reply_case(c, visible_case(c, **cb));
}

Status get_case_audit(Call& c) {
  auto cb = casebook(c);
  if (!cb.ok()) return cb.status();
  auto rec = visible_case(c, **cb);
  if (!rec.ok()) return rec.status();
  auto entries = (*cb)->audit(rec->case_number);
  if (!entries.ok()) return entries.status();
  Json out = Json::array();
  for (const auto& e : *entries) out.push_back(Json::parse(casework::to_json(e)));
  c.reply({{"entries", out}});
  return {};
}

// POST /api/cases: an application (casework::application_from_json) is received.
Status post_case(Call& c) {
  auto cb = casebook(c);
  if (!cb.ok()) return cb.status();
  auto app = casework::application_from_json(c.req.body);
  if (!app.ok()) {
    const std::string m = app.status().message();
    return c.field_error(m.find(':') == std::string::npos ? "body" : m.substr(0, m.find(':')), m);
  }
  return reply_case(c, (*cb)->receive(std::move(*app), actor(c)), 201);
}

// POST /api/cases/{ref}/{event}: one lifecycle step. The Casebook checks the state machine.
Status post_case_event(Call& c) {
  auto cb = casebook(c);
  if (!cb.ok()) return cb.status();
  auto rec = visible_case(c, **cb);
  if (!rec.ok()) return rec.status();
  const std::string& ref = rec->case_number;
  const std::string& event = c.path_params.at(1);
  casework::Casebook& book = **cb;
  // What each role may do: reviewers decide and issue their own cases' letters; intake and
  // admins run the process.
  bool reviewer_event = event == "decide" || event == "letter";
  if (is_reviewer(c) && !reviewer_event)
    return Status(Code::kPermissionDenied, "a reviewer may only decide and issue the letter of an assigned case");
  if (event == "screen") return reply_case(c, book.screen(ref, actor(c)));
  if (event == "assign") {
    auto out = book.assign(ref, actor(c));
    if (!out.ok()) return out.status();
    c.audit_target = "case:" + ref;
    Json j = Json::parse(casework::to_json(out->record));
    c.reply({{"case", j},
             {"reviewer_id", out->explanation.reviewer_id ? Json(*out->explanation.reviewer_id) : Json(nullptr)},
             {"why", out->explanation.why},
             {"qualified", out->explanation.qualified},
             {"conflicts_avoided", out->explanation.conflicts_avoided}});
    return {};
  }
  if (event == "expedite") return reply_case(c, book.expedite(ref, actor(c)));
  if (event == "records") return reply_case(c, book.receive_records(ref, actor(c)));
  if (event == "review-without-records") return reply_case(c, book.review_without_records(ref, actor(c)));
  if (event == "close") return reply_case(c, book.close(ref, actor(c)));
  if (event == "terminate") {
    auto body = c.json_body();
    if (!body.ok()) return body.status();
    if (!(*body).contains("reason") || !(*body)["reason"].is_string())
      return c.field_error("reason", "reason is required: why the case ends (e.g. the treatment was authorised)");
    return reply_case(c, book.terminate(ref, (*body)["reason"].get<std::string>(), actor(c)));
  }
  if (event == "merge") {
    auto body = c.json_body();
    if (!body.ok()) return body.status();
    if (!(*body).contains("into") || !(*body)["into"].is_string())
      return c.field_error("into", "into is required: the case number to merge into");
    return reply_case(c, book.merge(ref, (*body)["into"].get<std::string>(), actor(c)));
  }
  if (event == "decide") {
    auto d = casework::determination_from_json(c.req.body);
    if (!d.ok()) {
      const std::string m = d.status().message();
      return c.field_error(m.find(':') == std::string::npos ? "body" : m.substr(0, m.find(':')), m);
    }
    return reply_case(c, book.decide(ref, *d, actor(c)));
  }
  if (event == "letter") {
    auto out = book.issue_letter(ref, actor(c));
    if (!out.ok()) return out.status();
    c.audit_target = "case:" + ref;
    c.reply({{"case", Json::parse(casework::to_json(out->first))},
             {"letter", Json::parse(letter::to_json_line(out->second))},
             {"text", letter::render_letter(out->second)}});
    return {};
  }
  return c.field_error("event", "unknown case event '" + event +
                                    "' (screen, assign, expedite, records, review-without-records, decide, letter, "
                                    "close, terminate, merge)");
}

Status get_case_letter(Call& c) {
  auto cb = casebook(c);
  if (!cb.ok()) return cb.status();
  auto rec = visible_case(c, **cb);
  if (!rec.ok()) return rec.status();
  auto l = (*cb)->letter_of(rec->case_number);
  if (!l.ok()) return l.status();
  c.reply({{"letter", Json::parse(letter::to_json_line(*l))}, {"text", letter::render_letter(*l)}});
  return {};
}

// The registry without names. Affiliations (which can identify a person) for admins only.
Status get_reviewers(Call& c) {
  auto cb = casebook(c);
  if (!cb.ok()) return cb.status();
  auto list = (*cb)->reviewers();
  if (!list.ok()) return list.status();
  Json out = Json::array();
  for (const auto& r : *list) out.push_back(Json::parse(casework::to_json(r, c.who.role == Role::kAdmin)));
  c.reply({{"reviewers", out}});
  return {};
}

Status post_reviewer(Call& c) {
  auto cb = casebook(c);
  if (!cb.ok()) return cb.status();
  auto reg = casework::reviewer_from_json(c.req.body);
  if (!reg.ok()) {
    const std::string m = reg.status().message();
    return c.field_error(m.find(':') == std::string::npos ? "body" : m.substr(0, m.find(':')), m);
  }
  auto r = (*cb)->add_reviewer(*reg, actor(c));
  if (!r.ok()) return r.status();
  c.audit_target = "reviewer:" + std::to_string(r->id);
  c.reply(Json::parse(casework::to_json(*r, true)), 201);
  return {};
}

}  // namespace imr::server::internal
