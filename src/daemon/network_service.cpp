// The network service's start-up (first run and restore after a restart), network lookups and
// the small helpers the other network_*.cpp files share.
#include "daemon/network_service.h"

#include <dirent.h>

#include <algorithm>
#include <set>

#include "base/file_util.h"
#include "base/log.h"
#include "base/time_format.h"
#include "daemon/names.h"
#include "net/default_pools.h"
#include "net/netlink/route.h"
#include "net/netns.h"

namespace berth::daemon {

std::string effective_network_mode(const Container& c) {
  std::string mode = c.host_config.value("NetworkMode", std::string());
  if (mode.empty() || mode == "default") return "bridge";
  return mode;
}

Result<std::unique_ptr<NetworkService>> NetworkService::open(NetworkServiceOptions options) {
  std::unique_ptr<NetworkService> service(new NetworkService(std::move(options)));
  TRY(service->start_up());
  return service;
}

NetworkService::~NetworkService() {
  // The DNS server's threads call back into this object: stop them before anything goes.
  dns_.reset();
}

Status NetworkService::start_up() {
  const DaemonConfig& config = *options_.config;
  store_ = TRY(NetworkStore::open(*options_.database));

  std::vector<net::DefaultPool> pools_v4 = net::docker_default_pools_v4();
  if (config.default_address_pools.is_array() && !config.default_address_pools.empty()) {
    pools_v4 = TRY_CTX(net::parse_default_pools(config.default_address_pools),
                       "default-address-pools");
  }
  Json ipam_state = TRY(store_->load_ipam());
  if (ipam_state.is_null()) {
    ipam_ = net::Ipam(pools_v4, net::docker_default_pools_v6());
  } else {
    ipam_ = TRY(net::Ipam::from_json(ipam_state, pools_v4, net::docker_default_pools_v6()));
  }

  net::nft::FirewallOptions firewall_options;
  firewall_options.table = config.firewall_table;
  firewall_ = TRY_CTX(net::nft::Firewall::open(firewall_options), "open the firewall");
  TRY_CTX(firewall_->ensure(), "set up the firewall");
  host_.emplace(TRY(net::netlink::Socket::open()));
  netns_dir_ = config.exec_root + "/netns";
  TRY(net::ensure_netns_dir(netns_dir_));
  allocator_ = std::make_unique<net::PortAllocator>();
  publisher_ = std::make_unique<net::PortPublisher>(*firewall_, *allocator_);
  dns_ = TRY_CTX(net::dns::DnsServer::start(make_resolver()), "start the embedded DNS server");

  // Which containers still run, read before mu_ is taken (containers' mutexes come first).
  std::set<std::string> alive;
  for (const ContainerRef& entry : options_.containers->list()) {
    std::lock_guard container_lock(entry->mutex);
    auto status = entry->c.state.status;
    if (status == ContainerStatus::kRunning || status == ContainerStatus::kPaused)
      alive.insert(entry->c.id);
  }

  std::lock_guard lock(mu_);
  for (auto& network : TRY(store_->load_networks())) networks_[network.id] = std::move(network);
  for (auto& sandbox : TRY(store_->load_sandboxes())) {
    sandboxes_[sandbox.container_id] = std::move(sandbox);
  }
  TRY(ensure_predefined_locked());
  restore_bridges_locked();
  restore_sandboxes_locked(alive);
  sweep_netns_dir_locked();

  std::vector<net::nft::NetworkRules> rules;
  for (const auto& [id, network] : networks_) {
    if (network.is_bridge()) rules.push_back(net::firewall_rules(bridge_config_locked(network)));
  }
  auto report = firewall_->reconcile(rules, publisher_->desired_rules());
  if (!report.ok()) return std::move(report).error().context("reconcile the firewall");
  for (const auto& bridge : report->removed_networks) {
    // Rules of a bridge this daemon no longer knows: it was ours, so the link goes too.
    if (auto st = net::teardown_bridge(*host_, *firewall_, bridge); !st.ok())
      log::warn("remove stale bridge {}: {}", bridge, st.error().to_string());
  }
  if (report->ports_added + report->ports_removed > 0) {
    log::info("firewall reconciled: {} port rules added, {} removed", report->ports_added,
              report->ports_removed);
  }
  return ok_status();
}

Result<Network> NetworkService::make_default_bridge_locked(const std::string& id) {
  const DaemonConfig& config = *options_.config;
  Network n;
  n.id = id;
  n.name = "bridge";
  n.created_ns = unix_nanos_now();
  n.default_bridge = true;
  n.bridge = config.bridge;
  n.icc = config.icc;
  n.mtu = 1500;
  n.options = {{kOptDefaultBridge, "true"},
               {kOptIcc, config.icc ? "true" : "false"},
               {kOptMasquerade, "true"},
               {kOptHostBinding, "0.0.0.0"},
               {kOptBridgeName, n.bridge},
               {kOptMtu, "1500"}};
  net::PoolRequest request;
  if (!config.bip.empty()) {
    auto bip = net::InterfaceAddress::parse(config.bip);
    if (!bip.ok()) return make_error(ErrorCode::kInvalidArgument, "invalid bip: {}", config.bip);
    request.subnet = bip->subnet().to_string();
    request.gateway = bip->address.to_string();
  }
  auto prefixes = TRY(host_prefixes_locked());
  net::Pool pool = TRY_CTX(ipam_.add_pool(n.id, request, prefixes), "default bridge network");
  IpamPoolConfig pc;
  pc.subnet = pool.subnet.to_string();
  if (pool.gateway) pc.gateway = pool.gateway->to_string();
  n.ipam_config.push_back(pc);
  return n;
}

Status NetworkService::ensure_predefined_locked() {
  const Network* bridge = default_bridge_locked();
  if (bridge == nullptr) {
    Network n = TRY(make_default_bridge_locked(generate_id()));
    TRY(store_->put_network(n, ipam_.to_json()));
    networks_[n.id] = n;
  } else if (bridge->bridge != options_.config->bridge) {
    // The daemon's --bridge changed: the old interface goes, the network keeps its subnet.
    Network n = *bridge;
    (void)net::teardown_bridge(*host_, *firewall_, n.bridge);
    n.bridge = options_.config->bridge;
    n.options[kOptBridgeName] = n.bridge;
    TRY(store_->put_network(n, ipam_.to_json()));
    networks_[n.id] = n;
  }
  for (const char* driver : {"host", "null"}) {
    bool present = std::any_of(networks_.begin(), networks_.end(),
                               [&](const auto& e) { return e.second.driver == driver; });
    if (present) continue;
    Network n;
    n.id = generate_id();
    n.name = std::string(driver) == "host" ? "host" : "none";
    n.driver = driver;
    n.created_ns = unix_nanos_now();
    TRY(store_->put_network(n, ipam_.to_json()));
    networks_[n.id] = n;
  }
  return ok_status();
}

void NetworkService::restore_bridges_locked() {
  for (const auto& [id, network] : networks_) {
    if (!network.is_bridge()) continue;
    auto st = net::setup_bridge(*host_, *firewall_, bridge_config_locked(network));
    if (!st.ok()) log::error("network {}: {}", network.name, st.error().to_string());
  }
}

void NetworkService::restore_sandboxes_locked(const std::set<std::string>& alive) {
  for (auto it = sandboxes_.begin(); it != sandboxes_.end();) {
    Sandbox& sandbox = it->second;
    auto netns = net::open_netns(sandbox.netns_path);
    if (alive.contains(sandbox.container_id) && netns.ok()) {
      // Still running: take its host ports again and answer its DNS queries again. The port
      // rules come back through the firewall's reconcile.
      if (auto st = publisher_->restore(sandbox.container_id, sandbox.ports); !st.ok())
        log::warn("container {}: {}", sandbox.container_id, st.error().to_string());
      if (sandbox.dns) {
        std::vector<net::dns::Upstream> upstreams;
        if (sandbox.gateway_endpoint() != nullptr) upstreams = net::upstreams_from(sandbox.ext_servers);
        auto st = dns_->add_container(sandbox.container_id, netns->get(), upstreams);
        if (!st.ok()) log::warn("container {}: DNS: {}", sandbox.container_id, st.error().to_string());
      }
      ++it;
      continue;
    }
    // Gone while the daemon was away (or its namespace is): undo everything it held.
    log::info("releasing the network of stopped container {}", sandbox.container_id);
    release_sandbox_locked(sandbox);
    std::string id = sandbox.container_id;
    it = sandboxes_.erase(it);
    if (auto st = store_->delete_sandbox(id, ipam_.to_json()); !st.ok())
      log::warn("container {}: {}", id, st.error().to_string());
  }
}

void NetworkService::sweep_netns_dir_locked() {
  // Namespaces of starts interrupted before their sandbox was recorded.
  DIR* dir = ::opendir(netns_dir_.c_str());
  if (dir == nullptr) return;
  std::vector<std::string> stale;
  while (dirent* entry = ::readdir(dir)) {
    std::string name = entry->d_name;
    if (name == "." || name == "..") continue;
    if (!sandboxes_.contains(name)) stale.push_back(name);
  }
  ::closedir(dir);
  for (const auto& name : stale) {
    log::info("removing stale network namespace {}", name);
    (void)net::remove_netns(netns_dir_ + "/" + name);
  }
}

Result<const Network*> NetworkService::find_locked(const std::string& ref) const {
  if (ref.empty()) return Error(ErrorCode::kNotFound, "network  not found");
  if (auto it = networks_.find(ref); it != networks_.end()) return &it->second;
  for (const auto& [id, network] : networks_) {
    if (network.name == ref) return &network;
  }
  const Network* found = nullptr;
  int matches = 0;
  for (const auto& [id, network] : networks_) {
    if (id.rfind(ref, 0) == 0) {
      found = &network;
      ++matches;
    }
  }
  if (matches > 1) {
    return make_error(ErrorCode::kInvalidArgument,
                      "network {} is ambiguous ({} matches found based on ID prefix)", ref, matches);
  }
  if (found != nullptr) return found;
  return make_error(ErrorCode::kNotFound, "network {} not found", ref);
}

const Network* NetworkService::find_by_id_locked(const std::string& id) const {
  auto it = networks_.find(id);
  return it == networks_.end() ? nullptr : &it->second;
}

const Network* NetworkService::default_bridge_locked() const {
  for (const auto& [id, network] : networks_) {
    if (network.default_bridge) return &network;
  }
  return nullptr;
}

net::BridgeConfig NetworkService::bridge_config_locked(const Network& network) const {
  net::BridgeConfig config;
  config.name = network.bridge;
  config.mtu = network.mtu;
  config.internal = network.internal;
  config.masquerade = network.masquerade;
  config.icc = network.icc;
  if (const net::Pool* pool = ipam_.find(network.id, net::Family::kV4); pool && pool->gateway) {
    config.gateway_v4 = net::InterfaceAddress{*pool->gateway, pool->subnet.length()};
  }
  if (const net::Pool* pool = ipam_.find(network.id, net::Family::kV6); pool && pool->gateway) {
    config.gateway_v6 = net::InterfaceAddress{*pool->gateway, pool->subnet.length()};
  }
  return config;
}

std::vector<std::string> NetworkService::bridge_names_locked() const {
  std::vector<std::string> names;
  for (const auto& [id, network] : networks_) {
    if (network.is_bridge()) names.push_back(network.bridge);
  }
  return names;
}

Result<std::vector<net::Prefix>> NetworkService::host_prefixes_locked() {
  return net::netlink::host_prefixes(*host_, bridge_names_locked());
}

void NetworkService::publish_event(const std::string& action, const Network& network,
                                   const std::string& container) {
  if (options_.events == nullptr) return;
  Event e;
  e.type = "network";
  e.action = action;
  e.actor_id = network.id;
  e.attributes = {{"name", network.name}, {"type", network.driver}};
  if (!container.empty()) e.attributes["container"] = container;
  options_.events->publish(std::move(e));
}

}  // namespace berth::daemon
