// POST /networks/{id}/connect and /disconnect: on a stopped container they change the
// networks it will join at its next start; on a running one a veth is hot-plugged into (or
// taken out of) its namespace, its DNS names follow and its /etc/hosts is rewritten.
#include "base/file_util.h"
#include "base/log.h"
#include "cspec/modes.h"
#include "daemon/network_service.h"
#include "net/netns.h"

namespace berth::daemon {
namespace {

std::string string_field(const Json& j, const char* key) {
  if (!j.is_object() || !j.contains(key) || !j[key].is_string()) return {};
  return j[key].get<std::string>();
}

Status check_mode_allows_networks(const std::string& mode) {
  if (cspec::is_container_mode(mode)) {
    return Error(ErrorCode::kPermissionDenied,
                 "container sharing network namespace with another container or host cannot be "
                 "connected to any other network");
  }
  if (cspec::network_is_host(mode)) {
    return Error(ErrorCode::kPermissionDenied,
                 "container cannot be disconnected from host network or connected to host network");
  }
  if (cspec::network_is_none(mode)) {
    return Error(ErrorCode::kPermissionDenied,
                 "container cannot be connected to multiple networks with one of the networks in "
                 "private (none) mode");
  }
  return ok_status();
}

bool is_running(const Container& c) {
  return c.state.status == ContainerStatus::kRunning || c.state.status == ContainerStatus::kPaused;
}

std::string next_ifname(const Sandbox& sandbox) {
  for (int i = 0;; ++i) {
    std::string name = "eth" + std::to_string(i);
    bool used = false;
    for (const auto& ep : sandbox.endpoints) used = used || ep.container_ifname == name;
    if (!used) return name;
  }
}

Json& endpoints_of(Container& c) {
  if (!c.networking_config.is_object()) c.networking_config = Json::object();
  Json& endpoints = c.networking_config["EndpointsConfig"];
  if (!endpoints.is_object()) endpoints = Json::object();
  return endpoints;
}

}  // namespace

Status NetworkService::connect(const std::string& network_ref, const Json& body) {
  Json config = body.is_object() && body.contains("EndpointConfig") && body["EndpointConfig"].is_object()
                    ? body["EndpointConfig"]
                    : Json::object();
  ContainerRef entry = TRY(options_.containers->lookup(string_field(body, "Container")));
  std::unique_lock container_lock(entry->mutex);
  Container& c = entry->c;
  std::string mode = effective_network_mode(c);
  TRY(check_mode_allows_networks(mode));
  Network network;
  std::string hosts;
  bool running = is_running(c);
  {
    std::lock_guard lock(mu_);
    const Network* n = TRY(find_locked(network_ref));
    if (!n->is_bridge()) TRY(check_mode_allows_networks(n->name));
    TRY(validate_endpoint_config(*n, config));
    Json& endpoints = endpoints_of(c);
    bool connected = false;
    for (auto& [key, unused] : endpoints.items()) {
      auto other = find_locked(key);
      connected = connected || (other.ok() && *other == n);
    }
    auto it = sandboxes_.find(c.id);
    Sandbox* sandbox = it == sandboxes_.end() ? nullptr : &it->second;
    if (connected || (sandbox && sandbox->find_endpoint(n->id))) {
      return make_error(ErrorCode::kPermissionDenied,
                        "endpoint with name {} already exists in network {}", c.name, n->name);
    }
    if (running && sandbox != nullptr) {
      auto netns = TRY(net::open_netns(sandbox->netns_path));
      bool gateway = sandbox->gateway_endpoint() == nullptr && !n->internal;
      TRY(attach_locked(*sandbox, *n, config, c, netns.get(), next_ifname(*sandbox), gateway));
      if (auto st = update_dns_locked(*sandbox, c, netns.get()); !st.ok())
        log::warn("container {}: {}", c.id, st.error().to_string());
      TRY(store_->put_sandbox(*sandbox, ipam_.to_json()));
      hosts = hosts_locked(c, sandbox);
    }
    endpoints[n->name] = config;
    c.network_settings = settings_json_locked(c, sandbox);
    network = *n;
  }
  TRY(options_.containers->save(c));
  // The file is bind-mounted into the container: rewrite it in place.
  if (!hosts.empty() && !c.hosts_path.empty()) (void)write_file(c.hosts_path, hosts, 0644);
  container_lock.unlock();
  publish_event("connect", network, c.id);
  return ok_status();
}

Status NetworkService::disconnect(const std::string& network_ref, const Json& body) {
  ContainerRef entry = TRY(options_.containers->lookup(string_field(body, "Container")));
  std::unique_lock container_lock(entry->mutex);
  Container& c = entry->c;
  Network network;
  std::string hosts;
  {
    std::lock_guard lock(mu_);
    const Network* n = TRY(find_locked(network_ref));
    if (!n->is_bridge()) TRY(check_mode_allows_networks(n->name));
    Json& endpoints = endpoints_of(c);
    std::string key;
    for (auto& [k, unused] : endpoints.items()) {
      auto other = find_locked(k);
      if (other.ok() && *other == n) key = k;
    }
    auto it = sandboxes_.find(c.id);
    Sandbox* sandbox = it == sandboxes_.end() ? nullptr : &it->second;
    EndpointState* ep = sandbox ? sandbox->find_endpoint(n->id) : nullptr;
    if (key.empty() && ep == nullptr) {
      return make_error(ErrorCode::kPermissionDenied, "container {} is not connected to network {}",
                        c.id, n->name);
    }
    if (ep != nullptr) {
      EndpointState removed = *ep;
      std::erase_if(sandbox->endpoints,
                    [&](const EndpointState& e) { return e.id == removed.id; });
      detach_locked(removed);
      if (removed.default_route) {
        // The published ports pointed at this network's address.
        (void)publisher_->unpublish(c.id);
        sandbox->ports.clear();
      }
      if (auto netns = net::open_netns(sandbox->netns_path); netns.ok()) {
        if (auto st = update_dns_locked(*sandbox, c, netns->get()); !st.ok())
          log::warn("container {}: {}", c.id, st.error().to_string());
      }
      TRY(store_->put_sandbox(*sandbox, ipam_.to_json()));
      hosts = hosts_locked(c, sandbox);
    }
    if (!key.empty()) endpoints.erase(key);
    c.network_settings = settings_json_locked(c, sandbox);
    network = *n;
  }
  TRY(options_.containers->save(c));
  if (!hosts.empty() && !c.hosts_path.empty()) (void)write_file(c.hosts_path, hosts, 0644);
  container_lock.unlock();
  publish_event("disconnect", network, c.id);
  return ok_status();
}

}  // namespace berth::daemon
