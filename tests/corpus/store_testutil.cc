#include "store_testutil.h"

#include <libpq-fe.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>

namespace imr::corpus::testing {

const std::vector<std::string>& backends() {
  static const std::vector<std::string> kBackends = {"sqlite", "postgres"};
  return kBackends;
}

namespace {

std::string pg_exec(const std::string& url, const std::string& statement) {
  PGconn* conn = PQconnectdb(url.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string m = PQerrorMessage(conn);
    PQfinish(conn);
    throw std::runtime_error("cannot connect to " + url + ": " + m);
  }
  PQsetNoticeProcessor(conn, [](void*, const char*) {}, nullptr);
  PGresult* res = PQexec(conn, statement.c_str());
  auto st = PQresultStatus(res);
  std::string out;
  if (st == PGRES_TUPLES_OK && PQntuples(res) > 0 && !PQgetisnull(res, 0, 0)) out = PQgetvalue(res, 0, 0);
  std::string err = PQresultErrorMessage(res);
  PQclear(res);
  PQfinish(conn);
  if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) throw std::runtime_error(statement + ": " + err);
  return out;
}

std::string sqlite_exec(const std::string& path, const std::string& statement) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    throw std::runtime_error("cannot open " + path);
  }
  sqlite3_busy_timeout(db, 10000);
  std::string out;
  bool first = true;
  char* err = nullptr;
  std::pair<bool*, std::string*> ctx(&first, &out);
  int rc = sqlite3_exec(
      db, statement.c_str(),
      [](void* p, int n, char** values, char**) {
        auto* f = static_cast<std::pair<bool*, std::string*>*>(p);
        if (*f->first && n > 0 && values[0]) *f->second = values[0];
        *f->first = false;
        return 0;
      },
      &ctx, &err);
  std::string m = err ? err : "";
  sqlite3_free(err);
  sqlite3_close(db);
  if (rc != SQLITE_OK) throw std::runtime_error(statement + ": " + m);
  return out;
}

}  // namespace

