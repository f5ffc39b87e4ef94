// The versioned deadline rules (data/casework/deadlines/*.tsv): each version's values, the choice
// by date, and the arithmetic.
#include <gtest/gtest.h>

#include <filesystem>

#include "imr/casework/deadlines.h"

namespace imr::casework {
namespace {

Date d(const char* iso) { return *parse_date(iso); }
Time t(const char* iso) { return *parse_time(iso); }
const DeadlineRules& at(const char* iso) {
  auto r = DeadlineBook::standard().for_date(d(iso));
  EXPECT_TRUE(r.ok()) << r.status().to_string();
  return **r;
}

TEST(Deadlines, EveryVersionLoads) {
  ASSERT_EQ(DeadlineBook::load_error(), "");
  std::vector<std::string> versions;
  for (const auto& v : DeadlineBook::standard().versions()) versions.push_back(v.version);
  EXPECT_EQ(versions, (std::vector<std::string>{"2013-01-01", "2014-04-01", "2014-12-01", "2017-01-01", "2018-01-01"}));
}

TEST(Deadlines, VersionIsChosenByDate) {
  EXPECT_FALSE(DeadlineBook::standard().for_date(d("2012-12-31")).ok());
  EXPECT_EQ(at("2013-01-01").version, "2013-01-01");
  EXPECT_EQ(at("2014-03-31").version, "2013-01-01");
  EXPECT_EQ(at("2014-04-01").version, "2014-04-01");
  EXPECT_EQ(at("2014-11-30").version, "2014-04-01");
  EXPECT_EQ(at("2016-06-01").version, "2014-12-01");
  EXPECT_EQ(at("2017-06-01").version, "2017-01-01");
  EXPECT_EQ(at("2025-06-01").version, "2018-01-01");
}

TEST(Deadlines, Version2013) {
  const auto& r = at("2013-06-01");
  EXPECT_EQ(r.application_window, (Span{Span::kCalendarDays, 30}));
  EXPECT_EQ(r.records_mail, (Span{Span::kCalendarDays, 15}));
  EXPECT_EQ(r.records_electronic, (Span{Span::kCalendarDays, 12}));
  EXPECT_EQ(r.records_expedited, (Span{Span::kHours, 24}));
  EXPECT_EQ(r.determination_regular, (Span{Span::kCalendarDays, 30}));
  EXPECT_EQ(r.determination_expedited, (Span{Span::kCalendarDays, 3}));
  EXPECT_FALSE(r.determination_formulary);
  EXPECT_EQ(r.missing_ur_cure_days, 15);
  EXPECT_EQ(r.late_records_penalty_per_day, 0);
  EXPECT_EQ(r.ur_outcomes_in_scope, (std::vector<std::string>{"modified", "denied", "delayed"}));
}

TEST(Deadlines, Version2014April) {
  EXPECT_EQ(at("2014-06-01").missing_ur_cure_days, 0);
  EXPECT_EQ(at("2014-06-01").late_records_penalty_per_day, 0);
}

TEST(Deadlines, Version2014December) {
  const auto& r = at("2015-01-01");
  EXPECT_EQ(r.late_records_penalty_per_day, 500);
  EXPECT_EQ(r.late_records_penalty_cap, 5000);
  EXPECT_FALSE(r.formulary_disputes);
}

TEST(Deadlines, Version2017) {
  EXPECT_EQ(at("2017-02-01").ur_outcomes_in_scope, (std::vector<std::string>{"modified", "denied"}));
}

TEST(Deadlines, Version2018) {
  const auto& r = at("2018-01-01");
  ASSERT_TRUE(r.determination_formulary);
  EXPECT_EQ(*r.determination_formulary, (Span{Span::kBusinessDays, 5}));
  EXPECT_TRUE(r.formulary_disputes);
}

TEST(Deadlines, RecordsDue) {
  const auto& r = at("2024-03-01");
  const auto& cal = HolidayCalendar::standard();
  EXPECT_EQ(to_iso_time(r.records_due(t("2024-03-01T10:00"), NoticeMethod::kMail, false, cal)), "2024-03-16T23:59:59");
  EXPECT_EQ(to_iso_time(r.records_due(t("2024-03-01T10:00"), NoticeMethod::kElectronic, false, cal)), "2024-03-13T23:59:59");
  EXPECT_EQ(to_iso_time(r.records_due(t("2024-03-01T10:00"), NoticeMethod::kMail, true, cal)), "2024-03-02T10:00:00");
}

TEST(Deadlines, DeterminationDue) {
  const auto& r = at("2024-03-01");
  const auto& cal = HolidayCalendar::standard();
  EXPECT_EQ(to_iso_time(r.determination_due(t("2024-03-01T10:00"), false, false, cal)), "2024-03-31T23:59:59");
  EXPECT_EQ(to_iso_time(r.determination_due(t("2024-03-01T10:00"), true, false, cal)), "2024-03-04T23:59:59");
  // Formulary disputes: 5 working days, skipping Thanksgiving and the day after.
  EXPECT_EQ(to_iso_time(r.determination_due(t("2024-11-27T10:00"), false, true, cal)), "2024-12-06T23:59:59");
  // Before 2018 a formulary flag changes nothing.
  EXPECT_EQ(to_iso_time(at("2016-01-01").determination_due(t("2016-03-01T10:00"), false, true, cal)), "2016-03-31T23:59:59");
}

TEST(Deadlines, LateRecordsPenaltyAccruesAndIsCapped) {
  const auto& r = at("2024-03-01");
  Time due = t("2024-03-13T23:59:59");
  EXPECT_EQ(r.late_records_penalty(due, due), 0);
  EXPECT_EQ(r.late_records_penalty(due, due + 1), 500);
  EXPECT_EQ(r.late_records_penalty(due, due + 3 * 86400), 1500);
  EXPECT_EQ(r.late_records_penalty(due, due + 40 * 86400), 5000);
  EXPECT_EQ(at("2014-06-01").late_records_penalty(due, due + 3 * 86400), 0);  // before enforcement
}

TEST(Deadlines, ApplicationWindowCountsFromService) {
  const auto& r = at("2024-03-01");
  EXPECT_TRUE(r.application_timely(d("2024-03-01"), NoticeMethod::kElectronic, d("2024-03-31")));
  EXPECT_FALSE(r.application_timely(d("2024-03-01"), NoticeMethod::kElectronic, d("2024-04-01")));
  EXPECT_TRUE(r.application_timely(d("2024-03-01"), NoticeMethod::kMail, d("2024-04-05")));
  EXPECT_FALSE(r.application_timely(d("2024-03-01"), NoticeMethod::kMail, d("2024-04-06")));
}

TEST(Deadlines, MalformedVersionIsRefused) {
  std::string dir = ::testing::TempDir() + "/deadlines-bad";
  std::filesystem::create_directories(dir);
  FILE* f = std::fopen((dir + "/2020-01-01.tsv").c_str(), "w");
  std::fputs("effective\t2020-01-01\nrecords_mail\tfifteen\tcalendar_days\n", f);
  std::fclose(f);
  auto b = DeadlineBook::load(dir);
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.status().code(), Code::kUnrecognized);
}

}  // namespace
}  // namespace imr::casework
