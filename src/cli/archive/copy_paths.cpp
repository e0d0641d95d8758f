#include "cli/archive/copy_paths.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>

#include <fmt/format.h>

#include "cli/opts/mount.h"

namespace berth::cli {

std::string go_clean(const std::string& path) { return clean_path(path); }

std::string go_dir(const std::string& path) {
  size_t slash = path.rfind('/');
  std::string dir = slash == std::string::npos ? "" : path.substr(0, slash + 1);
  return clean_path(dir.empty() ? "." : dir);
}

std::string go_base(const std::string& path) {
  if (path.empty()) return ".";
  std::string p = path;
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  if (p == "/") return "/";
  size_t slash = p.rfind('/');
  return slash == std::string::npos ? p : p.substr(slash + 1);
}

std::string go_join(const std::string& a, const std::string& b) {
  if (a.empty()) return clean_path(b);
  if (b.empty()) return clean_path(a);
  return clean_path(a + "/" + b);
}

std::string go_abs(const std::string& path) {
  if (!path.empty() && path[0] == '/') return clean_path(path);
  char buf[PATH_MAX];
  std::string cwd = ::getcwd(buf, sizeof(buf)) != nullptr ? buf : "/";
  return go_join(cwd, path);
}

namespace {
bool has_trailing_separator(const std::string& p) { return !p.empty() && p.back() == '/'; }
bool specifies_current_dir(const std::string& p) { return go_base(p) == "."; }

Error os_error(const std::string& op, const std::string& path, int err) {
  return Error(err == ENOENT ? ErrorCode::kNotFound : ErrorCode::kInvalidArgument,
               fmt::format("{} {}: {}", op, path, std::strerror(err)));
}

// filepath.EvalSymlinks.
Result<std::string> eval_symlinks(const std::string& path) {
  char buf[PATH_MAX];
  if (::realpath(path.empty() ? "." : path.c_str(), buf) == nullptr) {
    return os_error("lstat", path, errno);
  }
  return std::string(buf);
}
}  // namespace

std::string preserve_trailing_dot_or_separator(const std::string& cleaned_in,
                                               const std::string& original) {
  std::string cleaned = cleaned_in;
  if (!specifies_current_dir(cleaned) && specifies_current_dir(original)) {
    if (!has_trailing_separator(cleaned)) cleaned += "/";
    cleaned += ".";
  }
  if (!has_trailing_separator(cleaned) && has_trailing_separator(original)) cleaned += "/";
  return cleaned;
}

bool asserts_directory(const std::string& path) {
  return has_trailing_separator(path) || specifies_current_dir(path);
}

std::pair<std::string, std::string> split_path_dir_entry(const std::string& path) {
  std::string cleaned = go_clean(path);
  if (specifies_current_dir(path)) cleaned += "/.";
  return {go_dir(cleaned), go_base(cleaned)};
}

std::pair<std::string, std::string> get_rebase_name(const std::string& path,
                                                    const std::string& resolved_in) {
  std::string resolved = resolved_in;
  std::string rebase;
  if (specifies_current_dir(path) && !specifies_current_dir(resolved)) resolved += "/.";
  if (has_trailing_separator(path) && !has_trailing_separator(resolved)) resolved += "/";
  if (go_base(path) != go_base(resolved)) rebase = go_base(path);
  return {resolved, rebase};
}

Result<CopyInfo> copy_info_source_path(const std::string& path, bool follow_link) {
  std::string resolved;
  std::string rebase;
  if (follow_link) {
    std::string real = TRY(eval_symlinks(path));
    std::tie(resolved, rebase) = get_rebase_name(path, real);
  } else {
    size_t slash = path.rfind('/');
    std::string dir = slash == std::string::npos ? "" : path.substr(0, slash + 1);
    std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
    std::string real_dir = TRY(eval_symlinks(dir));
    resolved = real_dir + "/" + base;
    if (has_trailing_separator(path) && go_base(path) != go_base(resolved)) rebase = go_base(path);
  }
  struct stat st {};
  if (::lstat(resolved.c_str(), &st) != 0) return os_error("lstat", resolved, errno);
  return CopyInfo{resolved, true, S_ISDIR(st.st_mode), rebase};
}

Result<CopyInfo> copy_info_destination_path(const std::string& original) {
  std::string path = original;
  struct stat st {};
  int rc = ::lstat(path.c_str(), &st);
  if (rc == 0 && !S_ISLNK(st.st_mode)) return CopyInfo{path, true, S_ISDIR(st.st_mode), ""};
  for (int n = 0; rc == 0 && S_ISLNK(st.st_mode); ++n) {
    if (n > 10) return Error(ErrorCode::kInvalidArgument, "too many symlinks in " + original);
    char buf[PATH_MAX];
    ssize_t len = ::readlink(path.c_str(), buf, sizeof(buf) - 1);
    if (len < 0) return os_error("readlink", path, errno);
    std::string target(buf, static_cast<size_t>(len));
    if (target.empty() || target[0] != '/') {
      target = go_join(split_path_dir_entry(path).first, target);
    }
    path = target;
    rc = ::lstat(path.c_str(), &st);
  }
  if (rc != 0) {
    int err = errno;
    if (err != ENOENT) return os_error("lstat", path, err);
    std::string parent = split_path_dir_entry(path).first;
    struct stat pst {};
    if (::stat(parent.c_str(), &pst) != 0) return os_error("stat", parent, errno);
    if (!S_ISDIR(pst.st_mode)) return Error(ErrorCode::kInvalidArgument, "not a directory");
    return CopyInfo{path, false, false, ""};
  }
  return CopyInfo{path, true, S_ISDIR(st.st_mode), ""};
}

Result<ArchiveCopyPlan> prepare_archive_copy(const CopyInfo& src, const CopyInfo& dst) {
  auto [dst_dir, dst_base] = split_path_dir_entry(dst.path);
  std::string src_base = split_path_dir_entry(src.path).second;
  if (!src.rebase_name.empty()) src_base = src.rebase_name;
  ArchiveCopyPlan plan;
  if (dst.exists && dst.is_dir) {
    plan.dst_dir = dst.path;
    return plan;
  }
  if (dst.exists && src.is_dir) return Error(ErrorCode::kInvalidArgument, "cannot copy directory");
  if (!dst.exists && !src.is_dir && asserts_directory(dst.path)) {
    return Error(ErrorCode::kNotFound, "no such directory");
  }
  plan.dst_dir = dst_dir;
  plan.rebase = true;
  plan.rebase_from = src_base == "/" ? "" : src_base;
  plan.rebase_to = dst_base;
  return plan;
}

std::string rebase_entry_name(const std::string& name, const std::string& from,
                              const std::string& to) {
  if (from.empty()) return to + name;  // strings.Replace with "" inserts at the start
  size_t pos = name.find(from);
  if (pos == std::string::npos) return name;
  return name.substr(0, pos) + to + name.substr(pos + from.size());
}

}  // namespace berth::cli
