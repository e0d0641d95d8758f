#include "net/hosts_file.h"

#include <fmt/format.h>

namespace berth::net {

std::string build_hosts_file(const HostsConfig& config) {
  std::string out =
      "127.0.0.1\tlocalhost\n"
      "::1\tlocalhost ip6-localhost ip6-loopback\n"
      "fe00::0\tip6-localnet\n"
      "ff00::0\tip6-mcastprefix\n"
      "ff02::1\tip6-allnodes\n"
      "ff02::2\tip6-allrouters\n";
  for (const auto& e : config.extra) out += e.address + "\t" + e.names + "\n";
  if (!config.hostname.empty()) {
    // The fully qualified name first, then the bare host name.
    std::string fqdn = config.hostname;
    if (!config.domainname.empty()) fqdn += fmt::format(".{}", config.domainname);
    std::string names = fqdn;
    if (auto dot = fqdn.find('.'); dot != std::string::npos) {
      names += fmt::format(" {}", fqdn.substr(0, dot));
    }
    for (const auto& a : config.addresses) out += a.to_string() + "\t" + names + "\n";
  }
  return out;
}

Result<std::vector<HostEntry>> parse_extra_host(std::string_view spec,
                                                const std::vector<IpAddress>& host_gateway) {
  // "name=ip" is unambiguous with IPv6; "name:ip" splits at the first colon.
  size_t sep = spec.find('=');
  if (sep == std::string_view::npos) sep = spec.find(':');
  if (sep == std::string_view::npos || sep == 0) {
    return make_error(ErrorCode::kInvalidArgument, "bad format for add-host: \"{}\"", spec);
  }
  std::string_view name = spec.substr(0, sep);
  std::string_view ip = spec.substr(sep + 1);
  if (ip.size() >= 2 && ip.front() == '[' && ip.back() == ']') ip = ip.substr(1, ip.size() - 2);
  std::vector<HostEntry> out;
  if (ip == "host-gateway") {
    if (host_gateway.empty()) {
      return make_error(ErrorCode::kFailedPrecondition,
                        "unable to derive the IP value for host-gateway");
    }
    for (const auto& a : host_gateway) out.push_back({a.to_string(), std::string(name)});
    return out;
  }
  auto address = IpAddress::parse(ip);
  if (!address.ok()) {
    return make_error(ErrorCode::kInvalidArgument, "invalid IP address in add-host: \"{}\"", ip);
  }
  out.push_back({address->to_string(), std::string(name)});
  return out;
}

}  // namespace berth::net
