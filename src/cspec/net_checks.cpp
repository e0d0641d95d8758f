#include "cspec/net_checks.h"

#include <arpa/inet.h>

#include <cctype>
#include <cstring>
#include <string>
#include <vector>

#include "base/strings.h"
#include "cspec/docker_json.h"
#include "cspec/modes.h"

namespace berth::cspec {
namespace {

// Go's strconv.ParseUint(s, 10, 16).
bool is_port_number(std::string_view text) {
  if (text.empty() || text.size() > 5) return false;
  for (char c : text) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return std::stoul(std::string(text)) <= 65535;
}

// nat.SplitProtoPort: the port part of "80/tcp".
std::string_view port_part(std::string_view raw) {
  return raw.substr(0, raw.find('/'));
}

// nat.ParsePortRange, allowing "" (no host port).
bool is_port_range(std::string_view text) {
  if (text.empty()) return true;
  size_t dash = text.find('-');
  if (dash == std::string_view::npos) return is_port_number(text);
  std::string_view low = text.substr(0, dash);
  std::string_view high = text.substr(dash + 1);
  if (high.find('-') != std::string_view::npos) high = high.substr(0, high.find('-'));
  if (!is_port_number(low) || !is_port_number(high)) return false;
  return std::stoul(std::string(high)) >= std::stoul(std::string(low));
}

Error invalid_port(std::string_view port) {
  return make_error(ErrorCode::kInvalidArgument, "invalid port specification: {:?}", port);
}

std::vector<std::string> endpoint_errors(const std::string& network, const Json& endpoint) {
  std::vector<std::string> errors;
  const Json* ipam = field(endpoint, "IPAMConfig");
  // The predefined networks (bridge, host, none) take neither static addresses nor aliases.
  if (!network_is_user_defined(network)) {
    bool static_address =
        ipam != nullptr && ipam->is_object() &&
        (!ipam->value("IPv4Address", "").empty() || !ipam->value("IPv6Address", "").empty());
    if (static_address) {
      errors.emplace_back("user specified IP address is supported on user defined networks only");
    }
    const Json* aliases = field(endpoint, "Aliases");
    if (aliases != nullptr && aliases->is_array() && !aliases->empty()) {
      errors.emplace_back(
          "network-scoped alias is supported only for containers in user defined networks");
    }
  }
  if (ipam != nullptr && ipam->is_object()) {
    std::string v4 = ipam->value("IPv4Address", "");
    std::string v6 = ipam->value("IPv6Address", "");
    if (!v4.empty() && (ip_family(v4) != IpFamily::kV4 || is_unspecified_ip(v4))) {
      errors.push_back(fmt::format("invalid IPv4 address: {}", v4));
    }
    if (!v6.empty() && (ip_family(v6) != IpFamily::kV6 || is_unspecified_ip(v6))) {
      errors.push_back(fmt::format("invalid IPv6 address: {}", v6));
    }
    if (const Json* link_local = field(*ipam, "LinkLocalIPs");
        link_local && link_local->is_array()) {
      for (const Json& address : *link_local) {
        std::string text = address.is_string() ? address.get<std::string>() : address.dump();
        if (ip_family(text) == IpFamily::kNone || is_unspecified_ip(text)) {
          errors.push_back(fmt::format("invalid link-local IP address: {}", text));
        }
      }
    }
  }
  std::string mac = endpoint.value("MacAddress", "");
  if (!mac.empty() && !is_mac_address(mac)) {
    errors.push_back(fmt::format("invalid MAC address {}", mac));
  }
  return errors;
}

}  // namespace

IpFamily ip_family(std::string_view text) {
  std::string address(text);
  unsigned char buf[16];
  if (::inet_pton(AF_INET, address.c_str(), buf) == 1) return IpFamily::kV4;
  if (::inet_pton(AF_INET6, address.c_str(), buf) == 1) {
    static const unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    return std::memcmp(buf, kMapped, sizeof kMapped) == 0 ? IpFamily::kV4 : IpFamily::kV6;
  }
  return IpFamily::kNone;
}

bool is_unspecified_ip(std::string_view text) {
  std::string address(text);
  unsigned char buf[16] = {};
  if (::inet_pton(AF_INET, address.c_str(), buf) == 1) {
    return buf[0] == 0 && buf[1] == 0 && buf[2] == 0 && buf[3] == 0;
  }
  if (::inet_pton(AF_INET6, address.c_str(), buf) != 1) return false;
  static const unsigned char kZero[16] = {};
  static const unsigned char kMappedZero[16] = {0, 0, 0,    0,    0, 0, 0, 0,
                                                0, 0, 0xff, 0xff, 0, 0, 0, 0};
  return std::memcmp(buf, kZero, 16) == 0 || std::memcmp(buf, kMappedZero, 16) == 0;
}

bool is_mac_address(std::string_view text) {
  // Go's net.ParseMAC: groups of two hex digits separated by ':' or '-', or of four separated by
  // '.', for 6-, 8- or 20-byte addresses.
  auto hex = [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; };
  if (text.size() >= 14 && text[4] == '.') {
    if ((text.size() + 1) % 5 != 0) return false;
    size_t groups = (text.size() + 1) / 5;
    if (groups * 2 != 6 && groups * 2 != 8 && groups * 2 != 20) return false;
    for (size_t i = 0; i < text.size(); ++i) {
      if (i % 5 == 4 ? text[i] != '.' : !hex(text[i])) return false;
    }
    return true;
  }
  if (text.size() < 14 || (text[2] != ':' && text[2] != '-')) return false;
  if ((text.size() + 1) % 3 != 0) return false;
  size_t bytes = (text.size() + 1) / 3;
  if (bytes != 6 && bytes != 8 && bytes != 20) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    if (i % 3 == 2 ? text[i] != text[2] : !hex(text[i])) return false;
  }
  return true;
}

