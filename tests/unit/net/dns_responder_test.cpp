#include <gtest/gtest.h>

#include "net/dns/responder.h"
#include "test_util.h"

namespace berth::net::dns {
namespace {

using net::testing::ip;

Resolver fake_resolver() {
  Resolver r;
  r.lookup = [](const std::string& container,
                const std::string& name) -> std::optional<std::vector<IpAddress>> {
    if (container != "c1") return std::nullopt;
    if (name == "web") return std::vector<IpAddress>{ip("172.18.0.2"), ip("fd00::2")};
    if (name == "db") return std::vector<IpAddress>{ip("172.18.0.3")};
    if (name == "pool") return std::vector<IpAddress>{ip("172.18.0.4"), ip("172.18.0.5")};
    return std::nullopt;
  };
  r.reverse = [](const std::string&, const IpAddress& a) -> std::optional<std::string> {
    if (a == ip("172.18.0.2")) return "web.mynet";
    return std::nullopt;
  };
  return r;
}

std::vector<uint8_t> query_bytes(const char* qname, uint16_t type, uint16_t edns = 0) {
  Message m;
  m.header.id = 0xbeef;
  m.header.rd = true;
  m.questions.push_back({Name::from_text(qname).take(), type, kClassIn});
  if (edns) m.additional.push_back(make_opt_record(edns));
  return encode_message(m);
}

Message answer_of(const Decision& d) {
  EXPECT_EQ(d.kind, Decision::Kind::kAnswer);
  auto m = parse_message(d.response);
  EXPECT_TRUE(m.ok());
  return m.ok() ? *m : Message{};
}

std::string first_a(const Message& m) {
  if (m.answers.empty() || m.answers[0].rdata.size() != 4) return "";
  return IpAddress::from_bytes(Family::kV4, m.answers[0].rdata.data()).to_string();
}

TEST(DnsResponder, AnswersKnownNames) {
  RoundRobin rr;
  auto r = fake_resolver();
  Message m = answer_of(respond(query_bytes("WEB.", kTypeA), "c1", r, rr, true));
  EXPECT_EQ(m.header.id, 0xbeef);
  EXPECT_TRUE(m.header.qr && m.header.aa && m.header.ra && m.header.rd);
  EXPECT_EQ(m.header.rcode, kRcodeNoError);
  ASSERT_EQ(m.answers.size(), 1u);
  EXPECT_EQ(first_a(m), "172.18.0.2");
  EXPECT_EQ(m.answers[0].ttl, kAnswerTtl);
  EXPECT_EQ(m.questions[0].name.labels[0], "WEB");  // the question comes back as asked

  Message six = answer_of(respond(query_bytes("web", kTypeAaaa), "c1", r, rr, true));
  ASSERT_EQ(six.answers.size(), 1u);
  EXPECT_EQ(six.answers[0].type, kTypeAaaa);

  // Known, but no IPv6 address: an empty NOERROR, not a forward.
  Message none = answer_of(respond(query_bytes("db", kTypeAaaa), "c1", r, rr, true));
  EXPECT_EQ(none.header.rcode, kRcodeNoError);
  EXPECT_TRUE(none.answers.empty());
}

TEST(DnsResponder, RotatesSeveralAddresses) {
  RoundRobin rr;
  auto r = fake_resolver();
  std::vector<std::string> firsts;
  for (int i = 0; i < 4; ++i) {
    Message m = answer_of(respond(query_bytes("pool", kTypeA), "c1", r, rr, true));
    ASSERT_EQ(m.answers.size(), 2u);
    firsts.push_back(first_a(m));
  }
  EXPECT_EQ(firsts,
            (std::vector<std::string>{"172.18.0.4", "172.18.0.5", "172.18.0.4", "172.18.0.5"}));
}

TEST(DnsResponder, ForwardsWhatItDoesNotKnow) {
  RoundRobin rr;
  auto r = fake_resolver();
  EXPECT_EQ(respond(query_bytes("example.com", kTypeA), "c1", r, rr, true).kind,
            Decision::Kind::kForward);
  EXPECT_EQ(respond(query_bytes("web", kTypeA), "other", r, rr, true).kind,
            Decision::Kind::kForward);
  EXPECT_EQ(respond(query_bytes("web", 15 /* MX */), "c1", r, rr, true).kind,
            Decision::Kind::kForward);
  auto d = respond(query_bytes("x.example", kTypeA, 1232), "c1", r, rr, true);
  EXPECT_EQ(d.kind, Decision::Kind::kForward);
  EXPECT_EQ(d.max_udp_size, 1232u);
  EXPECT_EQ(respond(query_bytes("x.example", kTypeA, 100), "c1", r, rr, true).max_udp_size, 512u);
}

TEST(DnsResponder, Ptr) {
  RoundRobin rr;
  auto r = fake_resolver();
  Message m =
      answer_of(respond(query_bytes("2.0.18.172.in-addr.arpa", kTypePtr), "c1", r, rr, true));
  ASSERT_EQ(m.answers.size(), 1u);
  EXPECT_EQ(m.answers[0].type, kTypePtr);
  std::vector<uint8_t> target = {3, 'w', 'e', 'b', 5, 'm', 'y', 'n', 'e', 't', 0};
  EXPECT_EQ(m.answers[0].rdata, target);
  EXPECT_EQ(respond(query_bytes("9.0.18.172.in-addr.arpa", kTypePtr), "c1", r, rr, true).kind,
            Decision::Kind::kForward);
}

TEST(DnsResponder, BadQueries) {
  RoundRobin rr;
  auto r = fake_resolver();
  // Too short: nothing to answer.
  EXPECT_EQ(respond(std::vector<uint8_t>{1, 2, 3}, "c1", r, rr, true).kind, Decision::Kind::kDrop);
  // A response: never answered (no reflection loops).
  auto resp = query_bytes("web", kTypeA);
  resp[2] |= 0x80;
  EXPECT_EQ(respond(resp, "c1", r, rr, true).kind, Decision::Kind::kDrop);
  // Garbage after a header: FORMERR with the header's id.
  std::vector<uint8_t> garbage = {0xab, 0xcd, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0x3f};
  auto d = respond(garbage, "c1", r, rr, true);
  ASSERT_EQ(d.kind, Decision::Kind::kAnswer);
  auto h = parse_header(d.response);
  EXPECT_EQ(h->id, 0xabcd);
  EXPECT_EQ(h->rcode, kRcodeFormErr);
  // Not a QUERY: NOTIMP.
  auto notify = query_bytes("web", kTypeA);
  notify[2] = static_cast<uint8_t>(notify[2] | (4 << 3));
  EXPECT_EQ(parse_header(respond(notify, "c1", r, rr, true).response)->rcode, kRcodeNotImp);
  // Two questions: FORMERR.
  Message two;
  two.questions.push_back({Name::from_text("a").take(), kTypeA, kClassIn});
  two.questions.push_back({Name::from_text("b").take(), kTypeA, kClassIn});
  EXPECT_EQ(parse_header(respond(encode_message(two), "c1", r, rr, true).response)->rcode,
            kRcodeFormErr);
  EXPECT_EQ(parse_header(error_response(query_bytes("web", kTypeA), kRcodeServFail))->rcode,
            kRcodeServFail);
}

TEST(DnsResponder, TruncatesLongUdpAnswers) {
  Resolver r;
  r.lookup = [](const std::string&, const std::string&) -> std::optional<std::vector<IpAddress>> {
    std::vector<IpAddress> many;
    for (uint32_t i = 0; i < 100; ++i) many.push_back(IpAddress::v4(0x0a000000 + i));
    return many;
  };
  RoundRobin rr;
  auto udp = respond(query_bytes("many", kTypeA), "c", r, rr, true);
  EXPECT_LE(udp.response.size(), 512u);
  Message m = answer_of(udp);
  EXPECT_TRUE(m.header.tc);
  EXPECT_LT(m.answers.size(), 100u);
  Message tcp = answer_of(respond(query_bytes("many", kTypeA), "c", r, rr, false));
  EXPECT_FALSE(tcp.header.tc);
  EXPECT_EQ(tcp.answers.size(), 100u);
  Message edns = answer_of(respond(query_bytes("many", kTypeA, 4096), "c", r, rr, true));
  EXPECT_FALSE(edns.header.tc);
  EXPECT_EQ(edns.answers.size(), 100u);
  EXPECT_EQ(edns.edns_udp_size(), 4096);
}

}  // namespace
}  // namespace berth::net::dns
