// A bridge network on the host: the bridge interface with its gateway addresses, the sysctls
// it needs, and its firewall rules. Idempotent, so the daemon calls setup_bridge() both when a
// network is created and for every network when it starts again (bridges outlive berthd).
#pragma once

#include <optional>
#include <string>

#include "base/result.h"
#include "net/ip_address.h"
#include "net/netlink/socket.h"
#include "net/nft/firewall.h"

namespace berth::net {

struct BridgeConfig {
  std::string name;  // the bridge interface ("docker0"-like, "br-<12 hex of the network id>")
  int mtu = 0;       // com.docker.network.driver.mtu; 0: the kernel default
  // The gateway address and subnet prefix length, e.g. 172.18.0.1/16 (from IPAM).
  std::optional<InterfaceAddress> gateway_v4;
  std::optional<InterfaceAddress> gateway_v6;
  bool internal = false;
  bool masquerade = true;
  bool icc = true;
};

// The firewall's view of the network (also what the daemon passes to Firewall::reconcile).
nft::NetworkRules firewall_rules(const BridgeConfig& config);

// Creates the bridge if missing (kept if present), adds missing gateway addresses, brings it
// up, turns on forwarding and route_localnet (and bridge-nf-call-iptables for icc=false), and
// installs the firewall rules. When it created
// the bridge and a later step fails, it deletes the bridge again.
Status setup_bridge(netlink::Socket& host, nft::Firewall& firewall, const BridgeConfig& config);
// Removes the firewall rules and deletes the bridge; no error when either is already gone.
Status teardown_bridge(netlink::Socket& host, nft::Firewall& firewall, const std::string& name);

}  // namespace berth::net
