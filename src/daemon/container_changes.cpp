#include "daemon/container_changes.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>

#include <algorithm>
#include <set>

#include "store/archive/lower_view.h"
#include "store/archive/whiteout.h"
#include "store/fs/dir_ops.h"

namespace berth::daemon {
namespace {

std::string opaque_xattr() { return std::string(store::kOverlayTrustedPrefix) + "opaque"; }

bool is_opaque(int dir_fd) {
  char value[4] = {};
  ssize_t n = ::fgetxattr(dir_fd, opaque_xattr().c_str(), value, sizeof value);
  return n == 1 && value[0] == 'y';
}

class ChangeWalker {
 public:
  explicit ChangeWalker(const store::LowerView& lower) : lower_(lower) {}

  Status walk(int dir_fd, const std::string& rel) {
    auto names = TRY(store::fs::list_dir(dir_fd));
    std::sort(names.begin(), names.end());
    for (const auto& name : names) {
      std::string child = rel.empty() ? name : rel + "/" + name;
      struct stat st = TRY(store::fs::lstat_at(dir_fd, name));
      if (S_ISCHR(st.st_mode) && st.st_rdev == makedev(0, 0)) {
        added_or_deleted(rel, "/" + child, ChangeKind::kDeleted);
        continue;
      }
      auto below = TRY(lower_.lookup(child));
      if (!below) {
        added_or_deleted(rel, "/" + child, ChangeKind::kAdded);
        if (S_ISDIR(st.st_mode)) changed_dirs_.insert(child);
      } else {
        const struct stat& ls = below->st;
        bool same_dir = S_ISDIR(st.st_mode) && S_ISDIR(ls.st_mode) && st.st_mode == ls.st_mode &&
                        st.st_size == ls.st_size && st.st_mtim.tv_sec == ls.st_mtim.tv_sec &&
                        st.st_mtim.tv_nsec == ls.st_mtim.tv_nsec;
        if (!same_dir) {
          out.push_back({"/" + child, ChangeKind::kModified});
          if (S_ISDIR(st.st_mode)) changed_dirs_.insert(child);
        }
      }
      if (!S_ISDIR(st.st_mode)) continue;
      auto sub = TRY(store::fs::open_dir_at(dir_fd, name));
      if (below && S_ISDIR(below->st.st_mode) && is_opaque(sub.get())) {
        // Everything the layers below had here is hidden: deleted, unless re-created above.
        auto upper_names = TRY(store::fs::list_dir(sub.get()));
        for (const auto& hidden : TRY(lower_.children(child))) {
          if (std::find(upper_names.begin(), upper_names.end(), hidden) == upper_names.end())
            added_or_deleted(child, "/" + child + "/" + hidden, ChangeKind::kDeleted);
        }
      }
      TRY(walk(sub.get(), child));
    }
    return {};
  }

  std::vector<FsChange> out;

 private:
  // As dockerd does: an entry added or deleted makes its parent directory count as changed
  // even when the copied-up directory kept the lower one's size, mode and mtime.
  void added_or_deleted(const std::string& parent, std::string path, ChangeKind kind) {
    out.push_back({std::move(path), kind});
    if (!parent.empty() && changed_dirs_.insert(parent).second)
      out.push_back({"/" + parent, ChangeKind::kModified});
  }

  const store::LowerView& lower_;
  std::set<std::string> changed_dirs_;  // relative paths of directories already reported
};

}  // namespace

Result<std::vector<FsChange>> container_changes(const std::string& upper,
                                                const std::vector<std::string>& lowers) {
  auto view = TRY(store::LowerView::open(lowers, opaque_xattr()));
  auto root = TRY(store::fs::open_dir(upper));
  ChangeWalker walker(view);
  TRY(walker.walk(root.get(), ""));
  std::sort(walker.out.begin(), walker.out.end(),
            [](const FsChange& a, const FsChange& b) { return a.path < b.path; });
  return std::move(walker.out);
}

Json changes_json(const std::vector<FsChange>& changes) {
  Json out = Json::array();
  for (const auto& c : changes) out.push_back({{"Path", c.path}, {"Kind", static_cast<int>(c.kind)}});
  return out;
}

}  // namespace berth::daemon
