#include "net/nft/firewall_state.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace berth::net::nft {
namespace {

using net::testing::ip;

// Recorded from `nft -j list table ip berth` (nftables 1.0.6) with one network and two
// containers' ports, one of them without a comment.
constexpr const char* kListing = R"({"nftables": [
  {"metainfo": {"version": "1.0.6", "release_name": "Lester Gooch #5", "json_schema_version": 1}},
  {"table": {"family": "ip", "name": "berth", "handle": 7}},
  {"set": {"family": "ip", "name": "bridges", "table": "berth", "type": "ifname", "handle": 1,
           "elem": ["br-a"]}},
  {"map": {"family": "ip", "name": "fwd_from", "table": "berth", "type": "ifname", "handle": 2,
           "map": "verdict", "elem": [["br-a", {"jump": {"target": "net-br-a-from"}}],
                                      ["br-b", {"jump": {"target": "net-br-b-from"}}]]}},
  {"map": {"family": "ip", "name": "dnat_any", "table": "berth",
           "type": ["inet_proto", "inet_service"], "handle": 6, "map": "ipv4_addr . inet_service",
           "elem": [[{"elem": {"val": {"concat": ["tcp", 8080]}, "comment": "c1"}},
                     {"concat": ["172.18.0.2", 80]}],
                    [{"concat": ["udp", 53]}, {"concat": ["172.18.0.3", 5353]}]]}},
  {"map": {"family": "ip", "name": "dnat_addr", "table": "berth",
           "type": ["ipv4_addr", "inet_proto", "inet_service"], "handle": 7,
           "map": "ipv4_addr . inet_service",
           "elem": [[{"elem": {"val": {"concat": ["127.0.0.1", "udp", 8081]}, "comment": "c1"}},
                     {"concat": ["172.18.0.2", 81]}]]}},
  {"chain": {"family": "ip", "table": "berth", "name": "published", "handle": 8}},
  {"chain": {"family": "ip", "table": "berth", "name": "net-br-c-hairpin", "handle": 9}},
  {"chain": {"family": "ip", "table": "berth", "name": "net-x", "handle": 10}}
]})";

TEST(FirewallState, ParsesNetworksAndPortsByOwner) {
  FirewallState state;
  ASSERT_OK(parse_table_listing(Json::parse(kListing), &state));
  EXPECT_EQ(state.bridges, (std::set<std::string>{"br-a", "br-b", "br-c"}));
  ASSERT_EQ(state.ports.size(), 2u);
  std::vector<PortRule> c1 = {
      {Protocol::kTcp, ip("0.0.0.0"), 8080, ip("172.18.0.2"), 80},
      {Protocol::kUdp, ip("127.0.0.1"), 8081, ip("172.18.0.2"), 81},
  };
  std::sort(c1.begin(), c1.end());
  EXPECT_EQ(state.ports["c1"], c1);
  EXPECT_EQ(state.ports[""],
            (std::vector<PortRule>{{Protocol::kUdp, ip("0.0.0.0"), 53, ip("172.18.0.3"), 5353}}));
}

TEST(FirewallState, RejectsUnexpectedShapes) {
  FirewallState state;
  EXPECT_FALSE(parse_table_listing(Json::parse("[]"), &state).ok());
  EXPECT_FALSE(parse_table_listing(Json::parse(R"({"nftables": [{"map": {"name": "dnat_any",
      "elem": [[{"concat": ["tcp"]}, {"concat": ["172.18.0.2", 80]}]]}}]})"),
                                   &state)
                   .ok());
  EXPECT_FALSE(parse_table_listing(Json::parse(R"({"nftables": [{"map": {"name": "dnat_any",
      "elem": [[{"concat": ["tcp", 99999]}, {"concat": ["172.18.0.2", 80]}]]}}]})"),
                                   &state)
                   .ok());
  EXPECT_FALSE(parse_table_listing(Json::parse(R"({"nftables": [{"map": {"name": "dnat_addr",
      "elem": [[{"concat": ["x", "tcp", 1]}, {"concat": ["172.18.0.2", 80]}]]}}]})"),
                                   &state)
                   .ok());
  EXPECT_TRUE(parse_table_listing(Json::parse(R"({"nftables": []})"), &state).ok());
}

}  // namespace
}  // namespace berth::net::nft
