#include "net/nft/ruleset.h"

#include <fmt/format.h>

namespace berth::net::nft {
namespace {

// The address type keyword and the match on the destination/source address in this family.
struct FamilyWords {
  std::string_view family;  // "ip" / "ip6"
  std::string_view addr;    // "ipv4_addr" / "ipv6_addr"
  std::string_view proto;   // "ip" / "ip6" (as in "ip daddr")
};

FamilyWords words(TableFamily family) {
  if (family == TableFamily::kIp) return {"ip", "ipv4_addr", "ip"};
  return {"ip6", "ipv6_addr", "ip6"};
}

// "tcp . 8080" plus " comment ..." for the dnat_any key; with the host address for dnat_addr.
std::string element_key(const PortRule& rule) {
  if (rule.host_ip.is_unspecified()) {
    return fmt::format("{} . {}", protocol_name(rule.protocol), rule.host_port);
  }
  return fmt::format("{} . {} . {}", rule.host_ip.to_string(), protocol_name(rule.protocol),
                     rule.host_port);
}

std::string_view map_of(const PortRule& rule) {
  return rule.host_ip.is_unspecified() ? "dnat_any" : "dnat_addr";
}

}  // namespace

std::string_view table_family_name(TableFamily family) {
  return family == TableFamily::kIp ? "ip" : "ip6";
}

Family address_family(TableFamily family) {
  return family == TableFamily::kIp ? Family::kV4 : Family::kV6;
}

TableFamily table_family_of(Family family) {
  return family == Family::kV4 ? TableFamily::kIp : TableFamily::kIp6;
}

Status validate_bridge_name(std::string_view bridge) {
  if (bridge.empty() || bridge.size() > 15) {
    return make_error(ErrorCode::kInvalidArgument, "invalid bridge name \"{}\": 1 to 15 bytes",
                      bridge);
  }
  for (char c : bridge) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.' || c == '-';
    if (!ok) {
      return make_error(ErrorCode::kInvalidArgument,
                        "invalid bridge name \"{}\": only letters, digits, '_', '.' and '-'",
                        bridge);
    }
  }
  return ok_status();
}

Status validate_owner(std::string_view owner) {
  if (owner.empty() || owner.size() > 128) {
    return make_error(ErrorCode::kInvalidArgument, "invalid port owner \"{}\"", owner);
  }
  for (char c : owner) {
    if (c < 0x21 || c > 0x7e || c == '"' || c == '\\') {
      return make_error(ErrorCode::kInvalidArgument, "invalid port owner \"{}\"", owner);
    }
  }
  return ok_status();
}

std::string ensure_table_commands(TableFamily family, std::string_view table) {
  auto w = words(family);
  std::string t = fmt::format("{} {}", w.family, table);
  std::string out;
  auto line = [&](const std::string& s) {
    out += s;
    out += '\n';
  };
  line(fmt::format("add table {}", t));
  line(fmt::format("add set {} bridges {{ type ifname; }}", t));
  for (const char* map : {"fwd_from", "fwd_to", "snat_from", "snat_to"}) {
    line(fmt::format("add map {} {} {{ type ifname : verdict; }}", t, map));
  }
  line(fmt::format("add map {} dnat_any {{ type inet_proto . inet_service : {} . inet_service; }}",
                   t, w.addr));
  line(fmt::format(
      "add map {} dnat_addr {{ type {} . inet_proto . inet_service : {} . inet_service; }}", t,
      w.addr, w.addr));

  line(fmt::format("add chain {} published", t));
  line(fmt::format("flush chain {} published", t));
  line(
      fmt::format("add rule {} published dnat to {} daddr . meta l4proto . th dport map @dnat_addr",
                  t, w.proto));
  line(fmt::format("add rule {} published dnat to meta l4proto . th dport map @dnat_any", t));

  line(fmt::format(
      "add chain {} prerouting {{ type nat hook prerouting priority dstnat; policy accept; }}", t));
  line(fmt::format("flush chain {} prerouting", t));
  line(fmt::format("add rule {} prerouting fib daddr type local jump published", t));

  // Connections the host makes to its own addresses (127.0.0.1:8080 included) pass here.
  // IPv6 has no route_localnet: ::1 cannot be sent to a container, so it is left alone.
  line(fmt::format("add chain {} output {{ type nat hook output priority -100; policy accept; }}",
                   t));
  line(fmt::format("flush chain {} output", t));
  if (family == TableFamily::kIp) {
    line(fmt::format("add rule {} output fib daddr type local jump published", t));
  } else {
    line(fmt::format("add rule {} output ip6 daddr != ::1 fib daddr type local jump published", t));
  }

  line(fmt::format(
      "add chain {} postrouting {{ type nat hook postrouting priority srcnat; policy accept; }}",
      t));
  line(fmt::format("flush chain {} postrouting", t));
  line(fmt::format("add rule {} postrouting iifname vmap @snat_from", t));
  line(fmt::format("add rule {} postrouting oifname vmap @snat_to", t));

  line(fmt::format(
      "add chain {} forward {{ type filter hook forward priority filter; policy accept; }}", t));
  line(fmt::format("flush chain {} forward", t));
  line(fmt::format("add rule {} forward iifname vmap @fwd_from", t));
  line(fmt::format("add rule {} forward oifname vmap @fwd_to", t));

  if (family == TableFamily::kIp) {
    // route_localnet on the bridges lets 127.0.0.1 be routed to containers (published ports on
    // the loopback address); it would also let a container address the host's loopback
    // services. Only answers may come from a bridge to 127.0.0.0/8 (CVE-2020-8558).
    line(fmt::format(
        "add chain {} input {{ type filter hook input priority filter; policy accept; }}", t));
    line(fmt::format("flush chain {} input", t));
    line(fmt::format(
        "add rule {} input iifname @bridges ip daddr 127.0.0.0/8 ct direction original drop", t));
  }
  return out;
}

