// The Casebook: IMR cases through their lifecycle, the reviewer registry and the audit log,
// persisted in the same database as the corpus (SQLite or PostgreSQL, opened by the same URLs:
// corpus::resolve_db_url) or, for simulation and tests, in memory ("memory:").
//
// Every mutation runs in one transaction: it reads the case (locking it on PostgreSQL), checks
// the transition against the lifecycle state machine (data/casework/lifecycle.tsv), writes the
// case and one audit row per transition, or changes nothing at all. Illegal requests fail with
// kFailedPrecondition naming the current and the requested state; malformed ones with
// kInvalidArgument; unknown cases with kNotFound. A concurrent writer that changed the same case
// or took the last place of a reviewer's capacity makes the operation retry (up to 5 times) and
// then fail with kConflict — never a double assignment or a lost transition.
//
// The casework tables have their own schema version (casework_schema_version), applied
// additively beside the corpus's; a database with a newer casework schema is refused.
//
// Thread safety: one Casebook per thread (each holds its own connection).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "imr/base/result.h"
#include "imr/casework/application.h"
#include "imr/casework/assign.h"
#include "imr/casework/calendar.h"
#include "imr/casework/deadlines.h"
#include "imr/casework/lifecycle.h"
#include "imr/casework/reviewer.h"
#include "imr/letter/record.h"

namespace imr::casework {

// Who does something and when ("now" is given so tests and simulations control time).
struct Actor {
  std::string name;  // a staff member or system ("screening", "simulator"); never a reviewer's name
  Time now = 0;
};

// The reviewer's decision on one disputed item, in the application's item order.
struct ItemDecision {
  letter::Decision decision = letter::Decision::kUpheld;
  std::string rationale;
  std::string reviewer_basis;              // the "MAXIMUS guideline:" paragraph
  std::string claims_administrator_basis;  // the "Claims Administrator guideline:" paragraph
  bool operator==(const ItemDecision&) const = default;
};

struct Determination {
  std::string clinical_summary;
  std::vector<ItemDecision> items;
  bool operator==(const Determination&) const = default;
};
// {"clinical_summary": "...", "items": [{"decision": "upheld", "rationale": "...", "reviewer_basis":
// "...", "claims_administrator_basis": "..."}]}. kInvalidArgument names the bad field.
Result<Determination> determination_from_json(std::string_view json);

// A case as the organisation keeps it. No reviewer name: the reviewer is an id.
struct CaseRecord {
  std::int64_t id = 0;
  std::string case_number;  // "CM24-0000017" (year of receipt, then the case id)
  State state = State::kReceived;
  Application application;
  std::string rules_version;  // the deadline rules in force when the application was received
  std::optional<IneligibleReason> ineligible_reason;
  std::string ineligible_detail;
  std::optional<std::int64_t> reviewer_id;
  std::string assignment_reason;  // why this reviewer (AssignmentExplanation::why)
  std::optional<Time> noarfi_at, records_due, records_received_at, determination_due, decided_at, letter_issued_at,
      closed_at;
  int late_records_penalty = 0;  // dollars accrued (final once records arrived)
  std::string merged_into;       // case number, when merged
  std::optional<Determination> determination;
  std::int64_t revision = 0;     // bumps on every change
  Time updated_at = 0;
  Time received_at() const;
  // The deadline that matters now: records due while they are awaited, else the determination due;
  // nullopt when closed, decided or later.
  std::optional<Time> next_due() const;
};
std::string to_json(const CaseRecord& c);  // one line; application included, no names of reviewers

struct AuditEntry {
  std::int64_t id = 0;
  std::string case_number;
  Time at = 0;
  std::string actor, event, from_state, to_state, detail;
};
std::string to_json(const AuditEntry& e);

struct CaseQuery {
  std::optional<State> state;
  std::optional<Time> due_by;    // open cases whose next deadline is at or before this moment
  int limit = 0;                 // 0: all
};

struct AssignOutcome {
  CaseRecord record;
  AssignmentExplanation explanation;
};

class Casebook {
 public:
  // "memory:" or any corpus database URL. Errors as corpus::Store::open.
  static Result<std::unique_ptr<Casebook>> open(const std::string& url);
  static int latest_schema_version();
  virtual ~Casebook();

