#include "net/netns.h"

#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

#include "base/file_util.h"
#include "sys/syscalls.h"

namespace berth::net {
namespace {

// Brings up lo with an ioctl on the thread that has just unshared: one flag needs no netlink.
Status loopback_up() {
  UniqueFd fd(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!fd) return errno_error("socket");
  ifreq req{};
  std::strncpy(req.ifr_name, "lo", IFNAMSIZ - 1);
  if (::ioctl(fd.get(), SIOCGIFFLAGS, &req) != 0) return errno_error("get lo flags");
  req.ifr_flags = static_cast<short>(req.ifr_flags | IFF_UP);
  if (::ioctl(fd.get(), SIOCSIFFLAGS, &req) != 0) return errno_error("bring lo up");
  return ok_status();
}

}  // namespace

Status ensure_netns_dir(const std::string& dir) {
  TRY(make_dirs(dir, 0755));
  // Already a shared mount point of its own? MS_SHARED on a path that is not a mount point
  // fails with EINVAL; then bind it onto itself first.
  if (::mount("", dir.c_str(), nullptr, MS_SHARED | MS_REC, nullptr) == 0) return ok_status();
  if (errno != EINVAL) return errno_error("make " + dir + " shared");
  if (::mount(dir.c_str(), dir.c_str(), nullptr, MS_BIND | MS_REC, nullptr) != 0) {
    return errno_error("bind " + dir + " onto itself");
  }
  if (::mount("", dir.c_str(), nullptr, MS_SHARED | MS_REC, nullptr) != 0) {
    return errno_error("make " + dir + " shared");
  }
  return ok_status();
}

Status create_netns(const std::string& path) {
  UniqueFd file(::open(path.c_str(), O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0444));
  if (!file) return errno_error("create " + path);
  file.reset();
  Status result;
  // unshare() on a throwaway thread: the daemon's threads keep their namespace.
  std::thread worker([&] {
    if (::unshare(CLONE_NEWNET) != 0) {
      result = errno_error("unshare network namespace");
      return;
    }
    std::string self = "/proc/self/task/" + std::to_string(::gettid()) + "/ns/net";
    if (::mount(self.c_str(), path.c_str(), nullptr, MS_BIND, nullptr) != 0) {
      result = errno_error("bind network namespace to " + path);
      return;
    }
    result = loopback_up();
  });
  worker.join();
  if (!result.ok()) {
    ::umount2(path.c_str(), MNT_DETACH);
    ::unlink(path.c_str());
    return std::move(result).error().with_context("create netns " + path);
  }
  return ok_status();
}

Status remove_netns(const std::string& path) {
  if (::umount2(path.c_str(), MNT_DETACH) != 0 && errno != EINVAL && errno != ENOENT) {
    return errno_error("unmount netns " + path);
  }
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) return errno_error("remove " + path);
  return ok_status();
}

Result<UniqueFd> open_netns(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return errno_error("open netns " + path);
  return fd;
}

Result<UniqueFd> open_current_netns() {
  std::string self = "/proc/self/task/" + std::to_string(::gettid()) + "/ns/net";
  return open_netns(self);
}

Status run_in_netns(int netns_fd, const std::function<Status()>& fn) {
  Status result;
  std::thread worker([&] {
    if (sys::raw_setns(netns_fd, CLONE_NEWNET) != 0) {
      result = errno_error("join network namespace");
      return;
    }
    result = fn();
  });
  worker.join();
  return result;
}

}  // namespace berth::net
