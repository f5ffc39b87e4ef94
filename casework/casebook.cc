// The Casebook: the IMR process's rules applied to stored cases. Every public mutation is one
// transaction (Impl::transact): load the case, check each transition against the state machine,
// write the case and its audit rows. A kConflict (another process changed the case or took a
// reviewer's last place) rolls back and retries from the start, which re-reads everything.
#include "imr/casework/casebook.h"

#include <algorithm>
#include <mutex>

#include "case_store.h"
#include "imr/base/text.h"
#include "imr/corpus/normalize.h"
#include "imr/corpus/store.h"

namespace imr::casework {

using internal::CaseStore;

namespace {

constexpr int kRetries = 5;

bool expedited(const CaseRecord& c) { return c.application.priority == letter::Priority::kExpedited; }

// The corpus normaliser for items that arrive without a category; loaded once, or never when its
// rules are unreadable (items then keep empty categories and only general specialties apply).
const corpus::Normalizer* normalizer() {
  static std::once_flag once;
  static corpus::Normalizer* n = nullptr;
  std::call_once(once, [] {
    auto loaded = corpus::Normalizer::load();
    if (loaded.ok()) n = new corpus::Normalizer(std::move(*loaded));
  });
  return n;
}

}  // namespace

struct Casebook::Impl {
  std::unique_ptr<CaseStore> store;
  int depth = 0;
  // The registry cached in memory: reloaded when the stored registry version moves past the
  // version this process last saw (someone else changed a reviewer or a load).
  std::optional<Assigner> assigner;
  std::int64_t assigner_version = -1;

  const StateMachine& machine = StateMachine::standard();
  const DeadlineBook& deadlines = DeadlineBook::standard();
  const HolidayCalendar& calendar = HolidayCalendar::standard();

  Status transact(const std::function<Status()>& fn) {
    if (depth > 0) return fn();
    Status s;
    for (int attempt = 0; attempt < kRetries; ++attempt) {
      s = store->begin();
      if (!s.ok()) {
        if (s.code() == Code::kConflict) continue;
        return s;
      }
      ++depth;
      s = fn();
      --depth;
      if (s.ok()) s = store->commit();
      if (s.ok()) return s;
      store->rollback();
      assigner_version = -1;  // the cache may hold loads of the rolled-back transaction
      if (s.code() != Code::kConflict) return s;
    }
    return s;
  }

  // Every load change goes to the store and to the cached registry at once; the cache's
  // version follows our own bump, so the next refresh reloads only if someone else changed it.
  Status change_load(std::int64_t reviewer, int delta) {
    IMR_RETURN_IF_ERROR(store->adjust_load(reviewer, delta));
    if (assigner && assigner_version >= 0) {
      assigner->adjust_load(reviewer, delta);
      ++assigner_version;
    }
    return {};
  }

  Status refresh_assigner() {
    auto v = store->registry_version();
    if (!v.ok()) return v.status();
    if (assigner && *v == assigner_version) return {};
    auto all = store->load_reviewers();
    if (!all.ok()) return all.status();
    assigner.emplace(SpecialtyMap::standard());
    for (const auto& r : *all) assigner->add(r);
    assigner_version = *v;
    return {};
  }

  Result<const DeadlineRules*> rules_for(const CaseRecord& c) {
    auto d = parse_date(c.rules_version);
    return deadlines.for_date(d ? *d : date_of(c.received_at()));
  }

  // Moves `c` by `event`, recording the audit row to write.
  Status move(CaseRecord& c, const char* event, const Actor& actor, std::string detail,
              std::vector<AuditEntry>& audits) {
    auto next = machine.next(c.state, event);
    if (!next.ok()) return next.status().with_context("case " + c.case_number);
    AuditEntry e;
    e.case_number = c.case_number;
    e.at = actor.now;
    e.actor = actor.name;
    e.event = event;
    e.from_state = to_string(c.state);
    e.to_state = to_string(*next);
    e.detail = std::move(detail);
    audits.push_back(std::move(e));
    c.state = *next;
    return {};
  }

  Status save(CaseRecord& c, std::int64_t expected, const Actor& actor, const std::vector<AuditEntry>& audits) {
    c.revision = expected + 1;
    c.updated_at = actor.now;
    IMR_RETURN_IF_ERROR(store->update(c, expected));
    for (const auto& e : audits) IMR_RETURN_IF_ERROR(store->append_audit(c.id, e));
    return {};
  }

