// Internal: turning files on disk into tar headers, the way Docker's layers look: mtimes in
// whole seconds, no atime/ctime, no user/group names, directories with a trailing "/", and
// hardlinks within one archive written as link entries to the first path seen.
#pragma once

#include <sys/stat.h>

#include <map>
#include <optional>
#include <string>
#include <utility>

#include "base/result.h"
#include "store/archive/tar_header.h"
#include "store/fs/xattr.h"

namespace berth::store {

// Whether an xattr belongs in an archive: overlayfs' own bookkeeping (trusted.overlay.*,
// user.overlay.*) and the host's SELinux labels never do.
bool archivable_xattr(const std::string& key);

// The archivable xattrs of `name` in `dir_fd`.
Result<fs::Xattrs> archivable_xattrs_at(int dir_fd, const std::string& name);

// The header for `name` (already lstat'ed as `st`) in `dir_fd`, named `archive_path` in the
// archive. nullopt for sockets, which tar cannot carry.
Result<std::optional<TarHeader>> header_from_fs(int dir_fd, const std::string& name,
                                                const struct stat& st,
                                                const std::string& archive_path);

// Tracks inodes with several links so the second and later paths become hardlink entries.
class HardlinkTracker {
 public:
  // If `st` is a regular file already archived under another path, rewrites `header` into a
  // hardlink to it; otherwise remembers the path.
  void link_or_remember(const struct stat& st, TarHeader& header);

 private:
  std::map<std::pair<dev_t, ino_t>, std::string> first_path_;
};

}  // namespace berth::store
