// The address and port syntax checks of a create request (Go's net.ParseIP / ParseMAC and
// go-connections/nat, as dockerd applies them).
#pragma once

#include <string_view>

#include "base/json.h"
#include "base/result.h"

namespace berth::cspec {

enum class IpFamily { kNone, kV4, kV6 };

// The family of an address as net.ParseIP reads it; an IPv4-mapped IPv6 address ("::ffff:1.2.3.4")
// counts as IPv4, as Go's To4() does.
IpFamily ip_family(std::string_view text);
bool is_unspecified_ip(std::string_view text);  // 0.0.0.0 or ::
bool is_mac_address(std::string_view text);

// HostConfig.PortBindings: keys "80/tcp" (one port; the CLI expands ranges) and HostPort values
// "8080", "8000-8010" or "". Error: `invalid port specification: "<port>"`.
Status validate_port_bindings(const Json& host_config);

// NetworkingConfig.EndpointsConfig: per network, IPAMConfig addresses and the MAC address.
// Errors as dockerd joins them: "invalid config for network <n>: invalid IPv4 address: <a>".
Status validate_networking_config(const Json& networking_config);

}  // namespace berth::cspec
