// Netlink, namespaces and sysctls on the real kernel.
#include <sys/stat.h>

#include <gtest/gtest.h>

#include "base/file_util.h"
#include "base/strings.h"
#include "net/netlink/address.h"
#include "net/netlink/link.h"
#include "net/netlink/route.h"
#include "net/netns.h"
#include "net/sysctl.h"
#include "root_env.h"
#include "test_util.h"

namespace berth::net::testing {
namespace {

// The error code of a result, kUnknown when it succeeded (so checks never throw).
template <typename T>
ErrorCode code_of(const Result<T>& r) {
  return r.ok() ? ErrorCode::kUnknown : r.error().code();
}

using NetlinkRootTest = NetRootTest;

ino_t netns_inode(int fd) {
  struct stat st {};
  ::fstat(fd, &st);
  return st.st_ino;
}

TEST_F(NetlinkRootTest, NamespacesArePersistentAndJoinable) {
  std::string path = new_netns_path();
  ASSERT_OK(create_netns(path));
  auto twice = create_netns(path);
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().sys_errno(), EEXIST);
  auto fd = open_netns(path);
  ASSERT_OK(fd);
  auto host = open_current_netns();
  ASSERT_OK(host);
  EXPECT_NE(netns_inode(fd->get()), netns_inode(host->get()));
  // run_in_netns switches only its own thread.
  ino_t seen = 0;
  ASSERT_OK(run_in_netns(fd->get(), [&]() -> Status {
    auto self = open_current_netns();
    if (!self.ok()) return std::move(self).error();
    seen = netns_inode(self->get());
    return ok_status();
  }));
  EXPECT_EQ(seen, netns_inode(fd->get()));
  EXPECT_EQ(netns_inode(open_current_netns()->get()), netns_inode(host->get()));
  // Its loopback is up.
  auto inside = netlink::Socket::open_in_netns(fd->get());
  ASSERT_OK(inside);
  auto lo = netlink::get_link(*inside, "lo");
  ASSERT_OK(lo);
  EXPECT_TRUE(lo->up());
  ASSERT_OK(remove_netns(path));
  EXPECT_FALSE(path_exists(path));
  ASSERT_OK(remove_netns(path));  // idempotent
}

TEST_F(NetlinkRootTest, BridgesVethsAddressesRoutes) {
  std::string bridge = unique("nb");
  links_.push_back(bridge);
  netlink::BridgeSpec spec;
  spec.name = bridge;
  spec.mtu = 1400;
  ASSERT_OK(netlink::create_bridge(*host_, spec));
  auto again = netlink::create_bridge(*host_, spec);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().sys_errno(), EEXIST);
  EXPECT_NE(again.error().message().find("create bridge " + bridge), std::string::npos);
  ASSERT_OK(netlink::set_link_up(*host_, bridge));
  ASSERT_OK(
      netlink::add_address(*host_, bridge, InterfaceAddress::parse("10.213.250.1/24").take()));
  ASSERT_OK(
      netlink::add_address(*host_, bridge, InterfaceAddress::parse("fd00:bbbb::1/64").take()));
  auto info = netlink::get_link(*host_, bridge);
  ASSERT_OK(info);
  EXPECT_EQ(info->kind, "bridge");
  EXPECT_EQ(info->mtu, 1400);
  EXPECT_TRUE(info->up());

  // A veth whose peer is born inside a namespace as eth0.
  std::string ns_path = new_netns_path();
  ASSERT_OK(create_netns(ns_path));
  auto ns = open_netns(ns_path).take();
  std::string veth = unique("nv");
  links_.push_back(veth);
  netlink::VethSpec v;
  v.name = veth;
  v.peer_name = "eth0";
  v.peer_netns_fd = ns.get();
  v.mtu = 1400;
  v.peer_mac = MacAddress::parse("02:42:0a:d5:fa:02").take();
  ASSERT_OK(netlink::create_veth(*host_, v));
  ASSERT_OK(netlink::set_link_master(*host_, veth, bridge));
  ASSERT_OK(netlink::set_link_up(*host_, veth));
  EXPECT_EQ(netlink::get_link(*host_, veth)->master, info->index);
  // The peer never appears on the host (which may have an eth0 of its own).
  for (const auto& link : netlink::list_links(*host_).take()) {
    EXPECT_NE(link.mac.to_string(), "02:42:0a:d5:fa:02") << link.name;
  }

