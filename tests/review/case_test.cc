// Case files: the fixed fields, extra fields ignored, every malformed field named.
#include <gtest/gtest.h>

#include "imr/review/case.h"

namespace imr::review {
namespace {

TEST(CaseFile, ReadsTheFixedFieldsAndIgnoresOthers) {
  auto c = case_from_json(R"({"patient": {"age": 48, "sex": "male"}, "date_of_injury": "2016-10-13",
    "diagnoses": ["lumbar strain"], "clinical_summary": "Low back pain.", "priority": "expedited",
    "items": [{"request": " MRI of the lumbar spine ", "claims_administrator_basis": "ODG"}, {"request": "Norco 10/325mg #60"}],
    "something_else": {"kept": false}})");
  ASSERT_TRUE(c.ok()) << c.status().to_string();
  EXPECT_EQ(c->age, 48);
  EXPECT_EQ(c->sex, letter::Sex::kMale);
  EXPECT_EQ(c->date_of_injury, "2016-10-13");
  EXPECT_EQ(c->diagnoses, std::vector<std::string>{"lumbar strain"});
  EXPECT_EQ(c->priority, letter::Priority::kExpedited);
  ASSERT_EQ(c->items.size(), 2u);
  EXPECT_EQ(c->items[0].request, "MRI of the lumbar spine");
  EXPECT_EQ(c->items[0].claims_administrator_basis, "ODG");
  EXPECT_FALSE(c->items[1].claims_administrator_basis);
}

TEST(CaseFile, ErrorsNameTheField) {
  struct Case {
    const char* json;
    const char* message;
  } cases[] = {
      {"not json", "case file: not valid JSON"},
      {"[1]", "case file: expected a JSON object"},
      {R"({"items": []})", "items: expected at least one item"},
      {R"({})", "items: missing"},
      {R"({"items": [{"request": "a"}, {"request": "b"}, {"request": 3}]})", "items[2].request: expected a string"},
      {R"({"items": [{"request": ""}]})", "items[0].request: empty"},
      {R"({"items": [{}]})", "items[0].request: missing"},
      {R"({"items": [{"request": "a", "claims_administrator_basis": 1}]})", "items[0].claims_administrator_basis: expected a string"},
      {R"({"patient": {"age": "48"}, "items": [{"request": "a"}]})", "patient.age: expected an integer 0-120"},
      {R"({"patient": {"sex": "x"}, "items": [{"request": "a"}]})", "patient.sex: expected"},
      {R"({"patient": 3, "items": [{"request": "a"}]})", "patient: expected an object"},
      {R"({"diagnoses": ["a", 2], "items": [{"request": "a"}]})", "diagnoses[1]: expected a string"},
      {R"({"priority": "soon", "items": [{"request": "a"}]})", "priority: expected"},
      {R"({"clinical_summary": 5, "items": [{"request": "a"}]})", "clinical_summary: expected a string"},
  };
  for (const auto& k : cases) {
    auto c = case_from_json(k.json);
    ASSERT_FALSE(c.ok()) << k.json;
    EXPECT_EQ(c.status().code(), Code::kInvalidArgument) << k.json;
    EXPECT_EQ(c.status().message().rfind(k.message, 0), 0u) << k.json << " -> " << c.status().message();
  }
}

TEST(CaseFile, FromLetterDropsDecisionsAndRoundTrips) {
  letter::Letter l;
  l.patient.age = 50;
  l.patient.sex = letter::Sex::kFemale;
  l.date_of_injury = "2015-01-02";
  l.decision_date = "2016-03-04";
  l.clinical_summary = "Summary.";
  letter::DisputedItem it;
  it.request = "Acupuncture x6";
  it.decision = letter::Decision::kOverturned;
  it.rationale = "secret";
  it.claims_administrator_basis = letter::GuidelineBasis{"MTUS", {}};
  l.items.push_back(it);
  CaseFile c = case_from_letter(l);
  std::string j = case_to_json(c);
  EXPECT_EQ(j.find("secret"), std::string::npos);
  EXPECT_EQ(j.find("overturned"), std::string::npos);
  auto back = case_from_json(j);
  ASSERT_TRUE(back.ok()) << back.status().to_string();
  EXPECT_EQ(back->age, 50);
  EXPECT_EQ(back->sex, letter::Sex::kFemale);
  EXPECT_EQ(back->review_date, "2016-03-04");
  EXPECT_EQ(back->items[0].claims_administrator_basis, "MTUS");
}

}  // namespace
}  // namespace imr::review
