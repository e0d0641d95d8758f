// Reaching into a container's files from berthd (docker cp, export, commit's config): the merged
// root filesystem as a directory fd — the running container's own mount, or for a stopped one
// its snapshot mounted for the occasion and detached at once (the fd keeps the mount alive, so
// nothing is left behind even if berthd dies) — and its bind and volume mounts, which live in
// the container's mount namespace only: a path under a mount's destination goes to the mount's
// source (the longest destination that prefixes the path wins). Paths are then resolved beneath
// these fds with RESOLVE_IN_ROOT (store/archive/copy.h), so nothing escapes them.
//
// Limitation: the mount is chosen lexically, before the container's own symlinks are followed.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/result.h"
#include "base/unique_fd.h"
#include "daemon/container_service.h"

namespace berth::daemon {

class ContainerFs {
 public:
  // Takes the container's lock briefly (to pin the running rootfs or mount the snapshot).
  static Result<std::unique_ptr<ContainerFs>> open(ContainerService& service,
                                                   const ContainerRef& entry);

  // Where a container path leads.
  struct Target {
    int root_fd = -1;   // resolve `path` beneath this
    std::string path;   // relative to root_fd ("" = root_fd itself)
    bool read_only = false;
    bool in_mount = false;  // under a bind or volume mount rather than the rootfs
  };
  // `as_entry`: the path names an entry to stat or archive; a path that is exactly a mount's
  // destination then resolves to (the source's parent, the source's name), so the entry itself
  // can be described. Otherwise (extracting into a directory) it resolves to the source itself.
  Result<Target> resolve(const std::string& container_path, bool as_entry);

  int root_fd() const { return root_.get(); }
  // A path naming the merged rootfs for path-based walkers (/proc/self/fd/N).
  std::string root_path() const;
  bool rootfs_read_only() const { return rootfs_read_only_; }

 private:
  struct Mount {
    std::string destination;  // clean, absolute
    std::string source;       // host path
    bool read_only = false;
  };
  ContainerFs() = default;
  Result<int> source_fd(const std::string& path);

  UniqueFd root_;
  bool rootfs_read_only_ = false;
  std::vector<Mount> mounts_;
  std::map<std::string, UniqueFd> opened_;
};

}  // namespace berth::daemon
