// The /networks API's network operations: create, remove, prune, list and inspect.
#include <algorithm>

#include "base/log.h"
#include "base/scope_exit.h"
#include "base/strings.h"
#include "base/time_format.h"
#include "cspec/docker_json.h"
#include "daemon/names.h"
#include "daemon/network_service.h"
#include "image/filters.h"

namespace berth::daemon {
namespace {

// Docker's strconv.ParseBool for driver options.
Result<bool> parse_option_bool(const std::string& key, const std::string& value) {
  std::string v = to_lower(value);
  if (v == "1" || v == "t" || v == "true") return true;
  if (v == "0" || v == "f" || v == "false") return false;
  return make_error(ErrorCode::kInvalidArgument, "invalid value {:?} for option {}", value, key);
}

// Reads the bridge driver's options into the network.
Status apply_bridge_options(Network& n) {
  for (const auto& [key, value] : n.options) {
    if (key == kOptBridgeName) {
      n.bridge = value;
    } else if (key == kOptMtu) {
      auto mtu = parse_int(value);
      if (!mtu.ok() || *mtu < 68 || *mtu > 65535)
        return make_error(ErrorCode::kInvalidArgument, "invalid MTU value {:?}", value);
      n.mtu = *mtu;
    } else if (key == kOptIcc) {
      n.icc = TRY(parse_option_bool(key, value));
    } else if (key == kOptMasquerade) {
      n.masquerade = TRY(parse_option_bool(key, value));
    }
  }
  return ok_status();
}

}  // namespace

Result<Json> NetworkService::create(const Json& body) {
  if (!body.is_object()) return Error(ErrorCode::kInvalidArgument, "invalid network config");
  Network n;
  n.name = body.value("Name", std::string());
  if (n.name.empty()) return Error(ErrorCode::kInvalidArgument, "network name must not be empty");
  n.driver = body.value("Driver", std::string());
  if (n.driver.empty()) n.driver = "bridge";
  if (n.driver == "host" || n.driver == "null") {
    return make_error(ErrorCode::kPermissionDenied, "only one instance of {:?} network is allowed",
                      n.driver);
  }
  if (n.driver != "bridge") return make_error(ErrorCode::kNotFound, "plugin {:?} not found", n.driver);
  std::string scope = body.value("Scope", std::string());
  if (!scope.empty() && scope != "local")
    return make_error(ErrorCode::kInvalidArgument, "the bridge driver only supports the local scope, not {:?}", scope);
  if (body.value("Ingress", false))
    return Error(ErrorCode::kInvalidArgument, "ingress networks need swarm mode");
  bool config_from = body.contains("ConfigFrom") && body["ConfigFrom"].is_object() &&
                     !body["ConfigFrom"].value("Network", std::string()).empty();
  if (body.value("ConfigOnly", false) || config_from)
    return Error(ErrorCode::kUnimplemented, "config-only networks are not supported");
  n.internal = body.value("Internal", false);
  n.attachable = body.value("Attachable", false);
  n.enable_ipv6 = body.contains("EnableIPv6") && body["EnableIPv6"].is_boolean() &&
                  body["EnableIPv6"].get<bool>();
  n.options = TRY(cspec::get_string_map(body, "Options", "NetworkCreateRequest"));
  n.labels = TRY(cspec::get_string_map(body, "Labels", "NetworkCreateRequest"));
  TRY(apply_bridge_options(n));

  std::vector<net::PoolRequest> requests;
  if (body.contains("IPAM") && body["IPAM"].is_object()) {
    const Json& ipam = body["IPAM"];
    n.ipam_driver = ipam.value("Driver", std::string());
    if (n.ipam_driver.empty()) n.ipam_driver = "default";
    if (n.ipam_driver != "default")
      return make_error(ErrorCode::kNotFound, "plugin {:?} not found", n.ipam_driver);
    n.ipam_options = TRY(cspec::get_string_map(ipam, "Options", "IPAM"));
    for (const Json& entry : ipam.value("Config", Json::array())) {
      net::PoolRequest request;
      request.subnet = entry.value("Subnet", std::string());
      request.ip_range = entry.value("IPRange", std::string());
      request.gateway = entry.value("Gateway", std::string());
      request.aux_addresses = TRY(cspec::get_string_map(entry, "AuxiliaryAddresses", "IPAMConfig"));
      if (request.subnet.empty()) {
        if (!request.ip_range.empty() || !request.gateway.empty())
          return Error(ErrorCode::kInvalidArgument, "an ip-range or gateway needs a subnet");
        continue;
      }
      auto prefix = net::Prefix::parse(request.subnet);
      if (!prefix.ok())
        return make_error(ErrorCode::kInvalidArgument, "invalid subnet {}", request.subnet);
      request.family = prefix->family();
      if (request.family == net::Family::kV6) n.enable_ipv6 = true;
      requests.push_back(std::move(request));
    }
  }
  auto has_family = [&](net::Family f) {
    return std::any_of(requests.begin(), requests.end(),
                       [&](const net::PoolRequest& r) { return r.family == f; });
  };
  if (!has_family(net::Family::kV4)) requests.insert(requests.begin(), net::PoolRequest{});
  if (n.enable_ipv6 && !has_family(net::Family::kV6)) {
    net::PoolRequest v6;
    v6.family = net::Family::kV6;
    requests.push_back(v6);
  }

  std::lock_guard lock(mu_);
  for (const auto& [id, other] : networks_) {
    if (other.name == n.name) {
      return make_error(ErrorCode::kConflict, "network with name {} already exists", n.name);
    }
  }
  n.id = generate_id();
  n.created_ns = unix_nanos_now();
  if (n.bridge.empty()) n.bridge = "br-" + n.id.substr(0, 12);
  TRY(net::nft::validate_bridge_name(n.bridge));
  for (const auto& [id, other] : networks_) {
    if (other.is_bridge() && other.bridge == n.bridge) {
      return make_error(ErrorCode::kConflict, "bridge name {} is already in use by network {}",
                        n.bridge, other.name);
    }
  }

  auto prefixes = TRY(host_prefixes_locked());
  auto remove_pools = ScopeExit([&] { ipam_.remove_pools(n.id); });
  for (const auto& request : requests) {
    net::Pool pool = TRY(ipam_.add_pool(n.id, request, prefixes));
    IpamPoolConfig pc;
    pc.subnet = pool.subnet.to_string();
    if (pool.ip_range) pc.ip_range = pool.ip_range->to_string();
    if (pool.gateway) pc.gateway = pool.gateway->to_string();
    for (const auto& [name, address] : pool.aux_addresses) pc.aux_addresses[name] = address.to_string();
    n.ipam_config.push_back(pc);
  }
  TRY(net::setup_bridge(*host_, *firewall_, bridge_config_locked(n)));
  auto remove_bridge = ScopeExit([&] { (void)net::teardown_bridge(*host_, *firewall_, n.bridge); });
  TRY(store_->put_network(n, ipam_.to_json()));
  remove_bridge.dismiss();
  remove_pools.dismiss();
  networks_[n.id] = n;
  publish_event("create", n);
  return Json{{"Id", n.id}, {"Warning", ""}};
}

Status NetworkService::remove(const std::string& ref) {
  std::lock_guard lock(mu_);
  const Network* found = TRY(find_locked(ref));
  Network n = *found;
  if (n.predefined()) {
    return make_error(ErrorCode::kPermissionDenied,
                      "{} is a pre-defined network and cannot be removed", n.name);
  }
  std::vector<std::string> active;
  for (const auto& [id, sandbox] : sandboxes_) {
    if (const EndpointState* ep = sandbox.find_endpoint(n.id)) {
      active.push_back(fmt::format("name:{:?} id:{:?}", sandbox.container_name, ep->id.substr(0, 12)));
    }
  }
  if (!active.empty()) {
    return make_error(ErrorCode::kPermissionDenied,
                      "error while removing network: network {} has active endpoints ({})", n.name,
                      join(active, ", "));
  }
  if (auto st = net::teardown_bridge(*host_, *firewall_, n.bridge); !st.ok())
    return std::move(st).error().context("error while removing network");
  ipam_.remove_pools(n.id);
  TRY(store_->delete_network(n.id, ipam_.to_json()));
  networks_.erase(n.id);
  publish_event("destroy", n);
  return ok_status();
}

Result<Json> NetworkService::list(const std::string& filters_text) {
  auto filters = TRY(image::parse_filters(filters_text));
  TRY(image::check_filter_keys(filters, {"dangling", "driver", "id", "label", "name", "scope", "type"}));
  auto dangling = TRY(image::dangling_filter(filters));
  for (const auto& t : filters["type"]) {
    if (t != "custom" && t != "builtin")
      return make_error(ErrorCode::kInvalidArgument, "invalid filter: 'type'='{}'", t);
  }
  auto any = [&](const char* key, auto pred) {
    auto it = filters.find(key);
    if (it == filters.end() || it->second.empty()) return true;
    return std::any_of(it->second.begin(), it->second.end(), pred);
  };
  std::lock_guard lock(mu_);
  Json out = Json::array();
  for (const auto& [id, n] : networks_) {
    if (!any("driver", [&](const std::string& v) { return v == n.driver; })) continue;
    if (!any("id", [&](const std::string& v) { return n.id.find(v) != std::string::npos; })) continue;
    if (!any("name", [&](const std::string& v) { return n.name.find(v) != std::string::npos; })) continue;
    if (!any("scope", [&](const std::string& v) { return v == "local"; })) continue;
    if (!any("type", [&](const std::string& v) {
          return (v == "builtin") == n.predefined();
        }))
      continue;
    if (!image::labels_match(filters, n.labels)) continue;
    if (dangling) {
      bool is_dangling = !n.predefined() && !has_endpoints_locked(n.id);
      if (is_dangling != *dangling) continue;
    }
    out.push_back(network_json_locked(n, false));
  }
  return out;
}

Result<Json> NetworkService::inspect(const std::string& ref) {
  std::lock_guard lock(mu_);
  const Network* n = TRY(find_locked(ref));
  return network_json_locked(*n, true);
}

Result<Json> NetworkService::prune(const std::string& filters_text) {
  auto filters = TRY(image::parse_filters(filters_text));
  TRY(image::check_filter_keys(filters, {"label", "label!", "until"}));
  int64_t until_ns = INT64_MAX;
  for (const auto& v : filters["until"]) {
    until_ns = std::min(until_ns, TRY(image::parse_until(v, unix_nanos_now())));
  }
  Json deleted = Json::array();
  std::vector<std::string> candidates;
  {
    std::lock_guard lock(mu_);
    for (const auto& [id, n] : networks_) {
      if (n.predefined() || has_endpoints_locked(id) || n.created_ns >= until_ns) continue;
      if (!image::labels_match(filters, n.labels)) continue;
      candidates.push_back(id);
    }
  }
  for (const auto& id : candidates) {
    std::string name;
    {
      std::lock_guard lock(mu_);
      if (const Network* n = find_by_id_locked(id)) name = n->name;
    }
    auto st = remove(id);
    if (st.ok()) {
      deleted.push_back(name);
    } else {
      log::warn("prune network {}: {}", name, st.error().to_string());
    }
  }
  return Json{{"NetworksDeleted", deleted}};
}

}  // namespace berth::daemon