  // Loads a case, applies `edit` (which calls move()), saves it; the whole thing in one
  // transaction with retries.
  Result<CaseRecord> mutate(const std::string& ref, const Actor& actor,
                            const std::function<Status(CaseRecord&, std::vector<AuditEntry>&)>& edit) {
    if (actor.name.empty()) return invalid_argument("an actor is required for every change (--actor)");
    CaseRecord out;
    Status s = transact([&]() -> Status {
      auto c = store->load(ref, true);
      if (!c.ok()) return c.status();
      std::int64_t expected = c->revision;
      std::vector<AuditEntry> audits;
      IMR_RETURN_IF_ERROR(edit(*c, audits));
      if (audits.empty()) {
        out = std::move(*c);
        return Status();
      }
      IMR_RETURN_IF_ERROR(save(*c, expected, actor, audits));
      out = std::move(*c);
      return Status();
    });
    if (!s.ok()) return s;
    return out;
  }

  // Eligibility (8 CCR 9792.10.3 and DWC's published reasons), first reason that applies.
  Status screen(CaseRecord& c, const Actor& actor, std::vector<AuditEntry>& audits) {
    auto rules = rules_for(c);
    if (!rules.ok()) return rules.status();
    const Application& a = c.application;
    Date received = date_of(c.received_at());
    auto ur = parse_date(a.ur_decision_date);
    auto injury = parse_date(a.date_of_injury);
    std::optional<IneligibleReason> reason;
    std::string detail;
    auto ineligible = [&](IneligibleReason r, std::string why) {
      if (!reason) reason = r, detail = std::move(why);
    };
    if (!a.is_signed) ineligible(IneligibleReason::kUnsigned, "the application is not signed");
    if (!a.ur_decision_attached) {
      if ((*rules)->missing_ur_cure_days == 0) {
        ineligible(IneligibleReason::kNoUrDecision, "the UR decision is not attached (rules " + (*rules)->version + ")");
      } else if (date_of(actor.now) - received <= (*rules)->missing_ur_cure_days) {
        return failed_precondition("case " + c.case_number + ": the UR decision is not attached; under rules " +
                                   (*rules)->version + " a reminder allows " + std::to_string((*rules)->missing_ur_cure_days) +
                                   " days (until " + to_iso(received + (*rules)->missing_ur_cure_days) + ") before it is ineligible");
      } else {
        ineligible(IneligibleReason::kNoUrDecision, "the UR decision did not arrive within the reminder period");
      }
    }
    if (a.ur_outcome == "conditional_non_certification")
      ineligible(IneligibleReason::kConditionalNonCertification, "the UR decision was a conditional non-certification");
    auto& scope = (*rules)->ur_outcomes_in_scope;
    if (a.ur_outcome != "conditional_non_certification" && std::find(scope.begin(), scope.end(), a.ur_outcome) == scope.end())
      ineligible(IneligibleReason::kOutsideScope, "UR outcome '" + a.ur_outcome + "' is not reviewable under rules " + (*rules)->version);
    if (injury && ur && *injury < make_date(2013, 1, 1) && *ur < make_date(2013, 7, 1))
      ineligible(IneligibleReason::kOutsideScope, "injury before 2013-01-01 and UR decision before 2013-07-01 (LC 4610.5(a))");
    if (ur && !(*rules)->application_timely(*ur, a.ur_served_by, received))
      ineligible(IneligibleReason::kUntimely,
                 "received " + to_iso(received) + ", more than " + (*rules)->application_window.to_string() +
                     " after service of the UR decision on " + to_iso((*rules)->ur_service_date(*ur, a.ur_served_by)));
    if (!reason) {
      auto dup = store->duplicate_of(internal::duplicate_key(a), c.id);
      if (!dup.ok()) return dup.status();
      if (!dup->empty()) ineligible(IneligibleReason::kDuplicate, "same application as case " + *dup);
    }
    if (!reason) {
      auto earlier = store->earlier_imr(internal::worker_key(a), internal::treatment_keys(a), c.id);
      if (!earlier.ok()) return earlier.status();
      if (!earlier->empty()) ineligible(IneligibleReason::kEarlierImr, "case " + *earlier + " already decided the same treatment");
    }
    if (a.liability_dispute && !a.administrator_agrees_to_proceed)
      ineligible(IneligibleReason::kLiabilityDispute, "a liability dispute defers IMR (the claims administrator did not agree to proceed)");
    if (reason) {
      c.ineligible_reason = reason;
      c.ineligible_detail = detail;
      return move(c, "screen_ineligible", actor, std::string(to_string(*reason)) + ": " + detail, audits);
    }
    // Provisional determination deadline (from the application alone) orders assignment; it is
    // fixed once the records arrive.
    c.determination_due = (*rules)->determination_due(c.received_at(), expedited(c), a.formulary, calendar);
    return move(c, "screen_eligible", actor, "eligible under rules " + (*rules)->version, audits);
  }

