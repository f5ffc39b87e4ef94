#include "imr/letter/citations.h"

#include <gtest/gtest.h>

namespace imr::letter {
namespace {

TEST(Citations, NoEvidenceCitedMeansNoCitations) {
  auto b = parse_guideline_basis("The Claims Administrator did not cite any medical evidence for its decision.");
  EXPECT_TRUE(b.citations.empty());
  EXPECT_EQ(b.text, "The Claims Administrator did not cite any medical evidence for its decision.");
}

TEST(Citations, MtusPartWithEditionAndSections) {
  auto b = parse_guideline_basis("Decision based on MTUS Chronic Pain Medical Treatment 2016, Section(s): Opioids, criteria for use.");
  ASSERT_EQ(b.citations.size(), 1u);
  const auto& c = b.citations[0];
  EXPECT_EQ(c.source, "MTUS");
  EXPECT_EQ(c.title, "Chronic Pain Medical Treatment");
  EXPECT_EQ(c.edition, "2016");
  EXPECT_EQ(c.sections, (std::vector<std::string>{"Opioids, criteria for use"}));
}

TEST(Citations, SectionListsSplitOnCommasExceptKnownNames) {
  auto b = parse_guideline_basis("Decision based on MTUS Low Back Complaints 2004, Section(s): Diagnostic Criteria, Special Studies, Summary.");
  ASSERT_EQ(b.citations.size(), 1u);
  EXPECT_EQ(b.citations[0].sections, (std::vector<std::string>{"Diagnostic Criteria", "Special Studies", "Summary"}));
  auto n = parse_guideline_basis("Decision based on MTUS Chronic Pain Medical Treatment 2016, Section(s): NSAIDs, GI symptoms & cardiovascular risk, Proton Pump Inhibitors (PPIs).");
  ASSERT_EQ(n.citations.size(), 1u);
  EXPECT_EQ(n.citations[0].sections, (std::vector<std::string>{"NSAIDs, GI symptoms & cardiovascular risk", "Proton Pump Inhibitors (PPIs)"}));
}

TEST(Citations, AcoemChapterAdoptedIntoMtusIsMtusWithPages) {
  auto b = parse_guideline_basis("Decision based on MTUS ACOEM Chapter 12 Low Back Complaints Page(s): 301.");
  ASSERT_EQ(b.citations.size(), 1u);
  EXPECT_EQ(b.citations[0].source, "MTUS");
  EXPECT_EQ(b.citations[0].title, "Low Back Complaints");
  EXPECT_EQ(b.citations[0].pages, (std::vector<std::string>{"301"}));
}

TEST(Citations, SeveralMtusPartsJoinedWithAnd) {
  auto b = parse_guideline_basis(
      "Decision based on MTUS Neck and Upper Back Complaints 2004, Section(s): Special Studies, and Chronic Pain Medical "
      "Treatment 2016, Section(s): Electrodiagnostic testing (EMG/NCS).");
  ASSERT_EQ(b.citations.size(), 2u);
  EXPECT_EQ(b.citations[0].title, "Neck and Upper Back Complaints");
  EXPECT_EQ(b.citations[0].sections, (std::vector<std::string>{"Special Studies"}));
  EXPECT_EQ(b.citations[1].title, "Chronic Pain Medical Treatment");
  EXPECT_EQ(b.citations[1].edition, "2016");
}

TEST(Citations, OdgChapterAndTopic) {
  auto b = parse_guideline_basis(
      "The Expert Reviewer did not base their decision on the MTUS. Decision based on Non-MTUS Citation Official "
      "Disability Guidelines (ODG) Low back, Platelet-rich plasma (PRP).");
  ASSERT_EQ(b.citations.size(), 1u);
  EXPECT_EQ(b.citations[0].source, "ODG");
  EXPECT_EQ(b.citations[0].title, "Low back");
  EXPECT_EQ(b.citations[0].sections, (std::vector<std::string>{"Platelet-rich plasma (PRP)"}));
  auto p = parse_guideline_basis("Decision based on Non-MTUS Citation Official Disability Guidelines (ODG), Pain (Chronic), Lidoderm (Lidocaine patch).");
  ASSERT_EQ(p.citations.size(), 1u);
  EXPECT_EQ(p.citations[0].title, "Pain (Chronic)");
}

TEST(Citations, MtusThenOdgThenOther) {
  auto b = parse_guideline_basis(
      "Decision based on MTUS Chronic Pain Medical Treatment 2016, Section(s): Electrodiagnostic testing (EMG/NCS). "
      "Decision based on Non-MTUS Citation Official Disability Guidelines (ODG) Low Back/Intra-operative monitoring and "
      "Other Medical Treatment Guidelines http://example.org/policy.html.");
  ASSERT_EQ(b.citations.size(), 3u);
  EXPECT_EQ(b.citations[0].source, "MTUS");
  EXPECT_EQ(b.citations[1].source, "ODG");
  EXPECT_EQ(b.citations[1].title, "Low Back");
  EXPECT_EQ(b.citations[2].source, "other");
  EXPECT_EQ(b.citations[2].title, "http://example.org/policy.html");
}

TEST(Citations, NonMtusAcoemAndOtherSources) {
  auto a = parse_guideline_basis(
      "Decision based on Non-MTUS Citation ACOEM Guidelines, Chapter 7, Independent Medical Examinations and Consultations, page 137.");
  ASSERT_EQ(a.citations.size(), 1u);
  EXPECT_EQ(a.citations[0].source, "ACOEM");
  EXPECT_EQ(a.citations[0].title, "Independent Medical Examinations and Consultations");
  EXPECT_EQ(a.citations[0].pages, (std::vector<std::string>{"137"}));
  auto o = parse_guideline_basis("Decision based on Non-MTUS Citation A textbook of hand surgery, 6th ed.");
  ASSERT_EQ(o.citations.size(), 1u);
  EXPECT_EQ(o.citations[0].source, "other");
}

}  // namespace
}  // namespace imr::letter
