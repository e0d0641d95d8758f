#include "store/archive/tree_walker.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "store/archive/whiteout.h"
#include "store/fs/dir_ops.h"
#include "store/fs/xattr.h"

namespace berth::store {

namespace {

std::string join_rel(const std::string& a, const std::string& b) {
  if (a.empty()) return b;
  if (b.empty()) return a;
  return a + "/" + b;
}

bool same_time(const struct timespec& a, const struct timespec& b) {
  return a.tv_sec == b.tv_sec && a.tv_nsec == b.tv_nsec;
}

}  // namespace

TreeWalker::TreeWalker(ArchiveSink& sink, Mode mode, const LowerView* view,
                       std::string opaque_xattr, std::string archive_root)
    : sink_(sink),
      mode_(mode),
      view_(view),
      opaque_xattr_(std::move(opaque_xattr)),
      archive_root_(std::move(archive_root)) {}

std::string TreeWalker::archive_path(const std::string& rel) const {
  return join_rel(archive_root_, rel);
}

Status TreeWalker::flush_pending() {
  for (auto& p : pending_) {
    if (p.written) continue;
    TRY(sink_.tar().add(p.header));
    sink_.count_entry();
    p.written = true;
  }
  return {};
}

Status TreeWalker::write_whiteout(const std::string& rel_dir, const std::string& name) {
  TRY(flush_pending());
  TarHeader h;
  h.path = archive_path(join_rel(rel_dir, name));
  h.type = EntryType::kRegular;
  h.mode = 0;
  TRY(sink_.tar().add(h));
  sink_.count_entry();
  return {};
}

Status TreeWalker::write_entry(int dir_fd, const std::string& name, const struct stat& st,
                               TarHeader& header) {
  TRY(flush_pending());
  links_.link_or_remember(st, header);
  sink_.count_entry();
  if (header.type != EntryType::kRegular) return sink_.tar().add(header);
  UniqueFd fd(::openat(dir_fd, name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd) return errno_error("open " + header.path);
  return sink_.tar().add_file(header, fd.get());
}

Result<bool> TreeWalker::differs(const std::string& rel, const struct stat& st,
                                 const TarHeader& header, const LowerView::Found& lower) {
  const struct stat& old = lower.st;
  if ((st.st_mode & S_IFMT) != (old.st_mode & S_IFMT)) return true;
  if ((st.st_mode & 07777) != (old.st_mode & 07777) || st.st_uid != old.st_uid ||
      st.st_gid != old.st_gid) {
    return true;
  }
  // Like Docker: a directory's own mtime is not a change (it moves whenever a child does; the
  // children themselves are compared).
  if (!S_ISDIR(st.st_mode) && (!same_time(st.st_mtim, old.st_mtim) || st.st_size != old.st_size)) {
    return true;
  }
  if ((S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) && st.st_rdev != old.st_rdev) return true;
  auto parent = TRY(view_->open_parent_in_layer(lower.layer, rel));
  auto name = rel.substr(rel.rfind('/') == std::string::npos ? 0 : rel.rfind('/') + 1);
  if (S_ISLNK(st.st_mode)) {
    auto old_header = TRY(header_from_fs(parent.get(), name, old, rel));
    if (old_header && old_header->link_target != header.link_target) return true;
  }
  auto old_xattrs = TRY(archivable_xattrs_at(parent.get(), name));
  return old_xattrs != header.xattrs;
}

Status TreeWalker::walk_dir(int dir_fd, const std::string& rel, bool opaque, bool hides_lower) {
  auto names = TRY(fs::list_dir(dir_fd));
  // Whiteouts first, right after their directory (layer.md recommends them before siblings).
  if (mode_ == Mode::kOverlayDiff) {
    if (opaque) TRY(write_whiteout(rel, std::string(kOpaqueWhiteout)));
    for (const auto& name : names) {
      auto st = TRY(fs::lstat_at(dir_fd, name));
      if (!is_overlay_whiteout(st)) continue;
      // An opaque directory already hides everything below; otherwise only whiteouts that
      // hide something are worth an entry.
      if (opaque || hides_lower) continue;
      if (TRY(view_->lookup(join_rel(rel, name)))) {
        TRY(write_whiteout(rel, std::string(kWhiteoutPrefix) + name));
      }
    }
  } else if (mode_ == Mode::kDirectoryDiff) {
    std::set<std::string> present(names.begin(), names.end());
    for (const auto& old : TRY(view_->children(rel))) {
      if (!present.count(old)) TRY(write_whiteout(rel, std::string(kWhiteoutPrefix) + old));
    }
  }
  for (const auto& name : names) {
    auto st = TRY(fs::lstat_at(dir_fd, name));
    if (mode_ == Mode::kOverlayDiff && is_overlay_whiteout(st)) continue;
    std::string child = join_rel(rel, name);
    auto header = TRY(header_from_fs(dir_fd, name, st, archive_path(child)));
    if (!header) continue;  // a socket
    bool changed = true;
    bool child_opaque = false;
    if (mode_ == Mode::kOverlayDiff && S_ISDIR(st.st_mode)) {
      auto value = TRY(fs::get_xattr_at(dir_fd, name, opaque_xattr_));
      child_opaque = value && *value == "y";
    }
    if (mode_ != Mode::kFullTree && !hides_lower) {
      auto lower = TRY(view_->lookup(child));
      // In an upper dir every non-directory is there because it changed (or was copied up,
      // which means it was opened for writing).
      bool always = mode_ == Mode::kOverlayDiff && !S_ISDIR(st.st_mode);
      changed = always || !lower || child_opaque || TRY(differs(child, st, *header, *lower));
    }
    if (!S_ISDIR(st.st_mode)) {
      if (changed) TRY_CTX(write_entry(dir_fd, name, st, *header), child);
      continue;
    }
    pending_.push_back({std::move(*header), false});
    if (changed) TRY(flush_pending());
    auto child_fd = TRY(fs::open_dir_at(dir_fd, name));
    TRY_CTX(walk_dir(child_fd.get(), child, child_opaque, hides_lower || child_opaque), child);
    pending_.pop_back();
  }
  return {};
}

Status TreeWalker::emit_root_entry(int parent_fd, const std::string& name) {
  auto st = TRY(fs::lstat_at(parent_fd, name));
  auto header = TRY(header_from_fs(parent_fd, name, st, archive_root_));
  if (!header) {
    return make_error(ErrorCode::kInvalidArgument, "{} is a socket, which tar cannot hold", name);
  }
  if (!S_ISDIR(st.st_mode)) return write_entry(parent_fd, name, st, *header);
  TRY(sink_.tar().add(*header));
  sink_.count_entry();
  auto fd = TRY(fs::open_dir_at(parent_fd, name));
  return walk_dir(fd.get(), "", false);
}

}  // namespace berth::store
