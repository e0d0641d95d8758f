// `docker cp` in both directions, confined to a container's root filesystem.
//
// Every path is resolved from a root fd with openat2(RESOLVE_IN_ROOT): the container's own
// symlinks work as they do inside it ("/" and ".." stop at its root), and a container that
// swaps a directory for a symlink mid-copy cannot make Berth read or write the host
// (CVE-2018-15664). The caller opens the root fd (e.g. the mounted rootfs) and keeps it open.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>

#include "base/result.h"
#include "store/archive/archive_sink.h"
#include "store/archive/compression.h"
#include "store/stream.h"

namespace berth::store {

// What docker's X-Docker-Container-Path-Stat header describes.
struct PathStat {
  std::string name;  // base name
  int64_t size = 0;
  mode_t mode = 0;  // st_mode (type and permissions)
  int64_t mtime_sec = 0;
  int64_t mtime_nsec = 0;
  std::string link_target;  // for symlinks: the target, as stored
};

// Stats `path` (absolute or relative to the container root; ".." stops at the root). With
// `follow_symlink`, a final symlink is followed (within the root).
Result<PathStat> stat_in_root(int root_fd, const std::string& path, bool follow_symlink = false);

struct CopyOutOptions {
  // Follow `path` if it is a symlink (docker cp -L); otherwise the link itself is archived.
  bool follow_symlink = false;
  // The name entries get in the archive: the path's base name when unset; "" puts a
  // directory's contents at the top level (docker cp ctr:/dir/. dest).
  std::optional<std::string> archive_name;
  Compression compression = Compression::kNone;
};

// Archives `path` (a file, or a directory and everything in it) from the tree under `root_fd`.
Result<ArchiveResult> write_tar_path(int root_fd, const std::string& path, Writer& out,
                                     const CopyOutOptions& options = {});

struct ExtractOptions {
  // Keep the archive's uid/gid (docker cp -a); otherwise entries belong to `owner`.
  bool preserve_ownership = false;
  std::pair<uint32_t, uint32_t> owner{0, 0};
  // Refuse replacing a directory with a non-directory and the reverse (the API's
  // noOverwriteDirNonDir).
  bool no_overwrite_dir_non_dir = false;
  // Without privileges: chown/mknod/xattr EPERM are skipped.
  bool rootless = false;
};

// Extracts a tar stream (plain, gzip or zstd) into directory `dest_dir` (absolute or relative to
// the container root; must exist). ".wh." names are ordinary files here.
Status extract_tar_to(Reader& tar_stream, int root_fd, const std::string& dest_dir,
                      const ExtractOptions& options = {});

}  // namespace berth::store
