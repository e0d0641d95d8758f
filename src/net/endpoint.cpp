#include "net/endpoint.h"

#include "base/scope_exit.h"
#include "net/netlink/address.h"
#include "net/netlink/link.h"
#include "net/netlink/route.h"

namespace berth::net {

Result<Endpoint> attach_endpoint(netlink::Socket& host, const EndpointConfig& config) {
  if (config.netns_fd < 0) {
    return Error(ErrorCode::kInvalidArgument, "attach endpoint: no network namespace");
  }
  Endpoint endpoint;
  endpoint.host_ifname =
      config.host_ifname.empty() ? netlink::random_veth_name() : config.host_ifname;
  endpoint.container_ifname = config.container_ifname;
  endpoint.mac = config.mac ? *config.mac : MacAddress::random();
  std::string what = "attach " + endpoint.host_ifname + " to " + config.bridge;

  netlink::VethSpec veth;
  veth.name = endpoint.host_ifname;
  veth.peer_name = config.container_ifname;
  veth.peer_netns_fd = config.netns_fd;
  veth.mtu = config.mtu;
  veth.peer_mac = endpoint.mac;
  TRY_CTX(netlink::create_veth(host, veth), what);
  auto undo = ScopeExit([&] { (void)netlink::delete_link(host, endpoint.host_ifname); });

  TRY_CTX(netlink::set_link_master(host, endpoint.host_ifname, config.bridge), what);
  if (config.hairpin) {
    TRY_CTX(netlink::set_bridge_port_hairpin(host, endpoint.host_ifname, true), what);
  }
  TRY_CTX(netlink::set_link_up(host, endpoint.host_ifname), what);

  auto inside = TRY_CTX(netlink::Socket::open_in_netns(config.netns_fd), what);
  const std::string& ifname = config.container_ifname;
  if (config.address_v4) TRY_CTX(netlink::add_address(inside, ifname, *config.address_v4), what);
  if (config.address_v6) TRY_CTX(netlink::add_address(inside, ifname, *config.address_v6), what);
  TRY_CTX(netlink::set_link_up(inside, ifname), what);
  if (config.gateway_v4)
    TRY_CTX(netlink::add_default_route(inside, *config.gateway_v4, ifname), what);
  if (config.gateway_v6)
    TRY_CTX(netlink::add_default_route(inside, *config.gateway_v6, ifname), what);
  undo.dismiss();
  return endpoint;
}

Status detach_endpoint(netlink::Socket& host, const std::string& host_ifname) {
  Status status = netlink::delete_link(host, host_ifname);
  if (!status.ok() && status.error().code() != ErrorCode::kNotFound) return status;
  return ok_status();
}

}  // namespace berth::net
