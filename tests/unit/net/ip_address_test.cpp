#include "net/ip_address.h"

#include <gtest/gtest.h>

#include "net/mac_address.h"
#include "test_util.h"

namespace berth::net {
namespace {

using testing::ip;
using testing::prefix;

TEST(IpAddress, ParsesAndFormats) {
  auto a = IpAddress::parse("172.18.0.2");
  ASSERT_TRUE(a.ok());
  EXPECT_TRUE(a->is_v4());
  EXPECT_EQ(a->to_string(), "172.18.0.2");
  EXPECT_EQ(a->v4_number(), 0xac120002u);
  auto b = IpAddress::parse("fd00::1");
  ASSERT_TRUE(b.ok());
  EXPECT_TRUE(b->is_v6());
  EXPECT_EQ(b->to_string(), "fd00::1");
  EXPECT_EQ(ip("FD00:0::0:1").to_string(), "fd00::1");
  for (const char* bad : {"", "1.2.3", " 1.2.3.4", "[::1]", "256.1.1.1", "1.2.3.4/8",
                          "fe80::1%eth0", "::g", "1.2.3.4.5"}) {
    EXPECT_FALSE(IpAddress::parse(bad).ok()) << bad;
  }
}

TEST(IpAddress, Classifies) {
  EXPECT_TRUE(ip("127.0.0.53").is_loopback());
  EXPECT_TRUE(ip("::1").is_loopback());
  EXPECT_FALSE(ip("::2").is_loopback());
  EXPECT_TRUE(ip("0.0.0.0").is_unspecified());
  EXPECT_TRUE(ip("::").is_unspecified());
  EXPECT_TRUE(ip("fe80::1").is_link_local());
  EXPECT_TRUE(ip("169.254.1.1").is_link_local());
  EXPECT_FALSE(ip("fd00::1").is_link_local());
  EXPECT_LT(ip("10.0.0.1"), ip("10.0.0.2"));
  EXPECT_NE(ip("::"), ip("0.0.0.0"));
}

TEST(IpAddress, BytesRoundTrip) {
  auto a = ip("2001:db8::ff00:42:8329");
  auto b = a.bytes();
  EXPECT_EQ(IpAddress::from_bytes(Family::kV6, b.data()), a);
  EXPECT_EQ(IpAddress::from_number(Family::kV4, 0x1ffffffffULL).to_string(), "255.255.255.255");
}

TEST(Prefix, ParsesMasksAndCompares) {
  auto p = prefix("172.18.0.5/16");
  EXPECT_EQ(p.to_string(), "172.18.0.0/16");
  EXPECT_EQ(p.last().to_string(), "172.18.255.255");
  EXPECT_EQ(p.size(), Uint128{65536});
  EXPECT_TRUE(p.contains(ip("172.18.200.1")));
  EXPECT_FALSE(p.contains(ip("172.19.0.1")));
  EXPECT_FALSE(p.contains(ip("::1")));
  EXPECT_TRUE(p.overlaps(prefix("172.16.0.0/12")));
  EXPECT_TRUE(prefix("172.16.0.0/12").overlaps(p));
  EXPECT_FALSE(p.overlaps(prefix("172.19.0.0/16")));
  EXPECT_EQ(prefix("0.0.0.0/0").last().to_string(), "255.255.255.255");
  EXPECT_EQ(prefix("fd00::/8").last().to_string(), "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
  EXPECT_EQ(prefix("::/0").size(), Uint128{1} << 127);
  EXPECT_TRUE(prefix("10.0.0.0/31").is_point_to_point());
  EXPECT_FALSE(prefix("10.0.0.0/30").is_point_to_point());
  for (const char* bad : {"foo", "10.0.0.0", "10.0.0.0/", "10.0.0.0/33", "10.0.0.0/-1",
                          "10.0.0.0/1a", "::/129", "/8"}) {
    auto r = Prefix::parse(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().message(), std::string("invalid CIDR address: ") + bad);
  }
}

TEST(InterfaceAddress, KeepsHostBits) {
  auto a = InterfaceAddress::parse("172.18.0.2/16").take();
  EXPECT_EQ(a.to_string(), "172.18.0.2/16");
  EXPECT_EQ(a.subnet().to_string(), "172.18.0.0/16");
}

TEST(MacAddress, ParsesFormatsAndDerives) {
  auto m = MacAddress::parse("02:42:AC:11:00:02");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->to_string(), "02:42:ac:11:00:02");
  EXPECT_EQ(MacAddress::from_ipv4(ip("172.17.0.2")).to_string(), "02:42:ac:11:00:02");
  EXPECT_FALSE(MacAddress::parse("02:42:ac:11:00").ok());
  EXPECT_FALSE(MacAddress::parse("02:42:ac:11:00:0g").ok());
  auto r = MacAddress::random();
  EXPECT_EQ(r.bytes[0] & 0x03, 0x02);  // locally administered unicast
  EXPECT_FALSE(r.is_zero());
}

}  // namespace
}  // namespace berth::net
