#include "shim/shim_socket.h"

#include <fcntl.h>
#include <sys/un.h>
#include <unistd.h>

#include "shim/protocol.h"
#include "sys/fd_passing.h"

namespace berth::shim {
namespace {

constexpr size_t kMaxSunPath = sizeof(sockaddr_un{}.sun_path) - 1;

// Calls `fn` with an address for <bundle>/shim.sock that fits in sun_path: the path itself when
// short enough, else the same file through an O_PATH descriptor of the bundle directory.
template <typename Fn>
Result<UniqueFd> with_short_path(const std::string& bundle, Fn fn) {
  std::string path = socket_path(bundle);
  if (path.size() <= kMaxSunPath) return fn(path);
  UniqueFd dir(::open(bundle.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!dir) return errno_error("open " + bundle);
  auto fd = fn("/proc/self/fd/" + std::to_string(dir.get()) + "/shim.sock");
  if (!fd.ok()) {
    Error e = std::move(fd).error();
    return std::move(e.with_context(path));
  }
  return fd;
}

}  // namespace

Result<UniqueFd> listen_shim_socket(const std::string& bundle, int backlog) {
  std::string path = socket_path(bundle);
  ::unlink(path.c_str());
  return with_short_path(bundle,
                         [&](const std::string& p) { return sys::listen_unix(p, backlog); });
}

Result<UniqueFd> connect_shim_socket(const std::string& bundle) {
  return with_short_path(bundle, [](const std::string& p) { return sys::connect_unix(p); });
}

}  // namespace berth::shim
