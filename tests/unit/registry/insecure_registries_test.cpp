#include "registry/insecure_registries.h"

#include <gtest/gtest.h>

namespace berth::registry {
namespace {

// Names resolve through this table only: no DNS in unit tests.
std::vector<std::string> fake_resolve(const std::string& host) {
  if (host == "internal.example") return {"10.1.2.3"};
  if (host == "localhost") return {"127.0.0.1", "::1"};
  if (host == "v6.example") return {"fd00::5"};
  return {};
}

TEST(InsecureRegistriesTest, LoopbackByDefault) {
  InsecureRegistries insecure({}, true, fake_resolve);
  EXPECT_TRUE(insecure.is_insecure("127.0.0.1:5000"));
  EXPECT_TRUE(insecure.is_insecure("127.5.6.7"));
  EXPECT_TRUE(insecure.is_insecure("localhost:5000"));
  EXPECT_TRUE(insecure.is_insecure("[::1]:5000"));
  EXPECT_TRUE(insecure.is_insecure("::1"));
  EXPECT_FALSE(insecure.is_insecure("128.0.0.1:5000"));
  EXPECT_FALSE(insecure.is_insecure("registry-1.docker.io"));
  EXPECT_FALSE(insecure.is_insecure("internal.example:5000"));

  InsecureRegistries strict({}, false, fake_resolve);
  EXPECT_FALSE(strict.is_insecure("127.0.0.1:5000"));
  EXPECT_FALSE(strict.is_insecure("localhost:5000"));
}

TEST(InsecureRegistriesTest, NamesMatchExactly) {
  InsecureRegistries insecure({"myregistry:5000", "Other.Example", "http://schemed.example:80/"},
                              false, fake_resolve);
  EXPECT_TRUE(insecure.is_insecure("myregistry:5000"));
  EXPECT_TRUE(insecure.is_insecure("MyRegistry:5000"));
  EXPECT_FALSE(
      insecure.is_insecure("myregistry:5001"));  // as dockerd: the port is part of the name
  EXPECT_FALSE(insecure.is_insecure("myregistry"));
  EXPECT_TRUE(insecure.is_insecure("other.example"));
  EXPECT_FALSE(insecure.is_insecure("other.example:443"));
  EXPECT_TRUE(insecure.is_insecure("schemed.example:80"));
}

TEST(InsecureRegistriesTest, CidrsMatchAddresses) {
  InsecureRegistries insecure(
      {"10.0.0.0/8", "192.168.1.0/24", "172.16.5.4/32", "fd00::/8", "bogus/99"}, false,
      fake_resolve);
  EXPECT_TRUE(insecure.is_insecure("10.200.0.1:5000"));
  EXPECT_TRUE(insecure.is_insecure("192.168.1.254"));
  EXPECT_FALSE(insecure.is_insecure("192.168.2.1"));
  EXPECT_TRUE(insecure.is_insecure("172.16.5.4:443"));
  EXPECT_FALSE(insecure.is_insecure("172.16.5.5:443"));
  EXPECT_TRUE(insecure.is_insecure("internal.example:5000"));  // resolves into 10/8
  EXPECT_TRUE(insecure.is_insecure("[fd12::1]:5000"));
  EXPECT_TRUE(insecure.is_insecure("v6.example"));
  EXPECT_FALSE(insecure.is_insecure("unresolvable.example"));
  EXPECT_FALSE(insecure.is_insecure("127.0.0.1"));
}

TEST(InsecureRegistriesTest, OddPrefixLengths) {
  InsecureRegistries insecure({"10.0.0.0/9", "0.0.0.0/0"}, false, fake_resolve);
  EXPECT_TRUE(insecure.is_insecure("8.8.8.8"));  // /0 matches everything IPv4
  InsecureRegistries nine({"10.0.0.0/9"}, false, fake_resolve);
  EXPECT_TRUE(nine.is_insecure("10.127.255.255"));
  EXPECT_FALSE(nine.is_insecure("10.128.0.0"));
}

TEST(InsecureRegistriesTest, SplitHostPort) {
  EXPECT_EQ(split_host_port("h:5000"), (std::pair<std::string, std::string>{"h", "5000"}));
  EXPECT_EQ(split_host_port("h"), (std::pair<std::string, std::string>{"h", ""}));
  EXPECT_EQ(split_host_port("[::1]:5000"), (std::pair<std::string, std::string>{"::1", "5000"}));
  EXPECT_EQ(split_host_port("[::1]"), (std::pair<std::string, std::string>{"::1", ""}));
  EXPECT_EQ(split_host_port("fe80::1"), (std::pair<std::string, std::string>{"fe80::1", ""}));
}

}  // namespace
}  // namespace berth::registry
