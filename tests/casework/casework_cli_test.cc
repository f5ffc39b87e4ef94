// The casework verbs run as the `imr` binary, the way a script runs them: JSON in (file or
// stdin) and out, exit status 0 / 1 bad input / 2 usage / 4 illegal in state, and a refused
// request changes nothing. On SQLite, and on PostgreSQL when IMR_TEST_PG_URL is set.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "imr/casework/casebook.h"
#include "store_testutil.h"
#include "testutil.h"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct Outcome {
  int code = -1;
  std::string out, err;
  std::vector<json> lines() const {
    std::vector<json> v;
    std::istringstream in(out);
    for (std::string l; std::getline(in, l);)
      if (!l.empty()) v.push_back(json::parse(l, nullptr, false));
    return v;
  }
};

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

class CaseworkCli : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = std::make_unique<imr::corpus::testing::TestDb>(GetParam());
    if (!db_->available()) GTEST_SKIP() << imr::corpus::testing::kSkipNoPostgres;
    dir_ = db_->dir();
  }
  // Runs imr with `args` (each quoted), `input` on stdin, --db added by the caller.
  Outcome imr(const std::vector<std::string>& args, const std::string& input = "") {
    std::string in = dir_ + "/stdin", out = dir_ + "/stdout", err = dir_ + "/stderr";
    std::ofstream(in) << input;
    std::string cmd = std::string("env -u IMR_DB ") + IMR_BINARY;
    for (const auto& a : args) cmd += " " + quote(a);
    cmd += " < " + in + " > " + out + " 2> " + err;
    int status = std::system(cmd.c_str());
    Outcome r;
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = slurp(out);
    r.err = slurp(err);
    return r;
  }
  Outcome verb(std::vector<std::string> args, const std::string& input = "") {
    args.push_back("--db");
    args.push_back(db_->url());
    return imr(args, input);
  }
  std::string write(const std::string& name, const std::string& text) {
    std::string p = dir_ + "/" + name;
    std::ofstream(p) << text;
    return p;
  }

  std::unique_ptr<imr::corpus::testing::TestDb> db_;
  std::string dir_;
};

