// How docker shows a container's ports: `ps` groups consecutive ports and arrows host mappings
// ("0.0.0.0:8080->80/tcp, :::8080->80/tcp"), `port` lists one mapping a line.
#pragma once

#include <string>

#include "base/json.h"

namespace berth::cli {

// formatter.DisplayablePorts over the API's Ports array ({IP, PrivatePort, PublicPort, Type}).
std::string displayable_ports(const Json& ports);

// net.JoinHostPort: brackets IPv6 hosts.
std::string join_host_port(const std::string& host, const std::string& port);

}  // namespace berth::cli
