// The forwarder against fake upstream resolvers on 127.0.0.1 (no privileges needed).
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include <gtest/gtest.h>

#include "net/dns/forwarder.h"
#include "net/dns/message.h"
#include "test_util.h"

namespace berth::net::dns {
namespace {

using net::testing::ip;

// Answers every query for "big" with 60 A records (too many for 512 bytes: over UDP it sets
// TC), and others with one. `udp_silent`: never answers over UDP (a dead resolver).
class FakeUpstream {
 public:
  explicit FakeUpstream(bool udp_silent = false, bool wrong_question = false)
      : udp_silent_(udp_silent), wrong_question_(wrong_question) {
    udp_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    tcp_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in sin{};
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(udp_, reinterpret_cast<sockaddr*>(&sin), sizeof(sin));
    socklen_t len = sizeof(sin);
    ::getsockname(udp_, reinterpret_cast<sockaddr*>(&sin), &len);
    port_ = ntohs(sin.sin_port);
    int one = 1;
    ::setsockopt(tcp_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    ::bind(tcp_, reinterpret_cast<sockaddr*>(&sin), sizeof(sin));
    ::listen(tcp_, 8);
    thread_ = std::thread([this] { run(); });
  }
  ~FakeUpstream() {
    stop_ = true;
    thread_.join();
    ::close(udp_);
    ::close(tcp_);
  }
  uint16_t port() const { return port_; }
  int udp_queries() const { return udp_queries_; }
  int tcp_queries() const { return tcp_queries_; }

 private:
  std::vector<uint8_t> answer(const std::vector<uint8_t>& query, bool tcp) const {
    auto q = parse_message(query).take();
    if (wrong_question_) q.questions[0].name = Name::from_text("evil.example").take();
    Message m;
    m.header = q.header;
    m.header.qr = true;
    m.header.ra = true;
    m.questions = q.questions;
    int count = q.questions[0].name.to_text() == "big" ? 60 : 1;
    for (int i = 0; i < count; ++i) {
      m.answers.push_back(make_address_record(
          q.questions[0].name, IpAddress::v4(0xc6336400 + static_cast<uint32_t>(i)), 30));
    }
    auto bytes = encode_message(m);
    if (!tcp && bytes.size() > 512) {
      m.answers.clear();
      m.header.tc = true;
      bytes = encode_message(m);
    }
    return bytes;
  }

  void run() {
    while (!stop_) {
      pollfd fds[2] = {{udp_, POLLIN, 0}, {tcp_, POLLIN, 0}};
      if (::poll(fds, 2, 50) <= 0) continue;
      if (fds[0].revents & POLLIN) {
        uint8_t buf[4096];
        sockaddr_in peer{};
        socklen_t len = sizeof(peer);
        ssize_t n = ::recvfrom(udp_, buf, sizeof(buf), 0, reinterpret_cast<sockaddr*>(&peer), &len);
        ++udp_queries_;
        if (n > 0 && !udp_silent_) {
          auto a = answer(std::vector<uint8_t>(buf, buf + n), false);
          ::sendto(udp_, a.data(), a.size(), 0, reinterpret_cast<sockaddr*>(&peer), len);
        }
      }
      if (fds[1].revents & POLLIN) {
        int c = ::accept(tcp_, nullptr, nullptr);
        uint8_t len_bytes[2];
        if (::recv(c, len_bytes, 2, MSG_WAITALL) == 2) {
          std::vector<uint8_t> q((len_bytes[0] << 8) | len_bytes[1]);
          ::recv(c, q.data(), q.size(), MSG_WAITALL);
          ++tcp_queries_;
          auto a = answer(q, true);
          uint8_t out_len[2] = {static_cast<uint8_t>(a.size() >> 8),
                                static_cast<uint8_t>(a.size())};
          ::send(c, out_len, 2, 0);
          ::send(c, a.data(), a.size(), 0);
        }
        ::close(c);
      }
    }
  }

  bool udp_silent_;
  bool wrong_question_;
  int udp_ = -1;
  int tcp_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> udp_queries_{0};
  std::atomic<int> tcp_queries_{0};
  std::thread thread_;
};

std::vector<uint8_t> query_bytes(const char* qname, uint16_t id = 0x4242) {
  Message m;
  m.header.id = id;
  m.header.rd = true;
  m.questions.push_back({Name::from_text(qname).take(), kTypeA, kClassIn});
  return encode_message(m);
}

ForwardOptions quick() {
  ForwardOptions o;
  o.timeout = std::chrono::milliseconds(300);
  return o;
}

TEST(DnsForwarder, ForwardsOverUdp) {
  FakeUpstream up;
  auto a =
      forward_query(query_bytes("example.com"), {{ip("127.0.0.1"), up.port()}}, true, 512, quick());
  ASSERT_OK(a);
  auto m = parse_message(*a).take();
  EXPECT_EQ(m.header.id, 0x4242);
  EXPECT_EQ(m.answers.size(), 1u);
  EXPECT_EQ(up.udp_queries(), 1);
  EXPECT_EQ(up.tcp_queries(), 0);
}

TEST(DnsForwarder, FallsBackToTcpOnTruncation) {
  FakeUpstream up;
  // The full answer (60 records) fits the client's EDNS size: it gets the TCP answer.
  auto big = forward_query(query_bytes("big"), {{ip("127.0.0.1"), up.port()}}, true, 4096, quick());
  ASSERT_OK(big);
  auto m = parse_message(*big).take();
  EXPECT_FALSE(m.header.tc);
  EXPECT_EQ(m.answers.size(), 60u);
  EXPECT_EQ(up.tcp_queries(), 1);
  // It does not fit 512 bytes: the client gets the truncated one and retries over TCP.
  auto cut = forward_query(query_bytes("big"), {{ip("127.0.0.1"), up.port()}}, true, 512, quick());
  ASSERT_OK(cut);
  EXPECT_TRUE(parse_header(*cut)->tc);
  // A TCP client is forwarded over TCP.
  auto tcp = forward_query(query_bytes("big"), {{ip("127.0.0.1"), up.port()}}, false, 512, quick());
  ASSERT_OK(tcp);
  EXPECT_EQ(parse_message(*tcp)->answers.size(), 60u);
}

TEST(DnsForwarder, TriesTheNextUpstreamAfterATimeout) {
  FakeUpstream dead(true);
  FakeUpstream alive;
  auto start = std::chrono::steady_clock::now();
  auto a = forward_query(query_bytes("example.com"),
                         {{ip("127.0.0.1"), dead.port()}, {ip("127.0.0.1"), alive.port()}}, true,
                         512, quick());
  ASSERT_OK(a);
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(290));
  EXPECT_EQ(dead.udp_queries(), 1);
  EXPECT_EQ(alive.udp_queries(), 1);
}

TEST(DnsForwarder, IgnoresAnswersToOtherQuestions) {
  FakeUpstream liar(false, true);
  auto a = forward_query(query_bytes("example.com"), {{ip("127.0.0.1"), liar.port()}}, true, 512,
                         quick());
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().code(), ErrorCode::kDeadlineExceeded);
  EXPECT_EQ(liar.udp_queries(), 1);
}

TEST(DnsForwarder, FailsWhenNobodyAnswers) {
  FakeUpstream dead(true);
  auto a = forward_query(query_bytes("example.com"), {{ip("127.0.0.1"), dead.port()}}, true, 512,
                         quick());
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().code(), ErrorCode::kDeadlineExceeded);
  EXPECT_FALSE(forward_query(query_bytes("x"), {}, true, 512, quick()).ok());
}

}  // namespace
}  // namespace berth::net::dns
