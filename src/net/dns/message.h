// DNS messages (RFC 1035) parsed and encoded by hand. The parser treats its input as hostile
// (it is whatever a container sends to 127.0.0.11): every read is bounds-checked, compression
// pointers must point backwards and are followed at most a fixed number of times, labels and
// names keep their RFC limits. Record data is kept as raw bytes (names inside it are not
// decompressed); Berth only builds A, AAAA and PTR answers itself and forwards the rest.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "net/ip_address.h"

namespace berth::net::dns {

inline constexpr uint16_t kTypeA = 1;
inline constexpr uint16_t kTypeCname = 5;
inline constexpr uint16_t kTypePtr = 12;
inline constexpr uint16_t kTypeAaaa = 28;
inline constexpr uint16_t kTypeOpt = 41;
inline constexpr uint16_t kTypeAny = 255;
inline constexpr uint16_t kClassIn = 1;

inline constexpr uint8_t kOpcodeQuery = 0;
inline constexpr uint8_t kRcodeNoError = 0;
inline constexpr uint8_t kRcodeFormErr = 1;
inline constexpr uint8_t kRcodeServFail = 2;
inline constexpr uint8_t kRcodeNxDomain = 3;
inline constexpr uint8_t kRcodeNotImp = 4;
inline constexpr uint8_t kRcodeRefused = 5;

inline constexpr size_t kHeaderSize = 12;
inline constexpr size_t kMaxUdpSize = 512;  // without EDNS
inline constexpr size_t kMaxLabel = 63;
inline constexpr size_t kMaxName = 255;  // wire length, including length bytes and the root

struct Header {
  uint16_t id = 0;
  bool qr = false;  // a response
  uint8_t opcode = 0;
  bool aa = false;
  bool tc = false;
  bool rd = false;
  bool ra = false;
  bool ad = false;
  bool cd = false;
  uint8_t rcode = 0;
  uint16_t qdcount = 0;
  uint16_t ancount = 0;
  uint16_t nscount = 0;
  uint16_t arcount = 0;
};

// A domain name as its labels, byte for byte (labels may hold any bytes, dots included).
struct Name {
  std::vector<std::string> labels;

  // Presentation form without the trailing dot, lower-cased ASCII, with '.', '\\' and
  // non-printable bytes escaped as in zone files ("\." and "\DDD"); "" for the root.
  std::string to_text() const;
  // Parses presentation form ("web.example", trailing dot optional, escapes allowed).
  static Result<Name> from_text(std::string_view text);
  size_t wire_length() const;
  bool equals_ignore_case(const Name& other) const;
  bool operator==(const Name&) const = default;
};

struct Question {
  Name name;
  uint16_t type = 0;
  uint16_t klass = 0;
};

struct Record {
  Name name;
  uint16_t type = 0;
  uint16_t klass = 0;
  uint32_t ttl = 0;
  std::vector<uint8_t> rdata;
};

struct Message {
  Header header;
  std::vector<Question> questions;
  std::vector<Record> answers;
  std::vector<Record> authority;
  std::vector<Record> additional;

  // EDNS: the UDP payload size the sender accepts (its OPT record's class), or 0 without one.
  uint16_t edns_udp_size() const;
};

// Just the fixed header; kInvalidArgument when shorter than 12 bytes.
Result<Header> parse_header(std::span<const uint8_t> data);
// The whole message; kInvalidArgument with the reason on any malformation, including
// trailing garbage and counts that promise more records than the bytes hold.
Result<Message> parse_message(std::span<const uint8_t> data);
// The header and the question section only (what identifies the query an answer is for);
// the records after it are not looked at.
Result<std::vector<Question>> parse_questions(std::span<const uint8_t> data);
// Encodes with name compression (names are compressed against earlier names in the message).
std::vector<uint8_t> encode_message(const Message& message);

Record make_address_record(const Name& name, const IpAddress& address, uint32_t ttl);
Record make_ptr_record(const Name& name, const Name& target, uint32_t ttl);
// An OPT pseudo-record advertising `udp_size`.
Record make_opt_record(uint16_t udp_size);

// The reverse-lookup name of an address: "2.0.18.172.in-addr.arpa",
// "1.0.0.0....0.0.d.f.ip6.arpa".
Name reverse_name(const IpAddress& address);
// The address a PTR name stands for; kNotFound when the name is not a complete in-addr.arpa /
// ip6.arpa address (a partial one names a zone, not an address).
Result<IpAddress> address_from_reverse_name(const Name& name);

}  // namespace berth::net::dns
