#include "store/fs/dir_ops.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/random.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <set>
#include <utility>

namespace berth::store::fs {

Result<UniqueFd> open_dir_at(int dir_fd, const std::string& name) {
  UniqueFd fd(::openat(dir_fd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd) return errno_error("open " + name);
  return fd;
}

Result<UniqueFd> open_dir(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd) return errno_error("open " + path);
  return fd;
}

Result<std::vector<std::string>> list_dir(int dir_fd) {
  // fdopendir takes ownership and shares the offset, so give it its own open file description.
  int dup_fd = ::openat(dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dup_fd < 0) return errno_error("open directory");
  DIR* dir = ::fdopendir(dup_fd);
  if (dir == nullptr) {
    int err = errno;
    ::close(dup_fd);
    return errno_error(err, "opendir");
  }
  std::vector<std::string> names;
  errno = 0;
  while (auto* ent = ::readdir(dir)) {
    std::string_view name = ent->d_name;
    if (name != "." && name != "..") names.emplace_back(name);
    errno = 0;
  }
  int err = errno;
  ::closedir(dir);
  if (err != 0) return errno_error(err, "readdir");
  std::sort(names.begin(), names.end());
  return names;
}

Result<struct stat> lstat_at(int dir_fd, const std::string& name) {
  struct stat st {};
  if (::fstatat(dir_fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    return errno_error("stat " + name);
  }
  return st;
}

namespace {

Status remove_children_dev(int dir_fd, dev_t dev);

Status remove_tree_dev(int dir_fd, const std::string& name, dev_t dev) {
  struct stat st {};
  if (::fstatat(dir_fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    if (errno == ENOENT) return {};
    return errno_error("stat " + name);
  }
  if (S_ISDIR(st.st_mode)) {
    if (st.st_dev != dev) {
      return make_error(ErrorCode::kFailedPrecondition, "{} is a mount point", name);
    }
    auto child = TRY(open_dir_at(dir_fd, name));
    auto removed = remove_children_dev(child.get(), dev);
    if (!removed.ok() && removed.error().sys_errno() == EACCES) {
      // A read-only directory (mode 0555 from an image) stops an unprivileged owner from
      // unlinking inside it; the owner may make it writable first.
      if (::fchmod(child.get(), 0700) == 0) removed = remove_children_dev(child.get(), dev);
    }
    TRY_CTX(std::move(removed), name);
    if (::unlinkat(dir_fd, name.c_str(), AT_REMOVEDIR) != 0 && errno != ENOENT) {
      return errno_error("rmdir " + name);
    }
    return {};
  }
  if (::unlinkat(dir_fd, name.c_str(), 0) != 0 && errno != ENOENT) {
    return errno_error("unlink " + name);
  }
  return {};
}

Status remove_children_dev(int dir_fd, dev_t dev) {
  auto names = TRY(list_dir(dir_fd));
  for (const auto& name : names) TRY(remove_tree_dev(dir_fd, name, dev));
  return {};
}

}  // namespace

Status remove_tree_at(int dir_fd, const std::string& name) {
  struct stat st {};
  if (::fstat(dir_fd, &st) != 0) return errno_error("stat directory");
  return remove_tree_dev(dir_fd, name, st.st_dev);
}

Status remove_children(int dir_fd) {
  struct stat st {};
  if (::fstat(dir_fd, &st) != 0) return errno_error("stat directory");
  return remove_children_dev(dir_fd, st.st_dev);
}

Status fsync_fd(int fd, const std::string& what) {
  if (::fsync(fd) != 0) return errno_error("fsync " + what);
  return {};
}

Status fsync_dir(const std::string& path) {
  auto fd = TRY(open_dir(path));
  return fsync_fd(fd.get(), path);
}

namespace {

Status tree_size_into(int dir_fd, std::set<std::pair<dev_t, ino_t>>& seen, uint64_t& total) {
  auto names = TRY(list_dir(dir_fd));
  for (const auto& name : names) {
    auto st = TRY(lstat_at(dir_fd, name));
    if (S_ISDIR(st.st_mode)) {
      auto child = TRY(open_dir_at(dir_fd, name));
      TRY(tree_size_into(child.get(), seen, total));
    } else if (S_ISREG(st.st_mode) || S_ISLNK(st.st_mode)) {
      if (st.st_nlink > 1 && !seen.insert({st.st_dev, st.st_ino}).second) continue;
      total += static_cast<uint64_t>(st.st_size);
    }
  }
  return {};
}

}  // namespace

Result<uint64_t> tree_size(int dir_fd) {
  std::set<std::pair<dev_t, ino_t>> seen;
  uint64_t total = 0;
  TRY(tree_size_into(dir_fd, seen, total));
  return total;
}

std::string random_id(size_t len) {
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::string out;
  unsigned char buf[64];
  while (out.size() < len) {
    ssize_t n = ::getrandom(buf, sizeof buf, 0);
    if (n <= 0) continue;  // EINTR; getrandom does not fail otherwise once the pool is ready
    for (ssize_t i = 0; i < n && out.size() < len; ++i) {
      // 252 = 7 * 36: rejecting the top values keeps the alphabet uniform.
      if (buf[i] < 252) out.push_back(kAlphabet[buf[i] % 36]);
    }
  }
  return out;
}

}  // namespace berth::store::fs
