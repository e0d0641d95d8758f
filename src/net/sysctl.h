// The sysctls bridge networking needs. Keys under net.* are per network namespace: they act
// in the namespace of the calling thread (use run_in_netns for a container's).
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"

namespace berth::net {

// "net.ipv4.ip_forward" or a path below /proc/sys ("net/ipv4/conf/br.x/route_localnet", for
// keys containing dots, such as interface names).
Result<std::string> read_sysctl(std::string_view key);
Status write_sysctl(std::string_view key, std::string_view value);

// net.ipv4.ip_forward (and net.ipv6.conf.all.forwarding when ipv6): routing between the
// bridges and the outside. Written only when not already on.
Status enable_ip_forwarding(bool ipv6);
// net.ipv4.conf.<bridge>.route_localnet=1: lets 127.0.0.1:PORT be DNATed to a container (the
// firewall keeps containers away from the host's loopback in return).
Status enable_route_localnet(const std::string& bridge);
// net.bridge.bridge-nf-call-iptables / -ip6tables = 1 when br_netfilter is loaded (kNotFound
// otherwise): traffic between containers on one bridge then passes the ip/ip6 forward hooks,
// which inter-container-communication=false needs. Docker does the same.
Status enable_bridge_netfilter(bool ipv6);

}  // namespace berth::net
