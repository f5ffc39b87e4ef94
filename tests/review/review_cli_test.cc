// The review verbs run as a child process: bad case files exit 1 with one message naming the
// field; a good case reviews as text, JSON and a draft letter; eval/train/audit on a small store.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>
#include <sys/wait.h>

namespace fs = std::filesystem;

namespace {

struct ChildRun {
  int code = -1;
  std::string out, err;
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Runs IMR_BINARY with shell-quoted args (the tests pass only paths they made and fixed words).
ChildRun imr(const std::string& args, const fs::path& dir) {
  const fs::path out = dir / "out.txt", err = dir / "err.txt";
  std::string cmd = std::string("IMR_DATA_DIR='") + IMR_SOURCE_DIR + "/data' timeout 120 '" + IMR_BINARY + "' " + args +
                    " >'" + out.string() + "' 2>'" + err.string() + "'";
  int st = std::system(cmd.c_str());
  ChildRun r;
  r.code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  r.out = slurp(out);
  r.err = slurp(err);
  return r;
}

class ReviewCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("imr_review_cli_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path write(const std::string& name, const std::string& text) {
    fs::path p = dir_ / name;
    std::ofstream(p, std::ios::binary) << text;
    return p;
  }
  fs::path dir_;
};

TEST_F(ReviewCli, BadCaseFilesExitOneNamingTheField) {
  struct Case {
    const char* json;
    const char* field;
  } cases[] = {
      {R"({"items": [{"request": "a"}, {"request": "b"}, {"request": 7}]})", "items[2].request: expected a string"},
      {R"({"patient": {"age": -3}, "items": [{"request": "a"}]})", "patient.age"},
      {R"({"items": "MRI"})", "items: expected an array"},
      {"{not json", "not valid JSON"},
  };
  for (const auto& k : cases) {
    fs::path p = write("bad.json", k.json);
    ChildRun r = imr("review '" + p.string() + "'", dir_);
    EXPECT_EQ(r.code, 1) << k.json << "\n" << r.err;
    EXPECT_NE(r.err.find(k.field), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("bad.json"), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty());
  }
  ChildRun missing = imr("review '" + (dir_ / "absent.json").string() + "'", dir_);
  EXPECT_NE(missing.code, 0);
  ChildRun usage = imr("review", dir_);
  EXPECT_EQ(usage.code, 2);
}

TEST_F(ReviewCli, ReviewsACaseAsTextJsonAndLetter) {
  fs::path p = write("case.json", R"({"patient": {"age": 40, "sex": "female"}, "date_of_injury": "2015-01-01",
    "clinical_summary": "She has neck pain rated 6/10. Treatment to date included 12 sessions of physical therapy without functional improvement.",
    "items": [{"request": "Physical therapy 2x6 for the cervical spine"}, {"request": "Tramadol 50mg #60"}]})");
  ChildRun text = imr("review '" + p.string() + "'", dir_);
  ASSERT_EQ(text.code, 0) << text.err;
  EXPECT_NE(text.out.find("Physical therapy 2x6"), std::string::npos);
  ChildRun json = imr("review --json '" + p.string() + "'", dir_);
  ASSERT_EQ(json.code, 0) << json.err;
  auto j = nlohmann::json::parse(json.out);
  ASSERT_EQ(j["items"].size(), 2u);
  for (const char* k : {"request", "decision", "p_overturn", "citations", "criteria", "rationale"})
    EXPECT_TRUE(j["items"][0].contains(k)) << k;
  ChildRun letter = imr("review --letter '" + p.string() + "'", dir_);
  ASSERT_EQ(letter.code, 0) << letter.err;
  EXPECT_NE(letter.out.find("Tramadol 50mg #60"), std::string::npos);
}