  auto inside = netlink::Socket::open_in_netns(ns.get()).take();
  auto eth0 = netlink::get_link(inside, "eth0");
  ASSERT_OK(eth0);
  EXPECT_EQ(eth0->kind, "veth");
  EXPECT_EQ(eth0->mac.to_string(), "02:42:0a:d5:fa:02");
  EXPECT_EQ(eth0->mtu, 1400);
  ASSERT_OK(netlink::set_link_mac(inside, "eth0", MacAddress::parse("02:42:0a:d5:fa:03").take()));
  EXPECT_EQ(netlink::get_link(inside, "eth0")->mac.to_string(), "02:42:0a:d5:fa:03");
  ASSERT_OK(
      netlink::add_address(inside, "eth0", InterfaceAddress::parse("10.213.250.2/24").take()));
  ASSERT_OK(
      netlink::add_address(inside, "eth0", InterfaceAddress::parse("fd00:bbbb::2/64").take()));
  ASSERT_OK(netlink::set_link_up(inside, "eth0"));
  ASSERT_OK(netlink::add_default_route(inside, IpAddress::parse("10.213.250.1").take(), "eth0"));
  ASSERT_OK(netlink::add_default_route(inside, IpAddress::parse("fd00:bbbb::1").take(), "eth0"));
  auto dup = netlink::add_default_route(inside, IpAddress::parse("10.213.250.1").take(), "eth0");
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().sys_errno(), EEXIST);

  auto addresses = netlink::list_addresses(inside);
  ASSERT_OK(addresses);
  std::vector<std::string> seen;
  for (const auto& a : *addresses) seen.push_back(a.address.to_string());
  EXPECT_NE(std::find(seen.begin(), seen.end(), "10.213.250.2/24"), seen.end());
  EXPECT_NE(std::find(seen.begin(), seen.end(), "fd00:bbbb::2/64"), seen.end());
  EXPECT_NE(std::find(seen.begin(), seen.end(), "127.0.0.1/8"), seen.end());

  for (Family family : {Family::kV4, Family::kV6}) {
    auto routes = netlink::list_routes(inside, family);
    ASSERT_OK(routes);
    bool has_default = false;
    for (const auto& r : *routes) {
      if (r.destination.length() == 0 && r.gateway) has_default = true;
    }
    EXPECT_TRUE(has_default) << family_name(family);
  }
  // The host's prefixes include the bridge's subnet unless the bridge is ignored.
  auto prefixes = netlink::host_prefixes(*host_);
  ASSERT_OK(prefixes);
  auto has = [](const std::vector<Prefix>& list, const char* p) {
    return std::find(list.begin(), list.end(), Prefix::parse(p).take()) != list.end();
  };
  EXPECT_TRUE(has(*prefixes, "10.213.250.0/24"));
  EXPECT_FALSE(has(*netlink::host_prefixes(*host_, {bridge}), "10.213.250.0/24"));

  // Connectivity over the bridge: the host reaches the namespace.
  auto listener = listen_tcp(ns.get(), IpAddress::parse("10.213.250.2").take(), 7000);
  ASSERT_OK(listener);
  ASSERT_OK(connect_tcp(-1, IpAddress::parse("10.213.250.2").take(), 7000, 2000));

  // Moving and renaming: a second pair made on the host, one end moved in and renamed.
  std::string a = unique("ma");
  std::string b = unique("mb");
  links_.push_back(a);
  netlink::VethSpec pair;
  pair.name = a;
  pair.peer_name = b;
  ASSERT_OK(netlink::create_veth(*host_, pair));
  ASSERT_OK(netlink::set_link_netns(*host_, b, ns.get()));
  EXPECT_EQ(code_of(netlink::get_link(*host_, b)), ErrorCode::kNotFound);
  ASSERT_OK(netlink::rename_link(inside, b, "eth1"));
  ASSERT_OK(netlink::get_link(inside, "eth1"));
  ASSERT_OK(netlink::set_bridge_port_hairpin(*host_, veth, true));

  ASSERT_OK(netlink::delete_link(*host_, veth));
  EXPECT_EQ(code_of(netlink::get_link(inside, "eth0")), ErrorCode::kNotFound);
  auto missing = netlink::delete_link(*host_, veth);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code(), ErrorCode::kNotFound);
  EXPECT_NE(missing.error().to_string().find("delete link " + veth), std::string::npos);
}

TEST_F(NetlinkRootTest, SysctlsAndBridgeSetupAreIdempotent) {
  TestNetwork& n = make_network("S");
  auto localnet = read_sysctl("net/ipv4/conf/" + n.id + "/route_localnet");
  ASSERT_OK(localnet);
  EXPECT_EQ(trim(*localnet), "1");
  EXPECT_EQ(trim(read_sysctl("net.ipv4.ip_forward").take()), "1");
  // Again (a daemon restart): the bridge, its address and its rules are kept.
  ASSERT_OK(setup_bridge(*host_, *firewall_, n.config));
  auto addresses = netlink::list_addresses(*host_, Family::kV4).take();
  int count = 0;
  int index = netlink::get_link(*host_, n.id)->index;
  for (const auto& a : addresses) count += a.index == index;
  EXPECT_EQ(count, 1);
  ASSERT_OK(teardown_bridge(*host_, *firewall_, n.id));
  EXPECT_EQ(code_of(netlink::get_link(*host_, n.id)), ErrorCode::kNotFound);
  EXPECT_EQ(firewall_->state()->bridges.count(n.id), 0u);
  ASSERT_OK(teardown_bridge(*host_, *firewall_, n.id));  // idempotent
}

}  // namespace
}  // namespace berth::net::testing
