// The HTTP API against a real `imr serve` process on a free port, over a real database built by
// the imr binary itself (synth → ingest), on SQLite and (when IMR_TEST_PG_URL is set) PostgreSQL.
#include <gtest/gtest.h>
#include <httplib.h>
#include <libpq-fe.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>

#include "imr/corpus/store.h"

namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

// Runs `cmd` through the shell; returns its standard output. Fails the test on a non-zero exit.
std::string run(const std::string& cmd) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return out;
  std::array<char, 4096> buf;
  std::size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  int rc = pclose(p);
  EXPECT_EQ(rc, 0) << cmd << "\n" << out;
  return out;
}

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

void pg_exec(const std::string& url, const std::string& sql) {
  PGconn* c = PQconnectdb(url.c_str());
  PGresult* r = PQexec(c, sql.c_str());
  PQclear(r);
  PQfinish(c);
}

// The words that identify the planted letter's reviewer and the people named in it; none may
// ever reach a public client.
const char* const kSecrets[] = {"Jane Roe", "Roe", "Smith", "Neurological Surgery", "Nevada", "named-letter.txt"};
const char* const kNamedCase = "CM16-9999901";

// One database + one server per backend, shared by the suite's tests.
class Env {
 public:
  explicit Env(const std::string& backend) : backend_(backend) {}

  bool start() {
    dir_ = fs::temp_directory_path() / ("imr-server-test-" + std::to_string(getpid()) + "-" + backend_);
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "named");
    const std::string imr = IMR_BINARY;
    if (backend_ == "sqlite") {
      db_ = "sqlite:" + (dir_ / "imr.db").string();
    } else {
      const char* pg = std::getenv("IMR_TEST_PG_URL");
      if (!pg || !*pg) return false;
      schema_ = "imr_server_test_" + std::to_string(getpid());
      pg_exec(pg, "DROP SCHEMA IF EXISTS " + schema_ + " CASCADE; CREATE SCHEMA " + schema_);
      std::string base = pg;
      db_ = base + (base.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + schema_;
    }
    run(imr + " synth --count 40 --seed 11 --out " + (dir_ / "letters").string() + " 2>&1");
    // A letter that names people and has a distinctive reviewer, made from a synthetic record.
    std::string first;
    for (const auto& e : fs::recursive_directory_iterator(dir_ / "letters"))
      if (e.path().extension() == ".txt" && (first.empty() || e.path().string() < first)) first = e.path().string();
    if (first.empty()) return false;
    Json rec = Json::parse(run(imr + " parse " + first), nullptr, false);
    if (!rec.is_object()) return false;
    rec["case_number"] = kNamedCase;
    rec["clinical_summary"] = "Dr. Jane Roe examined the injured worker for lumbar pain. Treating physician John Q. Smith, M.D. "
                              "requested physical therapy.";
    rec["reviewer"]["specialties"] = {"Neurological Surgery"};
    rec["reviewer"]["licensure_states"] = {"Nevada"};
    std::ofstream(dir_ / "named.jsonl") << rec.dump() << "\n";
    run(imr + " render --out " + (dir_ / "named").string() + " " + (dir_ / "named.jsonl").string() + " 2>&1");
    for (const auto& e : fs::recursive_directory_iterator(dir_ / "named"))
      if (e.is_regular_file() && e.path().extension() == ".txt") fs::rename(e.path(), dir_ / "named-letter.txt");
    fs::remove_all(dir_ / "named");
    fs::create_directories(dir_ / "named");
    fs::rename(dir_ / "named-letter.txt", dir_ / "named" / "named-letter.txt");
    run(imr + " ingest --db '" + db_ + "' " + (dir_ / "letters").string() + " " + (dir_ / "named").string() + " 2>&1");
    admin_ = trim(run(imr + " token create --db '" + db_ + "' --role admin --name test-admin 2>/dev/null"));
    intake_ = trim(run(imr + " token create --db '" + db_ + "' --role intake --name test-intake 2>/dev/null"));
    reviewer_ = trim(run(imr + " token create --db '" + db_ + "' --role reviewer --name test-reviewer 2>/dev/null"));

    std::string line;
    pid_ = spawn_serve({"--db", db_}, line);
    auto at = line.rfind(':');
    if (pid_ <= 0 || line.find("listening on") == std::string::npos || at == std::string::npos) return false;
    port_ = std::stoi(line.substr(at + 1));
    return true;
  }

