#include <random>

#include <gtest/gtest.h>

#include "net/dns/message.h"
#include "test_util.h"

namespace berth::net::dns {
namespace {

using net::testing::ip;

Name name(const char* text) {
  return Name::from_text(text).take();
}

Message query(const char* qname, uint16_t type, uint16_t id = 0x1234) {
  Message m;
  m.header.id = id;
  m.header.rd = true;
  m.questions.push_back({name(qname), type, kClassIn});
  return m;
}

TEST(DnsMessage, EncodesAQueryByteForByte) {
  auto bytes = encode_message(query("web.example", kTypeA));
  std::vector<uint8_t> expected = {0x12, 0x34, 0x01, 0x00, 0,   1,   0, 0,   0,   0,
                                   0,    0,    3,    'w',  'e', 'b', 7, 'e', 'x', 'a',
                                   'm',  'p',  'l',  'e',  0,   0,   1, 0,   1};
  EXPECT_EQ(bytes, expected);
}

TEST(DnsMessage, RoundTripsWithCompression) {
  Message m = query("Web.Example", kTypeA, 7);
  m.header.qr = true;
  m.header.aa = true;
  m.header.ra = true;
  m.header.rcode = kRcodeNxDomain;
  m.answers.push_back(make_address_record(name("web.example"), ip("172.18.0.2"), 600));
  m.answers.push_back(make_address_record(name("web.example"), ip("fd00::2"), 600));
  m.additional.push_back(make_opt_record(1232));
  auto bytes = encode_message(m);
  // The answers' names are pointers to the question's (2 bytes instead of 13).
  EXPECT_EQ(bytes.size(), 12u + 17 + (2 + 10 + 4) + (2 + 10 + 16) + 11);
  auto back = parse_message(bytes);
  ASSERT_OK(back);
  EXPECT_EQ(back->header.id, 7);
  EXPECT_TRUE(back->header.qr && back->header.aa && back->header.ra && back->header.rd);
  EXPECT_EQ(back->header.rcode, kRcodeNxDomain);
  ASSERT_EQ(back->answers.size(), 2u);
  EXPECT_EQ(back->answers[0].name.to_text(), "web.example");
  EXPECT_EQ(back->answers[1].type, kTypeAaaa);
  EXPECT_EQ(back->answers[1].rdata.size(), 16u);
  EXPECT_EQ(back->questions[0].name.labels[0], "Web");  // bytes kept as sent
  EXPECT_EQ(back->edns_udp_size(), 1232);
}

TEST(DnsMessage, QuestionsAlone) {
  auto bytes = encode_message(query("a.example", kTypeAaaa));
  bytes.push_back(0xff);  // whatever follows the questions is not looked at
  auto q = parse_questions(bytes);
  ASSERT_OK(q);
  ASSERT_EQ(q->size(), 1u);
  EXPECT_EQ((*q)[0].type, kTypeAaaa);
  EXPECT_FALSE(parse_message(bytes).ok());
  EXPECT_FALSE(parse_questions(std::vector<uint8_t>{0, 1, 0, 0, 0, 1}).ok());
}

TEST(DnsMessage, Names) {
  EXPECT_EQ(name("a.b.").to_text(), "a.b");
  EXPECT_EQ(name(".").labels.size(), 0u);
  EXPECT_EQ(name("A\\.B.c").labels[0], "A.B");
  EXPECT_EQ(name("A\\.B.c").to_text(), "a\\.b.c");
  EXPECT_EQ(name("x\\032y").labels[0], "x y");
  EXPECT_EQ(name("x\\032y").to_text(), "x\\032y");
  EXPECT_FALSE(Name::from_text("a..b").ok());
  EXPECT_FALSE(Name::from_text(std::string(64, 'a')).ok());
  EXPECT_TRUE(Name::from_text(std::string(63, 'a')).ok());
  std::string long_name;
  for (int i = 0; i < 64; ++i) long_name += "abc.";
  EXPECT_FALSE(Name::from_text(long_name).ok());
  EXPECT_TRUE(name("WEB").equals_ignore_case(name("web")));
}

TEST(DnsMessage, ReverseNames) {
  EXPECT_EQ(reverse_name(ip("172.18.0.2")).to_text(), "2.0.18.172.in-addr.arpa");
  EXPECT_EQ(*address_from_reverse_name(name("2.0.18.172.IN-ADDR.ARPA.")), ip("172.18.0.2"));
  auto v6 = ip("fd00:1::2");
  EXPECT_EQ(reverse_name(v6).to_text(),
            "2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.1.0.0.0.0.0.d.f.ip6.arpa");
  EXPECT_EQ(*address_from_reverse_name(reverse_name(v6)), v6);
  for (const char* bad : {"18.172.in-addr.arpa", "256.0.18.172.in-addr.arpa",
                          "a.0.18.172.in-addr.arpa", "2.0.18.172.in-addr.example", "1.ip6.arpa"}) {
    EXPECT_FALSE(address_from_reverse_name(name(bad)).ok()) << bad;
  }
}

std::vector<uint8_t> header(uint16_t qd, uint16_t an = 0) {
  return {0,
          1,
          0,
          0,
          static_cast<uint8_t>(qd >> 8),
          static_cast<uint8_t>(qd),
          0,
          static_cast<uint8_t>(an),
          0,
          0,
          0,
          0};
}

std::vector<uint8_t> cat(std::vector<uint8_t> a, const std::vector<uint8_t>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

TEST(DnsMessage, RejectsMalformedPackets) {
  struct Case {
    const char* why;
    std::vector<uint8_t> bytes;
  };
  std::vector<Case> cases = {
      {"empty", {}},
      {"short header", {0, 1, 0}},
      {"question promised, none there", header(1)},
      {"label past the end", cat(header(1), {5, 'a', 'b'})},
      {"name without end", cat(header(1), {1, 'a', 1, 'b'})},
      {"no type/class", cat(header(1), {1, 'a', 0, 0})},
      {"pointer to itself", cat(header(1), {0xc0, 12, 0, 1, 0, 1})},
      {"pointer forwards", cat(header(1), {0xc0, 20, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0})},
      {"pointer loop", cat(header(1), {1, 'a', 0xc0, 12, 0, 1, 0, 1})},
      {"truncated pointer", cat(header(1), {0xc0})},
      {"extended label type", cat(header(1), {0x40, 0, 0, 1, 0, 1})},
      {"reserved label type", cat(header(1), {0x80, 0, 0, 1, 0, 1})},
      {"answer promised, none there", cat(header(1, 1), {0, 0, 1, 0, 1})},
      {"rdata past the end",
       cat(header(1, 1), {0, 0, 1, 0, 1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 9, 1})},
      {"trailing bytes", cat(header(1), {0, 0, 1, 0, 1, 0xff})},
      {"65535 questions", cat(header(0xffff), {0, 0, 1, 0, 1})},
  };
  // A name of 128 one-byte labels is 257 bytes on the wire.
  std::vector<uint8_t> long_name = header(1);
  for (int i = 0; i < 128; ++i) long_name.insert(long_name.end(), {1, 'a'});
  long_name.insert(long_name.end(), {0, 0, 1, 0, 1});
  cases.push_back({"name longer than 255", long_name});
  for (const auto& c : cases) EXPECT_FALSE(parse_message(c.bytes).ok()) << c.why;

  // Legit backward pointers chaining through two names parse.
  auto ok = cat(header(2), {3, 'w', 'w', 'w', 1, 'x', 0, 0, 1, 0, 1, 1, 'y', 0xc0, 16, 0, 1, 0, 1});
  auto m = parse_message(ok);
  ASSERT_OK(m);
  EXPECT_EQ(m->questions[1].name.to_text(), "y.x");
}

// Random mutations of valid messages: whatever happens, no crash, no sanitizer report, and a
// message that parses encodes again.
TEST(DnsMessage, SurvivesRandomMutations) {
  Message base = query("web.mynet.example", kTypeAaaa, 99);
  base.answers.push_back(make_address_record(name("web.mynet.example"), ip("fd00::5"), 60));
  base.answers.push_back(make_ptr_record(name("5.0.18.172.in-addr.arpa"), name("web.mynet"), 60));
  base.additional.push_back(make_opt_record(4096));
  const auto seed = encode_message(base);
  std::mt19937 rng(20240605);
  size_t parsed = 0;
  for (int i = 0; i < 20000; ++i) {
    auto bytes = seed;
    int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits; ++e) {
      switch (rng() % 4) {
        case 0: bytes[rng() % bytes.size()] = static_cast<uint8_t>(rng()); break;
        case 1: bytes.resize(rng() % (bytes.size() + 1)); break;
        case 2:
          bytes.insert(bytes.begin() + static_cast<long>(rng() % (bytes.size() + 1)),
                       static_cast<uint8_t>(rng()));
          break;
        default: bytes[rng() % bytes.size()] ^= static_cast<uint8_t>(1u << (rng() % 8)); break;
      }
      if (bytes.empty()) bytes.push_back(0);
    }
    auto m = parse_message(bytes);
    if (m.ok()) {
      ++parsed;
      auto again = parse_message(encode_message(*m));
      EXPECT_TRUE(again.ok());
    }
  }
  EXPECT_GT(parsed, 0u);
}

}  // namespace
}  // namespace berth::net::dns
