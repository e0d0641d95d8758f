#include "net/bridge_network.h"

#include <cerrno>

#include "base/log.h"
#include "base/scope_exit.h"
#include "net/netlink/address.h"
#include "net/netlink/link.h"
#include "net/sysctl.h"

namespace berth::net {
namespace {

Status ensure_address(netlink::Socket& host, const std::string& bridge,
                      const InterfaceAddress& address) {
  Status status = netlink::add_address(host, bridge, address);
  if (!status.ok() && status.error().sys_errno() == EEXIST) return ok_status();
  return status;
}

}  // namespace

nft::NetworkRules firewall_rules(const BridgeConfig& config) {
  nft::NetworkRules rules;
  rules.bridge = config.name;
  if (config.gateway_v4) rules.subnet_v4 = config.gateway_v4->subnet();
  if (config.gateway_v6) rules.subnet_v6 = config.gateway_v6->subnet();
  rules.internal = config.internal;
  rules.masquerade = config.masquerade;
  rules.icc = config.icc;
  return rules;
}

Status setup_bridge(netlink::Socket& host, nft::Firewall& firewall, const BridgeConfig& config) {
  TRY(nft::validate_bridge_name(config.name));
  std::string what = "set up bridge " + config.name;
  bool created = false;
  auto existing = netlink::get_link(host, config.name);
  if (existing.ok()) {
    if (existing->kind != "bridge") {
      return make_error(ErrorCode::kConflict, "{}: {} exists and is not a bridge", what,
                        config.name);
    }
  } else if (existing.error().code() == ErrorCode::kNotFound) {
    netlink::BridgeSpec spec;
    spec.name = config.name;
    spec.mtu = config.mtu;
    TRY_CTX(netlink::create_bridge(host, spec), what);
    created = true;
  } else {
    return std::move(existing).error().with_context(what);
  }
  auto undo = ScopeExit([&] {
    if (created) (void)netlink::delete_link(host, config.name);
  });

  if (config.gateway_v4) TRY_CTX(ensure_address(host, config.name, *config.gateway_v4), what);
  if (config.gateway_v6) {
    // A bridge starts with IPv6 on, unless the host turned it off for new interfaces.
    (void)write_sysctl("net/ipv6/conf/" + config.name + "/disable_ipv6", "0");
    TRY_CTX(ensure_address(host, config.name, *config.gateway_v6), what);
  }
  TRY_CTX(netlink::set_link_up(host, config.name), what);
  if (!config.internal) TRY_CTX(enable_ip_forwarding(config.gateway_v6.has_value()), what);
  if (config.gateway_v4) TRY_CTX(enable_route_localnet(config.name), what);
  if (!config.icc) {
    // Traffic between ports of one bridge reaches the ip/ip6 hooks (where icc=false drops
    // it) only through br_netfilter.
    Status netfilter = enable_bridge_netfilter(config.gateway_v6.has_value());
    if (!netfilter.ok()) {
      log::warn("bridge {}: inter-container isolation needs br_netfilter: {}", config.name,
                netfilter.error().to_string());
    }
  }
  TRY_CTX(firewall.add_network(firewall_rules(config)), what);
  undo.dismiss();
  return ok_status();
}

Status teardown_bridge(netlink::Socket& host, nft::Firewall& firewall, const std::string& name) {
  TRY(nft::validate_bridge_name(name));
  TRY_CTX(firewall.remove_network(name), "remove bridge " + name);
  Status deleted = netlink::delete_link(host, name);
  if (!deleted.ok() && deleted.error().code() != ErrorCode::kNotFound) {
    return std::move(deleted).error();
  }
  return ok_status();
}

}  // namespace berth::net