INSTANTIATE_TEST_SUITE_P(Backends, CaseworkCli, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

const char* kReviewer =
    R"({"name":"Dr. Hidden Name","licence_states":["California"],"board_certifications":["Orthopaedic Surgery"],)"
    R"("specialties":["Orthopedic Surgery"],"years_active_practice":12,"weekly_practice_hours":30,"capacity":5,)"
    R"("affiliations":[{"kind":"facility","name":"Other Hospital"}]})";
const char* kApplication =
    R"({"received":"2024-03-20T09:00","ur":{"date":"2024-03-01","served_by":"electronic","outcome":"denied"},)"
    R"("claim_number":"C-1","date_of_injury":"2023-05-01","worker":"Jane Roe","employer":"Big Warehouse Inc",)"
    R"("insurer":"Acme Insurance","physician":{"name":"Dr. Treat","specialty":"Orthopaedic Surgery"},)"
    R"("items":[{"request":"MRI of the lumbar spine"},{"request":"Norco 10/325mg #60"}]})";
const char* kDecision =
    R"({"clinical_summary":"Jane Roe is a 45 year old female with low back pain; Dr. Treat requested an MRI.","items":[)"
    R"({"decision":"upheld","rationale":"The MRI is not medically necessary.","reviewer_basis":"MTUS Low Back Complaints 2004"},)"
    R"({"decision":"overturned","rationale":"Norco is medically necessary.","reviewer_basis":"MTUS Chronic Pain Medical Treatment 2016"}]})";

TEST_P(CaseworkCli, TheWholeCaseFromTheCommandLine) {
  Outcome r = verb({"reviewer", "add", "--actor", "ops", write("reviewer.json", kReviewer)});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.find("Hidden"), std::string::npos);
  r = verb({"case", "new", "--actor", "intake", "--now", "2024-03-20T09:00"}, kApplication);  // stdin
  ASSERT_EQ(r.code, 0) << r.err;
  std::string n = r.lines()[0]["case_number"];
  EXPECT_EQ(n, "CM24-0000001");
  EXPECT_EQ(r.lines()[0]["application"]["items"][1]["category"], "Pharmaceuticals");  // normalised
  r = verb({"case", "screen", n, "--actor", "screening", "--now", "2024-03-21"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.lines()[0]["state"], "eligible");
  r = verb({"case", "assign", n, "--actor", "assignment", "--now", "2024-03-21T10:00", "--explain-all"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.lines()[0]["reviewer_id"], 1);
  EXPECT_EQ(r.lines()[0]["records_due"], "2024-04-02T23:59:59");
  EXPECT_EQ(r.out.find("Hidden"), std::string::npos);

  r = verb({"cases", "--due", "2024-04-02"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.lines().size(), 1u);
  r = verb({"cases", "--overdue", "--now", "2024-04-02T12:00"});
  EXPECT_EQ(r.lines().size(), 0u);
  r = verb({"cases", "--overdue", "--now", "2024-04-03T00:00"});
  EXPECT_EQ(r.lines().size(), 1u);

  r = verb({"case", "records", n, "--actor", "mailroom", "--now", "2024-04-01"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.lines()[0]["state"], "under_review");
  r = verb({"case", "decide", n, "--actor", "desk", "--now", "2024-04-15", write("decision.json", kDecision)});
  ASSERT_EQ(r.code, 0) << r.err;
  std::string out = dir_ + "/letters";
  r = verb({"case", "issue", n, "--actor", "clerk", "--now", "2024-04-16", "--out", out});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.lines()[0]["state"], "letter_issued");
  std::string text_path = r.lines()[0]["files"]["text"];
  std::string letter = slurp(text_path);
  EXPECT_NE(letter.find(n), std::string::npos);
  EXPECT_EQ(letter.find("Hidden"), std::string::npos);
  EXPECT_NE(letter.find("Jane Roe"), std::string::npos);  // the organisation's copy
  std::string public_text = slurp(r.lines()[0]["files"]["public_text"]);
  EXPECT_EQ(public_text.find("Jane"), std::string::npos) << public_text;
  EXPECT_EQ(public_text.find("Roe"), std::string::npos);
  EXPECT_EQ(public_text.find("Dr. Treat"), std::string::npos);
  EXPECT_NE(letter.find("Dr. Treat"), std::string::npos);
  EXPECT_EQ(public_text.find("Hidden"), std::string::npos);
  // Every issued form reads back through the reader to the same decisions.
  for (const char* kind : {"text", "pdf", "public_text", "public_pdf"}) {
    std::string path = r.lines()[0]["files"][kind];
    Outcome parsed = imr({"parse", path});
    ASSERT_EQ(parsed.code, 0) << kind << ": " << parsed.err;
    json rec = parsed.lines().at(0);
    EXPECT_EQ(rec["case_number"], n) << kind;
    ASSERT_EQ(rec["items"].size(), 2u) << kind;
    EXPECT_EQ(rec["items"][0]["decision"], "upheld") << kind;
    EXPECT_EQ(rec["items"][1]["decision"], "overturned") << kind;
    EXPECT_EQ(rec["reviewer"]["specialties"][0], "Orthopedic Surgery") << kind;
  }

  r = verb({"case", "show", n, "--audit"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.lines().size(), 1u + 8u);  // the case and its 8 audit rows
  r = verb({"reviewer", "list"});
  EXPECT_EQ(r.out.find("Hidden"), std::string::npos);
  EXPECT_EQ(r.lines()[0]["active_cases"], 0);
  r = verb({"reviewer", "show", "1", "--internal"});
  EXPECT_EQ(r.lines()[0]["name"], "Dr. Hidden Name");
}

TEST_P(CaseworkCli, BadAndIllegalRequestsFailClearlyAndChangeNothing) {
  Outcome r = verb({"case", "new", "--actor", "x"}, "{not json");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("imr case new: application: not valid JSON"), std::string::npos) << r.err;
  r = verb({"case", "new", "--actor", "x"}, R"({"received":"2024-03-20"})");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("application."), std::string::npos) << r.err;
  r = verb({"case", "list"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "");  // nothing was created

  r = verb({"case", "new", "--actor", "x", "--now", "2024-03-20"}, kApplication);
  ASSERT_EQ(r.code, 0) << r.err;
  std::string n = r.lines()[0]["case_number"];
  r = verb({"case", "decide", n, "--actor", "x", write("d.json", kDecision)});
  EXPECT_EQ(r.code, 4);
  EXPECT_NE(r.err.find("'received'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("'decided'"), std::string::npos) << r.err;
  r = verb({"case", "issue", n, "--actor", "x", "--out", dir_ + "/letters"});
  EXPECT_EQ(r.code, 4);
  EXPECT_FALSE(fs::exists(dir_ + "/letters/" + n + ".txt"));
  r = verb({"case", "show", n, "--audit"});
  EXPECT_EQ(r.lines()[0]["state"], "received");
  EXPECT_EQ(r.lines()[0]["revision"], 0);
  EXPECT_EQ(r.lines().size(), 2u);

  r = verb({"case", "screen", "CM24-0099999", "--actor", "x"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("no case CM24-0099999"), std::string::npos) << r.err;
  r = verb({"case", "screen", n, "--actor", "x", "--now", "yesterday"});
  EXPECT_EQ(r.code, 1);
  r = verb({"case", "screen"});  // missing the case: usage
  EXPECT_EQ(r.code, 2);
  r = verb({"cases"});
  EXPECT_EQ(r.code, 2);
  r = verb({"case", "assign", "--actor", "x"});  // neither a case nor --pending
  EXPECT_EQ(r.code, 2);
  r = verb({"reviewer", "add", "--actor", "x"}, R"({"name":"N"})");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("specialties"), std::string::npos) << r.err;
}

TEST_P(CaseworkCli, TwoProcessesAssigningAtOnceNeverDoubleAssign) {
  {
    auto book = imr::casework::Casebook::open(db_->url());
    ASSERT_TRUE(book.ok()) << book.status().to_string();
    imr::casework::Actor actor{"setup", *imr::casework::parse_time("2024-03-21T09:00")};
    for (int k = 0; k < 4; ++k) ASSERT_TRUE((*book)->add_reviewer(imr::casework::testing::sample_reviewer("R" + std::to_string(k), 8), actor).ok());
    for (int k = 0; k < 30; ++k) {
      auto c = (*book)->receive(imr::casework::testing::sample_application("Worker " + std::to_string(k)), actor);
      ASSERT_TRUE(c.ok()) << c.status().to_string();
      ASSERT_TRUE((*book)->screen(c->case_number, actor).ok());
    }
  }
  // Two `imr case assign --pending` processes started together on the same database.
  std::string cmd;
  for (int p = 0; p < 2; ++p)
    cmd += std::string("env -u IMR_DB ") + IMR_BINARY + " case assign --pending --actor p" + std::to_string(p) +
           " --now 2024-03-21T17:00 --db " + quote(db_->url()) + " > " + dir_ + "/p" + std::to_string(p) + ".out 2> " +
           dir_ + "/p" + std::to_string(p) + ".err & ";
  cmd += "wait";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  int assigned = 0;
  std::set<std::string> cases;
  for (int p = 0; p < 2; ++p) {
    EXPECT_EQ(slurp(dir_ + "/p" + std::to_string(p) + ".err"), "");
    std::istringstream in(slurp(dir_ + "/p" + std::to_string(p) + ".out"));
    for (std::string l; std::getline(in, l);) {
      json j = json::parse(l, nullptr, false);
      if (!j["reviewer_id"].is_null()) {
        ++assigned;
        EXPECT_TRUE(cases.insert(j["case_number"].get<std::string>()).second) << "assigned twice: " << j["case_number"];
      }
    }
  }
  EXPECT_EQ(assigned, 30);
  EXPECT_EQ(db_->sql_int("SELECT count(*) FROM cw_audit WHERE event = 'assign'"), 30);
  EXPECT_EQ(db_->sql_int("SELECT sum(active_cases) FROM cw_reviewers"), 30);
  EXPECT_LE(db_->sql_int("SELECT max(active_cases) FROM cw_reviewers"), 8);
}

TEST(CaseworkCliSimulate, ReportsAYearInMiniature) {
  std::string dir = ::testing::TempDir();
  std::string cmd = std::string(IMR_BINARY) + " simulate --months 2 --cases-per-month 500 --reviewers 40 --seed 3 > " +
                    dir + "/sim.json 2> " + dir + "/sim.err";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << slurp(dir + "/sim.err");
  json j = json::parse(slurp(dir + "/sim.json"), nullptr, false);
  ASSERT_TRUE(j.is_object()) << slurp(dir + "/sim.json");
  EXPECT_EQ(j["applications"], 1000);
  EXPECT_GT(j["decided"].get<int>(), 500);
  EXPECT_GT(j["share_on_time"].get<double>(), 0.5);
  EXPECT_GT(j["mean_days_to_decision"].get<double>(), 1.0);
  EXPECT_GT(j["conflicts_avoided"].get<int>(), 0);
  EXPECT_TRUE(j.contains("cases_without_reviewer"));
  EXPECT_TRUE(j["load"].contains("stddev"));
}

}  // namespace