  // Starts `imr serve --port 0 --threads 4 --web <web> ARGS...`; returns its pid (or -1) and its
  // first line of standard output and error ("imr serve: listening on http://127.0.0.1:PORT/",
  // or the error it stopped with).
  static pid_t spawn_serve(const std::vector<std::string>& args, std::string& line) {
    int out[2];
    if (pipe(out) != 0) return -1;
    pid_t pid = fork();
    if (pid == 0) {
      dup2(out[1], 1);
      dup2(out[1], 2);
      close(out[0]);
      close(out[1]);
      std::string web = std::string(IMR_SOURCE_DIR) + "/web";
      std::vector<std::string> all = {IMR_BINARY, "serve", "--port", "0", "--threads", "4", "--web", web};
      all.insert(all.end(), args.begin(), args.end());
      std::vector<char*> argv;
      for (auto& a : all) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(IMR_BINARY, argv.data());
      _exit(127);
    }
    close(out[1]);
    char ch;
    while (read(out[0], &ch, 1) == 1 && ch != '\n') line += ch;
    close(out[0]);
    return pid;
  }

  void stop() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      int status = 0;
      waitpid(pid_, &status, 0);
      EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "imr serve did not stop cleanly";
      pid_ = 0;
    }
    if (!schema_.empty()) pg_exec(std::getenv("IMR_TEST_PG_URL"), "DROP SCHEMA IF EXISTS " + schema_ + " CASCADE");
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  httplib::Result get(const std::string& path, const std::string& token = "") {
    httplib::Client c("127.0.0.1", port_);
    c.set_read_timeout(30, 0);
    httplib::Headers h;
    if (!token.empty()) h.emplace("Authorization", "Bearer " + token);
    return c.Get(path.c_str(), h);
  }
  httplib::Result send(const std::string& method, const std::string& path, const std::string& body,
                       const std::string& token = "") {
    httplib::Client c("127.0.0.1", port_);
    httplib::Headers h;
    if (!token.empty()) h.emplace("Authorization", "Bearer " + token);
    if (method == "POST") return c.Post(path.c_str(), h, body, "application/json");
    if (method == "PUT") return c.Put(path.c_str(), h, body, "application/json");
    return c.Delete(path.c_str(), h);
  }

  std::string backend_, db_, schema_, admin_, intake_, reviewer_;
  fs::path dir_;
  pid_t pid_ = 0;
  int port_ = 0;
};

class Api : public ::testing::TestWithParam<std::string> {
 protected:
  static std::map<std::string, std::unique_ptr<Env>>& envs() {
    static std::map<std::string, std::unique_ptr<Env>> m;
    return m;
  }
  static void TearDownTestSuite() {
    for (auto& [k, e] : envs()) e->stop();
    envs().clear();
  }
  void SetUp() override {
    if (GetParam() == "postgresql" && !std::getenv("IMR_TEST_PG_URL"))
      GTEST_SKIP() << "IMR_TEST_PG_URL is not set: PostgreSQL API tests skipped";
    auto& e = envs()[GetParam()];
    if (!e) {
      e = std::make_unique<Env>(GetParam());
      ASSERT_TRUE(e->start()) << "could not start imr serve on " << GetParam();
    }
    env = e.get();
  }
  Json json_of(const httplib::Result& r) {
    EXPECT_TRUE(r);
    if (!r) return Json();
    return Json::parse(r->body, nullptr, false);
  }
  // Asserts an error answer: status, the JSON error shape, and the field it names.
  void expect_error(const httplib::Result& r, int status, const char* field) {
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, status) << r->body;
    Json j = Json::parse(r->body, nullptr, false);
    ASSERT_TRUE(j.contains("error")) << r->body;
    EXPECT_TRUE(j["error"]["code"].is_string());
    EXPECT_TRUE(j["error"]["message"].is_string());
    if (field) {
      EXPECT_EQ(j["error"]["field"], field) << r->body;
    }
  }
  Env* env = nullptr;
};

