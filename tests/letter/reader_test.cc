// The dwc-2016 reader on letters written for these tests (never copied from real letters).
#include "imr/letter/reader.h"

#include <gtest/gtest.h>

namespace imr::letter {
namespace {

const char* kTwoColumnHeader =
    "Case Number:\nDate Assigned:\nDecision Date:\nPriority:\n\nCM16-0999001\n01/04/2016\n02/02/2016\nExpedited\n\n"
    "Date of Injury:\nUR Denial Date:\nApplication\nReceived:\n\n03/15/2013\n12/20/2015\n12/28/2015\n\n";

const char* kBody =
    "HOW THE IMR FINAL DETERMINATION WAS MADE\n"
    "MAXIMUS Federal Services sent the complete case file to an expert reviewer. He/she has no\n"
    "affiliation with the employer, employee, providers or the claims administrator.\n"
    "The Expert Reviewer has the following credentials:\n"
    "State(s) of Licensure: Oregon,Nevada\n"
    "Certification(s)/Specialty: Internal Medicine, Preventive Medicine, Public Health &\n"
    "General Preventive Medicine\n"
    "CLINICAL CASE SUMMARY\n"
    "The expert reviewer developed the following clinical case summary based on a review of the\n"
    "case file, including all medical records:\n"
    "The injured worker is a 61-year-old woman who injured her right knee on 3-15-13 while lifting\n"
    "boxes. Treatment has included physical therapy and medication.\n"
    "IMR ISSUES, DECISIONS AND RATIONALES\n"
    "The Final Determination was based on decisions for the disputed items/services set forth below:\n"
    "MRI of the right knee without contrast: Overturned\n"
    "Claims Administrator guideline: Decision based on MTUS Knee Complaints 2004, Section(s):\n"
    "Special Studies.\n"
    "MAXIMUS guideline: Decision based on MTUS Knee Complaints 2004, Section(s): Special Studies.\n"
    "Decision rationale: The Expert Reviewer's decision rationale: Imaging is supported after a\n"
    "failed course of conservative care. The request is medically necessary.\n"
    "Physical therapy for the right knee twelve sessions was the original request. Physical therapy\n"
    "for the right knee six sessions was authorized by the Claims Administrator. The remaining IMR\n"
    "eligible portion of the original request, Physical therapy for the right knee six sessions is:\n"
    "Upheld\n"
    "Claims Administrator guideline: The Claims Administrator did not cite any medical evidence\n"
    "for its decision.\n"
    "MAXIMUS guideline: Decision based on MTUS Chronic Pain Medical Treatment 2016, Section(s):\n"
    "Physical medicine treatment.\n"
    "Decision rationale: Guidelines allow a limited number of visits with a transition to a home\n"
    "program. The request is not medically necessary.\n"
    "Lumbar epidural steroid injection at left L4-5 and L5-S1 under fluoroscopic guidance with\n"
    "moderate sedation: Upheld\n"
    "Claims Administrator guideline: Decision based on MTUS Chronic Pain Medical Treatment 2016.\n"
    "MAXIMUS guideline: Decision based on MTUS Chronic Pain Medical Treatment 2016, Section(s):\n"
    "Epidural steroid injections (ESIs).\n"
    "Decision rationale: There is no radiculopathy on examination. The request is not medically\n"
    "necessary.\n";

TEST(Reader, HeaderInTwoColumnsAndAllFields) {
  auto r = read_letter(document_from_text(std::string(kTwoColumnHeader) + kBody, "t.txt"));
  ASSERT_TRUE(r.ok()) << r.status().message();
  const Letter& l = *r;
  EXPECT_EQ(l.template_name, "dwc-2016");
  EXPECT_EQ(l.case_number, "CM16-0999001");
  EXPECT_EQ(l.date_assigned, "2016-01-04");
  EXPECT_EQ(l.decision_date, "2016-02-02");
  EXPECT_EQ(l.date_of_injury, "2013-03-15");
  EXPECT_EQ(l.ur_denial_date, "2015-12-20");
  EXPECT_EQ(l.application_received, "2015-12-28");
  EXPECT_EQ(l.priority, Priority::kExpedited);
  EXPECT_EQ(l.reviewer.licensure_states, (std::vector<std::string>{"Oregon", "Nevada"}));
  EXPECT_EQ(l.reviewer.specialties, (std::vector<std::string>{"Internal Medicine", "Preventive Medicine",
                                                              "Public Health & General Preventive Medicine"}));
  EXPECT_FALSE(l.reviewer.board_certified.has_value());
  EXPECT_EQ(l.patient.age, 61);
  EXPECT_EQ(l.patient.sex, Sex::kFemale);
  ASSERT_TRUE(l.clinical_summary);
  EXPECT_EQ(l.clinical_summary->rfind("The injured worker is a 61-year-old woman", 0), 0u);
  ASSERT_EQ(l.items.size(), 3u);

  EXPECT_EQ(l.items[0].request, "MRI of the right knee without contrast");
  EXPECT_EQ(l.items[0].decision, Decision::kOverturned);
  ASSERT_TRUE(l.items[0].claims_administrator_basis);
  EXPECT_EQ(l.items[0].claims_administrator_basis->text, "Decision based on MTUS Knee Complaints 2004, Section(s): Special Studies.");
  EXPECT_EQ(l.items[0].rationale, "Imaging is supported after a failed course of conservative care. The request is medically necessary.");

  EXPECT_EQ(l.items[1].request, "Physical therapy for the right knee six sessions");
  EXPECT_EQ(l.items[1].original_request, "Physical therapy for the right knee twelve sessions");
  EXPECT_EQ(l.items[1].authorized_portion, "Physical therapy for the right knee six sessions");
  EXPECT_EQ(l.items[1].decision, Decision::kUpheld);
  EXPECT_TRUE(l.items[1].claims_administrator_basis->citations.empty());

  EXPECT_EQ(l.items[2].request,
            "Lumbar epidural steroid injection at left L4-5 and L5-S1 under fluoroscopic guidance with moderate sedation");
  EXPECT_EQ(l.items[2].reviewer_basis->citations.at(0).sections, (std::vector<std::string>{"Epidural steroid injections (ESIs)"}));
  EXPECT_TRUE(l.warnings.empty());
}

TEST(Reader, NoHeaderBlockAndBoardCertifiedSentence) {
  std::string body = kBody;
  auto pos = body.find("The Expert Reviewer has the following credentials:");
  auto end = body.find("CLINICAL CASE SUMMARY");
  body.replace(pos, end - pos,
               "The physician reviewer is Board Certified in Physical Medicine & Rehabilitation, has a subspecialty in\n"
               "Pain Medicine and is licensed to practice in California and Arizona. He/she has been in active\n"
               "clinical practice for more than five years.\n");
  auto r = read_letter(document_from_text(body, "seedlike.txt"));
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_FALSE(r->case_number.has_value());
  EXPECT_FALSE(r->priority.has_value());
  EXPECT_EQ(r->reviewer.board_certified, true);
  EXPECT_EQ(r->reviewer.specialties, (std::vector<std::string>{"Physical Medicine & Rehabilitation"}));
  EXPECT_EQ(r->reviewer.subspecialties, (std::vector<std::string>{"Pain Medicine"}));
  EXPECT_EQ(r->reviewer.licensure_states, (std::vector<std::string>{"California", "Arizona"}));
  // No header: the injury date comes from the summary, with the two-digit year expanded.
  EXPECT_EQ(r->date_of_injury, "2013-03-15");
  EXPECT_EQ(r->items.size(), 3u);
}

TEST(Reader, DecisionWordAloneOnItsLine) {
  std::string body = kBody;
  auto pos = body.find("MRI of the right knee without contrast: Overturned");
  body.replace(pos, std::string("MRI of the right knee without contrast: Overturned").size(),
               "MRI of the right knee without contrast:\nOverturned");
  auto r = read_letter(document_from_text(body, "x.txt"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->items[0].request, "MRI of the right knee without contrast");
  EXPECT_EQ(r->items[0].decision, Decision::kOverturned);
}

TEST(Reader, LeavingTheOriginalRequestEligibleWording) {
  std::string body = kBody;
  auto pos = body.find("Physical therapy for the right knee twelve sessions was the original request.");
  auto end = body.find("Claims Administrator guideline: The Claims Administrator did not cite");
  body.replace(pos, end - pos,
               "Home health aide 8 hours a day was the original request. The Claims Administrator authorized\n"
               "Home health aide 4 hours a day, leaving the original request IMR eligible. The original request,\n"
               "home health aide 8 hours a day is: Upheld\n");
  auto r = read_letter(document_from_text(body, "x.txt"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->items[1].request, "home health aide 8 hours a day");
  EXPECT_EQ(r->items[1].original_request, "Home health aide 8 hours a day");
  EXPECT_EQ(r->items[1].authorized_portion, "Home health aide 4 hours a day");
}

TEST(Reader, TextThatIsNoLetterIsUnrecognized) {
  auto r = read_letter(document_from_text("Dear customer,\nyour order has shipped.\n", "mail.txt"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kUnrecognized);
  auto b = read_letter_bytes("", "empty.txt");
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.status().message(), "empty.txt: empty file");
  auto bin = read_letter_bytes(std::string("\x00\x01\x02 binary", 9), "blob.txt");
  ASSERT_FALSE(bin.ok());
  EXPECT_NE(bin.status().message().find("blob.txt"), std::string::npos);
  auto fake = read_letter_bytes("hello", "fake.pdf");
  ASSERT_FALSE(fake.ok());
  EXPECT_NE(fake.status().message().find("fake.pdf: not a PDF"), std::string::npos);
}

TEST(Reader, HeadingsWithoutItemsAreUnrecognized) {
  auto r = read_letter(document_from_text(
      "HOW THE IMR FINAL DETERMINATION WAS MADE\nSome text.\nIMR ISSUES, DECISIONS AND RATIONALES\nNothing here.\n", "x.txt"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kUnrecognized);
  EXPECT_NE(r.status().message().find("no disputed items"), std::string::npos);
}

TEST(Reader, ManyItems) {
  std::string body = "HOW THE IMR FINAL DETERMINATION WAS MADE\nx\nCLINICAL CASE SUMMARY\nThe patient is a 40 year old man.\n"
                     "IMR ISSUES, DECISIONS AND RATIONALES\n";
  for (int i = 0; i < 25; ++i) {
    body += "Item number " + std::to_string(i) + ": " + (i % 5 ? "Upheld" : "Overturned") + "\n";
    body += "Claims Administrator guideline: Decision based on MTUS Chronic Pain Medical Treatment 2016.\n";
    body += "MAXIMUS guideline: Decision based on MTUS Chronic Pain Medical Treatment 2016.\n";
    body += "Decision rationale: Reason " + std::to_string(i) + ".\n";
  }
  auto r = read_letter(document_from_text(body, "many.txt"));
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->items.size(), 25u);
  EXPECT_EQ(r->items[24].request, "Item number 24");
  EXPECT_EQ(r->items[5].decision, Decision::kOverturned);
  EXPECT_EQ(r->items[6].decision, Decision::kUpheld);
  EXPECT_EQ(r->patient.sex, Sex::kMale);
}

}  // namespace
}  // namespace imr::letter
