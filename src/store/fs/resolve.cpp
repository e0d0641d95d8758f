#include "store/fs/resolve.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

#include "base/strings.h"

namespace berth::store::fs {

Result<UniqueFd> openat2_fd(int dir_fd, const std::string& path, int flags, uint64_t resolve) {
  struct open_how how {};
  how.flags = static_cast<uint64_t>(flags | O_CLOEXEC);
  how.resolve = resolve;
  while (true) {
    long fd = ::syscall(SYS_openat2, dir_fd, path.c_str(), &how, sizeof how);
    if (fd >= 0) return UniqueFd(static_cast<int>(fd));
    // EAGAIN: a concurrent rename raced the lookup (RESOLVE_IN_ROOT retries are safe).
    if (errno != EINTR && errno != EAGAIN) return errno_error("open " + path);
  }
}

Result<std::string> sanitize_relative_path(std::string_view name) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (start <= name.size()) {
    size_t end = name.find('/', start);
    if (end == std::string_view::npos) end = name.size();
    std::string_view part = name.substr(start, end - start);
    start = end + 1;
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (parts.empty()) {
        return make_error(ErrorCode::kPermissionDenied, "path \"{}\" escapes the root", name);
      }
      parts.pop_back();
      continue;
    }
    parts.push_back(part);
  }
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out.push_back('/');
    out.append(parts[i]);
  }
  return out;
}

std::pair<std::string, std::string> split_parent(const std::string& rel) {
  size_t slash = rel.rfind('/');
  if (slash == std::string::npos) return {"", rel};
  return {rel.substr(0, slash), rel.substr(slash + 1)};
}

namespace {

constexpr int kDirFlags = O_RDONLY | O_DIRECTORY | O_CLOEXEC;

Result<UniqueFd> dup_root(int root_fd) {
  UniqueFd fd(::openat(root_fd, ".", kDirFlags));
  if (!fd) return errno_error("open root");
  return fd;
}

Error symlink_refused(const std::string& rel) {
  return make_error(ErrorCode::kPermissionDenied, "path \"{}\" crosses a symlink", rel);
}

// One step of the no-symlinks walk: open (or create) `name` in `cur`.
Result<UniqueFd> step_no_symlinks(int cur, const std::string& name, const std::string& so_far,
                                  bool create, std::vector<std::string>* created) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    UniqueFd fd(::openat(cur, name.c_str(), kDirFlags | O_NOFOLLOW));
    if (fd) return fd;
    int err = errno;
    if (err == ENOENT && create) {
      if (::mkdirat(cur, name.c_str(), 0755) == 0) {
        if (created != nullptr) created->push_back(so_far);
      } else if (errno != EEXIST) {
        return errno_error("mkdir " + so_far);
      }
      continue;
    }
    if (err == ELOOP || err == ENOTDIR) {
      struct stat st {};
      if (::fstatat(cur, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode)) {
        return symlink_refused(so_far);
      }
      return make_error(ErrorCode::kFailedPrecondition, "\"{}\" is not a directory", so_far);
    }
    return errno_error(err, "open " + so_far);
  }
  return errno_error(ENOENT, "open " + so_far);
}

constexpr uint64_t kInRootFlags = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;

}  // namespace

Result<UniqueFd> open_dir_beneath(int root_fd, const std::string& rel, Resolve mode, bool create,
                                  std::vector<std::string>* created) {
  if (rel.empty()) return dup_root(root_fd);
  auto parts = split(rel, '/');
  if (mode == Resolve::kNoSymlinks) {
    UniqueFd cur = TRY(dup_root(root_fd));
    std::string so_far;
    for (const auto& part : parts) {
      so_far = so_far.empty() ? part : so_far + "/" + part;
      cur = TRY(step_no_symlinks(cur.get(), part, so_far, create, created));
    }
    return cur;
  }
  // kInRoot: the whole path in one confined lookup; on ENOENT, find the deepest existing prefix
  // and create the rest one component at a time (each creation is relative to a confined fd).
  auto whole = openat2_fd(root_fd, rel, kDirFlags, kInRootFlags);
  if (whole.ok() || whole.error().sys_errno() != ENOENT || !create) return whole;
  UniqueFd cur = TRY(dup_root(root_fd));
  std::string so_far;
  for (const auto& part : parts) {
    so_far = so_far.empty() ? part : so_far + "/" + part;
    auto next = openat2_fd(root_fd, so_far, kDirFlags, kInRootFlags);
    if (!next.ok() && next.error().sys_errno() == ENOENT) {
      if (::mkdirat(cur.get(), part.c_str(), 0755) == 0) {
        if (created != nullptr) created->push_back(so_far);
      } else if (errno != EEXIST) {
        return errno_error("mkdir " + so_far);
      }
      next = openat2_fd(root_fd, so_far, kDirFlags, kInRootFlags);
    }
    if (!next.ok()) return std::move(next).error();
    cur = next.take();
  }
  return cur;
}

Result<UniqueFd> open_beneath(int root_fd, const std::string& rel, Resolve mode, int flags) {
  if (mode == Resolve::kInRoot) {
    return openat2_fd(root_fd, rel.empty() ? "." : rel, flags, kInRootFlags);
  }
  if (rel.empty()) {
    UniqueFd fd(::openat(root_fd, ".", flags | O_CLOEXEC));
    if (!fd) return errno_error("open root");
    return fd;
  }
  auto [parent, base] = split_parent(rel);
  auto dir = TRY(open_dir_beneath(root_fd, parent, mode, false));
  UniqueFd fd(::openat(dir.get(), base.c_str(), flags | O_NOFOLLOW | O_CLOEXEC));
  if (!fd) return errno_error("open " + rel);
  return fd;
}

}  // namespace berth::store::fs
