#include "store/archive/tar_applier.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "base/log.h"
#include "store/fs/dir_ops.h"
#include "store/fs/xattr.h"
#include "store/stream.h"

namespace berth::store {

namespace {

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

std::string join_rel(const std::string& a, const std::string& b) {
  if (a.empty()) return b;
  if (b.empty()) return a;
  return a + "/" + b;
}

struct timespec to_timespec(int64_t sec, int64_t nsec) {
  struct timespec ts {};
  ts.tv_sec = static_cast<time_t>(sec);
  ts.tv_nsec = static_cast<long>(nsec);
  return ts;
}

}  // namespace

TarApplier::TarApplier(int root_fd, std::string prefix, const ApplyOptions& options)
    : root_fd_(root_fd), prefix_(std::move(prefix)), options_(options) {}

std::string TarApplier::full_path(const std::string& rel) const {
  return join_rel(prefix_, rel);
}

void TarApplier::mark_touched(const std::string& rel) {
  std::string path = rel;
  while (!path.empty() && touched_.insert(path).second) {
    size_t slash = path.rfind('/');
    path = slash == std::string::npos ? std::string() : path.substr(0, slash);
  }
}

bool TarApplier::chown_failure_ok(int err) const {
  return options_.rootless && (err == EPERM || err == EINVAL);
}

Result<UniqueFd> TarApplier::open_parent(const std::string& parent_rel) {
  auto fd = TRY(fs::open_dir_beneath(root_fd_, full_path(parent_rel), options_.resolve, true));
  mark_touched(parent_rel);
  return fd;
}

Status TarApplier::apply(TarReader& tar) {
  while (true) {
    auto header = TRY(tar.next());
    if (!header) break;
    TRY_CTX(apply_entry(*header, tar), header->path);
    ++entries_;
  }
  return finish_directories();
}

Status TarApplier::apply_entry(TarHeader& header, TarReader& tar) {
  std::string rel = TRY(fs::sanitize_relative_path(header.path));
  if (rel.empty()) {
    // "./": the attributes of the directory everything is unpacked into.
    if (header.type != EntryType::kDirectory) {
      return make_error(ErrorCode::kInvalidArgument, "the archive root is not a directory");
    }
    auto fd = TRY(fs::open_dir_beneath(root_fd_, full_path(""), options_.resolve, false));
    TRY(set_metadata_fd(fd.get(), rel, header));
    dirs_.push_back({rel, header.mode, header.mtime_sec, header.mtime_nsec});
    return {};
  }
  auto [parent, name] = fs::split_parent(rel);
  if (options_.whiteouts != WhiteoutMode::kNone && starts_with(name, kWhiteoutPrefix)) {
    if (name == kOpaqueWhiteout) return apply_opaque(parent);
    if (starts_with(name, kWhiteoutMetaPrefix)) return {};  // aufs metadata; nothing to do
    return apply_whiteout(parent, name.substr(kWhiteoutPrefix.size()));
  }
  auto parent_fd = TRY(open_parent(parent));
  struct stat st {};
  if (::fstatat(parent_fd.get(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0) {
    bool old_dir = S_ISDIR(st.st_mode);
    bool new_dir = header.type == EntryType::kDirectory;
    if (!(old_dir && new_dir)) {
      // layer.md: anything but dir-over-dir replaces what is there.
      if (options_.no_overwrite_dir_non_dir && old_dir != new_dir) {
        return make_error(ErrorCode::kFailedPrecondition, "cannot overwrite {} with {}",
                          old_dir ? "a directory" : "a non-directory",
                          new_dir ? "a directory" : "a non-directory");
      }
      TRY(fs::remove_tree_at(parent_fd.get(), name));
    }
  } else if (errno != ENOENT) {
    return errno_error("stat " + rel);
  }
  TRY(create_entry(parent_fd.get(), name, rel, header, tar));
  mark_touched(rel);
  return {};
}

Status TarApplier::create_entry(int parent_fd, const std::string& name, const std::string& rel,
                                const TarHeader& h, TarReader& tar) {
  switch (h.type) {
    case EntryType::kRegular: {
      UniqueFd fd(::openat(parent_fd, name.c_str(),
                           O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
      if (!fd) return errno_error("create " + rel);
      FdWriter out(fd.get());
      std::vector<char> buf(128 * 1024);
      while (true) {
        size_t n = TRY(tar.read_data(buf.data(), buf.size()));
        if (n == 0) break;
        TRY_CTX(out.write(std::string_view(buf.data(), n)), rel);
      }
      return set_metadata_fd(fd.get(), rel, h);
    }
    case EntryType::kDirectory: {
      if (::mkdirat(parent_fd, name.c_str(), 0700) != 0 && errno != EEXIST) {
        return errno_error("mkdir " + rel);
      }
      auto fd = TRY(fs::open_dir_at(parent_fd, name));
      TRY(set_metadata_fd(fd.get(), rel, h));
      dirs_.push_back({rel, h.mode, h.mtime_sec, h.mtime_nsec});
      return {};
    }
    case EntryType::kSymlink:
      if (::symlinkat(h.link_target.c_str(), parent_fd, name.c_str()) != 0) {
        return errno_error("symlink " + rel);
      }
      return set_metadata_at(parent_fd, name, rel, h);
    case EntryType::kHardlink: {
      // The target is an archive path too, resolved with the same confinement: a hardlink can
      // only point at something already inside this tree.
      std::string target = TRY(fs::sanitize_relative_path(h.link_target));
      if (target.empty()) return make_error(ErrorCode::kInvalidArgument, "hardlink to the root");
      auto [target_parent, target_name] = fs::split_parent(target);
      auto target_dir =
          TRY_CTX(fs::open_dir_beneath(root_fd_, full_path(target_parent), options_.resolve, false),
                  "hardlink target " + target);
      if (::linkat(target_dir.get(), target_name.c_str(), parent_fd, name.c_str(), 0) != 0) {
        if (errno == ENOENT) {
          return make_error(ErrorCode::kNotFound, "hardlink target {} does not exist", target);
        }
        return errno_error("link " + rel + " to " + target);
      }
      return {};
    }
    case EntryType::kCharDevice:
    case EntryType::kBlockDevice:
    case EntryType::kFifo: {
      mode_t type = h.type == EntryType::kCharDevice    ? S_IFCHR
                    : h.type == EntryType::kBlockDevice ? S_IFBLK
                                                        : S_IFIFO;
      if (::mknodat(parent_fd, name.c_str(), type | 0600, makedev(h.dev_major, h.dev_minor)) != 0) {
        if (errno == EPERM && options_.rootless && type != S_IFIFO) {
          log::warn("unpack: skipping device node {} (no privilege to create it)", rel);
          return {};
        }
        return errno_error("mknod " + rel);
      }
      return set_metadata_at(parent_fd, name, rel, h);
    }
  }
  return {};
}

Status TarApplier::set_metadata_fd(int fd, const std::string& rel, const TarHeader& h) {
  if (options_.owner || options_.preserve_ownership) {
    uint32_t uid = options_.owner ? options_.owner->first : h.uid;
    uint32_t gid = options_.owner ? options_.owner->second : h.gid;
    if (::fchown(fd, uid, gid) != 0 && !chown_failure_ok(errno)) {
      return errno_error("chown " + rel);
    }
  }
  // After chown, which clears setuid bits and security.capability.
  TRY(set_xattrs(fd, -1, "", rel, h));
  if (h.type == EntryType::kDirectory) {
    // Writable by us until finish_directories() sets the real mode.
    if (::fchmod(fd, static_cast<mode_t>((h.mode & 07777) | 0700)) != 0) {
      return errno_error("chmod " + rel);
    }
  } else {
    if (::fchmod(fd, static_cast<mode_t>(h.mode & 07777)) != 0) return errno_error("chmod " + rel);
    struct timespec ts[2] = {to_timespec(h.mtime_sec, h.mtime_nsec),
                             to_timespec(h.mtime_sec, h.mtime_nsec)};
    if (::futimens(fd, ts) != 0) return errno_error("set times " + rel);
  }
  return {};
}

Status TarApplier::set_metadata_at(int parent_fd, const std::string& name, const std::string& rel,
                                   const TarHeader& h) {
  // Symlinks, devices and fifos cannot be opened for fchown/fchmod; every call below acts on
  // the entry itself (AT_SYMLINK_NOFOLLOW) inside a parent pinned by its fd, so a swapped-in
  // symlink can never redirect a chmod (CVE-2021-32760).
  if (options_.owner || options_.preserve_ownership) {
    uint32_t uid = options_.owner ? options_.owner->first : h.uid;
    uint32_t gid = options_.owner ? options_.owner->second : h.gid;
    if (::fchownat(parent_fd, name.c_str(), uid, gid, AT_SYMLINK_NOFOLLOW) != 0 &&
        !chown_failure_ok(errno)) {
      return errno_error("chown " + rel);
    }
  }
  TRY(set_xattrs(-1, parent_fd, name, rel, h));
  if (h.type != EntryType::kSymlink &&
      ::fchmodat(parent_fd, name.c_str(), static_cast<mode_t>(h.mode & 07777),
                 AT_SYMLINK_NOFOLLOW) != 0) {
    return errno_error("chmod " + rel);
  }
  struct timespec ts[2] = {to_timespec(h.mtime_sec, h.mtime_nsec),
                           to_timespec(h.mtime_sec, h.mtime_nsec)};
  if (::utimensat(parent_fd, name.c_str(), ts, AT_SYMLINK_NOFOLLOW) != 0) {
    return errno_error("set times " + rel);
  }
  return {};
}

Status TarApplier::set_xattrs(int fd, int parent_fd, const std::string& name,
                              const std::string& rel, const TarHeader& h) {
  for (const auto& [key, value] : h.xattrs) {
    // An image must not forge overlayfs metadata (opaque, redirect, metacopy): that would
    // bypass whiteout handling or point overlay at other files.
    if (starts_with(key, kOverlayTrustedPrefix) || starts_with(key, kOverlayUserPrefix)) {
      log::warn("unpack: dropping overlay xattr {} on {}", key, rel);
      continue;
    }
    auto status =
        fd >= 0 ? fs::set_xattr_fd(fd, key, value) : fs::set_xattr_at(parent_fd, name, key, value);
    if (!status.ok()) {
      int err = status.error().sys_errno();
      if (options_.rootless && (err == EPERM || err == ENOTSUP)) {
        log::warn("unpack: skipping xattr {} on {}: {}", key, rel, status.error().to_string());
        continue;
      }
      return std::move(status.error().with_context(rel));
    }
  }
  return {};
}

Status TarApplier::apply_whiteout(const std::string& parent, const std::string& name) {
  if (name.empty() || name == "." || name == ".." || name.find('/') != std::string::npos) {
    return make_error(ErrorCode::kInvalidArgument, "invalid whiteout for \"{}\"", name);
  }
  std::string target = join_rel(parent, name);
  // layer.md: a whiteout hides only what lies below, never an entry of its own layer.
  if (touched_.count(target)) return {};
  if (options_.whiteouts == WhiteoutMode::kDelete) {
    auto dir = fs::open_dir_beneath(root_fd_, full_path(parent), options_.resolve, false);
    if (!dir.ok()) {
      if (dir.error().sys_errno() == ENOENT) return {};  // nothing below to delete
      return std::move(dir).error();
    }
    return fs::remove_tree_at(dir->get(), name);
  }
  auto dir = TRY(open_parent(parent));
  TRY(fs::remove_tree_at(dir.get(), name));
  if (::mknodat(dir.get(), name.c_str(), S_IFCHR | 0, makedev(0, 0)) != 0) {
    return errno_error("create whiteout " + target);
  }
  return {};
}

Status TarApplier::apply_opaque(const std::string& dir) {
  if (options_.whiteouts == WhiteoutMode::kDelete) {
    auto fd = fs::open_dir_beneath(root_fd_, full_path(dir), options_.resolve, false);
    if (!fd.ok()) {
      if (fd.error().sys_errno() == ENOENT) return {};
      return std::move(fd).error();
    }
    TRY(remove_lower_children(fd->get(), dir));
    mark_touched(dir);
    return {};
  }
  auto fd = TRY(open_parent(dir));
  std::string key = options_.overlay_xattr_prefix + std::string(kOverlayOpaqueSuffix);
  TRY_CTX(fs::set_xattr_fd(fd.get(), key, "y"), "mark " + (dir.empty() ? "/" : dir) + " opaque");
  return {};
}

Status TarApplier::remove_lower_children(int dir_fd, const std::string& dir) {
  for (const auto& name : TRY(fs::list_dir(dir_fd))) {
    std::string child = join_rel(dir, name);
    if (!touched_.count(child)) {
      TRY(fs::remove_tree_at(dir_fd, name));
      continue;
    }
    auto st = TRY(fs::lstat_at(dir_fd, name));
    if (S_ISDIR(st.st_mode)) {
      auto child_fd = TRY(fs::open_dir_at(dir_fd, name));
      TRY(remove_lower_children(child_fd.get(), child));
    }
  }
  return {};
}

Status TarApplier::finish_directories() {
  // Children first (reverse lexical order puts "a/b" before "a"): a child's mode change is done
  // before its parent may become read-only, and creating children no longer touches mtimes.
  // A stable sort keeps the last entry for a directory listed twice last.
  std::stable_sort(dirs_.begin(), dirs_.end(),
                   [](const DirFinish& a, const DirFinish& b) { return a.rel > b.rel; });
  for (const auto& d : dirs_) {
    auto fd = fs::open_dir_beneath(root_fd_, full_path(d.rel), options_.resolve, false);
    if (!fd.ok()) continue;  // replaced by a later entry
    if (::fchmod(fd->get(), static_cast<mode_t>(d.mode & 07777)) != 0) {
      return errno_error("chmod " + d.rel);
    }
    struct timespec ts[2] = {to_timespec(d.sec, d.nsec), to_timespec(d.sec, d.nsec)};
    if (::futimens(fd->get(), ts) != 0) return errno_error("set times " + d.rel);
  }
  return {};
}

}  // namespace berth::store
