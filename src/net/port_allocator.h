// Host ports for published container ports. Berth keeps its own table of the ports it gave
// out (a second container asking for one gets Docker's "port is already allocated"), and
// checks each port against the host by binding a socket to it, which it then keeps open while
// the port is published: no other program can take the port meanwhile, and one that holds it
// already makes publishing fail ("address already in use") instead of silently losing
// traffic to the DNAT rule. No proxy process listens; the socket never accepts.
//
// Not thread-safe: the daemon serialises calls (the port publisher holds a lock).
#pragma once

#include <cstdint>
#include <map>
#include <tuple>

#include "base/result.h"
#include "base/unique_fd.h"
#include "net/ip_address.h"
#include "net/port_spec.h"

namespace berth::net {

struct PortAllocatorOptions {
  uint16_t ephemeral_first = 49153;  // where random host ports come from
  uint16_t ephemeral_last = 65535;
  bool bind_check = true;  // bind (and hold) a socket per port; off only for unit tests
};

// The kernel's ephemeral range (/proc/sys/net/ipv4/ip_local_port_range), or Docker's fallback
// 49153-65535 when it cannot be read.
PortAllocatorOptions default_port_allocator_options();

class PortAllocator {
 public:
  explicit PortAllocator(PortAllocatorOptions options = default_port_allocator_options());

  // Reserves a host port on `host_ip` (0.0.0.0 / :: for every address):
  //   first == 0:            any free port of the ephemeral range;
  //   first == last:         exactly that port;
  //   first < last:          any free port in [first, last].
  // Errors (kConflict): "Bind for 0.0.0.0:8080 failed: port is already allocated" when Berth
  // holds it, "failed to bind host port 0.0.0.0:8080/tcp: address already in use" when another
  // program does.
  Result<uint16_t> reserve(Protocol protocol, const IpAddress& host_ip, uint16_t first,
                           uint16_t last);
  // Takes over a port published before a daemon restart: reserved like an exact request, but
  // when another program took it meanwhile the port is still recorded (without a socket) and
  // false is returned, so the caller can warn.
  bool adopt(Protocol protocol, const IpAddress& host_ip, uint16_t port);
  // Gives the port back (closes its socket). Unknown ports are ignored.
  void release(Protocol protocol, const IpAddress& host_ip, uint16_t port);
  bool is_reserved(Protocol protocol, const IpAddress& host_ip, uint16_t port) const;
  size_t size() const { return held_.size(); }

 private:
  using Key = std::tuple<Protocol, IpAddress, uint16_t>;
  bool conflicts(Protocol protocol, const IpAddress& host_ip, uint16_t port) const;
  Result<UniqueFd> bind_port(Protocol protocol, const IpAddress& host_ip, uint16_t port) const;
  Result<uint16_t> reserve_exact(Protocol protocol, const IpAddress& host_ip, uint16_t port);

  PortAllocatorOptions options_;
  std::map<Key, UniqueFd> held_;
  uint16_t cursor_;  // next candidate for a random port
};

// "0.0.0.0:8080" / "[::1]:8080".
std::string host_port_string(const IpAddress& host_ip, uint16_t port);

}  // namespace berth::net
