#include "base/strings.h"

#include <gtest/gtest.h>

namespace berth {
namespace {

TEST(StringsTest, SplitKeepsEmptyParts) {
  EXPECT_EQ(split("a,,b", ','), (std::vector<std::string>{"a", "", "b"}));
  EXPECT_EQ(split("", ','), (std::vector<std::string>{""}));
}

TEST(StringsTest, SplitOnce) {
  bool found = false;
  auto [k, v] = split_once("KEY=a=b", '=', &found);
  EXPECT_TRUE(found);
  EXPECT_EQ(k, "KEY");
  EXPECT_EQ(v, "a=b");
  auto [k2, v2] = split_once("KEY", '=', &found);
  EXPECT_FALSE(found);
  EXPECT_EQ(k2, "KEY");
  EXPECT_EQ(v2, "");
}

TEST(StringsTest, ParseIntegers) {
  EXPECT_EQ(*parse_int64("-12"), -12);
  EXPECT_EQ(*parse_uint64("18446744073709551615"), UINT64_MAX);
  EXPECT_FALSE(parse_uint64("-1").ok());
  EXPECT_FALSE(parse_int("12x").ok());
  EXPECT_FALSE(parse_int("").ok());
  EXPECT_FALSE(parse_int("99999999999").ok());
}

TEST(StringsTest, RamBytesUsesBinaryUnits) {
  EXPECT_EQ(*parse_ram_bytes("100"), 100);
  EXPECT_EQ(*parse_ram_bytes("1k"), 1024);
  EXPECT_EQ(*parse_ram_bytes("64m"), 64LL * 1024 * 1024);
  EXPECT_EQ(*parse_ram_bytes("1.5g"), 1536LL * 1024 * 1024);
  EXPECT_EQ(*parse_ram_bytes("2GiB"), 2LL * 1024 * 1024 * 1024);
  EXPECT_FALSE(parse_ram_bytes("12q").ok());
  EXPECT_FALSE(parse_ram_bytes("m").ok());
}

TEST(StringsTest, NanoCpus) {
  EXPECT_EQ(*parse_nano_cpus("1.5"), 1'500'000'000);
  EXPECT_EQ(*parse_nano_cpus("0.01"), 10'000'000);
  EXPECT_FALSE(parse_nano_cpus("abc").ok());
}

TEST(StringsTest, TrimAndCase) {
  EXPECT_EQ(trim("  a b \n"), "a b");
  EXPECT_EQ(to_lower("SIGTERM"), "sigterm");
  EXPECT_EQ(to_upper("kill"), "KILL");
}

}  // namespace
}  // namespace berth
