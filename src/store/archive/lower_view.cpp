#include "store/archive/lower_view.h"

#include <fcntl.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cerrno>

#include "base/strings.h"
#include "store/fs/dir_ops.h"
#include "store/fs/resolve.h"
#include "store/fs/xattr.h"

namespace berth::store {

bool is_overlay_whiteout(const struct stat& st) {
  return S_ISCHR(st.st_mode) && st.st_rdev == makedev(0, 0);
}

Result<LowerView> LowerView::open(const std::vector<std::string>& lowers,
                                  std::string opaque_xattr) {
  LowerView view;
  view.opaque_xattr_ = std::move(opaque_xattr);
  for (const auto& dir : lowers) view.layers_.push_back(TRY_CTX(fs::open_dir(dir), "lower"));
  return view;
}

Result<bool> LowerView::is_opaque(int dir_fd, const std::string& name) const {
  auto value = TRY(fs::get_xattr_at(dir_fd, name, opaque_xattr_));
  return value && *value == "y";
}

Result<LowerView::ProbeResult> LowerView::probe(size_t layer, const std::string& rel,
                                                bool open_dir) const {
  ProbeResult result;
  UniqueFd cur(::openat(layers_[layer].get(), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!cur) return errno_error("open layer");
  if (rel.empty()) {
    if (::fstat(cur.get(), &result.st) != 0) return errno_error("stat layer");
    result.probe = Probe::kFound;
    result.dir = std::move(cur);
    return result;
  }
  auto parts = split(rel, '/');
  for (size_t i = 0; i < parts.size(); ++i) {
    const std::string& part = parts[i];
    struct stat st {};
    if (::fstatat(cur.get(), part.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
      if (errno != ENOENT && errno != ENOTDIR) return errno_error("stat " + rel);
      result.probe = Probe::kAbsent;
      return result;
    }
    bool last = i + 1 == parts.size();
    if (is_overlay_whiteout(st)) {
      result.probe = Probe::kHidden;
      return result;
    }
    if (!last && !S_ISDIR(st.st_mode)) {
      // A non-directory here shadows the lower directory and everything in it.
      result.probe = Probe::kHidden;
      return result;
    }
    if (S_ISDIR(st.st_mode) && (!last || open_dir)) {
      if (TRY(is_opaque(cur.get(), part))) result.opaque = true;
    }
    if (last) {
      result.probe = Probe::kFound;
      result.st = st;
      if (S_ISDIR(st.st_mode) && open_dir) result.dir = TRY(fs::open_dir_at(cur.get(), part));
      return result;
    }
    cur = TRY(fs::open_dir_at(cur.get(), part));
  }
  return result;
}

Result<std::optional<LowerView::Found>> LowerView::lookup(const std::string& rel) const {
  for (size_t i = layers_.size(); i-- > 0;) {
    auto p = TRY(probe(i, rel, false));
    if (p.probe == Probe::kFound) return std::optional<Found>(Found{p.st, i});
    if (p.probe == Probe::kHidden || p.opaque) break;
  }
  return std::optional<Found>();
}

Result<std::set<std::string>> LowerView::children(const std::string& rel) const {
  std::set<std::string> visible;
  std::set<std::string> hidden;
  for (size_t i = layers_.size(); i-- > 0;) {
    auto p = TRY(probe(i, rel, true));
    if (p.probe == Probe::kHidden) break;
    if (p.probe == Probe::kAbsent) {
      if (p.opaque) break;
      continue;
    }
    if (!S_ISDIR(p.st.st_mode)) break;  // a non-directory hides lower directories
    for (const auto& name : TRY(fs::list_dir(p.dir.get()))) {
      if (visible.count(name) || hidden.count(name)) continue;
      auto st = TRY(fs::lstat_at(p.dir.get(), name));
      (is_overlay_whiteout(st) ? hidden : visible).insert(name);
    }
    if (p.opaque) break;
  }
  return visible;
}

Result<UniqueFd> LowerView::open_parent_in_layer(size_t layer, const std::string& rel) const {
  auto [parent, name] = fs::split_parent(rel);
  return fs::open_dir_beneath(layers_[layer].get(), parent, fs::Resolve::kNoSymlinks, false);
}

}  // namespace berth::store
