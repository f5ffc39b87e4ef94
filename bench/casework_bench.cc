// Casework benchmarks (Google Benchmark). Workloads:
//   BM_Assign/1000            one assignment among 1,000 reviewers, candidates from the specialty
//                             index (the path the Casebook takes); target < 1 ms
//   BM_AssignExplainAll/1000  the same, examining and explaining every reviewer
//   BM_CasebookAssign         receive + screen + assign through the in-memory Casebook
//   BM_SimulateYear           `imr simulate --months 12 --cases-per-month 15000 --reviewers 400`
//                             in memory; target < 60 s
// Run: build/bench/casework_bench [--benchmark_filter=Assign]
#include <benchmark/benchmark.h>

#include "imr/casework/assign.h"
#include "imr/casework/casebook.h"
#include "imr/casework/simulate.h"

namespace imr::casework {
namespace {

const char* const kSpecialties[] = {"Preventive Medicine", "Occupational Medicine", "Family Practice",
                                    "Physical Medicine and Rehabilitation", "Anesthesiology", "Internal Medicine",
                                    "Orthopaedic Surgery", "Neurology", "Psychiatry", "Psychology", "Chiropractic",
                                    "Neurological Surgery", "Hand Surgery", "Podiatry"};

Reviewer make_reviewer(int id) {
  Reviewer r;
  r.id = id;
  const char* s = kSpecialties[(id * 7) % 14];
  r.credentials.licence_states = {"California"};
  r.credentials.specialties = {s};
  r.credentials.board_certifications = {s};
  r.credentials.years_active_practice = 3 + id % 30;
  r.credentials.weekly_practice_hours = 20 + id % 25;
  r.capacity = 40 + id % 50;
  r.affiliations = {{AffiliationKind::kInsurer, "Insurer " + std::to_string(id % 40)},
                    {AffiliationKind::kFacility, "Facility " + std::to_string(id % 150)},
                    {AffiliationKind::kProviderGroup, "Medical Group " + std::to_string(id % 300)}};
  return r;
}

Application make_application(int n) {
  Application a;
  a.received = "2024-03-20T09:00:00";
  a.ur_decision_date = "2024-03-05";
  a.date_of_injury = "2023-01-01";
  a.physician_specialty = "Orthopaedic Surgery";
  a.claim_number = "B-" + std::to_string(n);
  a.parties = {{PartyKind::kWorker, "Worker " + std::to_string(n)},
               {PartyKind::kInsurer, "Insurer " + std::to_string(n % 40)},
               {PartyKind::kFacility, "Facility " + std::to_string(n % 150)},
               {PartyKind::kProviderGroup, "Medical Group " + std::to_string(n % 300)},
               {PartyKind::kEmployer, "Employer " + std::to_string(n % 400)}};
  a.items = {{"MRI of the lumbar spine", "Diagnostic tests", "Imaging", "lumbar"},
             {"Norco 10/325mg #60", "Pharmaceuticals", "Opioids", "lumbar"}};
  return a;
}

void run_assign(benchmark::State& state, bool explain_all) {
  Assigner as(SpecialtyMap::standard());
  for (int id = 1; id <= state.range(0); ++id) as.add(make_reviewer(id));
  std::vector<Application> apps;
  for (int n = 0; n < 64; ++n) apps.push_back(make_application(n));
  std::size_t k = 0;
  for (auto _ : state) {
    auto ex = as.choose(apps[k++ % apps.size()], explain_all);
    if (ex.reviewer_id) {
      as.adjust_load(*ex.reviewer_id, 1);
      if (k % 2 == 0) as.adjust_load(*ex.reviewer_id, -1);  // keep loads moving but below capacity
    }
    benchmark::DoNotOptimize(ex);
  }
}

void BM_Assign(benchmark::State& state) { run_assign(state, false); }
void BM_AssignExplainAll(benchmark::State& state) { run_assign(state, true); }
BENCHMARK(BM_Assign)->Arg(1000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_AssignExplainAll)->Arg(1000)->Unit(benchmark::kMicrosecond);

void BM_CasebookAssign(benchmark::State& state) {
  auto book = Casebook::open("memory:").value();
  Actor actor{"bench", *parse_time("2024-03-20T09:00")};
  for (int id = 1; id <= 1000; ++id) {
    ReviewerRegistration reg{"R" + std::to_string(id), make_reviewer(id)};
    reg.reviewer.capacity = 1000000;
    (void)book->add_reviewer(reg, actor);
  }
  int n = 0;
  for (auto _ : state) {
    auto c = book->receive(make_application(n++), actor);
    auto s = book->screen(c->case_number, actor);
    auto o = book->assign(c->case_number, actor);
    benchmark::DoNotOptimize(o);
  }
}
BENCHMARK(BM_CasebookAssign)->Unit(benchmark::kMicrosecond);

void BM_SimulateYear(benchmark::State& state) {
  for (auto _ : state) {
    auto book = Casebook::open("memory:").value();
    SimulationOptions o;
    o.months = 12;
    o.cases_per_month = 15000;
    o.reviewers = 400;
    o.seed = 1;
    auto r = simulate(*book, o);
    if (!r.ok()) state.SkipWithError(r.status().to_string().c_str());
    else state.counters["cases"] = static_cast<double>(r->applications), state.counters["on_time"] = r->share_on_time;
  }
}
BENCHMARK(BM_SimulateYear)->Iterations(1)->Unit(benchmark::kSecond);

}  // namespace
}  // namespace imr::casework

BENCHMARK_MAIN();
