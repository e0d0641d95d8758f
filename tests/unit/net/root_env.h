// The root tests' world: bridges, veths, network namespaces standing in for containers, an
// "outside" namespace standing in for the internet, busybox processes, and Berth's firewall in
// a table of the test's own. Every name carries the test process's id; everything made is
// recorded and removed in TearDown, whether or not the test passed.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "base/unique_fd.h"
#include "net/bridge_network.h"
#include "net/ip_address.h"
#include "net/ipam.h"
#include "net/netlink/socket.h"
#include "net/nft/firewall.h"
#include "net/port_allocator.h"
#include "net/port_publisher.h"

namespace berth::net::testing {

struct TestNetwork {
  std::string id;
  BridgeConfig config;
  Prefix subnet;
  IpAddress gateway;
  std::optional<Prefix> subnet_v6;
  std::optional<IpAddress> gateway_v6;
};

struct TestContainer {
  std::string name;
  std::string netns_path;
  UniqueFd netns;
  std::string host_ifname;
  IpAddress address;
  std::optional<IpAddress> address_v6;
};

struct CommandResult {
  int exit_code = -1;  // -1: killed at the timeout
  std::string output;  // stdout and stderr
};

class NetRootTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // "bt" + 4 hex digits of the pid + suffix: unique per test process, within IFNAMSIZ.
  std::string unique(const std::string& suffix) const;

  // A bridge network with a /24 from 10.213.0.0/16 that no host route uses, and with `ipv6`
  // also a /64 of fd5b:e47d:213::/48.
  TestNetwork& make_network(const std::string& suffix, bool internal = false, bool ipv6 = false);
  // A network namespace attached to `network` with the next address, default route unless
  // the network is internal.
  TestContainer& make_container(TestNetwork& network, const std::string& suffix);
  // A namespace reachable from the host over a veth (host end gets .1/30, the namespace .2),
  // with no route back to the containers' subnets: what it sees came through masquerading.
  // The same for IPv6 with a /64 of fd5b:e47d:ffff::/48.
  void make_outside();

  // Starts /bin/busybox with `args` inside the namespace (-1: the host's); killed at teardown.
  pid_t spawn(int netns_fd, const std::vector<std::string>& args);
  // Runs it to completion (or kills it after timeout_ms).
  CommandResult run(int netns_fd, const std::vector<std::string>& args, int timeout_ms = 5000);
  // busybox httpd serving `body` as /index.html on `port` inside the namespace.
  void start_httpd(int netns_fd, uint16_t port, const std::string& body);
  // A UDP echo server in the namespace (answers "echo:" + payload), served by a test thread.
  void start_udp_echo(int netns_fd, uint16_t port);

  // A fresh path for a namespace in the test's directory (removed at teardown).
  std::string new_netns_path();

  // The host's global IPv4 address that is not on a test interface (the primary one), or the
  // outside veth's host address when there is none.
  IpAddress host_address();
  // The same for IPv6 (a global address, not link-local).
  IpAddress host_address_v6();

  std::unique_ptr<nft::Firewall> firewall_;
  std::optional<netlink::Socket> host_;
  Ipam ipam_{{{Prefix::parse("10.213.0.0/16").take(), 24}},
             {{Prefix::parse("fd5b:e47d:213::/48").take(), 64}}};
  std::vector<Prefix> host_prefixes_;
  std::string netns_dir_;
  std::string work_dir_;
  std::vector<std::unique_ptr<TestNetwork>> networks_;
  std::vector<std::unique_ptr<TestContainer>> containers_;
  std::vector<std::string> links_;  // deleted at teardown
  std::vector<pid_t> children_;
  std::string saved_ip_forward_;
  std::string saved_ipv6_forwarding_;

  // The outside namespace.
  UniqueFd outside_netns_;
  IpAddress outside_host_address_;  // the host's end
  IpAddress outside_address_;       // the namespace's end
  IpAddress outside_host_address_v6_;
  IpAddress outside_address_v6_;

 private:
  struct UdpEcho {
    UniqueFd fd;
    std::thread thread;
  };
  std::atomic<bool> stop_{false};
  std::vector<std::unique_ptr<UdpEcho>> echoes_;
  int next_suffix_ = 0;
};

// Client helpers; netns_fd -1 means the host's namespace. The socket is made in the namespace
// and used from the calling thread.
//
// Sends "GET / HTTP/1.0" and returns the whole response; an error on timeout or refusal.
Result<std::string> http_get(int netns_fd, const IpAddress& address, uint16_t port,
                             int timeout_ms = 2000);
// Sends `payload` in one datagram and returns the first answer.
Result<std::string> udp_exchange(int netns_fd, const IpAddress& address, uint16_t port,
                                 const std::string& payload, int timeout_ms = 2000);
// A listening TCP socket in the namespace.
Result<UniqueFd> listen_tcp(int netns_fd, const IpAddress& address, uint16_t port);
Result<UniqueFd> connect_tcp(int netns_fd, const IpAddress& address, uint16_t port, int timeout_ms);
// Accepts one connection within timeout_ms and returns the peer's address.
Result<IpAddress> accept_peer(int listen_fd, int timeout_ms);
// Output of `nft list table <family> <table>`, "" when there is none.
std::string nft_list(const std::string& family, const std::string& table);

}  // namespace berth::net::testing
