// A synthetic year (or any span) of the IMR process driven through a Casebook: applications
// arrive every day, are screened, assigned (earliest deadline first), get their records (some
// late, a few never), are decided, issued and closed; a few are terminated. Everything is derived
// from the seed, so a run is reproducible and a killed run resumes where its last committed day
// ended: each simulated day is one transaction together with its progress marker.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "imr/base/result.h"
#include "imr/casework/casebook.h"

namespace imr::casework {

struct SimulationOptions {
  int months = 12;
  int cases_per_month = 15000;
  int reviewers = 400;
  std::uint64_t seed = 1;
  std::string start = "2024-01-01";  // first day (rules in force then apply)
  double expedited_share = 0.05;     // DWC: a few percent of reviews are expedited
  double late_records_share = 0.10;  // records arriving after the due date
  double missing_records_share = 0.01;  // records that never arrive (review without them)
  double terminated_share = 0.02;    // the claims administrator authorises meanwhile
  // Called after each simulated day (days done, days in all); may be empty.
  std::function<void(int, int)> progress;
};

struct SimulationReport {
  std::int64_t applications = 0, eligible = 0, ineligible = 0, assigned = 0, decided = 0, decided_on_time = 0,
               terminated = 0, letters = 0, closed = 0, open = 0;
  std::map<std::string, std::int64_t> ineligible_by_reason;
  double share_on_time = 0;            // decided on or before the determination due date
  double mean_days_to_decision = 0;    // application received -> decision
  double mean_days_records_to_decision = 0;
  std::int64_t late_records = 0, late_records_penalties = 0;  // dollars
  // Decided cases per reviewer who decided any: spread of the load.
  int reviewers = 0, reviewers_used = 0;
  double load_mean = 0, load_stddev = 0;
  std::int64_t load_min = 0, load_max = 0;
  std::int64_t conflicts_avoided = 0;        // qualified reviewers passed over for a tie to a party
  std::int64_t cases_without_reviewer = 0;   // distinct cases that found no eligible reviewer at least once
  std::int64_t still_without_reviewer = 0;   // eligible at the end, never assigned
  double seconds = 0;
  bool resumed = false;
};
std::string to_json(const SimulationReport& r);

// Runs (or resumes) the simulation in `book`. kInvalidArgument for bad options.
Result<SimulationReport> simulate(Casebook& book, const SimulationOptions& options);

}  // namespace imr::casework