TEST_F(ReviewCli, CorpusVerbsOnSyntheticLetters) {
  ChildRun synth = imr("synth --count 60 --seed 3 --out '" + (dir_ / "letters").string() + "'", dir_);
  ASSERT_EQ(synth.code, 0) << synth.err;
  const std::string db = (dir_ / "c.db").string();
  ChildRun ingest = imr("ingest --db '" + db + "' '" + (dir_ / "letters").string() + "'", dir_);
  ASSERT_EQ(ingest.code, 0) << ingest.err;
  ChildRun train = imr("train --db '" + db + "' --model '" + (dir_ / "m.model").string() + "'", dir_);
  ASSERT_EQ(train.code, 0) << train.err;
  EXPECT_TRUE(fs::exists(dir_ / "m.model"));
  ChildRun eval = imr("eval --db '" + db + "' --folds 3 --json", dir_);
  ASSERT_EQ(eval.code, 0) << eval.err;
  auto j = nlohmann::json::parse(eval.out);
  EXPECT_TRUE(j.contains("auc"));
  EXPECT_TRUE(j["guideline_top1"].contains("baseline"));
  // --predictions: one line per item with its out-of-fold estimate; the same run, so the same report.
  const fs::path predictions = dir_ / "predictions.jsonl";
  ChildRun eval2 = imr("eval --db '" + db + "' --folds 3 --json --predictions '" + predictions.string() + "'", dir_);
  ASSERT_EQ(eval2.code, 0) << eval2.err;
  EXPECT_EQ(nlohmann::json::parse(eval2.out), j);
  std::ifstream lines(predictions);
  std::string line;
  int items = 0, overturned = 0;
  while (std::getline(lines, line)) {
    auto row = nlohmann::json::parse(line);
    ++items;
    overturned += row["overturned"].get<bool>();
    EXPECT_FALSE(row["case_number"].get<std::string>().empty());
    EXPECT_FALSE(row["request"].get<std::string>().empty());
    EXPECT_GE(row["p_overturn"].get<double>(), 0.0);
    EXPECT_LE(row["p_overturn"].get<double>(), 1.0);
  }
  EXPECT_EQ(items, j["items"].get<int>());
  EXPECT_EQ(overturned, j["overturned"].get<int>());
  ChildRun unwritable = imr("eval --db '" + db + "' --folds 3 --predictions /nonexistent-dir/p.jsonl", dir_);
  EXPECT_NE(unwritable.code, 0);
  EXPECT_NE(unwritable.err.find("/nonexistent-dir/p.jsonl"), std::string::npos) << unwritable.err;
  ChildRun audit = imr("audit --db '" + db + "' --json", dir_);
  ASSERT_EQ(audit.code, 0) << audit.err;
  EXPECT_EQ(nlohmann::json::parse(audit.out)["findings"].size(), 4u);
  fs::path p = write("case.json", R"({"clinical_summary": "Low back pain.", "items": [{"request": "MRI of the lumbar spine"}]})");
  ChildRun review = imr("review --json --db '" + db + "' --model '" + (dir_ / "m.model").string() + "' '" + p.string() + "'", dir_);
  ASSERT_EQ(review.code, 0) << review.err;
  EXPECT_TRUE(nlohmann::json::parse(review.out)["items"][0]["from_model"].get<bool>());
  ChildRun cfl = imr("case-from-letter --lines '" + (dir_ / "letters" / "expected.jsonl").string() + "'", dir_);
  ASSERT_EQ(cfl.code, 0) << cfl.err;
  EXPECT_EQ(cfl.out.find("\"rationale\""), std::string::npos);
  EXPECT_NE(cfl.out.find("\"items\""), std::string::npos);
}

// The corpus verbs give the same answers on PostgreSQL as on SQLite for the same letters.
TEST_F(ReviewCli, CorpusVerbsAgreeOnSqliteAndPostgres) {
  const char* pg = std::getenv("IMR_TEST_PG_URL");
  if (!pg || !*pg) GTEST_SKIP() << "IMR_TEST_PG_URL is not set: the PostgreSQL review verbs are not tested";
  const std::string schema = "imr_review_cli_" + std::to_string(::getpid());
  const std::string psql = std::string("psql '") + pg + "' -qc ";
  ASSERT_EQ(std::system((psql + "'DROP SCHEMA IF EXISTS " + schema + " CASCADE; CREATE SCHEMA " + schema + "' >/dev/null 2>&1").c_str()), 0);
  const std::string pg_db = std::string(pg) + (std::string(pg).find('?') == std::string::npos ? "?" : "&") +
                            "options=-csearch_path%3D" + schema;
  ChildRun synth = imr("synth --count 40 --seed 5 --out '" + (dir_ / "letters").string() + "'", dir_);
  ASSERT_EQ(synth.code, 0) << synth.err;
  std::map<std::string, std::string> eval, audit, review;
  fs::path p = write("case.json", R"({"clinical_summary": "Neck pain.", "items": [{"request": "Acupuncture 6 sessions"}]})");
  for (const std::string& db : std::vector<std::string>{(dir_ / "c.db").string(), pg_db}) {
    ChildRun ingest = imr("ingest --db '" + db + "' '" + (dir_ / "letters").string() + "'", dir_);
    ASSERT_EQ(ingest.code, 0) << db << ": " << ingest.err;
    ChildRun train = imr("train --db '" + db + "' --model '" + (dir_ / "m.model").string() + "'", dir_);
    ASSERT_EQ(train.code, 0) << db << ": " << train.err;
    ChildRun e = imr("eval --db '" + db + "' --folds 3 --json", dir_);
    ASSERT_EQ(e.code, 0) << db << ": " << e.err;
    eval[db] = e.out;
    ChildRun a = imr("audit --db '" + db + "' --json", dir_);
    ASSERT_EQ(a.code, 0) << db << ": " << a.err;
    audit[db] = a.out;
    ChildRun r = imr("review --json --db '" + db + "' --model '" + (dir_ / "m.model").string() + "' '" + p.string() + "'", dir_);
    ASSERT_EQ(r.code, 0) << db << ": " << r.err;
    review[db] = r.out;
  }
  std::system((psql + "'DROP SCHEMA IF EXISTS " + schema + " CASCADE' >/dev/null 2>&1").c_str());
  const std::string sqlite_db = (dir_ / "c.db").string();
  EXPECT_EQ(nlohmann::json::parse(eval[sqlite_db]), nlohmann::json::parse(eval[pg_db]));
  EXPECT_EQ(nlohmann::json::parse(audit[sqlite_db]), nlohmann::json::parse(audit[pg_db]));
  auto rs = nlohmann::json::parse(review[sqlite_db]), rp = nlohmann::json::parse(review[pg_db]);
  EXPECT_EQ(rs["items"][0]["p_overturn"], rp["items"][0]["p_overturn"]);
  EXPECT_EQ(rs["items"][0]["decision"], rp["items"][0]["decision"]);
}

}  // namespace
