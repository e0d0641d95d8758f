// A container's network across its lifecycle: the endpoint settings checked and recorded at
// create (prepare), the namespace, veths, addresses, published ports and DNS registration made
// at start (setup) and undone at stop (teardown).
#include <set>

#include "base/log.h"
#include "base/scope_exit.h"
#include "cspec/modes.h"
#include "daemon/names.h"
#include "daemon/network_service.h"
#include "net/endpoint.h"
#include "net/netns.h"

namespace berth::daemon {
namespace {

std::string string_field(const Json& j, const char* key) {
  if (!j.is_object() || !j.contains(key) || !j[key].is_string()) return {};
  return j[key].get<std::string>();
}

Json endpoints_config(const Container& c) {
  if (c.networking_config.is_object() && c.networking_config.contains("EndpointsConfig") &&
      c.networking_config["EndpointsConfig"].is_object()) {
    return c.networking_config["EndpointsConfig"];
  }
  return Json::object();
}

Error conflicting_modes(const std::string& name) {
  return make_error(ErrorCode::kInvalidArgument,
                    "container cannot be connected to multiple networks with one of the networks "
                    "in {} mode",
                    name == "none" ? "private (none)" : name);
}

}  // namespace

Status NetworkService::validate_endpoint_config(const Network& network, const Json& config) const {
  if (!config.is_object()) return ok_status();
  const Json ipam = config.value("IPAMConfig", Json());
  bool fixed_ip = !string_field(ipam, "IPv4Address").empty() ||
                  !string_field(ipam, "IPv6Address").empty();
  if (fixed_ip) {
    if (!network.user_defined()) {
      return Error(ErrorCode::kInvalidArgument,
                   "user specified IP address is supported on user defined networks only");
    }
    const net::Pool* pool = ipam_.find(network.id, net::Family::kV4);
    if (pool != nullptr && pool->defaulted && !string_field(ipam, "IPv4Address").empty()) {
      return Error(ErrorCode::kInvalidArgument,
                   "user specified IP address is supported only when connecting to networks with "
                   "user configured subnets");
    }
  }
  if (config.contains("Aliases") && config["Aliases"].is_array() && !config["Aliases"].empty() &&
      !network.user_defined()) {
    return Error(ErrorCode::kInvalidArgument,
                 "network-scoped alias is supported only for containers in user defined networks");
  }
  std::string mac = string_field(config, "MacAddress");
  if (!mac.empty() && !net::MacAddress::parse(mac).ok())
    return make_error(ErrorCode::kInvalidArgument, "invalid MAC address: {}", mac);
  return ok_status();
}

Status NetworkService::prepare(Container& c) {
  std::string mode = effective_network_mode(c);
  Json endpoints = endpoints_config(c);
  std::lock_guard lock(mu_);
  if (cspec::is_container_mode(mode)) {
    c.network_settings = settings_json_locked(c, nullptr);
    return ok_status();
  }
  const Network* primary = TRY(find_locked(mode));
  Json normalized = Json::object();
  for (auto& [key, config] : endpoints.items()) {
    // The docker CLI names the network of NetworkMode "default" as "default".
    const Network* n = TRY(find_locked(key == "default" ? mode : key));
    if (n != primary && (!primary->is_bridge() || !n->is_bridge()))
      return conflicting_modes(primary->is_bridge() ? n->name : primary->name);
    TRY(validate_endpoint_config(*n, config));
    normalized[n->name] = config.is_object() ? config : Json::object();
  }
  if (!normalized.contains(primary->name)) normalized[primary->name] = Json::object();
  if (!c.networking_config.is_object()) c.networking_config = Json::object();
  c.networking_config["EndpointsConfig"] = normalized;
  c.network_settings = settings_json_locked(c, nullptr);
  return ok_status();
}

Result<std::vector<NetworkService::Attachment>> NetworkService::attachments_locked(
    const Container& c) const {
  const Network* primary = TRY(find_locked(effective_network_mode(c)));
  Json endpoints = endpoints_config(c);
  std::vector<Attachment> out;
  if (endpoints.empty()) {
    out.emplace_back(primary, Json::object());
    return out;
  }
  // The mode's network first (it gets the default route), then the others by name.
  for (auto& [key, config] : endpoints.items()) {
    const Network* n = TRY(find_locked(key));
    if (!n->is_bridge()) continue;
    if (n == primary) {
      out.insert(out.begin(), Attachment(n, config));
    } else {
      out.emplace_back(n, config);
    }
  }
  return out;
}

Result<EndpointState> NetworkService::attach_locked(Sandbox& sandbox, const Network& network,
                                                    const Json& config, const Container& c,
                                                    int netns_fd, const std::string& ifname,
                                                    bool gateway) {
  EndpointState ep;
  ep.id = generate_id();
  ep.network_id = network.id;
  ep.network_name = network.name;
  ep.container_ifname = ifname;
  const Json ipam_config = config.is_object() ? config.value("IPAMConfig", Json()) : Json();
  auto requested = [&](const char* key) -> Result<std::optional<net::IpAddress>> {
    std::string text = string_field(ipam_config, key);
    if (text.empty()) return std::optional<net::IpAddress>();
    auto address = net::IpAddress::parse(text);
    if (!address.ok()) return make_error(ErrorCode::kInvalidArgument, "invalid IP address: {}", text);
    return std::optional<net::IpAddress>(*address);
  };
  auto release = ScopeExit([&] {
    if (ep.address_v4) (void)ipam_.release(network.id, ep.address_v4->address);
    if (ep.address_v6) (void)ipam_.release(network.id, ep.address_v6->address);
  });
  if (const net::Pool* pool = ipam_.find(network.id, net::Family::kV4)) {
    int length = pool->subnet.length();
    ep.gateway_v4 = pool->gateway;
    auto preferred = TRY(requested("IPv4Address"));
    ep.address_v4 = net::InterfaceAddress{TRY(ipam_.allocate(network.id, net::Family::kV4, preferred)), length};
  }
  if (const net::Pool* pool = ipam_.find(network.id, net::Family::kV6); pool && network.enable_ipv6) {
    int length = pool->subnet.length();
    ep.gateway_v6 = pool->gateway;
    auto preferred = TRY(requested("IPv6Address"));
    ep.address_v6 = net::InterfaceAddress{TRY(ipam_.allocate(network.id, net::Family::kV6, preferred)), length};
  }
  std::string mac_text = string_field(config, "MacAddress");
  // Config.MacAddress is the pre-1.44 spelling; it applies to the first network only.
  if (mac_text.empty() && ifname == "eth0") mac_text = string_field(c.config, "MacAddress");
  net::EndpointConfig ec;
  ec.bridge = network.bridge;
  ec.container_ifname = ifname;
  ec.netns_fd = netns_fd;
  if (!mac_text.empty()) ec.mac = TRY(net::MacAddress::parse(mac_text));
  ec.address_v4 = ep.address_v4;
  ec.address_v6 = ep.address_v6;
  if (gateway) {
    ec.gateway_v4 = ep.gateway_v4;
    ec.gateway_v6 = ep.gateway_v6;
  }
  ec.mtu = network.mtu;
  net::Endpoint endpoint = TRY(net::attach_endpoint(*host_, ec));
  ep.host_ifname = endpoint.host_ifname;
  ep.mac = endpoint.mac;
  ep.default_route = gateway;
  if (config.is_object() && config.contains("Aliases") && config["Aliases"].is_array()) {
    for (const auto& alias : config["Aliases"]) {
      if (alias.is_string() && !alias.get<std::string>().empty())
        ep.aliases.push_back(alias.get<std::string>());
    }
  }
  if (network.user_defined()) {
    ep.dns_names.push_back(c.name);
    for (const auto& alias : ep.aliases) ep.dns_names.push_back(alias);
    ep.dns_names.push_back(c.id.substr(0, 12));
  }
  release.dismiss();
  sandbox.endpoints.push_back(ep);
  return ep;
}

void NetworkService::detach_locked(const EndpointState& endpoint) {
  if (auto st = net::detach_endpoint(*host_, endpoint.host_ifname); !st.ok())
    log::warn("detach {}: {}", endpoint.host_ifname, st.error().to_string());
  if (endpoint.address_v4) (void)ipam_.release(endpoint.network_id, endpoint.address_v4->address);
  if (endpoint.address_v6) (void)ipam_.release(endpoint.network_id, endpoint.address_v6->address);
}

void NetworkService::release_sandbox_locked(Sandbox& sandbox) {
  // The DNS sockets keep the namespace alive: they go first.
  if (sandbox.dns) {
    dns_->remove_container(sandbox.container_id);
    sandbox.dns = false;
  }
  if (auto st = publisher_->unpublish(sandbox.container_id); !st.ok())
    log::warn("container {}: unpublish ports: {}", sandbox.container_id, st.error().to_string());
  sandbox.ports.clear();
  for (const auto& endpoint : sandbox.endpoints) detach_locked(endpoint);
  sandbox.endpoints.clear();
  if (!sandbox.netns_path.empty()) {
    if (auto st = net::remove_netns(sandbox.netns_path); !st.ok())
      log::warn("container {}: {}", sandbox.container_id, st.error().to_string());
  }
}

Status NetworkService::update_dns_locked(Sandbox& sandbox, const Container& c, int netns_fd) {
  bool wanted = false;
  for (const auto& ep : sandbox.endpoints) {
    const Network* n = find_by_id_locked(ep.network_id);
    wanted = wanted || (n != nullptr && n->user_defined());
  }
  if (!wanted) {
    if (sandbox.dns) dns_->remove_container(sandbox.container_id);
    sandbox.dns = false;
    return ok_status();
  }
  if (!sandbox.dns) {
    auto generated = TRY(generate_resolv_locked(c, &sandbox));
    sandbox.ext_servers = generated.ext_servers;
  }
  // Without a way out (only --internal networks) nothing is forwarded: unknown names fail.
  std::vector<net::dns::Upstream> upstreams;
  if (sandbox.gateway_endpoint() != nullptr) upstreams = net::upstreams_from(sandbox.ext_servers);
  if (sandbox.dns) return dns_->set_upstreams(sandbox.container_id, upstreams);
  TRY_CTX(dns_->add_container(sandbox.container_id, netns_fd, upstreams), "embedded DNS server");
  sandbox.dns = true;
  return ok_status();
}

Result<std::vector<net::PortSpec>> NetworkService::port_specs(const Container& c) const {
  std::vector<net::PortSpec> specs;
  std::set<std::string> bound;
  const Json bindings = c.host_config.value("PortBindings", Json());
  if (bindings.is_object()) {
    for (auto& [key, list] : bindings.items()) {
      if (!list.is_array()) continue;
      for (const auto& b : list) {
        auto spec = TRY(net::port_spec_from_binding(key, string_field(b, "HostIp"),
                                                    string_field(b, "HostPort")));
        bound.insert(spec.port_key());
        specs.push_back(std::move(spec));
      }
    }
  }
  if (c.host_config.value("PublishAllPorts", false) && c.config.contains("ExposedPorts") &&
      c.config["ExposedPorts"].is_object()) {
    for (auto& [key, unused] : c.config["ExposedPorts"].items()) {
      for (auto& spec : TRY(net::parse_exposed_port(key))) {
        if (!bound.contains(spec.port_key())) specs.push_back(std::move(spec));
      }
    }
  }
  return specs;
}

Result<std::string> NetworkService::setup(Container& c) {
  std::string mode = effective_network_mode(c);
  std::lock_guard lock(mu_);
  if (auto it = sandboxes_.find(c.id); it != sandboxes_.end()) {
    // Left by a start that did not finish: undo it before starting again.
    release_sandbox_locked(it->second);
    sandboxes_.erase(it);
    (void)store_->delete_sandbox(c.id, ipam_.to_json());
  }
  if (cspec::is_container_mode(mode) || cspec::network_is_host(mode)) {
    c.network_settings = settings_json_locked(c, nullptr);
    return std::string();
  }
  Sandbox sandbox;
  sandbox.container_id = c.id;
  sandbox.container_name = c.name;
  sandbox.id = generate_id();
  sandbox.netns_path = netns_dir_ + "/" + c.id;
  (void)net::remove_netns(sandbox.netns_path);
  TRY(net::create_netns(sandbox.netns_path));
  auto undo = ScopeExit([&] { release_sandbox_locked(sandbox); });
  auto netns = TRY(net::open_netns(sandbox.netns_path));
  if (!cspec::network_is_none(mode)) {
    auto attachments = TRY(attachments_locked(c));
    bool have_gateway = false;
    for (size_t i = 0; i < attachments.size(); ++i) {
      const auto& [network, config] = attachments[i];
      bool gateway = !have_gateway && !network->internal;
      TRY(attach_locked(sandbox, *network, config, c, netns.get(), "eth" + std::to_string(i),
                        gateway));
      have_gateway = have_gateway || gateway;
    }
    auto specs = TRY(port_specs(c));
    const EndpointState* gw = sandbox.gateway_endpoint();
    if (!specs.empty() && gw != nullptr) {
      std::optional<net::IpAddress> v4, v6;
      if (gw->address_v4) v4 = gw->address_v4->address;
      if (gw->address_v6) v6 = gw->address_v6->address;
      auto published = publisher_->publish(c.id, specs, v4, v6);
      if (!published.ok()) {
        return Error(published.error().code(),
                     fmt::format("driver failed programming external connectivity on endpoint {} "
                                 "({}): {}",
                                 c.name, gw->id, published.error().to_string()));
      }
      sandbox.ports = std::move(*published);
    }
    TRY(update_dns_locked(sandbox, c, netns.get()));
  }
  TRY(store_->put_sandbox(sandbox, ipam_.to_json()));
  undo.dismiss();
  Sandbox& stored = sandboxes_[c.id] = std::move(sandbox);
  c.network_settings = settings_json_locked(c, &stored);
  return stored.netns_path;
}

void NetworkService::teardown(Container& c) {
  std::lock_guard lock(mu_);
  if (auto it = sandboxes_.find(c.id); it != sandboxes_.end()) {
    release_sandbox_locked(it->second);
    sandboxes_.erase(it);
    if (auto st = store_->delete_sandbox(c.id, ipam_.to_json()); !st.ok())
      log::warn("container {}: {}", c.id, st.error().to_string());
  }
  c.network_settings = settings_json_locked(c, nullptr);
}

}  // namespace berth::daemon
