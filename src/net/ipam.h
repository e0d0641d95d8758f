// IP address management for Berth's networks: one pool per network and address family, with
// the subnet either requested (--subnet/--ip-range/--gateway/--aux-address) or taken from the
// default pools, and container addresses handed out from it.
//
// Pure bookkeeping: no I/O and no locking. The daemon serialises calls, persists to_json() in
// its database after every change, and restores with from_json() at start-up. Host routes and
// addresses (which must not be shadowed by a new network) are passed in by the caller, who
// reads them with netlink (net/netlink/route.h).
//
// Addresses are handed out serially: after .5 comes .6 even if .3 was released meanwhile, and
// the cursor wraps at the end of the range. A just-released address is thus not given to the
// next container while peers may still have it in ARP and DNS caches.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/json.h"
#include "base/result.h"
#include "net/default_pools.h"
#include "net/ip_address.h"

namespace berth::net {

struct PoolRequest {
  Family family = Family::kV4;  // which family to take from the defaults when subnet is empty
  std::string subnet;           // --subnet; empty: the first free default pool
  std::string ip_range;         // --ip-range: containers get addresses from here only
  std::string gateway;          // --gateway; empty: the first usable address of the subnet
  std::map<std::string, std::string> aux_addresses;  // --aux-address name=ip: reserved
};

struct Pool {
  std::string network_id;
  Prefix subnet;
  std::optional<Prefix> ip_range;
  std::optional<IpAddress> gateway;
  std::map<std::string, IpAddress> aux_addresses;
  std::set<IpAddress> allocated;  // container addresses (not the gateway, not aux addresses)
  IpAddress next;                 // where the serial search for a free address starts
  bool defaulted = false;         // the subnet came from the default pools

  Family family() const { return subnet.family(); }
};

class Ipam {
 public:
  Ipam();  // Docker's default pools
  Ipam(std::vector<DefaultPool> defaults_v4, std::vector<DefaultPool> defaults_v6);

  // daemon.json can change the defaults between runs; pools already made keep their subnets.
  void set_default_pools(std::vector<DefaultPool> v4, std::vector<DefaultPool> v6);

  // Creates the pool of `network_id` for one family. Refuses a subnet that overlaps another
  // network's ("Pool overlaps with other one on this address space") or any of
  // `host_prefixes` (routes and interface addresses of the host, default routes ignored);
  // default pools skip both. Errors are Docker's where Docker has one.
  Result<Pool> add_pool(const std::string& network_id, const PoolRequest& request,
                        const std::vector<Prefix>& host_prefixes = {});
  // Removes the network's pools of both families (no error when it has none).
  void remove_pools(const std::string& network_id);

  // Hands out an address: `preferred` (--ip; anywhere in the subnet, even outside the
  // ip-range) or the next free one in the range. "Address already in use" when taken,
  // "requested address is out of range" when outside the subnet, "no available addresses on
  // this pool" when exhausted.
  Result<IpAddress> allocate(const std::string& network_id, Family family,
                             std::optional<IpAddress> preferred = std::nullopt);
  // Returns an address to the pool; kNotFound when it was not allocated.
  Status release(const std::string& network_id, const IpAddress& address);

  const Pool* find(const std::string& network_id, Family family) const;
  const std::vector<Pool>& pools() const { return pools_; }

  Json to_json() const;
  static Result<Ipam> from_json(const Json& json, std::vector<DefaultPool> defaults_v4,
                                std::vector<DefaultPool> defaults_v6);

 private:
  Status load_pools(const Json& json);
  Pool* find_mutable(const std::string& network_id, Family family);
  Result<Prefix> pick_default_subnet(Family family, const std::vector<Prefix>& taken) const;

  std::vector<DefaultPool> defaults_v4_;
  std::vector<DefaultPool> defaults_v6_;
  std::vector<Pool> pools_;
};

// The addresses a pool may hand out automatically: its ip-range (or subnet) without the
// network address, and for IPv4 subnets of /30 and wider also without the broadcast address.
// Returns false when there is none.
bool allocatable_bounds(const Pool& pool, Uint128* first, Uint128* last);

}  // namespace berth::net
