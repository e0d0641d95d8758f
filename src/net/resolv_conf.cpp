#include "net/resolv_conf.h"

#include <algorithm>

#include <fmt/format.h>

#include "base/strings.h"

namespace berth::net {
namespace {

std::vector<std::string_view> fields(std::string_view line) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
    size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '\r') ++i;
    if (i > start) out.push_back(line.substr(start, i - start));
  }
  return out;
}

// The value of the last option named `name` ("ndots" in "ndots:2"); found=false when none.
bool find_option(const std::vector<std::string>& options, std::string_view name) {
  for (auto it = options.rbegin(); it != options.rend(); ++it) {
    if (split_once(*it, ':').first == name) return true;
  }
  return false;
}

bool valid_ndots(std::string_view option) {
  bool colon = false;
  auto [k, v] = split_once(option, ':', &colon);
  if (k != "ndots") return true;
  auto n = parse_int(v);
  return n.ok() && *n >= 0;
}

std::string bracket_list(const std::vector<std::string>& items) {
  return fmt::format("[{}]", join(items, " "));
}

std::vector<IpAddress> default_nameservers(bool ipv6) {
  std::vector<IpAddress> out = {IpAddress::parse("8.8.8.8").take(),
                                IpAddress::parse("8.8.4.4").take()};
  if (ipv6) {
    out.push_back(IpAddress::parse("2001:4860:4860::8888").take());
    out.push_back(IpAddress::parse("2001:4860:4860::8844").take());
  }
  return out;
}

}  // namespace

ResolvConf ResolvConf::parse(std::string_view text) {
  ResolvConf rc;
  for (const auto& raw : split(text, '\n')) {
    std::string_view line = raw;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    auto f = fields(line);
    if (f.empty() || f[0][0] == '#' || f[0][0] == ';') continue;
    if (f[0] == "nameserver") {
      if (f.size() < 2) continue;
      auto address = IpAddress::parse(f[1]);
      if (address.ok()) {
        rc.nameservers.push_back(*address);
      } else {
        rc.invalid_nameservers.emplace_back(f[1]);
      }
    } else if (f[0] == "search" || f[0] == "domain") {
      if (f.size() < 2) continue;
      rc.search.assign(f.begin() + 1, f.end());
    } else if (f[0] == "options") {
      rc.options.insert(rc.options.end(), f.begin() + 1, f.end());
    } else {
      rc.other.emplace_back(line);
    }
  }
  return rc;
}

std::string ExtServer::to_string() const {
  return host_loopback ? "host(" + address.to_string() + ")" : address.to_string();
}

Result<GeneratedResolvConf> generate_resolv_conf(const ResolvConf& host,
                                                 std::string_view source_path,
                                                 const DnsOverrides& overrides, ResolvConfMode mode,
                                                 bool ipv6, std::string_view header) {
  ResolvConf rc = host;
  std::string ndots_from = find_option(rc.options, "ndots") ? "host" : "";
  std::vector<std::string> override_names;
  bool ns_override = !overrides.servers.empty();
  if (ns_override) {
    rc.nameservers.clear();
    for (const auto& s : overrides.servers) {
      auto address = IpAddress::parse(s);
      if (!address.ok())
        return make_error(ErrorCode::kInvalidArgument, "invalid IP address: {}", s);
      rc.nameservers.push_back(*address);
    }
    override_names.emplace_back("nameservers");
  }
  if (!overrides.search.empty()) {
    rc.search.clear();
    for (const auto& s : overrides.search) {
      if (s != ".") rc.search.push_back(s);
    }
    override_names.emplace_back("search");
  }
  if (!overrides.options.empty()) {
    rc.options = overrides.options;
    ndots_from = find_option(rc.options, "ndots") ? "override" : "";
    override_names.emplace_back("options");
  }

  GeneratedResolvConf out;
  std::string transform;
  bool used_defaults = false;
  if (mode == ResolvConfMode::kLegacy) {
    transform = "legacy";
    if (!ns_override) {
      std::erase_if(rc.nameservers,
                    [&](const IpAddress& a) { return a.is_loopback() || (a.is_v6() && !ipv6); });
      if (rc.nameservers.empty()) {
        rc.nameservers = default_nameservers(ipv6);
        used_defaults = true;
      }
    }
  } else if (mode == ResolvConfMode::kInternalDns) {
    transform = "internal resolver";
    for (const auto& a : rc.nameservers) {
      // A loopback address in the host's file only works in the host's namespace; with --dns
      // it means the container's own loopback.
      bool host_loopback = !ns_override && (a.is_loopback() || (a.is_v6() && !ipv6));
      out.ext_servers.push_back({a, host_loopback});
    }
    rc.nameservers = {IpAddress::v4(0x7f00000b)};
    if (out.ext_servers.empty()) {
      for (const auto& a : default_nameservers(ipv6)) out.ext_servers.push_back({a, false});
      used_defaults = true;
    }
    // The embedded server answers single-label container names: resolvers must not first
    // try them with every search domain appended (ndots:0), unless ndots was chosen.
    std::erase_if(rc.options, [](const std::string& o) { return !valid_ndots(o); });
    if (!find_option(rc.options, "ndots")) {
      rc.options.emplace_back("ndots:0");
      ndots_from = "internal";
    }
  }

  std::string& c = out.content;
  if (!header.empty()) {
    c += header;
    c += "\n\n";
  }
  for (const auto& a : rc.nameservers) c += "nameserver " + a.to_string() + "\n";
  if (!rc.search.empty()) c += "search " + join(rc.search, " ") + "\n";
  if (!rc.options.empty()) c += "options " + join(rc.options, " ") + "\n";
  if (!rc.other.empty()) c += join(rc.other, "\n") + "\n";
  c += "\n# Based on host file: '" + std::string(source_path) + "'";
  if (!transform.empty()) c += " (" + transform + ")";
  c += "\n";
  if (used_defaults) c += "# Used default nameservers.\n";
  if (!out.ext_servers.empty()) {
    std::vector<std::string> names;
    for (const auto& e : out.ext_servers) names.push_back(e.to_string());
    c += "# ExtServers: " + bracket_list(names) + "\n";
  }
  if (!rc.invalid_nameservers.empty()) {
    c += "# Invalid nameservers: " + bracket_list(rc.invalid_nameservers) + "\n";
  }
  c += "# Overrides: " + bracket_list(override_names) + "\n";
  if (!ndots_from.empty()) c += "# Option ndots from: " + ndots_from + "\n";
  return out;
}

std::vector<dns::Upstream> upstreams_from(const std::vector<ExtServer>& ext_servers) {
  std::vector<dns::Upstream> out;
  for (const auto& e : ext_servers) {
    dns::Upstream u;
    u.address = e.address;
    u.port = 53;
    u.host_namespace = e.host_loopback;
    out.push_back(u);
  }
  return out;
}

}  // namespace berth::net
