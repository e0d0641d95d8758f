// Helpers shared by the net unit tests.
#pragma once

#include <string>

#include <gtest/gtest.h>

#include "base/file_util.h"
#include "net/ip_address.h"

#define ASSERT_OK(expr)                                                         \
  do {                                                                          \
    auto&& berth_assert_ok_ = (expr);                                           \
    ASSERT_TRUE(berth_assert_ok_.ok()) << berth_assert_ok_.error().to_string(); \
  } while (0)

#define EXPECT_ERROR(expr, text)                            \
  do {                                                      \
    auto&& berth_expect_error_ = (expr);                    \
    ASSERT_FALSE(berth_expect_error_.ok());                 \
    EXPECT_EQ(berth_expect_error_.error().message(), text); \
  } while (0)

namespace berth::net::testing {

inline IpAddress ip(const char* text) {
  return IpAddress::parse(text).take();
}
inline Prefix prefix(const char* text) {
  return Prefix::parse(text).take();
}

// A golden file under tests/unit/net/data. With BERTH_UPDATE_GOLDEN=1 in the environment,
// a mismatch rewrites the file instead of failing.
inline void expect_golden(const std::string& name, const std::string& actual) {
  std::string path = std::string(BERTH_TEST_DATA_DIR) + "/" + name;
  if (const char* update = std::getenv("BERTH_UPDATE_GOLDEN"); update && *update == '1') {
    ASSERT_TRUE(write_file(path, actual).ok());
    return;
  }
  auto expected = read_file(path);
  ASSERT_TRUE(expected.ok()) << "missing golden file " << path;
  EXPECT_EQ(actual, *expected) << "golden file " << path;
}

}  // namespace berth::net::testing
