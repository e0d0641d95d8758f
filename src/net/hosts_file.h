// /etc/hosts for containers, laid out as Docker writes it: the fixed localhost/IPv6 entries,
// then --add-host entries (and legacy --link entries) in order, then the container's own
// addresses with its hostname.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "net/ip_address.h"

namespace berth::net {

struct HostEntry {
  std::string address;  // as written
  std::string names;    // one or more names separated by spaces

  bool operator==(const HostEntry&) const = default;
};

struct HostsConfig {
  std::string hostname;
  std::string domainname;            // "" or the container's --domainname
  std::vector<IpAddress> addresses;  // the container's own, one line each
  std::vector<HostEntry> extra;      // --add-host, --link
};

std::string build_hosts_file(const HostsConfig& config);

// One --add-host value: "name:ip", "name=ip", "name:[::1]", with "host-gateway" standing for
// the daemon's host-gateway addresses (by default the default bridge's gateway; an IPv4 and
// an IPv6 one give two entries). Docker's errors: bad format for add-host: "x",
// invalid IP address in add-host: "x".
Result<std::vector<HostEntry>> parse_extra_host(std::string_view spec,
                                                const std::vector<IpAddress>& host_gateway);

}  // namespace berth::net
