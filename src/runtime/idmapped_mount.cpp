#include "runtime/idmapped_mount.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

#include "base/file_util.h"
#include "base/scope_exit.h"
#include "sys/syscalls.h"

namespace berth::runtime {
namespace {

constexpr unsigned kOpenTreeCloexec = O_CLOEXEC;
constexpr unsigned kAtEmptyPath = 0x1000;

std::string format_id_map(const std::vector<oci::IdMapping>& mappings) {
  std::string out;
  for (const auto& m : mappings)
    out += fmt::format("{} {} {}\n", m.container_id, m.host_id, m.size);
  return out;
}

}  // namespace

Result<UniqueFd> make_user_namespace(const std::vector<oci::IdMapping>& uid_mappings,
                                     const std::vector<oci::IdMapping>& gid_mappings) {
  // The helper only has to exist while its maps are written and its namespace opened; it waits
  // for the pipe to close, then exits.
  int pipefd[2];
  if (::pipe2(pipefd, O_CLOEXEC) != 0) return errno_error("pipe");
  UniqueFd read_end(pipefd[0]);
  UniqueFd write_end(pipefd[1]);
  long pid = ::syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, nullptr, nullptr, 0);
  if (pid < 0) return errno_error("clone a user namespace for an idmapped mount");
  if (pid == 0) {
    char byte;
    ::close(pipefd[1]);
    while (::read(pipefd[0], &byte, 1) < 0 && errno == EINTR) {
    }
    ::_exit(0);
  }
  read_end.reset();
  auto reap = ScopeExit([&] {
    write_end.reset();
    ::waitpid(static_cast<pid_t>(pid), nullptr, 0);
  });
  std::string proc = "/proc/" + std::to_string(pid);
  TRY_CTX(write_file(proc + "/uid_map", format_id_map(uid_mappings)), "write idmap uid_map");
  TRY_CTX(write_file(proc + "/gid_map", format_id_map(gid_mappings)), "write idmap gid_map");
  UniqueFd ns(::open((proc + "/ns/user").c_str(), O_RDONLY | O_CLOEXEC));
  if (!ns) return errno_error("open " + proc + "/ns/user");
  return ns;
}

Result<UniqueFd> open_idmapped_tree(const std::string& source, bool recursive_clone,
                                    bool recursive_idmap, int userns_fd) {
  unsigned flags =
      sys::kOpenTreeClone | kOpenTreeCloexec | (recursive_clone ? sys::kAtRecursive : 0);
  UniqueFd tree(sys::raw_open_tree(AT_FDCWD, source.c_str(), flags));
  if (!tree) return errno_error("open_tree " + source);
  sys::MountAttr attr{};
  attr.attr_set = sys::kMountAttrIdmap;
  attr.userns_fd = static_cast<uint64_t>(userns_fd);
  unsigned at = kAtEmptyPath | (recursive_idmap ? sys::kAtRecursive : 0);
  if (sys::raw_mount_setattr(tree.get(), "", at, &attr) != 0) {
    return errno_error(
        fmt::format("idmap the mount of {} (the filesystem must support "
                    "idmapped mounts)",
                    source));
  }
  return tree;
}

}  // namespace berth::runtime
