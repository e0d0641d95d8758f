// The embedded DNS server inside a network namespace, with a fake upstream resolver on the
// host's loopback (reachable from the host's namespace only, like systemd-resolved's stub).
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <atomic>
#include <map>
#include <thread>

#include <gtest/gtest.h>

#include "base/strings.h"
#include "net/dns/message.h"
#include "net/dns/server.h"
#include "net/netns.h"
#include "net/resolv_conf.h"
#include "root_env.h"
#include "test_util.h"

namespace berth::net::testing {
namespace {

using dns::Message;
using dns::Name;

// Answers "upstream.test" with 198.51.100.7 and anything else with NXDOMAIN, over UDP.
class FakeUpstream {
 public:
  // Binds 127.0.0.x:53 for some x (a resolv.conf carries no port). When port 53 is taken on
  // all of them (a resolver listening on 0.0.0.0:53), an ephemeral port instead.
  FakeUpstream() {
    fd_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    uint32_t first = 200 + (static_cast<uint32_t>(::getpid()) % 40);
    for (uint16_t port : {uint16_t{53}, uint16_t{0}}) {
      for (uint32_t x = first; x < 255 && address_.is_unspecified(); ++x) {
        sockaddr_in sin{};
        sin.sin_family = AF_INET;
        sin.sin_port = htons(port);
        sin.sin_addr.s_addr = htonl(0x7f000000u + x);
        if (::bind(fd_, reinterpret_cast<sockaddr*>(&sin), sizeof(sin)) == 0) {
          address_ = IpAddress::v4(0x7f000000u + x);
          socklen_t len = sizeof(sin);
          ::getsockname(fd_, reinterpret_cast<sockaddr*>(&sin), &len);
          port_ = ntohs(sin.sin_port);
        }
      }
    }
    thread_ = std::thread([this] { run(); });
  }
  ~FakeUpstream() {
    stop_ = true;
    thread_.join();
    ::close(fd_);
  }
  const IpAddress& address() const { return address_; }
  uint16_t port() const { return port_; }
  int queries() const { return queries_; }

 private:
  void run() {
    uint8_t buf[2048];
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      sockaddr_in peer{};
      socklen_t len = sizeof(peer);
      ssize_t n = ::recvfrom(fd_, buf, sizeof(buf), 0, reinterpret_cast<sockaddr*>(&peer), &len);
      if (n <= 0) continue;
      auto q = dns::parse_message(std::span<const uint8_t>(buf, static_cast<size_t>(n)));
      if (!q.ok() || q->questions.empty()) continue;
      ++queries_;
      Message m;
      m.header = q->header;
      m.header.qr = true;
      m.header.ra = true;
      m.questions = q->questions;
      if (q->questions[0].name.to_text() == "upstream.test" &&
          q->questions[0].type == dns::kTypeA) {
        m.answers.push_back(dns::make_address_record(q->questions[0].name,
                                                     IpAddress::parse("198.51.100.7").take(), 30));
      } else if (q->questions[0].name.to_text() != "upstream.test") {
        m.header.rcode = dns::kRcodeNxDomain;
      }
      auto out = dns::encode_message(m);
      ::sendto(fd_, out.data(), out.size(), 0, reinterpret_cast<sockaddr*>(&peer), len);
    }
  }

