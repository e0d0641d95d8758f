#include "store/fs/xattr.h"

#include <sys/xattr.h>

#include <cerrno>
#include <string_view>
#include <vector>

namespace berth::store::fs {

namespace {

std::string proc_path(int dir_fd, const std::string& name) {
  return "/proc/self/fd/" + std::to_string(dir_fd) + "/" + name;
}

bool unsupported(int err) {
  return err == ENOTSUP || err == ENODATA;
}

// Calls `get(buf, size)` with a growing buffer until the value fits (it may grow between calls).
template <typename F>
Result<std::optional<std::string>> read_sized(F get, const std::string& what) {
  std::vector<char> buf(256);
  while (true) {
    ssize_t n = get(buf.data(), buf.size());
    if (n >= 0) return std::optional<std::string>(std::string(buf.data(), static_cast<size_t>(n)));
    if (unsupported(errno)) return std::optional<std::string>();
    if (errno != ERANGE) return errno_error(what);
    ssize_t need = get(nullptr, 0);
    if (need < 0) return errno_error(what);
    buf.resize(static_cast<size_t>(need) + 1);
  }
}

template <typename List, typename Get>
Result<Xattrs> list_all(List list, Get get, const std::string& what) {
  auto names = TRY(read_sized(list, "listxattr " + what));
  Xattrs out;
  if (!names) return out;
  std::string_view rest = *names;
  while (!rest.empty()) {
    size_t end = rest.find('\0');
    std::string key(rest.substr(0, end));
    rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
    if (key.empty()) continue;
    auto value = TRY(read_sized([&](char* b, size_t n) { return get(key.c_str(), b, n); },
                                "getxattr " + key + " " + what));
    if (value) out.emplace(key, *value);
  }
  return out;
}

}  // namespace

Result<Xattrs> list_xattrs_fd(int fd) {
  return list_all([fd](char* b, size_t n) { return ::flistxattr(fd, b, n); },
                  [fd](const char* k, char* b, size_t n) { return ::fgetxattr(fd, k, b, n); },
                  "fd");
}

Result<Xattrs> list_xattrs_at(int dir_fd, const std::string& name) {
  std::string path = proc_path(dir_fd, name);
  return list_all(
      [&](char* b, size_t n) { return ::llistxattr(path.c_str(), b, n); },
      [&](const char* k, char* b, size_t n) { return ::lgetxattr(path.c_str(), k, b, n); }, name);
}

Result<std::optional<std::string>> get_xattr_at(int dir_fd, const std::string& name,
                                                const std::string& key) {
  std::string path = proc_path(dir_fd, name);
  return read_sized([&](char* b, size_t n) { return ::lgetxattr(path.c_str(), key.c_str(), b, n); },
                    "getxattr " + key + " " + name);
}

Status set_xattr_fd(int fd, const std::string& key, const std::string& value) {
  if (::fsetxattr(fd, key.c_str(), value.data(), value.size(), 0) != 0) {
    return errno_error("setxattr " + key);
  }
  return {};
}

Status set_xattr_at(int dir_fd, const std::string& name, const std::string& key,
                    const std::string& value) {
  std::string path = proc_path(dir_fd, name);
  if (::lsetxattr(path.c_str(), key.c_str(), value.data(), value.size(), 0) != 0) {
    return errno_error("setxattr " + key + " " + name);
  }
  return {};
}

}  // namespace berth::store::fs
