// The names the embedded DNS server answers: on each user-defined network a container is
// attached to, the names of every container there (its name, its aliases, its short id),
// also qualified with the network's name ("web.mynet"). Several containers behind one name
// are all returned; the server rotates them (round robin).
#include <algorithm>

#include "base/strings.h"
#include "daemon/network_service.h"

namespace berth::daemon {

net::dns::Resolver NetworkService::make_resolver() {
  net::dns::Resolver resolver;
  resolver.lookup = [this](const std::string& container, const std::string& name) {
    return lookup(container, name);
  };
  resolver.reverse = [this](const std::string& container, const net::IpAddress& address) {
    return reverse(container, address);
  };
  return resolver;
}

std::optional<std::vector<net::IpAddress>> NetworkService::lookup(const std::string& container,
                                                                  const std::string& name) {
  std::lock_guard lock(mu_);
  auto self = sandboxes_.find(container);
  if (self == sandboxes_.end()) return std::nullopt;
  bool known = false;
  std::vector<net::IpAddress> out;
  auto add = [&](const net::IpAddress& a) {
    if (std::find(out.begin(), out.end(), a) == out.end()) out.push_back(a);
  };
  for (const auto& own : self->second.endpoints) {
    const Network* network = find_by_id_locked(own.network_id);
    if (network == nullptr || !network->user_defined()) continue;
    std::string wanted = name;
    std::string suffix = "." + to_lower(network->name);
    if (wanted.size() > suffix.size() && wanted.ends_with(suffix))
      wanted.resize(wanted.size() - suffix.size());
    for (const auto& [id, other] : sandboxes_) {
      const EndpointState* ep = other.find_endpoint(network->id);
      if (ep == nullptr) continue;
      bool match = std::any_of(ep->dns_names.begin(), ep->dns_names.end(),
                               [&](const std::string& n) { return to_lower(n) == wanted; });
      if (!match) continue;
      known = true;
      if (ep->address_v4) add(ep->address_v4->address);
      if (ep->address_v6) add(ep->address_v6->address);
    }
  }
  if (!known) return std::nullopt;
  return out;
}

std::optional<std::string> NetworkService::reverse(const std::string& container,
                                                   const net::IpAddress& address) {
  std::lock_guard lock(mu_);
  auto self = sandboxes_.find(container);
  if (self == sandboxes_.end()) return std::nullopt;
  for (const auto& own : self->second.endpoints) {
    const Network* network = find_by_id_locked(own.network_id);
    if (network == nullptr || !network->user_defined()) continue;
    for (const auto& [id, other] : sandboxes_) {
      const EndpointState* ep = other.find_endpoint(network->id);
      if (ep == nullptr) continue;
      bool match = (ep->address_v4 && ep->address_v4->address == address) ||
                   (ep->address_v6 && ep->address_v6->address == address);
      if (match) return other.container_name + "." + network->name;
    }
  }
  return std::nullopt;
}

}  // namespace berth::daemon
