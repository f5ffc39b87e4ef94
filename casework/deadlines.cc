#include "imr/casework/deadlines.h"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <set>

#include "imr/base/data.h"
#include "imr/base/text.h"
#include "tsv.h"

namespace imr::casework {

Time Span::after(Time from, const HolidayCalendar& cal) const {
  switch (unit) {
    case kHours: return from + Time{amount} * 3600;
    case kCalendarDays: return end_of(date_of(from) + amount);
    case kBusinessDays: return end_of(cal.add_business_days(date_of(from), amount));
  }
  return from;
}

std::string Span::to_string() const {
  const char* u = unit == kHours ? " hours" : unit == kBusinessDays ? " business days" : " calendar days";
  return std::to_string(amount) + u;
}

const char* to_string(NoticeMethod m) { return m == NoticeMethod::kMail ? "mail" : "electronic"; }

std::optional<NoticeMethod> parse_notice_method(std::string_view s) {
  std::string w = text::to_lower(text::trim(s));
  if (w == "mail") return NoticeMethod::kMail;
  if (w == "electronic" || w == "fax" || w == "email") return NoticeMethod::kElectronic;
  return std::nullopt;
}

Date DeadlineRules::ur_service_date(Date ur_decision, NoticeMethod served_by) const {
  return ur_decision + (served_by == NoticeMethod::kMail ? mail_service_extension_days : 0);
}

bool DeadlineRules::application_timely(Date ur_decision, NoticeMethod served_by, Date received) const {
  Time due = application_window.after(start_of(ur_service_date(ur_decision, served_by)), HolidayCalendar::standard());
  return start_of(received) <= due;
}

Time DeadlineRules::records_due(Time notice_sent, NoticeMethod method, bool expedited, const HolidayCalendar& cal) const {
  const Span& s = expedited ? records_expedited : method == NoticeMethod::kMail ? records_mail : records_electronic;
  return s.after(notice_sent, cal);
}

Time DeadlineRules::determination_due(Time complete, bool expedited, bool formulary, const HolidayCalendar& cal) const {
  // Expedited is the shortest; a formulary dispute uses its own limit once the formulary applies.
  if (expedited) return determination_expedited.after(complete, cal);
  if (formulary && determination_formulary) return determination_formulary->after(complete, cal);
  return determination_regular.after(complete, cal);
}

int DeadlineRules::late_records_penalty(Time due, Time at) const {
  if (at <= due || late_records_penalty_per_day <= 0) return 0;
  Time late = at - due;
  std::int64_t days = (late + 86399) / 86400;
  return static_cast<int>(std::min<std::int64_t>(days * late_records_penalty_per_day, late_records_penalty_cap));
}

namespace {

bool to_int(const std::string& s, int& out) {
  auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size() && out >= 0;
}

Result<Span> span(const std::vector<std::string>& f) {
  Span s;
  if (f.size() != 3 || !to_int(f[1], s.amount)) return unrecognized(f[0] + ": expected a count and a unit");
  if (f[2] == "calendar_days") s.unit = Span::kCalendarDays;
  else if (f[2] == "business_days") s.unit = Span::kBusinessDays;
  else if (f[2] == "hours") s.unit = Span::kHours;
  else return unrecognized(f[0] + ": unit must be calendar_days, business_days or hours");
  return s;
}

Result<DeadlineRules> load_version(const std::string& path) {
  DeadlineRules r;
  std::set<std::string> seen;
  auto set_span = [](Span& dst, const std::vector<std::string>& f) -> Status {
    auto s = span(f);
    if (!s.ok()) return s.status();
    dst = *s;
    return {};
  };
  auto set_int = [](int& dst, const std::vector<std::string>& f) -> Status {
    if (f.size() != 2 || !to_int(f[1], dst)) return unrecognized(f[0] + ": expected a non-negative number");
    return {};
  };
  IMR_RETURN_IF_ERROR(internal::read_tsv(path, [&](const std::vector<std::string>& f, int) -> Status {
    const std::string& k = f[0];
    if (f.size() < 2) return unrecognized(k + ": no value");
    if (!seen.insert(k).second) return unrecognized(k + ": given twice");
    if (k == "effective") {
      auto d = parse_date(f[1]);
      if (!d) return unrecognized("effective: not a date");
      r.effective = *d;
      r.version = f[1];
      return {};
    }
    if (k == "source") return r.source = f[1], Status();
    if (k == "application_window") return set_span(r.application_window, f);
    if (k == "mail_service_extension_days") return set_int(r.mail_service_extension_days, f);
    if (k == "noarfi") return set_span(r.noarfi, f);
    if (k == "records_mail") return set_span(r.records_mail, f);
    if (k == "records_electronic") return set_span(r.records_electronic, f);
    if (k == "records_expedited") return set_span(r.records_expedited, f);
    if (k == "determination_regular") return set_span(r.determination_regular, f);
    if (k == "determination_expedited") return set_span(r.determination_expedited, f);
    if (k == "determination_formulary") {
      if (f[1] == "none") return {};
      Span s;
      IMR_RETURN_IF_ERROR(set_span(s, f));
      r.determination_formulary = s;
      return {};
    }
    if (k == "formulary_disputes") {
      if (f[1] != "yes" && f[1] != "no") return unrecognized("formulary_disputes: yes or no");
      r.formulary_disputes = f[1] == "yes";
      return {};
    }
    if (k == "late_records_penalty_per_day") return set_int(r.late_records_penalty_per_day, f);
    if (k == "late_records_penalty_cap") return set_int(r.late_records_penalty_cap, f);
    if (k == "missing_ur_cure_days") return set_int(r.missing_ur_cure_days, f);
    if (k == "ur_outcomes_in_scope") return r.ur_outcomes_in_scope = text::split_list(f[1], ','), Status();
    return unrecognized("unknown key '" + k + "'");
  }));
  static const char* const kRequired[] = {
      "effective", "source", "application_window", "mail_service_extension_days", "noarfi", "records_mail",
      "records_electronic", "records_expedited", "determination_regular", "determination_expedited",
      "determination_formulary", "formulary_disputes", "late_records_penalty_per_day", "late_records_penalty_cap",
      "missing_ur_cure_days", "ur_outcomes_in_scope"};
  for (const char* k : kRequired)
    if (!seen.count(k)) return unrecognized(path + ": missing key '" + k + "'");
  if (std::filesystem::path(path).stem().string() != r.version)
    return unrecognized(path + ": file name must be the effective date " + r.version);
  return r;
}

}  // namespace

Result<DeadlineBook> DeadlineBook::load(const std::string& dir) {
  std::string d = dir.empty() ? data_path("casework/deadlines") : dir;
  std::error_code ec;
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(d, ec))
    if (e.path().extension() == ".tsv") files.push_back(e.path().string());
  if (ec) return not_found(d + ": cannot list deadline rules: " + ec.message());
  if (files.empty()) return not_found(d + ": no deadline rule files");
  DeadlineBook book;
  for (const auto& f : files) {
    auto v = load_version(f);
    if (!v.ok()) return v.status();
    book.versions_.push_back(std::move(*v));
  }
  std::sort(book.versions_.begin(), book.versions_.end(),
            [](const DeadlineRules& a, const DeadlineRules& b) { return a.effective < b.effective; });
  return book;
}

const DeadlineBook& DeadlineBook::standard() { return internal::load_once<DeadlineBook>().first; }
const std::string& DeadlineBook::load_error() { return internal::load_once<DeadlineBook>().second; }

Result<const DeadlineRules*> DeadlineBook::for_date(Date d) const {
  const DeadlineRules* found = nullptr;
  for (const auto& v : versions_)
    if (v.effective <= d) found = &v;
  if (!found)
    return not_found("no IMR deadline rules in force on " + to_iso(d) +
                     (versions_.empty() ? std::string(" (no rules loaded)") : " (the first take effect " + versions_[0].version + ")"));
  return found;
}

}  // namespace imr::casework
