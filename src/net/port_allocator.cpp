#include "net/port_allocator.h"

#include <netinet/in.h>
#include <sys/random.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "base/file_util.h"
#include "base/strings.h"

namespace berth::net {

PortAllocatorOptions default_port_allocator_options() {
  PortAllocatorOptions options;
  auto text = read_file("/proc/sys/net/ipv4/ip_local_port_range");
  if (!text.ok()) return options;
  std::string_view s = trim(*text);
  size_t sep = s.find_first_of(" \t");
  if (sep == std::string_view::npos) return options;
  auto first = parse_int(trim(s.substr(0, sep)));
  auto last = parse_int(trim(s.substr(sep)));
  if (first.ok() && last.ok() && *first > 0 && *first <= *last && *last <= 65535) {
    options.ephemeral_first = static_cast<uint16_t>(*first);
    options.ephemeral_last = static_cast<uint16_t>(*last);
  }
  return options;
}

std::string host_port_string(const IpAddress& host_ip, uint16_t port) {
  if (host_ip.is_v6()) return fmt::format("[{}]:{}", host_ip.to_string(), port);
  return fmt::format("{}:{}", host_ip.to_string(), port);
}

PortAllocator::PortAllocator(PortAllocatorOptions options) : options_(options) {
  // Start random ports at a random place so a restarted daemon does not hand out the ports
  // its previous run just released.
  uint32_t r = 0;
  if (::getrandom(&r, sizeof(r), GRND_NONBLOCK) != sizeof(r)) r = 0;
  uint32_t span = options_.ephemeral_last - options_.ephemeral_first + 1u;
  cursor_ = static_cast<uint16_t>(options_.ephemeral_first + r % span);
}

bool PortAllocator::conflicts(Protocol protocol, const IpAddress& host_ip, uint16_t port) const {
  for (const auto& [key, fd] : held_) {
    const auto& [p, ip, held_port] = key;
    if (p != protocol || held_port != port || ip.family() != host_ip.family()) continue;
    // The wildcard address covers every specific one, and the other way round.
    if (ip == host_ip || ip.is_unspecified() || host_ip.is_unspecified()) return true;
  }
  return false;
}

bool PortAllocator::is_reserved(Protocol protocol, const IpAddress& host_ip, uint16_t port) const {
  return held_.contains(Key{protocol, host_ip, port});
}

Result<UniqueFd> PortAllocator::bind_port(Protocol protocol, const IpAddress& host_ip,
                                          uint16_t port) const {
  if (!options_.bind_check) return UniqueFd();
  int family = host_ip.is_v4() ? AF_INET : AF_INET6;
  int type = protocol == Protocol::kUdp ? SOCK_DGRAM : SOCK_STREAM;
  int proto = protocol == Protocol::kSctp ? IPPROTO_SCTP : 0;
  UniqueFd fd(::socket(family, type | SOCK_CLOEXEC, proto));
  if (!fd) {
    // Without SCTP support in the kernel there is nothing that could hold the port.
    if (protocol == Protocol::kSctp && (errno == EPROTONOSUPPORT || errno == ESOCKTNOSUPPORT)) {
      return UniqueFd();
    }
    return errno_error("socket for host port " + host_port_string(host_ip, port));
  }
  int one = 1;
  if (family == AF_INET6) ::setsockopt(fd.get(), IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
  sockaddr_storage storage{};
  socklen_t len = 0;
  auto bytes = host_ip.bytes();
  if (family == AF_INET) {
    auto* sin = reinterpret_cast<sockaddr_in*>(&storage);
    sin->sin_family = AF_INET;
    sin->sin_port = htons(port);
    std::memcpy(&sin->sin_addr, bytes.data(), 4);
    len = sizeof(*sin);
  } else {
    auto* sin6 = reinterpret_cast<sockaddr_in6*>(&storage);
    sin6->sin6_family = AF_INET6;
    sin6->sin6_port = htons(port);
    std::memcpy(&sin6->sin6_addr, bytes.data(), 16);
    len = sizeof(*sin6);
  }
  auto try_bind = [&](int socket_fd) {
    return ::bind(socket_fd, reinterpret_cast<sockaddr*>(&storage), len) == 0 ? 0 : errno;
  };
  // TCP without SO_REUSEADDR first: then no other program can bind the port either, not even
  // with SO_REUSEADDR. If that fails, the port may only be held by connections lingering in
  // TIME_WAIT; a socket with SO_REUSEADDR still gets it then, but not past a listener.
  int err = try_bind(fd.get());
  if (err == EADDRINUSE && type == SOCK_STREAM) {
    UniqueFd reuse(::socket(family, type | SOCK_CLOEXEC, proto));
    if (reuse) {
      ::setsockopt(reuse.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
      if (family == AF_INET6)
        ::setsockopt(reuse.get(), IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
      if (try_bind(reuse.get()) == 0) {
        fd = std::move(reuse);
        err = 0;
      }
    }
  }
  if (err != 0) {
    std::string what = err == EADDRINUSE ? "address already in use" : std::strerror(err);
    return Error(err == EADDRINUSE || err == EACCES ? ErrorCode::kConflict : code_from_errno(err),
                 fmt::format("failed to bind host port {}/{}: {}", host_port_string(host_ip, port),
                             protocol_name(protocol), what));
  }
  return fd;
}

Result<uint16_t> PortAllocator::reserve_exact(Protocol protocol, const IpAddress& host_ip,
                                              uint16_t port) {
  if (conflicts(protocol, host_ip, port)) {
    return make_error(ErrorCode::kConflict, "Bind for {} failed: port is already allocated",
                      host_port_string(host_ip, port));
  }
  auto fd = TRY(bind_port(protocol, host_ip, port));
  held_.emplace(Key{protocol, host_ip, port}, std::move(fd));
  return port;
}

Result<uint16_t> PortAllocator::reserve(Protocol protocol, const IpAddress& host_ip, uint16_t first,
                                        uint16_t last) {
  if (first != 0 && first == last) return reserve_exact(protocol, host_ip, first);
  bool random = first == 0;
  uint16_t lo = random ? options_.ephemeral_first : first;
  uint16_t hi = random ? options_.ephemeral_last : last;
  uint32_t span = hi - lo + 1u;
  uint16_t start = random ? cursor_ : lo;
  if (start < lo || start > hi) start = lo;
  for (uint32_t i = 0; i < span; ++i) {
    auto port = static_cast<uint16_t>(lo + (start - lo + i) % span);
    if (conflicts(protocol, host_ip, port)) continue;
    auto fd = bind_port(protocol, host_ip, port);
    if (!fd.ok()) {
      if (fd.error().code() == ErrorCode::kConflict) continue;  // taken by another program
      return std::move(fd).error();
    }
    held_.emplace(Key{protocol, host_ip, port}, std::move(fd).take());
    if (random) cursor_ = static_cast<uint16_t>(port == hi ? lo : port + 1);
    return port;
  }
  if (random) {
    return make_error(ErrorCode::kResourceExhausted,
                      "all ports are allocated in the range {}-{} for {}", lo, hi,
                      host_ip.to_string());
  }
  return make_error(ErrorCode::kConflict, "Bind for {} failed: port is already allocated",
                    host_port_string(host_ip, first) + "-" + std::to_string(last));
}

bool PortAllocator::adopt(Protocol protocol, const IpAddress& host_ip, uint16_t port) {
  Key key{protocol, host_ip, port};
  if (held_.contains(key)) return true;
  auto fd = bind_port(protocol, host_ip, port);
  bool ok = fd.ok();
  held_.emplace(key, ok ? std::move(fd).take() : UniqueFd());
  return ok;
}

void PortAllocator::release(Protocol protocol, const IpAddress& host_ip, uint16_t port) {
  held_.erase(Key{protocol, host_ip, port});
}

}  // namespace berth::net
