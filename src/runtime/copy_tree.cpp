#include "runtime/copy_tree.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace berth::runtime {
namespace {

struct LinuxDirent64 {
  ino64_t d_ino;
  off64_t d_off;
  unsigned short d_reclen;
  unsigned char d_type;
  char d_name[];
};

int copy_file(int src_dir, int dst_dir, const char* name, const struct stat& st) noexcept {
  int in = ::openat(src_dir, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (in < 0) return -errno;
  int out = ::openat(dst_dir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                     st.st_mode & 07777);
  if (out < 0) {
    int err = errno;
    ::close(in);
    return -err;
  }
  int rc = 0;
  off_t remaining = st.st_size;
  while (remaining > 0) {
    ssize_t n = ::sendfile(out, in, nullptr, static_cast<size_t>(remaining));
    if (n < 0) {
      if (errno == EINTR) continue;
      rc = -errno;
      break;
    }
    if (n == 0) break;
    remaining -= n;
  }
  if (rc == 0 && ::fchown(out, st.st_uid, st.st_gid) != 0) rc = -errno;
  if (rc == 0 && ::fchmod(out, st.st_mode & 07777) != 0) rc = -errno;
  ::close(in);
  ::close(out);
  return rc;
}

}  // namespace

int copy_tree_raw(int src_dir_fd, int dst_dir_fd, int max_depth) noexcept {
  if (max_depth <= 0) return -ELOOP;
  // getdents64 on a duplicate so the caller's offset is untouched.
  int dir = ::openat(src_dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0) return -errno;
  alignas(8) char buf[4096];
  int rc = 0;
  while (rc == 0) {
    long n = ::syscall(SYS_getdents64, dir, buf, sizeof buf);
    if (n < 0) {
      rc = -errno;
      break;
    }
    if (n == 0) break;
    for (long off = 0; off < n && rc == 0;) {
      auto* ent = reinterpret_cast<LinuxDirent64*>(buf + off);
      off += ent->d_reclen;
      const char* name = ent->d_name;
      if (std::strcmp(name, ".") == 0 || std::strcmp(name, "..") == 0) continue;
      struct stat st {};
      if (::fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
        rc = -errno;
        break;
      }
      if (S_ISDIR(st.st_mode)) {
        if (::mkdirat(dst_dir_fd, name, st.st_mode & 07777) != 0 && errno != EEXIST) {
          rc = -errno;
          break;
        }
        int sub_src = ::openat(dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        int sub_dst = ::openat(dst_dir_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (sub_src < 0 || sub_dst < 0) {
          rc = -errno;
        } else {
          rc = copy_tree_raw(sub_src, sub_dst, max_depth - 1);
          if (rc == 0 && ::fchown(sub_dst, st.st_uid, st.st_gid) != 0) rc = -errno;
          if (rc == 0 && ::fchmod(sub_dst, st.st_mode & 07777) != 0) rc = -errno;
        }
        if (sub_src >= 0) ::close(sub_src);
        if (sub_dst >= 0) ::close(sub_dst);
      } else if (S_ISREG(st.st_mode)) {
        rc = copy_file(dir, dst_dir_fd, name, st);
      } else if (S_ISLNK(st.st_mode)) {
        char target[PATH_MAX];
        ssize_t len = ::readlinkat(dir, name, target, sizeof target - 1);
        if (len < 0) {
          rc = -errno;
          break;
        }
        target[len] = '\0';
        if (::symlinkat(target, dst_dir_fd, name) != 0) rc = -errno;
        if (rc == 0 && ::fchownat(dst_dir_fd, name, st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW) != 0)
          rc = -errno;
      } else {
        if (::mknodat(dst_dir_fd, name, st.st_mode, st.st_rdev) != 0) rc = -errno;
        if (rc == 0 && ::fchownat(dst_dir_fd, name, st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW) != 0)
          rc = -errno;
      }
    }
  }
  ::close(dir);
  return rc;
}

}  // namespace berth::runtime
