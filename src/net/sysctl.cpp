#include "net/sysctl.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "base/file_util.h"
#include "base/strings.h"

namespace berth::net {
namespace {

std::string sysctl_path(std::string_view key) {
  std::string k(key);
  if (k.find('/') == std::string::npos) std::replace(k.begin(), k.end(), '.', '/');
  return "/proc/sys/" + k;
}

Status ensure_on(std::string_view key) {
  auto current = read_sysctl(key);
  if (current.ok() && trim(*current) == "1") return ok_status();
  return write_sysctl(key, "1");
}

}  // namespace

Result<std::string> read_sysctl(std::string_view key) {
  return read_file(sysctl_path(key));
}

Status write_sysctl(std::string_view key, std::string_view value) {
  std::string path = sysctl_path(key);
  // No O_CREAT/O_TRUNC: these are kernel files.
  int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return errno_error("set sysctl " + std::string(key));
  ssize_t n = ::write(fd, value.data(), value.size());
  int err = errno;
  ::close(fd);
  if (n != static_cast<ssize_t>(value.size())) {
    return errno_error(n < 0 ? err : EIO,
                       "set sysctl " + std::string(key) + "=" + std::string(value));
  }
  return ok_status();
}

Status enable_ip_forwarding(bool ipv6) {
  TRY(ensure_on("net.ipv4.ip_forward"));
  if (ipv6) TRY(ensure_on("net.ipv6.conf.all.forwarding"));
  return ok_status();
}

Status enable_route_localnet(const std::string& bridge) {
  return ensure_on("net/ipv4/conf/" + bridge + "/route_localnet");
}

Status enable_bridge_netfilter(bool ipv6) {
  if (!path_exists("/proc/sys/net/bridge/bridge-nf-call-iptables")) {
    return Error(ErrorCode::kNotFound, "br_netfilter is not loaded");
  }
  TRY(ensure_on("net.bridge.bridge-nf-call-iptables"));
  if (ipv6) TRY(ensure_on("net.bridge.bridge-nf-call-ip6tables"));
  return ok_status();
}

}  // namespace berth::net