  // --- cases ----------------------------------------------------------------------------------
  // Receives an application: state received. Items without a category are categorised by the
  // corpus normaliser. kInvalidArgument when the receipt date is before the first rules (2013) or
  // the application has no items; kFailedPrecondition when no deadline rules are in force.
  Result<CaseRecord> receive(Application application, const Actor& actor);
  // Eligibility screening (9792.10.3): eligible, or ineligible with the first reason that applies.
  Result<CaseRecord> screen(const std::string& case_ref, const Actor& actor);
  // Chooses a reviewer and issues the Notice of Assignment and Request for Information (two
  // transitions: assigned, records_requested). When nobody qualifies the case stays eligible and
  // the outcome has no reviewer (the explanation says why); that is not an error.
  Result<AssignOutcome> assign(const std::string& case_ref, const Actor& actor, bool explain_all = false);
  // Assigns eligible cases earliest deadline first, at most `limit` (0: all). Cases another
  // process assigned meanwhile are skipped. Returns the outcomes in order.
  Result<std::vector<AssignOutcome>> assign_pending(const Actor& actor, int limit = 0);
  // The physician certified an imminent and serious threat (9792.10.4(c)): the case becomes
  // expedited and its deadlines are counted again under the expedited limits (records 24 hours
  // from now when awaited; determination 3 days from the application or records). kFailedPrecondition
  // once decided or closed, or when already expedited.
  Result<CaseRecord> expedite(const std::string& case_ref, const Actor& actor);
  // Records arrived at actor.now: records_received then under_review; the late-records penalty is
  // fixed and the determination deadline set from the later of application and records.
  Result<CaseRecord> receive_records(const std::string& case_ref, const Actor& actor);
  // Review without the claims administrator's records (9792.10.6(b)(2)).
  Result<CaseRecord> review_without_records(const std::string& case_ref, const Actor& actor);
  // The reviewer's decision: one ItemDecision per disputed item (kInvalidArgument otherwise).
  Result<CaseRecord> decide(const std::string& case_ref, const Determination& determination, const Actor& actor);
  // Issues the Final Determination Letter: returns the case (letter_issued) and the letter record,
  // whose reviewer credentials come from the registry (no name).
  Result<std::pair<CaseRecord, letter::Letter>> issue_letter(const std::string& case_ref, const Actor& actor);
  // The letter record of a case that has one (decided or later), without changing anything.
  Result<letter::Letter> letter_of(const std::string& case_ref);
  Result<CaseRecord> close(const std::string& case_ref, const Actor& actor);
  // The claims administrator authorised the treatment.
  Result<CaseRecord> terminate(const std::string& case_ref, const std::string& reason, const Actor& actor);
  // Combines `case_ref` into `into_ref`: same worker, physician and date of injury required.
  Result<CaseRecord> merge(const std::string& case_ref, const std::string& into_ref, const Actor& actor);

  // A case by case number ("CM24-0000017"), by id, or by claim number ("claim:XYZ").
  Result<CaseRecord> get(const std::string& case_ref);
  Result<std::vector<CaseRecord>> list(const CaseQuery& query);
  Result<std::vector<AuditEntry>> audit(const std::string& case_ref);

  // --- reviewers ------------------------------------------------------------------------------
  Result<Reviewer> add_reviewer(const ReviewerRegistration& registration, const Actor& actor);
  Result<std::vector<Reviewer>> reviewers();
  Result<Reviewer> reviewer(std::int64_t id);
  // ORGANISATION-INTERNAL: the reviewer's name. Never call it to build anything that leaves the
  // organisation (letters, exports, public API); nothing in imr but `imr reviewer show --internal`
  // does.
  Result<std::string> reviewer_name(std::int64_t id);

  // --- simulation progress --------------------------------------------------------------------
  // The last completed step of the simulation `key` (-1 when none), and recording a step inside
  // the same transaction as the step's changes (see run_in_transaction).
  Result<int> simulation_progress(const std::string& key);
  Status set_simulation_progress(const std::string& key, int step);
  // Runs `fn` in one transaction: every Casebook call inside joins it; either all of it commits
  // or nothing does. Not retried: a kConflict is returned to the caller.
  Status run_in_transaction(const std::function<Status()>& fn);

  struct Impl;

 private:
  explicit Casebook(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace imr::casework
