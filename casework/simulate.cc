// The simulation driver. Synthetic parties come from fixed pools so that reviewers' affiliations
// meet cases' parties (conflicts happen); the specialty mix follows the 2016 reviewer sample and
// the DWC's category shares (../shared/docs/imr-domain.md §5). Every random choice is a pure
// function of (seed, stream, index), so the n-th application is the same in every run: that is
// what lets a killed run resume from the database alone.
#include "imr/casework/simulate.h"

#include <chrono>
#include <cmath>
#include <nlohmann/json.hpp>
#include <queue>

namespace imr::casework {
namespace {

std::uint64_t mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

class Rng {
 public:
  Rng(std::uint64_t seed, std::uint64_t stream, std::uint64_t index) : s_(mix(seed ^ mix(stream * 1000003ULL + mix(index)))) {}
  std::uint64_t next() { return s_ = mix(s_); }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  int range(int lo, int hi) { return lo + static_cast<int>(next() % static_cast<std::uint64_t>(hi - lo + 1)); }
  bool chance(double p) { return uniform() < p; }
  template <typename T, std::size_t N>
  const T& weighted(const T (&table)[N]) {
    double total = 0;
    for (const auto& t : table) total += t.weight;
    double x = uniform() * total;
    for (const auto& t : table)
      if ((x -= t.weight) < 0) return t;
    return table[N - 1];
  }

