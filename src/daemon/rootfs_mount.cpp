#include "daemon/rootfs_mount.h"

#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

#include "base/file_util.h"

namespace berth::daemon {

Status mount_snapshot(const store::MountSpec& spec, const std::string& target) {
  TRY(make_dirs(target, 0755));
  std::string data = spec.data();
  unsigned long flags = spec.type == "bind" ? MS_BIND : 0;
  const char* source = spec.source.c_str();
  const char* fstype = spec.type == "bind" ? nullptr : spec.type.c_str();
  if (spec.working_dir.empty()) {
    if (::mount(source, target.c_str(), fstype, flags, data.empty() ? nullptr : data.c_str()) != 0)
      return errno_error("mount rootfs at " + target);
    return {};
  }
  std::string dir = spec.working_dir;
  pid_t pid = ::fork();
  if (pid < 0) return errno_error("fork");
  if (pid == 0) {
    if (::chdir(dir.c_str()) != 0) ::_exit(100 + errno % 100);
    if (::mount(source, target.c_str(), fstype, flags, data.c_str()) != 0) ::_exit(errno % 100);
    ::_exit(0);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return {};
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : EIO;
  return errno_error(code >= 100 ? code - 100 : code, "mount rootfs at " + target);
}

Status unmount_rootfs(const std::string& target) {
  if (::umount2(target.c_str(), MNT_DETACH) != 0 && errno != EINVAL && errno != ENOENT)
    return errno_error("unmount " + target);
  return {};
}

}  // namespace berth::daemon
