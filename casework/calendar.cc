// Civil-date arithmetic (H. Hinnant's days_from_civil) and the holiday rules.
#include "imr/casework/calendar.h"

#include <algorithm>
#include <charconv>
#include <cstdio>

#include "imr/base/data.h"
#include "tsv.h"

namespace imr::casework {
namespace {

bool digits(std::string_view s, int& out) {
  if (s.empty()) return false;
  auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

int days_in_month(int y, int m) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

int parse_weekday(const std::string& w) {
  static const char* const kNames[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
  for (int k = 0; k < 7; ++k)
    if (w == kNames[k]) return k;
  return -1;
}

Date nth_weekday(int year, int month, int nth, int wd) {
  Date first = make_date(year, month, 1);
  return first + ((wd - weekday(first) + 7) % 7 + 7 * (nth - 1));
}

Date last_weekday(int year, int month, int wd) {
  Date last = make_date(year, month, days_in_month(year, month));
  return last + (-((weekday(last) - wd + 7) % 7));
}

Date observed(const HolidayRule& r, int year) {
  Date d;
  switch (r.kind) {
    case HolidayRule::kFixed: d = make_date(year, r.month, r.day); break;
    case HolidayRule::kNthWeekday: return nth_weekday(year, r.month, r.nth, r.weekday);
    case HolidayRule::kDayAfterNth: return nth_weekday(year, r.month, r.nth, r.weekday) + 1;
    case HolidayRule::kLastWeekday: return last_weekday(year, r.month, r.weekday);
  }
  if (r.observe_weekend) {
    if (weekday(d) == 6) return d + (-1);
    if (weekday(d) == 0) return d + 1;
  }
  return d;
}

Result<HolidayRule> parse_rule(const std::vector<std::string>& f) {
  if (f.size() != 5) return unrecognized("expected 5 TAB-separated fields: name, rule, from_year, to_year, observed");
  HolidayRule r;
  r.name = f[0];
  std::vector<std::string> w;
  for (std::size_t s = 0, e; s < f[1].size(); s = e + 1) {
    e = f[1].find(' ', s);
    if (e == std::string::npos) e = f[1].size();
    if (e > s) w.push_back(f[1].substr(s, e - s));
  }
  bool ok = false;
  if (w.size() == 2 && w[0] == "fixed" && w[1].size() == 5 && w[1][2] == '-') {
    r.kind = HolidayRule::kFixed;
    ok = digits(std::string_view(w[1]).substr(0, 2), r.month) && digits(std::string_view(w[1]).substr(3), r.day) &&
         r.month >= 1 && r.month <= 12 && r.day >= 1 && r.day <= days_in_month(2000, r.month);
  } else if (w.size() == 4 && (w[0] == "nth" || w[0] == "after")) {
    r.kind = w[0] == "nth" ? HolidayRule::kNthWeekday : HolidayRule::kDayAfterNth;
    r.weekday = parse_weekday(w[2]);
    ok = digits(w[1], r.nth) && r.nth >= 1 && r.nth <= 4 && r.weekday >= 0 && digits(w[3], r.month) && r.month >= 1 &&
         r.month <= 12;
  } else if (w.size() == 3 && w[0] == "last") {
    r.kind = HolidayRule::kLastWeekday;
    r.weekday = parse_weekday(w[1]);
    ok = r.weekday >= 0 && digits(w[2], r.month) && r.month >= 1 && r.month <= 12;
  }
  if (!ok) return unrecognized("bad holiday rule '" + f[1] + "'");
  if (!digits(f[2], r.from_year) || !digits(f[3], r.to_year) || r.from_year > r.to_year)
    return unrecognized("bad year range '" + f[2] + "'..'" + f[3] + "'");
  if (f[4] != "weekend" && f[4] != "none") return unrecognized("observed must be 'weekend' or 'none'");
  r.observe_weekend = f[4] == "weekend";
  return r;
}

}  // namespace

Date make_date(int y, int m, int d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return Date{era * 146097 + static_cast<int>(doe) - 719468};
}

void civil(Date date, int& y, int& m, int& d) {
  int z = date.days + 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  y = static_cast<int>(yoe) + era * 400 + (m <= 2);
}

int weekday(Date d) { return d.days >= -4 ? (d.days + 4) % 7 : (d.days + 5) % 7 + 6; }

std::string to_iso(Date d) {
  int y, m, dd;
  civil(d, y, m, dd);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, dd);
  return buf;
}

std::string to_iso_time(Time t) {
  Date d = date_of(t);
  int s = static_cast<int>(t - start_of(d));
  char buf[32];
  std::snprintf(buf, sizeof buf, "T%02d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
  return to_iso(d) + buf;
}

std::optional<Date> parse_date(std::string_view s) {
  int y, m, d;
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  if (!digits(s.substr(0, 4), y) || !digits(s.substr(5, 2), m) || !digits(s.substr(8, 2), d)) return std::nullopt;
  if (m < 1 || m > 12 || d < 1 || d > days_in_month(y, m)) return std::nullopt;
  return make_date(y, m, d);
}

std::optional<Time> parse_time(std::string_view s) {
  auto d = parse_date(s.substr(0, std::min<std::size_t>(10, s.size())));
  if (!d) return std::nullopt;
  if (s.size() == 10) return start_of(*d);
  if (s.size() != 16 && s.size() != 19) return std::nullopt;
  if ((s[10] != 'T' && s[10] != ' ') || s[13] != ':') return std::nullopt;
  int h, mi, sec = 0;
  if (!digits(s.substr(11, 2), h) || !digits(s.substr(14, 2), mi) || h > 23 || mi > 59) return std::nullopt;
  if (s.size() == 19 && (s[16] != ':' || !digits(s.substr(17, 2), sec) || sec > 59)) return std::nullopt;
  return start_of(*d) + h * 3600 + mi * 60 + sec;
}

Result<HolidayCalendar> HolidayCalendar::load(const std::string& path) {
  HolidayCalendar cal;
  std::string p = path.empty() ? data_path("casework/holidays.tsv") : path;
  IMR_RETURN_IF_ERROR(internal::read_tsv(p, [&](const std::vector<std::string>& f, int) {
    auto r = parse_rule(f);
    if (!r.ok()) return r.status();
    cal.rules_.push_back(std::move(*r));
    return Status();
  }));
  return cal;
}

const HolidayCalendar& HolidayCalendar::standard() { return internal::load_once<HolidayCalendar>().first; }
const std::string& HolidayCalendar::load_error() { return internal::load_once<HolidayCalendar>().second; }

bool HolidayCalendar::is_holiday(Date d) const {
  int y, m, dd;
  civil(d, y, m, dd);
  // A Saturday holiday on Jan 1 is observed on Dec 31 of the year before: look at both years.
  for (int year : {y, y + 1})
    for (const auto& r : rules_)
      if (year >= r.from_year && year <= r.to_year && observed(r, year) == d) return true;
  return false;
}

std::vector<std::pair<Date, std::string>> HolidayCalendar::holidays(int year) const {
  std::vector<std::pair<Date, std::string>> out;
  for (const auto& r : rules_)
    if (year >= r.from_year && year <= r.to_year) out.emplace_back(observed(r, year), r.name);
  std::sort(out.begin(), out.end());
  return out;
}

Date HolidayCalendar::add_business_days(Date d, int n) const {
  while (n > 0) {
    d = d + 1;
    if (is_business_day(d)) --n;
  }
  return d;
}

int HolidayCalendar::business_days_between(Date from, Date to) const {
  int n = 0;
  for (Date d = from + 1; d <= to; d = d + 1) n += is_business_day(d);
  return n;
}

}  // namespace imr::casework
