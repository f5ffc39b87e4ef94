// The generation clock against a real store on each backend (server/generation.h).
#include "generation.h"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "../corpus/store_testutil.h"
#include "pool.h"

namespace imr::server::internal {
namespace {

using namespace std::chrono_literals;
namespace ct = imr::corpus::testing;

class GenerationClockTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = std::make_unique<ct::TestDb>(GetParam());
    if (!db_->available()) GTEST_SKIP() << ct::kSkipNoPostgres;
    pool_ = std::make_unique<ConnectionPool>(db_->url());
  }
  // Letters first..last stored by another connection, as another process's ingest would.
  std::int64_t put_samples(int first, int last) {
    auto store = corpus::Store::open(db_->url());
    EXPECT_TRUE(store.ok()) << store.status().to_string();
    std::vector<corpus::StoredLetter> batch;
    for (int n = first; n <= last; ++n) batch.push_back(ct::sample_stored(n));
    auto r = (*store)->put_letters(batch);
    EXPECT_TRUE(r.ok()) << r.status().to_string();
    return db_->sql_int("SELECT max(id) FROM letters");
  }
  std::unique_ptr<ct::TestDb> db_;
  std::unique_ptr<ConnectionPool> pool_;
};

INSTANTIATE_TEST_SUITE_P(Backends, GenerationClockTest, ::testing::ValuesIn(ct::backends()),
                         [](const auto& info) { return info.param; });

TEST_P(GenerationClockTest, FirstRequestAndTheFirstAfterAnIdleSpellReadTheStoreThemselves) {
  GenerationClock clock(*pool_, {.refresh = 20ms, .idle_after = 100ms});
  auto g = clock.now();
  ASSERT_TRUE(g.ok()) << g.status().to_string();
  EXPECT_EQ(*g, 0);
  EXPECT_EQ(clock.request_readings(), 1);
  std::int64_t newest = put_samples(1, 3);
  ASSERT_GT(newest, 0);
  // Idle: the background reading stops; the next request sees the new letters at once.
  std::this_thread::sleep_for(500ms);
  std::int64_t background = clock.background_readings();
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(clock.background_readings(), background) << "an idle server keeps reading the store";
  g = clock.now();
  ASSERT_TRUE(g.ok()) << g.status().to_string();
  EXPECT_EQ(*g, newest);
  EXPECT_EQ(clock.request_readings(), 2);
}

TEST_P(GenerationClockTest, WhileAskedTheBackgroundReadingFollowsTheStore) {
  GenerationClock clock(*pool_, {.refresh = 20ms, .idle_after = 10s});
  put_samples(1, 2);
  auto g = clock.now();
  ASSERT_TRUE(g.ok()) << g.status().to_string();
  std::int64_t newest = put_samples(3, 4);
  ASSERT_GT(newest, *g);
  for (int k = 0; k < 2000 && g.ok() && *g != newest; ++k) {
    std::this_thread::sleep_for(5ms);
    g = clock.now();
  }
  ASSERT_TRUE(g.ok()) << g.status().to_string();
  EXPECT_EQ(*g, newest);
  EXPECT_EQ(clock.request_readings(), 1) << "requests waited for the database";
  EXPECT_GE(clock.background_readings(), 1);
}

TEST_P(GenerationClockTest, AStoreThatCannotBeReadIsReportedNotHidden) {
  GenerationClock clock(*pool_, {.refresh = 20ms, .idle_after = 10s});
  ASSERT_TRUE(clock.now().ok());
  db_->sql("ALTER TABLE letters RENAME TO letters_gone");
  Result<std::int64_t> g = clock.now();
  for (int k = 0; k < 2000 && g.ok(); ++k) {
    std::this_thread::sleep_for(5ms);
    g = clock.now();
  }
  EXPECT_FALSE(g.ok()) << "the last good reading was served for ever";
}

TEST(GenerationClock, AnUnopenableStoreIsAnError) {
  ConnectionPool pool("sqlite:/nonexistent-dir/for/imr/test.db");
  GenerationClock clock(pool, {});
  EXPECT_FALSE(clock.now().ok());
  EXPECT_FALSE(clock.now().ok());
}

}  // namespace
}  // namespace imr::server::internal
