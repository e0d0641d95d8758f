// Overlay snapshots: each image layer unpacked once, keyed by its ChainID and shared by every
// image that has it, plus writable "active" snapshots (a container's upper and work dirs) on
// top of a layer stack.
//
//   <root>/layers/<chain-hex>/fs          the layer, overlay whiteout format
//   <root>/layers/<chain-hex>/layer.json  {chain_id, diff_id, parent, size, link, created}
//   <root>/l/<link> -> ../layers/<chain-hex>/fs   short names, for long layer stacks
//   <root>/active/<key>/{upper,work,active.json}
//   <root>/empty/                          the lower dir of a layer-less (scratch) snapshot
//   <root>/tmp/                            unpacks in progress (cleared by open())
//   <root>/lock                            flock: shared to add, exclusive to remove
//
// Layers appear atomically: unpacked into tmp/, then renamed into layers/; when two pulls race
// for the same layer, the first rename wins and the other discards its copy. Nothing counts
// references: which layers are in use is derived from the tree itself (the parent links of
// layers and active snapshots) plus the set of image top layers the caller passes to
// prune_layers(), so no count can drift after a crash.
//
// Overlay's mount data is limited to one page. Mount descriptions use absolute layer paths when
// they fit, then absolute short links (l/<12 chars>), then relative short links with
// MountSpec::working_dir = root, which the mounter must chdir into; about 280 layers fit that
// way in 4 KiB, more than Docker's limit of 128. MountSpec also lists the absolute paths, for
// mounters that use fsconfig("lowerdir+"), which has no limit.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/result.h"
#include "base/unique_fd.h"
#include "store/archive/layer_unpack.h"
#include "store/digest.h"
#include "store/snapshot/mount_spec.h"
#include "store/stream.h"

namespace berth::store {

struct LayerInfo {
  Digest chain_id;
  Digest diff_id;
  std::optional<Digest> parent;  // the ChainID below; none for a base layer
  uint64_t size = 0;             // bytes of regular files and symlinks in the layer
  std::string path;              // the layer's fs directory (a lowerdir)
  int64_t created_unix_nanos = 0;
};

struct ActiveInfo {
  std::string key;
  std::optional<Digest> parent;
  std::string upper;
  std::string work;
  int64_t created_unix_nanos = 0;
};

struct SnapshotUsage {
  uint64_t layers = 0;
  uint64_t layers_size = 0;
  uint64_t active = 0;
  uint64_t active_size = 0;  // bytes in upper dirs
};

struct PruneStats {
  uint64_t layers_removed = 0;
  uint64_t bytes_freed = 0;
};

struct SnapshotterOptions {
  // Rootless overlay (mounted with "userxattr"): opaque markers in user.overlay.*, and unpacking
  // skips what needs privileges.
  bool rootless = false;
  // The mount data limit; 0 = the system page size. Tests lower it to exercise the fallbacks.
  size_t page_size = 0;
};

class OverlaySnapshotter {
 public:
  // Opens (creating) a snapshotter rooted at `root`, removing leftovers of interrupted unpacks.
  static Result<OverlaySnapshotter> open(const std::string& root,
                                         const SnapshotterOptions& options = {});

  const std::string& root() const { return root_; }

  // --- layers ---
  bool has_layer(const Digest& chain_id) const;
  // kNotFound when absent.
  Result<LayerInfo> layer(const Digest& chain_id) const;
  Result<std::vector<LayerInfo>> list_layers() const;
  // Unpacks `layer_stream` (plain, gzip or zstd tar) on top of the stack `parent` (which must
  // exist; nullopt for a base layer). With `expected_diff_id`, returns the existing layer
  // without reading the stream when it is already there, and fails (kDataLoss) on a mismatch.
  Result<LayerInfo> add_layer(const std::optional<Digest>& parent, Reader& layer_stream,
                              const std::optional<Digest>& expected_diff_id = std::nullopt);
  // The fs dirs of the stack ending at `chain_id`, bottom..top (lowers for write_layer_diff).
  Result<std::vector<std::string>> layer_dirs(const std::optional<Digest>& chain_id) const;
  // Removes one layer; kFailedPrecondition while a layer or active snapshot builds on it.
  Status remove_layer(const Digest& chain_id);
  // Removes every layer that is neither in `keep` (image top layers), below one of them, nor
  // below an active snapshot.
  Result<PruneStats> prune_layers(const std::set<Digest>& keep);

  // --- active (writable) snapshots ---
  // Creates active/<key> on top of `parent` (nullopt: scratch) and describes its overlay mount.
  // Keys are [A-Za-z0-9_.-]{1,128}. kAlreadyExists when the key is taken.
  Result<MountSpec> prepare_active(const std::string& key, const std::optional<Digest>& parent);
  // The mount of an existing active snapshot (e.g. after a daemon restart).
  Result<MountSpec> active_mount(const std::string& key) const;
  // A read-only view of a stack: a read-only bind for one layer or none, an overlay otherwise.
  Result<MountSpec> view(const std::optional<Digest>& parent) const;
  Result<ActiveInfo> active(const std::string& key) const;
  Result<std::vector<ActiveInfo>> list_active() const;
  // Removes active/<key>; the caller must have unmounted it. kNotFound when absent.
  Status remove_active(const std::string& key);

  // --- usage (system df, ps --size) ---
  Result<SnapshotUsage> usage() const;
  // Bytes in the upper dir of an active snapshot.
  Result<uint64_t> active_size(const std::string& key) const;

 private:
  OverlaySnapshotter(std::string root, SnapshotterOptions options)
      : root_(std::move(root)), options_(options) {}

  std::string layer_dir(const Digest& chain_id) const;
  std::string active_dir(const std::string& key) const;
  Result<UniqueFd> lock(bool exclusive) const;
  Status clean_leftovers();
  Result<MountSpec> describe(const std::optional<Digest>& parent, const std::string& key) const;
  UnpackOptions unpack_options() const;
  Status remove_layer_locked(const LayerInfo& info);

  std::string root_;
  SnapshotterOptions options_;
  std::vector<std::string> extra_mount_options_;
};

}  // namespace berth::store
