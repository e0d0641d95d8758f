#include "base/time_format.h"

#include <gtest/gtest.h>

namespace berth {
namespace {

TEST(TimeFormatTest, FormatsLikeGoRfc3339Nano) {
  EXPECT_EQ(format_rfc3339_nano_ns(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(format_rfc3339_nano_ns(1'500'000'000), "1970-01-01T00:00:01.5Z");
  EXPECT_EQ(format_rfc3339_nano_ns(1700000000123456789), "2023-11-14T22:13:20.123456789Z");
}

TEST(TimeFormatTest, ParsesWithOffsetsAndFractions) {
  EXPECT_EQ(*parse_rfc3339_ns("2023-11-14T22:13:20.123456789Z"), 1700000000123456789);
  EXPECT_EQ(*parse_rfc3339_ns("2023-11-14T23:13:20+01:00"), 1700000000LL * 1'000'000'000);
  EXPECT_EQ(*parse_rfc3339_ns("1970-01-01T00:00:01.5Z"), 1'500'000'000);
  EXPECT_FALSE(parse_rfc3339_ns("2023-11-14").ok());
  EXPECT_FALSE(parse_rfc3339_ns("2023-11-14T22:13:20").ok());
  EXPECT_FALSE(parse_rfc3339_ns("2023-11-14T22:13:20.Z").ok());
}

}  // namespace
}  // namespace berth
