#include "net/netlink/link.h"

#include <linux/if.h>
#include <linux/if_arp.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <sys/random.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>
#include <libmnl/libmnl.h>

#include "net/netlink/attributes.h"

namespace berth::net::netlink {
namespace {

ifinfomsg* put_ifinfo(nlmsghdr* nlh, int index = 0) {
  auto* ifi = static_cast<ifinfomsg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(ifinfomsg)));
  ifi->ifi_family = AF_UNSPEC;
  ifi->ifi_index = index;
  return ifi;
}

Status check_name(const std::string& name) {
  if (name.empty() || name.size() >= IFNAMSIZ) {
    return make_error(ErrorCode::kInvalidArgument, "invalid interface name \"{}\"", name);
  }
  return ok_status();
}

Result<int> index_of(Socket& nl, const std::string& name) {
  auto link = TRY(get_link(nl, name));
  return link.index;
}

LinkInfo parse_link(const nlmsghdr* nlh) {
  LinkInfo info;
  if (mnl_nlmsg_get_payload_len(nlh) < sizeof(ifinfomsg)) return info;
  const auto* ifi = static_cast<const ifinfomsg*>(mnl_nlmsg_get_payload(nlh));
  info.index = ifi->ifi_index;
  info.flags = ifi->ifi_flags;
  for_each_attribute(nlh, sizeof(*ifi), [&](const nlattr* attr) {
    switch (mnl_attr_get_type(attr)) {
      case IFLA_IFNAME:
        if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) >= 0) info.name = mnl_attr_get_str(attr);
        break;
      case IFLA_MTU:
        if (mnl_attr_validate(attr, MNL_TYPE_U32) >= 0) {
          info.mtu = static_cast<int>(mnl_attr_get_u32(attr));
        }
        break;
      case IFLA_MASTER:
        if (mnl_attr_validate(attr, MNL_TYPE_U32) >= 0) {
          info.master = static_cast<int>(mnl_attr_get_u32(attr));
        }
        break;
      case IFLA_ADDRESS:
        if (mnl_attr_get_payload_len(attr) == 6) {
          std::memcpy(info.mac.bytes.data(), mnl_attr_get_payload(attr), 6);
        }
        break;
      case IFLA_LINKINFO:
        for_each_nested(attr, [&](const nlattr* nested) {
          if (mnl_attr_get_type(nested) == IFLA_INFO_KIND &&
              mnl_attr_validate(nested, MNL_TYPE_NUL_STRING) >= 0) {
            info.kind = mnl_attr_get_str(nested);
          }
        });
        break;
      default: break;
    }
  });
  return info;
}

// RTM_NEWLINK on an existing link, by name, with the caller's attributes.
template <typename Fill>
Status change_link(Socket& nl, const std::string& name, std::string_view what, Fill fill) {
  TRY(check_name(name));
  nlmsghdr* nlh = nl.begin(RTM_NEWLINK, 0);
  ifinfomsg* ifi = put_ifinfo(nlh);
  mnl_attr_put_strz(nlh, IFLA_IFNAME, name.c_str());
  fill(nlh, ifi);
  return nl.request(fmt::format("{} {}", what, name));
}

}  // namespace

bool LinkInfo::up() const {
  return (flags & IFF_UP) != 0;
}

Status create_bridge(Socket& nl, const BridgeSpec& spec) {
  TRY(check_name(spec.name));
  nlmsghdr* nlh = nl.begin(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
  put_ifinfo(nlh);
  mnl_attr_put_strz(nlh, IFLA_IFNAME, spec.name.c_str());
  if (spec.mtu > 0) mnl_attr_put_u32(nlh, IFLA_MTU, static_cast<uint32_t>(spec.mtu));
  if (spec.mac) mnl_attr_put(nlh, IFLA_ADDRESS, 6, spec.mac->bytes.data());
  nlattr* linkinfo = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
  mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "bridge");
  mnl_attr_nest_end(nlh, linkinfo);
  return nl.request("create bridge " + spec.name);
}

Status create_veth(Socket& nl, const VethSpec& spec) {
  TRY(check_name(spec.name));
  TRY(check_name(spec.peer_name));
  nlmsghdr* nlh = nl.begin(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
  put_ifinfo(nlh);
  mnl_attr_put_strz(nlh, IFLA_IFNAME, spec.name.c_str());
  if (spec.mtu > 0) mnl_attr_put_u32(nlh, IFLA_MTU, static_cast<uint32_t>(spec.mtu));
  nlattr* linkinfo = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
  mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
  nlattr* data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
  nlattr* peer = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
  // The peer's attributes follow an ifinfomsg of its own inside the nest.
  auto* peer_ifi = static_cast<ifinfomsg*>(mnl_nlmsg_get_payload_tail(nlh));
  nlh->nlmsg_len += MNL_ALIGN(sizeof(ifinfomsg));
  std::memset(peer_ifi, 0, sizeof(*peer_ifi));
  peer_ifi->ifi_family = AF_UNSPEC;
  mnl_attr_put_strz(nlh, IFLA_IFNAME, spec.peer_name.c_str());
  if (spec.mtu > 0) mnl_attr_put_u32(nlh, IFLA_MTU, static_cast<uint32_t>(spec.mtu));
  if (spec.peer_mac) mnl_attr_put(nlh, IFLA_ADDRESS, 6, spec.peer_mac->bytes.data());
  if (spec.peer_netns_fd >= 0) {
    mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, static_cast<uint32_t>(spec.peer_netns_fd));
  }
  mnl_attr_nest_end(nlh, peer);
  mnl_attr_nest_end(nlh, data);
  mnl_attr_nest_end(nlh, linkinfo);
  return nl.request(fmt::format("create veth {} (peer {})", spec.name, spec.peer_name));
}

