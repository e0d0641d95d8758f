#include "net/nft/firewall_state.h"

#include <algorithm>
#include <array>

namespace berth::net::nft {
namespace {

constexpr std::array<std::string_view, 4> kRoles = {"-from", "-to", "-snat", "-hairpin"};

// "net-<bridge>-<role>" -> bridge, or "" for other chains.
std::string bridge_of_chain(std::string_view name) {
  if (!name.starts_with("net-")) return "";
  name.remove_prefix(4);
  for (auto role : kRoles) {
    if (name.size() > role.size() && name.ends_with(role)) {
      return std::string(name.substr(0, name.size() - role.size()));
    }
  }
  return "";
}

Result<Protocol> protocol_of(const Json& j) {
  if (j.is_string()) return parse_protocol(j.get<std::string>());
  if (j.is_number_integer()) {
    switch (j.get<int>()) {
      case 6: return Protocol::kTcp;
      case 17: return Protocol::kUdp;
      case 132: return Protocol::kSctp;
      default: break;
    }
  }
  return Error(ErrorCode::kDataLoss, "nft listing: unexpected protocol " + j.dump());
}

Result<uint16_t> port_of(const Json& j) {
  if (!j.is_number_integer() || j.get<int>() < 0 || j.get<int>() > 65535) {
    return Error(ErrorCode::kDataLoss, "nft listing: unexpected port " + j.dump());
  }
  return static_cast<uint16_t>(j.get<int>());
}

Result<IpAddress> address_of(const Json& j) {
  if (!j.is_string()) return Error(ErrorCode::kDataLoss, "nft listing: unexpected address");
  return IpAddress::parse(j.get<std::string>());
}

const Json* concat_of(const Json& j) {
  if (j.is_object() && j.contains("concat") && j["concat"].is_array()) return &j["concat"];
  return nullptr;
}

// One element of dnat_any / dnat_addr: [key, value] where key may carry a comment.
Status add_port_element(const Json& elem, bool with_address, Family family, FirewallState* state) {
  if (!elem.is_array() || elem.size() != 2) {
    return Error(ErrorCode::kDataLoss, "nft listing: unexpected map element " + elem.dump());
  }
  const Json* key = &elem[0];
  std::string owner;
  if (key->is_object() && key->contains("elem")) {
    const Json& inner = (*key)["elem"];
    if (inner.contains("comment") && inner["comment"].is_string()) {
      owner = inner["comment"].get<std::string>();
    }
    key = &inner["val"];
  }
  const Json* k = concat_of(*key);
  const Json* v = concat_of(elem[1]);
  size_t key_size = with_address ? 3 : 2;
  if (!k || k->size() != key_size || !v || v->size() != 2) {
    return Error(ErrorCode::kDataLoss, "nft listing: unexpected map element " + elem.dump());
  }
  PortRule rule;
  size_t i = 0;
  rule.host_ip = with_address ? TRY(address_of((*k)[i++])) : IpAddress::any(family);
  rule.protocol = TRY(protocol_of((*k)[i++]));
  rule.host_port = TRY(port_of((*k)[i]));
  rule.container_ip = TRY(address_of((*v)[0]));
  rule.container_port = TRY(port_of((*v)[1]));
  auto& rules = state->ports[owner];
  rules.insert(std::upper_bound(rules.begin(), rules.end(), rule), rule);
  return ok_status();
}

void add_bridge_element(const Json& elem, FirewallState* state) {
  // Set elements are strings; verdict map elements are [key, verdict].
  const Json* key = &elem;
  if (elem.is_array() && !elem.empty()) key = &elem[0];
  if (key->is_string()) state->bridges.insert(key->get<std::string>());
}

}  // namespace

Status parse_table_listing(const Json& listing, FirewallState* state) {
  try {
    if (!listing.is_object() || !listing.contains("nftables") || !listing["nftables"].is_array()) {
      return Error(ErrorCode::kDataLoss, "nft listing: no \"nftables\" array");
    }
    for (const auto& object : listing["nftables"]) {
      if (object.contains("chain")) {
        std::string bridge = bridge_of_chain(object["chain"].value("name", ""));
        if (!bridge.empty()) state->bridges.insert(bridge);
        continue;
      }
      const char* kind = object.contains("map") ? "map" : object.contains("set") ? "set" : nullptr;
      if (!kind) continue;
      const Json& set = object[kind];
      std::string name = set.value("name", "");
      Family family = set.value("family", "ip") == "ip6" ? Family::kV6 : Family::kV4;
      if (!set.contains("elem") || !set["elem"].is_array()) continue;
      for (const auto& elem : set["elem"]) {
        if (name == "dnat_any" || name == "dnat_addr") {
          TRY(add_port_element(elem, name == "dnat_addr", family, state));
        } else if (name == "bridges" || name == "fwd_from" || name == "fwd_to" ||
                   name == "snat_from" || name == "snat_to") {
          add_bridge_element(elem, state);
        }
      }
    }
  } catch (const Json::exception& e) {
    return make_error(ErrorCode::kDataLoss, "nft listing: {}", e.what());
  }
  return ok_status();
}

}  // namespace berth::net::nft
