// A running container's network state on the host: its network namespace, one endpoint (veth)
// per attached network with the addresses IPAM gave it, its published ports and its embedded
// DNS registration. Persisted as JSON (network_store.h) so that a restarted berthd can restore
// or undo exactly what exists, and removed when the container stops.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/json.h"
#include "base/result.h"
#include "net/ip_address.h"
#include "net/mac_address.h"
#include "net/port_publisher.h"
#include "net/resolv_conf.h"

namespace berth::daemon {

struct EndpointState {
  std::string id;  // EndpointID
  std::string network_id;
  std::string network_name;
  std::string host_ifname;       // the veth's host end, on the bridge
  std::string container_ifname;  // eth0, eth1, ...
  net::MacAddress mac;
  std::optional<net::InterfaceAddress> address_v4;
  std::optional<net::InterfaceAddress> address_v6;
  std::optional<net::IpAddress> gateway_v4;  // the network's gateway
  std::optional<net::IpAddress> gateway_v6;
  bool default_route = false;  // the container's default route goes through this network
  std::vector<std::string> aliases;    // --network-alias
  std::vector<std::string> dns_names;  // what the embedded DNS server answers on this network

  Json to_json() const;
  static Result<EndpointState> from_json(const Json& json);
};

struct Sandbox {
  std::string container_id;
  std::string container_name;
  std::string id;  // SandboxID
  std::string netns_path;
  std::vector<EndpointState> endpoints;
  std::vector<net::PublishedPort> ports;
  std::vector<net::ExtServer> ext_servers;  // the embedded DNS server's upstreams
  bool dns = false;                         // registered with the embedded DNS server

  EndpointState* find_endpoint(const std::string& network_id);
  const EndpointState* find_endpoint(const std::string& network_id) const;
  const EndpointState* gateway_endpoint() const;

  Json to_json() const;
  static Result<Sandbox> from_json(const Json& json);
};

}  // namespace berth::daemon
