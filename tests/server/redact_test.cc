// What the public may see: names in free text are masked, the reviewer block is gone.
#include "redact.h"

#include <gtest/gtest.h>

namespace imr::server::internal {
namespace {

TEST(RedactNames, MasksTitledNamesAndSuffixedNames) {
  EXPECT_EQ(redact_names("Dr. Jane Roe examined the patient."), "Dr. [name] examined the patient.");
  EXPECT_EQ(redact_names("Seen by Mr. Smith, who agreed"), "Seen by Mr. [name], who agreed");
  EXPECT_EQ(redact_names("Signed: John Q. Smith, M.D. on 1/2/2016"), "Signed: [name], M.D. on 1/2/2016");
  EXPECT_EQ(redact_names("Report of Doctor O'Neil-Hart."), "Report of Doctor [name].");
}

TEST(RedactNames, LeavesClinicalTextAlone) {
  const std::string t = "MRI of the lumbar spine; MTUS Chronic Pain guidelines. The MD reviewed ODG. Dr. reviewed it.";
  EXPECT_EQ(redact_names(t), t);
}

TEST(RedactLetter, DropsReviewerSourceAndWarnings) {
  letter::Letter l;
  l.source = "/letters/Roe_Jane.pdf";
  l.reviewer.specialties = {"Orthopedic Surgery"};
  l.reviewer.licensure_states = {"California"};
  l.reviewer.board_certified = true;
  l.warnings = {"could not read 'Dr. Roe'"};
  l.clinical_summary = "Per Dr. Roe, the worker improved.";
  letter::DisputedItem it;
  it.request = "Consult with Dr. Roe";
  it.rationale = "Ms. Jones, PA-C, documented pain.";
  l.items.push_back(it);
  letter::Letter r = redact_letter(l);
  EXPECT_EQ(r.reviewer, letter::Reviewer{});
  EXPECT_TRUE(r.source.empty());
  EXPECT_TRUE(r.warnings.empty());
  EXPECT_EQ(*r.clinical_summary, "Per Dr. [name], the worker improved.");
  EXPECT_EQ(r.items[0].request, "Consult with Dr. [name]");
  EXPECT_EQ(*r.items[0].rationale, "Ms. [name], PA-C, documented pain.");
}

}  // namespace
}  // namespace imr::server::internal

namespace imr::server::internal {
namespace {

TEST(RedactFragment, MasksNamesCutFromTheirTitle) {
  letter::Letter l;
  l.clinical_summary = "Dr. Jane Roe examined the worker. Signed, John Q. Smith, M.D.";
  auto words = name_words(l);
  EXPECT_NE(std::find(words.begin(), words.end(), "Roe"), words.end());
  EXPECT_NE(std::find(words.begin(), words.end(), "Smith"), words.end());
  EXPECT_EQ(redact_fragment("...Jane [Roe] examined the worker", words), "...[name] [name] examined the worker");
  EXPECT_EQ(redact_fragment("Dr. Jane [Roe] examined", {}), "Dr. [name] examined");
}

}  // namespace
}  // namespace imr::server::internal
