// Producing tar changesets (OCI layer.md) and whole-tree archives.
//
// Entries come out in a deterministic order (depth first, names sorted bytewise, a directory's
// whiteouts right after the directory entry), with Docker's normalisations (see fs_header.h),
// so the same change gives the same DiffID. Every directory that contains a change is
// included, so the layer unpacks with the right parent ownership and modes.
#pragma once

#include <string>
#include <vector>

#include "base/result.h"
#include "store/archive/archive_sink.h"
#include "store/archive/compression.h"
#include "store/archive/whiteout.h"
#include "store/stream.h"

namespace berth::store {

struct DiffOptions {
  Compression compression = Compression::kNone;
  int level = -1;  // compression level; < 0: the library's default
  // Where overlay keeps its opaque marker, in the upper dir and the lowers.
  std::string overlay_xattr_prefix = std::string(kOverlayTrustedPrefix);
};

// The changes an overlay upper directory holds relative to `lowers` (bottom..top, overlay-format
// layer directories, e.g. the snapshotter's layer fs dirs): 0/0 char devices become ".wh.<name>"
// (only where the view below has something to hide), opaque directories get ".wh..wh..opq", and
// directories copied up without a change of their own are left out unless a child changed.
// For `docker commit` and the builder; the upper dir must not be mounted-and-changing.
Result<ArchiveResult> write_layer_diff(const std::vector<std::string>& lowers,
                                       const std::string& upper, Writer& out,
                                       const DiffOptions& options = {});

// The changes that turn the merged view of `lowers` into the complete tree `new_tree` (two
// plain directories, or a lower stack and a directory): anything added or modified (type, mode,
// owner, size, mtime, symlink target, device, xattrs) is included, anything missing gets an
// explicit whiteout.
Result<ArchiveResult> write_directory_diff(const std::vector<std::string>& lowers,
                                           const std::string& new_tree, Writer& out,
                                           const DiffOptions& options = {});

// An archive of a whole tree (`docker export`, image export), entries relative to `dir`
// (the root itself is not an entry).
Result<ArchiveResult> write_tar(const std::string& dir, Writer& out,
                                const DiffOptions& options = {});

}  // namespace berth::store
