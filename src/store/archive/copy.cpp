#include "store/archive/copy.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "base/file_util.h"
#include "store/archive/tar_applier.h"
#include "store/archive/tree_walker.h"
#include "store/fs/dir_ops.h"
#include "store/fs/resolve.h"

namespace berth::store {

namespace {

// A container path as a clean path relative to its root; ".." cannot climb above "/".
std::string in_root(const std::string& path) {
  std::string cleaned = clean_path("/" + path);
  return cleaned == "/" ? "" : cleaned.substr(1);
}

struct Located {
  UniqueFd parent;
  std::string name;  // "" when the path is the root itself
  std::string rel;
};

// Finds the entry `path` names as (parent fd, name), following a final symlink within the root
// when asked: each step re-resolves the parent with RESOLVE_IN_ROOT, so nothing escapes.
Result<Located> locate(int root_fd, const std::string& path, bool follow_symlink) {
  std::string rel = in_root(path);
  for (int hops = 0; hops < 40; ++hops) {
    Located loc;
    loc.rel = rel;
    if (rel.empty()) {
      loc.parent = TRY(fs::open_dir_beneath(root_fd, "", fs::Resolve::kInRoot, false));
      return loc;
    }
    auto [parent, name] = fs::split_parent(rel);
    loc.parent = TRY(fs::open_dir_beneath(root_fd, parent, fs::Resolve::kInRoot, false));
    loc.name = name;
    struct stat st {};
    if (::fstatat(loc.parent.get(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
      return errno_error("stat /" + rel);
    }
    if (!follow_symlink || !S_ISLNK(st.st_mode)) return loc;
    char target[4096];
    ssize_t n = ::readlinkat(loc.parent.get(), name.c_str(), target, sizeof target - 1);
    if (n < 0) return errno_error("readlink /" + rel);
    std::string link(target, static_cast<size_t>(n));
    rel = in_root(link.front() == '/' ? link : parent + "/" + link);
  }
  return errno_error(ELOOP, "resolve " + path);
}

}  // namespace

Result<PathStat> stat_in_root(int root_fd, const std::string& path, bool follow_symlink) {
  auto loc = TRY(locate(root_fd, path, follow_symlink));
  struct stat st {};
  PathStat out;
  if (loc.name.empty()) {
    if (::fstat(loc.parent.get(), &st) != 0) return errno_error("stat /");
    out.name = "/";
  } else {
    st = TRY(fs::lstat_at(loc.parent.get(), loc.name));
    out.name = loc.name;
    if (S_ISLNK(st.st_mode)) {
      char target[4096];
      ssize_t n = ::readlinkat(loc.parent.get(), loc.name.c_str(), target, sizeof target);
      if (n < 0) return errno_error("readlink " + loc.name);
      out.link_target.assign(target, static_cast<size_t>(n));
    }
  }
  out.size = st.st_size;
  out.mode = st.st_mode;
  out.mtime_sec = st.st_mtim.tv_sec;
  out.mtime_nsec = st.st_mtim.tv_nsec;
  return out;
}

Result<ArchiveResult> write_tar_path(int root_fd, const std::string& path, Writer& out,
                                     const CopyOutOptions& options) {
  auto loc = TRY_CTX(locate(root_fd, path, options.follow_symlink), "copy from " + path);
  // Named as the caller spelled it (docker cp -L of a link keeps the link's name).
  std::string requested = in_root(path);
  std::string name = options.archive_name.value_or(
      requested.empty() ? loc.name : requested.substr(requested.rfind('/') + 1));
  ArchiveSink sink(out, options.compression, -1);
  TreeWalker walker(sink, TreeWalker::Mode::kFullTree, nullptr, "", name);
  if (loc.name.empty()) {
    TRY_CTX(walker.walk_dir(loc.parent.get(), "", false), "copy from " + path);
  } else if (name.empty()) {
    // "dir/.": the contents without the directory itself.
    auto dir = TRY_CTX(fs::open_dir_at(loc.parent.get(), loc.name), "copy from " + path);
    TRY_CTX(walker.walk_dir(dir.get(), "", false), "copy from " + path);
  } else {
    TRY_CTX(walker.emit_root_entry(loc.parent.get(), loc.name), "copy from " + path);
  }
  return sink.finish();
}

Status extract_tar_to(Reader& tar_stream, int root_fd, const std::string& dest_dir,
                      const ExtractOptions& options) {
  std::string dest = in_root(dest_dir);
  // The destination must be an existing directory (symlinks to one are fine, inside the root).
  TRY_CTX(fs::open_dir_beneath(root_fd, dest, fs::Resolve::kInRoot, false), "copy to " + dest_dir);
  ApplyOptions apply;
  apply.whiteouts = WhiteoutMode::kNone;
  apply.resolve = fs::Resolve::kInRoot;
  apply.preserve_ownership = options.preserve_ownership;
  if (!options.preserve_ownership) apply.owner = options.owner;
  apply.rootless = options.rootless;
  apply.no_overwrite_dir_non_dir = options.no_overwrite_dir_non_dir;
  DecompressingReader decompressed(tar_stream);
  TarReader tar(decompressed);
  TarApplier applier(root_fd, dest, apply);
  TRY_CTX(applier.apply(tar), "copy to " + dest_dir);
  return {};
}

}  // namespace berth::store
