// Bridge networks, NAT, isolation and published ports on the real kernel.
#include <netinet/in.h>
#include <sys/socket.h>

#include <gtest/gtest.h>

#include "net/endpoint.h"
#include "net/netlink/route.h"
#include "net/nft/nft_context.h"
#include "net/port_publisher.h"
#include "root_env.h"
#include "test_util.h"

namespace berth::net::testing {
namespace {

using FirewallRootTest = NetRootTest;

bool has_body(const Result<std::string>& response, const std::string& body) {
  return response.ok() && response->find(body) != std::string::npos;
}

// Whether `port` is free on the host for both TCP and UDP.
bool port_free(uint16_t port) {
  sockaddr_in sin{};
  sin.sin_family = AF_INET;
  sin.sin_port = htons(port);
  bool free = true;
  for (int type : {SOCK_STREAM, SOCK_DGRAM}) {
    int fd = ::socket(AF_INET, type, 0);
    free = free && ::bind(fd, reinterpret_cast<sockaddr*>(&sin), sizeof(sin)) == 0;
    ::close(fd);
  }
  return free;
}

// A free TCP and UDP port on the host, from the kernel's ephemeral choice.
uint16_t free_port() {
  for (;;) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in sin{};
    sin.sin_family = AF_INET;
    ::bind(fd, reinterpret_cast<sockaddr*>(&sin), sizeof(sin));
    socklen_t len = sizeof(sin);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&sin), &len);
    ::close(fd);
    uint16_t port = ntohs(sin.sin_port);
    if (port_free(port)) return port;
  }
}

TEST_F(FirewallRootTest, ContainersOnOneBridgeReachEachOther) {
  TestNetwork& n = make_network("A");
  TestContainer& a = make_container(n, "a");
  TestContainer& b = make_container(n, "b");
  start_httpd(a.netns.get(), 80, "hello from a");
  // busybox wget from b, as a container would.
  // (No -T: busybox 1.35's wget crashes with it.)
  auto r = run(b.netns.get(),
               {"wget", "-q", "-O", "-", "http://" + a.address.to_string() + "/index.html"});
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output, "hello from a");
  // And the gateway (the host) reaches it too.
  EXPECT_TRUE(has_body(http_get(-1, a.address, 80), "hello from a"));
}

TEST_F(FirewallRootTest, OutboundTrafficIsMasqueraded) {
  make_outside();
  TestNetwork& n = make_network("N");
  TestContainer& c = make_container(n, "c");
  auto listener = listen_tcp(outside_netns_.get(), outside_address_, 8081);
  ASSERT_OK(listener);
  // The outside namespace has no route to the container subnet: the connection only works
  // because its source was rewritten to the host's address on that link.
  auto conn = connect_tcp(c.netns.get(), outside_address_, 8081, 3000);
  ASSERT_OK(conn);
  auto peer = accept_peer(listener->get(), 2000);
  ASSERT_OK(peer);
  EXPECT_EQ(*peer, outside_host_address_);
}

TEST_F(FirewallRootTest, NetworksAreIsolatedAndInternalHasNoWayOut) {
  make_outside();
  TestNetwork& n1 = make_network("I1");
  TestNetwork& n2 = make_network("I2");
  TestNetwork& internal = make_network("In", true);
  TestContainer& a = make_container(n1, "a");
  TestContainer& b = make_container(n2, "b");
  TestContainer& i1 = make_container(internal, "i1");
  TestContainer& i2 = make_container(internal, "i2");
  start_httpd(a.netns.get(), 80, "a");
  start_httpd(b.netns.get(), 80, "b");
  start_httpd(i2.netns.get(), 80, "i2");

  // Both are fine on their own, from the host...
  EXPECT_TRUE(has_body(http_get(-1, a.address, 80), "a"));
  EXPECT_TRUE(has_body(http_get(-1, b.address, 80), "b"));
  // ...but not to each other.
  EXPECT_FALSE(http_get(a.netns.get(), b.address, 80, 1000).ok());
  EXPECT_FALSE(http_get(b.netns.get(), a.address, 80, 1000).ok());

  // The internal network: its containers talk to each other, to nothing else.
  EXPECT_TRUE(has_body(http_get(i1.netns.get(), i2.address, 80), "i2"));
  EXPECT_FALSE(http_get(i1.netns.get(), a.address, 80, 1000).ok());
  EXPECT_FALSE(http_get(a.netns.get(), i2.address, 80, 1000).ok());
  auto listener = listen_tcp(outside_netns_.get(), outside_address_, 8082);
  ASSERT_OK(listener);
  EXPECT_FALSE(connect_tcp(i1.netns.get(), outside_address_, 8082, 1000).ok());
  // No default route at all.
  auto inside = netlink::Socket::open_in_netns(i1.netns.get()).take();
  for (const auto& r : netlink::list_routes(inside, Family::kV4).take()) {
    EXPECT_NE(r.destination.length(), 0) << "internal network container has a default route";
  }
  // Even with one added by hand, forwarding from the internal bridge is dropped.
  ASSERT_OK(netlink::add_default_route(inside, internal.gateway, "eth0"));
  EXPECT_FALSE(connect_tcp(i1.netns.get(), outside_address_, 8082, 1000).ok());
  // While a normal network's container gets out.
  EXPECT_TRUE(connect_tcp(a.netns.get(), outside_address_, 8082, 2000).ok());
}

