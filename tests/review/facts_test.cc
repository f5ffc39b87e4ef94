// Facts from invented summaries: values, negation, spans pointing at the evidence, derived facts.
#include <gtest/gtest.h>

#include <set>

#include "imr/review/facts.h"
#include "review_testutil.h"

namespace imr::review {
namespace {

const FactExtractor& fx() { return testing::test_engine().extractor(); }

CaseFile make_case(const std::string& summary) {
  CaseFile c;
  c.clinical_summary = summary;
  c.items.push_back({"x", std::nullopt});
  return c;
}

const Fact* get(const CaseFacts& f, const std::string& name) {
  auto it = f.facts.find(name);
  return it == f.facts.end() ? nullptr : &it->second;
}

TEST(Facts, EveryVocabularyNameIsUnique) {
  std::set<std::string> names;
  for (const auto& s : fact_vocabulary()) EXPECT_TRUE(names.insert(s.name).second) << s.name;
  EXPECT_GE(names.size(), 34u);
}

TEST(Facts, BooleansWithNegationAndSpans) {
  const std::string s =
      "The worker is a 52 year old female injured on 01/15/2015. She denies numbness. There were no red flags. "
      "Straight leg raise was positive on the left. Her pain was rated 7/10. She has returned to modified duty. "
      "There was no documentation of functional improvement. Urine drug screen on 03/01/2016 was consistent. "
      "She reports difficulty sleeping and depression.";
  CaseFacts f = fx().extract(make_case(s));
  auto expect_bool = [&](const char* name, bool v) {
    const Fact* x = get(f, name);
    ASSERT_NE(x, nullptr) << name;
    EXPECT_EQ(x->flag, v) << name << ": " << x->evidence;
    ASSERT_LE(x->span.end, s.size());
    EXPECT_EQ(s.substr(x->span.begin, x->span.end - x->span.begin), x->evidence) << name;
  };
  expect_bool("red_flags", false);
  expect_bool("neurological_deficit", false);  // "denies numbness"
  expect_bool("radiculopathy", true);
  expect_bool("return_to_work", true);
  expect_bool("functional_improvement", false);
  expect_bool("drug_screen_done", true);
  expect_bool("insomnia", true);
  expect_bool("depression_or_anxiety", true);
  ASSERT_NE(get(f, "pain_score"), nullptr);
  EXPECT_EQ(get(f, "pain_score")->number, 7);
  ASSERT_NE(get(f, "age"), nullptr);
  EXPECT_EQ(get(f, "age")->number, 52);
  ASSERT_NE(get(f, "sex"), nullptr);
  EXPECT_EQ(get(f, "sex")->text, "female");
  ASSERT_NE(get(f, "months_since_injury"), nullptr);
  EXPECT_NEAR(get(f, "months_since_injury")->number, 13.5, 0.6);
  // Silence is unknown, not false.
  EXPECT_EQ(get(f, "surgery_done"), nullptr);
  EXPECT_EQ(get(f, "home_bound"), nullptr);
  EXPECT_EQ(get(f, "aberrant_behavior"), nullptr);
}

TEST(Facts, DatesAreNotPainScores) {
  CaseFacts f = fx().extract(make_case("She was seen on 5/10/2016 and 11/10/2016 for follow-up."));
  EXPECT_EQ(get(f, "pain_score"), nullptr);
}

TEST(Facts, MedicationsAndMorphineEquivalents) {
  const std::string s = "Current medications include Norco 10/325 mg every 6 hours, oxycodone 15 mg twice daily, "
                        "naproxen 550 mg and cyclobenzaprine 7.5 mg at bedtime.";
  CaseFacts f = fx().extract(make_case(s));
  ASSERT_GE(f.medications.size(), 4u);
  EXPECT_EQ(f.medications[0].name, "norco");
  EXPECT_EQ(f.medications[0].dose_mg, 10);
  EXPECT_EQ(f.medications[0].doses_per_day, 4);
  // Norco 10 mg x4 x1 = 40; oxycodone 15 mg x2 x1.5 = 45.
  ASSERT_NE(get(f, "morphine_equivalent_mg"), nullptr);
  EXPECT_DOUBLE_EQ(get(f, "morphine_equivalent_mg")->number, 85);
  ASSERT_NE(get(f, "nsaid_use"), nullptr);
  EXPECT_TRUE(get(f, "nsaid_use")->flag);
}

TEST(Facts, TreatmentsToDateAndItemFacts) {
  const std::string s = "The injured worker was injured on 2015-02-01. Treatment to date has included 12 sessions of "
                        "physical therapy, chiropractic x 6 and medications. An MRI of the lumbar spine on 06/01/2015 "
                        "showed a disc protrusion. The treatment plan includes acupuncture.";
  CaseFile c = make_case(s);
  c.review_date = "2016-02-01";
  CaseFacts f = fx().extract(c);
  bool pt = false, chiro = false, acu = false;
  for (const auto& t : f.treatments) {
    if (t.type == "PT/OT" && t.count == 12) pt = true;
    if (t.type == "Chiropractic" && t.count == 6) chiro = true;
    if (t.type == "Acupuncture") acu = true;
  }
  EXPECT_TRUE(pt);
  EXPECT_TRUE(chiro);
  EXPECT_FALSE(acu) << "a planned treatment is not a treatment to date";
  ASSERT_NE(get(f, "imaging_done"), nullptr);
  EXPECT_TRUE(get(f, "imaging_done")->flag);
  ASSERT_FALSE(f.imaging.empty());
  EXPECT_EQ(f.imaging.front().modality, "MRI");
  EXPECT_EQ(f.imaging.front().region, "lumbar");
  EXPECT_EQ(get(f, "months_since_injury")->number, 12);

  const auto& e = testing::test_engine();
  const std::string req = "Physical therapy 2x4 for the lumbar spine";
  FactSet item = fx().item_facts(f, s, req, e.normalize(req));
  ASSERT_TRUE(item.count("prior_sessions"));
  EXPECT_EQ(item["prior_sessions"].number, 12);
  ASSERT_TRUE(item.count("requested_sessions"));
  EXPECT_EQ(item["requested_sessions"].number, 8);
  EXPECT_EQ(item["total_sessions"].number, 20);
  EXPECT_TRUE(item["same_treatment_before"].flag);
  EXPECT_TRUE(item["long_term_use"].flag);
  EXPECT_FALSE(item["retrospective"].flag);
}

TEST(Facts, RegionsInText) {
  EXPECT_EQ(fx().regions_in("MRI of the lumbar spine and right knee"), (std::vector<std::string>{"lumbar", "knee"}));
  EXPECT_TRUE(fx().regions_in("Norco 10/325mg").empty());
}

TEST(Facts, EmptyAndHostileSummariesDoNotCrash) {
  for (std::string s : {std::string(), std::string(".... ;;; :"), std::string(5000, 'a'), std::string("no no no not denies"),
                        std::string("\xff\xfe rated 99/10 0/10 /10")}) {
    CaseFacts f = fx().extract(make_case(s));
    for (const auto& [name, x] : f.facts) EXPECT_LE(x.span.end, s.size()) << name;
  }
}

}  // namespace
}  // namespace imr::review
