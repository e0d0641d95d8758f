// How tar entries are written into a directory tree: shared by layer unpacking and docker cp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "store/archive/whiteout.h"
#include "store/fs/resolve.h"

namespace berth::store {

enum class WhiteoutMode {
  // Convert to overlayfs form: ".wh.x" -> 0/0 char device "x"; ".wh..wh..opq" -> the opaque
  // xattr on the directory. For snapshot layers, each unpacked into its own directory.
  kOverlay,
  // Apply by deleting what lies below (for flattening every layer into one directory, as
  // `docker export` of an image or umoci unpack do). Entries written by the same layer survive.
  kDelete,
  // No whiteout semantics: ".wh.*" entries are ordinary files (docker cp).
  kNone,
};

struct ApplyOptions {
  WhiteoutMode whiteouts = WhiteoutMode::kOverlay;
  // How paths inside the tree are resolved; see fs::Resolve. Layers refuse symlinks on the way
  // (their tars never need them); docker cp and flattening follow them inside the root.
  fs::Resolve resolve = fs::Resolve::kNoSymlinks;
  // Chown entries to the archive's uid/gid. Off: files belong to the caller (or `owner`).
  bool preserve_ownership = true;
  // Ownership to force on every entry (docker cp without --archive: the container's root).
  std::optional<std::pair<uint32_t, uint32_t>> owner;
  // Without privileges (rootless, unit tests): chown, mknod of devices and trusted.* xattrs that
  // fail with EPERM are skipped instead of failing the unpack.
  bool rootless = false;
  // The xattr namespace for overlay opaque markers: kOverlayTrustedPrefix or kOverlayUserPrefix.
  std::string overlay_xattr_prefix = std::string(kOverlayTrustedPrefix);
  // docker cp's noOverwriteDirNonDir: refuse replacing a directory with a non-directory or the
  // reverse.
  bool no_overwrite_dir_non_dir = false;
};

}  // namespace berth::store
