#include "cli/archive/local_tar.h"

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <dirent.h>
#include <map>
#include <vector>

#include <fmt/format.h>

namespace berth::cli {
namespace {

Error sys_error(const std::string& what) {
  int err = errno;
  return Error(code_from_errno(err), fmt::format("{}: {}", what, std::strerror(err)));
}

std::string user_name(uid_t uid) {
  struct passwd* pw = ::getpwuid(uid);
  return pw != nullptr ? pw->pw_name : "";
}

std::string group_name(gid_t gid) {
  struct group* gr = ::getgrgid(gid);
  return gr != nullptr ? gr->gr_name : "";
}

class Packer {
 public:
  Packer(TarWriter& out) : out_(out) {}

  Status add(const std::string& path, const std::string& name) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) return sys_error("lstat " + path);
    TarHeader h;
    h.name = name;
    h.mode = st.st_mode & 07777;
    h.uid = st.st_uid;
    h.gid = st.st_gid;
    h.mtime = st.st_mtime;
    h.uname = user_name(st.st_uid);
    h.gname = group_name(st.st_gid);
    if (S_ISDIR(st.st_mode)) {
      h.type = '5';
      if (!h.name.ends_with("/")) h.name += "/";
      TRY(out_.write_header(h));
      DIR* d = ::opendir(path.c_str());
      if (d == nullptr) return sys_error("open " + path);
      std::vector<std::string> children;
      while (struct dirent* e = ::readdir(d)) {
        std::string n = e->d_name;
        if (n != "." && n != "..") children.push_back(n);
      }
      ::closedir(d);
      std::sort(children.begin(), children.end());
      std::string prefix = h.name;
      for (const auto& child : children) TRY(add(path + "/" + child, prefix + child));
      return ok_status();
    }
    if (S_ISREG(st.st_mode) && st.st_nlink > 1) {
      auto key = std::make_pair(st.st_dev, st.st_ino);
      if (auto it = links_.find(key); it != links_.end()) {
        h.type = '1';
        h.linkname = it->second;
        return out_.write_header(h);
      }
      links_[key] = name;
    }
    if (S_ISLNK(st.st_mode)) {
      char buf[PATH_MAX];
      ssize_t n = ::readlink(path.c_str(), buf, sizeof(buf) - 1);
      if (n < 0) return sys_error("readlink " + path);
      h.type = '2';
      h.linkname.assign(buf, static_cast<size_t>(n));
      return out_.write_header(h);
    }
    if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) {
      h.type = S_ISCHR(st.st_mode) ? '3' : '4';
      h.devmajor = major(st.st_rdev);
      h.devminor = minor(st.st_rdev);
      return out_.write_header(h);
    }
    if (S_ISFIFO(st.st_mode)) {
      h.type = '6';
      return out_.write_header(h);
    }
    if (!S_ISREG(st.st_mode)) return ok_status();  // sockets are skipped, as tar does
    h.type = '0';
    h.size = st.st_size;
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) return sys_error("open " + path);
    TRY(out_.write_header(h));
    char buf[65536];
    int64_t left = h.size;
    Status st_result = ok_status();
    while (left > 0) {
      ssize_t n = ::read(fd, buf, static_cast<size_t>(std::min<int64_t>(left, sizeof(buf))));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        st_result = Error(ErrorCode::kDataLoss, fmt::format("{}: file shrank while copying", path));
        break;
      }
      st_result = out_.write(std::string_view(buf, static_cast<size_t>(n)));
      if (!st_result.ok()) break;
      left -= n;
    }
    ::close(fd);
    return st_result;
  }

 private:
  TarWriter& out_;
  std::map<std::pair<dev_t, ino_t>, std::string> links_;
};

// Resolves `path` (relative, cleaned) under `root`; refuses "..", absolute escapes, and parents
// that resolve (through symlinks) outside the root.
Result<std::string> target_path(const std::string& root, const std::string& name) {
  std::string cleaned = go_clean("/" + name);
  std::string full = root == "/" ? cleaned : root + cleaned;
  if (cleaned == "/") return root;
  std::string parent = go_dir(full);
  char real_root[PATH_MAX];
  char real_parent[PATH_MAX];
  if (::realpath(root.c_str(), real_root) != nullptr &&
      ::realpath(parent.c_str(), real_parent) != nullptr) {
    std::string rr = real_root;
    std::string rp = real_parent;
    if (rp != rr && !(rp.starts_with(rr) && (rr == "/" || rp[rr.size()] == '/'))) {
      return make_error(ErrorCode::kPermissionDenied, "invalid path {}: it would escape {}", name,
                        root);
    }
  }
  return full;
}