TEST_F(FirewallRootTest, EnsureReplacesATableOfAnotherShape) {
  std::string table = firewall_->options().table;
  ASSERT_OK(firewall_->destroy());
  auto ctx = nft::NftContext::create();
  ASSERT_OK(ctx);
  ASSERT_OK(ctx->run(
      fmt::format("add table ip {0}\nadd set ip {0} bridges {{ type ipv4_addr; }}\n", table)));
  ASSERT_OK(firewall_->ensure());
  EXPECT_NE(nft_list("ip", table).find("type ifname"), std::string::npos);
  ASSERT_OK(firewall_->ensure());  // and idempotent
  TestNetwork& n = make_network("E");
  EXPECT_EQ(firewall_->state()->bridges, std::set<std::string>{n.id});
}

class PublishedPortsTest : public NetRootTest {
 protected:
  void SetUp() override {
    NetRootTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    PortAllocatorOptions options = default_port_allocator_options();
    allocator_ = std::make_unique<PortAllocator>(options);
    publisher_ = std::make_unique<PortPublisher>(*firewall_, *allocator_);
  }
  void TearDown() override {
    publisher_.reset();
    allocator_.reset();
    NetRootTest::TearDown();
  }
  std::vector<PortSpec> specs(const std::vector<std::string>& texts) {
    std::vector<PortSpec> out;
    for (const auto& t : texts) {
      auto parsed = parse_port_spec(t);
      EXPECT_TRUE(parsed.ok()) << t;
      if (parsed.ok()) out.insert(out.end(), parsed->begin(), parsed->end());
    }
    return out;
  }

  std::unique_ptr<PortAllocator> allocator_;
  std::unique_ptr<PortPublisher> publisher_;
};

TEST_F(PublishedPortsTest, ReachableFromHostOutsideAndContainers) {
  make_outside();
  TestNetwork& n = make_network("P");
  TestNetwork& other = make_network("Q");
  TestContainer& web = make_container(n, "web");
  TestContainer& peer = make_container(n, "peer");
  TestContainer& stranger = make_container(other, "str");
  start_httpd(web.netns.get(), 80, "web80");
  start_httpd(web.netns.get(), 8000, "web8000");
  start_httpd(web.netns.get(), 8001, "web8001");
  start_udp_echo(web.netns.get(), 5000);

  uint16_t any_port = free_port();
  uint16_t local_port = free_port();
  uint16_t udp_port = free_port();
  uint16_t range_first = free_port();
  while (range_first >= 65000 || !port_free(range_first + 1)) range_first = free_port();
  auto published = publisher_->publish(
      "web",
      specs({fmt::format("{}:80", any_port), fmt::format("127.0.0.1:{}:80", local_port),
             fmt::format("{}:5000/udp", udp_port), "80",
             fmt::format("{}-{}:8000-8001", range_first, range_first + 1)}),
      web.address, std::nullopt);
  ASSERT_OK(published);
  ASSERT_EQ(published->size(), 6u);
  uint16_t random_port = published->at(3).host_port;
  EXPECT_GE(random_port, default_port_allocator_options().ephemeral_first);
  EXPECT_LE(random_port, default_port_allocator_options().ephemeral_last);
  EXPECT_EQ(published->at(1).host_ip.to_string(), "127.0.0.1");
  EXPECT_EQ(published->at(0).host_ip.to_string(), "0.0.0.0");

  IpAddress loopback = IpAddress::parse("127.0.0.1").take();
  IpAddress host = host_address();
  // From the host: loopback and its other addresses.
  EXPECT_TRUE(has_body(http_get(-1, loopback, any_port), "web80"));
  EXPECT_TRUE(has_body(http_get(-1, host, any_port), "web80")) << host.to_string();
  EXPECT_TRUE(has_body(http_get(-1, outside_host_address_, any_port), "web80"));
  EXPECT_TRUE(has_body(http_get(-1, loopback, random_port), "web80"));
  EXPECT_TRUE(has_body(http_get(-1, loopback, range_first), "web8000"));
  EXPECT_TRUE(has_body(http_get(-1, host, range_first + 1), "web8001"));
  auto echo = udp_exchange(-1, loopback, udp_port, "ping");
  ASSERT_OK(echo);
  EXPECT_EQ(*echo, "echo:ping");
  EXPECT_EQ(udp_exchange(-1, host, udp_port, "pong").value_or(""), "echo:pong");

  // 127.0.0.1:PORT is on loopback only: not through any other address (Docker's old bug).
  EXPECT_TRUE(has_body(http_get(-1, loopback, local_port), "web80"));
  EXPECT_FALSE(http_get(-1, host, local_port, 1000).ok());
  EXPECT_FALSE(http_get(outside_netns_.get(), outside_host_address_, local_port, 1000).ok());

  // From outside the host.
  EXPECT_TRUE(has_body(http_get(outside_netns_.get(), outside_host_address_, any_port), "web80"));
  EXPECT_EQ(udp_exchange(outside_netns_.get(), outside_host_address_, udp_port, "x").value_or(""),
            "echo:x");

  // Hairpin: the container itself and a neighbour, through the host's address and the gateway.
  EXPECT_TRUE(has_body(http_get(web.netns.get(), host, any_port), "web80"));
  EXPECT_TRUE(has_body(http_get(peer.netns.get(), host, any_port), "web80"));
  EXPECT_TRUE(has_body(http_get(peer.netns.get(), n.gateway, any_port), "web80"));
  // A container of another network reaches the published port (but not the container).
  EXPECT_TRUE(has_body(http_get(stranger.netns.get(), host, any_port), "web80"));
  EXPECT_FALSE(http_get(stranger.netns.get(), web.address, 80, 1000).ok());

  // Removal: the rules go, the ports are free again.
  std::string table = firewall_->options().table;
  EXPECT_NE(nft_list("ip", table).find("\"web\""), std::string::npos);
  ASSERT_OK(publisher_->unpublish("web"));
  EXPECT_EQ(nft_list("ip", table).find("\"web\""), std::string::npos) << nft_list("ip", table);
  EXPECT_EQ(nft_list("ip", table).find(std::to_string(any_port)), std::string::npos);
  EXPECT_FALSE(http_get(-1, loopback, any_port, 1000).ok());
  EXPECT_EQ(allocator_->size(), 0u);
  ASSERT_OK(publisher_->unpublish("web"));  // idempotent
}

