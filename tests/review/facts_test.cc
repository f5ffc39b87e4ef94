// Facts from invented summaries: values, negation, spans pointing at the evidence, derived facts.
#include <gtest/gtest.h>

#include <map>
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
  EXPECT_GE(names.size(), 35u);
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

TEST(Facts, ATreatmentLeftOutOfTheTreatmentsToDateIsAFirstCourse) {
  const auto& e = testing::test_engine();
  auto item = [&](const std::string& s, const std::string& req) {
    return fx().item_facts(fx().extract(make_case(s)), s, req, e.normalize(req));
  };
  const std::string req = "Physical therapy 2 times a week for 3 weeks for the lumbar spine";
  FactSet first = item("Low back pain since March. Treatment to date has included medications and activity modification.", req);
  ASSERT_TRUE(first.count("same_treatment_before"));
  EXPECT_FALSE(first["same_treatment_before"].flag);
  EXPECT_EQ(first["same_treatment_before"].evidence.find("Treatment to date"), 1u) << first["same_treatment_before"].evidence;
  EXPECT_EQ(first["prior_sessions"].number, 0);
  EXPECT_EQ(first["total_sessions"].number, 6);

  FactSet again = item("Treatment to date has included physical therapy and medications.", req);
  ASSERT_TRUE(again.count("same_treatment_before"));
  EXPECT_TRUE(again["same_treatment_before"].flag);
  EXPECT_FALSE(again.count("prior_sessions")) << "given before, count unknown";

  FactSet shockwave = item("The prior treatment included medications and shockwave therapy.", "Extracorporeal shockwave therapy (ESWT)");
  ASSERT_TRUE(shockwave.count("same_treatment_before"));
  EXPECT_TRUE(shockwave["same_treatment_before"].flag) << "shockwave is a modality treatments.tsv knows";

  FactSet silent = item("Low back pain since March. The injured worker is working full duty.", req);
  EXPECT_FALSE(silent.count("same_treatment_before")) << "without a list of treatments to date, silence is unknown";
  FactSet planned = item("The treatment plan includes medications. Physical therapy was requested.", req);
  EXPECT_FALSE(planned.count("same_treatment_before"));
  FactSet drug = item("Treatment to date has included physical therapy.", "Naproxen 550mg #60");
  EXPECT_FALSE(drug.count("same_treatment_before")) << "drugs are found by name, not by the treatments list";

  // A continuing-care criterion (a first course, or improvement from the prior one) is met, and
  // the visit total is the request's.
  const Guideline* pt = e.knowledge_base().find("test-physical-therapy");
  ASSERT_NE(pt, nullptr);
  std::map<std::string, Outcome> outcome;
  for (const auto& r : evaluate(*pt, first)) outcome[r.criterion->id] = r.outcome;
  EXPECT_EQ(outcome["prior-benefit"], Outcome::kMet);
  EXPECT_EQ(outcome["visits"], Outcome::kMet);
}

TEST(Facts, RedFlagsHoldForTheRegionTheyConcern) {
  // A red flag whose phrase names a body region (a fracture, a tumour) holds for items aimed at
  // that region or at none, not for another region's request; one naming no region holds for all.
  const auto& e = testing::test_engine();
  auto flag = [&](const std::string& s, const std::string& req) -> std::optional<bool> {
    CaseFacts f = fx().extract(make_case(s));
    FactSet item = fx().item_facts(f, s, req, e.normalize(req));
    auto it = item.find("red_flags");
    return it == item.end() ? std::nullopt : std::optional<bool>(it->second.flag);
  };
  const std::string thumb =
      "Diagnoses include left shoulder impingement syndrome, left thumb closed distal phalanx fracture and neck strain.";
  EXPECT_EQ(flag(thumb, "MRI of the left shoulder"), std::nullopt) << "a thumb fracture is no red flag for the shoulder";
  EXPECT_EQ(flag(thumb, "X-ray of the left thumb"), true);
  EXPECT_EQ(flag(thumb, "Norco 10/325mg #60"), true) << "an item aimed at no region keeps the case's red flags";
  const std::string radius = "X-rays revealed an impacted and dorsally displaced fracture of the distal radius.";
  EXPECT_EQ(flag(radius, "MRI of the cervical spine"), std::nullopt);
  EXPECT_EQ(flag(radius, "Open carpal tunnel release, right wrist"), true);
  EXPECT_EQ(flag(thumb + " There are signs of cauda equina syndrome.", "MRI of the left shoulder"), true)
      << "a red flag naming no region holds for every item";
  EXPECT_EQ(flag("No red flags were noted. Fracture of the left thumb.", "MRI of the left shoulder"), false)
      << "a documented absence still wins";
  CaseFacts f = fx().extract(make_case(thumb));
  ASSERT_NE(get(f, "red_flags"), nullptr);
  EXPECT_TRUE(get(f, "red_flags")->flag) << "the case-level fact is unchanged";
}

TEST(Facts, OneStructuralJointSignSuffices) {
  // Examination tests of a joint: one positive sign establishes the finding, negative ones beside
  // it do not cancel it (unlike facts where a documented absence wins).
  auto value = [](const std::string& s) -> std::optional<bool> {
    CaseFacts f = fx().extract(make_case(s));
    const Fact* x = get(f, "structural_joint_signs");
    return x ? std::optional<bool>(x->flag) : std::nullopt;
  };
  EXPECT_EQ(value("Lachman test was negative. There was a positive McMurray sign medially."), true);
  EXPECT_EQ(value("The knee gives way on stairs; there is no effusion."), true);
  EXPECT_EQ(value("The drop arm test was positive on the right."), true);
  EXPECT_EQ(value("There was no effusion and no instability of the knee."), false);
  EXPECT_EQ(value("Negative anterior drawer and negative McMurray tests."), std::nullopt)
      << "a negative test is not a positive sign";
  EXPECT_EQ(value("Positive Neer and Hawkins impingement signs."), std::nullopt)
      << "impingement signs are not signs of a structural lesion";
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