TEST_P(Api, HealthAndSession) {
  auto r = env->get("/api/health");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(json_of(env->get("/api/session"))["role"], "public");
  EXPECT_EQ(json_of(env->get("/api/session", env->admin_))["role"], "admin");
  EXPECT_EQ(json_of(env->get("/api/session", env->reviewer_))["role"], "reviewer");
}

TEST_P(Api, SearchFindsAndMarksTerms) {
  auto j = json_of(env->get("/api/search?q=physical%20therapy&limit=5", env->intake_));
  ASSERT_TRUE(j["hits"].is_array());
  ASSERT_FALSE(j["hits"].empty());
  EXPECT_LE(j["hits"].size(), 5u);
  EXPECT_NE(j["hits"][0]["snippet"].get<std::string>().find('['), std::string::npos);
  auto up = json_of(env->get("/api/search?q=therapy&decision=upheld"));
  for (const auto& h : up["hits"]) EXPECT_EQ(h["decision"], "upheld");
}

TEST_P(Api, ValidationNamesTheField) {
  expect_error(env->get("/api/search"), 400, "q");
  expect_error(env->get("/api/search?q=%22%2A%22"), 400, "q");
  expect_error(env->get("/api/search?q=knee&limit=0"), 400, "limit");
  expect_error(env->get("/api/search?q=knee&limit=abc"), 400, "limit");
  expect_error(env->get("/api/search?q=knee&decision=maybe"), 400, "decision");
  expect_error(env->get("/api/search?q=knee&from=2016-13-01"), 400, "from");
  expect_error(env->get("/api/stats?by=colour"), 400, "by");
  expect_error(env->get("/api/stats?to=yesterday"), 400, "to");
  expect_error(env->get("/api/letters/" + std::string(kNamedCase) + "/items/x"), 400, "i");
  expect_error(env->get("/api/export?format=xml", env->intake_), 400, "format");
  expect_error(env->send("POST", "/api/tokens", "not json", env->admin_), 400, "body");
  expect_error(env->send("POST", "/api/tokens", R"({"role":"king","name":"x"})", env->admin_), 400, "role");
  expect_error(env->send("POST", "/api/tokens", R"({"role":"intake"})", env->admin_), 400, "name");
}

TEST_P(Api, ErrorsMapToHttpCodes) {
  expect_error(env->get("/api/letters/CM00-0000000"), 404, nullptr);
  expect_error(env->get("/api/letters/" + std::string(kNamedCase) + "/items/99"), 404, nullptr);
  expect_error(env->get("/api/nothing-here"), 404, nullptr);
  expect_error(env->send("DELETE", "/api/search", ""), 405, nullptr);
  expect_error(env->get("/api/export"), 401, nullptr);
  expect_error(env->get("/api/search?q=knee", "imr_not_a_real_token"), 401, "Authorization");
  expect_error(env->get("/api/tokens", env->reviewer_), 403, nullptr);
  expect_error(env->send("DELETE", "/api/tokens/99999", "", env->admin_), 404, nullptr);
  // Over the 1 MiB body limit.
  expect_error(env->send("POST", "/api/tokens", std::string(2 << 20, 'x'), env->admin_), 413, "body");
}

TEST_P(Api, StatsGroupAndFilter) {
  auto all = json_of(env->get("/api/stats?by=category"));
  EXPECT_EQ(all["letters"], 41);
  EXPECT_GT(all["items"].get<int>(), 0);
  EXPECT_EQ(all["upheld"].get<int>() + all["overturned"].get<int>(), all["items"].get<int>());
  ASSERT_FALSE(all["groups"].empty());
  auto over = json_of(env->get("/api/stats?by=month&decision=overturned"));
  EXPECT_EQ(over["upheld"], 0);
  EXPECT_EQ(over["items"], all["overturned"]);
}

