#include "net/dns/responder.h"

#include <algorithm>

namespace berth::net::dns {
namespace {

constexpr size_t kMaxEdnsSize = 4096;

// The response skeleton: same id, opcode, RD and question; QR and RA set.
Message reply_to(const Message& query, uint8_t rcode) {
  Message m;
  m.header.id = query.header.id;
  m.header.qr = true;
  m.header.opcode = query.header.opcode;
  m.header.rd = query.header.rd;
  m.header.ra = true;
  m.header.cd = query.header.cd;
  m.header.rcode = rcode;
  m.questions = query.questions;
  if (query.edns_udp_size() != 0) m.additional.push_back(make_opt_record(kMaxEdnsSize));
  return m;
}

// Encodes, dropping answers from the end (and setting TC) until it fits.
std::vector<uint8_t> encode_within(Message m, size_t max_size) {
  std::vector<uint8_t> bytes = encode_message(m);
  while (bytes.size() > max_size && !m.answers.empty()) {
    m.answers.pop_back();
    m.header.tc = true;
    bytes = encode_message(m);
  }
  return bytes;
}

Decision answer(std::vector<uint8_t> bytes) {
  Decision d;
  d.kind = Decision::Kind::kAnswer;
  d.response = std::move(bytes);
  return d;
}

}  // namespace

size_t RoundRobin::next(const std::string& name) {
  std::lock_guard lock(mu_);
  // Bounded: forgetting all counters only restarts rotations.
  if (counters_.size() > 4096) counters_.clear();
  return counters_[name]++;
}

std::vector<uint8_t> error_response(std::span<const uint8_t> query, uint8_t rcode) {
  auto parsed = parse_message(query);
  if (parsed.ok()) return encode_message(reply_to(*parsed, rcode));
  // Unparseable beyond the header: answer with the header alone.
  auto header = parse_header(query);
  if (!header.ok() || header->qr) return {};
  Message m;
  m.header.id = header->id;
  m.header.qr = true;
  m.header.opcode = header->opcode;
  m.header.rd = header->rd;
  m.header.ra = true;
  m.header.rcode = rcode;
  return encode_message(m);
}

Decision respond(std::span<const uint8_t> query, const std::string& container,
                 const Resolver& resolver, RoundRobin& rotation, bool over_udp) {
  auto header = parse_header(query);
  // Too short to answer, or a response (never answer those: reflection loops).
  if (!header.ok() || header->qr) return {};
  auto parsed = parse_message(query);
  if (!parsed.ok()) {
    auto bytes = error_response(query, kRcodeFormErr);
    return bytes.empty() ? Decision{} : answer(std::move(bytes));
  }
  const Message& q = *parsed;
  size_t max_size = 65535;
  if (over_udp) {
    max_size = std::clamp<size_t>(q.edns_udp_size(), kMaxUdpSize, kMaxEdnsSize);
  }
  if (q.header.opcode != kOpcodeQuery) {
    return answer(encode_message(reply_to(q, kRcodeNotImp)));
  }
  if (q.questions.size() != 1) return answer(encode_message(reply_to(q, kRcodeFormErr)));

  Decision forward;
  forward.kind = Decision::Kind::kForward;
  forward.max_udp_size = max_size;

  const Question& question = q.questions[0];
  if (question.klass != kClassIn) return forward;

  if (question.type == kTypePtr) {
    auto address = address_from_reverse_name(question.name);
    if (!address.ok() || !resolver.reverse) return forward;
    auto target_text = resolver.reverse(container, *address);
    if (!target_text) return forward;
    auto target = Name::from_text(*target_text);
    if (!target.ok()) return forward;
    Message m = reply_to(q, kRcodeNoError);
    m.header.aa = true;
    m.answers.push_back(make_ptr_record(question.name, *target, kAnswerTtl));
    return answer(encode_within(std::move(m), max_size));
  }

  if (question.type != kTypeA && question.type != kTypeAaaa) return forward;
  if (!resolver.lookup || question.name.labels.empty()) return forward;
  std::string name = question.name.to_text();
  auto addresses = resolver.lookup(container, name);
  if (!addresses) return forward;

  Family want = question.type == kTypeA ? Family::kV4 : Family::kV6;
  std::vector<IpAddress> matching;
  for (const auto& a : *addresses) {
    if (a.family() == want) matching.push_back(a);
  }
  if (matching.size() > 1) {
    size_t shift = rotation.next(name + (want == Family::kV4 ? "/4" : "/6")) % matching.size();
    std::rotate(matching.begin(), matching.begin() + static_cast<std::ptrdiff_t>(shift),
                matching.end());
  }
  // A known name without an address of this family: NOERROR with no answer, so the client
  // does not wait for (or get a wrong answer from) the upstream resolvers.
  Message m = reply_to(q, kRcodeNoError);
  m.header.aa = true;
  for (const auto& a : matching) {
    m.answers.push_back(make_address_record(question.name, a, kAnswerTtl));
  }
  return answer(encode_within(std::move(m), max_size));
}

}  // namespace berth::net::dns
