// A network as berthd knows it: the predefined `bridge`, `host` and `none` networks and
// user-defined bridge networks. Persisted whole as JSON in the networks table
// (network_store.h); the addresses handed out from it live in IPAM's state.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "base/json.h"
#include "base/result.h"

namespace berth::daemon {

// Option keys of the bridge driver (`docker network create -o`).
inline constexpr const char* kOptBridgeName = "com.docker.network.bridge.name";
inline constexpr const char* kOptMtu = "com.docker.network.driver.mtu";
inline constexpr const char* kOptIcc = "com.docker.network.bridge.enable_icc";
inline constexpr const char* kOptMasquerade = "com.docker.network.bridge.enable_ip_masquerade";
inline constexpr const char* kOptDefaultBridge = "com.docker.network.bridge.default_bridge";
inline constexpr const char* kOptHostBinding = "com.docker.network.bridge.host_binding_ipv4";

// One IPAM.Config entry, as requested and completed (the subnet and gateway IPAM chose).
struct IpamPoolConfig {
  std::string subnet;
  std::string ip_range;
  std::string gateway;
  std::map<std::string, std::string> aux_addresses;

  bool operator==(const IpamPoolConfig&) const = default;
};

struct Network {
  std::string id;
  std::string name;
  std::string driver = "bridge";  // "bridge", "host" or "null"
  int64_t created_ns = 0;
  bool internal = false;
  bool attachable = false;
  bool enable_ipv6 = false;
  std::string ipam_driver = "default";
  std::map<std::string, std::string> ipam_options;
  std::vector<IpamPoolConfig> ipam_config;
  std::map<std::string, std::string> options;
  std::map<std::string, std::string> labels;
  // The bridge driver's settings, read from `options` at create.
  std::string bridge;  // the interface
  int mtu = 0;         // 0: the kernel's default
  bool icc = true;
  bool masquerade = true;
  bool default_bridge = false;

  bool is_bridge() const { return driver == "bridge"; }
  // bridge, host and none: listed always, never removed.
  bool predefined() const { return default_bridge || driver == "host" || driver == "null"; }
  // Networks with the embedded DNS server and aliases (Docker's user-defined networks).
  bool user_defined() const { return is_bridge() && !default_bridge; }

  Json to_record() const;
  static Result<Network> from_record(const Json& record);
};

}  // namespace berth::daemon
