#include "imr/letter/dates.h"

#include <gtest/gtest.h>

namespace imr::letter {
namespace {

TEST(Dates, FormatsLettersUse) {
  EXPECT_EQ(parse_date("11/09/2016"), "2016-11-09");
  EXPECT_EQ(parse_date("10-13-16"), "2016-10-13");
  EXPECT_EQ(parse_date("3-27-2004"), "2004-03-27");
  EXPECT_EQ(parse_date("2016-10-13"), "2016-10-13");
  EXPECT_EQ(parse_date("January 5, 2016"), "2016-01-05");
  EXPECT_EQ(parse_date("Jan. 5, 2016"), "2016-01-05");
}

TEST(Dates, TwoDigitYearsPivotOnTheLettersYear) {
  // record.md: 19xx when greater than the letter's own (two-digit) year, else 20xx.
  EXPECT_EQ(parse_date("12/06/04", 2016), "2004-12-06");
  EXPECT_EQ(parse_date("12/06/98", 2016), "1998-12-06");
  EXPECT_EQ(parse_date("12/06/16", 2016), "2016-12-06");
  EXPECT_EQ(parse_date("12/06/17", 2016), "1917-12-06");
  EXPECT_EQ(parse_date("12/06/14", 2013), "1914-12-06");
}

TEST(Dates, RejectsWhatIsNoDate) {
  EXPECT_FALSE(parse_date(""));
  EXPECT_FALSE(parse_date("13/01/2016"));
  EXPECT_FALSE(parse_date("02/30/2016"));
  EXPECT_FALSE(parse_date("2/29/2015"));
  EXPECT_TRUE(parse_date("2/29/2016"));
  EXPECT_FALSE(parse_date("10-13-16x"));
  EXPECT_FALSE(parse_date("Standard"));
  EXPECT_FALSE(parse_date("123/4/2016"));
  EXPECT_FALSE(parse_date("2016-13-01"));
}

TEST(Dates, IsIsoDate) {
  EXPECT_TRUE(is_iso_date("2016-12-09"));
  EXPECT_FALSE(is_iso_date("12/09/2016"));
  EXPECT_FALSE(is_iso_date("2016-2-9"));
}

}  // namespace
}  // namespace imr::letter
