#include "image/platform.h"

#include <gtest/gtest.h>

namespace berth::image {
namespace {

Platform p(std::string os, std::string arch, std::string variant = "") {
  return Platform{std::move(os), std::move(arch), std::move(variant), "", {}};
}

TEST(PlatformTest, Parse) {
  EXPECT_EQ(parse_platform("linux/arm64/v8").value(), p("linux", "arm64"));
  EXPECT_EQ(parse_platform("linux/arm64").value(), p("linux", "arm64"));
  EXPECT_EQ(parse_platform("linux/amd64").value(), p("linux", "amd64"));
  EXPECT_EQ(parse_platform("linux/x86_64").value(), p("linux", "amd64"));
  EXPECT_EQ(parse_platform("linux/aarch64").value(), p("linux", "arm64"));
  EXPECT_EQ(parse_platform("linux/arm").value(), p("linux", "arm", "v7"));
  EXPECT_EQ(parse_platform("linux/arm/v6").value(), p("linux", "arm", "v6"));
  EXPECT_EQ(parse_platform("linux/armhf").value(), p("linux", "arm", "v7"));
  EXPECT_EQ(parse_platform("Linux/AMD64").value(), p("linux", "amd64"));
  EXPECT_EQ(parse_platform("windows/amd64").value(), p("windows", "amd64"));
  Platform host = host_platform();
  EXPECT_EQ(parse_platform("linux").value(), host);
  EXPECT_EQ(parse_platform("arm64").value(), p(host.os, "arm64"));
  for (const char* bad :
       {"", "linux/", "/amd64", "plan10/amd64", "linux/z80", "a/b/c/d", "linux amd64"}) {
    auto r = parse_platform(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(
        r.error().message(),
        "\"" + std::string(bad) + "\": unknown operating system or architecture: invalid argument");
  }
}

TEST(PlatformTest, Format) {
  EXPECT_EQ(format_platform(p("linux", "arm", "v7")), "linux/arm/v7");
  EXPECT_EQ(format_platform(p("linux", "amd64")), "linux/amd64");
}

TEST(PlatformTest, HostIsNormalised) {
  Platform host = host_platform();
  EXPECT_EQ(host.os, "linux");
  EXPECT_EQ(host, normalize(host));
  EXPECT_FALSE(host.architecture.empty());
}

TEST(PlatformTest, Matching) {
  EXPECT_TRUE(platform_matches(p("linux", "amd64"), p("linux", "amd64")));
  EXPECT_FALSE(platform_matches(p("linux", "amd64"), p("linux", "arm64")));
  EXPECT_FALSE(platform_matches(p("linux", "amd64"), p("windows", "amd64")));
  EXPECT_TRUE(platform_matches(p("linux", "arm64"), p("linux", "arm64", "v8")));
  EXPECT_TRUE(platform_matches(p("linux", "arm", "v7"), p("linux", "arm", "v6")));
  EXPECT_TRUE(platform_matches(p("linux", "arm", "v7"), p("linux", "arm", "v5")));
  EXPECT_FALSE(platform_matches(p("linux", "arm", "v6"), p("linux", "arm", "v7")));
  EXPECT_TRUE(platform_matches(p("linux", "amd64", "v3"), p("linux", "amd64", "v2")));
  EXPECT_FALSE(platform_matches(p("linux", "amd64"), p("linux", "amd64", "v3")));
  // A config without os (old Docker images) is linux.
  EXPECT_TRUE(platform_matches(p("linux", "amd64"), p("", "amd64")));
}

TEST(PlatformTest, BestPicksExactVariantThenNewestCompatible) {
  std::vector<Platform> list = {p("linux", "amd64"),       p("linux", "arm", "v5"),
                                p("linux", "arm", "v6"),   p("linux", "arm", "v7"),
                                p("linux", "arm64", "v8"), p("windows", "amd64")};
  EXPECT_EQ(best_platform(p("linux", "amd64"), list), 0u);
  EXPECT_EQ(best_platform(p("linux", "arm", "v7"), list), 3u);
  EXPECT_EQ(best_platform(p("linux", "arm", "v6"), list), 2u);
  EXPECT_EQ(best_platform(p("linux", "arm64"), list), 4u);
  EXPECT_EQ(best_platform(p("windows", "amd64"), list), 5u);
  EXPECT_EQ(best_platform(p("linux", "s390x"), list), std::nullopt);
  std::vector<Platform> old_arm = {p("linux", "arm", "v5"), p("linux", "arm", "v6")};
  EXPECT_EQ(best_platform(p("linux", "arm", "v7"), old_arm), 1u);
}

}  // namespace
}  // namespace berth::image
