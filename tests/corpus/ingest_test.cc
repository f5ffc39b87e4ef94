// Ingest end to end, on both backends: the built `imr` binary killed mid-way (SIGKILL) leaves a
// consistent database and a re-run completes it; bad files never stop a run; the dev corpus
// gives the labels' counts and its PDF form adds nothing.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "imr/corpus/ingest.h"
#include "imr/corpus/store.h"
#include "store_testutil.h"

extern char** environ;

namespace imr::corpus {
namespace {

namespace fs = std::filesystem;
using testing::TestDb;

class IngestTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = std::make_unique<TestDb>(GetParam());
    if (!db_->available()) GTEST_SKIP() << testing::kSkipNoPostgres;
  }

  // Writes sample letters first..last as text files under dir()/letters; returns their items.
  std::int64_t write_letters(int first, int last) {
    fs::create_directories(letters_dir());
    std::int64_t items = 0;
    for (int n = first; n <= last; ++n) {
      std::ofstream(letters_dir() + "/letter-" + std::to_string(n) + ".txt") << testing::sample_letter_text(n);
      items += static_cast<std::int64_t>(testing::sample_letter(n).items.size());
    }
    return items;
  }
  std::string letters_dir() const { return db_->dir() + "/letters"; }

  // Starts `imr ARGS...` with output to files in dir(); returns the pid.
  pid_t spawn(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {IMR_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<char*> cargv;
    for (auto& a : argv) cargv.push_back(a.data());
    cargv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, (db_->dir() + "/stdout").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, (db_->dir() + "/stderr").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    pid_t pid = -1;
    int rc = posix_spawn(&pid, IMR_BINARY, &actions, nullptr, cargv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    EXPECT_EQ(rc, 0) << "cannot start " << IMR_BINARY;
    return pid;
  }
  // Runs `imr ARGS...` to the end; returns the exit status, and stdout in `out`.
  int run(const std::vector<std::string>& args, std::string* out = nullptr, std::string* err = nullptr) {
    pid_t pid = spawn(args);
    int status = 0;
    waitpid(pid, &status, 0);
    auto slurp = [&](const char* name) {
      std::ifstream f(db_->dir() + "/" + name);
      std::stringstream ss;
      ss << f.rdbuf();
      return ss.str();
    };
    if (out) *out = slurp("stdout");
    if (err) *err = slurp("stderr");
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

  std::int64_t letters_stored() {
    try {
      return db_->sql_int("SELECT count(*) FROM letters");
    } catch (const std::exception&) {
      return 0;  // not created yet
    }
  }

  // Every letter has all its items; nothing refers to what is not there; search covers every item.
  void expect_consistent() {
    EXPECT_EQ(db_->sql_int("SELECT count(*) FROM letters l WHERE item_count <> "
                           "(SELECT count(*) FROM items i WHERE i.letter_id = l.id)"),
              0);
    EXPECT_EQ(db_->sql_int("SELECT count(*) FROM items i WHERE NOT EXISTS (SELECT 1 FROM letters l WHERE l.id = i.letter_id)"), 0);
    EXPECT_EQ(db_->sql_int("SELECT count(*) FROM citations c WHERE NOT EXISTS (SELECT 1 FROM items i WHERE i.id = c.item_id)"), 0);
    EXPECT_EQ(db_->sql_int("SELECT coalesce(sum(item_count), 0) FROM letters"), db_->sql_int("SELECT count(*) FROM items"));
    if (GetParam() == "sqlite") {
      EXPECT_NO_THROW(db_->sql("INSERT INTO items_fts (items_fts) VALUES ('integrity-check')"));
      EXPECT_NO_THROW(db_->sql("INSERT INTO summaries_fts (summaries_fts) VALUES ('integrity-check')"));
    } else {
      EXPECT_EQ(db_->sql_int("SELECT count(*) FROM item_texts WHERE search_vector IS NULL"), 0);
      EXPECT_EQ(db_->sql_int("SELECT count(*) FROM letter_texts WHERE search_vector IS NULL"), 0);
    }
  }

  // `imr stats --json` with filters the rollup cannot answer (so from the saved statistics
  // index) prints what the store's own query gives.
  void expect_filtered_stats_as_store() {
    auto store = Store::open(db_->url(), OpenMode::kExisting);
    ASSERT_TRUE(store.ok()) << store.status().to_string();
    auto top = [&](GroupBy by) {
      auto st = (*store)->stats(by, {});
      return st.ok() && !st->groups.empty() ? st->groups.front().key : std::string("none");
    };
    struct Question {
      std::vector<std::string> args;
      GroupBy by;
      Filters filters;
    };
    std::string category = top(GroupBy::kCategory), specialty = top(GroupBy::kSpecialty);
    std::vector<Question> questions(4);
    questions[0] = {{"--by", "category", "--category", category}, GroupBy::kCategory, {}};
    questions[0].filters.category = category;
    questions[1] = {{"--by", "body-region", "--guideline", "mtus"}, GroupBy::kBodyRegion, {}};
    questions[1].filters.guideline = "mtus";
    questions[2] = {{"--by", "guideline", "--specialty", specialty, "--decision", "upheld"}, GroupBy::kGuideline, {}};
    questions[2].filters.specialty = specialty;
    questions[2].filters.decision = letter::Decision::kUpheld;
    questions[3] = {{"--by", "month", "--from", "2016-01-01", "--to", "2016-12-31"}, GroupBy::kMonth, {}};
    questions[3].filters.from = "2016-01-01";
    questions[3].filters.to = "2016-12-31";
    for (const auto& q : questions) {
      std::vector<std::string> args = {"stats", "--db", db_->url(), "--json"};
      args.insert(args.end(), q.args.begin(), q.args.end());
      std::string out, err;
      ASSERT_EQ(run(args, &out, &err), 0) << err;
      EXPECT_EQ(err, "");
      auto want = (*store)->stats(q.by, q.filters);
      ASSERT_TRUE(want.ok()) << want.status().to_string();
      nlohmann::json expected = {{"letters", want->letters}, {"items", want->items}, {"upheld", want->upheld},
                                 {"overturned", want->overturned}, {"groups", nlohmann::json::array()}};
      for (const auto& g : want->groups)
        expected["groups"].push_back({{"key", g.key}, {"items", g.items}, {"upheld", g.upheld}, {"overturned", g.overturned}});
      EXPECT_EQ(nlohmann::json::parse(out), expected) << q.args[1] << " " << q.args[3];
    }
  }

  std::unique_ptr<TestDb> db_;
};

INSTANTIATE_TEST_SUITE_P(Backends, IngestTest, ::testing::ValuesIn(testing::backends()),
                         [](const auto& info) { return info.param; });

TEST_P(IngestTest, KilledMidwayLeavesConsistentDatabaseAndRerunCompletes) {
  constexpr int kLetters = 600;
  std::int64_t items = write_letters(1, kLetters);
  int killed_midway = 0;
  for (std::int64_t kill_at : {30, 200, 420}) {
    pid_t pid = spawn({"ingest", "--db", db_->url(), "--batch", "10", "--jobs", "2", letters_dir()});
    int status = 0;
    bool exited = false;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (std::chrono::steady_clock::now() < deadline) {
      if (waitpid(pid, &status, WNOHANG) == pid) {
        exited = true;
        break;
      }
      if (letters_stored() >= kill_at) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    if (!exited) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
    }
    std::int64_t stored = letters_stored();
    if (!exited && stored < kLetters) ++killed_midway;
    SCOPED_TRACE("killed at " + std::to_string(stored) + " letters");
    expect_consistent();
    EXPECT_LE(stored, kLetters);
  }
  EXPECT_GE(killed_midway, 1) << "ingest finished before every kill; the test did not exercise a crash";

  std::string out, err;
  EXPECT_EQ(run({"ingest", "--db", db_->url(), letters_dir()}, &out, &err), 0) << out << err;
  EXPECT_NE(out.find(std::to_string(kLetters) + " files:"), std::string::npos) << out;
  EXPECT_EQ(letters_stored(), kLetters);
  EXPECT_EQ(db_->sql_int("SELECT count(*) FROM items"), items);
  expect_consistent();

  // A third run adds nothing.
  EXPECT_EQ(run({"ingest", "--db", db_->url(), letters_dir()}, &out), 0);
  EXPECT_NE(out.find("0 added, " + std::to_string(kLetters) + " already present, 0 failed"), std::string::npos) << out;
  // Whatever the kills left of the saved statistics index, what is read from it is right.
  EXPECT_EQ(db_->sql_int("SELECT max(through_letter_id) FROM stats_index_chunks"), kLetters);
  expect_filtered_stats_as_store();
}

// Ingest keeps the saved statistics index current (one partial chunk here, rewritten by each
// run), and `imr stats` answers from it, also when the chunk cannot be read.
TEST_P(IngestTest, FilteredStatsFromTheSavedIndexAnswerAsTheStore) {
  write_letters(1, 12);
  ASSERT_EQ(run({"ingest", "--db", db_->url(), letters_dir()}), 0);
  EXPECT_EQ(db_->sql_int("SELECT count(*) FROM stats_index_chunks"), 1);
  EXPECT_EQ(db_->sql_int("SELECT max(through_letter_id) FROM stats_index_chunks"), 12);
  expect_filtered_stats_as_store();

  write_letters(13, 20);
  ASSERT_EQ(run({"ingest", "--db", db_->url(), letters_dir()}), 0);
  EXPECT_EQ(db_->sql_int("SELECT count(*) FROM stats_index_chunks"), 1);
  EXPECT_EQ(db_->sql_int("SELECT max(through_letter_id) FROM stats_index_chunks"), 20);
  expect_filtered_stats_as_store();

  // An unreadable chunk: its letters come from the tables (fewer than a chunk: not saved by a reader).
  db_->sql("UPDATE stats_index_chunks SET format = 99");
  expect_filtered_stats_as_store();
  EXPECT_EQ(db_->sql_int("SELECT max(format) FROM stats_index_chunks"), 99);
}

TEST_P(IngestTest, BadFilesAreReportedAndNeverStopTheRun) {
  write_letters(1, 5);
  std::ofstream(letters_dir() + "/garbage.txt") << "This is a shopping list, not a determination letter.\n";
  std::ofstream(letters_dir() + "/empty.pdf").close();
  std::string out, err;
  EXPECT_EQ(run({"ingest", "--db", db_->url(), letters_dir(), db_->dir() + "/no-such-dir"}, &out, &err), 1);
  EXPECT_NE(out.find("7 files: 5 added, 0 already present, 3 failed"), std::string::npos) << out;
  EXPECT_NE(err.find("garbage.txt"), std::string::npos) << err;
  EXPECT_NE(err.find("empty.pdf"), std::string::npos) << err;
  EXPECT_NE(err.find("no-such-dir"), std::string::npos) << err;
  EXPECT_EQ(letters_stored(), 5);
  expect_consistent();
}

TEST_P(IngestTest, VerbsPrintTheDocumentedShapes) {
  write_letters(1, 12);
  ASSERT_EQ(run({"ingest", "--db", db_->url(), letters_dir()}), 0);
  std::string out, err;
  ASSERT_EQ(run({"stats", "--db", db_->url(), "--by", "decision", "--json"}, &out, &err), 0) << err;
  auto stats = nlohmann::json::parse(out);
  EXPECT_EQ(stats["letters"], 12);
  std::vector<std::string> keys;
  for (auto& [k, v] : stats.items()) keys.push_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{"groups", "items", "letters", "overturned", "upheld"}));  // sorted by json
  EXPECT_EQ(out.rfind("{\"letters\":", 0), 0u) << out;
  ASSERT_TRUE(stats["groups"].is_array());
  for (auto& g : stats["groups"]) EXPECT_EQ(g.size(), 4u);

  ASSERT_EQ(run({"search", "--db", db_->url(), "shoulder \"MRI", "--json", "--limit", "3"}, &out, &err), 0) << err;
  std::istringstream lines(out);
  std::string line;
  int n = 0;
  while (std::getline(lines, line)) {
    ++n;
    EXPECT_EQ(line.rfind("{\"case_number\":", 0), 0u) << line;
    auto hit = nlohmann::json::parse(line);
    EXPECT_EQ(hit.size(), 7u);
    for (const char* k : {"case_number", "item", "request", "decision", "category", "score", "snippet"})
      EXPECT_TRUE(hit.contains(k)) << k;
    EXPECT_NE(hit["snippet"].get<std::string>().find('['), std::string::npos);
  }
  EXPECT_EQ(n, 3);

  ASSERT_EQ(run({"export", "--db", db_->url(), "--format", "csv"}, &out, &err), 0) << err;
  EXPECT_EQ(out.rfind("letter_key,case_number,", 0), 0u);
  EXPECT_EQ(run({"search", "--db", db_->url(), "--decision", "maybe", "x"}), 2);
  EXPECT_EQ(run({"search", "--db", db_->url(), "--from", "yesterday", "x"}), 2);
  EXPECT_EQ(run({"stats", "--db", "sqlite:" + db_->dir() + "/nothing-here.db"}, &out, &err), 1);
  EXPECT_NE(err.find("nothing-here.db"), std::string::npos) << err;
}

TEST_P(IngestTest, DevCorpusGivesTheLabelsCountsAndPdfAddsNothing) {
  std::string dev = std::string(IMR_SHARED_DIR) + "/corpus/dev";
  if (!fs::exists(dev + "/text")) GTEST_SKIP() << "SKIP: no " << dev;
  auto store = Store::open(db_->url());
  ASSERT_TRUE(store.ok()) << store.status().to_string();
  auto normalizer = Normalizer::load();
  ASSERT_TRUE(normalizer.ok()) << normalizer.status().to_string();
  auto text = ingest(**store, *normalizer, {dev + "/text"});
  ASSERT_TRUE(text.ok()) << text.status().to_string();
  for (const auto& f : text->failures) ADD_FAILURE() << f.status.to_string();
  EXPECT_EQ(text->added, 120);
  auto check = [&] {
    auto st = (*store)->stats(GroupBy::kNone, {});
    ASSERT_TRUE(st.ok());
    EXPECT_EQ(st->letters, 120);
    EXPECT_EQ(st->items, 299);
    EXPECT_EQ(st->upheld, 264);
    EXPECT_EQ(st->overturned, 35);
  };
  check();
  auto pdf = ingest(**store, *normalizer, {dev + "/pdf"});
  ASSERT_TRUE(pdf.ok()) << pdf.status().to_string();
  for (const auto& f : pdf->failures) ADD_FAILURE() << f.status.to_string();
  EXPECT_EQ(pdf->added, 0);
  EXPECT_EQ(pdf->already_present, 120);
  check();
  expect_consistent();
}

}  // namespace
}  // namespace imr::corpus
