#include "response_cache.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

namespace imr::server::internal {
namespace {

TEST(ResponseCache, AnswersOnlyAtTheGenerationItWasStoredAt) {
  ResponseCache cache(1 << 20);
  cache.put("q=mri", 7, "{\"hits\":[]}");
  EXPECT_EQ(cache.get("q=mri", 7), "{\"hits\":[]}");
  EXPECT_FALSE(cache.get("q=knee", 7));
  EXPECT_FALSE(cache.get("q=mri", 8));  // the store grew: stale, and dropped
  EXPECT_EQ(cache.entries(), 0u);
  EXPECT_FALSE(cache.get("q=mri", 7));
}

TEST(ResponseCache, EvictsTheLeastRecentlyUsedToStayWithinItsBytes) {
  const std::string body(100, 'x');
  ResponseCache cache(4 * (body.size() + 3));  // room for four entries of key "k#" + body
  for (int k = 0; k < 4; ++k) cache.put("k" + std::to_string(k) + "_", 1, body);
  EXPECT_EQ(cache.entries(), 4u);
  ASSERT_TRUE(cache.get("k0_", 1));  // k0 is now the most recently used; k1 the least
  cache.put("k4_", 1, body);
  EXPECT_EQ(cache.entries(), 4u);
  EXPECT_LE(cache.bytes(), 4 * (body.size() + 3));
  EXPECT_TRUE(cache.get("k0_", 1));
  EXPECT_FALSE(cache.get("k1_", 1));
  EXPECT_TRUE(cache.get("k4_", 1));
}

TEST(ResponseCache, ReplacesAnEntryAndKeepsNothingTooLargeOrWhenOff) {
  ResponseCache cache(1000);
  cache.put("a", 1, "old");
  cache.put("a", 2, "new");
  EXPECT_EQ(cache.entries(), 1u);
  EXPECT_EQ(cache.get("a", 2), "new");
  cache.put("big", 2, std::string(600, 'x'));  // over a quarter of the bound
  EXPECT_FALSE(cache.get("big", 2));
  ResponseCache off(0);
  off.put("a", 1, "x");
  EXPECT_FALSE(off.get("a", 1));
  EXPECT_EQ(off.entries(), 0u);
}

TEST(ResponseCache, OneCallerComputesWhileTheOthersWaitForItsAnswer) {
  ResponseCache cache(1 << 20);
  bool claimed = false;
  EXPECT_FALSE(cache.get_or_claim("q", 1, claimed));
  ASSERT_TRUE(claimed);
  std::atomic<int> computed{0};
  std::vector<std::thread> waiters;
  std::vector<std::string> answers(4);
  for (int k = 0; k < 4; ++k)
    waiters.emplace_back([&, k] {
      bool mine = false;
      auto body = cache.get_or_claim("q", 1, mine);
      if (mine) ++computed;
      answers[static_cast<std::size_t>(k)] = body.value_or("");
    });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  cache.put("q", 1, "answer");  // ends the claim and wakes the waiters
  for (auto& t : waiters) t.join();
  EXPECT_EQ(computed.load(), 0);
  for (const auto& a : answers) EXPECT_EQ(a, "answer");
}

TEST(ResponseCache, AReleasedOrStaleClaimLetsTheNextCallerCompute) {
  ResponseCache cache(1 << 20);
  bool claimed = false;
  cache.get_or_claim("q", 1, claimed);
  ASSERT_TRUE(claimed);
  bool second = true;
  // Another caller waits at most max_wait, then computes without a claim.
  EXPECT_FALSE(cache.get_or_claim("q", 1, second, std::chrono::milliseconds(20)));
  EXPECT_FALSE(second);
  cache.release("q");  // the first computation failed
  EXPECT_FALSE(cache.get_or_claim("q", 1, second));
  EXPECT_TRUE(second);
}

}  // namespace
}  // namespace imr::server::internal