TEST_P(Api, StaffSeeTheWholeLetter) {
  for (const std::string& tok : {env->intake_, env->reviewer_, env->admin_}) {
    auto j = json_of(env->get("/api/letters/" + std::string(kNamedCase), tok));
    EXPECT_EQ(j["redacted"], false);
    EXPECT_EQ(j["record"]["reviewer"]["specialties"][0], "Neurological Surgery");
    EXPECT_NE(j["text"].get<std::string>().find("Jane Roe"), std::string::npos);
    EXPECT_EQ(j["text_origin"], "source");
    auto item = json_of(env->get("/api/letters/" + std::string(kNamedCase) + "/items/0", tok));
    EXPECT_EQ(item["redacted"], false);
    EXPECT_TRUE(item["item"]["request"].is_string());
  }
}

// Every route a public client can reach, with every parameter that selects the planted letter:
// no answer may carry the reviewer's identity, a person's name or the source path.
TEST_P(Api, PublicNeverSeesReviewerIdentityOrNames) {
  const std::string key = kNamedCase;
  const std::vector<std::string> paths = {
      "/api/letters/" + key,
      "/api/letters/" + key + "/items/0",
      "/api/search?q=Roe",
      "/api/search?q=Jane%20Roe%20lumbar",
      "/api/search?q=Smith%20physical%20therapy",
      "/api/search?q=therapy&specialty=Neurological%20Surgery",
      "/api/stats?by=category&specialty=Neurological%20Surgery",
      "/api/export?format=csv",
      "/api/export?format=jsonl",
      "/api/session",
      "/api/health",
      "/api/tokens",
      "/api/audit",
      "/api/cases",
      "/api/cases/1",
      "/api/cases/1/letter",
      "/api/cases/1/audit",
      "/api/reviewers",
  };
  for (const auto& p : paths) {
    auto r = env->get(p);
    ASSERT_TRUE(r) << p;
    for (const char* secret : kSecrets) EXPECT_EQ(r->body.find(secret), std::string::npos) << p << " leaks '" << secret << "'";
  }
  for (const char* p : {"/api/review", "/api/review/letter", "/api/cases", "/api/cases/1/letter", "/api/reviewers", "/api/tokens"}) {
    auto r = env->send("POST", p, "{}");
    ASSERT_TRUE(r) << p;
    EXPECT_EQ(r->status, 401) << p;
  }
  auto j = json_of(env->get("/api/letters/" + key));
  EXPECT_EQ(j["redacted"], true);
  EXPECT_TRUE(j["record"]["reviewer"]["specialties"].empty());
  EXPECT_TRUE(j["record"]["reviewer"]["licensure_states"].empty());
  EXPECT_TRUE(j["record"]["reviewer"]["board_certified"].is_null());
  EXPECT_NE(j["record"]["clinical_summary"].get<std::string>().find("Dr. [name]"), std::string::npos);
  EXPECT_EQ(j["text_origin"], "rendered");
  // A token that does not authenticate never falls back to more than the public view.
  auto bad = env->get("/api/letters/" + key, "imr_0000");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 401);
  for (const char* secret : kSecrets) EXPECT_EQ(bad->body.find(secret), std::string::npos);
}

TEST_P(Api, ExportStreamsForStaff) {
  auto csv = env->get("/api/export?format=csv", env->intake_);
  ASSERT_TRUE(csv);
  EXPECT_EQ(csv->status, 200);
  EXPECT_EQ(csv->body.rfind("letter_key,", 0), 0u);
  EXPECT_NE(csv->body.find(kNamedCase), std::string::npos);
  auto jsonl = env->get("/api/export?format=jsonl", env->admin_);
  ASSERT_TRUE(jsonl);
  std::istringstream lines(jsonl->body);
  std::string line;
  int n = 0;
  while (std::getline(lines, line)) {
    ASSERT_FALSE(Json::parse(line, nullptr, false).is_discarded());
    ++n;
  }
  EXPECT_EQ(n, json_of(env->get("/api/stats"))["items"].get<int>());
}

