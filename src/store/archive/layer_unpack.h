// Unpacking image layers (OCI layer.md): a tar changeset, uncompressed, gzip or zstd (detected
// from its first bytes), streamed from a Reader without staging it anywhere.
//
// Safety: entry names are confined to the destination (".." above the root is refused; absolute
// names are made relative, as tar does); by default no entry may be written through a symlink
// (kPermissionDenied), hardlinks may only point inside the destination, and metadata is applied
// through fds or with AT_SYMLINK_NOFOLLOW so nothing outside can be chmod'ed or chown'ed.
// Overlay xattrs in the archive are dropped: only whiteout entries may create overlay markers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "base/result.h"
#include "store/archive/apply_options.h"
#include "store/archive/compression.h"
#include "store/digest.h"
#include "store/stream.h"

namespace berth::store {

struct UnpackOptions {
  ApplyOptions apply;
  // If set, the unpack fails with kDataLoss (leaving nothing) unless the uncompressed tar's
  // digest equals it: pass the image config's rootfs.diff_ids entry.
  std::optional<Digest> expected_diff_id;
};

struct UnpackResult {
  Digest diff_id;  // sha256 of the uncompressed tar (the DiffID)
  uint64_t uncompressed_size = 0;
  Digest compressed_digest;  // sha256 of the bytes read (the blob digest, if compressed)
  uint64_t compressed_size = 0;
  Compression compression = Compression::kNone;
  uint64_t entries = 0;
};

// Unpacks into `dest`, which must not exist: the layer goes into a temporary directory beside
// it, which is renamed to `dest` only when everything (including the DiffID check) succeeded.
// On failure nothing is left. kAlreadyExists if `dest` appeared meanwhile.
Result<UnpackResult> unpack_layer(Reader& layer, const std::string& dest,
                                  const UnpackOptions& options = {});

// Applies a layer on top of an existing directory, in place: for flattening several layers into
// one tree (use WhiteoutMode::kDelete). Not atomic: the caller owns the directory and discards it
// on failure (e.g. a temporary directory it renames at the end).
Result<UnpackResult> apply_layer(Reader& layer, int dest_dir_fd, const UnpackOptions& options = {});

}  // namespace berth::store