  Status assign(CaseRecord& c, const Actor& actor, bool explain_all, AssignmentExplanation& ex,
                std::vector<AuditEntry>& audits) {
    IMR_RETURN_IF_ERROR(machine.next(c.state, "assign").status().with_context("case " + c.case_number));
    IMR_RETURN_IF_ERROR(refresh_assigner());
    ex = assigner->choose(c.application, explain_all);
    if (!ex.reviewer_id) return {};  // stays eligible; the explanation says why
    auto rules = rules_for(c);
    if (!rules.ok()) return rules.status();
    IMR_RETURN_IF_ERROR(change_load(*ex.reviewer_id, +1));
    c.reviewer_id = ex.reviewer_id;
    c.assignment_reason = ex.why;
    c.noarfi_at = actor.now;
    IMR_RETURN_IF_ERROR(move(c, "assign", actor, "Notice of Assignment issued; reviewer " + std::to_string(*ex.reviewer_id), audits));
    c.records_due = (*rules)->records_due(actor.now, c.application.notice_method, expedited(c), calendar);
    return move(c, "request_records", actor,
                std::string("Request for Information sent by ") + to_string(c.application.notice_method) +
                    "; records due " + to_iso_time(*c.records_due),
                audits);
  }

  Status release_reviewer(const CaseRecord& c, State before) {
    bool holds = before == State::kAssigned || before == State::kRecordsRequested || before == State::kRecordsReceived ||
                 before == State::kUnderReview;
    if (holds && c.reviewer_id) return change_load(*c.reviewer_id, -1);
    return {};
  }

