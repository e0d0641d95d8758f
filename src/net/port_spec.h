// Published-port specifications in Docker's two spellings: the CLI's -p syntax
// ("127.0.0.1:8080:80/udp", "8000-8010:8000-8010", "[::1]:8080:80", "80") and the Engine API's
// HostConfig.PortBindings ({"80/tcp": [{"HostIp": "", "HostPort": "8080"}]}). Errors are
// go-connections/nat's, which the docker CLI shows.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace berth::net {

enum class Protocol { kTcp, kUdp, kSctp };

std::string_view protocol_name(Protocol protocol);  // "tcp", "udp", "sctp"
// Case-insensitive; "invalid proto: X" otherwise.
Result<Protocol> parse_protocol(std::string_view text);

// One container port and the host side it is published on.
struct PortSpec {
  Protocol protocol = Protocol::kTcp;
  uint16_t container_port = 0;
  std::string host_ip;           // empty: every host address; IPv6 without brackets
  uint16_t host_port_first = 0;  // 0: a free port from the ephemeral range
  uint16_t host_port_last = 0;   // == first: exactly that port; > first: any free one in between

  std::string port_key() const;        // "80/tcp", the key of PortBindings and ExposedPorts
  std::string host_port_text() const;  // "8080", "8000-8010", "" (random): PortBinding.HostPort
  bool operator==(const PortSpec&) const = default;
};

// The -p syntax: [hostIp:][hostPort:]containerPort[/proto]; a container port range yields one
// spec per port.
Result<std::vector<PortSpec>> parse_port_spec(std::string_view raw);

// One PortBindings entry: key "80/tcp" (or "80", meaning tcp), HostIp and HostPort as sent.
Result<PortSpec> port_spec_from_binding(std::string_view port_key, std::string_view host_ip,
                                        std::string_view host_port);

// An ExposedPorts key ("80/tcp", "8000-8002/udp") as -P publishes it: random host ports.
Result<std::vector<PortSpec>> parse_exposed_port(std::string_view port_key);

}  // namespace berth::net
