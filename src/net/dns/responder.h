// What the embedded DNS server answers, decided without any I/O: given a query from a
// container, either an answer built from the daemon's names (containers, aliases, short ids
// on the networks the asking container is attached to), or "forward it upstream", or "drop
// it". Unit-tested; the server (net/dns/server.h) does the sockets.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "net/dns/message.h"
#include "net/ip_address.h"

namespace berth::net::dns {

// Provided by the daemon; called from the server's worker threads, so it must be thread-safe.
struct Resolver {
  // The addresses `name` (lower case, no trailing dot: "web", "web.mynet", "db-alias",
  // "3f4e5c6d7a8b") has for `container`, or nullopt when it is not a name the daemon knows,
  // which sends the query upstream. An empty vector means "known, but no address".
  std::function<std::optional<std::vector<IpAddress>>(const std::string& container,
                                                      const std::string& name)>
      lookup;
  // The name for a PTR query ("web.mynet"), or nullopt to forward it.
  std::function<std::optional<std::string>(const std::string& container, const IpAddress& address)>
      reverse;
};

// Rotates the answers for a name on each query: several containers behind one alias are
// handed out round robin.
class RoundRobin {
 public:
  size_t next(const std::string& name);

 private:
  std::mutex mu_;
  std::unordered_map<std::string, size_t> counters_;
};

inline constexpr uint32_t kAnswerTtl = 600;  // Docker's

struct Decision {
  enum class Kind { kAnswer, kForward, kDrop };
  Kind kind = Kind::kDrop;
  std::vector<uint8_t> response;  // for kAnswer
  // For kForward: whether the query arrived over UDP and how large a UDP answer may be.
  size_t max_udp_size = kMaxUdpSize;
};

// An answer over UDP is kept within 512 bytes or the client's EDNS size (at most 4096); a
// longer one is cut at a record boundary with TC set, and the client asks again over TCP.
Decision respond(std::span<const uint8_t> query, const std::string& container,
                 const Resolver& resolver, RoundRobin& rotation, bool over_udp);

// A response to `query` with only a response code (SERVFAIL when upstreams fail, ...);
// empty when the query is too broken to answer.
std::vector<uint8_t> error_response(std::span<const uint8_t> query, uint8_t rcode);

}  // namespace berth::net::dns
