#include "imr/letter/dates.h"

#include <cctype>
#include <cstdio>

#include "imr/base/text.h"

namespace imr::letter {
namespace {

bool valid_ymd(int y, int m, int d) {
  if (y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1) return false;
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int max = kDays[m - 1];
  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) max = 29;
  return d <= max;
}

std::string iso(int y, int m, int d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  return buf;
}

int expand_year(int y, std::size_t digits, std::optional<int> letter_year) {
  if (digits == 4) return y;
  int ref = (letter_year ? *letter_year : 2017) % 100;
  return y > ref ? 1900 + y : 2000 + y;
}

// Reads up to `max` digits at s[i]; returns the count read.
std::size_t read_num(std::string_view s, std::size_t i, std::size_t max, int& out) {
  std::size_t n = 0;
  out = 0;
  while (i + n < s.size() && n < max && std::isdigit(static_cast<unsigned char>(s[i + n]))) {
    out = out * 10 + (s[i + n] - '0');
    ++n;
  }
  return n;
}

int month_from_name(std::string_view w) {
  static const char* kNames[] = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
  if (w.size() < 3) return 0;
  std::string l = text::to_lower(w.substr(0, 3));
  for (int i = 0; i < 12; ++i)
    if (l == kNames[i]) return i + 1;
  return 0;
}

}  // namespace

std::optional<std::string> parse_date(std::string_view s, std::optional<int> letter_year) {
  s = text::trim(s);
  if (s.empty()) return std::nullopt;
  if (std::isdigit(static_cast<unsigned char>(s[0]))) {
    int a, b, c;
    std::size_t i = 0, n;
    if ((n = read_num(s, i, 4, a)) == 0) return std::nullopt;
    if (n == 4) {  // ISO YYYY-MM-DD
      i += n;
      if (i >= s.size() || s[i] != '-') return std::nullopt;
      std::size_t mn = read_num(s, ++i, 2, b);
      if (mn == 0) return std::nullopt;
      i += mn;
      if (i >= s.size() || s[i] != '-') return std::nullopt;
      std::size_t dn = read_num(s, ++i, 2, c);
      if (dn == 0 || i + dn != s.size()) return std::nullopt;
      if (!valid_ymd(a, b, c)) return std::nullopt;
      return iso(a, b, c);
    }
    if (n > 2) return std::nullopt;
    i += n;
    if (i >= s.size() || (s[i] != '/' && s[i] != '-' && s[i] != '.')) return std::nullopt;
    char sep = s[i++];
    if ((n = read_num(s, i, 2, b)) == 0) return std::nullopt;
    i += n;
    if (i >= s.size() || s[i] != sep) return std::nullopt;
    ++i;
    std::size_t yn = read_num(s, i, 4, c);
    if (yn != 2 && yn != 4) return std::nullopt;
    i += yn;
    if (i != s.size()) return std::nullopt;
    int y = expand_year(c, yn, letter_year);
    if (!valid_ymd(y, a, b)) return std::nullopt;
    return iso(y, a, b);
  }
  // "January 5, 2016" / "Jan. 5, 2016"
  std::size_t i = 0;
  while (i < s.size() && std::isalpha(static_cast<unsigned char>(s[i]))) ++i;
  int m = month_from_name(s.substr(0, i));
  if (m == 0) return std::nullopt;
  if (i < s.size() && s[i] == '.') ++i;
  while (i < s.size() && s[i] == ' ') ++i;
  int d, y;
  std::size_t n = read_num(s, i, 2, d);
  if (n == 0) return std::nullopt;
  i += n;
  if (i < s.size() && s[i] == ',') ++i;
  while (i < s.size() && s[i] == ' ') ++i;
  n = read_num(s, i, 4, y);
  if (n != 4 || i + n != s.size()) return std::nullopt;
  if (!valid_ymd(y, m, d)) return std::nullopt;
  return iso(y, m, d);
}

bool is_iso_date(std::string_view s) {
  if (s.size() != 10) return false;
  auto p = parse_date(s);
  return p && *p == s;
}

}  // namespace imr::letter