TEST_F(PublishedPortsTest, PortConflictsLeaveNothingBehind) {
  TestNetwork& n = make_network("C");
  TestContainer& a = make_container(n, "a");
  TestContainer& b = make_container(n, "b");
  start_httpd(a.netns.get(), 80, "a");
  uint16_t taken_by_host = free_port();
  uint16_t ok_port = free_port();
  auto squatter = listen_tcp(-1, IpAddress::any(Family::kV4), taken_by_host);
  ASSERT_OK(squatter);

  // The first spec is fine, the second is taken by another program: neither stays.
  auto r = publisher_->publish(
      "a", specs({fmt::format("{}:80", ok_port), fmt::format("{}:80", taken_by_host)}), a.address,
      std::nullopt);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(), fmt::format("failed to bind host port 0.0.0.0:{}/tcp: address "
                                             "already in use",
                                             taken_by_host));
  EXPECT_EQ(allocator_->size(), 0u);
  EXPECT_TRUE(firewall_->state()->ports.empty());
  EXPECT_EQ(nft_list("ip", firewall_->options().table).find("\"a\""), std::string::npos);
  EXPECT_FALSE(http_get(-1, IpAddress::parse("127.0.0.1").take(), ok_port, 1000).ok());

  // Berth's own allocation: Docker's message.
  ASSERT_OK(
      publisher_->publish("a", specs({fmt::format("{}:80", ok_port)}), a.address, std::nullopt));
  auto again =
      publisher_->publish("b", specs({fmt::format("{}:80", ok_port)}), b.address, std::nullopt);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().message(),
            fmt::format("Bind for 0.0.0.0:{} failed: port is already allocated", ok_port));
  // While published, no other program can take the port.
  EXPECT_FALSE(listen_tcp(-1, IpAddress::any(Family::kV4), ok_port).ok());
  EXPECT_TRUE(has_body(http_get(-1, IpAddress::parse("127.0.0.1").take(), ok_port), "a"));
  auto v6 = publisher_->publish("b", specs({"[::1]:8080:80"}), b.address, std::nullopt);
  EXPECT_FALSE(v6.ok());
}

