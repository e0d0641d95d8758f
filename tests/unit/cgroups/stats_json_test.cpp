#include <gtest/gtest.h>

#include "cgroups/stats.h"

namespace berth::cgroups {
namespace {

TEST(StatsJsonTest, MatchesRuncEventsShape) {
  Stats stats;
  stats.cpu.usage = {5000, {3000, 2000}, {500, 500}, {2500, 1500}, 1000, 4000};
  stats.cpu.throttling = {10, 0, 0};
  stats.memory.cache = 4096;
  stats.memory.usage = {1048576, 12288, 20480, 0};
  stats.memory.raw = {{"cache", 4096}, {"rss", 8192}};
  stats.pids = {3, 0};
  stats.blkio.io_service_bytes_recursive = {{8, 0, "Read", 4096}, {8, 0, "Write", 0}};
  stats.hugetlb["2MB"] = {2097152, 0, 1};

  auto expected = Json::parse(R"({
    "cpu": {
      "usage": {"total": 5000, "percpu": [3000, 2000], "percpu_kernel": [500, 500],
                "percpu_user": [2500, 1500], "kernel": 1000, "user": 4000},
      "throttling": {"periods": 10}
    },
    "memory": {
      "cache": 4096,
      "usage": {"limit": 1048576, "usage": 12288, "max": 20480, "failcnt": 0},
      "swap": {"limit": 0, "failcnt": 0},
      "kernel": {"limit": 0, "failcnt": 0},
      "kernelTCP": {"limit": 0, "failcnt": 0},
      "raw": {"cache": 4096, "rss": 8192}
    },
    "pids": {"current": 3},
    "blkio": {"ioServiceBytesRecursive": [{"major": 8, "op": "Read", "value": 4096},
                                          {"major": 8, "op": "Write"}]},
    "hugetlb": {"2MB": {"usage": 2097152, "failcnt": 1}},
    "intel_rdt": {},
    "network_interfaces": null
  })");
  EXPECT_EQ(stats_to_runc_json(stats), expected) << stats_to_runc_json(stats).dump(2);
}

TEST(StatsJsonTest, EmptyStats) {
  auto json = stats_to_runc_json(Stats{});
  EXPECT_EQ(json["cpu"]["usage"], Json::parse(R"({"kernel": 0, "user": 0})"));
  EXPECT_EQ(json["cpu"]["throttling"], Json::object());
  EXPECT_EQ(json["pids"], Json::object());
  EXPECT_EQ(json["blkio"], Json::object());
  EXPECT_EQ(json["hugetlb"], Json::object());
  EXPECT_FALSE(json["memory"].contains("raw"));
  EXPECT_FALSE(json["memory"].contains("cache"));
  EXPECT_EQ(json["memory"]["usage"], Json::parse(R"({"limit": 0, "failcnt": 0})"));
}

}  // namespace
}  // namespace berth::cgroups