std::string delete_table_commands(TableFamily family, std::string_view table) {
  return fmt::format("delete table {} {}\n", table_family_name(family), table);
}

std::string add_network_commands(TableFamily family, std::string_view table,
                                 const NetworkRules& network) {
  auto w = words(family);
  std::string t = fmt::format("{} {}", w.family, table);
  const std::string& br = network.bridge;
  std::string out;
  auto line = [&](const std::string& s) {
    out += s;
    out += '\n';
  };
  auto chain = [&](std::string_view role) {
    std::string name = fmt::format("net-{}-{}", br, role);
    line(fmt::format("add chain {} {}", t, name));
    line(fmt::format("flush chain {} {}", t, name));
    return name;
  };

  // Forwarded traffic that enters from the bridge.
  std::string from = chain("from");
  line(fmt::format("add rule {} {} oifname \"{}\" {}", t, from, br,
                   network.icc ? "accept" : "drop"));
  if (network.internal) {
    line(fmt::format("add rule {} {} drop", t, from));
  } else {
    // Published ports stay reachable from containers of other networks (through the host's
    // addresses); anything else towards another Berth bridge is isolation's to drop.
    line(fmt::format("add rule {} {} ct status dnat accept", t, from));
    line(fmt::format("add rule {} {} oifname @bridges drop", t, from));
  }

  // Forwarded traffic that leaves into the bridge from elsewhere.
  std::string to = chain("to");
  if (network.internal) {
    line(fmt::format("add rule {} {} drop", t, to));
  } else {
    line(fmt::format("add rule {} {} ct state established,related accept", t, to));
    line(fmt::format("add rule {} {} ct status dnat accept", t, to));
    line(fmt::format("add rule {} {} iifname @bridges drop", t, to));
    // With masquerading the containers are reachable only through published ports; without,
    // the network is routed and the host's other rules decide.
    if (network.masquerade) line(fmt::format("add rule {} {} drop", t, to));
  }

  // Source NAT for what leaves from the bridge for elsewhere.
  std::string snat = chain("snat");
  const auto& subnet = family == TableFamily::kIp ? network.subnet_v4 : network.subnet_v6;
  if (!network.internal && network.masquerade && subnet) {
    line(fmt::format("add rule {} {} {} saddr {} oifname != \"{}\" masquerade", t, snat, w.proto,
                     subnet->to_string(), br));
  }

  // Source NAT for DNATed traffic entering the bridge (published ports), so that answers come
  // back through the host:
  //   - from the host itself, through one of its addresses (127.0.0.1 included);
  //   - from a container of this network, through a host address (hairpin). The kernel may
  //     route that back over the bridge or, with br_netfilter, bridge it (then it arrives here
  //     without an input interface), so it is matched on the source subnet.
  std::string hairpin = chain("hairpin");
  line(fmt::format("add rule {} {} ct status dnat fib saddr type local masquerade", t, hairpin));
  if (subnet) {
    line(fmt::format("add rule {} {} {} saddr {} ct status dnat masquerade", t, hairpin, w.proto,
                     subnet->to_string()));
  }

  line(fmt::format("add element {} bridges {{ \"{}\" }}", t, br));
  line(fmt::format("add element {} fwd_from {{ \"{}\" : jump {} }}", t, br, from));
  line(fmt::format("add element {} fwd_to {{ \"{}\" : jump {} }}", t, br, to));
  line(fmt::format("add element {} snat_from {{ \"{}\" : jump {} }}", t, br, snat));
  line(fmt::format("add element {} snat_to {{ \"{}\" : jump {} }}", t, br, hairpin));
  return out;
}

std::string remove_network_commands(TableFamily family, std::string_view table,
                                    std::string_view bridge) {
  std::string t = fmt::format("{} {}", table_family_name(family), table);
  std::string out;
  for (const char* map : {"fwd_from", "fwd_to", "snat_from", "snat_to", "bridges"}) {
    out += fmt::format("delete element {} {} {{ \"{}\" }}\n", t, map, bridge);
  }
  for (const char* role : {"from", "to", "snat", "hairpin"}) {
    out += fmt::format("flush chain {} net-{}-{}\n", t, bridge, role);
    out += fmt::format("delete chain {} net-{}-{}\n", t, bridge, role);
  }
  return out;
}

std::string add_port_commands(TableFamily family, std::string_view table, std::string_view owner,
                              const std::vector<PortRule>& rules) {
  std::string t = fmt::format("{} {}", table_family_name(family), table);
  std::string out;
  for (const auto& rule : rules) {
    if (table_family_of(rule.family()) != family) continue;
    out +=
        fmt::format("add element {} {} {{ {} comment \"{}\" : {} . {} }}\n", t, map_of(rule),
                    element_key(rule), owner, rule.container_ip.to_string(), rule.container_port);
  }
  return out;
}

std::string remove_port_commands(TableFamily family, std::string_view table,
                                 const std::vector<PortRule>& rules) {
  std::string t = fmt::format("{} {}", table_family_name(family), table);
  std::string out;
  for (const auto& rule : rules) {
    if (table_family_of(rule.family()) != family) continue;
    out += fmt::format("delete element {} {} {{ {} }}\n", t, map_of(rule), element_key(rule));
  }
  return out;
}

}  // namespace berth::net::nft
