#include "imr/letter/json.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace imr::letter {
namespace {

Letter sample() {
  Letter l;
  l.source = "a.txt";
  l.template_name = "dwc-2016";
  l.case_number = "CM16-0213037";
  l.date_assigned = "2016-11-09";
  l.priority = Priority::kStandard;
  l.reviewer.licensure_states = {"California", "North Carolina"};
  l.reviewer.specialties = {"Family Practice"};
  l.reviewer.board_certified = true;
  l.patient.age = 48;
  l.patient.sex = Sex::kMale;
  l.clinical_summary = "The injured worker is a 48 year old male.";
  DisputedItem it;
  it.request = "Norco 10/325mg #35";
  it.original_request = "Norco 10/325mg #60";
  it.authorized_portion = "Norco 10/325mg #25";
  it.decision = Decision::kOverturned;
  it.reviewer_basis = GuidelineBasis{"Decision based on MTUS Chronic Pain Medical Treatment 2016, Section(s): Opioids, criteria for use.",
                                     {Citation{"MTUS", "Chronic Pain Medical Treatment", "2016", {"Opioids, criteria for use"}, {}}}};
  it.rationale = "The request is medically necessary.";
  l.items.push_back(it);
  l.warnings.push_back("a warning");
  return l;
}

TEST(Json, KeysInDocumentedOrderAndNullsForAbsent) {
  Letter l = sample();
  auto j = nlohmann::ordered_json::parse(to_json_line(l));
  std::vector<std::string> keys;
  for (auto& [k, v] : j.items()) keys.push_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{"source", "template", "case_number", "date_assigned", "decision_date",
                                            "date_of_injury", "ur_denial_date", "application_received", "priority",
                                            "reviewer", "patient", "clinical_summary", "items", "warnings"}));
  EXPECT_TRUE(j["decision_date"].is_null());
  EXPECT_EQ(j["priority"], "standard");
  EXPECT_EQ(j["patient"]["sex"], "male");
  EXPECT_EQ(j["items"][0]["decision"], "overturned");
  EXPECT_TRUE(j["items"][0]["claims_administrator_basis"].is_null());
  EXPECT_EQ(j["items"][0]["reviewer_basis"]["citations"][0]["sections"][0], "Opioids, criteria for use");
  EXPECT_TRUE(j["reviewer"]["subspecialties"].is_array());
}

TEST(Json, RoundTrip) {
  Letter l = sample();
  auto back = letter_from_json(to_json_line(l));
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(*back, l);
  auto pretty = letter_from_json(to_json_pretty(l));
  ASSERT_TRUE(pretty.ok());
  EXPECT_EQ(*pretty, l);
}

TEST(Json, InvalidUtf8IsReplacedNotEmitted) {
  Letter l = sample();
  l.clinical_summary = std::string("bad \xC3 byte");
  std::string s = to_json_line(l);
  EXPECT_NO_THROW((void)nlohmann::json::parse(s));
}

TEST(Json, ErrorsNameTheField) {
  auto r = letter_from_json(R"({"items":[{"request":"x","decision":"maybe"}]})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_NE(r.status().message().find("items[0].decision"), std::string::npos) << r.status().message();
  auto a = letter_from_json(R"({"patient":{"age":"old"}})");
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.status().message().find("patient.age"), std::string::npos);
  EXPECT_FALSE(letter_from_json("not json").ok());
  EXPECT_FALSE(letter_from_json("[1,2]").ok());
}

TEST(Json, UnknownFieldsAreIgnored) {
  auto r = letter_from_json(R"({"source":"x","future_field":{"a":1},"items":[]})");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->source, "x");
}

}  // namespace
}  // namespace imr::letter
