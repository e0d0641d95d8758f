#include "registry/insecure_registries.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>

#include <cstring>

#include "base/log.h"
#include "base/strings.h"

namespace berth::registry {
namespace {

// dockerd rejects entries with a scheme; accepting and stripping it is kinder.
std::string normalize_entry(std::string_view entry) {
  entry = trim(entry);
  if (auto pos = entry.find("://"); pos != std::string_view::npos) entry.remove_prefix(pos + 3);
  while (!entry.empty() && entry.back() == '/') entry.remove_suffix(1);
  return to_lower(entry);
}

bool parse_ip(const std::string& text, int* family, unsigned char* addr) {
  if (inet_pton(AF_INET, text.c_str(), addr) == 1) {
    *family = AF_INET;
    return true;
  }
  if (inet_pton(AF_INET6, text.c_str(), addr) == 1) {
    *family = AF_INET6;
    return true;
  }
  return false;
}

}  // namespace

std::vector<std::string> resolve_host(const std::string& host) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  std::vector<std::string> out;
  if (getaddrinfo(host.c_str(), nullptr, &hints, &res) != 0) return out;
  for (addrinfo* ai = res; ai; ai = ai->ai_next) {
    char buf[INET6_ADDRSTRLEN] = {};
    const void* src =
        ai->ai_family == AF_INET
            ? static_cast<const void*>(&reinterpret_cast<sockaddr_in*>(ai->ai_addr)->sin_addr)
            : static_cast<const void*>(&reinterpret_cast<sockaddr_in6*>(ai->ai_addr)->sin6_addr);
    if (inet_ntop(ai->ai_family, src, buf, sizeof buf)) out.emplace_back(buf);
  }
  freeaddrinfo(res);
  return out;
}

std::pair<std::string, std::string> split_host_port(std::string_view registry) {
  if (!registry.empty() && registry.front() == '[') {
    size_t close = registry.find(']');
    if (close != std::string_view::npos) {
      std::string_view rest = registry.substr(close + 1);
      std::string port = rest.starts_with(":") ? std::string(rest.substr(1)) : std::string();
      return {std::string(registry.substr(1, close - 1)), port};
    }
  }
  size_t colon = registry.rfind(':');
  // More than one colon and no brackets: a bare IPv6 address, no port.
  if (colon == std::string_view::npos || registry.find(':') != colon)
    return {std::string(registry), ""};
  return {std::string(registry.substr(0, colon)), std::string(registry.substr(colon + 1))};
}

InsecureRegistries::InsecureRegistries(const std::vector<std::string>& entries,
                                       bool loopback_insecure, ResolveFn resolve)
    : resolve_(resolve ? std::move(resolve) : ResolveFn(resolve_host)) {
  if (loopback_insecure) {
    Cidr c{};
    parse_cidr("127.0.0.0/8", &c);
    cidrs_.push_back(c);
    parse_cidr("::1/128", &c);
    cidrs_.push_back(c);
  }
  for (const auto& raw : entries) {
    std::string entry = normalize_entry(raw);
    if (entry.empty()) continue;
    Cidr c{};
    if (entry.find('/') != std::string::npos) {
      if (parse_cidr(entry, &c)) {
        cidrs_.push_back(c);
      } else {
        log::warn("ignoring invalid insecure registry CIDR \"{}\"", raw);
      }
      continue;
    }
    names_.push_back(entry);
  }
}

bool InsecureRegistries::parse_cidr(std::string_view text, Cidr* out) {
  bool found = false;
  auto [ip, prefix] = split_once(text, '/', &found);
  if (!found) return false;
  std::memset(out->addr, 0, sizeof out->addr);
  if (!parse_ip(std::string(ip), &out->family, out->addr)) return false;
  auto bits = parse_int(prefix);
  int max = out->family == AF_INET ? 32 : 128;
  if (!bits.ok() || *bits < 0 || *bits > max) return false;
  out->prefix = *bits;
  return true;
}

bool InsecureRegistries::matches_cidr(const std::string& ip) const {
  int family = 0;
  unsigned char addr[16] = {};
  if (!parse_ip(ip, &family, addr)) return false;
  for (const auto& c : cidrs_) {
    if (c.family != family) continue;
    int full = c.prefix / 8;
    int rest = c.prefix % 8;
    if (std::memcmp(addr, c.addr, static_cast<size_t>(full)) != 0) continue;
    if (rest != 0) {
      auto mask = static_cast<unsigned char>(0xff << (8 - rest));
      if ((addr[full] & mask) != (c.addr[full] & mask)) continue;
    }
    return true;
  }
  return false;
}

bool InsecureRegistries::is_insecure(std::string_view registry) const {
  std::string name = to_lower(registry);
  for (const auto& n : names_) {
    if (n == name) return true;
  }
  if (cidrs_.empty()) return false;
  std::string host = split_host_port(name).first;
  int family = 0;
  unsigned char addr[16] = {};
  if (parse_ip(host, &family, addr)) return matches_cidr(host);
  for (const auto& ip : resolve_(host)) {
    if (matches_cidr(ip)) return true;
  }
  return false;
}

}  // namespace berth::registry
