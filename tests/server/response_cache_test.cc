#include "response_cache.h"

#include <gtest/gtest.h>

#include <string>

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

}  // namespace
}  // namespace imr::server::internal
