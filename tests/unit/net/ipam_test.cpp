#include "net/ipam.h"

#include <set>

#include <gtest/gtest.h>

#include "test_util.h"

namespace berth::net {
namespace {

using testing::ip;
using testing::prefix;

PoolRequest subnet(const char* s, const char* range = "", const char* gateway = "") {
  PoolRequest r;
  r.subnet = s;
  r.ip_range = range;
  r.gateway = gateway;
  return r;
}

TEST(Ipam, DefaultPoolsFollowDockers) {
  Ipam ipam;
  auto bridge = ipam.add_pool("bridge", {});
  ASSERT_OK(bridge);
  EXPECT_EQ(bridge->subnet.to_string(), "172.17.0.0/16");
  EXPECT_EQ(bridge->gateway->to_string(), "172.17.0.1");
  EXPECT_TRUE(bridge->defaulted);
  EXPECT_EQ(ipam.add_pool("n1", {})->subnet.to_string(), "172.18.0.0/16");
  EXPECT_EQ(ipam.add_pool("n2", {})->subnet.to_string(), "172.19.0.0/16");
  EXPECT_EQ(ipam.add_pool("n3", {})->subnet.to_string(), "172.20.0.0/16");
  ipam.remove_pools("n1");
  EXPECT_EQ(ipam.add_pool("n4", {})->subnet.to_string(), "172.18.0.0/16");
}

TEST(Ipam, DefaultPoolsSkipHostRoutesAndTakenSubnets) {
  Ipam ipam;
  ASSERT_OK(ipam.add_pool("user", subnet("172.18.5.0/24")));
  std::vector<Prefix> host = {prefix("172.17.0.0/16"), prefix("172.19.0.0/17"),
                              prefix("0.0.0.0/0")};
  auto p = ipam.add_pool("n", {}, host);
  ASSERT_OK(p);
  EXPECT_EQ(p->subnet.to_string(), "172.20.0.0/16");  // the default route does not count
}

TEST(Ipam, DefaultPoolsExhaust) {
  Ipam ipam({{prefix("10.10.0.0/23"), 24}}, {});
  ASSERT_OK(ipam.add_pool("a", {}));
  ASSERT_OK(ipam.add_pool("b", {}));
  EXPECT_ERROR(ipam.add_pool("c", {}),
               "could not find an available, non-overlapping IPv4 address pool among the "
               "defaults to assign to the network");
  EXPECT_ERROR(ipam.add_pool("v6", PoolRequest{Family::kV6}),
               "could not find an available, non-overlapping IPv6 address pool among the "
               "defaults to assign to the network");
}

TEST(Ipam, ConfigurableDefaultPools) {
  auto pools = parse_default_pools(Json::parse(R"([{"base":"10.20.0.0/16","size":24}])"));
  ASSERT_OK(pools);
  Ipam ipam(*pools, {});
  EXPECT_EQ(ipam.add_pool("a", {})->subnet.to_string(), "10.20.0.0/24");
  EXPECT_EQ(ipam.add_pool("b", {})->subnet.to_string(), "10.20.1.0/24");
  EXPECT_FALSE(parse_default_pools(Json::parse(R"([{"base":"10.20.0.0/16","size":8}])")).ok());
  EXPECT_FALSE(parse_default_pools(Json::parse(R"([{"base":"nope","size":24}])")).ok());
  EXPECT_FALSE(parse_default_pools(Json::parse(R"({"base":"10.0.0.0/8"})")).ok());
}

TEST(Ipam, Ipv6DefaultAndExplicit) {
  Ipam ipam;
  auto p = ipam.add_pool("n", PoolRequest{Family::kV6});
  ASSERT_OK(p);
  EXPECT_EQ(p->subnet.to_string(), "fd00::/64");
  EXPECT_EQ(p->gateway->to_string(), "fd00::1");
  EXPECT_EQ(ipam.add_pool("m", PoolRequest{Family::kV6})->subnet.to_string(), "fd00:0:0:1::/64");
  auto a = ipam.allocate("n", Family::kV6);
  ASSERT_OK(a);
  EXPECT_EQ(a->to_string(), "fd00::2");
  // Both families on one network.
  ASSERT_OK(ipam.add_pool("n", {}));
  EXPECT_EQ(ipam.allocate("n", Family::kV4)->to_string(), "172.17.0.2");
}

TEST(Ipam, InvalidRequests) {
  Ipam ipam;
  EXPECT_ERROR(ipam.add_pool("n", subnet("foo")), "Invalid subnet foo : invalid CIDR address: foo");
  EXPECT_ERROR(ipam.add_pool("n", subnet("10.0.0.0/24", "10.0.1.0/25")),
               "no matching subnet for range 10.0.1.0/25");
  EXPECT_ERROR(ipam.add_pool("n", subnet("10.0.0.0/24", "", "10.0.1.1")),
               "no matching subnet for gateway 10.0.1.1");
  EXPECT_ERROR(ipam.add_pool("n", subnet("10.0.0.0/24", "", "nope")),
               "invalid gateway address nope");
  EXPECT_ERROR(ipam.add_pool("n", subnet("10.0.0.0/24", "bad")),
               "Invalid ip-range bad : invalid CIDR address: bad");
  PoolRequest no_subnet;
  no_subnet.gateway = "10.0.0.1";
  EXPECT_ERROR(ipam.add_pool("n", no_subnet), "ip-range, gateway and aux-address require a subnet");
  EXPECT_TRUE(ipam.pools().empty());  // failed requests leave nothing behind
}

TEST(Ipam, OverlapsAreRefused) {
  Ipam ipam;
  ASSERT_OK(ipam.add_pool("a", subnet("10.1.0.0/16")));
  EXPECT_ERROR(ipam.add_pool("b", subnet("10.1.2.0/24")),
               "Pool overlaps with other one on this address space");
  EXPECT_ERROR(ipam.add_pool("b", subnet("10.0.0.0/8")),
               "Pool overlaps with other one on this address space");
  auto host = ipam.add_pool("c", subnet("192.0.2.0/25"), {prefix("192.0.2.0/24")});
  ASSERT_FALSE(host.ok());
  EXPECT_EQ(host.error().code(), ErrorCode::kConflict);
  EXPECT_EQ(host.error().message(),
            "subnet 192.0.2.0/25 overlaps with the host's route or address 192.0.2.0/24");
  ASSERT_OK(ipam.add_pool("d", subnet("10.2.0.0/16")));
  EXPECT_ERROR(ipam.add_pool("d", subnet("10.3.0.0/16")), "network d already has an IPv4 pool");
}

TEST(Ipam, AllocatesEachAddressOnceUntilExhausted) {
  Ipam ipam;
  ASSERT_OK(ipam.add_pool("n", subnet("10.5.0.0/29")));  // .1 gateway, .2-.6 hosts, .7 bcast
  std::set<std::string> got;
  for (int i = 0; i < 5; ++i) {
    auto a = ipam.allocate("n", Family::kV4);
    ASSERT_OK(a);
    EXPECT_TRUE(got.insert(a->to_string()).second) << a->to_string();
  }
  EXPECT_EQ(got,
            (std::set<std::string>{"10.5.0.2", "10.5.0.3", "10.5.0.4", "10.5.0.5", "10.5.0.6"}));
  EXPECT_ERROR(ipam.allocate("n", Family::kV4), "no available addresses on this pool");
  ASSERT_OK(ipam.release("n", ip("10.5.0.4")));
  EXPECT_EQ(ipam.allocate("n", Family::kV4)->to_string(), "10.5.0.4");
  EXPECT_ERROR(ipam.release("n", ip("10.5.0.1")), "address 10.5.0.1 is not allocated in network n");
  EXPECT_ERROR(ipam.allocate("x", Family::kV4), "network x has no IPv4 pool");
}

TEST(Ipam, SerialAllocationDoesNotReuseAtOnce) {
  Ipam ipam;
  ASSERT_OK(ipam.add_pool("n", subnet("10.6.0.0/24")));
  EXPECT_EQ(ipam.allocate("n", Family::kV4)->to_string(), "10.6.0.2");
  EXPECT_EQ(ipam.allocate("n", Family::kV4)->to_string(), "10.6.0.3");
  ASSERT_OK(ipam.release("n", ip("10.6.0.2")));
  EXPECT_EQ(ipam.allocate("n", Family::kV4)->to_string(), "10.6.0.4");
}

TEST(Ipam, RangeAndExplicitAddresses) {
  Ipam ipam;
  PoolRequest r = subnet("10.7.0.0/24", "10.7.0.128/30", "10.7.0.254");
  r.aux_addresses = {{"router", "10.7.0.129"}};
  auto p = ipam.add_pool("n", r);
  ASSERT_OK(p);
  EXPECT_EQ(p->gateway->to_string(), "10.7.0.254");
  // The range is .128-.131; .129 is reserved.
  EXPECT_EQ(ipam.allocate("n", Family::kV4)->to_string(), "10.7.0.128");
  EXPECT_EQ(ipam.allocate("n", Family::kV4)->to_string(), "10.7.0.130");
  EXPECT_EQ(ipam.allocate("n", Family::kV4)->to_string(), "10.7.0.131");
  EXPECT_ERROR(ipam.allocate("n", Family::kV4), "no available addresses on this pool");
  // --ip may be anywhere in the subnet, the range notwithstanding.
  EXPECT_EQ(ipam.allocate("n", Family::kV4, ip("10.7.0.10"))->to_string(), "10.7.0.10");
  EXPECT_ERROR(ipam.allocate("n", Family::kV4, ip("10.7.0.10")), "Address already in use");
  EXPECT_ERROR(ipam.allocate("n", Family::kV4, ip("10.7.0.254")), "Address already in use");
  EXPECT_ERROR(ipam.allocate("n", Family::kV4, ip("10.7.0.129")), "Address already in use");
  EXPECT_ERROR(ipam.allocate("n", Family::kV4, ip("10.8.0.1")),
               "requested address is out of range");
  EXPECT_ERROR(ipam.allocate("n", Family::kV4, ip("10.7.0.0")),
               "requested address is out of range");
  EXPECT_ERROR(ipam.allocate("n", Family::kV4, ip("10.7.0.255")),
               "requested address is out of range");
}

TEST(Ipam, PointToPointSubnets) {
  Ipam ipam;
  ASSERT_OK(ipam.add_pool("n", subnet("10.9.0.0/31", "", "10.9.0.0")));
  EXPECT_EQ(ipam.allocate("n", Family::kV4)->to_string(), "10.9.0.1");
  EXPECT_FALSE(ipam.allocate("n", Family::kV4).ok());
}

TEST(Ipam, JsonRoundTrip) {
  Ipam ipam;
  PoolRequest r = subnet("10.7.0.0/24", "10.7.0.128/25");
  r.aux_addresses = {{"x", "10.7.0.5"}};
  ASSERT_OK(ipam.add_pool("n", r));
  ASSERT_OK(ipam.add_pool("d", {}));
  ASSERT_OK(ipam.allocate("n", Family::kV4));
  ASSERT_OK(ipam.allocate("n", Family::kV4, ip("10.7.0.9")));
  Json j = ipam.to_json();
  auto back =
      Ipam::from_json(Json::parse(j.dump()), docker_default_pools_v4(), docker_default_pools_v6());
  ASSERT_OK(back);
  EXPECT_EQ(back->to_json(), j);
  // The cursor survives: the next address is not handed out again.
  EXPECT_EQ(back->allocate("n", Family::kV4)->to_string(), "10.7.0.129");
  EXPECT_ERROR(back->allocate("n", Family::kV4, ip("10.7.0.9")), "Address already in use");
  EXPECT_EQ(back->add_pool("e", {})->subnet.to_string(), "172.18.0.0/16");

  for (const char* bad :
       {R"({})", R"({"pools":[{"network":1}]})", R"({"pools":[{"network":"n","subnet":"x"}]})",
        R"({"pools":[{"network":"n","subnet":"10.0.0.0/24","allocated":["10.1.0.1"]}]})",
        R"({"pools":[{"network":"n","subnet":"10.0.0.0/24","ip_range":5}]})"}) {
    EXPECT_FALSE(Ipam::from_json(Json::parse(bad), {}, {}).ok()) << bad;
  }
}

}  // namespace
}  // namespace berth::net
