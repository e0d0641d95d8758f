#include "base/result.h"

#include <cerrno>

#include <gtest/gtest.h>

namespace berth {
namespace {

Result<int> half(int n) {
  if (n % 2 != 0) return make_error(ErrorCode::kInvalidArgument, "{} is odd", n);
  return n / 2;
}

Result<int> quarter(int n) {
  int h = TRY(half(n));
  return TRY_CTX(half(h), "second half");
}

Status check_positive(int n) {
  if (n <= 0) return errno_error(EINVAL, "check");
  return {};
}

Status check_both(int a, int b) {
  TRY(check_positive(a));
  TRY_CTX(check_positive(b), "b");
  return {};
}

TEST(ResultTest, ValuePropagates) {
  auto r = quarter(8);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, 2);
}

TEST(ResultTest, ErrorPropagatesWithContext) {
  auto r = quarter(6);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().message(), "second half: 3 is odd");
}

TEST(ResultTest, StatusCarriesErrno) {
  EXPECT_TRUE(check_both(1, 1).ok());
  auto st = check_both(1, -1);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().sys_errno(), EINVAL);
  EXPECT_EQ(st.error().to_string(), "b: check: Invalid argument");
}

TEST(ResultTest, ErrnoMapsToCanonicalCode) {
  EXPECT_EQ(errno_error(ENOENT, "x").code(), ErrorCode::kNotFound);
  EXPECT_EQ(errno_error(EEXIST, "x").code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(errno_error(EACCES, "x").code(), ErrorCode::kPermissionDenied);
}

TEST(ResultTest, MoveOnlyValues) {
  auto make = []() -> Result<std::unique_ptr<int>> { return std::make_unique<int>(7); };
  auto r = make();
  ASSERT_TRUE(r.ok());
  std::unique_ptr<int> p = r.take();
  EXPECT_EQ(*p, 7);
}

}  // namespace
}  // namespace berth