Status mkdir_all(const std::string& path) {
  if (path.empty() || path == "/") return ok_status();
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {
    if (!S_ISDIR(st.st_mode)) return make_error(ErrorCode::kInvalidArgument, "mkdir {}: not a directory", path);
    return ok_status();
  }
  TRY(mkdir_all(go_dir(path)));
  if (::mkdir(path.c_str(), 0755) != 0 && errno != EEXIST) return sys_error("mkdir " + path);
  return ok_status();
}

}  // namespace

Status tar_resource(const CopyInfo& src, TarWriter& out) {
  auto [dir, base] = split_path_dir_entry(src.path);
  Packer packer(out);
  std::string top = base;
  std::string path = dir == "/" ? "/" + base : dir + "/" + base;
  if (base == ".") path = dir;
  if (!src.rebase_name.empty()) top = src.rebase_name == "/" ? "" : src.rebase_name;
  TRY(packer.add(path, top));
  return out.close();
}

Status untar_into(TarReader& in, const std::string& dst_dir, const ArchiveCopyPlan& plan) {
  struct DirTime {
    std::string path;
    int64_t mtime;
  };
  std::vector<DirTime> dir_times;
  while (true) {
    auto next = TRY(in.next());
    if (!next) break;
    TarHeader h = std::move(*next);
    if (plan.rebase) {
      h.name = rebase_entry_name(h.name, plan.rebase_from, plan.rebase_to);
      if (h.type == '1') h.linkname = rebase_entry_name(h.linkname, plan.rebase_from, plan.rebase_to);
    }
    std::string path = TRY(target_path(dst_dir, h.name));
    TRY(mkdir_all(go_dir(path)));
    struct stat existing {};
    bool exists = ::lstat(path.c_str(), &existing) == 0;
    if (exists) {
      bool is_dir = S_ISDIR(existing.st_mode);
      if (is_dir && h.type != '5') {
        return make_error(ErrorCode::kInvalidArgument,
                          "cannot overwrite directory \"{}\" with non-directory \"{}\"", path, h.name);
      }
      if (!is_dir && h.type == '5') {
        return make_error(ErrorCode::kInvalidArgument,
                          "cannot overwrite non-directory \"{}\" with directory \"{}\"", path, h.name);
      }
      if (!is_dir) ::unlink(path.c_str());
    }
    switch (h.type) {
      case '5':
        if (!exists && ::mkdir(path.c_str(), h.mode & 07777) != 0) return sys_error("mkdir " + path);
        dir_times.push_back({path, h.mtime});
        break;
      case '0':
      case '7': {
        int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (fd < 0) return sys_error("open " + path);
        char buf[65536];
        Status st = ok_status();
        while (true) {
          auto n = in.read(buf, sizeof(buf));
          if (!n.ok()) {
            st = std::move(n).error();
            break;
          }
          if (*n == 0) break;
          if (::write(fd, buf, *n) != static_cast<ssize_t>(*n)) {
            st = sys_error("write " + path);
            break;
          }
        }
        ::close(fd);
        TRY(st);
        break;
      }
      case '2':
        if (::symlink(h.linkname.c_str(), path.c_str()) != 0) return sys_error("symlink " + path);
        break;
      case '1': {
        std::string target = TRY(target_path(dst_dir, h.linkname));
        if (::link(target.c_str(), path.c_str()) != 0) return sys_error("link " + path);
        break;
      }
      case '3':
      case '4':
      case '6': {
        mode_t type = h.type == '3' ? S_IFCHR : h.type == '4' ? S_IFBLK : S_IFIFO;
        if (::mknod(path.c_str(), type | (h.mode & 07777), makedev(h.devmajor, h.devminor)) != 0) {
          return sys_error("mknod " + path);
        }
        break;
      }
      default:
        continue;  // unknown types are skipped, as docker's Untar does for xattr-only headers
    }
    if (h.type != '2' && h.type != '1') ::chmod(path.c_str(), h.mode & 07777);
    if (h.type != '5') {
      struct timeval tv[2] = {{h.mtime, 0}, {h.mtime, 0}};
      if (h.type == '2') {
        ::lutimes(path.c_str(), tv);
      } else {
        ::utimes(path.c_str(), tv);
      }
    }
  }
  for (auto it = dir_times.rbegin(); it != dir_times.rend(); ++it) {
    struct timeval tv[2] = {{it->mtime, 0}, {it->mtime, 0}};
    ::utimes(it->path.c_str(), tv);
  }
  return ok_status();
}

}  // namespace berth::cli