TEST_F(PublishedPortsTest, Ipv6) {
  make_outside();
  TestNetwork& n = make_network("6", false, true);
  TestContainer& c = make_container(n, "c");
  ASSERT_TRUE(c.address_v6.has_value());
  start_httpd(c.netns.get(), 80, "six");
  // Straight over the bridge.
  EXPECT_TRUE(has_body(http_get(-1, *c.address_v6, 80), "six"));

  // Out, masqueraded behind the host's address on the outside link.
  auto listener = listen_tcp(outside_netns_.get(), outside_address_v6_, 8083);
  ASSERT_OK(listener);
  ASSERT_OK(connect_tcp(c.netns.get(), outside_address_v6_, 8083, 3000));
  auto peer = accept_peer(listener->get(), 2000);
  ASSERT_OK(peer);
  EXPECT_EQ(*peer, outside_host_address_v6_);

  // Published on every address of both families, with the same port.
  uint16_t port = free_port();
  auto published =
      publisher_->publish("c", specs({fmt::format("{}:80", port), "80"}), c.address, c.address_v6);
  ASSERT_OK(published);
  ASSERT_EQ(published->size(), 4u);
  EXPECT_EQ(published->at(1).host_ip.to_string(), "::");
  EXPECT_EQ(published->at(1).host_port, port);
  EXPECT_EQ(published->at(1).container_ip, *c.address_v6);
  EXPECT_EQ(published->at(2).host_port, published->at(3).host_port);  // random, same for both
  EXPECT_TRUE(has_body(http_get(-1, host_address_v6(), port), "six"));
  EXPECT_TRUE(has_body(http_get(outside_netns_.get(), outside_host_address_v6_, port), "six"));
  EXPECT_TRUE(has_body(
      http_get(outside_netns_.get(), outside_host_address_v6_, published->at(3).host_port), "six"));
  EXPECT_TRUE(has_body(http_get(-1, IpAddress::parse("127.0.0.1").take(), port), "six"));

  std::string table = firewall_->options().table;
  EXPECT_NE(nft_list("ip6", table).find("comment \"c\""), std::string::npos);
  ASSERT_OK(publisher_->unpublish("c"));
  EXPECT_EQ(nft_list("ip6", table).find("comment \"c\""), std::string::npos);
  EXPECT_FALSE(http_get(outside_netns_.get(), outside_host_address_v6_, port, 1000).ok());
}

TEST_F(PublishedPortsTest, ReconcileAfterRestart) {
  TestNetwork& n = make_network("R");
  TestNetwork& gone = make_network("G");
  TestContainer& a = make_container(n, "a");
  TestContainer& b = make_container(n, "b");
  start_httpd(a.netns.get(), 80, "a");
  start_httpd(b.netns.get(), 80, "b");
  auto pa = publisher_->publish("a", specs({"80"}), a.address, std::nullopt);
  auto pb = publisher_->publish("b", specs({"80"}), b.address, std::nullopt);
  ASSERT_OK(pa);
  ASSERT_OK(pb);
  IpAddress loopback = IpAddress::parse("127.0.0.1").take();
  uint16_t port_a = pa->at(0).host_port;
  uint16_t port_b = pb->at(0).host_port;

  // "berthd restarts": its in-memory state is gone, the kernel's is not. Meanwhile container
  // b was removed and network G deleted; the new daemon knows only network R and container a.
  publisher_.reset();
  allocator_.reset();
  allocator_ = std::make_unique<PortAllocator>(default_port_allocator_options());
  publisher_ = std::make_unique<PortPublisher>(*firewall_, *allocator_);
  ASSERT_OK(publisher_->restore("a", *pa));
  auto fw = nft::Firewall::open(firewall_->options());
  ASSERT_OK(fw);
  auto before = (*fw)->state();
  ASSERT_OK(before);
  EXPECT_EQ(before->bridges.count(gone.id), 1u);
  EXPECT_EQ(before->ports.count("b"), 1u);
  auto report = (*fw)->reconcile({firewall_rules(n.config)}, publisher_->desired_rules());
  ASSERT_OK(report);
  EXPECT_EQ(report->removed_networks, std::vector<std::string>{gone.id});
  EXPECT_EQ(report->removed_owners, std::vector<std::string>{"b"});
  EXPECT_EQ(report->ports_added, 0u);
  auto after = (*fw)->state().take();
  EXPECT_EQ(after.bridges, std::set<std::string>{n.id});
  EXPECT_EQ(after.ports.size(), 1u);
  EXPECT_TRUE(has_body(http_get(-1, loopback, port_a), "a"));
  EXPECT_FALSE(http_get(-1, loopback, port_b, 1000).ok());

  // Rules lost altogether (someone flushed the table): reconcile puts them back.
  ASSERT_OK((*fw)->destroy());
  EXPECT_FALSE(http_get(-1, loopback, port_a, 1000).ok());
  report = (*fw)->reconcile({firewall_rules(n.config)}, publisher_->desired_rules());
  ASSERT_OK(report);
  EXPECT_EQ(report->ports_added, 1u);
  EXPECT_TRUE(has_body(http_get(-1, loopback, port_a), "a"));
}

}  // namespace
}  // namespace berth::net::testing
