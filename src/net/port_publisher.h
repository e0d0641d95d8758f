// Publishing a container's ports: host ports from the allocator, DNAT rules in the firewall,
// both or neither. The state the daemon persists is the list of PublishedPort per container
// (it becomes NetworkSettings.Ports); after a restart, restore() takes the same ports again
// and desired_rules() feeds Firewall::reconcile. Thread-safe.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "base/json.h"
#include "base/result.h"
#include "net/ip_address.h"
#include "net/nft/firewall.h"
#include "net/port_allocator.h"
#include "net/port_spec.h"

namespace berth::net {

struct PublishedPort {
  Protocol protocol = Protocol::kTcp;
  uint16_t container_port = 0;
  IpAddress host_ip;  // 0.0.0.0 / :: for every address
  uint16_t host_port = 0;
  IpAddress container_ip;

  nft::PortRule rule() const;
  Json to_json() const;
  static Result<PublishedPort> from_json(const Json& json);
  bool operator==(const PublishedPort&) const = default;
};

class PortPublisher {
 public:
  PortPublisher(nft::Firewall& firewall, PortAllocator& allocator)
      : firewall_(firewall), allocator_(allocator) {}

  // Publishes `specs` for a container with these addresses. A spec without a host IP is
  // published on every IPv4 address and, when the container has IPv6, on every IPv6 address
  // (the same host port when it is free in both). On any error nothing stays reserved or
  // installed. The result lists the mappings in the order of `specs`.
  Result<std::vector<PublishedPort>> publish(const std::string& container,
                                             const std::vector<PortSpec>& specs,
                                             std::optional<IpAddress> container_v4,
                                             std::optional<IpAddress> container_v6);
  // Removes the container's rules and frees its ports; no error when it has none.
  Status unpublish(const std::string& container);

  // After a daemon restart: takes the container's ports again (see PortAllocator::adopt; a
  // port another program took meanwhile is reported in the error, the rest is restored).
  // The rules themselves come back through Firewall::reconcile(desired_rules()).
  Status restore(const std::string& container, const std::vector<PublishedPort>& ports);
  std::map<std::string, std::vector<nft::PortRule>> desired_rules();
  std::vector<PublishedPort> published(const std::string& container);

 private:
  void release_locked(const std::vector<PublishedPort>& ports);

  nft::Firewall& firewall_;
  PortAllocator& allocator_;
  std::mutex mu_;
  std::map<std::string, std::vector<PublishedPort>> published_;
};

}  // namespace berth::net
