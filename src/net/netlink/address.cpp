#include "net/netlink/address.h"

#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include <fmt/format.h>
#include <libmnl/libmnl.h>

#include "net/netlink/attributes.h"
#include "net/netlink/link.h"

namespace berth::net::netlink {
namespace {

int af(Family family) {
  return family == Family::kV4 ? AF_INET : AF_INET6;
}

Status change_address(Socket& nl, uint16_t type, uint16_t flags, const std::string& name,
                      const InterfaceAddress& address, std::string_view what) {
  auto link = TRY_CTX(get_link(nl, name), fmt::format("{} {}", what, address.to_string()));
  nlmsghdr* nlh = nl.begin(type, flags);
  auto* ifa = static_cast<ifaddrmsg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(ifaddrmsg)));
  ifa->ifa_family = static_cast<uint8_t>(af(address.address.family()));
  ifa->ifa_prefixlen = static_cast<uint8_t>(address.prefix_length);
  ifa->ifa_index = static_cast<uint32_t>(link.index);
  ifa->ifa_scope = RT_SCOPE_UNIVERSE;
  auto bytes = address.address.bytes();
  auto len = static_cast<uint16_t>(address.address.byte_length());
  mnl_attr_put(nlh, IFA_LOCAL, len, bytes.data());
  mnl_attr_put(nlh, IFA_ADDRESS, len, bytes.data());
  if (type == RTM_NEWADDR) {
    if (address.address.is_v4()) {
      // The broadcast address, as `ip addr add ... brd +` sets it.
      auto subnet = address.subnet();
      if (!subnet.is_point_to_point()) {
        auto brd = subnet.last().bytes();
        mnl_attr_put(nlh, IFA_BROADCAST, 4, brd.data());
      }
    } else {
      ifa->ifa_flags = IFA_F_NODAD;
      mnl_attr_put_u32(nlh, IFA_FLAGS, IFA_F_NODAD);
    }
  }
  return nl.request(fmt::format("{} {} on {}", what, address.to_string(), name));
}

}  // namespace

Status add_address(Socket& nl, const std::string& name, const InterfaceAddress& address) {
  return change_address(nl, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, name, address, "add address");
}

Status delete_address(Socket& nl, const std::string& name, const InterfaceAddress& address) {
  return change_address(nl, RTM_DELADDR, 0, name, address, "delete address");
}

Result<std::vector<AddressInfo>> list_addresses(Socket& nl, std::optional<Family> family) {
  nlmsghdr* nlh = nl.begin(RTM_GETADDR, 0);
  auto* ifa = static_cast<ifaddrmsg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(ifaddrmsg)));
  ifa->ifa_family = static_cast<uint8_t>(family ? af(*family) : AF_UNSPEC);
  std::vector<AddressInfo> out;
  TRY(nl.dump("list addresses", [&](const nlmsghdr* m) -> Status {
    if (m->nlmsg_type != RTM_NEWADDR || mnl_nlmsg_get_payload_len(m) < sizeof(ifaddrmsg)) {
      return ok_status();
    }
    const auto* msg = static_cast<const ifaddrmsg*>(mnl_nlmsg_get_payload(m));
    if (msg->ifa_family != AF_INET && msg->ifa_family != AF_INET6) return ok_status();
    Family fam = msg->ifa_family == AF_INET ? Family::kV4 : Family::kV6;
    size_t want = fam == Family::kV4 ? 4 : 16;
    std::optional<IpAddress> local;
    std::optional<IpAddress> address;
    for_each_attribute(m, sizeof(*msg), [&](const nlattr* attr) {
      int type = mnl_attr_get_type(attr);
      if ((type == IFA_LOCAL || type == IFA_ADDRESS) && mnl_attr_get_payload_len(attr) == want) {
        auto ip =
            IpAddress::from_bytes(fam, static_cast<const uint8_t*>(mnl_attr_get_payload(attr)));
        (type == IFA_LOCAL ? local : address) = ip;
      }
    });
    // On point-to-point links IFA_ADDRESS is the peer; IFA_LOCAL is ours when present.
    auto ours = local ? local : address;
    if (!ours) return ok_status();
    AddressInfo info;
    info.index = static_cast<int>(msg->ifa_index);
    info.address = InterfaceAddress{*ours, msg->ifa_prefixlen};
    info.scope = msg->ifa_scope;
    out.push_back(info);
    return ok_status();
  }));
  return out;
}

}  // namespace berth::net::netlink
