#include "cli/opts/ports.h"

#include <fmt/format.h>

#include "base/strings.h"
#include "cli/opts/validators.h"
#include "template/go_quote.h"

namespace berth::cli {
namespace {

Error invalid(std::string m) { return Error(ErrorCode::kInvalidArgument, std::move(m)); }

Result<uint64_t> parse_uint16(std::string_view s) {
  bool digits = !s.empty();
  for (char c : s) digits = digits && std::isdigit(static_cast<unsigned char>(c));
  if (!digits) {
    return invalid(fmt::format("strconv.ParseUint: parsing {}: invalid syntax", tmpl::go_quote(s)));
  }
  auto v = parse_uint64(s);
  if (!v.ok() || *v > 65535) {
    return invalid(fmt::format("strconv.ParseUint: parsing {}: value out of range", tmpl::go_quote(s)));
  }
  return *v;
}

// nat.splitParts: ip, host port, container port.
std::tuple<std::string, std::string, std::string> split_parts(std::string_view raw) {
  std::vector<std::string> parts = split(raw, ':');
  size_t n = parts.size();
  std::string container = parts[n - 1];
  switch (n) {
    case 1: return {"", "", container};
    case 2: return {"", parts[0], container};
    case 3: return {parts[0], parts[1], container};
    default: {
      std::vector<std::string> ip(parts.begin(), parts.end() - 2);
      return {join(ip, ":"), parts[n - 2], container};
    }
  }
}

Result<std::vector<std::pair<std::string, PortBinding>>> parse_port_spec(std::string_view raw) {
  auto [ip, host_port, container_port] = split_parts(raw);
  auto [proto, cport] = split_proto_port(container_port);
  if (!ip.empty() && ip[0] == '[') {
    size_t close = ip.find(']');
    if (close == std::string::npos || close != ip.size() - 1) {
      return invalid(fmt::format("invalid IP address {}: address {}:: missing port in address", ip, ip));
    }
    ip = ip.substr(1, close - 1);
  }
  if (!ip.empty() && !canonical_ip(ip)) return invalid(fmt::format("invalid IP address: {}", ip));
  if (cport.empty()) return invalid(fmt::format("no port specified: {}<empty>", raw));
  auto crange = parse_port_range(cport);
  if (!crange.ok()) return invalid(fmt::format("invalid containerPort: {}", cport));
  auto [start, end] = *crange;
  uint64_t hstart = 0;
  uint64_t hend = 0;
  if (!host_port.empty()) {
    auto hrange = parse_port_range(host_port);
    if (!hrange.ok()) return invalid(fmt::format("invalid hostPort: {}", host_port));
    std::tie(hstart, hend) = *hrange;
  }
  if (!host_port.empty() && (end - start) != (hend - hstart) && end != start) {
    return invalid(fmt::format(
        "invalid ranges specified for container and host Ports: {} and {}", cport, host_port));
  }
  std::string lower = to_lower(proto);
  if (lower != "tcp" && lower != "udp" && lower != "sctp") {
    return invalid(fmt::format("invalid proto: {}", proto));
  }
  std::vector<std::pair<std::string, PortBinding>> out;
  for (uint64_t i = 0; i <= end - start; ++i) {
    std::string hp = host_port;
    if (!host_port.empty()) hp = std::to_string(hstart + i);
    if (start == end && hstart != hend) hp = fmt::format("{}-{}", hp, hend);
    out.push_back({fmt::format("{}/{}", start + i, lower), PortBinding{ip, hp}});
  }
  return out;
}

}  // namespace

Result<std::pair<uint64_t, uint64_t>> parse_port_range(std::string_view ports) {
  if (ports.empty()) return invalid("empty string specified for ports");
  if (ports.find('-') == std::string_view::npos) {
    uint64_t v = TRY(parse_uint16(ports));
    return std::make_pair(v, v);
  }
  std::vector<std::string> parts = split(ports, '-');
  uint64_t start = TRY(parse_uint16(parts[0]));
  uint64_t end = TRY(parse_uint16(parts[1]));
  if (end < start) return invalid(fmt::format("invalid range specified for port: {}", ports));
  return std::make_pair(start, end);
}

std::pair<std::string, std::string> split_proto_port(std::string_view raw) {
  std::vector<std::string> parts = split(raw, '/');
  if (raw.empty() || parts.empty() || parts[0].empty()) return {"", ""};
  if (parts.size() == 1) return {"tcp", std::string(raw)};
  if (parts[1].empty()) return {"tcp", parts[0]};
  return {parts[1], parts[0]};
}

Result<PortSpecs> parse_port_specs(const std::vector<std::string>& publish) {
  PortSpecs specs;
  for (const auto& raw : publish) {
    std::string spec = raw;
    if (raw.find('=') != std::string::npos) {
      std::map<std::string, std::string> params{{"protocol", "tcp"}};
      for (const auto& param : split(raw, ',')) {
        bool ok = false;
        auto [k, v] = split_once(param, '=', &ok);
        if (!ok || k.empty()) {
          return invalid(fmt::format(
              "invalid publish opts format (should be name=value but got '{}')", param));
        }
        params[std::string(k)] = std::string(v);
      }
      spec = fmt::format("{}:{}/{}", params["published"], params["target"], params["protocol"]);
    }
    auto mappings = TRY(parse_port_spec(spec));
    for (auto& [port, binding] : mappings) {
      specs.exposed.insert(port);
      specs.bindings[port].push_back(binding);
    }
  }
  return specs;
}

Status add_exposed_ports(PortSpecs& specs, const std::vector<std::string>& expose) {
  for (const auto& e : expose) {
    if (e.find(':') != std::string::npos) {
      return invalid(fmt::format("invalid port format for --expose: {}", e));
    }
    auto [proto, port] = split_proto_port(e);
    auto range = parse_port_range(port);
    if (!range.ok()) {
      return invalid(fmt::format("invalid range format for --expose: {}, error: {}", e,
                                 range.error().message()));
    }
    for (uint64_t i = range->first; i <= range->second; ++i) {
      specs.exposed.insert(fmt::format("{}/{}", i, proto));
    }
  }
  return ok_status();
}

}  // namespace berth::cli
