// The JSON readers of applications, reviewers and determinations: round trips and refusals that
// name the field.
#include <gtest/gtest.h>

#include "imr/casework/casebook.h"
#include "testutil.h"

namespace imr::casework {
namespace {

TEST(ApplicationJson, RoundTrips) {
  Application a = testing::sample_application();
  a.parties.push_back({PartyKind::kManufacturer, "Pharma Co"});
  a.priority = letter::Priority::kExpedited;
  a.ur_served_by = NoticeMethod::kMail;
  auto back = application_from_json(to_json(a));
  ASSERT_TRUE(back.ok()) << back.status().to_string();
  EXPECT_EQ(*back, a);
}

TEST(ApplicationJson, RefusalsNameTheField) {
  struct Case {
    const char* json;
    const char* field;
  } cases[] = {
      {"[]", "must be a JSON object"},
      {"{", "not valid JSON"},
      {R"({"date_of_injury":"2023-01-01","worker":"W","ur":{"date":"2024-01-01"},"items":[{"request":"x"}]})", "received"},
      {R"({"received":"2024-02-30","date_of_injury":"2023-01-01","worker":"W","ur":{"date":"2024-01-01"},"items":[{"request":"x"}]})", "received"},
      {R"({"received":"2024-02-01","date_of_injury":"2023-01-01","worker":"W","ur":{"date":"2024-01-01"},"items":[]})", "items"},
      {R"({"received":"2024-02-01","date_of_injury":"2023-01-01","worker":"W","ur":{"date":"2024-01-01"},"items":[{"request":""}]})", "items[0].request"},
      {R"({"received":"2024-02-01","date_of_injury":"2023-01-01","worker":"W","ur":{"date":"2024-01-01","served_by":"pigeon"},"items":[{"request":"x"}]})", "ur.served_by"},
      {R"({"received":"2024-02-01","date_of_injury":"2023-01-01","worker":7,"ur":{"date":"2024-01-01"},"items":[{"request":"x"}]})", "worker"},
      {R"({"received":"2024-02-01","date_of_injury":"2023-01-01","worker":"W","ur":{"date":"2024-01-01"},"priority":"soon","items":[{"request":"x"}]})", "priority"},
      {R"({"received":"2024-02-01","date_of_injury":"2023-01-01","worker":"W","items":[{"request":"x"}]})", "ur"},
  };
  for (const auto& c : cases) {
    auto r = application_from_json(c.json);
    ASSERT_FALSE(r.ok()) << c.json;
    EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
    EXPECT_NE(r.status().message().find(c.field), std::string::npos) << r.status().message();
  }
}

TEST(ReviewerJson, ReadsAndNeverWritesTheName) {
  auto r = reviewer_from_json(
      R"({"name":"Dr. Secret","licence_states":["California"],"specialties":["Psychiatry"],"years_active_practice":9,)"
      R"("weekly_practice_hours":30,"affiliations":[{"kind":"insurer","name":"Acme"}],"capacity":4})");
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_EQ(r->name, "Dr. Secret");
  EXPECT_EQ(r->reviewer.capacity, 4);
  EXPECT_EQ(r->reviewer.affiliations.size(), 1u);
  EXPECT_EQ(to_json(r->reviewer, true).find("Secret"), std::string::npos);
  EXPECT_EQ(to_json(r->reviewer, false).find("Acme"), std::string::npos);
  EXPECT_FALSE(reviewer_from_json(R"({"specialties":["X"]})").ok());                            // no name
  EXPECT_FALSE(reviewer_from_json(R"({"name":"N","specialties":[]})").ok());                    // no specialty
  EXPECT_FALSE(reviewer_from_json(R"({"name":"N","specialties":["X"],"capacity":-1})").ok());   // range
  EXPECT_FALSE(reviewer_from_json(R"({"name":"N","specialties":["X"],"affiliations":[{"kind":"friend","name":"Y"}]})").ok());
}

TEST(DeterminationJson, NeedsDecisionAndRationalePerItem) {
  auto d = determination_from_json(R"({"items":[{"decision":"Overturned","rationale":"Indicated."}]})");
  ASSERT_TRUE(d.ok()) << d.status().to_string();
  EXPECT_EQ(d->items[0].decision, letter::Decision::kOverturned);
  EXPECT_FALSE(determination_from_json(R"({"items":[{"decision":"maybe","rationale":"x"}]})").ok());
  EXPECT_FALSE(determination_from_json(R"({"items":[{"decision":"upheld"}]})").ok());
  EXPECT_FALSE(determination_from_json(R"({"items":[]})").ok());
}

}  // namespace
}  // namespace imr::casework
