// The knowledge-base loader and criteria evaluator on the test fixtures (tests/review/data).
#include <gtest/gtest.h>

#include "imr/review/guidelines.h"
#include "review_testutil.h"

namespace imr::review {
namespace {

Fact boolean(const char* name, bool v) {
  Fact f;
  f.name = name;
  f.kind = FactKind::kBool;
  f.flag = v;
  return f;
}
Fact number(const char* name, double v) {
  Fact f;
  f.name = name;
  f.kind = FactKind::kNumber;
  f.number = v;
  return f;
}

TEST(KnowledgeBase, LoadsFixturesAndMatches) {
  const auto& e = testing::test_engine();
  const auto& kb = e.knowledge_base();
  ASSERT_EQ(kb.guidelines().size(), 3u);
  auto match = [&](const std::string& req) -> std::string {
    auto n = e.normalize(req);
    const Guideline* g = kb.match(req, n, e.extractor().regions_in(req));
    return g ? g->id : "";
  };
  EXPECT_EQ(match("MRI of the lumbar spine"), "test-lumbar-mri");
  EXPECT_EQ(match("MRI of the right knee"), "");  // region key does not hold
  EXPECT_EQ(match("Norco 10/325mg #60"), "test-opioids");
  EXPECT_EQ(match("Physical therapy 2x4 lumbar"), "test-physical-therapy");
  const Guideline* mri = kb.find("test-lumbar-mri");
  ASSERT_NE(mri, nullptr);
  EXPECT_EQ(KnowledgeBase::governing(*mri, "lumbar", {})->source, "MTUS");
  EXPECT_EQ(KnowledgeBase::governing(*mri, "cervical", {})->source, "ODG");
}

TEST(KnowledgeBase, ErrorsNameFileAndField) {
  auto kb = KnowledgeBase::load(testing::fixture_dir() + "/bad");
  ASSERT_FALSE(kb.ok());
  EXPECT_EQ(kb.status().code(), Code::kInvalidArgument);
  EXPECT_NE(kb.status().message().find("bad-fact.json: criteria[0].all[0].fact: unknown fact \"no_such_fact\""), std::string::npos)
      << kb.status().message();
  struct Case {
    const char* json;
    const char* field;
  } cases[] = {
      {R"({"name": "x"})", "id: missing"},
      {R"({"id": "a", "name": "x", "match": {}})", "match: needs"},
      {R"({"id": "a", "name": "x", "match": {"regions": ["knee"]}, "perioperative": "yes"})", "perioperative: expected true, false or"},
      {R"({"id": "a", "name": "x", "match": {"regions": ["knee"]}, "perioperative": ["("]})", "perioperative[0]: bad RE2"},
      {R"({"id": "a", "name": "x", "match": {"patterns": ["("]}})", "match.patterns[0]: bad RE2"},
      {R"({"id": "a", "name": "x", "match": {"regions": ["knee"]}, "governing": []})", "governing: expected"},
      {R"({"id": "a", "name": "x", "match": {"regions": ["knee"]}, "governing": [{"source": "X", "title": "t", "catalog_key": "k"}]})", "governing[0].source"},
      {R"({"id": "a", "name": "x", "match": {"regions": ["knee"]}, "governing": [{"source": "ODG", "title": "t", "catalog_key": "k"}], "status": "maybe"})", "status: expected"},
      {R"({"id": "a", "name": "x", "match": {"regions": ["knee"]}, "governing": [{"source": "ODG", "title": "t", "catalog_key": "k"}], "status": "recommended",
          "criteria": [{"id": "c", "text": "t", "all": [{"fact": "age", "is": true}]}]})", "criteria[0].all[0].is: fact age is not boolean"},
      {R"({"id": "a", "name": "x", "match": {"regions": ["knee"]}, "governing": [{"source": "ODG", "title": "t", "catalog_key": "k"}], "status": "recommended",
          "criteria": [{"id": "c", "text": "t", "all": [{"fact": "red_flags"}]}]})", "criteria[0].all[0]: expected exactly one"},
      {R"({"id": "a", "name": "x", "match": {"regions": ["knee"]}, "governing": [{"source": "ODG", "title": "t", "catalog_key": "k"}], "status": "recommended",
          "criteria": [{"id": "c", "text": "t", "any": [], "all": []}]})", "criteria[0]: expected exactly one of"},
  };
  for (const auto& k : cases) {
    auto g = KnowledgeBase::parse(k.json, "f.json");
    ASSERT_FALSE(g.ok()) << k.json;
    EXPECT_NE(g.status().message().find(std::string("f.json: ") + k.field), std::string::npos) << g.status().message();
  }
}

TEST(Criteria, AllAnyAndUnknown) {
  Criterion all;
  all.all = true;
  all.conditions = {{"red_flags", true, {}, {}, {}, {}}, {"total_sessions", {}, {}, {}, 10.0, {}}};
  Criterion any = all;
  any.all = false;
  FactSet none;
  EXPECT_EQ(evaluate(all, none).outcome, Outcome::kUnknown);
  EXPECT_EQ(evaluate(any, none).outcome, Outcome::kUnknown);
  FactSet one_unmet{{"red_flags", boolean("red_flags", false)}};
  EXPECT_EQ(evaluate(all, one_unmet).outcome, Outcome::kUnmet);
  EXPECT_EQ(evaluate(any, one_unmet).outcome, Outcome::kUnknown);
  FactSet both_unmet{{"red_flags", boolean("red_flags", false)}, {"total_sessions", number("total_sessions", 12)}};
  EXPECT_EQ(evaluate(any, both_unmet).outcome, Outcome::kUnmet);
  EXPECT_EQ(evaluate(any, both_unmet).evidence.size(), 2u);
  FactSet one_met{{"total_sessions", number("total_sessions", 8)}};
  EXPECT_EQ(evaluate(any, one_met).outcome, Outcome::kMet);
  EXPECT_EQ(evaluate(all, one_met).outcome, Outcome::kUnknown);
  FactSet both_met{{"red_flags", boolean("red_flags", true)}, {"total_sessions", number("total_sessions", 10)}};
  EXPECT_EQ(evaluate(all, both_met).outcome, Outcome::kMet);
  Criterion present;
  present.conditions = {{"imaging_done", {}, {}, {}, {}, true}};
  EXPECT_EQ(evaluate(present, none).outcome, Outcome::kUnmet);
  EXPECT_EQ(evaluate(present, FactSet{{"imaging_done", boolean("imaging_done", false)}}).outcome, Outcome::kMet);
}

}  // namespace
}  // namespace imr::review