TEST_P(Api, TokensAreCreatedUsedRevokedAndAudited) {
  auto created = env->send("POST", "/api/tokens", R"({"role":"intake","name":"temp clerk"})", env->admin_);
  ASSERT_TRUE(created);
  ASSERT_EQ(created->status, 201) << created->body;
  Json t = Json::parse(created->body);
  std::string secret = t["token"];
  EXPECT_EQ(json_of(env->get("/api/session", secret))["name"], "temp clerk");
  // The list never holds secrets or hashes.
  auto list = env->get("/api/tokens", env->admin_);
  ASSERT_TRUE(list);
  EXPECT_EQ(list->body.find(secret), std::string::npos);
  EXPECT_EQ(list->body.find("hash"), std::string::npos);
  // A non-admin cannot create tokens; the refusal is audited too.
  expect_error(env->send("POST", "/api/tokens", R"({"role":"admin","name":"me"})", env->intake_), 403, nullptr);
  auto del = env->send("DELETE", "/api/tokens/" + std::to_string(t["id"].get<long long>()), "", env->admin_);
  ASSERT_TRUE(del);
  EXPECT_EQ(del->status, 200);
  expect_error(env->get("/api/session", secret), 401, "Authorization");
  Json audit = json_of(env->get("/api/audit?limit=50", env->admin_));
  bool saw_create = false, saw_refusal = false, saw_revoke = false, saw_cli = false;
  for (const auto& e : audit["entries"]) {
    std::string actor = e["actor"], action = e["action"];
    if (action == "POST /api/tokens" && e["status"] == 201 && actor.find("test-admin") != std::string::npos) saw_create = true;
    if (action == "POST /api/tokens" && e["status"] == 403 && actor.find("test-intake") != std::string::npos) saw_refusal = true;
    if (action == "DELETE /api/tokens/{id}" && e["status"] == 200) saw_revoke = true;
    if (action == "token create" && actor.rfind("cli:", 0) == 0) saw_cli = true;
  }
  EXPECT_TRUE(saw_create && saw_refusal && saw_revoke && saw_cli) << audit.dump(1);
}

TEST_P(Api, ServesTheWebUi) {
  auto r = env->get("/");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_NE(r->body.find("<main id=\"view\""), std::string::npos);
  auto js = env->get("/app.js");
  ASSERT_TRUE(js);
  EXPECT_EQ(js->status, 200);
}

const char* kRegistration =
    R"({"name":"Dr. Hidden Name","licence_states":["California"],"board_certifications":["Orthopaedic Surgery"],)"
    R"("specialties":["Orthopedic Surgery"],"years_active_practice":12,"weekly_practice_hours":30,"capacity":5,)"
    R"("affiliations":[{"kind":"facility","name":"Other Hospital"}]})";
const char* kApplication =
    R"({"received":"2024-03-20T09:00","ur":{"date":"2024-03-01","served_by":"electronic","outcome":"denied"},)"
    R"("claim_number":"C-API-1","date_of_injury":"2023-05-01","worker":"Jane Roe","employer":"Big Warehouse Inc",)"
    R"("insurer":"Acme Insurance","physician":{"name":"Dr. Treat","specialty":"Orthopaedic Surgery"},)"
    R"("items":[{"request":"MRI of the lumbar spine"},{"request":"Norco 10/325mg #60"}]})";
const char* kDecision =
    R"({"clinical_summary":"45 year old with low back pain.","items":[)"
    R"({"decision":"upheld","rationale":"The MRI is not medically necessary.","reviewer_basis":"MTUS Low Back Complaints 2004"},)"
    R"({"decision":"overturned","rationale":"Norco is medically necessary.","reviewer_basis":"MTUS Chronic Pain Medical Treatment 2016"}]})";

