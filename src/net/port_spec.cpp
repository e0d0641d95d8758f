#include "net/port_spec.h"

#include "base/strings.h"
#include "net/ip_address.h"

namespace berth::net {
namespace {

Error invalid(std::string message) {
  return Error(ErrorCode::kInvalidArgument, std::move(message));
}

// A decimal port 0..65535, digits only (strconv.ParseUint(s, 10, 16)).
bool parse_port_number(std::string_view s, uint16_t* out) {
  if (s.empty() || s.size() > 5) return false;
  uint32_t value = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + static_cast<uint32_t>(c - '0');
  }
  if (value > 65535) return false;
  *out = static_cast<uint16_t>(value);
  return true;
}

// "8000" or "8000-8010" (nat.ParsePortRange).
bool parse_port_range(std::string_view s, uint16_t* first, uint16_t* last) {
  bool dash = false;
  auto [a, b] = split_once(s, '-', &dash);
  if (!dash) {
    if (!parse_port_number(s, first)) return false;
    *last = *first;
    return true;
  }
  return parse_port_number(a, first) && parse_port_number(b, last) && *first <= *last;
}

// Splits "ip:host:container" at its last two colons (IPv6 addresses contain colons).
void split_parts(std::string_view raw, std::string_view* ip, std::string_view* host,
                 std::string_view* container) {
  size_t last = raw.rfind(':');
  if (last == std::string_view::npos) {
    *container = raw;
    return;
  }
  *container = raw.substr(last + 1);
  std::string_view rest = raw.substr(0, last);
  size_t second = rest.rfind(':');
  if (second == std::string_view::npos) {
    *host = rest;
    return;
  }
  *host = rest.substr(second + 1);
  *ip = rest.substr(0, second);
}

Result<std::string> normalise_host_ip(std::string_view ip) {
  if (ip.empty()) return std::string();
  std::string_view bare = ip;
  if (bare.front() == '[') {
    if (bare.size() < 2 || bare.back() != ']') {
      return invalid(fmt::format("invalid IP address {}: missing ']' in address", ip));
    }
    bare = bare.substr(1, bare.size() - 2);
  }
  auto address = IpAddress::parse(bare);
  if (!address.ok()) return invalid(fmt::format("invalid IP address: {}", bare));
  return address->to_string();
}

}  // namespace

std::string_view protocol_name(Protocol protocol) {
  switch (protocol) {
    case Protocol::kTcp: return "tcp";
    case Protocol::kUdp: return "udp";
    case Protocol::kSctp: return "sctp";
  }
  return "tcp";
}

Result<Protocol> parse_protocol(std::string_view text) {
  std::string p = to_lower(text);
  if (p == "tcp") return Protocol::kTcp;
  if (p == "udp") return Protocol::kUdp;
  if (p == "sctp") return Protocol::kSctp;
  return invalid(fmt::format("invalid proto: {}", p));
}

std::string PortSpec::port_key() const {
  return fmt::format("{}/{}", container_port, protocol_name(protocol));
}

std::string PortSpec::host_port_text() const {
  if (host_port_first == 0) return "";
  if (host_port_last > host_port_first)
    return fmt::format("{}-{}", host_port_first, host_port_last);
  return std::to_string(host_port_first);
}

Result<std::vector<PortSpec>> parse_port_spec(std::string_view raw) {
  std::string_view ip, host_port, container_port;
  split_parts(raw, &ip, &host_port, &container_port);
  bool slash = false;
  auto [port_text, proto_text] = split_once(container_port, '/', &slash);
  if (port_text.empty()) return invalid(fmt::format("no port specified: {}<empty>", raw));
  Protocol protocol = TRY(parse_protocol(proto_text.empty() ? "tcp" : proto_text));
  std::string host_ip = TRY(normalise_host_ip(ip));

  uint16_t first = 0;
  uint16_t last = 0;
  if (!parse_port_range(port_text, &first, &last) || first == 0) {
    return invalid(fmt::format("invalid containerPort: {}", port_text));
  }
  uint16_t host_first = 0;
  uint16_t host_last = 0;
  if (!host_port.empty()) {
    if (!parse_port_range(host_port, &host_first, &host_last)) {
      return invalid(fmt::format("invalid hostPort: {}", host_port));
    }
    // A host range with a single container port means "any free port in that range".
    if (last - first != host_last - host_first && last != first) {
      return invalid(fmt::format("invalid ranges specified for container and host Ports: {} and {}",
                                 port_text, host_port));
    }
  }

  std::vector<PortSpec> specs;
  int count = last - first + 1;
  for (int i = 0; i < count; ++i) {
    PortSpec spec;
    spec.protocol = protocol;
    spec.container_port = static_cast<uint16_t>(first + i);
    spec.host_ip = host_ip;
    if (host_first != 0) {
      if (count == 1) {
        spec.host_port_first = host_first;
        spec.host_port_last = host_last;
      } else {
        spec.host_port_first = static_cast<uint16_t>(host_first + i);
        spec.host_port_last = spec.host_port_first;
      }
    }
    specs.push_back(spec);
  }
  return specs;
}

Result<PortSpec> port_spec_from_binding(std::string_view port_key, std::string_view host_ip,
                                        std::string_view host_port) {
  bool slash = false;
  auto [port_text, proto_text] = split_once(port_key, '/', &slash);
  PortSpec spec;
  spec.protocol = TRY(parse_protocol(proto_text.empty() ? "tcp" : proto_text));
  if (!parse_port_number(port_text, &spec.container_port) || spec.container_port == 0) {
    return invalid(fmt::format("invalid containerPort: {}", port_text));
  }
  spec.host_ip = TRY(normalise_host_ip(host_ip));
  if (!host_port.empty() &&
      !parse_port_range(host_port, &spec.host_port_first, &spec.host_port_last)) {
    return invalid(fmt::format("invalid hostPort: {}", host_port));
  }
  return spec;
}

Result<std::vector<PortSpec>> parse_exposed_port(std::string_view port_key) {
  bool slash = false;
  auto [port_text, proto_text] = split_once(port_key, '/', &slash);
  Protocol protocol = TRY(parse_protocol(proto_text.empty() ? "tcp" : proto_text));
  uint16_t first = 0;
  uint16_t last = 0;
  if (!parse_port_range(port_text, &first, &last) || first == 0) {
    return invalid(fmt::format("invalid containerPort: {}", port_text));
  }
  std::vector<PortSpec> specs;
  for (uint32_t p = first; p <= last; ++p) {
    PortSpec spec;
    spec.protocol = protocol;
    spec.container_port = static_cast<uint16_t>(p);
    specs.push_back(spec);
  }
  return specs;
}

}  // namespace berth::net