  Result<letter::Letter> build_letter(const CaseRecord& c) {
    if (!c.determination) return failed_precondition("case " + c.case_number + " has no determination yet");
    letter::Letter l;
    l.source = c.case_number;
    l.template_name = "dwc-2016";
    l.case_number = c.case_number;
    if (c.noarfi_at) l.date_assigned = to_iso(date_of(*c.noarfi_at));
    if (c.decided_at) l.decision_date = to_iso(date_of(*c.decided_at));
    l.date_of_injury = c.application.date_of_injury;
    l.ur_denial_date = c.application.ur_decision_date;
    l.application_received = to_iso(date_of(c.received_at()));
    l.priority = c.application.priority;
    if (c.reviewer_id) {
      IMR_RETURN_IF_ERROR(refresh_assigner());
      if (const Reviewer* r = assigner->find(*c.reviewer_id)) {
        l.reviewer.licensure_states = r->credentials.licence_states;
        l.reviewer.specialties = r->credentials.specialties;
        l.reviewer.subspecialties = r->credentials.subspecialties;
        l.reviewer.board_certified = !r->credentials.board_certifications.empty();
      }
    }
    if (!c.determination->clinical_summary.empty()) l.clinical_summary = c.determination->clinical_summary;
    for (std::size_t k = 0; k < c.application.items.size() && k < c.determination->items.size(); ++k) {
      const ItemDecision& d = c.determination->items[k];
      letter::DisputedItem it;
      it.request = c.application.items[k].request;
      it.decision = d.decision;
      if (!d.claims_administrator_basis.empty()) it.claims_administrator_basis = letter::GuidelineBasis{d.claims_administrator_basis, {}};
      if (!d.reviewer_basis.empty()) it.reviewer_basis = letter::GuidelineBasis{d.reviewer_basis, {}};
      it.rationale = d.rationale;
      l.items.push_back(std::move(it));
    }
    return l;
  }
};

Casebook::Casebook(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Casebook::~Casebook() = default;

int Casebook::latest_schema_version() { return 1; }

Result<std::unique_ptr<Casebook>> Casebook::open(const std::string& url) {
  for (const std::string* err : {&StateMachine::load_error(), &DeadlineBook::load_error(), &HolidayCalendar::load_error(),
                                 &SpecialtyMap::load_error()})
    if (!err->empty()) return internal_error("casework data: " + *err);
  auto impl = std::make_unique<Impl>();
  if (text::trim(url) == "memory:") {
    impl->store = internal::open_memory_case_store();
  } else {
    // The corpus schema first: the corpus store refuses a database that has tables but not its
    // schema_version, so the two modules' tables are created corpus first, casework beside.
    auto corpus_store = corpus::Store::open(url);
    if (!corpus_store.ok()) return corpus_store.status();
    corpus_store->reset();
    auto s = internal::open_sql_case_store(url);
    if (!s.ok()) return s.status();
    impl->store = std::move(*s);
  }
  return std::unique_ptr<Casebook>(new Casebook(std::move(impl)));
}

Result<CaseRecord> Casebook::receive(Application a, const Actor& actor) {
  if (actor.name.empty()) return invalid_argument("an actor is required for every change (--actor)");
  // What is stored must read back: the JSON reader's checks apply to programmatic callers too.
  if (auto readable = application_from_json(to_json(a)); !readable.ok()) return readable.status();
  auto received = parse_time(a.received);
  if (!received) return invalid_argument("application.received: not a date");
  if (a.items.empty()) return invalid_argument("application.items: at least one disputed item is required");
  if (a.party(PartyKind::kWorker).empty()) return invalid_argument("application.worker: required");
  auto rules = impl_->deadlines.for_date(date_of(*received));
  if (!rules.ok()) return invalid_argument(rules.status().message());
  for (auto& it : a.items)
    if (it.category.empty())
      if (const auto* n = normalizer()) {
        letter::DisputedItem d;
        d.request = it.request;
        auto norm = n->normalize(d);
        it.category = norm.category, it.subcategory = norm.subcategory;
        if (it.body_region.empty()) it.body_region = norm.body_region;
      }
  CaseRecord c;
  c.application = std::move(a);
  c.rules_version = (*rules)->version;
  c.updated_at = actor.now;
  Status s = impl_->transact([&]() -> Status {
    c.id = 0;
    c.revision = 0;
    c.state = State::kReceived;
    IMR_RETURN_IF_ERROR(impl_->store->insert(c));
    AuditEntry e{0, c.case_number, actor.now, actor.name, "receive", "", "received",
                 std::string(letter::to_string(c.application.priority)) + " application received " +
                     c.application.received + "; rules " + c.rules_version};
    return impl_->store->append_audit(c.id, e);
  });
  if (!s.ok()) return s;
  return c;
}

Result<CaseRecord> Casebook::screen(const std::string& ref, const Actor& actor) {
  return impl_->mutate(ref, actor, [&](CaseRecord& c, std::vector<AuditEntry>& audits) {
    IMR_RETURN_IF_ERROR(impl_->machine.next(c.state, "screen_eligible").status().with_context("case " + c.case_number));
    return impl_->screen(c, actor, audits);
  });
}

Result<AssignOutcome> Casebook::assign(const std::string& ref, const Actor& actor, bool explain_all) {
  AssignmentExplanation ex;
  auto c = impl_->mutate(ref, actor, [&](CaseRecord& c, std::vector<AuditEntry>& audits) {
    return impl_->assign(c, actor, explain_all, ex, audits);
  });
  if (!c.ok()) return c.status();
  return AssignOutcome{std::move(*c), std::move(ex)};
}

Result<std::vector<AssignOutcome>> Casebook::assign_pending(const Actor& actor, int limit) {
  auto refs = impl_->store->eligible_by_deadline(limit);
  if (!refs.ok()) return refs.status();
  std::vector<AssignOutcome> out;
  for (const auto& ref : *refs) {
    auto r = assign(ref, actor);
    if (!r.ok()) {
      // Another process moved it on meanwhile: not ours to assign any more.
      if (r.status().code() == Code::kFailedPrecondition) continue;
      return r.status();
    }
    out.push_back(std::move(*r));
  }
  return out;
}

Result<CaseRecord> Casebook::expedite(const std::string& ref, const Actor& actor) {
  return impl_->mutate(ref, actor, [&](CaseRecord& c, std::vector<AuditEntry>& audits) -> Status {
    if (expedited(c)) return failed_precondition("case " + c.case_number + " is already expedited");
    IMR_RETURN_IF_ERROR(impl_->move(c, "expedite", actor, "", audits));
    auto rules = impl_->rules_for(c);
    if (!rules.ok()) return rules.status();
    c.application.priority = letter::Priority::kExpedited;
    if (c.state == State::kRecordsRequested)
      c.records_due = std::min(*c.records_due, (*rules)->records_due(actor.now, c.application.notice_method, true, impl_->calendar));
    if (c.determination_due) {
      Time from = c.records_received_at ? std::max(c.received_at(), *c.records_received_at) : c.received_at();
      c.determination_due = (*rules)->determination_due(std::max(from, actor.now), true, c.application.formulary, impl_->calendar);
    }
    audits.back().detail = "converted to expedited (physician certified an imminent, serious threat)" +
                           (c.records_due && c.state == State::kRecordsRequested ? "; records due " + to_iso_time(*c.records_due) : std::string()) +
                           (c.determination_due ? "; determination due " + to_iso_time(*c.determination_due) : std::string());
    return Status();
  });
}

Result<CaseRecord> Casebook::receive_records(const std::string& ref, const Actor& actor) {
  return impl_->mutate(ref, actor, [&](CaseRecord& c, std::vector<AuditEntry>& audits) -> Status {
    IMR_RETURN_IF_ERROR(impl_->move(c, "receive_records", actor, "", audits));
    auto rules = impl_->rules_for(c);
    if (!rules.ok()) return rules.status();
    c.records_received_at = actor.now;
    if (c.records_due) c.late_records_penalty = (*rules)->late_records_penalty(*c.records_due, actor.now);
    audits.back().detail = "records received" + (c.late_records_penalty > 0 ? "; late-records penalty $" +
                                                                                   std::to_string(c.late_records_penalty)
                                                                             : std::string());
    c.determination_due = (*rules)->determination_due(std::max(c.received_at(), actor.now), expedited(c),
                                                      c.application.formulary, impl_->calendar);
    return impl_->move(c, "begin_review", actor, "case file sent to the reviewer; determination due " + to_iso_time(*c.determination_due), audits);
  });
}

Result<CaseRecord> Casebook::review_without_records(const std::string& ref, const Actor& actor) {
  return impl_->mutate(ref, actor, [&](CaseRecord& c, std::vector<AuditEntry>& audits) -> Status {
    auto rules = impl_->rules_for(c);
    if (!rules.ok()) return rules.status();
    if (c.records_due) c.late_records_penalty = (*rules)->late_records_penalty(*c.records_due, actor.now);
    c.determination_due = (*rules)->determination_due(std::max(c.received_at(), actor.now), expedited(c),
                                                      c.application.formulary, impl_->calendar);
    return impl_->move(c, "begin_review_without_records", actor,
                       "records not received; review on the UR summary and what the worker or physician sent; penalty $" +
                           std::to_string(c.late_records_penalty),
                       audits);
  });
}

Result<CaseRecord> Casebook::decide(const std::string& ref, const Determination& d, const Actor& actor) {
  return impl_->mutate(ref, actor, [&](CaseRecord& c, std::vector<AuditEntry>& audits) -> Status {
    State before = c.state;
    IMR_RETURN_IF_ERROR(impl_->move(c, "decide", actor, "", audits));
    if (d.items.size() != c.application.items.size())
      return invalid_argument("case " + c.case_number + ": the determination has " + std::to_string(d.items.size()) +
                              " item decisions; the application has " + std::to_string(c.application.items.size()) +
                              " disputed items");
    for (const auto& it : d.items)
      if (text::trim(it.rationale).empty()) return invalid_argument("every item decision needs a rationale");
    c.determination = d;
    c.decided_at = actor.now;
    int overturned = 0;
    for (const auto& it : d.items) overturned += it.decision == letter::Decision::kOverturned;
    audits.back().detail = std::to_string(d.items.size()) + " items: " + std::to_string(d.items.size() - overturned) +
                           " upheld, " + std::to_string(overturned) + " overturned";
    return impl_->release_reviewer(c, before);
  });
}

Result<std::pair<CaseRecord, letter::Letter>> Casebook::issue_letter(const std::string& ref, const Actor& actor) {
  letter::Letter out;
  auto c = impl_->mutate(ref, actor, [&](CaseRecord& c, std::vector<AuditEntry>& audits) -> Status {
    IMR_RETURN_IF_ERROR(impl_->move(c, "issue_letter", actor, "Final Determination Letter issued", audits));
    c.letter_issued_at = actor.now;
    auto l = impl_->build_letter(c);
    if (!l.ok()) return l.status();
    out = std::move(*l);
    return Status();
  });
  if (!c.ok()) return c.status();
  return std::make_pair(std::move(*c), std::move(out));
}

Result<letter::Letter> Casebook::letter_of(const std::string& ref) {
  auto c = impl_->store->load(ref, false);
  if (!c.ok()) return c.status();
  return impl_->build_letter(*c);
}

Result<CaseRecord> Casebook::close(const std::string& ref, const Actor& actor) {
  return impl_->mutate(ref, actor, [&](CaseRecord& c, std::vector<AuditEntry>& audits) -> Status {
    IMR_RETURN_IF_ERROR(impl_->move(c, "close", actor, "closed", audits));
    c.closed_at = actor.now;
    return Status();
  });
}

Result<CaseRecord> Casebook::terminate(const std::string& ref, const std::string& reason, const Actor& actor) {
  return impl_->mutate(ref, actor, [&](CaseRecord& c, std::vector<AuditEntry>& audits) -> Status {
    State before = c.state;
    IMR_RETURN_IF_ERROR(impl_->move(c, "terminate", actor,
                                    "the claims administrator authorised the treatment" + (reason.empty() ? "" : ": " + reason), audits));
    c.closed_at = actor.now;
    return impl_->release_reviewer(c, before);
  });
}

Result<CaseRecord> Casebook::merge(const std::string& ref, const std::string& into_ref, const Actor& actor) {
  return impl_->mutate(ref, actor, [&](CaseRecord& c, std::vector<AuditEntry>& audits) -> Status {
    auto into = impl_->store->load(into_ref, true);
    if (!into.ok()) return into.status();
    if (into->id == c.id) return invalid_argument("a case cannot be merged into itself");
    if (internal::merge_key(into->application) != internal::merge_key(c.application))
      return failed_precondition("cases " + c.case_number + " and " + into->case_number +
                                 " differ in worker, physician or date of injury; only such cases merge (9792.10.4)");
    if (is_final(into->state) || into->state == State::kIneligible || into->state == State::kDecided ||
        into->state == State::kLetterIssued)
      return failed_precondition("case " + into->case_number + " is " + to_string(into->state) + "; merge only into an open case");
    State before = c.state;
    IMR_RETURN_IF_ERROR(impl_->move(c, "merge", actor, "merged into " + into->case_number, audits));
    c.merged_into = into->case_number;
    c.closed_at = actor.now;
    return impl_->release_reviewer(c, before);
  });
}

Result<CaseRecord> Casebook::get(const std::string& ref) { return impl_->store->load(ref, false); }

Result<std::vector<CaseRecord>> Casebook::list(const CaseQuery& q) { return impl_->store->query(q); }

Result<std::vector<AuditEntry>> Casebook::audit(const std::string& ref) {
  auto c = impl_->store->load(ref, false);
  if (!c.ok()) return c.status();
  return impl_->store->audit(c->id);
}

Result<Reviewer> Casebook::add_reviewer(const ReviewerRegistration& reg, const Actor& actor) {
  if (actor.name.empty()) return invalid_argument("an actor is required for every change (--actor)");
  if (text::trim(reg.name).empty()) return invalid_argument("reviewer.name: required");
  if (reg.reviewer.credentials.specialties.empty()) return invalid_argument("reviewer.specialties: at least one is required");
  Reviewer r = reg.reviewer;
  r.active_cases = 0;
  Status s = impl_->transact([&]() -> Status {
    auto id = impl_->store->insert_reviewer(r, reg.name);
    if (!id.ok()) return id.status();
    r.id = *id;
    return Status();
  });
  if (!s.ok()) return s;
  impl_->assigner_version = -1;
  return r;
}

Result<std::vector<Reviewer>> Casebook::reviewers() { return impl_->store->load_reviewers(); }

Result<Reviewer> Casebook::reviewer(std::int64_t id) {
  auto all = impl_->store->load_reviewers();
  if (!all.ok()) return all.status();
  for (auto& r : *all)
    if (r.id == id) return r;
  return not_found("no reviewer " + std::to_string(id));
}

Result<std::string> Casebook::reviewer_name(std::int64_t id) { return impl_->store->reviewer_name(id); }

Result<int> Casebook::simulation_progress(const std::string& key) { return impl_->store->progress(key); }

Status Casebook::set_simulation_progress(const std::string& key, int step) {
  return impl_->transact([&] { return impl_->store->set_progress(key, step); });
}

Status Casebook::run_in_transaction(const std::function<Status()>& fn) {
  if (impl_->depth > 0) return fn();
  Status s = impl_->store->begin();
  if (!s.ok()) return s;
  ++impl_->depth;
  s = fn();
  --impl_->depth;
  if (s.ok()) s = impl_->store->commit();
  if (!s.ok()) {
    impl_->store->rollback();
    impl_->assigner_version = -1;
  }
  return s;
}

}  // namespace imr::casework