// Intake receives, screens and assigns; the assigned reviewer (and only they) sees and decides
// the case and issues its letter. No answer ever names the reviewer.
TEST_P(Api, CaseworkThroughTheApiWithReviewerIsolation) {
  auto rev = env->send("POST", "/api/reviewers", kRegistration, env->admin_);
  ASSERT_TRUE(rev);
  ASSERT_EQ(rev->status, 201) << rev->body;
  EXPECT_EQ(rev->body.find("Hidden"), std::string::npos);
  long long reviewer_id = Json::parse(rev->body)["id"];
  expect_error(env->send("POST", "/api/reviewers", kRegistration, env->intake_), 403, nullptr);
  expect_error(env->send("POST", "/api/cases", R"({"received":"2024-03-20"})", env->intake_), 400, nullptr);

  auto created = env->send("POST", "/api/cases", kApplication, env->intake_);
  ASSERT_TRUE(created);
  ASSERT_EQ(created->status, 201) << created->body;
  std::string n = Json::parse(created->body)["case_number"];
  auto screened = json_of(env->send("POST", "/api/cases/" + n + "/screen", "", env->intake_));
  EXPECT_EQ(screened["state"], "eligible");
  auto assigned = json_of(env->send("POST", "/api/cases/" + n + "/assign", "", env->intake_));
  EXPECT_EQ(assigned["reviewer_id"], reviewer_id) << assigned.dump();
  expect_error(env->send("POST", "/api/cases/" + n + "/decide", kDecision, env->intake_), 409, nullptr);  // records awaited

  auto mine = Json::parse(env->send("POST", "/api/tokens",
                                    R"({"role":"reviewer","name":"assigned reviewer","subject":")" +
                                        std::to_string(reviewer_id) + R"("})", env->admin_)->body)["token"].get<std::string>();
  auto other = Json::parse(env->send("POST", "/api/tokens", R"({"role":"reviewer","name":"other","subject":"999"})",
                                     env->admin_)->body)["token"].get<std::string>();
  EXPECT_EQ(json_of(env->get("/api/cases", mine))["cases"].size(), 1u);
  EXPECT_EQ(json_of(env->get("/api/cases", other))["cases"].size(), 0u);
  expect_error(env->get("/api/cases/" + n, other), 404, nullptr);
  expect_error(env->send("POST", "/api/cases/" + n + "/decide", kDecision, other), 404, nullptr);
  expect_error(env->send("POST", "/api/cases/" + n + "/records", "", mine), 403, nullptr);
  expect_error(env->get("/api/cases"), 401, nullptr);
  expect_error(env->get("/api/cases/" + n), 401, nullptr);

  EXPECT_EQ(json_of(env->send("POST", "/api/cases/" + n + "/records", "", env->intake_))["state"], "under_review");
  expect_error(env->send("POST", "/api/cases/" + n + "/decide", R"({"items":[]})", mine), 400, nullptr);
  EXPECT_EQ(json_of(env->send("POST", "/api/cases/" + n + "/decide", kDecision, mine))["state"], "decided");
  auto issued = env->send("POST", "/api/cases/" + n + "/letter", "", mine);
  ASSERT_TRUE(issued);
  ASSERT_EQ(issued->status, 200) << issued->body;
  EXPECT_EQ(issued->body.find("Hidden"), std::string::npos);
  EXPECT_NE(Json::parse(issued->body)["text"].get<std::string>().find(n), std::string::npos);
  auto audit = env->get("/api/cases/" + n + "/audit", env->admin_);
  ASSERT_TRUE(audit);
  EXPECT_NE(audit->body.find("assigned reviewer"), std::string::npos);  // the actor of the decision
  for (const auto& path : {"/api/reviewers", "/api/cases", "/api/audit?limit=200"}) {
    auto r = env->get(path, env->admin_);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->body.find("Hidden"), std::string::npos) << path;
  }
}

