#include "net/ipam.h"

#include <algorithm>

namespace berth::net {
namespace {

Error invalid(std::string message) {
  return Error(ErrorCode::kInvalidArgument, std::move(message));
}

// The first and last addresses of `subnet` that a host may use.
void usable_bounds(const Prefix& subnet, Uint128* first, Uint128* last) {
  *first = subnet.network().number();
  *last = subnet.last().number();
  if (subnet.is_point_to_point()) return;
  *first += 1;  // the network address (IPv6: the subnet-router anycast address)
  if (subnet.family() == Family::kV4) *last -= 1;  // broadcast
}

bool is_reserved(const Pool& pool, const IpAddress& address) {
  if (pool.gateway && *pool.gateway == address) return true;
  for (const auto& [name, aux] : pool.aux_addresses) {
    if (aux == address) return true;
  }
  return false;
}

// Counts the addresses in [first, last] that are taken (allocated or reserved).
Uint128 taken_between(const Pool& pool, Uint128 first, Uint128 last) {
  std::set<Uint128> taken;
  auto add = [&](const IpAddress& a) {
    if (a.number() >= first && a.number() <= last) taken.insert(a.number());
  };
  for (const auto& a : pool.allocated) add(a);
  if (pool.gateway) add(*pool.gateway);
  for (const auto& [name, a] : pool.aux_addresses) add(a);
  return taken.size();
}

Json pool_to_json(const Pool& pool) {
  Json j;
  j["network"] = pool.network_id;
  j["subnet"] = pool.subnet.to_string();
  if (pool.ip_range) j["ip_range"] = pool.ip_range->to_string();
  if (pool.gateway) j["gateway"] = pool.gateway->to_string();
  Json aux = Json::object();
  for (const auto& [name, a] : pool.aux_addresses) aux[name] = a.to_string();
  j["aux_addresses"] = aux;
  Json allocated = Json::array();
  for (const auto& a : pool.allocated) allocated.push_back(a.to_string());
  j["allocated"] = allocated;
  j["next"] = pool.next.to_string();
  j["defaulted"] = pool.defaulted;
  return j;
}

Result<IpAddress> address_field(const Json& j, const char* name) {
  if (!j.contains(name) || !j[name].is_string()) {
    return make_error(ErrorCode::kDataLoss, "ipam state: pool without \"{}\"", name);
  }
  return IpAddress::parse(j[name].get<std::string>());
}

Result<Pool> pool_from_json(const Json& j) {
  if (!j.is_object() || !j.contains("network") || !j["network"].is_string() ||
      !j.contains("subnet") || !j["subnet"].is_string()) {
    return Error(ErrorCode::kDataLoss, "ipam state: pool without network or subnet");
  }
  Pool pool;
  pool.network_id = j["network"].get<std::string>();
  pool.subnet = TRY(Prefix::parse(j["subnet"].get<std::string>()));
  if (j.contains("ip_range")) pool.ip_range = TRY(Prefix::parse(j["ip_range"].get<std::string>()));
  if (j.contains("gateway")) pool.gateway = TRY(address_field(j, "gateway"));
  if (j.contains("aux_addresses") && j["aux_addresses"].is_object()) {
    for (const auto& [name, value] : j["aux_addresses"].items()) {
      if (!value.is_string()) return Error(ErrorCode::kDataLoss, "ipam state: bad aux address");
      pool.aux_addresses[name] = TRY(IpAddress::parse(value.get<std::string>()));
    }
  }
  if (j.contains("allocated") && j["allocated"].is_array()) {
    for (const auto& value : j["allocated"]) {
      if (!value.is_string()) return Error(ErrorCode::kDataLoss, "ipam state: bad address");
      auto a = TRY(IpAddress::parse(value.get<std::string>()));
      if (!pool.subnet.contains(a)) {
        return make_error(ErrorCode::kDataLoss, "ipam state: {} is outside {}", a.to_string(),
                          pool.subnet.to_string());
      }
      pool.allocated.insert(a);
    }
  }
  pool.next = j.contains("next") ? TRY(address_field(j, "next")) : pool.subnet.network();
  if (j.contains("defaulted") && j["defaulted"].is_boolean()) {
    pool.defaulted = j["defaulted"].get<bool>();
  }
  return pool;
}

}  // namespace

bool allocatable_bounds(const Pool& pool, Uint128* first, Uint128* last) {
  usable_bounds(pool.subnet, first, last);
  if (pool.ip_range) {
    *first = std::max(*first, pool.ip_range->network().number());
    *last = std::min(*last, pool.ip_range->last().number());
  }
  return *first <= *last;
}

Ipam::Ipam() : Ipam(docker_default_pools_v4(), docker_default_pools_v6()) {}

Ipam::Ipam(std::vector<DefaultPool> defaults_v4, std::vector<DefaultPool> defaults_v6)
    : defaults_v4_(std::move(defaults_v4)), defaults_v6_(std::move(defaults_v6)) {}

void Ipam::set_default_pools(std::vector<DefaultPool> v4, std::vector<DefaultPool> v6) {
  defaults_v4_ = std::move(v4);
  defaults_v6_ = std::move(v6);
}

const Pool* Ipam::find(const std::string& network_id, Family family) const {
  for (const auto& pool : pools_) {
    if (pool.network_id == network_id && pool.family() == family) return &pool;
  }
  return nullptr;
}

Pool* Ipam::find_mutable(const std::string& network_id, Family family) {
  return const_cast<Pool*>(std::as_const(*this).find(network_id, family));
}

Result<Prefix> Ipam::pick_default_subnet(Family family, const std::vector<Prefix>& taken) const {
  const auto& defaults = family == Family::kV4 ? defaults_v4_ : defaults_v6_;
  for (const auto& base : defaults) {
    if (base.base.family() != family) continue;
    Uint128 step = Prefix(base.base.network(), base.size).size();
    Uint128 candidate = base.base.network().number();
    Uint128 end = base.base.last().number();
    // Each conflict moves the candidate past the conflicting prefix, so this loops at most
    // once per taken prefix plus once.
    while (candidate <= end) {
      Prefix subnet(IpAddress::from_number(family, candidate), base.size);
      const Prefix* conflict = nullptr;
      for (const auto& t : taken) {
        if (t.overlaps(subnet)) {
          conflict = &t;
          break;
        }
      }
      if (!conflict) return subnet;
      Uint128 past = std::max(subnet.last().number(), conflict->last().number());
      if (past >= end) break;
      // Round up to the next subnet boundary after `past`.
      Uint128 offset = past + 1 - base.base.network().number();
      offset = (offset + step - 1) / step * step;
      candidate = base.base.network().number() + offset;
    }
  }
  return make_error(ErrorCode::kResourceExhausted,
                    "could not find an available, non-overlapping {} address pool among the "
                    "defaults to assign to the network",
                    family_name(family));
}

Result<Pool> Ipam::add_pool(const std::string& network_id, const PoolRequest& request,
                            const std::vector<Prefix>& host_prefixes) {
  Pool pool;
  pool.network_id = network_id;
  Family family = request.family;
  if (!request.subnet.empty()) {
    auto subnet = Prefix::parse(request.subnet);
    if (!subnet.ok()) {
      return invalid(
          fmt::format("Invalid subnet {} : {}", request.subnet, subnet.error().message()));
    }
    family = subnet->family();
    pool.subnet = *subnet;
  }
  if (find(network_id, family)) {
    return make_error(ErrorCode::kAlreadyExists, "network {} already has an {} pool", network_id,
                      family_name(family));
  }

  std::vector<Prefix> in_use;
  for (const auto& p : pools_) {
    if (p.family() == family) in_use.push_back(p.subnet);
  }
  std::vector<Prefix> host;
  for (const auto& p : host_prefixes) {
    if (p.family() == family && p.length() > 0) host.push_back(p);
  }

  if (request.subnet.empty()) {
    if (!request.ip_range.empty() || !request.gateway.empty() || !request.aux_addresses.empty()) {
      return invalid("ip-range, gateway and aux-address require a subnet");
    }
    std::vector<Prefix> taken = in_use;
    taken.insert(taken.end(), host.begin(), host.end());
    pool.subnet = TRY(pick_default_subnet(family, taken));
    pool.defaulted = true;
  } else {
    for (const auto& p : in_use) {
      if (p.overlaps(pool.subnet)) {
        return Error(ErrorCode::kConflict, "Pool overlaps with other one on this address space");
      }
    }
    for (const auto& p : host) {
      if (p.overlaps(pool.subnet)) {
        return make_error(ErrorCode::kConflict,
                          "subnet {} overlaps with the host's route or address {}",
                          pool.subnet.to_string(), p.to_string());
      }
    }
  }

  if (!request.ip_range.empty()) {
    auto range = Prefix::parse(request.ip_range);
    if (!range.ok()) {
      return invalid(
          fmt::format("Invalid ip-range {} : {}", request.ip_range, range.error().message()));
    }
    if (!pool.subnet.contains(*range)) {
      return invalid(fmt::format("no matching subnet for range {}", request.ip_range));
    }
    pool.ip_range = *range;
  }

  Uint128 first = 0;
  Uint128 last = 0;
  usable_bounds(pool.subnet, &first, &last);
  if (!request.gateway.empty()) {
    auto gateway = IpAddress::parse(request.gateway);
    if (!gateway.ok()) return invalid(fmt::format("invalid gateway address {}", request.gateway));
    if (!pool.subnet.contains(*gateway)) {
      return invalid(fmt::format("no matching subnet for gateway {}", request.gateway));
    }
    pool.gateway = *gateway;
  } else if (first <= last) {
    pool.gateway = IpAddress::from_number(pool.subnet.family(), first);
  }

  for (const auto& [name, text] : request.aux_addresses) {
    auto aux = IpAddress::parse(text);
    if (!aux.ok()) {
      return invalid(fmt::format("invalid aux-address {}={}", name, text));
    }
    if (!pool.subnet.contains(*aux)) {
      return invalid(fmt::format("no matching subnet for aux-address {}", text));
    }
    pool.aux_addresses[name] = *aux;
  }

  Uint128 range_first = 0;
  Uint128 range_last = 0;
  allocatable_bounds(pool, &range_first, &range_last);
  pool.next = IpAddress::from_number(pool.subnet.family(), range_first);
  pools_.push_back(pool);
  return pool;
}

void Ipam::remove_pools(const std::string& network_id) {
  std::erase_if(pools_, [&](const Pool& p) { return p.network_id == network_id; });
}

Result<IpAddress> Ipam::allocate(const std::string& network_id, Family family,
                                 std::optional<IpAddress> preferred) {
  Pool* pool = find_mutable(network_id, family);
  if (!pool) {
    return make_error(ErrorCode::kNotFound, "network {} has no {} pool", network_id,
                      family_name(family));
  }
  if (preferred) {
    if (!pool->subnet.contains(*preferred)) {
      return Error(ErrorCode::kInvalidArgument, "requested address is out of range");
    }
    Uint128 first = 0;
    Uint128 last = 0;
    usable_bounds(pool->subnet, &first, &last);
    if (preferred->number() < first || preferred->number() > last) {
      return Error(ErrorCode::kInvalidArgument, "requested address is out of range");
    }
    if (pool->allocated.contains(*preferred) || is_reserved(*pool, *preferred)) {
      return Error(ErrorCode::kConflict, "Address already in use");
    }
    pool->allocated.insert(*preferred);
    return *preferred;
  }

  Uint128 first = 0;
  Uint128 last = 0;
  if (!allocatable_bounds(*pool, &first, &last) ||
      taken_between(*pool, first, last) > last - first) {
    return Error(ErrorCode::kResourceExhausted, "no available addresses on this pool");
  }
  Uint128 candidate = pool->next.number();
  if (candidate < first || candidate > last) candidate = first;
  // A free address exists (counted above), so this ends within one lap of the range.
  for (;;) {
    auto address = IpAddress::from_number(family, candidate);
    if (!pool->allocated.contains(address) && !is_reserved(*pool, address)) {
      pool->allocated.insert(address);
      pool->next = IpAddress::from_number(family, candidate == last ? first : candidate + 1);
      return address;
    }
    candidate = candidate == last ? first : candidate + 1;
  }
}

Status Ipam::release(const std::string& network_id, const IpAddress& address) {
  Pool* pool = find_mutable(network_id, address.family());
  if (!pool || pool->allocated.erase(address) == 0) {
    return make_error(ErrorCode::kNotFound, "address {} is not allocated in network {}",
                      address.to_string(), network_id);
  }
  return ok_status();
}

Json Ipam::to_json() const {
  Json pools = Json::array();
  for (const auto& pool : pools_) pools.push_back(pool_to_json(pool));
  return Json{{"version", 1}, {"pools", pools}};
}

Result<Ipam> Ipam::from_json(const Json& json, std::vector<DefaultPool> defaults_v4,
                             std::vector<DefaultPool> defaults_v6) {
  Ipam ipam(std::move(defaults_v4), std::move(defaults_v6));
  try {
    TRY(ipam.load_pools(json));
  } catch (const Json::exception& e) {
    return make_error(ErrorCode::kDataLoss, "ipam state: {}", e.what());
  }
  return ipam;
}

Status Ipam::load_pools(const Json& json) {
  if (!json.is_object() || !json.contains("pools") || !json["pools"].is_array()) {
    return Error(ErrorCode::kDataLoss, "ipam state: no \"pools\" array");
  }
  for (const auto& j : json["pools"]) {
    auto pool = TRY_CTX(pool_from_json(j), "ipam state");
    pools_.push_back(std::move(pool));
  }
  return ok_status();
}

}  // namespace berth::net
