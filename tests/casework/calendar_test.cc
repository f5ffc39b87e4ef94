// Dates and California state holidays (data/casework/holidays.tsv).
#include <gtest/gtest.h>

#include "imr/casework/calendar.h"

namespace imr::casework {
namespace {

Date d(const char* iso) { return *parse_date(iso); }

TEST(Calendar, DatesRoundTripAndWeekdays) {
  for (const char* iso : {"1970-01-01", "2000-02-29", "2013-01-01", "2024-12-31", "1969-12-31"})
    EXPECT_EQ(to_iso(d(iso)), iso);
  EXPECT_EQ(weekday(d("2024-01-01")), 1);  // Monday
  EXPECT_EQ(weekday(d("1970-01-01")), 4);  // Thursday
  EXPECT_EQ(weekday(d("1969-12-28")), 0);  // Sunday
  EXPECT_FALSE(parse_date("2023-02-29"));
  EXPECT_FALSE(parse_date("2024-13-01"));
  EXPECT_FALSE(parse_date("24-01-01"));
  EXPECT_EQ(to_iso_time(*parse_time("2024-03-05T07:08:09")), "2024-03-05T07:08:09");
  EXPECT_EQ(*parse_time("2024-03-05 07:08"), start_of(d("2024-03-05")) + 7 * 3600 + 8 * 60);
  EXPECT_FALSE(parse_time("2024-03-05T25:00"));
}

TEST(Calendar, Holidays2024) {
  const auto& cal = HolidayCalendar::standard();
  ASSERT_EQ(HolidayCalendar::load_error(), "");
  std::vector<std::string> got;
  for (const auto& [day, name] : cal.holidays(2024)) got.push_back(to_iso(day));
  std::vector<std::string> want = {"2024-01-01", "2024-01-15", "2024-02-19", "2024-04-01",  // Chavez: Sun Mar 31 -> Mon
                                   "2024-05-27", "2024-07-04", "2024-09-02", "2024-11-11",
                                   "2024-11-28", "2024-11-29", "2024-12-25"};
  EXPECT_EQ(got, want);
}

TEST(Calendar, WeekendHolidaysAreObservedOnFridayOrMonday) {
  const auto& cal = HolidayCalendar::standard();
  EXPECT_TRUE(cal.is_holiday(d("2021-12-31")));   // New Year 2022 is a Saturday
  EXPECT_FALSE(cal.is_holiday(d("2022-01-03")));
  EXPECT_TRUE(cal.is_holiday(d("2022-12-26")));   // Christmas 2022 is a Sunday
  EXPECT_TRUE(cal.is_holiday(d("2020-07-03")));   // Independence Day 2020 is a Saturday
  EXPECT_TRUE(cal.is_holiday(d("2023-11-10")));   // Veterans Day 2023 is a Saturday
}

TEST(Calendar, LincolnAndColumbusDayEndedIn2009) {
  const auto& cal = HolidayCalendar::standard();
  EXPECT_TRUE(cal.is_holiday(d("2008-02-12")));
  EXPECT_TRUE(cal.is_holiday(d("2009-02-12")));
  EXPECT_FALSE(cal.is_holiday(d("2010-02-12")));
  EXPECT_TRUE(cal.is_holiday(d("2008-10-13")));   // Columbus Day 2008
  EXPECT_FALSE(cal.is_holiday(d("2009-10-12")));
  EXPECT_FALSE(cal.is_holiday(d("2024-10-14")));
  EXPECT_FALSE(cal.is_holiday(d("2000-03-31")));  // Cesar Chavez Day from 2001
  EXPECT_TRUE(cal.is_holiday(d("2001-03-30")));   // 2001-03-31 is a Saturday
}

TEST(Calendar, BusinessDaysSkipWeekendsAndHolidays) {
  const auto& cal = HolidayCalendar::standard();
  EXPECT_EQ(to_iso(cal.add_business_days(d("2024-11-27"), 1)), "2024-12-02");  // Thanksgiving + day after
  EXPECT_EQ(to_iso(cal.add_business_days(d("2024-11-27"), 5)), "2024-12-06");
  EXPECT_EQ(to_iso(cal.add_business_days(d("2024-03-08"), 1)), "2024-03-11");  // Friday -> Monday
  EXPECT_EQ(cal.business_days_between(d("2024-12-20"), d("2025-01-03")), 8);   // Christmas, New Year
}

TEST(Calendar, BadRuleFilesAreRefusedWithTheLine) {
  auto path = ::testing::TempDir() + "/holidays.tsv";
  FILE* f = std::fopen(path.c_str(), "w");
  std::fputs("# c\nGood\tfixed 01-01\t1900\t9999\tweekend\nBad\tfixed 02-30\t1900\t9999\tweekend\n", f);
  std::fclose(f);
  auto c = HolidayCalendar::load(path);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), Code::kUnrecognized);
  EXPECT_NE(c.status().message().find(":3:"), std::string::npos) << c.status().message();
}

}  // namespace
}  // namespace imr::casework