TEST_P(Api, ReviewEngineDraftsForReviewers) {
  const std::string cf =
      R"({"patient":{"age":48,"sex":"male"},"date_of_injury":"2016-10-13","clinical_summary":"Chronic low back pain )"
      R"(with radiating symptoms. Prior physical therapy gave no lasting improvement.",)"
      R"("items":[{"request":"Physical therapy 12 sessions for the lumbar spine"}]})";
  expect_error(env->send("POST", "/api/review", cf), 401, nullptr);
  expect_error(env->send("POST", "/api/review", cf, env->intake_), 403, nullptr);
  expect_error(env->send("POST", "/api/review", R"({"items":[]})", env->reviewer_), 400, "items");
  auto r = env->send("POST", "/api/review", cf, env->reviewer_);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  Json j = Json::parse(r->body);
  ASSERT_EQ(j["items"].size(), 1u);
  EXPECT_TRUE(j["items"][0]["p_overturn"].is_number());
  EXPECT_FALSE(j["items"][0]["rationale"].get<std::string>().empty());
  auto d = env->send("POST", "/api/review/letter", cf, env->admin_);
  ASSERT_TRUE(d);
  ASSERT_EQ(d->status, 200) << d->body;
  EXPECT_NE(Json::parse(d->body)["text"].get<std::string>().find("Physical therapy"), std::string::npos);
}

TEST_P(Api, ReviewUsesTheModelGivenToServe) {
  const std::string imr = IMR_BINARY;
  std::string bad_line;
  pid_t bad = Env::spawn_serve({"--db", env->db_, "--model", (env->dir_ / "no-such.model").string()}, bad_line);
  ASSERT_GT(bad, 0);
  int status = 0;
  waitpid(bad, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) != 0);
  EXPECT_NE(bad_line.find("no-such.model"), std::string::npos) << bad_line;

  const std::string model = (env->dir_ / "outcome.model").string();
  run(imr + " train --db '" + env->db_ + "' --model " + model + " 2>&1");
  std::string line;
  pid_t pid = Env::spawn_serve({"--db", env->db_, "--model", model}, line);
  ASSERT_GT(pid, 0);
  auto at = line.rfind(':');
  ASSERT_NE(line.find("listening on"), std::string::npos) << line;
  httplib::Client client("127.0.0.1", std::stoi(line.substr(at + 1)));
  const std::string cf =
      R"({"patient":{"age":52,"sex":"female"},"clinical_summary":"Chronic neck pain. Prior therapy helped.",)"
      R"("items":[{"request":"Acupuncture 6 sessions for the neck"}]})";
  auto r = client.Post("/api/review", {{"Authorization", "Bearer " + env->reviewer_}}, cf, "application/json");
  kill(pid, SIGTERM);
  waitpid(pid, &status, 0);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  Json j = Json::parse(r->body);
  ASSERT_EQ(j["items"].size(), 1u);
  EXPECT_EQ(j["items"][0]["from_model"], true);
  // The shared server runs without a model: the guideline rule's estimate.
  auto rule = env->send("POST", "/api/review", cf, env->reviewer_);
  ASSERT_TRUE(rule);
  ASSERT_EQ(rule->status, 200) << rule->body;
  EXPECT_EQ(Json::parse(rule->body)["items"][0]["from_model"], false);
}

