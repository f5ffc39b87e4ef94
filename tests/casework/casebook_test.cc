// The Casebook, the same cases on memory, SQLite and PostgreSQL (real databases; PostgreSQL SKIPs
// unless IMR_TEST_PG_URL is set): the lifecycle, screening reasons, deadlines, assignment with
// reviewer loads, illegal requests changing nothing, the append-only audit log, merges,
// persistence across reopen, schema versions, concurrent assigners and simulation resume.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <set>
#include <thread>

#include "imr/casework/casebook.h"
#include "imr/casework/simulate.h"
#include "store_testutil.h"
#include "testutil.h"

namespace imr::casework {
namespace {

using testing::sample_application;
using testing::sample_reviewer;

Actor at(const std::string& when, const std::string& who = "tester") { return Actor{who, *parse_time(when)}; }

Determination decision_for(std::size_t items, letter::Decision d = letter::Decision::kUpheld) {
  Determination det;
  det.clinical_summary = "The worker reports low back pain.";
  for (std::size_t k = 0; k < items; ++k) det.items.push_back({d, "Rationale " + std::to_string(k), "MTUS", ""});
  return det;
}

class CasebookTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "memory") {
      url_ = "memory:";
    } else {
      db_ = std::make_unique<corpus::testing::TestDb>(GetParam());
      if (!db_->available()) GTEST_SKIP() << corpus::testing::kSkipNoPostgres;
      url_ = db_->url();
    }
    book_ = open();
    ASSERT_TRUE(book_);
  }
  std::unique_ptr<Casebook> open() {
    auto b = Casebook::open(url_);
    EXPECT_TRUE(b.ok()) << b.status().to_string();
    return b.ok() ? std::move(*b) : nullptr;
  }
  bool persistent() const { return GetParam() != "memory"; }
  std::int64_t add_reviewer(const ReviewerRegistration& r = sample_reviewer()) {
    auto added = book_->add_reviewer(r, at("2024-01-01"));
    EXPECT_TRUE(added.ok()) << added.status().to_string();
    return added.ok() ? added->id : 0;
  }
  // Receives and screens sample_application(worker): the case number.
  std::string eligible_case(const std::string& worker = "Jane Roe") {
    auto c = book_->receive(sample_application(worker), at("2024-03-20T09:00"));
    EXPECT_TRUE(c.ok()) << c.status().to_string();
    auto s = book_->screen(c->case_number, at("2024-03-21T09:00"));
    EXPECT_TRUE(s.ok()) << s.status().to_string();
    EXPECT_EQ(s->state, State::kEligible);
    return c->case_number;
  }

  std::string url_;
  std::unique_ptr<corpus::testing::TestDb> db_;
  std::unique_ptr<Casebook> book_;
};

