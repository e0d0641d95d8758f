// The Engine API's JSON for networks (Network, with its Containers map) and for a container's
// NetworkSettings (Networks with EndpointSettings, Ports, the legacy top-level fields of the
// default bridge).
#include "cspec/modes.h"
#include "daemon/container_views.h"
#include "daemon/network_service.h"

namespace berth::daemon {
namespace {

Json field_or_null(const Json& j, const char* key) {
  if (!j.is_object() || !j.contains(key)) return nullptr;
  const Json& v = j[key];
  if ((v.is_array() || v.is_object()) && v.empty()) return nullptr;
  return v;
}

Json ports_json(const Container& c, const Sandbox* sandbox) {
  Json ports = Json::object();
  if (sandbox == nullptr) return ports;
  if (c.config.contains("ExposedPorts") && c.config["ExposedPorts"].is_object()) {
    for (auto& [key, unused] : c.config["ExposedPorts"].items()) {
      ports[key.find('/') == std::string::npos ? key + "/tcp" : key] = nullptr;
    }
  }
  for (const auto& p : sandbox->ports) {
    std::string key = std::to_string(p.container_port) + "/" + std::string(net::protocol_name(p.protocol));
    Json& list = ports[key];
    if (!list.is_array()) list = Json::array();
    list.push_back({{"HostIp", p.host_ip.to_string()}, {"HostPort", std::to_string(p.host_port)}});
  }
  return ports;
}

}  // namespace

bool NetworkService::has_endpoints_locked(const std::string& network_id) const {
  for (const auto& [id, sandbox] : sandboxes_) {
    if (sandbox.find_endpoint(network_id) != nullptr) return true;
  }
  return false;
}

Json NetworkService::network_json_locked(const Network& n, bool with_containers) const {
  Json config = Json::array();
  for (const auto& pc : n.ipam_config) {
    Json entry = {{"Subnet", pc.subnet}};
    if (!pc.ip_range.empty()) entry["IPRange"] = pc.ip_range;
    if (!pc.gateway.empty()) entry["Gateway"] = pc.gateway;
    if (!pc.aux_addresses.empty()) entry["AuxiliaryAddresses"] = pc.aux_addresses;
    config.push_back(std::move(entry));
  }
  Json containers = Json::object();
  if (with_containers) {
    for (const auto& [id, sandbox] : sandboxes_) {
      const EndpointState* ep = sandbox.find_endpoint(n.id);
      if (ep == nullptr) continue;
      containers[id] = {{"Name", sandbox.container_name},
                        {"EndpointID", ep->id},
                        {"MacAddress", ep->mac.to_string()},
                        {"IPv4Address", ep->address_v4 ? ep->address_v4->to_string() : ""},
                        {"IPv6Address", ep->address_v6 ? ep->address_v6->to_string() : ""}};
    }
  }
  return {{"Name", n.name},
          {"Id", n.id},
          {"Created", docker_time(n.created_ns)},
          {"Scope", "local"},
          {"Driver", n.driver},
          {"EnableIPv6", n.enable_ipv6},
          {"IPAM",
           {{"Driver", n.ipam_driver},
            {"Options", n.ipam_options.empty() ? Json(nullptr) : Json(n.ipam_options)},
            {"Config", config}}},
          {"Internal", n.internal},
          {"Attachable", n.attachable},
          {"Ingress", false},
          {"ConfigFrom", {{"Network", ""}}},
          {"ConfigOnly", false},
          {"Containers", containers},
          {"Options", n.options},
          {"Labels", n.labels}};
}

Json NetworkService::endpoint_json_locked(const Network& n, const Json& config,
                                          const EndpointState* ep) const {
  std::string requested_mac = config.is_object() && config.contains("MacAddress") &&
                                      config["MacAddress"].is_string()
                                  ? config["MacAddress"].get<std::string>()
                                  : "";
  Json j = {{"IPAMConfig", field_or_null(config, "IPAMConfig")},
            {"Links", field_or_null(config, "Links")},
            {"Aliases", field_or_null(config, "Aliases")},
            {"MacAddress", ep ? ep->mac.to_string() : requested_mac},
            {"DriverOpts", field_or_null(config, "DriverOpts")},
            {"NetworkID", n.id},
            {"EndpointID", ep ? ep->id : ""},
            {"Gateway", ep && ep->gateway_v4 ? ep->gateway_v4->to_string() : ""},
            {"IPAddress", ep && ep->address_v4 ? ep->address_v4->address.to_string() : ""},
            {"IPPrefixLen", ep && ep->address_v4 ? ep->address_v4->prefix_length : 0},
            {"IPv6Gateway", ep && ep->gateway_v6 ? ep->gateway_v6->to_string() : ""},
            {"GlobalIPv6Address", ep && ep->address_v6 ? ep->address_v6->address.to_string() : ""},
            {"GlobalIPv6PrefixLen", ep && ep->address_v6 ? ep->address_v6->prefix_length : 0},
            {"DNSNames", nullptr}};
  if (ep != nullptr && n.user_defined()) j["DNSNames"] = ep->dns_names;
  return j;
}

Json NetworkService::settings_json_locked(const Container& c, const Sandbox* sandbox) const {
  Json networks = Json::object();
  std::string mode = effective_network_mode(c);
  const EndpointState* legacy = nullptr;  // the default bridge's endpoint, for the old fields
  if (!cspec::is_container_mode(mode)) {
    Json endpoints = Json::object();
    if (c.networking_config.is_object() && c.networking_config.contains("EndpointsConfig") &&
        c.networking_config["EndpointsConfig"].is_object()) {
      endpoints = c.networking_config["EndpointsConfig"];
    }
    if (endpoints.empty()) endpoints[mode] = Json::object();
    for (auto& [key, config] : endpoints.items()) {
      auto n = find_locked(key);
      if (!n.ok()) continue;
      const EndpointState* ep = sandbox ? sandbox->find_endpoint((*n)->id) : nullptr;
      if (ep != nullptr && (*n)->default_bridge) legacy = ep;
      networks[(*n)->name] = endpoint_json_locked(**n, config, ep);
    }
  }
  Json ns = {{"Bridge", ""},
             {"SandboxID", sandbox ? sandbox->id : ""},
             {"SandboxKey", sandbox ? sandbox->netns_path : ""},
             {"Ports", ports_json(c, sandbox)},
             {"HairpinMode", false},
             {"LinkLocalIPv6Address", ""},
             {"LinkLocalIPv6PrefixLen", 0},
             {"SecondaryIPAddresses", nullptr},
             {"SecondaryIPv6Addresses", nullptr},
             {"EndpointID", legacy ? legacy->id : ""},
             {"Gateway", legacy && legacy->gateway_v4 ? legacy->gateway_v4->to_string() : ""},
             {"GlobalIPv6Address",
              legacy && legacy->address_v6 ? legacy->address_v6->address.to_string() : ""},
             {"GlobalIPv6PrefixLen", legacy && legacy->address_v6 ? legacy->address_v6->prefix_length : 0},
             {"IPAddress", legacy && legacy->address_v4 ? legacy->address_v4->address.to_string() : ""},
             {"IPPrefixLen", legacy && legacy->address_v4 ? legacy->address_v4->prefix_length : 0},
             {"IPv6Gateway", legacy && legacy->gateway_v6 ? legacy->gateway_v6->to_string() : ""},
             {"MacAddress", legacy ? legacy->mac.to_string() : ""},
             {"Networks", networks}};
  return ns;
}

}  // namespace berth::daemon
