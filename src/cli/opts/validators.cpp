#include "cli/opts/validators.h"

#include <arpa/inet.h>

#include <regex>

#include <fmt/format.h>

#include "base/strings.h"
#include "template/go_quote.h"

namespace berth::cli {
namespace {

Error invalid(std::string message) { return Error(ErrorCode::kInvalidArgument, std::move(message)); }

constexpr std::string_view kWhiteSpaces = " \t";

std::string_view trim_left_ws(std::string_view s) {
  while (!s.empty() && (s[0] == ' ' || s[0] == '\t')) s.remove_prefix(1);
  return s;
}

}  // namespace

std::optional<std::string> canonical_ip(std::string_view text) {
  std::string s(text);
  char buf[INET6_ADDRSTRLEN];
  in_addr v4{};
  if (::inet_pton(AF_INET, s.c_str(), &v4) == 1) {
    ::inet_ntop(AF_INET, &v4, buf, sizeof(buf));
    return std::string(buf);
  }
  in6_addr v6{};
  if (::inet_pton(AF_INET6, s.c_str(), &v6) == 1) {
    // Go prints IPv4-mapped addresses in dotted form.
    static const unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::equal(kMapped, kMapped + 12, v6.s6_addr)) {
      ::inet_ntop(AF_INET, v6.s6_addr + 12, buf, sizeof(buf));
      return std::string(buf);
    }
    ::inet_ntop(AF_INET6, &v6, buf, sizeof(buf));
    return std::string(buf);
  }
  return std::nullopt;
}

Result<std::string> validate_env(std::string_view value, const client::EnvLookup& env) {
  bool has_value = false;
  auto [k, v] = split_once(value, '=', &has_value);
  if (k.empty()) return invalid("invalid environment variable: " + std::string(value));
  if (has_value) return std::string(value);
  if (auto found = env(k)) return std::string(k) + "=" + *found;
  return std::string(value);
}

Result<std::string> validate_label(std::string_view value) {
  auto [key, rest] = split_once(value, '=');
  key = trim_left_ws(key);
  if (key.empty()) return invalid(fmt::format("invalid label '{}': empty name", value));
  if (key.find_first_of(kWhiteSpaces) != std::string_view::npos) {
    return invalid(fmt::format("label '{}' contains whitespaces", key));
  }
  return std::string(value);
}

Result<std::string> validate_extra_host(std::string_view value) {
  bool ok = false;
  auto [k, v] = split_once(value, '=', &ok);
  if (!ok) std::tie(k, v) = split_once(value, ':', &ok);
  if (!ok || k.empty() || k.find(':') != std::string_view::npos) {
    return invalid(fmt::format("bad format for add-host: {}", tmpl::go_quote(value)));
  }
  std::string addr(v);
  if (addr != "host-gateway") {
    if (addr.size() > 2 && addr.front() == '[' && addr.back() == ']') {
      addr = addr.substr(1, addr.size() - 2);
    }
    if (!canonical_ip(trim(addr))) {
      return invalid(fmt::format("invalid IP address in add-host: {}", tmpl::go_quote(addr)));
    }
  }
  return std::string(k) + ":" + addr;
}

Result<std::string> validate_sysctl(std::string_view value) {
  static const char* kAllowed[] = {"kernel.msgmax", "kernel.msgmnb", "kernel.msgmni",
                                   "kernel.sem",    "kernel.shmall", "kernel.shmmax",
                                   "kernel.shmmni", "kernel.shm_rmid_forced"};
  bool ok = false;
  auto [k, v] = split_once(value, '=', &ok);
  (void)v;
  if (ok && !k.empty()) {
    for (const char* a : kAllowed) {
      if (k == a) return std::string(value);
    }
    if (k.starts_with("net.") || k.starts_with("fs.mqueue.")) return std::string(value);
  }
  return invalid(fmt::format("sysctl '{}' is not allowed", value));
}

Result<std::string> validate_ip_address(std::string_view value) {
  if (auto ip = canonical_ip(trim(value))) return *ip;
  return invalid(fmt::format("IP address is not correctly formatted: {}", value));
}

Result<std::string> validate_dns_search(std::string_view value) {
  std::string v(value);
  while (!v.empty() && v.front() == ' ') v.erase(v.begin());
  while (!v.empty() && v.back() == ' ') v.pop_back();
  if (v == ".") return v;
  static const std::regex kAlpha("[a-zA-Z]");
  static const std::regex kDomain(
      R"(^(:?(?:[a-zA-Z0-9]|(?:[a-zA-Z0-9][a-zA-Z0-9\-]*[a-zA-Z0-9]))(:?\.(?:[a-zA-Z0-9]|(?:[a-zA-Z0-9][a-zA-Z0-9\-]*[a-zA-Z0-9])))*)\.?\s*$)");
  std::smatch m;
  if (std::regex_search(v, kAlpha) && std::regex_search(v, m, kDomain) && m[1].length() < 255) {
    return m[1].str();
  }
  return invalid(fmt::format("{} is not a valid domain", v));
}

Result<std::string> validate_mac_address(std::string_view value) {
  std::string s(trim(value));
  auto bad = [&] { return invalid(fmt::format("address {}: invalid MAC address", s)); };
  // net.ParseMAC's colon/hyphen form: 6, 8 or 20 two-digit hex groups.
  if (s.size() < 14) return bad();
  char sep = s[2];
  if (sep != ':' && sep != '-') return bad();
  if ((s.size() + 1) % 3 != 0) return bad();
  size_t groups = (s.size() + 1) / 3;
  if (groups != 6 && groups != 8 && groups != 20) return bad();
  for (size_t i = 0; i < s.size(); ++i) {
    if (i % 3 == 2) {
      if (s[i] != sep) return bad();
    } else if (!std::isxdigit(static_cast<unsigned char>(s[i]))) {
      return bad();
    }
  }
  return std::string(value);
}

Result<std::string> validate_link(std::string_view value) {
  if (value.empty()) return invalid("empty string specified for links");
  std::vector<std::string> parts = split(value, ':');
  if (parts.size() > 2) return invalid("bad format for links: " + std::string(value));
  return std::string(value);
}

Result<std::string> validate_attach(std::string_view value) {
  std::string s = to_lower(value);
  if (s == "stdin" || s == "stdout" || s == "stderr") return s;
  return invalid("valid streams are STDIN, STDOUT and STDERR");
}

Result<std::string> validate_device_cgroup_rule(std::string_view value) {
  static const std::regex kRule(R"(^[acb] ([0-9]+|\*):([0-9]+|\*) [rwm]{1,3}$)");
  std::string s(value);
  if (std::regex_match(s, kRule)) return s;
  return invalid(fmt::format("invalid device cgroup format '{}'", value));
}

std::string normalize_capability(std::string_view cap) {
  std::string c = to_upper(cap);
  if (c == "ALL") return c;
  if (!c.starts_with("CAP_")) c = "CAP_" + c;
  return c;
}

}  // namespace berth::cli
