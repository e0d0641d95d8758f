// The container's /etc/hosts and /etc/resolv.conf, as Docker writes them for its network mode.
#include "base/file_util.h"
#include "base/log.h"
#include "cspec/modes.h"
#include "daemon/network_service.h"
#include "net/hosts_file.h"

namespace berth::daemon {
namespace {

constexpr std::string_view kLocalhostOnly =
    "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n";

std::vector<std::string> strings_of(const Json& j, const char* key) {
  std::vector<std::string> out;
  if (!j.is_object() || !j.contains(key) || !j[key].is_array()) return out;
  for (const auto& v : j[key]) {
    if (v.is_string()) out.push_back(v.get<std::string>());
  }
  return out;
}

}  // namespace

std::string NetworkService::other_container_file(const std::string& mode, bool hosts) const {
  auto other = options_.containers->lookup(cspec::container_of_mode(mode));
  if (!other.ok()) return {};
  // The paths are set at create and never change, so reading them needs no lock.
  const std::string& path = hosts ? (*other)->c.hosts_path : (*other)->c.resolv_conf_path;
  return read_file(path).value_or("");
}

std::string NetworkService::hosts_locked(const Container& c, const Sandbox* sandbox) const {
  std::vector<net::IpAddress> host_gateway;
  if (const Network* bridge = default_bridge_locked()) {
    const net::Pool* pool = ipam_.find(bridge->id, net::Family::kV4);
    if (pool != nullptr && pool->gateway) host_gateway.push_back(*pool->gateway);
  }
  std::vector<net::HostEntry> extra;
  for (const auto& spec : strings_of(c.host_config, "ExtraHosts")) {
    auto entries = net::parse_extra_host(spec, host_gateway);
    if (!entries.ok()) {
      log::warn("container {}: {}", c.id, entries.error().to_string());
      continue;
    }
    extra.insert(extra.end(), entries->begin(), entries->end());
  }
  if (cspec::network_is_host(effective_network_mode(c))) {
    // The host's own file, and what --add-host adds.
    std::string out = read_file(options_.host_hosts_file).value_or(std::string(kLocalhostOnly));
    if (!out.empty() && out.back() != '\n') out += '\n';
    for (const auto& e : extra) out += e.address + "\t" + e.names + "\n";
    return out;
  }
  net::HostsConfig config;
  config.hostname = c.config.value("Hostname", std::string());
  config.domainname = c.config.value("Domainname", std::string());
  config.extra = std::move(extra);
  if (sandbox != nullptr) {
    for (const auto& ep : sandbox->endpoints) {
      if (ep.address_v4) config.addresses.push_back(ep.address_v4->address);
    }
    for (const auto& ep : sandbox->endpoints) {
      if (ep.address_v6) config.addresses.push_back(ep.address_v6->address);
    }
  }
  return net::build_hosts_file(config);
}

std::string NetworkService::hosts_file(const Container& c) {
  std::string mode = effective_network_mode(c);
  if (cspec::is_container_mode(mode)) return other_container_file(mode, true);
  std::lock_guard lock(mu_);
  auto it = sandboxes_.find(c.id);
  return hosts_locked(c, it == sandboxes_.end() ? nullptr : &it->second);
}

Result<net::GeneratedResolvConf> NetworkService::generate_resolv_locked(
    const Container& c, const Sandbox* sandbox) const {
  const DaemonConfig& config = *options_.config;
  net::ResolvConf host = net::ResolvConf::parse(read_file(options_.host_resolv_conf).value_or(""));
  net::DnsOverrides overrides;
  overrides.servers = strings_of(c.host_config, "Dns");
  if (overrides.servers.empty()) overrides.servers = config.dns;
  overrides.search = strings_of(c.host_config, "DnsSearch");
  if (overrides.search.empty()) overrides.search = config.dns_search;
  overrides.options = strings_of(c.host_config, "DnsOptions");
  if (overrides.options.empty()) overrides.options = config.dns_opts;

  net::ResolvConfMode mode = net::ResolvConfMode::kLegacy;
  bool ipv6 = false;
  if (cspec::network_is_host(effective_network_mode(c))) mode = net::ResolvConfMode::kHost;
  if (sandbox != nullptr) {
    for (const auto& ep : sandbox->endpoints) {
      const Network* n = find_by_id_locked(ep.network_id);
      if (n != nullptr && n->user_defined()) mode = net::ResolvConfMode::kInternalDns;
      ipv6 = ipv6 || ep.address_v6.has_value();
    }
  }
  return net::generate_resolv_conf(host, options_.host_resolv_conf, overrides, mode, ipv6);
}

std::string NetworkService::resolv_conf(const Container& c) {
  std::string mode = effective_network_mode(c);
  if (cspec::is_container_mode(mode)) return other_container_file(mode, false);
  std::lock_guard lock(mu_);
  auto it = sandboxes_.find(c.id);
  auto generated = generate_resolv_locked(c, it == sandboxes_.end() ? nullptr : &it->second);
  if (!generated.ok()) {
    log::warn("container {}: resolv.conf: {}", c.id, generated.error().to_string());
    return {};
  }
  return generated->content;
}

}  // namespace berth::daemon
