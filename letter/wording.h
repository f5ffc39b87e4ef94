// The fixed wording of the 2016 Final Determination Letter that both writers (text: writer.cc,
// PDF: pdf_writer.cc) print. The reader keys on these headings and formulas, so they are kept
// word for word and in one place. Internal to the letter module.
#pragma once

#include <string_view>

namespace imr::letter::wording {

constexpr std::string_view kHowMadeHeading = "HOW THE IMR FINAL DETERMINATION WAS MADE";
constexpr std::string_view kSummaryHeading = "CLINICAL CASE SUMMARY";
constexpr std::string_view kIssuesHeading = "IMR ISSUES, DECISIONS AND RATIONALES";
constexpr std::string_view kCredentialsIntro = "The Expert Reviewer has the following credentials:";
constexpr std::string_view kSummaryIntro =
    "The expert reviewer developed the following clinical case summary based on a review of the case "
    "file, including all medical records:";
constexpr std::string_view kIssuesIntro =
    "The Final Determination was based on decisions for the disputed items/services set forth below:";

}  // namespace imr::letter::wording
