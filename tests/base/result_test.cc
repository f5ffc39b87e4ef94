#include "imr/base/result.h"

#include <gtest/gtest.h>

namespace imr {
namespace {

Result<int> half(int x) {
  if (x % 2) return invalid_argument("odd: " + std::to_string(x));
  return x / 2;
}

Status twice_half(int x, int& out) {
  auto r = half(x);
  IMR_RETURN_IF_ERROR(r.status());
  out = *r;
  return {};
}

TEST(Result, HoldsValueOrStatus) {
  auto ok = half(4);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok, 2);
  auto bad = half(3);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(bad.status().message(), "odd: 3");
}

TEST(Result, ReturnIfErrorPropagates) {
  int out = -1;
  EXPECT_TRUE(twice_half(8, out).ok());
  EXPECT_EQ(out, 4);
  Status s = twice_half(5, out);
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
}

TEST(Status, ContextPrefixesMessage) {
  Status s = unrecognized("empty file").with_context("a.txt");
  EXPECT_EQ(s.message(), "a.txt: empty file");
  EXPECT_EQ(s.code(), Code::kUnrecognized);
  EXPECT_TRUE(Status().with_context("x").ok());
}

}  // namespace
}  // namespace imr
