// Interface addresses over rtnetlink.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "net/ip_address.h"
#include "net/netlink/socket.h"

namespace berth::net::netlink {

struct AddressInfo {
  int index = 0;  // interface index
  InterfaceAddress address;
  int scope = 0;  // RT_SCOPE_*
};

// Adds `address` to interface `name`. IPv6 addresses are added with IFA_F_NODAD: the
// interface is new and the address was handed out by IPAM, so duplicate address detection
// would only delay the container's first packets by a second or more.
Status add_address(Socket& nl, const std::string& name, const InterfaceAddress& address);
Status delete_address(Socket& nl, const std::string& name, const InterfaceAddress& address);
// All addresses of the namespace, or of one family.
Result<std::vector<AddressInfo>> list_addresses(Socket& nl,
                                                std::optional<Family> family = std::nullopt);

}  // namespace berth::net::netlink
