// Assignment: every exclusion rule, conflicts with every party kind, load balance, explanations,
// the specialty map, and speed at 1,000 reviewers.
#include <gtest/gtest.h>

#include <chrono>

#include "imr/casework/assign.h"
#include "testutil.h"

namespace imr::casework {
namespace {

using testing::sample_application;
using testing::sample_reviewer;

Reviewer reviewer(std::int64_t id, int capacity = 10) {
  Reviewer r = sample_reviewer("x", capacity).reviewer;
  r.id = id;
  return r;
}

std::string reason_of(const AssignmentExplanation& ex, std::int64_t id) {
  for (const auto& e : ex.excluded)
    if (e.reviewer_id == id) return e.reason();
  return "";
}

TEST(SpecialtyMap, RelevantSpecialtiesComeFromCategoryRegionAndPhysician) {
  ASSERT_EQ(SpecialtyMap::load_error(), "");
  const auto& m = SpecialtyMap::standard();
  EXPECT_EQ(m.canonical("Orthopedic Surgery"), m.canonical("orthopaedic  surgery"));
  Application a = sample_application();
  auto rel = m.relevant(a);
  EXPECT_TRUE(rel.count(m.canonical("Orthopaedic Surgery")));    // region lumbar + physician
  EXPECT_TRUE(rel.count(m.canonical("Pain Management")));        // opioids (alias of Pain Medicine)
  EXPECT_TRUE(rel.count(m.canonical("Radiology")));              // diagnostic tests
  EXPECT_TRUE(rel.count(m.canonical("Family Practice")));        // general
  EXPECT_FALSE(rel.count(m.canonical("Psychiatry")));
  a.items = {{"Psychotherapy 6 sessions", "Behavioral health", "Psychotherapy", "none"}};
  a.physician_specialty = "";
  EXPECT_TRUE(m.relevant(a).count(m.canonical("Psychology")));
  EXPECT_TRUE(m.nonphysician(m.canonical("Psychology")));
}

TEST(Assign, EachRuleExcludesWithItsReason) {
  Assigner as(SpecialtyMap::standard());
  Reviewer ok = reviewer(1);
  Reviewer off = reviewer(2);
  off.available = false;
  Reviewer nolicence = reviewer(3);
  nolicence.credentials.licence_states.clear();
  Reviewer junior = reviewer(4);
  junior.credentials.years_active_practice = 5;  // "more than five" needed
  Reviewer parttime = reviewer(5);
  parttime.credentials.weekly_practice_hours = 23;
  Reviewer dentist = reviewer(6);
  dentist.credentials.specialties = {"Dentistry"};
  dentist.credentials.board_certifications = {"Dentistry"};
  Reviewer uncertified = reviewer(7);
  uncertified.credentials.board_certifications.clear();
  Reviewer full = reviewer(8, 1);
  full.active_cases = 1;
  for (const auto& r : {ok, off, nolicence, junior, parttime, dentist, uncertified, full}) as.add(r);
  auto ex = as.choose(sample_application(), true);
  ASSERT_TRUE(ex.reviewer_id);
  EXPECT_EQ(*ex.reviewer_id, 1);
  EXPECT_EQ(ex.qualified, 1);
  EXPECT_EQ(reason_of(ex, 2), "not available");
  EXPECT_EQ(reason_of(ex, 3), "no unrestricted licence");
  EXPECT_EQ(reason_of(ex, 4), "5 years of active practice (more than 5 required)");
  EXPECT_EQ(reason_of(ex, 5), "23 hours a week of active practice (at least 24 required)");
  EXPECT_EQ(reason_of(ex, 6), "no same or similar specialty");
  EXPECT_EQ(reason_of(ex, 7), "no board certification relevant to the condition");
  EXPECT_EQ(reason_of(ex, 8), "at capacity (1 of 1 open cases)");
  EXPECT_EQ(ex.excluded.size(), 7u);
  EXPECT_NE(ex.why.find("reviewer 1"), std::string::npos);
}

TEST(Assign, ConflictWithEveryPartyKind) {
  Application a = sample_application();
  a.parties.push_back({PartyKind::kManufacturer, "Pharma Co"});
  for (const auto& p : a.parties) {
    Assigner as(SpecialtyMap::standard());
    Reviewer tied = reviewer(1);
    tied.affiliations = {{AffiliationKind::kPerson, "  " + p.name + " "}};  // names compare folded
    as.add(tied);
    auto ex = as.choose(a, true);
    EXPECT_FALSE(ex.reviewer_id) << to_string(p.kind);
    EXPECT_EQ(ex.conflicts_avoided, 1);
    EXPECT_NE(reason_of(ex, 1).find(std::string("(") + to_string(p.kind) + ")"), std::string::npos) << reason_of(ex, 1);
    EXPECT_NE(ex.why.find("no reviewer qualifies"), std::string::npos);
    EXPECT_NE(ex.why.find("conflict 1"), std::string::npos) << ex.why;
  }
}

TEST(Assign, NonPhysicianSpecialtiesNeedNoBoardCertification) {
  Assigner as(SpecialtyMap::standard());
  Reviewer psych = reviewer(1);
  psych.credentials.specialties = {"Psychology"};
  psych.credentials.board_certifications.clear();
  as.add(psych);
  Application a = sample_application();
  a.items = {{"Psychotherapy 6 sessions", "Behavioral health", "Psychotherapy", "none"}};
  auto ex = as.choose(a);
  ASSERT_TRUE(ex.reviewer_id);
}

TEST(Assign, LeastLoadedFirstAndLoadsMove) {
  Assigner as(SpecialtyMap::standard());
  for (int id = 1; id <= 3; ++id) as.add(reviewer(id, 10));
  std::map<std::int64_t, int> count;
  for (int k = 0; k < 30; ++k) {
    auto ex = as.choose(sample_application());
    ASSERT_TRUE(ex.reviewer_id);
    ++count[*ex.reviewer_id];
    as.adjust_load(*ex.reviewer_id, +1);
  }
  EXPECT_EQ(count, (std::map<std::int64_t, int>{{1, 10}, {2, 10}, {3, 10}}));
  auto ex = as.choose(sample_application());
  EXPECT_FALSE(ex.reviewer_id);
  EXPECT_EQ(ex.excluded_by_kind["capacity"], 3);
}

TEST(Assign, IndexAndFullScanAgree) {
  Assigner as(SpecialtyMap::standard());
  const char* specialties[] = {"Psychiatry", "Orthopaedic Surgery", "Family Practice", "Dentistry", "Neurology"};
  for (int id = 1; id <= 200; ++id) {
    Reviewer r = reviewer(id, 5 + id % 7);
    r.credentials.specialties = {specialties[id % 5]};
    r.credentials.board_certifications = {specialties[id % 5]};
    r.active_cases = id % 4;
    if (id % 9 == 0) r.affiliations = {{AffiliationKind::kInsurer, "Acme Insurance"}};
    as.add(r);
  }
  auto fast = as.choose(sample_application(), false);
  auto full = as.choose(sample_application(), true);
  EXPECT_EQ(fast.reviewer_id, full.reviewer_id);
  EXPECT_EQ(fast.qualified, full.qualified);
  EXPECT_EQ(fast.conflicts_avoided, full.conflicts_avoided);
  EXPECT_LT(fast.considered, full.considered);
  EXPECT_EQ(full.considered, 200);
}

TEST(Assign, OneAssignmentAmongAThousandReviewersIsFast) {
  Assigner as(SpecialtyMap::standard());
  const char* specialties[] = {"Psychiatry", "Orthopaedic Surgery", "Family Practice", "Internal Medicine", "Neurology",
                               "Physical Medicine and Rehabilitation", "Anesthesiology", "Psychology"};
  for (int id = 1; id <= 1000; ++id) {
    Reviewer r = reviewer(id, 50);
    r.credentials.specialties = {specialties[id % 8]};
    r.credentials.board_certifications = {specialties[id % 8]};
    r.affiliations = {{AffiliationKind::kInsurer, "Insurer " + std::to_string(id % 40)},
                      {AffiliationKind::kFacility, "Facility " + std::to_string(id % 150)}};
    as.add(r);
  }
  auto start = std::chrono::steady_clock::now();
  int n = 200;
  for (int k = 0; k < n; ++k) {
    auto ex = as.choose(sample_application(), true);
    ASSERT_TRUE(ex.reviewer_id);
    as.adjust_load(*ex.reviewer_id, 1);
  }
  double us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count() / n;
  std::printf("one assignment, 1000 reviewers, every exclusion explained: %.1f us\n", us);
  EXPECT_LT(us, 5000.0);  // target < 1 ms (bench/casework_bench); loose here for loaded CI machines
}

}  // namespace
}  // namespace imr::casework