  int fd_ = -1;
  IpAddress address_;
  uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> queries_{0};
  std::thread thread_;
};

// Asks 127.0.0.11 from inside the namespace, over UDP or TCP.
Result<Message> ask(int netns_fd, const std::string& name, uint16_t type, bool tcp = false) {
  Message q;
  q.header.id = 0x5151;
  q.header.rd = true;
  q.questions.push_back({Name::from_text(name).take(), type, dns::kClassIn});
  auto bytes = dns::encode_message(q);
  IpAddress server = IpAddress::parse("127.0.0.11").take();
  std::vector<uint8_t> answer(65536);
  size_t got = 0;
  if (!tcp) {
    auto reply = udp_exchange(netns_fd, server, 53, std::string(bytes.begin(), bytes.end()));
    if (!reply.ok()) return std::move(reply).error();
    return dns::parse_message(
        std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(reply->data()), reply->size()));
  }
  auto fd = TRY(connect_tcp(netns_fd, server, 53, 2000));
  std::vector<uint8_t> framed = {static_cast<uint8_t>(bytes.size() >> 8),
                                 static_cast<uint8_t>(bytes.size())};
  framed.insert(framed.end(), bytes.begin(), bytes.end());
  if (::send(fd.get(), framed.data(), framed.size(), MSG_NOSIGNAL) < 0) return errno_error("send");
  while (got < 2 || got < 2u + ((answer[0] << 8) | answer[1])) {
    pollfd p{fd.get(), POLLIN, 0};
    if (::poll(&p, 1, 3000) <= 0) return Error(ErrorCode::kDeadlineExceeded, "tcp answer");
    ssize_t n = ::recv(fd.get(), answer.data() + got, answer.size() - got, 0);
    if (n <= 0) {
      if (n < 0 && errno == EAGAIN) continue;
      return Error(ErrorCode::kUnavailable, "tcp closed");
    }
    got += static_cast<size_t>(n);
  }
  return dns::parse_message(std::span<const uint8_t>(answer.data() + 2, got - 2));
}

std::vector<std::string> a_records(const Message& m) {
  std::vector<std::string> out;
  for (const auto& r : m.answers) {
    if (r.type == dns::kTypeA && r.rdata.size() == 4) {
      out.push_back(IpAddress::from_bytes(Family::kV4, r.rdata.data()).to_string());
    }
  }
  return out;
}

using DnsRootTest = NetRootTest;

