#include "runtime/self_exec.h"

#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <string>

#include "base/log.h"
#include "base/unique_fd.h"
#include "sys/syscalls.h"

extern char** environ;

namespace berth::runtime {
namespace {

constexpr int kRequiredSeals = F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE;
constexpr unsigned kMfdExec = 0x0010U;  // MFD_EXEC (Linux 6.3): executable despite vm.memfd_noexec
constexpr int kSealExec = 0x0020;       // F_SEAL_EXEC (Linux 6.3): no chmod
constexpr const char* kGuardVariable = "_BERTH_SEALED_REEXEC";
// overlayfs needs two lower layers to be read-only without an upper one; the second is an
// empty directory of our own (a detached tmpfs cannot serve: overlayfs wants a path).
constexpr const char* kEmptyLayer = "/run/berth-runtime-empty";
constexpr uint64_t kMountAttrRdonly = 0x1, kMountAttrNosuid = 0x2, kMountAttrNodev = 0x4;

bool is_sealed_memfd(int fd) {
  int seals = ::fcntl(fd, F_GET_SEALS);
  return seals >= 0 && (seals & kRequiredSeals) == kRequiredSeals;
}

bool is_readonly_overlay(int fd) {
  struct statfs fs {};
  struct statvfs vfs {};
  return ::fstatfs(fd, &fs) == 0 && fs.f_type == OVERLAYFS_SUPER_MAGIC &&
         ::fstatvfs(fd, &vfs) == 0 && (vfs.f_flag & ST_RDONLY);
}

// "dir:with:colons" must be escaped in a lowerdir list.
std::string escape_layer(const std::string& path) {
  std::string out;
  for (char c : path) {
    if (c == ':' || c == '\\' || c == ',') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

Status ensure_empty_layer() {
  if (::mkdir(kEmptyLayer, 0555) != 0 && errno != EEXIST)
    return errno_error(std::string("mkdir ") + kEmptyLayer);
  struct stat st {};
  if (::lstat(kEmptyLayer, &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != 0 ||
      (st.st_mode & 0022) != 0)
    return Error(ErrorCode::kFailedPrecondition,
                 std::string(kEmptyLayer) + " is not a root-owned, read-only directory");
  return {};
}

// An O_PATH fd of the running binary through a read-only overlayfs attached nowhere.
Result<UniqueFd> open_through_detached_overlay() {
  char exe[PATH_MAX];
  ssize_t n = ::readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n <= 0) return errno_error("readlink /proc/self/exe");
  std::string path(exe, static_cast<size_t>(n));
  size_t slash = path.rfind('/');
  if (path[0] != '/' || slash == std::string::npos || path.ends_with(" (deleted)"))
    return Error(ErrorCode::kFailedPrecondition, "binary path unusable: " + path);
  std::string dir = slash == 0 ? "/" : path.substr(0, slash);
  std::string name = path.substr(slash + 1);
  TRY(ensure_empty_layer());

  UniqueFd context(sys::raw_fsopen("overlay", sys::kFsopenCloexec));
  if (!context) return errno_error("fsopen overlay");
  std::string layers = escape_layer(dir) + ":" + kEmptyLayer;
  if (sys::raw_fsconfig(context.get(), sys::kFsconfigSetString, "lowerdir", layers.c_str(), 0) != 0)
    return errno_error("overlay lowerdir " + layers);
  // Inode-number mapping is irrelevant here; off avoids warnings across filesystems.
  (void)sys::raw_fsconfig(context.get(), sys::kFsconfigSetString, "xino", "off", 0);
  if (sys::raw_fsconfig(context.get(), sys::kFsconfigCmdCreate, nullptr, nullptr, 0) != 0)
    return errno_error("create overlay");
  UniqueFd mount(sys::raw_fsmount(context.get(), sys::kFsmountCloexec,
                                  kMountAttrRdonly | kMountAttrNosuid | kMountAttrNodev));
  if (!mount) return errno_error("fsmount overlay");
  UniqueFd file(::openat(mount.get(), name.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC));
  if (!file) return errno_error("open " + name + " through the overlay");
  // The same file? overlayfs remaps inode numbers, but the size must match.
  struct stat through {
  }, direct{};
  if (::fstat(file.get(), &through) != 0 || ::stat("/proc/self/exe", &direct) != 0 ||
      through.st_size != direct.st_size || !S_ISREG(through.st_mode))
    return Error(ErrorCode::kFailedPrecondition, "overlay shows a different binary");
  return file;
}

Result<UniqueFd> sealed_memfd_copy() {
  UniqueFd exe(::open("/proc/self/exe", O_RDONLY | O_CLOEXEC));
  if (!exe) return errno_error("open /proc/self/exe");
  struct stat st {};
  if (::fstat(exe.get(), &st) != 0) return errno_error("stat /proc/self/exe");

  int fd = sys::raw_memfd_create("berth-runtime", MFD_CLOEXEC | MFD_ALLOW_SEALING | kMfdExec);
  if (fd < 0 && errno == EINVAL)
    fd = sys::raw_memfd_create("berth-runtime", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (fd < 0) return errno_error("memfd_create");
  UniqueFd memfd(fd);
  off_t remaining = st.st_size;
  while (remaining > 0) {
    ssize_t n = ::sendfile(memfd.get(), exe.get(), nullptr, static_cast<size_t>(remaining));
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno_error("copy runtime binary into memfd");
    }
    if (n == 0) break;
    remaining -= n;
  }
  if (::fcntl(memfd.get(), F_ADD_SEALS, kRequiredSeals | kSealExec) != 0 &&
      ::fcntl(memfd.get(), F_ADD_SEALS, kRequiredSeals) != 0)
    return errno_error("seal memfd");
  return memfd;
}

}  // namespace

bool running_sealed() {
  UniqueFd exe(::open("/proc/self/exe", O_RDONLY | O_CLOEXEC));
  if (!exe) return false;
  return is_sealed_memfd(exe.get()) || is_readonly_overlay(exe.get());
}

Status reexec_sealed(char** argv) {
  if (running_sealed()) {
    ::unsetenv(kGuardVariable);
    return {};
  }
  if (::getenv(kGuardVariable) != nullptr) {
    // We re-executed once already and still are not sealed: do not loop.
    ::unsetenv(kGuardVariable);
    return Error(ErrorCode::kInternal, "re-exec from a sealed copy did not take effect");
  }
  auto copy = open_through_detached_overlay();
  if (!copy.ok()) {
    log::debug("sealed re-exec: no overlay ({}); copying into a memfd", copy.error().to_string());
    copy = sealed_memfd_copy();
    if (!copy.ok()) return std::move(copy).error();
  }
  ::setenv(kGuardVariable, "1", 1);
  ::fexecve(copy->get(), argv, environ);
  int err = errno;
  ::unsetenv(kGuardVariable);
  return errno_error(err, "exec sealed copy");
}

}  // namespace berth::runtime
