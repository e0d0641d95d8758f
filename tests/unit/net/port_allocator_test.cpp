#include "net/port_allocator.h"

#include <netinet/in.h>
#include <sys/socket.h>

#include <gtest/gtest.h>

#include "test_util.h"

namespace berth::net {
namespace {

using testing::ip;

PortAllocatorOptions no_bind(uint16_t first, uint16_t last) {
  PortAllocatorOptions o;
  o.ephemeral_first = first;
  o.ephemeral_last = last;
  o.bind_check = false;
  return o;
}

TEST(PortAllocator, ExactPortsConflictLikeDocker) {
  PortAllocator a(no_bind(40000, 40010));
  auto any = ip("0.0.0.0");
  ASSERT_OK(a.reserve(Protocol::kTcp, any, 8080, 8080));
  EXPECT_ERROR(a.reserve(Protocol::kTcp, any, 8080, 8080),
               "Bind for 0.0.0.0:8080 failed: port is already allocated");
  // A specific address conflicts with the wildcard, and the other way round.
  EXPECT_ERROR(a.reserve(Protocol::kTcp, ip("127.0.0.1"), 8080, 8080),
               "Bind for 127.0.0.1:8080 failed: port is already allocated");
  // Other protocol, other family: free.
  ASSERT_OK(a.reserve(Protocol::kUdp, any, 8080, 8080));
  ASSERT_OK(a.reserve(Protocol::kTcp, ip("::"), 8080, 8080));
  ASSERT_OK(a.reserve(Protocol::kTcp, ip("127.0.0.1"), 9090, 9090));
  EXPECT_ERROR(a.reserve(Protocol::kTcp, any, 9090, 9090),
               "Bind for 0.0.0.0:9090 failed: port is already allocated");
  ASSERT_OK(a.reserve(Protocol::kTcp, ip("127.0.0.2"), 9090, 9090));
  EXPECT_ERROR(a.reserve(Protocol::kTcp, ip("::1"), 8080, 8080),
               "Bind for [::1]:8080 failed: port is already allocated");
  a.release(Protocol::kTcp, any, 8080);
  ASSERT_OK(a.reserve(Protocol::kTcp, ip("127.0.0.1"), 8080, 8080));
}

TEST(PortAllocator, RandomPortsComeFromTheRangeUntilExhausted) {
  PortAllocator a(no_bind(40000, 40003));
  std::set<uint16_t> got;
  for (int i = 0; i < 4; ++i) {
    auto p = a.reserve(Protocol::kTcp, ip("0.0.0.0"), 0, 0);
    ASSERT_OK(p);
    EXPECT_GE(*p, 40000);
    EXPECT_LE(*p, 40003);
    got.insert(*p);
  }
  EXPECT_EQ(got.size(), 4u);
  auto full = a.reserve(Protocol::kTcp, ip("0.0.0.0"), 0, 0);
  ASSERT_FALSE(full.ok());
  EXPECT_EQ(full.error().code(), ErrorCode::kResourceExhausted);
}

TEST(PortAllocator, HostRangePicksAFreeOne) {
  PortAllocator a(no_bind(40000, 40003));
  ASSERT_OK(a.reserve(Protocol::kTcp, ip("0.0.0.0"), 8000, 8000));
  EXPECT_EQ(*a.reserve(Protocol::kTcp, ip("0.0.0.0"), 8000, 8001), 8001);
  EXPECT_ERROR(a.reserve(Protocol::kTcp, ip("0.0.0.0"), 8000, 8001),
               "Bind for 0.0.0.0:8000-8001 failed: port is already allocated");
}

// Binding loopback ports needs no privileges.
TEST(PortAllocator, PortHeldByAnotherProgram) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in sin{};
  sin.sin_family = AF_INET;
  sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&sin), sizeof(sin)), 0);
  ASSERT_EQ(::listen(fd, 1), 0);
  socklen_t len = sizeof(sin);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&sin), &len);
  uint16_t port = ntohs(sin.sin_port);

  PortAllocatorOptions o;
  PortAllocator a(o);
  auto r = a.reserve(Protocol::kTcp, ip("127.0.0.1"), port, port);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kConflict);
  EXPECT_EQ(r.error().message(), "failed to bind host port 127.0.0.1:" + std::to_string(port) +
                                     "/tcp: address already in use");
  EXPECT_EQ(a.size(), 0u);
  // The same port over UDP is free, and held while reserved.
  ASSERT_OK(a.reserve(Protocol::kUdp, ip("127.0.0.1"), port, port));
  int other = ::socket(AF_INET, SOCK_DGRAM, 0);
  EXPECT_NE(::bind(other, reinterpret_cast<sockaddr*>(&sin), sizeof(sin)), 0);
  a.release(Protocol::kUdp, ip("127.0.0.1"), port);
  EXPECT_EQ(::bind(other, reinterpret_cast<sockaddr*>(&sin), sizeof(sin)), 0);
  ::close(other);
  // adopt() records the port even though it cannot hold it.
  EXPECT_FALSE(a.adopt(Protocol::kTcp, ip("127.0.0.1"), port));
  EXPECT_TRUE(a.is_reserved(Protocol::kTcp, ip("127.0.0.1"), port));
  ::close(fd);
}

}  // namespace
}  // namespace berth::net