Status delete_link(Socket& nl, const std::string& name) {
  TRY(check_name(name));
  nlmsghdr* nlh = nl.begin(RTM_DELLINK, 0);
  put_ifinfo(nlh);
  mnl_attr_put_strz(nlh, IFLA_IFNAME, name.c_str());
  return nl.request("delete link " + name);
}

Result<LinkInfo> get_link(Socket& nl, const std::string& name) {
  TRY(check_name(name));
  nlmsghdr* nlh = nl.begin(RTM_GETLINK, 0);
  put_ifinfo(nlh);
  mnl_attr_put_strz(nlh, IFLA_IFNAME, name.c_str());
  // Leave out statistics; the answer stays small.
  mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
  std::optional<LinkInfo> found;
  // A GET by name answers with one RTM_NEWLINK and then the ACK (ENODEV when there is none).
  TRY(nl.request("get link " + name, [&](const nlmsghdr* m) -> Status {
    if (m->nlmsg_type == RTM_NEWLINK) found = parse_link(m);
    return ok_status();
  }));
  if (!found) return make_error(ErrorCode::kNotFound, "get link {}: no answer", name);
  return *found;
}

Result<std::vector<LinkInfo>> list_links(Socket& nl) {
  nlmsghdr* nlh = nl.begin(RTM_GETLINK, 0);
  put_ifinfo(nlh);
  mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
  std::vector<LinkInfo> links;
  TRY(nl.dump("list links", [&](const nlmsghdr* m) -> Status {
    if (m->nlmsg_type == RTM_NEWLINK) links.push_back(parse_link(m));
    return ok_status();
  }));
  return links;
}

Status set_link_up(Socket& nl, const std::string& name, bool up) {
  return change_link(nl, name, up ? "bring up" : "bring down", [&](nlmsghdr*, ifinfomsg* ifi) {
    ifi->ifi_change = IFF_UP;
    ifi->ifi_flags = up ? IFF_UP : 0;
  });
}

Status set_link_mtu(Socket& nl, const std::string& name, int mtu) {
  return change_link(nl, name, fmt::format("set mtu {} on", mtu), [&](nlmsghdr* nlh, ifinfomsg*) {
    mnl_attr_put_u32(nlh, IFLA_MTU, static_cast<uint32_t>(mtu));
  });
}

Status set_link_mac(Socket& nl, const std::string& name, const MacAddress& mac) {
  return change_link(
      nl, name, "set mac " + mac.to_string() + " on",
      [&](nlmsghdr* nlh, ifinfomsg*) { mnl_attr_put(nlh, IFLA_ADDRESS, 6, mac.bytes.data()); });
}

Status set_link_master(Socket& nl, const std::string& name, const std::string& master) {
  int master_index = 0;
  if (!master.empty()) master_index = TRY_CTX(index_of(nl, master), "enslave " + name);
  return change_link(nl, name, master.empty() ? "release" : "enslave to " + master + ":",
                     [&](nlmsghdr* nlh, ifinfomsg*) {
                       mnl_attr_put_u32(nlh, IFLA_MASTER, static_cast<uint32_t>(master_index));
                     });
}

Status set_link_netns(Socket& nl, const std::string& name, int netns_fd) {
  return change_link(nl, name, "move to another netns:", [&](nlmsghdr* nlh, ifinfomsg*) {
    mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, static_cast<uint32_t>(netns_fd));
  });
}

Status rename_link(Socket& nl, const std::string& name, const std::string& new_name) {
  TRY(check_name(new_name));
  int index = TRY_CTX(index_of(nl, name), "rename " + name);
  nlmsghdr* nlh = nl.begin(RTM_NEWLINK, 0);
  put_ifinfo(nlh, index);
  mnl_attr_put_strz(nlh, IFLA_IFNAME, new_name.c_str());
  return nl.request(fmt::format("rename {} to {}", name, new_name));
}

Status set_bridge_port_hairpin(Socket& nl, const std::string& name, bool on) {
  int index = TRY_CTX(index_of(nl, name), "set hairpin on " + name);
  nlmsghdr* nlh = nl.begin(RTM_SETLINK, 0);
  ifinfomsg* ifi = put_ifinfo(nlh, index);
  ifi->ifi_family = AF_BRIDGE;
  nlattr* protinfo = mnl_attr_nest_start(nlh, IFLA_PROTINFO);
  mnl_attr_put_u8(nlh, IFLA_BRPORT_MODE, on ? 1 : 0);
  mnl_attr_nest_end(nlh, protinfo);
  return nl.request(fmt::format("set hairpin {} on {}", on ? "on" : "off", name));
}

std::string random_veth_name() {
  uint8_t bytes[4] = {};
  if (::getrandom(bytes, sizeof(bytes), 0) != sizeof(bytes)) {
    uint64_t t = static_cast<uint64_t>(::time(nullptr)) ^ reinterpret_cast<uintptr_t>(bytes);
    std::memcpy(bytes, &t, sizeof(bytes));
  }
  return fmt::format("veth{:02x}{:02x}{:02x}{:x}", bytes[0], bytes[1], bytes[2], bytes[3] & 0xf);
}

}  // namespace berth::net::netlink