// Last in the suite: it adds a letter, which the counts asserted above do not include.
TEST_P(Api, AnswersAreCachedUntilTheCorpusChanges) {
  const std::string search = "/api/search?q=quokka%20bite&limit=5";
  auto first = env->get(search, env->intake_);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->get_header_value("X-Imr-Cache"), "miss");
  EXPECT_TRUE(json_of(first)["hits"].empty());
  auto again = env->get(search, env->intake_);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->get_header_value("X-Imr-Cache"), "hit");
  EXPECT_EQ(again->body, first->body);
  // A public caller never gets an answer computed for staff (it may hold names).
  auto pub = env->get(search);
  ASSERT_TRUE(pub);
  EXPECT_EQ(pub->get_header_value("X-Imr-Cache"), "miss");
  auto stats = env->get("/api/stats?by=category");
  ASSERT_TRUE(stats);
  std::int64_t letters = json_of(stats)["letters"].get<std::int64_t>();
  EXPECT_EQ(env->get("/api/stats?by=category")->get_header_value("X-Imr-Cache"), "hit");
  // Filtered statistics (from the server's in-memory index) agree with the store's own answer.
  const std::string filtered = "/api/stats?by=month&from=2000-01-01&category=";
  auto store_stats = [&](const std::string& category) {
    auto store = imr::corpus::Store::open(env->db_);
    EXPECT_TRUE(store.ok());
    imr::corpus::Filters f;
    f.from = "2000-01-01";
    f.category = category;
    auto st = (*store)->stats(imr::corpus::GroupBy::kMonth, f);
    EXPECT_TRUE(st.ok());
    return *st;
  };
  std::string category = json_of(stats)["groups"][0]["key"].get<std::string>();
  auto by_month = json_of(env->get(filtered + category));
  imr::corpus::Stats want = store_stats(category);
  EXPECT_EQ(by_month["items"].get<std::int64_t>(), want.items);
  EXPECT_EQ(by_month["letters"].get<std::int64_t>(), want.letters);
  ASSERT_EQ(by_month["groups"].size(), want.groups.size());
  for (std::size_t k = 0; k < want.groups.size(); ++k) {
    EXPECT_EQ(by_month["groups"][k]["key"], want.groups[k].key);
    EXPECT_EQ(by_month["groups"][k]["overturned"].get<std::int64_t>(), want.groups[k].overturned);
  }

  // Another process adds a letter about the words: every older answer is now stale.
  const std::string imr = IMR_BINARY;
  fs::path dir = env->dir_ / "quokka";
  fs::create_directories(dir / "letter");
  run(imr + " synth --count 1 --seed 4242 --out " + (dir / "synth").string() + " 2>&1");
  std::string first_txt;
  for (const auto& e : fs::recursive_directory_iterator(dir / "synth"))
    if (e.path().extension() == ".txt") first_txt = e.path().string();
  ASSERT_FALSE(first_txt.empty());
  Json rec = Json::parse(run(imr + " parse " + first_txt), nullptr, false);
  ASSERT_TRUE(rec.is_object());
  rec["case_number"] = "CM16-9999902";
  rec["items"][0]["request"] = "Wound care after a quokka bite";
  std::ofstream(dir / "quokka.jsonl") << rec.dump() << "\n";
  run(imr + " render --out " + (dir / "letter").string() + " " + (dir / "quokka.jsonl").string() + " 2>&1");
  run(imr + " ingest --db '" + env->db_ + "' " + (dir / "letter").string() + " 2>&1");
  // The server reads the store's generation every 200 ms in the background (server/generation.h):
  // the old answer may be served for about that long, not for ever.
  auto after = env->get(search, env->intake_);
  for (int tries = 0; after && after->get_header_value("X-Imr-Cache") == "hit" && tries < 100; ++tries) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    after = env->get(search, env->intake_);
  }
  ASSERT_TRUE(after);
  EXPECT_EQ(after->get_header_value("X-Imr-Cache"), "miss");
  auto hits = json_of(after)["hits"];
  ASSERT_FALSE(hits.empty()) << after->body;
  EXPECT_EQ(hits[0]["case_number"], "CM16-9999902");
  auto stats_after = env->get("/api/stats?by=category");
  ASSERT_TRUE(stats_after);
  EXPECT_EQ(stats_after->get_header_value("X-Imr-Cache"), "miss");
  EXPECT_EQ(json_of(stats_after)["letters"].get<std::int64_t>(), letters + 1);
  // The index catches up with the new letter too.
  std::string new_category;
  {
    auto store = imr::corpus::Store::open(env->db_);
    ASSERT_TRUE(store.ok());
    auto stored = (*store)->get_letter("CM16-9999902");
    ASSERT_TRUE(stored.ok()) << stored.status().to_string();
    new_category = stored->items.at(0).normalized.category;
  }
  auto month_after = json_of(env->get(filtered + new_category));
  EXPECT_EQ(month_after["items"].get<std::int64_t>(), store_stats(new_category).items);
  if (new_category == category) {
    EXPECT_GT(month_after["items"].get<std::int64_t>(), by_month["items"].get<std::int64_t>());
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, Api, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