TEST_F(DnsRootTest, EmbeddedServerAnswersRotatesAndForwards) {
  FakeUpstream upstream;
  ASSERT_FALSE(upstream.address().is_unspecified()) << "no free 127.0.0.x address";

  // The daemon's view of names, per asking container.
  std::map<std::string, std::vector<IpAddress>> names = {
      {"web", {IpAddress::parse("10.213.1.2").take()}},
      {"pool", {IpAddress::parse("10.213.1.3").take(), IpAddress::parse("10.213.1.4").take()}},
  };
  dns::Resolver resolver;
  resolver.lookup = [&](const std::string& container,
                        const std::string& name) -> std::optional<std::vector<IpAddress>> {
    if (container != "c1") return std::nullopt;
    auto it = names.find(name);
    if (it == names.end()) return std::nullopt;
    return it->second;
  };
  resolver.reverse = [](const std::string&, const IpAddress& a) -> std::optional<std::string> {
    if (a.to_string() == "10.213.1.2") return "web.testnet";
    return std::nullopt;
  };
  dns::DnsServerOptions options;
  options.upstream_timeout = std::chrono::milliseconds(1500);
  auto server = dns::DnsServer::start(resolver, options);
  ASSERT_OK(server);

  // The host's resolv.conf lists a loopback stub: the container's file names 127.0.0.11 and
  // the stub becomes an upstream asked from the host's namespace.
  std::string host_file = "nameserver " + upstream.address().to_string() + "\n";
  auto rc = generate_resolv_conf(ResolvConf::parse(host_file), "/etc/resolv.conf", {},
                                 ResolvConfMode::kInternalDns, false);
  ASSERT_OK(rc);
  EXPECT_NE(rc->content.find("nameserver 127.0.0.11\n"), std::string::npos);
  EXPECT_NE(rc->content.find("# ExtServers: [host(" + upstream.address().to_string() + ")]"),
            std::string::npos);

  auto upstreams = upstreams_from(rc->ext_servers);
  ASSERT_EQ(upstreams.size(), 1u);
  EXPECT_TRUE(upstreams[0].host_namespace);
  EXPECT_EQ(upstreams[0].port, 53);
  upstreams[0].port = upstream.port();  // 53 unless another resolver holds it on this host

  std::string path = new_netns_path();
  ASSERT_OK(create_netns(path));
  auto ns = open_netns(path).take();
  ASSERT_OK((*server)->add_container("c1", ns.get(), upstreams));
  EXPECT_EQ((*server)->add_container("c1", ns.get(), {}).error().code(), ErrorCode::kAlreadyExists);

  auto web = ask(ns.get(), "web", dns::kTypeA);
  ASSERT_OK(web);
  EXPECT_EQ(web->header.rcode, dns::kRcodeNoError);
  EXPECT_EQ(a_records(*web), std::vector<std::string>{"10.213.1.2"});
  auto web_tcp = ask(ns.get(), "WEB.", dns::kTypeA, true);
  ASSERT_OK(web_tcp);
  EXPECT_EQ(a_records(*web_tcp), std::vector<std::string>{"10.213.1.2"});

  // Two backends behind one alias: both answered, the first one alternating.
  auto p1 = ask(ns.get(), "pool", dns::kTypeA);
  auto p2 = ask(ns.get(), "pool", dns::kTypeA);
  ASSERT_OK(p1);
  ASSERT_OK(p2);
  ASSERT_EQ(a_records(*p1).size(), 2u);
  ASSERT_EQ(a_records(*p2).size(), 2u);
  EXPECT_NE(a_records(*p1)[0], a_records(*p2)[0]);

  auto ptr = ask(ns.get(), "2.1.213.10.in-addr.arpa", dns::kTypePtr);
  ASSERT_OK(ptr);
  ASSERT_EQ(ptr->answers.size(), 1u);

  // Other names go to the host's (loopback) resolver, from the host's namespace.
  auto up = ask(ns.get(), "upstream.test", dns::kTypeA);
  ASSERT_OK(up);
  EXPECT_EQ(a_records(*up), std::vector<std::string>{"198.51.100.7"});
  auto missing = ask(ns.get(), "missing.test", dns::kTypeA);
  ASSERT_OK(missing);
  EXPECT_EQ(missing->header.rcode, dns::kRcodeNxDomain);
  EXPECT_GE(upstream.queries(), 2);

  // busybox nslookup, as a container would run it.
  auto look = run(ns.get(), {"nslookup", "web", "127.0.0.11"});
  EXPECT_NE(look.output.find("10.213.1.2"), std::string::npos) << look.output;
  auto look_up = run(ns.get(), {"nslookup", "upstream.test", "127.0.0.11"});
  EXPECT_NE(look_up.output.find("198.51.100.7"), std::string::npos) << look_up.output;

  // Without upstreams (an --internal network): SERVFAIL for unknown names, answers for ours.
  ASSERT_OK((*server)->set_upstreams("c1", {}));
  auto cut_off = ask(ns.get(), "upstream.test", dns::kTypeA);
  ASSERT_OK(cut_off);
  EXPECT_EQ(cut_off->header.rcode, dns::kRcodeServFail);
  EXPECT_EQ(a_records(*ask(ns.get(), "web", dns::kTypeA)), std::vector<std::string>{"10.213.1.2"});

  // Another container's namespace asks with its own identity.
  std::string path2 = new_netns_path();
  ASSERT_OK(create_netns(path2));
  auto ns2 = open_netns(path2).take();
  ASSERT_OK((*server)->add_container("c2", ns2.get(), upstreams));
  auto other = ask(ns2.get(), "web", dns::kTypeA);
  ASSERT_OK(other);
  EXPECT_EQ(other->header.rcode, dns::kRcodeNxDomain);  // forwarded; the upstream does not know

  // Deregistered: nothing answers any more.
  (*server)->remove_container("c1");
  EXPECT_FALSE((*server)->has_container("c1"));
  EXPECT_FALSE(ask(ns.get(), "web", dns::kTypeA).ok());
  server->reset();
  EXPECT_FALSE(ask(ns2.get(), "web", dns::kTypeA).ok());
}

}  // namespace
}  // namespace berth::net::testing
