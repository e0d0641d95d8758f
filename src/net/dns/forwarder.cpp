#include "net/dns/forwarder.h"

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "net/dns/message.h"

namespace berth::net::dns {
namespace {

using Clock = std::chrono::steady_clock;

sockaddr_storage to_sockaddr(const Upstream& u, socklen_t* len) {
  sockaddr_storage ss{};
  auto b = u.address.bytes();
  if (u.address.is_v4()) {
    auto* sin = reinterpret_cast<sockaddr_in*>(&ss);
    sin->sin_family = AF_INET;
    sin->sin_port = htons(u.port);
    std::memcpy(&sin->sin_addr, b.data(), 4);
    *len = sizeof(*sin);
  } else {
    auto* sin6 = reinterpret_cast<sockaddr_in6*>(&ss);
    sin6->sin6_family = AF_INET6;
    sin6->sin6_port = htons(u.port);
    std::memcpy(&sin6->sin6_addr, b.data(), 16);
    *len = sizeof(*sin6);
  }
  return ss;
}

int remaining_ms(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() < 0 ? 0 : static_cast<int>(left.count());
}

// Waits until `fd` is ready for `events` or the deadline passes.
Status wait_for(int fd, short events, Clock::time_point deadline) {
  for (;;) {
    pollfd p{fd, events, 0};
    int n = ::poll(&p, 1, remaining_ms(deadline));
    if (n > 0) return ok_status();
    if (n == 0) return Error(ErrorCode::kDeadlineExceeded, "upstream timed out");
    if (errno != EINTR) return errno_error("poll");
  }
}

Result<UniqueFd> connected_socket(const Upstream& u, int type, const ForwardOptions& options,
                                  Clock::time_point deadline) {
  int domain = u.address.is_v4() ? AF_INET : AF_INET6;
  UniqueFd fd;
  if (!u.host_namespace && options.make_container_socket) {
    fd = TRY(options.make_container_socket(domain, type | SOCK_NONBLOCK | SOCK_CLOEXEC));
  } else {
    fd = UniqueFd(::socket(domain, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (!fd) return errno_error("socket");
  }
  socklen_t len = 0;
  sockaddr_storage ss = to_sockaddr(u, &len);
  // Connected: the kernel drops datagrams from any other address and port.
  if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&ss), len) != 0) {
    if (errno != EINPROGRESS) return errno_error("connect to " + u.address.to_string());
    TRY(wait_for(fd.get(), POLLOUT, deadline));
    int err = 0;
    socklen_t err_len = sizeof(err);
    ::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &err, &err_len);
    if (err != 0) return errno_error(err, "connect to " + u.address.to_string());
  }
  return fd;
}

// An answer is ours when it is a response with our id and our question (name compared
// without regard to case, as resolvers may change it).
bool matches(std::span<const uint8_t> query, std::span<const uint8_t> answer) {
  auto q = parse_header(query);
  auto a = parse_header(answer);
  if (!q.ok() || !a.ok() || !a->qr || a->id != q->id) return false;
  auto qq = parse_questions(query);
  auto aq = parse_questions(answer);
  if (!qq.ok() || !aq.ok() || qq->size() != aq->size()) return false;
  for (size_t i = 0; i < qq->size(); ++i) {
    const auto& x = (*qq)[i];
    const auto& y = (*aq)[i];
    if (x.type != y.type || x.klass != y.klass || !x.name.equals_ignore_case(y.name)) return false;
  }
  return true;
}

