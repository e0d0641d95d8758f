// Network interfaces over rtnetlink: bridges, veth pairs, and their settings.
// Every function takes the socket of the namespace to act in (net/netlink/socket.h).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "net/mac_address.h"
#include "net/netlink/socket.h"

namespace berth::net::netlink {

struct LinkInfo {
  int index = 0;
  std::string name;
  std::string kind;  // "bridge", "veth", ... ("" for devices without rtnl link ops, like eth0)
  int master = 0;    // index of the bridge it is enslaved to, 0 if none
  int mtu = 0;
  unsigned flags = 0;  // IFF_*
  MacAddress mac;

  bool up() const;
};

struct BridgeSpec {
  std::string name;
  int mtu = 0;                    // 0: the kernel's default (1500)
  std::optional<MacAddress> mac;  // none: the kernel picks a random one
};

// One end stays in the socket's namespace, the peer is created directly in the namespace
// `peer_netns_fd` under its final name (eth0): nothing else on the host ever sees it, and
// there is no window where a half-configured interface sits in the host namespace.
struct VethSpec {
  std::string name;        // host end, e.g. "veth1a2b3c4"
  std::string peer_name;   // container end, e.g. "eth0"
  int peer_netns_fd = -1;  // -1: the peer stays in the socket's namespace too
  int mtu = 0;
  std::optional<MacAddress> peer_mac;
};

Status create_bridge(Socket& nl, const BridgeSpec& spec);
Status create_veth(Socket& nl, const VethSpec& spec);
// kNotFound when there is no such link.
Status delete_link(Socket& nl, const std::string& name);

Result<LinkInfo> get_link(Socket& nl, const std::string& name);
Result<std::vector<LinkInfo>> list_links(Socket& nl);

Status set_link_up(Socket& nl, const std::string& name, bool up = true);
Status set_link_mtu(Socket& nl, const std::string& name, int mtu);
Status set_link_mac(Socket& nl, const std::string& name, const MacAddress& mac);
// Enslaves `name` to the bridge `master` ("" releases it).
Status set_link_master(Socket& nl, const std::string& name, const std::string& master);
// Moves the link into another namespace (it keeps its name there; see rename_link).
Status set_link_netns(Socket& nl, const std::string& name, int netns_fd);
// The link must be down.
Status rename_link(Socket& nl, const std::string& name, const std::string& new_name);
// Bridge port hairpin mode: frames may leave through the port they came in by.
Status set_bridge_port_hairpin(Socket& nl, const std::string& name, bool on);

// "veth" + 7 random hex digits, as Docker names host ends.
std::string random_veth_name();

}  // namespace berth::net::netlink
