// The nft command text for Berth's firewall. Pure: every function returns a piece of an nft
// script; net/nft/firewall.h runs them through libnftables, one transaction per operation.
//
// Berth owns two tables, `ip <table>` and `ip6 <table>` (default name "berth"), and touches
// nothing else, so rules of other programs survive and deleting the tables removes everything
// Berth ever added. Inside each table:
//
//   base chains, fixed:  prerouting/output (nat, dstnat): local destinations jump `published`;
//                        published: DNAT through the maps dnat_addr (host ip . proto . port)
//                          and dnat_any (proto . port), whose elements are the published ports;
//                        postrouting (nat, srcnat): iifname vmap @snat_from, oifname vmap @snat_to;
//                        forward (filter): iifname vmap @fwd_from, oifname vmap @fwd_to;
//                        input (filter, ip only): packets from a bridge to 127.0.0.0/8 that do not
//                          answer a connection are dropped (route_localnet is on for hairpin).
//   per network:         chains net-<bridge>-{from,to,snat,hairpin}, reached through the four
//                        verdict maps keyed by the bridge name, and the bridge in set `bridges`.
//   per container:       elements of dnat_addr/dnat_any, commented with the container id.
//
// So a network is added or removed as a handful of chains and map elements, a container's
// ports as map elements, and reconciliation after a restart is a comparison of listed
// elements and chains with the daemon's desired state.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "net/ip_address.h"
#include "net/port_spec.h"

namespace berth::net::nft {

enum class TableFamily { kIp, kIp6 };

std::string_view table_family_name(TableFamily family);  // "ip" / "ip6"
Family address_family(TableFamily family);
TableFamily table_family_of(Family family);

// What the firewall needs to know about one bridge network.
struct NetworkRules {
  std::string bridge;               // the bridge interface; names its chains
  std::optional<Prefix> subnet_v4;  // source prefix to masquerade
  std::optional<Prefix> subnet_v6;
  bool internal = false;   // no traffic in or out of the bridge, only within it
  bool masquerade = true;  // com.docker.network.bridge.enable_ip_masquerade
  bool icc = true;         // com.docker.network.bridge.enable_icc

  bool operator==(const NetworkRules&) const = default;
};

// One published port: traffic for host_ip:host_port goes to container_ip:container_port.
// host_ip unspecified (0.0.0.0 / ::) means every local address of that family.
struct PortRule {
  Protocol protocol = Protocol::kTcp;
  IpAddress host_ip;
  uint16_t host_port = 0;
  IpAddress container_ip;
  uint16_t container_port = 0;

  Family family() const { return container_ip.family(); }
  auto operator<=>(const PortRule&) const = default;  // NOLINT(modernize-use-nullptr)
};

// Bridge names become parts of chain names: letters, digits, '_', '.', '-', at most 15 bytes.
Status validate_bridge_name(std::string_view bridge);
// Container ids become element comments: printable, no quotes, at most 128 bytes.
Status validate_owner(std::string_view owner);

// Creates the table, its sets and maps when missing, and (re)writes the base chains. Safe to
// run on a table that already holds networks and ports: they are kept.
std::string ensure_table_commands(TableFamily family, std::string_view table);
std::string delete_table_commands(TableFamily family, std::string_view table);

// (Re)writes the chains and map elements of one network; idempotent.
std::string add_network_commands(TableFamily family, std::string_view table,
                                 const NetworkRules& network);
// Removes them; the network must be present (delete fails on missing elements).
std::string remove_network_commands(TableFamily family, std::string_view table,
                                    std::string_view bridge);

// Adds the port rules of this family among `rules` as map elements commented `owner`.
std::string add_port_commands(TableFamily family, std::string_view table, std::string_view owner,
                              const std::vector<PortRule>& rules);
// Deletes the elements of those rules (keys only; they must be present).
std::string remove_port_commands(TableFamily family, std::string_view table,
                                 const std::vector<PortRule>& rules);

}  // namespace berth::net::nft