Result<std::vector<uint8_t>> ask_udp(std::span<const uint8_t> query, const Upstream& u,
                                     const ForwardOptions& options) {
  auto deadline = Clock::now() + options.timeout;
  auto fd = TRY(connected_socket(u, SOCK_DGRAM, options, deadline));
  if (::send(fd.get(), query.data(), query.size(), 0) < 0) return errno_error("send");
  std::vector<uint8_t> buf(65535);
  for (;;) {
    TRY(wait_for(fd.get(), POLLIN, deadline));
    ssize_t n = ::recv(fd.get(), buf.data(), buf.size(), 0);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      return errno_error("receive from " + u.address.to_string());  // e.g. ECONNREFUSED
    }
    std::span<const uint8_t> answer(buf.data(), static_cast<size_t>(n));
    if (matches(query, answer)) return std::vector<uint8_t>(answer.begin(), answer.end());
    // Anything else (a late answer to someone else's id) is ignored until the deadline.
  }
}

Status io_exact(int fd, uint8_t* data, size_t len, bool writing, Clock::time_point deadline) {
  size_t done = 0;
  while (done < len) {
    TRY(wait_for(fd, writing ? POLLOUT : POLLIN, deadline));
    ssize_t n = writing ? ::send(fd, data + done, len - done, MSG_NOSIGNAL)
                        : ::recv(fd, data + done, len - done, 0);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      return errno_error(writing ? "send" : "receive");
    }
    if (n == 0) return Error(ErrorCode::kUnavailable, "upstream closed the connection");
    done += static_cast<size_t>(n);
  }
  return ok_status();
}

Result<std::vector<uint8_t>> ask_tcp(std::span<const uint8_t> query, const Upstream& u,
                                     const ForwardOptions& options) {
  auto deadline = Clock::now() + options.timeout;
  auto fd = TRY(connected_socket(u, SOCK_STREAM, options, deadline));
  std::vector<uint8_t> out(2 + query.size());
  out[0] = static_cast<uint8_t>(query.size() >> 8);
  out[1] = static_cast<uint8_t>(query.size() & 0xff);
  std::memcpy(out.data() + 2, query.data(), query.size());
  TRY(io_exact(fd.get(), out.data(), out.size(), true, deadline));
  uint8_t len_bytes[2];
  TRY(io_exact(fd.get(), len_bytes, 2, false, deadline));
  std::vector<uint8_t> answer((static_cast<size_t>(len_bytes[0]) << 8) | len_bytes[1]);
  TRY(io_exact(fd.get(), answer.data(), answer.size(), false, deadline));
  if (!matches(query, answer)) {
    return Error(ErrorCode::kDataLoss, "upstream answered another query");
  }
  return answer;
}

}  // namespace

Result<std::vector<uint8_t>> forward_query(std::span<const uint8_t> query,
                                           const std::vector<Upstream>& upstreams, bool over_udp,
                                           size_t max_udp_size, const ForwardOptions& options) {
  if (upstreams.empty()) return Error(ErrorCode::kUnavailable, "no upstream resolvers");
  Error last(ErrorCode::kUnavailable, "no upstream answered");
  for (const auto& u : upstreams) {
    if (!over_udp) {
      auto answer = ask_tcp(query, u, options);
      if (answer.ok()) return answer;
      last = std::move(answer).error();
      continue;
    }
    auto answer = ask_udp(query, u, options);
    if (!answer.ok()) {
      last = std::move(answer).error();
      continue;
    }
    auto header = parse_header(*answer);
    if (header.ok() && header->tc) {
      auto full = ask_tcp(query, u, options);
      if (full.ok() && full->size() <= max_udp_size) return full;
    }
    if (answer->size() > max_udp_size) {
      // Larger than the client accepts (an upstream ignoring its EDNS size): send the
      // question back with TC set, and the client retries over TCP.
      auto q = parse_message(query);
      if (!q.ok()) return std::move(q).error();
      Message m;
      m.header.id = q->header.id;
      m.header.qr = true;
      m.header.tc = true;
      m.header.rd = q->header.rd;
      m.header.ra = true;
      m.header.rcode = header.ok() ? header->rcode : kRcodeNoError;
      m.questions = q->questions;
      return encode_message(m);
    }
    return answer;
  }
  return last.with_context("forward DNS query");
}

}  // namespace berth::net::dns