TestDb::TestDb(const std::string& backend) : backend_(backend) {
  static std::atomic<int> counter{0};
  int n = counter++;
  auto base = std::filesystem::temp_directory_path() /
              ("imr-store-test-" + std::to_string(getpid()) + "-" + std::to_string(n));
  std::filesystem::remove_all(base);
  std::filesystem::create_directories(base);
  dir_ = base.string();
  if (backend == "sqlite") {
    url_ = "sqlite:" + dir_ + "/imr.db";
    available_ = true;
    return;
  }
  const char* pg = std::getenv("IMR_TEST_PG_URL");
  if (!pg || !*pg) return;
  schema_ = "imr_test_" + std::to_string(getpid()) + "_" + std::to_string(n);
  pg_exec(pg, "DROP SCHEMA IF EXISTS " + schema_ + " CASCADE; CREATE SCHEMA " + schema_);
  std::string base_url = pg;
  url_ = base_url + (base_url.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + schema_;
  available_ = true;
}

TestDb::~TestDb() {
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
  if (!schema_.empty()) {
    try {
      pg_exec(std::getenv("IMR_TEST_PG_URL"), "DROP SCHEMA IF EXISTS " + schema_ + " CASCADE");
    } catch (...) {
    }
  }
}

std::string TestDb::sql(const std::string& statement) const {
  if (backend_ == "sqlite") return sqlite_exec(url_.substr(7), statement);
  return pg_exec(url_, statement);
}

std::int64_t TestDb::sql_int(const std::string& statement) const {
  std::string v = sql(statement);
  return v.empty() ? 0 : std::stoll(v);
}

namespace {

const char* const kRequests[] = {
    "MRI of the right shoulder without contrast", "Norco 10/325mg #60", "Physical therapy 2 times a week for 6 weeks",
    "Lumbar epidural steroid injection L4-L5",    "Functional restoration program", "Acupuncture 6 sessions",
};
const char* const kCategories[][2] = {
    {"Diagnostic tests", "Imaging"},   {"Pharmaceuticals", "Opioids"},       {"Physical medicine", "PT/OT"},
    {"Injections", "Epidural"},        {"Programs", "Functional restoration"}, {"Physical medicine", "Acupuncture"},
};
const char* const kRegions[] = {"shoulder", "unspecified", "lumbar", "lumbar", "multiple", "cervical"};

std::string two(int v) { return (v < 10 ? "0" : "") + std::to_string(v); }

}  // namespace

letter::Letter sample_letter(int n) {
  letter::Letter l;
  l.source = "letters/sample-" + std::to_string(n) + ".txt";
  l.template_name = "dwc-2016";
  l.case_number = "CM16-9" + std::string(6 - std::to_string(n).size(), '0') + std::to_string(n);
  int month = 1 + n % 12;
  l.date_assigned = "2016-" + two(month) + "-01";
  l.decision_date = "2016-" + two(month) + "-" + two(2 + n % 27);
  l.date_of_injury = "2015-03-1" + std::to_string(n % 10);
  l.ur_denial_date = "2016-" + two(month) + "-01";
  l.application_received = "2016-" + two(month) + "-01";
  l.priority = n % 5 == 0 ? letter::Priority::kExpedited : letter::Priority::kStandard;
  l.reviewer.licensure_states = {"California", n % 2 ? "Oregon" : "Texas"};
  l.reviewer.specialties = {n % 3 == 0 ? "Orthopaedic Surgery" : "Family Practice"};
  if (n % 4 == 0) l.reviewer.subspecialties = {"Pain Medicine"};
  l.reviewer.board_certified = n % 3 == 0;
  l.patient.age = 30 + n % 40;
  l.patient.sex = n % 2 ? letter::Sex::kFemale : letter::Sex::kMale;
  l.clinical_summary = "The injured worker is a " + std::to_string(30 + n % 40) + " year old " +
                       (n % 2 ? "female" : "male") + " who sustained an industrial injury. Case marker casemark" +
                       std::to_string(n) + ". She reports pain, and \"quoted\" words, commas, and more.";
  int items = 1 + n % 4;
  for (int k = 0; k < items; ++k) {
    letter::DisputedItem it;
    int r = (n + k) % 6;
    it.request = kRequests[r];
    if (k == 1) {
      it.original_request = std::string(kRequests[r]) + " x 12";
      it.authorized_portion = std::string(kRequests[r]) + " x 6";
    }
    it.decision = (n + k) % 7 == 0 ? letter::Decision::kOverturned : letter::Decision::kUpheld;
    it.claims_administrator_basis = letter::GuidelineBasis{
        "Decision based on MTUS Chronic Pain Medical Treatment 2016.",
        {letter::Citation{"MTUS", "Chronic Pain Medical Treatment", "2016", {}, {}}}};
    if (k != 2)
      it.reviewer_basis = letter::GuidelineBasis{
          "Decision based on Non-MTUS Citation Official Disability Guidelines, Pain (Chronic), Opioids.",
          {letter::Citation{"ODG", "Pain (Chronic)", std::nullopt, {"Opioids", "Criteria for use"}, {"p. 76"}},
           letter::Citation{"MTUS", "Shoulder Complaints", "2004", {"Special Studies"}, {}}}};
    else
      it.reviewer_basis = letter::GuidelineBasis{"No evidence-based guidelines were cited.", {}};
    it.rationale = "The guidelines state the request item" + std::to_string(k) + " is " +
                   (it.decision == letter::Decision::kOverturned ? "medically necessary." : "not medically necessary.");
    l.items.push_back(std::move(it));
  }
  l.warnings = n % 2 ? std::vector<std::string>{"date of injury written twice"} : std::vector<std::string>{};
  return l;
}

StoredLetter sample_stored(int n) {
  StoredLetter sl;
  sl.letter = sample_letter(n);
  sl.key = *sl.letter.case_number;
  for (std::size_t k = 0; k < sl.letter.items.size(); ++k) {
    int r = (n + static_cast<int>(k)) % 6;
    StoredItem si;
    si.normalized.category = kCategories[r][0];
    si.normalized.subcategory = kCategories[r][1];
    si.normalized.body_region = kRegions[r];
    if (r == 1) si.normalized.drug = Drug{"norco", "10/325mg", 60};
    si.normalized.retrospective = k == 3;
    if (r == 2) si.normalized.sessions = 12;
    const auto& it = sl.letter.items[k];
    for (const auto& c : it.claims_administrator_basis->citations)
      si.claims_administrator_catalog.push_back({c.source + "/" + c.title, c.source, c.title, std::nullopt});
    for (const auto& c : it.reviewer_basis->citations)
      si.reviewer_catalog.push_back({c.source + "/" + c.title, c.source, c.title,
                                     c.sections.empty() ? std::nullopt : std::optional(c.sections[0])});
    sl.items.push_back(std::move(si));
  }
  return sl;
}

std::string sample_letter_text(int n) {
  letter::Letter l = sample_letter(n);
  auto us = [](const std::string& iso) { return iso.substr(5, 2) + "/" + iso.substr(8, 2) + "/" + iso.substr(0, 4); };
  std::string t;
  t += "Case Number: " + *l.case_number + "\n";
  t += "Date Assigned: " + us(*l.date_assigned) + "\n";
  t += "Decision Date: " + us(*l.decision_date) + "\n";
  t += std::string("Priority: ") + (l.priority == letter::Priority::kExpedited ? "Expedited" : "Standard") + "\n";
  t += "Date of Injury: " + us(*l.date_of_injury) + "\n";
  t += "UR Denial Date: " + us(*l.ur_denial_date) + "\n";
  t += "Application Received: " + us(*l.application_received) + "\n\n";
  t += "HOW THE IMR FINAL DETERMINATION WAS MADE\n";
  t += "MAXIMUS Federal Services sent the complete case file to an expert reviewer.\n";
  t += "The Expert Reviewer has the following credentials:\n";
  t += "State(s) of Licensure: " + l.reviewer.licensure_states[0] + ", " + l.reviewer.licensure_states[1] + "\n";
  t += "Certification(s)/Specialty: " + l.reviewer.specialties[0] + "\n";
  t += "CLINICAL CASE SUMMARY\n";
  t += "The expert reviewer developed the following clinical case summary based on a review of the\n";
  t += "case file, including all medical records:\n";
  t += *l.clinical_summary + "\n";
  t += "IMR ISSUES, DECISIONS AND RATIONALES\n";
  t += "The Final Determination was based on decisions for the disputed items/services set forth below:\n";
  for (const auto& it : l.items) {
    t += it.request + ": " + (it.decision == letter::Decision::kUpheld ? "Upheld" : "Overturned") + "\n";
    t += "Claims Administrator guideline: " + it.claims_administrator_basis->text + "\n";
    t += "MAXIMUS guideline: " + it.reviewer_basis->text + "\n";
    t += "Decision rationale: " + *it.rationale + "\n";
  }
  return t;
}

}  // namespace imr::corpus::testing
