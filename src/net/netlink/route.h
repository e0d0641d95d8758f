// Routes over rtnetlink: the container's default route, and the host's routes that IPAM must
// not shadow with a new network.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "net/ip_address.h"
#include "net/netlink/socket.h"

namespace berth::net::netlink {

struct RouteInfo {
  Prefix destination;
  std::optional<IpAddress> gateway;
  int oif = 0;  // output interface index, 0 if none
  int table = 0;
  int protocol = 0;  // RTPROT_*
  int scope = 0;
  int type = 0;  // RTN_*
};

// default via `gateway` dev `name`, in the main table.
Status add_default_route(Socket& nl, const IpAddress& gateway, const std::string& name);
// Unicast routes of the main table of one family.
Result<std::vector<RouteInfo>> list_routes(Socket& nl, Family family);

// The prefixes a new network must not overlap: destinations of the main table's routes (not
// the default routes) and the subnets of interface addresses, leaving out interfaces whose
// names are in `ignore` (Berth's own bridges, whose subnets IPAM already knows).
Result<std::vector<Prefix>> host_prefixes(Socket& nl, const std::vector<std::string>& ignore = {});

}  // namespace berth::net::netlink
