// Removing layers, and what they use. Reachability is derived from the tree (layer parents,
// active snapshot parents) plus the caller's set of image top layers.
#include <unistd.h>

#include <cerrno>
#include <map>

#include "base/file_util.h"
#include "store/fs/dir_ops.h"
#include "store/snapshot/overlay_snapshotter.h"
#include "store/snapshot/snapshot_records.h"

namespace berth::store {

Status OverlaySnapshotter::remove_layer_locked(const LayerInfo& info) {
  auto record = TRY(read_layer_record(layer_dir(info.chain_id)));
  std::string tmp_name = "layer-" + fs::random_id(16);
  auto tmp = TRY(fs::open_dir(path_join(root_, "tmp")));
  auto layers = TRY(fs::open_dir(path_join(root_, "layers")));
  // Rename first: the layer vanishes atomically; the slow delete happens out of sight.
  if (::renameat(layers.get(), info.chain_id.hex().c_str(), tmp.get(), tmp_name.c_str()) != 0) {
    return errno_error("remove layer " + info.chain_id.to_string());
  }
  auto links = TRY(fs::open_dir(path_join(root_, "l")));
  if (!record.link.empty()) ::unlinkat(links.get(), record.link.c_str(), 0);
  return fs::remove_tree_at(tmp.get(), tmp_name);
}

Status OverlaySnapshotter::remove_layer(const Digest& chain_id) {
  auto held = TRY(lock(true));
  auto info = TRY(layer(chain_id));
  for (const auto& other : TRY(list_layers())) {
    if (other.parent == chain_id) {
      return make_error(ErrorCode::kFailedPrecondition, "layer {} is the parent of {}",
                        chain_id.to_string(), other.chain_id.to_string());
    }
  }
  for (const auto& a : TRY(list_active())) {
    if (a.parent == chain_id) {
      return make_error(ErrorCode::kFailedPrecondition, "layer {} is used by snapshot {}",
                        chain_id.to_string(), a.key);
    }
  }
  return remove_layer_locked(info);
}

Result<PruneStats> OverlaySnapshotter::prune_layers(const std::set<Digest>& keep) {
  auto held = TRY(lock(true));
  std::map<Digest, LayerInfo> layers;
  for (auto& info : TRY(list_layers())) layers.emplace(info.chain_id, std::move(info));
  std::set<Digest> used;
  auto mark = [&](std::optional<Digest> cur) {
    while (cur && used.insert(*cur).second) {
      auto it = layers.find(*cur);
      cur = it == layers.end() ? std::nullopt : it->second.parent;
    }
  };
  for (const auto& d : keep) mark(d);
  for (const auto& a : TRY(list_active())) mark(a.parent);
  PruneStats stats;
  for (const auto& [chain, info] : layers) {
    if (used.count(chain)) continue;
    TRY(remove_layer_locked(info));
    ++stats.layers_removed;
    stats.bytes_freed += info.size;
  }
  return stats;
}

Result<SnapshotUsage> OverlaySnapshotter::usage() const {
  SnapshotUsage u;
  for (const auto& info : TRY(list_layers())) {
    ++u.layers;
    u.layers_size += info.size;
  }
  for (const auto& a : TRY(list_active())) {
    ++u.active;
    u.active_size += TRY(active_size(a.key));
  }
  return u;
}

}  // namespace berth::store
