// Dates, times and the California state-holiday calendar that business-day deadlines count on.
//
// A Date is a day number (days since 1970-01-01, proleptic Gregorian); a Time is seconds since
// 1970-01-01T00:00:00 in the IMR organisation's local time (Pacific). Times are only compared and
// added, never converted between zones, so the zone is a label: deadlines are days as the
// regulations count them. Wire forms are ISO: "YYYY-MM-DD" and "YYYY-MM-DDTHH:MM:SS".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "imr/base/result.h"

namespace imr::casework {

struct Date {
  std::int32_t days = 0;
  auto operator<=>(const Date&) const = default;
  Date operator+(int n) const { return Date{days + n}; }
  int operator-(Date other) const { return days - other.days; }
};
using Time = std::int64_t;

Date make_date(int year, int month, int day);
void civil(Date d, int& year, int& month, int& day);
int weekday(Date d);  // 0 = Sunday ... 6 = Saturday
std::string to_iso(Date d);
std::string to_iso_time(Time t);
// "YYYY-MM-DD" (valid calendar date only).
std::optional<Date> parse_date(std::string_view s);
// "YYYY-MM-DD", "YYYY-MM-DDTHH:MM" or "YYYY-MM-DDTHH:MM:SS" (a space may replace the T).
std::optional<Time> parse_time(std::string_view s);
inline Time start_of(Date d) { return Time{d.days} * 86400; }
inline Time end_of(Date d) { return start_of(d) + 86399; }
inline Date date_of(Time t) { return Date{static_cast<std::int32_t>(t >= 0 ? t / 86400 : (t - 86399) / 86400)}; }

// One holiday rule of data/casework/holidays.tsv.
struct HolidayRule {
  std::string name;
  enum Kind { kFixed, kNthWeekday, kLastWeekday, kDayAfterNth } kind = kFixed;
  int month = 1, day = 1;          // kFixed
  int nth = 1, weekday = 1;        // kNthWeekday / kDayAfterNth (weekday 0 = Sunday)
  int from_year = 0, to_year = 9999;
  bool observe_weekend = true;     // Saturday -> Friday, Sunday -> Monday
};

// California state holidays (Gov. Code 19853 for state offices), from data: which days are not
// business days. Thread-safe after construction.
class HolidayCalendar {
 public:
  // Reads data/casework/holidays.tsv (or `path`). kUnrecognized names the bad line.
  static Result<HolidayCalendar> load(const std::string& path = "");
  // The built-in default loaded once from the data directory; aborts never: an unreadable file
  // gives a calendar with no holidays and the error in load_error().
  static const HolidayCalendar& standard();
  static const std::string& load_error();

  bool is_holiday(Date d) const;
  // The holidays (observed dates) of one year with their names, in date order.
  std::vector<std::pair<Date, std::string>> holidays(int year) const;
  bool is_business_day(Date d) const { return weekday(d) != 0 && weekday(d) != 6 && !is_holiday(d); }
  // The n-th business day after `d` (counting starts the day after; n >= 0, n == 0 gives d).
  Date add_business_days(Date d, int n) const;
  int business_days_between(Date from, Date to) const;  // business days in (from, to]

  const std::vector<HolidayRule>& rules() const { return rules_; }

 private:
  std::vector<HolidayRule> rules_;
};

}  // namespace imr::casework
