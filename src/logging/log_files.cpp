#include "logging/log_files.h"

#include <dirent.h>
#include <fcntl.h>

#include <algorithm>
#include <map>

#include "base/file_util.h"
#include "base/strings.h"
#include "logging/gzip_file.h"

namespace berth::logging {
namespace {

constexpr int kMaxAttempts = 100;

struct Name {
  int index = 0;
  bool compressed = false;
};

// Which of the directory's entries belong to the log: base, base.N, base.N.gz.
bool parse_name(std::string_view name, std::string_view base, Name* out) {
  if (!name.starts_with(base)) return false;
  std::string_view rest = name.substr(base.size());
  if (rest.empty()) {
    *out = {};
    return true;
  }
  if (rest[0] != '.') return false;
  rest.remove_prefix(1);
  bool gz = rest.ends_with(".gz");
  if (gz) rest.remove_suffix(3);
  if (rest.empty() || rest.size() > 9 || rest[0] == '0') return false;
  for (char c : rest)
    if (c < '0' || c > '9') return false;
  auto n = parse_int(rest);
  if (!n.ok()) return false;
  *out = {*n, gz};
  return true;
}

// name -> inode of every log file in the directory right now.
Result<std::map<std::string, ino_t>> list(int dir_fd, std::string_view base) {
  int fd = ::openat(dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return errno_error("open log directory");
  DIR* dir = ::fdopendir(fd);
  if (dir == nullptr) {
    ::close(fd);
    return errno_error("open log directory");
  }
  std::map<std::string, ino_t> names;
  Name parsed;
  while (struct dirent* e = ::readdir(dir)) {
    if (!parse_name(e->d_name, base, &parsed)) continue;
    struct stat st {};
    if (::fstatat(dir_fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode))
      continue;
    names.emplace(e->d_name, st.st_ino);
  }
  ::closedir(dir);
  return names;
}

}  // namespace

Result<std::vector<LogFile>> open_log_files(const std::string& path) {
  std::string dir = dirname(path);
  std::string base = basename(path);
  UniqueFd dir_fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!dir_fd) return errno_error("open log directory " + dir);
  for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
    std::map<std::string, ino_t> before = TRY(list(dir_fd.get(), base));
    std::map<int, LogFile> by_index;
    std::map<std::string, ino_t> opened;
    for (const auto& [name, ino] : before) {
      Name parsed;
      parse_name(name, base, &parsed);
      auto existing = by_index.find(parsed.index);
      if (existing != by_index.end() && !existing->second.compressed) continue;
      LogFile f;
      f.fd = UniqueFd(::openat(dir_fd.get(), name.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
      if (!f.fd) {
        if (errno == ENOENT) continue;
        return errno_error("open " + path_join(dir, name));
      }
      if (::fstat(f.fd.get(), &f.st) != 0) return errno_error("stat " + path_join(dir, name));
      opened.emplace(name, f.st.st_ino);
      f.name = path_join(dir, name);
      f.index = parsed.index;
      f.compressed = parsed.compressed;
      by_index[parsed.index] = std::move(f);
    }
    std::map<std::string, ino_t> after = TRY(list(dir_fd.get(), base));
    // The plain twin of a .gz being skipped does not matter; every file we did open must still
    // be where it was, and nothing may have appeared or vanished.
    if (after != before) continue;
    bool moved = false;
    for (const auto& [name, ino] : opened) moved |= after.at(name) != ino;
    if (moved) continue;
    std::vector<LogFile> files;
    for (auto it = by_index.rbegin(); it != by_index.rend(); ++it) {
      if (it->first != 0) files.push_back(std::move(it->second));
    }
    if (auto live = by_index.find(0); live != by_index.end())
      files.push_back(std::move(live->second));
    return files;
  }
  return make_error(ErrorCode::kUnavailable, "log files of {} keep changing", path);
}

uint64_t origin_inode(const LogFile& file) {
  if (!file.compressed) return file.st.st_ino;
  return read_gzip_meta(file.fd.get()).origin_ino;
}

}  // namespace berth::logging
