// imr case new|screen|assign|records|decide|issue|expedite|close|terminate|merge|show|list: one IMR case
// through its lifecycle. Input JSON from a file or stdin, output one JSON object per line.
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "casework_flags.h"
#include "imr/casework/letters.h"

namespace imr::cli {
namespace {

struct CaseArgs {
  CaseworkFlags flags;
  std::string ref, input, into, reason, out = "letters";
  std::string state;
  int limit = 0;
  bool explain_all = false, pending = false, none = false, audit = false;
};

CaseArgs& args() {
  static CaseArgs a;
  return a;
}

// Runs `body` with an open Casebook and an actor, printing any failure under "imr case VERB".
int with_casebook(const std::string& verb, const std::function<Status(casework::Casebook&, const casework::Actor&)>& body) {
  auto actor = actor_of(args().flags);
  if (!actor.ok()) return fail(verb, actor.status());
  auto book = open_casebook(args().flags);
  if (!book.ok()) return fail(verb, book.status());
  Status s = body(**book, *actor);
  return s.ok() ? 0 : fail(verb, s);
}

Status print(const Result<casework::CaseRecord>& r) {
  if (!r.ok()) return r.status();
  std::cout << casework::to_json(*r) << "\n";
  return {};
}

std::string explanation_json(const casework::AssignOutcome& o) {
  nlohmann::ordered_json j;
  j["case_number"] = o.record.case_number;
  j["state"] = casework::to_string(o.record.state);
  j["reviewer_id"] = o.explanation.reviewer_id ? nlohmann::json(*o.explanation.reviewer_id) : nlohmann::json(nullptr);
  j["why"] = o.explanation.why;
  j["relevant_specialties"] = o.explanation.relevant_specialties;
  j["considered"] = o.explanation.considered;
  j["qualified"] = o.explanation.qualified;
  j["conflicts_avoided"] = o.explanation.conflicts_avoided;
  j["excluded_by_kind"] = o.explanation.excluded_by_kind;
  j["excluded"] = nlohmann::ordered_json::array();
  for (const auto& e : o.explanation.excluded) j["excluded"].push_back({{"reviewer_id", e.reviewer_id}, {"reason", e.reason()}});
  if (o.record.records_due) j["records_due"] = casework::to_iso_time(*o.record.records_due);
  return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

CLI::App* sub(CLI::App* parent, const char* name, const char* help, bool mutating) {
  auto* c = parent->add_subcommand(name, help);
  add_casework_flags(c, args().flags, mutating);
  return c;
}

}  // namespace

void add_case(CLI::App& app, Action& action) {
  auto* cmd = app.add_subcommand("case", "One IMR case through its lifecycle (JSON in and out)");
  cmd->require_subcommand(1);
  CaseArgs& a = args();

  auto* c_new = sub(cmd, "new", "Receive an application (JSON from FILE or stdin): state received", true);
  c_new->add_option("input", a.input, "Application JSON file, or - for stdin (default)");
  c_new->callback([&action] {
    action = [] {
      return with_casebook("case new", [](casework::Casebook& b, const casework::Actor& actor) -> Status {
        auto text = read_input(args().input);
        if (!text.ok()) return text.status();
        auto app = casework::application_from_json(*text);
        if (!app.ok()) return app.status();
        return print(b.receive(std::move(*app), actor));
      });
    };
  });

  auto* c_screen = sub(cmd, "screen", "Eligibility screening: eligible, or ineligible with the reason", true);
  c_screen->add_option("case", a.ref, "Case number, id, or claim:NUMBER")->required();
  c_screen->callback([&action] {
    action = [] {
      return with_casebook("case screen", [](casework::Casebook& b, const casework::Actor& actor) {
        return print(b.screen(args().ref, actor));
      });
    };
  });

  auto* c_assign = sub(cmd, "assign", "Assign a reviewer; issue the Notice of Assignment and Request for Information", true);
  c_assign->add_option("case", a.ref, "Case number, id, or claim:NUMBER");
  c_assign->add_flag("--pending", a.pending, "Assign every eligible case, earliest deadline first");
  c_assign->add_option("--limit", a.limit, "With --pending: at most this many cases")->check(CLI::Range(0, 100000000));
  c_assign->add_flag("--explain-all", a.explain_all, "Give every excluded reviewer's reason (not only the candidates')");
  c_assign->callback([&action] {
    action = [] {
      if (args().pending == !args().ref.empty()) {
        std::cerr << "imr case assign: give either a case or --pending\n";
        return 2;  // wrong usage
      }
      return with_casebook("case assign", [](casework::Casebook& b, const casework::Actor& actor) -> Status {
        if (args().pending) {
          auto all = b.assign_pending(actor, args().limit);
          if (!all.ok()) return all.status();
          for (const auto& o : *all) std::cout << explanation_json(o) << "\n";
          return Status();
        }
        auto o = b.assign(args().ref, actor, args().explain_all);
        if (!o.ok()) return o.status();
        std::cout << explanation_json(*o) << "\n";
        return Status();
      });
    };
  });

  auto* c_records = sub(cmd, "records", "The claims administrator's records arrived (or, with --none, review without them)", true);
  c_records->add_option("case", a.ref, "Case number, id, or claim:NUMBER")->required();
  c_records->add_flag("--none", a.none, "Records never came: review on the UR summary and what the worker or physician sent");
  c_records->callback([&action] {
    action = [] {
      return with_casebook("case records", [](casework::Casebook& b, const casework::Actor& actor) {
        return print(args().none ? b.review_without_records(args().ref, actor) : b.receive_records(args().ref, actor));
      });
    };
  });

  auto* c_decide = sub(cmd, "decide", "Record the reviewer's decision per item (JSON from FILE or stdin)", true);
  c_decide->add_option("case", a.ref, "Case number, id, or claim:NUMBER")->required();
  c_decide->add_option("input", a.input, "Determination JSON file, or - for stdin (default)");
  c_decide->callback([&action] {
    action = [] {
      return with_casebook("case decide", [](casework::Casebook& b, const casework::Actor& actor) -> Status {
        auto text = read_input(args().input);
        if (!text.ok()) return text.status();
        auto d = casework::determination_from_json(*text);
        if (!d.ok()) return d.status();
        return print(b.decide(args().ref, *d, actor));
      });
    };
  });

  auto* c_issue = sub(cmd, "issue", "Issue the Final Determination Letter (text, PDF, redacted public version) into --out", true);
  c_issue->add_option("case", a.ref, "Case number, id, or claim:NUMBER")->required();
  c_issue->add_option("--out", a.out, "Directory for the letter files (default: letters)");
  c_issue->callback([&action] {
    action = [] {
      return with_casebook("case issue", [](casework::Casebook& b, const casework::Actor& actor) -> Status {
        // The files are written first, from the letter the case would issue; the transition is
        // recorded only when they exist, so a failed write changes nothing.
        auto current = b.get(args().ref);
        if (!current.ok()) return current.status();
        if (current->state != casework::State::kDecided)
          return failed_precondition("case " + current->case_number + " is " + casework::to_string(current->state) +
                                     "; a letter is issued only from 'decided' (to 'letter_issued')");
        auto preview = b.letter_of(args().ref);
        if (!preview.ok()) return preview.status();
        auto files = casework::write_letter_files(*preview, current->application, args().out);
        if (!files.ok()) return files.status();
        auto issued = b.issue_letter(args().ref, actor);
        if (!issued.ok()) return issued.status();
        nlohmann::ordered_json j = nlohmann::ordered_json::parse(casework::to_json(issued->first));
        j["files"] = *files;
        std::cout << j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << "\n";
        return Status();
      });
    };
  });

  auto* c_exp = sub(cmd, "expedite", "The physician certified an imminent, serious threat: make the review expedited", true);
  c_exp->add_option("case", a.ref, "Case number, id, or claim:NUMBER")->required();
  c_exp->callback([&action] {
    action = [] {
      return with_casebook("case expedite", [](casework::Casebook& b, const casework::Actor& actor) {
        return print(b.expedite(args().ref, actor));
      });
    };
  });

  auto* c_close = sub(cmd, "close", "Close a case whose letter was issued, or an ineligible one", true);
  c_close->add_option("case", a.ref, "Case number, id, or claim:NUMBER")->required();
  c_close->callback([&action] {
    action = [] {
      return with_casebook("case close", [](casework::Casebook& b, const casework::Actor& actor) {
        return print(b.close(args().ref, actor));
      });
    };
  });

  auto* c_term = sub(cmd, "terminate", "The claims administrator authorised the treatment: end the review", true);
  c_term->add_option("case", a.ref, "Case number, id, or claim:NUMBER")->required();
  c_term->add_option("--reason", a.reason, "What was authorised, for the audit log");
  c_term->callback([&action] {
    action = [] {
      return with_casebook("case terminate", [](casework::Casebook& b, const casework::Actor& actor) {
        return print(b.terminate(args().ref, args().reason, actor));
      });
    };
  });

  auto* c_merge = sub(cmd, "merge", "Merge a case into an open case of the same worker, physician and date of injury", true);
  c_merge->add_option("case", a.ref, "The case to merge")->required();
  c_merge->add_option("--into", a.into, "The case that continues")->required();
  c_merge->callback([&action] {
    action = [] {
      return with_casebook("case merge", [](casework::Casebook& b, const casework::Actor& actor) {
        return print(b.merge(args().ref, args().into, actor));
      });
    };
  });

  auto* c_show = sub(cmd, "show", "A case as JSON (with --audit, then its audit log, one entry per line)", false);
  c_show->add_option("case", a.ref, "Case number, id, or claim:NUMBER")->required();
  c_show->add_flag("--audit", a.audit, "Also print the audit log");
  c_show->callback([&action] {
    action = [] {
      return with_casebook("case show", [](casework::Casebook& b, const casework::Actor&) -> Status {
        IMR_RETURN_IF_ERROR(print(b.get(args().ref)));
        if (!args().audit) return Status();
        auto log = b.audit(args().ref);
        if (!log.ok()) return log.status();
        for (const auto& e : *log) std::cout << casework::to_json(e) << "\n";
        return Status();
      });
    };
  });

  auto* c_list = sub(cmd, "list", "Cases as JSON lines, optionally in one state", false);
  c_list->add_option("--state", a.state, "Only cases in this state (received, eligible, ..., closed)");
  c_list->add_option("--limit", a.limit, "At most this many")->check(CLI::Range(0, 100000000));
  c_list->callback([&action] {
    action = [] {
      return with_casebook("case list", [](casework::Casebook& b, const casework::Actor&) -> Status {
        casework::CaseQuery q;
        q.limit = args().limit;
        if (!args().state.empty()) {
          q.state = casework::parse_state(args().state);
          if (!q.state) return invalid_argument("--state: unknown state '" + args().state + "'");
        }
        auto all = b.list(q);
        if (!all.ok()) return all.status();
        for (const auto& c : *all) std::cout << casework::to_json(c) << "\n";
        return Status();
      });
    };
  });
}

}  // namespace imr::cli
