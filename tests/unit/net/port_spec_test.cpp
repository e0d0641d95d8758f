#include "net/port_spec.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace berth::net {
namespace {

PortSpec spec(Protocol p, uint16_t container, std::string host_ip, uint16_t first, uint16_t last) {
  return PortSpec{p, container, std::move(host_ip), first, last};
}

TEST(PortSpec, DockerForms) {
  auto r = parse_port_spec("8080:80");
  ASSERT_OK(r);
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0], spec(Protocol::kTcp, 80, "", 8080, 8080));
  EXPECT_EQ((*r)[0].port_key(), "80/tcp");
  EXPECT_EQ((*r)[0].host_port_text(), "8080");

  EXPECT_EQ(parse_port_spec("127.0.0.1:8080:80/udp")->at(0),
            spec(Protocol::kUdp, 80, "127.0.0.1", 8080, 8080));
  EXPECT_EQ(parse_port_spec("80")->at(0), spec(Protocol::kTcp, 80, "", 0, 0));
  EXPECT_EQ(parse_port_spec("80/UDP")->at(0), spec(Protocol::kUdp, 80, "", 0, 0));
  EXPECT_EQ(parse_port_spec("127.0.0.1::80")->at(0), spec(Protocol::kTcp, 80, "127.0.0.1", 0, 0));
  EXPECT_EQ(parse_port_spec("[::1]:8080:80")->at(0), spec(Protocol::kTcp, 80, "::1", 8080, 8080));
  EXPECT_EQ(parse_port_spec("80/sctp")->at(0), spec(Protocol::kSctp, 80, "", 0, 0));

  auto range = parse_port_spec("8000-8010:8000-8010");
  ASSERT_OK(range);
  ASSERT_EQ(range->size(), 11u);
  EXPECT_EQ(range->front(), spec(Protocol::kTcp, 8000, "", 8000, 8000));
  EXPECT_EQ(range->back(), spec(Protocol::kTcp, 8010, "", 8010, 8010));

  auto shifted = parse_port_spec("9000-9001:80-81/udp");
  ASSERT_OK(shifted);
  EXPECT_EQ(shifted->at(1), spec(Protocol::kUdp, 81, "", 9001, 9001));

  // A host range for one container port: any free port of the range.
  auto dynamic = parse_port_spec("8000-8010:80");
  ASSERT_OK(dynamic);
  ASSERT_EQ(dynamic->size(), 1u);
  EXPECT_EQ(dynamic->at(0), spec(Protocol::kTcp, 80, "", 8000, 8010));
  EXPECT_EQ(dynamic->at(0).host_port_text(), "8000-8010");

  EXPECT_EQ(parse_port_spec("80-82")->size(), 3u);
}

TEST(PortSpec, DockerErrors) {
  EXPECT_ERROR(parse_port_spec(""), "no port specified: <empty>");
  EXPECT_ERROR(parse_port_spec("8080:"), "no port specified: 8080:<empty>");
  EXPECT_ERROR(parse_port_spec("8080:80/xyz"), "invalid proto: xyz");
  EXPECT_ERROR(parse_port_spec("1.2.3:8080:80"), "invalid IP address: 1.2.3");
  EXPECT_ERROR(parse_port_spec("[::1:8080:80"), "invalid IP address [::1: missing ']' in address");
  EXPECT_ERROR(parse_port_spec("8080:abc"), "invalid containerPort: abc");
  EXPECT_ERROR(parse_port_spec("8080:70000"), "invalid containerPort: 70000");
  EXPECT_ERROR(parse_port_spec("8080:0"), "invalid containerPort: 0");
  EXPECT_ERROR(parse_port_spec("abc:80"), "invalid hostPort: abc");
  EXPECT_ERROR(parse_port_spec("9-1:80"), "invalid hostPort: 9-1");
  EXPECT_ERROR(parse_port_spec("8000-8001:80-82"),
               "invalid ranges specified for container and host Ports: 80-82 and 8000-8001");
}

TEST(PortSpec, ApiBindings) {
  EXPECT_EQ(*port_spec_from_binding("80/tcp", "", "8080"),
            spec(Protocol::kTcp, 80, "", 8080, 8080));
  EXPECT_EQ(*port_spec_from_binding("53/udp", "127.0.0.1", ""),
            spec(Protocol::kUdp, 53, "127.0.0.1", 0, 0));
  EXPECT_EQ(*port_spec_from_binding("80", "::", "8000-8100"),
            spec(Protocol::kTcp, 80, "::", 8000, 8100));
  EXPECT_ERROR(port_spec_from_binding("80/tcp", "", "x"), "invalid hostPort: x");
  EXPECT_ERROR(port_spec_from_binding("80/bogus", "", ""), "invalid proto: bogus");
  EXPECT_ERROR(port_spec_from_binding("80/tcp", "nope", ""), "invalid IP address: nope");

  auto exposed = parse_exposed_port("8000-8002/udp");
  ASSERT_OK(exposed);
  ASSERT_EQ(exposed->size(), 3u);
  EXPECT_EQ(exposed->at(2), spec(Protocol::kUdp, 8002, "", 0, 0));
}

}  // namespace
}  // namespace berth::net
