// The lifecycle state machine (data/casework/lifecycle.tsv).
#include <gtest/gtest.h>

#include <set>

#include "imr/casework/lifecycle.h"

namespace imr::casework {
namespace {

const StateMachine& m() { return StateMachine::standard(); }

TEST(Lifecycle, TheRegularPath) {
  ASSERT_EQ(StateMachine::load_error(), "");
  State s = State::kReceived;
  for (const char* e : {"screen_eligible", "assign", "request_records", "receive_records", "begin_review", "decide",
                        "issue_letter", "close"}) {
    auto n = m().next(s, e);
    ASSERT_TRUE(n.ok()) << e << ": " << n.status().to_string();
    s = *n;
  }
  EXPECT_EQ(s, State::kClosed);
}

TEST(Lifecycle, IllegalJumpsNameBothStates) {
  auto n = m().next(State::kAssigned, "decide");
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(n.status().message().find("'assigned'"), std::string::npos) << n.status().message();
  EXPECT_NE(n.status().message().find("'decided'"), std::string::npos) << n.status().message();
  EXPECT_FALSE(m().next(State::kReceived, "assign").ok());
  EXPECT_FALSE(m().next(State::kClosed, "close").ok());
  EXPECT_FALSE(m().next(State::kDecided, "terminate").ok());
  EXPECT_EQ(m().next(State::kReceived, "fly").status().code(), Code::kInvalidArgument);
}

TEST(Lifecycle, TerminationAndMergeOnlyWhileOpen) {
  EXPECT_EQ(*m().next(State::kUnderReview, "terminate"), State::kTerminated);
  EXPECT_EQ(*m().next(State::kEligible, "merge"), State::kMerged);
  EXPECT_FALSE(m().next(State::kUnderReview, "merge").ok());
  EXPECT_EQ(*m().next(State::kIneligible, "close"), State::kClosed);
  EXPECT_EQ(*m().next(State::kRecordsRequested, "begin_review_without_records"), State::kUnderReview);
}

TEST(Lifecycle, EveryStateIsReachableAndFinalStatesAreFinal) {
  std::set<State> reached = {State::kReceived};
  for (bool grew = true; grew;) {
    grew = false;
    for (const auto& t : m().transitions())
      for (State f : t.from)
        if (reached.count(f) && reached.insert(t.to).second) grew = true;
  }
  EXPECT_EQ(reached.size(), static_cast<std::size_t>(kStateCount));
  for (const auto& t : m().transitions())
    for (State f : t.from) EXPECT_FALSE(is_final(f)) << t.event << " leaves final state " << to_string(f);
}

TEST(Lifecycle, ExpediteKeepsTheStateWhileOpen) {
  EXPECT_EQ(*m().next(State::kRecordsRequested, "expedite"), State::kRecordsRequested);
  EXPECT_EQ(*m().next(State::kReceived, "expedite"), State::kReceived);
  EXPECT_EQ(m().next(State::kDecided, "expedite").status().code(), Code::kFailedPrecondition);
}

TEST(Lifecycle, NamesRoundTrip) {
  for (int k = 0; k < kStateCount; ++k) EXPECT_EQ(parse_state(to_string(static_cast<State>(k))), static_cast<State>(k));
  for (int k = 0; k <= static_cast<int>(IneligibleReason::kOutsideScope); ++k)
    EXPECT_EQ(parse_ineligible_reason(to_string(static_cast<IneligibleReason>(k))), static_cast<IneligibleReason>(k));
}

}  // namespace
}  // namespace imr::casework
