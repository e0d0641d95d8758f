#include "daemon/sandbox.h"

namespace berth::daemon {
namespace {

template <typename T>
Json optional_text(const std::optional<T>& value) {
  return value ? Json(value->to_string()) : Json(nullptr);
}

Result<std::optional<net::InterfaceAddress>> read_interface_address(const Json& j, const char* key) {
  if (!j.contains(key) || j[key].is_null()) return std::optional<net::InterfaceAddress>();
  return std::optional<net::InterfaceAddress>(
      TRY(net::InterfaceAddress::parse(j[key].get<std::string>())));
}

Result<std::optional<net::IpAddress>> read_address(const Json& j, const char* key) {
  if (!j.contains(key) || j[key].is_null()) return std::optional<net::IpAddress>();
  return std::optional<net::IpAddress>(TRY(net::IpAddress::parse(j[key].get<std::string>())));
}

}  // namespace

Json EndpointState::to_json() const {
  return {{"id", id},
          {"network_id", network_id},
          {"network_name", network_name},
          {"host_ifname", host_ifname},
          {"container_ifname", container_ifname},
          {"mac", mac.to_string()},
          {"address_v4", optional_text(address_v4)},
          {"address_v6", optional_text(address_v6)},
          {"gateway_v4", optional_text(gateway_v4)},
          {"gateway_v6", optional_text(gateway_v6)},
          {"default_route", default_route},
          {"aliases", aliases},
          {"dns_names", dns_names}};
}

Result<EndpointState> EndpointState::from_json(const Json& j) {
  try {
    EndpointState e;
    e.id = j.at("id").get<std::string>();
    e.network_id = j.at("network_id").get<std::string>();
    e.network_name = j.value("network_name", std::string());
    e.host_ifname = j.value("host_ifname", std::string());
    e.container_ifname = j.value("container_ifname", std::string());
    e.mac = TRY(net::MacAddress::parse(j.at("mac").get<std::string>()));
    e.address_v4 = TRY(read_interface_address(j, "address_v4"));
    e.address_v6 = TRY(read_interface_address(j, "address_v6"));
    e.gateway_v4 = TRY(read_address(j, "gateway_v4"));
    e.gateway_v6 = TRY(read_address(j, "gateway_v6"));
    e.default_route = j.value("default_route", false);
    e.aliases = j.value("aliases", std::vector<std::string>());
    e.dns_names = j.value("dns_names", std::vector<std::string>());
    return e;
  } catch (const Json::exception& ex) {
    return make_error(ErrorCode::kDataLoss, "corrupt endpoint record: {}", ex.what());
  }
}

EndpointState* Sandbox::find_endpoint(const std::string& network_id) {
  for (auto& e : endpoints) {
    if (e.network_id == network_id) return &e;
  }
  return nullptr;
}

const EndpointState* Sandbox::find_endpoint(const std::string& network_id) const {
  for (const auto& e : endpoints) {
    if (e.network_id == network_id) return &e;
  }
  return nullptr;
}

const EndpointState* Sandbox::gateway_endpoint() const {
  for (const auto& e : endpoints) {
    if (e.default_route) return &e;
  }
  return nullptr;
}

Json Sandbox::to_json() const {
  Json eps = Json::array();
  for (const auto& e : endpoints) eps.push_back(e.to_json());
  Json ports_json = Json::array();
  for (const auto& p : ports) ports_json.push_back(p.to_json());
  Json ext = Json::array();
  for (const auto& s : ext_servers) {
    ext.push_back({{"address", s.address.to_string()}, {"host_loopback", s.host_loopback}});
  }
  return {{"container_id", container_id}, {"container_name", container_name},
          {"id", id},                     {"netns_path", netns_path},
          {"endpoints", eps},             {"ports", ports_json},
          {"ext_servers", ext},           {"dns", dns}};
}

Result<Sandbox> Sandbox::from_json(const Json& j) {
  try {
    Sandbox s;
    s.container_id = j.at("container_id").get<std::string>();
    s.container_name = j.value("container_name", std::string());
    s.id = j.value("id", std::string());
    s.netns_path = j.value("netns_path", std::string());
    for (const auto& e : j.value("endpoints", Json::array())) {
      s.endpoints.push_back(TRY(EndpointState::from_json(e)));
    }
    for (const auto& p : j.value("ports", Json::array())) {
      s.ports.push_back(TRY(net::PublishedPort::from_json(p)));
    }
    for (const auto& e : j.value("ext_servers", Json::array())) {
      net::ExtServer server;
      server.address = TRY(net::IpAddress::parse(e.at("address").get<std::string>()));
      server.host_loopback = e.value("host_loopback", false);
      s.ext_servers.push_back(server);
    }
    s.dns = j.value("dns", false);
    return s;
  } catch (const Json::exception& ex) {
    return make_error(ErrorCode::kDataLoss, "corrupt sandbox record: {}", ex.what());
  }
}

}  // namespace berth::daemon
