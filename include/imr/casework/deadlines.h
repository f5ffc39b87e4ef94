// The IMR time limits as versioned data: data/casework/deadlines/<effective-date>.tsv, one
// complete rule set per file, the version chosen by a date (the application's receipt date: the
// rules in force when the application arrived govern the case). 8 CCR 9792.10.1-9792.10.6, LC
// 4610.5-4610.6; see each file's comments for sources.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "imr/base/result.h"
#include "imr/casework/calendar.h"

namespace imr::casework {

// A length of time as a rule counts it.
struct Span {
  enum Unit { kCalendarDays, kBusinessDays, kHours } unit = kCalendarDays;
  int amount = 0;
  // The moment `amount` units after `from`: day units end at the end of the resulting day
  // (counting starts the day after `from`); business days skip weekends and state holidays.
  Time after(Time from, const HolidayCalendar& cal) const;
  std::string to_string() const;  // "30 calendar days", "5 business days", "24 hours"
  bool operator==(const Span&) const = default;
};

enum class NoticeMethod { kMail, kElectronic };
const char* to_string(NoticeMethod m);
std::optional<NoticeMethod> parse_notice_method(std::string_view s);  // "mail"|"electronic"|"fax"|"email"

struct DeadlineRules {
  std::string version;  // the file's effective date, "2018-01-01"
  Date effective;
  std::string source;   // the file's "source" line: what changed and where it is written

  Span application_window;        // from service of the written UR decision (9792.10.1(b)(1))
  int mail_service_extension_days = 0;  // added when the UR decision was served by mail
  Span noarfi;                     // eligibility finding -> Notice of Assignment (9792.10.4)
  Span records_mail, records_electronic, records_expedited;  // 9792.10.5(a)(1)
  Span determination_regular, determination_expedited;       // LC 4610.6(d), 9792.10.6
  std::optional<Span> determination_formulary;               // from 2018 (AB 1124, LC 4610.6(d)(1))
  int late_records_penalty_per_day = 0;  // dollars; 0 before enforcement (9792.12(c)(6))
  int late_records_penalty_cap = 0;
  // When the UR decision is not attached: 0 = ineligible at once; n = a reminder allows n days.
  int missing_ur_cure_days = 0;
  std::vector<std::string> ur_outcomes_in_scope;  // "modified", "denied", ("delayed")
  bool formulary_disputes = false;

  // When the UR decision was served: its date, plus the mail extension when mailed.
  Date ur_service_date(Date ur_decision, NoticeMethod served_by) const;
  // True when an application received on `received` is within the window.
  bool application_timely(Date ur_decision, NoticeMethod served_by, Date received) const;
  Time records_due(Time notice_sent, NoticeMethod method, bool expedited, const HolidayCalendar& cal) const;
  // Due date of the Final Determination, counted from `complete` (the later of application and
  // records received).
  Time determination_due(Time complete, bool expedited, bool formulary, const HolidayCalendar& cal) const;
  // Penalty accrued for records received (or still missing) at `at` against `due`: per started
  // day late, capped. 0 before enforcement.
  int late_records_penalty(Time due, Time at) const;
};

// Every version, oldest first.
class DeadlineBook {
 public:
  // Reads every *.tsv in `dir` (default data/casework/deadlines). kUnrecognized names the file and
  // line of a bad or missing key; versions must have distinct effective dates.
  static Result<DeadlineBook> load(const std::string& dir = "");
  // The default book, loaded once (empty with load_error() on failure).
  static const DeadlineBook& standard();
  static const std::string& load_error();

  // The version in force on `d`: the latest whose effective date is <= d. kNotFound before the
  // first version (IMR began 2013-01-01).
  Result<const DeadlineRules*> for_date(Date d) const;
  const std::vector<DeadlineRules>& versions() const { return versions_; }

 private:
  std::vector<DeadlineRules> versions_;
};

}  // namespace imr::casework
