#include "net/hosts_file.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace berth::net {
namespace {

using testing::ip;

constexpr const char* kDefaults =
    "127.0.0.1\tlocalhost\n"
    "::1\tlocalhost ip6-localhost ip6-loopback\n"
    "fe00::0\tip6-localnet\n"
    "ff00::0\tip6-mcastprefix\n"
    "ff02::1\tip6-allnodes\n"
    "ff02::2\tip6-allrouters\n";

TEST(HostsFile, LikeDocker) {
  HostsConfig c;
  c.hostname = "3f4e5c6d7a8b";
  c.addresses = {ip("172.18.0.2"), ip("fd00:1::2")};
  auto gw = parse_extra_host("host.docker.internal:host-gateway", {ip("172.17.0.1")});
  ASSERT_OK(gw);
  c.extra = *gw;
  c.extra.push_back(parse_extra_host("db=10.0.0.5", {})->at(0));
  c.extra.push_back(parse_extra_host("v6:[fd00::9]", {})->at(0));
  c.extra.push_back(parse_extra_host("v6b=::1", {})->at(0));
  EXPECT_EQ(build_hosts_file(c), std::string(kDefaults) +
                                     "172.17.0.1\thost.docker.internal\n"
                                     "10.0.0.5\tdb\n"
                                     "fd00::9\tv6\n"
                                     "::1\tv6b\n"
                                     "172.18.0.2\t3f4e5c6d7a8b\n"
                                     "fd00:1::2\t3f4e5c6d7a8b\n");
}

TEST(HostsFile, DomainNameAndNoNetwork) {
  HostsConfig c;
  c.hostname = "web";
  c.domainname = "corp.example";
  c.addresses = {ip("10.1.0.2")};
  EXPECT_EQ(build_hosts_file(c), std::string(kDefaults) + "10.1.0.2\tweb.corp.example web\n");
  HostsConfig none;  // --network none: only the defaults
  none.hostname = "x";
  EXPECT_EQ(build_hosts_file(none), kDefaults);
}

TEST(HostsFile, ExtraHostErrors) {
  EXPECT_ERROR(parse_extra_host("nocolon", {}), "bad format for add-host: \"nocolon\"");
  EXPECT_ERROR(parse_extra_host(":1.2.3.4", {}), "bad format for add-host: \":1.2.3.4\"");
  EXPECT_ERROR(parse_extra_host("h:1.2.3", {}), "invalid IP address in add-host: \"1.2.3\"");
  EXPECT_FALSE(parse_extra_host("h:host-gateway", {}).ok());
  auto both = parse_extra_host("h=host-gateway", {ip("172.17.0.1"), ip("fd00::1")});
  ASSERT_OK(both);
  EXPECT_EQ(both->size(), 2u);
}

}  // namespace
}  // namespace berth::net
