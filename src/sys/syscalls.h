// Raw system calls that glibc 2.36 lacks or wraps awkwardly, declared once.
// All of these are async-signal-safe and allocate nothing: they may run between clone and exec.
#pragma once

#include <linux/openat2.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

#include <cstdint>

namespace berth::sys {

inline int raw_pidfd_open(pid_t pid, unsigned flags = 0) noexcept {
  return static_cast<int>(::syscall(SYS_pidfd_open, pid, flags));
}
inline int raw_pidfd_send_signal(int pidfd, int sig) noexcept {
  return static_cast<int>(::syscall(SYS_pidfd_send_signal, pidfd, sig, nullptr, 0));
}
inline int raw_openat2(int dirfd, const char* path, const struct open_how* how) noexcept {
  return static_cast<int>(::syscall(SYS_openat2, dirfd, path, how, sizeof(*how)));
}
inline int raw_pivot_root(const char* new_root, const char* put_old) noexcept {
  return static_cast<int>(::syscall(SYS_pivot_root, new_root, put_old));
}
inline int raw_close_range(unsigned first, unsigned last, unsigned flags) noexcept {
  return static_cast<int>(::syscall(SYS_close_range, first, last, flags));
}
inline int raw_memfd_create(const char* name, unsigned flags) noexcept {
  return static_cast<int>(::syscall(SYS_memfd_create, name, flags));
}
inline int raw_setns(int fd, int nstype) noexcept {
  return static_cast<int>(::syscall(SYS_setns, fd, nstype));
}

// mount_setattr(2) (Linux 5.12) for recursive read-only and friends.
struct MountAttr {
  uint64_t attr_set;
  uint64_t attr_clr;
  uint64_t propagation;
  uint64_t userns_fd;
};
inline int raw_mount_setattr(int dirfd, const char* path, unsigned flags,
                             MountAttr* attr) noexcept {
  return static_cast<int>(::syscall(SYS_mount_setattr, dirfd, path, flags, attr, sizeof(*attr)));
}
inline int raw_open_tree(int dirfd, const char* path, unsigned flags) noexcept {
  return static_cast<int>(::syscall(SYS_open_tree, dirfd, path, flags));
}
inline int raw_move_mount(int from_dirfd, const char* from_path, int to_dirfd, const char* to_path,
                          unsigned flags) noexcept {
  return static_cast<int>(
      ::syscall(SYS_move_mount, from_dirfd, from_path, to_dirfd, to_path, flags));
}

// The new mount API (Linux 5.2): a filesystem context, configured, then a detached mount.
inline int raw_fsopen(const char* fstype, unsigned flags) noexcept {
  return static_cast<int>(::syscall(SYS_fsopen, fstype, flags));
}
inline int raw_fsconfig(int fs_fd, unsigned cmd, const char* key, const void* value,
                        int aux) noexcept {
  return static_cast<int>(::syscall(SYS_fsconfig, fs_fd, cmd, key, value, aux));
}
inline int raw_fsmount(int fs_fd, unsigned flags, unsigned attr_flags) noexcept {
  return static_cast<int>(::syscall(SYS_fsmount, fs_fd, flags, attr_flags));
}
inline constexpr unsigned kFsopenCloexec = 0x00000001;
inline constexpr unsigned kFsconfigSetString = 1;
inline constexpr unsigned kFsconfigCmdCreate = 6;
inline constexpr unsigned kFsmountCloexec = 0x00000001;

// Constants from <linux/mount.h>, which clashes with glibc's <sys/mount.h>.
inline constexpr unsigned kAtRecursive = 0x8000;
inline constexpr uint64_t kMountAttrRdonly = 0x00000001;
inline constexpr uint64_t kMountAttrNosuid = 0x00000002;
inline constexpr uint64_t kMountAttrNodev = 0x00000004;
inline constexpr uint64_t kMountAttrNoexec = 0x00000008;
inline constexpr uint64_t kMountAttrAtimeMask = 0x00000070;
inline constexpr uint64_t kMountAttrRelatime = 0x00000000;
inline constexpr uint64_t kMountAttrNoatime = 0x00000010;
inline constexpr uint64_t kMountAttrStrictatime = 0x00000020;
inline constexpr uint64_t kMountAttrNodiratime = 0x00000080;
inline constexpr uint64_t kMountAttrIdmap = 0x00100000;
inline constexpr unsigned kOpenTreeClone = 1;
inline constexpr unsigned kMoveMountFEmptyPath = 0x00000004;
inline constexpr unsigned kMoveMountTEmptyPath = 0x00000040;

// Writes "/proc/self/fd/<fd>" into buf (at least 32 bytes) without allocating; returns buf.
char* fd_proc_path(int fd, char* buf) noexcept;

// Formats a non-negative integer into buf (at least 21 bytes); returns the length.
int format_uint(uint64_t value, char* buf) noexcept;

// Writes all of `len` bytes, retrying on EINTR; returns 0 or -errno. Child-safe.
int write_all_raw(int fd, const void* data, size_t len) noexcept;
// Reads exactly `len` bytes; returns 0, -errno, or -EPIPE on early EOF. Child-safe.
int read_exact_raw(int fd, void* data, size_t len) noexcept;

}  // namespace berth::sys
