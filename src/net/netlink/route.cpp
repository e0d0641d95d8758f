#include "net/netlink/route.h"

#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include <algorithm>

#include <fmt/format.h>
#include <libmnl/libmnl.h>

#include "net/netlink/address.h"
#include "net/netlink/attributes.h"
#include "net/netlink/link.h"

namespace berth::net::netlink {

Status add_default_route(Socket& nl, const IpAddress& gateway, const std::string& name) {
  auto link = TRY_CTX(get_link(nl, name), "add default route");
  nlmsghdr* nlh = nl.begin(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL);
  auto* rtm = static_cast<rtmsg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(rtmsg)));
  rtm->rtm_family = static_cast<uint8_t>(gateway.is_v4() ? AF_INET : AF_INET6);
  rtm->rtm_dst_len = 0;
  rtm->rtm_table = RT_TABLE_MAIN;
  rtm->rtm_protocol = RTPROT_BOOT;
  rtm->rtm_scope = RT_SCOPE_UNIVERSE;
  rtm->rtm_type = RTN_UNICAST;
  auto bytes = gateway.bytes();
  mnl_attr_put(nlh, RTA_GATEWAY, static_cast<uint16_t>(gateway.byte_length()), bytes.data());
  mnl_attr_put_u32(nlh, RTA_OIF, static_cast<uint32_t>(link.index));
  return nl.request(fmt::format("add default route via {} dev {}", gateway.to_string(), name));
}

Result<std::vector<RouteInfo>> list_routes(Socket& nl, Family family) {
  nlmsghdr* nlh = nl.begin(RTM_GETROUTE, 0);
  auto* req = static_cast<rtmsg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(rtmsg)));
  req->rtm_family = static_cast<uint8_t>(family == Family::kV4 ? AF_INET : AF_INET6);
  std::vector<RouteInfo> out;
  size_t want = family == Family::kV4 ? 4 : 16;
  TRY(nl.dump("list routes", [&](const nlmsghdr* m) -> Status {
    if (m->nlmsg_type != RTM_NEWROUTE || mnl_nlmsg_get_payload_len(m) < sizeof(rtmsg)) {
      return ok_status();
    }
    const auto* rtm = static_cast<const rtmsg*>(mnl_nlmsg_get_payload(m));
    RouteInfo info;
    info.table = rtm->rtm_table;
    info.protocol = rtm->rtm_protocol;
    info.scope = rtm->rtm_scope;
    info.type = rtm->rtm_type;
    IpAddress dst = IpAddress::any(family);
    for_each_attribute(m, sizeof(*rtm), [&](const nlattr* attr) {
      int type = mnl_attr_get_type(attr);
      const auto* data = static_cast<const uint8_t*>(mnl_attr_get_payload(attr));
      if (type == RTA_DST && mnl_attr_get_payload_len(attr) == want) {
        dst = IpAddress::from_bytes(family, data);
      } else if (type == RTA_GATEWAY && mnl_attr_get_payload_len(attr) == want) {
        info.gateway = IpAddress::from_bytes(family, data);
      } else if (type == RTA_OIF && mnl_attr_validate(attr, MNL_TYPE_U32) >= 0) {
        info.oif = static_cast<int>(mnl_attr_get_u32(attr));
      } else if (type == RTA_TABLE && mnl_attr_validate(attr, MNL_TYPE_U32) >= 0) {
        info.table = static_cast<int>(mnl_attr_get_u32(attr));
      }
    });
    if (info.table != RT_TABLE_MAIN || info.type != RTN_UNICAST) return ok_status();
    info.destination = Prefix(dst, rtm->rtm_dst_len);
    out.push_back(info);
    return ok_status();
  }));
  return out;
}

Result<std::vector<Prefix>> host_prefixes(Socket& nl, const std::vector<std::string>& ignore) {
  auto links = TRY(list_links(nl));
  std::vector<int> ignored;
  for (const auto& link : links) {
    if (std::find(ignore.begin(), ignore.end(), link.name) != ignore.end()) {
      ignored.push_back(link.index);
    }
  }
  auto skip = [&](int index) {
    return std::find(ignored.begin(), ignored.end(), index) != ignored.end();
  };
  std::vector<Prefix> out;
  auto add = [&](const Prefix& p) {
    if (p.length() == 0 || p.network().is_loopback() || p.network().is_link_local()) return;
    if (std::find(out.begin(), out.end(), p) == out.end()) out.push_back(p);
  };
  for (Family family : {Family::kV4, Family::kV6}) {
    for (const auto& route : TRY(list_routes(nl, family))) {
      if (!skip(route.oif)) add(route.destination);
    }
  }
  for (const auto& address : TRY(list_addresses(nl))) {
    if (!skip(address.index)) add(address.address.subnet());
  }
  return out;
}

}  // namespace berth::net::netlink
