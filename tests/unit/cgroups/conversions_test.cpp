#include "cgroups/conversions.h"

#include <gtest/gtest.h>

namespace berth::cgroups {
namespace {

TEST(ConversionsTest, SharesToWeightFitsTheDefaults) {
  EXPECT_EQ(cpu_shares_to_weight(0), 0u);  // unset
  EXPECT_EQ(cpu_shares_to_weight(1), 1u);
  EXPECT_EQ(cpu_shares_to_weight(2), 1u);
  EXPECT_EQ(cpu_shares_to_weight(1024), 100u);  // default shares -> default weight
  EXPECT_EQ(cpu_shares_to_weight(262144), 10000u);
  EXPECT_EQ(cpu_shares_to_weight(1u << 20), 10000u);
  // Points between, as runc computes them.
  EXPECT_EQ(cpu_shares_to_weight(3), 2u);
  EXPECT_EQ(cpu_shares_to_weight(100), 17u);
  EXPECT_EQ(cpu_shares_to_weight(512), 59u);
  EXPECT_EQ(cpu_shares_to_weight(2048), 174u);
  EXPECT_EQ(cpu_shares_to_weight(4096), 303u);
  EXPECT_EQ(cpu_shares_to_weight(100000), 4340u);
}

TEST(ConversionsTest, SharesToWeightIsMonotonic) {
  uint64_t previous = 0;
  for (uint64_t shares = 2; shares <= 262144; shares += 97) {
    uint64_t weight = cpu_shares_to_weight(shares);
    EXPECT_GE(weight, previous) << shares;
    EXPECT_GE(weight, 1u);
    EXPECT_LE(weight, 10000u);
    previous = weight;
  }
}

TEST(ConversionsTest, LinearSharesToWeightOfOlderRunc) {
  EXPECT_EQ(cpu_shares_to_weight_linear(0), 0u);
  EXPECT_EQ(cpu_shares_to_weight_linear(2), 1u);
  EXPECT_EQ(cpu_shares_to_weight_linear(1024), 39u);
  EXPECT_EQ(cpu_shares_to_weight_linear(2000), 77u);  // nerdctl's test value
  EXPECT_EQ(cpu_shares_to_weight_linear(262144), 10000u);
}

TEST(ConversionsTest, BlkioWeightToIoWeight) {
  EXPECT_EQ(blkio_weight_to_io_weight(0), 0u);
  EXPECT_EQ(blkio_weight_to_io_weight(10), 1u);
  EXPECT_EQ(blkio_weight_to_io_weight(500), 4950u);
  EXPECT_EQ(blkio_weight_to_io_weight(1000), 10000u);
}

TEST(ConversionsTest, MemorySwapToV2) {
  EXPECT_EQ(*memory_swap_to_v2(0, 0), 0);
  EXPECT_EQ(*memory_swap_to_v2(0, 1000), 0);    // swap unset
  EXPECT_EQ(*memory_swap_to_v2(0, -1), -1);     // unlimited memory: unlimited swap
  EXPECT_EQ(*memory_swap_to_v2(-1, 1000), -1);  // unlimited swap
  EXPECT_EQ(*memory_swap_to_v2(3000, 1000), 2000);
  EXPECT_EQ(*memory_swap_to_v2(1000, 1000), 0);     // memory+swap == memory: no swap
  EXPECT_FALSE(memory_swap_to_v2(500, 1000).ok());  // less than memory
  EXPECT_FALSE(memory_swap_to_v2(3000, 0).ok());    // no memory limit
  EXPECT_FALSE(memory_swap_to_v2(3000, -1).ok());
  EXPECT_EQ(v2_limit_string(-1), "max");
  EXPECT_EQ(v2_limit_string(4096), "4096");
}

}  // namespace
}  // namespace berth::cgroups