Status validate_port_bindings(const Json& host_config) {
  const Json* bindings = field(host_config, "PortBindings");
  if (bindings == nullptr) return {};
  if (!bindings->is_object())
    return type_error(*bindings, "HostConfig", "PortBindings", "nat.PortMap");
  for (const auto& [port, list] : bindings->items()) {
    std::string_view port_text = port_part(port);
    if (!port_text.empty() && !is_port_number(port_text)) return invalid_port(port_text);
    if (list.is_null()) continue;
    if (!list.is_array())
      return type_error(list, "HostConfig", "PortBindings", "[]nat.PortBinding");
    for (const Json& binding : list) {
      std::string host_port = TRY(get_string(binding, "HostPort", "PortBinding"));
      std::string_view host_port_text = port_part(host_port);
      if (!is_port_range(host_port_text)) return invalid_port(host_port);
    }
  }
  return {};
}

Status validate_networking_config(const Json& networking_config) {
  const Json* endpoints = field(networking_config, "EndpointsConfig");
  if (endpoints == nullptr) return {};
  if (!endpoints->is_object()) {
    return type_error(*endpoints, "NetworkingConfig", "EndpointsConfig", "map");
  }
  std::vector<std::string> errors;
  for (const auto& [network, endpoint] : endpoints->items()) {
    if (endpoint.is_null()) {
      errors.push_back(
          fmt::format("invalid config for network {}: EndpointsConfig is nil", network));
      continue;
    }
    auto found = endpoint_errors(network, endpoint);
    if (found.empty()) continue;
    std::string joined = found.size() == 1 ? found.front() : "* " + join(found, "\n* ");
    errors.push_back(fmt::format("invalid config for network {}: {}", network, joined));
  }
  if (errors.empty()) return {};
  if (errors.size() == 1) return Error(ErrorCode::kInvalidArgument, errors.front());
  for (auto& e : errors) {
    size_t pos = 0;
    while ((pos = e.find('\n', pos)) != std::string::npos) {
      e.insert(pos + 1, "\t");
      pos += 2;
    }
  }
  return Error(ErrorCode::kInvalidArgument, "* " + join(errors, "\n* "));
}

}  // namespace berth::cspec
