#include "net/nft/ruleset.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace berth::net::nft {
namespace {

using net::testing::expect_golden;
using net::testing::ip;
using net::testing::prefix;

NetworkRules user_network() {
  NetworkRules n;
  n.bridge = "br-0123456789ab";
  n.subnet_v4 = prefix("172.18.0.0/16");
  n.subnet_v6 = prefix("fd00:1::/64");
  return n;
}

TEST(Ruleset, Table) {
  expect_golden("nft_table_ip.txt", ensure_table_commands(TableFamily::kIp, "berth"));
  expect_golden("nft_table_ip6.txt", ensure_table_commands(TableFamily::kIp6, "berth"));
  EXPECT_EQ(delete_table_commands(TableFamily::kIp6, "t"), "delete table ip6 t\n");
}

TEST(Ruleset, Networks) {
  expect_golden("nft_network_ip.txt",
                add_network_commands(TableFamily::kIp, "berth", user_network()));
  expect_golden("nft_network_ip6.txt",
                add_network_commands(TableFamily::kIp6, "berth", user_network()));
  NetworkRules internal = user_network();
  internal.internal = true;
  internal.icc = false;
  expect_golden("nft_network_internal.txt",
                add_network_commands(TableFamily::kIp, "berth", internal));
  NetworkRules routed = user_network();
  routed.masquerade = false;
  std::string text = add_network_commands(TableFamily::kIp, "berth", routed);
  // No masquerading on the way out, only for published ports.
  EXPECT_EQ(text.find("oifname != "), std::string::npos);
  EXPECT_EQ(text.find("net-br-0123456789ab-to drop"), std::string::npos);
  expect_golden("nft_network_remove.txt",
                remove_network_commands(TableFamily::kIp, "berth", "br-0123456789ab"));
}

TEST(Ruleset, Ports) {
  std::vector<PortRule> rules = {
      {Protocol::kTcp, ip("0.0.0.0"), 8080, ip("172.18.0.2"), 80},
      {Protocol::kUdp, ip("127.0.0.1"), 5353, ip("172.18.0.2"), 53},
      {Protocol::kTcp, ip("::"), 8080, ip("fd00:1::2"), 80},
      {Protocol::kTcp, ip("::1"), 8443, ip("fd00:1::2"), 443},
  };
  std::string c = "3f4e5c6d7a8b";
  expect_golden("nft_ports.txt", add_port_commands(TableFamily::kIp, "berth", c, rules) +
                                     add_port_commands(TableFamily::kIp6, "berth", c, rules) +
                                     remove_port_commands(TableFamily::kIp, "berth", rules) +
                                     remove_port_commands(TableFamily::kIp6, "berth", rules));
}

TEST(Ruleset, Validation) {
  EXPECT_TRUE(validate_bridge_name("docker0").ok());
  EXPECT_TRUE(validate_bridge_name("br-0123456789ab").ok());
  EXPECT_TRUE(validate_bridge_name("my_br.1").ok());
  EXPECT_FALSE(validate_bridge_name("").ok());
  EXPECT_FALSE(validate_bridge_name("a-name-too-long-x").ok());
  EXPECT_FALSE(validate_bridge_name("br\"; flush ruleset").ok());
  EXPECT_FALSE(validate_bridge_name("br 0").ok());
  EXPECT_TRUE(validate_owner("3f4e5c6d7a8b").ok());
  EXPECT_FALSE(validate_owner("a\"b").ok());
  EXPECT_FALSE(validate_owner("a b").ok());
  EXPECT_FALSE(validate_owner("").ok());
}

}  // namespace
}  // namespace berth::net::nft
