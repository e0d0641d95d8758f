#include "base/file_util.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

#include "base/unique_fd.h"

namespace berth {

namespace {

Result<std::string> read_fd(int fd, const std::string& what) {
  std::string out;
  char buf[16384];
  while (true) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno_error("read " + what);
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

Status write_all(int fd, std::string_view data, const std::string& what) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno_error("write " + what);
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return {};
}

}  // namespace

Result<std::string> read_file(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return errno_error("open " + path);
  return read_fd(fd.get(), path);
}

Result<std::string> read_file_at(int dir_fd, const std::string& name) {
  UniqueFd fd(::openat(dir_fd, name.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (!fd) return errno_error("open " + name);
  return read_fd(fd.get(), name);
}

Status write_file(const std::string& path, std::string_view data, mode_t mode) {
  UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode));
  if (!fd) return errno_error("open " + path);
  return write_all(fd.get(), data, path);
}

Status write_file_atomic(const std::string& path, std::string_view data, mode_t mode) {
  std::string tmp = path + ".tmp." + std::to_string(::getpid());
  {
    UniqueFd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode));
    if (!fd) return errno_error("open " + tmp);
    auto st = write_all(fd.get(), data, tmp);
    if (st.ok() && ::fsync(fd.get()) != 0) st = errno_error("fsync " + tmp);
    if (!st.ok()) {
      ::unlink(tmp.c_str());
      return st;
    }
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    return errno_error(err, "rename " + tmp);
  }
  UniqueFd dir(::open(dirname(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir) ::fsync(dir.get());
  return {};
}

Status make_dirs(const std::string& path, mode_t mode) {
  if (path.empty()) return {};
  std::string current;
  size_t pos = 0;
  while (pos != std::string::npos) {
    pos = path.find('/', pos + 1);
    current = path.substr(0, pos);
    if (current.empty()) continue;
    if (::mkdir(current.c_str(), mode) != 0 && errno != EEXIST)
      return errno_error("mkdir " + current);
  }
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return errno_error("stat " + path);
  if (!S_ISDIR(st.st_mode)) return Error(ErrorCode::kInvalidArgument, path + " is not a directory");
  return {};
}

namespace {
Status remove_all_at(int parent_fd, const char* name, dev_t dev) {
  struct stat st {};
  if (::fstatat(parent_fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
    if (errno == ENOENT) return {};
    return errno_error(std::string("stat ") + name);
  }
  if (S_ISDIR(st.st_mode)) {
    if (st.st_dev != dev) return Error(ErrorCode::kFailedPrecondition, std::string(name) + " is a mount point");
    UniqueFd fd(::openat(parent_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!fd) return errno_error(std::string("open ") + name);
    DIR* dir = ::fdopendir(::dup(fd.get()));
    if (!dir) return errno_error(std::string("opendir ") + name);
    std::vector<std::string> children;
    while (auto* ent = ::readdir(dir)) {
      std::string_view child = ent->d_name;
      if (child == "." || child == "..") continue;
      children.emplace_back(child);
    }
    ::closedir(dir);
    for (const auto& child : children) {
      auto st2 = remove_all_at(fd.get(), child.c_str(), dev);
      if (!st2.ok()) return st2;
    }
    if (::unlinkat(parent_fd, name, AT_REMOVEDIR) != 0 && errno != ENOENT)
      return errno_error(std::string("rmdir ") + name);
    return {};
  }
  if (::unlinkat(parent_fd, name, 0) != 0 && errno != ENOENT)
    return errno_error(std::string("unlink ") + name);
  return {};
}
}  // namespace

Status remove_all(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return {};
    return errno_error("stat " + path);
  }
  std::string parent = dirname(path);
  UniqueFd parent_fd(::open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!parent_fd) return errno_error("open " + parent);
  std::string name = basename(path);
  auto status = remove_all_at(parent_fd.get(), name.c_str(), st.st_dev);
  if (!status.ok()) status.error().with_context("remove " + path);
  return status;
}

bool path_exists(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0;
}

std::string path_join(std::string_view a, std::string_view b) {
  if (a.empty()) return std::string(b);
  if (b.empty()) return std::string(a);
  std::string out(a);
  if (out.back() != '/') out.push_back('/');
  while (!b.empty() && b.front() == '/') b.remove_prefix(1);
  out.append(b);
  return out;
}

std::string dirname(std::string_view path) {
  std::string cleaned = clean_path(path);
  size_t pos = cleaned.rfind('/');
  if (pos == std::string::npos) return ".";
  if (pos == 0) return "/";
  return cleaned.substr(0, pos);
}

std::string basename(std::string_view path) {
  std::string cleaned = clean_path(path);
  size_t pos = cleaned.rfind('/');
  if (pos == std::string::npos) return cleaned;
  if (cleaned == "/") return "/";
  return cleaned.substr(pos + 1);
}

std::string clean_path(std::string_view path) {
  if (path.empty()) return ".";
  bool rooted = path.front() == '/';
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    std::string_view part = path.substr(start, end - start);
    start = end + 1;
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (!parts.empty() && parts.back() != "..") {
        parts.pop_back();
      } else if (!rooted) {
        parts.push_back(part);
      }
      continue;
    }
    parts.push_back(part);
  }
  std::string out = rooted ? "/" : "";
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out.push_back('/');
    out.append(parts[i]);
  }
  if (out.empty()) return ".";
  return out;
}

}  // namespace berth
