// Internal: walks a directory tree by fds (never following symlinks) and writes it to an
// ArchiveSink: everything (kFullTree), or only what differs from a LowerView (kDirectoryDiff:
// a complete new tree; kOverlayDiff: an overlay upper dir with whiteouts and opaque markers).
#pragma once

#include <sys/stat.h>

#include <string>
#include <vector>

#include "base/result.h"
#include "store/archive/archive_sink.h"
#include "store/archive/fs_header.h"
#include "store/archive/lower_view.h"

namespace berth::store {

class TreeWalker {
 public:
  enum class Mode { kFullTree, kDirectoryDiff, kOverlayDiff };

  // `view` may be null for kFullTree. `archive_root` prefixes every archive path.
  TreeWalker(ArchiveSink& sink, Mode mode, const LowerView* view, std::string opaque_xattr,
             std::string archive_root = "");

  // Writes the contents of directory `dir_fd`, which is `rel` in the view ("" = the root).
  // `opaque`: the directory is an opaque overlay dir. `hides_lower`: it or an ancestor is, so
  // nothing below it may be left out for being equal to the lower view.
  Status walk_dir(int dir_fd, const std::string& rel, bool opaque, bool hides_lower = false);
  // Writes the entry `name` of `parent_fd` as the archive root itself, and its subtree if it is
  // a directory (docker cp of one path).
  Status emit_root_entry(int parent_fd, const std::string& name);

 private:
  struct Pending {
    TarHeader header;
    bool written = false;
  };
  std::string archive_path(const std::string& rel) const;
  Status flush_pending();
  Status write_whiteout(const std::string& rel_dir, const std::string& name);
  Status write_entry(int dir_fd, const std::string& name, const struct stat& st, TarHeader& header);
  Result<bool> differs(const std::string& rel, const struct stat& st, const TarHeader& header,
                       const LowerView::Found& lower);

  ArchiveSink& sink_;
  Mode mode_;
  const LowerView* view_;
  std::string opaque_xattr_;
  std::string archive_root_;
  std::vector<Pending> pending_;  // unchanged ancestor directories not yet written
  HardlinkTracker links_;
};

}  // namespace berth::store