INSTANTIATE_TEST_SUITE_P(Backends, CasebookTest, ::testing::Values("memory", "sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

TEST_P(CasebookTest, WholeLifecycleWithDeadlinesAndAudit) {
  std::int64_t reviewer = add_reviewer();
  std::string n = eligible_case();
  EXPECT_EQ(n, "CM24-0000001");
  auto assigned = book_->assign(n, at("2024-03-21T11:00", "assigner"));
  ASSERT_TRUE(assigned.ok()) << assigned.status().to_string();
  ASSERT_TRUE(assigned->explanation.reviewer_id);
  EXPECT_EQ(*assigned->explanation.reviewer_id, reviewer);
  EXPECT_EQ(assigned->record.state, State::kRecordsRequested);
  EXPECT_EQ(to_iso_time(*assigned->record.records_due), "2024-04-02T23:59:59");  // 12 days, electronic notice
  EXPECT_EQ(book_->reviewer(reviewer)->active_cases, 1);

  auto due = book_->list({std::nullopt, *parse_time("2024-04-02T23:59:59"), 0});
  ASSERT_TRUE(due.ok());
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ(book_->list({std::nullopt, *parse_time("2024-04-01T00:00"), 0})->size(), 0u);

  auto rec = book_->receive_records(n, at("2024-04-05T10:00", "mailroom"));  // 3 days late
  ASSERT_TRUE(rec.ok()) << rec.status().to_string();
  EXPECT_EQ(rec->state, State::kUnderReview);
  EXPECT_EQ(rec->late_records_penalty, 1500);
  EXPECT_EQ(to_iso_time(*rec->determination_due), "2024-05-05T23:59:59");

  auto decided = book_->decide(n, decision_for(2, letter::Decision::kOverturned), at("2024-04-20T10:00", "reviewer-desk"));
  ASSERT_TRUE(decided.ok()) << decided.status().to_string();
  EXPECT_EQ(book_->reviewer(reviewer)->active_cases, 0);
  auto issued = book_->issue_letter(n, at("2024-04-21T10:00"));
  ASSERT_TRUE(issued.ok()) << issued.status().to_string();
  const letter::Letter& l = issued->second;
  EXPECT_EQ(l.case_number, n);
  EXPECT_EQ(l.date_assigned, "2024-03-21");
  EXPECT_EQ(l.decision_date, "2024-04-20");
  EXPECT_EQ(l.reviewer.specialties, (std::vector<std::string>{"Orthopedic Surgery"}));
  EXPECT_EQ(l.reviewer.board_certified, true);
  ASSERT_EQ(l.items.size(), 2u);
  EXPECT_EQ(l.items[1].decision, letter::Decision::kOverturned);
  auto closed = book_->close(n, at("2024-04-22"));
  ASSERT_TRUE(closed.ok());

  auto log = book_->audit(n);
  ASSERT_TRUE(log.ok());
  std::vector<std::string> events;
  for (const auto& e : *log) events.push_back(e.event);
  EXPECT_EQ(events, (std::vector<std::string>{"receive", "screen_eligible", "assign", "request_records", "receive_records",
                                              "begin_review", "decide", "issue_letter", "close"}));
  EXPECT_EQ((*log)[2].actor, "assigner");
  EXPECT_EQ((*log)[2].from_state, "eligible");
  EXPECT_EQ((*log)[2].to_state, "assigned");
  EXPECT_EQ(to_iso_time((*log)[4].at), "2024-04-05T10:00:00");
  // No reviewer name anywhere the case goes.
  for (const auto& e : *log) EXPECT_EQ(e.detail.find("Alice"), std::string::npos);
  EXPECT_EQ(to_json(*closed).find("Alice"), std::string::npos);
  EXPECT_EQ(*book_->reviewer_name(reviewer), "Dr. Alice Example");
}

TEST_P(CasebookTest, IllegalRequestsChangeNothing) {
  add_reviewer();
  std::string n = eligible_case();
  auto before = book_->get(n);
  auto log_before = book_->audit(n)->size();
  auto bad = book_->decide(n, decision_for(2), at("2024-03-22"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(bad.status().message().find("'eligible'"), std::string::npos) << bad.status().message();
  EXPECT_NE(bad.status().message().find("'decided'"), std::string::npos) << bad.status().message();
  EXPECT_EQ(book_->issue_letter(n, at("2024-03-22")).status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(book_->screen(n, at("2024-03-22")).status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(book_->close(n, at("2024-03-22")).status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(book_->get("CM24-9999999").status().code(), Code::kNotFound);
  EXPECT_EQ(book_->receive_records("CM24-9999999", at("2024-03-22")).status().code(), Code::kNotFound);
  // A wrong item count is refused after the transition was checked: still nothing changes.
  ASSERT_TRUE(book_->assign(n, at("2024-03-22"))->explanation.reviewer_id);
  ASSERT_TRUE(book_->receive_records(n, at("2024-03-25")).ok());
  auto mid = book_->get(n);
  EXPECT_EQ(book_->decide(n, decision_for(3), at("2024-03-26")).status().code(), Code::kInvalidArgument);
  auto after = book_->get(n);
  EXPECT_EQ(after->revision, mid->revision);
  EXPECT_EQ(after->state, State::kUnderReview);
  EXPECT_EQ(book_->audit(n)->size(), log_before + 4);  // assign, request_records, receive_records, begin_review
  EXPECT_EQ(before->revision + 2, after->revision);
  EXPECT_EQ(book_->reviewer(1)->active_cases, 1);  // the failed decide released nothing
  // An actor is required.
  EXPECT_EQ(book_->close(n, Actor{"", 0}).status().code(), Code::kInvalidArgument);
}

TEST_P(CasebookTest, EveryIneligibilityReason) {
  struct Case {
    const char* name;
    std::function<void(Application&)> edit;
    IneligibleReason reason;
  };
  std::vector<Case> cases = {
      {"unsigned", [](Application& a) { a.is_signed = false; }, IneligibleReason::kUnsigned},
      {"untimely", [](Application& a) { a.ur_decision_date = "2024-01-15"; }, IneligibleReason::kUntimely},
      {"no UR", [](Application& a) { a.ur_decision_attached = false; }, IneligibleReason::kNoUrDecision},
      {"CNC", [](Application& a) { a.ur_outcome = "conditional_non_certification"; }, IneligibleReason::kConditionalNonCertification},
      {"liability", [](Application& a) { a.liability_dispute = true; }, IneligibleReason::kLiabilityDispute},
      {"scope", [](Application& a) { a.ur_outcome = "delayed"; }, IneligibleReason::kOutsideScope},
  };
  for (const auto& c : cases) {
    Application a = sample_application(std::string("Worker ") + c.name);
    c.edit(a);
    auto r = book_->receive(a, at("2024-03-20"));
    ASSERT_TRUE(r.ok()) << r.status().to_string();
    auto s = book_->screen(r->case_number, at("2024-03-21"));
    ASSERT_TRUE(s.ok()) << c.name << ": " << s.status().to_string();
    EXPECT_EQ(s->state, State::kIneligible) << c.name;
    ASSERT_TRUE(s->ineligible_reason) << c.name;
    EXPECT_EQ(*s->ineligible_reason, c.reason) << c.name << ": " << s->ineligible_detail;
    EXPECT_TRUE(book_->close(r->case_number, at("2024-03-22")).ok());
  }
  // Liability dispute with the administrator's agreement proceeds.
  Application agreed = sample_application("Worker agreed");
  agreed.liability_dispute = agreed.administrator_agrees_to_proceed = true;
  auto r = book_->receive(agreed, at("2024-03-20"));
  EXPECT_EQ(book_->screen(r->case_number, at("2024-03-21"))->state, State::kEligible);
  // A mailed UR decision gives five more days.
  Application mailed = sample_application("Worker mailed");
  mailed.ur_decision_date = "2024-02-17";
  mailed.ur_served_by = NoticeMethod::kMail;
  r = book_->receive(mailed, at("2024-03-20"));
  EXPECT_EQ(book_->screen(r->case_number, at("2024-03-21"))->state, State::kEligible);
}

TEST_P(CasebookTest, MissingUrDecisionUnder2013RulesWaitsForTheReminder) {
  Application a = sample_application("Worker 2013", "2013-09-10T09:00:00");
  a.date_of_injury = "2013-02-01";
  a.ur_decision_attached = false;
  auto r = book_->receive(a, at("2013-09-10"));
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_EQ(r->rules_version, "2013-01-01");
  auto early = book_->screen(r->case_number, at("2013-09-12"));
  EXPECT_EQ(early.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(early.status().message().find("2013-09-25"), std::string::npos) << early.status().message();
  auto late = book_->screen(r->case_number, at("2013-09-30"));
  ASSERT_TRUE(late.ok());
  EXPECT_EQ(*late->ineligible_reason, IneligibleReason::kNoUrDecision);
}

TEST_P(CasebookTest, DuplicateAndEarlierImr) {
  add_reviewer();
  std::string first = eligible_case("Worker Dup");
  auto again = book_->receive(sample_application("Worker Dup"), at("2024-03-22"));
  auto s = book_->screen(again->case_number, at("2024-03-23"));
  EXPECT_EQ(*s->ineligible_reason, IneligibleReason::kDuplicate);
  EXPECT_NE(s->ineligible_detail.find(first), std::string::npos);
  // Decide the first; a new UR decision on the same treatment is then an earlier-IMR case.
  ASSERT_TRUE(book_->assign(first, at("2024-03-23"))->explanation.reviewer_id);
  ASSERT_TRUE(book_->receive_records(first, at("2024-03-25")).ok());
  ASSERT_TRUE(book_->decide(first, decision_for(2), at("2024-04-01")).ok());
  Application later = sample_application("Worker Dup", "2024-05-10T09:00:00");
  later.items.resize(1);
  auto r = book_->receive(later, at("2024-05-10"));
  auto e = book_->screen(r->case_number, at("2024-05-11"));
  EXPECT_EQ(*e->ineligible_reason, IneligibleReason::kEarlierImr);
}

TEST_P(CasebookTest, NobodyQualifiesIsExplainedAndTheCaseWaits) {
  auto tied = sample_reviewer("Dr. Tied");
  tied.reviewer.affiliations = {{AffiliationKind::kInsurer, "Acme Insurance"}};
  add_reviewer(tied);
  std::string n = eligible_case();
  auto o = book_->assign(n, at("2024-03-21T12:00"), true);
  ASSERT_TRUE(o.ok());
  EXPECT_FALSE(o->explanation.reviewer_id);
  EXPECT_NE(o->explanation.why.find("no reviewer qualifies"), std::string::npos);
  EXPECT_EQ(o->explanation.conflicts_avoided, 1);
  EXPECT_EQ(book_->get(n)->state, State::kEligible);
  std::int64_t free = add_reviewer(sample_reviewer("Dr. Free"));
  auto all = book_->assign_pending(at("2024-03-21T13:00"));
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ(all->front().explanation.reviewer_id, free);
}

TEST_P(CasebookTest, AssignPendingIsEarliestDeadlineFirstAndBalanced) {
  add_reviewer(sample_reviewer("A", 2));
  add_reviewer(sample_reviewer("B", 2));
  std::string regular = eligible_case("Worker R");
  Application exp = sample_application("Worker E");
  exp.priority = letter::Priority::kExpedited;
  auto e = book_->receive(exp, at("2024-03-20T10:00"));
  ASSERT_TRUE(book_->screen(e->case_number, at("2024-03-21T09:00")).ok());
  auto out = book_->assign_pending(at("2024-03-21T17:00"));
  ASSERT_TRUE(out.ok());
  ASSERT_EQ(out->size(), 2u);
  EXPECT_EQ((*out)[0].record.case_number, e->case_number);  // expedited: due first
  EXPECT_EQ((*out)[1].record.case_number, regular);
  EXPECT_NE((*out)[0].explanation.reviewer_id, (*out)[1].explanation.reviewer_id);
  EXPECT_EQ(to_iso_time(*(*out)[0].record.records_due), "2024-03-22T17:00:00");  // 24 hours
}

TEST_P(CasebookTest, TerminateAndMergeReleaseTheReviewer) {
  std::int64_t r = add_reviewer();
  std::string a = eligible_case("Worker M");
  ASSERT_TRUE(book_->assign(a, at("2024-03-22"))->explanation.reviewer_id);
  EXPECT_EQ(book_->reviewer(r)->active_cases, 1);
  ASSERT_TRUE(book_->terminate(a, "MRI authorised", at("2024-03-23")).ok());
  EXPECT_EQ(book_->reviewer(r)->active_cases, 0);
  EXPECT_EQ(book_->get(a)->state, State::kTerminated);

  Application one = sample_application("Worker N");
  Application two = sample_application("Worker N");
  two.ur_decision_date = "2024-03-05";
  two.items = {{"Physical therapy 12 sessions", "Physical medicine", "PT/OT", "lumbar"}};
  auto c1 = book_->receive(one, at("2024-03-20"));
  auto c2 = book_->receive(two, at("2024-03-20"));
  Application other = sample_application("Worker O");
  auto c3 = book_->receive(other, at("2024-03-20"));
  EXPECT_EQ(book_->merge(c2->case_number, c3->case_number, at("2024-03-21")).status().code(), Code::kFailedPrecondition);
  auto m = book_->merge(c2->case_number, c1->case_number, at("2024-03-21"));
  ASSERT_TRUE(m.ok()) << m.status().to_string();
  EXPECT_EQ(m->state, State::kMerged);
  EXPECT_EQ(m->merged_into, c1->case_number);
  EXPECT_EQ(book_->merge(c2->case_number, c1->case_number, at("2024-03-21")).status().code(), Code::kFailedPrecondition);
}

TEST_P(CasebookTest, ExpediteShortensTheDeadlines) {
  add_reviewer();
  std::string n = eligible_case();
  ASSERT_TRUE(book_->assign(n, at("2024-03-21T11:00")).ok());
  auto e = book_->expedite(n, at("2024-03-22T08:00", "physician-certification"));
  ASSERT_TRUE(e.ok()) << e.status().to_string();
  EXPECT_EQ(e->state, State::kRecordsRequested);
  EXPECT_EQ(e->application.priority, letter::Priority::kExpedited);
  EXPECT_EQ(to_iso_time(*e->records_due), "2024-03-23T08:00:00");
  EXPECT_EQ(book_->expedite(n, at("2024-03-22T09:00")).status().code(), Code::kFailedPrecondition);
  auto log = book_->audit(n);
  EXPECT_EQ(log->back().event, "expedite");
  EXPECT_EQ(log->back().from_state, log->back().to_state);
  ASSERT_TRUE(book_->receive_records(n, at("2024-03-22T12:00")).ok());
  EXPECT_EQ(to_iso_time(*book_->get(n)->determination_due), "2024-03-25T23:59:59");
}

TEST_P(CasebookTest, DueAndOverdueLists) {
  add_reviewer();
  std::string n = eligible_case();
  ASSERT_TRUE(book_->assign(n, at("2024-03-21T11:00")).ok());
  CaseQuery overdue;
  overdue.due_by = *parse_time("2024-04-03T00:00") - 1;
  EXPECT_EQ(book_->list(overdue)->size(), 1u);
  overdue.due_by = *parse_time("2024-04-02T12:00");
  EXPECT_EQ(book_->list(overdue)->size(), 0u);
  CaseQuery by_state;
  by_state.state = State::kRecordsRequested;
  EXPECT_EQ(book_->list(by_state)->size(), 1u);
}

TEST_P(CasebookTest, PersistsAcrossReopenAndAuditIsAppendOnly) {
  if (!persistent()) GTEST_SKIP() << "memory: nothing to reopen";
  add_reviewer();
  std::string n = eligible_case();
  book_.reset();
  auto again = open();
  ASSERT_TRUE(again);
  EXPECT_EQ(again->get(n)->state, State::kEligible);
  EXPECT_EQ(again->reviewers()->size(), 1u);
  EXPECT_EQ(db_->sql_int("SELECT max(version) FROM casework_schema_version"), Casebook::latest_schema_version());
  EXPECT_ANY_THROW(db_->sql("UPDATE cw_audit SET actor = 'someone else'"));
  EXPECT_ANY_THROW(db_->sql("DELETE FROM cw_audit"));
  EXPECT_EQ(db_->sql_int("SELECT count(*) FROM cw_audit"), 2);
  // The corpus can live in the same database.
  auto store = corpus::Store::open(url_);
  ASSERT_TRUE(store.ok()) << store.status().to_string();
  // The names live only in the identity table.
  EXPECT_EQ(db_->sql_int("SELECT count(*) FROM cw_reviewers WHERE credentials LIKE '%Alice%'"), 0);
}

TEST_P(CasebookTest, RefusesNewerCaseworkSchema) {
  if (!persistent()) GTEST_SKIP() << "memory: no schema";
  book_.reset();
  db_->sql("INSERT INTO casework_schema_version (version) VALUES (99)");
  auto b = Casebook::open(url_);
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.status().code(), Code::kFailedPrecondition);
}

TEST_P(CasebookTest, ConcurrentAssignersNeverDoubleAssign) {
  if (!persistent()) GTEST_SKIP() << "memory: one connection only";
  for (int k = 0; k < 4; ++k) add_reviewer(sample_reviewer("R" + std::to_string(k), 6));
  const int cases = 20;
  for (int k = 0; k < cases; ++k) eligible_case("Worker " + std::to_string(k));
  std::atomic<int> assigned{0};
  std::vector<std::string> errors(2);
  auto worker = [&](int w) {
    auto b = Casebook::open(url_);
    if (!b.ok()) {
      errors[w] = b.status().to_string();
      return;
    }
    for (int round = 0; round < 3; ++round) {
      auto out = (*b)->assign_pending(at("2024-03-22T09:00", "assigner-" + std::to_string(w)));
      if (!out.ok()) {
        errors[w] = out.status().to_string();
        return;
      }
      for (const auto& o : *out) assigned += o.explanation.reviewer_id.has_value();
    }
  };
  std::thread t1(worker, 0), t2(worker, 1);
  t1.join();
  t2.join();
  EXPECT_EQ(errors[0], "");
  EXPECT_EQ(errors[1], "");
  EXPECT_EQ(assigned.load(), cases);
  EXPECT_EQ(db_->sql_int("SELECT count(*) FROM cw_audit WHERE event = 'assign'"), cases);
  EXPECT_EQ(db_->sql_int("SELECT count(*) FROM cw_cases WHERE state = 'records_requested'"), cases);
  EXPECT_EQ(db_->sql_int("SELECT sum(active_cases) FROM cw_reviewers"), cases);
  EXPECT_LE(db_->sql_int("SELECT max(active_cases) FROM cw_reviewers"), 6);
  // Every case's last audit row agrees with its state: no transition lost.
  EXPECT_EQ(db_->sql_int("SELECT count(*) FROM cw_cases c WHERE c.state <> (SELECT a.to_state FROM cw_audit a"
                         " WHERE a.case_id = c.id ORDER BY a.id DESC LIMIT 1)"),
            0);
}

TEST_P(CasebookTest, KilledSimulationResumesToTheSameResult) {
  if (!persistent()) GTEST_SKIP() << "memory: nothing survives a kill";
  SimulationOptions o;
  o.months = 1;
  o.cases_per_month = 300;
  o.reviewers = 30;
  o.seed = 7;
  // The reference: an uninterrupted run in memory.
  auto mem = Casebook::open("memory:");
  auto expected = simulate(**mem, o);
  ASSERT_TRUE(expected.ok()) << expected.status().to_string();
  book_.reset();
  // A child process simulates into the database and is killed with SIGKILL mid-run.
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    auto b = Casebook::open(url_);
    if (!b.ok()) _exit(3);
    SimulationOptions slow = o;
    slow.progress = [](int done, int) {
      if (done >= 8) usleep(200000);  // give the parent time to kill us after some days
    };
    (void)simulate(**b, slow);
    _exit(0);
  }
  for (int k = 0; k < 600; ++k) {
    usleep(50000);
    try {
      if (db_->sql_int("SELECT coalesce(max(step), 0) FROM cw_simulations WHERE sim_key NOT LIKE '% %s'") >= 10) break;
    } catch (...) {
    }
  }
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the child finished before it was killed";
  std::int64_t cases_at_kill = db_->sql_int("SELECT count(*) FROM cw_cases");
  EXPECT_GT(cases_at_kill, 0);
  // Consistent at the kill: every case's state is its last audit row's, loads match open cases.
  EXPECT_EQ(db_->sql_int("SELECT count(*) FROM cw_cases c WHERE c.state <> (SELECT a.to_state FROM cw_audit a"
                         " WHERE a.case_id = c.id ORDER BY a.id DESC LIMIT 1)"),
            0);
  EXPECT_EQ(db_->sql_int("SELECT coalesce(sum(active_cases), 0) FROM cw_reviewers"),
            db_->sql_int("SELECT count(*) FROM cw_cases WHERE state IN ('assigned', 'records_requested',"
                         " 'records_received', 'under_review')"));
  // The re-run completes it.
  auto again = open();
  auto resumed = simulate(*again, o);
  ASSERT_TRUE(resumed.ok()) << resumed.status().to_string();
  EXPECT_TRUE(resumed->resumed);
  EXPECT_EQ(resumed->applications, expected->applications);
  EXPECT_EQ(resumed->decided, expected->decided);
  EXPECT_EQ(resumed->decided_on_time, expected->decided_on_time);
  EXPECT_EQ(resumed->ineligible, expected->ineligible);
  EXPECT_EQ(resumed->closed, expected->closed);
  EXPECT_EQ(resumed->conflicts_avoided, expected->conflicts_avoided);
  EXPECT_EQ(resumed->load_max, expected->load_max);
  EXPECT_EQ(db_->sql_int("SELECT count(*) FROM cw_cases"), expected->applications);
}

}  // namespace
}  // namespace imr::casework