 private:
  std::uint64_t s_;
};

enum Stream : std::uint64_t { kReviewer = 1, kApplication = 2, kPlan = 3 };

struct SpecialtyMix {
  const char* specialty;
  const char* subspecialty;
  double weight;
};
// The 2016 sample's reviewers (imr-domain.md §5.1: preventive 61, occupational 60, family 50,
// PM&R 39, pain 30 ...), widened with the surgical and mental-health specialties cases need.
const SpecialtyMix kSpecialties[] = {
    {"Preventive Medicine", "Occupational Medicine", 61}, {"Occupational Medicine", "", 30},
    {"Family Practice", "", 50},                          {"Physical Medicine and Rehabilitation", "Pain Medicine", 39},
    {"Anesthesiology", "Pain Medicine", 30},              {"Internal Medicine", "", 20},
    {"Orthopaedic Surgery", "Sports Medicine", 30},       {"Neurology", "", 8},
    {"Neurological Surgery", "", 5},                      {"Psychiatry", "", 8},
    {"Psychology", "", 8},                                {"Chiropractic", "", 6},
    {"Acupuncture", "", 3},                               {"Hand Surgery", "", 3},
    {"Podiatry", "", 3},                                  {"Radiology", "", 3},
    {"Emergency Medicine", "", 4},
};

struct CategoryMix {
  const char* category;
  const char* subcategory;
  double weight;
  const char* requests[3];
};
// DWC 2024 shares: pharmacy ~33%, rehabilitation ~21%, diagnostics ~12% (healthesystems.com).
const CategoryMix kCategories[] = {
    {"Pharmaceuticals", "Opioids", 8, {"Norco 10/325mg #60", "Oxycodone 10mg #90", "Tramadol ER 150mg #30"}},
    {"Pharmaceuticals", "Topical analgesics and compounds", 6, {"Lidoderm patch #30", "Flurbiprofen cream 120g", "Terocin patch #20"}},
    {"Pharmaceuticals", "Muscle relaxants", 5, {"Cyclobenzaprine 7.5mg #60", "Tizanidine 4mg #60", "Baclofen 10mg #90"}},
    {"Pharmaceuticals", "NSAIDs", 5, {"Naproxen 550mg #60", "Meloxicam 15mg #30", "Celebrex 200mg #30"}},
    {"Pharmaceuticals", "Antidepressants/anticonvulsants", 5, {"Gabapentin 600mg #90", "Duloxetine 60mg #30", "Pregabalin 75mg #60"}},
    {"Pharmaceuticals", "Other pharmaceuticals", 4, {"Omeprazole 20mg #60", "Zolpidem 10mg #30", "Ondansetron 8mg #20"}},
    {"Physical medicine", "PT/OT", 13, {"Physical therapy 12 sessions", "Occupational therapy 8 sessions", "Aquatic therapy 6 sessions"}},
    {"Physical medicine", "Chiropractic", 4, {"Chiropractic 6 sessions", "Chiropractic manipulation 8 visits", "Chiropractic 12 visits"}},
    {"Physical medicine", "Acupuncture", 4, {"Acupuncture 6 sessions", "Acupuncture 12 sessions", "Electroacupuncture 6 sessions"}},
    {"Diagnostic tests", "Imaging", 8, {"MRI of the lumbar spine", "MRI of the right shoulder", "CT scan of the cervical spine"}},
    {"Diagnostic tests", "Electrodiagnostic", 4, {"EMG/NCV of the bilateral lower extremities", "NCV of the upper extremities", "EMG of the left arm"}},
    {"Injections", "Epidural", 4, {"Lumbar epidural steroid injection L4-L5", "Cervical epidural steroid injection", "Transforaminal ESI L5-S1"}},
    {"Injections", "Joint", 3, {"Right knee cortisone injection", "Shoulder subacromial injection", "Hip joint injection"}},
    {"DMEPOS", "Electrical stimulation units", 3, {"TENS unit purchase", "Interferential unit rental", "H-wave device"}},
    {"DMEPOS", "Braces and supports", 3, {"Lumbar brace", "Knee brace", "Wrist splint"}},
    {"Evaluation and management", "Office visits", 4, {"Follow-up visit", "Pain management consultation", "Orthopedic follow-up"}},
    {"Surgery", "Surgical procedure", 5, {"Right shoulder arthroscopy", "L4-L5 lumbar fusion", "Carpal tunnel release"}},
    {"Behavioral health", "Psychotherapy", 4, {"Cognitive behavioral therapy 6 sessions", "Psychotherapy 12 sessions", "Biofeedback 6 sessions"}},
    {"Programs", "Functional restoration", 3, {"Functional restoration program 80 hours", "HELP program", "Work hardening 10 sessions"}},
    {"Other", "Other", 2, {"Home health aide", "Transportation to appointments", "Gym membership"}},
};
struct Region {
  const char* region;
  double weight;
};
const Region kRegions[] = {{"lumbar", 30}, {"cervical", 15}, {"shoulder", 14}, {"knee", 12},     {"wrist/hand", 9},
                           {"multiple", 8}, {"hip", 4},       {"elbow", 3},     {"ankle/foot", 3}, {"head", 2}};
const char* const kStates[] = {"Texas", "New York", "Florida", "Arizona", "Oregon", "Nevada", "Washington", "Ohio"};

// Party pools: small enough that reviewers' ties meet cases' parties.
constexpr int kEmployers = 400, kInsurers = 40, kAdministrators = 60, kPhysicians = 3000, kGroups = 300, kFacilities = 150,
              kAttorneys = 300, kMakers = 30;
std::string pooled(const char* kind, int n) { return std::string(kind) + " " + std::to_string(n + 1); }
// Providers are concentrated (the top 1% generate ~45% of IMR decisions, imr-domain.md §5.2).
int skewed(Rng& r, int pool) { return static_cast<int>(pool * std::pow(r.uniform(), 3.0)) % pool; }
const char* physician_specialty(int p) {
  static const char* const kPhysicianSpecialties[] = {"Orthopaedic Surgery", "Pain Medicine", "Physical Medicine and Rehabilitation",
                                                      "Family Practice", "Chiropractic", "Occupational Medicine", "Psychiatry"};
  return kPhysicianSpecialties[mix(p) % 7];
}

ReviewerRegistration make_reviewer(std::uint64_t seed, int n) {
  Rng r(seed, kReviewer, n);
  ReviewerRegistration reg;
  reg.name = "Reviewer " + std::to_string(n + 1);
  Credentials& c = reg.reviewer.credentials;
  if (!r.chance(0.01)) c.licence_states.push_back("California");
  if (r.chance(0.4)) c.licence_states.push_back(kStates[r.range(0, 7)]);
  const SpecialtyMix& s = r.weighted(kSpecialties);
  c.specialties.push_back(s.specialty);
  if (*s.subspecialty && r.chance(0.6)) c.subspecialties.push_back(s.subspecialty);
  bool nonphysician = std::string(s.specialty) == "Psychology" || std::string(s.specialty) == "Chiropractic" ||
                      std::string(s.specialty) == "Acupuncture";
  if (!nonphysician && !r.chance(0.04)) c.board_certifications.push_back(s.specialty);
  if (!c.subspecialties.empty() && r.chance(0.5)) c.board_certifications.push_back(c.subspecialties[0]);
  c.years_active_practice = r.chance(0.05) ? r.range(2, 5) : r.range(6, 35);
  c.weekly_practice_hours = r.chance(0.05) ? r.range(8, 23) : r.range(24, 50);
  Reviewer& rv = reg.reviewer;
  rv.available = !r.chance(0.03);
  rv.capacity = r.range(40, 90);
  if (r.chance(0.3)) rv.affiliations.push_back({AffiliationKind::kInsurer, pooled("Insurer", r.range(0, kInsurers - 1))});
  if (r.chance(0.2)) rv.affiliations.push_back({AffiliationKind::kInsurer, pooled("Claims Administrator", r.range(0, kAdministrators - 1))});
  if (r.chance(0.3)) rv.affiliations.push_back({AffiliationKind::kProviderGroup, pooled("Medical Group", r.range(0, kGroups - 1))});
  if (r.chance(0.3)) rv.affiliations.push_back({AffiliationKind::kFacility, pooled("Facility", r.range(0, kFacilities - 1))});
  if (r.chance(0.15)) rv.affiliations.push_back({AffiliationKind::kManufacturer, pooled("Maker", r.range(0, kMakers - 1))});
  if (r.chance(0.2)) rv.affiliations.push_back({AffiliationKind::kEmployer, pooled("Employer", skewed(r, kEmployers))});
  return reg;
}

// What happens to a case after assignment, decided up front.
struct Plan {
  bool terminate, never_records, late;
  int records_hours;  // after the notice, for records that arrive
  int review_hours;   // records (or review start) to decision
  bool overturn[3];
};

Plan make_plan(std::uint64_t seed, std::int64_t i, bool expedited, bool formulary, const SimulationOptions& o) {
  Rng r(seed, kPlan, static_cast<std::uint64_t>(i));
  Plan p{};
  p.terminate = r.chance(o.terminated_share);
  p.never_records = r.chance(o.missing_records_share);
  p.late = r.chance(o.late_records_share);
  if (expedited) {
    p.records_hours = p.late ? 24 + r.range(1, 48) : r.range(2, 20);
    p.review_hours = r.chance(0.05) ? r.range(80, 120) : r.range(6, 60);
  } else {
    p.records_hours = p.late ? (12 + r.range(1, 12)) * 24 : r.range(1, 11) * 24;
    // Formulary disputes have 5 working days; most are decided within them.
    p.review_hours = formulary ? (r.chance(0.05) ? r.range(8, 12) : r.range(1, 6)) * 24
                               : (r.chance(0.05) ? r.range(27, 40) : r.range(3, 26)) * 24;
  }
  for (bool& b : p.overturn) b = r.chance(0.11);
  return p;
}

Application base_application(std::uint64_t seed, std::int64_t i, Time received) {
  Rng r(seed, kApplication, static_cast<std::uint64_t>(i));
  Application a;
  a.received = to_iso_time(received);
  a.claim_number = "SIM-" + std::to_string(seed) + "-" + std::to_string(i);
  Date day = date_of(received);
  a.ur_decision_date = to_iso(day + (-r.range(3, 25)));
  a.ur_served_by = r.chance(0.3) ? NoticeMethod::kMail : NoticeMethod::kElectronic;
  a.notice_method = r.chance(0.2) ? NoticeMethod::kMail : NoticeMethod::kElectronic;
  a.ur_outcome = r.chance(0.25) ? "modified" : "denied";
  a.priority = letter::Priority::kStandard;
  a.date_of_injury = to_iso(day + (-r.range(60, 1500)));
  a.parties.push_back({PartyKind::kWorker, "Worker " + std::to_string(seed) + "-" + std::to_string(i)});
  if (r.chance(0.6)) a.parties.push_back({PartyKind::kAttorney, pooled("Attorney", skewed(r, kAttorneys))});
  a.parties.push_back({PartyKind::kEmployer, pooled("Employer", skewed(r, kEmployers))});
  a.parties.push_back({PartyKind::kInsurer, pooled("Insurer", skewed(r, kInsurers))});
  a.parties.push_back({PartyKind::kClaimsAdministrator, pooled("Claims Administrator", skewed(r, kAdministrators))});
  int physician = skewed(r, kPhysicians);
  a.parties.push_back({PartyKind::kPhysician, pooled("Dr. Physician", physician)});
  a.parties.push_back({PartyKind::kProviderGroup, pooled("Medical Group", physician % kGroups)});
  a.parties.push_back({PartyKind::kFacility, pooled("Facility", physician % kFacilities)});
  a.physician_specialty = physician_specialty(physician);
  int items = r.chance(0.6) ? 1 : r.range(2, 3);
  const Region& region = r.weighted(kRegions);
  for (int k = 0; k < items; ++k) {
    const CategoryMix& c = r.weighted(kCategories);
    a.items.push_back({c.requests[r.range(0, 2)], c.category, c.subcategory, region.region});
    if (std::string(c.category) == "Pharmaceuticals") {
      if (r.chance(0.5)) a.parties.push_back({PartyKind::kManufacturer, pooled("Maker", r.range(0, kMakers - 1))});
      a.formulary = a.formulary || r.chance(0.3);
    }
  }
  return a;
}

// The application of case i, with the ineligibility and duplication the mix calls for.
Application make_application(std::uint64_t seed, std::int64_t i, Time received, const SimulationOptions& o,
                             const std::function<Time(std::int64_t)>& received_of) {
  Rng r(seed, kApplication + 100, static_cast<std::uint64_t>(i));
  double u = r.uniform();
  Application a;
  if (u < 0.01 && i > 50) {
    // The same application filed again (a duplicate): an earlier case's form, received now.
    std::int64_t j = i - 1 - static_cast<std::int64_t>(mix(i) % 50);
    a = base_application(seed, j, received_of(j));
    a.received = to_iso_time(received);
    a.claim_number = "SIM-" + std::to_string(seed) + "-" + std::to_string(i);
    return a;
  }
  a = base_application(seed, i, received);
  if (u >= 0.01 && u < 0.015 && i > 30000) {
    // The same treatment again, after an earlier IMR decided it (a new UR decision).
    std::int64_t j = i - 20000 - static_cast<std::int64_t>(mix(i) % 10000);
    Application earlier = base_application(seed, j, received_of(j));
    a.parties[0] = earlier.parties[0];
    a.date_of_injury = earlier.date_of_injury;
    a.items[0] = earlier.items[0];
  } else if (u < 0.03) {
    a.is_signed = false;
  } else if (u < 0.05) {
    a.ur_decision_date = to_iso(date_of(received) + (-r.range(40, 90)));  // untimely
  } else if (u < 0.065) {
    a.ur_decision_attached = false;
  } else if (u < 0.075) {
    a.ur_outcome = "conditional_non_certification";
  } else if (u < 0.085) {
    a.liability_dispute = true;
  }
  if (r.chance(o.expedited_share)) a.priority = letter::Priority::kExpedited;
  return a;
}

Determination make_determination(const Application& a, const Plan& p) {
  Determination d;
  d.clinical_summary = "Synthetic case for simulation.";
  for (std::size_t k = 0; k < a.items.size(); ++k) {
    ItemDecision it;
    it.decision = p.overturn[k % 3] ? letter::Decision::kOverturned : letter::Decision::kUpheld;
    it.rationale = it.decision == letter::Decision::kOverturned ? "The guideline criteria are met." : "The guideline criteria are not met.";
    it.reviewer_basis = "MTUS Chronic Pain Medical Treatment Guidelines";
    d.items.push_back(std::move(it));
  }
  return d;
}

struct Agenda {
  Time at;
  std::int64_t index;
  std::string case_number;
  bool operator>(const Agenda& o) const { return at != o.at ? at > o.at : index > o.index; }
};

std::int64_t index_of(const CaseRecord& c) {
  auto dash = c.application.claim_number.rfind('-');
  return dash == std::string::npos ? -1 : std::strtoll(c.application.claim_number.c_str() + dash + 1, nullptr, 10);
}

// When the case's next step happens, given its state (nullopt: nothing more, or assignment,
// which the end-of-day pass does).
std::optional<Time> next_step(const CaseRecord& c, const Plan& p) {
  switch (c.state) {
    case State::kReceived: return c.received_at() + 86400;
    case State::kIneligible: return c.updated_at + 3600;
    case State::kRecordsRequested:
      if (p.terminate) return *c.noarfi_at + 2 * 86400;
      if (p.never_records) return *c.records_due + 2 * 86400;
      return *c.noarfi_at + Time{p.records_hours} * 3600;
    case State::kUnderReview: return c.updated_at + Time{p.review_hours} * 3600;
    case State::kDecided:
    case State::kLetterIssued: return c.updated_at + 3600;
    default: return std::nullopt;
  }
}

}  // namespace

std::string to_json(const SimulationReport& r) {
  nlohmann::ordered_json j;
  j["applications"] = r.applications;
  j["eligible"] = r.eligible;
  j["ineligible"] = r.ineligible;
  j["ineligible_by_reason"] = r.ineligible_by_reason;
  j["assigned"] = r.assigned;
  j["decided"] = r.decided;
  j["decided_on_time"] = r.decided_on_time;
  j["share_on_time"] = r.share_on_time;
  j["mean_days_to_decision"] = r.mean_days_to_decision;
  j["mean_days_records_to_decision"] = r.mean_days_records_to_decision;
  j["letters"] = r.letters;
  j["closed"] = r.closed;
  j["terminated"] = r.terminated;
  j["open"] = r.open;
  j["late_records"] = r.late_records;
  j["late_records_penalties_usd"] = r.late_records_penalties;
  j["reviewers"] = r.reviewers;
  j["reviewers_used"] = r.reviewers_used;
  j["load"] = {{"mean", r.load_mean}, {"stddev", r.load_stddev}, {"min", r.load_min}, {"max", r.load_max}};
  j["conflicts_avoided"] = r.conflicts_avoided;
  j["cases_without_reviewer"] = r.cases_without_reviewer;
  j["still_without_reviewer"] = r.still_without_reviewer;
  j["seconds"] = r.seconds;
  j["resumed"] = r.resumed;
  return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

Result<SimulationReport> simulate(Casebook& book, const SimulationOptions& o) {
  auto t0 = std::chrono::steady_clock::now();
  if (o.months < 1 || o.months > 240) return invalid_argument("--months must be 1..240");
  if (o.cases_per_month < 1 || o.cases_per_month > 10000000) return invalid_argument("--cases-per-month must be positive");
  if (o.reviewers < 1 || o.reviewers > 1000000) return invalid_argument("--reviewers must be positive");
  auto start = parse_date(o.start);
  if (!start) return invalid_argument("start: not a date");
  int sy, sm, sd;
  civil(*start, sy, sm, sd);
  Date end = make_date(sy + (sm - 1 + o.months) / 12, (sm - 1 + o.months) % 12 + 1, 1);
  const int days = end - *start;
  const std::int64_t total = std::int64_t{o.cases_per_month} * o.months;
  auto first_of_day = [&](int d) { return total * d / days; };
  auto received_of = [&](std::int64_t i) -> Time {
    int d = static_cast<int>((i * days) / total);
    while (d + 1 < days && first_of_day(d + 1) <= i) ++d;
    while (d > 0 && first_of_day(d) > i) --d;
    std::int64_t within = i - first_of_day(d), count = std::max<std::int64_t>(1, first_of_day(d + 1) - first_of_day(d));
    return start_of(*start + d) + 8 * 3600 + (within * 9 * 3600) / count;  // 08:00 to 17:00
  };
  const std::string key = "simulate seed=" + std::to_string(o.seed) + " start=" + o.start + " months=" +
                          std::to_string(o.months) + " cases_per_month=" + std::to_string(o.cases_per_month) +
                          " reviewers=" + std::to_string(o.reviewers);
  SimulationReport report;
  auto progress = book.simulation_progress(key);
  if (!progress.ok()) return progress.status();
  int done = *progress;
  if (done < 0) {
    IMR_RETURN_IF_ERROR(book.run_in_transaction([&]() -> Status {
      Actor registrar{"simulator", start_of(*start)};
      for (int n = 0; n < o.reviewers; ++n) {
        auto r = book.add_reviewer(make_reviewer(o.seed, n), registrar);
        if (!r.ok()) return r.status();
      }
      IMR_RETURN_IF_ERROR(book.set_simulation_progress(key + " conflicts", 0));
      IMR_RETURN_IF_ERROR(book.set_simulation_progress(key + " no_reviewer", 0));
      return book.set_simulation_progress(key, 0);
    }));
    done = 0;
  }
  auto conflicts = book.simulation_progress(key + " conflicts");
  auto no_reviewer = book.simulation_progress(key + " no_reviewer");
  if (!conflicts.ok()) return conflicts.status();
  if (!no_reviewer.ok()) return no_reviewer.status();
  std::int64_t conflicts_avoided = std::max(0, *conflicts), without_reviewer = std::max(0, *no_reviewer);

  std::priority_queue<Agenda, std::vector<Agenda>, std::greater<>> agenda;
  auto plan_of = [&](const CaseRecord& c) {
    return make_plan(o.seed, index_of(c), c.application.priority == letter::Priority::kExpedited, c.application.formulary, o);
  };
  auto schedule = [&](const CaseRecord& c) {
    if (auto at = next_step(c, plan_of(c))) agenda.push({*at, index_of(c), c.case_number});
  };
  if (done > 0) {
    // Resuming: the open cases and their next steps follow from the stored records alone.
    report.resumed = true;
    auto all = book.list({});
    if (!all.ok()) return all.status();
    for (const auto& c : *all) schedule(c);
  }

  for (int d = done; d < days; ++d) {
    Time day_start = start_of(*start + d), day_end = day_start + 86400;
    Status s = book.run_in_transaction([&]() -> Status {
      for (std::int64_t i = first_of_day(d); i < first_of_day(d + 1); ++i) {
        Time at = received_of(i);
        auto c = book.receive(make_application(o.seed, i, at, o, received_of), Actor{"intake", at});
        if (!c.ok()) return c.status();
        schedule(*c);
      }
      while (!agenda.empty() && agenda.top().at < day_end) {
        Agenda step = agenda.top();
        agenda.pop();
        Actor actor{"simulator", step.at};
        auto c = book.get(step.case_number);
        if (!c.ok()) return c.status();
        Plan p = plan_of(*c);
        Result<CaseRecord> next = *c;
        switch (c->state) {
          case State::kReceived: next = book.screen(step.case_number, Actor{"screening", step.at}); break;
          case State::kIneligible:
          case State::kLetterIssued: next = book.close(step.case_number, actor); break;
          case State::kRecordsRequested:
            next = p.terminate       ? book.terminate(step.case_number, "treatment authorised", actor)
                   : p.never_records ? book.review_without_records(step.case_number, actor)
                                     : book.receive_records(step.case_number, actor);
            break;
          case State::kUnderReview: next = book.decide(step.case_number, make_determination(c->application, p), actor); break;
          case State::kDecided: {
            auto issued = book.issue_letter(step.case_number, actor);
            if (!issued.ok()) return issued.status();
            next = issued->first;
            break;
          }
          default: continue;
        }
        if (!next.ok()) return next.status();
        schedule(*next);
      }
      // End of the day: assignment, earliest deadline first.
      Time assign_at = day_start + 17 * 3600;
      auto outcomes = book.assign_pending(Actor{"assignment", assign_at});
      if (!outcomes.ok()) return outcomes.status();
      for (const auto& out : *outcomes) {
        if (out.explanation.reviewer_id) {
          conflicts_avoided += out.explanation.conflicts_avoided;
          schedule(out.record);
        } else if (date_of(out.record.received_at()) + 1 == *start + d) {
          ++without_reviewer;  // first attempt (the day after receipt): counted once per case
        }
      }
      IMR_RETURN_IF_ERROR(book.set_simulation_progress(key + " conflicts", static_cast<int>(conflicts_avoided)));
      IMR_RETURN_IF_ERROR(book.set_simulation_progress(key + " no_reviewer", static_cast<int>(without_reviewer)));
      return book.set_simulation_progress(key, d + 1);
    });
    if (!s.ok()) return s.with_context("simulated day " + to_iso(*start + d));
    if (o.progress) o.progress(d + 1, days);
  }

  // The report, from the stored cases (so a resumed run reports the whole run).
  auto all = book.list({});
  if (!all.ok()) return all.status();
  auto reviewers = book.reviewers();
  if (!reviewers.ok()) return reviewers.status();
  std::map<std::int64_t, std::int64_t> per_reviewer;
  double days_total = 0, records_days_total = 0;
  std::int64_t with_records = 0;
  for (const auto& c : *all) {
    ++report.applications;
    if (c.ineligible_reason) ++report.ineligible, ++report.ineligible_by_reason[to_string(*c.ineligible_reason)];
    else if (c.state != State::kReceived) ++report.eligible;
    if (c.reviewer_id) ++report.assigned;
    if (c.determination && c.decided_at) {
      ++report.decided;
      ++per_reviewer[c.reviewer_id.value_or(0)];
      if (c.determination_due && *c.decided_at <= *c.determination_due) ++report.decided_on_time;
      days_total += double(*c.decided_at - c.received_at()) / 86400.0;
      if (c.records_received_at) records_days_total += double(*c.decided_at - *c.records_received_at) / 86400.0, ++with_records;
    }
    if (c.letter_issued_at) ++report.letters;
    if (c.state == State::kClosed) ++report.closed;
    if (c.state == State::kTerminated) ++report.terminated;
    if (c.state == State::kEligible) ++report.still_without_reviewer;
    if (!is_final(c.state)) ++report.open;
    if (c.late_records_penalty > 0) ++report.late_records, report.late_records_penalties += c.late_records_penalty;
  }
  report.share_on_time = report.decided ? double(report.decided_on_time) / report.decided : 0;
  report.mean_days_to_decision = report.decided ? days_total / report.decided : 0;
  report.mean_days_records_to_decision = with_records ? records_days_total / with_records : 0;
  report.reviewers = static_cast<int>(reviewers->size());
  report.reviewers_used = static_cast<int>(per_reviewer.size());
  if (!per_reviewer.empty()) {
    double sum = 0, sq = 0;
    report.load_min = per_reviewer.begin()->second;
    for (auto [id, n] : per_reviewer) {
      sum += n, sq += double(n) * n;
      report.load_min = std::min(report.load_min, n), report.load_max = std::max(report.load_max, n);
    }
    report.load_mean = sum / per_reviewer.size();
    report.load_stddev = std::sqrt(std::max(0.0, sq / per_reviewer.size() - report.load_mean * report.load_mean));
  }
  report.conflicts_avoided = conflicts_avoided;
  report.cases_without_reviewer = without_reviewer;
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return report;
}

}  // namespace imr::casework
