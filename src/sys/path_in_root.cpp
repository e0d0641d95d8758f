#include "sys/path_in_root.h"

#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "sys/syscalls.h"

namespace berth::sys {

int open_in_root(int root_fd, const char* path, int flags) noexcept {
  struct open_how how {};
  how.flags = static_cast<uint64_t>(flags | O_CLOEXEC);
  how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
  while (*path == '/') ++path;
  if (*path == '\0') path = ".";
  int fd = raw_openat2(root_fd, path, &how);
  return fd < 0 ? -errno : fd;
}

namespace {

constexpr int kRestart = -1000000;   // not an fd, not an -errno
constexpr int kMaxSymlinkHops = 40;  // the kernel's limit on symlinks in one lookup

// `buf` holds the path being created. When a component is a dangling symlink, the path is
// rewritten to go through the link's target (still resolved inside the root) and kRestart is
// returned; otherwise the final O_PATH fd or -errno.
int walk_and_create(int root_fd, char* buf, bool last_is_file, mode_t dir_mode) noexcept {
  size_t len = std::strlen(buf);
  int parent = ::fcntl(root_fd, F_DUPFD_CLOEXEC, 0);
  if (parent < 0) return -errno;
  size_t pos = 0;
  while (pos < len) {
    while (pos < len && buf[pos] == '/') ++pos;
    if (pos >= len) break;
    size_t end = pos;
    while (end < len && buf[end] != '/') ++end;
    bool last = true;
    for (size_t i = end; i < len; ++i) {
      if (buf[i] != '/') {
        last = false;
        break;
      }
    }
    char saved = buf[end];
    buf[end] = '\0';
    int next = open_in_root(root_fd, buf, O_PATH);
    if (next == -ENOENT) {
      const char* name = buf + pos;
      int rc;
      if (last && last_is_file) {
        rc = ::openat(parent, name, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (rc >= 0) ::close(rc);
      } else {
        rc = ::mkdirat(parent, name, dir_mode);
      }
      if (rc < 0 && errno == EEXIST) {
        // Exists but does not resolve: a dangling symlink. Create its target instead.
        char target[PATH_MAX];
        ssize_t n = ::readlinkat(parent, name, target, sizeof target - 1);
        if (n > 0) {
          target[n] = '\0';
          char rewritten[PATH_MAX];
          size_t out = 0;
          auto append = [&](const char* s, size_t count) {
            if (out + count >= sizeof rewritten) return false;
            std::memcpy(rewritten + out, s, count);
            out += count;
            return true;
          };
          bool ok = true;
          // A relative target is relative to the directory holding the link.
          if (target[0] != '/') ok = append(buf, pos);
          ok = ok && append(target, static_cast<size_t>(n));
          buf[end] = saved;
          if (ok && end < len) ok = append("/", 1) && append(buf + end, len - end);
          ::close(parent);
          if (!ok) return -ENAMETOOLONG;
          rewritten[out] = '\0';
          std::memcpy(buf, rewritten, out + 1);
          return kRestart;
        }
      }
      if (rc < 0 && errno != EEXIST) {
        int err = errno;
        ::close(parent);
        return -err;
      }
      next = open_in_root(root_fd, buf, O_PATH);
    }
    buf[end] = saved;
    ::close(parent);
    if (next < 0) return next;
    parent = next;
    pos = end;
  }
  return parent;
}

}  // namespace

int ensure_in_root(int root_fd, const char* path, bool last_is_file, mode_t dir_mode) noexcept {
  int fd = open_in_root(root_fd, path, O_PATH);
  if (fd >= 0 || fd != -ENOENT) return fd;

  // Walk the components: open each prefix from the root (so symlinks resolve inside it) and
  // create the next component relative to the fd of the prefix that exists.
  char buf[PATH_MAX];
  size_t len = std::strlen(path);
  if (len >= sizeof buf) return -ENAMETOOLONG;
  std::memcpy(buf, path, len + 1);
  for (int hop = 0; hop < kMaxSymlinkHops; ++hop) {
    int rc = walk_and_create(root_fd, buf, last_is_file, dir_mode);
    if (rc != kRestart) return rc;
  }
  return -ELOOP;
}

}  // namespace berth::sys
