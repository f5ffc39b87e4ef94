#include "imr/base/text.h"

#include <gtest/gtest.h>

#include "imr/base/parallel.h"

namespace imr::text {
namespace {

TEST(Text, FoldSpaceCollapsesRunsAndTrims) {
  EXPECT_EQ(fold_space("  a \t b\n\nc  "), "a b c");
  EXPECT_EQ(fold_space(""), "");
  EXPECT_EQ(fold_space("Dr.  recommended"), "Dr. recommended");
}

TEST(Text, SplitListTrimsAndDropsEmpty) {
  EXPECT_EQ(split_list("California,North Carolina, ,Texas ", ','),
            (std::vector<std::string>{"California", "North Carolina", "Texas"}));
}

TEST(Text, Utf8Sanitising) {
  EXPECT_TRUE(valid_utf8("caf\xC3\xA9"));
  EXPECT_FALSE(valid_utf8("bad \xC3"));
  EXPECT_FALSE(valid_utf8("\xED\xA0\x80"));  // surrogate
  EXPECT_TRUE(valid_utf8(sanitize_utf8("bad \xC3 \xFF")));
}

TEST(Text, AsciiPunctuation) {
  EXPECT_EQ(ascii_punctuation("\xEF\xAC\x81ne\xC2\xA0" "day"), "fine day");
  // Quotes are the letter's text, not layout: kept.
  EXPECT_EQ(ascii_punctuation("claimant\xE2\x80\x99s"), "claimant\xE2\x80\x99s");
}

TEST(Text, CaseInsensitiveHelpers) {
  EXPECT_TRUE(starts_with_icase("Decision Rationale: x", "decision rationale"));
  EXPECT_TRUE(ends_with_icase("is: UPHELD", "upheld"));
  EXPECT_FALSE(ends_with_icase("x", "longer"));
}

TEST(Parallel, OrderedAndComplete) {
  std::vector<std::size_t> seen;
  parallel_ordered<std::size_t>(
      1000, 4, [](std::size_t i) { return i * i; },
      [&](std::size_t i, std::size_t& v) {
        EXPECT_EQ(v, i * i);
        seen.push_back(i);
      },
      3);
  ASSERT_EQ(seen.size(), 1000u);
  for (std::size_t i = 0; i < seen.size(); ++i) EXPECT_EQ(seen[i], i);
}

}  // namespace
}  // namespace imr::text
