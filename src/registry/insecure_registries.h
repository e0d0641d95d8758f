// Which registries may be reached over plain HTTP or without TLS verification, as dockerd's
// --insecure-registry decides: an entry is a registry name ("host:port", matched exactly) or a
// CIDR ("10.0.0.0/8") matched against the registry host's addresses. Loopback (127.0.0.0/8 and
// ::1) is insecure by default, like dockerd.
#pragma once

#include <netinet/in.h>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace berth::registry {

// A host's IP addresses as text ("10.1.2.3", "::1"); empty when it does not resolve.
using ResolveFn = std::function<std::vector<std::string>(const std::string& host)>;
std::vector<std::string> resolve_host(const std::string& host);  // getaddrinfo

class InsecureRegistries {
 public:
  InsecureRegistries(const std::vector<std::string>& entries, bool loopback_insecure = true,
                     ResolveFn resolve = nullptr);

  // `registry` is "host", "host:port", "[v6]:port" or "v6".
  bool is_insecure(std::string_view registry) const;

 private:
  struct Cidr {
    int family;  // AF_INET or AF_INET6
    unsigned char addr[16];
    int prefix;
  };
  static bool parse_cidr(std::string_view text, Cidr* out);
  bool matches_cidr(const std::string& ip) const;

  std::vector<std::string> names_;
  std::vector<Cidr> cidrs_;
  ResolveFn resolve_;
};

// Splits "host:port" / "[v6]:port" / "host" into host (without brackets) and port ("" if none).
std::pair<std::string, std::string> split_host_port(std::string_view registry);

}  // namespace berth::registry
