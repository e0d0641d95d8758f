#include "store/archive/layer_unpack.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "base/file_util.h"
#include "base/scope_exit.h"
#include "store/archive/tar_applier.h"
#include "store/archive/tar_reader.h"
#include "store/fs/dir_ops.h"

namespace berth::store {

Result<UnpackResult> apply_layer(Reader& layer, int dest_dir_fd, const UnpackOptions& options) {
  // compressed bytes -> decompress -> uncompressed bytes -> tar entries, hashing both sides.
  DigestingReader compressed(layer);
  DecompressingReader decompressed(compressed);
  DigestingReader uncompressed(decompressed);
  TarReader tar(uncompressed);
  TarApplier applier(dest_dir_fd, "", options.apply);
  TRY(applier.apply(tar));
  // libarchive stops at the end-of-archive blocks; the DiffID covers every byte, so drain the
  // rest (padding) through the hashers too.
  NullWriter sink;
  TRY_CTX(copy_stream(uncompressed, sink), "read layer");
  UnpackResult result;
  result.diff_id = uncompressed.digest();
  result.uncompressed_size = uncompressed.size();
  result.compressed_digest = compressed.digest();
  result.compressed_size = compressed.size();
  result.compression = decompressed.compression();
  result.entries = applier.entries();
  if (options.expected_diff_id && *options.expected_diff_id != result.diff_id) {
    return make_error(ErrorCode::kDataLoss, "layer DiffID {} does not match expected {}",
                      result.diff_id.to_string(), options.expected_diff_id->to_string());
  }
  return result;
}

Result<UnpackResult> unpack_layer(Reader& layer, const std::string& dest,
                                  const UnpackOptions& options) {
  if (path_exists(dest)) {
    return make_error(ErrorCode::kAlreadyExists, "unpack layer: {} already exists", dest);
  }
  std::string parent = dirname(dest);
  auto parent_fd = TRY_CTX(fs::open_dir(parent), "unpack layer");
  std::string tmp_name = "." + basename(dest) + ".unpack-" + fs::random_id(12);
  if (::mkdirat(parent_fd.get(), tmp_name.c_str(), 0700) != 0) {
    return errno_error("unpack layer: mkdir " + path_join(parent, tmp_name));
  }
  auto cleanup = ScopeExit([&] { (void)fs::remove_tree_at(parent_fd.get(), tmp_name); });
  auto tmp_fd = TRY(fs::open_dir_at(parent_fd.get(), tmp_name));
  // The layer root is 0755 unless the archive's "./" entry says otherwise.
  if (::fchmod(tmp_fd.get(), 0755) != 0) return errno_error("unpack layer: chmod");
  auto result = TRY_CTX(apply_layer(layer, tmp_fd.get(), options), "unpack layer into " + dest);
  std::string name = basename(dest);
  if (::renameat2(parent_fd.get(), tmp_name.c_str(), parent_fd.get(), name.c_str(),
                  RENAME_NOREPLACE) != 0) {
    if (errno == EEXIST) {
      return make_error(ErrorCode::kAlreadyExists, "unpack layer: {} already exists", dest);
    }
    return errno_error("unpack layer: rename to " + dest);
  }
  cleanup.dismiss();
  TRY(fs::fsync_fd(parent_fd.get(), parent));
  return result;
}

}  // namespace berth::store
