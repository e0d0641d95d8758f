// Sends a query to upstream resolvers and returns the first valid answer: each upstream in
// turn, each with a timeout; an answer over UDP with TC set is asked again over TCP (and used
// when it fits the client's UDP limit; otherwise the truncated one goes back and the client
// retries over TCP itself). Blocking; the server calls it from worker threads.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "base/result.h"
#include "base/unique_fd.h"
#include "net/ip_address.h"

namespace berth::net::dns {

struct Upstream {
  IpAddress address;
  uint16_t port = 53;
  // Ask from the host's network namespace (where berthd runs) rather than the container's:
  // for the host's own resolvers, notably a 127.0.0.x stub such as systemd-resolved, which is
  // unreachable from inside a container. --dns servers are asked from the container's.
  bool host_namespace = true;

  bool operator==(const Upstream&) const = default;
};

struct ForwardOptions {
  std::chrono::milliseconds timeout{4000};  // per upstream and attempt (Docker's 4 s)
  // Makes the socket for an upstream with host_namespace == false (in the container's
  // namespace); unset: every socket is made in the calling thread's namespace.
  std::function<Result<UniqueFd>(int domain, int type)> make_container_socket;
};

// `over_udp`: the client asked over UDP, and `max_udp_size` is its limit.
Result<std::vector<uint8_t>> forward_query(std::span<const uint8_t> query,
                                           const std::vector<Upstream>& upstreams, bool over_udp,
                                           size_t max_udp_size, const ForwardOptions& options);

}  // namespace berth::net::dns
