// A container's interface on a bridge network: a veth pair whose host end is enslaved to the
// bridge and whose other end is created directly inside the container's network namespace
// under its final name (eth0), then given its MAC and addresses, brought up, and given a
// default route through the bridge's gateway.
//
// The container end is configured through a netlink socket opened inside the container's
// namespace (netlink::Socket::open_in_netns), so no daemon thread ever changes namespace.
#pragma once

#include <optional>
#include <string>

#include "base/result.h"
#include "net/ip_address.h"
#include "net/mac_address.h"
#include "net/netlink/socket.h"

namespace berth::net {

struct EndpointConfig {
  std::string bridge;
  std::string host_ifname;                // empty: a random "veth" name
  std::string container_ifname = "eth0";  // eth1, ... for further networks
  int netns_fd = -1;                      // the container's network namespace
  std::optional<MacAddress> mac;          // none: a random one
  std::optional<InterfaceAddress> address_v4;
  std::optional<InterfaceAddress> address_v6;
  // Default routes: given for the network that is the container's gateway only, never for
  // --internal networks.
  std::optional<IpAddress> gateway_v4;
  std::optional<IpAddress> gateway_v6;
  int mtu = 0;  // the bridge's
  // Hairpin mode on the bridge port: a container reaching its own published port through a
  // host address gets its packets back through the port they left by (with br_netfilter the
  // DNATed packet is bridged back, not routed).
  bool hairpin = true;
};

struct Endpoint {
  std::string host_ifname;
  std::string container_ifname;
  MacAddress mac;
};

// Creates and configures the pair; on failure nothing is left (the host end is deleted, which
// deletes its peer too).
Result<Endpoint> attach_endpoint(netlink::Socket& host, const EndpointConfig& config);
// Deletes the pair by its host end; no error when it is gone already (the namespace was
// destroyed, which destroys the pair).
Status detach_endpoint(netlink::Socket& host, const std::string& host_ifname);

}  // namespace berth::net
